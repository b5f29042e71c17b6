"""`planner users add|reset|disable|list` on a store folder."""

import io
from pathlib import Path

import pytest

from planner.cli import main
from planner.office.auth import UserStore, store_path


def _run(
    monkeypatch: pytest.MonkeyPatch, office: Path, *argv: str, stdin: str = ""
) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--lang", "en", "users", "--office", str(office), *argv])


def test_add_reset_disable_list(monkeypatch, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    office = tmp_path / "office"
    pw = "a long enough one\n"
    assert (
        _run(
            monkeypatch,
            office,
            "add",
            "boss",
            "--role",
            "admin",
            "--password-stdin",
            stdin=pw,
        )
        == 0
    )
    assert (
        _run(
            monkeypatch,
            office,
            "add",
            "gy",
            "--role",
            "community",
            "--community",
            "桂园社区",
            "--password-stdin",
            stdin=pw,
        )
        == 0
    )
    users = UserStore(store_path(office))
    assert users.verify("gy", "a long enough one") is not None
    assert (
        _run(
            monkeypatch,
            office,
            "reset",
            "gy",
            "--password-stdin",
            stdin="new password 123\n",
        )
        == 0
    )
    assert users.verify("gy", "new password 123") is not None
    assert _run(monkeypatch, office, "disable", "gy") == 0
    assert users.verify("gy", "new password 123") is None
    capsys.readouterr()
    assert _run(monkeypatch, office, "list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "boss\tadmin\t-\tactive",
        "gy\tcommunity\t桂园社区\tdisabled",
    ]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (
            ("add", "x1", "--role", "viewer", "--password-stdin"),
            "short\n",
            "at least 10",
        ),
        (
            ("add", "c9", "--role", "community", "--password-stdin"),
            "long enough pw\n",
            "needs --community",
        ),
        (("disable", "ghost"), "", "no user 'ghost'"),
    ],
)
def test_bad_requests_exit_2_with_a_message(
    monkeypatch, tmp_path: Path, capsys, argv, stdin, message
) -> None:  # type: ignore[no-untyped-def]
    assert _run(monkeypatch, tmp_path / "office", *argv, stdin=stdin) == 2
    assert message in capsys.readouterr().err
