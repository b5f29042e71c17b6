"""The sign-in gate and the office's shared plan, for the Streamlit app.

``app.py`` calls :func:`require_user` before navigation: it shows the sign-in form (and
stops) until the session is signed in, expires idle or old sessions, and fills the
session of every masked role from the office's board — the scenario and round the last
admin loaded and solved, cut to the account's community and masked by
:mod:`planner.office.scope`. Pages then read the session as before; they ask
:func:`can` for the few controls a role may not use, and wrap downloads in
:func:`audited` so each one is logged with its kind and masking.

Nothing personal goes to the server's log or the URL: the sign-in form posts over the
app's websocket, the session lives in server memory, and failures are recorded only in
the audit log.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from planner.app import sessions
from planner.app.state import PAGES, UPLOAD_TYPES, PageSpec
from planner.io.load import LoadedScenario
from planner.office import auth
from planner.office.audit import AuditLog, Client, utc_now
from planner.office.scope import community_round, community_scenario, masked_view
from planner.round.run import RoundResult
from planner.text import tr

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest upload, all files together (a 150,000-resident register is about 15 MB)."""

MAX_UPLOAD_FILES = 20
"""Most files in one upload (six tables, a policy, two layers, with room to spare)."""


@dataclass(frozen=True)
class Office:
    """The process's handles on the office store."""

    folder: Path
    users: auth.UserStore
    audit: AuditLog


@st.cache_resource(show_spinner=False)
def office() -> Office:
    """Open the office's store (``$PLANNER_OFFICE``) once per server process."""
    folder = auth.office_dir()
    path = auth.store_path(folder)
    uploads = folder / "uploads"
    shutil.rmtree(uploads, ignore_errors=True)  # a crashed run's registers go now
    uploads.mkdir(mode=0o700)
    return Office(folder, auth.UserStore(path), AuditLog(path))


def _t(key: str, **params: Any) -> str:
    code = st.session_state.get("ui_lang", st.session_state.get("lang"))
    return tr(key, "en" if code == "en" else "zh", **params)


def client() -> Client:
    """Return where this session's browser is (Streamlit gives None for loopback)."""
    address = st.context.ip_address
    if not isinstance(address, str):  # None for loopback; AppTest has no socket at all
        return Client("", True)
    return Client(address, auth.is_loopback(address))


def current_user() -> auth.User | None:
    """Return the session's user (None before sign-in)."""
    session: auth.Session | None = st.session_state.get("auth_session")
    return None if session is None else session.user


def can(permission: str) -> bool:
    """Whether the session's user has `permission` (see ``auth.PERMISSIONS``)."""
    user = current_user()
    return user is not None and auth.allowed(user, permission)


def record(event: str, **fields: Any) -> None:
    """Append an event by this session's user to the audit log."""
    user = current_user()
    office().audit.record(
        event,
        username=user.username if user else "",
        role=user.role if user else "",
        client=client(),
        **fields,
    )


def audited(
    kind: str, masked: bool, data: bytes | Callable[[], bytes], reason: str = ""
) -> Callable[[], bytes]:
    """Return download data that records the download (kind, masked) when clicked.

    Streamlit calls it on its own thread when the button is pressed, so the user,
    client and reason are taken now.
    """
    user, where, log = current_user(), client(), office().audit

    def payload() -> bytes:
        log.record(
            "download",
            username=user.username if user else "",
            role=user.role if user else "",
            client=where,
            kind=kind,
            masked=masked,
            reason=reason,
        )
        return data() if callable(data) else data

    return payload


MIN_REASON = 4
"""Shortest reason accepted for an unmasked export, characters (e.g. "核查身份")."""


def masked_frames(frames: dict[str, Any]) -> dict[str, Any]:
    """Return the tables with every ``phone`` column masked (the CSV downloads)."""
    from planner.model.identity import mask_phone

    out = {}
    for name, frame in frames.items():
        if "phone" in frame.columns:
            frame = frame.copy()
            frame["phone"] = [mask_phone(str(v)) for v in frame["phone"]]
        out[name] = frame
    return out


# --- sign-in -------------------------------------------------------------------------


def _signin_is_off() -> bool:
    return auth.signin_off(
        os.environ.get(auth.SIGNIN_ENV),
        str(st.get_option("server.address") or ""),
        client(),
    )


