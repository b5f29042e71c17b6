"""Property: every plan of a random small street passes every rule, or the planner says why."""

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import InfeasibleError, Policy, load_scenario
from planner.generate import generate_street
from planner.io.plan_folder import read_plan_folder, write_plan_folder
from planner.io.writers import write_scenario_folder
from planner.planning.codec import build_plan_tables
from planner.planning.plan import SolveParams, make_plan
from planner.rules.plan import check_plan
from planner.text import error_text


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # CI runs the same examples every time
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    residents=st.integers(150, 1500),
    seed=st.integers(0, 10_000),
    window_hours=st.sampled_from([1.0, 2.0, 6.0]),
    walk_min=st.sampled_from([3.0, 8.0, 15.0]),
    heat=st.booleans(),
)
def test_plans_pass_check_or_explain(
    residents: int,
    seed: int,
    window_hours: float,
    walk_min: float,
    heat: bool,
    deterministic_params: SolveParams,
) -> None:
    street = generate_street(residents, seed=seed, sealed_buildings=seed % 2)
    policy = Policy().with_values(
        **{
            "round.window_hours": window_hours,
            "walking.walk_limit_min": walk_min,
            "heat.enabled": heat,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "street"
        write_scenario_folder(street.tables, street.meta, folder)
        scenario = load_scenario(folder).scenario
        try:
            plan = make_plan(scenario, policy, deterministic_params)
        except InfeasibleError as exc:
            # the pre-solve check explains it with numbers
            assert "采样台" in error_text(exc, "zh")
            assert "hours" in error_text(exc, "en")
            return
        write_plan_folder(build_plan_tables(plan, scenario), Path(tmp) / "plan")
        files = read_plan_folder(Path(tmp) / "plan")
    assert check_plan(scenario, policy, files) == []
    # and the validators can fail on this very plan: a household dropped, or sent to
    # a slot outside the window, is caught
    dropped = dataclasses.replace(files, assignments=files.assignments.iloc[1:])
    assert {v.rule for v in check_plan(scenario, policy, dropped)} >= {"household_once"}
    walk = files.assignments.index[files.assignments["mode"] == "walk_up"]
    if len(walk):
        moved = files.assignments.copy()
        moved.loc[walk[0], "slot_start"] = "03:00"
        broken = dataclasses.replace(files, assignments=moved)
        assert "slot_window" in {v.rule for v in check_plan(scenario, policy, broken)}
    # nobody is lost: each household walks up, is visited, or is listed with a reason
    assert len(files.assignments) == len(scenario.households)
    unassigned = files.assignments["mode"] == "unassigned"
    assert set(files.unassigned["household_id"]) == set(
        files.assignments.loc[unassigned, "household_id"]
    )
