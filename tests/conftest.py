"""Fixtures every test folder shares: the tiny street, fast solver settings, one round."""

import shutil
from pathlib import Path

import pytest

from planner import load_scenario
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.run import RoundResult, round_tables, run_round

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    """Tiny street: 2 communities, 3 grids, 4 buildings, 12 households, 24 people, 2 sites."""
    return DATA / "tiny"


@pytest.fixture
def tiny_copy(tmp_path: Path, tiny_dir: Path) -> Path:
    """A writable copy of the tiny street, for deliberately breaking it."""
    dst = tmp_path / "tiny"
    shutil.copytree(tiny_dir, dst)
    return dst


@pytest.fixture(scope="session")
def fast_params() -> SolveParams:
    """Solver settings for tests: one worker, short limits (results may vary with load,
    so tests assert what holds for any feasible plan, not an objective value)."""
    return SolveParams(time_limit_s=10.0, num_workers=1, route_time_limit_s=2.0)


@pytest.fixture(scope="session")
def deterministic_params() -> SolveParams:
    """Solver settings for tests whose plan must not depend on the machine's load: a
    deterministic-time budget of 1 decides where the location search stops."""
    return SolveParams(
        time_limit_s=10.0, deterministic_time=1.0, route_time_limit_s=2.0
    )


@pytest.fixture(scope="session")
def tiny_round(
    tiny_dir: Path, fast_params: SolveParams
) -> tuple[Scenario, RoundResult, PlanTables]:
    """The tiny street's whole round (plan, staff, supplies) and its tables, made once."""
    loaded = load_scenario(tiny_dir)
    result = run_round(loaded.scenario, loaded.policy, fast_params)
    return loaded.scenario, result, round_tables(result, loaded.scenario)
