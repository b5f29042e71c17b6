"""SimPy processes for what moves between places: door-to-door teams and sample vans.

Each replication is one SimPy environment. A team walks its route stop by stop (the
planned walk stretched by a random factor plus a random delay finding the door),
never knocks before the time it announced, and takes a random time per household.
A van serves its sites in rounds: one every ``van_round_min`` after opening (shorter
than the pick-up interval, so its delays stay inside the rule) and a last one once
all its sites have finished; at each site it takes every tube closed
so far, and after its last site it drives to the lab. Random numbers are drawn up
front per team and van, so the outcome does not depend on the order of events.
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
    """

    table: pd.DataFrame
    p_gap_violation: float
    p_lab_violation: float
    p_held: float = 1.0


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
    vans = _vans(day)
    v_draws = []
    for v, members in enumerate(vans):
        rng = np.random.default_rng([seed, VAN_SEED + v])
        shape = (reps, MAX_ROUNDS, len(members) + 1)
        v_draws.append(
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

    def team_walk(
        env: simpy.Environment, r: int, t: int, team: TeamDay
    ) -> Generator[Any, Any, None]:
        walk, delay, service = (a[r] for a in t_draws[t])
        # leave the depot in time for the first announced visit
        yield env.timeout(max(0.0, team.earliest_min[0] - walk[0] - env.now))
        for i in range(len(team.households)):
            yield env.timeout(walk[i] + delay[i])
            late[r, t] = max(late[r, t], env.now - team.earliest_min[i])
            if env.now < team.earliest_min[i]:
                yield env.timeout(team.earliest_min[i] - env.now)
            for lo, hi in team.idle:
                # no sampler on the roster for this team now: wait for the next one
                if lo <= env.now < hi:
                    yield env.timeout(hi - env.now)
            yield env.timeout(service[i])
        finish[r, t] = env.now

    def van(
        env: simpy.Environment, r: int, v: int, members: list[int]
    ) -> Generator[Any, Any, None]:
        delays = v_draws[v][r]
        taken = dict.fromkeys(members, 0)
        seen = {s: day.sites[s].setup.open_min for s in members}
        ends = [runs[s].last_end[r] for s in members]
        done = max((e for e in ends if np.isfinite(e)), default=np.nan)
        if not np.isfinite(done):
            return
        for k in range(1, MAX_ROUNDS + 1):
            target = day.window_start + k * period
            last_round = target >= done or k == MAX_ROUNDS
            yield env.timeout(max(0.0, (done if last_round else target) - env.now))
            here = None
            stops = []
            for q, s in enumerate(members):
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
                    stops.append((s, env.now))
                taken[s] = j
                if seen[s] < runs[s].last_end[r]:
                    # the rule: a van calls at least every pick-up interval
                    pick_gap[r, s] = max(pick_gap[r, s], env.now - seen[s])
                seen[s] = env.now
            yield env.timeout(d.lab_drive_min + delays[k - 1, -1])
            for s, at in stops:
                to_lab[r, s] = max(to_lab[r, s], env.now - at)
            if last_round:
                break

    for r in range(reps):
        env = simpy.Environment(initial_time=float(day.window_start))
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
    gap_limit = interval
    lab_limit = pol.transport.collection_to_lab_max_h * 60.0
    t_rows = []
    for s, site in enumerate(day.sites):
        t_rows.append(
            {
                "site_id": site.site_id,
                "van": f"V{van_of[s] + 1:02d}",
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
