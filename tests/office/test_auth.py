"""Accounts, roles, rate-limited sign-in and session expiry (planner/office/auth.py)."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from planner.office import auth
from planner.office.audit import AuditLog, Client

PASSWORD = "correct horse battery"
REMOTE = Client("192.0.2.50", False)
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def office(tmp_path: Path) -> tuple[auth.UserStore, AuditLog, Path]:
    path = auth.store_path(auth.office_dir(tmp_path / "office"))
    return auth.UserStore(path), AuditLog(path), path


def test_store_folder_and_file_are_for_the_service_only(tmp_path: Path) -> None:
    folder = auth.office_dir(tmp_path / "office")
    path = auth.store_path(folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600


def test_passwords_are_argon2id_hashes_and_verify(office) -> None:  # type: ignore[no-untyped-def]
    users, _, path = office
    users.add("boss", PASSWORD, "admin")
    with sqlite3.connect(path) as db:
        (stored,) = db.execute("SELECT hash FROM users").fetchone()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert users.verify("boss", PASSWORD) == auth.User("boss", "admin", "", True)
    assert users.verify("boss", PASSWORD + "x") is None
    assert users.verify("nobody", PASSWORD) is None


def test_disable_and_reset(office) -> None:  # type: ignore[no-untyped-def]
    users, _, _ = office
    users.add("c1", PASSWORD, "community", "桂园社区")
    users.disable("c1")
    assert users.verify("c1", PASSWORD) is None
    users.reset("c1", "another good one")
    assert users.verify("c1", "another good one") is not None
    assert users.verify("c1", PASSWORD) is None
    assert [(u.username, u.community, u.active) for u in users.users()] == [
        ("c1", "桂园社区", True)
    ]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("a b", PASSWORD, "admin"), "user_bad_name"),
        (("boss2", PASSWORD, "root"), "user_bad_role"),
        (("c2", PASSWORD, "community"), "user_needs_community"),
        (("boss2", "short", "admin"), "user_short_password"),
        (("boss", PASSWORD, "viewer"), "user_exists"),
    ],
)
def test_bad_accounts_are_refused(office, args, code) -> None:  # type: ignore[no-untyped-def]
    users, _, _ = office
    users.add("boss", PASSWORD, "admin")
    with pytest.raises(auth.AccountError) as err:
        users.add(*args)
    assert err.value.code == code
    with pytest.raises(auth.AccountError, match="user_unknown"):
        users.reset("ghost", PASSWORD)


def test_failed_sign_ins_lock_the_account_then_unlock(office) -> None:  # type: ignore[no-untyped-def]
    users, log, _ = office
    users.add("boss", PASSWORD, "admin")
    for k in range(auth.MAX_FAILURES):
        out = auth.sign_in(
            users, log, "boss", "guess", REMOTE, T0 + dt.timedelta(seconds=k)
        )
        assert out.outcome == "failed"
    # locked: even the right password is not checked
    late = T0 + dt.timedelta(minutes=1)
    assert auth.sign_in(users, log, "boss", PASSWORD, REMOTE, late).outcome == "locked"
    after = T0 + auth.LOCK_WINDOW + dt.timedelta(minutes=1)
    ok = auth.sign_in(users, log, "boss", PASSWORD, Client("", True), after)
    assert ok.outcome == "ok" and ok.user is not None and ok.user.role == "admin"
    events = [r["event"] for r in reversed(log.rows())]
    assert events == ["signin_failed"] * auth.MAX_FAILURES + ["signin_locked", "signin"]


def test_one_remote_address_guessing_many_names_is_locked(office) -> None:  # type: ignore[no-untyped-def]
    users, log, _ = office
    users.add("boss", PASSWORD, "admin")
    for k in range(auth.MAX_ADDRESS_FAILURES):
        auth.sign_in(users, log, f"name{k}", "guess", REMOTE, T0)
    assert auth.sign_in(users, log, "boss", PASSWORD, REMOTE, T0).outcome == "locked"
    other = Client("192.0.2.51", False)
    assert auth.sign_in(users, log, "boss", PASSWORD, other, T0).outcome == "ok"


def test_sessions_expire_idle_and_at_the_day_limit() -> None:
    s = auth.Session(auth.User("v", "viewer"), T0, T0)
    assert not s.expired(T0 + auth.IDLE_TIMEOUT)
    assert s.expired(T0 + auth.IDLE_TIMEOUT + dt.timedelta(seconds=1))
    busy = s
    for k in range(1, 30):  # used every 25 minutes: never idle, still ends
        busy = busy.touched(T0 + dt.timedelta(minutes=25 * k))
    assert busy.expired(T0 + dt.timedelta(minutes=25 * 29))
    assert not busy.expired(T0 + auth.MAX_SESSION - dt.timedelta(minutes=1))


def test_sign_in_off_only_on_loopback_for_a_local_browser() -> None:
    local = Client("", True)
    assert auth.signin_off("off", "127.0.0.1", local)
    assert not auth.signin_off("off", "0.0.0.0", local)  # served to the network
    assert not auth.signin_off("off", "", local)  # Streamlit's default: every address
    assert not auth.signin_off("off", "127.0.0.1", REMOTE)
    assert not auth.signin_off(None, "127.0.0.1", local)


def test_masked_roles_cannot_load_unmask_or_read_the_audit() -> None:
    for role in ("community", "viewer"):
        user = auth.User("x", role, "桂园社区" if role == "community" else "")
        for permission in ("load", "path_loader", "solve", "unmasked", "audit"):
            assert not auth.allowed(user, permission)
    assert not auth.allowed(auth.User("c", "community", "桂园社区"), "whole_street")
    assert auth.allowed(auth.User("v", "viewer"), "whole_street")
    assert all(
        auth.allowed(auth.User("a", "admin"), p) for p in auth.PERMISSIONS["admin"]
    )


def test_every_page_of_the_app_has_a_permission_entry() -> None:
    """A new page must say who may open it; none falls through to 'every role'."""
    from planner.app.gate import ALL_PAGES
    from planner.office.auth import PAGE_PERMISSION, PERMISSIONS

    assert {p.url_path for p in ALL_PAGES} == set(PAGE_PERMISSION)
    granted = set().union(*PERMISSIONS.values())
    assert {v for v in PAGE_PERMISSION.values() if v is not None} <= granted


def test_every_audit_event_has_words_in_both_languages() -> None:
    """The audit page names each event in words; an event recorded without them
    would stop the page (it did: a download fetched again had none)."""
    from planner.office.audit import EVENTS
    from planner.text import TEXT

    missing = [e for e in EVENTS if f"notices_audit_event_{e}" not in TEXT]
    assert missing == []
