"""The audit log: who signed in, loaded, solved and downloaded what, append-only in SQLite.

The log lives in the office's store (``office.sqlite``, see :mod:`planner.office.auth`)
beside the accounts. SQLite triggers refuse every ``UPDATE`` and ``DELETE`` on it, so
the application cannot rewrite history, and each row carries the SHA-256 of the row
before it, so an edit made behind the application's back (with another tool) shows up
in :meth:`AuditLog.verify`. Under the Personal Information Protection Law the office
must be able to show who saw which personal data; the log is that record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EVENTS = (
    "signin",
    "signin_failed",
    "signin_locked",
    "signout",
    "session_expired",
    "load",
    "load_denied",
    "solve",
    "solve_denied",
    "download",
    "download_denied",
    "page_denied",
)
"""What the log records (``event`` column)."""

COLUMNS = (
    "id",
    "at",
    "event",
    "username",
    "role",
    "client",
    "kind",
    "masked",
    "reason",
    "detail",
    "chain",
)
"""Columns of the log, in order (``chain`` is the SHA-256 link to the row before)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    client TEXT NOT NULL,
    kind TEXT NOT NULL,
    masked INTEGER,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    chain TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_event_at ON audit (event, at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def utc_now() -> dt.datetime:
    """Return the current time in UTC (seconds precision is what the log keeps)."""
    return dt.datetime.now(dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _link(previous: str, values: tuple[Any, ...]) -> str:
    text = previous + "\x1f" + "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request came from: its address and whether it is this machine.

    Attributes
    ----------
    address
        The peer's IP address as the web server saw it ("" when unknown).
    local
        Whether it is a loopback address (the browser runs on the server itself).
    """

    address: str
    local: bool

    @property
    def label(self) -> str:
        """Return how the log names the client (``local`` or ``remote <ip>``)."""
        return "local" if self.local else f"remote {self.address}".strip()


class AuditLog:
    """The append-only log in an SQLite file.

    Parameters
    ----------
    path
        The store file (created with its table and triggers when missing).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # one short connection per call: the app's sessions run in several threads
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def record(
        self,
        event: str,
        *,
        username: str = "",
        role: str = "",
        client: Client | None = None,
        kind: str = "",
        masked: bool | None = None,
        reason: str = "",
        detail: dict[str, Any] | None = None,
        when: dt.datetime | None = None,
    ) -> None:
        """Append one event.

        Parameters
        ----------
        event
            One of :data:`EVENTS`.
        username, role
            Who (empty before a sign-in succeeds).
        client
            Where from.
        kind
            What was loaded or downloaded (``assignments.csv``, ``exports.zip``, …).
        masked
            For downloads: whether ID numbers and phones were masked.
        reason
            The reason typed in for an unmasked export, or why something was refused.
        detail
            Anything else worth keeping (no personal data), stored as JSON.
        when
            The time (now by default; tests pass one).
        """
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        at = _stamp(when or utc_now())
        values = (
            at,
            event,
            username[:64],
            role,
            client.label if client else "",
            kind,
            None if masked is None else int(masked),
            reason[:500],
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        )
        with self._connect() as db:
            # BEGIN IMMEDIATE: the chain link must be computed from the true last row
            db.execute("BEGIN IMMEDIATE")
            row = db.execute(
                "SELECT chain FROM audit ORDER BY id DESC LIMIT 1"
            ).fetchone()
            chain = _link(row[0] if row else "", values)
            db.execute(
                "INSERT INTO audit (at, event, username, role, client, kind, masked,"
                " reason, detail, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, chain),
            )

    def rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Return the log, newest first (all rows, or the last `limit`)."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id DESC"
        params: tuple[int, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        with self._connect() as db:
            return [dict(zip(COLUMNS, r, strict=True)) for r in db.execute(sql, params)]

    def count(
        self,
        event: str,
        *,
        since: dt.datetime,
        username: str | None = None,
        client_address: str | None = None,
    ) -> int:
        """Return how many `event` rows there are since `since` (by user or address)."""
        sql = "SELECT COUNT(*) FROM audit WHERE event = ? AND at >= ?"
        params: list[Any] = [event, _stamp(since)]
        if username is not None:
            sql += " AND username = ?"
            params.append(username[:64])
        if client_address is not None:
            sql += " AND client = ?"
            params.append(f"remote {client_address}".strip())
        with self._connect() as db:
            return int(db.execute(sql, params).fetchone()[0])

    def verify(self) -> int | None:
        """Return the id of the first row whose chain link is wrong, or None if intact."""
        previous = ""
        with self._connect() as db:
            for r in db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id"):
                values = tuple(r[1:-1])
                if _link(previous, values) != r[-1]:
                    return int(r[0])
                previous = r[-1]
        return None
