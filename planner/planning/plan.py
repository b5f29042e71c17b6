"""Make a screening plan: open sites, size desks, assign households to sites and slots.

Formulation of the site-selection and assignment step (solved by
:func:`planner.solve.locate.locate` with CP-SAT). Demand units are whole grids
(按网格分片: a grid goes to one site) whenever some site is within walking reach of
all the grid's buildings and can hold it; the buildings of any other grid are units
of their own.

Symbols
    ``U`` units, ``S`` candidate sites, ``G`` grids; ``A ⊆ U×S`` arcs where every
    building of the unit is within its walk limit of the site; ``w_bs`` walk of
    building ``b`` (minutes), ``p_b`` its walk-up people, ``u_b`` its work
    (pooled-person equivalents), ``u_k = Σ_{b∈k} u_b``; ``U_s`` the work site ``s``
    can take over the round at its maximum desks with every slot's predicted
    Erlang-C wait under the queue limit, less one household per slot for packing;
    ``κ_s`` work per desk over the round; ``F`` site cost, ``D`` desk cost, ``Γ``
    grid-split cost (policy ``objective``, person-minutes of walking);
    ``x_ks, y_s, z_gs ∈ {0, 1}``.

Objective
    minimise ``Σ_A c_ks·x_ks + F·Σ_S y_s + Γ·Σ_{G×S} z_gs`` with
    ``c_ks = Σ_{b∈k} (p_b·w_bs + D·u_b/κ_s)``

Constraints
    1. ``Σ_s x_ks = 1`` for every unit (one site per grid, or per building);
    2. ``Σ_k u_k·x_ks ≤ U_s·y_s`` (capacity: everyone is sampled inside the window
       with the queue under the limit);
    3. ``x_ks ≤ y_s``;
    4. ``x_ks ≤ z_{g(k)s}`` (a grid split over several sites pays for each);
    5. ``y_s = 1`` for fixed sites.

Planning for the worst-off (``access.objective``, :mod:`planner.planning.access`): under
``ede`` the walk ``w_bs`` in ``c_ks`` becomes its Kolm–Pollak proxy
``(exp(-κ·w_bs) - 1)/(-κ)``; under ``older_cap`` a building with residents of
``access.oldest_age`` or more loses its arcs longer than ``access.oldest_walk_limit_min``
where it has a shorter one. The location core is the same; its bound is on these costs.

Finishing inside the window is a hard constraint (2); after that the objective trades
walking against sites, desks and grid splits. Desks then follow per site as the fewest
whose slot fill takes everyone (:mod:`planner.planning.schedule`), and households in sealed
buildings or with homebound residents go to door-to-door teams routed with OR-Tools
(:mod:`planner.solve.routing`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from planner.errors import InfeasibleError, PlannerError
from planner.geo.walking import WalkArcs, walk_arcs
from planner.model.modes import HOME_VISIT, UNASSIGNED, WALK_UP
from planner.model.policy import Policy
from planner.model.result import HomeVisitTeam, Plan, SolverReport
from planner.model.scenario import Scenario
from planner.model.slots import SlotGrid
from planner.model.types import IntArray
from planner.planning.access import (
    ede_walk_cost,
    oldest_cap_mask,
    planning_kappa,
)
from planner.planning.capacity import site_capacity_units, slot_grid
from planner.planning.demand import household_demand
from planner.planning.schedule import call_order, schedule_site
from planner.shared_jobs import SharedJobs
from planner.solve.cancel import CancelToken
from planner.solve.locate import LocateResult, locate
from planner.solve.settings import (
    DEFAULT_TIME_LIMIT_S,
    PLAN_NUM_WORKERS,
    ROUTE_TIME_LIMIT_S,
)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from planner.solve.routing import HomeVisitRoutes, RoutingProblem


@dataclass(frozen=True, slots=True)
class PreviousRound:
    """What an earlier round decided, for the next round to keep where it can.

    Parameters
    ----------
    building_site
        ``(building_id, site_id)`` of walk-up buildings. Serving a building from
        another site costs `move_cost` per walk-up person, and the earlier sites are
        the solver's starting point.
    household_slot
        ``(household_id, site_id, slot start HH:MM)`` of walk-up households: at the
        same site a household keeps its slot while the slot has room.
    site_desks
        ``(site_id, desks)``: a site opens at least as many desks as before (within
        its maximum), so its households keep their slots when its load drops.
    move_cost
        Cost of moving one person off their earlier site, person-minutes of walking.
    """

    building_site: tuple[tuple[str, str], ...] = ()
    household_slot: tuple[tuple[str, str, str], ...] = ()
    site_desks: tuple[tuple[str, int], ...] = ()
    move_cost: float = 0.0


@dataclass(frozen=True, slots=True)
class SolveParams:
    """Solver settings (data, not policy).

    Parameters
    ----------
    time_limit_s
        Wall-time safety cap of the location solve, seconds. Default
        :data:`planner.solve.settings.DEFAULT_TIME_LIMIT_S` (30).
    seed
        Random seed. Default 0.
    num_workers
        CP-SAT subsolvers, interleaved deterministically. Default
        :data:`planner.solve.settings.PLAN_NUM_WORKERS` (4, measured there).
    gap_limit
        Stop when the relative gap is at most this. Default 0.005.
    deterministic_time
        CP-SAT deterministic-time budget, so a seed always gives the same plan.
        Default 5.
    route_time_limit_s
        Wall-time cap of each community's door-to-door routing, seconds. Default
        :data:`planner.solve.settings.ROUTE_TIME_LIMIT_S` (10).
    previous
        An earlier round's choices to keep where possible (campaigns): buildings
        keep their sites and households their slots unless they must change.
        Default none.
    hint_building_site
        Optional site per building (``-1`` none) to start the location solve from,
        e.g. a neighbouring plan's (the trade-off curve); dropped when it is not a
        plan of this problem.
    home_visits
        Route the door-to-door teams. Default True; the trade-off curve routes them
        once (their depots do not depend on the sites chosen).
    allowed
        Optional ``(buildings, sites)`` mask: a building goes only to a site marked
        True (the office's hand edits: closed sites, pins, kept assignments;
        :mod:`planner.round.edits`).
    min_desks
        Optional fewest desks per site (hand-edited desks); a site with a positive
        floor opens at least that many (within its maximum).
    teams_from
        A plan whose door-to-door teams are kept as they are (not routed again):
        a warm re-solve whose edit changes neither the depots nor the window.

    What a solve runs with rather than what it solves (a cancel token, a helper
    process) is :class:`SolveRuntime`, passed beside these settings.
    """

    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    seed: int = 0
    num_workers: int = PLAN_NUM_WORKERS
    gap_limit: float = 0.005
    deterministic_time: float | None = 5.0
    route_time_limit_s: float = ROUTE_TIME_LIMIT_S
    previous: PreviousRound | None = None
    hint_building_site: IntArray | None = field(default=None, compare=False)
    home_visits: bool = True
    allowed: npt.NDArray[np.bool_] | None = field(default=None, compare=False)
    min_desks: IntArray | None = field(default=None, compare=False)
    teams_from: Plan | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SolveRuntime:
    """What a solve runs with, not what it solves (beside :class:`SolveParams`).

    The same settings give the same plan with or without these.

    Parameters
    ----------
    cancel
        Optional token to cancel the solve from another thread (the app's button).
    helper
        A second process (one worker) that routes the communities' door-to-door
        teams while this one chooses the sites, this one routing at the end what
        it has not begun (``planner plan`` lends its PDF process,
        :class:`HomeVisitRouting`); the routes do not depend on where they were
        found. Default none.
    """

    cancel: CancelToken | None = None
    helper: ProcessPoolExecutor | None = None

    def check(self) -> None:
        """Stop here once the user has cancelled (raises ``SolveCancelled``)."""
        if self.cancel is not None:
            self.cancel.check()


def precheck_capacity(
    total_units: float,
    capacity_units: float,
    policy: Policy,
    *,
    per_desk_round_units: float,
) -> None:
    """Raise `InfeasibleError` with numbers when the sites cannot take the work at all."""
    if total_units <= capacity_units:
        return
    short = total_units - capacity_units
    desks = math.ceil(short / max(per_desk_round_units, 1e-9))
    rate = max(capacity_units / max(policy.round.window_hours, 1e-9), 1e-9)
    hours = short / rate
    raise InfeasibleError(
        key="infeasible_capacity",
        values={
            "hours": policy.round.window_hours,
            "capacity": capacity_units,
            "needed": total_units,
            "desks": desks,
            "more_hours": hours,
        },
    )


def precheck_site_count(
    total_units: float,
    capacity: npt.NDArray[np.float64],
    fixed: npt.NDArray[np.bool_],
    policy: Policy,
) -> None:
    """Raise `InfeasibleError` with numbers when N sites cannot take the work.

    N is `policy.sites.n_open` (fixed sites count toward it). The N sites that
    hold most are the fixed ones plus the largest others; when even they fall
    short, the message gives the fewest sites that could do, and roughly how many
    more hours N sites would need.
    """
    n = policy.sites.n_open
    if n <= 0:
        return
    n_fixed = int(fixed.sum())
    hours = policy.round.window_hours
    if n_fixed > n:
        raise InfeasibleError(
            key="infeasible_fixed_over_n", values={"fixed": n_fixed, "n": n}
        )
    others = np.sort(capacity[~fixed])[::-1]
    best = np.concatenate([capacity[fixed], others])
    held = float(best[:n].sum())
    if total_units <= held + 1e-9:
        return
    reach = np.cumsum(best)
    k = int(np.searchsorted(reach, total_units - 1e-9)) + 1
    more_h = hours * (total_units / max(held, 1e-9) - 1)
    raise InfeasibleError(
        key="infeasible_site_count"
        if k <= len(best)
        else "infeasible_site_count_all_short",
        values={
            "n": n,
            "fixed": n_fixed,
            "hours": hours,
            "held": held,
            "needed": total_units,
            "fewest": k,
            "more_hours": more_h,
        },
    )


def make_plan(
    scenario: Scenario,
    policy: Policy,
    params: SolveParams | None = None,
    *,
    extra_desks: dict[int, int] | None = None,
    sites_from: Plan | None = None,
    runtime: SolveRuntime | None = None,
) -> Plan:
    """Plan one screening round of the street.

    Parameters
    ----------
    scenario
        The street.
    policy
        Every tunable number.
    params
        Solver settings; defaults to :class:`SolveParams`.
    extra_desks
        ``{site index: desks}`` added on top of the fewest that take the site's
        households, bookings unchanged (the certification's lever where a queue
        breaks).
    sites_from
        A plan whose choice of site per building is kept (the location solve is
        skipped): re-plans that change only desks, slots and routes.
    runtime
        The cancel token and helper process (:class:`SolveRuntime`); default none.

    Returns
    -------
    Plan
        Every household is walk-up (site, slot), home visit (team, time) or
        unassigned with a reason.

    Raises
    ------
    InfeasibleError
        When the candidate sites together cannot take the walk-up work in the window
        (the message gives the desks or hours missing).
    """
    params = params or SolveParams()
    runtime = runtime if runtime is not None else SolveRuntime()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    h = scenario.households
    demand = household_demand(scenario, policy)
    # the routes need no sites: with a helper they are found while this process
    # chooses them
    visits = (
        HomeVisitRouting.start(scenario, policy, demand.home_visit, params, runtime)
        if params.home_visits and demand.home_visit.any() and params.teams_from is None
        else None
    )
    arcs = walk_arcs(scenario, policy.walking)
    grid = slot_grid(scenario.sites, policy)
    timings["prepare"] = time.perf_counter() - t0

    n_b, n_s = len(scenario.buildings), len(scenario.sites)
    walk_hh = ~demand.home_visit
    b_units = np.bincount(
        h.building[walk_hh], demand.units[walk_hh], minlength=n_b
    ).astype(np.float64)
    b_people = np.bincount(h.building[walk_hh], h.size[walk_hh], minlength=n_b)
    has_arc = np.zeros(n_b, dtype=bool)
    has_arc[arcs.building] = True
    points = np.flatnonzero((b_units > 0) & has_arc)
    out_of_reach = np.flatnonzero((b_units > 0) & ~has_arc)
    warnings: list[tuple[str, dict[str, Any]]] = []
    for g in np.unique(scenario.buildings.grid[out_of_reach]).tolist():
        in_g = out_of_reach[scenario.buildings.grid[out_of_reach] == g]
        n_hh = int(np.isin(h.building[walk_hh], in_g).sum())
        warnings.append(
            (
                "grid_out_of_reach",
                {
                    "grid": scenario.grid_ids[g],
                    "households": n_hh,
                    "minutes": policy.walking.walk_limit_min,
                },
            )
        )

    capacity = site_capacity_units(grid, scenario.sites, policy)
    largest = float(demand.units.max()) if len(h) else 0.0
    margin = grid.usable.sum(axis=1) * largest  # packing loss: ≤ 1 household per slot
    capacity = np.maximum(capacity - margin, 0.0)
    per_desk_round = (grid.usable * grid.scale()[None, :]).sum(axis=1) * (
        grid.slot_capacity(1)
    )
    precheck_capacity(
        float(b_units[points].sum()),
        float(capacity.sum()),
        policy,
        per_desk_round_units=float(np.median(per_desk_round)) if n_s else 1.0,
    )

    precheck_site_count(
        float(b_units[points].sum()), capacity, scenario.sites.fixed, policy
    )

    # cost of serving each building from each site; arcs beyond the walk limit stay inf
    kappa = np.maximum(per_desk_round, 1e-9)
    b_cost = np.full((n_b, n_s), np.inf)
    ab, as_, am = arcs.building, arcs.site, arcs.walk_m
    b_cost[ab, as_] = (
        b_people[ab] * access_walk_cost(arcs, b_people, policy)
        + policy.objective.desk_cost * b_units[ab] / kappa[as_]
    )
    if policy.access.objective == "older_cap":
        forbid = oldest_cap_mask(arcs, scenario, policy, walk_hh)
        b_cost[ab[forbid], as_[forbid]] = np.inf
    if params.allowed is not None:
        b_cost[~params.allowed] = np.inf
    prev = params.previous or PreviousRound()
    prev_site = previous_site_index(scenario, prev.building_site)
    if prev.move_cost > 0:
        b_cost = b_cost + move_penalty(prev_site, b_people, n_s, prev.move_cost)
    units = grid_units(points, scenario.buildings.grid, b_cost, b_units, capacity)
    t1 = time.perf_counter()
    located: LocateResult | _NothingToLocate | SolverReport
    if sites_from is not None:
        kept = np.full(n_b, -1, dtype=np.int64)
        took = sites_from.hh_site >= 0
        kept[h.building[took]] = sites_from.hh_site[took]
        units = [np.array([b]) for b in points.tolist()]
        unit_site = kept[points]
        located = sites_from.solver
    elif len(points) == 0:
        located = _NothingToLocate(n_s)
        unit_site = np.zeros(0, dtype=np.int64)
    else:
        # the location solve of the street's buildings grouped into `units`
        solve = partial(
            _locate_units,
            scenario=scenario,
            policy=policy,
            params=params,
            b_cost=b_cost,
            b_units=b_units,
            capacity=capacity,
            prev_site=prev_site,
            cancel=runtime.cancel,
        )
        try:
            located = solve(units)
        except InfeasibleError:
            # whole grids do not pack into the sites; let every building go its own way
            units = [np.array([b]) for b in points.tolist()]
            explain_building_capacity(
                units, scenario, policy, b_cost, b_units, capacity
            )
            try:
                located = solve(units)
            except InfeasibleError:
                raise _packing_error(b_units[points], capacity, policy) from None
        unit_site = located.assignment
    timings["locate"] = time.perf_counter() - t1
    runtime.check()
    b_site = np.full(n_b, -1, dtype=np.int64)
    for members, site in zip(units, unit_site.tolist(), strict=True):
        b_site[members] = site
    walk_of = {(int(b), int(s)): int(m) for b, s, m in zip(ab, as_, am, strict=True)}

    t2 = time.perf_counter()
    n_h = len(h)
    hh_mode = np.where(demand.home_visit, HOME_VISIT, WALK_UP).astype(np.int64)
    hh_site = np.where(walk_hh, b_site[h.building], -1).astype(np.int64)
    reason = np.full(n_h, "", dtype=object)
    unreached = walk_hh & (hh_site < 0)
    hh_mode[unreached] = UNASSIGNED
    reason[unreached] = "no_site_in_reach"
    hh_slot = np.full(n_h, -1, dtype=np.int64)
    site_desks = np.zeros(n_s, dtype=np.int64)
    site_slot_units = np.zeros((n_s, grid.usable.shape[1]))
    key_first = demand.single > 0
    hh_grid = scenario.buildings.grid[h.building]
    prev_slot, prev_site_of_hh, prev_desks = previous_slots(scenario, grid, prev)
    for s in np.unique(hh_site[hh_site >= 0]).tolist():
        members = np.flatnonzero(hh_site == s)
        order = members[
            call_order(
                key_first[members], hh_grid[members], h.building[members], members
            )
        ]
        sched = schedule_site(
            demand.units[order],
            h.size[order],
            grid,
            s,
            max_desks=int(scenario.sites.max_desks[s]),
            max_people_per_desk=policy.sampling.max_people_per_desk,
            extra_desks=(extra_desks or {}).get(int(s), 0),
            previous_slot=None
            if prev_slot is None
            else np.where(prev_site_of_hh[order] == s, prev_slot[order], -1),
            min_desks=max(
                int(prev_desks[s]),
                0 if params.min_desks is None else int(params.min_desks[s]),
            ),
        )
        site_desks[s] = sched.desks
        site_slot_units[s] = sched.slot_units
        hh_slot[order] = sched.slot
        full = order[sched.slot < 0]
        hh_mode[full] = UNASSIGNED
        reason[full] = "site_full"
        hh_site[full] = -1
    timings["schedule"] = time.perf_counter() - t2

    hh_walk = np.array(
        [
            walk_of.get((int(b), int(s)), -1) if s >= 0 else -1
            for b, s in zip(h.building, hh_site, strict=True)
        ],
        dtype=np.int64,
    )

    t3 = time.perf_counter()
    teams, dropped = (
        visits.finish(scenario, runtime)
        if visits is not None
        else ([], np.zeros(0, dtype=np.int64))
    )
    if params.teams_from is not None:
        teams = list(params.teams_from.teams)
        dropped = np.flatnonzero(
            params.teams_from.unassigned_reason == "home_visit_unreachable"
        ).astype(np.int64)
    hh_mode[dropped] = UNASSIGNED
    reason[dropped] = "home_visit_unreachable"
    timings["home_visits"] = time.perf_counter() - t3
    runtime.check()

    site_people = np.bincount(
        hh_site[hh_site >= 0], h.size[hh_site >= 0], minlength=n_s
    )
    site_units = site_slot_units.sum(axis=1)
    site_open = site_desks > 0
    site_open |= scenario.sites.fixed
    site_desks = np.where(site_open & (site_desks == 0), 1, site_desks)
    if params.min_desks is not None:
        # hand-edited desks stand even where few people are booked
        floor = np.minimum(params.min_desks, scenario.sites.max_desks)
        site_desks = np.where(site_open, np.maximum(site_desks, floor), site_desks)
    sampler_pool = int((scenario.staff.role == "sampler").sum())
    needed = int(site_desks.sum()) * policy.sampling.samplers_per_desk + len(teams)
    if needed > sampler_pool:
        warnings.append(
            ("sampler_pool_short", {"needed": needed, "pool": sampler_pool})
        )
    timings["total"] = time.perf_counter() - t0
    return Plan(
        policy=policy,
        slots=grid,
        site_open=site_open,
        site_desks=site_desks.astype(np.int64),
        site_people=site_people.astype(np.int64),
        site_units=site_units,
        site_slot_units=site_slot_units,
        hh_mode=hh_mode,
        hh_site=hh_site,
        hh_slot=hh_slot,
        hh_walk_m=hh_walk,
        hh_people=h.size.copy(),
        hh_tube_mode=demand.tube_mode,
        unassigned_reason=reason,
        teams=tuple(teams),
        solver=SolverReport(
            status=located.status,
            objective=float(located.objective),
            bound=float(located.bound),
            gap=float(located.gap),
            wall_time_s=float(located.wall_time_s),
        ),
        timings_s=timings,
        warnings=tuple(warnings),
    )


def access_walk_cost(
    arcs: WalkArcs, b_people: IntArray, policy: Policy
) -> npt.NDArray[np.float64]:
    """Return each arc's walking cost per person, minutes (the location model's ``w_bs``).

    The walk itself, or under ``access.objective = "ede"`` its Kolm–Pollak proxy
    ``(exp(-κ w) - 1) / (-κ)`` (:mod:`planner.planning.access`): the location core is
    unchanged, only its costs are transformed, and its bound holds for them.
    """
    walk_min = arcs.walk_m / policy.walking.speed_m_per_min
    if policy.access.objective != "ede":
        return walk_min
    return ede_walk_cost(walk_min, planning_kappa(arcs, b_people, policy))


def grid_units(
    points: IntArray,
    building_grid: IntArray,
    b_cost: npt.NDArray[np.float64],
    b_units: npt.NDArray[np.float64],
    capacity: npt.NDArray[np.float64],
) -> list[IntArray]:
    """Group buildings into the units the location model assigns.

    A grid goes to one site as a whole (按网格分片) when some site is within walking
    reach of all its buildings and could hold it; otherwise its buildings are assigned
    one by one.
    """
    units: list[IntArray] = []
    grids = building_grid[points]
    for g in np.unique(grids).tolist():
        members = points[grids == g]
        whole = b_cost[members].sum(axis=0)
        fits = capacity + 1e-9 >= float(b_units[members].sum())
        if (np.isfinite(whole) & fits).any():
            units.append(members)
        else:
            units.extend(np.array([b]) for b in members.tolist())
    return units


def explain_building_capacity(
    units: list[IntArray],
    scenario: Scenario,
    policy: Policy,
    b_cost: npt.NDArray[np.float64],
    b_units: npt.NDArray[np.float64],
    capacity: npt.NDArray[np.float64],
) -> None:
    """Raise `InfeasibleError` naming a building bigger than every site it can reach."""
    for u in units:
        b = int(u[0])
        reach = np.isfinite(b_cost[b])
        best = float(capacity[reach].max()) if reach.any() else 0.0
        if b_units[b] > best + 1e-9:
            hours = policy.round.window_hours * (b_units[b] / max(best, 1e-9) - 1)
            bid = scenario.buildings.id[b]
            raise InfeasibleError(
                key="infeasible_building",
                values={
                    "building": bid,
                    "units": b_units[b],
                    "hours": policy.round.window_hours,
                    "best": best,
                    "more_hours": hours,
                },
            )


def _packing_error(
    units: npt.NDArray[np.float64], capacity: npt.NDArray[np.float64], policy: Policy
) -> InfeasibleError:
    total, cap = float(units.sum()), float(capacity.sum())
    n = policy.sites.n_open
    values = {"needed": total, "hours": policy.round.window_hours, "capacity": cap}
    if n > 0:
        exactly = policy.sites.n_open_mode == "exactly"
        key = "infeasible_packing_exactly" if exactly else "infeasible_packing_at_most"
        return InfeasibleError(key=key, values={"n": n, **values})
    return InfeasibleError(key="infeasible_packing", values=values)


def _locate_units(
    units: list[IntArray],
    scenario: Scenario,
    policy: Policy,
    params: SolveParams,
    b_cost: npt.NDArray[np.float64],
    b_units: npt.NDArray[np.float64],
    capacity: npt.NDArray[np.float64],
    prev_site: IntArray,
    *,
    cancel: CancelToken | None,
) -> LocateResult:
    cost = np.stack([b_cost[u].sum(axis=0) for u in units])
    demand = np.array([float(b_units[u].sum()) for u in units])
    groups = np.array(
        [int(scenario.buildings.grid[u[0]]) for u in units], dtype=np.int64
    )
    n = policy.sites.n_open
    exactly = n > 0 and policy.sites.n_open_mode == "exactly"
    hint = None
    if params.hint_building_site is not None:
        # a unit goes where its first building went (a grid stays whole)
        hint = np.array(
            [int(params.hint_building_site[u[0]]) for u in units], dtype=np.int64
        )
    solve = partial(
        locate,
        cost,
        demand,
        capacity,
        open_cost=np.full(len(capacity), policy.objective.site_cost),
        fixed_open=scenario.sites.fixed,
        groups=groups,
        group_cost=policy.objective.grid_split_cost,
        seed=params.seed,
        num_workers=params.num_workers,
        cancel=cancel,
    )
    hint = hint if hint is not None else _previous_hint(units, prev_site, cost)
    if n > 0 and not exactly:
        return _at_most(solve, n, hint, params)
    # a count of sites: "exactly N" is a p-median (every site still pays its cost,
    # a constant)
    return solve(
        n_open=n if exactly else None,
        hint=hint,
        gap_limit=params.gap_limit,
        time_limit_s=params.time_limit_s,
        deterministic_time=params.deterministic_time,
    )


def _at_most(
    solve: Callable[..., LocateResult],
    n: int,
    hint: IntArray | None,
    params: SolveParams,
) -> LocateResult:
    """Open at most `n` sites: facility location with a cap, in up to three solves.

    1. Without the cap, as with no count (the strong facility-location path): when
       its plan opens at most `n` sites the cap does not bind and it is the plan,
       its bound holding under the cap too.
    2. Else exactly `n` sites (the capacitated p-median, with its MIP solver),
       whose plan is the natural candidate once the cap binds.
    3. The capped model from the better of both plans, which bounds "at most `n`"
       (the p-median's bound holds for exactly `n` only).

    Each solve gets a third of the time and of the deterministic budget. On the
    demo street at most 30 sites took 4.1 s to a plan 0.15 % dearer than exactly
    30's, the capped model alone starting from a poor plan.
    """
    det = params.deterministic_time

    def share(k: int) -> dict[str, float | None]:
        return {
            "time_limit_s": params.time_limit_s * k / 3,
            "deterministic_time": None if det is None else det * k / 3,
        }

    free = solve(hint=hint, gap_limit=params.gap_limit, **share(1))
    if int(free.open.sum()) <= n:
        return free
    try:
        exact: LocateResult | None = solve(
            n_open=n, hint=hint, gap_limit=params.gap_limit, **share(1)
        )
    except InfeasibleError:
        raise  # exactly n are infeasible only when at most n are
    except PlannerError:
        exact = None  # no plan in its share of the time: the capped model alone
    start = hint if exact is None else exact.assignment
    # from a plan this good the gap limit would stop the search at once, short of
    # the proof it often reaches (33-39 of the demo's sites): a fifth of it
    capped = solve(max_open=n, hint=start, gap_limit=params.gap_limit / 5, **share(1))
    walls = free.wall_time_s + capped.wall_time_s
    if exact is None:
        return replace(capped, wall_time_s=walls)
    walls += exact.wall_time_s
    if exact.objective < capped.objective - 1e-9:
        # the capped search did not take up its start: the p-median's plan with the
        # capped bound (it holds for every plan of at most n sites)
        return replace(
            capped,
            status="feasible",
            objective=exact.objective,
            gap=(exact.objective - capped.bound) / max(abs(exact.objective), 1e-9),
            assignment=exact.assignment,
            open=exact.open,
            wall_time_s=walls,
        )
    return replace(capped, wall_time_s=walls)


def previous_site_index(
    scenario: Scenario, previous: tuple[tuple[str, str], ...]
) -> IntArray:
    """Return each building's site index in an earlier round (-1: none, or closed)."""
    out = np.full(len(scenario.buildings), -1, dtype=np.int64)
    if not previous:
        return out
    b_ix = {str(b): i for i, b in enumerate(scenario.buildings.id.tolist())}
    s_ix = {str(x): j for j, x in enumerate(scenario.sites.id.tolist())}
    for b, site in previous:
        i, j = b_ix.get(b), s_ix.get(site)
        if i is not None and j is not None:
            out[i] = j
    return out


def previous_slots(
    scenario: Scenario, grid: SlotGrid, previous: PreviousRound
) -> tuple[IntArray | None, IntArray, IntArray]:
    """Return each household's earlier slot and site (-1: none) and each site's desks.

    The slot array is None when no earlier slots are given.
    """
    n_h, n_s = len(scenario.households), len(scenario.sites)
    desks = np.zeros(n_s, dtype=np.int64)
    s_ix = {str(x): j for j, x in enumerate(scenario.sites.id.tolist())}
    for sid, d in previous.site_desks:
        j = s_ix.get(sid)
        if j is not None:
            desks[j] = d
    site = np.full(n_h, -1, dtype=np.int64)
    if not previous.household_slot:
        return None, site, desks
    slot = np.full(n_h, -1, dtype=np.int64)
    h_ix = {str(x): i for i, x in enumerate(scenario.households.id.tolist())}
    k_ix = {grid.label(k)[0]: k for k in range(len(grid.start_min))}
    for hid, sid, start in previous.household_slot:
        i, j, k = h_ix.get(hid), s_ix.get(sid), k_ix.get(start)
        if i is not None and j is not None and k is not None:
            site[i], slot[i] = j, k
    return slot, site, desks


def move_penalty(
    prev_site: IntArray, b_people: IntArray, n_sites: int, move_cost: float
) -> npt.NDArray[np.float64]:
    """Return the ``(buildings, sites)`` cost of serving a building elsewhere than before.

    Buildings without an earlier site pay nothing anywhere; the others pay
    `move_cost` per walk-up person at every site but their earlier one.
    """
    had = prev_site >= 0
    penalty = np.where(
        had[:, None], move_cost * b_people[:, None].astype(np.float64), 0.0
    ) * np.ones((1, n_sites))
    rows = np.flatnonzero(had)
    penalty[rows, prev_site[rows]] = 0.0
    return penalty


def _previous_hint(
    units: list[IntArray], prev_site: IntArray, cost: npt.NDArray[np.float64]
) -> IntArray | None:
    """Start from the earlier round's sites (the cheapest allowed one where unknown)."""
    if not (prev_site >= 0).any():
        return None
    hint = np.empty(len(units), dtype=np.int64)
    for n, members in enumerate(units):
        earlier = prev_site[members]
        j = int(earlier[0])
        if j < 0 or (earlier != j).any() or not np.isfinite(cost[n, j]):
            j = int(np.argmin(cost[n]))
        hint[n] = j
    return hint


@dataclass(frozen=True)
class _NothingToLocate:
    """Stand-in result when no building needs a site (all out of reach or at home)."""

    n_sites: int
    status: str = "optimal"
    objective: float = 0.0
    bound: float = 0.0
    gap: float = 0.0
    wall_time_s: float = 0.0

    @property
    def assignment(self) -> IntArray:
        return np.zeros(0, dtype=np.int64)


def _depot_for(scenario: Scenario, community: int, members: IntArray) -> int:
    """Pick a community's door-to-door depot: its fixed site, else the nearest site.

    The nearest of all candidate sites to the households' centre, open or not: the
    depot is where the team sets out from, and it does not depend on the plan.
    """
    s = scenario.sites
    name = scenario.communities[community]
    fixed = np.flatnonzero(s.fixed & (s.community == name))
    if len(fixed):
        return int(fixed[0])
    b = scenario.buildings
    cx = float(b.x_m[members].mean())
    cy = float(b.y_m[members].mean())
    return int(np.argmin(np.hypot(s.x_m - cx, s.y_m - cy)))


def numbered(prefix: str) -> Callable[[int], str]:
    """Return the team namer ``prefix01``, ``prefix02``, … (from t = 0)."""
    return lambda t: f"{prefix}{t + 1:02d}"


def route_stops(
    scenario: Scenario,
    policy: Policy,
    stops: IntArray,
    depot: int,
    window_s: tuple[int, int],
    *,
    time_limit_s: float,
    seed: int,
    team_id: Callable[[int], str],
) -> tuple[list[HomeVisitTeam], IntArray]:
    """Route door-to-door teams from `depot` through the households `stops`.

    The drill's re-plan routes with it and the plan with the same model
    (:func:`_routing_problem`): walks are straight lines times the policy's detour
    factor, each stop takes
    :meth:`HomeVisitPolicy.service_minutes` plus the drill's mean delay at the door
    (the plan allows for what the drill plays), and as many teams are offered as
    1.5 × the lower bound + 1.

    Parameters
    ----------
    stops
        Household indices to visit.
    depot
        Site index the teams start from and return to.
    window_s
        ``(start, end)`` seconds after midnight.
    time_limit_s, seed
        Routing search settings.
    team_id
        Name of the `t`-th team (0-based).

    Returns
    -------
    tuple
        The teams, and the households no team could reach in the window.
    """
    from planner.solve.routing import route_many

    del seed  # the routing search has no randomness
    problem = _routing_problem(scenario, policy, stops, depot, window_s, time_limit_s)
    (routes,) = route_many([problem])
    return _teams(scenario, stops, depot, routes, team_id)


def _routing_problem(
    scenario: Scenario,
    policy: Policy,
    stops: IntArray,
    depot: int,
    window_s: tuple[int, int],
    time_limit_s: float,
) -> RoutingProblem:
    """Return the routing of `stops` from `depot`: walks, services, window, teams."""
    from planner.solve.routing import (
        RoutingProblem,
        teams_needed_lower_bound,
        walk_matrix_s,
    )

    h, b, s = scenario.households, scenario.buildings, scenario.sites
    at = h.building[stops]
    x = np.concatenate([[s.x_m[depot]], b.x_m[at]]).astype(np.int64)
    y = np.concatenate([[s.y_m[depot]], b.y_m[at]]).astype(np.int64)
    walk_s = walk_matrix_s(
        x,
        y,
        speed_m_per_min=policy.walking.speed_m_per_min,
        detour_factor=policy.walking.detour_factor,
    )
    service = np.rint(
        60
        * (
            policy.home_visit.service_minutes(h.size[stops])
            + policy.drill.home_delay_mean_min
        )
    ).astype(np.int64)
    lower = teams_needed_lower_bound(walk_s, service, window_s)
    teams = max(1, math.ceil(lower * 1.5) + 1)
    return RoutingProblem(walk_s, service, window_s, teams, time_limit_s)


def _teams(
    scenario: Scenario,
    stops: IntArray,
    depot: int,
    routes: HomeVisitRoutes,
    team_id: Callable[[int], str],
) -> tuple[list[HomeVisitTeam], IntArray]:
    """Return the teams of `routes` and the households they left out."""
    h, b = scenario.households, scenario.buildings
    teams = [
        HomeVisitTeam(
            team_id=team_id(t),
            community=int(b.community[h.building[stops[route[0]]]]),
            depot_site=depot,
            households=tuple(int(stops[i]) for i in route),
            arrive_min=tuple(int(routes.arrive_s[i]) // 60 for i in route),
            finish_min=int(routes.finish_s[t]) // 60,
        )
        for t, route in enumerate(routes.routes)
    ]
    return teams, stops[list(routes.dropped)].astype(np.int64)


@dataclass
class HomeVisitRouting:
    """A plan's door-to-door routing, begun before its sites are chosen.

    A community's depot is its fixed site or the candidate site nearest its homebound
    households, whichever sites open, so the routes need nothing from the location
    solve. :meth:`start` queues each community's routing (sealed and ordinary
    households apart) in the helper process, largest first, while this process
    chooses the sites; :meth:`finish` routes here, smallest first, whatever the
    helper has not begun, and collects the rest (:class:`planner.shared_jobs.SharedJobs`).
    Without a helper everything is routed on :meth:`finish`. A routing solve gives
    the same routes wherever it runs.

    Attributes
    ----------
    cut
        Per routing, in the order of the problems: the households, the depot site
        and the team-name prefix (``C01-T``: community 1, ordinary; ``-F`` sealed).
    order
        The routings in the order they were queued (largest first).
    jobs
        The queued routings.
    """

    cut: list[tuple[IntArray, int, str]]
    order: list[int]
    jobs: SharedJobs

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        policy: Policy,
        home_visit: npt.NDArray[np.bool_],
        params: SolveParams,
        runtime: SolveRuntime,
    ) -> HomeVisitRouting:
        """Cut the homebound households into routings and queue them."""
        from planner.solve.routing import route_many

        h, b = scenario.households, scenario.buildings
        hv = np.flatnonzero(home_visit)
        hv_comm = b.community[h.building[hv]]
        # households pending a single-tube review are isolated as sealed ones are
        hv_sealed = h.sealed[hv] | h.pending[hv]
        start = policy.round.start_min * 60
        # every route keeps a reserve at the end of the window for a late day
        end = round((policy.round.end_min - policy.home_visit.reserve_min) * 60)
        end = max(end, start + 60)
        # sealed (封控) and ordinary homebound households never share a route: a team
        # that has been inside a sealed home does not enter other homes that day
        groups = sorted(
            {(int(c), bool(x)) for c, x in zip(hv_comm, hv_sealed, strict=True)}
        )
        cut: list[tuple[IntArray, int, str]] = []
        problems: list[RoutingProblem] = []
        for c, sealed_group in groups:
            stops = hv[(hv_comm == c) & (hv_sealed == sealed_group)]
            depot = _depot_for(scenario, c, h.building[stops])
            prefix = f"C{c + 1:02d}-{'F' if sealed_group else 'T'}"
            cut.append((stops, depot, prefix))
            problems.append(
                _routing_problem(
                    scenario,
                    policy,
                    stops,
                    depot,
                    (start, end),
                    params.route_time_limit_s,
                )
            )
        # the helper starts on the largest; this process takes back the smallest
        order = sorted(range(len(problems)), key=lambda i: -len(problems[i].service_s))
        jobs = SharedJobs(
            runtime.helper, None, [(route_many, ([problems[i]],)) for i in order]
        )
        return cls(cut, order, jobs)

    def finish(
        self, scenario: Scenario, runtime: SolveRuntime
    ) -> tuple[list[HomeVisitTeam], IntArray]:
        """Return the teams, and the households no team could reach in the window."""
        runtime.check()
        found: dict[int, HomeVisitRoutes] = {}
        for i, (routes,) in zip(self.order, self.jobs.finish()[1:], strict=True):
            found[i] = routes
        runtime.check()
        teams: list[HomeVisitTeam] = []
        dropped: list[int] = []
        for i, (stops, depot, prefix) in enumerate(self.cut):
            routed, missed = _teams(scenario, stops, depot, found[i], numbered(prefix))
            teams.extend(routed)
            dropped.extend(missed.tolist())
        return teams, np.asarray(dropped, dtype=np.int64)
