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


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """Start `streamlit run app.py` on a free local port; stop it afterwards."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "e2e_streamlit.log").open("w")
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
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
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
                pytest.fail(
                    "streamlit did not start; see tests/artifacts/e2e_streamlit.log"
                )
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
        height_px=600,
    )
    scale = 512 * 2**view.zoom

    def world(lon: float, lat: float) -> tuple[float, float]:
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2
        return (lon + 180) / 360 * scale, y * scale

    j = list(s.sites.id).index(site_id)
    cx, cy = world(view.longitude, view.latitude)
    x, y = world(float(s.sites.lon[j]), float(s.sites.lat[j]))
    return width / 2 + x - cx, height / 2 + y - cy


def test_plan_map_schedule_download_in_chromium(app_url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    browser_path = _chromium()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(browser_path), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            outside: list[str] = []
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith((app_url, "data:", "blob:"))
                    else outside.append(r.url)
                ),
            )
            page.goto(app_url)
            page.get_by_text("数据：选择街道情景").wait_for()

            # Data: load the tiny street from a path
            page.get_by_text("本机文件夹或工作簿路径").click()
            box = page.get_by_label("情景路径（文件夹或 .xlsx）")
            box.fill(str(TINY))
            box.press("Enter")
            page.get_by_role("button", name="加载并校验", exact=True).click()
            page.get_by_text("校验通过").wait_for()

            # Plan: solve, KPIs appear
            page.get_by_role("link", name="方案", exact=True).click()
            page.get_by_role("button", name="求解", exact=True).click()
            page.get_by_text("求解完成").wait_for()
            page.get_by_text("开放采样点").first.wait_for()
            page.screenshot(path=str(ARTIFACTS / "e2e_plan.png"), full_page=True)

            # Map: the deck.gl canvas draws the plan
            page.get_by_role("link", name="地图", exact=True).click()
            chart = page.locator('[data-testid="stDeckGlJsonChart"]')
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
        finally:
            browser.close()


def test_cancel_a_running_solve_in_chromium(app_url: str) -> None:
    """The demo's solve runs in the background; the page answers and can cancel it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    browser_path = _chromium()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(browser_path), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(app_url)
            page.get_by_text("数据：选择街道情景").wait_for()
            page.get_by_text("示例街道（data/demo）").click()
            page.get_by_role("button", name="加载并校验", exact=True).click()
            page.get_by_text("校验通过").wait_for()
            page.get_by_role("link", name="方案", exact=True).click()
            page.get_by_role("button", name="求解", exact=True).click()
            page.get_by_text("正在求解").wait_for()
            page.wait_for_timeout(1000)
            page.get_by_role("button", name="取消", exact=True).click()
            page.get_by_text("已取消求解").wait_for()
            page.screenshot(path=str(ARTIFACTS / "e2e_cancel.png"), full_page=True)
            assert page.get_by_text("求解完成").count() == 0
        finally:
            browser.close()
