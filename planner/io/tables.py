"""Read scenario tables from a folder of CSV/Excel files or one workbook, as text.

Registers come the way grid workers keep them in Excel or WPS: a title line above the
header, merged cells, blank lines, a 合计 row at the end, legacy ``.xls``. What is
unambiguous is accepted here and listed as a note (severity ``note``): the header row is
found by its known headers, merged values fill their whole range, and blank, total and
template example rows are left out. Values are only decoded to text; their types are
checked by :mod:`planner.io.checks`.

Workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) are read with python-calamine (a
Rust reader, several times faster than openpyxl, and it reads Excel 97–2003 too).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.errors import Issue, reason_of
from planner.io.prefetch import WORKBOOK_SUFFIXES as WORKBOOK_SUFFIXES
from planner.io.prefetch import read_grid as read_grid
from planner.io.prefetch import take_prefetched
from planner.io.schema import TABLES, Table

_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried in order; GB18030 is a superset of GBK, so GBK files read too."""

TABLE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)
META_SHEETS = ("scenario", "情景")
PROBLEM_SHEETS = ("问题清单", "problems")
"""The sheet a marked workbook adds (see :mod:`planner.export.marked`)."""

IGNORED_SHEETS = ("说明", "填表说明", "readme", *PROBLEM_SHEETS)
"""Sheets that are never a table: instructions, and the list a marked workbook adds."""

HEADER_SEARCH_ROWS = 30
"""Rows searched for the header line (title lines and notes may come above it)."""

TOTAL_WORDS = ("合计", "小计", "总计", "共计", "总数", "合计数", "total", "subtotal")
"""A row whose first filled cell is one of these (spaces and a colon aside) is a sum."""

EXAMPLE_MARKS = ("【示例】", "[示例]", "示例：", "示例:", "(示例)", "（示例）")
"""A row whose first filled cell starts with one of these is a template example."""

EXAMPLE_MARK = EXAMPLE_MARKS[0]
"""The marker :mod:`planner.io.template` writes before example rows."""

NOTE_EXAMPLES = 3
"""Cells or rows quoted in a note, after its count."""


@dataclass(frozen=True)
class SheetLayout:
    """Where a table sits in its file, so that problems can be marked on their cells.

    Parameters
    ----------
    source
        The file the table was read from.
    sheet
        Sheet name in a workbook; ``None`` for a CSV file.
    header_row
        1-based row of the header line, as Excel numbers it.
    columns
        Header (as in the table's frame) → 0-based column index in the sheet.
    """

    source: Path
    sheet: str | None
    header_row: int
    columns: dict[str, int]


@dataclass(frozen=True)
class RawTable:
    """One table as the user wrote it: every cell a stripped string.

    Parameters
    ----------
    table
        The schema of the table.
    label
        Where it came from, for messages: ``households.csv`` or ``demo.xlsx#住户``.
    frame
        Cells as strings, with the user's headers; empty cells are ``""``. Blank,
        total and example rows are already left out.
    rows
        The Excel-style row number of each frame row (1-based, counting title lines).
    layout
        Sheet, header row and column positions, for marking cells.
    numeric
        Header → boolean mask over frame rows: the cell was a number in the workbook
        (lets us detect ID numbers that Excel has rounded).
    numbers
        Header → those numbers as floats (NaN where the cell was not a number).
    """

    table: Table
    label: str
    frame: pd.DataFrame
    rows: list[int]
    layout: SheetLayout
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    numbers: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def header_row(self) -> int:
        """1-based row number of the header line."""
        return self.layout.header_row


@dataclass(frozen=True)
class RawScenario:
    """Every table found, the metadata key/values, and the problems met reading them."""

    tables: dict[str, RawTable]
    meta: dict[str, str]
    issues: list[Issue]
    source: Path
    example_rows: int = 0
    """Template example rows left out, in all tables."""


