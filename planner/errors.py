"""Define the planner's errors and the input-problem record they carry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


class PlannerError(Exception):
    """Base class of every error the planner raises on purpose.

    What the user reads is carried as a text key and its values (:attr:`key`,
    :attr:`values`), rendered in the reader's language at the edge
    (:func:`planner.text.error_text`); layers below the edge do not know the
    language. An error raised with plain text (a bug's message, a library's) keeps
    it.

    Parameters
    ----------
    message
        Plain text, for errors no user is meant to read in their language.
    key
        A key of :data:`planner.text.TEXT`.
    values
        The values filled into the key's text.
    """

    def __init__(
        self,
        message: str = "",
        *,
        key: str = "",
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.key = key
        self.values = dict(values or {})
        super().__init__(message or key)


class InfeasibleError(PlannerError):
    """No plan satisfies the rules; the message says why, with numbers."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the input, located as precisely as possible.

    Parameters
    ----------
    severity
        ``error`` stops the run; ``warning`` is listed and the run goes on.
    code
        Stable message code, a key of :data:`planner.text.MESSAGES`.
    file
        File (and sheet, as ``book.xlsx#sheet``) the problem is in, or ``""``.
    row
        1-based row number as the user sees it in Excel (header is row 1), or None.
    column
        Header of the column as written in the file, or ``""``.
    params
        Values filled into the message template (never personal data).
    """

    severity: Literal["error", "warning", "note"]
    code: str
    file: str = ""
    row: int | None = None
    column: str = ""
    params: tuple[tuple[str, str], ...] = ()


class InputError(PlannerError):
    """The scenario has problems; `issues` lists all of them (errors and warnings)."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        n_err = sum(1 for i in issues if i.severity == "error")
        super().__init__(f"{n_err} error(s) in the input")


_AT = re.compile(r"line (\d+),? column (\d+)")


def reason_of(exc: BaseException) -> tuple[tuple[str, str], ...]:
    """Return issue params saying why a file could not be read, as reason codes.

    The codes are keys of :data:`planner.text.REASONS`, rendered in the run's
    language; the operating system's or a parser's own (English) words never reach
    the user. A parser's line and column, where it gives them, are kept.
    """
    if isinstance(exc, FileNotFoundError):
        return (("why", "not_found"),)
    if isinstance(exc, PermissionError):
        return (("why", "no_permission"),)
    if isinstance(exc, IsADirectoryError):
        return (("why", "is_folder"),)
    if isinstance(exc, NotADirectoryError):
        return (("why", "not_folder"),)
    if isinstance(exc, UnicodeDecodeError):
        return (("why", "encoding"),)
    at = _AT.search(str(exc))
    if at is not None:
        return (("why", "syntax_at"), ("line", at.group(1)), ("col", at.group(2)))
    if isinstance(exc, OSError):
        return (("why", "os_error"),)
    return (("why", "damaged"),)
