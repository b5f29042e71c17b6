"""Reading one TOML file (policy, edits, district), its problems raised as issues."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue, reason_of


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """Return the text of the TOML file at `path` and its parsed document.

    Raises
    ------
    InputError
        ``file_unreadable`` (missing, no permission, not UTF-8, …) or
        ``toml_syntax`` (with the line and column), naming the file by its name.
    """
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        code = "file_unreadable"
        why = reason_of(exc)
    except tomllib.TOMLDecodeError as exc:
        code = "toml_syntax"
        why = reason_of(exc)
    raise InputError([Issue("error", code, path.name, params=why)]) from None
