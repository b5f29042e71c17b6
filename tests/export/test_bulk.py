"""Bulk tables: the same workbook as XlsxWriter writes cell by cell, read back."""

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xlsxwriter

from planner.export._bulk import Workbook

AWKWARD = [
    "东湖苑1栋",
    'A&B <co> "q"',
    " leading space",
    "trailing space ",
    "tab\there",
    "",
    "line\nbreak",
]

CONTROL = ["bell\x07 and nul\x00", "looks escaped _x0041_", "\ufffe"]
"""Text XML cannot hold as it is: Excel and WPS read these escapes back (openpyxl only
from shared strings, so the test reads the sheet's XML)."""


def _columns(n: int) -> list[list[Any]]:
    text = [AWKWARD[i % len(AWKWARD)] for i in range(n)]
    plain = [f"东湖苑{i}栋" for i in range(n)]  # needs no escape: the fast path
    ints = [int(v) for v in np.arange(n) * 7 - 3]
    floats = [0.1 * i for i in range(n)]
    mixed: list[Any] = [i if i % 2 else f"第{i}户" for i in range(n)]
    nones: list[Any] = [None if i % 3 == 0 else np.int64(i) for i in range(n)]
    return [text, plain, ints, floats, mixed, nones]


def _by_cells(path: Path, columns: list[list[Any]], blank: bool) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    text, number, tick = (wb.add_format({"border": b}) for b in (1, 2, 3))
    ws.write_string(0, 0, "head", text)
    for c, column in enumerate(columns):
        for i, v in enumerate(column):
            if isinstance(v, int | float | np.integer) and not isinstance(v, bool):
                ws.write_number(2 + i, c, v, number)
            else:
                ws.write_string(2 + i, c, "" if v is None else str(v), text)
    if blank:
        for i in range(len(columns[0])):
            ws.write_blank(2 + i, len(columns), None, tick)
    wb.close()


def _in_bulk(path: Path, columns: list[list[Any]], blank: bool) -> int:
    wb = Workbook(str(path), {})
    ws = wb.add_worksheet("名单")
    text, number, tick = (wb.add_format({"border": b}) for b in (1, 2, 3))
    ws.write_string(0, 0, "head", text)
    last = wb.write_table(ws, 2, columns, text, number, tick if blank else None)
    wb.close()
    return int(last)


def _cells(path: Path) -> list[list[tuple[Any, str, int]]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.dimensions == f"A1:{ws.cell(ws.max_row, ws.max_column).coordinate}"
    return [
        [(c.value, c.data_type, c.border.left.style) for c in r] for r in ws.iter_rows()
    ]


@pytest.mark.parametrize("n", [1, 2, 50])
@pytest.mark.parametrize("blank", [False, True])
def test_a_bulk_table_reads_back_as_cell_by_cell(
    tmp_path: Path, n: int, blank: bool
) -> None:
    columns = _columns(n)
    _by_cells(tmp_path / "cells.xlsx", columns, blank)
    last = _in_bulk(tmp_path / "bulk.xlsx", columns, blank)
    assert last == 2 + n - 1
    assert _cells(tmp_path / "bulk.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_text_xml_cannot_hold_is_escaped_as_excel_reads_it(tmp_path: Path) -> None:
    _in_bulk(tmp_path / "bulk.xlsx", [["first", *CONTROL]], False)
    with zipfile.ZipFile(tmp_path / "bulk.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<t>bell_x0007_ and nul_x0000_</t>" in sheet
    assert "<t>looks escaped _x005F_x0041_</t>" in sheet
    assert "<t>_xFFFE_</t>" in sheet


def test_an_empty_table_writes_nothing(tmp_path: Path) -> None:
    assert _in_bulk(tmp_path / "bulk.xlsx", [[], []], True) == 1
    ws = openpyxl.load_workbook(tmp_path / "bulk.xlsx").worksheets[0]
    assert ws.max_row == 1 and ws.cell(1, 1).value == "head"


def test_the_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    columns = _columns(30)
    _in_bulk(tmp_path / "a.xlsx", columns, True)
    _in_bulk(tmp_path / "b.xlsx", columns, True)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
