"""Apply the office's hand edits to a solve, re-solve warm from the current plan, compare.

The edits (:class:`planner.model.edits.Edits`) become inputs of the ordinary solve,
never a second model:

- a closed site gets no desks and no building (its column of the ``(buildings,
  sites)`` mask is False), and stops being a 固定点;
- a forced-open site becomes fixed (``y_s = 1``);
- edited desks cap the site's maximum (``at_most``) or fix it and floor it
  (``fixed``: the site opens with exactly that many);
- a pinned building, compound or grid may go only to its site (and its households
  are booked into the pinned slot while it has room);
- the number of sites and the start of the window replace the policy's.

A warm re-solve (:func:`resolve`) keeps everything the edit does not touch. It first
solves with every untouched building held on its current site (a small problem,
fast), the touched ones free at the campaign's cost per person moved; only when that
cannot hold the street does it free every building at the same cost per move. So a
one-site edit moves only the buildings it touches, unless capacity forces more.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.errors import InfeasibleError, InputError, Issue
from planner.geo.areas import compound_index, sites_inside
from planner.geo.walking import walk_arcs, walk_limits_m
from planner.model.edits import AREA_STATUSES, Edits
from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario, Sites
from planner.model.types import BoolArray, IntArray
from planner.planning.capacity import site_capacity_units, slot_grid
from planner.planning.demand import household_demand
from planner.planning.plan import PreviousRound, SolveParams, SolveRuntime
from planner.round.run import RoundResult
from planner.text import tr_both

__all__ = [
    "EditedProblem",
    "PlanChange",
    "apply_edits",
    "compare_plans",
    "edit_findings",
    "pin_buildings",
]


def _infeasible(key: str, /, **values: object) -> InfeasibleError:
    """Return the error an impossible edit raises: text `key` and its numbers."""
    return InfeasibleError(key=key, values=values)


@dataclass(frozen=True)
class EditedProblem:
    """The scenario, policy and solver inputs with the edits applied.

    Attributes
    ----------
    scenario
        The street with closed sites at 0 desks and not fixed, forced-open and
        fixed-desk sites fixed, capped desks lowered.
    policy
        With the edited number of sites and window start.
    allowed
        ``(buildings, sites)``: where each building may go.
    min_desks
        ``(sites,)`` fewest desks (fixed desks).
    pinned
        ``(buildings,)`` pinned site index, -1 none.
    slot_pins
        ``(household id, site id, slot start)`` booked while the slot has room.
    edits
        The edits applied.
    """

    scenario: Scenario
    policy: Policy
    allowed: BoolArray
    min_desks: IntArray
    pinned: IntArray
    slot_pins: tuple[tuple[str, str, str], ...]
    edits: Edits


def _issue(edits: Edits, code: str, key: str, value: str) -> Issue:
    return Issue("error", code, edits.source, column=key, params=(("value", value),))


def pin_buildings(scenario: Scenario, kind: str, target: str) -> IntArray | None:
    """Return the buildings a pin of `kind` `target` covers, or None when unknown."""
    b = scenario.buildings
    if kind == "building":
        hit = np.flatnonzero(b.id == target)
    elif kind == "compound":
        k = compound_index(scenario, target)
        if k < 0:
            return None
        hit = np.flatnonzero(b.compound == k)
    else:
        if target not in scenario.grid_ids:
            return None
        hit = np.flatnonzero(b.grid == scenario.grid_ids.index(target))
    return hit.astype(np.int64) if len(hit) else None


def apply_edits(scenario: Scenario, policy: Policy, edits: Edits) -> EditedProblem:
    """Turn `edits` into the solve's inputs, refusing what cannot hold with numbers.

    Raises
    ------
    InputError
        An edit names a site, building, compound or grid the scenario does not have,
        or desks beyond the site's maximum (key and value named).
    InfeasibleError
        A pin beyond the walk limit or to a closed site, pinned work a site cannot
        take, or buildings a closed site leaves with no other site in reach (the
        message gives the minutes, people and capacity).
    """
    s = scenario.sites
    n_b, n_s = len(scenario.buildings), len(s)
    site_ix = {str(x): j for j, x in enumerate(s.id.tolist())}
    issues: list[Issue] = []
    for n, e in enumerate(edits.sites):
        if e.site not in site_ix:
            issues.append(
                _issue(edits, "edits_unknown_site", f"site[{n + 1}].id", e.site)
            )
        elif e.desks > int(s.max_desks[site_ix[e.site]]):
            issues.append(
                Issue(
                    "error",
                    "edits_desks_over_max",
                    edits.source,
                    column=f"site[{n + 1}].desks",
                    params=(
                        ("value", str(e.desks)),
                        ("site", e.site),
                        ("max", str(int(s.max_desks[site_ix[e.site]]))),
                    ),
                )
            )
    pin_members: list[IntArray] = []
    for n, p in enumerate(edits.pins):
        if p.site not in site_ix:
            issues.append(
                _issue(edits, "edits_unknown_site", f"pin[{n + 1}].site", p.site)
            )
        members = pin_buildings(scenario, p.kind, p.target)
        if members is None:
            issues.append(
                _issue(
                    edits, f"edits_unknown_{p.kind}", f"pin[{n + 1}].{p.kind}", p.target
                )
            )
            members = np.zeros(0, dtype=np.int64)
        pin_members.append(members)
    for n, a in enumerate(edits.areas):
        if _area_index(scenario, a.kind, a.target) < 0:
            issues.append(
                _issue(
                    edits,
                    f"edits_unknown_{a.kind}",
                    f"area[{n + 1}].{a.kind}",
                    a.target,
                )
            )
    if issues:
        raise InputError(issues)

    closed = np.zeros(n_s, dtype=bool)
    fixed = s.fixed.copy()
    max_desks = s.max_desks.copy()
    min_desks = np.zeros(n_s, dtype=np.int64)
    for e in edits.sites:
        j = site_ix[e.site]
        if e.state == "closed":
            closed[j], fixed[j], max_desks[j] = True, False, 0
        elif e.state == "open":
            fixed[j] = True
        if e.desks and e.state != "closed":
            max_desks[j] = min(int(max_desks[j]), e.desks)
            if e.desks_mode == "fixed":
                min_desks[j], fixed[j] = e.desks, True
    sites = dataclasses.replace(s, fixed=fixed, max_desks=max_desks)
    edited = dataclasses.replace(scenario, sites=sites)
    values: dict[str, object] = {}
    if edits.site_count:
        values["sites.n_open"] = edits.site_count
        values["sites.n_open_mode"] = edits.site_count_mode
    if edits.window_start:
        values["round.window_start"] = edits.window_start
    if edits.date:
        values["round.screening_date"] = edits.date
    pol = policy.with_values(**values) if values else policy

    allowed = np.ones((n_b, n_s), dtype=bool)
    allowed[:, closed] = False
    pinned = np.full(n_b, -1, dtype=np.int64)
    h = scenario.households
    slot_pins: list[tuple[str, str, str]] = []
    arcs = walk_arcs(edited, pol.walking) if edits.pins or closed.any() else None
    for p, members in zip(edits.pins, pin_members, strict=True):
        j = site_ix[p.site]
        if closed[j]:
            raise _infeasible("edits_pin_to_closed", target=p.target, site=p.site)
        _check_reach(edited, pol, arcs, members, j, p.target, p.site)
        allowed[members] = False
        allowed[members, j] = True
        pinned[members] = j
        if p.slot:
            for i in np.flatnonzero(np.isin(h.building, members)).tolist():
                slot_pins.append((str(h.id[i]), p.site, p.slot))
    if edits.pins:
        _check_pinned_capacity(edited, pol, pinned)
    status = area_status(edited, pol, edits)
    if (status > PRECAUTION).any():
        edited, allowed = _closed_areas(edited, pol, status, allowed, closed)
        arcs = walk_arcs(edited, pol.walking)
    if arcs is not None:
        _check_closed_leaves_reach(edited, pol, arcs, allowed, closed)
    return EditedProblem(
        edited, pol, allowed, min_desks, pinned, tuple(slot_pins), edits
    )


NONE, PRECAUTION, CONTROLLED, SEALED = 0, 1, 2, 3
"""A building's area status, strictest wins: none, 防范, 管控, 封控."""

