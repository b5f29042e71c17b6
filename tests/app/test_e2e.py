"""End to end in a real browser: `streamlit run app.py`, driven by headless Chromium.

AppTest cannot see the map, so this test proves it renders: it loads the tiny street,
solves, checks the map canvas is not blank, opens the schedule and downloads a CSV.

The browser is the system Chromium (``/usr/bin/chromium``, Debian package
``chromium``) driven by Playwright; Playwright's own browser downloads are never used.
The network is closed, so Chromium runs with every background service off.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
"""Flags for a closed network and no GPU (WebGL then runs on SwiftShader)."""

TIMEOUT_MS = 30_000

PAGE_SHOTS = (
    ("数据", "data"),
    ("方案", "plan"),
    ("地图", "map"),
    ("时段", "schedule"),
    ("人员与物资", "staff"),
    ("采样点卡片", "card"),
    ("演练", "drill"),
    ("导出", "export"),
)
"""Every page, by its Chinese menu name, and the screenshot's file name."""


def _whole_page(page: object, path: Path) -> None:
    """Screenshot a page whole: Streamlit scrolls its main area, not the window."""
    height = page.evaluate(  # type: ignore[attr-defined]
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return main ? main.scrollHeight : 1000;
        }"""
    )
    page.set_viewport_size({"width": 1400, "height": int(min(max(height, 1000), 6000))})  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1400, "height": 1000})  # type: ignore[attr-defined]


def _chromium() -> Path:
    """Return the system Chromium, installing Debian's package once if root can."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
                env=env,
                capture_output=True,
                timeout=300,
                check=False,
            )
    if not CHROMIUM.exists():
        pytest.skip(
            "no system Chromium at /usr/bin/chromium and `apt-get install chromium` "
            "did not provide one (Playwright's browser download is never used)"
        )
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_app(
    address: str, port: int, env: dict[str, str], log_name: str
) -> Iterator[str]:
    """Run `streamlit run app.py` on `address:port` until the block ends; yield its URL.

    The server's output goes to ``tests/artifacts/<log_name>``.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            address,
            "--server.port",
            str(port),
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{address}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see tests/artifacts/{log_name}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def laptop_app(
    tmp_path_factory: pytest.TempPathFactory, log_name: str
) -> Iterator[str]:
    """Serve the app on a free local port in laptop mode (no sign-in on loopback;
    the gate: test_office_e2e.py) with its own office folder; yield its URL."""
    office = tmp_path_factory.mktemp("office")
    env = {**os.environ, "PLANNER_SIGNIN": "off", "PLANNER_OFFICE": str(office)}
    with serve_app("127.0.0.1", _free_port(), env, log_name) as url:
        yield url


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a free local port in laptop mode; stop it afterwards."""
    with laptop_app(tmp_path_factory, "e2e_streamlit.log") as url:
        yield url


def _no_cjk_fontconfig(folder: Path) -> dict[str, str]:
    """Return an environment whose fontconfig offers Chromium no CJK font at all.

    Only DejaVu (Latin, Greek, Cyrillic) is listed, so any Chinese the browser draws
    must come from the font the app serves; without it every character is a box.
    """
    folder.mkdir(parents=True, exist_ok=True)
    dirs = "".join(
        f"<dir>{d}</dir>"
        for d in ("/usr/share/fonts/truetype/dejavu",)
        if Path(d).is_dir()
    )
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig>{dirs}<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _launch(pw: object, tmp: Path) -> object:
    return pw.chromium.launch(  # type: ignore[attr-defined]
        executable_path=str(_chromium()),
        headless=True,
        args=CHROMIUM_FLAGS,
        env=_no_cjk_fontconfig(tmp / "fontconfig"),
    )


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64)


def _glyphs(browser: object, app_url: str, family: str) -> list[np.ndarray]:
    """Draw 数 and 据 at 48 px in `family` on a blank page; return their pixels.

    The page declares the app's served font as ``Noto Sans SC``, as the app does.
    """
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{app_url}/_stcore/health")  # same origin as the font (fonts need it)
    font = "/planner/fonts/NotoSansSC-Regular.otf"
    page.set_content(
        "<style>@font-face{font-family:'Noto Sans SC';"
        f"src:url('{font}')}}"
        f"span{{font:48px {family};display:inline-block;padding:4px}}</style>"
        '<span id="a">数</span><span id="b">据</span>'
    )
    page.evaluate("document.fonts.load('48px \"Noto Sans SC\"', '数据')")
    page.wait_for_timeout(300)
    out = [_pixels(page.locator(f"#{k}").screenshot()) for k in ("a", "b")]
    page.close()
    return out


