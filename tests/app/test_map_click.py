"""Choosing a site on the map in a real browser: a click on its marker, or the box.

Headless Chromium (system package, WebGL on SwiftShader) on the tiny street: the
plan is made, the 地图 page opened, and a click on site S2's circle must choose S2
(the select box and the slot table follow) and zoom the map to it; the select box,
the fallback for a browser where clicks on the map do not arrive, then chooses S1.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from test_e2e import (
    CHROMIUM_FLAGS,
    TINY,
    _chromium,
    _load_and_solve_tiny,
    _site_pixel,
    laptop_app,
)

TIMEOUT_MS = 120_000
"""A step on two shared cores: generous."""


@pytest.fixture(scope="module")
def map_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with laptop_app(tmp_path_factory, "map_click_streamlit.log") as url:
        yield url


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64)


def test_a_click_on_a_site_chooses_it_and_the_box_does_too(
    map_app: str, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(_chromium()), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(map_app)
            page.get_by_role("link", name="数据", exact=True).click()
            _load_and_solve_tiny(page)
            page.get_by_role("link", name="地图", exact=True).click()
            chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
            chart.locator("canvas").first.wait_for()
            page.wait_for_timeout(2500)  # let WebGL draw
            before = _pixels(chart.screenshot())  # (this scrolls the map into view)
            box = chart.bounding_box()  # where it is now, after the scroll
            assert box is not None
            assert box["width"] > 900  # the map takes the page's width
            chosen = page.get_by_test_id("stSelectbox").first

            x, y = _site_pixel(TINY, "S2", box["width"], box["height"])
            heading = page.get_by_role("heading", name=re.compile(r"^S2 .*的时段安排"))
            # deck.gl picks once its picking buffer is drawn, which on a busy machine
            # can be after the first click: try a few times
            for attempt in range(4):
                page.mouse.click(box["x"] + x, box["y"] + y)
                try:
                    heading.wait_for(timeout=15_000)
                    break
                except sync_api.TimeoutError:
                    if attempt == 3:
                        raise
            shown = chosen.text_content() or ""
            field = chosen.locator("input")
            if field.count():
                shown += field.first.input_value()
            assert "S2 " in shown, shown  # the select box follows the click
            # the map is now centred on S2: its circle is under the chart's middle,
            # and hovering there shows its name (it was elsewhere before the click)
            page.wait_for_timeout(2500)
            box = chart.bounding_box()
            assert box is not None
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            assert abs(box["x"] + x - cx) + abs(box["y"] + y - cy) > 50
            tip = page.locator(".deck-tooltip")
            for _attempt in range(4):
                page.mouse.move(cx + 1, cy + 1)
                page.mouse.move(cx, cy)
                page.wait_for_timeout(1500)
                if tip.count() and "（S2）" in (tip.first.text_content() or ""):
                    break
            assert "（S2）" in (tip.first.text_content() or "")
            after = _pixels(chart.screenshot())
            assert before.shape == after.shape and not np.array_equal(before, after)

            # the fallback: the select box chooses S1
            chosen.click()
            page.get_by_role("option", name=re.compile(r"^S1 ")).click()
            page.get_by_role("heading", name=re.compile(r"^S1 .*的时段安排")).wait_for()
        finally:
            browser.close()
