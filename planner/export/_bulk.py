"""Long tables written straight into a sheet's XML, beside what XlsxWriter writes.

A site roster lists every resident of the site, tens of thousands of cells a sheet and
about 700,000 for the demo street; XlsxWriter keeps each cell as an object and then
writes it with several calls, about 7 µs a cell, most of the demo's export time.
:class:`Workbook` is XlsxWriter's workbook with one addition, :meth:`Workbook.write_table`:
the table's first row goes through XlsxWriter as usual (so its formats are registered
in the styles part), the rest is kept as plain values and, when the workbook closes,
written into the sheet's ``<sheetData>`` as ready XML, a string per row, about 1 µs a
cell. Text goes in as inline strings (``t="inlineStr"``), which Excel, WPS, LibreOffice
and openpyxl all read; numbers and blanks as XlsxWriter writes them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
"""What text needs before it goes into the XML (as XlsxWriter escapes it)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ESCAPED_LOOKALIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def _escape(text: str) -> str:
    """Return `text` as XML character data, control characters as ``_xHHHH_``."""
    if not _ESCAPE.search(text):
        return text
    text = _ESCAPED_LOOKALIKE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_number(value: Any) -> bool:
    """Whether a table cell is written as a number (ints and floats, not bools)."""
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


@dataclass(frozen=True)
class _Table:
    """Rows kept for one sheet: from `first_row` (0-based) on, columns side by side."""

    first_row: int
    columns: Sequence[Sequence[Any]]
    text: Format
    number: Format
    blank: Format | None

    @property
    def width(self) -> int:
        """Columns written, the tick column included."""
        return len(self.columns) + (self.blank is not None)

    @property
    def end_row(self) -> int:
        """The last row written, 1-based."""
        return self.first_row + len(self.columns[0])


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """XlsxWriter's workbook, written to `path` on :meth:`close`, with bulk tables.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    options
        XlsxWriter's workbook options.
    """

    def __init__(self, path: str, options: dict[str, Any]) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, options)
        self._path = Path(path)
        self._tables: list[tuple[Worksheet, _Table]] = []

    def write_table(
        self,
        ws: Worksheet,
        first_row: int,
        columns: Sequence[Sequence[Any]],
        text: Format,
        number: Format,
        blank: Format | None = None,
    ) -> int:
        """Write a table's rows from `first_row` (0-based) down; return its last row.

        Parameters
        ----------
        ws
            A sheet of this workbook with nothing written at or below `first_row`.
        columns
            The table's columns, all of one length: ints and floats become numbers in
            the `number` format, anything else text (``str(v)``, None as "") in the
            `text` format.
        text, number
            The formats of text and number cells.
        blank
            When given, one more column of blank cells in this format (a tick box).
        """
        n = len(columns[0]) if columns else 0
        if n == 0:
            return first_row - 1
        width = len(columns) + (blank is not None)
        for c, column in enumerate(columns):
            v = column[0]
            if is_number(v):
                ws.write_number(first_row, c, v, number)
            else:
                ws.write_string(first_row, c, "" if v is None else str(v), text)
        if blank is not None:
            ws.write_blank(first_row, width - 1, None, blank)
        if n > 1:
            rest = [column[1:] for column in columns]
            self._tables.append((ws, _Table(first_row + 1, rest, text, number, blank)))
        return first_row + n - 1

    def close(self) -> None:
        """Write the workbook, then the kept rows into their sheets, to the path."""
        super().close()
        parts: dict[str, list[str]] = {}
        last_cells: dict[str, tuple[int, int]] = {}
        for ws, table in self._tables:
            name = f"xl/worksheets/sheet{ws.index + 1}.xml"
            parts.setdefault(name, []).append(_rows_xml(table))
            row, col = last_cells.get(name, (0, 0))
            last_cells[name] = (max(row, table.end_row), max(col, table.width))
        self._buffer.seek(0)
        with (
            zipfile.ZipFile(self._buffer) as src,
            zipfile.ZipFile(self._path, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                data = src.read(info)
                if info.filename in parts:
                    data = _insert_rows(
                        data.decode("utf-8"),
                        parts[info.filename],
                        last_cells[info.filename],
                    ).encode("utf-8")
                # deflate's fastest level: a third of the time of the default on
                # these sheets, files about a sixth larger
                dst.writestr(info, data, compresslevel=1)


def _rows_xml(table: _Table) -> str:
    """Return the ``<row>`` elements of a kept table.

    Built a column at a time (a column of only text or only ints takes one list
    comprehension, checked for escapes at once), then joined row by row.
    """
    s_text, s_num = table.text.xf_index, table.number.xf_index
    rows = range(table.first_row + 1, table.end_row + 1)
    cells = [
        _column_xml(xl_col_to_name(c), rows, column, s_text, s_num)
        for c, column in enumerate(table.columns)
    ]
    if table.blank is not None:
        tick, s_tick = xl_col_to_name(len(table.columns)), table.blank.xf_index
        cells.append([f'<c r="{tick}{r}" s="{s_tick}"/>' for r in rows])
    opening = [f'<row r="{r}" spans="1:{table.width}">' for r in rows]
    closing = ["</row>"] * len(rows)
    return "".join(map("".join, zip(opening, *cells, closing, strict=True)))


def _column_xml(
    col: str, rows: range, values: Sequence[Any], s_text: int, s_num: int
) -> list[str]:
    """Return one column's ``<c>`` elements."""
    if all(type(v) is int for v in values):
        return [
            f'<c r="{col}{r}" s="{s_num}"><v>{v}</v></c>'
            for r, v in zip(rows, values, strict=True)
        ]
    if all(type(v) is str for v in values):
        texts: Sequence[str] = values
        joined = "\n".join(texts)
        plain = not _ESCAPE.search(joined) and not _EDGE_SPACE.search(joined)
        if plain:
            return [
                f'<c r="{col}{r}" s="{s_text}" t="inlineStr"><is><t>{t}</t></is></c>'
                for r, t in zip(rows, texts, strict=True)
            ]
    return [
        _cell_xml(f"{col}{r}", v, s_text, s_num)
        for r, v in zip(rows, values, strict=True)
    ]


_EDGE_SPACE = re.compile(r"^\s|\s$", re.MULTILINE)
"""Whitespace at either end of a text (or beside a line break: then checked per cell)."""


def _cell_xml(ref: str, v: Any, s_text: int, s_num: int) -> str:
    """Return one ``<c>`` element: a number, or text (None as "")."""
    if is_number(v):
        num = int(v) if isinstance(v, int | np.integer) else f"{float(v):.16G}"
        return f'<c r="{ref}" s="{s_num}"><v>{num}</v></c>'
    t = "" if v is None else str(v)
    # an empty text stays an (empty) text cell, as XlsxWriter writes it
    space = ' xml:space="preserve"' if t and (t[0].isspace() or t[-1].isspace()) else ""
    return f'<c r="{ref}" s="{s_text}" t="inlineStr"><is><t{space}>{_escape(t)}</t></is></c>'


_DIMENSION = re.compile(r'<dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"/>')


def _insert_rows(sheet: str, rows: list[str], last: tuple[int, int]) -> str:
    """Put `rows` at the end of the sheet's data; widen its dimension to `last`.

    `last` is the table's last (row, column), 1-based.
    """
    at = sheet.rindex("</sheetData>")
    sheet = sheet[:at] + "".join(rows) + sheet[at:]
    match = _DIMENSION.search(sheet)
    if match is None:
        return sheet
    first, end = match.group(1), match.group(2) or match.group(1)
    end_row, end_col = xl_cell_to_rowcol(end)  # 0-based
    row, col = max(end_row, last[0] - 1), max(end_col, last[1] - 1)
    ref = f"{first}:{xl_rowcol_to_cell(row, col)}"
    return sheet[: match.start()] + f'<dimension ref="{ref}"/>' + sheet[match.end() :]
