"""Shared XlsxWriter set-up: cell formats and A4 print settings for every sheet."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from planner.export._bulk import Workbook

SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
FILE_BAD = re.compile(r'[\\/:*?"<>|\s]+')


def safe_file_stem(text: str) -> str:
    """Return `text` usable as a file name on Windows and Unix."""
    return FILE_BAD.sub("_", text).strip("._") or "_"


def safe_sheet_name(text: str) -> str:
    """Return `text` usable as an Excel sheet name (≤ 31 characters)."""
    return SHEET_BAD.sub("_", text)[:31] or "_"


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


@dataclass(frozen=True)
class Formats:
    """The formats of one workbook."""

    title: Format
    banner: Format
    note: Format
    head: Format
    cell: Format
    num: Format
    tick: Format
    sub: Format
    sub_num: Format
    label: Format
    value: Format


def new_workbook(path: str) -> tuple[Workbook, Formats]:
    """Open a workbook (written to `path` on close), with the shared formats."""
    wb = Workbook(path, {"strings_to_numbers": False, "in_memory": True})
    base = {"font_size": 10, "valign": "vcenter"}
    border = {**base, "border": 1}
    fmts = Formats(
        title=wb.add_format({"bold": True, "font_size": 14, "valign": "vcenter"}),
        banner=wb.add_format({"bold": True, "font_color": "#C00000", "font_size": 11}),
        note=wb.add_format({"italic": True, "font_color": "#595959", "font_size": 9}),
        head=wb.add_format(
            {
                **border,
                "bold": True,
                "bg_color": "#D9E1F2",
                "align": "center",
                "text_wrap": True,
            }
        ),
        cell=wb.add_format(border),
        num=wb.add_format({**border, "align": "right"}),
        tick=wb.add_format({**border, "align": "center"}),
        sub=wb.add_format({**border, "bold": True, "bg_color": "#F2F2F2"}),
        sub_num=wb.add_format(
            {**border, "bold": True, "bg_color": "#F2F2F2", "align": "right"}
        ),
        label=wb.add_format({**border, "bold": True, "bg_color": "#F2F2F2"}),
        value=wb.add_format({**border, "text_wrap": True}),
    )
    return wb, fmts


def print_setup(
    ws: Worksheet,
    *,
    widths: Sequence[float],
    header_rows: int,
    last_row: int,
    title: str,
    banner: str | None,
    landscape: bool = False,
    freeze: bool = True,
) -> None:
    """Set A4, fit to width, repeat the header rows, print area and freeze panes.

    Parameters
    ----------
    ws
        The sheet.
    widths
        Column widths in characters (CJK characters count about two).
    header_rows
        Rows at the top (title, banner, column heads) repeated on every page.
    last_row
        Last row written (0-based).
    title
        Printed in the page footer with the page number.
    banner
        Printed in the page header when full personal data is shown.
    landscape, freeze
        Orientation; whether to freeze the header rows on screen.
    """
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.center_horizontally()
    if header_rows > 0:
        ws.repeat_rows(0, header_rows - 1)
        if freeze:
            ws.freeze_panes(header_rows, 0)
    ws.print_area(0, 0, max(last_row, header_rows - 1), len(widths) - 1)
    if banner:
        ws.set_header("&C&B&12" + _header_text(banner))
    ws.set_footer("&L" + _header_text(title) + "&R&P / &N")


def write_title(
    ws: Worksheet, fmts: Formats, title: str, banner: str | None, note: str
) -> None:
    """Write the title (row 0) and the banner or the masking note (row 1)."""
    ws.set_row(0, 22)
    ws.write_string(0, 0, title, fmts.title)
    if banner:
        ws.write_string(1, 0, banner, fmts.banner)
    else:
        ws.write_string(1, 0, note, fmts.note)


def write_head(ws: Worksheet, fmts: Formats, row: int, heads: list[str]) -> None:
    """Write a row of column heads."""
    ws.set_row(row, 20)
    for col, text in enumerate(heads):
        ws.write_string(row, col, text, fmts.head)


def write_label_rows(
    ws: Worksheet,
    fmts: Formats,
    row: int,
    rows: Sequence[tuple[str, Any]],
    *,
    wrap: int | None = None,
) -> int:
    """Write a cover sheet's label and value rows from `row`; return the row after.

    A value of several lines, or longer than `wrap` characters, gets a row 16 pt
    tall per line it takes; whole numbers are written as numbers.
    """
    for label, value in rows:
        text = str(value)
        lines = text.count("\n") + 1
        if wrap:
            lines = max(lines, math.ceil(len(text) / wrap))
        if lines > 1:
            ws.set_row(row, 16 * lines)
        ws.write_string(row, 0, label, fmts.label)
        if isinstance(value, int):
            ws.write_number(row, 1, value, fmts.value)
        else:
            ws.write_string(row, 1, value, fmts.value)
        row += 1
    return row


def write_cells(
    ws: Worksheet, row: int, values: list[Any], fmt: Format, num_fmt: Format
) -> None:
    """Write one row: numbers right-aligned, everything else as text."""
    for col, value in enumerate(values):
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, col, value, num_fmt)
        else:
            ws.write_string(row, col, "" if value is None else str(value), fmt)
