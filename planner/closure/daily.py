"""The daily report (日报) the street sends up the chain, and its zero-report.

Figures, in the order a district's form asks for them: 应检 (due), 已检 (sampled),
未检 by reason, 补检 (catch-up planned), tubes and boxes sent and results back,
positive pools and their follow-up, staff and stock used, problems. With no records,
no results and nothing to follow up the report is a zero-report (零报告): the same
form, every figure 0, and the line that nothing happened — the report is still sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from planner.closure.close import Closing
from planner.closure.coverage import REASONS
from planner.model.policy import Policy
from planner.planning.consumables import Drivers, round_consumption


@dataclass(frozen=True)
class DailyReport:
    """One day's report.

    Attributes
    ----------
    day, street
        The date and the street's name.
    figures
        Key → number (see :data:`FIGURES`).
    by_community
        One row per community: ``community``, ``due``, ``sampled``, ``missing``, ``rate``.
    stock
        Items used: ``item``, ``unit``, ``quantity``.
    problems
        ``(code, params)`` of what went wrong, for the text package to word.
    zero
        Nothing to report (零报告).
    """

    day: dt.date
    street: str
    figures: dict[str, float]
    by_community: pd.DataFrame
    stock: pd.DataFrame
    problems: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    zero: bool = False


FIGURES = (
    "registered",
    "due",
    "sampled",
    "rate",
    "missing",
    *(f"reason_{r}" for r in REASONS),
    "catchup_people",
    "catchup_teams",
    "catchup_evening_sites",
    "records",
    "unresolved",
    "tubes",
    "boxes",
    "results_back",
    "results_pending",
    "positive_tubes",
    "control_people",
    "resample_households",
    "resample_teams",
    "staff_posts",
)
"""The report's figures, in order."""


def daily_report(
    closing: Closing,
    street: str,
    policy: Policy,
    staff_requirements: pd.DataFrame | None = None,
) -> DailyReport:
    """Build the day's report from the closing.

    Parameters
    ----------
    closing
        The closed round (:func:`planner.closure.close.close_round`).
    street
        The street's name.
    policy
        Pool size and the bill of materials (stock used).
    staff_requirements
        The plan's posts per site and shift (``needed``), or None.
    """
    c = closing
    cov = c.coverage.street
    recs = c.records
    tubes = recs.groupby("tube").size() if len(recs) else pd.Series(dtype=int)
    results = c.results.frame
    back = results[results["result"] != "pending"]
    pos = c.positives
    catch = c.catchup
    staff_posts = (
        int(staff_requirements["needed"].sum())
        if staff_requirements is not None and len(recs)
        else 0
    )
    f: dict[str, float] = {
        "registered": cov["registered"],
        "due": cov["due"],
        "sampled": cov["sampled"],
        "rate": cov["rate"] if len(recs) else 0.0,
        "missing": cov["missing"],
        **{f"reason_{r}": cov[f"reason_{r}"] for r in REASONS},
        "catchup_people": float(catch.people) if catch else 0.0,
        "catchup_teams": float(len(catch.teams)) if catch else 0.0,
        "catchup_evening_sites": float(len(catch.evening)) if catch else 0.0,
        "records": float(len(recs)),
        "unresolved": float(len(c.unresolved)),
        "tubes": float(len(tubes)),
        "boxes": float(recs["box"].replace("", pd.NA).nunique()) if len(recs) else 0.0,
        "results_back": float(back["tube"].isin(tubes.index).sum())
        if len(tubes)
        else 0.0,
        "results_pending": 0.0,
        "positive_tubes": float(len(pos.tubes)),
        "control_people": float(len(pos.control)),
        "resample_households": float(len(pos.visits)),
        "resample_teams": float(len(pos.teams)),
        "staff_posts": float(staff_posts),
    }
    f["results_pending"] = f["tubes"] - f["results_back"]
    if not len(recs):  # no sampling that day: nobody was due
        for key in ("due", "sampled", "missing", *(f"reason_{r}" for r in REASONS)):
            f[key] = 0.0
    drivers = Drivers(
        "DAY",
        person=len(recs),
        tube_single=int((tubes == 1).sum()) if len(tubes) else 0,
        tube_pool=int((tubes > 1).sum()) if len(tubes) else 0,
    )
    stock = (
        round_consumption([drivers], policy)[["item", "unit", "quantity"]]
        if len(recs)
        else pd.DataFrame(columns=["item", "unit", "quantity"])
    )
    problems: list[tuple[str, dict[str, object]]] = []
    if f["unresolved"]:
        problems.append(("closure_problem_unresolved", {"n": int(f["unresolved"])}))
    if len(recs) and f["missing"] > f["catchup_people"]:
        problems.append(
            (
                "closure_problem_uncovered",
                {"n": int(f["missing"] - f["catchup_people"])},
            )
        )
    if catch is not None and len(catch.dropped):
        problems.append(("closure_problem_catchup_dropped", {"n": len(catch.dropped)}))
    if len(pos.dropped) or (len(pos.visits) and not pos.visits["within"].all()):
        problems.append(("closure_problem_resample_late", {"n": len(pos.dropped)}))
    if pos.unknown_tubes:
        problems.append(
            (
                "closure_problem_unknown_tubes",
                {"n": len(pos.unknown_tubes), "tubes": ", ".join(pos.unknown_tubes)},
            )
        )
    if f["results_pending"]:
        problems.append(("closure_problem_pending", {"n": int(f["results_pending"])}))
    if f["reason_refused"]:
        problems.append(("closure_problem_refused", {"n": int(f["reason_refused"])}))
    table = c.coverage.tables["community"]
    by_comm = pd.DataFrame(
        {
            "community": table["community_name"],
            "due": table["due"],
            "sampled": table["sampled"],
            "missing": table["missing"],
            "rate": table["rate"],
        }
    )
    zero = not len(recs) and not len(results) and not len(pos.tubes)
    return DailyReport(c.day, street, f, by_comm, stock, problems, zero)
