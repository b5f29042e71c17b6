"""A small planned street and one simulated day of it, made once per session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from planner.closure.simulate import SimulatedDay
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario

if TYPE_CHECKING:
    from planner.planning.plan import SolveParams

DAY = dt.date(2026, 12, 7)


@dataclass(frozen=True)
class Street:
    scenario: Scenario
    policy: Policy
    plan: Plan
    street_dir: Path
    plan_dir: Path


@pytest.fixture(scope="session")
def street(
    tmp_path_factory: pytest.TempPathFactory, fast_params: SolveParams
) -> Street:
    """A 3,000-resident street with two sealed buildings, and its plan folder."""
    from planner import load_scenario
    from planner.generate import generate_street
    from planner.io.plan_folder import write_plan_folder
    from planner.io.writers import write_scenario_folder
    from planner.planning.codec import build_plan_tables
    from planner.planning.plan import make_plan

    root = tmp_path_factory.mktemp("closure")
    st = generate_street(3000, seed=5, sealed_buildings=2)
    write_scenario_folder(st.tables, st.meta, root / "street")
    loaded = load_scenario(root / "street")
    plan = make_plan(
        loaded.scenario,
        loaded.policy,
        fast_params,
    )
    write_plan_folder(build_plan_tables(plan, loaded.scenario), root / "plan")
    return Street(loaded.scenario, loaded.policy, plan, root / "street", root / "plan")


@pytest.fixture(scope="session")
def day(street: Street) -> SimulatedDay:
    from planner.closure.simulate import simulate_day

    return simulate_day(street.scenario, street.plan, street.policy, day=DAY, seed=2)