_STATUS = {"precaution": PRECAUTION, "controlled": CONTROLLED, "sealed": SEALED}


def _area_index(scenario: Scenario, kind: str, target: str) -> int:
    if kind == "compound":
        return compound_index(scenario, target)
    return scenario.grid_ids.index(target) if target in scenario.grid_ids else -1


def _area_members(scenario: Scenario, kind: str, k: int) -> BoolArray:
    b = scenario.buildings
    return np.asarray((b.compound if kind == "compound" else b.grid) == k)


def site_areas(scenario: Scenario) -> tuple[IntArray, IntArray]:
    """Return the compound and the grid each site stands in (-1 none)."""
    return (
        sites_inside(scenario, scenario.compound_areas, scenario.compounds),
        sites_inside(scenario, scenario.grid_areas, scenario.grid_ids),
    )


def area_status(scenario: Scenario, policy: Policy, edits: Edits) -> IntArray:
    """Return each building's area status (:data:`SEALED` … :data:`NONE`).

    The office's statuses per compound and grid, the strictest where both apply;
    under closed management (``policy.compounds.closed_management``) a compound
    with a candidate site inside it and no status of its own is 管控.
    """
    status = np.zeros(len(scenario.buildings), dtype=np.int64)
    given = np.zeros(len(scenario.buildings), dtype=bool)
    for a in edits.areas:
        k = _area_index(scenario, a.kind, a.target)
        if k < 0:
            continue
        members = _area_members(scenario, a.kind, k)
        status[members] = np.maximum(
            status[members], _STATUS[AREA_STATUSES.get(a.status, a.status)]
        )
        given |= members
    if policy.compounds.closed_management:
        site_comp, _ = site_areas(scenario)
        with_site = np.unique(site_comp[site_comp >= 0])
        closed = np.isin(scenario.buildings.compound, with_site) & ~given
        status[closed] = CONTROLLED
    return status


