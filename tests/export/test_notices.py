"""Building notices people can act on: the day, units split by floors or rooms, the
community's hotline, and WeChat texts with the same facts as the printed notices."""

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from planner.export import ExportReport, export_command
from planner.export._common import ExportData, prepare
from planner.export.notices import HOME_FILE, notice_pages, wechat_text
from planner.io.load import load_scenario
from planner.io.plan_folder import read_plan_folder, write_plan_folder
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.planning.round import round_tables, run_round

FAST = SolveParams(time_limit_s=10.0, num_workers=1, route_time_limit_s=2.0)
POPPLER = shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny street with a screening day and one community's hotline."""
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    dst = tmp_path_factory.mktemp("street") / "tiny"
    shutil.copytree(tiny, dst)
    communities = sorted(set(load_scenario(tiny).scenario.communities))
    with (dst / "scenario.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[scenario.hotlines]\n"{communities[0]}" = "027-12345678"\n')
    (dst / "policy.toml").write_text(
        '[round]\nscreening_date = "2026-12-09"\n', encoding="utf-8"
    )
    return dst


@pytest.fixture(scope="module")
def planned(street: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    loaded = load_scenario(street)
    result = run_round(loaded.scenario, loaded.policy, FAST)
    out = tmp_path_factory.mktemp("plan")
    write_plan_folder(round_tables(result, loaded.scenario), out)
    return out


@pytest.fixture(scope="module")
def scenario(street: Path) -> Scenario:
    return load_scenario(street).scenario


@pytest.fixture(scope="module")
def data(scenario: Scenario, planned: Path) -> ExportData:
    return prepare(scenario, read_plan_folder(planned), lang="zh", unmasked=False)


@pytest.fixture(scope="module")
def exported(
    scenario: Scenario, planned: Path, tmp_path_factory: pytest.TempPathFactory
) -> ExportReport:
    out = tmp_path_factory.mktemp("export")
    return export_command(scenario, planned, out, lang="zh", unmasked=False)


def test_every_notice_has_the_day_and_its_weekday(data: ExportData) -> None:
    pages = notice_pages(data)
    assert pages
    for page in pages:
        lines = [line for _, body in page.sections for line in body]
        assert "采样日期：2026年12月9日（星期三）" in lines, page.building_id


def test_without_a_day_the_notice_leaves_a_blank_to_fill_in(data: ExportData) -> None:
    undated = data.policy.with_values(**{"round.screening_date": ""})
    pages = notice_pages(dataclasses.replace(data, policy=undated))
    for page in pages:
        lines = [line for _, body in page.sections for line in body]
        assert any(line.startswith("采样日期：____") for line in lines)


def test_a_unit_in_two_slots_is_named_by_floors_not_twice_whole(
    data: ExportData,
) -> None:
    hh = data.households
    walk = hh[hh["mode"] == "walk_up"]
    # a unit with households on more than one floor, all in one slot today
    by_unit = walk.groupby(["b", "unit"])["floor"].nunique()
    b, unit = by_unit[by_unit > 1].index[0]
    mine = walk[(walk["b"] == b) & (walk["unit"] == unit)]
    top = int(mine["floor"].max())
    moved = hh.copy()
    upstairs = (moved["b"] == b) & (moved["unit"] == unit) & (moved["floor"] == top)
    moved.loc[upstairs, ["slot_start", "slot"]] = ["23:00", "23:00–23:30"]
    split = dataclasses.replace(data, households=moved)
    page = next(
        p
        for p in notice_pages(split)
        if p.building_id == str(data.buildings.loc[b, "building_id"])
    )
    late = [line for line in page.times if line.startswith("23:00")]
    early = [line for line in page.times if not line.startswith("23:00")]
    assert late == [f"23:00–23:30  {unit}（{top}层）"]
    # below the top floor the unit is named with its floors, never bare
    assert any(f"{unit}（" in line for line in early), early
    assert not [line for line in early if re.search(f"{unit}(、|$)", line)]


def test_a_floor_split_between_slots_names_its_rooms(data: ExportData) -> None:
    hh = data.households
    walk = hh[hh["mode"] == "walk_up"]
    per_unit = walk.groupby(["b", "unit"]).size()
    b, unit = per_unit[per_unit > 1].index[0]
    first, second = walk[(walk["b"] == b) & (walk["unit"] == unit)].index[:2]
    moved = hh.copy()
    moved.loc[second, "floor"] = hh.loc[first, "floor"]  # two flats on one floor
    moved.loc[second, ["slot_start", "slot"]] = ["23:00", "23:00–23:30"]
    page = next(
        p
        for p in notice_pages(dataclasses.replace(data, households=moved))
        if p.building_id == str(data.buildings.loc[b, "building_id"])
    )
    floor, room = hh.loc[first, "floor"], hh.loc[second, "room"]
    late = next(line for line in page.times if line.startswith("23:00"))
    assert late == f"23:00–23:30  {unit}（{floor}层{room}室）"
    others = [line for line in page.times if line != late]
    assert any(f"{floor}层{hh.loc[first, 'room']}室" in line for line in others)


def test_notices_give_the_community_hotline_before_the_site_lead(
    data: ExportData, scenario: Scenario
) -> None:
    (community, phone), *_ = scenario.hotlines
    for page in notice_pages(data):
        if page.community == community:
            assert page.contact == f"{community}咨询电话 {phone}"
        else:
            assert "咨询电话" not in page.contact  # no hotline: the lead or committee


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]


def test_the_wechat_text_of_every_building_and_grid_matches_its_notice(
    exported: ExportReport, data: ExportData
) -> None:
    if not POPPLER:
        pytest.skip("poppler-utils (pdftotext) not installed")
    pages = notice_pages(data)
    book = openpyxl.load_workbook(exported.out / "notices" / "wechat.xlsx")
    grids_sheet, buildings_sheet = book["网格群"], book["楼栋群"]
    texts = {
        row[2]: row[3] for row in buildings_sheet.iter_rows(min_row=3, values_only=True)
    }
    assert len(texts) == len(pages)
    printed: dict[str, list[str]] = {}
    for pdf in (exported.out / "notices").glob("*.pdf"):
        group = [p for p in pages if p.group == pdf.stem]
        for page, text in zip(group, _pdf_pages(pdf), strict=True):
            printed[page.building] = [text]
    for page in pages:
        text = texts[page.building]
        assert text == wechat_text(page, data.street)
        assert page.date in text and page.contact in text
        body = printed[page.building][0]
        for line in text.splitlines()[1:]:  # the message's head is WeChat's own
            if not line.startswith("【"):
                assert re.sub(r"\s+", "", line) in body, (page.building, line)
    grids = {
        (row[0], row[1]): row[2]
        for row in grids_sheet.iter_rows(min_row=3, values_only=True)
    }
    assert set(grids) == {(p.community, p.grid_id) for p in pages}
    for page in pages:
        text = grids[(page.community, page.grid_id)]
        assert page.date in text and page.contact in text
        facts = page.times if page.group == HOME_FILE else (page.site, *page.times)
        for fact in facts:
            assert fact in text, (page.building, fact)
