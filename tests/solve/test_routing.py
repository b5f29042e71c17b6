"""Door-to-door routing: order, arrival times, windows, teams, dropped stops."""

import numpy as np

from planner.solve.routing import (
    route_home_visits,
    teams_needed_lower_bound,
    walk_matrix_s,
)

START = 8 * 3600


def _line(n: int, step_s: int) -> np.ndarray:
    """Depot at 0, stops at step, 2·step, … along a line (walking seconds)."""
    pos = np.arange(n + 1) * step_s
    return np.abs(pos[:, None] - pos[None, :]).astype(np.int64)


def test_three_stops_on_a_line_by_hand() -> None:
    walk = _line(3, 60)
    service = np.full(3, 600, dtype=np.int64)
    r = route_home_visits(
        walk, service, window_s=(START, START + 3 * 3600), max_teams=2
    )
    assert len(r.routes) == 1 and r.dropped == ()  # one team suffices
    route = r.routes[0]
    assert route in ((0, 1, 2), (2, 1, 0))  # both sweeps walk 360 s in all
    # arrivals by hand: walk from the depot, then 600 s service + 60 s to the next door
    first = START + int(walk[0, route[0] + 1])
    assert r.arrive_s[list(route)].tolist() == [first, first + 660, first + 1320]
    assert r.finish_s == (first + 1320 + 600 + int(walk[route[-1] + 1, 0]),)


def test_short_window_drops_and_reports_instead_of_failing() -> None:
    walk = _line(4, 60)
    service = np.full(4, 1800, dtype=np.int64)
    r = route_home_visits(walk, service, window_s=(START, START + 3600), max_teams=1)
    visited = [s for route in r.routes for s in route]
    assert sorted(visited + list(r.dropped)) == [0, 1, 2, 3]  # nobody lost
    assert len(r.dropped) >= 2
    assert (r.team_of[list(r.dropped)] == -1).all()


def test_two_teams_when_one_cannot_finish() -> None:
    walk = _line(4, 60)
    service = np.full(4, 2000, dtype=np.int64)  # 8,000 s of service in a 7,200 s window
    window = (START, START + 2 * 3600)
    assert teams_needed_lower_bound(walk, service, window) == 2
    r = route_home_visits(walk, service, window_s=window, max_teams=3)
    assert len(r.routes) == 2 and r.dropped == ()
    for route, back in zip(r.routes, r.finish_s, strict=True):
        times = r.arrive_s[list(route)]
        assert (np.diff(times) >= 2000).all()  # a door's service comes first
        assert back <= window[1]


def test_stop_windows_are_respected() -> None:
    walk = _line(2, 60)
    service = np.full(2, 300, dtype=np.int64)
    windows = np.array([[START + 3600, START + 4000], [START, START + 7200]])
    r = route_home_visits(
        walk,
        service,
        window_s=(START, START + 3 * 3600),
        max_teams=1,
        stop_windows_s=windows,
    )
    assert START + 3600 <= r.arrive_s[0] <= START + 4000


def test_same_inputs_same_routes_and_same_building_spacing() -> None:
    rng = np.random.default_rng(2)
    x = rng.integers(0, 800, 40).astype(np.int64)
    y = rng.integers(0, 800, 40).astype(np.int64)
    x[5], y[5] = x[4], y[4]  # two flats in one building
    walk = walk_matrix_s(x, y, speed_m_per_min=70.0, detour_factor=1.3)
    assert walk[4, 5] == 60 and walk[5, 5] == 0  # next door, not zero
    service = np.full(39, 900, dtype=np.int64)
    a = route_home_visits(
        walk, service, window_s=(START, START + 6 * 3600), max_teams=6
    )
    b = route_home_visits(
        walk, service, window_s=(START, START + 6 * 3600), max_teams=6
    )
    assert a.routes == b.routes and a.arrive_s.tolist() == b.arrive_s.tolist()
    assert sorted(s for route in a.routes for s in route) + list(a.dropped) == list(
        range(39)
    )
