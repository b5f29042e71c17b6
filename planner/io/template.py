"""Write the register template a street office sends to its communities.

One sheet per table with the Chinese headers (required ones dark), a 填表说明 sheet,
drop-downs for yes/no, role and holder columns, text format on every text column (so
Excel cannot round an 18-digit ID number or drop a phone's leading digits) and example
rows marked 【示例】, which the loader skips. An untouched template loads as "no data yet".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.io.schema import (
    COORDINATE_SYSTEMS,
    TABLES,
    Column,
    Table,
)
from planner.io.tables import EXAMPLE_MARK, HOTLINE_WORD
from planner.text import Lang, tr

TEMPLATE_ROWS = 1_048_576
"""Drop-downs and text formats cover the whole sheet (Excel's row limit)."""

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("staff", "role"): ("采样", "保障"),
    ("inventory", "holder"): ("街道", "卫生服务中心", "医院"),
    ("residents", "sex"): ("男", "女"),
}
"""Drop-down lists of the columns that take one of a few values (besides yes/no)."""

YES_NO = ("是", "否")

EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "buildings": [
        {
            "building_id": "B0001",
            "grid_id": "G01",
            "community": "桂园社区",
            "compound": "春河公寓",
            "lon": 114.301273,
            "lat": 30.581028,
            "address": "某某街道桂园社区春河公寓1栋",
            "building_type": "多层",
            "floors": 6,
            "units": 2,
        }
    ],
    "households": [
        {
            "household_id": "H000001",
            "building_id": "B0001",
            "size": 3,
            "unit": "1单元",
            "floor": 1,
            "room": "101",
            "sealed": "否",
            "pending_review": "否",
        }
    ],
    "residents": [
        {
            "resident_id": "R0000001",
            "household_id": "H000001",
            "name": "张三",
            "id_number": "110105194912310021",
            "phone": "13800000000",
            "age": 76,
            "sex": "女",
            "key_group": "否",
            "homebound": "是",
        }
    ],
    "sites": [
        {
            "site_id": "S001",
            "name": "春河公寓中心广场",
            "lon": 114.301702,
            "lat": 30.581225,
            "max_desks": 6,
            "kind": "小区广场",
            "address": "某某街道桂园社区春河公寓中心广场",
            "community": "桂园社区",
            "indoor": "否",
            "fixed": "否",
            "open_from": "07:00",
            "open_to": "20:00",
        }
    ],
    "staff": [
        {
            "staff_id": "P0001",
            "name": "李四",
            "role": "采样",
            "organisation": "某某社区卫生服务中心",
            "phone": "13900000000",
            "available_from": "07:00",
            "available_to": "20:00",
        }
    ],
    "inventory": [
        {
            "item": "采样拭子",
            "holder": "街道",
            "on_hand": 50000,
            "unit": "支",
            "date": "2026-11-20",
        }
    ],
}
"""One example row per table, consistent across sheets; written after the header."""


def _type_text(col: Column, table: Table, lang: Lang) -> str:
    choices = CHOICES.get((table.name, col.name))
    if choices is not None:
        return tr("type_choice", lang, choices="/".join(choices))
    if table.name == "buildings" and col.name in ("lon", "lat"):
        # may be left empty: the compound's or the grid's point stands in, flagged
        return tr(f"type_{col.type}", lang) + tr("notices_template_coords", lang)
    return tr(f"type_{col.type}", lang)


def _validation(col: Column, table: Table) -> tuple[str, ...] | None:
    if col.type == "bool":
        return YES_NO
    return CHOICES.get((table.name, col.name))


def write_template(path: Path, *, lang: Lang = "zh") -> Path:
    """Write the register template workbook to `path`.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (its folder is created).
    lang
        Language of the instructions; sheet names and headers are always the Chinese
        ones registers use. Default ``zh``.

    Returns
    -------
    pathlib.Path
        `path`.
    """
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    try:
        _write(wb, lang)
    finally:
        wb.close()
    return path


def _write(wb: Any, lang: Lang) -> None:
    text = wb.add_format({"num_format": "@"})
    required = wb.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "border": 1}
    )
    optional = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    example = wb.add_format({"italic": True, "font_color": "#808080"})
    example_text = wb.add_format(
        {"italic": True, "font_color": "#808080", "num_format": "@"}
    )
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    guide = wb.add_worksheet(tr("instructions_sheet", lang))
    guide.set_column(0, 0, 14)
    guide.set_column(1, 1, 18)
    guide.set_column(2, 2, 8)
    guide.set_column(3, 3, 34)
    guide.set_column(4, 4, 40)
    guide.write(0, 0, tr("instructions_sheet", lang), title)
    lines = tr("instructions", lang).split("\n")
    for i, line in enumerate(lines):
        guide.write(1 + i, 0, line)
    r = len(lines) + 2
    heads = ("instr_table", "instr_column", "instr_required", "instr_type")
    for c, key in enumerate((*heads, "instr_aliases")):
        guide.write(r, c, tr(key, lang), optional)
    for table in TABLES:
        for col in table.columns:
            r += 1
            guide.write(r, 0, table.label_zh)
            guide.write(r, 1, col.label_zh)
            mark = "required_mark" if col.required else "optional_mark"
            guide.write(r, 2, tr(mark, lang))
            guide.write(r, 3, _type_text(col, table, lang), wrap)
            guide.write(r, 4, "、".join(a for a in col.aliases if a != col.label_zh))

    meta = wb.add_worksheet("情景")
    meta.set_column(0, 0, 12)
    meta.set_column(1, 1, 24, text)
    meta.write_row(
        0,
        0,
        [tr("scenario_key", lang), tr("scenario_value", lang)],
        required,
    )
    meta.write(1, 0, tr("scenario_name", lang))
    meta.write(2, 0, tr("scenario_crs", lang))
    meta.write_string(2, 1, "wgs84", text)
    meta.write(3, 0, HOTLINE_WORD)  # read back as the street's hotline
    meta.write_comment(3, 0, tr("notices_template_hotline", lang))
    meta.data_validation(
        2,
        1,
        2,
        1,
        {
            "validate": "list",
            "source": list(COORDINATE_SYSTEMS),
            "error_type": "warning",
        },
    )

    for table in TABLES:
        ws = wb.add_worksheet(table.label_zh)
        ws.freeze_panes(1, 0)
        examples = EXAMPLES.get(table.name, [])
        for c, col in enumerate(table.columns):
            is_text = col.type == "str"
            width = max(10, 2 * len(col.label_zh) + 4)
            ws.set_column(c, c, width, text if is_text else None)
            ws.write_string(0, c, col.label_zh, required if col.required else optional)
            ws.write_comment(
                0,
                c,
                f"{tr('required_mark' if col.required else 'optional_mark', lang)}"
                f"：{_type_text(col, table, lang)}",
            )
            choices = _validation(col, table)
            if choices is not None:
                ws.data_validation(
                    1,
                    c,
                    TEMPLATE_ROWS - 1,
                    c,
                    {
                        "validate": "list",
                        "source": list(choices),
                        # other accepted spellings (1/0, sampler, ...) stay allowed
                        "error_type": "warning",
                    },
                )
            for r, row in enumerate(examples, start=1):
                value = row.get(col.name)
                if c == 0:
                    value = f"{EXAMPLE_MARK}{value}"
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value, example_text if is_text else example)
                else:
                    ws.write_number(r, c, value, example)
