"""The office's SQLite file: one short connection per call.

Accounts (:mod:`planner.office.auth`) and the audit log (:mod:`planner.office.audit`)
share the file; the app's sessions run in several threads, so each call opens its own
connection, commits or rolls back with it, and closes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_S = 10.0
"""How long a call waits for another writer, seconds."""


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """Open `path`, yield the connection inside a transaction, then close it."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        with db:
            yield db
    finally:
        db.close()