def normalise_header(text: str) -> str:
    """Return a header as compared with the schema: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN: an empty or error cell
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):  # a duration-formatted cell: a time of day
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value).strip()


def _column_text(values: Sequence[Any]) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Return one column's cells as text, which were numbers, and those numbers.

    The numbers (NaN elsewhere) spare parsing them back from text.
    The common cases (all text; numbers and text) avoid a Python call per cell, and
    the text is an Arrow-backed series, whose string operations run in C: this
    matters for a 300,000-row register.
    """
    n = len(values)
    kinds = set(map(type, values))
    if kinds <= {str}:
        text = pd.Series(pd.array(values, dtype="str")).str.strip()
        return text, np.zeros(n, dtype=bool), np.full(n, np.nan)
    if kinds <= {str, float, int}:
        is_str = np.fromiter((type(v) is str for v in values), dtype=bool, count=n)
        numeric = ~is_str
        obj = np.asarray(values, dtype=object)
        cells = np.empty(n, dtype=object)
        if is_str.any():
            cells[is_str] = [v.strip() for v in obj[is_str]]
        nums = obj[numeric].astype(float)
        numbers = np.full(n, np.nan)
        numbers[numeric] = nums
        whole = np.isfinite(nums) & (nums == np.floor(nums)) & (np.abs(nums) < 2**62)
        as_text = np.empty(len(nums), dtype=object)
        as_text[whole] = nums[whole].astype(np.int64).astype(str).astype(object)
        as_text[~whole] = [_cell_text(float(v)) for v in nums[~whole]]
        cells[numeric] = as_text
        return pd.Series(pd.array(cells, dtype="str")), numeric, numbers
    numeric = np.fromiter(
        (
            isinstance(v, int | float) and not isinstance(v, bool) and v == v
            for v in values
        ),
        dtype=bool,
        count=n,
    )
    numbers = np.full(n, np.nan)
    numbers[numeric] = [float(v) for v, m in zip(values, numeric, strict=True) if m]
    text = pd.Series(pd.array([_cell_text(v) for v in values], dtype="str"))
    return text, numeric, numbers


Grid = list[list[Any]]
Merged = list[tuple[tuple[int, int], tuple[int, int]]]


def _header_score(row: Sequence[object], known: set[str]) -> int:
    return sum(
        1 for v in row if isinstance(v, str) and v and normalise_header(v) in known
    )


def _known_headers(table: Table) -> set[str]:
    return {
        normalise_header(a) for col in table.columns for a in (col.name, *col.aliases)
    }


def _find_header(grid: Grid, table: Table) -> int | None:
    """Return the 0-based row of the header line, or None for an empty sheet.

    The header is the row among the first `HEADER_SEARCH_ROWS` with the most known
    headers (at least two); without one, the first non-blank row, so that the usual
    "column missing" messages name it.
    """
    known = _known_headers(table)
    best, best_score = None, 1
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        score = _header_score(row, known)
        if score > best_score:
            best, best_score = r, score
    if best is not None:
        return best
    for r, row in enumerate(grid):
        if any(_cell_text(v) for v in row):
            return r
    return None


def _first_filled(columns: list[pd.Series], n: int) -> pd.Series:
    first = pd.Series(pd.array([""] * n, dtype="str"))
    for col in columns:
        take = ((first == "") & (col != "")).to_numpy(dtype=bool)
        if take.any():
            first = first.mask(take, col)
    return first


def _is_total(first: pd.Series) -> np.ndarray:
    # every total word has 计 or 数 or "total" in it (also after NFKC): a cheap
    # filter before normalising
    candidates = (
        (first.str.len() <= 12) & first.str.contains("计|数|total", case=False)
    ).to_numpy(dtype=bool)
    out = np.zeros(len(first), dtype=bool)
    if candidates.any():
        words = [
            "".join(unicodedata.normalize("NFKC", v).split()).rstrip(":").lower()
            for v in first[candidates]
        ]
        out[candidates] = np.isin(np.asarray(words, dtype=object), TOTAL_WORDS)
    return out


def _is_example(first: pd.Series) -> np.ndarray:
    return first.str.startswith(EXAMPLE_MARKS).fillna(False).to_numpy(dtype=bool)


def _rows_text(rows: Sequence[int | str]) -> str:
    shown = ", ".join(str(r) for r in rows[:NOTE_EXAMPLES])
    return shown + ("…" if len(rows) > NOTE_EXAMPLES else "")


def cell_ref(row0: int, col0: int) -> str:
    """Return the A1 reference of 0-based (row, column)."""
    letters, c = "", col0 + 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row0 + 1}"


