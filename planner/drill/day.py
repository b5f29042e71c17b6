"""Turn a plan and a drill's disruptions into the day the simulator plays out.

Everything random about *who* comes *when* is drawn later, per replication; this
module fixes what the street office knows in the morning: which desks have a
sampler, when shifts change, which site closes when, where it rains, who is sealed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.drill.desks import DeskSetup
from planner.drill.disruptions import (
    Disruption,
    Rain,
    SamplerNoShow,
    SealedBuilding,
    SiteClosure,
    WalkInSurge,
)
from planner.errors import InputError, Issue
from planner.model.clock import minutes_of
from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray, IntArray
from planner.planning.demand import household_demand
from planner.planning.staffing import shifts_for
from planner.planning.transport import vehicle_schedule


@dataclass(frozen=True)
class SiteDay:
    """One open site's day.

    Attributes
    ----------
    site
        Site index in the scenario.
    site_id
        Site id.
    indoor
        Indoor site (rain does not slow it).
    desks_planned
        Desks in the plan.
    setup
        Desks with a sampler, stops, closure and slowdown.
    households
        Walk-up households booked here (scenario indices).
    hh_slot
        Their booked slot.
    hh_single, hh_pooled
        Their single-tube and pooled residents.
    hh_sealed_at
        Minute the household's building is sealed (``inf``: never).
    usable_slots
        Slots the site works (for walk-ins from other slots).
    surge
        ``(from_min, to_min, people)`` extra walk-ins.
    x_m, y_m
        Position, metres (for the sample vehicles' drives).
    """

    site: int
    site_id: str
    indoor: bool
    desks_planned: int
    setup: DeskSetup
    households: IntArray
    hh_slot: IntArray
    hh_single: IntArray
    hh_pooled: IntArray
    hh_sealed_at: FloatArray
    usable_slots: IntArray
    surge: tuple[tuple[float, float, int], ...] = ()
    x_m: float = 0.0
    y_m: float = 0.0


@dataclass(frozen=True)
class TeamDay:
    """One door-to-door team's route as planned.

    Attributes
    ----------
    team_id
        Team id.
    households
        Households in visiting order.
    walk_min
        Planned walk to each stop from the previous one (the depot first), minutes.
    service_min
        Planned minutes at each stop.
    earliest_min
        Earliest start at each stop (the planned arrival: a team does not knock
        before the time it announced).
    idle
        ``(from, to)`` minutes the roster left the team without its sampler; a
        visit does not start in one.
    walk_back_min
        Planned walk from the last stop back to the depot, minutes.
    stop_x_m, stop_y_m
        Where each stop is (its building), metres; a van meeting a team that runs
        late finds it there. Empty: only the planned hand-over places are known.
    depot_x_m, depot_y_m
        Where the team sets out from and returns to (its depot site), metres.
    """

    team_id: str
    households: IntArray
    walk_min: FloatArray
    service_min: FloatArray
    earliest_min: FloatArray
    idle: tuple[tuple[float, float], ...] = ()
    walk_back_min: float = 0.0
    stop_x_m: FloatArray = field(default_factory=lambda: np.zeros(0))
    stop_y_m: FloatArray = field(default_factory=lambda: np.zeros(0))
    depot_x_m: float = math.nan
    depot_y_m: float = math.nan


@dataclass(frozen=True)
class DrillDay:
    """The whole day: sites, teams, policy and what goes wrong.

    Attributes
    ----------
    policy
        The drill's policy (rates, arrival spread, …).
    sites
        Open sites with walk-up households.
    teams
        Door-to-door teams.
    disruptions
        What goes wrong.
    desks_lost
        ``{site_id: desks}`` without a sampler (no-shows, unfilled posts).
    sealed_households
        Walk-up households whose building is sealed during the day.
    transport
        The plan's vehicle schedule (:func:`planner.planning.transport.vehicle_schedule`)
        the vans play; empty: vans serve the sites in rounds, teams not collected.
    x_of
        ``{"S:<site id>" or "B:<building id>": (x, y)}`` metres: where the
        schedule's team hand-overs are (depot sites and buildings).
    """

    policy: Policy
    sites: tuple[SiteDay, ...]
    teams: tuple[TeamDay, ...]
    disruptions: tuple[Disruption, ...] = ()
    desks_lost: dict[str, int] = field(default_factory=dict)
    sealed_households: IntArray = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )
    transport: tuple[dict[str, Any], ...] = ()
    x_of: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def window_start(self) -> int:
        """Start of the window, minutes after midnight."""
        return self.policy.round.start_min

    @property
    def window_end(self) -> int:
        """End of the window, minutes after midnight."""
        return self.policy.round.end_min


def check_disruptions(
    scenario: Scenario, plan: Plan, disruptions: Sequence[Disruption]
) -> None:
    """Raise `InputError` listing every disruption naming an unknown site or building."""
    site_ix = {str(s): i for i, s in enumerate(scenario.sites.id)}
    building_ids = {str(b) for b in scenario.buildings.id}
    issues: list[Issue] = []
    for d in disruptions:
        where = type(d).__name__
        if isinstance(d, SiteClosure | WalkInSurge) and d.site_id:
            if d.site_id not in site_ix:
                issues.append(
                    Issue(
                        "error",
                        "disrupt_unknown_site",
                        "--disrupt",
                        column=where,
                        params=(("site", d.site_id),),
                    )
                )
            elif isinstance(d, SiteClosure) and not plan.site_open[site_ix[d.site_id]]:
                issues.append(
                    Issue(
                        "error",
                        "disrupt_closed_site",
                        "--disrupt",
                        column=where,
                        params=(("site", d.site_id),),
                    )
                )
        if isinstance(d, SealedBuilding) and d.building_id not in building_ids:
            issues.append(
                Issue(
                    "error",
                    "disrupt_unknown_building",
                    "--disrupt",
                    column=where,
                    params=(("building", d.building_id),),
                )
            )
    if issues:
        raise InputError(issues)


def _lost_desks(plan: Plan, share: float, seed: int) -> dict[int, int]:
    """Pick which desks lose their sampler: ``round(share × desks)`` at random."""
    sites = np.flatnonzero(plan.site_open)
    desks = np.repeat(sites, plan.site_desks[sites])
    n_lost = round(share * len(desks))
    if n_lost == 0:
        return {}
    rng = np.random.default_rng([seed, 7_001])
    lost = rng.choice(len(desks), size=n_lost, replace=False)
    counts = np.bincount(desks[lost], minlength=len(plan.site_open))
    return {int(s): int(counts[s]) for s in np.flatnonzero(counts)}


def _unfilled_desks(
    shortfall: pd.DataFrame | None, site_ix: dict[str, int], role: str = "sampler"
) -> dict[int, list[tuple[int, int, int]]]:
    """Return the posts of `role` the roster left empty: ``{site: [(n, from, to)]}``."""
    out: dict[int, list[tuple[int, int, int]]] = {}
    if shortfall is None or len(shortfall) == 0:
        return out
    rows = shortfall[shortfall["role"].astype(str) == role]
    for r in rows.to_dict("records"):
        s = site_ix.get(str(r["site_id"]))
        if s is None:
            continue
        lo = minutes_of(str(r["shift_start"]))
        hi = minutes_of(str(r["shift_end"]))
        out.setdefault(s, []).append((int(str(r["missing"])), lo, hi))
    return out


def _handovers(
    roster: pd.DataFrame | None, site_ix: dict[str, int]
) -> dict[int, list[tuple[float, int]]] | None:
    """Where the roster changes a desk's sampler: ``{site: [(minute, desks)]}``.

    At the start of each roster period after the first, a site's desks that get a
    sampler who was not there in the period before stop for the handover (PPE on,
    hand-over); a sampler staying on keeps working. None without a roster.
    """
    if roster is None or not len(roster):
        return None
    rows = roster[roster["role"].astype(str) == "sampler"]
    out: dict[int, list[tuple[float, int]]] = {}
    for sid, g in rows.groupby(rows["site_id"].astype(str), sort=True):
        s = site_ix.get(str(sid))
        if s is None:
            continue
        by_period = {
            int(k): (minutes_of(str(gg["shift_start"].iloc[0])), set(gg["staff_id"]))
            for k, gg in g.groupby(g["shift"].astype(int), sort=True)
        }
        order = sorted(by_period)
        for a, b in itertools.pairwise(order):
            new = len(by_period[b][1] - by_period[a][1])
            if new:
                out.setdefault(s, []).append((float(by_period[b][0]), new))
    return out


def build_day(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    disruptions: Sequence[Disruption] = (),
    *,
    seed: int = 0,
    staff_shortfall: pd.DataFrame | None = None,
    roster: pd.DataFrame | None = None,
) -> DrillDay:
    """Fix the drill day from a plan.

    Parameters
    ----------
    scenario, plan
        The street and its plan.
    policy
        The drill's policy; its rates may differ from the plan's (a drill of a plan
        made with optimistic rates shows what they cost).
    disruptions
        What goes wrong.
    seed
        Seed for choosing which samplers do not turn up.
    staff_shortfall
        The roster's unfilled posts; given, desks whose sampler post is unfilled
        stand empty in that shift, and desks whose registrar post is unfilled
        work slower (the sampler scans too); by default the requested support is
        assumed to come.
    roster
        The roster's assignments; given, a desk stops for the handover where the
        roster changes its sampler (else at every shift change of
        :func:`planner.planning.staffing.shifts_for`).

    Returns
    -------
    DrillDay
    """
    check_disruptions(scenario, plan, disruptions)
    site_ix = {str(s): i for i, s in enumerate(scenario.sites.id)}
    b_ix = {str(b): i for i, b in enumerate(scenario.buildings.id)}
    h = scenario.households
    demand = household_demand(scenario, policy)
    n_h = len(h)
    sealed_at = np.full(n_h, np.inf)
    for d in disruptions:
        if isinstance(d, SealedBuilding):
            members = h.building == b_ix[d.building_id]
            sealed_at[members] = np.minimum(sealed_at[members], d.at_min)
    lost: dict[int, int] = {}
    for d in disruptions:
        if isinstance(d, SamplerNoShow):
            for s, k in _lost_desks(plan, d.share, seed).items():
                lost[s] = lost.get(s, 0) + k
    unfilled = _unfilled_desks(staff_shortfall, site_ix)
    no_registrar = _unfilled_desks(staff_shortfall, site_ix, "registrar")
    shifts = shifts_for(policy)
    boundaries = [sh.start_min for sh in shifts[1:]]
    changes = _handovers(roster, site_ix)
    hand = float(policy.drill.handover_min)
    # a desk without its registrar: the sampler scans each code before the swab
    swab = 60.0 / policy.sampling.sampler_rate_per_h
    scan = 60.0 / policy.drill.scan_rate_per_h
    alone_factor = (swab + scan) / max(swab, scan)
    grid = plan.slots
    walk = plan.hh_mode == WALK_UP
    sites: list[SiteDay] = []
    for s in np.flatnonzero(plan.site_open & (plan.site_desks > 0)).tolist():
        members = np.flatnonzero(walk & (plan.hh_site == s))
        if len(members) == 0:
            continue
        planned = int(plan.site_desks[s]) * policy.sampling.samplers_per_desk
        desks = max(0, planned - lost.get(s, 0))
        downs: list[list[tuple[float, float]]] = [[] for _ in range(desks)]
        if hand > 0 and changes is None:
            for b in boundaries:
                for j in range(desks):
                    lo = b + (j % 2) * hand
                    downs[j].append((lo, lo + hand))
        elif hand > 0 and changes is not None:
            for at, n_new in changes.get(s, []):
                for j in range(min(n_new, desks)):
                    lo = at + (j % 2) * hand
                    downs[j].append((lo, lo + hand))
        for missing, lo, hi in unfilled.get(s, []):
            for j in range(max(0, desks - missing), desks):
                downs[j].append((float(lo), float(hi)))
        alone: list[list[tuple[float, float]]] = [[] for _ in range(desks)]
        for missing, lo, hi in no_registrar.get(s, []):
            # the staffed desks lose their registrars first (empty desks need none)
            staffed = desks - sum(
                m for m, a, b in unfilled.get(s, []) if a == lo and b == hi
            )
            for j in range(min(missing, max(0, staffed))):
                alone[j].append((float(lo), float(hi)))
        ka = max((len(x) for x in alone), default=0)
        alone_from = np.full((desks, ka), np.inf)
        alone_to = np.full((desks, ka), np.inf)
        for j, ivs in enumerate(alone):
            for q, (d_lo, d_hi) in enumerate(sorted(ivs)):
                alone_from[j, q], alone_to[j, q] = d_lo, d_hi
        k = max((len(x) for x in downs), default=0)
        down_from = np.full((desks, k), np.inf)
        down_to = np.full((desks, k), np.inf)
        for j, ivs in enumerate(downs):
            for q, (d_lo, d_hi) in enumerate(sorted(ivs)):
                down_from[j, q], down_to[j, q] = d_lo, d_hi
        usable = np.flatnonzero(grid.usable[s])
        open_min = (
            float(grid.start_min[usable[0]])
            if len(usable)
            else plan.policy.round.start_min
        )
        close = np.inf
        slow = (np.inf, np.inf, 1.0)
        surge: list[tuple[float, float, int]] = []
        booked_people = np.bincount(
            plan.hh_slot[members], h.size[members], minlength=len(grid.start_min)
        )
        for d in disruptions:
            if isinstance(d, SiteClosure) and site_ix[d.site_id] == s:
                close = min(close, float(d.at_min))
            elif isinstance(d, Rain) and not scenario.sites.indoor[s]:
                slow = (float(d.from_min), float(d.to_min), float(d.rate_factor))
            elif isinstance(d, WalkInSurge) and (
                not d.site_id or site_ix[d.site_id] == s
            ):
                in_window = (grid.start_min < d.to_min) & (
                    grid.start_min + grid.slot_minutes > d.from_min
                )
                n_extra = round(d.share * float(booked_people[in_window].sum()))
                if n_extra:
                    surge.append((float(d.from_min), float(d.to_min), n_extra))
        setup = DeskSetup(
            desks=desks,
            open_min=open_min,
            close_min=close,
            down_from=down_from,
            down_to=down_to,
            slow_from=slow[0],
            slow_to=slow[1],
            slow_factor=slow[2],
            pool_size=policy.pooling.default_pool_size,
            tube_close_min=policy.drill.tube_close_min,
            alone_from=alone_from if ka else None,
            alone_to=alone_to if ka else None,
            alone_factor=alone_factor if ka else 1.0,
        )
        sites.append(
            SiteDay(
                site=s,
                site_id=str(scenario.sites.id[s]),
                indoor=bool(scenario.sites.indoor[s]),
                desks_planned=planned,
                setup=setup,
                households=members.astype(np.int64),
                hh_slot=plan.hh_slot[members].astype(np.int64),
                hh_single=demand.single[members],
                hh_pooled=demand.pooled[members],
                hh_sealed_at=sealed_at[members],
                usable_slots=usable.astype(np.int64),
                surge=tuple(surge),
                x_m=float(scenario.sites.x_m[s]),
                y_m=float(scenario.sites.y_m[s]),
            )
        )
    desks_lost = {
        str(scenario.sites.id[s]): k for s, k in sorted(lost.items()) if k > 0
    }
    schedule = vehicle_schedule(plan, scenario)
    return DrillDay(
        policy=policy,
        sites=tuple(sites),
        teams=_team_days(scenario, plan, policy, _team_gaps(staff_shortfall)),
        transport=tuple(schedule),
        x_of=_places(scenario, schedule),
        disruptions=tuple(disruptions),
        desks_lost=desks_lost,
        sealed_households=np.flatnonzero(walk & np.isfinite(sealed_at)).astype(
            np.int64
        ),
    )


def _team_gaps(
    shortfall: pd.DataFrame | None,
) -> dict[str, tuple[tuple[float, float], ...]]:
    """Periods each door-to-door team has no sampler on the roster."""
    if shortfall is None or not len(shortfall):
        return {}
    rows = shortfall[shortfall["role"].astype(str) == "home_sampler"]
    out: dict[str, list[tuple[float, float]]] = {}
    for r in rows.to_dict("records"):
        lo = float(minutes_of(str(r["shift_start"])))
        hi = float(minutes_of(str(r["shift_end"])))
        out.setdefault(str(r["site_id"]), []).append((lo, hi))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _team_days(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    gaps: dict[str, tuple[tuple[float, float], ...]] | None = None,
) -> tuple[TeamDay, ...]:
    """Rebuild each team's planned legs from building positions, as the router saw them."""
    from planner.solve.routing import walk_matrix_s

    h, b, s = scenario.households, scenario.buildings, scenario.sites
    teams = []
    for t in plan.teams:
        stops = np.asarray(t.households, dtype=np.int64)
        if len(stops) == 0:
            continue
        x = np.concatenate([[s.x_m[t.depot_site]], b.x_m[h.building[stops]]])
        y = np.concatenate([[s.y_m[t.depot_site]], b.y_m[h.building[stops]]])
        walk_s = walk_matrix_s(
            x.astype(np.int64),
            y.astype(np.int64),
            speed_m_per_min=policy.walking.speed_m_per_min,
            detour_factor=policy.walking.detour_factor,
        )
        order = np.arange(len(stops) + 1)
        legs = walk_s[order[:-1], order[1:]] / 60.0
        # the same mean visit the router planned with (its allowance for delays at
        # the door is drawn separately, see ``drill.home_delay_mean_min``)
        service = policy.home_visit.service_minutes(h.size[stops])
        teams.append(
            TeamDay(
                team_id=t.team_id,
                households=stops,
                walk_min=legs.astype(np.float64),
                service_min=service.astype(np.float64),
                earliest_min=np.asarray(t.arrive_min, dtype=np.float64),
                idle=(gaps or {}).get(t.team_id, ()),
                walk_back_min=float(walk_s[len(stops), 0]) / 60.0,
                stop_x_m=x[1:].astype(np.float64),
                stop_y_m=y[1:].astype(np.float64),
                depot_x_m=float(x[0]),
                depot_y_m=float(y[0]),
            )
        )
    return tuple(teams)


def _places(
    scenario: Scenario, schedule: list[dict[str, Any]]
) -> dict[str, tuple[float, float]]:
    """Return the position of every team hand-over place in `schedule`."""
    b, s = scenario.buildings, scenario.sites
    wanted = {
        str(stop["place"])
        for van in schedule
        for rnd in van["rounds"]
        for stop in rnd["stops"]
        if "place" in stop
    }
    out = {}
    for kind, ids, xs, ys in (("S", s.id, s.x_m, s.y_m), ("B", b.id, b.x_m, b.y_m)):
        for i, name in enumerate(ids):
            if str(name) in wanted:
                out[f"{kind}:{name}"] = (float(xs[i]), float(ys[i]))
    return out
