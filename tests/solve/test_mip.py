"""The MIP phase of capacitated p-median (HiGHS through MathOpt).

It must prove what CP-SAT cannot, find the same optima, read "infeasible under the
cutoff" as a proof that the known plan is optimal, keep the group costs, and stop
on cancel.
"""

import importlib
import math
from collections.abc import Callable

import numpy as np
import pytest
from ortools.sat.python import cp_model

from planner.solve.cancel import CancelToken, SolveCancelled
from planner.solve.locate import locate
from planner.solve.mip import solve_mip

locate_module = importlib.import_module("planner.solve.locate")

Instance = tuple[np.ndarray, np.ndarray, np.ndarray]


def _mip(
    cost: np.ndarray,
    demand: np.ndarray,
    capacity: np.ndarray,
    p: int,
    *,
    cutoff: float = math.inf,
    groups: np.ndarray | None = None,
    group_cost: int = 0,
    cancel: CancelToken | None = None,
):  # type: ignore[no-untyped-def]
    n, m = cost.shape
    ii, jj = np.nonzero(np.isfinite(cost))
    none = np.zeros(m, dtype=bool)
    return solve_mip(
        ii,
        jj,
        cost[ii, jj].astype(np.int64),
        demand.astype(np.int64),
        capacity.astype(np.int64),
        np.zeros(m, dtype=np.int64),
        n=n,
        m=m,
        n_open=p,
        fixed=none,
        closed=none,
        opened=none,
        groups=groups,
        g_int=group_cost,
        cutoff=cutoff,
        gap_limit=0.0,
        time_limit_s=60.0,
        node_limit=None,
        cancel=cancel,
    )


def _cp_sat_only(
    cost: np.ndarray, demand: np.ndarray, capacity: np.ndarray, p: int, **kw
):  # type: ignore[no-untyped-def]
    r = locate(
        cost,
        demand,
        capacity,
        n_open=p,
        time_limit_s=60,
        num_workers=2,
        mip=False,
        lagrange_iterations=0,
        **kw,
    )
    assert r.status == "optimal"
    return r


def test_the_mip_finds_the_optimum_cp_sat_proves(
    tight: Callable[..., Instance],
) -> None:
    cost, demand, capacity = tight(30, 3, 4)
    cost = np.rint(cost)  # integer costs, as the MIP gets them
    want = _cp_sat_only(cost, demand, capacity, 3)
    got = _mip(cost, demand, capacity, 3)
    assert got.objective == pytest.approx(want.objective)
    assert got.bound >= got.objective - 1.0
    assert got.assignment is not None and got.is_open is not None
    assert got.is_open.sum() == 3
    assert got.is_open[got.assignment].all()
    load = np.bincount(got.assignment, demand, minlength=30)
    assert (load <= capacity).all()
    assert cost[np.arange(30), got.assignment].sum() == pytest.approx(got.objective)


def test_infeasible_under_the_cutoff_proves_the_known_plan(
    tight: Callable[..., Instance],
) -> None:
    """Asked for a plan at least 1 cheaper than the optimum, HiGHS proves there is
    none: the bound it reports is the optimum itself."""
    cost, demand, capacity = tight(30, 3, 4)
    cost = np.rint(cost)  # integer costs, as the MIP gets them
    best = _cp_sat_only(cost, demand, capacity, 3).objective
    got = _mip(cost, demand, capacity, 3, cutoff=best - 1.0)
    assert got.assignment is None
    assert got.bound == pytest.approx(best)


def test_group_costs_count_once_per_group_and_site(
    tight: Callable[..., Instance],
) -> None:
    """Four groups of points and a cost per (group, site) pair: HiGHS and CP-SAT
    agree on the optimum, and so does the exact recount."""
    cost, demand, capacity = tight(14, 2, 7)
    cost = np.rint(cost)  # integer costs, as the MIP gets them
    groups = np.arange(14) % 4
    want = _cp_sat_only(
        cost, demand, capacity, 2, groups=groups, group_cost=400.0
    ).objective
    got = _mip(cost, demand, capacity, 2, groups=groups, group_cost=400)
    assert got.assignment is not None
    pairs = len(set(zip(groups.tolist(), got.assignment.tolist(), strict=True)))
    recount = cost[np.arange(14), got.assignment].sum() + 400 * pairs
    assert got.objective == pytest.approx(recount)
    assert got.objective == pytest.approx(want)


