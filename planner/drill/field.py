"""SimPy processes for what moves between places: door-to-door teams and sample vans.

Each replication is one SimPy environment. A team walks its route stop by stop (the
planned walk stretched by a random factor plus a random delay finding the door),
never knocks before the time it announced, and takes a random time per household.
A van plays the plan's vehicle schedule (:mod:`planner.planning.transport`): each
planned round leaves at its planned time, or when the first of the route's
vehicles is back from the lab (the plan's ``vehicles`` and ``back``), takes at each of
its sites every tube closed so far, then meets the door-to-door teams the round
names at the planned door or depot and takes the tubes of the households the team
has finished; a team late for a hand-over at a door is met where it is (the van
takes what it has finished, the rest goes at the team's next hand-over), while for
a team's last box the van waits, at most ``drill.van_wait_max_min`` a round in all,
and comes back for what is left. It drives to the lab as planned. Once the planned
rounds are run, a van that still has a site sampling, or a team's box to fetch,
goes on every ``van_round_min`` until all are collected. A tube's time to the lab
runs from its swab (a walk-up tube's closing, a household's visit start).
Random numbers are drawn up front per team and van, so the outcome does not depend
on the order of events.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import simpy

from planner.drill._draws import clock as _clock
from planner.drill._draws import lognormal as _lognormal
from planner.drill.day import DrillDay, TeamDay
from planner.model.clock import minutes_of
from planner.model.types import FloatArray

if TYPE_CHECKING:
    from planner.drill.simulate import SiteRun


TEAM_SEED = 2_000_000
VAN_SEED = 3_000_000
WALK_CV = 0.2
"""Spread of a team's walking times around the plan (lognormal CV) [D]."""
MAX_ROUNDS = 48
"""Most rounds a van is given random delays for (a day of 30-minute rounds)."""


@dataclass(frozen=True)
class TransportOutcome:
    """Sample transport over the replications.

    Attributes
    ----------
    table
        Per site: van, pick-ups, longest wait for a pick-up and from pick-up to lab.
    p_gap_violation
        Share of replications where some site went longer than the pick-up
        interval without a van calling (while it was still sampling).
    p_lab_violation
        Share where some pick-up reached the lab later than the policy allows.
    p_held
        Share of replications where neither happened anywhere: the transport rules
        held all day.
    p_tubes_in_time
        Share of replications where every tube, walk-up and door to door, reached
        the lab within ``transport.tube_to_lab_max_h`` of its swab (a tube no van
        took counts as late).
    tube_max_min
        Longest swab-to-lab time of any tube over the replications, minutes.
    home_tube_max_min, home_tube_mean_min
        Longest and mean swab-to-lab time of door-to-door tubes, minutes.
    home_tubes_missed_mean
        Door-to-door households per replication whose tubes no van took.
    """

    table: pd.DataFrame
    p_gap_violation: float
    p_lab_violation: float
    p_held: float = 1.0
    p_tubes_in_time: float = 1.0
    tube_max_min: float = 0.0
    home_tube_max_min: float = 0.0
    home_tube_mean_min: float = 0.0
    home_tubes_missed_mean: float = 0.0


@dataclass(frozen=True)
class FieldOutcome:
    """Teams and vans.

    Attributes
    ----------
    team_finish
        ``(R, teams)`` minute each team finished its last household.
    teams
        Per team: stops, planned and simulated finish, lateness.
    transport
        Sample transport.
    """

    team_finish: FloatArray
    teams: pd.DataFrame
    transport: TransportOutcome


def _vans(day: DrillDay) -> list[list[int]]:
    """Group sites into vans exactly as the plan's vehicle schedule does."""
    from planner.planning.transport import van_groups

    x = np.array([s.x_m for s in day.sites], dtype=np.float64)
    y = np.array([s.y_m for s in day.sites], dtype=np.float64)
    return van_groups(x, y, day.policy.transport.sites_per_vehicle)


