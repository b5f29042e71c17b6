"""Cancelling a running solve from another thread."""

import dataclasses
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Instance
from ortools.sat.python import cp_model

from planner import load_scenario
from planner.planning.plan import SolveParams, SolveRuntime, make_plan
from planner.solve.cancel import CancelToken, SolveCancelled
from planner.solve.locate import locate

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def test_cancel_stops_a_long_solve_quickly(tight: Callable[..., Instance]) -> None:
    """A solve given a minute (400 tight points: nobody proves them in one) is stopped
    within seconds of a cancel that comes early, before any search has started."""
    cost, demand, capacity = tight(400, 40, 1)
    token = CancelToken()
    timer = threading.Timer(1.0, token.cancel)
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(SolveCancelled):
        locate(cost, demand, capacity, n_open=40, time_limit_s=60.0, cancel=token)
    assert time.perf_counter() - t0 < 15.0
    assert token.cancelled


class _CancelOnFirstSearch(CancelToken):
    """Cancels the moment the planner hands it its first solver (mid-plan)."""

    def register(self, solver: Any) -> None:
        self.cancel()
        super().register(solver)


def test_cancel_during_a_plan_gives_no_plan() -> None:
    """A cancel that arrives while the street's plan is being searched ends the plan
    with SolveCancelled, never with a plan (whatever the machine's speed)."""
    loaded = load_scenario(DEMO)
    token = _CancelOnFirstSearch()
    with pytest.raises(SolveCancelled):
        make_plan(
            loaded.scenario,
            loaded.policy,
            SolveParams(),
            runtime=SolveRuntime(cancel=token),
        )
    assert token.cancelled


def test_a_cancelled_token_refuses_a_new_search() -> None:
    """A CP-SAT solver ignores stop_search until it searches: register must refuse."""
    token = CancelToken()
    token.cancel()
    with pytest.raises(SolveCancelled):
        token.register(cp_model.CpSolver())


def test_cancel_before_start_raises_at_once(tiny_dir: Path) -> None:
    token = CancelToken()
    token.cancel()
    loaded = load_scenario(tiny_dir)
    with pytest.raises(SolveCancelled):
        make_plan(
            loaded.scenario,
            loaded.policy,
            SolveParams(),
            runtime=SolveRuntime(cancel=token),
        )


def test_the_runtime_is_apart_from_the_settings() -> None:
    """Settings are frozen, hashable data; the token and the helper travel beside them."""
    names = {f.name for f in dataclasses.fields(SolveParams)}
    assert not names & {"cancel", "helper"}
    assert hash(SolveParams(seed=3)) == hash(SolveParams(seed=3))
    token = CancelToken()
    runtime = SolveRuntime(cancel=token)
    runtime.check()  # not cancelled: nothing happens
    token.cancel()
    with pytest.raises(SolveCancelled):
        runtime.check()
    SolveRuntime().check()  # without a token there is nothing to cancel
