"""Where every tube goes: from its swab, in a box on a van, to a lab and a result.

The plan's vehicle schedule (:mod:`planner.planning.transport`) lists van rounds; each
stop hands a box to the van: the tubes a walk-up site closed since the van last
called, or the tubes a door-to-door team swabbed since its last hand-over. This module
recomputes the boxes from the schedule and the plan's own tables (walk-up slots,
door-to-door visits), never from figures the plan wrote about itself, so the plan and
``planner check`` read the same numbers:

* a walk-up slot ``[a, b)`` of ``n`` tubes closes its tubes evenly through the slot; a
  pick-up at ``p`` takes what closed since the previous pick-up, the oldest swabbed at
  ``max(previous pick-up, first booked minute)``;
* a door-to-door hand-over ``(at, upto)`` takes the tubes of stops ``1..upto`` not yet
  handed over that the team has finished by ``at`` (visit start + its mean visit),
  at a site call less the runner's walk (``walk_min``) from the team;
* a tube's time to the lab is ``lab arrival − swab``; a box's result comes from the
  lab's intake queue (:mod:`planner.planning.labs`), in the order boxes arrive.

Tubes per household: one for a sealed household's household tube, else its single
tubes plus its pooled residents ÷ pool size (pools are filled across households).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.model.clock import minutes_of
from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray
from planner.planning.demand import TUBE_HOUSEHOLD, household_demand
from planner.planning.labs import Lab, LabQueue

TOLERANCE_MIN = 1.0
"""Rounding slack of ``HH:MM`` times, minutes."""


@dataclass(frozen=True)
class TeamStop:
    """One household of a door-to-door team, as the van sees it."""

    building_id: str
    x_m: float
    y_m: float
    arrive: float
    done: float
    tubes: float


@dataclass(frozen=True)
class TeamTimetable:
    """A door-to-door team's day: its stops in order and when it is back at its depot."""

    team_id: str
    depot_site_id: str
    depot_x_m: float
    depot_y_m: float
    stops: tuple[TeamStop, ...]
    back: float


@dataclass(frozen=True)
class Box:
    """One transport box: the tubes handed to a van at one stop.

    Attributes
    ----------
    box_id
        ``<van>-R<round>-<stop>``.
    kind
        ``site`` or ``team``.
    source
        Site id or team id.
    pickup, lab_at, result
        Minutes after midnight: handed to the van, at the lab, result ready.
    tubes
        Tubes in the box.
    oldest_swab, mean_swab
        Swab time of its oldest tube and the tube-weighted mean swab time.
    lab
        Lab name ("" for the default lab).
    """

    box_id: str
    van_id: str
    round: int
    kind: str
    source: str
    pickup: float
    tubes: float
    oldest_swab: float
    mean_swab: float
    lab: str
    lab_at: float
    result: float = math.nan

    @property
    def max_age(self) -> float:
        """Swab to lab of the box's oldest tube, minutes."""
        return self.lab_at - self.oldest_swab


@dataclass(frozen=True)
class Custody:
    """Every box of a plan and what never reached a van.

    Attributes
    ----------
    boxes
        Boxes in the order the vans take them, with lab arrival and result.
    uncollected_teams
        ``{team_id: (stops, tubes)}`` of teams with households no hand-over takes
        (`stops` equal to the team's stops: never collected at all).
    uncollected_sites
        ``{site_id: tubes}`` of sites with tubes closed after their last pick-up.
    unknown_labs
        Lab names in the schedule that are not in the labs table.
    """

    boxes: tuple[Box, ...]
    uncollected_teams: dict[str, tuple[int, float]] = field(default_factory=dict)
    uncollected_sites: dict[str, float] = field(default_factory=dict)
    unknown_labs: tuple[str, ...] = ()

    def ages(self, kind: str | None = None) -> tuple[float, float]:
        """Return (max, tube-weighted mean) swab-to-lab minutes of the boxes of `kind`."""
        chosen = [b for b in self.boxes if kind is None or b.kind == kind]
        tubes = sum(b.tubes for b in chosen)
        if not chosen or tubes <= 0:
            return 0.0, 0.0
        worst = max(b.max_age for b in chosen)
        mean = sum(b.tubes * (b.lab_at - b.mean_swab) for b in chosen) / tubes
        return worst, mean


def household_tubes(
    scenario: Scenario, policy: Policy, tube_mode: npt.ArrayLike
) -> FloatArray:
    """Return the tubes each household fills (fractional for pooled residents)."""
    demand = household_demand(scenario, policy)
    pool = max(1, policy.pooling.default_pool_size)
    per = demand.single + demand.pooled / pool
    mode = np.asarray(tube_mode, dtype=object)
    out: FloatArray = np.where(mode == TUBE_HOUSEHOLD, 1.0, per).astype(np.float64)
    return out