def _closed_areas(
    scenario: Scenario,
    policy: Policy,
    status: IntArray,
    allowed: BoolArray,
    closed_sites: BoolArray,
) -> tuple[Scenario, BoolArray]:
    """Apply 封控 and 管控: sealed homes, sampling inside the area or at home.

    A 封控 building's households are sealed (sampled at home, one tube each). A 管控
    compound's (or grid's) buildings go only to open-able sites inside it (人不出区);
    where the area has no such site in reach of a building, its residents are
    sampled at home (door to door). The area's sites may still take residents of
    areas not under control: closing them to everyone else left the demo's other
    24 sites unable to hold the rest of the street in any window.
    """
    b, h = scenario.buildings, scenario.households
    allowed = allowed.copy()
    sealed_b = status == SEALED
    home_b = np.zeros(len(b), dtype=bool)
    site_comp, site_grid = site_areas(scenario)
    arcs = walk_arcs(scenario, policy.walking)
    reach = np.zeros(allowed.shape, dtype=bool)
    reach[arcs.building, arcs.site] = True
    ctrl = status == CONTROLLED
    groups: list[tuple[IntArray, BoolArray]] = []
    for of, site_of in ((b.compound, site_comp), (b.grid, site_grid)):
        for k in np.unique(of[ctrl]).tolist():
            members = np.flatnonzero(ctrl & (of == k))
            inside = (site_of == k) & ~closed_sites
            if not inside.any():
                continue  # its grid may have a site inside; else at home (below)
            allowed[np.ix_(members, ~inside)] = False
            allowed[np.ix_(members, inside)] = True
            stranded = members[~reach[np.ix_(members, inside)].any(axis=1)]
            home_b[stranded] = True
            ctrl[members] = False
            groups.append((np.setdiff1d(members, stranded), inside))
    home_b |= ctrl  # no site inside the compound nor the grid: door to door
    sealed_h = h.sealed | sealed_b[h.building]
    home_h = home_b[h.building] & ~sealed_h
    residents = scenario.residents
    if residents is not None and home_h.any():
        homebound = residents.homebound | home_h[residents.household]
        residents = dataclasses.replace(residents, homebound=homebound)
    elif home_h.any():
        sealed_h = sealed_h | home_h  # no register of people: the household is visited
    households = dataclasses.replace(h, sealed=sealed_h)
    edited = dataclasses.replace(scenario, households=households, residents=residents)
    _check_area_capacity(edited, policy, groups)
    return edited, allowed


