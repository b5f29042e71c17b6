"""Cancelling a running solve from another thread."""

import threading
import time
from pathlib import Path

import pytest

from planner import load_scenario
from planner.planning.plan import SolveParams, make_plan
from planner.solve.cancel import CancelToken, SolveCancelled

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def test_cancel_stops_a_long_solve_quickly() -> None:
    """A solve given a minute is stopped within seconds of the cancel, with no plan."""
    loaded = load_scenario(DEMO)
    token = CancelToken()
    params = SolveParams(
        time_limit_s=60.0, deterministic_time=None, gap_limit=0.0, cancel=token
    )
    timer = threading.Timer(1.0, token.cancel)
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(SolveCancelled):
        make_plan(
            loaded.scenario,
            loaded.policy.with_values(**{"objective.site_cost": 700.0}),
            params,
        )
    assert time.perf_counter() - t0 < 15.0
    assert token.cancelled


def test_cancel_before_start_raises_at_once(tiny_dir: Path) -> None:
    token = CancelToken()
    token.cancel()
    loaded = load_scenario(tiny_dir)
    with pytest.raises(SolveCancelled):
        make_plan(loaded.scenario, loaded.policy, SolveParams(cancel=token))