def _check_chinese_glyphs(
    browser: object, page: object, app_url: str, requests: list[str]
) -> None:
    """Chinese is drawn with real glyphs from the served font, not blank boxes."""
    # the browser has no CJK font of its own: two different characters in a family
    # without the served face are the same blank box
    box_a, box_b = _glyphs(browser, app_url, "sans-serif")
    assert box_a.shape == box_b.shape and np.abs(box_a - box_b).mean() < 1.0, (
        "this Chromium has a CJK font of its own; the test needs one without"
    )
    assert box_a.min() < 128, "the blank box was not drawn at all"
    # with the app's font they are two different glyphs
    glyph_a, glyph_b = _glyphs(browser, app_url, "'Noto Sans SC'")
    assert glyph_a.shape == glyph_b.shape
    assert np.abs(glyph_a - glyph_b).mean() > 5.0, "the served CJK font is not used"
    # and the app's heading is drawn with it: it differs from its blank-box rendering
    heading = page.locator("h1").first  # type: ignore[attr-defined]
    shown = _pixels(heading.screenshot(path=str(ARTIFACTS / "e2e_heading.png")))
    heading.evaluate("el => { el.style.fontFamily = 'sans-serif'; }")
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    boxes = _pixels(heading.screenshot(path=str(ARTIFACTS / "e2e_heading_boxes.png")))
    heading.evaluate("el => { el.style.fontFamily = ''; }")
    assert shown.shape == boxes.shape
    differs = float(np.abs(shown - boxes).mean())
    assert differs > 3.0, f"the heading looks like blank boxes ({differs:.2f})"
    assert any("/planner/fonts/NotoSansSC-Regular.otf" in u for u in requests)
    assert page.evaluate(  # type: ignore[attr-defined]
        """() => document.fonts.check('16px "Noto Sans SC"', '数据')"""
    )


def _write_mbtiles(path: Path, scenario_dir: Path, zoom: int) -> tuple[int, int, int]:
    """Write an MBTiles file of magenta tiles covering the street at one zoom level.

    Returns the tile's colour (tiles are solid, so they are easy to find on screen).
    """
    import sqlite3

    from PIL import Image

    from planner import load_scenario
    from planner.app.mapping import tiles_for_bounds

    colour = (255, 0, 255)
    s = load_scenario(scenario_dir).scenario
    lon = np.concatenate([s.buildings.lon, s.sites.lon])
    lat = np.concatenate([s.buildings.lat, s.sites.lat])
    _, tiles = tiles_for_bounds(
        float(lon.min()) - 0.01,
        float(lat.min()) - 0.01,
        float(lon.max()) + 0.01,
        float(lat.max()) + 0.01,
        max_tiles=10_000,
        min_zoom=zoom,
        max_zoom=zoom,
    )
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buf, format="PNG")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
        "tile_row INTEGER, tile_data BLOB)"
    )
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("name", "测试底图"), ("format", "png"), ("minzoom", str(zoom))],
    )
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(zoom, x, (1 << zoom) - 1 - y, buf.getvalue()) for x, y in tiles],
    )
    db.commit()
    db.close()
    return colour


def _load_and_solve_tiny(page: object) -> None:
    """On the Data page load the tiny street from its path; on the Plan page solve it."""
    page.get_by_text("本机文件夹或工作簿路径").click()  # type: ignore[attr-defined]
    box = page.get_by_label("情景路径（文件夹或 .xlsx）")  # type: ignore[attr-defined]
    box.fill(str(TINY))
    box.press("Enter")
    page.get_by_role("button", name="加载并校验", exact=True).click()  # type: ignore[attr-defined]
    page.get_by_text("校验通过").wait_for()  # type: ignore[attr-defined]
    page.get_by_role("link", name="方案", exact=True).click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="生成方案", exact=True).click()  # type: ignore[attr-defined]
    page.get_by_text("方案已生成").wait_for()  # type: ignore[attr-defined]


