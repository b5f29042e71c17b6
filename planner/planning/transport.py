"""The plan's sample-vehicle schedule: which van serves which sites and teams, and when.

Sites with walk-up bookings are grouped ``transport.sites_per_vehicle`` at a time,
neighbours by bearing around the street's centre; a van starts a round of its sites
every ``drill.van_round_min`` after the window opens (half the 2-hour pick-up rule,
so drives and delays stay inside it) and a last round when its sites' last booked
slot ends and its teams are back.

Door-to-door teams are in the same rounds: each team rides with the van whose sites
lie nearest its depot. After its sites, a round meets each of its teams whose oldest
tube would otherwise miss ``transport.tube_to_lab_max_h`` (swab to lab) by the next
round, with a round and a half to spare for delays, or that is back at its depot:
the van drives to the household the team is at (the team's registrar hands the box
over at the door, the swabs of the households already finished), or to the depot
once the team is back. The van then drives to a lab: the one giving the round's
tubes the earliest result (:mod:`planner.planning.labs`), from the last stop's
location when the lab's is known, else ``drill.lab_drive_min``.

The drill plays this schedule with random delays (:mod:`planner.drill.field`), and
``planner check`` recomputes every box from it (:mod:`planner.planning.custody`):
a pick-up at least every ``transport.pickup_interval_h`` at every site, pick-up to
lab within ``transport.collection_to_lab_max_h``, every tube swab to lab within
``transport.tube_to_lab_max_h``, results within ``transport.results_within_h`` of
the start.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from planner.model.clock import hhmm
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
from planner.planning.demand import WALK_UP
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


def _assign_teams(
    teams: list[TeamTimetable], centres: list[tuple[float, float]]
) -> list[list[int]]:
    """Give each team to the van whose sites lie nearest its depot (balanced).

    No van takes more than 1.5 × its share of the teams (rounded up): a van with
    too many teams would run its rounds late.
    """
    out: list[list[int]] = [[] for _ in centres]
    if not centres:
        return out
    cap = max(1, math.ceil(1.5 * len(teams) / len(centres)))
    cx = np.array([c[0] for c in centres])
    cy = np.array([c[1] for c in centres])
    order = []
    for t, team in enumerate(teams):
        x = team.depot_x_m if math.isfinite(team.depot_x_m) else team.stops[0].x_m
        y = team.depot_y_m if math.isfinite(team.depot_y_m) else team.stops[0].y_m
        d = np.hypot(cx - x, cy - y)
        order.append((float(d.min()), t, np.argsort(d, kind="stable").tolist()))
    for _, t, ranked in sorted(order):
        v = next((v for v in ranked if len(out[v]) < cap), ranked[0])
        out[v].append(t)
    return out


def _meet(
    team: TeamTimetable,
    nxt: int,
    t: float,
    here: tuple[float, float] | None,
    speed: float,
    *,
    wait_for_back: bool,
) -> tuple[float, str, int, float, float] | None:
    """Where and when a van at `here` at `t` meets `team` (households from `nxt` on).

    Returns ``(time, place, upto, x, y)``: at the door of the first household the
    team is still at or walking to when the van gets there (it hands over the
    households before it), or at the depot once the team is back (all of them);
    None when the team has finished nothing to hand over yet, or is walking back
    and `wait_for_back` is false.
    """

    def drive(x: float, y: float) -> float:
        if here is None or not (math.isfinite(x) and math.isfinite(y)):
            return 0.0
        return math.hypot(x - here[0], y - here[1]) / speed

    n = len(team.stops)
    dx = team.depot_x_m if math.isfinite(team.depot_x_m) else team.stops[-1].x_m
    dy = team.depot_y_m if math.isfinite(team.depot_y_m) else team.stops[-1].y_m
    at_depot = t + drive(dx, dy)
    if team.back <= at_depot:
        return at_depot, team.depot_site_id, n, dx, dy
    for j in range(nxt, n):
        stop = team.stops[j]
        arrive = t + drive(stop.x_m, stop.y_m)
        if arrive < stop.done:
            if j == nxt:
                return None
            return max(arrive, stop.arrive), stop.building_id, j, stop.x_m, stop.y_m
    if not wait_for_back:
        return None
    return max(at_depot, team.back), team.depot_site_id, n, dx, dy


def vehicle_schedule(plan: Plan, scenario: Scenario) -> list[dict[str, Any]]:
    """Return the planned rounds of every sample van.

    Returns
    -------
    list of dict
        Per van: ``van_id``, ``sites`` (ids in visiting order), ``teams`` (the
        door-to-door teams it collects) and ``rounds``, each ``{"depart", "stops",
        "lab", "lab_name"}`` with ``HH:MM`` times; a stop is ``{"site_id", "at"}``
        or a team hand-over ``{"team_id", "place", "upto", "at"}`` (`place` a
        building id or the depot's site id; `upto` the team's stops handed over so
        far, counted from its first).
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
    limit = p.transport.tube_to_lab_max_h * 60.0
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
    ]
    if not groups:
        groups = [[]]  # door-to-door teams only: one van
    centres = [
        (float(s.x_m[g].mean()), float(s.y_m[g].mean()))
        if g
        else (teams[0].depot_x_m, teams[0].depot_y_m)
        for g in groups
    ]
    team_groups = _assign_teams(teams, centres)

    def lab_leg(px: float, py: float) -> float:
        return min(lab.drive_min(px, py, p) for lab in labs)

    out = []
    ends: list[tuple[float, float, float, int, int]] = []  # end, x, y, van, round
    for v, (idx, mine) in enumerate(zip(groups, team_groups, strict=True)):
        my_teams = [teams[t] for t in mine]
        done = max([last_end[j] for j in idx] + [t.back for t in my_teams] + [0.0])
        handed = dict.fromkeys((t.team_id for t in my_teams), 0)
        seen = dict.fromkeys(idx, -math.inf)
        rounds: list[dict[str, Any]] = []
        k = 1
        while True:
            depart = p.round.start_min + k * period
            last = depart >= done
            depart = min(depart, done)
            t = depart
            here: tuple[float, float] | None = None
            stops: list[dict[str, Any]] = []
            for j in idx:
                if seen[j] >= last_end[j]:
                    continue  # collected after its last slot: nothing more there
                if here is not None:
                    t += math.hypot(s.x_m[j] - here[0], s.y_m[j] - here[1]) / speed
                here = (float(s.x_m[j]), float(s.y_m[j]))
                seen[j] = t
                stops.append({"site_id": str(s.id[j]), "at": hhmm(t)})
            nxt_depart = math.inf if last else depart + period
            waiting = {
                team.team_id: team
                for team in my_teams
                if handed[team.team_id] < len(team.stops)
            }
            while waiting:
                best = None
                for team in waiting.values():
                    h0 = handed[team.team_id]
                    oldest = team.stops[h0].arrive
                    due = last or (
                        nxt_depart
                        + lab_leg(*(here or centres[v]))
                        + 1.5 * period
                        - oldest
                        > limit
                    )
                    meet = _meet(team, h0, t, here, speed, wait_for_back=last)
                    if meet is None or not (due or meet[2] == len(team.stops)):
                        continue
                    if best is None or meet[0] < best[1][0]:
                        best = (team, meet)
                if best is None:
                    break
                team, (at, place, upto, mx, my) = best
                t, here = math.ceil(at), (mx, my)
                handed[team.team_id] = upto
                del waiting[team.team_id]
                stops.append(
                    {
                        "team_id": team.team_id,
                        "place": place,
                        "upto": upto,
                        "at": hhmm(t),
                    }
                )
            if stops:
                px, py = here or centres[v]
                rounds.append(
                    {
                        "depart": hhmm(depart),
                        "stops": stops,
                        "lab": hhmm(math.ceil(t + lab_leg(px, py))),
                        "lab_name": labs[0].name,
                    }
                )
                ends.append((t, px, py, v, len(rounds) - 1))
            if last:
                break
            k += 1
        out.append(
            {
                "van_id": f"V{v + 1:02d}",
                "sites": [str(s.id[j]) for j in idx],
                "teams": [t.team_id for t in my_teams],
                "rounds": rounds,
            }
        )
    _dispatch(out, ends, labs, plan, scenario)
    return out


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
            arrive = math.ceil(end + queue.lab.drive_min(px, py, p))
            late = arrive - oldest.get(key, arrive) > limit
            options.append((late, queue.result(arrive, n, commit=False), arrive, q))
        late, _, arrive, q = min(options)
        queues[q].intake(arrive, n)
        rnd = vans[v]["rounds"][r]
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
