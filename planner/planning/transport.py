"""The plan's sample-vehicle schedule: which van serves which sites, and when.

Sites with walk-up bookings are grouped ``transport.sites_per_vehicle`` at a time,
neighbours by bearing around the street's centre; a van starts a round of its sites
every ``drill.van_round_min`` after the window opens (half the 2-hour pick-up rule,
so drives and delays stay inside it) and a last round when its sites' last booked
slot ends, then drives to the lab (``drill.lab_drive_min``). The drill plays exactly
this schedule with random delays (:mod:`planner.drill.field`), and ``planner check``
holds it against the rules (a pick-up at least every ``transport.pickup_interval_h``
at every site, pick-up to lab within ``transport.collection_to_lab_max_h``).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from planner.model.clock import hhmm
from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray


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
        Per van: ``van_id``, ``sites`` (ids in visiting order) and ``rounds``, each
        ``{"depart", "stops": [{"site_id", "at"}], "lab"}`` with ``HH:MM`` times.
    """
    p: Policy = plan.policy
    sites = served_sites(plan)
    if not sites:
        return []
    s = scenario.sites
    x = s.x_m[sites].astype(np.float64)
    y = s.y_m[sites].astype(np.float64)
    speed = p.drill.drive_speed_km_per_h * 1000.0 / 60.0  # metres per minute
    used = plan.site_slot_units > 0
    last_end = {
        j: float(plan.slots.start_min[np.flatnonzero(used[j]).max()])
        + plan.slots.slot_minutes
        for j in sites
    }
    out = []
    for v, members in enumerate(van_groups(x, y, p.transport.sites_per_vehicle)):
        idx = [sites[m] for m in members]
        done = max(last_end[j] for j in idx)
        legs = [0.0] + [
            math.hypot(x[b] - x[a], y[b] - y[a]) / speed
            for a, b in itertools.pairwise(members)
        ]
        rounds = []
        k = 1
        while True:
            depart = p.round.start_min + k * p.drill.van_round_min
            last = depart >= done
            depart = min(depart, done)
            at = depart + np.cumsum(legs)
            rounds.append(
                {
                    "depart": hhmm(depart),
                    "stops": [
                        {"site_id": str(s.id[j]), "at": hhmm(t)}
                        for j, t in zip(idx, at.tolist(), strict=True)
                    ],
                    "lab": hhmm(math.ceil(float(at[-1]) + p.drill.lab_drive_min)),
                }
            )
            if last:
                break
            k += 1
        out.append(
            {
                "van_id": f"V{v + 1:02d}",
                "sites": [str(s.id[j]) for j in idx],
                "rounds": rounds,
            }
        )
    return out
