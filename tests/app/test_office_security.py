"""The office app under attack (issue 34): one test per finding against the app.

The audit chain, the sign-in limits, the command page's address, downloads, tiles,
headers and error pages, each probed as the attacker did; on the app before issue 34
each of these failed. The served-app tests run ``streamlit run app.py`` on loopback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import sqlite3
import stat
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from planner.office import auth
from planner.office.audit import COLUMNS, AuditLog, Client

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
TINY = REPO / "tests" / "data" / "tiny"
PASSWORD = "office password 1"
T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
HERE, THERE = Client("192.0.2.10", False), Client("192.0.2.77", False)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Using `httpx` with `starlette.testclient`"
)


@pytest.fixture
def office(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[AuditLog]:
    """Sign-in on, a fresh store with an admin, a viewer and a community account."""
    monkeypatch.delenv("PLANNER_SIGNIN")
    monkeypatch.setenv("PLANNER_OFFICE", str(tmp_path))
    monkeypatch.setattr(
        auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    st.cache_resource.clear()
    path = auth.store_path(auth.office_dir(tmp_path))
    users = auth.UserStore(path)
    users.add("boss", PASSWORD, "admin")
    users.add("guest", PASSWORD, "viewer")
    yield AuditLog(path)
    st.cache_resource.clear()


def _signed_in(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="auth_username").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


# --- the audit chain ------------------------------------------------------------------


def _sha_link(previous: str, values: tuple[Any, ...]) -> str:
    """The unkeyed link anyone can compute (the chain before issue 34)."""
    text = previous + "\x1f" + "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _three_rows(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "office.sqlite")
    log.record("signin", username="boss", role="admin", client=HERE)
    log.record(
        "download",
        username="boss",
        role="admin",
        client=HERE,
        kind="assignments.csv",
        masked=True,
    )
    log.record(
        "download",
        username="boss",
        role="admin",
        client=HERE,
        kind="exports.zip",
        masked=False,
        reason="核查身份",
    )
    assert log.verify() is None
    return log


def test_an_edit_with_recomputed_links_is_found(tmp_path: Path) -> None:
    """Rewriting a row and recomputing every public link no longer passes."""
    log = _three_rows(tmp_path)
    with sqlite3.connect(log.path) as db:
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET masked = 1 WHERE kind = 'exports.zip'")
        previous = ""
        for r in db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id"):
            link = _sha_link(previous, tuple(r[1:-1]))
            db.execute("UPDATE audit SET chain = ? WHERE id = ?", (link, r[0]))
            previous = link
    assert log.verify() == 1


def test_deleting_the_newest_rows_is_found(tmp_path: Path) -> None:
    """The unmasked download deleted from the end: the signed head counts it."""
    log = _three_rows(tmp_path)
    with sqlite3.connect(log.path) as db:
        db.execute("DROP TRIGGER audit_no_delete")
        db.execute("DELETE FROM audit WHERE kind = 'exports.zip'")
    assert log.verify() == 3
    assert log.signed_rows() == 3 and len(log.rows()) == 2


def test_the_audit_key_is_a_private_file_outside_the_database(tmp_path: Path) -> None:
    log = _three_rows(tmp_path)
    key = tmp_path / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    text = key.read_text(encoding="ascii").strip()
    assert len(text) == 64
    with sqlite3.connect(log.path) as db:
        dump = "\n".join(db.iterdump())
    assert text not in dump
    # another key (the file replaced) cannot vouch for the log
    key.write_text("00" * 32 + "\n", encoding="ascii")
    assert AuditLog(log.path).verify() == 1


# --- sign-in ------------------------------------------------------------------------


def test_five_wrong_passwords_do_not_lock_the_owner_out_from_elsewhere(
    tmp_path: Path,
) -> None:
    users = auth.UserStore(tmp_path / "office.sqlite")
    log = AuditLog(tmp_path / "office.sqlite")
    users.add("boss", PASSWORD, "admin")
    for k in range(auth.MAX_FAILURES):
        when = T0 + dt.timedelta(seconds=k)
        assert (
            auth.sign_in(users, log, "boss", "guess", THERE, when).outcome == "failed"
        )
    assert auth.sign_in(users, log, "boss", PASSWORD, THERE, T0).outcome == "locked"
    assert auth.sign_in(users, log, "boss", PASSWORD, HERE, T0).outcome == "ok"


def test_disabling_an_account_ends_its_open_session(office: AuditLog) -> None:
    at = _signed_in("guest")
    assert at.title[0].value != "登录：全员核酸检测规划"
    auth.UserStore(office.path).disable("guest")
    at.run()
    assert at.title[0].value == "登录：全员核酸检测规划"
    assert office.rows()[0]["event"] == "session_ended"


# --- the command page ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1:8600",
        "http://127.0.0.1:22",
        "http://169.254.169.254:80",
        "http://user:pw@127.0.0.1:8600",
    ],
)
def test_the_command_page_calls_only_the_configured_service(url: str) -> None:
    from planner.ops.client import OpsUrlError, call

    with pytest.raises(OpsUrlError):
        call(url, "/api/v1/status", "CODE", timeout_s=2)


def test_the_command_page_is_not_open_to_viewers_and_shows_no_raw_error(
    office: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _signed_in("guest")
    at.switch_page("planner/app/pages/command.py").run()
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "ops_url"]
    assert office.rows()[0]["event"] == "page_denied"
    # an admin's call to an allowed address that does not answer: no library text
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PLANNER_OPS_URLS", f"http://127.0.0.1:{port}")
    at = _signed_in("boss")
    at.switch_page("planner/app/pages/command.py").run()
    at.text_input(key="ops_url").set_value(f"http://127.0.0.1:{port}").run()
    at.text_input(key="ops_code").set_value("SOME-CODE").run()
    assert not at.exception
    shown = at.error[0].value
    assert "Errno" not in shown and "refused" not in shown.lower()
    at.text_input(key="ops_url").set_value("file:///etc/passwd").run()
    assert "http(s)" in at.error[0].value


# --- downloads --------------------------------------------------------------------------


def _broken_copy(tmp_path: Path) -> Path:
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in TINY.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    hh = (broken / "households.csv").read_text(encoding="utf-8").splitlines()
    hh[1] = hh[1].replace("B1,2,", "B9,2,")  # unknown building
    (broken / "households.csv").write_text("\n".join(hh) + "\n", encoding="utf-8")
    return broken


def test_the_marked_register_needs_a_reason_and_a_failed_load_is_logged(
    office: AuditLog, tmp_path: Path
) -> None:
    broken = _broken_copy(tmp_path)
    at = _signed_in("boss")
    at.switch_page("planner/app/pages/data.py").run()  # the start page comes first
    at.radio(key="source").set_value("path").run()
    at.text_input(key="scenario_path").set_value(str(broken)).run()
    at.button(key="load").click().run()
    assert not at.exception
    failed = [r for r in office.rows() if r["event"] == "load_failed"]
    assert failed and json.loads(failed[0]["detail"])["errors"] >= 1
    assert at.download_button(key="marked_download").proto.disabled
    at.text_input(key="marked_reason").set_value("退回社区核对").run()
    assert not at.download_button(key="marked_download").proto.disabled


class _Files:
    """A stand-in for Streamlit's media route: a file, as an attachment."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/zip"),
                    (b"content-disposition", b'attachment; filename="exports.zip"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"PK..."})


def test_a_download_is_served_only_to_a_live_signed_in_session_and_each_fetch_is_logged(
    office: AuditLog,
) -> None:
    from starlette.testclient import TestClient

    from planner.app import server, sessions

    live = {"yes": True}
    gate = server.MediaGate(_Files(), alive=lambda bound: live["yes"])
    client = TestClient(gate)
    assert client.get("/media/abc.zip").status_code == 403  # no cookie
    cookie = client.get("/").cookies.get(sessions.BROWSER_COOKIE)
    assert cookie and len(cookie) == 32
    assert client.get("/media/abc.zip").status_code == 403  # a cookie, no session
    now = dt.datetime.now(dt.UTC)
    sessions.bind(cookie, sessions.Bound("s1", "boss", "admin", now, now))
    try:
        for _ in range(2):
            assert client.get("/media/abc.zip").status_code == 200
        live["yes"] = False  # the tab closed, the session ended or expired
        assert client.get("/media/abc.zip").status_code == 403
    finally:
        sessions.unbind(cookie)
    events = [(r["event"], r["username"], r["kind"]) for r in office.rows()]
    assert events.count(("fetch", "boss", "exports.zip")) == 2
    assert [e for e, _, _ in events].count("fetch_denied") == 3


def test_a_disconnected_or_disabled_session_cannot_fetch(office: AuditLog) -> None:
    from planner.app import server, sessions

    now = dt.datetime.now(dt.UTC)
    bound = sessions.Bound("no-such-session", "boss", "admin", now, now)
    assert server._session_alive(bound) is False


# --- tiles, headers, errors, proxies -----------------------------------------------


def test_a_tile_zoom_past_the_limit_is_404_not_500(tmp_path: Path) -> None:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient
    from test_tiles import _mbtiles

    from planner.app.server import routes
    from planner.app.tiles import register

    key, _ = register(_mbtiles(tmp_path / "t.mbtiles"))
    client = TestClient(Starlette(routes=routes()), raise_server_exceptions=False)
    for z, x, y in ((64, 0, 0), (99, 1, 1), (3, 8, 0), (3, 0, 99999999999999999999)):
        assert client.get(f"/planner/tiles/{key}/{z}/{x}/{y}").status_code == 404


def test_an_error_shows_a_short_message_not_a_traceback() -> None:
    def script() -> None:
        from planner.app.server import on_script_error

        on_script_error(FileNotFoundError("/srv/office/secret/register.xlsx"))

    at = AppTest.from_function(script).run()
    assert "/srv/office" not in at.error[0].value
    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``streamlit run app.py`` on loopback with sign-in on and its own office store."""
    from test_e2e import serve_app

    office = auth.office_dir(tmp_path_factory.mktemp("office"))
    auth.UserStore(auth.store_path(office)).add("boss", PASSWORD, "admin")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PLANNER_SIGNIN", "FORWARDED_ALLOW_IPS")
    }
    env["PLANNER_OFFICE"] = str(office)
    with serve_app("127.0.0.1", _free_port(), env, "office_security.log") as url:
        yield url, office


def test_every_answer_of_the_app_carries_csp_frame_and_nosniff_headers(
    served_app: tuple[str, Path],
) -> None:
    url, _ = served_app
    for path in (
        "/",
        "/_stcore/health",
        "/planner/fonts/NotoSansSC-Regular.otf",
        "/nowhere",
    ):
        try:
            with urllib.request.urlopen(url + path, timeout=30) as r:
                headers = r.headers
        except urllib.error.HTTPError as e:
            headers = e.headers
            e.close()
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_download_url_without_a_session_is_refused_and_logged_with_the_true_address(
    served_app: tuple[str, Path],
) -> None:
    """Also: X-Forwarded-For from this machine does not choose the logged address."""
    url, office = served_app
    req = urllib.request.Request(url + "/media/0123456789abcdef.zip")
    req.add_header("X-Forwarded-For", "203.0.113.9")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 403
    err.value.close()
    rows = AuditLog(auth.store_path(office)).rows()
    denied = [r for r in rows if r["event"] == "fetch_denied"]
    assert denied and denied[0]["client"] == "local"


def test_in_chromium_the_app_runs_under_its_policy_and_a_download_needs_the_session(
    served_app: tuple[str, Path],
) -> None:
    """The real browser: no policy violation, a download works, its URL alone does not."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_e2e import CHROMIUM_FLAGS, _chromium

    url, office = served_app
    violations: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(_chromium()), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(90_000)
            page.on(
                "console",
                lambda m: (
                    violations.append(m.text)
                    if "Content Security Policy" in m.text
                    else None
                ),
            )
            page.goto(url)
            page.get_by_label("用户名").fill("boss")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录", exact=True).click()
            page.get_by_role("link", name="数据", exact=True).click()  # after 开始
            button = page.get_by_role(
                "button", name="下载空白登记模板（含填表说明）", exact=True
            )
            button.wait_for()
            with page.expect_download() as info:
                button.click()
            download = info.value
            media = download.url
            assert Path(download.path()).stat().st_size > 1000
        finally:
            browser.close()
    assert not violations, violations
    assert "/media/" in media
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(media, timeout=30)  # the URL alone, no session
    assert err.value.code == 403
    err.value.close()
    rows = AuditLog(auth.store_path(office)).rows()
    fetched = [r for r in rows if r["event"] == "fetch"]
    assert fetched and fetched[0]["username"] == "boss"
    assert fetched[0]["kind"].endswith(".xlsx")
