"""Start parsing a workbook's sheets in the background, before the heavy imports.

`planner validate data/demo.xlsx` spends about 0.7 s importing pandas, geopandas and
the planner, and about as long in calamine parsing the sheets' XML. Calamine parses
without holding the GIL, so the CLI calls :func:`prefetch_workbook` first and the two
overlap; :func:`take_prefetched` then hands the parsed sheets to the reader. The module
imports nothing heavy, on purpose.

A prefetch is only a head start: if it failed, or the file changed in the meantime,
the reader reads the workbook itself and reports any error as usual.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
"""Workbook formats read (python-calamine): Excel 2007+, Excel 97–2003 / WPS, ODF."""


Sheet = tuple[list[list[Any]], list[Any]]
"""A parsed sheet: its cells row by row from A1, and its merged ranges."""

_WORKERS = 2
"""Sheets parsed at once: the largest (the residents) then runs beside the others."""


@dataclass
class _Prefetch:
    stamp: tuple[int, int]
    """The file's (size, modification time in ns) when the prefetch started."""
    names: list[str]
    sheets: dict[str, Future[Sheet]]


_PENDING: dict[Path, _Prefetch] = {}
_LOCK = threading.Lock()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def read_grid(wb: Any, name: str) -> Sheet:
    """Return the cells of sheet `name` of an open calamine workbook, and its merges."""
    sheet = wb.get_sheet_by_name(name)
    # skip_empty_area=False keeps row and column numbers those of the sheet
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


def _read_sheet(path: Path, name: str) -> Sheet:
    from python_calamine import CalamineWorkbook

    # a workbook per thread: calamine's workbook object is not shared across threads
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return read_grid(wb, name)
    finally:
        wb.close()


def prefetch_workbook(path: Path) -> None:
    """Begin parsing every sheet of `path` in background threads (workbooks only)."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return
    stamp = _stamp(path)
    if stamp is None:
        return
    key = path.resolve()
    if key in _PENDING:
        return
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(key))
        names = list(wb.sheet_names)
        wb.close()
    except Exception:  # the reader opens it again and reports the error
        return
    pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="prefetch")
    job = _Prefetch(stamp, names, {n: pool.submit(_read_sheet, key, n) for n in names})
    pool.shutdown(wait=False)
    with _LOCK:
        _PENDING.setdefault(key, job)


def take_prefetched(path: Path) -> tuple[list[str], Callable[[str], Sheet]] | None:
    """Return the sheet names of `path` and a function giving a parsed sheet, or None.

    The function waits for that sheet's parse. None when there was no prefetch of
    this file or the file changed since it started; each prefetch is handed out once.
    A sheet whose parse failed raises what reading it directly would have raised.
    """
    key = path.resolve()
    with _LOCK:
        job = _PENDING.pop(key, None)
    if job is None or _stamp(key) != job.stamp:
        return None

    def sheet(name: str) -> Sheet:
        return job.sheets[name].result()

    return job.names, sheet
