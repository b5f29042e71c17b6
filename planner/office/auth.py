"""Accounts, roles and sign-in rules for the planner served to an office.

Accounts live in the office's store, one SQLite file (``office.sqlite``) in a folder only
the service's user can read (mode 0700; the file 0600), beside the audit log. Passwords
are kept as Argon2id hashes made by ``argon2-cffi`` (the reference implementation's
binding); nothing here does its own cryptography. The store is created and changed from
the CLI (``planner users add|reset|disable``) by whoever runs the service.

Roles (:data:`ROLES`) and what each may do (:data:`PERMISSIONS`) are one table, so a
page or a download asks :func:`allowed` and never compares role names itself.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from planner.office.audit import AuditLog, Client, utc_now
from planner.office.db import connect

ROLES = ("admin", "community", "viewer")
"""指挥部 (everything), 社区 (its own community only, masked), 查看 (read-only, masked)."""

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "load",
            "path_loader",
            "solve",
            "drill",
            "unmasked",
            "audit",
            "whole_street",
            "command",
        }
    ),
    "viewer": frozenset({"drill", "whole_street"}),
    "community": frozenset(),
}
"""What each role may do.

``load``/``solve``: change the office's scenario and plan; ``path_loader``: read a path
on the server; ``unmasked``: export full ID numbers and phones (with a reason);
``audit``: read and export the audit log; ``whole_street``: see every community's
households (a community account sees its own only); ``drill``: run drills;
``command``: the live command page (its server calls the day-of service and re-plans).
"""

PAGE_PERMISSION: dict[str, str | None] = {
    "start": None,  # the guided path: the steps and the state of each
    "data": None,
    "plan": None,
    "map": None,
    "schedule": None,
    "staff": None,
    "card": None,
    "drill": "drill",
    "tradeoff": "solve",  # solves the street again for every N: the office's own plan
    "export": None,
    "command": "command",  # the server calls the day-of service: admins only
    "audit": "audit",
    "campaign": "path_loader",  # reads a campaign folder on the server, every street
}
"""The permission a page needs (by URL path); None: every signed-in role."""

MAX_FAILURES = 5
"""Failed sign-ins allowed per account *from one address* in :data:`LOCK_WINDOW`.

Five tries leave room for typos while making guessing a 10-character password hopeless;
the same order as common office-system lockout rules. Counted per (account, address),
so someone who knows a name cannot lock its owner out from every other computer.
"""

MAX_ADDRESS_FAILURES = 20
"""Failed sign-ins allowed from one remote address, all names together (spraying)."""

MAX_ACCOUNT_FAILURES = 50
"""Failed sign-ins allowed for one account from all addresses together: guessing from
many machines. Ten times the per-address limit, so locking an account for everyone
takes many machines, not five tries."""

LOCK_WINDOW = dt.timedelta(minutes=15)
"""How far back failures count; an account unlocks by itself this long after the last."""

IDLE_TIMEOUT = dt.timedelta(minutes=30)
"""A session left idle this long must sign in again (an unattended office screen)."""

MAX_SESSION = dt.timedelta(hours=12)
"""No session outlives one working day, however active."""

MIN_PASSWORD = 10
"""Shortest password accepted (characters)."""

_NAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")

_HASHER = PasswordHasher()
"""Argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile)."""

_DUMMY_HASH = _HASHER.hash("not a password of anyone")
"""Verified against when an account does not exist, so both cases take as long."""

OFFICE_ENV = "PLANNER_OFFICE"
"""Environment variable naming the office's store folder."""

SIGNIN_ENV = "PLANNER_SIGNIN"
"""Set to ``off`` to run without sign-in; honoured only for browsers on this machine."""