def require_user() -> auth.User | None:
    """Return the signed-in user, or show the sign-in form and return None."""
    now = utc_now()
    if _signin_is_off():
        st.session_state["auth_session"] = auth.Session(auth.LOCAL_USER, now, now)
        _bind_browser(st.session_state["auth_session"])
        st.sidebar.warning(_t("auth_off_banner"))
        return auth.LOCAL_USER
    session: auth.Session | None = st.session_state.get("auth_session")
    if session is not None and session.expired(now):
        record("session_expired")
        _clear_session()
        st.session_state["auth_notice"] = _t("auth_expired")
        session = None
    if session is not None and not auth.still_valid(office().users, session.user):
        # disabled (or its role changed) since sign-in: the session ends now
        record("session_ended")
        sessions.unbind_user(session.user.username)
        _clear_session()
        st.session_state["auth_notice"] = _t("auth_expired")
        session = None
    if session is None:
        _signin_form()
        return None
    session = session.touched(now)
    st.session_state["auth_session"] = session
    _bind_browser(session)
    user = session.user
    role = _t(f"role_{user.role}")
    who = f"{user.username} · {role}" + (
        f" · {user.community}" if user.community else ""
    )
    st.sidebar.caption(_t("auth_signed_in", who=who))
    if not auth.allowed(user, "unmasked"):
        st.sidebar.caption(_t("auth_masked_note"))
    st.sidebar.button(_t("auth_signout"), key="auth_signout", on_click=_sign_out)
    _sync_from_board(user)
    return user


def _signin_form() -> None:
    st.title(_t("auth_title"))
    if "auth_notice" in st.session_state:
        st.info(st.session_state["auth_notice"])
    if not office().users.users():  # a fresh install: say how to make the first account
        st.warning(_t("auth_no_users"))
    with st.form("auth_form"):
        name = st.text_input(_t("auth_username"), key="auth_username")
        password = st.text_input(
            _t("auth_password"), type="password", key="auth_password"
        )
        pressed = st.form_submit_button(_t("auth_submit"), type="primary")
    if not pressed:
        return
    office_ = office()
    outcome = auth.sign_in(
        office_.users, office_.audit, name.strip(), password, client()
    )
    if outcome.user is None:
        st.error(_t("auth_locked" if outcome.outcome == "locked" else "auth_failed"))
        return
    now = utc_now()
    st.session_state.pop("auth_notice", None)
    st.session_state["auth_session"] = auth.Session(outcome.user, now, now)
    st.rerun()


def _browser_cookie() -> str:
    """Return this browser's cookie set by the app's guard ("" without one: AppTest)."""
    try:
        value = st.context.cookies.get(sessions.BROWSER_COOKIE)
    except (AttributeError, RuntimeError):
        return ""
    return value if isinstance(value, str) else ""


def _bind_browser(session: auth.Session) -> None:
    """Let this browser fetch the session's downloads (see :mod:`planner.app.sessions`)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    cookie = _browser_cookie()
    if ctx is None or not cookie:
        return
    user = session.user
    sessions.bind(
        cookie,
        sessions.Bound(
            ctx.session_id, user.username, user.role, session.started, session.last_seen
        ),
    )


_SESSION_KEYS = (
    "auth_session",
    "loaded",
    "round",
    "plan",
    "plan_key",
    "plan_policy",
    "plan_seconds",
    "source_sig",
    "source_label",
    "board_version",
    "exports",
    "drill_result",
    "unmasked_reason",
    "exports_reason",
)


def _clear_session() -> None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        sessions.unbind(_browser_cookie(), ctx.session_id)
    for key in _SESSION_KEYS:
        st.session_state.pop(key, None)


def _sign_out() -> None:
    record("signout")
    _clear_session()
    st.session_state["auth_notice"] = _t("auth_signed_out")


AUDIT_PAGE = PageSpec.of("audit", "page_audit", ":material/policy:")
"""The admin-only page of the audit log (added to the menu by ``app.py``)."""


ALL_PAGES = (*PAGES, AUDIT_PAGE)
"""Every page; ``app.py`` hides those the user may not open (still reachable by URL)."""


def run_page(page: Any) -> None:
    """Run the chosen page, or refuse one the user may not open and log the attempt.

    Pages a role may not open are registered hidden rather than left out, so typing
    their address reaches this check (and the audit log) instead of Streamlit's
    silent fallback to the first page.
    """
    if page_allowed(str(page.url_path)):
        page.run()
        return
    record("page_denied", kind=str(page.url_path))
    st.error(_t("auth_page_denied"))


def page_allowed(url_path: str) -> bool:
    """Whether the session's user may open the page at `url_path`."""
    needed = auth.PAGE_PERMISSION.get(url_path)
    return needed is None or can(needed)


