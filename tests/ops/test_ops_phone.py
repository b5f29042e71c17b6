"""The site lead's phone page in headless Chromium: reports made offline arrive later.

The browser is Debian's Chromium (``/usr/bin/chromium``) driven by Playwright, as in
``tests/app/test_e2e.py``; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def _chromium() -> Path:
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
                env=env,
                capture_output=True,
                timeout=600,
                check=False,
            )
    if not CHROMIUM.exists():
        pytest.skip(
            "no system Chromium at /usr/bin/chromium and apt-get could not add it"
        )
    return CHROMIUM


def test_reports_made_offline_reach_the_server_once_after_reconnecting(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
    call: Callable[..., tuple[int, Any]],
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    browser_path = _chromium()
    codes = issue_codes(plan_dir)
    site = next(s for s in codes if s != "command")
    server = serve(plan_dir)

    def stored() -> list[dict[str, Any]]:
        status, rows = call(
            "GET", f"{server.url}/api/v1/sites/{site}/reports", codes["command"]
        )
        assert status == 200
        return list(rows)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(browser_path), headless=True, args=FLAGS
        )
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.set_default_timeout(30_000)
            # the code comes with the link (the fragment never reaches the server)
            page.goto(f"{server.url}/sites/{site}#code={codes[site]}")
            page.get_by_text("采样点进度上报").first.wait_for()
            page.locator("#plan tr").nth(1).wait_for()  # the site's slots loaded
            outbox = page.locator("#outbox")

            context.set_offline(True)
            for sampled, queue in ((150, 30), (210, 12)):
                page.get_by_label("累计已采样人数").fill(str(sampled))
                page.get_by_label("排队人数（按 1 米一人，米数即人数）").fill(
                    str(queue)
                )
                page.get_by_label("累计已用采样管").fill(str(sampled // 10))
                page.get_by_role("button", name="提交").click()
            # a locator, not wait_for_function: the page's policy forbids eval
            page.locator("#outbox[data-pending='2']").wait_for()
            assert "待发送 2 条" in outbox.inner_text()
            page.screenshot(
                path=str(ARTIFACTS / "ops_phone_offline.png"), full_page=True
            )
            assert stored() == []  # nothing got through while offline

            context.set_offline(False)
            page.locator("#outbox[data-pending='0']").wait_for(timeout=40_000)
            assert outbox.inner_text() == "已全部发送"
            rows = stored()
            assert [(r["sampled"], r["queue_people"]) for r in rows] == [
                (150, 30),
                (210, 12),
            ]
            assert len({r["report_id"] for r in rows}) == 2

            # a reload does not send anything again
            page.reload()
            page.locator("#plan tr").nth(1).wait_for()
            page.wait_for_timeout(500)
            assert len(stored()) == 2
            page.screenshot(path=str(ARTIFACTS / "ops_phone_sent.png"), full_page=True)
        finally:
            browser.close()


def test_the_page_works_with_javascript_off(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
    call: Callable[..., tuple[int, Any]],
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    browser_path = _chromium()
    codes = issue_codes(plan_dir)
    site = next(s for s in codes if s != "command")
    server = serve(plan_dir)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(browser_path), headless=True, args=FLAGS
        )
        try:
            context = browser.new_context(java_script_enabled=False)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{server.url}/sites/{site}")
            page.get_by_label("访问码（见花名册封面）").fill(codes[site])
            page.get_by_label("时间").fill("10:40")
            page.get_by_label("累计已采样人数").fill("444")
            page.get_by_label("排队人数（按 1 米一人，米数即人数）").fill("6")
            page.get_by_label("累计已用采样管").fill("45")
            page.get_by_label("问题").select_option("supplies_short")
            page.get_by_role("button", name="提交").click()
            page.get_by_text("已提交：10:40 累计已采样 444 人").wait_for()
        finally:
            browser.close()
    status, rows = call(
        "GET", f"{server.url}/api/v1/sites/{site}/reports", codes["command"]
    )
    assert status == 200
    assert [(r["at"], r["sampled"], r["problem"]) for r in rows] == [
        ("10:40", 444, "supplies_short")
    ]
