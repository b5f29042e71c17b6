"""Route door-to-door (上门采样) teams with OR-Tools routing and time windows.

Model (a VRP with time windows): node 0 is the depot where every team starts and
ends; nodes ``1..n`` are households. A *time* dimension accumulates walking plus the
service time at the node left; every household's service must start inside the window
(or its own window) and teams must be back by the end. Each used team pays a fixed
cost so fewer teams are preferred; each household is a disjunction with a large
penalty, so when the teams cannot reach everyone the solver drops the fewest and
reports them instead of failing. Search: parallel cheapest insertion, then guided
local search bounded by a solution count (deterministic) with the time limit only as
a safety cap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from planner.model.types import IntArray
from planner.solve.settings import ROUTE_TIME_LIMIT_S

DROP_PENALTY = 10_000_000
"""Cost of leaving a household unvisited; far above any route's walking time."""

TEAM_FIXED_COST = 100_000
"""Cost of using one more team, in seconds of walking (≈ 28 h): teams are the scarce part."""


@dataclass(frozen=True, slots=True)
class HomeVisitRoutes:
    """Door-to-door routes.

    Attributes
    ----------
    routes
        Per used team, stop indices (0-based, excluding the depot) in visiting order.
    arrive_s
        Service start at each stop, seconds after midnight (-1 if dropped).
    team_of
        Team of each stop (-1 if dropped).
    dropped
        Stops no team could serve inside the window.
    finish_s
        Time each team is back at the depot, seconds after midnight.
    objective
        Routing objective (seconds plus fixed and drop costs).
    wall_time_s
        Solve time, seconds.
    """

    routes: tuple[tuple[int, ...], ...]
    arrive_s: IntArray
    team_of: IntArray
    dropped: tuple[int, ...]
    finish_s: tuple[int, ...]
    objective: int
    wall_time_s: float


def walk_matrix_s(
    x_m: IntArray,
    y_m: IntArray,
    *,
    speed_m_per_min: float,
    detour_factor: float,
    same_point_s: int = 60,
) -> IntArray:
    """Return walking seconds between points (straight line × detour ÷ speed).

    Distinct stops at the same spot (flats of one building) are `same_point_s` apart,
    the time to reach the next door.
    """
    dx = x_m[:, None] - x_m[None, :]
    dy = y_m[:, None] - y_m[None, :]
    sec = np.rint(np.hypot(dx, dy) * detour_factor / speed_m_per_min * 60).astype(
        np.int64
    )
    sec = np.maximum(sec, same_point_s)
    np.fill_diagonal(sec, 0)
    result: IntArray = sec.astype(np.int64)
    return result


def teams_needed_lower_bound(
    walk_s: IntArray, service_s: IntArray, window_s: tuple[int, int]
) -> int:
    """Return a lower bound on teams: service plus least travel over the window length."""
    n = len(service_s)
    if n == 0:
        return 0
    travel = walk_s[1:, :].copy()
    np.fill_diagonal(travel[:, 1:], np.iinfo(np.int64).max)
    least_in = travel.min(axis=1)
    total = int(service_s.sum() + least_in.sum())
    return max(1, math.ceil(total / max(1, window_s[1] - window_s[0])))


class RoutingProblem(NamedTuple):
    """The arguments of one :func:`route_home_visits` call, to route elsewhere."""

    walk_s: IntArray
    service_s: IntArray
    window_s: tuple[int, int]
    max_teams: int
    time_limit_s: float


def route_many(problems: Sequence[RoutingProblem]) -> list[HomeVisitRoutes]:
    """Route each problem in turn (a job another process can run)."""
    return [
        route_home_visits(
            p.walk_s,
            p.service_s,
            window_s=p.window_s,
            max_teams=p.max_teams,
            time_limit_s=p.time_limit_s,
        )
        for p in problems
    ]