# --- the office's board: what admins loaded and solved, for everyone else ------------


_BOARD: dict[str, Any] = {"version": 0}
_BOARD_LOCK = threading.Lock()
_VIEWS: dict[tuple[int, str], tuple[LoadedScenario, RoundResult | None]] = {}
"""Cut and masked views of the board, by (board version, community or "")."""


def publish(session: Any) -> None:
    """Make the session's scenario and plan the office's (called after a load or solve)."""
    if not can("load"):
        return
    with _BOARD_LOCK:
        _BOARD.update(
            version=int(_BOARD["version"]) + 1,
            loaded=session.get("loaded"),
            round=session.get("round"),
            plan_key=session.get("plan_key"),
            plan_policy=session.get("plan_policy"),
            plan_seconds=session.get("plan_seconds", 0.0),
            source_label=session.get("source_label", ""),
        )
        _VIEWS.clear()
        session["board_version"] = _BOARD["version"]


def _view(version: int, community: str) -> tuple[LoadedScenario, RoundResult | None]:
    key = (version, community)
    if key not in _VIEWS:
        loaded: LoadedScenario = _BOARD["loaded"]
        result: RoundResult | None = _BOARD["round"]
        if community and result is not None:
            scenario, result = community_round(result, loaded.scenario, community)
        elif community:
            scenario, _ = community_scenario(loaded.scenario, community)
        else:
            scenario = loaded.scenario
        scenario, result = masked_view(scenario, result)
        # validation messages can quote a register's cells: admins only
        _VIEWS[key] = (LoadedScenario(scenario, loaded.policy, []), result)
    return _VIEWS[key]


def _sync_from_board(user: auth.User) -> None:
    """Give the session the office's current scenario and plan, as the user may see it."""
    state = st.session_state
    if auth.allowed(user, "load") and "loaded" in state:
        return  # an admin works on their own until they load or solve (then publish)
    with _BOARD_LOCK:
        version = int(_BOARD["version"])
        if state.get("board_version") == version or _BOARD.get("loaded") is None:
            return
        community = "" if auth.allowed(user, "whole_street") else user.community
        try:
            loaded, result = (
                (_BOARD["loaded"], _BOARD["round"])
                if auth.allowed(user, "unmasked")
                else _view(version, community)
            )
        except LookupError:
            st.sidebar.error(_t("auth_no_community", community=community))
            return
        suffix = hashlib.sha1(f"{version}|{community}|masked".encode()).hexdigest()[:8]
        state["loaded"] = loaded
        state["source_label"] = _BOARD.get("source_label", "")
        state["source_sig"] = f"board-{version}"
        for key in ("round", "plan", "plan_key", "plan_policy", "plan_seconds"):
            state.pop(key, None)
        if result is not None:
            state["round"] = result
            state["plan"] = result.plan
            state["plan_key"] = f"{_BOARD['plan_key']}-{suffix}"
            state["plan_policy"] = _BOARD["plan_policy"]
            state["plan_seconds"] = _BOARD["plan_seconds"]
        state.pop("exports", None)
        state["board_version"] = version


# --- loads ---------------------------------------------------------------------------


def may_load(source: str) -> bool:
    """Whether this session may load from `source`; a refusal is logged and shown."""
    if can("load") and (source != "path" or can("path_loader")):
        return True
    record("load_denied", kind=source)
    st.session_state["load_error"] = _t("auth_load_denied")
    return False


def check_uploads(files: Sequence[tuple[str, bytes]]) -> None:
    """Refuse uploads that are too many, too large or of a type not accepted.

    Raises
    ------
    ValueError
        With the reason, in the session's language.
    """
    if len(files) > MAX_UPLOAD_FILES:
        raise ValueError(_t("upload_too_many", n=MAX_UPLOAD_FILES))
    total = sum(len(data) for _, data in files)
    if total > MAX_UPLOAD_BYTES:
        raise ValueError(_t("upload_too_large", mb=MAX_UPLOAD_BYTES // 2**20))
    for name, _ in files:  # the loader then reports a file whose content is wrong
        if Path(name).suffix.lower().lstrip(".") not in UPLOAD_TYPES:
            raise ValueError(_t("upload_not_type", name=Path(name).name))


def upload_folder() -> Path:
    """Return a fresh folder (mode 0700) for this load's uploaded files."""
    return Path(tempfile.mkdtemp(prefix="load-", dir=office().folder / "uploads"))


def discard(folder: Path) -> None:
    """Remove an upload folder: the scenario is in memory, the register files go."""
    shutil.rmtree(folder, ignore_errors=True)
