"""Helpers of the campaign benchmarks: a process-tree memory sampler and a table."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    out: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    try:
        for task in task_dir.iterdir():
            text = (task / "children").read_text()
            out.extend(int(c) for c in text.split())
    except OSError:
        pass
    return out


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mib(root: int | None = None) -> float:
    """Return the resident memory of a process and all its descendants, MiB."""
    todo = [root or os.getpid()]
    total = 0.0
    seen: set[int] = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_mib(pid)
        todo.extend(_children(pid))
    return total


class PeakMemory:
    """Sample this process tree's resident memory every `interval` s; keep the peak.

    The local pool's workers and a Ray instance started by this process (raylet,
    GCS, workers) are all descendants, so both engines are measured alike.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mib = max(self.peak_mib, tree_rss_mib())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mib = max(self.peak_mib, tree_rss_mib())


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Return (result, wall seconds, peak MiB of the process tree)."""
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        wall = time.perf_counter() - t0
    return result, wall, mem.peak_mib


def load_average() -> str:
    """Return the 1/5/15-minute load averages (the machine is shared)."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
