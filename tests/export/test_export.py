"""Print-ready exports of the tiny street's plan: rosters, notices, door-to-door sheets,
plan document and GIS layers."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.errors import InputError
from planner.export import ExportReport, FontMissingError, export_command
from planner.io.load import load_scenario
from planner.io.plan_folder import write_plan_folder
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.run import RoundResult, round_tables, run_round

MASKED_ID = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
MASKED_PHONE = re.compile(r"^\d{3}\*{4}\d{4}$")
POPPLER = shutil.which("pdftoppm") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def planned(
    tmp_path_factory: pytest.TempPathFactory,
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
) -> Path:
    """The tiny street's shared round (with staff and supplies) in a plan folder."""
    out = tmp_path_factory.mktemp("plan")
    write_plan_folder(tiny_round[2], out)
    return out


@pytest.fixture(scope="module")
def exported(planned: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    out = tmp_path_factory.mktemp("export")
    return export_command(
        load_scenario(tiny).scenario, planned, out, lang="zh", unmasked=False
    )


@pytest.fixture(scope="module")
def residents(planned: Path) -> pd.DataFrame:
    """Residents with their household's mode and site in the plan."""
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    people = pd.read_csv(tiny / "residents.csv", dtype=str)
    plan = pd.read_csv(planned / "assignments.csv", dtype=str, keep_default_na=False)
    return people.merge(plan[["household_id", "mode", "site_id"]], on="household_id")


def _rows(path: Path, sheet: str, header_row: int = 3) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(min_row=header_row + 1, values_only=True))
    book.close()
    return rows


def _all_cells(folder: Path) -> list[str]:
    cells = []
    for path in folder.rglob("*.xlsx"):
        book = openpyxl.load_workbook(path, read_only=True)
        for ws in book.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells.extend(str(v) for v in row if v is not None)
        book.close()
    return cells


