"""The allocator settings of planner.runtime take on Linux and keep freed memory."""

import subprocess
import sys

import pytest

PROBE = """
import sys
import numpy as np
from planner.runtime import keep_freed_memory
if sys.argv[1] == "on":
    assert keep_freed_memory()
def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
blocks = [np.ones(2_500_000) for _ in range(15)]  # 15 × 20 MB, touched
del blocks
print(round(rss_mib()))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_freed_arrays_stay_in_the_process_for_reuse() -> None:
    def rss(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", PROBE, mode], capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        return int(out.stdout)

    kept, default = rss("on"), rss("off")
    # with the settings the 300 MB stay mapped for the next arrays; without, the
    # allocator returns (most of) them to the kernel
    assert kept > 250 > default, (kept, default)


def test_the_settings_are_applied_once() -> None:
    from planner import runtime

    first = runtime.keep_freed_memory()
    assert runtime.keep_freed_memory() is first
    assert len(runtime._DONE) == 1
