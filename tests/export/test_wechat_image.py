"""WeChat long images: one phone-width PNG per grid, a section per building, with the
facts of the buildings' notices, filed under the community in the office's download."""

from pathlib import Path

import numpy as np
from PIL import Image

from planner.export import ExportReport
from planner.export._common import ExportData
from planner.export._fonts import subset_font
from planner.export.notices import notice_pages
from planner.export.office import office_layout
from planner.export.wechat_image import (
    WIDTH,
    Line,
    LongImage,
    _Face,
    _wrap,
    long_images,
    write_long_images,
)
from planner.io.plan_folder import read_plan_folder
from planner.model.scenario import Scenario


def test_every_grid_has_a_long_image_and_every_building_a_section(
    dated_data: ExportData,
) -> None:
    pages = notice_pages(dated_data)
    images = long_images(pages, dated_data)
    assert {(i.community, i.grid_id) for i in images} == {
        (p.community, p.grid_id) for p in pages
    }
    sections = [b for image in images for b in image.buildings]
    assert sorted(sections) == sorted(p.building_id for p in pages)  # each once


def test_the_long_image_carries_every_line_of_its_buildings_notices(
    dated_data: ExportData,
) -> None:
    pages = notice_pages(dated_data)
    images = {(i.community, i.grid_id): i for i in long_images(pages, dated_data)}
    for page in pages:
        image = images[(page.community, page.grid_id)]
        texts = image.texts()
        # the day with its weekday, what to bring, how to queue, whom to call
        assert "采样日期：2026年12月9日（星期三）" in texts
        for _, body in page.sections:
            for line in body:
                assert line in texts, (page.building, line)
        # the building's own facts (site, address, slot by unit or floor) are in
        # its own section: after its heading, before the next building's
        heads = [i for i, line in enumerate(image.lines) if line.style == "head"]
        start = texts.index(page.building)
        assert start in heads
        end = next((h for h in heads if h > start), len(texts))
        own = texts[start:end]
        for fact in (page.site, *page.times) if page.site else page.times:
            assert fact in own, (page.building, fact)


def test_the_images_are_phone_wide_pngs_with_text_on_them(
    dated_export: ExportReport, dated_data: ExportData
) -> None:
    images = long_images(notice_pages(dated_data), dated_data)
    assert images
    assert dated_export.wechat_images == len(images)
    assert f"微信长图 {len(images)} 张（每个网格一张）" in dated_export.summary("zh")
    for image in images:
        path = dated_export.out / image.relpath()
        assert path in dated_export.files
        with Image.open(path) as png:
            png.load()
            assert png.format == "PNG"
            assert png.width == WIDTH and png.height > png.width
            pixels = np.asarray(png.convert("L"))
        # not blank: the blue band at the top, dark text on white below it
        below = pixels[pixels.shape[0] // 3 :]
        assert (pixels[:40] < 100).mean() > 0.9
        assert 0.01 < (below < 128).mean() < 0.5
        assert (below > 250).mean() > 0.5


def test_a_longer_image_for_more_lines(dated_data: ExportData, tmp_path: Path) -> None:
    """The drawing follows the text: a building more makes the image taller."""
    image = long_images(notice_pages(dated_data), dated_data)[0]
    font = subset_font(image.texts(), tmp_path / "font.ttf")
    extra = LongImage(
        image.community,
        image.grid_id + "x",
        (*image.lines, Line("2栋", "head"), Line("08:00–08:30 全楼", "strong")),
        image.buildings,
    )
    a, b = write_long_images([image, extra], font, tmp_path)
    with Image.open(a) as one, Image.open(b) as two:
        assert two.height > one.height
        assert one.width == two.width == WIDTH


def test_rows_never_break_inside_a_time_or_before_closing_punctuation(
    dated_data: ExportData, tmp_path: Path
) -> None:
    text = "08:00–08:30  1单元（1–3层）、2单元（4层401–403室）、3单元（全部）"
    font = subset_font([text], tmp_path / "font.ttf")
    face = _Face(font, 29)
    for width in range(200, 700, 37):
        rows = _wrap(text, face, width)
        assert "".join(rows).replace(" ", "") == text.replace(" ", "")
        assert any("08:00–08:30" in row for row in rows)
        assert not any(row[0] in "）、，。" for row in rows[1:]), rows


def test_the_download_files_the_images_under_their_community(
    dated_export: ExportReport,
    dated_scenario: Scenario,
    dated_plan: Path,
    dated_data: ExportData,
) -> None:
    layout = office_layout(
        dated_export.out, dated_scenario, read_plan_folder(dated_plan)
    )
    named = {path: name for name, path in layout}
    images = long_images(notice_pages(dated_data), dated_data)
    for image in images:
        name = named[dated_export.out / image.relpath()]
        folder, community, file = name.split("/")
        assert (folder, community) == ("楼栋通知", image.community)
        assert file == (
            f"{dated_scenario.name}_{image.grid_id}网格_2026-12-09_微信长图.png"
        )
