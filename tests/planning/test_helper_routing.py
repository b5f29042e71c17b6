"""Door-to-door routing lent to a second process: the same teams, wherever routed."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from planner import load_scenario
from planner.model.result import Plan
from planner.planning.plan import SolveParams, SolveRuntime, make_plan

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _teams(plan: Plan) -> list[tuple[object, ...]]:
    return [
        (t.team_id, t.depot_site, t.households, t.arrive_min, t.finish_min)
        for t in plan.teams
    ]


@pytest.mark.slow
def test_a_helper_process_routes_the_same_teams_as_this_one() -> None:
    loaded = load_scenario(DEMO)
    params = SolveParams(time_limit_s=20.0, num_workers=1)
    alone = make_plan(loaded.scenario, loaded.policy, params)
    assert len({t.team_id[:6] for t in alone.teams}) > 2  # several communities to split

    helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        lent = make_plan(
            loaded.scenario,
            loaded.policy,
            params,
            runtime=SolveRuntime(helper=helper),
        )
    finally:
        helper.shutdown()
    assert _teams(lent) == _teams(alone)
    assert (lent.hh_mode == alone.hh_mode).all()

    # a helper that can take no job leaves every routing to this process
    gone = make_plan(
        loaded.scenario, loaded.policy, params, runtime=SolveRuntime(helper=helper)
    )
    assert _teams(gone) == _teams(alone)


@pytest.mark.slow
def test_routings_start_in_the_helper_before_the_sites_are_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Queued when the plan starts, the routings are the helper's while this process
    chooses the sites; finish() then routes nothing here."""
    import os

    import numpy as np

    from planner.planning import plan as plan_module
    from planner.planning.demand import household_demand
    from planner.shared_jobs import SharedJobs

    loaded = load_scenario(DEMO)
    s, p = loaded.scenario, loaded.policy
    home = household_demand(s, p).home_visit
    alone = plan_module.HomeVisitRouting.start(
        s, p, home, SolveParams(), SolveRuntime()
    ).finish(s, SolveRuntime())
    helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        runtime = SolveRuntime(helper=helper)
        started = plan_module.HomeVisitRouting.start(s, p, home, SolveParams(), runtime)
        assert len(started.cut) > 2
        # the helper's queue runs in order: once this returns, every routing has run
        assert helper.submit(os.getpid).result() != os.getpid()

        def here(*_: object) -> None:
            raise AssertionError("a job run in this process")

        monkeypatch.setattr(SharedJobs, "_run_here", here)
        teams, dropped = started.finish(s, runtime)
    finally:
        helper.shutdown()
    assert [t.households for t in teams] == [t.households for t in alone[0]]
    assert [t.team_id for t in teams] == [t.team_id for t in alone[0]]
    assert np.array_equal(dropped, alone[1])
