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

The drill that certifies staffs each desk and team with the people the roster put
there, period by period (:mod:`planner.planning.roster`): a sampler post left empty
is a desk standing empty (or a team waiting), a registrar post left empty a desk
working slower, and the roster's relief decides when a desk stops for a handover.
When the pool leaves sampler posts empty the levers above would only ask for more
samplers; the lever then is a longer window (up to ``round.max_window_hours``, more
hours for each sampler's two shifts and fewer desks at once). Where posts stay empty
the certification also plays the day as if the requested help came, and says how
many samplers by when: "with your own staff P = …; if N samplers arrive by HH:MM
P = …".

Only the closing buffer and the window re-run the location solve; the other levers keep every
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
import pandas as pd

from planner.drill.day import build_day
from planner.drill.simulate import DrillReport, simulate
from planner.model.clock import hhmm
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams, SolveRuntime, make_plan
from planner.planning.roster import (
    Roster,
    build_roster,
    helpers_needed,
    samplers_missing,
)
from planner.planning.staffing import SAMPLER_ROLES, staff_requirements
from planner.text import by_language, join_list, tr, tr_both

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
        Every target reached by the plan kept, drilled on its roster (with the
        street's own staff).
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
    staffing
        The kept plan's roster in numbers: empty sampler posts, helpers needed and
        by when, empty posts per period (sites without a sampler) and per role.
    if_support
        When the roster leaves posts empty: the chances if the requested help
        comes (the day drilled with every post filled); None otherwise.
    alternative
        When the window was made longer to hold with the street's own staff: the
        plan in the policy's window, what it lacks (helpers, by when) and its
        chances if they come; None otherwise.
    requirements, roster
        The kept plan's staff requirements and named roster.
    """

    met: bool
    figures: dict[str, Any]
    targets: dict[str, float]
    attempts: tuple[Attempt, ...]
    cost: dict[str, dict[str, int]]
    unreachable: tuple[tuple[str, str], ...] = ()
    wall_time_s: float = 0.0
    levers: tuple[tuple[str, str], ...] = field(default=())
    staffing: dict[str, Any] = field(default_factory=dict)
    window_end: str = ""
    if_support: dict[str, Any] | None = None
    alternative: dict[str, Any] | None = None
    requirements: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    roster: Roster | None = field(default=None, compare=False, repr=False)

    @property
    def verdict(self) -> str:
        """``met``, ``met_if_support``, ``missed_unless_support`` or ``missed``.

        ``met`` only when the drill on the roster meets every target and no
        essential post the drill does not play (lead, order keeper, …) is empty;
        with such posts empty the plan holds on condition that they come. When the
        own-staff drill misses but the drill with every post filled meets, the plan
        holds only if the requested help comes.
        """
        if self.met:
            return "met_if_support" if unmodelled_gaps(self.staffing) else "met"
        if self.if_support is not None and meets_targets(self.if_support, self.targets):
            return "missed_unless_support"
        return "missed"

    def to_dict(self) -> dict[str, Any]:
        """Return plain values for ``plan.json``."""
        return {
            "met": self.met,
            **self.figures,
            "targets": self.targets,
            "attempts": [
                {
                    "attempt": a.number,
                    **by_language("levers", a.levers),
                    **a.figures,
                    "desks": a.desks,
                    "teams": a.teams,
                    "sites": a.sites,
                    "samplers": a.samplers,
                }
                for a in self.attempts
            ],
            "cost": self.cost,
            "verdict": self.verdict,
            "on_roster": True,
            "window_end": self.window_end,
            "staffing": self.staffing,
            "if_support": self.if_support,
            "alternative": self.alternative,
            **by_language("unreachable", self.unreachable),
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


def meets_targets(figures: dict[str, Any], targets: dict[str, float]) -> bool:
    """Whether drill figures reach `targets` (as :func:`targets_of` gives them)."""
    return bool(
        figures["p_finish"] >= targets["p_finish_min"]
        and figures["p_queue_over"] <= targets["p_queue_over_max"]
        and figures["p_teams"] >= targets["p_teams_min"]
    )


UNMODELLED_ROLES = frozenset(
    {
        "site_lead",
        "order_keeper",
        "guide",
        "disinfection",
        "transport",
        "home_registrar",
    }
)
"""Essential support roles whose absence the drill does not play: a plan with one of
them empty holds only on condition that the requested support comes. (An empty
sampler post is an empty desk or a waiting team, an empty registrar post a slower
desk; the reserve (机动) is a top-up and changes nothing in the drill.)"""


def unmodelled_gaps(staffing: dict[str, Any]) -> dict[str, int]:
    """Empty essential support posts the drill does not play, per role."""
    return {
        r: int(n)
        for r, n in sorted(staffing.get("by_role", {}).items())
        if r in UNMODELLED_ROLES and n
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
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    *,
    replications: int,
    seed: int,
    roster: Roster | None = None,
    filled: bool = False,
) -> DrillReport:
    """Play the plan's day `replications` times with `policy`'s model of the day.

    Given a `roster`, the day is staffed with it (its empty posts stay empty, its
    relief sets the handovers) unless `filled` (the requested help is assumed).
    """
    day = build_day(
        scenario,
        plan,
        policy,
        seed=seed,
        staff_shortfall=None if roster is None or filled else roster.shortfall,
        roster=None if roster is None else roster.assignments,
    )
    return simulate(day, replications, seed)


def staff_plan(
    scenario: Scenario, plan: Plan, params: SolveParams
) -> tuple[pd.DataFrame, Roster]:
    """Return the plan's staff requirements and its named roster."""
    requirements = staff_requirements(plan, scenario)
    roster = build_roster(requirements, scenario, plan.policy, seed=params.seed)
    return requirements, roster


def staffing_figures(roster: Roster, policy: Policy) -> dict[str, Any]:
    """Return the roster's empty posts in numbers (for ``plan.json`` and the text).

    ``samplers_missing`` sampler posts (one period each), ``helpers`` outside
    samplers that would fill them and ``helpers_by`` (HH:MM) the first period they
    are needed in, ``registrars_missing``, ``support_missing`` (all support posts)
    and ``by_role``, and per period with a gap: sites without any sampler, sampler
    and other posts empty.
    """
    short = roster.shortfall
    helpers, by = helpers_needed(short, policy)
    out: dict[str, Any] = {
        "samplers_missing": samplers_missing(short),
        "helpers": helpers,
        "helpers_by": "" if by is None else hhmm(by),
        "registrars_missing": 0,
        "alone_factor": round(_alone_factor(policy), 3),
        "support_missing": 0,
        "by_role": {},
        "periods": [],
    }
    if not len(short):
        return out
    miss = pd.to_numeric(short["missing"])
    role = short["role"].astype(str)
    out["by_role"] = {str(k): int(v) for k, v in miss.groupby(role).sum().items()}
    out["registrars_missing"] = int(miss[role == "registrar"].sum())
    out["support_missing"] = int(miss[~role.isin(SAMPLER_ROLES)].sum())
    a = roster.assignments
    staffed = set(
        zip(
            a.loc[a["role"] == "sampler", "site_id"].astype(str),
            a.loc[a["role"] == "sampler", "shift"].astype(int),
            strict=True,
        )
    )
    periods: list[dict[str, Any]] = []
    for (k, start, end), g in short.groupby(
        [short["shift"].astype(int), "shift_start", "shift_end"], sort=True
    ):
        gm = pd.to_numeric(g["missing"])
        gr = g["role"].astype(str)
        empty_sites = sorted(
            {
                str(x)
                for x in g.loc[gr == "sampler", "site_id"]
                if (str(x), int(str(k))) not in staffed
            }
        )
        periods.append(
            {
                "period": f"{start}-{end}",
                "samplers": int(gm[gr == "sampler"].sum()),
                "home_samplers": int(gm[gr == "home_sampler"].sum()),
                "other": int(gm[~gr.isin(SAMPLER_ROLES)].sum()),
                "sites_without_sampler": empty_sites,
                "sites_short": int(g.loc[gr == "sampler", "site_id"].nunique()),
            }
        )
    out["periods"] = periods
    return out


def _alone_factor(policy: Policy) -> float:
    """How much longer a desk takes per person without its registrar (it scans too)."""
    swab = 60.0 / policy.sampling.sampler_rate_per_h
    scan = 60.0 / policy.drill.scan_rate_per_h
    return (swab + scan) / max(swab, scan)


def _gaps_slow_the_day(roster: Roster) -> bool:
    """Whether the roster leaves a post empty that the drill plays (sampler, registrar)."""
    short = roster.shortfall
    if not len(short):
        return False
    role = short["role"].astype(str)
    return bool((role.isin(SAMPLER_ROLES | {"registrar"})).any())


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
    *,
    longer_window: bool = True,
    runtime: SolveRuntime | None = None,
) -> tuple[Plan, Certification]:
    """Drill `first` on its roster; while a target is missed, re-plan and drill again.

    Parameters
    ----------
    scenario
        The street.
    policy
        The policy `first` was made under (its ``[certify]`` section sets the targets,
        replications and attempts).
    params
        Solver settings (the seed also seeds the drill and the roster).
    first
        The plan to certify.
    longer_window
        Whether sampler posts the pool leaves empty may be met with a longer window
        (off in a campaign, whose district moves samplers between streets and whose
        households keep their slots from round to round).
    runtime
        The cancel token and helper process the re-plans run with.

    Returns
    -------
    plan, certification
        The plan kept (the first one reaching every target with the street's own
        staff, else the best tried) and what the drill says of it.
    """
    t0 = time.perf_counter()
    c = policy.certify
    reps, seed = c.replications, params.seed
    plan, pol = first, policy
    req, roster = staff_plan(scenario, plan, params)
    report = drill_plan(
        scenario, plan, pol, replications=reps, seed=seed, roster=roster
    )
    attempts = [_attempt(1, [], report, plan)]
    tried = [(plan, report, req, roster)]
    extra: dict[int, int] = {}
    base_window: tuple[int, Roster, Plan] | None = None
    while not meets(attempts[-1].figures, policy) and len(attempts) < c.max_attempts:
        fig = attempts[-1].figures
        levers: list[tuple[str, str]] = []
        relocate = False
        window_end = pol.round.end_min
        short_samplers = samplers_missing(roster.shortfall)
        if short_samplers:
            # more desks or teams would only ask for more samplers: give each of
            # them more hours instead, up to the policy's cap on the window (or
            # stop here: the help must come)
            hours = _longer_window(pol, plan, roster) if longer_window else None
            if hours is None:
                break
            if base_window is None:
                base_window = (len(tried) - 1, roster, plan)
            pol = pol.with_values(**{"round.window_hours": hours})
            extra = {}
            relocate = True
            levers.append(
                tr_both(
                    "roster_lever_window",
                    samplers=short_samplers,
                    end=hhmm(pol.round.end_min),
                    hours=hours,
                )
            )
        else:
            sites = report.sites.set_index("site_id")
            ix = {str(s): i for i, s in enumerate(scenario.sites.id)}
            raise_desk: list[str] = []
            at_max: list[str] = []
            if (
                fig["p_queue_over"] > c.p_queue_over_max
                or fig["p_finish"] < c.p_finish_min
            ):
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
                    (
                        _minutes_late(str(x), window_end)
                        for x in report.teams["finish_p95"]
                    ),
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
            runtime=runtime,
        )
        req, roster = staff_plan(scenario, plan, params)
        report = drill_plan(
            scenario, plan, pol, replications=reps, seed=seed, roster=roster
        )
        attempts.append(_attempt(len(attempts) + 1, levers, report, plan))
        tried.append((plan, report, req, roster))
    met = meets(attempts[-1].figures, policy)
    if met:
        keep = len(tried) - 1
    else:
        keep = int(np.argmax([_score(a.figures, policy) for a in attempts]))
    plan, report, req, roster = tried[keep]
    kept = attempts[keep]
    if_support = None
    if _gaps_slow_the_day(roster):
        filled = drill_plan(
            scenario,
            plan,
            plan.policy,
            replications=reps,
            seed=seed,
            roster=roster,
            filled=True,
        )
        if_support = drill_figures(filled)
    alternative = None
    if base_window is not None and keep != base_window[0]:
        b_index, b_roster, b_plan = base_window
        helpers, by = helpers_needed(b_roster.shortfall, b_plan.policy)
        b_filled = drill_plan(
            scenario,
            b_plan,
            b_plan.policy,
            replications=reps,
            seed=seed,
            roster=b_roster,
            filled=True,
        )
        alternative = {
            "attempt": b_index + 1,
            "window_end": hhmm(b_plan.policy.round.end_min),
            "samplers_missing": samplers_missing(b_roster.shortfall),
            "helpers": helpers,
            "helpers_by": "" if by is None else hhmm(by),
            **{f"if_support_{k}": v for k, v in drill_figures(b_filled).items()},
        }
    bare_policy = plan.policy.with_values(
        **{
            "round.closing_buffer_min": 0,
            "home_visit.reserve_min": 0.0,
            "drill.handover_min": 0.0,
        }
    )
    bare = make_plan(scenario, bare_policy, params, sites_from=plan, runtime=runtime)
    cost = {
        "certified": _size(plan),
        "without_allowances": _size(bare),
        "first_attempt": _size(first),
    }
    staffing = staffing_figures(roster, plan.policy)
    staffing["unmodelled"] = unmodelled_gaps(staffing)
    window_end = plan.policy.round.end_min
    unreachable = () if met else _unreachable(report, plan, kept.figures, window_end)
    return plan, Certification(
        met=met,
        figures=kept.figures,
        targets=targets_of(policy),
        attempts=tuple(attempts),
        cost=cost,
        unreachable=unreachable,
        wall_time_s=time.perf_counter() - t0,
        staffing=staffing,
        window_end=hhmm(plan.policy.round.end_min),
        if_support=if_support,
        alternative=alternative,
        requirements=req,
        roster=roster,
    )


def _longer_window(pol: Policy, plan: Plan, roster: Roster) -> float | None:
    """Return the window that gives the pool's samplers the hours the roster lacks.

    The sampler-hours needed stay about the same in a longer window (fewer desks
    for longer), while each sampler may work more of it (two PPE shifts, up to
    ``staff.max_hours_per_day``); so the window grows by the share of sampler posts
    left empty, at least one slot, rounded up to whole slots, at most to
    ``round.max_window_hours``. None when the window is at the cap already.
    """
    r = pol.round
    if r.window_hours >= r.max_window_hours - 1e-9:
        return None
    a = roster.assignments
    filled = int(a["role"].astype(str).isin(SAMPLER_ROLES).sum())
    missing = samplers_missing(roster.shortfall)
    share = missing / max(1, filled)
    slot_h = r.slot_minutes / 60.0
    grow = max(slot_h, math.ceil(r.window_hours * share / slot_h) * slot_h)
    return float(min(r.max_window_hours, r.window_hours + grow))


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