def simulate_field(
    day: DrillDay, runs: Sequence[SiteRun], reps: int, seed: int
) -> FieldOutcome:
    """Run the teams and vans of every replication (SimPy)."""
    pol = day.policy
    d = pol.drill
    teams = day.teams
    t_draws = []
    for t, team in enumerate(teams):
        rng = np.random.default_rng([seed, TEAM_SEED + t])
        n = len(team.households)
        t_draws.append(
            (
                team.walk_min[None, :] * _lognormal(rng, 1.0, WALK_CV, (reps, n)),
                rng.exponential(d.home_delay_mean_min, (reps, n))
                if d.home_delay_mean_min > 0
                else np.zeros((reps, n)),
                _lognormal(rng, team.service_min, d.home_service_cv, (reps, n)),
            )
        )
    site_of = {site.site_id: q for q, site in enumerate(day.sites)}
    team_of = {team.team_id: q for q, team in enumerate(teams)}
    if day.transport:
        vans = [[site_of[x] for x in v["sites"] if x in site_of] for v in day.transport]
        plans: list[list[dict[str, Any]]] = [list(v["rounds"]) for v in day.transport]
        names = [str(v["van_id"]) for v in day.transport]
        fleet = [max(1, int(v.get("vehicles", 1))) for v in day.transport]
    else:
        vans = _vans(day)
        plans = [[] for _ in vans]
        names = [f"V{v + 1:02d}" for v in range(len(vans))]
        fleet = [1 for _ in vans]
    v_draws = []
    t_stop_draws = []
    for v, members in enumerate(vans):
        rng = np.random.default_rng([seed, VAN_SEED + v])
        shape = (reps, MAX_ROUNDS, len(members) + 1)
        v_draws.append(
            rng.exponential(d.pickup_delay_mean_min, shape)
            if d.pickup_delay_mean_min > 0
            else np.zeros(shape)
        )
        most = max((len(r["stops"]) for r in plans[v]), default=0)
        rng = np.random.default_rng([seed, VAN_SEED + 100_000 + v])
        shape = (reps, max(1, len(plans[v])), most + 1)
        t_stop_draws.append(
            rng.exponential(d.pickup_delay_mean_min, shape)
            if d.pickup_delay_mean_min > 0
            else np.zeros(shape)
        )
    speed = d.drive_speed_km_per_h * 1000.0 / 60.0  # metres per minute
    interval = pol.transport.pickup_interval_h * 60.0
    period = d.van_round_min
    finish = np.full((reps, len(teams)), np.nan)
    late = np.zeros((reps, len(teams)))
    n_sites = len(day.sites)
    pick_wait = np.zeros((reps, n_sites))
    pick_gap = np.zeros((reps, n_sites))
    to_lab = np.zeros((reps, n_sites))
    pickups = np.zeros((reps, n_sites))
    tube_age = np.zeros((reps, n_sites))
    swab = [np.full((reps, len(team.households)), np.nan) for team in teams]
    fin = [np.full((reps, len(team.households)), np.nan) for team in teams]
    home_age = [np.full((reps, len(team.households)), np.nan) for team in teams]
    arrived: list[list[simpy.Event]] = []
    back: list[simpy.Event] = []
    last_done: list[simpy.Event] = []
    handed: dict[int, int] = {}
    where = [0] * len(teams)  # the stop each team is at or walking to
    n_stops = [len(team.households) for team in teams]
    wait_max = d.van_wait_max_min
    limit = pol.transport.tube_to_lab_max_h * 60.0
    margin = 1.5 * d.van_round_min

    def team_walk(
        env: simpy.Environment, r: int, t: int, team: TeamDay
    ) -> Generator[Any, Any, None]:
        walk, delay, service = (a[r] for a in t_draws[t])
        # leave the depot in time for the first announced visit
        yield env.timeout(max(0.0, team.earliest_min[0] - walk[0] - env.now))
        for i in range(len(team.households)):
            where[t] = i
            yield env.timeout(walk[i] + delay[i])
            arrived[t][i].succeed()
            late[r, t] = max(late[r, t], env.now - team.earliest_min[i])
            if env.now < team.earliest_min[i]:
                yield env.timeout(team.earliest_min[i] - env.now)
            for lo, hi in team.idle:
                # no sampler on the roster for this team now: wait for the next one
                if lo <= env.now < hi:
                    yield env.timeout(hi - env.now)
            swab[t][r, i] = env.now
            yield env.timeout(service[i])
            fin[t][r, i] = env.now
        last_done[t].succeed()
        finish[r, t] = env.now
        where[t] = len(team.households)
        yield env.timeout(team.walk_back_min)
        back[t].succeed()

    def team_xy(t: int) -> tuple[float, float] | None:
        """Where team `t` is now: at (or walking to) its current stop, or its depot."""
        team = teams[t]
        i = where[t]
        if i < len(team.stop_x_m):
            return float(team.stop_x_m[i]), float(team.stop_y_m[i])
        if math.isfinite(team.depot_x_m):
            return team.depot_x_m, team.depot_y_m
        return None

    def take_finished(r: int, t: int, upto: int, now: float) -> tuple[int, int, int]:
        """Hand over team `t`'s households finished by `now` (below `upto`) as a box."""
        first = i = handed.get(t, 0)
        while i < upto and fin[t][r, i] <= now:
            i += 1
        handed[t] = i
        return t, first, i

    def van(
        env: simpy.Environment, r: int, v: int, members: list[int]
    ) -> Generator[Any, Any, None]:
        delays = v_draws[v][r]
        t_delays = t_stop_draws[v][r]
        planned = plans[v]
        taken = dict.fromkeys(members, 0)
        seen = {s: day.sites[s].setup.open_min for s in members}
        ends = [runs[s].last_end[r] for s in members]
        done = max((e for e in ends if np.isfinite(e)), default=-np.inf)
        if not planned and not np.isfinite(done):
            return
        # team -> (households it should have handed over, the round that found it
        # behind): the van calls on it from the next round until it has them
        owed: dict[int, tuple[int, int]] = {}

        # each team's planned hand-overs on this van: (round, planned lab minute)
        labs_of: dict[int, list[tuple[int, float]]] = {}
        for q, plan_round in enumerate(planned, start=1):
            for stop in plan_round["stops"]:
                for x in [stop, *stop.get("teams", [])]:
                    t = team_of.get(str(x.get("team_id", "")))
                    if t is not None:
                        lab_at = float(minutes_of(str(plan_round["lab"])))
                        labs_of.setdefault(t, []).append((q, lab_at))

        def behind(t: int, upto: int, k: int) -> None:
            # a box came short: if the team's next planned hand-over on this van
            # would bring its oldest tube in late (less a round and a half for
            # delays, as the plan keeps), the van calls on it from the next round
            if handed[t] >= upto:
                return
            oldest = swab[t][r, handed[t]]
            later = [lab for q, lab in labs_of.get(t, []) if q > k]
            if not later or later[0] + margin - oldest > limit:
                owed[t] = (upto, k)

        def pending_teams(k: int) -> list[int]:
            return [
                t
                for t, (upto, since) in sorted(owed.items())
                if since < k and handed.get(t, 0) < upto
            ]

        # the route's vehicles take its rounds in turn, each busy until it is back
        # at the first stop from the lab; a plan that gives no drive back
        # (``back``, older plans) has its vehicle there at once
        returns = any("back" in x for x in planned)
        vehicles = simpy.Resource(env, capacity=fleet[v])

        def one_round(
            k: int, rnd: dict[str, Any] | None, delivered: simpy.Event
        ) -> Generator[Any, Any, None]:
            with vehicles.request() as got:
                yield got
                here: tuple[float, float] | None = None
                stops = []
                boxes: list[tuple[int, int, int]] = []
                # the van waits for late teams this long in all, per round
                budget = wait_max
                runners = (
                    {
                        str(x["site_id"]): x.get("teams", [])
                        for x in rnd["stops"]
                        if "site_id" in x
                    }
                    if rnd is not None
                    else {}
                )
                for q, s in enumerate(members):
                    if (
                        seen[s] >= runs[s].last_end[r]
                        and k > 1
                        and not runners.get(day.sites[s].site_id)
                    ):
                        continue  # collected after it finished and no team's box due
                    site = day.sites[s]
                    leg = (
                        0.0
                        if here is None
                        else math.hypot(site.x_m - here[0], site.y_m - here[1]) / speed
                    )
                    here = (site.x_m, site.y_m)
                    yield env.timeout(leg + delays[k - 1, q])
                    times = runs[s].tube_times[r]
                    j = int(np.searchsorted(times, env.now, side="right"))
                    new = times[taken[s] : j]
                    if len(new):
                        pick_wait[r, s] = max(pick_wait[r, s], env.now - float(new[0]))
                        pickups[r, s] += 1
                        stops.append((s, env.now, float(new[0])))
                    taken[s] = j
                    if seen[s] < runs[s].last_end[r]:
                        # the rule: a van calls at least every pick-up interval
                        pick_gap[r, s] = max(pick_gap[r, s], env.now - seen[s])
                    seen[s] = env.now
                    for h in runners.get(site.site_id, []):
                        # the team's runner brings what the team finished before it set out
                        t = team_of.get(str(h["team_id"]))
                        if t is None:
                            continue
                        upto = min(int(h["upto"]), n_stops[t])
                        walk_min = float(h.get("walk_min", 0))
                        if upto == n_stops[t] and handed.get(t, 0) < upto:
                            # the team's last box: the van waits a while for its runner
                            if not last_done[t].triggered:
                                waited = env.now
                                yield last_done[t] | env.timeout(max(0.0, budget))
                                budget -= env.now - waited
                            if last_done[t].triggered:
                                extra = fin[t][r, upto - 1] + walk_min - env.now
                                if extra > 0:
                                    yield env.timeout(extra)
                        boxes.append(take_finished(r, t, upto, env.now - walk_min))
                        behind(t, upto, k)  # the runner's box came short
                lab_leg = d.lab_drive_min
                if rnd is not None:
                    last_at = None
                    key_here = ""
                    for q, stop in enumerate(rnd["stops"]):
                        last_at = minutes_of(str(stop["at"]))
                        t = team_of.get(str(stop.get("team_id", "")))
                        if t is None:
                            continue
                        upto = min(int(stop["upto"]), n_stops[t])
                        at_depot = bool(stop.get("depot"))
                        key = ("S:" if at_depot else "B:") + str(stop["place"])
                        x, y = day.x_of.get(key, here or (math.nan, math.nan))
                        leg = (
                            0.0
                            if here is None or not math.isfinite(x)
                            else math.hypot(x - here[0], y - here[1]) / speed
                        )
                        here = (x, y) if math.isfinite(x) else here
                        # several teams met at one place: one stop, one delay
                        yield env.timeout(
                            leg + (0.0 if key == key_here else t_delays[k - 1, q])
                        )
                        key_here = key
                        final = at_depot or upto == n_stops[t]
                        event = (
                            back[t]
                            if at_depot
                            else last_done[t]
                            if final
                            else arrived[t][upto]
                        )
                        if final and not event.triggered:
                            # wait a while at the team's last hand-over
                            waited = env.now
                            yield event | env.timeout(max(0.0, budget))
                            budget -= env.now - waited
                        if event.triggered:
                            boxes.append(take_finished(r, t, upto, env.now))
                            continue
                        # the team runs late: rather than wait with the tubes on board,
                        # the van meets it where it is (a phone call away) and takes
                        # what it has finished; the rest goes at its next hand-over
                        there = team_xy(t)
                        if there is not None and here is not None:
                            yield env.timeout(
                                math.hypot(there[0] - here[0], there[1] - here[1])
                                / speed
                            )
                        here = there or here
                        key_here = ""
                        boxes.append(take_finished(r, t, upto, env.now))
                        behind(t, upto, k)
                    if last_at is not None:
                        # the planned drive (its mean delay is drawn below)
                        lab_leg = max(
                            0.0,
                            minutes_of(str(rnd["lab"]))
                            - last_at
                            - d.pickup_delay_mean_min,
                        )
                for t in pending_teams(k):
                    # a team behind its hand-overs: the van meets it where it is
                    there = team_xy(t)
                    if there is not None and here is not None:
                        yield env.timeout(
                            math.hypot(there[0] - here[0], there[1] - here[1]) / speed
                        )
                    here = there or here
                    boxes.append(take_finished(r, t, n_stops[t], env.now))
                yield env.timeout(lab_leg + delays[k - 1, -1])
                for s, at, oldest in stops:
                    to_lab[r, s] = max(to_lab[r, s], env.now - at)
                    tube_age[r, s] = max(tube_age[r, s], env.now - oldest)
                for t, lo, hi in boxes:
                    home_age[t][r, lo:hi] = env.now - swab[t][r, lo:hi]
                delivered.succeed()
                # the vehicle drives back from the lab before it takes another round
                if rnd is not None and "back" in rnd:
                    yield env.timeout(
                        max(
                            0.0,
                            minutes_of(str(rnd["back"])) - minutes_of(str(rnd["lab"])),
                        )
                    )
                elif returns:
                    yield env.timeout(d.lab_drive_min)

        in_flight: list[simpy.Event] = []  # planned rounds not yet at the lab
        for k in range(1, MAX_ROUNDS + 1):
            if k <= len(planned):
                # a planned round leaves at its time with the first vehicle free
                rnd = planned[k - 1]
                target = float(minutes_of(str(rnd["depart"])))
                yield env.timeout(max(0.0, target - env.now))
                in_flight.append(env.event())
                env.process(one_round(k, rnd, in_flight[-1]))
                continue
            if in_flight:
                # what the planned rounds found (a team behind, a site still
                # sampling) is known once they are at the lab
                yield simpy.AllOf(env, in_flight)
                in_flight = []
            sites_left = any(seen[s] < runs[s].last_end[r] for s in members)
            if not sites_left and not pending_teams(k):
                break  # every site collected after its last tube, every team too
            if sites_left:
                target = day.window_start + k * period
                last_round = target >= done or k == MAX_ROUNDS
                wait_until = done if last_round else target
                yield env.timeout(max(0.0, wait_until - env.now))
            else:
                # only teams' tubes are left: call when a team finishes, or
                # a round from now, whichever comes first
                last_round = k == MAX_ROUNDS
                yield simpy.AnyOf(
                    env,
                    [last_done[t] for t in pending_teams(k)] + [env.timeout(period)],
                )
            delivered = env.event()
            env.process(one_round(k, None, delivered))
            yield delivered
            if last_round and not pending_teams(k + 1):
                break

    for r in range(reps):
        env = simpy.Environment(initial_time=float(day.window_start))
        arrived = [[env.event() for _ in team.households] for team in teams]
        back = [env.event() for _ in teams]
        last_done = [env.event() for _ in teams]
        handed.clear()  # a team's households handed over so far, whichever van
        where[:] = [0] * len(teams)
        for t, team in enumerate(teams):
            env.process(team_walk(env, r, t, team))
        for v, members in enumerate(vans):
            env.process(van(env, r, v, members))
        env.run()

    window_end = day.window_end
    team_rows = []
    for t, team in enumerate(teams):
        f = finish[:, t]
        team_rows.append(
            {
                "team_id": team.team_id,
                "stops": len(team.households),
                "planned_last_visit": _clock(float(team.earliest_min[-1])),
                "finish_p50": _clock(float(np.percentile(f, 50))),
                "finish_p95": _clock(float(np.percentile(f, 95))),
                "p_finish_in_window": round(float((f <= window_end).mean()), 3),
                "max_late_min_mean": round(float(late[:, t].mean()), 1),
            }
        )
    van_of = {s: v for v, members in enumerate(vans) for s in members}
    ages = np.concatenate(
        [a for a in home_age if a.size] or [np.zeros((reps, 0))], axis=1
    )
    missed = np.isnan(ages)
    home_late = (np.where(missed, np.inf, ages) > limit).any(axis=1)
    site_late = (
        (tube_age > limit).any(axis=1) if n_sites else np.zeros(reps, dtype=bool)
    )
    in_time = ~(home_late | site_late)
    seen_ages = ages[~missed]
    gap_limit = interval
    lab_limit = pol.transport.collection_to_lab_max_h * 60.0
    t_rows = []
    for s, site in enumerate(day.sites):
        t_rows.append(
            {
                "site_id": site.site_id,
                "van": names[van_of[s]] if s in van_of else "",
                "pickups_mean": round(float(pickups[:, s].mean()), 1),
                "wait_for_pickup_p95_min": round(
                    float(np.percentile(pick_wait[:, s], 95)), 1
                ),
                "pickup_to_lab_p95_min": round(
                    float(np.percentile(to_lab[:, s], 95)), 1
                ),
                "pickup_gap_p95_min": round(
                    float(np.percentile(pick_gap[:, s], 95)), 1
                ),
                "p_pickup_late": round(float((pick_gap[:, s] > gap_limit).mean()), 3),
                "p_lab_late": round(float((to_lab[:, s] > lab_limit).mean()), 3),
            }
        )
    transport = TransportOutcome(
        pd.DataFrame(t_rows, columns=_TRANSPORT_COLUMNS),
        round(float((pick_gap > gap_limit).any(axis=1).mean()), 3) if n_sites else 0.0,
        round(float((to_lab > lab_limit).any(axis=1).mean()), 3) if n_sites else 0.0,
        round(
            float(
                (~((pick_gap > gap_limit) | (to_lab > lab_limit)).any(axis=1)).mean()
            ),
            3,
        )
        if n_sites
        else 1.0,
        round(float(in_time.mean()), 3),
        round(float(max(tube_age.max(initial=0.0), seen_ages.max(initial=0.0))), 1),
        round(float(seen_ages.max(initial=0.0)), 1),
        round(float(seen_ages.mean()) if seen_ages.size else 0.0, 1),
        round(float(missed.sum(axis=1).mean()), 1),
    )

    return FieldOutcome(
        finish, pd.DataFrame(team_rows, columns=_TEAM_COLUMNS), transport
    )


_TEAM_COLUMNS = [
    "team_id",
    "stops",
    "planned_last_visit",
    "finish_p50",
    "finish_p95",
    "p_finish_in_window",
    "max_late_min_mean",
]
_TRANSPORT_COLUMNS = [
    "site_id",
    "van",
    "pickups_mean",
    "wait_for_pickup_p95_min",
    "pickup_gap_p95_min",
    "pickup_to_lab_p95_min",
    "p_pickup_late",
    "p_lab_late",
]
