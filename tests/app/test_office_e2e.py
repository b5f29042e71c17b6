"""The app served to an office, in headless Chromium: sign-in, roles, masking, audit.

The server listens on the host side of a virtual network cable (veth) and the browser
runs inside a network namespace at the other end, a test host this test makes itself, so
every session is a *remote* one, as in an office; no traffic leaves the machine. Accounts are
made with the store the CLI uses; sign-in, pages and downloads go through the browser.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_e2e import CHROMIUM_FLAGS, TIMEOUT_MS, _chromium, serve_app

from planner.office.auth import UserStore, office_dir, store_path

COLD_START_MS = 90_000
"""The first page of a freshly started server may take this long (milliseconds)."""

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"
ARTIFACTS = REPO / "tests" / "artifacts"
PASSWORD = "office password 1"
USERS = {
    "boss": ("admin", ""),
    "guest": ("viewer", ""),
    "donghu": ("community", "东湖社区"),
}
DONGHU = {"H10", "H11", "H12"}  # building B4, the only one of 东湖社区
ALL = {f"H{k:02d}" for k in range(1, 13)}
FULL_ID = "42010219940315001X"  # a resident of tests/data/tiny, full
STAFF_PHONE = "13900000001"


HOST_ADDRESS, BROWSER_ADDRESS = "10.231.7.1", "10.231.7.2"
"""The two ends of the test network: the server's and the browser's."""


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def remote_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Make a test host (network namespace + veth) and a Chromium that runs inside it.

    Yields the path of a launcher that starts Debian's Chromium in the namespace; the
    server listens on :data:`HOST_ADDRESS`, the browser comes from
    :data:`BROWSER_ADDRESS`, so the app sees a remote office computer.
    """
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("making a test host needs root and iproute2 (CI has both)")
    tag = f"{os.getpid() % 100000}"
    ns, host_if, ns_if = f"planner-office-{tag}", f"poh{tag}", f"pon{tag}"
    _ip("netns", "add", ns)
    try:
        _ip("link", "add", host_if, "type", "veth", "peer", "name", ns_if)
        _ip("link", "set", ns_if, "netns", ns)
        _ip("addr", "add", f"{HOST_ADDRESS}/30", "dev", host_if)
        _ip("link", "set", host_if, "up")
        _ip(
            "netns",
            "exec",
            ns,
            "ip",
            "addr",
            "add",
            f"{BROWSER_ADDRESS}/30",
            "dev",
            ns_if,
        )
        _ip("netns", "exec", ns, "ip", "link", "set", ns_if, "up")
        _ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")
        launcher = tmp_path_factory.mktemp("browser") / "chromium-remote"
        launcher.write_text(
            f'#!/bin/sh\nexec ip netns exec {ns} {_chromium()} "$@"\n', encoding="utf-8"
        )
        launcher.chmod(0o755)
        yield launcher
    finally:
        subprocess.run(["ip", "link", "del", host_if], capture_output=True, timeout=30)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, remote_browser: Path
) -> Iterator[tuple[str, Path]]:
    """Serve the app to the test network with sign-in on; yield its URL and the store."""
    address = HOST_ADDRESS
    office = office_dir(tmp_path_factory.mktemp("office"))
    users = UserStore(store_path(office))
    for name, (role, community) in USERS.items():
        users.add(name, PASSWORD, role, community)
    with socket.socket() as s:
        s.bind((address, 0))
        port = int(s.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_SIGNIN"}
    env["PLANNER_OFFICE"] = str(office)
    with serve_app(address, port, env, "office_streamlit.log") as url:
        yield url, office
    server_log = (ARTIFACTS / "office_streamlit.log").read_text(encoding="utf-8")
    assert PASSWORD not in server_log and FULL_ID not in server_log


def _sign_in(page: Any, url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(url)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def _download(page: Any, label: str, target: str) -> bytes:
    button = page.get_by_role("button", name=label, exact=True)
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    path = ARTIFACTS / target
    info.value.save_as(str(path))
    return path.read_bytes()


def _households(csv_bytes: bytes) -> set[str]:
    rows = csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig")))
    return {r["household_id"] for r in rows}


def _zip_text(data: bytes) -> str:
    """Return every CSV and every workbook cell in a ZIP as one text."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".csv", ".json")):
                parts.append(zf.read(name).decode("utf-8-sig"))
            elif name.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(zf.read(name)), read_only=True)
                for sheet in book.worksheets:
                    for row in sheet.iter_rows(values_only=True):
                        parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def _menu(page: Any) -> set[str]:
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.wait_for()
    # a link's text is its icon's name, then its title
    return {t.strip().splitlines()[-1] for t in nav.locator("a").all_inner_texts()}


def test_roles_in_chromium(served: tuple[str, Path], remote_browser: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    url, office = served
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(remote_browser), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            _admin(browser, url)
            _viewer(browser, url)
            _community(browser, url)
            _audit(browser, url, office)
        finally:
            browser.close()


def _new_page(browser: Any) -> Any:
    page = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    ).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def _first_page(page: Any, url: str) -> None:
    """Open the sign-in page of a freshly started server.

    In about one full CI run in three the first page of the fresh server never drew
    (not within 90 s; the test alone passed 6 times in 6, in 35-39 s). A user would
    press F5: so does this, once, after writing what the browser saw (its text, its
    console, failed requests, a screenshot) and the server's log to
    ``tests/artifacts/office_first_page.*``; a second miss fails with all of it.
    """
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("requestfailed", lambda r: console.append(f"failed: {r.url} {r.failure}"))
    page.goto(url)
    title = page.get_by_text("登录：全员核酸检测规划")
    try:
        # the app's first run in a fresh server imports everything: on a loaded CI
        # machine once more than the 30 s every later step gets
        title.wait_for(timeout=COLD_START_MS)
        return
    except Exception:
        seen = _what_the_browser_saw(page, console, "office_first_page")
    page.reload()
    try:
        title.wait_for(timeout=COLD_START_MS)
    except Exception:
        again = _what_the_browser_saw(page, console, "office_first_page_reloaded")
        pytest.fail(f"the sign-in page did not show, twice:\n{seen}\n{again}")


def _what_the_browser_saw(page: Any, console: list[str], name: str) -> str:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    log = (ARTIFACTS / "office_streamlit.log").read_text(encoding="utf-8")
    text = (
        f"browser text:\n{page.inner_text('body')[-2000:]}\n"
        + "console:\n"
        + "\n".join(console[-40:])
        + f"\nserver log:\n{log[-3000:]}"
    )
    (ARTIFACTS / f"{name}.txt").write_text(text, encoding="utf-8")
    return text


def _admin(browser: Any, url: str) -> None:
    page = _new_page(browser)
    _first_page(page, url)
    assert page.get_by_text("数据：选择街道情景").count() == 0  # nothing before sign-in
    _sign_in(page, url, "boss", "wrong password")
    page.get_by_text("用户名或密码错误").wait_for()
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("全员核酸检测：四步完成").wait_for()
    page.get_by_role("link", name="数据", exact=True).click()
    page.get_by_text("数据：选择街道情景").wait_for()
    assert "?" not in page.url and "boss" not in page.url  # nothing personal in URLs
    assert {"数据", "方案", "演练", "导出", "审计日志"} <= _menu(page)
    # a remote admin may read a server path
    page.get_by_text("本机文件夹或工作簿路径").click()
    box = page.get_by_label("情景路径（文件夹或 .xlsx）")
    box.fill(str(TINY))
    box.press("Enter")
    page.get_by_role("button", name="加载并校验", exact=True).click()
    page.get_by_text("校验通过").wait_for()
    page.get_by_role("link", name="方案", exact=True).click()
    page.get_by_role("button", name="生成方案", exact=True).click()
    page.get_by_text("方案已生成").wait_for()
    # unmasked print-outs: only with a reason, and then really unmasked
    page.get_by_role("link", name="导出", exact=True).click()
    page.get_by_text("打印完整身份证号和电话（注意保密）").click()
    reason = page.get_by_label("导出未脱敏数据的理由（记入审计日志）")
    reason.wait_for()
    assert page.get_by_role("button", name="生成打印材料", exact=True).is_disabled()
    reason.fill("上门核对身份")
    reason.press("Enter")
    make = page.get_by_role("button", name="生成打印材料", exact=True)
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.trim() === '生成打印材料' && !b.disabled)"
    )
    make.click()
    page.get_by_text("已生成").wait_for(timeout=120_000)
    text = _zip_text(_download(page, "下载打印材料（ZIP）", "office_admin_exports.zip"))
    assert FULL_ID in text
    csv_bytes = _download(page, "下载住户分配（CSV）", "office_admin_assignments.csv")
    assert _households(csv_bytes) == ALL
    page.context.close()


def _viewer(browser: Any, url: str) -> None:
    page = _new_page(browser)
    _sign_in(page, url, "guest")
    page.get_by_text("全员核酸检测：四步完成").wait_for()
    page.get_by_role("link", name="数据", exact=True).click()
    page.get_by_text("数据：选择街道情景").wait_for()
    menu = _menu(page)
    assert "审计日志" not in menu and "数据" in menu
    # no loader at all: no server path, no upload, no load button
    page.get_by_text("数据由指挥部加载并生成方案").wait_for()
    assert page.get_by_text("本机文件夹或工作簿路径").count() == 0
    assert page.get_by_role("button", name="加载并校验").count() == 0
    page.get_by_role("link", name="方案", exact=True).click()
    assert page.get_by_role("button", name="生成方案", exact=True).is_disabled()
    page.get_by_role("link", name="导出", exact=True).click()
    page.get_by_text("导出均已脱敏；未脱敏导出仅限指挥部").wait_for()
    assert page.get_by_text("打印完整身份证号和电话（注意保密）").count() == 0
    assert (
        _households(_download(page, "下载住户分配（CSV）", "office_viewer.csv")) == ALL
    )
    page.get_by_role("button", name="生成打印材料", exact=True).click()
    page.get_by_text("已生成").wait_for(timeout=120_000)
    text = _zip_text(
        _download(page, "下载打印材料（ZIP）", "office_viewer_exports.zip")
    )
    assert FULL_ID not in text and FULL_ID[:6] in text and STAFF_PHONE not in text
    # the audit page is not in the menu, and typing its address is refused and logged
    # (a typed address is a fresh page load: a new session, so sign in again)
    _sign_in(page, url + "/audit", "guest")
    page.get_by_text("本账号无权打开此页").wait_for()
    assert page.get_by_text("日志完整").count() == 0
    page.context.close()


def _community(browser: Any, url: str) -> None:
    page = _new_page(browser)
    _sign_in(page, url, "donghu")
    page.get_by_text("全员核酸检测：四步完成").wait_for()
    page.get_by_role("link", name="数据", exact=True).click()
    page.get_by_text("数据：选择街道情景").wait_for()
    menu = _menu(page)
    assert "演练" not in menu and "审计日志" not in menu
    _sign_in(page, url + "/drill", "donghu")  # the street-wide drill is not for it
    page.get_by_text("本账号无权打开此页").wait_for()
    page.get_by_role("link", name="导出", exact=True).click()
    own = _households(_download(page, "下载住户分配（CSV）", "office_donghu.csv"))
    assert own == DONGHU
    everything = _zip_text(
        _download(
            page,
            "下载方案全部表格（ZIP，CSV 为 UTF-8 带 BOM，Excel 可直接打开）",
            "office_donghu_plan.zip",
        )
    )
    for other in ALL - DONGHU:
        assert other not in everything
    page.get_by_role("button", name="生成打印材料", exact=True).click()
    page.get_by_text("已生成").wait_for(timeout=120_000)
    printed = _zip_text(
        _download(page, "下载打印材料（ZIP）", "office_donghu_exports.zip")
    )
    assert "滨江小区1栋" in printed  # its own building
    for other in ("锦绣花园1栋", "锦绣花园2栋", "东湖苑1栋", FULL_ID):  # 桂园社区
        assert other not in printed
    page.get_by_role("link", name="时段", exact=True).click()
    slots = _download(page, "下载时段表 CSV", "office_donghu_slots.csv").decode(
        "utf-8-sig"
    )
    assert slots.splitlines()[0].startswith("site_id,")
    page.context.close()


def _audit(browser: Any, url: str, office: Path) -> None:
    page = _new_page(browser)
    _sign_in(page, url, "boss")
    page.get_by_role("link", name="审计日志", exact=True).click()
    page.get_by_text("日志完整").wait_for()
    data = _download(page, "下载审计日志 CSV", "office_audit.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    seen = {(r["event"], r["username"], r["kind"], r["masked"]) for r in rows}
    assert ("signin_failed", "boss", "", "") in seen
    for name in USERS:
        assert ("signin", name, "", "") in seen
    assert ("load", "boss", "path", "") in seen
    assert any(r["event"] == "solve" and r["username"] == "boss" for r in rows)
    assert ("download", "boss", "exports.zip", "0") in seen  # unmasked …
    reasons = {
        r["reason"] for r in rows if r["kind"] == "exports.zip" and r["masked"] == "0"
    }
    assert reasons == {"上门核对身份"}  # … with its reason
    for name in ("guest", "donghu"):
        assert ("download", name, "assignments.csv", "1") in seen
        assert ("download", name, "exports.zip", "1") in seen
        assert not any(r["username"] == name and r["masked"] == "0" for r in rows)
    assert ("page_denied", "guest", "audit", "") in seen
    assert ("page_denied", "donghu", "drill", "") in seen
    assert all(r["client"].startswith("remote ") for r in rows)
    page.context.close()