def table_from_grid(
    grid: Grid,
    merged: Merged,
    table: Table,
    label: str,
    source: Path,
    sheet: str | None,
    issues: list[Issue],
) -> tuple[RawTable, int]:
    """Turn a sheet's cells into a `RawTable`, noting every quirk that was smoothed.

    Parameters
    ----------
    grid
        The sheet's cells, row by row, from cell A1 (values as the reader gives them).
    merged
        Merged ranges as 0-based ``((first row, first col), (last row, last col))``.
    table, label, source, sheet
        The table's schema, its label in messages, its file and sheet name.
    issues
        Notes are appended here.

    Returns
    -------
    tuple of RawTable and int
        The table, and how many template example rows were left out.
    """
    h = _find_header(grid, table)
    if h is None:
        layout = SheetLayout(source, sheet, 1, {})
        return RawTable(table, label, pd.DataFrame(), [], layout), 0
    header = [unicodedata.normalize("NFKC", _cell_text(v)).strip() for v in grid[h]]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    titles = [r for r in range(h) if any(_cell_text(v) for v in grid[r])]
    if titles:
        first_title = next(_cell_text(v) for v in grid[titles[0]] if _cell_text(v))
        issues.append(
            Issue(
                "note",
                "title_rows_skipped",
                label,
                params=(
                    ("header", str(h + 1)),
                    ("n", str(len(titles))),
                    ("rows", _rows_text([r + 1 for r in titles])),
                    ("text", first_title[:30]),
                ),
            )
        )
    body = grid[h + 1 :]
    n = len(body)
    if body and len(set(map(len, body))) == 1 and len(body[0]) >= width:
        cols_raw: list[Sequence[Any]] = []
        cols_raw.extend(list(zip(*body, strict=True))[:width])
    else:  # ragged rows (CSV): pad
        padded: list[Sequence[Any]] = [
            [row[c] if c < len(row) else None for row in body] for c in range(width)
        ]
        cols_raw = padded
    # a value written once over a merged block applies to every row of the block
    filled: list[str] = []
    for (r0, c0), (r1, c1) in sorted(merged):
        # ranges in the title or header lines, or one row high, fill nothing; a block
        # spanning columns belongs to its first column (the others were left empty)
        if r0 <= h or r1 == r0 or c0 >= width:
            continue
        top, bottom = r0 - h - 1, min(r1 - h - 1, n - 1)
        col = list(cols_raw[c0])
        col[top + 1 : bottom + 1] = [col[top]] * (bottom - top)
        cols_raw[c0] = col
        filled.append(f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}")
    if filled:
        issues.append(
            Issue(
                "note",
                "merged_filled",
                label,
                params=(
                    ("n", str(len(filled))),
                    ("cells", _rows_text(filled)),
                ),
            )
        )
    columns: list[pd.Series] = []
    numerics: list[np.ndarray] = []
    numbers: list[np.ndarray] = []
    for values in cols_raw:
        text, is_number, as_number = _column_text(values)
        columns.append(text)
        numerics.append(is_number)
        numbers.append(as_number)
    excel_rows = np.arange(n) + h + 2
    first = _first_filled(columns, n)
    blank = first == ""
    total = ~blank & _is_total(first)
    example = ~blank & ~total & _is_example(first)
    # trailing blank lines are Excel's used-range noise; only blank lines between
    # data rows are worth a note
    filled_rows = np.flatnonzero(~blank)
    last = filled_rows[-1] if len(filled_rows) else -1
    inner_blank = blank & (np.arange(n) < last)
    for mask, code in (
        (inner_blank, "blank_rows_skipped"),
        (total, "total_rows_skipped"),
        (example, "example_rows_skipped"),
    ):
        if mask.any():
            rows_ = [int(r) for r in excel_rows[mask]]
            issues.append(
                Issue(
                    "note",
                    code,
                    label,
                    params=(("n", str(len(rows_))), ("rows", _rows_text(rows_))),
                )
            )
    keep = ~(blank | total | example)
    dup_safe = [
        h_ if header.count(h_) == 1 else f"{h_}#{i}" for i, h_ in enumerate(header)
    ]
    positions = np.flatnonzero(keep)
    every = len(positions) == n
    data = {
        name: col if every else col.iloc[positions].reset_index(drop=True)
        for name, col in zip(dup_safe, columns, strict=True)
    }
    frame = pd.DataFrame(data) if data else pd.DataFrame(index=range(len(positions)))
    numeric = {
        name: num[positions] for name, num in zip(dup_safe, numerics, strict=True)
    }
    as_numbers = {
        name: num[positions] for name, num in zip(dup_safe, numbers, strict=True)
    }
    layout = SheetLayout(
        source, sheet, h + 1, {name: i for i, name in enumerate(dup_safe)}
    )
    rows = [int(r) for r in excel_rows[positions]]
    raw = RawTable(table, label, frame, rows, layout, numeric, as_numbers)
    return raw, int(example.sum())


