"""Define the planner's errors and the input-problem record they carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


class PlannerError(Exception):
    """Base class of every error the planner raises on purpose."""


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

    severity: Literal["error", "warning"]
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
