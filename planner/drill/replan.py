"""Re-plan the households not yet sampled after a disruption, keeping the rest.

Time ``T`` is when the street office learns of the disruption; changes reach
residents ``notice_min`` later, so only slots starting at or after
``T + notice_min`` can be given out. Households whose slot starts before then keep
it — except at a closed site, where everyone whose slot has not ended by the
closure must go elsewhere, and in a sealed building, where they are visited at home.

Steps
    1. Work out what every open site can still take per slot under the drill's
       policy: desks with a sampler (no-shows removed), rain slowing outdoor desks,
       surge walk-ins taking their share, nothing after a closure.
    2. Where a site's remaining bookings exceed that, add desks up to its
       ``max_desks`` while reserve samplers (the pool less those on duty) last.
    3. Move buildings off sites that still overflow, with CP-SAT
       (:func:`planner.solve.locate.locate`): the overflowing sites' remaining buildings
       choose a site within walking reach; staying costs nothing extra, moving costs
       walking plus ``move_cost`` per person, and a building no site can take goes
       to an *unplaced* column at a prohibitive cost. The current sites are the
       solver's hint, so it starts from "nobody moves".
    4. Fill slots: households staying keep their slot while it has room, movers take
       the earliest slots left.
    5. Route door-to-door teams for the sealed buildings' households from ``T +
       notice_min`` to the end of the window.

The result is a whole new :class:`planner.model.result.Plan` (so it can be simulated,
checked and exported like any plan) and the list of buildings whose site, slot or
mode changed, for re-issuing their notices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.drill.day import check_disruptions
from planner.drill.disruptions import (
    Disruption,
    Rain,
    SamplerNoShow,
    SealedBuilding,
    SiteClosure,
    WalkInSurge,
)
from planner.errors import PlannerError
from planner.geo.walking import walk_arcs
from planner.model.modes import HOME_VISIT, MODE_NAMES, UNASSIGNED, WALK_UP
from planner.model.plan_tables import CHANGE_COLUMNS
from planner.model.policy import Policy
from planner.model.result import HomeVisitTeam, Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray, IntArray
from planner.planning.capacity import slot_grid
from planner.planning.demand import household_demand
from planner.planning.staffing import shifts_for
from planner.solve.locate import locate
from planner.solve.settings import (
    REPLAN_NUM_WORKERS,
    REPLAN_ROUTE_TIME_LIMIT_S,
    REPLAN_TIME_LIMIT_S,
)

UNPLACED_COST_PER_PERSON = 1e6
"""Cost of leaving a person without a site: far above any walk (person-minutes)."""


@dataclass(frozen=True)
class Replan:
    """A plan re-made after a disruption.

    Attributes
    ----------
    plan
        The whole new plan (unchanged households as they were).
    changes
        One row per building whose site, slot or mode changed.
    at_min
        When the disruption became known, minutes after midnight.
    effective_min
        First slot start the changes apply from.
    desks_added
        ``{site_id: desks}`` added from the sampler reserve.
    moved_households, unplaced_households
        Households sent to another site, and those no site could take.
    """

    plan: Plan
    changes: pd.DataFrame
    at_min: int
    effective_min: int
    desks_added: dict[str, int]
    moved_households: int
    unplaced_households: int


def disruption_time(disruptions: Sequence[Disruption], policy: Policy) -> int:
    """Return when the first disruption becomes known (no-shows: at opening)."""
    times = []
    for d in disruptions:
        if isinstance(d, SiteClosure | SealedBuilding):
            times.append(d.at_min)
        elif isinstance(d, Rain | WalkInSurge):
            times.append(d.from_min)
        elif isinstance(d, SamplerNoShow):
            times.append(policy.round.start_min)
    return min(times) if times else policy.round.start_min


def replan(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    disruptions: Sequence[Disruption] = (),
    *,
    at_min: int | None = None,
    desks_lost: dict[str, int] | None = None,
    carried_over: dict[str, float] | None = None,
    seed: int = 0,
    time_limit_s: float = REPLAN_TIME_LIMIT_S,
    num_workers: int = REPLAN_NUM_WORKERS,
) -> Replan:
    """Re-plan the households not yet sampled.

    Parameters
    ----------
    scenario, plan
        The street and the plan in force.
    policy
        The drill's policy (rates and queue limit the new plan must respect).
    disruptions
        What went wrong.
    at_min
        When it became known; by default the first disruption's time. A time
        ``notice_min`` or more before the window re-plans the whole day.
    desks_lost
        ``{site_id: desks}`` without a sampler (from the drill day).
    carried_over
        ``{site_id: people}`` booked in slots the re-plan keeps but not sampled
        before it takes effect (the reported backlog on the day): they take the
        site's first capacity from the effective slot on.
    seed, time_limit_s
        CP-SAT seed and time cap of the move step.
    num_workers
        CP-SAT workers of the move step (interleaved, so the result is the same
        on any machine). Default 8.

    Returns
    -------
    Replan
    """
    check_disruptions(scenario, plan, disruptions)
    h, b, sites = scenario.households, scenario.buildings, scenario.sites
    n_h, n_s = len(h), len(sites)
    at = disruption_time(disruptions, policy) if at_min is None else int(at_min)
    grid = slot_grid(sites, policy)
    n_k = len(grid.start_min)
    slot_len = grid.slot_minutes
    effective = at + policy.drill.notice_min
    k0 = int(np.searchsorted(grid.start_min, effective - 1e-9))
    demand = household_demand(scenario, policy)
    site_ix = {str(s): i for i, s in enumerate(sites.id)}
    b_ix = {str(x): i for i, x in enumerate(b.id)}

    # 1. what each site can still take per slot
    desks = plan.site_desks.copy() * plan.site_open
    for sid, k in (desks_lost or {}).items():
        desks[site_ix[sid]] = max(0, desks[site_ix[sid]] - k)
    factor = np.ones((n_s, n_k))
    closed_from = np.full(n_s, np.inf)
    surge_units = np.zeros((n_s, n_k))
    slot_end = grid.start_min + slot_len
    walk = plan.hh_mode == WALK_UP
    booked = np.zeros((n_s, n_k))
    np.add.at(booked, (plan.hh_site[walk], plan.hh_slot[walk]), h.size[walk])
    sealed_at = np.full(n_h, np.inf)
    for d in disruptions:
        if isinstance(d, SiteClosure):
            closed_from[site_ix[d.site_id]] = min(
                closed_from[site_ix[d.site_id]], d.at_min
            )
        elif isinstance(d, Rain):
            wet = (grid.start_min < d.to_min) & (slot_end > d.from_min)
            factor[np.ix_(~sites.indoor, wet)] *= d.rate_factor
        elif isinstance(d, WalkInSurge):
            during = (grid.start_min < d.to_min) & (slot_end > d.from_min)
            rows = np.array([site_ix[d.site_id]]) if d.site_id else np.arange(n_s)
            surge_units[np.ix_(rows, during)] += d.share * booked[np.ix_(rows, during)]
        elif isinstance(d, SealedBuilding):
            members = h.building == b_ix[d.building_id]
            sealed_at[members] = np.minimum(sealed_at[members], d.at_min)
    usable = grid.usable & (slot_end[None, :] <= closed_from[:, None])
    usable[:, :k0] = False
    # a backlog still in the queue when the changes take effect uses up the site's
    # earliest slots first, like walk-ins who are already there
    for sid, people in (carried_over or {}).items():
        s_ = site_ix[sid]
        left = float(people)
        base = grid.slot_capacity(int(desks[s_]))
        for k in np.flatnonzero(usable[s_]).tolist():
            take = min(left, max(0.0, base * factor[s_, k] - surge_units[s_, k]))
            surge_units[s_, k] += take
            left -= take
            if left <= 0:
                break

    def slot_caps(d_: IntArray) -> FloatArray:
        per = np.array([grid.slot_capacity(int(x)) for x in d_])
        caps: FloatArray = np.maximum(per[:, None] * factor - surge_units, 0.0)
        return np.where(usable, caps, 0.0)

    # who is still to be sampled, and who must leave walk-up
    slot_of = np.maximum(plan.hh_slot, 0)
    hh_end = grid.start_min[slot_of] + slot_len
    site_of = np.maximum(plan.hh_site, 0)
    at_closed = walk & (hh_end > closed_from[site_of])
    sealed = walk & (hh_end > sealed_at)
    pending = walk & ((plan.hh_slot >= k0) | at_closed) & ~sealed

    # 2. reinforce overflowing sites from the sampler reserve
    on_duty = int(plan.site_desks.sum()) * policy.sampling.samplers_per_desk + len(
        plan.teams
    )
    # a desk added for the rest of the day needs a sampler in every shift
    n_shifts = len(shifts_for(policy))
    pool = int((scenario.staff.role == "sampler").sum())
    reserve = max(0, pool - on_duty * n_shifts) // max(1, n_shifts)
    load = np.bincount(
        plan.hh_site[pending], demand.units[pending], minlength=n_s
    ).astype(np.float64)
    added: dict[str, int] = {}
    per_sampler = policy.sampling.samplers_per_desk
    for s in np.argsort(-(load - slot_caps(desks).sum(axis=1)), kind="stable"):
        s = int(s)
        while (
            load[s] > slot_caps(desks)[s].sum() + 1e-9
            and np.isinf(closed_from[s])
            and desks[s] < sites.max_desks[s]
            and reserve >= per_sampler
            and plan.site_open[s]
        ):
            desks[s] += 1
            reserve -= per_sampler
            added[str(sites.id[s])] = added.get(str(sites.id[s]), 0) + 1
    cap = slot_caps(desks)

    # 3. move buildings off sites that still overflow
    new_site = plan.hh_site.copy()
    overflow = (load > cap.sum(axis=1) + 1e-9) | (np.isfinite(closed_from) & (load > 0))
    movers_b = np.unique(h.building[pending & overflow[site_of]])
    unplaced_b: set[int] = set()
    if len(movers_b):
        arcs = walk_arcs(scenario, policy.walking)
        b_units = np.bincount(
            h.building[pending], demand.units[pending], minlength=len(b)
        )
        b_people = np.bincount(h.building[pending], h.size[pending], minlength=len(b))
        cur = np.full(len(b), -1, dtype=np.int64)
        cur[h.building[pending]] = plan.hh_site[pending]
        col_of_b = {int(x): i for i, x in enumerate(movers_b.tolist())}
        running = np.flatnonzero(plan.site_open & np.isinf(closed_from) & (desks > 0))
        # candidate sites not open yet may open if reserve samplers can staff them
        spare_desks = min(reserve // per_sampler, int(sites.max_desks.max(initial=0)))
        fresh = np.flatnonzero(
            ~plan.site_open
            & np.isinf(closed_from)
            & usable.any(axis=1)
            & (sites.max_desks > 0)
        )
        if spare_desks < 1:
            fresh = fresh[:0]
        targets = np.concatenate([running, fresh])
        spare = cap.sum(axis=1) - load
        fresh_desks = np.minimum(sites.max_desks[fresh], spare_desks)
        fresh_cap = slot_caps(_put(desks, fresh, fresh_desks))[fresh].sum(axis=1)
        cap_cols = np.concatenate(
            [
                np.where(overflow[running], cap.sum(axis=1)[running], spare[running]),
                fresh_cap,
            ]
        )
        col = {int(s): i for i, s in enumerate(targets.tolist())}
        n_pts, n_cols = len(movers_b), len(targets) + 1
        cost = np.full((n_pts, n_cols), np.inf)
        for bb, ss, mm in zip(arcs.building, arcs.site, arcs.walk_m, strict=True):
            i, j = col_of_b.get(int(bb)), col.get(int(ss))
            if i is None or j is None:
                continue
            people = float(b_people[bb])
            cost[i, j] = people * mm / policy.walking.speed_m_per_min + (
                0.0 if int(ss) == cur[bb] else policy.drill.move_cost * people
            )
        cost[:, -1] = UNPLACED_COST_PER_PERSON * np.maximum(b_people[movers_b], 1)
        demand_pts = b_units[movers_b].astype(np.float64)
        # slots are filled by whole households: keep one household's room per slot
        largest = float(demand.units[pending].max())
        margin = usable[targets].sum(axis=1) * largest
        capacity = np.concatenate(
            [np.maximum(cap_cols - margin, 0.0), [float(demand_pts.sum()) + 1.0]]
        )
        hint = np.array(
            [
                col.get(int(cur[x]), n_cols - 1)
                if np.isfinite(cost[i, col.get(int(cur[x]), n_cols - 1)])
                else n_cols - 1
                for i, x in enumerate(movers_b.tolist())
            ],
            dtype=np.int64,
        )
        try:
            res = locate(
                cost,
                demand_pts,
                capacity,
                open_cost=np.concatenate(
                    [
                        np.zeros(len(running)),
                        np.full(len(fresh), policy.objective.site_cost),
                        [0.0],
                    ]
                ),
                fixed_open=np.concatenate(
                    [
                        np.ones(len(running), dtype=bool),
                        np.zeros(len(fresh), dtype=bool),
                        [True],
                    ]
                ),
                hint=None if _hint_overfills(hint, demand_pts, capacity) else hint,
                time_limit_s=time_limit_s,
                seed=seed,
                num_workers=num_workers,
                gap_limit=0.005,
                deterministic_time=5.0,
            )
            choice = res.assignment
        except PlannerError:
            choice = np.full(n_pts, n_cols - 1, dtype=np.int64)
        for i, x in enumerate(movers_b.tolist()):
            hh = np.flatnonzero(pending & (h.building == x))
            if choice[i] == n_cols - 1:
                unplaced_b.add(x)
                new_site[hh] = -1
            else:
                new_site[hh] = targets[choice[i]]
        # staff the newly opened sites with the fewest desks that hold their load
        for s_new in fresh.tolist():
            need = float(demand.units[pending & (new_site == s_new)].sum())
            if need <= 0:
                continue
            most = min(int(sites.max_desks[s_new]), reserve // per_sampler)
            n_desks = 1
            while n_desks < most and (
                slot_caps(_put(desks, np.array([s_new]), np.array([n_desks])))[
                    s_new
                ].sum()
                < need - 1e-9
            ):
                n_desks += 1
            if most < 1:
                continue
            # a site opened at short notice gets a spare desk when one is free
            n_desks = min(n_desks + 1, most)
            desks[s_new] = n_desks
            reserve -= n_desks * per_sampler
            added[str(sites.id[s_new])] = n_desks
        cap = slot_caps(desks)
    # 4. fill slots: stayers keep theirs while there is room, movers take what is left
    new_slot = plan.hh_slot.copy()
    new_mode = plan.hh_mode.copy()
    reason = plan.unassigned_reason.copy()
    room = cap.copy()
    unplaced_hh = np.flatnonzero(pending & (new_site < 0))
    new_mode[unplaced_hh] = UNASSIGNED
    new_slot[unplaced_hh] = -1
    reason[unplaced_hh] = "no_capacity_after_disruption"
    placed = pending & (new_site >= 0)
    stay = placed & (new_site == plan.hh_site) & (plan.hh_slot >= k0)
    movers = placed & ~stay
    stayers = np.flatnonzero(stay)[np.argsort(plan.hh_slot[stay], kind="stable")]
    for hh in stayers.tolist():
        s, u = int(new_site[hh]), float(demand.units[hh])
        k = _first_room(room[s], int(plan.hh_slot[hh]), u)
        if k < 0:  # no room from its own slot on: take an earlier one left free
            k = _first_room(room[s], k0, u)
        _book(hh, s, k, u, room, new_slot, new_mode, reason)
    order = np.flatnonzero(movers)
    # key groups first, then by grid and building, as the planner calls them
    order = order[
        np.lexsort(
            (
                order,
                h.building[order],
                b.grid[h.building[order]],
                demand.single[order] == 0,
            )
        )
    ]
    for mover in order.tolist():
        s, u = int(new_site[mover]), float(demand.units[mover])
        k = _first_room(room[s], k0, u)
        _book(mover, s, k, u, room, new_slot, new_mode, reason)
    new_site = np.where(new_mode == WALK_UP, new_site, -1)

    # 5. door-to-door for the sealed buildings
    teams = list(plan.teams)
    sealed_hh = np.flatnonzero(sealed)
    if len(sealed_hh):
        new_teams, dropped = _route_sealed(
            scenario,
            policy,
            sealed_hh,
            int(max(effective, policy.round.start_min)),
            seed,
        )
        teams.extend(new_teams)
        new_mode[sealed_hh] = HOME_VISIT
        new_site[sealed_hh] = -1
        new_slot[sealed_hh] = -1
        new_mode[dropped] = UNASSIGNED
        reason[dropped] = "home_visit_unreachable"

    new_plan = _rebuild(
        scenario,
        plan,
        policy,
        np.array([added.get(str(x), 0) for x in sites.id], dtype=np.int64),
        new_site,
        new_slot,
        new_mode,
        reason,
        teams,
        demand.units,
    )
    changes = _changes(scenario, plan, new_plan, at_closed, sealed, unplaced_b)
    moved = int((placed & (new_site != plan.hh_site) & (new_mode == WALK_UP)).sum())
    return Replan(
        plan=new_plan,
        changes=changes,
        at_min=at,
        effective_min=int(grid.start_min[min(k0, n_k - 1)]) if n_k else at,
        desks_added=added,
        moved_households=moved,
        unplaced_households=int(
            ((new_mode == UNASSIGNED) & (plan.hh_mode != UNASSIGNED)).sum()
        ),
    )


def _put(values: IntArray, index: IntArray, new: IntArray) -> IntArray:
    """Return a copy of `values` with `values[index] = new`."""
    out = values.copy()
    out[index] = new
    return out


def _hint_overfills(hint: IntArray, demand: FloatArray, capacity: FloatArray) -> bool:
    load = np.bincount(hint, demand, minlength=len(capacity))
    return bool((load > capacity + 1e-9).any())


def _first_room(room: FloatArray, from_k: int, units: float) -> int:
    """Return the first slot at or after `from_k` with room for `units`, or -1."""
    ok = np.flatnonzero(room[from_k:] >= units - 1e-9)
    return int(ok[0]) + from_k if len(ok) else -1


def _book(
    hh: int,
    s: int,
    k: int,
    units: float,
    room: FloatArray,
    slot: IntArray,
    mode: IntArray,
    reason: npt.NDArray[np.object_],
) -> None:
    if k < 0:
        slot[hh] = -1
        mode[hh] = UNASSIGNED
        reason[hh] = "window_full_after_disruption"
        return
    room[s, k] -= units
    slot[hh] = k
    mode[hh] = WALK_UP
    reason[hh] = ""


def _route_sealed(
    scenario: Scenario, policy: Policy, households: IntArray, start_min: int, seed: int
) -> tuple[list[HomeVisitTeam], IntArray]:
    """Route new door-to-door teams through the sealed households."""
    from planner.planning.plan import numbered, route_stops

    h, b, s = scenario.households, scenario.buildings, scenario.sites
    cx, cy = b.x_m[h.building[households]].mean(), b.y_m[h.building[households]].mean()
    depot = int(np.argmin(np.hypot(s.x_m - cx, s.y_m - cy)))
    window = (start_min * 60, policy.round.end_min * 60)
    if window[1] <= window[0]:
        return [], households
    return route_stops(
        scenario,
        policy,
        households,
        depot,
        window,
        time_limit_s=REPLAN_ROUTE_TIME_LIMIT_S,
        seed=seed,
        team_id=numbered("R-T"),
    )


def _rebuild(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    added: IntArray,
    site: IntArray,
    slot: IntArray,
    mode: IntArray,
    reason: npt.NDArray[np.object_],
    teams: list[HomeVisitTeam],
    units: FloatArray,
) -> Plan:
    h = scenario.households
    n_s = len(scenario.sites)
    walk = mode == WALK_UP
    slot_units = np.zeros_like(plan.site_slot_units)
    np.add.at(slot_units, (site[walk], slot[walk]), units[walk])
    arcs = walk_arcs(scenario, policy.walking)
    walk_of = {
        (int(x), int(y)): int(m)
        for x, y, m in zip(arcs.building, arcs.site, arcs.walk_m, strict=True)
    }
    walk_m = np.where(plan.hh_site == site, plan.hh_walk_m, -1)
    for hh in np.flatnonzero(walk & (walk_m < 0)):
        walk_m[hh] = walk_of.get((int(h.building[hh]), int(site[hh])), -1)
    walk_m = np.where(walk, walk_m, -1)
    return replace(
        plan,
        policy=policy,
        site_open=plan.site_open | (added > 0),
        site_desks=(plan.site_desks + added).astype(np.int64),
        site_people=np.bincount(site[walk], h.size[walk], minlength=n_s).astype(
            np.int64
        ),
        site_units=slot_units.sum(axis=1),
        site_slot_units=slot_units,
        hh_mode=mode,
        hh_site=site,
        hh_slot=slot,
        hh_walk_m=walk_m.astype(np.int64),
        unassigned_reason=reason,
        teams=tuple(teams),
    )


def _slots_text(plan: Plan, hh: IntArray) -> str:
    ks = sorted({int(k) for k in plan.hh_slot[hh] if k >= 0})
    if not ks:
        return ""
    lo, hi = plan.slots.label(ks[0])[0], plan.slots.label(ks[-1])[1]
    return f"{lo}-{hi}"


def _changes(
    scenario: Scenario,
    old: Plan,
    new: Plan,
    at_closed: npt.NDArray[np.bool_],
    sealed: npt.NDArray[np.bool_],
    unplaced_b: set[int],
) -> pd.DataFrame:
    h, b, s = scenario.households, scenario.buildings, scenario.sites
    changed = (
        (old.hh_site != new.hh_site)
        | (old.hh_slot != new.hh_slot)
        | (old.hh_mode != new.hh_mode)
    )
    rows = []
    for bb in np.unique(h.building[changed]).tolist():
        hh = np.flatnonzero(changed & (h.building == bb))
        old_sites = sorted({str(s.id[x]) for x in old.hh_site[hh] if x >= 0})
        new_sites = sorted({str(s.id[x]) for x in new.hh_site[hh] if x >= 0})
        modes = sorted({MODE_NAMES[m] for m in new.hh_mode[hh]})
        if sealed[hh].any():
            why = "sealed"
        elif at_closed[hh].any():
            why = "site_closed"
        elif bb in unplaced_b or (new.hh_mode[hh] == UNASSIGNED).any():
            why = "no_capacity"
        elif old_sites != new_sites:
            why = "site_full"
        else:
            why = "slot_moved"
        rows.append(
            {
                "building_id": str(b.id[bb]),
                "grid_id": scenario.grid_ids[int(b.grid[bb])],
                "households": len(hh),
                "people": int(h.size[hh].sum()),
                "old_site_id": "/".join(old_sites),
                "old_slots": _slots_text(old, hh),
                "new_site_id": "/".join(new_sites),
                "new_slots": _slots_text(new, hh),
                "new_mode": "/".join(modes),
                "reason": why,
            }
        )
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
