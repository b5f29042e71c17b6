"""Run a whole round: plan, staff requirements, named roster, supplies.

The one orchestration of a round, used by the CLI and the app alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from planner.geo.walking import walk_arcs
from planner.model.edits import Edits
from planner.model.plan_tables import PlanTables
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.access import (
    AccessReport,
    EquityTradeoff,
    access_report,
    equity_tradeoff,
)
from planner.planning.codec import build_plan_tables, plan_summary
from planner.planning.consumables import (
    consumption_drivers,
    procurement_list,
    round_consumption,
    stock_status,
)
from planner.planning.norms import Norm, explain_norms
from planner.planning.plan import SolveParams, SolveRuntime, make_plan
from planner.planning.roster import Roster, build_roster, shift_counts
from planner.planning.staffing import (
    GuidelineComparison,
    compare_with_guideline,
    staff_requirements,
)
from planner.round.certify import Certification, certify_plan
from planner.text import by_language


@dataclass(frozen=True)
class RoundResult:
    """Everything planned for one round.

    Attributes
    ----------
    plan
        Sites, household assignments, routes.
    requirements
        Staff needed per site, shift and role.
    roster
        Named roster and shortfall.
    guideline
        Samplers against the ``population ÷ 360`` guideline.
    picks
        Consumables per site/team and item.
    stock
        Stock status per item and holder against the reserve rules.
    timings_s
        Wall seconds of the staffing and supplies stages.
    certification
        What the plan's own drill says of it (None when certification is off).
    norms
        The plan against the field's norms, with reasons.
    access
        Who walks how far (:mod:`planner.planning.access`).
    equity
        Under an equity objective (``access.objective`` not ``walk``): the plan against
        the one that minimises total walking; None otherwise.
    edits
        The office's hand edits the round was planned under (None: none given).
    """

    plan: Plan
    requirements: pd.DataFrame
    roster: Roster
    guideline: GuidelineComparison
    picks: pd.DataFrame
    stock: pd.DataFrame
    timings_s: dict[str, float]
    certification: Certification | None = None
    norms: tuple[Norm, ...] = ()
    access: AccessReport | None = None
    equity: EquityTradeoff | None = None
    edits: Edits | None = None


def run_round(
    scenario: Scenario,
    policy: Policy,
    params: SolveParams | None = None,
    *,
    certify: bool | None = None,
    longer_window: bool = True,
    runtime: SolveRuntime | None = None,
) -> RoundResult:
    """Plan the round, certify it with its own drill, then staff and supply it.

    Parameters
    ----------
    scenario, policy, params
        The street, every tunable number, solver settings.
    certify
        Run the certification drill (and re-plan while a target is missed); None
        follows ``policy.certify.enabled``.
    longer_window
        Whether certification may lengthen the window when the pool leaves sampler
        posts empty (:func:`planner.round.certify.certify_plan`).
    runtime
        The cancel token and helper process every solve of the round runs with.
    """
    params = params or SolveParams()
    plan = make_plan(scenario, policy, params, runtime=runtime)
    te = time.perf_counter()
    equity = _equity_tradeoff(scenario, policy, params, plan, runtime)
    t_equity = time.perf_counter() - te
    certification = None
    tc = time.perf_counter()
    if policy.certify.enabled if certify is None else certify:
        first = plan
        plan, certification = certify_plan(
            scenario,
            policy,
            params,
            first,
            longer_window=longer_window,
            runtime=runtime,
        )
        if plan is not first:
            # the solve that chose the sites is the first plan's
            timings = {**first.timings_s, "replan": plan.timings_s.get("total", 0.0)}
            plan = replace(plan, timings_s=timings)
    t_cert = time.perf_counter() - tc
    t0 = time.perf_counter()
    if certification is not None and certification.roster is not None:
        # the roster the plan was certified on
        assert certification.requirements is not None
        requirements, roster = certification.requirements, certification.roster
    else:
        requirements = staff_requirements(plan, scenario)
        roster = build_roster(requirements, scenario, plan.policy, seed=params.seed)
    t1 = time.perf_counter()
    # PPE per shift worked (a sampler's second shift takes a second set), not per
    # roster period
    shifts = shift_counts(roster)
    picks = round_consumption(consumption_drivers(plan, scenario, shifts), policy)
    stock = stock_status(picks, scenario.inventory, policy)
    t2 = time.perf_counter()
    access = access_report(scenario, plan, walk_arcs(scenario, plan.policy.walking))
    t3 = time.perf_counter()
    return RoundResult(
        plan,
        requirements,
        roster,
        compare_with_guideline(plan, requirements, shifts),
        picks,
        stock,
        {
            "certify": t_cert,
            "staff_and_roster": t1 - t0,
            "supplies": t2 - t1,
            "access": t3 - t2,
            **({"equity_baseline": t_equity} if equity is not None else {}),
        },
        certification,
        explain_norms(plan, requirements, shifts),
        access,
        equity,
    )


def _equity_tradeoff(
    scenario: Scenario,
    policy: Policy,
    params: SolveParams,
    plan: Plan,
    runtime: SolveRuntime | None,
) -> EquityTradeoff | None:
    """Plan again minimising total walking, and compare (None under ``walk``).

    Against the equity plan as the solve gave it, before certification adds desks,
    so both sides are the location model's answer; the plain plan routes no teams
    (the routes do not depend on the sites).
    """
    objective = policy.access.objective
    if objective == "walk":
        return None
    plain = make_plan(
        scenario,
        policy.with_values(**{"access.objective": "walk"}),
        replace(params, home_visits=False),
        runtime=runtime,
    )
    return equity_tradeoff(scenario, plain, plan, objective)


def round_summary(result: RoundResult, scenario: Scenario) -> dict[str, Any]:
    """Return ``plan.json``: the plan summary plus staffing and stock headlines."""
    summary = plan_summary(result.plan, scenario)
    g = result.guideline
    short = result.roster.shortfall
    summary["timings_s"].update({k: round(v, 3) for k, v in result.timings_s.items()})
    summary["staff"] = {
        "positions": int(result.requirements["needed"].sum()),
        "rostered": len(result.roster.assignments),
        "missing": int(short["missing"].sum()) if len(short) else 0,
        "missing_by_role": {
            str(k): int(v) for k, v in short.groupby("role")["missing"].sum().items()
        }
        if len(short)
        else {},
        "roster_status": result.roster.status,
        "guideline": {
            "population": g.population,
            "guideline_samplers": g.guideline_samplers,
            "samplers_on_duty": g.on_duty,
            "sampler_headcount": g.headcount,
            **by_language("reasons", g.reasons),
        },
    }
    stock = result.stock
    p = result.plan.policy
    summary["supplies"] = {
        "full_load": {
            "rounds_per_day": p.round.rounds_per_day,
            "street_days": p.stock.street_reserve_days,
            "health_center_days": p.stock.health_center_reserve_days,
            "hospital_days": p.stock.hospital_reserve_days,
            "street_rounds": p.round.rounds_per_day * p.stock.street_reserve_days,
            "health_center_rounds": p.round.rounds_per_day
            * p.stock.health_center_reserve_days,
        },
        "items_short": int((stock["shortfall"] > 0).sum()),
        "short": [
            {
                "item": str(r["item"]),
                "holder": str(r["holder"]),
                "kind": str(r["kind"]),
                "shortfall": int(r["shortfall"]),
                "days_of_supply": float(r["days_of_supply"]),
                "days_at_burn_rate": None
                if pd.isna(r["days_at_burn_rate"])
                else float(r["days_at_burn_rate"]),
            }
            for r in stock[stock["shortfall"] > 0].to_dict("records")
        ],
        "reusable": [
            {
                "item": str(r["item"]),
                "holder": str(r["holder"]),
                "needed": int(r["required_stock"]),
                "on_hand": float(r["on_hand"]),
            }
            for r in stock[stock["kind"] == "reusable"].to_dict("records")
        ],
    }
    summary["certification"] = (
        None if result.certification is None else result.certification.to_dict()
    )
    summary["norms"] = [n.to_dict() for n in result.norms]
    if result.access is not None:
        summary["access"] = result.access.to_dict(scenario)
    summary["equity"] = None if result.equity is None else result.equity.to_dict()
    if result.edits is not None and not result.edits.empty:
        summary["edits"] = result.edits.to_dict()
    return summary


def round_tables(result: RoundResult, scenario: Scenario) -> PlanTables:
    """Return the round as the plan's tables plus staff, roster, supplies and picks."""
    tables = {
        "staff_requirements": result.requirements,
        "staff": result.roster.assignments,
        "staff_shortfall": result.roster.shortfall,
        "supplies": result.stock,
        "supplies_by_site": result.picks,
        "procurement": procurement_list(result.stock),
    }
    return build_plan_tables(
        result.plan,
        scenario,
        summary=round_summary(result, scenario),
        extra_tables=tables,
    )
