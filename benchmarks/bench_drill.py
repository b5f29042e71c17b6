"""Time the drill of the demo street: 200 replications (issue target ≤ 60 s).

Run: ``.venv/bin/python benchmarks/bench_drill.py [--replications N]``. Plans the
demo first (not timed), then times the simulation alone, and a disrupted drill
with its re-plan and second simulation.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner import load_scenario
from planner.drill import build_day, parse_disruptions, simulate
from planner.drill.report import run_drill
from planner.model.modes import WALK_UP
from planner.planning.plan import SolveParams, make_plan

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=200)
    args = parser.parse_args()
    loaded = load_scenario(DEMO)
    plan = make_plan(loaded.scenario, loaded.policy, SolveParams())
    day = build_day(loaded.scenario, plan, loaded.policy)
    people = int(plan.hh_people[plan.hh_mode == WALK_UP].sum())
    t0 = time.perf_counter()
    report = simulate(day, args.replications, seed=0)
    took = time.perf_counter() - t0
    print(
        f"demo day: {len(day.sites)} sites, {people:,} walk-up people, "
        f"{len(day.teams)} door-to-door teams"
    )
    print(
        f"{args.replications} replications: {took:.1f} s "
        f"(sites {report.timings_s['sites']:.1f} s, teams and vans "
        f"{report.timings_s['teams_and_transport']:.1f} s); target ≤ 60 s"
    )
    print(
        f"  P(queue over limit) {report.street['p_queue_over_limit']:.2f}, "
        f"last sampled p95 {report.street['last_sampled_p95']}"
    )
    site = str(loaded.scenario.sites.id[int(plan.site_people.argmax())])
    ds = parse_disruptions([f"close,site={site},at=10:00"])
    t1 = time.perf_counter()
    run = run_drill(
        loaded.scenario, plan, loaded.policy, ds, replications=args.replications
    )
    took = time.perf_counter() - t1
    assert run.replan is not None and run.after is not None
    print(
        f"closing {site} at 10:00, drill + re-plan + drill again: {took:.1f} s "
        f"(re-plan {run.timings_s['replan']:.1f} s); turned away "
        f"{run.before.street['turned_away_mean']:.0f} → "
        f"{run.after.street['turned_away_mean']:.0f}, "
        f"{len(run.replan.changes)} buildings re-noticed, "
        f"{run.replan.unplaced_households} households unplaced"
    )


if __name__ == "__main__":
    main()
