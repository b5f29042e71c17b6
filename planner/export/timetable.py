"""The pick-up timetable the vans actually run, as every printed output shows it.

Rosters, team sheets and the plan document read the vehicle schedule of
``plan.json`` (:func:`planner.planning.transport.vehicle_schedule`) through these
helpers, never a rule of thumb, so they print the times the vans call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.model.clock import minutes_of


def _schedule(summary: dict[str, Any]) -> Sequence[dict[str, Any]]:
    vans = summary.get("transport")
    return vans if isinstance(vans, list) else []


def site_pickups(summary: dict[str, Any]) -> dict[str, list[str]]:
    """Return ``{site_id: [HH:MM, …]}``: when a van calls at each site, in order."""
    out: dict[str, list[str]] = {}
    for van in _schedule(summary):
        for rnd in van.get("rounds", []):
            for stop in rnd.get("stops", []):
                if "site_id" in stop:
                    out.setdefault(str(stop["site_id"]), []).append(str(stop["at"]))
    return {k: sorted(v, key=minutes_of) for k, v in out.items()}


def team_handovers(
    summary: dict[str, Any],
) -> dict[str, list[tuple[str, str, int, int, bool]]]:
    """Return each team's hand-overs in time order.

    Returns
    -------
    dict
        ``{team_id: [(HH:MM, place, first stop, last stop, by_runner)]}``: the place
        is a site id (the runner walks the box to the van's call there) or a
        building or depot id (the van meets the team); stops counted from 1.
    """
    raw: dict[str, list[tuple[str, str, int, bool]]] = {}
    for van in _schedule(summary):
        for rnd in van.get("rounds", []):
            for stop in rnd.get("stops", []):
                if "site_id" in stop:
                    for h in stop.get("teams", []):
                        raw.setdefault(str(h["team_id"]), []).append(
                            (
                                str(stop["at"]),
                                str(stop["site_id"]),
                                int(h["upto"]),
                                True,
                            )
                        )
                elif "team_id" in stop:
                    raw.setdefault(str(stop["team_id"]), []).append(
                        (str(stop["at"]), str(stop["place"]), int(stop["upto"]), False)
                    )
    out: dict[str, list[tuple[str, str, int, int, bool]]] = {}
    for team, rows in raw.items():
        rows.sort(key=lambda r: (minutes_of(r[0]), r[2]))
        done = 0
        out[team] = []
        for at, place, upto, runner in rows:
            if upto > done:
                out[team].append((at, place, done + 1, upto, runner))
                done = upto
    return out


def round_departures(summary: dict[str, Any]) -> list[str]:
    """Return the distinct times the vans start a round of their sites, in order."""
    times = {
        str(rnd["depart"])
        for van in _schedule(summary)
        if van.get("sites")
        for rnd in van.get("rounds", [])
    }
    return sorted(times, key=minutes_of)
