"""TOML files (policy, edits, district) read by one reader, problems as issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.campaign.district import load_district
from planner.errors import InputError
from planner.model.edits import Edits
from planner.model.policy import Policy
from planner.model.toml_file import read_toml
from planner.text import render_issue


def test_a_good_file_gives_its_text_and_document(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[round]\nwindow_hours = 8\n", encoding="utf-8")
    assert read_toml(path) == (path.read_text(), {"round": {"window_hours": 8}})


MISSING = None
NOT_UTF8 = "[round]\nx = é\n".encode("gbk")
BAD_SYNTAX = b"[round]\nwindow_hours = = 8\n"


@pytest.mark.parametrize(
    ("reader", "content", "params"),
    [
        (reader, content, params)
        for reader in ("policy", "edits", "district")
        for content, params in (
            (MISSING, (("why", "not_found"),)),
            (NOT_UTF8, (("why", "encoding"),)),
            (BAD_SYNTAX, (("why", "syntax_at"),)),
        )
        # without district.toml a folder is one street, not an error
        if not (reader == "district" and content is MISSING)
    ],
)
def test_every_toml_reader_names_the_file_and_the_reason(
    tmp_path: Path,
    reader: str,
    content: bytes | None,
    params: tuple[tuple[str, str], ...],
) -> None:
    """The district file too says why in the run's language (it passed the parser's
    English through), and where: line and column of a syntax error."""
    name = {"policy": "policy.toml", "edits": "edits.toml"}.get(reader, "district.toml")
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        if reader == "policy":
            Policy.from_toml(path)
        elif reader == "edits":
            Edits.from_toml(path)
        else:
            load_district(tmp_path)
    (issue,) = err.value.issues
    assert issue.file == name
    assert issue.code == ("toml_syntax" if content is BAD_SYNTAX else "file_unreadable")
    assert issue.params[: len(params)] == params
    if params[0][1] == "syntax_at":
        assert dict(issue.params)["line"] == "2"
    assert "Invalid" not in render_issue(issue, lang="en")
