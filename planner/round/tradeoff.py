"""The trade-off between the number of sites and walking, desks and staff.

For each N in a range, the street is planned with exactly N sites (fixed sites
count toward N; :class:`planner.model.policy.SitesPolicy`) and the plan's headline
figures are kept. Each N starts its location solve from the plan of N − 1 (its
sites plus any idle one is a plan with N sites), so the curve costs little more
than its first point. Door-to-door teams do not depend on the sites chosen (their
depots are the communities' fixed or nearest sites), so they are routed once.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.errors import InfeasibleError, PlannerError
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams, make_plan
from planner.round.edits import building_site_of

IntArray = npt.NDArray[np.int64]

COLUMNS = (
    "sites",
    "sites_open",
    "mean_walk_m",
    "max_walk_m",
    "desks",
    "samplers",
    "home_visit_teams",
    "p_finish_in_window",
    "objective",
    "gap",
    "status",
    "seconds",
)
"""Columns of the trade-off table, in order (N first)."""


CURVE_PARAMS = SolveParams(time_limit_s=10.0, deterministic_time=1.0, gap_limit=0.002)
"""Per N: 1 unit of CP-SAT deterministic time from the neighbour's plan, stopping
within 0.2 % of the bound (10-s wall cap). Not looser: the neighbour's plan plus
one idle site is within about 1 %, and would end the search at once."""


@dataclass(frozen=True, slots=True)
class TradeoffPoint:
    """One N of the curve.

    Attributes
    ----------
    sites
        N, the number of sites asked for.
    sites_open
        Sites the plan opens (N, or fewer when some stay idle), or 0 when N sites
        cannot hold the street (`status` ``infeasible``).
    mean_walk_m, max_walk_m
        People-weighted mean and longest walk of walk-up households, metres.
    desks, samplers
        Desks over all sites; samplers on duty (desks × samplers per desk plus the
        door-to-door teams).
    home_visit_teams
        Door-to-door teams (the same for every N).
    p_finish_in_window
        Drill probability that everyone is sampled inside the window, or None when
        not simulated.
    objective, gap, status
        The location solve's objective (person-minutes), relative gap and status
        (``optimal``, ``feasible``, ``infeasible`` when N sites cannot hold the
        street, ``no_plan`` when none was found in the time).
    seconds
        Wall time of this N, seconds.
    """

    sites: int
    sites_open: int
    mean_walk_m: float
    max_walk_m: int
    desks: int
    samplers: int
    home_visit_teams: int
    p_finish_in_window: float | None
    objective: float
    gap: float
    status: str
    seconds: float

    def row(self) -> tuple[object, ...]:
        """Return the values in `COLUMNS` order."""
        return tuple(getattr(self, c) for c in COLUMNS)


def trade_off(
    scenario: Scenario,
    policy: Policy,
    sites: Sequence[int],
    params: SolveParams | None = None,
    *,
    drill_replications: int = 0,
) -> list[TradeoffPoint]:
    """Plan the street with each number of sites in `sites` (ascending is fastest).

    Parameters
    ----------
    scenario, policy
        The street and its policy (its ``[sites]`` is replaced for each N).
    sites
        The Ns, e.g. ``range(25, 46)``.
    params
        Solver settings; default `CURVE_PARAMS` (a point of a curve needs less
        proof than a plan).
    drill_replications
        When positive, each plan's day is simulated this many times
        (:mod:`planner.drill`) for the probability of finishing in the window.

    Returns
    -------
    list of TradeoffPoint
        One per N, in the order given; an N that cannot hold the street is a row
        with status ``infeasible`` and zeros.
    """
    params = params or CURVE_PARAMS
    points: list[TradeoffPoint] = []
    hint: IntArray | None = None
    teams: int | None = None
    for n in sites:
        t0 = time.perf_counter()
        pol = policy.with_values(**{"sites.n_open": n, "sites.n_open_mode": "exactly"})
        run = dataclasses.replace(
            params,
            hint_building_site=hint,
            # the drill simulates the teams too, so then every plan has them
            home_visits=teams is None or drill_replications > 0,
        )
        try:
            plan = make_plan(scenario, pol, run)
        except PlannerError as exc:
            # N sites cannot hold the street, or no plan was found in the time
            status = "infeasible" if isinstance(exc, InfeasibleError) else "no_plan"
            points.append(
                TradeoffPoint(
                    n,
                    0,
                    0.0,
                    0,
                    0,
                    0,
                    teams or 0,
                    None,
                    0.0,
                    0.0,
                    status,
                    round(time.perf_counter() - t0, 2),
                )
            )
            continue
        if teams is None:
            teams = len(plan.teams)
        k = plan.kpis()
        desks = int(k["desks"])
        p_finish = None
        if drill_replications > 0:
            p_finish = _p_finish(scenario, plan, pol, drill_replications, params.seed)
        points.append(
            TradeoffPoint(
                sites=n,
                sites_open=int(k["sites_open"]),
                mean_walk_m=float(k["mean_walk_m"]),
                max_walk_m=int(k["max_walk_m"]),
                desks=desks,
                samplers=desks * pol.sampling.samplers_per_desk + teams,
                home_visit_teams=teams,
                p_finish_in_window=p_finish,
                objective=round(plan.solver.objective, 1),
                gap=round(plan.solver.gap, 5),
                status=plan.solver.status,
                seconds=round(time.perf_counter() - t0, 2),
            )
        )
        hint = building_site_of(plan, scenario)
    return points


def _p_finish(
    scenario: Scenario, plan: Plan, policy: Policy, replications: int, seed: int
) -> float:
    """Drill probability that everyone is sampled inside the window."""
    from planner.drill.day import build_day
    from planner.drill.simulate import simulate

    day = build_day(scenario, plan, policy, (), seed=seed)
    report = simulate(day, replications, seed)
    return float(report.street["p_finish_in_window"])
