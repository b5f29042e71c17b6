"""The office's hand edits in the app: versions, warm re-solve, undo (no Streamlit).

The pages call these; the session keeps one :class:`EditHistory`. Each edit makes a
new version of the edits, re-solves warm from the current plan
(:func:`planner.round.edits.plan_with_edits`) and keeps the version before it, so
undo restores the earlier plan exactly (it is kept, not solved again).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from planner.model.edits import Edits, PinEdit, SiteEdit
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.edits import PlanChange, plan_with_edits
from planner.round.run import RoundResult


@dataclass(frozen=True)
class Version:
    """One version of the plan: the edits it honours, the round, what it changed."""

    edits: Edits
    result: RoundResult
    change: PlanChange | None = None
    findings: tuple[tuple[str, str, dict[str, object]], ...] = ()


@dataclass(frozen=True)
class EditHistory:
    """Every version of this session's plan, oldest first (the last is current)."""

    versions: tuple[Version, ...] = ()

    @property
    def current(self) -> Version | None:
        """The version shown, or None before the first plan."""
        return self.versions[-1] if self.versions else None

    @property
    def edits(self) -> Edits:
        """The edits of the current version (none before the first plan)."""
        return self.current.edits if self.current else Edits()

    def start(self, edits: Edits, result: RoundResult) -> EditHistory:
        """Return a history whose only version is a plan solved cold."""
        return EditHistory((Version(edits, result),))

    def undo(self) -> EditHistory:
        """Return the history without its last version (the one before is current)."""
        return EditHistory(self.versions[:-1]) if len(self.versions) > 1 else self


def apply_edit(
    history: EditHistory,
    scenario: Scenario,
    policy: Policy,
    edits: Edits,
    params: SolveParams,
) -> EditHistory:
    """Re-solve warm from the current version under `edits`; return the longer history.

    Raises
    ------
    InfeasibleError, InputError
        The edit cannot hold (the message gives the numbers); the history is
        unchanged.
    """
    now = history.current
    if now is None:
        raise ValueError("no plan to edit")
    edits = dataclasses.replace(edits, version=now.edits.version + 1)
    r = plan_with_edits(
        scenario,
        policy,
        edits,
        params,
        current=now.result.plan,
        current_edits=now.edits,
    )
    return EditHistory(
        (*history.versions, Version(edits, r.result, r.change, r.findings))
    )


def close_site(edits: Edits, site: str, reason: str = "") -> Edits:
    """Return `edits` with `site` closed (its desks edit dropped)."""
    return edits.with_site(SiteEdit(site, "closed", reason))


def open_site(edits: Edits, site: str, reason: str = "") -> Edits:
    """Return `edits` with `site` forced open (locked, as a 固定点)."""
    kept = edits.site(site)
    desks, mode = (kept.desks, kept.desks_mode) if kept else (0, "fixed")
    return edits.with_site(SiteEdit(site, "open", reason, desks, mode))


def free_site(edits: Edits, site: str) -> Edits:
    """Return `edits` without any decision on `site`."""
    return dataclasses.replace(
        edits, sites=tuple(e for e in edits.sites if e.site != site)
    )


def set_desks(edits: Edits, site: str, desks: int, mode: str = "fixed") -> Edits:
    """Return `edits` with `site`'s desks fixed (or capped) at `desks`."""
    kept = edits.site(site)
    state = kept.state if kept and kept.state != "closed" else ""
    reason = kept.reason if kept else ""
    return edits.with_site(SiteEdit(site, state, reason, desks, mode))


def pin(edits: Edits, kind: str, target: str, site: str, slot: str = "") -> Edits:
    """Return `edits` with a building, compound or grid sent to `site`."""
    return edits.with_pin(PinEdit(kind, target, site, slot))


def site_count(edits: Edits, n: int, mode: str = "exactly") -> Edits:
    """Return `edits` with the number of sites set (0: no number)."""
    return dataclasses.replace(edits, site_count=n, site_count_mode=mode)


def date_and_start(edits: Edits, date: str, start: str) -> Edits:
    """Return `edits` with the screening date and the start of the window."""
    return dataclasses.replace(edits, date=date, window_start=start)
