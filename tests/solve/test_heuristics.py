"""Fast plans for the location core: regret assignment and site swaps."""

import numpy as np
import pytest

from planner.solve.heuristics import assign_to_open_sites, improve_by_swaps, total_cost


def _street(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    demand = rng.integers(1, 21, n).astype(float)
    dist = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    return dist * demand[:, None], demand, np.full(m, np.ceil(1.25 * demand.sum() / 4))


def test_regret_assignment_by_hand() -> None:
    """Site 0 holds one point. Point 1 loses 9 by going elsewhere, point 0 only 1:
    point 1 goes first and takes site 0."""
    cost = np.array([[1.0, 2.0], [1.0, 10.0]])
    plan = assign_to_open_sites(
        cost, np.ones(2), np.array([1.0, 5.0]), np.ones(2, bool)
    )
    assert plan is not None and plan.tolist() == [1, 0]


def test_assignment_respects_capacity_forbidden_pairs_and_closed_sites() -> None:
    cost, demand, cap = _street(80, 8, 1)
    cost[:10, 3] = np.inf
    is_open = np.array([1, 1, 0, 1, 1, 0, 1, 1], bool)
    plan = assign_to_open_sites(cost, demand, cap, is_open)
    assert plan is not None
    assert is_open[plan].all()
    assert np.isfinite(cost[np.arange(80), plan]).all()
    assert (np.bincount(plan, demand, minlength=8) <= cap + 1e-9).all()


def test_assignment_without_room_is_none() -> None:
    plan = assign_to_open_sites(
        np.ones((3, 2)), np.full(3, 2.0), np.array([3.0, 3.0]), np.ones(2, bool)
    )
    assert plan is None


def test_swap_finds_the_better_site() -> None:
    """Two clusters; the start serves the right cluster from a far site."""
    cost = np.array(
        [
            [0.0, 50.0, 40.0],
            [1.0, 50.0, 41.0],
            [50.0, 0.0, 10.0],
            [50.0, 1.0, 11.0],
        ]
    )
    start = np.array([0, 0, 2, 2])
    zeros = np.zeros(3)
    better = improve_by_swaps(
        cost,
        np.ones(4),
        np.full(3, 4.0),
        start,
        open_cost=zeros,
        fixed_open=np.zeros(3, bool),
        n_open=2,
    )
    assert better.tolist() == [0, 0, 1, 1]


@pytest.mark.parametrize("n_open", [4, None])
def test_swaps_never_worsen_and_keep_the_rules(n_open: int | None) -> None:
    cost, demand, cap = _street(150, 16, 3)
    open_cost = np.zeros(16) if n_open else np.full(16, 500.0)
    fixed = np.zeros(16, bool)
    fixed[5] = True
    start_open = np.zeros(16, bool)
    start_open[[0, 5, 9, 12]] = True
    start = assign_to_open_sites(cost, demand, cap, start_open)
    assert start is not None
    before = total_cost(cost, open_cost, start, fixed, None, 0.0)
    plan = improve_by_swaps(
        cost, demand, cap, start, open_cost=open_cost, fixed_open=fixed, n_open=n_open
    )
    after = total_cost(cost, open_cost, plan, fixed, None, 0.0)
    assert after < before  # this start is far from a local optimum
    assert (np.bincount(plan, demand, minlength=16) <= cap + 1e-9).all()
    used = np.unique(plan)
    if n_open:
        assert len(used) <= n_open
    # the same inputs give the same plan
    again = improve_by_swaps(
        cost, demand, cap, start, open_cost=open_cost, fixed_open=fixed, n_open=n_open
    )
    assert again.tolist() == plan.tolist()


def test_swaps_keep_fixed_sites_open() -> None:
    cost, demand, cap = _street(60, 6, 4)
    cost[:, 2] += 1000.0  # the fixed site is a bad one
    fixed = np.zeros(6, bool)
    fixed[2] = True
    is_open = np.zeros(6, bool)
    is_open[[1, 2, 4, 5]] = True
    start = assign_to_open_sites(cost, demand, cap, is_open)
    assert start is not None
    plan = improve_by_swaps(
        cost, demand, cap, start, open_cost=np.zeros(6), fixed_open=fixed, n_open=4
    )
    kept_open = fixed.copy()
    kept_open[plan] = True
    assert kept_open[2] and kept_open.sum() <= 4