def _canvas_spread(png: bytes) -> tuple[float, float]:
    """Return the pixel standard deviation and the share of non-background pixels."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64)
    background = np.median(pixels.reshape(-1, 3), axis=0)
    differs = np.abs(pixels - background).sum(axis=2) > 30
    return float(pixels.std()), float(differs.mean())


def _site_pixel(
    scenario_dir: Path, site_id: str, width: float, height: float
) -> tuple[float, float]:
    """Return where a site is drawn in the map's initial view, in chart pixels."""
    from planner import load_scenario
    from planner.app.mapping import fit_view

    s = load_scenario(scenario_dir).scenario
    view = fit_view(
        np.concatenate([s.buildings.lon, s.sites.lon]),
        np.concatenate([s.buildings.lat, s.sites.lat]),
        width_px=1100,  # as the Map page fits it (MAP_WIDTH_PX, MAP_HEIGHT_PX)
        height_px=720,
    )
    scale = 512 * 2**view.zoom

    def world(lon: float, lat: float) -> tuple[float, float]:
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2
        return (lon + 180) / 360 * scale, y * scale

    j = list(s.sites.id).index(site_id)
    cx, cy = world(view.longitude, view.latitude)
    x, y = world(float(s.sites.lon[j]), float(s.sites.lat[j]))
    return width / 2 + x - cx, height / 2 + y - cy


