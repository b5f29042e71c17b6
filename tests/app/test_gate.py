"""The sign-in gate in AppTest: the form, expiry, and refusals that reach the audit log."""

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from planner.office import auth
from planner.office.audit import AuditLog

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
TINY = REPO / "tests" / "data" / "tiny"
PASSWORD = "office password 1"


@pytest.fixture
def office(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AuditLog:
    """Sign-in on (the conftest's laptop mode undone), a fresh store with two users."""
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
    assert at.title[0].value == "登录：全员核酸检测规划" and len(at.title) == 1
    at.text_input(key="auth_username").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_sign_in_then_sign_out(office: AuditLog) -> None:
    at = _signed_in("boss")
    assert at.title[0].value == "全员核酸检测：四步完成"  # the start page
    at.sidebar.button(key="auth_signout").click().run()
    assert at.title[0].value == "登录：全员核酸检测规划"
    assert [r["event"] for r in office.rows()] == ["signout", "signin"]


def test_an_idle_session_expires(office: AuditLog) -> None:
    at = _signed_in("guest")
    old = at.session_state["auth_session"]
    past = old.last_seen - auth.IDLE_TIMEOUT - dt.timedelta(minutes=1)
    at.session_state["auth_session"] = auth.Session(old.user, past, past)
    at.run()
    assert at.title[0].value == "登录：全员核酸检测规划"
    assert at.info[0].value == "会话已过期，请重新登录"
    assert office.rows()[0]["event"] == "session_expired"


def test_sign_in_off_is_refused_when_served_to_the_network(
    office: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_SIGNIN", "off")
    monkeypatch.setattr(
        st, "get_option", lambda key: "0.0.0.0" if key == "server.address" else None
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.title[0].value == "登录：全员核酸检测规划"


DENIED_SCRIPT = """
import streamlit as st
from planner.app import common as c
from planner.office import auth
now = auth.utc_now()
st.session_state["auth_session"] = auth.Session(auth.User("guest", "viewer"), now, now)
c.load_into_session("path", {path!r}, None)
st.write(st.session_state.get("load_error", ""))
st.write(str("loaded" in st.session_state))
c.solve_into_session(None, None)
st.write(st.session_state.get("solve_error", ""))
c.make_print_exports(None, True)
st.write(st.session_state.get("export_error", ""))
"""


def test_a_viewer_cannot_load_solve_or_unmask_and_each_try_is_logged(
    office: AuditLog,
) -> None:
    """The server refuses even if a control were reached (the pages do not offer them)."""
    at = AppTest.from_string(DENIED_SCRIPT.format(path=str(TINY)), default_timeout=60)
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert shown[0].startswith("本账号不能加载数据") and shown[1] == "False"
    assert shown[2].startswith("只有指挥部可以生成方案")
    assert shown[3].startswith("只有指挥部可以导出未脱敏数据")
    rows = office.rows()
    assert [(r["event"], r["username"], r["kind"]) for r in rows] == [
        ("download_denied", "guest", "exports.zip"),
        ("solve_denied", "guest", ""),
        ("load_denied", "guest", "path"),
    ]


def test_every_page_of_a_community_runs_on_its_cut_of_the_office_plan(
    office: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An admin's plan reaches a community session, cut to its community, on every page."""
    auth_users = auth.UserStore(office.path)
    auth_users.add("donghu", PASSWORD, "community", "东湖社区")
    admin = _signed_in("boss")
    admin.switch_page("planner/app/pages/data.py").run()
    admin.radio(key="source").set_value("path").run()
    admin.text_input(key="scenario_path").set_value(str(TINY)).run()
    admin.button(key="load").click().run()
    admin.switch_page("planner/app/pages/plan.py").run()
    admin.sidebar.number_input(key="time_limit").set_value(5.0).run()
    admin.button(key="solve").click().run()
    assert not admin.exception and admin.session_state["plan"] is not None

    at = _signed_in("donghu")
    assert set(at.session_state["loaded"].scenario.households.id) == {
        "H10",
        "H11",
        "H12",
    }
    for page in ("plan", "map", "schedule", "staff", "card", "export", "data"):
        at.switch_page(f"planner/app/pages/{page}.py").run()
        assert not at.exception, page
    at.switch_page("planner/app/pages/map.py").run()
    # an MBTiles file is read from a server path: not offered to a community
    assert not any("MBTiles" in o for o in at.selectbox(key="basemap").options)
    admin.switch_page("planner/app/pages/map.py").run()
    assert any("MBTiles" in o for o in admin.selectbox(key="basemap").options)
    at.switch_page("planner/app/pages/plan.py").run()
    assert at.button(key="solve").disabled
    events = [(r["event"], r["username"]) for r in office.rows()]
    assert ("solve", "boss") in events and ("load", "boss") in events


def test_a_fresh_install_says_how_to_make_the_first_account(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PLANNER_SIGNIN")
    monkeypatch.setenv("PLANNER_OFFICE", str(tmp_path))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert "planner users add" in at.warning[0].value
    assert not at.sidebar.button  # no sign-out, no page, no menu before sign-in
    st.cache_resource.clear()
