"""The audit log: who signed in, loaded, solved and downloaded what, append-only in SQLite.

The log lives in the office's store (``office.sqlite``, see :mod:`planner.office.auth`)
beside the accounts. SQLite triggers refuse every ``UPDATE`` and ``DELETE`` on it, so
the application cannot rewrite history. Each row carries an HMAC-SHA256 link over its
fields and the link of the row before, keyed with a secret kept *outside* the
database (``audit.key`` in the office folder, mode 0600, or the file named by
``$PLANNER_AUDIT_KEY``), and a one-row table ``audit_head`` holds the number of rows,
the last id and link, signed with the same key. So :meth:`AuditLog.verify` finds

- an edited or deleted row anywhere (its link, or the next row's, no longer matches);
- rows deleted from the end (the signed head counts more rows than there are);
- a forged link or head (it cannot be recomputed without the key).

It cannot find: a rewrite by someone who also has the key file; the whole store
replaced by an older copy together with its own head (a restored backup), or the head
row put back from such a copy after deleting the newest rows; the file deleted. Keep a
copy of the key away from the office folder, and copies of the store, to tell these.

Under the Personal Information Protection Law the office must be able to show who saw
which personal data; the log is that record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.office.db import connect

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
    "load_failed",
    "fetch",
    "fetch_denied",
    "session_ended",
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
"""Columns of the log, in order (``chain`` is the keyed link to the row before)."""

KEY_FILE = "audit.key"
"""The key's file in the office folder (64 hex digits, mode 0600)."""

KEY_ENV = "PLANNER_AUDIT_KEY"
"""Environment variable naming a key file kept elsewhere (wins over :data:`KEY_FILE`)."""

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
CREATE TABLE IF NOT EXISTS audit_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    rows INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    chain TEXT NOT NULL,
    keyed_from INTEGER NOT NULL,
    mac TEXT NOT NULL
);
"""


def utc_now() -> dt.datetime:
    """Return the current time in UTC (seconds precision is what the log keeps)."""
    return dt.datetime.now(dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _text(previous: str, values: tuple[Any, ...]) -> bytes:
    text = previous + "\x1f" + "\x1f".join("" if v is None else str(v) for v in values)
    return text.encode("utf-8")


def _link(previous: str, values: tuple[Any, ...]) -> str:
    """Return the unkeyed link of rows written before the log had a key."""
    return hashlib.sha256(_text(previous, values)).hexdigest()


def _keyed_link(key: bytes, previous: str, values: tuple[Any, ...]) -> str:
    return hmac.new(key, _text(previous, values), hashlib.sha256).hexdigest()


def _head_mac(key: bytes, rows: int, last_id: int, chain: str, keyed_from: int) -> str:
    text = f"head\x1f{rows}\x1f{last_id}\x1f{chain}\x1f{keyed_from}".encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def key_path(folder: Path) -> Path:
    """Return where the log's key is: ``$PLANNER_AUDIT_KEY`` or ``folder/audit.key``."""
    named = os.environ.get(KEY_ENV)
    return Path(named).expanduser() if named else folder / KEY_FILE


def load_key(path: Path) -> bytes:
    """Return the key in `path`, creating a random one (mode 0600) when there is none."""
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


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

    def __init__(self, path: Path, key_file: Path | None = None) -> None:
        self.path = path
        self.key_file = key_file or key_path(path.parent)
        self._key = load_key(self.key_file)
        with connect(self.path) as db:
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM audit_head").fetchone() is None:
                # a new log, or one written before it had a key: its rows so far keep
                # their unkeyed links, every row from here on is keyed
                n, last = db.execute("SELECT COUNT(*), MAX(id) FROM audit").fetchone()
                row = db.execute(
                    "SELECT chain FROM audit ORDER BY id DESC LIMIT 1"
                ).fetchone()
                self._write_head(
                    db, n, last or 0, row[0] if row else "", (last or 0) + 1
                )

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
        with connect(self.path) as db:
            # BEGIN IMMEDIATE: the chain link must be computed from the true last row
            db.execute("BEGIN IMMEDIATE")
            rows, _last, previous, keyed_from = db.execute(
                "SELECT rows, last_id, chain, keyed_from FROM audit_head"
            ).fetchone()
            chain = _keyed_link(self._key, previous, values)
            cur = db.execute(
                "INSERT INTO audit (at, event, username, role, client, kind, masked,"
                " reason, detail, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, chain),
            )
            self._write_head(db, rows + 1, int(cur.lastrowid or 0), chain, keyed_from)

    def _write_head(
        self,
        db: sqlite3.Connection,
        rows: int,
        last_id: int,
        chain: str,
        keyed_from: int,
    ) -> None:
        mac = _head_mac(self._key, rows, last_id, chain, keyed_from)
        db.execute(
            "INSERT OR REPLACE INTO audit_head VALUES (1, ?, ?, ?, ?, ?)",
            (rows, last_id, chain, keyed_from, mac),
        )

    def rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Return the log, newest first (all rows, or the last `limit`)."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id DESC"
        params: tuple[int, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        with connect(self.path) as db:
            return [dict(zip(COLUMNS, r, strict=True)) for r in db.execute(sql, params)]

    def count(
        self,
        event: str,
        *,
        since: dt.datetime,
        username: str | None = None,
        client_address: str | None = None,
        client_label: str | None = None,
    ) -> int:
        """Return how many `event` rows there are since `since` (by user or address).

        `client_address` is a remote address; `client_label` the log's own name of a
        client (:attr:`Client.label`, ``local`` included).
        """
        sql = "SELECT COUNT(*) FROM audit WHERE event = ? AND at >= ?"
        params: list[Any] = [event, _stamp(since)]
        if username is not None:
            sql += " AND username = ?"
            params.append(username[:64])
        if client_address is not None:
            client_label = f"remote {client_address}".strip()
        if client_label is not None:
            sql += " AND client = ?"
            params.append(client_label)
        with connect(self.path) as db:
            return int(db.execute(sql, params).fetchone()[0])

    def verify(self) -> int | None:
        """Return the id of the first row the log cannot vouch for, or None if intact.

        A row whose link is wrong (edited, or a row before it deleted) gives its own
        id; rows missing at the end, or a head that is not the key's, give the id
        after the last row left.
        """
        previous = ""
        n, last = 0, 0
        with connect(self.path) as db:
            head = db.execute(
                "SELECT rows, last_id, chain, keyed_from, mac FROM audit_head"
            ).fetchone()
            keyed_from = int(head[3]) if head else 1
            for r in db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id"):
                values = tuple(r[1:-1])
                rid = int(r[0])
                want = (
                    _link(previous, values)
                    if rid < keyed_from
                    else _keyed_link(self._key, previous, values)
                )
                if not hmac.compare_digest(want, str(r[-1])):
                    return rid
                previous = str(r[-1])
                n, last = n + 1, rid
        if head is None:
            return last + 1
        rows, last_id, chain, _kf, mac = head
        signed = _head_mac(self._key, int(rows), int(last_id), str(chain), keyed_from)
        if not hmac.compare_digest(signed, str(mac)) or (rows, last_id, chain) != (
            n,
            last,
            previous,
        ):
            return last + 1
        return None

    def signed_rows(self) -> int:
        """Return how many rows the signed head says the log holds."""
        with connect(self.path) as db:
            row = db.execute("SELECT rows FROM audit_head").fetchone()
        return int(row[0]) if row else 0
