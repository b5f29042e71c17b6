"""Read scenario tables from a folder of CSV/XLSX files or one workbook, as text."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.errors import Issue, reason_of
from planner.io.schema import TABLES, Table

_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried in order; GB18030 is a superset of GBK, so GBK files read too."""

TABLE_SUFFIXES = (".csv", ".xlsx")
META_SHEETS = ("scenario", "情景", "说明")


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
        Cells as strings, with the user's headers; empty cells are ``""``.
    rows
        The Excel-style row number (header = 1) of each frame row.
    numeric_cells
        ``(frame row, header)`` pairs whose cell was a number in the workbook
        (lets us detect ID numbers that Excel has rounded).
    """

    table: Table
    label: str
    frame: pd.DataFrame
    rows: list[int]
    numeric_cells: frozenset[tuple[int, str]] = frozenset()


@dataclass(frozen=True)
class RawScenario:
    """Every table found, the metadata key/values, and the problems met reading them."""

    tables: dict[str, RawTable]
    meta: dict[str, str]
    issues: list[Issue]
    source: Path


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(path: Path, label: str, issues: list[Issue]) -> pd.DataFrame | None:
    data = path.read_bytes()
    for encoding in _TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        issues.append(Issue("error", "encoding", label))
        return None
    from io import StringIO

    try:
        frame = pd.read_csv(
            StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        issues.append(Issue("error", "file_unreadable", label, params=reason_of(exc)))
        return None
    stripped: pd.DataFrame = frame.apply(lambda col: col.str.strip())
    return stripped


def _sheet_rows(ws: object) -> tuple[list[str], list[list[object]]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]  # type: ignore[attr-defined]
    # trailing empty rows and columns are Excel noise, not data
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        return [], []
    header = [_cell_text(v) for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    body = [r[: len(header)] + [None] * (len(header) - len(r)) for r in rows[1:]]
    return header, body


def _frame_from_sheet(
    header: list[str], body: list[list[object]]
) -> tuple[pd.DataFrame, frozenset[tuple[int, str]]]:
    numeric: set[tuple[int, str]] = set()
    cols: dict[str, list[str]] = {h: [] for h in header}
    dup_safe = [h if header.count(h) == 1 else f"{h}#{i}" for i, h in enumerate(header)]
    cols = {h: [] for h in dup_safe}
    for r, row in enumerate(body):
        for h, value in zip(dup_safe, row, strict=True):
            if isinstance(value, int | float) and not isinstance(value, bool):
                numeric.add((r, h))
            cols[h].append(_cell_text(value))
    return pd.DataFrame(cols, dtype=object), frozenset(numeric)


def _match_table(stem: str) -> Table | None:
    s = stem.strip().lower()
    for table in TABLES:
        if s in (table.name, table.label_zh):
            return table
    return None


def read_scenario_tables(path: Path) -> RawScenario:
    """Read every scenario table at `path` (a folder or an ``.xlsx`` workbook).

    Nothing is interpreted here beyond text decoding: columns and values are checked
    by :mod:`planner.rules.inputs`. Problems met while reading are collected, not raised.

    Parameters
    ----------
    path
        A folder holding ``buildings.csv`` (or ``楼栋.csv`` / ``.xlsx``) and the other
        tables plus an optional ``scenario.toml``, or one workbook with a sheet per
        table and an optional ``scenario``/``情景`` key–value sheet.

    Returns
    -------
    RawScenario
        Tables found, metadata, and issues (missing tables, unreadable files, …).
    """
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    meta: dict[str, str] = {}
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
            raw = _read_file_table(
                f, TABLES[[t.name for t in TABLES].index(name)], issues
            )
            if raw is not None:
                tables[name] = raw
        meta_path = path / "scenario.toml"
        if meta_path.exists():
            try:
                doc = tomllib.loads(meta_path.read_text(encoding="utf-8"))
                section = doc.get("scenario", doc)
                meta = {str(k): str(v) for k, v in section.items()}
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
    elif path.suffix.lower() == ".xlsx":
        tables, meta = _read_workbook(path, issues)
    else:
        raw = None
        issues.append(
            Issue(
                "error",
                "file_unreadable",
                path.name,
                params=(("why", "not_scenario"),),
            )
        )
    return RawScenario(tables, meta, issues, path)


def _read_file_table(path: Path, table: Table, issues: list[Issue]) -> RawTable | None:
    label = path.name
    if path.suffix.lower() == ".csv":
        try:
            frame = _read_csv(path, label, issues)
        except OSError as exc:
            issues.append(
                Issue("error", "file_unreadable", label, params=reason_of(exc))
            )
            return None
        if frame is None:
            return None
        return RawTable(table, label, frame, [i + 2 for i in range(len(frame))])
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        issues.append(Issue("error", "file_unreadable", label, params=reason_of(exc)))
        return None
    try:
        header, body = _sheet_rows(wb.worksheets[0])
    finally:
        wb.close()
    frame, numeric = _frame_from_sheet(header, body)
    return RawTable(table, label, frame, [i + 2 for i in range(len(frame))], numeric)


def _read_workbook(
    path: Path, issues: list[Issue]
) -> tuple[dict[str, RawTable], dict[str, str]]:
    from openpyxl import load_workbook

    tables: dict[str, RawTable] = {}
    meta: dict[str, str] = {}
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        issues.append(
            Issue("error", "file_unreadable", path.name, params=reason_of(exc))
        )
        return tables, meta
    try:
        for ws in wb.worksheets:
            title = ws.title.strip()
            if title.lower() in META_SHEETS:
                header, body = _sheet_rows(ws)
                for row in body:
                    if len(row) >= 2 and row[0] is not None:
                        meta[_meta_key(_cell_text(row[0]))] = _cell_text(row[1])
                continue
            table = _match_table(title)
            if table is None:
                continue
            header, body = _sheet_rows(ws)
            frame, numeric = _frame_from_sheet(header, body)
            tables[table.name] = RawTable(
                table,
                f"{path.name}#{title}",
                frame,
                [i + 2 for i in range(len(frame))],
                numeric,
            )
    finally:
        wb.close()
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
    return tables, meta


_META_ALIASES = {
    "名称": "name",
    "情景名称": "name",
    "街道": "name",
    "街道名称": "name",
    "坐标系": "coordinate_system",
    "坐标系统": "coordinate_system",
}


def _meta_key(key: str) -> str:
    return _META_ALIASES.get(key.strip(), key.strip().lower())