def _capacity(
    scenario: Scenario, policy: Policy, hh_units: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Work each site takes in the window, less the solve's packing margin.

    As :func:`planner.planning.plan.make_plan`: one household per slot may not fit.
    """
    grid = slot_grid(scenario.sites, policy)
    cap = site_capacity_units(grid, scenario.sites, policy)
    largest = float(hh_units.max()) if len(hh_units) else 0.0
    margin = grid.usable.sum(axis=1).astype(np.float64) * largest
    out: npt.NDArray[np.float64] = np.maximum(cap - margin, 0.0)
    return out


def _check_area_capacity(
    scenario: Scenario, policy: Policy, groups: list[tuple[IntArray, BoolArray]]
) -> None:
    """Raise when a closed area's own sites cannot take its residents in the window."""
    if not groups:
        return
    demand = household_demand(scenario, policy)
    h, b = scenario.households, scenario.buildings
    walk = ~demand.home_visit
    b_units = np.bincount(h.building[walk], demand.units[walk], minlength=len(b))
    b_people = np.bincount(h.building[walk], h.size[walk], minlength=len(b))
    cap = _capacity(scenario, policy, demand.units)
    short: list[tuple[float, IntArray, BoolArray, float, float]] = []
    for members, inside in groups:
        need, can = float(b_units[members].sum()), float(cap[inside].sum())
        if need > can + 1e-9:
            short.append((need / max(can, 1e-9), members, inside, need, can))
    if not short:
        return
    ratio, members, inside, need, can = max(short, key=lambda x: x[0])
    first = int(members[0])
    raise _infeasible(
        "edits_area_over_capacity",
        compound=scenario.compounds[int(b.compound[first])],
        people=int(b_people[members].sum()),
        units=need,
        sites=int(inside.sum()),
        desks=int(scenario.sites.max_desks[inside].sum()),
        capacity=can,
        hours=policy.round.window_hours,
        n=len(short),
        need_hours=policy.round.window_hours * ratio,
    )


def _walk_minutes(scenario: Scenario, policy: Policy, b: int, j: int) -> float:
    """Straight-line walk × detour from building `b` to site `j`, minutes."""
    bb, s = scenario.buildings, scenario.sites
    d = math.hypot(float(bb.x_m[b] - s.x_m[j]), float(bb.y_m[b] - s.y_m[j]))
    return d * policy.walking.detour_factor / policy.walking.speed_m_per_min


def _check_reach(
    scenario: Scenario,
    policy: Policy,
    arcs: object,
    members: IntArray,
    j: int,
    target: str,
    site: str,
) -> None:
    """Raise when a pinned building is beyond its walk limit of the site."""
    from planner.geo.walking import WalkArcs

    assert isinstance(arcs, WalkArcs)
    reach = set(arcs.building[arcs.site == j].tolist())
    limits = walk_limits_m(scenario, policy.walking) / policy.walking.speed_m_per_min
    demand = household_demand(scenario, policy)
    h = scenario.households
    walkers = set(h.building[~demand.home_visit].tolist())
    far = [int(b) for b in members.tolist() if b not in reach and b in walkers]
    if far:
        worst = max(far, key=lambda b: _walk_minutes(scenario, policy, b, j))
        raise _infeasible(
            "edits_pin_beyond_walk",
            target=target,
            site=site,
            buildings=len(far),
            building=str(scenario.buildings.id[worst]),
            minutes=_walk_minutes(scenario, policy, worst, j),
            limit=float(limits[worst]),
        )


def _check_pinned_capacity(
    scenario: Scenario, policy: Policy, pinned: IntArray
) -> None:
    """Raise when the work pinned to a site exceeds what it takes in the window."""
    demand = household_demand(scenario, policy)
    h = scenario.households
    walk = ~demand.home_visit
    b_units = np.bincount(
        h.building[walk], demand.units[walk], minlength=len(scenario.buildings)
    )
    b_people = np.bincount(h.building[walk], h.size[walk], minlength=len(pinned))
    cap = _capacity(scenario, policy, demand.units)
    on = pinned >= 0
    load = np.bincount(pinned[on], b_units[on], minlength=len(cap))
    people = np.bincount(pinned[on], b_people[on], minlength=len(cap))
    over = np.flatnonzero(load > cap + 1e-9)
    if len(over):
        j = int(over[0])
        raise _infeasible(
            "edits_pin_over_capacity",
            site=str(scenario.sites.id[j]),
            people=int(people[j]),
            units=float(load[j]),
            capacity=float(cap[j]),
            desks=int(scenario.sites.max_desks[j]),
            hours=policy.round.window_hours,
        )


def _check_closed_leaves_reach(
    scenario: Scenario,
    policy: Policy,
    arcs: object,
    allowed: BoolArray,
    closed: BoolArray,
) -> None:
    """Raise when closing sites leaves walk-up buildings with no site in reach."""
    from planner.geo.walking import WalkArcs

    assert isinstance(arcs, WalkArcs)
    n_b = len(scenario.buildings)
    ok = allowed[arcs.building, arcs.site]
    had = np.zeros(n_b, dtype=bool)
    had[arcs.building] = True
    still = np.zeros(n_b, dtype=bool)
    still[arcs.building[ok]] = True
    demand = household_demand(scenario, policy)
    h = scenario.households
    walk = ~demand.home_visit
    b_people = np.bincount(h.building[walk], h.size[walk], minlength=n_b)
    lost = np.flatnonzero(had & ~still & (b_people > 0))
    if len(lost):
        names = [str(x) for x in scenario.sites.id[closed].tolist()]
        raise _infeasible(
            "edits_closed_no_reach" if names else "edits_no_site_left",
            sites=", ".join(names),
            buildings=len(lost),
            people=int(b_people[lost].sum()),
            minutes=policy.walking.walk_limit_min,
            example=str(scenario.buildings.id[lost[0]]),
        )


def edited_params(problem: EditedProblem, params: SolveParams) -> SolveParams:
    """Return `params` carrying the edited mask, desk floors and slot pins."""
    prev = params.previous
    if problem.slot_pins:
        base = prev or PreviousRound()
        keep = {hid for hid, _, _ in problem.slot_pins}
        slots = tuple(x for x in base.household_slot if x[0] not in keep)
        prev = dataclasses.replace(base, household_slot=(*slots, *problem.slot_pins))
    return dataclasses.replace(
        params,
        allowed=problem.allowed,
        min_desks=problem.min_desks,
        previous=prev,
    )


def building_site_of(plan: Plan, scenario: Scenario) -> IntArray:
    """Return each building's walk-up site index in `plan` (-1 none)."""
    out = np.full(len(scenario.buildings), -1, dtype=np.int64)
    walk = plan.hh_site >= 0
    np.maximum.at(out, scenario.households.building[walk], plan.hh_site[walk])
    return out


def edit_findings(
    scenario: Scenario,
    policy: Policy,
    edits: Edits,
    hh_site: IntArray,
    hh_slot_start: npt.NDArray[np.object_],
    site_open: BoolArray,
    site_desks: IntArray,
) -> list[tuple[str, str, dict[str, object]]]:
    """Return every edit the plan does not honour: ``(text key, where, values)``.

    Parameters
    ----------
    hh_site
        Walk-up site index per household (-1 none).
    hh_slot_start
        Booked slot start per household (``""`` none).
    site_open, site_desks
        Per site.
    """
    s = scenario.sites
    site_ix = {str(x): j for j, x in enumerate(s.id.tolist())}
    out: list[tuple[str, str, dict[str, object]]] = []
    h = scenario.households
    for e in edits.sites:
        j = site_ix.get(e.site)
        if j is None:
            continue
        people = int(h.size[hh_site == j].sum())
        if e.state == "closed" and (site_open[j] or people):
            out.append(("edits_finding_closed_open", e.site, {"people": people}))
        if e.state == "open" and not site_open[j]:
            out.append(("edits_finding_open_closed", e.site, {}))
        d = int(site_desks[j])
        if e.desks and e.state != "closed":
            if e.desks_mode == "fixed" and d != e.desks:
                out.append(
                    ("edits_finding_desks_fixed", e.site, {"want": e.desks, "got": d})
                )
            if e.desks_mode == "at_most" and d > e.desks:
                out.append(
                    ("edits_finding_desks_cap", e.site, {"want": e.desks, "got": d})
                )
    for p in edits.pins:
        members = pin_buildings(scenario, p.kind, p.target)
        j = site_ix.get(p.site)
        if members is None or j is None:
            continue
        hh = np.flatnonzero(np.isin(h.building, members) & (hh_site >= 0))
        away = hh[hh_site[hh] != j]
        if len(away):
            out.append(
                (
                    "edits_finding_pin",
                    p.target,
                    {"site": p.site, "households": len(away)},
                )
            )
        if p.slot:
            off = hh[(hh_site[hh] == j) & (hh_slot_start[hh] != p.slot)]
            if len(off):
                out.append(
                    (
                        "edits_finding_pin_slot",
                        p.target,
                        {"slot": p.slot, "households": len(off)},
                    )
                )
    out += _area_findings(scenario, policy, edits, hh_site)
    if edits.site_count:
        n = int(site_open.sum())
        broken = (
            n != edits.site_count
            if edits.site_count_mode == "exactly"
            else n > edits.site_count
        )
        if broken:
            out.append(
                (
                    "edits_finding_count",
                    "",
                    {"want": edits.site_count, "got": n, "mode": edits.site_count_mode},
                )
            )
    return out


def _area_findings(
    scenario: Scenario, policy: Policy, edits: Edits, hh_site: IntArray
) -> list[tuple[str, str, dict[str, object]]]:
    """封控 households sampled at home, 管控 ones inside their area, deadlines met."""
    out: list[tuple[str, str, dict[str, object]]] = []
    status = area_status(scenario, policy, edits)
    h, b = scenario.households, scenario.buildings
    hh_status = status[h.building]
    out_sealed = (hh_status == SEALED) & (hh_site >= 0)
    comp = b.compound[h.building]
    for c in np.unique(comp[out_sealed]).tolist():
        hit = out_sealed & (comp == c)
        out.append(
            (
                "edits_finding_sealed_walk",
                scenario.compounds[c],
                {"households": int(hit.sum())},
            )
        )
    if (status == CONTROLLED).any():
        site_comp, site_grid = site_areas(scenario)
        ctrl = (hh_status == CONTROLLED) & (hh_site >= 0)
        at = np.maximum(hh_site, 0)
        grid = b.grid[h.building]
        comp_has = np.isin(comp, site_comp[site_comp >= 0])
        inside = np.where(comp_has, site_comp[at] == comp, site_grid[at] == grid)
        away = ctrl & ~inside
        for c in np.unique(comp[away]).tolist():
            hit = away & (comp == c)
            out.append(
                (
                    "edits_finding_area_outside",
                    scenario.compounds[c],
                    {
                        "households": int(hit.sum()),
                        "people": int(h.size[hit].sum()),
                    },
                )
            )
    out += _deadline_findings(policy, edits)
    return out


def _deadline_findings(
    policy: Policy, edits: Edits
) -> list[tuple[str, str, dict[str, object]]]:
    """First round of a 封控/管控 area done within 24/48 h of its designation."""
    import datetime as dt

    out: list[tuple[str, str, dict[str, object]]] = []
    timed = [a for a in edits.areas if a.since and a.status in ("sealed", "controlled")]
    if not timed:
        return out
    day = edits.date or policy.round.screening_date
    if not day:
        out.append(("edits_finding_no_date", "", {"n": len(timed)}))
        return out
    end = dt.datetime.fromisoformat(day) + dt.timedelta(minutes=policy.round.end_min)
    for a in timed:
        hours = (
            policy.compounds.sealed_first_round_h
            if a.status == "sealed"
            else policy.compounds.controlled_first_round_h
        )
        since = dt.datetime.fromisoformat(a.since)
        if end > since + dt.timedelta(hours=hours):
            out.append(
                (
                    "edits_finding_deadline",
                    a.target,
                    {
                        "hours": hours,
                        "since": a.since,
                        "end": end.strftime("%Y-%m-%d %H:%M"),
                        "late": (end - since).total_seconds() / 3600 - hours,
                    },
                )
            )
    return out


def plan_findings(
    scenario: Scenario, edits: Edits, plan: Plan
) -> list[tuple[str, str, dict[str, object]]]:
    """Return :func:`edit_findings` of a plan just made."""
    labels = np.array(
        [plan.slots.label(int(k))[0] if k >= 0 else "" for k in plan.hh_slot],
        dtype=object,
    )
    site = np.where(plan.hh_mode == WALK_UP, plan.hh_site, -1)
    return edit_findings(
        scenario, plan.policy, edits, site, labels, plan.site_open, plan.site_desks
    )


@dataclass(frozen=True)
class PlanChange:
    """What one version of a plan changed against the one before.

    Attributes
    ----------
    opened, closed
        Site ids opened and closed.
    desks
        ``(site id, before, after)`` of sites whose desks changed.
    moved
        ``(building id, site before, site after)`` of walk-up buildings moved.
    people_moved
        Walk-up people in the moved buildings.
    mean_walk_m
        ``(before, after)`` people-weighted mean walk, metres.
    samplers
        ``(before, after)`` samplers on duty.
    """

    opened: tuple[str, ...]
    closed: tuple[str, ...]
    desks: tuple[tuple[str, int, int], ...]
    moved: tuple[tuple[str, str, str], ...]
    people_moved: int
    mean_walk_m: tuple[float, float]
    samplers: tuple[int, int]

    @property
    def nothing(self) -> bool:
        """Whether the plans are the same in sites, desks and buildings."""
        return not (self.opened or self.closed or self.desks or self.moved)

    def lines(self) -> list[tuple[str, str]]:
        """Return the change as short lines, each ``(zh, en)``."""
        out: list[tuple[str, str]] = []

        def ids(xs: tuple[str, ...]) -> str:
            head = ", ".join(xs[:8])
            return head + (" …" if len(xs) > 8 else "")

        if self.opened:
            out.append(
                tr_both("edits_change_opened", n=len(self.opened), ids=ids(self.opened))
            )
        if self.closed:
            out.append(
                tr_both("edits_change_closed", n=len(self.closed), ids=ids(self.closed))
            )
        if self.desks:
            parts = ", ".join(f"{s} {a}→{b}" for s, a, b in self.desks[:8])
            out.append(tr_both("edits_change_desks", n=len(self.desks), parts=parts))
        if self.moved:
            parts = ", ".join(f"{b} {a}→{c}" for b, a, c in self.moved[:6])
            more = " …" if len(self.moved) > 6 else ""
            out.append(
                tr_both(
                    "edits_change_moved",
                    n=len(self.moved),
                    people=self.people_moved,
                    parts=parts + more,
                )
            )
        a, b = self.mean_walk_m
        out.append(tr_both("edits_change_walk", before=a, after=b))
        sa, sb = self.samplers
        out.append(tr_both("edits_change_samplers", before=sa, after=sb))
        if self.nothing:
            out.insert(0, tr_both("edits_change_none"))
        return out


def compare_plans(before: Plan, after: Plan, scenario: Scenario) -> PlanChange:
    """Return what `after` changed against `before` (same street)."""
    sid = scenario.sites.id
    opened = tuple(str(x) for x in sid[after.site_open & ~before.site_open].tolist())
    closed = tuple(str(x) for x in sid[before.site_open & ~after.site_open].tolist())
    both = before.site_open & after.site_open
    changed = np.flatnonzero(both & (before.site_desks != after.site_desks))
    desks = tuple(
        (str(sid[j]), int(before.site_desks[j]), int(after.site_desks[j]))
        for j in changed.tolist()
    )
    a, b = building_site_of(before, scenario), building_site_of(after, scenario)
    moved_b = np.flatnonzero((a >= 0) & (b >= 0) & (a != b))
    bid = scenario.buildings.id
    moved = tuple(
        (str(bid[i]), str(sid[a[i]]), str(sid[b[i]])) for i in moved_b.tolist()
    )
    h = scenario.households
    walk = after.hh_mode == WALK_UP
    people = int(h.size[walk & np.isin(h.building, moved_b)].sum())
    kb, ka = before.kpis(), after.kpis()
    return PlanChange(
        opened,
        closed,
        desks,
        moved,
        people,
        (float(kb["mean_walk_m"]), float(ka["mean_walk_m"])),
        (int(kb["samplers_on_duty"]), int(ka["samplers_on_duty"])),
    )


@dataclass(frozen=True)
class Touched:
    """The buildings one edit frees to move.

    Attributes
    ----------
    free
        May move (at the cost per person moved).
    welcome
        In reach of a site newly forced open: they choose between their site and
        the opened ones by walking alone (the office opened it for them).
    opened
        The newly forced-open site indices.
    """

    free: BoolArray
    welcome: BoolArray
    opened: IntArray


def touched_buildings(
    problem: EditedProblem,
    previous_edits: Edits,
    prev_site: IntArray,
) -> Touched | None:
    """Return the buildings an edit frees to move, or None when every one is free.

    A change of the number of sites or of the window start frees everything (the
    whole problem changed). Otherwise a building is free when its current site's
    edit changed, a pin of it changed, or (`welcome`) it can reach a site newly
    forced open.
    """
    e, p = problem.edits, previous_edits
    if (e.site_count, e.site_count_mode, e.window_start) != (
        p.site_count,
        p.site_count_mode,
        p.window_start,
    ):
        return None
    scenario = problem.scenario
    site_ix = {str(x): j for j, x in enumerate(scenario.sites.id.tolist())}
    n_b = len(scenario.buildings)
    free = np.zeros(n_b, dtype=bool)
    welcome = np.zeros(n_b, dtype=bool)
    before = {x.site: x for x in p.sites}
    opened = np.array(
        [
            site_ix[x.site]
            for x in e.sites
            if x.state == "open"
            and x.site in site_ix
            and (x.site not in before or before[x.site].state != "open")
        ],
        dtype=np.int64,
    )
    changed_sites = {x.site for x in set(e.sites) ^ set(p.sites)}
    changed_j = np.array(
        [
            site_ix[x]
            for x in changed_sites
            if x in site_ix and site_ix[x] not in opened
        ],
        dtype=np.int64,
    )
    if len(changed_j):
        free |= np.isin(prev_site, changed_j)
    if len(opened):
        arcs = walk_arcs(scenario, problem.policy.walking)
        welcome[arcs.building[np.isin(arcs.site, opened)]] = True
    for pin in set(e.pins) ^ set(p.pins):
        members = pin_buildings(scenario, pin.kind, pin.target)
        if members is not None:
            free[members] = True
    free |= prev_site < 0
    welcome &= ~free
    return Touched(free, welcome, opened)


def hold_mask(
    problem: EditedProblem, touched: Touched, prev_site: IntArray
) -> BoolArray:
    """Return the edited mask with every untouched building held on its site.

    A `welcome` building may stay or go to a newly opened site, nothing else.
    """
    allowed = problem.allowed.copy()
    hold = np.flatnonzero(~touched.free & (prev_site >= 0))
    ok = allowed[hold, prev_site[hold]]
    hold = hold[ok]  # a held building whose site the edit forbids stays free
    stay = allowed[hold, prev_site[hold]]
    go = allowed[np.ix_(hold, touched.opened)] & touched.welcome[hold, None]
    allowed[hold] = False
    allowed[hold, prev_site[hold]] = stay
    allowed[np.ix_(hold, touched.opened)] = go
    return allowed


def previous_of(plan: Plan, scenario: Scenario, move_cost: float) -> PreviousRound:
    """Return the current plan as the warm start: sites and slots, not desks."""
    h = scenario.households
    walk = np.flatnonzero(plan.hh_mode == WALK_UP)
    sites = scenario.sites.id
    b_site = building_site_of(plan, scenario)
    starts = [plan.slots.label(k)[0] for k in range(len(plan.slots.start_min))]
    return PreviousRound(
        building_site=tuple(
            (str(scenario.buildings.id[b]), str(sites[b_site[b]]))
            for b in np.flatnonzero(b_site >= 0).tolist()
        ),
        household_slot=tuple(
            (str(h.id[i]), str(sites[plan.hh_site[i]]), starts[int(plan.hh_slot[i])])
            for i in walk.tolist()
            if plan.hh_slot[i] >= 0
        ),
        move_cost=move_cost,
    )


def sites_with_edits(sites: Sites, edits: Edits) -> list[str]:
    """Return the ids of sites an edit names (for the plan document)."""
    return [e.site for e in edits.sites if e.site in set(sites.id.tolist())]


@dataclass(frozen=True)
class EditedRound:
    """A round planned under the office's edits.

    Attributes
    ----------
    result
        The round (plan, staff, supplies, certification).
    problem
        The edited scenario and policy the round was planned on.
    change
        Against the plan it re-solved from (None for a cold solve).
    findings
        Edits the plan does not honour (``(text key, where, values)``), empty when
        every one holds.
    held
        Whether untouched buildings could all stay on their sites (the warm re-solve's
        first stage held).
    """

    result: RoundResult
    problem: EditedProblem
    change: PlanChange | None
    findings: tuple[tuple[str, str, dict[str, object]], ...]
    held: bool


def plan_with_edits(
    scenario: Scenario,
    policy: Policy,
    edits: Edits,
    params: SolveParams | None = None,
    *,
    current: Plan | None = None,
    current_edits: Edits | None = None,
    certify: bool | None = None,
    runtime: SolveRuntime | None = None,
) -> EditedRound:
    """Plan the round under `edits`, warm from `current` when given.

    Parameters
    ----------
    scenario, policy
        The street and its policy as loaded (the edits are applied here).
    edits
        The office's decisions.
    params
        Solver settings.
    current
        The plan to re-solve from: untouched buildings stay on their sites, slots
        are kept where they have room, moves cost ``policy.campaign.move_cost``
        per person.
    current_edits
        The edits `current` was made with (default none): what differs is what
        the new edit touched.
    certify, runtime
        As :func:`planner.round.run.run_round`.
    """
    from planner.errors import PlannerError
    from planner.round.run import run_round
    from planner.solve.cancel import SolveCancelled

    params = params or SolveParams()
    problem = apply_edits(scenario, policy, edits)
    sc, pol = problem.scenario, problem.policy
    held = False
    result: RoundResult | None = None
    if current is None:
        run = edited_params(problem, params)
        result = run_round(sc, pol, run, certify=certify, runtime=runtime)
    else:
        prev = previous_of(current, sc, pol.campaign.move_cost)
        prev_site = building_site_of(current, sc)
        warm = dataclasses.replace(params, previous=prev, hint_building_site=prev_site)
        run = edited_params(problem, warm)
        touched = touched_buildings(problem, current_edits or Edits(), prev_site)
        if _same_teams(problem, current, current_edits or Edits(), scenario, policy):
            run = dataclasses.replace(run, teams_from=current)
        if touched is not None:
            # sites none of whose buildings is freed keep at least their desks
            changed = np.zeros(len(sc.sites), dtype=bool)
            changed[prev_site[touched.free & (prev_site >= 0)]] = True
            changed[prev_site[touched.welcome & (prev_site >= 0)]] = True
            for e in set(edits.sites) ^ set((current_edits or Edits()).sites):
                changed[sc.sites.id == e.site] = True
            floor = np.where(changed, 0, current.site_desks)
            # a building welcome at a new site pays nothing to move there
            welcome_ids = set(sc.buildings.id[touched.welcome].tolist())
            kept = tuple(x for x in prev.building_site if x[0] not in welcome_ids)
            try:
                held_run = dataclasses.replace(
                    run,
                    allowed=hold_mask(problem, touched, prev_site),
                    min_desks=np.maximum(problem.min_desks, floor),
                    previous=dataclasses.replace(
                        run.previous or prev, building_site=kept
                    ),
                )
                result = run_round(sc, pol, held_run, certify=certify, runtime=runtime)
                held = True
            except SolveCancelled:
                raise
            except PlannerError:
                result = None  # capacity forces others to move: free them all
        if result is None:
            if touched is None and run.previous is not None:
                # the number of sites or the window changed: the whole plan is open
                # to change, from the current one (a cost per move would keep idle
                # sites among the N rather than move people to them)
                run = dataclasses.replace(
                    run, previous=dataclasses.replace(run.previous, move_cost=0.0)
                )
            result = run_round(sc, pol, run, certify=certify, runtime=runtime)
    assert result is not None
    result = dataclasses.replace(result, edits=edits)
    change = None if current is None else compare_plans(current, result.plan, sc)
    findings = tuple(plan_findings(sc, edits, result.plan))
    return EditedRound(result, problem, change, findings, held)


def edit_lines(edits: Edits) -> list[tuple[str, str]]:
    """Return the leading group's decisions as short lines, each ``(zh, en)``."""
    return edits.lines(tr_both)


def _same_teams(
    problem: EditedProblem,
    current: Plan,
    current_edits: Edits,
    scenario: Scenario,
    policy: Policy,
) -> bool:
    """Whether `current`'s door-to-door teams stand under the new edits.

    They do when the window and the door-to-door rules are the same and no
    community's fixed sites changed (a team's depot is its community's first
    fixed site, else the nearest candidate site, which no edit moves).
    """
    before = apply_edits(scenario, policy, current_edits)
    p0, p1 = current.policy, problem.policy
    if (p0.round.start_min, p0.round.end_min, p0.home_visit, p0.walking) != (
        p1.round.start_min,
        p1.round.end_min,
        p1.home_visit,
        p1.walking,
    ):
        return False
    s0, s1 = before.scenario.sites, problem.scenario.sites

    def first_fixed(fixed: BoolArray) -> dict[str, int]:
        out: dict[str, int] = {}
        for j in np.flatnonzero(fixed).tolist():
            out.setdefault(str(s1.community[j]), j)
        return out

    return first_fixed(s0.fixed) == first_fixed(s1.fixed)
