"""The location core's stages, one at a time: each does its own job, and each is timed.

:func:`planner.solve.locate.locate` runs them in order on one search state; here each
is run alone on small instances whose optimum brute force finds.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from planner.solve import locate as core


def _instance(
    seed: int, n: int = 7, m: int = 4
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts, sites = rng.random((n, 2)), rng.random((m, 2))
    cost = np.linalg.norm(pts[:, None] - sites[None], axis=2) * 100
    demand = rng.integers(1, 6, n).astype(float)
    capacity = np.full(m, demand.sum() / 1.6)
    return cost, demand, capacity


def _brute_force(
    cost: np.ndarray, demand: np.ndarray, capacity: np.ndarray, p: int
) -> float:
    """The cheapest assignment using exactly `p` sites, by enumeration."""
    n, m = cost.shape
    best = math.inf
    for plan in itertools.product(range(m), repeat=n):
        used = set(plan)
        if len(used) > p:
            continue
        load = np.bincount(plan, weights=demand, minlength=m)
        if (load > capacity + 1e-9).any():
            continue
        best = min(best, float(cost[np.arange(n), list(plan)].sum()))
    return best


class _Stop(Exception):
    """Raised in place of the first stage: the problem :func:`locate` built is kept."""


def _setup(
    monkeypatch: pytest.MonkeyPatch, seed: int, p: int = 2
) -> tuple[core._Problem, core._Search, float]:
    """The problem `locate` builds (checked and scaled), a fresh search, the optimum."""
    cost, demand, capacity = _instance(seed)
    built: list[core._Problem] = []

    def grab(problem: core._Problem) -> core._KnownPlans:
        built.append(problem)
        raise _Stop

    with monkeypatch.context() as patch:
        patch.setattr(core, "_known_plans", grab)
        with pytest.raises(_Stop):
            core.locate(cost, demand, capacity, n_open=p, num_workers=1)
    prob = built[0]
    return prob, core._Search.of(prob, 2.0), _brute_force(cost, demand, capacity, p)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_known_plans_are_feasible_and_their_best_bounds_from_above(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    prob, _, optimum = _setup(monkeypatch, seed)
    known = core._known_plans(prob)
    assert known.greedy is not None
    costs = [prob.plan_cost(c) for c in known.candidates]
    assert known.upper == min(costs) >= optimum - 1e-9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_relaxation_bounds_from_below_and_starts_from_the_best_plan(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    prob, search, optimum = _setup(monkeypatch, seed)
    known = core._known_plans(prob)
    core._relax(prob, search, known)
    assert search.lag is not None
    assert search.lag.bound <= optimum + 1e-6
    assert search.start is not None
    assert prob.plan_cost(search.start) <= known.upper + 1e-9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_local_search_never_makes_the_start_dearer_nor_drops_the_optimum(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    prob, search, optimum = _setup(monkeypatch, seed)
    core._relax(prob, search, core._known_plans(prob))
    before = prob.plan_cost(search.start)
    core._local_search(prob, search)
    assert prob.plan_cost(search.start) <= before + 1e-9
    # the fixing only removes pairs no plan cheaper than the known one uses:
    # the optimum's cost is still reachable by the model that is left
    result = core._full_model(prob, search)
    assert result.objective == pytest.approx(optimum)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_mip_stage_proves_the_optimum_of_a_small_p_median(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    prob, search, optimum = _setup(monkeypatch, seed)
    core._relax(prob, search, core._known_plans(prob))
    core._local_search(prob, search)
    result = core._mip_stage(prob, search)
    assert result is not None and result.status == "optimal"
    assert result.objective == pytest.approx(optimum)


def test_the_full_model_alone_finds_the_optimum_without_a_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prob, search, optimum = _setup(monkeypatch, 3)
    assert search.start is None and search.lag is None
    result = core._full_model(prob, search)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(optimum)


def test_every_stage_that_ran_is_timed_in_order() -> None:
    cost, demand, capacity = _instance(4)
    result = core.locate(cost, demand, capacity, n_open=2, deterministic_time=2.0)
    stages = list(result.stage_s)
    assert stages[:5] == ["known_plans", "relax", "local_search", "restricted", "mip"]
    assert all(t >= 0 for t in result.stage_s.values())
    assert sum(result.stage_s.values()) <= result.wall_time_s + 0.05
    assert result.objective == pytest.approx(_brute_force(cost, demand, capacity, 2))


def test_progress_reports_each_stage_and_never_a_bound_above_a_plan() -> None:
    rng = np.random.default_rng(5)
    cost, demand, capacity = _instance(5, n=40, m=8)
    open_cost = rng.uniform(50, 150, 8)
    events: list[tuple[float, str, float, float]] = []
    log: list[str] = []
    kwargs = {"open_cost": open_cost, "deterministic_time": 2.0, "num_workers": 2}
    traced = core.locate(
        cost,
        demand,
        capacity,
        on_progress=lambda *e: events.append(e),
        on_log=log.append,
        **kwargs,  # type: ignore[arg-type]
    )
    plain = core.locate(cost, demand, capacity, **kwargs)  # type: ignore[arg-type]
    # the hooks only watch: the same plan for the same inputs and seed
    assert np.array_equal(traced.assignment, plain.assignment)
    assert traced.objective == pytest.approx(plain.objective)
    stages = [e[1] for e in events]
    # each stage reports when it ends (the full model also at each plan and bound)
    ran = list(dict.fromkeys(s for s in stages if s in traced.stage_s))
    assert ran == list(traced.stage_s)
    assert "full_model" in stages and any(line.strip() for line in log)
    times = [e[0] for e in events]
    assert times == sorted(times)
    for _, stage, incumbent, bound in events:
        if not stage.startswith("restricted"):
            # a bound of the whole problem never exceeds a plan of it
            assert bound <= traced.objective * (1 + 1e-6) + 1e-6
        assert bound <= incumbent * (1 + 1e-6) + 1e-6 or incumbent == math.inf
    assert min(e[2] for e in events) == pytest.approx(traced.objective, rel=1e-6)


@pytest.mark.parametrize(
    ("deterministic_time", "width"),
    [(None, core.WALL_CLOCK_NEAREST_SITES), (2.0, core.NEAREST_SITES)],
)
def test_facility_location_on_a_wall_clock_restricts_to_more_nearest_sites(
    monkeypatch: pytest.MonkeyPatch, deterministic_time: float | None, width: int
) -> None:
    """Each customer's 10 nearest sites trapped clustered instances 0.5 % above a
    plan the full model found; on a wall clock the restricted model keeps 20 (the
    street's deterministic solve keeps 10, and its plans)."""
    rng = np.random.default_rng(4)
    n, m = 60, 30
    pts, sites = rng.random((n, 2)), rng.random((m, 2))
    cost = np.linalg.norm(pts[:, None] - sites[None], axis=2) * 100
    demand = rng.integers(1, 6, n).astype(float)
    capacity = np.full(m, demand.sum() / 5)
    open_cost = rng.uniform(20, 60, m)
    kept: list[np.ndarray] = []
    inner = core.locate

    def spy(restricted: np.ndarray, *args: object, **kwargs: object) -> object:
        kept.append(np.isfinite(restricted).sum(axis=1))
        return inner(restricted, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core, "locate", spy)
    monkeypatch.setattr(core, "LARGE_ARCS", 0)  # as on a large instance
    # no relaxation: its fixing would take pairs out before the restricted model
    result = inner(
        cost,
        demand,
        capacity,
        open_cost=open_cost,
        time_limit_s=30.0,
        deterministic_time=deterministic_time,
        lagrange_iterations=0,
    )
    assert len(kept) == 1
    # each customer's `width` nearest, and its pair in the start plan if beyond them
    assert ((kept[0] == width) | (kept[0] == width + 1)).all()
    assert (kept[0] == width).mean() > 0.5
    assert result.bound <= result.objective + 1e-6
