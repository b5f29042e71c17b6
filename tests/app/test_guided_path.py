"""The guided path in a real browser, on the demo street, in one session.

From the start page a new user follows the steps: load the demo (Data), 下一步 to the
Plan page and make the plan, 下一步 to the drill, then to Export, make the print set
and find its downloads. On every page passed, the text a person reads (the page and
the sidebar) is scanned in Chinese mode for internal codes (as
``test_no_codes.py`` defines them), English words other than proper nouns and file
formats, and absolute server paths. The test prints what it scanned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_e2e import CHROMIUM_FLAGS, _chromium, laptop_app
from test_no_codes import SNAKE, WORD_CODES

ENGLISH = re.compile(r"\b[A-Za-z][A-Za-z]+\b")
"""A word in Latin letters."""

PROPER = {
    # the language switch names its languages; formats, standards, products
    "Language",
    "English",
    "CSV",
    "ZIP",
    "UTF",
    "BOM",
    "Excel",
    "WPS",
    "Word",
    "PDF",
    "GIS",
    "WGS",
    "GCJ",
    "BD",
    "MBTiles",
    "OpenStreetMap",
    "WeChat",
    "xlsx",
    "csv",
    "toml",
    "geojson",
    "N",
    "PCR",
    "ID",
    # the date and time inputs' format hints (YYYY/MM/DD, HH:MM), as Chinese
    # office software shows them too
    "YYYY",
    "MM",
    "DD",
    "HH",
}
"""Latin-letter words a Chinese page may show: proper nouns and file formats."""

PATH = re.compile(r"(?<![\w.])/(?:work|tmp|home|usr|root|var|opt|srv|mnt)/[^\s，。）]*")
"""An absolute server path."""

READABLE_TEXT = """() => {
    // icons are ligatures (their names are text) and the skip link is off-screen:
    // hide both while reading what a person sees
    const hidden = [...document.querySelectorAll(
        '[data-testid="stIconMaterial"], [data-testid="stSkipToContent"]'
    )];
    hidden.forEach(e => { e.dataset.display = e.style.display; e.style.display = 'none'; });
    const text = document.body.innerText;
    hidden.forEach(e => { e.style.display = e.dataset.display; });
    return text;
}"""
"""What a person reads on the page: the body's text without icon names."""

STEP_TIMEOUT_MS = 900_000
"""The demo is planned and exported on two shared cores: allow minutes."""


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with laptop_app(tmp_path_factory, "guided_streamlit.log") as url:
        yield url


def _idle(page: object) -> None:
    page.wait_for_timeout(700)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=STEP_TIMEOUT_MS,
    )
    page.wait_for_timeout(700)  # type: ignore[attr-defined]


def findings(text: str) -> list[str]:
    """Return the codes, English words and server paths in a page's text."""
    out = [f"code {m}" for m in SNAKE.findall(text)]
    words = set(ENGLISH.findall(PATH.sub(" ", text)))
    out += [f"code {w}" for w in sorted(words & WORD_CODES)]
    out += [f"English {w}" for w in sorted(words - WORD_CODES - PROPER)]
    out += [f"path {p}" for p in PATH.findall(text)]
    return out


def test_findings_catch_what_a_user_should_not_read() -> None:
    assert findings("岗位 home_registrar") == ["code home_registrar"]
    assert findings("状态 feasible") == ["code feasible"]
    assert findings("Upload 文件") == ["English Upload"]
    assert findings("从 /work/main/data/demo 加载") == ["path /work/main/data/demo"]
    assert findings("下载 CSV（UTF-8 带 BOM），语言 / Language") == []


def test_the_guided_path_from_start_to_downloads_in_chinese(
    demo_app: str, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    scanned: dict[str, list[str]] = {}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(_chromium()), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(STEP_TIMEOUT_MS)

            def scan(name: str) -> None:
                _idle(page)
                scanned[name] = findings(page.evaluate(READABLE_TEXT))

            page.goto(demo_app)
            page.get_by_text("全员核酸检测：四步完成").wait_for()
            scan("开始")
            page.get_by_role("link", name=re.compile("前往“数据”")).click()
            page.get_by_text("数据：选择街道情景").wait_for()
            page.get_by_role("button", name="加载并校验", exact=True).click()
            page.get_by_role("link", name=re.compile("下一步：生成方案")).wait_for()
            assert "尚未加载" not in page.inner_text("section[data-testid=stSidebar]")
            scan("数据")
            page.get_by_role("link", name=re.compile("下一步：生成方案")).click()
            page.get_by_role("button", name="生成方案", exact=True).click()
            page.get_by_text("方案已生成").wait_for()
            scan("方案")
            page.get_by_role("link", name=re.compile("下一步：演练检查")).click()
            page.get_by_role("button", name=re.compile("开始演练|运行演练")).wait_for()
            scan("演练")
            page.get_by_role("link", name=re.compile("下一步：打印材料")).click()
            page.get_by_role("button", name="生成打印材料", exact=True).click()
            page.get_by_role("button", name=re.compile("下载打印材料")).wait_for()
            scan("导出")
            page.get_by_role("link", name=re.compile("返回“开始”")).click()
            page.get_by_text("全员核酸检测：四步完成").wait_for()
            scan("开始（完成后）")
        finally:
            browser.close()
    print("scanned pages:", ", ".join(scanned))  # what the test looked at
    for name, found in scanned.items():
        print(name, found)
    assert list(scanned) == ["开始", "数据", "方案", "演练", "导出", "开始（完成后）"]
    assert {name: found for name, found in scanned.items() if found} == {}