def route_home_visits(
    walk_s: IntArray,
    service_s: IntArray,
    *,
    window_s: tuple[int, int],
    max_teams: int,
    stop_windows_s: IntArray | None = None,
    time_limit_s: float = ROUTE_TIME_LIMIT_S,
    seed: int = 0,
    minimise_teams: bool = True,
    solution_limit: int = 30,
) -> HomeVisitRoutes:
    """Route up to `max_teams` teams from the depot through every stop.

    Parameters
    ----------
    walk_s
        ``(n+1, n+1)`` walking seconds; index 0 is the depot.
    service_s
        ``(n,)`` seconds spent at each stop.
    window_s
        ``(start, end)`` seconds after midnight: services start no earlier than
        `start`, and teams are back by `end`.
    max_teams
        Teams available.
    stop_windows_s
        Optional ``(n, 2)`` per-stop windows for the service start.
    time_limit_s
        Safety cap on search time, seconds (the solution limit normally stops it
        first, keeping the search deterministic). Default 10.
    seed
        Kept for a uniform interface; the search is deterministic for given inputs.
    minimise_teams
        Charge a fixed cost per team used. Default True.
    solution_limit
        Solutions the local search may visit (its deterministic stopping rule).
    """
    del seed  # routing search here has no randomness
    t0 = time.perf_counter()
    n = len(service_s)
    start, end = window_s
    if n == 0:
        return HomeVisitRoutes(
            (), np.zeros(0, np.int64), np.zeros(0, np.int64), (), (), 0, 0.0
        )
    teams = max(1, int(max_teams))
    manager = pywrapcp.RoutingIndexManager(n + 1, teams, 0)
    routing = pywrapcp.RoutingModel(manager)
    service = np.concatenate([[0], service_s]).astype(np.int64)
    walk = walk_s.astype(np.int64)

    # walking to the next node plus the service at the node left, as a matrix held
    # in C++ (a Python callback is called millions of times per solve)
    transit = walk + service[:, None]
    cb = routing.RegisterTransitMatrix(transit.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    horizon = end
    routing.AddDimension(cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node in range(1, n + 1):
        idx = manager.NodeToIndex(node)
        lo, hi = start, end - int(service[node])
        if stop_windows_s is not None:
            lo = max(lo, int(stop_windows_s[node - 1, 0]))
            hi = min(hi, int(stop_windows_s[node - 1, 1]))
        if hi < lo:
            hi = lo  # impossible stop: the disjunction will drop it
        time_dim.CumulVar(idx).SetRange(lo, hi)
        routing.AddDisjunction([idx], DROP_PENALTY)
    for v in range(teams):
        time_dim.CumulVar(routing.Start(v)).SetRange(start, end)
        time_dim.CumulVar(routing.End(v)).SetRange(start, end)
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.Start(v)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(v)))
        if minimise_teams:
            routing.SetFixedCostOfVehicle(TEAM_FIXED_COST, v)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.solution_limit = solution_limit
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    solution = routing.SolveWithParameters(params)
    arrive = np.full(n, -1, dtype=np.int64)
    team_of = np.full(n, -1, dtype=np.int64)
    routes: list[tuple[int, ...]] = []
    finish: list[int] = []
    if solution is None:
        return HomeVisitRoutes(
            (), arrive, team_of, tuple(range(n)), (), 0, time.perf_counter() - t0
        )
    for v in range(teams):
        idx = routing.Start(v)
        stops: list[int] = []
        idx = solution.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            node = manager.IndexToNode(idx)
            stops.append(node - 1)
            arrive[node - 1] = solution.Value(time_dim.CumulVar(idx))
            idx = solution.Value(routing.NextVar(idx))
        if stops:
            team = len(routes)
            for s in stops:
                team_of[s] = team
            routes.append(tuple(stops))
            finish.append(int(solution.Value(time_dim.CumulVar(idx))))
    dropped = tuple(int(i) for i in np.flatnonzero(team_of < 0))
    return HomeVisitRoutes(
        tuple(routes),
        arrive,
        team_of,
        dropped,
        tuple(finish),
        int(solution.ObjectiveValue()),
        time.perf_counter() - t0,
    )