def test_locate_proves_a_tight_instance_through_the_mip(
    monkeypatch: pytest.MonkeyPatch, tight: Callable[..., Instance]
) -> None:
    """With CP-SAT made to find and prove nothing, p-median still ends proven
    optimal, by HiGHS; without the MIP the same run only has the known plan."""

    class NoAnswer(cp_model.CpSolver):
        def solve(self, *args: object, **kwargs: object) -> int:
            return cp_model.UNKNOWN

    cost, demand, capacity = tight(50, 5, 1)
    cost = np.rint(cost)  # integer costs, as the MIP gets them
    best = locate(cost, demand, capacity, n_open=5, time_limit_s=60, num_workers=2)
    assert best.status == "optimal"
    monkeypatch.setattr(locate_module.cp_model, "CpSolver", NoAnswer)
    proved = locate(cost, demand, capacity, n_open=5, time_limit_s=60)
    assert proved.status == "optimal"
    assert proved.objective == pytest.approx(best.objective)
    unproved = locate(cost, demand, capacity, n_open=5, time_limit_s=60, mip=False)
    assert unproved.status == "feasible"
    assert unproved.bound < best.objective


def test_cancel_stops_the_mip(tight: Callable[..., Instance]) -> None:
    token = CancelToken()
    token.cancel()
    cost, demand, capacity = tight(30, 3, 4)
    cost = np.rint(cost)  # integer costs, as the MIP gets them
    with pytest.raises(SolveCancelled):
        _mip(cost, demand, capacity, 3, cancel=token)


@pytest.mark.parametrize("max_open", [None, 3])
def test_facility_location_pays_the_opening_costs_and_keeps_the_cap(
    max_open: int | None,
) -> None:
    rng = np.random.default_rng(11)
    n, m = 24, 6
    pts, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    cost = np.rint(np.linalg.norm(pts[:, None] - sites[None], axis=2) * 10)
    demand = rng.integers(1, 10, n).astype(float)
    capacity = np.full(m, np.ceil(demand.sum() / 2.5))
    open_cost = rng.integers(300, 900, m).astype(float)
    ii, jj = np.nonzero(np.isfinite(cost))
    none = np.zeros(m, dtype=bool)
    out = solve_mip(
        ii,
        jj,
        cost[ii, jj].astype(np.int64),
        demand.astype(np.int64),
        capacity.astype(np.int64),
        open_cost.astype(np.int64),
        n=n,
        m=m,
        n_open=None,
        max_open=max_open,
        fixed=none,
        closed=none,
        opened=none,
        groups=None,
        g_int=0,
        cutoff=math.inf,
        gap_limit=0.0,
        time_limit_s=60.0,
        node_limit=None,
    )
    exact = _cp_sat_fl(cost, demand, capacity, open_cost, max_open)
    assert out.assignment is not None and out.is_open is not None
    assert out.objective == pytest.approx(exact.objective)
    assert out.bound == pytest.approx(exact.objective, abs=1.0)
    # its sites pay their opening cost and hold their points
    assert out.is_open[out.assignment].all()
    paid = cost[np.arange(n), out.assignment].sum() + open_cost[out.is_open].sum()
    assert paid == pytest.approx(out.objective)
    load = np.bincount(out.assignment, demand, minlength=m)
    assert (load <= capacity).all()
    if max_open is not None:
        assert out.is_open.sum() <= max_open


def _cp_sat_fl(
    cost: np.ndarray,
    demand: np.ndarray,
    capacity: np.ndarray,
    open_cost: np.ndarray,
    max_open: int | None,
):  # type: ignore[no-untyped-def]
    r = locate(
        cost,
        demand,
        capacity,
        open_cost=open_cost,
        max_open=max_open,
        time_limit_s=60,
        num_workers=2,
        lagrange_iterations=0,
    )
    assert r.status == "optimal"
    return r