def test_plan_map_schedule_download_in_chromium(app_url: str, tmp_path: Path) -> None:
    """Chinese glyphs, the map offline, a click, every page, the site card."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = _launch(pw, tmp_path)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            outside: list[str] = []
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith((app_url, "data:", "blob:"))
                    else outside.append(r.url)
                ),
            )
            page.goto(app_url)
            page.get_by_text("全员核酸检测：四步完成").wait_for()
            page.get_by_role("link", name="数据", exact=True).click()
            page.get_by_text("数据：选择街道情景").wait_for()
            _check_chinese_glyphs(browser, page, app_url, requests)

            # Data: load the tiny street from a path; Plan: solve, KPIs appear
            _load_and_solve_tiny(page)
            page.get_by_text("开放采样点").first.wait_for()
            page.screenshot(path=str(ARTIFACTS / "e2e_plan.png"), full_page=True)

            # Map: the deck.gl canvas draws the plan
            page.get_by_role("link", name="地图", exact=True).click()
            chart = page.locator(
                '[data-testid="stDeckGlJsonChart"]'
            ).first  # the plan map (the access map follows)
            chart.wait_for()
            chart.locator("canvas").first.wait_for()
            page.wait_for_timeout(2500)  # let WebGL draw
            png = chart.screenshot(path=str(ARTIFACTS / "e2e_map.png"))
            std, share = _canvas_spread(png)
            assert std > 5.0, f"map looks blank (pixel std {std:.1f})"
            assert share > 0.001, f"map has almost nothing drawn ({share:.4%})"
            assert outside == [], "the app must work offline (no basemap by default)"

            # a click on a site chooses it and shows its slots
            box = chart.bounding_box()
            assert box is not None
            x, y = _site_pixel(TINY, "S2", box["width"], box["height"])
            heading = page.get_by_role("heading", name=re.compile(r"^S2 .*的时段安排"))
            # deck.gl picks only once its picking buffer is drawn, which on a busy
            # machine can be after the first click: try a few times
            for attempt in range(4):
                page.mouse.click(box["x"] + x, box["y"] + y)
                try:
                    heading.wait_for(timeout=10_000)
                    break
                except sync_api.TimeoutError:
                    if attempt == 3:
                        raise

            # Schedule: download the slot table
            page.get_by_role("link", name="时段", exact=True).click()
            button = page.get_by_role("button", name="下载时段表 CSV", exact=True)
            button.wait_for()
            with page.expect_download() as info:
                button.click()
            download = info.value
            target = ARTIFACTS / "e2e_slots.csv"
            download.save_as(str(target))
            text = target.read_bytes().decode("utf-8-sig")
            assert text.splitlines()[0].startswith("site_id,slot_start,slot_end,people")
            assert len(text.splitlines()) > 1

            # every page, looked at whole (the main area scrolls, so the window grows)
            for name, slug in PAGE_SHOTS:
                page.get_by_role("link", name=name, exact=True).click()
                page.get_by_role("heading").first.wait_for()
                page.wait_for_timeout(1500)
                _whole_page(page, ARTIFACTS / f"e2e_page_{slug}.png")
            assert outside == [], "no request may leave the machine by default"

            # the site card prints on one A4 sheet
            page.get_by_role("link", name="采样点卡片", exact=True).click()
            page.get_by_role("heading", name=re.compile(r"^S1 ")).wait_for()
            page.wait_for_timeout(1500)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", print_background=True)
            page.emulate_media(media="screen")
            (ARTIFACTS / "e2e_site_card.pdf").write_bytes(pdf)
            pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
            assert len(pages) == 1, f"the site card takes {len(pages)} A4 pages"
        finally:
            browser.close()


def test_local_mbtiles_basemap_in_chromium(app_url: str, tmp_path: Path) -> None:
    """An office's own MBTiles file, picked on the Map page, is served by the app and
    drawn under the plan; no tile comes from anywhere else."""
    sync_api = pytest.importorskip("playwright.sync_api")
    mbtiles = tmp_path / "street.mbtiles"
    colour = _write_mbtiles(mbtiles, TINY, zoom=16)
    with sync_api.sync_playwright() as pw:
        browser = _launch(pw, tmp_path)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(app_url)
            page.get_by_text("全员核酸检测：四步完成").wait_for()
            page.get_by_role("link", name="数据", exact=True).click()
            page.get_by_text("数据：选择街道情景").wait_for()
            _load_and_solve_tiny(page)

            page.get_by_role("link", name="地图", exact=True).click()
            chart = page.locator(
                '[data-testid="stDeckGlJsonChart"]'
            ).first  # the plan map (the access map follows)
            chart.wait_for()
            page.get_by_text("底图", exact=True).first.click()  # the expander
            select = page.locator(
                '[data-testid="stExpanderDetails"] [data-testid="stSelectbox"]'
            ).first
            option = page.get_by_role("option", name=re.compile("MBTiles"))
            # a rerun of the page (the map reporting its first draw) redraws the
            # widgets and closes an open list: open it again until it stays open
            for attempt in range(5):
                select.click()
                try:
                    option.wait_for(timeout=3000)
                    break
                except sync_api.TimeoutError:
                    if attempt == 4:
                        raise
                    page.keyboard.press("Escape")
            option.click()
            path_box = page.get_by_label("MBTiles 文件路径", exact=False)
            path_box.fill(str(mbtiles))
            path_box.press("Enter")
            page.get_by_text("测试底图").wait_for()  # the file's name is credited
            page.wait_for_timeout(3000)  # tiles load, WebGL draws
            tile_png = chart.screenshot(path=str(ARTIFACTS / "e2e_map_mbtiles.png"))
            from PIL import Image

            rgb = np.asarray(Image.open(io.BytesIO(tile_png)).convert("RGB"), float)
            near = np.abs(rgb - np.array(colour, dtype=float)).sum(axis=2) < 60
            assert near.mean() > 0.2, f"MBTiles tiles not drawn ({near.mean():.1%})"
            served = [u for u in requests if "/planner/tiles/" in u]
            assert served, "no tile was requested from the app"
            outside = [
                u for u in requests if not u.startswith((app_url, "data:", "blob:"))
            ]
            assert outside == [], "MBTiles tiles come from the app, not the internet"
        finally:
            browser.close()


def test_cancel_a_running_solve_in_chromium(app_url: str, tmp_path: Path) -> None:
    """The demo's solve runs in the background; the page answers and can cancel it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = _launch(pw, tmp_path)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(app_url)
            page.get_by_text("全员核酸检测：四步完成").wait_for()
            page.get_by_role("link", name="数据", exact=True).click()
            page.get_by_text("数据：选择街道情景").wait_for()
            page.get_by_text("示例街道（约 6 万人）").click()
            page.get_by_role("button", name="加载并校验", exact=True).click()
            page.get_by_text("校验通过").wait_for()
            page.get_by_role("link", name="方案", exact=True).click()
            page.get_by_role("button", name="生成方案", exact=True).click()
            page.get_by_text("正在生成方案").wait_for()
            page.wait_for_timeout(1000)
            page.get_by_role("button", name="取消", exact=True).click()
            page.get_by_text("已取消，未生成新方案").wait_for()
            page.screenshot(path=str(ARTIFACTS / "e2e_cancel.png"), full_page=True)
            assert page.get_by_text("方案已生成").count() == 0
        finally:
            browser.close()
