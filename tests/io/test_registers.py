"""Registers as street offices keep them: each quirk built from a slice of the demo.

Every quirk (title rows, merged cells, full-width digits and units, blank and total
rows, a real Excel 97 ``.xls``, residents missing) is shown accepted with the right
counts and a note, or refused with file, sheet, row and column. The ``.xls`` and the
"opens in LibreOffice" checks use LibreOffice itself (Debian's libreoffice-calc-nogui,
installed by ``make test``; this module installs it too when it is missing).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from planner.cli import main
from planner.errors import InputError, Issue
from planner.io.load import inspect_scenario, load_scenario
from planner.io.schema import TABLE_BY_NAME
from planner.text import render_issue, render_issues

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
NUMBER_TYPES = {"int", "float"}

Sheet = dict[str, list]  # {"rows": [[header...], [cells...], ...], "merges": ["B3:B7"]}


# --- building workbooks from the demo -----------------------------------------------


@pytest.fixture(scope="module")
def demo_slice() -> dict[str, pd.DataFrame]:
    """The demo's first 8 buildings with their households and residents, and the rest."""
    t = {
        name: pd.read_csv(DEMO / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in TABLE_BY_NAME
        if (DEMO / f"{name}.csv").exists()  # the optional labs table is not shipped
    }
    b = t["buildings"].iloc[:8]
    h = t["households"][t["households"]["building_id"].isin(b["building_id"])]
    r = t["residents"][t["residents"]["household_id"].isin(h["household_id"])]
    return {
        "buildings": b.reset_index(drop=True),
        "households": h.reset_index(drop=True),
        "residents": r.reset_index(drop=True),
        "sites": t["sites"].iloc[:6].reset_index(drop=True),
        "staff": t["staff"].iloc[:30].reset_index(drop=True),
        "inventory": t["inventory"],
    }


def _sheets(tables: dict[str, pd.DataFrame]) -> dict[str, Sheet]:
    """Sheets with Chinese headers; numeric columns as numbers, the rest as text."""
    out: dict[str, Sheet] = {}
    for name, frame in tables.items():
        table = TABLE_BY_NAME[name]
        cols = [table.column(c) for c in frame.columns]
        rows: list[list[object]] = [[c.label_zh for c in cols]]
        for rec in frame.itertuples(index=False):
            row: list[object] = []
            for col, v in zip(cols, rec, strict=True):
                if col.type in NUMBER_TYPES and v != "":
                    f = float(v)
                    row.append(int(f) if f.is_integer() else f)
                else:
                    row.append(v)
            rows.append(row)
        out[table.label_zh] = {"rows": rows, "merges": []}
    return out


def _write(sheets: dict[str, Sheet], path: Path) -> Path:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    meta = wb.create_sheet("情景")
    meta.append(["项目", "值"])
    meta.append(["名称", "青禾街道"])
    meta.append(["坐标系", "wgs84"])
    for title, sheet in sheets.items():
        ws = wb.create_sheet(title)
        for row in sheet["rows"]:
            ws.append([None if v == "" else v for v in row])
        for c in range(1, len(sheet["rows"][0]) + 1):
            for cell in ws[get_column_letter(c)]:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
        for ref in sheet["merges"]:
            ws.merge_cells(ref)
    wb.save(path)
    return path


def _col(sheet: Sheet, header: str) -> int:
    return sheet["rows"][0].index(header)


def _lines(issues: list[Issue], code: str) -> list[str]:
    return [render_issue(i) for i in issues if i.code == code]


def _load(path: Path) -> tuple[object, list[Issue]]:
    inspection = inspect_scenario(path)
    return inspection.loaded, inspection.issues


def _soffice() -> str:
    """Return LibreOffice's soffice, installing Debian's package once if root can."""
    found = shutil.which("soffice")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends"]
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            if subprocess.run(
                [*cmd, "libreoffice-calc-nogui"],
                env=env,
                capture_output=True,
                timeout=900,
            ).returncode:
                subprocess.run(["apt-get", "update", "-qq"], env=env, timeout=300)
                subprocess.run(
                    [*cmd, "libreoffice-calc-nogui"], env=env, timeout=900, check=False
                )
        found = shutil.which("soffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui"
        )
    return found


def _convert(files: list[Path], fmt: str, out: Path) -> list[Path]:
    """Convert `files` with headless LibreOffice; return the converted files."""
    profile = out / "lo-profile"
    done = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    made = [out / f"{f.stem}.{fmt}" for f in files]
    assert done.returncode == 0 and all(m.exists() for m in made), (
        done.stdout + done.stderr
    )
    return made


# --- the quirks -----------------------------------------------------------------------


def test_clean_slice_loads(demo_slice: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    loaded, issues = _load(_write(_sheets(demo_slice), tmp_path / "clean.xlsx"))
    assert loaded is not None, render_issues(issues)
    s = loaded.scenario.summary()  # type: ignore[attr-defined]
    assert s["buildings"] == 8
    assert s["households"] == len(demo_slice["households"])
    assert s["residents"] == len(demo_slice["residents"])
    assert loaded.notes == []  # type: ignore[attr-defined]


def test_title_rows_above_header(
    demo_slice: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    sheets = _sheets(demo_slice)
    res = sheets["居民"]
    width = len(res["rows"][0])
    phone = _col(res, "联系电话")
    res["rows"][:0] = [
        ["青禾街道居民登记表（2026年11月）"] + [""] * (width - 1),
        [""] * width,
    ]
    res["merges"].append(f"A1:{get_column_letter(width)}1")
    loaded, issues = _load(_write(sheets, tmp_path / "title.xlsx"))
    assert loaded is not None, render_issues(issues)
    n = len(demo_slice["residents"])
    assert loaded.scenario.summary()["residents_registered"] == n  # type: ignore[attr-defined]
    assert _lines(issues, "title_rows_skipped") == [
        "[已整理] title.xlsx#居民：表头在第 3 行；上方 1 行标题或说明"
        "（第 1 行，“青禾街道居民登记表（2026年11月）”）已跳过"
    ]

    # rows are still counted as Excel shows them: the first resident is on row 4
    res["rows"][3][phone] = "1380000"
    _, issues = _load(_write(sheets, tmp_path / "title_bad.xlsx"))
    assert (
        "[错误] title_bad.xlsx#居民，第 4 行，列“联系电话”："
        "联系电话格式不正确（应为11位手机号或带区号的座机）"
    ) in _lines(issues, "phone_invalid")


def test_merged_cells_fill_their_rows(
    demo_slice: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    sheets = _sheets(demo_slice)
    hh = sheets["住户"]
    c = _col(hh, "楼栋编号")
    # write each building id once over its block of households, as registers do
    blocks = 0
    start = 1
    rows = hh["rows"]
    for r in range(2, len(rows) + 1):
        if r == len(rows) or rows[r][c] != rows[start][c]:
            if r - start > 1:
                for k in range(start + 1, r):
                    rows[k][c] = ""
                letter = get_column_letter(c + 1)
                hh["merges"].append(f"{letter}{start + 1}:{letter}{r}")
                blocks += 1
            start = r
    assert blocks == 8
    loaded, issues = _load(_write(sheets, tmp_path / "merged.xlsx"))
    assert loaded is not None, render_issues(issues)
    scen = loaded.scenario  # type: ignore[attr-defined]
    got = scen.buildings.id[scen.households.building]
    assert list(got) == list(demo_slice["households"]["building_id"])
    (note,) = _lines(issues, "merged_filled")
    assert note.startswith(
        "[已整理] merged.xlsx#住户：8 处合并单元格的值已填入所合并的每一行（B2:B"
    )


def test_fullwidth_digits_and_units(
    demo_slice: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    sheets = _sheets(demo_slice)
    hh, res = sheets["住户"], sheets["居民"]
    size = _col(hh, "人数")
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    hh["rows"][1][size] = f"{hh['rows'][1][size]}人"
    hh["rows"][2][size] = f"{hh['rows'][2][size]} 人"
    hh["rows"][3][size] = str(hh["rows"][3][size]).translate(wide)
    phone = _col(res, "联系电话")
    res["rows"][1][phone] = "　" + str(res["rows"][1][phone]).translate(wide) + " "
    loaded, issues = _load(_write(sheets, tmp_path / "wide.xlsx"))
    assert loaded is not None, render_issues(issues)
    scen = loaded.scenario  # type: ignore[attr-defined]
    expect = demo_slice["households"]["size"].astype(int).to_numpy()
    assert (scen.households.size == expect).all()
    assert scen.residents.phone[0] == demo_slice["residents"]["phone"].iat[0]
    (units,) = _lines(issues, "units_removed")
    assert "：2 个数字后的单位" in units and "2/人数" in units
    notes = _lines(issues, "fullwidth_normalised")
    assert notes == [
        "[已整理] wide.xlsx#住户：1 个单元格的全角数字/字母/空格已转为半角"
        f"（如 4/人数“{hh['rows'][3][size]}”）",
        "[已整理] wide.xlsx#居民：1 个单元格的全角数字/字母/空格已转为半角"
        f"（如 2/联系电话“{res['rows'][1][phone].strip()}”）",
    ]

    # a number a person cannot read either is still refused, where it is
    hh["rows"][4][size] = "三口人"
    _, issues = _load(_write(sheets, tmp_path / "wide_bad.xlsx"))
    assert _lines(issues, "bad_int") == [
        "[错误] wide_bad.xlsx#住户，第 5 行，列“人数”：“三口人”不是整数"
    ]


def test_blank_and_total_rows(
    demo_slice: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    sheets = _sheets(demo_slice)
    hh = sheets["住户"]
    width = len(hh["rows"][0])
    n = len(hh["rows"]) - 1
    total = sum(int(r[_col(hh, "人数")]) for r in hh["rows"][1:])
    hh["rows"].insert(5, [""] * width)
    hh["rows"].insert(9, [""] * width)
    hh["rows"].append(["合 计", "", total] + [""] * (width - 3))
    res = sheets["居民"]
    res["rows"].append(["小计："] + [""] * (len(res["rows"][0]) - 1))
    loaded, issues = _load(_write(sheets, tmp_path / "totals.xlsx"))
    assert loaded is not None, render_issues(issues)
    s = loaded.scenario.summary()  # type: ignore[attr-defined]
    assert s["households"] == n
    assert s["residents"] == total
    assert _lines(issues, "blank_rows_skipped") == [
        "[已整理] totals.xlsx#住户：2 行空行已跳过（第 6, 10 行）"
    ]
    assert _lines(issues, "total_rows_skipped") == [
        f"[已整理] totals.xlsx#住户：1 行合计/小计行未作为数据读入（第 {n + 4} 行）",
        f"[已整理] totals.xlsx#居民：1 行合计/小计行未作为数据读入（第 {len(res['rows'])} 行）",
    ]


def test_real_xls_with_quirks_loads_like_the_xlsx(
    demo_slice: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """An Excel 97 workbook written by LibreOffice, with a title row and merged cells."""
    sheets = _sheets(demo_slice)
    b = sheets["楼栋"]
    width = len(b["rows"][0])
    c = _col(b, "社区")
    b["rows"].insert(0, ["楼栋登记表"] + [""] * (width - 1))
    letter = get_column_letter(c + 1)
    for r in range(3, len(b["rows"])):
        b["rows"][r][c] = ""
    b["merges"].append(f"{letter}3:{letter}{len(b['rows'])}")
    assert len(set(demo_slice["buildings"]["community"])) == 1
    book = _write(sheets, tmp_path / "register.xlsx")
    (xls,) = _convert([book], "xls", tmp_path / "xls")
    assert xls.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE2: Excel 97
    from_xlsx, _ = _load(book)
    from_xls, issues = _load(xls)
    assert from_xls is not None, render_issues(issues)
    assert from_xlsx is not None
    a, b_ = from_xlsx.scenario, from_xls.scenario  # type: ignore[attr-defined]
    assert a.summary() == b_.summary()
    assert list(b_.buildings.id) == list(demo_slice["buildings"]["building_id"])
    assert list(b_.residents.id_number) == list(a.residents.id_number)
    assert {i.code for i in issues if i.severity == "note"} == {
        "title_rows_skipped",
        "merged_filled",
    }


def test_missing_residents_and_size_mismatch_are_warnings(
    demo_slice: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    sheets = _sheets(demo_slice)
    hh, res = sheets["住户"], sheets["居民"]
    first_hh = hh["rows"][1][0]
    first_size = int(hh["rows"][1][_col(hh, "人数")])
    res["rows"] = [res["rows"][0]] + [r for r in res["rows"][1:] if r[1] != first_hh]
    second_hh = hh["rows"][2][0]
    listed = sum(1 for r in res["rows"][1:] if r[1] == second_hh)
    hh["rows"][2][_col(hh, "人数")] = listed + 2
    # the first household (after those two) with several residents says 1
    third = next(
        k
        for k in range(3, len(hh["rows"]))
        if sum(1 for r in res["rows"][1:] if r[1] == hh["rows"][k][0]) >= 2
    )
    listed3 = sum(1 for r in res["rows"][1:] if r[1] == hh["rows"][third][0])
    hh["rows"][third][_col(hh, "人数")] = 1
    loaded, issues = _load(_write(sheets, tmp_path / "sizes.xlsx"))
    assert loaded is not None, render_issues(issues)
    scen = loaded.scenario  # type: ignore[attr-defined]
    assert list(scen.households.size[[0, 1, third - 1]]) == [
        first_size,
        listed + 2,
        listed3,
    ]
    assert _lines(issues, "residents_missing") == [
        f"[警告] sizes.xlsx#住户，第 2 行，列“人数”：居民表中没有该户的人员；"
        f"按户人数 {first_size} 人安排，请网格员补录"
    ]
    assert _lines(issues, "size_mismatch") == [
        f"[警告] sizes.xlsx#住户，第 3 行，列“人数”：户人数为 {listed + 2}，但居民表中该户有 "
        f"{listed} 人；按 {listed + 2} 人安排，请网格员核对",
        f"[警告] sizes.xlsx#住户，第 {third + 1} 行，列“人数”：户人数为 1，但居民表中该户有 "
        f"{listed3} 人；按 {listed3} 人安排，请网格员核对",
    ]

    # a resident of a household that does not exist is still an error
    res["rows"][1][1] = "H999999"
    with pytest.raises(InputError) as exc:
        load_scenario(_write(sheets, tmp_path / "ghost.xlsx"))
    assert (
        "[错误] ghost.xlsx#居民，第 2 行，列“户号”：引用了不存在的户/household“H999999”"
        in [render_issue(i) for i in exc.value.issues]
    )


def test_messages_fully_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "register.docx"
    odd.write_bytes(b"not a table")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is no workbook")
    assert main(["validate", str(odd)]) == 2
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err
    assert (
        "register.docx：无法读取文件：应为一个情景文件夹，或一个 .xlsx / .xls / .ods 工作簿"
        in err
    )
    assert "broken.xlsx：无法读取文件：内容不是所声称的格式，或文件已损坏" in err
    assert not any(w in err for w in ("expected", "Traceback", "zip", "Zip"))
    assert main(["--lang", "en", "validate", str(odd)]) == 2
    assert "expected a scenario folder or an .xlsx, .xls or .ods workbook" in (
        capsys.readouterr().err
    )


# --- the template ---------------------------------------------------------------------


def _fill_template(template: Path, tables: dict[str, pd.DataFrame], out: Path) -> Path:
    """Type the slice into the template below its example rows, as a community would."""
    wb = openpyxl.load_workbook(template)
    wb["情景"]["B2"] = "青禾街道"
    for title, sheet in _sheets(tables).items():
        ws = wb[title]
        header = [c.value for c in ws[1]]
        for row in sheet["rows"][1:]:
            values = dict(zip(sheet["rows"][0], row, strict=True))
            ws.append(
                [None if values.get(h, "") == "" else values.get(h) for h in header]
            )
    wb.save(out)
    return out


def test_template_has_dropdowns_text_formats_and_loads_back(
    demo_slice: dict[str, pd.DataFrame],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book = tmp_path / "登记模板.xlsx"
    assert main(["template", "--out", str(book)]) == 0
    assert "已写出登记模板" in capsys.readouterr().out
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "填表说明",
        "情景",
        "楼栋",
        "住户",
        "居民",
        "采样点",
        "工作人员",
        "物资库存",
        "检测机构",
    ]
    res = wb["居民"]
    header = [c.value for c in res[1]]
    assert header[:6] == ["居民编号", "户号", "姓名", "身份证号", "联系电话", "年龄"]

    def column_format(ws: openpyxl.worksheet.worksheet.Worksheet, name: str) -> str:
        idx = [c.value for c in ws[1]].index(name) + 1
        dims = ws.column_dimensions.values()
        return next(d.number_format for d in dims if d.min <= idx <= d.max)

    assert column_format(res, "身份证号") == "@"
    assert column_format(res, "联系电话") == "@"
    assert column_format(res, "居民编号") == "@"
    assert column_format(res, "年龄") == "General"
    assert res["A2"].value.startswith("【示例】")

    def lists(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
        out = {}
        for dv in ws.data_validations.dataValidation:
            col = str(dv.sqref).split(":")[0].rstrip("0123456789")
            out[ws.cell(1, openpyxl.utils.column_index_from_string(col)).value] = (
                dv.formula1
            )
        return out

    assert lists(wb["住户"]) == {"封控": '"是,否"', "混管阳性待复核": '"是,否"'}
    assert lists(wb["工作人员"]) == {"岗位": '"采样,保障"'}
    assert lists(wb["物资库存"]) == {"储备单位": '"街道,卫生服务中心,医院"'}
    assert lists(res)["重点人群"] == '"是,否"'

    # untouched: a clear "no data yet", not six "empty table" errors
    assert main(["validate", str(book)]) == 2
    err = capsys.readouterr().err
    assert "[错误] 登记模板.xlsx：工作簿中还没有数据（只有表头和 6 行示例）" in err
    assert "表中没有数据行" not in err

    # filled in below the examples: loads, the examples are skipped with a note
    filled = _fill_template(book, demo_slice, tmp_path / "filled.xlsx")
    loaded, issues = _load(filled)
    assert loaded is not None, render_issues(issues)
    assert loaded.scenario.name == "青禾街道"  # type: ignore[attr-defined]
    assert loaded.scenario.summary()["households"] == len(demo_slice["households"])  # type: ignore[attr-defined]
    assert len(_lines(issues, "example_rows_skipped")) == 6

    # LibreOffice opens it, keeps the sheets and headers, and the drop-downs
    (ods,) = _convert([book], "ods", tmp_path / "lo")
    (back,) = _convert([ods], "xlsx", tmp_path / "lo" / "back")
    wb2 = openpyxl.load_workbook(back)
    assert wb2.sheetnames == wb.sheetnames
    assert [c.value for c in wb2["居民"][1]][:6] == header[:6]
    assert lists(wb2["工作人员"])["岗位"] == '"采样,保障"'


# --- the marked workbook --------------------------------------------------------------


def test_marked_workbook_highlights_cells_and_lists_what_validate_prints(
    demo_slice: dict[str, pd.DataFrame],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheets = _sheets(demo_slice)
    hh, res = sheets["住户"], sheets["居民"]
    hh["rows"][3][_col(hh, "人数")] = "三"  # row 4
    hh["rows"][5][_col(hh, "楼栋编号")] = "B99999"  # row 6
    res["rows"][2][_col(res, "联系电话")] = "12345"  # row 3
    res["rows"][0].append("备注")  # an unknown header: a warning
    for row in res["rows"][1:]:
        row.append("")
    book = _write(sheets, tmp_path / "社区上报.xlsx")
    marked = tmp_path / "marked.xlsx"
    assert main(["validate", str(book), "--marked", str(marked)]) == 2
    out = capsys.readouterr()
    assert "已写出标注问题的工作簿" in out.out
    printed = [line for line in out.err.splitlines() if line.startswith("[")]

    wb = openpyxl.load_workbook(marked)
    assert wb.sheetnames[0] == "问题清单"
    assert wb.sheetnames[1:] == [
        "情景",
        "楼栋",
        "住户",
        "居民",
        "采样点",
        "工作人员",
        "物资库存",
    ]
    listed = [row[7] for row in wb["问题清单"].iter_rows(min_row=4, values_only=True)]
    assert listed == printed
    assert len(listed) == 4

    def marked_cell(sheet: str, ref: str) -> tuple[str, str]:
        cell = wb[sheet][ref]
        assert cell.comment is not None, f"{sheet}!{ref} has no comment"
        return cell.fill.fgColor.rgb[-6:], cell.comment.text

    assert marked_cell("住户", "C4") == ("FFC7CE", "“三”不是整数")
    assert marked_cell("住户", "B6") == (
        "FFC7CE",
        "引用了不存在的楼栋/building“B99999”",
    )
    assert (
        marked_cell("居民", "E3")[1]
        == "联系电话格式不正确（应为11位手机号或带区号的座机）"
    )
    assert marked_cell("居民", "J1")[0] == "FFEB9C"  # the unknown header: a warning
    assert wb["住户"]["C5"].comment is None
    # the user's values come back intact, ID numbers as text
    assert wb["居民"]["D2"].value == demo_slice["residents"]["id_number"].iat[0]
    assert wb["住户"]["A2"].value == demo_slice["households"]["household_id"].iat[0]
    link = wb["问题清单"]["F4"]
    assert link.hyperlink is not None and link.value in {"C4", "B6", "E3", "J1"}

    # it opens in LibreOffice, and once fixed it loads
    (ods,) = _convert([marked], "ods", tmp_path / "lo")
    assert ods.stat().st_size > 0
    ws = wb["住户"]
    ws["C4"] = int(demo_slice["households"]["size"].iat[2])
    ws["B6"] = demo_slice["households"]["building_id"].iat[4]
    wb["居民"]["E3"] = demo_slice["residents"]["phone"].iat[1]
    wb.save(tmp_path / "fixed.xlsx")
    loaded, issues = _load(tmp_path / "fixed.xlsx")
    assert loaded is not None, render_issues(issues)
    assert [i.code for i in issues] == ["column_unknown"]


def test_marked_lists_every_cell_past_the_cap(
    demo_slice: dict[str, pd.DataFrame],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheets = _sheets(demo_slice)
    res = sheets["居民"]
    phone = _col(res, "联系电话")
    for row in res["rows"][1:31]:
        row[phone] = "123"
    book = _write(sheets, tmp_path / "many.xlsx")
    marked = tmp_path / "many_marked.xlsx"
    assert main(["validate", str(book), "--marked", str(marked)]) == 2
    err = capsys.readouterr().err
    assert "同类问题（phone_invalid）还有 10 处未逐条列出" in err
    wb = openpyxl.load_workbook(marked)
    codes = [r[6] for r in wb["问题清单"].iter_rows(min_row=4, values_only=True)]
    assert len(codes) == 30
    comments = [
        c
        for row in wb["居民"].iter_rows(min_row=2, max_row=31)
        for c in row
        if c.comment
    ]
    assert len(comments) == 30
    assert np.all([c.column == phone + 1 for c in comments])


def test_marked_from_a_csv_folder(
    tiny_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tiny_copy / "households.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "size"] = "-2"
    frame.to_csv(path, index=False)
    marked = tmp_path / "tiny_marked.xlsx"
    assert main(["validate", str(tiny_copy), "--marked", str(marked)]) == 2
    capsys.readouterr()
    wb = openpyxl.load_workbook(marked)
    assert "households" in wb.sheetnames
    assert wb["households"]["C3"].comment.text == "数值必须大于 0（现为 -2）"