def office_dir(explicit: Path | None = None) -> Path:
    """Return the office's store folder, created with mode 0700.

    `explicit` wins, then ``$PLANNER_OFFICE``, then ``~/.screening-planner``.
    """
    folder = explicit or Path(
        os.environ.get(OFFICE_ENV) or Path.home() / ".screening-planner"
    )
    folder = folder.expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # registers and hashes: the service's user only
    return folder


def store_path(folder: Path) -> Path:
    """Return the SQLite file of accounts and audit log in `folder` (mode 0600)."""
    path = folder / "office.sqlite"
    if not path.exists():
        path.touch(mode=0o600)
    path.chmod(0o600)
    return path


class AccountError(ValueError):
    """A user-store request that cannot be done; ``code`` names why (see text.py)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in (or stored) account.

    Attributes
    ----------
    username
        Login name.
    role
        One of :data:`ROLES`.
    community
        The community name a ``community`` account is limited to ("" otherwise).
    active
        False once disabled.
    """

    username: str
    role: str
    community: str = ""
    active: bool = True


def allowed(user: User, permission: str) -> bool:
    """Return whether `user`'s role grants `permission` (see :data:`PERMISSIONS`)."""
    return permission in PERMISSIONS.get(user.role, frozenset())


_USERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    community TEXT NOT NULL,
    hash TEXT NOT NULL,
    active INTEGER NOT NULL,
    changed TEXT NOT NULL
);
"""


class UserStore:
    """The office's accounts.

    Parameters
    ----------
    path
        The store file (see :func:`store_path`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(self.path) as db:
            db.executescript(_USERS_SCHEMA)

    def add(self, username: str, password: str, role: str, community: str = "") -> User:
        """Create an account.

        Raises
        ------
        AccountError
            Bad name, unknown role, a community account without its community, a short
            password, or a name already taken.
        """
        if not _NAME.match(username):
            raise AccountError("user_bad_name", name=username)
        if role not in ROLES:
            raise AccountError("user_bad_role", role=role)
        if role == "community" and not community.strip():
            raise AccountError("user_needs_community")
        if role != "community":
            community = ""
        _check_password(password)
        try:
            with connect(self.path) as db:
                db.execute(
                    "INSERT INTO users VALUES (?, ?, ?, ?, 1, ?)",
                    (
                        username,
                        role,
                        community.strip(),
                        _HASHER.hash(password),
                        utc_now().isoformat(timespec="seconds"),
                    ),
                )
        except sqlite3.IntegrityError:
            raise AccountError("user_exists", name=username) from None
        return User(username, role, community.strip())

    def reset(self, username: str, password: str) -> None:
        """Set a new password (and enable the account again)."""
        _check_password(password)
        self._update(username, "hash = ?, active = 1", (_HASHER.hash(password),))

    def disable(self, username: str) -> None:
        """Disable an account: it can no longer sign in (its history stays).

        Its sessions open now end at their next page run (:func:`still_valid`).
        """
        self._update(username, "active = 0", ())

    def get(self, username: str) -> User | None:
        """Return the stored account `username` (None when there is none)."""
        with connect(self.path) as db:
            row = db.execute(
                "SELECT role, community, active FROM users WHERE username = ?",
                (username,),
            ).fetchone()
        if row is None:
            return None
        return User(username, row[0], row[1], bool(row[2]))

    def _update(self, username: str, assign: str, values: tuple[str, ...]) -> None:
        with connect(self.path) as db:
            cur = db.execute(
                f"UPDATE users SET {assign}, changed = ? WHERE username = ?",
                (*values, utc_now().isoformat(timespec="seconds"), username),
            )
            if cur.rowcount == 0:
                raise AccountError("user_unknown", name=username)

    def users(self) -> list[User]:
        """Return every account, by name."""
        with connect(self.path) as db:
            rows = db.execute(
                "SELECT username, role, community, active FROM users ORDER BY username"
            ).fetchall()
        return [User(u, r, c, bool(a)) for u, r, c, a in rows]

    def verify(self, username: str, password: str) -> User | None:
        """Return the account if `password` is its password and it is active, else None."""
        with connect(self.path) as db:
            row = db.execute(
                "SELECT role, community, hash, active FROM users WHERE username = ?",
                (username,),
            ).fetchone()
        if row is None:
            # the same Argon2 work as a real check: no timing hint that a name exists
            _verify(_DUMMY_HASH, password)
            return None
        role, community, stored, active = row
        if not _verify(stored, password) or not active:
            return None
        if _HASHER.check_needs_rehash(stored):
            self._update(username, "hash = ?", (_HASHER.hash(password),))
        return User(username, role, community, True)


def _verify(stored: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("user_short_password", n=MIN_PASSWORD)


@dataclass(frozen=True, slots=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not (``failed``/``locked``)."""

    user: User | None
    outcome: str


def sign_in(
    store: UserStore,
    audit: AuditLog,
    username: str,
    password: str,
    client: Client,
    now: dt.datetime | None = None,
) -> SignIn:
    """Check a sign-in, rate-limited, and record it in the audit log.

    Refused without checking the password, so guessing stops, when within
    :data:`LOCK_WINDOW` there were :data:`MAX_FAILURES` failures for this account
    from this address, :data:`MAX_ADDRESS_FAILURES` from this remote address, or
    :data:`MAX_ACCOUNT_FAILURES` for this account from anywhere. The failures are
    counted from the audit log itself, so the limit holds across sessions and
    restarts.
    """
    now = now or utc_now()
    since = now - LOCK_WINDOW
    here = audit.count(
        "signin_failed", since=since, username=username, client_label=client.label
    )
    by_address = (
        0
        if client.local
        else audit.count("signin_failed", since=since, client_label=client.label)
    )
    by_name = audit.count("signin_failed", since=since, username=username)
    if (
        here >= MAX_FAILURES
        or by_address >= MAX_ADDRESS_FAILURES
        or by_name >= MAX_ACCOUNT_FAILURES
    ):
        audit.record("signin_locked", username=username, client=client, when=now)
        return SignIn(None, "locked")
    user = store.verify(username, password)
    if user is None:
        audit.record("signin_failed", username=username, client=client, when=now)
        return SignIn(None, "failed")
    audit.record(
        "signin", username=user.username, role=user.role, client=client, when=now
    )
    return SignIn(user, "ok")


def still_valid(store: UserStore, user: User) -> bool:
    """Whether a signed-in `user`'s account is still active with the same role.

    Checked on every page run, so disabling an account (or changing its role or
    community) ends its sessions at once rather than at :data:`MAX_SESSION`.
    """
    if user is LOCAL_USER:
        return True
    stored = store.get(user.username)
    return (
        stored is not None
        and stored.active
        and (stored.role, stored.community) == (user.role, user.community)
    )


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in session's clock: when it started and was last used."""

    user: User
    started: dt.datetime
    last_seen: dt.datetime

    def expired(self, now: dt.datetime) -> bool:
        """Whether the session is past :data:`IDLE_TIMEOUT` or :data:`MAX_SESSION`."""
        return now - self.last_seen > IDLE_TIMEOUT or now - self.started > MAX_SESSION

    def touched(self, now: dt.datetime) -> Session:
        """Return the session used at `now`."""
        return Session(self.user, self.started, now)


LOCAL_USER = User("local", "admin")
"""The one user of a sign-in-off session on this machine (see :func:`signin_off`)."""

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def is_loopback(address: str) -> bool:
    """Whether `address` is this machine."""
    return address in LOOPBACK or address.startswith("127.")


def signin_off(setting: str | None, server_address: str, client: Client) -> bool:
    """Whether this session runs without sign-in.

    Only when the setting says ``off`` *and* the server listens on loopback only *and*
    the browser is on this machine: a server opened to the network always asks.
    """
    return (
        (setting or "").strip().lower() == "off"
        and is_loopback(server_address or "")
        and client.local
    )
