"""The office steers the demo plan in a real browser (issue 31), one session.

Closes a site on the Map page, sends a building to another site, adopts the trade-off
row for 30 sites and sets the date and start on the Plan page. After each step the
plan honours every edit so far (the page says so, and names no edit it breaks), the
change summary names what moved, and undo restores the plan before it (then the step
is done again, for the next one to build on).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_e2e import CHROMIUM_FLAGS, _chromium, laptop_app

pytestmark = pytest.mark.slow

SOLVE_MS = 300_000
"""A solve of the demo on a loaded machine, milliseconds."""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with laptop_app(tmp_path_factory, "edits_streamlit.log") as url:
        yield url


def _honours(page: object, n: int) -> None:
    """The page says the plan honours all `n` edits and shows no broken one."""
    page.get_by_text(re.compile(rf"方案遵守全部 {n} 项调整")).wait_for(  # type: ignore[attr-defined]
        timeout=SOLVE_MS
    )
    assert page.get_by_text("领导小组决定").count() == 0  # type: ignore[attr-defined]
    assert page.get_by_text("领导小组定").count() == 0  # type: ignore[attr-defined]


def _undo_and_redo(page: object, before: str, button: str) -> None:
    """Undo: the version before comes back (`before` shows); then do the step again."""
    page.get_by_role("button", name="撤销上一次调整").click()  # type: ignore[attr-defined]
    page.get_by_text(re.compile(before)).first.wait_for(timeout=SOLVE_MS)  # type: ignore[attr-defined]
    page.get_by_role("button", name=button, exact=True).click()  # type: ignore[attr-defined]


def _choose(page: object, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label` (typing filters the list)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first  # type: ignore[attr-defined]
    box.click()
    page.keyboard.type(option)  # type: ignore[attr-defined]
    page.get_by_role("option", name=re.compile(f"^{option}")).first.click()  # type: ignore[attr-defined]


def test_steer_the_demo_plan_in_chromium(app_url: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(_chromium()), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(app_url)
            page.get_by_text("全员核酸检测：四步完成").wait_for()  # the start page
            page.get_by_role("link", name="数据", exact=True).click()
            page.get_by_text("数据：选择街道情景").wait_for()
            page.get_by_text("示例街道（约 6 万人）").click()
            page.get_by_role("button", name="加载并校验", exact=True).click()
            page.get_by_text("校验通过").wait_for()
            page.get_by_role("link", name="方案", exact=True).click()
            # certification off: each edit then re-solves in seconds
            page.get_by_text("演练认证（规划后模拟当天", exact=False).first.click()
            page.get_by_role("button", name="生成方案", exact=True).click()
            page.get_by_text("方案已生成").wait_for(timeout=SOLVE_MS)

            # 1. Map: close S001 (the first site, chosen by default)
            page.get_by_role("link", name="地图", exact=True).click()
            page.get_by_role("button", name="关闭该点", exact=True).click()
            page.get_by_text(re.compile("关闭 1 个采样点：S001")).wait_for(
                timeout=SOLVE_MS
            )
            page.get_by_text(re.compile(r"栋楼改到其他采样点.*B00001 S001→")).wait_for()
            _honours(page, 1)
            page.get_by_text(re.compile("当前：未开放")).wait_for()
            _undo_and_redo(page, "当前：开放", "关闭该点")
            page.get_by_text(re.compile("关闭 1 个采样点：S001")).wait_for(
                timeout=SOLVE_MS
            )
            _honours(page, 1)

            # 2. Map: send building B00001 (the first building) to S008
            _choose(page, "调整的采样点", "S008")
            page.get_by_text(re.compile("当前：开放")).wait_for()
            page.get_by_role("button", name="改到该点采样", exact=True).click()
            page.get_by_text(re.compile(r"B00001 S\d+→S008")).wait_for(timeout=SOLVE_MS)
            _honours(page, 2)
            _undo_and_redo(page, "方案遵守全部 1 项调整", "改到该点采样")
            page.get_by_text(re.compile(r"B00001 S\d+→S008")).wait_for(timeout=SOLVE_MS)
            _honours(page, 2)

            # 3. Trade-off: the curve for 30..31 sites, adopt the row for 30
            page.get_by_role("link", name="点数权衡", exact=True).click()
            thumbs = page.get_by_role("slider")
            thumbs.first.wait_for()
            # the page's default range for the demo's 58 candidate sites: 29..44
            n_sites = 58
            low, high = n_sites // 2, n_sites - n_sites // 4
            thumbs.nth(0).focus()
            for _ in range(30 - low):
                page.keyboard.press("ArrowRight")
            thumbs.nth(1).focus()
            for _ in range(high - 31):
                page.keyboard.press("ArrowLeft")
            page.wait_for_timeout(1500)
            page.get_by_role("button", name="计算权衡曲线", exact=True).click()
            adopt = page.get_by_role("button", name="采用此行（恰好 N 个采样点）")
            adopt.wait_for(timeout=SOLVE_MS)
            adopt.click()
            page.get_by_text(re.compile(r"关闭 \d+ 个采样点")).first.wait_for(
                timeout=SOLVE_MS
            )
            _honours(page, 3)
            _undo_and_redo(page, "方案遵守全部 2 项调整", "采用此行（恰好 N 个采样点）")
            page.get_by_text(re.compile(r"关闭 \d+ 个采样点")).first.wait_for(
                timeout=SOLVE_MS
            )
            _honours(page, 3)
            page.get_by_role("link", name="方案", exact=True).click()
            page.get_by_text("设 30 个采样点").wait_for()
            kpi = page.locator('[data-testid="stMetric"]').filter(has_text="开放采样点")
            assert kpi.first.inner_text().split()[-1] == "30"

            # 4. Plan: the date and the start
            page.get_by_label("采样日期（YYYY-MM-DD）").fill("2026-12-12")
            start = page.get_by_label("开始时间（HH:MM）")
            start.fill("07:00")
            start.press("Enter")
            page.wait_for_timeout(500)
            page.get_by_role("button", name="设定日期和开始时间", exact=True).click()
            page.get_by_text("采样日期 2026-12-12").wait_for(timeout=SOLVE_MS)
            page.get_by_text("采样开始 07:00").wait_for()
            _honours(page, 5)
            page.get_by_text(re.compile("平均步行")).first.wait_for()
            _undo_and_redo(page, "方案遵守全部 3 项调整", "设定日期和开始时间")
            page.get_by_text("采样日期 2026-12-12").wait_for(timeout=SOLVE_MS)
            _honours(page, 5)
        finally:
            page.screenshot(path=str(tmp_path / "edits_last.png"), full_page=True)
            browser.close()
