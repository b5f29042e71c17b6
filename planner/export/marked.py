"""Write a register back with its problems marked: what a community can fix and return.

Every sheet of the user's workbook (or every table file of a folder, one sheet each) is
written again with its values, merged ranges and sheet order; each problem cell is
filled (red for errors, yellow for warnings) and carries the message as a comment, and
a 问题清单 sheet in front lists every problem — the lines `planner validate` prints, and
past its per-kind cap the rest of them too — with a link to each cell.

The values are rewritten, not the styling: the user's fonts and colours are not kept
(python-calamine reads values only, and re-saving a 60,000-row book with openpyxl takes
far longer than the check itself).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import Issue
from planner.export._xlsx import safe_sheet_name
from planner.io.load import Inspection
from planner.io.tables import (
    PROBLEM_SHEETS,
    WORKBOOK_SUFFIXES,
    Grid,
    Merged,
    cell_ref,
    normalise_header,
    read_file_grid,
    read_grid,
)
from planner.text import (
    SEVERITY_ORDER,
    Lang,
    issue_message,
    render_issue,
    tr,
)

FILL = {"error": "#FFC7CE", "warning": "#FFEB9C"}
"""Cell fills: Excel's own "bad" red and "neutral" yellow."""


@dataclass(frozen=True)
class _Sheet:
    name: str
    label: str
    grid: Grid
    merged: Merged


@dataclass(frozen=True)
class MarkedCell:
    """One highlighted cell: its table's label, 0-based row and column, its issues."""

    label: str
    row: int
    col: int
    issues: tuple[Issue, ...]


def _sheets(inspection: Inspection) -> list[_Sheet]:
    raw = inspection.raw
    src = raw.source
    out: list[_Sheet] = []
    if src.is_file() and src.suffix.lower() in WORKBOOK_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_path(str(src))
        except Exception:  # unreadable: reported on load; the list is all we give
            return out
        try:
            for name in wb.sheet_names:
                if normalise_header(name) in PROBLEM_SHEETS:
                    continue  # a 问题清单 from an earlier round is written anew
                grid, merged = read_grid(wb, name)
                out.append(_Sheet(name, f"{src.name}#{name.strip()}", grid, merged))
        finally:
            wb.close()
        return out
    for table in raw.tables.values():
        layout = table.layout
        grid, merged = read_file_grid(layout.source, layout.sheet)
        out.append(_Sheet(layout.source.stem, table.label, grid, merged))
    return out


def marked_cells(inspection: Inspection) -> list[MarkedCell]:
    """Return the cells to highlight, with the errors and warnings of each.

    Issues without a row and a known column (a missing sheet, an empty table) have no
    cell; they are listed on the 问题清单 sheet only. Notes are listed, not marked.
    """
    layouts = {t.label: t.layout for t in inspection.raw.tables.values()}
    cells: dict[tuple[str, int, int], list[Issue]] = defaultdict(list)
    for issue in inspection.every_issue:
        if issue.severity == "note" or issue.row is None:
            continue
        layout = layouts.get(issue.file)
        if layout is None or issue.column not in layout.columns:
            continue
        cells[(issue.file, issue.row - 1, layout.columns[issue.column])].append(issue)
    return [
        MarkedCell(label, r, c, tuple(found)) for (label, r, c), found in cells.items()
    ]


def write_marked_workbook(
    inspection: Inspection, out: Path | io.BytesIO, *, lang: Lang = "zh"
) -> Path | io.BytesIO:
    """Write the inspected scenario's tables with their problems marked.

    Parameters
    ----------
    inspection
        What :func:`planner.io.load.inspect_scenario` found.
    out
        The ``.xlsx`` file to write, or a buffer (for a download in the app).
    lang
        Language of the messages and the 问题清单 headers. Default ``zh``.

    Returns
    -------
    pathlib.Path or io.BytesIO
        `out`.
    """
    import xlsxwriter

    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        wb = xlsxwriter.Workbook(str(out))
    else:
        wb = xlsxwriter.Workbook(out, {"in_memory": True})
    try:
        _write(wb, inspection, lang)
    finally:
        wb.close()
    return out


def _write(wb: Any, inspection: Inspection, lang: Lang) -> None:
    sheets = _sheets(inspection)
    names: dict[str, str] = {}
    used: set[str] = {tr("problems_sheet", lang)}
    for sheet in sheets:
        name = safe_sheet_name(sheet.name)
        while name in used:
            name = safe_sheet_name(name[:28] + "_" + str(len(used)))
        used.add(name)
        names[sheet.label] = name
    marks: dict[str, dict[tuple[int, int], MarkedCell]] = defaultdict(dict)
    for cell in marked_cells(inspection):
        marks[cell.label][(cell.row, cell.col)] = cell
    _write_problems(wb, inspection, names, lang)
    fmt = _Formats(wb)
    author = tr("comment_author", lang)
    for sheet in sheets:
        ws = wb.add_worksheet(names[sheet.label])
        _write_sheet(ws, sheet, marks.get(sheet.label, {}), fmt, author, lang)


class _Formats:
    """The few cell formats of a marked sheet, made once per workbook."""

    def __init__(self, wb: Any) -> None:
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.time = wb.add_format({"num_format": "hh:mm"})
        self.fill: dict[tuple[str, str], Any] = {}
        for severity, colour in FILL.items():
            for kind, extra in (
                ("plain", {}),
                ("text", {"num_format": "@"}),
                ("date", {"num_format": "yyyy-mm-dd"}),
                ("time", {"num_format": "hh:mm"}),
            ):
                self.fill[(severity, kind)] = wb.add_format(
                    {"bg_color": colour, "border": 1, "border_color": "#C00000"} | extra
                )

    def of(self, kind: str, severity: str | None) -> Any:
        if severity is None:
            return {"text": self.text, "date": self.date, "time": self.time}.get(kind)
        return self.fill[(severity, kind)]