def _read_csv_grid(path: Path, label: str, issues: list[Issue]) -> Grid | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        issues.append(Issue("error", "file_unreadable", label, params=reason_of(exc)))
        return None
    for encoding in _TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        issues.append(Issue("error", "encoding", label))
        return None
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        issues.append(Issue("error", "file_unreadable", label, params=reason_of(exc)))
        return None


def _open_workbook(path: Path, label: str, issues: list[Issue]) -> Any:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        issues.append(Issue("error", "file_encrypted", label))
    except Exception as exc:  # calamine raises several types for corrupt files
        issues.append(Issue("error", "file_unreadable", label, params=reason_of(exc)))
    return None


def read_file_grid(path: Path, sheet: str | None) -> tuple[Grid, Merged]:
    """Return the cells of a CSV file, or of sheet `sheet` of a workbook, and merges.

    For writing a file back (the marked workbook); problems reading it were reported
    when it was loaded, so an unreadable file gives an empty grid here.
    """
    issues: list[Issue] = []
    if path.suffix.lower() == ".csv":
        return _read_csv_grid(path, path.name, issues) or [], []
    wb = _open_workbook(path, path.name, issues)
    if wb is None:
        return [], []
    try:
        names: list[str] = list(wb.sheet_names)
        return read_grid(
            wb, sheet if sheet is not None and sheet in names else names[0]
        )
    finally:
        wb.close()


def _match_table(stem: str) -> Table | None:
    s = normalise_header(stem)
    for table in TABLES:
        if s in (table.name, table.label_zh):
            return table
    return None


def _sheet_kind(name: str) -> str:
    s = normalise_header(name)
    if s in META_SHEETS:
        return "meta"
    if s in IGNORED_SHEETS:
        return "ignored"
    return "table"


def read_scenario_tables(path: Path) -> RawScenario:
    """Read every scenario table at `path` (a folder or one workbook).

    Nothing is interpreted here beyond decoding text and smoothing the register
    quirks listed in the module docstring (each one noted): columns and values are
    checked by :mod:`planner.io.checks`. Problems are collected, not raised.

    Parameters
    ----------
    path
        A folder holding ``buildings.csv`` (or ``楼栋.csv`` / ``.xlsx`` / ``.xls``) and
        the other tables plus an optional ``scenario.toml``, or one workbook
        (``.xlsx``, ``.xls``, ``.ods``) with a sheet per table and an optional
        ``scenario``/``情景`` key–value sheet.

    Returns
    -------
    RawScenario
        Tables found, metadata, and issues (missing tables, unreadable files, notes).
    """
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    meta: dict[str, str] = {}
    examples = 0
    if not path.exists():
        issues.append(Issue("error", "path_missing", str(path)))
        return RawScenario(tables, meta, issues, path)
    if path.is_dir():
        found: dict[str, list[Path]] = {}
        for f in sorted(path.iterdir()):
            if f.suffix.lower() in TABLE_SUFFIXES and not f.name.startswith("~$"):
                table = _match_table(f.stem)
                if table is not None:
                    found.setdefault(table.name, []).append(f)
        for name, files in found.items():
            if len(files) > 1:
                issues.append(
                    Issue(
                        "error",
                        "table_ambiguous",
                        path.name,
                        params=(
                            ("table", name),
                            ("files", ", ".join(f.name for f in files)),
                        ),
                    )
                )
                continue
            f = files[0]
            got = _read_file_table(f, next(t for t in TABLES if t.name == name), issues)
            if got is not None:
                tables[name] = got[0]
                examples += got[1]
        meta_path = path / "scenario.toml"
        if meta_path.exists():
            try:
                doc = tomllib.loads(meta_path.read_text(encoding="utf-8"))
                section = doc.get("scenario", doc)
                meta = _flat_meta(section)
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                issues.append(
                    Issue(
                        "error",
                        "toml_syntax",
                        meta_path.name,
                        params=reason_of(exc),
                    )
                )
        for table in TABLES:
            if table.required and table.name not in tables and table.name not in found:
                issues.append(
                    Issue(
                        "error",
                        "file_missing",
                        path.name,
                        params=(
                            ("table", table.name),
                            ("expected", f"{table.name}.csv / {table.label_zh}.xlsx"),
                        ),
                    )
                )
    elif path.suffix.lower() in WORKBOOK_SUFFIXES:
        tables, meta, examples = _read_workbook(path, issues)
    else:
        issues.append(
            Issue(
                "error", "file_unreadable", path.name, params=(("why", "not_scenario"),)
            )
        )
    return RawScenario(tables, meta, issues, path, examples)


