"""Process settings that make the planner's numpy work cheaper on Linux.

The drill and the plan build large temporary arrays (tens of MB each, a few hundred
MB per drill). glibc hands such blocks back to the kernel on ``free`` and maps fresh
pages for the next one, and on the virtual machines street offices and CI use,
touching fresh pages is dear (the demo's 60-replication drill: 5.4–5.6 s by default,
4.2–4.8 s with the settings below; `planner plan --no-export` 9.6–10.1 → 8.5–8.7 s).
Keeping freed memory in the process for reuse costs resident memory (a process
stays near its peak), nothing else: results are the same.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD_BYTES = 32 * 1024**2
"""Blocks below this come from the heap, not from fresh mappings: glibc's maximum
(``DEFAULT_MMAP_THRESHOLD_MAX`` on 64-bit), which the drill's per-site arrays fit."""

TRIM_THRESHOLD_BYTES = 1024**3
"""Free heap kept before giving memory back to the kernel: 1 GiB."""

TOP_PAD_BYTES = 64 * 1024**2
"""Extra heap requested each time the heap grows: 64 MiB."""

_DONE: list[bool] = []


def keep_freed_memory() -> bool:
    """Tell glibc's allocator to keep freed memory for reuse (once per process).

    Returns whether the settings took (False off glibc, e.g. on macOS or Windows).
    """
    if _DONE:
        return _DONE[0]
    ok = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            mallopt = libc.mallopt
        except (OSError, AttributeError):
            mallopt = None
        if mallopt is not None:
            mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            mallopt.restype = ctypes.c_int
            ok = all(
                mallopt(param, value) == 1
                for param, value in (
                    (_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
                    (_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES),
                    (_M_TOP_PAD, TOP_PAD_BYTES),
                )
            )
    _DONE.append(ok)
    return ok
