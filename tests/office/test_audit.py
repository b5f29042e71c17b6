"""The audit log is append-only and shows edits made behind its back."""

import sqlite3
from pathlib import Path

import pytest

from planner.office.audit import AuditLog, Client


def _log(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "office.sqlite")
    log.record("signin", username="boss", role="admin", client=Client("", True))
    log.record(
        "download",
        username="boss",
        role="admin",
        client=Client("192.0.2.9", False),
        kind="exports.zip",
        masked=False,
        reason="核查身份",
    )
    return log


def test_rows_keep_who_what_and_masking(tmp_path: Path) -> None:
    rows = _log(tmp_path).rows()
    assert [r["event"] for r in rows] == ["download", "signin"]
    assert rows[0]["client"] == "remote 192.0.2.9" and rows[1]["client"] == "local"
    assert (rows[0]["kind"], rows[0]["masked"], rows[0]["reason"]) == (
        "exports.zip",
        0,
        "核查身份",
    )


@pytest.mark.parametrize(
    "sql", ["UPDATE audit SET username = 'someone'", "DELETE FROM audit"]
)
def test_updates_and_deletes_are_refused(tmp_path: Path, sql: str) -> None:
    log = _log(tmp_path)
    with (
        sqlite3.connect(log.path) as db,
        pytest.raises(sqlite3.DatabaseError, match="append-only"),
    ):
        db.execute(sql)
    assert len(log.rows()) == 2


def test_an_edit_behind_the_triggers_breaks_the_chain(tmp_path: Path) -> None:
    log = _log(tmp_path)
    assert log.verify() is None
    with sqlite3.connect(log.path) as db:
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET masked = 1 WHERE event = 'download'")
    assert log.verify() == 2


def test_unknown_events_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown audit event"):
        _log(tmp_path).record("coffee")