def _write_value(
    ws: Any, r: int, c: int, v: Any, fmt: _Formats, sev: str | None
) -> None:
    if v is None or v == "":
        if sev is not None:
            ws.write_blank(r, c, None, fmt.of("plain", sev))
        return
    if isinstance(v, bool):
        ws.write_boolean(r, c, v, fmt.of("plain", sev))
    elif isinstance(v, int | float):
        if v != v:  # NaN
            ws.write_blank(r, c, None, fmt.of("plain", sev))
        else:
            ws.write_number(r, c, v, fmt.of("plain", sev))
    elif isinstance(v, dt.datetime):
        kind = "date" if v.time() == dt.time(0, 0) else "time"
        ws.write_datetime(r, c, v, fmt.of(kind, sev))
    elif isinstance(v, dt.date):
        ws.write_datetime(
            r, c, dt.datetime(v.year, v.month, v.day), fmt.of("date", sev)
        )
    elif isinstance(v, dt.time):
        ws.write_datetime(r, c, v, fmt.of("time", sev))
    elif isinstance(v, dt.timedelta):
        minutes = int(v.total_seconds() // 60)
        ws.write_string(
            r, c, f"{minutes // 60:02d}:{minutes % 60:02d}", fmt.of("text", sev)
        )
    else:
        # text stays text: an ID number must not become a rounded number
        ws.write_string(r, c, str(v), fmt.of("text", sev))


def _write_sheet(
    ws: Any,
    sheet: _Sheet,
    marks: dict[tuple[int, int], MarkedCell],
    fmt: _Formats,
    author: str,
    lang: Lang,
) -> None:
    inside: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for (r0, c0), (r1, c1) in sheet.merged:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                inside[(r, c)] = (r0, c0, r1, c1)
    width = max((len(row) for row in sheet.grid), default=0)
    for c in range(width):
        ws.set_column(c, c, 14)
    for r, row in enumerate(sheet.grid):
        for c, v in enumerate(row):
            box = inside.get((r, c))
            if box is not None and (r, c) != box[:2]:
                continue  # written with the range's first cell
            mark = marks.get((r, c))
            sev = _worst(mark) if mark is not None else None
            if box is not None:
                covered = [
                    marks[(rr, cc)]
                    for rr in range(box[0], box[2] + 1)
                    for cc in range(box[1], box[3] + 1)
                    if (rr, cc) in marks
                ]
                sev = min((_worst(m) for m in covered), default=None, key=_rank)
                f = fmt.of("text" if isinstance(v, str) else "plain", sev)
                if box[0] == box[2] and box[1] == box[3]:
                    _write_value(ws, r, c, v, fmt, sev)
                else:
                    ws.merge_range(*box, v if v is not None else "", f)
            else:
                _write_value(ws, r, c, v, fmt, sev)
    for (r, c), mark in marks.items():
        text = "\n".join(issue_message(i, lang=lang) for i in mark.issues)
        ws.write_comment(r, c, text, {"author": author, "x_scale": 2, "y_scale": 1.5})
        if r >= len(sheet.grid) or c >= len(sheet.grid[r]):
            ws.write_blank(r, c, None, fmt.of("plain", _worst(mark)))


def _rank(severity: str) -> int:
    return SEVERITY_ORDER[severity]


def _worst(mark: MarkedCell) -> str:
    return min((i.severity for i in mark.issues), key=_rank)


def _write_problems(
    wb: Any, inspection: Inspection, names: dict[str, str], lang: Lang
) -> None:
    ws = wb.add_worksheet(tr("problems_sheet", lang))
    bold = wb.add_format({"bold": True, "font_size": 12})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fills = {s: wb.add_format({"bg_color": c}) for s, c in FILL.items()}
    issues = sorted(inspection.every_issue, key=lambda i: SEVERITY_ORDER[i.severity])
    n_err = sum(1 for i in issues if i.severity == "error")
    n_warn = sum(1 for i in issues if i.severity == "warning")
    if issues:
        title = tr("problems_title", lang, errors=n_err, warnings=n_warn)
    else:
        title = tr("problems_none", lang)
    ws.write(0, 0, title, bold)
    keys = (
        "col_no",
        "col_severity",
        "col_sheet",
        "col_row",
        "col_column",
        "col_cell",
        "col_message",
        "col_line",
    )
    ws.write_row(2, 0, [tr(k, lang) for k in keys], head)
    for c, width in enumerate((6, 8, 22, 6, 14, 8, 50, 70)):
        ws.set_column(c, c, width)
    layouts = {t.label: t.layout for t in inspection.raw.tables.values()}
    for n, issue in enumerate(issues, start=1):
        r = n + 2
        ws.write_number(r, 0, n)
        ws.write_string(
            r,
            1,
            tr(f"severity_{issue.severity}", lang),
            fills.get(issue.severity),
        )
        ws.write_string(r, 2, issue.file)
        if issue.row is not None:
            ws.write_number(r, 3, issue.row)
        ws.write_string(r, 4, issue.column)
        layout = layouts.get(issue.file)
        if (
            layout is not None
            and issue.row is not None
            and issue.column in layout.columns
            and issue.file in names
        ):
            ref = cell_ref(issue.row - 1, layout.columns[issue.column])
            ws.write_url(r, 5, f"internal:'{names[issue.file]}'!{ref}", string=ref)
        ws.write_string(r, 6, issue_message(issue, lang=lang), wrap)
        ws.write_string(r, 7, render_issue(issue, lang=lang))
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(2, len(issues) + 2), len(keys) - 1)