def site_slots_from_plan(
    plan: Plan, scenario: Scenario
) -> dict[str, list[tuple[float, float, float]]]:
    """Return ``{site_id: [(slot start, slot end, tubes)]}`` of the plan's walk-up sites."""
    tubes = household_tubes(scenario, plan.policy, plan.hh_tube_mode)
    walk = np.flatnonzero(plan.hh_mode == WALK_UP)
    grid = plan.slots
    load = np.zeros(plan.site_slot_units.shape)
    np.add.at(load, (plan.hh_site[walk], plan.hh_slot[walk]), tubes[walk])
    out: dict[str, list[tuple[float, float, float]]] = {}
    for s, k in zip(*np.nonzero(load > 0), strict=True):
        lo = float(grid.start_min[k])
        out.setdefault(str(scenario.sites.id[s]), []).append(
            (lo, lo + grid.slot_minutes, float(load[s, k]))
        )
    return out


def site_slots_from_tables(
    assignments: pd.DataFrame, scenario: Scenario, policy: Policy
) -> dict[str, list[tuple[float, float, float]]]:
    """Return what :func:`site_slots_from_plan` does, from the plan's ``assignments`` table."""
    h_ix = pd.Index(scenario.households.id)
    rows = assignments[assignments["mode"].astype(str) == "walk_up"]
    hh = h_ix.get_indexer(pd.Index(rows["household_id"].astype(str)))
    known = hh >= 0
    rows = rows[known]
    mode = np.asarray(household_demand(scenario, policy).tube_mode, dtype=object)
    mode[hh[known]] = rows["tube_mode"].astype(str).to_numpy(dtype=object)
    tubes = household_tubes(scenario, policy, mode)[hh[known]]
    frame = pd.DataFrame(
        {
            "site": rows["site_id"].astype(str).to_numpy(),
            "lo": [minutes_of(str(v)) for v in rows["slot_start"]],
            "hi": [minutes_of(str(v)) for v in rows["slot_end"]],
            "tubes": tubes,
        }
    )
    out: dict[str, list[tuple[float, float, float]]] = {}
    sums = frame.groupby(["site", "lo", "hi"], as_index=False)["tubes"].sum()
    for site, lo, hi, n in sums.itertuples(index=False):
        out.setdefault(str(site), []).append((float(lo), float(hi), float(n)))
    return out


def teams_from_plan(plan: Plan, scenario: Scenario) -> list[TeamTimetable]:
    """Return every door-to-door team's timetable."""
    h, b, s = scenario.households, scenario.buildings, scenario.sites
    tubes = household_tubes(scenario, plan.policy, plan.hh_tube_mode)
    out = []
    for t in plan.teams:
        stops = np.asarray(t.households, dtype=np.int64)
        service = plan.policy.home_visit.service_minutes(h.size[stops])
        out.append(
            TeamTimetable(
                t.team_id,
                str(s.id[t.depot_site]),
                float(s.x_m[t.depot_site]),
                float(s.y_m[t.depot_site]),
                tuple(
                    TeamStop(
                        str(b.id[h.building[hh]]),
                        float(b.x_m[h.building[hh]]),
                        float(b.y_m[h.building[hh]]),
                        float(a),
                        float(a) + float(sv),
                        float(tubes[hh]),
                    )
                    for hh, a, sv in zip(stops, t.arrive_min, service, strict=True)
                ),
                float(t.finish_min),
            )
        )
    return out


def teams_from_tables(
    visits: pd.DataFrame, scenario: Scenario, policy: Policy
) -> list[TeamTimetable]:
    """Return what :func:`teams_from_plan` does, from the plan's ``home_visits`` table."""
    h, b, s = scenario.households, scenario.buildings, scenario.sites
    h_ix = {str(v): i for i, v in enumerate(h.id)}
    s_ix = {str(v): i for i, v in enumerate(s.id)}
    mode = np.asarray(household_demand(scenario, policy).tube_mode, dtype=object)
    for r in visits.itertuples():
        i = h_ix.get(str(r.household_id))
        if i is not None:
            mode[i] = str(r.tube_mode)
    tubes = household_tubes(scenario, policy, mode)
    out = []
    for team_id, rows in visits.groupby("team_id", sort=False):
        rows = rows.sort_values("stop")
        stops = []
        for r in rows.itertuples():
            i = h_ix.get(str(r.household_id))
            if i is None:
                continue
            a = float(minutes_of(str(r.arrive)))
            sv = float(policy.home_visit.service_minutes(np.array([h.size[i]]))[0])
            stops.append(
                TeamStop(
                    str(b.id[h.building[i]]),
                    float(b.x_m[h.building[i]]),
                    float(b.y_m[h.building[i]]),
                    a,
                    a + sv,
                    float(tubes[i]),
                )
            )
        depot = str(rows["depot_site_id"].iloc[0])
        d = s_ix.get(depot, -1)
        out.append(
            TeamTimetable(
                str(team_id),
                depot,
                float(s.x_m[d]) if d >= 0 else math.nan,
                float(s.y_m[d]) if d >= 0 else math.nan,
                tuple(stops),
                float(minutes_of(str(rows["team_back"].iloc[0]))),
            )
        )
    return out


