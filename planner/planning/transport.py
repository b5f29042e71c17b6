"""The plan's sample-vehicle schedule: which van serves which sites and teams, and when.

Sites with walk-up bookings are grouped ``transport.sites_per_vehicle`` at a time,
neighbours by bearing around the street's centre; a van starts a round of its sites
every ``drill.van_round_min`` after the window opens (half the 2-hour pick-up rule,
so drives and delays stay inside it) and a last round when its sites' last booked
slot ends. A round takes its vehicle to the lab and back to the first site: where
that cycle is longer than the period, the route's rounds go to as many vehicles as
it needs, in turn (``vehicles``; a round waits for the first one back when all are
out), so every site is still called every period.

Door-to-door teams hand their boxes to the same rounds. Each team has a hand-over
point, the served site nearest its households: its registrar walks the box there for
a van's call and back while the sampler goes on, at the last call before the oldest
tube would otherwise reach the lab later than ``transport.tube_to_lab_max_h`` (less
a round and a half for delays), and once more when the team has finished half a
round before a call. Households farther than ``walking.walk_limit_min`` from any
served site, or finished after the site's last call, go by van visits on vans of
their own: the van meets the team at its door or its depot. Each round then
drives to a lab: the one giving the round's tubes the earliest result
(:mod:`planner.planning.labs`), from the last stop's location when the lab's is
known, else ``drill.lab_drive_min``. Every stop and the lab leg allow the drill's
mean delay (``drill.pickup_delay_mean_min``).

The drill plays this schedule with random delays (:mod:`planner.drill.field`), and
``planner check`` recomputes every box from it (:mod:`planner.planning.custody`):
a pick-up at least every ``transport.pickup_interval_h`` at every site, pick-up to
lab within ``transport.collection_to_lab_max_h``, every tube swab to lab within
``transport.tube_to_lab_max_h``, results within ``transport.results_within_h`` of
the start.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from planner.model.clock import hhmm, minutes_of
from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray
from planner.planning.custody import (
    Custody,
    TeamTimetable,
    custody,
    site_slots_from_plan,
    teams_from_plan,
)
from planner.planning.labs import Lab, LabQueue, street_labs


def van_groups(
    x_m: FloatArray, y_m: FloatArray, sites_per_vehicle: int
) -> list[list[int]]:
    """Group points into vans of `sites_per_vehicle` neighbours by bearing.

    Returns positions into `x_m`, per van in visiting order.
    """
    if len(x_m) == 0:
        return []
    bearing = np.arctan2(y_m - y_m.mean(), x_m - x_m.mean())
    order = np.argsort(bearing, kind="stable").tolist()
    k = max(1, sites_per_vehicle)
    return [order[i : i + k] for i in range(0, len(order), k)]


def served_sites(plan: Plan) -> list[int]:
    """Return the open sites with walk-up bookings (those a van calls at), ascending."""
    walk = plan.hh_mode == WALK_UP
    booked = np.zeros(len(plan.site_open), dtype=bool)
    booked[plan.hh_site[walk]] = True
    return np.flatnonzero(plan.site_open & (plan.site_desks > 0) & booked).tolist()


def vehicle_schedule(plan: Plan, scenario: Scenario) -> list[dict[str, Any]]:
    """Return the planned rounds of every sample van.

    Returns
    -------
    list of dict
        Per van (a route): ``van_id``, ``sites`` (ids in visiting order), ``teams``
        (the door-to-door teams it meets at their door or depot), ``vehicles`` (how
        many vehicles take its rounds in turn) and ``rounds``, each ``{"depart",
        "stops", "lab", "lab_name", "vehicle", "back"}`` with ``HH:MM`` times
        (`vehicle` the route's vehicle, 1, 2, …, that takes the round; `back` when
        it is at the route's first stop again from the lab). A stop is
        a site call ``{"site_id", "at", "teams"}``, `teams` the door-to-door boxes
        handed over there (``{"team_id", "upto", "walk_min"}``: the team's stops
        handed over so far, counted from its first, and the runner's walk from the
        team), or a van visit to a team ``{"team_id", "place", "upto", "at"}``
        (`place` a building id, or the depot's site id with ``"depot": true``).
    """
    p: Policy = plan.policy
    sites = served_sites(plan)
    teams = [t for t in teams_from_plan(plan, scenario) if t.stops]
    labs = street_labs(scenario, p)
    if not sites and not teams:
        return []
    s = scenario.sites
    speed = p.drill.drive_speed_km_per_h * 1000.0 / 60.0  # metres per minute
    period = float(p.drill.van_round_min)
    # the schedule allows the drill's mean delay at each stop and on the way to
    # the lab, so plan and drill agree on average
    stop_min = float(p.drill.pickup_delay_mean_min)
    used = plan.site_slot_units > 0
    last_end = {
        j: float(plan.slots.start_min[np.flatnonzero(used[j]).max()])
        + plan.slots.slot_minutes
        for j in sites
    }
    x = s.x_m[sites].astype(np.float64)
    y = s.y_m[sites].astype(np.float64)
    groups = [
        [sites[m] for m in members]
        for members in van_groups(x, y, p.transport.sites_per_vehicle)
    ] or [[]]  # door-to-door teams only: one van

    def lab_leg(px: float, py: float) -> float:
        return min(lab.drive_min(px, py, p) for lab in labs) + stop_min

    def cycle(idx: list[int]) -> float:
        # a round of the sites, to the lab and back to the first, with mean delays
        at = [(float(s.x_m[j]), float(s.y_m[j])) for j in idx]
        drive = sum(
            math.hypot(b[0] - a[0], b[1] - a[1]) / speed
            for a, b in itertools.pairwise(at)
        )
        return drive + stop_min * len(idx) + lab_leg(*at[-1]) + lab_leg(*at[0])

    vans: list[dict[str, Any]] = []
    calls: dict[int, list[tuple[float, dict[str, Any], float]]] = {}
    for v, idx in enumerate(groups):
        done = max([last_end[j] for j in idx] + [0.0])
        seen = dict.fromkeys(idx, -math.inf)
        rounds: list[dict[str, Any]] = []
        # the route's vehicles take its rounds in turn: as many as one round's
        # cycle (to the lab and back) needs for a round every period
        most = max(1, math.ceil(cycle(idx) / period)) if idx else 1
        free: list[float] = []  # when each vehicle is back at the first site
        k = 1
        while idx:
            depart = p.round.start_min + k * period
            last = depart >= done
            depart = min(depart, done)  # on the hour; the last when the sites end
            ready = [q for q, f in enumerate(free) if f <= depart]
            if ready:
                vehicle = ready[0]
            elif len(free) < most:
                free.append(-math.inf)
                vehicle = len(free) - 1
            else:  # every vehicle out: the first back takes the round
                vehicle = int(np.argmin(free))
                depart = free[vehicle]
            t = depart
            here: tuple[float, float] | None = None
            stops: list[dict[str, Any]] = []
            at_site = []
            for j in idx:
                if seen[j] >= last_end[j]:
                    continue  # collected after its last slot: nothing more there
                if here is not None:
                    t += math.hypot(s.x_m[j] - here[0], s.y_m[j] - here[1]) / speed
                t += stop_min
                here = (float(s.x_m[j]), float(s.y_m[j]))
                seen[j] = t
                stop: dict[str, Any] = {
                    "site_id": str(s.id[j]),
                    "at": hhmm(t),
                    "teams": [],
                }
                stops.append(stop)
                at_site.append((j, float(minutes_of(stop["at"])), stop))
            if stops and here is not None:
                lab = math.ceil(t + lab_leg(*here))
                j0 = at_site[0][0]
                back = math.ceil(lab + lab_leg(float(s.x_m[j0]), float(s.y_m[j0])))
                free[vehicle] = float(back)
                rounds.append(
                    {
                        "depart": hhmm(depart),
                        "stops": stops,
                        "lab": hhmm(lab),
                        "lab_name": labs[0].name,
                        "vehicle": vehicle + 1,
                        "back": hhmm(back),
                    }
                )
                for j, at, stop in at_site:
                    calls.setdefault(j, []).append((at, stop, float(lab)))
            if last:
                break
            k += 1
        vans.append(
            {
                "van_id": f"V{v + 1:02d}",
                "sites": [str(s.id[j]) for j in idx],
                "teams": [],
                "rounds": rounds,
                "vehicles": max(1, len(free)),
            }
        )
    visits: dict[str, Any] = {"teams": [], "rounds": []}
    for team in teams:
        _, handed = _runner_handovers(team, calls, sites, scenario, p)
        if handed < len(team.stops):
            _van_visits(visits, team, handed, labs[0].name, lab_leg, speed, p)
    vans.extend(_visit_vans(visits, len(vans), lab_leg, scenario))
    for van in vans:
        van["rounds"].sort(key=lambda r: (minutes_of(r["depart"]), r["lab"]))
    ends = [
        (
            float(minutes_of(r["lab"])) - lab_leg(*_last_place(r, scenario)),
            *_last_place(r, scenario),
            v,
            q,
        )
        for v, van in enumerate(vans)
        for q, r in enumerate(van["rounds"])
    ]
    _dispatch(vans, ends, labs, plan, scenario)
    return [van for van in vans if van["rounds"]]


def _last_place(rnd: dict[str, Any], scenario: Scenario) -> tuple[float, float]:
    """Return where a round's last stop is (a site, a building, or a depot site)."""
    stop = rnd["stops"][-1]
    place = str(stop.get("site_id", stop.get("place", "")))
    for ids, xs, ys in (
        (scenario.sites.id, scenario.sites.x_m, scenario.sites.y_m),
        (scenario.buildings.id, scenario.buildings.x_m, scenario.buildings.y_m),
    ):
        hit = np.flatnonzero(ids == place)
        if len(hit):
            return float(xs[hit[0]]), float(ys[hit[0]])
    return math.nan, math.nan


def _runner_handovers(
    team: TeamTimetable,
    calls: dict[int, list[tuple[float, dict[str, Any], float]]],
    sites: list[int],
    scenario: Scenario,
    p: Policy,
) -> tuple[int, int]:
    """Hand a team's boxes over at its hand-over point, the served site nearest it.

    The team's registrar walks the box from the household the team is at to the
    site in time for a van's call there and back, while the sampler goes on; the
    box holds the households finished when the runner sets out. A call is used
    when the next one there would bring the oldest tube to the lab later than
    ``transport.tube_to_lab_max_h`` less a round and a half (a household
    finished late rides the next call), or when the team has finished half a
    round before it (a team running late still makes it). A team whose every
    household is farther than
    ``walking.walk_limit_min`` from any served site has no hand-over point.

    Returns
    -------
    tuple
        The hand-over site (-1: none) and how many of the team's stops are handed
        over (the rest go by van visits).
    """
    if not sites:
        return -1, 0
    s = scenario.sites
    w = p.walking
    xs = np.array([x.x_m for x in team.stops])
    ys = np.array([x.y_m for x in team.stops])
    sx, sy = s.x_m[sites].astype(np.float64), s.y_m[sites].astype(np.float64)
    cx, cy = float(xs.mean()), float(ys.mean())
    point = sites[int(np.argmin(np.hypot(sx - cx, sy - cy)))]

    def walk(x: float, y: float) -> float:
        d = math.hypot(float(s.x_m[point]) - x, float(s.y_m[point]) - y)
        return d * w.detour_factor / w.speed_m_per_min

    walks = [walk(a, b) for a, b in zip(xs, ys, strict=True)]
    if min(walks) > w.walk_limit_min:
        return -1, 0
    limit = p.transport.tube_to_lab_max_h * 60.0
    # a household finished late misses its call and rides the next one: keep a
    # round and a half in hand
    margin = 1.5 * p.drill.van_round_min
    # the last box waits for a team up to half a round late, else the van fetches it
    final_slack = 0.5 * p.drill.van_round_min
    n = len(team.stops)
    arrive = [x.arrive for x in team.stops]
    done = [x.done for x in team.stops]
    mine = sorted(calls.get(point, []), key=lambda c: c[0])
    handed = 0
    for q, (at, stop, lab) in enumerate(mine):
        if handed == n:
            break
        i = int(np.searchsorted(arrive, at, side="right")) - 1
        if i < 0:
            continue  # not started yet
        runner = walks[min(i, n - 1)]
        if runner > w.walk_limit_min:
            continue
        ready = int(np.searchsorted(done, at - runner, side="right"))
        if ready == n and at - runner < done[-1] + final_slack:
            ready = n - 1  # the last household goes with a later call or the van
        if ready <= handed or lab - arrive[handed] > limit:
            continue
        nxt = mine[q + 1][2] if q + 1 < len(mine) else math.inf
        if ready == n or nxt - arrive[handed] > limit - margin:
            stop["teams"].append(
                {"team_id": team.team_id, "upto": ready, "walk_min": math.ceil(runner)}
            )
            handed = ready
    return point, handed


def _visit_vans(
    visits: dict[str, Any],
    first: int,
    lab_leg: Callable[[float, float], float],
    scenario: Scenario,
) -> list[dict[str, Any]]:
    """Pack the van visits to teams into vans of their own, no two at once.

    A visit takes its van from its meeting until it is back from the lab (the lab
    leg twice); each goes to the first van free by then, else a new one.
    """
    vans: list[dict[str, Any]] = []
    free: list[float] = []
    team_of: dict[str, int] = {}
    for rnd in sorted(visits["rounds"], key=lambda r: minutes_of(r["depart"])):
        start = float(minutes_of(rnd["depart"]))
        lab = float(minutes_of(rnd["lab"]))
        back = lab + lab_leg(*_last_place(rnd, scenario))
        v = next((q for q, f in enumerate(free) if f <= start), -1)
        if v < 0:
            vans.append(
                {
                    "van_id": f"V{first + len(vans) + 1:02d}",
                    "sites": [],
                    "teams": [],
                    "rounds": [],
                    "vehicles": 1,
                }
            )
            free.append(back)
            v = len(vans) - 1
        free[v] = back
        rnd["vehicle"] = 1
        rnd["back"] = hhmm(math.ceil(back))
        vans[v]["rounds"].append(rnd)
        tid = str(rnd["stops"][0]["team_id"])
        if team_of.get(tid) != v:
            vans[v]["teams"].append(tid)
            team_of[tid] = v
    return vans


def _van_visits(
    van: dict[str, Any],
    team: TeamTimetable,
    handed: int,
    lab_name: str,
    lab_leg: Callable[[float, float], float],
    speed: float,
    p: Policy,
) -> None:
    """Add rounds in which `van` meets `team` for the households from `handed` on.

    Each round leaves in time to meet the team at its door before the oldest tube
    not yet handed over would reach the lab later than
    ``transport.tube_to_lab_max_h`` less three quarters of a round, or at its depot
    once it is back; the van drives there from its first site (or the depot).
    """
    del speed  # the van waits at the team's door: the meeting time is the team's
    limit = p.transport.tube_to_lab_max_h * 60.0
    margin = 0.75 * p.drill.van_round_min
    n = len(team.stops)
    van["teams"].append(team.team_id)
    while handed < n:
        stop = team.stops[handed]
        latest = stop.arrive + limit - margin - lab_leg(stop.x_m, stop.y_m)
        depot = False
        if team.back <= latest:
            # back at the depot by then: all its boxes there
            meet, place, upto, depot = team.back, team.depot_site_id, n, True
            px, py = team.depot_x_m, team.depot_y_m
        elif team.stops[-1].done <= latest:
            # done by then: at the door of its last household as it leaves
            last = team.stops[-1]
            meet, place, upto = last.done, last.building_id, n
            px, py = last.x_m, last.y_m
        else:
            # the household the team is at or walking to by then (the households
            # before it are finished), at least the one after the oldest
            j = next(q for q in range(handed + 1, n) if team.stops[q].done > latest)
            at = team.stops[j]
            meet, place, upto = at.arrive, at.building_id, j
            px, py = at.x_m, at.y_m
        meet = math.ceil(meet)
        visit: dict[str, Any] = {
            "team_id": team.team_id,
            "place": place,
            "upto": upto,
            "at": hhmm(meet),
        }
        if depot:
            visit["depot"] = True
        van["rounds"].append(
            {
                "depart": hhmm(meet),
                "stops": [visit],
                "lab": hhmm(math.ceil(meet + lab_leg(px, py))),
                "lab_name": lab_name,
            }
        )
        handed = upto


def _dispatch(
    vans: list[dict[str, Any]],
    ends: list[tuple[float, float, float, int, int]],
    labs: tuple[Lab, ...],
    plan: Plan,
    scenario: Scenario,
) -> None:
    """Send each round to the lab giving its tubes the earliest result, in time order.

    A lab's intake queue carries from round to round, so a busy lab passes boxes to
    another once its results would come later there; a lab the round's oldest tube
    would reach after ``transport.tube_to_lab_max_h`` is taken only when none is in
    time.
    """
    p = plan.policy
    if len(labs) == 1 and labs[0].tubes_per_h <= 0:
        return  # one lab, no queue: the provisional lab times stand
    first = custody(
        vans,
        site_slots_from_plan(plan, scenario),
        teams_from_plan(plan, scenario),
        labs,
        p,
    )
    tubes: dict[tuple[str, int], float] = {}
    oldest: dict[tuple[str, int], float] = {}
    for b in first.boxes:
        key = (b.van_id, b.round)
        tubes[key] = tubes.get(key, 0.0) + b.tubes
        oldest[key] = min(oldest.get(key, math.inf), b.oldest_swab)
    queues = [LabQueue(lab) for lab in labs]
    limit = p.transport.tube_to_lab_max_h * 60.0
    for end, px, py, v, r in sorted(ends):
        key = (str(vans[v]["van_id"]), r + 1)
        n = tubes.get(key, 0.0)
        options = []
        for q, queue in enumerate(queues):
            arrive = math.ceil(
                end + queue.lab.drive_min(px, py, p) + p.drill.pickup_delay_mean_min
            )
            late = arrive - oldest.get(key, arrive) > limit
            options.append((late, queue.result(arrive, n, commit=False), arrive, q))
        late, _, arrive, q = min(options)
        queues[q].intake(arrive, n)
        rnd = vans[v]["rounds"][r]
        if "back" in rnd:  # the drive back starts later (or sooner) by as much
            shift = arrive - minutes_of(rnd["lab"])
            rnd["back"] = hhmm(minutes_of(rnd["back"]) + shift)
        rnd["lab"] = hhmm(arrive)
        rnd["lab_name"] = labs[q].name


def plan_custody(
    schedule: list[dict[str, Any]], plan: Plan, scenario: Scenario
) -> Custody:
    """Return the boxes of the plan's own schedule (:func:`planning.custody.custody`)."""
    return custody(
        schedule,
        site_slots_from_plan(plan, scenario),
        teams_from_plan(plan, scenario),
        street_labs(scenario, plan.policy),
        plan.policy,
    )


def custody_summary(found: Custody, plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """Return the plan's headline of its tubes: times to the lab, labs, results."""
    p = plan.policy
    labs = street_labs(scenario, p)
    worst, mean = found.ages()
    d_worst, d_mean = found.ages("team")
    w_worst, w_mean = found.ages("site")
    deadline = p.round.start_min + p.transport.results_within_h * 60.0
    per_lab = []
    for lab in labs:
        mine = [b for b in found.boxes if b.lab == lab.name]
        per_lab.append(
            {
                "name": lab.name,
                "located": lab.located,
                "tubes_per_hour": lab.tubes_per_h,
                "open": hhmm(lab.open_min),
                "close": hhmm(lab.close_min) if lab.close_min < 24 * 60 else "24:00",
                "result_hours": lab.result_h,
                "boxes": len(mine),
                "tubes": math.ceil(sum(b.tubes for b in mine)),
                "first_box": hhmm(min(b.lab_at for b in mine)) if mine else "",
                "last_box": hhmm(max(b.lab_at for b in mine)) if mine else "",
                "last_result": day_clock(max(b.result for b in mine)) if mine else "",
            }
        )
    late = [b for b in found.boxes if b.result > deadline]
    return {
        "tube_to_lab_max_min": round(worst, 1),
        "tube_to_lab_mean_min": round(mean, 1),
        "walk_up_max_min": round(w_worst, 1),
        "walk_up_mean_min": round(w_mean, 1),
        "door_to_door_max_min": round(d_worst, 1),
        "door_to_door_mean_min": round(d_mean, 1),
        "limit_min": round(p.transport.tube_to_lab_max_h * 60.0, 1),
        "boxes": len(found.boxes),
        "results_by": day_clock(deadline),
        "last_result": day_clock(max((b.result for b in found.boxes), default=0.0)),
        "boxes_late": len(late),
        "uncollected_teams": sorted(found.uncollected_teams),
        "labs": per_lab,
    }


def day_clock(minutes: float) -> str:
    """Return ``HH:MM`` with ``+1`` for the next day (``+2`` …)."""
    day, rest = divmod(math.ceil(minutes), 24 * 60)
    return hhmm(rest) + (f"+{day}" if day else "")