def test_site_rosters_have_the_sheets_print_setup_and_calling_order(
    exported: ExportReport, planned: Path
) -> None:
    sites = pd.read_csv(planned / "sites.csv", dtype=str)
    open_ids = sorted(sites.loc[sites["open"] == "True", "site_id"])
    rosters = sorted(p.stem for p in (exported.out / "rosters").glob("*.xlsx"))
    assert rosters == open_ids
    assert exported.sites == len(open_ids)
    book = openpyxl.load_workbook(exported.out / "rosters" / "S1.xlsx")
    assert book.sheetnames == ["封面", "时段安排", "居民名单", "人员排班", "物资领取"]
    ws = book["居民名单"]
    heads = [c.value for c in ws[3]]
    assert heads == [
        "序号",
        "时段",
        "网格",
        "楼栋",
        "单元",
        "房号",
        "姓名",
        "身份证号",
        "联系电话",
        "采样方式",
        "已采样",
    ]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed, one wide
    assert "$A$1:$K$" in str(ws.print_area)
    assert ws.column_dimensions["H"].width > 18  # ID numbers fit
    slots = [r[1] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert slots == sorted(slots)
    cover = {r[0]: r[1] for r in book["封面"].iter_rows(values_only=True) if r[0]}
    assert cover["采样点名称"] == "锦绣花园广场"
    assert cover["采样台（张）"] >= 1
    assert "标本转运时间（间隔不超过2小时）" in cover
    pick = _rows(exported.out / "rosters" / "S1.xlsx", "物资领取")
    assert any(r[0] == "采样拭子" and r[3] > 0 for r in pick)


def test_roster_rows_are_everyone_sent_to_sites_masked(
    exported: ExportReport, residents: pd.DataFrame
) -> None:
    walk = residents[residents["mode"] == "walk_up"]
    total = 0
    for site_id, group in walk.groupby("site_id"):
        rows = _rows(exported.out / "rosters" / f"{site_id}.xlsx", "居民名单")
        assert sorted(r[6] for r in rows) == sorted(group["name"])
        assert all(MASKED_ID.match(str(r[7])) for r in rows)
        assert all(MASKED_PHONE.match(str(r[8])) for r in rows)
        total += len(rows)
    assert total == len(walk) == exported.roster_rows
    # the key-group resident is single-tubed, everyone else pooled
    key = set(residents.loc[residents["key_group"] == "true", "name"])
    rows = _rows(exported.out / "rosters" / "S1.xlsx", "居民名单")
    assert {r[6] for r in rows if r[9] == "单采"} == key & {r[6] for r in rows}


def test_door_to_door_sheets_hold_the_rest_of_the_residents(
    exported: ExportReport, residents: pd.DataFrame, planned: Path
) -> None:
    home = residents[residents["mode"] == "home_visit"]
    visits = pd.read_csv(planned / "home_visits.csv", dtype=str)
    files = sorted((exported.out / "door_to_door").glob("*.xlsx"))
    assert [p.stem for p in files] == sorted(visits["team_id"].unique())
    names = []
    for path in files:
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.sheetnames == ["说明", "路线"]
        book.close()
        rows = _rows(path, "路线")
        assert rows[0][0] == 1 and re.match(r"\d\d:\d\d", str(rows[0][1]))
        assert "单元" in str(rows[0][2])  # building address + unit/room
        names += [r[5] for r in rows]
        assert all(MASKED_ID.match(str(r[6])) for r in rows)
    assert sorted(names) == sorted(home["name"])
    assert exported.door_to_door_rows == len(home)
    assert exported.roster_rows + exported.door_to_door_rows == len(residents)


def test_no_full_id_number_or_phone_in_any_default_export(
    exported: ExportReport, residents: pd.DataFrame
) -> None:
    cells = "\n".join(_all_cells(exported.out))
    for value in [*residents["id_number"], *residents["phone"]]:
        assert value not in cells
    assert "注意保密" not in cells


def test_unmasked_export_says_so_on_every_sheet(
    planned: Path, residents: pd.DataFrame, tmp_path: Path
) -> None:
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    report = export_command(
        load_scenario(tiny).scenario, planned, tmp_path, lang="zh", unmasked=True
    )
    assert not report.masked
    for path in [*tmp_path.rglob("rosters/*.xlsx"), *tmp_path.rglob("door_to_door/*")]:
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            assert ws["A2"].value == "含完整身份信息，注意保密", (path.name, ws.title)
            assert "含完整身份信息" in ws.oddHeader.center.text
    rows = _rows(tmp_path / "rosters" / "S1.xlsx", "居民名单")
    ids = set(residents["id_number"])
    assert all(r[7] in ids for r in rows)


def test_building_notices_render_chinese_text(
    exported: ExportReport, planned: Path, tmp_path: Path
) -> None:
    if not POPPLER:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")
    # one file per community: the pages of the buildings of the community S1 serves
    scenario = load_scenario(
        Path(__file__).resolve().parents[1] / "data" / "tiny"
    ).scenario
    plan = pd.read_csv(planned / "assignments.csv", dtype=str, keep_default_na=False)
    served = set(plan.loc[plan["site_id"] == "S1", "building_id"])
    b = scenario.buildings
    of = dict(zip(b.id.tolist(), b.community.tolist(), strict=True))
    community = scenario.communities[of[sorted(served)[0]]]
    pdf = exported.out / "notices" / f"{community}.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = text.split("\f")
    mine = {i for i, c in of.items() if scenario.communities[c] == community}
    buildings = plan.loc[
        plan["building_id"].isin(mine) & (plan["mode"] != "unassigned"), "building_id"
    ].nunique()
    assert len([p for p in pages if p.strip()]) == buildings
    pages = [p for p in pages if "锦绣花园广场" in p]  # a page of a building S1 serves
    first = pages[0]
    for needle in (
        "核酸检测采样通知",
        "锦绣花园广场",
        "1米",
        "身份证",
        "健康码",
        "口罩",
    ):
        assert needle in first, needle
    assert re.search(r"\d\d:\d\d–\d\d:\d\d", first)
    assert "米" in first and "分钟" in first  # walking distance and time
    info = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert "yes yes yes" in info  # embedded, subset, with a Unicode map
    png = tmp_path / "notice"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(png)],
        check=True,
    )
    from PIL import Image

    with Image.open(png.with_suffix(".png")) as img:
        grey = img.convert("L")
        assert grey.size[1] > grey.size[0]  # A4 portrait
        dark = sum(grey.histogram()[:128])
        assert dark > 500  # glyphs were drawn, not empty boxes or a blank page