def _site_box(
    slots: Iterable[tuple[float, float, float]], after: float, upto: float
) -> tuple[float, float, float]:
    """Return (tubes, oldest swab, mean swab) closed in ``(after, upto]``."""
    n = 0.0
    oldest = math.inf
    weighted = 0.0
    for lo, hi, tubes in slots:
        a, b = max(lo, after), min(hi, upto)
        if b <= a:
            continue
        share = tubes * (b - a) / (hi - lo)
        n += share
        oldest = min(oldest, a)
        weighted += share * (a + b) / 2
    return n, oldest, (weighted / n if n > 0 else math.nan)


def custody(
    schedule: Sequence[Mapping[str, Any]],
    site_slots: Mapping[str, Sequence[tuple[float, float, float]]],
    teams: Sequence[TeamTimetable],
    labs: Sequence[Lab],
    policy: Policy,
) -> Custody:
    """Recompute every box of `schedule` with its lab arrival and result.

    Parameters
    ----------
    schedule
        The plan's vehicle schedule (``plan.json`` ``transport``).
    site_slots
        Walk-up tubes per site and slot (:func:`site_slots_from_plan` or ``_tables``).
    teams
        Door-to-door timetables (:func:`teams_from_plan` or ``_tables``).
    labs
        The street's labs (:func:`planner.planning.labs.street_labs`).
    """
    by_team = {t.team_id: t for t in teams}
    lab_by_name = {lab.name: lab for lab in labs}
    site_last: dict[str, float] = {}
    team_next: dict[str, int] = {t.team_id: 0 for t in teams}
    boxes: list[Box] = []
    unknown: set[str] = set()
    # every stop of every van, in time order: a site or a team may be served by
    # more than one van, and what a stop takes depends on what went before it
    stops_in_order = []
    for v, van in enumerate(schedule):
        vid = str(van.get("van_id", ""))
        for k, rnd in enumerate(van.get("rounds", []), start=1):
            lab_name = str(rnd.get("lab_name", labs[0].name if labs else ""))
            if lab_name not in lab_by_name:
                unknown.add(lab_name)
            lab_at = float(minutes_of(str(rnd.get("lab", "00:00"))))
            for q, stop in enumerate(rnd.get("stops", []), start=1):
                at = float(minutes_of(str(stop["at"])))
                stops_in_order.append((at, v, k, q, vid, lab_name, lab_at, stop))
    stops_in_order.sort(key=lambda e: e[:4])
    for at, _, k, q, vid, lab_name, lab_at, stop in stops_in_order:
        box_id = f"{vid}-R{k}-{q}"
        if "site_id" in stop:
            sid = str(stop["site_id"])
            after = site_last.get(sid, -math.inf)
            site_last[sid] = max(after, at)
            n, oldest, mean = _site_box(site_slots.get(sid, ()), after, at)
            if n > 0:
                boxes.append(
                    Box(
                        box_id,
                        vid,
                        k,
                        "site",
                        sid,
                        at,
                        n,
                        oldest,
                        mean,
                        lab_name,
                        lab_at,
                    )
                )
            handovers = [
                (h, at - float(h.get("walk_min", 0))) for h in stop.get("teams", [])
            ]
        else:
            handovers = [(stop, at)]
        for q2, (h, ready_at) in enumerate(handovers):
            tid = str(h.get("team_id", ""))
            team = by_team.get(tid)
            if team is None:
                continue
            upto = min(int(h.get("upto", 0)), len(team.stops))
            i = team_next[tid]
            taken = []
            while i < upto and team.stops[i].done <= ready_at + TOLERANCE_MIN:
                taken.append(team.stops[i])
                i += 1
            team_next[tid] = i
            n = sum(x.tubes for x in taken)
            if n > 0:
                boxes.append(
                    Box(
                        box_id if "team_id" in stop else f"{box_id}-{q2 + 1}",
                        vid,
                        k,
                        "team",
                        tid,
                        at,
                        n,
                        min(x.arrive for x in taken),
                        sum(x.tubes * x.arrive for x in taken) / n,
                        lab_name,
                        lab_at,
                    )
                )
    queues = {lab.name: LabQueue(lab) for lab in labs}
    order = sorted(range(len(boxes)), key=lambda b: (boxes[b].lab_at, b))
    timed = list(boxes)
    for b in order:
        box = boxes[b]
        queue = queues.get(box.lab)
        if queue is None:
            continue
        res = queue.result(box.lab_at, box.tubes)
        timed[b] = replace(box, result=res)
    left_sites = {}
    for sid, slots in site_slots.items():
        n, _, _ = _site_box(slots, site_last.get(sid, -math.inf), math.inf)
        if n > 1e-6:
            left_sites[sid] = n
    left_teams = {
        t.team_id: (
            len(t.stops) - team_next[t.team_id],
            sum(x.tubes for x in t.stops[team_next[t.team_id] :]),
        )
        for t in teams
        if team_next[t.team_id] < len(t.stops)
    }
    return Custody(tuple(timed), left_teams, left_sites, tuple(sorted(unknown)))
