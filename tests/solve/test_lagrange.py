"""The Lagrangian bound: valid below every optimum, strong, and its fixings sound."""

import importlib
from collections.abc import Callable

import numpy as np
import pytest

from planner.errors import PlannerError
from planner.solve.lagrange import _knapsacks, _knapsacks_01, lagrangian_bound
from planner.solve.locate import locate

lagrange_module = importlib.import_module("planner.solve.lagrange")


def _instance(n: int, m: int, seed: int) -> dict[str, np.ndarray | int]:
    """Uniform points, demands 1–20, cost = distance × demand (bench_locate's family)."""
    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    demand = rng.integers(1, 21, n).astype(float)
    dist = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    p = max(2, m // 4)
    cap = np.full(m, np.ceil(1.25 * demand.sum() / p))
    open_cost = rng.uniform(0.5, 1.5, m) * float(np.median(dist)) * demand.mean() * 3
    return {
        "cost": dist * demand[:, None],
        "demand": demand,
        "cap": cap,
        "p": p,
        "open_cost": open_cost,
    }


def _solve(inst: dict, mode: str, fixed: np.ndarray) -> tuple[float, np.ndarray]:
    kwargs = (
        {"n_open": inst["p"]} if mode == "pmedian" else {"open_cost": inst["open_cost"]}
    )
    cap = inst["cap"] if mode == "pmedian" else inst["cap"] * 0.6
    r = locate(
        inst["cost"],
        inst["demand"],
        cap,
        fixed_open=fixed,
        num_workers=2,
        lagrange_iterations=0,
        time_limit_s=60,
        **kwargs,  # type: ignore[arg-type]
    )
    assert r.status == "optimal"
    return r.objective, r.open


def _bound(inst: dict, mode: str, fixed: np.ndarray, upper: float, **kw):  # type: ignore[no-untyped-def]
    m = inst["cost"].shape[1]
    return lagrangian_bound(
        inst["cost"],
        inst["demand"],
        inst["cap"] if mode == "pmedian" else inst["cap"] * 0.6,
        open_cost=np.zeros(m) if mode == "pmedian" else inst["open_cost"],
        n_open=inst["p"] if mode == "pmedian" else None,
        fixed_open=fixed,
        upper=upper,
        **kw,
    )


def test_fractional_knapsack_by_hand() -> None:
    """Capacity 5; ratios 3, 2, 1.5 per unit: take item 0 whole, 3/4 of item 1."""
    profit = np.array([[6.0], [8.0], [3.0], [-1.0]])
    weight = np.array([2.0, 4.0, 2.0, 1.0])
    gain, x = _knapsacks(profit, weight, np.ones((4, 1), bool), np.array([5.0]))
    assert gain[0] == pytest.approx(6 + 8 * 0.75)
    assert x[:, 0].tolist() == pytest.approx([1.0, 0.75, 0.0, 0.0])


def test_knapsack_takes_everything_that_fits_and_skips_forbidden_items() -> None:
    profit = np.array([[1.0, 1.0], [2.0, 2.0]])
    allowed = np.array([[True, False], [True, True]])
    gain, x = _knapsacks(profit, np.array([1.0, 1.0]), allowed, np.array([9.0, 9.0]))
    assert gain.tolist() == [3.0, 2.0]
    assert x.tolist() == [[1.0, 0.0], [1.0, 1.0]]


@pytest.mark.parametrize("mode", ["pmedian", "cflp"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bound_is_below_the_optimum_and_within_two_percent(
    mode: str, seed: int
) -> None:
    inst = _instance(60, 8, seed)
    fixed = np.zeros(8, bool)
    fixed[seed % 8] = True
    optimum, _ = _solve(inst, mode, fixed)
    lag = _bound(inst, mode, fixed, upper=optimum * 1.05)
    assert lag.bound <= optimum + 1e-6 * optimum
    # the strong LP is known to sit within a few percent on this family; a bound
    # from wrong multipliers or a dropped constraint would be far looser
    assert lag.bound >= 0.98 * optimum


def test_bound_is_exact_without_capacities() -> None:
    """Uncapacitated, no opening costs: the optimum is each point's cheapest site."""
    rng = np.random.default_rng(7)
    cost = rng.uniform(1, 10, (40, 6))
    lag = lagrangian_bound(
        cost,
        np.ones(40),
        np.full(6, 1e9),
        open_cost=np.zeros(6),
        n_open=None,
        fixed_open=np.zeros(6, bool),
        upper=float(cost.min(axis=1).sum()) * 1.1,
    )
    assert lag.bound == pytest.approx(cost.min(axis=1).sum(), rel=1e-4)


@pytest.mark.parametrize("mode", ["pmedian", "cflp"])
@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_fixings_agree_with_the_optimal_plan(mode: str, seed: int) -> None:
    """With the optimum as the known plan, no closed site is open in it and every
    site fixed open is; and the fixings must actually happen on this family."""
    inst = _instance(60, 12, seed)
    fixed = np.zeros(12, bool)
    optimum, is_open = _solve(inst, mode, fixed)
    lag = _bound(inst, mode, fixed, upper=optimum)
    assert not (lag.closed & is_open).any()
    assert is_open[lag.opened].all()
    assert not (lag.closed & lag.opened).any()
    assert lag.closed.any() or lag.opened.any()


def test_each_group_pays_its_cost_at_least_once() -> None:
    inst = _instance(30, 6, 9)
    fixed = np.zeros(6, bool)
    groups = np.arange(30) % 3
    a = _bound(inst, "cflp", fixed, upper=1e6, iterations=1)
    b = _bound(
        inst,
        "cflp",
        fixed,
        upper=1e6 + 300,
        iterations=1,
        groups=groups,
        group_cost=100.0,
    )
    assert b.bound == pytest.approx(a.bound + 3 * 100.0)


def test_warm_start_keeps_the_bound() -> None:
    inst = _instance(80, 10, 11)
    fixed = np.zeros(10, bool)
    first = _bound(inst, "pmedian", fixed, upper=1e5, iterations=100)
    again = _bound(
        inst, "pmedian", fixed, upper=1e5, iterations=1, start=first.multipliers
    )
    assert again.bound == pytest.approx(first.bound)


def test_locate_reports_the_stronger_of_the_two_bounds() -> None:
    """On a 600 × 60 p-median cut short, CP-SAT's own LP bound is weak; the reported
    bound must be the Lagrangian one, valid and far tighter."""
    inst = _instance(600, 60, 12)
    kwargs = dict(n_open=inst["p"], time_limit_s=4, num_workers=2, seed=0)
    try:
        plain_gap = locate(  # type: ignore[arg-type]
            inst["cost"],
            inst["demand"],
            inst["cap"],
            lagrange_iterations=0,
            warm_start=False,  # the p-median has no greedy start without the relaxation
            **kwargs,
        ).gap
    except PlannerError:  # on a loaded machine plain CP-SAT may find no plan in 4 s
        plain_gap = np.inf
    # deterministic time: on a loaded machine 4 s of wall time may leave the full
    # model no time after the heuristics and the kernel
    with_lag = locate(
        inst["cost"],
        inst["demand"],
        inst["cap"],
        n_open=inst["p"],
        time_limit_s=60,
        deterministic_time=2.0,
        num_workers=2,
        seed=0,
    )
    lag = _bound(inst, "pmedian", np.zeros(60, bool), upper=with_lag.objective)
    # the solve's own rounds stepped toward other known plans' costs, so its bound
    # may differ from this fresh run's in the last digits
    assert with_lag.bound >= lag.bound - 1e-4 * lag.bound
    assert with_lag.bound <= with_lag.objective
    assert with_lag.gap < plain_gap
    assert with_lag.gap < 0.01


def _brute_knapsack(profit: np.ndarray, weight: np.ndarray, room: float) -> float:
    """The best 0-1 knapsack value by trying every subset."""
    best = 0.0
    for mask in range(1 << len(profit)):
        take = np.array([(mask >> i) & 1 for i in range(len(profit))], dtype=bool)
        if weight[take].sum() <= room + 1e-9:
            best = max(best, float(profit[take].sum()))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_01_knapsack_matches_brute_force_and_never_beats_the_fractional(
    seed: int,
) -> None:
    """Ten items, three sites, integer weights: the table's value and its chosen
    items are the best subset's; the fractional knapsack is never below it."""
    rng = np.random.default_rng(seed)
    profit = rng.normal(2.0, 3.0, (10, 3))
    weight = rng.integers(1, 9, 10).astype(float)
    allowed = rng.random((10, 3)) < 0.8
    room = np.array([12.0, 17.0, 9.0])
    exact = _knapsacks_01(profit, weight, allowed, room)
    assert exact is not None
    gain, x = exact
    frac, _ = _knapsacks(profit, weight, allowed, room)
    for j in range(3):
        items = allowed[:, j]
        want = _brute_knapsack(profit[items, j], weight[items], room[j])
        assert gain[j] == pytest.approx(want)
        chosen = x[:, j] > 0.5
        assert not (chosen & ~allowed[:, j]).any()
        assert weight[chosen].sum() <= room[j] + 1e-9
        assert profit[chosen, j].sum() == pytest.approx(want)
        assert frac[j] >= gain[j] - 1e-9


def test_01_knapsack_on_coarse_steps_stays_an_upper_bound() -> None:
    """Capacities cut into at most `KNAPSACK_STEPS` steps (weights rounded down):
    the value may rise above the exact 0-1 value, never fall below it."""
    rng = np.random.default_rng(5)
    profit = rng.uniform(0.5, 3.0, (12, 1))
    weight = rng.uniform(100.0, 900.0, 12)
    room = np.array([2_500.0])
    exact = _brute_knapsack(profit[:, 0], weight, 2_500.0)
    steps = lagrange_module.KNAPSACK_STEPS
    try:
        lagrange_module.KNAPSACK_STEPS = 10  # 250 per step: a coarse table
        result = _knapsacks_01(profit, weight, np.ones((12, 1), bool), room)
    finally:
        lagrange_module.KNAPSACK_STEPS = steps
    assert result is not None
    assert result[0][0] >= exact - 1e-9


def test_01_knapsacks_bound_a_tight_p_median_closer_to_its_optimum(
    tight: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> None:
    """tight 50-point instance of benchmarks/cpmp_instances.py (optimum 7,235.4,
    proved by HiGHS and CP-SAT): the 0-1 bound is higher than the fractional one
    and still below the optimum."""
    cost, demand, cap = tight(50, 5, 1)
    best = locate(cost, demand, cap, n_open=5, time_limit_s=60, num_workers=2)
    assert best.status == "optimal"
    kw = dict(
        open_cost=np.zeros(50),
        n_open=5,
        fixed_open=np.zeros(50, bool),
        upper=best.objective,
        iterations=300,
    )
    frac = lagrangian_bound(cost, demand, cap, **kw)  # type: ignore[arg-type]
    whole = lagrangian_bound(cost, demand, cap, integer_knapsacks=True, **kw)  # type: ignore[arg-type]
    assert frac.bound < whole.bound <= best.objective + 1e-6
    # and every fixing still agrees with the optimal plan
    assert not whole.arcs_closed[np.arange(50), best.assignment].any()
    assert not (whole.closed & best.open).any()


def test_a_table_past_the_cell_cap_falls_back_to_the_fractional_knapsack(
    monkeypatch: pytest.MonkeyPatch,
    tight: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> None:
    """Above `KNAPSACK_CELLS` the table is not built: the 0-1 call says so (None)
    and the relaxation's bound is then exactly the fractional one."""
    cost, demand, cap = tight(50, 5, 1)
    kw = dict(
        open_cost=np.zeros(50),
        n_open=5,
        fixed_open=np.zeros(50, bool),
        iterations=60,
    )
    frac = lagrangian_bound(cost, demand, cap, **kw)  # type: ignore[arg-type]
    monkeypatch.setattr(lagrange_module, "KNAPSACK_CELLS", 1)
    profit = np.full((4, 1), 5.0)
    assert (
        _knapsacks_01(profit, np.full(4, 2.0), np.ones((4, 1), bool), np.array([5.0]))
        is None
    )
    capped = lagrangian_bound(cost, demand, cap, integer_knapsacks=True, **kw)  # type: ignore[arg-type]
    assert capped.bound == pytest.approx(frac.bound)