def _read_file_table(
    path: Path, table: Table, issues: list[Issue]
) -> tuple[RawTable, int] | None:
    label = path.name
    if path.suffix.lower() == ".csv":
        grid = _read_csv_grid(path, label, issues)
        if grid is None:
            return None
        return table_from_grid(grid, [], table, label, path, None, issues)
    wb = _open_workbook(path, label, issues)
    if wb is None:
        return None
    try:
        names = [n for n in wb.sheet_names if _sheet_kind(n) == "table"]
        if not names:
            return table_from_grid([], [], table, label, path, None, issues)
        grid, merged = read_grid(wb, names[0])
    finally:
        wb.close()
    return table_from_grid(grid, merged, table, label, path, names[0], issues)


def _read_workbook(
    path: Path, issues: list[Issue]
) -> tuple[dict[str, RawTable], dict[str, str], int]:
    tables: dict[str, RawTable] = {}
    meta: dict[str, str] = {}
    examples = 0
    # parsed in the background while the CLI started (planner.io.prefetch), or now
    prefetched = take_prefetched(path)
    if prefetched is not None:
        names, parsed = prefetched
        sheet_of: Callable[[str], tuple[Grid, Merged]] = parsed
        close: Callable[[], None] = lambda: None  # noqa: E731
    else:
        wb = _open_workbook(path, path.name, issues)
        if wb is None:
            return tables, meta, 0
        names = list(wb.sheet_names)
        sheet_of = functools.partial(read_grid, wb)
        close = wb.close
    try:
        for name in names:
            title = name.strip()
            kind = _sheet_kind(title)
            if kind == "ignored":
                continue
            if kind == "meta":
                grid, _ = sheet_of(name)
                for row in grid[1:]:
                    if len(row) >= 2 and _cell_text(row[0]):
                        value = _cell_text(row[1])
                        if not value.startswith(EXAMPLE_MARKS):
                            meta[_meta_key(_cell_text(row[0]))] = value
                continue
            table = _match_table(title)
            if table is None or table.name in tables:
                continue
            grid, merged = sheet_of(name)
            raw, n_examples = table_from_grid(
                grid, merged, table, f"{path.name}#{title}", path, name, issues
            )
            tables[table.name] = raw
            examples += n_examples
    finally:
        close()
    for table in TABLES:
        if table.required and table.name not in tables:
            issues.append(
                Issue(
                    "error",
                    "sheet_missing",
                    path.name,
                    params=(("table", f"{table.name}/{table.label_zh}"),),
                )
            )
    return tables, meta, examples


_META_ALIASES = {
    "名称": "name",
    "情景名称": "name",
    "街道": "name",
    "街道名称": "name",
    "坐标系": "coordinate_system",
    "坐标系统": "coordinate_system",
}


HOTLINE_WORD = "咨询电话"
"""A metadata key ending in this names a hotline: the street's alone, else
``<community>咨询电话`` (read as ``hotline`` and ``hotline.<community>``)."""


def _meta_key(key: str) -> str:
    key = key.strip()
    if key.endswith(HOTLINE_WORD) and key not in ("街道" + HOTLINE_WORD, HOTLINE_WORD):
        return "hotline." + key[: -len(HOTLINE_WORD)]
    if key in ("街道" + HOTLINE_WORD, HOTLINE_WORD):
        return "hotline"
    return _META_ALIASES.get(key, key.lower())


def _flat_meta(section: dict[str, Any]) -> dict[str, str]:
    """Return ``scenario.toml``'s keys as text; a sub-table's as ``<table>.<key>``.

    ``[scenario.hotlines]`` then gives ``hotlines.<community>`` keys.
    """
    out: dict[str, str] = {}
    for key, value in section.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                out[f"{key}.{sub}"] = str(v)
        else:
            out[str(key)] = str(value)
    return out
