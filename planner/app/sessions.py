"""Which browser holds which signed-in session, for the app's HTTP routes.

Streamlit serves a download as ``/media/<id>``: a plain HTTP request, outside the
websocket where the session and its sign-in live. To check such a request, the app's
guard (:mod:`planner.app.server`) gives every browser a random cookie
(:data:`BROWSER_COOKIE`, HttpOnly, SameSite=Strict); the sign-in gate binds that
cookie to the session when the session is signed in and on every page run, and
unbinds it at sign-out, expiry or when the account is disabled. A media request is
served only with a bound cookie whose session is still connected and not expired.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

BROWSER_COOKIE = "planner_browser"
"""The cookie naming a browser (random, 32 hex digits; set by the app's guard)."""


@dataclass(frozen=True, slots=True)
class Bound:
    """A browser's signed-in session.

    Attributes
    ----------
    session_id
        Streamlit's id of the session (its websocket connection).
    username, role
        Who is signed in.
    started, last_seen
        The sign-in session's clock (see :class:`planner.office.auth.Session`).
    """

    session_id: str
    username: str
    role: str
    started: dt.datetime
    last_seen: dt.datetime


_BOUND: dict[str, dict[str, Bound]] = {}
"""Sessions by browser cookie, then by session id (one browser, several tabs)."""
_LOCK = threading.Lock()


def bind(cookie: str, bound: Bound) -> None:
    """Bind a browser's cookie to its signed-in session (renewed on every page run)."""
    if cookie:
        with _LOCK:
            _BOUND.setdefault(cookie, {})[bound.session_id] = bound


def unbind(cookie: str, session_id: str | None = None) -> None:
    """Forget a browser's session (sign-out, expiry); every one when no id is given."""
    with _LOCK:
        if session_id is None:
            _BOUND.pop(cookie, None)
        else:
            _BOUND.get(cookie, {}).pop(session_id, None)


def unbind_user(username: str) -> None:
    """Forget every session of an account (disabled, or its role changed)."""
    with _LOCK:
        for tabs in _BOUND.values():
            for sid in [s for s, b in tabs.items() if b.username == username]:
                del tabs[sid]


def lookup(cookie: str | None) -> list[Bound]:
    """Return the sessions bound to a cookie (newest use first; empty when none)."""
    if not cookie:
        return []
    with _LOCK:
        tabs = list(_BOUND.get(cookie, {}).values())
    return sorted(tabs, key=lambda b: b.last_seen, reverse=True)
