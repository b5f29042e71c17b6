"""The same-day catch-up (补检) of the residents still due and not sampled.

Per community, the remaining residents' households are either visited door to door
or called to an evening site:

- a community with at least ``closure.evening_site_min_people`` remaining people
  gets an evening site (its busiest open site of the day) for its walk-up households;
  its homebound and sealed households are still visited;
- otherwise every remaining household is visited at home.

Door-to-door routes use the plan's router (:func:`planner.planning.plan.route_stops`,
the same walks and visit times) inside the catch-up window, sealed households never on
a route with others (the custody rule of the plan). A household no route can reach in
the window is reported, never silently left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.clock import minutes_of
from planner.model.policy import Policy
from planner.model.result import HomeVisitTeam, Plan
from planner.model.scenario import Scenario
from planner.model.types import IntArray
from planner.planning.demand import household_demand
from planner.planning.plan import numbered, route_stops


@dataclass(frozen=True)
class CatchUp:
    """The catch-up plan.

    Attributes
    ----------
    teams
        Door-to-door routes (team ids ``BJ-C01-T01``; ``-F`` for sealed homes).
    evening
        One row per evening site: ``community``, ``site_id``, ``site_name``,
        ``from``, ``to`` (HH:MM), ``households``, ``people``.
    households
        One row per household in the catch-up: ``household``, ``household_id``,
        ``building_id``, ``community``, ``people`` (remaining residents), ``how``
        (``home`` or ``evening``), ``team_id``, ``arrive`` (HH:MM), ``site_id``.
    dropped
        Households no route reached in the window.
    window
        ``(from, to)`` minutes after midnight.
    """

    teams: tuple[HomeVisitTeam, ...]
    evening: pd.DataFrame
    households: pd.DataFrame
    dropped: IntArray
    window: tuple[int, int]

    @property
    def people(self) -> int:
        """Residents the catch-up covers."""
        return int(self.households["people"].sum()) if len(self.households) else 0


def plan_catchup(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    remaining: IntArray,
    *,
    time_limit_s: float = 10.0,
) -> CatchUp:
    """Plan the catch-up of residents `remaining` (indices into the register).

    Parameters
    ----------
    scenario, plan, policy
        The street, the day's plan and its policy.
    remaining
        Residents due and not sampled.
    time_limit_s
        Safety cap of each routing search.
    """
    from planner.model.clock import hhmm

    r = scenario.residents
    assert r is not None
    h, b, s = scenario.households, scenario.buildings, scenario.sites
    # the window and the evening-site threshold: ``policy.closure``
    start, end = policy.closure.catchup_from, policy.closure.catchup_to
    evening_min_people = policy.closure.evening_site_min_people
    lo, hi = minutes_of(start), minutes_of(end)
    people = np.bincount(r.household[remaining], minlength=len(h))
    hh = np.flatnonzero(people > 0)
    comm = b.community[h.building[hh]]
    home = household_demand(scenario, policy).home_visit
    rows: list[dict[str, object]] = []
    evening_rows: list[dict[str, object]] = []
    teams: list[HomeVisitTeam] = []
    dropped: list[int] = []
    for c in sorted(set(comm.tolist())):
        mine = hh[comm == c]
        n_people = int(people[mine].sum())
        site = -1
        if n_people >= evening_min_people:
            used = plan.hh_site[mine]
            used = used[used >= 0]
            if len(used):
                site = int(np.bincount(used).argmax())
        at_home = mine if site < 0 else mine[home[mine]]
        if site >= 0:
            walk = mine[~home[mine]]
            evening_rows.append(
                {
                    "community": scenario.communities[c],
                    "site_id": str(s.id[site]),
                    "site_name": str(s.name[site]),
                    "from": start,
                    "to": end,
                    "households": len(walk),
                    "people": int(people[walk].sum()),
                }
            )
            for x in walk:
                rows.append(
                    {"household": int(x), "how": "evening", "site_id": str(s.id[site])}
                )
        for sealed in (False, True):
            stops = at_home[h.sealed[at_home] == sealed]
            if not len(stops):
                continue
            depot = site if site >= 0 else _nearest_site(scenario, stops)
            prefix = f"BJ-C{c + 1:02d}-{'F' if sealed else 'T'}"
            routed, missed = route_stops(
                scenario,
                policy,
                stops.astype(np.int64),
                depot,
                (lo * 60, hi * 60),
                time_limit_s=time_limit_s,
                seed=0,
                team_id=numbered(prefix),
            )
            teams.extend(routed)
            dropped.extend(missed.tolist())
            for t in routed:
                for x, at in zip(t.households, t.arrive_min, strict=True):
                    rows.append(
                        {
                            "household": int(x),
                            "how": "home",
                            "team_id": t.team_id,
                            "arrive": hhmm(at),
                        }
                    )
    frame = pd.DataFrame(
        rows, columns=["household", "how", "team_id", "arrive", "site_id"]
    )
    for col in ("team_id", "arrive", "site_id"):
        text = frame[col].astype(object)
        frame[col] = text.where(text.notna(), "")
    if len(frame):
        x = frame["household"].to_numpy(dtype=np.int64)
        frame.insert(1, "household_id", h.id[x])
        frame.insert(2, "building_id", b.id[h.building[x]])
        frame.insert(
            3,
            "community",
            np.asarray(scenario.communities, dtype=object)[b.community[h.building[x]]],
        )
        frame.insert(4, "people", people[x])
        frame = frame.sort_values(
            ["community", "how", "team_id", "arrive", "household_id"]
        )
    evening = pd.DataFrame(
        evening_rows,
        columns=[
            "community",
            "site_id",
            "site_name",
            "from",
            "to",
            "households",
            "people",
        ],
    )
    return CatchUp(
        tuple(teams),
        evening,
        frame.reset_index(drop=True),
        np.asarray(sorted(dropped), dtype=np.int64),
        (lo, hi),
    )


def _nearest_site(scenario: Scenario, stops: IntArray) -> int:
    s, b, h = scenario.sites, scenario.buildings, scenario.households
    cx = float(b.x_m[h.building[stops]].mean())
    cy = float(b.y_m[h.building[stops]].mean())
    return int(np.argmin(np.hypot(s.x_m - cx, s.y_m - cy)))
