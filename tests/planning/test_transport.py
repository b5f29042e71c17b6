"""Labs, boxes and the vehicle schedule: where every tube goes, and when."""

import math
from pathlib import Path

import numpy as np
import pytest

from planner import load_scenario
from planner.model.clock import minutes_of
from planner.planning.labs import Lab, LabQueue, street_labs
from planner.planning.plan import SolveParams, make_plan
from planner.planning.transport import plan_custody, vehicle_schedule

LABS_CSV = (
    "检测机构,经度,纬度,每小时检测管数,接收开始,接收结束,出结果小时数\n"
    "区疾控中心,114.3040,30.5830,1,08:00,20:00,5\n"
    "第三方检测公司,114.4000,30.6500,5000,,,\n"
)


def test_a_lab_takes_tubes_in_at_its_rate_while_open() -> None:
    """60 tubes an hour, 08:00–20:00: 120 tubes at 19:00 are in at 09:00 next day."""
    lab = Lab("L", math.nan, math.nan, 60.0, 8 * 60, 20 * 60, 6.0)
    q = LabQueue(lab)
    assert q.intake(19 * 60, 120, commit=False) == 24 * 60 + 9 * 60
    assert q.result(19 * 60, 120) == 24 * 60 + 15 * 60
    # the next box queues behind it
    assert q.intake(19 * 60 + 30, 60) == 24 * 60 + 10 * 60
    # a box before opening waits for it; no rate: in at once
    assert LabQueue(lab).intake(7 * 60, 30) == 8 * 60 + 30
    free = Lab("F", math.nan, math.nan, 0.0, 0, 24 * 60, 6.0)
    assert LabQueue(free).intake(9 * 60, 10_000) == 9 * 60


def test_the_labs_table_loads_with_chinese_headers(tiny_copy: Path) -> None:
    (tiny_copy / "labs.csv").write_text(LABS_CSV, encoding="utf-8")
    scenario = load_scenario(tiny_copy).scenario
    labs = scenario.labs
    assert labs is not None and list(labs.name) == ["区疾控中心", "第三方检测公司"]
    assert np.isfinite(labs.x_m).all() and labs.tubes_per_h.tolist() == [1.0, 5000.0]
    assert labs.open_min.tolist() == [480, 0] and labs.close_min.tolist() == [
        1200,
        1440,
    ]
    got = street_labs(scenario, load_scenario(tiny_copy).policy)
    assert got[0].result_h == 5.0 and got[1].result_h == 6.0  # the policy default
    # the far lab is farther: its drive from the street is longer
    x, y = float(scenario.sites.x_m[0]), float(scenario.sites.y_m[0])
    policy = load_scenario(tiny_copy).policy
    assert got[1].drive_min(x, y, policy) > got[0].drive_min(x, y, policy)


def test_without_a_labs_table_one_lab_at_the_policy_drive(tiny_dir: Path) -> None:
    loaded = load_scenario(tiny_dir)
    (lab,) = street_labs(loaded.scenario, loaded.policy)
    assert lab.name == "" and not lab.located
    assert lab.drive_min(0.0, 0.0, loaded.policy) == loaded.policy.drill.lab_drive_min
    assert lab.tubes_per_h == loaded.policy.transport.lab_tubes_per_h


@pytest.fixture(scope="module")
def tiny_with_labs(  # type: ignore[type-arg]
    tmp_path_factory: pytest.TempPathFactory, fast_params: SolveParams
) -> tuple:
    import shutil

    src = Path(__file__).resolve().parents[1] / "data" / "tiny"
    dst = tmp_path_factory.mktemp("labs") / "tiny"
    shutil.copytree(src, dst)
    (dst / "labs.csv").write_text(LABS_CSV, encoding="utf-8")
    loaded = load_scenario(dst)
    return loaded.scenario, make_plan(loaded.scenario, loaded.policy, fast_params)


def test_boxes_go_to_the_lab_that_gives_the_earliest_result(tiny_with_labs) -> None:  # type: ignore[no-untyped-def]
    """The near lab takes one tube an hour: the rounds go to the ample far one once
    the near one's queue would give a later result, every box has its result."""
    scenario, plan = tiny_with_labs
    schedule = vehicle_schedule(plan, scenario)
    used = {r["lab_name"] for v in schedule for r in v["rounds"]}
    assert "第三方检测公司" in used
    found = plan_custody(schedule, plan, scenario)
    assert found.boxes and all(np.isfinite(b.result) for b in found.boxes)
    start = plan.policy.round.start_min
    assert max(b.result for b in found.boxes) <= start + 24 * 60
    # the lab leg is the drive from the last stop to the lab chosen
    for van in schedule:
        for rnd in van["rounds"]:
            last = minutes_of(rnd["stops"][-1]["at"])
            assert minutes_of(rnd["lab"]) >= last


def test_every_team_hands_over_and_tubes_keep_the_limit(tiny_with_labs) -> None:  # type: ignore[no-untyped-def]
    scenario, plan = tiny_with_labs
    found = plan_custody(vehicle_schedule(plan, scenario), plan, scenario)
    assert found.uncollected_teams == {} and found.uncollected_sites == {}
    limit = plan.policy.transport.tube_to_lab_max_h * 60
    assert all(b.max_age <= limit for b in found.boxes)
    if plan.teams:
        assert {b.source for b in found.boxes if b.kind == "team"} == {
            t.team_id for t in plan.teams if t.households
        }
