"""Close a round in one call: match, count, list, catch up, follow positives up.

The only orchestration of the closing, used by ``planner records close``,
``planner report`` and the ops service, so all three count the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.closure.catchup import CatchUp, plan_catchup
from planner.closure.coverage import Coverage, coverage
from planner.closure.matching import Matching, match_records
from planner.closure.positives import PositiveFollowUp, follow_up
from planner.io.records import LabResults
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario


@dataclass(frozen=True)
class Closing:
    """Everything known at the end of a round's day.

    Attributes
    ----------
    day
        The date.
    records
        The records, with ``resident`` (-1 none), ``status`` and ``why`` of the match.
    matching, coverage
        The match and the counts.
    results
        The labs' results (may be empty).
    catchup
        The catch-up plan (None when not asked for).
    positives
        The positive pools' follow-up.
    """

    day: dt.date
    records: pd.DataFrame
    matching: Matching
    coverage: Coverage
    results: LabResults
    catchup: CatchUp | None
    positives: PositiveFollowUp

    @property
    def unresolved(self) -> pd.DataFrame:
        """Ambiguous and unmatched records: listed, never counted."""
        f = self.records
        return f[f["status"].isin(["ambiguous", "unmatched"])].reset_index(drop=True)


def close_round(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    records: pd.DataFrame,
    results: LabResults,
    reasons: pd.DataFrame | None,
    *,
    day: dt.date,
    catchup: bool = True,
    time_limit_s: float = 10.0,
) -> Closing:
    """Match the records, count coverage, plan the catch-up and the positives' visits.

    Parameters
    ----------
    scenario, plan, policy
        The street, the day's plan and the policy.
    records
        From :func:`planner.io.records.read_records` (may be empty).
    results
        From :func:`planner.io.records.read_results`.
    reasons
        The filled lists (:func:`planner.io.records.read_reason_lists`), or None.
    day
        The date of the round.
    catchup
        Whether to route the catch-up.
    time_limit_s
        Safety cap of each routing search.
    """
    if scenario.residents is None:
        raise ValueError("closing a round needs the person-level register")
    m = match_records(records, scenario.residents)
    recs = records.copy()
    recs["resident"] = m.resident
    recs["status"] = m.status
    recs["why"] = m.why
    cov = coverage(scenario, m.sampled, reasons)
    remaining = np.flatnonzero(cov.missing)
    catch = (
        plan_catchup(scenario, plan, policy, remaining, time_limit_s=time_limit_s)
        if catchup and len(records)
        else None
    )
    frame = results.frame
    reported = {
        str(t): pd.Timestamp(v)
        for t, v in zip(frame["tube"], frame["reported_at"], strict=True)
    }
    pos = follow_up(
        scenario,
        policy,
        records,
        m.resident,
        results.positive_tubes,
        reported,
        time_limit_s=time_limit_s,
    )
    return Closing(day, recs, m, cov, results, catch, pos)
