"""Building notices people can act on: the day, units split by floors or rooms, the
community's hotline, and WeChat texts with the same facts as the printed notices."""

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from planner.export import ExportReport
from planner.export._common import ExportData
from planner.export.notices import notice_pages, wechat_text
from planner.model.scenario import Scenario

POPPLER = shutil.which("pdftotext") is not None


def test_every_notice_has_the_day_and_its_weekday(dated_data: ExportData) -> None:
    pages = notice_pages(dated_data)
    assert pages
    for page in pages:
        lines = [line for _, body in page.sections for line in body]
        assert "采样日期：2026年12月9日（星期三）" in lines, page.building_id


def test_without_a_day_the_notice_leaves_a_blank_to_fill_in(
    dated_data: ExportData,
) -> None:
    undated = dated_data.policy.with_values(**{"round.screening_date": ""})
    pages = notice_pages(dataclasses.replace(dated_data, policy=undated))
    for page in pages:
        lines = [line for _, body in page.sections for line in body]
        assert any(line.startswith("采样日期：____") for line in lines)


def test_a_unit_in_two_slots_is_named_by_floors_not_twice_whole(
    dated_data: ExportData,
) -> None:
    hh = dated_data.households
    walk = hh[hh["mode"] == "walk_up"]
    # a unit with households on more than one floor, all in one slot today
    by_unit = walk.groupby(["b", "unit"])["floor"].nunique()
    b, unit = by_unit[by_unit > 1].index[0]
    mine = walk[(walk["b"] == b) & (walk["unit"] == unit)]
    top = int(mine["floor"].max())
    moved = hh.copy()
    upstairs = (moved["b"] == b) & (moved["unit"] == unit) & (moved["floor"] == top)
    moved.loc[upstairs, ["slot_start", "slot"]] = ["23:00", "23:00–23:30"]
    split = dataclasses.replace(dated_data, households=moved)
    page = next(
        p
        for p in notice_pages(split)
        if p.building_id == str(dated_data.buildings.loc[b, "building_id"])
    )
    late = [line for line in page.times if line.startswith("23:00")]
    early = [line for line in page.times if not line.startswith("23:00")]
    assert late == [f"23:00–23:30  {unit}（{top}层）"]
    # below the top floor the unit is named with its floors, never bare
    assert any(f"{unit}（" in line for line in early), early
    assert not [line for line in early if re.search(f"{unit}(、|$)", line)]


def test_a_floor_split_between_slots_names_its_rooms(dated_data: ExportData) -> None:
    hh = dated_data.households
    walk = hh[hh["mode"] == "walk_up"]
    per_unit = walk.groupby(["b", "unit"]).size()
    b, unit = per_unit[per_unit > 1].index[0]
    first, second = walk[(walk["b"] == b) & (walk["unit"] == unit)].index[:2]
    moved = hh.copy()
    moved.loc[second, "floor"] = hh.loc[first, "floor"]  # two flats on one floor
    moved.loc[second, ["slot_start", "slot"]] = ["23:00", "23:00–23:30"]
    page = next(
        p
        for p in notice_pages(dataclasses.replace(dated_data, households=moved))
        if p.building_id == str(dated_data.buildings.loc[b, "building_id"])
    )
    floor, room = hh.loc[first, "floor"], hh.loc[second, "room"]
    late = next(line for line in page.times if line.startswith("23:00"))
    assert late == f"23:00–23:30  {unit}（{floor}层{room}室）"
    others = [line for line in page.times if line != late]
    assert any(f"{floor}层{hh.loc[first, 'room']}室" in line for line in others)


def test_notices_give_the_community_hotline_before_the_site_lead(
    dated_data: ExportData, dated_scenario: Scenario
) -> None:
    (community, phone), *_ = dated_scenario.hotlines
    for page in notice_pages(dated_data):
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
    dated_export: ExportReport, dated_data: ExportData
) -> None:
    if not POPPLER:
        pytest.skip("poppler-utils (pdftotext) not installed")
    pages = notice_pages(dated_data)
    book = openpyxl.load_workbook(dated_export.out / "notices" / "wechat.xlsx")
    grids_sheet, buildings_sheet = book["网格群"], book["楼栋群"]
    texts = {
        row[2]: row[3] for row in buildings_sheet.iter_rows(min_row=3, values_only=True)
    }
    assert len(texts) == len(pages)
    printed: dict[str, list[str]] = {}
    for pdf in (dated_export.out / "notices").glob("*.pdf"):
        group = [p for p in pages if p.group == pdf.stem]
        for page, text in zip(group, _pdf_pages(pdf), strict=True):
            printed[page.building] = [text]
    for page in pages:
        text = texts[page.building]
        assert text == wechat_text(page, dated_data.street)
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
        facts = page.times if page.home else (page.site, *page.times)
        for fact in facts:
            assert fact in text, (page.building, fact)