def test_plan_document_has_the_sections_and_the_plans_figures(
    exported: ExportReport, planned: Path
) -> None:
    from docx import Document

    doc = Document(str(exported.out / "plan_document.docx"))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    expected = [
        "工作依据",
        "检测范围和时间",
        "组织领导和职责分工",
        "采样点设置",
        "人员配置",
        "人员缺口及支援申请",
        "物资保障",
        "时间安排",
        "上门采样",
        "演练认证与规范对照",
        "检测机构与送检",
        "应急处置",
        "督导检查",
        "工作要求",
    ]
    numbered = [h.split("、", 1)[1] for h in heads if "、" in h[:4]]
    assert [h for h in numbered if h in expected] == expected  # in this order
    assert heads[heads.index("一、工作依据")] and "十四、工作要求" in heads
    assert any(h.startswith("附件") for h in heads)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "由规划工具生成" not in text  # nothing to delete before it is issued
    assert "签发：" in text and "印发日期：" in text
    assert "采样日期：" in text
    for case in ("采样点因故关闭", "采样人员缺岗", "降雨", "人员涌入", "楼栋临时封控"):
        assert case in text
    leads = pd.read_csv(planned / "staff.csv", dtype=str)
    leads = leads[leads["role"] == "site_lead"]
    cells_all = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert set(leads["name"]) <= cells_all  # the annex lists every site lead
    assert set(leads["phone"]) <= cells_all
    # the certification and the norms are in the document, with their figures
    assert "次演练模拟" in text and "上门组全部按时完成的概率" in text
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "600–800" in cells and any("每个采样台" in c for c in cells)
    sites = pd.read_csv(planned / "sites.csv", dtype=str)
    n_open = int((sites["open"] == "True").sum())
    desks = int(pd.to_numeric(sites["desks"]).sum())
    assert f"开放采样点 {n_open} 个，设采样台 {desks} 张" in text
    assert "共 24 人" in text
    for group in (
        "综合协调组",
        "医疗",
        "后勤保障",
        "交通管控",
        "治安",
        "环境",
        "宣传组",
    ):
        assert group in text
    site_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "采样点编号")
    assert len(site_table.rows) == 1 + n_open + 1  # heads, sites, total
    assert any(r.cells[0].text == "采样拭子" for t in doc.tables for r in t.rows)
    assert len(doc.inline_shapes) == 2  # the plan map and the walking-time map
    assert (exported.out / "plan_map.png").stat().st_size > 10_000
    assert (exported.out / "plan_access_map.png").stat().st_size > 10_000
    # who walks how far: the groups' table with the EDE and its aversion parameter
    access = next(t for t in doc.tables if t.rows[0].cells[0].text == "人群")
    assert [r.cells[0].text for r in access.rows][1:4] == [
        "全体（步行）",
        "60岁及以上",
        "75岁及以上",
    ]
    assert "厌恶参数 ε=-1" in text
    if POPPLER:
        pdf_text = subprocess.run(
            ["pdftotext", str(exported.out / "plan_document.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "小测街道全员核酸检测工作方案" in pdf_text
        assert "十四、工作要求" in pdf_text
        # no time or number is broken across two lines
        for line in pdf_text.splitlines():
            assert not re.search(r"(\d\d:\d?|\d\d:\d\d[–-]\d{0,2}:?\d?)$", line), line


def _first_sheet(path: Path) -> dict[str, str]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = {
        str(r[0]): str(r[1])
        for r in book.worksheets[0].iter_rows(values_only=True)
        if r and r[0] is not None and len(r) > 1
    }
    book.close()
    return rows


def test_rosters_team_sheets_and_document_print_the_vans_timetable(
    exported: ExportReport, planned: Path
) -> None:
    """One pick-up timetable everywhere: the calls and hand-overs of plan.json."""
    from docx import Document

    summary = json.loads((planned / "plan.json").read_text(encoding="utf-8"))
    calls: dict[str, list[str]] = {}
    handovers: dict[str, list[str]] = {}
    departs = set()
    for van in summary["transport"]:
        for rnd in van["rounds"]:
            if van["sites"]:
                departs.add(rnd["depart"])
            for stop in rnd["stops"]:
                if "site_id" in stop:
                    calls.setdefault(stop["site_id"], []).append(stop["at"])
                    for h in stop["teams"]:
                        handovers.setdefault(h["team_id"], []).append(stop["at"])
                else:
                    handovers.setdefault(stop["team_id"], []).append(stop["at"])
    assert calls and handovers
    for sid, times in calls.items():
        cover = _first_sheet(exported.out / "rosters" / f"{sid}.xlsx")
        printed = next(v for k, v in cover.items() if k.startswith("标本转运时间"))
        assert printed == "、".join(sorted(times))
    for team, times in handovers.items():
        sheet = _first_sheet(exported.out / "door_to_door" / f"{team}.xlsx")
        lines = sheet["样本交接（转运）"].split("\n")
        assert [line.split(" ")[0] for line in lines] == sorted(times)
    doc = Document(str(exported.out / "plan_document.docx"))
    timeline = next(t for t in doc.tables if t.rows[0].cells[1].text == "工作内容")
    rows = [(r.cells[0].text, r.cells[1].text) for r in timeline.rows]
    assert {w for w, what in rows if what.startswith("标本转运")} == departs
    # the 24 h of the 3rd edition run from the START of sampling
    start = summary["policy"]["round"]["window_start"]
    assert any(w == f"{start} 起 24 小时内（次日 {start} 前）" for w, _ in rows)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "上门采样最长" in text and f"即 次日 {start} 前反馈" in text


def test_geojson_is_wgs84_rfc7946_with_every_site_and_building(
    exported: ExportReport, planned: Path
) -> None:
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    for name, source in (("sites", "sites.csv"), ("buildings", "buildings.csv")):
        data = json.loads((exported.out / "gis" / f"{name}.geojson").read_text("utf-8"))
        assert data["type"] == "FeatureCollection" and "crs" not in data
        expected = pd.read_csv(tiny / source)
        assert len(data["features"]) == len(expected)
        for f in data["features"]:
            lon, lat = f["geometry"]["coordinates"]
            assert f["geometry"]["type"] == "Point"
            assert 73 < lon < 136 and 3 < lat < 54
    sites = json.loads((exported.out / "gis" / "sites.geojson").read_text("utf-8"))
    s1 = next(f for f in sites["features"] if f["properties"]["site_id"] == "S1")
    plan = pd.read_csv(planned / "sites.csv", dtype=str).set_index("site_id")
    assert s1["properties"]["desks"] == int(plan.loc["S1", "desks"])
    assert s1["properties"]["people"] == int(plan.loc["S1", "people"])
    assert s1["properties"]["open"] is True
    buildings = json.loads((exported.out / "gis" / "buildings.geojson").read_text())
    b1 = next(
        f for f in buildings["features"] if f["properties"]["building_id"] == "B1"
    )
    assert b1["properties"]["site_id"] == "S1"
    assert re.match(r"\d\d:\d\d–\d\d:\d\d", b1["properties"]["slots"])
    routes = json.loads((exported.out / "gis" / "routes.geojson").read_text())
    assert routes["features"][0]["geometry"]["type"] == "LineString"
    csv = pd.read_csv(exported.out / "gis" / "buildings.csv", encoding="utf-8-sig")
    assert {"lon", "lat", "site_id", "slots"} <= set(csv.columns)


def test_english_export(planned: Path, tmp_path: Path) -> None:
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    report = export_command(
        load_scenario(tiny).scenario, planned, tmp_path, lang="en", unmasked=False
    )
    book = openpyxl.load_workbook(tmp_path / "rosters" / "S1.xlsx", read_only=True)
    assert book.sheetnames == ["Cover", "Timetable", "Residents", "Staff", "Supplies"]
    book.close()
    assert "site rosters: 2" in report.summary("en")[0]
    if POPPLER:
        text = "".join(
            subprocess.run(
                ["pdftotext", str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for pdf in sorted((tmp_path / "notices").glob("*.pdf"))
        )
        assert "1 m apart" in text and "锦绣花园广场" in text


def test_a_plan_of_another_street_is_bad_input(planned: Path, tmp_path: Path) -> None:
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    other = tmp_path / "plan"
    shutil.copytree(planned, other)
    plan = pd.read_csv(other / "assignments.csv", dtype=str, keep_default_na=False)
    plan.iloc[:-1].to_csv(other / "assignments.csv", index=False)
    with pytest.raises(InputError) as err:
        export_command(
            load_scenario(tiny).scenario,
            other,
            tmp_path / "out",
            lang="zh",
            unmasked=False,
        )
    assert err.value.issues[0].code == "plan_other_scenario"
    assert "李小1" not in str(err.value.issues)  # nothing personal in the message
    assert not list(tmp_path.rglob("*.xlsx"))


def test_without_a_residents_register_lists_households(
    tiny_copy: Path, tmp_path: Path, fast_params: SolveParams
) -> None:
    (tiny_copy / "residents.csv").unlink()
    loaded = load_scenario(tiny_copy)
    plan_dir = tmp_path / "plan"
    result = run_round(loaded.scenario, loaded.policy, fast_params)
    write_plan_folder(round_tables(result, loaded.scenario), plan_dir)
    report = export_command(
        load_scenario(tiny_copy).scenario, plan_dir, tmp_path / "out", lang="zh"
    )
    plan = pd.read_csv(plan_dir / "assignments.csv", dtype=str, keep_default_na=False)
    walk = plan[plan["mode"] == "walk_up"]
    assert report.roster_rows == len(walk)
    rows = _rows(tmp_path / "out" / "rosters" / "S1.xlsx", "居民名单")
    s1 = walk[walk["site_id"] == "S1"]
    assert sum(r[7] for r in rows) == pd.to_numeric(s1["people"]).sum()


def test_without_a_cjk_font_nothing_is_written(
    planned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The font is cut in the PDF process, after the workbooks; its absence must still
    stop the export before the first file (the CLI then says how to install one)."""
    import planner.export

    def no_font() -> Path:
        raise FontMissingError("no CJK font found")

    monkeypatch.setattr(planner.export, "cjk_font_path", no_font)
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    with pytest.raises(FontMissingError):
        export_command(load_scenario(tiny).scenario, planned, tmp_path / "x")
    assert not list((tmp_path / "x").rglob("*.*"))
