"""Certify a plan with its own drill, and re-plan with the street office's levers.

``planner plan`` ends here: the plan's day is played ``certify.replications`` times
(seeded, the same model of the day as ``planner drill``) and four chances are read
off: everyone sampled in the window, some site-slot over the queue limit, every
door-to-door team in time, the transport rules held. When a target of policy
``[certify]`` is missed the plan is changed and drilled again, at most
``certify.max_attempts`` plans in all, with the levers a street office has:

- an extra desk where the queue breaks, or where a site finishes late (bookings kept,
  so every slot gets headroom);
- more door-to-door teams with shorter routes (each route keeps more minutes free at
  the end of the window, ``home_visit.reserve_min``);
- a longer closing buffer (``round.closing_buffer_min``: no bookings in the closing
  slots, which moves their households into earlier slots) when sites at their
  maximum desks still finish late.

Only the closing buffer re-runs the location solve; the other levers keep every
building at its site. When the targets stay out of reach the result says so in
numbers (what the best attempt reached, and how many teams, desks or minutes are
missing) instead of pretending.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planner.drill.day import build_day
from planner.drill.simulate import DrillReport, simulate
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams, make_plan
from planner.text import join_list, tr, tr_both

EXTRA_RESERVE_STEP_MIN = 20.0
"""Least minutes a re-plan adds to every door-to-door route's end-of-window reserve
(more when the worst team's 95th-percentile finish is later than that)."""

LATE_SITE_P = 0.98
"""A site whose own chance of finishing in the window is below this gets a lever."""


@dataclass(frozen=True)
class Attempt:
    """One plan tried and its drill.

    Attributes
    ----------
    number
        1 for the first plan.
    levers
        What was changed for this attempt, ``(zh, en)`` each.
    figures
        The four chances, replications and seed.
    desks, teams, sites, samplers
        Size of the plan (samplers on duty: desks × samplers per desk + teams).
    """

    number: int
    levers: tuple[tuple[str, str], ...]
    figures: dict[str, Any]
    desks: int
    teams: int
    sites: int
    samplers: int


@dataclass(frozen=True)
class Certification:
    """What the drill says of the plan, and what it took.

    Attributes
    ----------
    met
        Every target reached by the plan kept.
    figures
        The kept plan's chances (``p_finish``, ``p_queue_over``, ``p_teams``,
        ``p_transport``) with ``replications`` and ``seed``.
    targets
        The targets of policy ``[certify]``.
    attempts
        Every plan tried, in order; the kept one is the last.
    cost
        Desks, teams, sites and samplers of the kept plan against the plan without
        the day's allowances (no closing buffer, no route reserve, no extra desks) at
        the same sites, and against the first attempt.
    unreachable
        When not met: what is missing, in numbers, ``(zh, en)`` each.
    wall_time_s
        Seconds spent certifying (drills and re-plans).
    """

    met: bool
    figures: dict[str, Any]
    targets: dict[str, float]
    attempts: tuple[Attempt, ...]
    cost: dict[str, dict[str, int]]
    unreachable: tuple[tuple[str, str], ...] = ()
    wall_time_s: float = 0.0
    levers: tuple[tuple[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return plain values for ``plan.json``."""
        return {
            "met": self.met,
            **self.figures,
            "targets": self.targets,
            "attempts": [
                {
                    "attempt": a.number,
                    "levers_zh": [x[0] for x in a.levers],
                    "levers_en": [x[1] for x in a.levers],
                    **a.figures,
                    "desks": a.desks,
                    "teams": a.teams,
                    "sites": a.sites,
                    "samplers": a.samplers,
                }
                for a in self.attempts
            ],
            "cost": self.cost,
            "unreachable_zh": [x[0] for x in self.unreachable],
            "unreachable_en": [x[1] for x in self.unreachable],
            "wall_time_s": round(self.wall_time_s, 3),
        }


def drill_figures(report: DrillReport) -> dict[str, Any]:
    """Return the four certified chances of a drill report."""
    st = report.street
    return {
        "p_finish": float(st["p_finish_in_window"]),
        "p_queue_over": float(st["p_queue_over_limit"]),
        "p_teams": float(st["teams_p_finish_in_window"]),
        "p_transport": float(st.get("transport_p_held", 1.0)),
        "replications": int(st["replications"]),
        "seed": int(st["seed"]),
    }


def targets_of(policy: Policy) -> dict[str, float]:
    """Return the certification targets of `policy`."""
    c = policy.certify
    return {
        "p_finish_min": c.p_finish_min,
        "p_queue_over_max": c.p_queue_over_max,
        "p_teams_min": c.p_teams_min,
    }


def meets(figures: dict[str, Any], policy: Policy) -> bool:
    """Whether drill figures reach every target of `policy`."""
    c = policy.certify
    return bool(
        figures["p_finish"] >= c.p_finish_min
        and figures["p_queue_over"] <= c.p_queue_over_max
        and figures["p_teams"] >= c.p_teams_min
    )


def drill_plan(
    scenario: Scenario, plan: Plan, policy: Policy, *, replications: int, seed: int
) -> DrillReport:
    """Play the plan's day `replications` times with `policy`'s model of the day."""
    return simulate(build_day(scenario, plan, policy, seed=seed), replications, seed)


def _size(plan: Plan) -> dict[str, int]:
    desks = int(plan.site_desks.sum())
    return {
        "desks": desks,
        "teams": len(plan.teams),
        "sites": int(plan.site_open.sum()),
        "samplers": desks * plan.policy.sampling.samplers_per_desk + len(plan.teams),
    }


def _attempt(
    number: int,
    levers: list[tuple[str, str]],
    report: DrillReport,
    plan: Plan,
) -> Attempt:
    size = _size(plan)
    return Attempt(
        number,
        tuple(levers),
        drill_figures(report),
        size["desks"],
        size["teams"],
        size["sites"],
        size["samplers"],
    )


def _lever(key: str, sites: list[str], **values: object) -> tuple[str, str]:
    """Return lever `key` in Chinese and English, naming `sites` as a list in each."""
    zh = tr(key, "zh", sites=join_list(sites, "zh"), **values)
    en = tr(key, "en", sites=join_list(sites, "en"), **values)
    return zh, en


def _minutes_late(clock: str, window_end: int) -> float:
    if not clock:
        return 0.0
    h, m = clock.split(":")
    return max(0.0, int(h) * 60 + int(m) - window_end)


def certify_plan(
    scenario: Scenario,
    policy: Policy,
    params: SolveParams,
    first: Plan,
) -> tuple[Plan, Certification]:
    """Drill `first`; while a target is missed, re-plan with the levers and drill again.

    Parameters
    ----------
    scenario
        The street.
    policy
        The policy `first` was made under (its ``[certify]`` section sets the targets,
        replications and attempts).
    params
        Solver settings (the seed also seeds the drill).
    first
        The plan to certify.

    Returns
    -------
    plan, certification
        The plan kept (the first one reaching every target, else the best tried) and
        what the drill says of it.
    """
    t0 = time.perf_counter()
    c = policy.certify
    reps, seed = c.replications, params.seed
    plan, pol = first, policy
    report = drill_plan(scenario, plan, pol, replications=reps, seed=seed)
    attempts = [_attempt(1, [], report, plan)]
    tried = [(plan, report)]
    extra: dict[int, int] = {}
    window_end = policy.round.end_min
    while not meets(attempts[-1].figures, policy) and len(attempts) < c.max_attempts:
        fig = attempts[-1].figures
        levers: list[tuple[str, str]] = []
        relocate = False
        sites = report.sites.set_index("site_id")
        ix = {str(s): i for i, s in enumerate(scenario.sites.id)}
        raise_desk: list[str] = []
        at_max: list[str] = []
        if fig["p_queue_over"] > c.p_queue_over_max or fig["p_finish"] < c.p_finish_min:
            bad = sites[
                (sites["p_over_limit"] > 0)
                | (sites["p_finish_in_window"] < LATE_SITE_P)
            ]
            for sid in bad.index.astype(str):
                s = ix[sid]
                if plan.site_desks[s] < scenario.sites.max_desks[s]:
                    extra[s] = extra.get(s, 0) + 1
                    raise_desk.append(sid)
                else:
                    at_max.append(sid)
        if raise_desk:
            levers.append(_lever("certify_lever_desks", raise_desk))
        if at_max:
            buffer = pol.round.closing_buffer_min + pol.round.slot_minutes
            if buffer < pol.round.window_hours * 60 / 2:
                pol = pol.with_values(**{"round.closing_buffer_min": buffer})
                relocate = True
                levers.append(
                    _lever("certify_lever_closing_buffer", at_max, buffer=buffer)
                )
        if fig["p_teams"] < c.p_teams_min:
            # shorten routes by at least the worst team's 95th-percentile lateness
            late = max(
                (_minutes_late(str(x), window_end) for x in report.teams["finish_p95"]),
                default=0.0,
            )
            step = max(EXTRA_RESERVE_STEP_MIN, 5.0 * math.ceil(late / 5.0))
            reserve = pol.home_visit.reserve_min + step
            pol = pol.with_values(**{"home_visit.reserve_min": reserve})
            levers.append(tr_both("certify_lever_route_reserve", reserve=reserve))
        if not levers:
            break
        plan = make_plan(
            scenario,
            pol,
            params,
            extra_desks=extra,
            sites_from=None if relocate else plan,
        )
        report = drill_plan(scenario, plan, pol, replications=reps, seed=seed)
        attempts.append(_attempt(len(attempts) + 1, levers, report, plan))
        tried.append((plan, report))
    met = meets(attempts[-1].figures, policy)
    if met:
        keep = len(tried) - 1
    else:
        keep = int(np.argmax([_score(a.figures, policy) for a in attempts]))
    plan, report = tried[keep]
    kept = attempts[keep]
    bare_policy = plan.policy.with_values(
        **{
            "round.closing_buffer_min": 0,
            "home_visit.reserve_min": 0.0,
            "drill.handover_min": 0.0,
        }
    )
    bare = make_plan(scenario, bare_policy, params, sites_from=plan)
    cost = {
        "certified": _size(plan),
        "without_allowances": _size(bare),
        "first_attempt": _size(first),
    }
    unreachable = () if met else _unreachable(report, plan, kept.figures, window_end)
    return plan, Certification(
        met=met,
        figures=kept.figures,
        targets=targets_of(policy),
        attempts=tuple(attempts),
        cost=cost,
        unreachable=unreachable,
        wall_time_s=time.perf_counter() - t0,
    )


def _score(fig: dict[str, Any], policy: Policy) -> float:
    """How far a drill is from the targets (higher is better), to keep the best try."""
    c = policy.certify
    return -float(
        max(0.0, c.p_finish_min - fig["p_finish"])
        + max(0.0, fig["p_queue_over"] - c.p_queue_over_max)
        + max(0.0, c.p_teams_min - fig["p_teams"])
    )


def _unreachable(
    report: DrillReport, plan: Plan, fig: dict[str, Any], window_end: int
) -> tuple[tuple[str, str], ...]:
    """Say in numbers what the best plan tried still misses."""
    c = plan.policy.certify
    out: list[tuple[str, str]] = []
    n_sites = int(plan.site_open.sum())
    if fig["p_teams"] < c.p_teams_min:
        teams = report.teams
        over = [_minutes_late(str(x), window_end) for x in teams["finish_p95"]]
        late_teams = [m for m in over if m > 0]
        route_min = max(
            60.0,
            plan.policy.round.window_hours * 60 - plan.policy.home_visit.reserve_min,
        )
        more = math.ceil(sum(late_teams) / route_min) if late_teams else 0
        minutes = math.ceil(max(late_teams, default=0.0))
        out.append(
            tr_both(
                "certify_unreachable_teams",
                p_teams=fig["p_teams"],
                teams=len(teams),
                p_teams_min=c.p_teams_min,
                more=more,
                minutes=minutes,
            )
        )
    sites = report.sites
    late = sites[sites["p_finish_in_window"] < LATE_SITE_P]
    if fig["p_queue_over"] > c.p_queue_over_max or len(late):
        minutes = math.ceil(
            max(
                (_minutes_late(str(x), window_end) for x in late["last_sampled_p95"]),
                default=0.0,
            )
        )
        breaking = sites[sites["p_over_limit"] > c.p_queue_over_max]
        out.append(
            tr_both(
                "certify_unreachable_sites",
                p_finish=fig["p_finish"],
                p_queue=fig["p_queue_over"],
                sites=n_sites,
                p_finish_min=c.p_finish_min,
                p_queue_max=c.p_queue_over_max,
                late=len(late),
                minutes=minutes,
                breaking=len(breaking),
            )
        )
    return tuple(out)
