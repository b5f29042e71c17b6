"""Drills: the simulator against queueing theory and SimPy, disruptions, re-planning."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import load_scenario
from planner.cli import main
from planner.drill import build_day, parse_disruptions, simulate
from planner.drill.desks import DeskSetup, serve_fcfs, serve_many
from planner.drill.reference import simulate_site_simpy
from planner.drill.replan import replan
from planner.drill.report import run_drill, summary_lines
from planner.drill.simulate import DrillReport
from planner.errors import InputError
from planner.generate import generate_street
from planner.io.plan_folder import read_plan_folder
from planner.io.writers import write_scenario_folder
from planner.model.modes import HOME_VISIT, UNASSIGNED, WALK_UP
from planner.planning.codec import plan_from_tables
from planner.planning.plan import SolveParams, make_plan
from planner.solve.queueing import mean_wait_min

OPTIMISTIC = {
    "sampling.sampler_rate_per_h": 120.0,
    "sampling.single_tube_rate_per_h": 80.0,
}


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 5,000-resident street with a sampler reserve beyond what a plan needs."""
    st = generate_street(5000, seed=3)
    staff = st.tables["staff"]
    extra = staff[staff["role"] == "sampler"].head(30).copy()
    extra["staff_id"] = [f"X{i:03d}" for i in range(len(extra))]
    tables = dict(st.tables)
    tables["staff"] = pd.concat([staff, extra], ignore_index=True)
    out = tmp_path_factory.mktemp("drill") / "street"
    write_scenario_folder(tables, st.meta, out)
    return out


@pytest.fixture(scope="module")
def planned(street: Path, fast_params: SolveParams):  # type: ignore[no-untyped-def]
    loaded = load_scenario(street)
    return loaded, make_plan(loaded.scenario, loaded.policy, fast_params)


def test_fast_desks_serve_exactly_like_a_simpy_resource() -> None:
    """The vectorised queue gives every person the same start as SimPy's Resource."""
    rng = np.random.default_rng(4)
    n, reps, desks = 400, 3, 3
    arrive = np.sort(480 + rng.uniform(-10, 120, (reps, n)), axis=1)
    arrive[:, 50:53] = arrive[:, 50:51]  # a household arriving together
    service = rng.lognormal(0.0, 0.5, (reps, n))
    fast = serve_fcfs(
        arrive, service, np.zeros((reps, n), dtype=bool), DeskSetup(desks, 480.0)
    )
    for r in range(reps):
        ref = simulate_site_simpy(arrive[r], service[r], desks, open_min=480.0)
        np.testing.assert_allclose(fast.start[r], ref, atol=1e-9)


def test_sites_served_together_are_served_as_alone() -> None:
    """serve_many (sites of different sizes, stops, a slow spell, no desks, pooled
    tubes) gives every site exactly what serve_fcfs gives it alone."""
    rng = np.random.default_rng(7)
    blocks = []
    for n, desks, stops, slow in (
        (300, 3, 0, 1.0),
        (40, 1, 1, 1.0),
        (900, 5, 2, 0.7),
        (120, 0, 0, 1.0),
        (500, 2, 1, 1.0),
    ):
        arrive = np.sort(480 + rng.uniform(0, 300, (4, n)), axis=1)
        arrive[1, n // 2 :] = np.inf  # a replication where half never come
        service = rng.lognormal(0.0, 0.4, (4, n))
        pooled = rng.random((4, n)) < 0.8
        down = np.sort(rng.uniform(500, 700, (max(desks, 1), stops)), axis=1)
        setup = DeskSetup(
            desks,
            480.0,
            780.0,
            down[:desks] if stops else None,
            down[:desks] + 15 if stops else None,
            slow_from=600.0 if slow < 1 else float("inf"),
            slow_to=660.0 if slow < 1 else float("inf"),
            slow_factor=slow,
        )
        blocks.append((arrive, service, pooled, setup))
    together = serve_many(blocks)
    for block, got in zip(blocks, together, strict=True):
        alone = serve_fcfs(*block)
        for field in ("start", "end", "desk", "tube_closed", "open_tubes_end"):
            np.testing.assert_array_equal(getattr(got, field), getattr(alone, field))


def test_steady_queue_matches_erlang_c_within_sampling_error() -> None:
    """M/M/c with c=4 at 85 % load: the simulated mean wait brackets Erlang C."""
    rng = np.random.default_rng(11)
    reps, n, warm = 60, 6000, 1000
    desks, mu, lam = 4, 1.0, 3.4
    arrive = np.cumsum(rng.exponential(1 / lam, (reps, n)), axis=1)
    service = rng.exponential(1 / mu, (reps, n))
    served = serve_fcfs(
        arrive, service, np.zeros((reps, n), dtype=bool), DeskSetup(desks, 0.0)
    )
    per_rep = (served.start - arrive)[:, warm:].mean(axis=1)
    mean, se = per_rep.mean(), per_rep.std(ddof=1) / np.sqrt(reps)
    theory = mean_wait_min(desks, lam, mu)
    assert theory == pytest.approx(1.149, abs=0.01)
    assert abs(mean - theory) < 3 * se, (mean, theory, se)
    # and the wait grows as theory says when the load rises
    lam2 = 3.0
    arrive2 = np.cumsum(rng.exponential(1 / lam2, (reps, n)), axis=1)
    served2 = serve_fcfs(
        arrive2, service, np.zeros((reps, n), dtype=bool), DeskSetup(desks, 0.0)
    )
    mean2 = (served2.start - arrive2)[:, warm:].mean()
    assert mean2 < mean
    assert mean2 == pytest.approx(mean_wait_min(desks, lam2, mu), rel=0.15)


def test_same_seed_same_report_other_seed_differs(planned) -> None:  # type: ignore[no-untyped-def]
    loaded, plan = planned
    day = build_day(loaded.scenario, plan, loaded.policy)
    a, b = simulate(day, 20, seed=5), simulate(day, 20, seed=5)
    c = simulate(day, 20, seed=6)
    assert a.street == b.street
    for name in ("sites", "slots", "teams", "transport"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.slots.equals(c.slots)


def test_a_sound_plan_keeps_its_queues(planned) -> None:  # type: ignore[no-untyped-def]
    """The planner's own plan, drilled under its own policy, rarely breaks the limit."""
    loaded, plan = planned
    report = simulate(build_day(loaded.scenario, plan, loaded.policy), 40, seed=1)
    assert report.street["p_queue_over_limit"] <= 0.1
    assert report.street["turned_away_mean"] == 0
    people = int(plan.hh_people[plan.hh_mode == WALK_UP].sum())
    arrived = report.sites["arrivals_mean"].sum()
    # everyone booked comes but the no-shows (3 %)
    assert arrived == pytest.approx(people * 0.97, rel=0.02)
    slots = report.slots
    assert (slots["wait_p50_min"] <= slots["wait_p95_min"] + 1e-9).all()
    assert (slots["wait_p95_min"] <= slots["wait_max_min"] + 1e-9).all()
    assert np.allclose(slots["queue_m_p95"], slots["queue_people_p95"] * 1.0)


def test_an_overloaded_plan_breaks_the_limit_and_the_replan_fixes_it(
    street: Path, fast_params: SolveParams
) -> None:
    """Planned at twice the real swab rate, the queues overflow; re-planned, they hold."""
    loaded = load_scenario(street)
    optimistic = loaded.policy.with_values(**OPTIMISTIC)
    plan = make_plan(loaded.scenario, optimistic, fast_params)
    run = run_drill(loaded.scenario, plan, loaded.policy, replications=40, seed=1)
    assert run.before.street["p_queue_over_limit"] >= 0.9
    assert run.replan is not None and run.after is not None
    assert run.after.street["p_queue_over_limit"] <= 0.1
    assert run.replan.unplaced_households == 0
    assert sum(run.replan.desks_added.values()) > 0
    assert run.after.street["desks_staffed"] > run.before.street["desks_staffed"]
    # the summary names the added desks in the reader's language
    added = [f"{k} +{v}" for k, v in run.replan.desks_added.items()]
    assert len(added) > 1
    assert "、".join(added) in "\n".join(summary_lines(run, "zh"))
    english = "\n".join(summary_lines(run, "en"))
    assert ", ".join(added) in english and "、" not in english


@pytest.mark.parametrize(
    "spec",
    [
        "close,site={site},at=10:00",
        "seal,building={building},at=10:30",
        "rain,from=09:00,to=11:00,factor=0.5",
        "surge,from=09:00,to=10:00,share=0.6",
        "no_show,share=0.2",
    ],
)
def test_replan_never_loses_or_duplicates_a_household(planned, spec: str) -> None:  # type: ignore[no-untyped-def]
    loaded, plan = planned
    s = loaded.scenario
    site = str(s.sites.id[np.flatnonzero(plan.site_open)[0]])
    walk_b = s.households.building[plan.hh_mode == WALK_UP]
    building = str(s.buildings.id[int(np.bincount(walk_b).argmax())])
    ds = parse_disruptions([spec.format(site=site, building=building)])
    day = build_day(s, plan, loaded.policy, ds, seed=2)
    r = replan(s, plan, loaded.policy, ds, desks_lost=day.desks_lost)
    new = r.plan
    n = len(s.households)
    assert len(new.hh_mode) == n and new.hh_people.sum() == plan.hh_people.sum()
    walk = new.hh_mode == WALK_UP
    assert (new.hh_site[walk] >= 0).all() and (new.hh_slot[walk] >= 0).all()
    assert (new.hh_site[~walk] == -1).all()
    assert all(new.unassigned_reason[new.hh_mode == UNASSIGNED])
    visited = [hh for t in new.teams for hh in t.households]
    assert len(visited) == len(set(visited))
    assert set(visited) == set(np.flatnonzero(new.hh_mode == HOME_VISIT).tolist())
    # households whose slot started before the change reached them are untouched
    k0 = int(np.searchsorted(new.slots.start_min, r.effective_min))
    early = (plan.hh_mode == WALK_UP) & (plan.hh_slot < k0)
    if spec.startswith(("rain", "surge", "no_show")):
        assert np.array_equal(new.hh_site[early], plan.hh_site[early])
        assert np.array_equal(new.hh_slot[early], plan.hh_slot[early])
    # every changed household is in a building listed for new notices
    changed = (
        (new.hh_site != plan.hh_site)
        | (new.hh_slot != plan.hh_slot)
        | (new.hh_mode != plan.hh_mode)
    )
    listed = set(r.changes["building_id"])
    assert {str(x) for x in s.buildings.id[s.households.building[changed]]} == listed
    assert int(r.changes["households"].sum()) == int(changed.sum())
    if spec.startswith("close"):
        closed = np.flatnonzero(s.sites.id == site)[0]
        late = walk & (new.hh_site == closed)
        assert (new.slots.start_min[new.hh_slot[late]] < 10 * 60).all()
    if spec.startswith("seal"):
        b = np.flatnonzero(s.buildings.id == building)[0]
        inside = s.households.building == b
        assert (new.hh_mode[inside & (plan.hh_slot >= k0)] != WALK_UP).all()
        assert set(r.changes["reason"]) == {"sealed"}


def test_closure_turns_people_away_and_the_replan_sends_them_elsewhere(planned) -> None:  # type: ignore[no-untyped-def]
    loaded, plan = planned
    s = loaded.scenario
    site = str(s.sites.id[np.argmax(plan.site_people)])
    ds = parse_disruptions([f"关闭,site={site},at=09:30"])
    run = run_drill(s, plan, loaded.policy, ds, replications=20, seed=3)
    assert run.before.street["turned_away_mean"] > 100
    assert run.after is not None and run.replan is not None
    # only late-comers of earlier slots still find the site shut
    assert (
        run.after.street["turned_away_mean"]
        < 0.1 * run.before.street["turned_away_mean"]
    )
    assert (run.replan.changes["reason"] == "site_closed").any()


def test_disruption_specs_report_every_problem_at_once() -> None:
    with pytest.raises(InputError) as info:
        parse_disruptions(
            [
                "flood,at=10:00",
                "close,site=S1",
                "rain,from=11:00,to=10:00",
                "no_show,share=1.5",
                "seal,building=B1,at=noon",
                "surge,from=09:00,to=10:00,colour=red",
            ]
        )
    codes = [i.code for i in info.value.issues]
    assert codes == [
        "disrupt_kind",
        "disrupt_missing",
        "disrupt_order",
        "disrupt_share",
        "disrupt_time",
        "disrupt_key",
    ]
    assert all(i.file == "--disrupt" for i in info.value.issues)
    ok = parse_disruptions(["降雨,from=09:00,to=10:00", "surge,from=9:00,to=10:00"])
    assert ok[0].rate_factor == 0.7 and ok[1].share == 0.3  # type: ignore[union-attr]


def test_cli_drill_writes_the_report_and_a_replan_that_reads_back(
    street: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_dir, out = tmp_path / "plan", tmp_path / "drill"
    assert main(["plan", str(street), "--out", str(plan_dir), "--no-export"]) == 0
    files = read_plan_folder(plan_dir)
    site = files.sites.loc[files.sites["open"], "site_id"].iloc[0]
    capsys.readouterr()
    code = main(
        [
            "drill",
            str(street),
            str(plan_dir),
            "--replications",
            "10",
            "--disrupt",
            f"close,site={site},at=10:00",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "演练报告" in text and f"采样点 {site} 于 10:00 关闭" in text
    report = json.loads((out / "drill.json").read_text(encoding="utf-8"))
    assert report["before"]["replications"] == 10
    assert report["replan"]["buildings_changed"] == len(
        pd.read_csv(out / "replan_changes.csv")
    )
    for name in ("drill_sites", "drill_slots", "after_slots", "drill_teams"):
        assert (out / f"{name}.csv").is_file()
    assert "重新规划后" in (out / "summary_zh.md").read_text(encoding="utf-8")
    # the re-plan is a plan folder like any other: every household once
    loaded = load_scenario(street)
    again = plan_from_tables(loaded.scenario, read_plan_folder(out / "replan"))
    ids = pd.read_csv(out / "replan" / "assignments.csv", dtype=str)["household_id"]
    assert ids.is_unique and len(ids) == len(loaded.scenario.households)
    assert (again.hh_site[again.hh_mode == WALK_UP] != -1).all()


def test_cli_drill_bad_input_is_reported_not_raised(
    street: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "drill",
            str(street),
            str(tmp_path / "nowhere"),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2
    assert "找不到方案文件夹" in capsys.readouterr().err


def _bare_report(**street: object) -> DrillReport:
    figures = {
        "window": "08:00-14:00",
        "p_finish_in_window": 1.0,
        "turned_away_mean": 0.0,
        "sealed_not_sampled_mean": 0.0,
        "desks_lost": {},
        **street,
    }
    return DrillReport(
        street=figures,
        sites=pd.DataFrame(
            columns=[
                "site_id",
                "p_over_limit",
                "wait_p95_min",
                "queue_m_p95",
                "last_sampled_p95",
            ]
        ),
        slots=pd.DataFrame(),
        teams=pd.DataFrame(columns=["p_finish_in_window", "max_late_min_mean"]),
        transport=pd.DataFrame(columns=["p_pickup_late"]),
    )


def test_advice_agrees_with_the_figures() -> None:
    from planner.drill.report import _advice, _unplaced_advice

    calm = _advice(_bare_report(), "zh")
    assert calm == ["- 未发现需要调整之处"]
    failing = _advice(
        _bare_report(p_finish_in_window=0.0, turned_away_mean=1508.6), "zh"
    )
    text = "\n".join(failing)
    assert "未发现需要调整之处" not in text
    assert "按时采完的概率只有 0%（目标 90%）" in text
    assert "平均 1,509 人到点后未能采样" in text  # whole people
    assert "." not in text.replace("…", "")  # no fractional people anywhere
    unplaced = "\n".join(_unplaced_advice(128, "zh"))
    assert "128 户无处安排" in unplaced and "上门采样组" in unplaced
    assert _unplaced_advice(0, "zh") == []


def test_door_to_door_tubes_reach_the_lab_in_time_and_a_dropped_team_does_not(
    planned,  # type: ignore[no-untyped-def]
) -> None:
    """The drill plays the plan's hand-overs: every door-to-door tube at the lab
    within the limit; with a team's hand-overs taken out, its tubes never arrive."""
    import dataclasses

    loaded, plan = planned
    day = build_day(loaded.scenario, plan, loaded.policy)
    assert day.teams
    report = simulate(day, 20, seed=3)
    s = report.street
    assert s["tubes_in_time_p"] >= 0.9
    assert s["door_to_door_tube_max_min"] <= s["tube_to_lab_limit_h"] * 60
    assert 0 < s["door_to_door_tube_mean_min"] <= s["door_to_door_tube_max_min"]
    assert s["door_to_door_households_missed_mean"] == 0
    team = day.teams[0].team_id

    def without(stop: dict) -> dict:  # type: ignore[type-arg]
        stop = {
            **stop,
            "teams": [h for h in stop.get("teams", []) if h["team_id"] != team],
        }
        return stop

    dropped = tuple(
        {
            **v,
            "rounds": [
                {
                    **r,
                    "stops": [
                        without(x) for x in r["stops"] if x.get("team_id") != team
                    ],
                }
                for r in v["rounds"]
            ],
        }
        for v in day.transport
    )
    bad = simulate(dataclasses.replace(day, transport=dropped), 20, seed=3).street
    assert bad["tubes_in_time_p"] == 0.0
    assert bad["door_to_door_households_missed_mean"] == len(day.teams[0].households)


def _late_team_day(day, where: str):  # type: ignore[no-untyped-def]
    """`day` with one team held up (no sampler) for 150 min: in the `middle` of its
    route, just before a hand-over at a door, or at its `end`, before its last
    visit. A street whose teams hand over through runners at sites gets the middle
    hand-over moved to the team's door (the van's stop the team must be at)."""
    import dataclasses

    team_ix = {team.team_id: t for t, team in enumerate(day.teams)}

    def ok(h: dict) -> bool:  # type: ignore[type-arg]
        t = team_ix.get(str(h.get("team_id", "")))
        if t is None or h.get("depot"):
            return False
        n = len(day.teams[t].households)
        upto = int(h["upto"])
        return 1 <= upto < n if where == "middle" else n >= 2 and upto == n

    chosen = None
    for v, van in enumerate(day.transport):
        for k, rnd in enumerate(van["rounds"]):
            for q, stop in enumerate(rnd["stops"]):
                for h in [stop, *stop.get("teams", [])]:
                    if chosen is None and ok(h):
                        chosen = (v, k, q, h)
    assert chosen is not None, f"no team with a {where} hand-over"
    v, k, q, h = chosen
    t = team_ix[str(h["team_id"])]
    transport = day.transport
    if where == "middle" and h not in transport[v]["rounds"][k]["stops"]:
        # the runner's box becomes a hand-over at the team's door
        rnd = transport[v]["rounds"][k]
        stop = rnd["stops"][q]
        moved = {**stop, "teams": [x for x in stop["teams"] if x is not h]}
        door = {"team_id": h["team_id"], "place": "door", "upto": h["upto"]}
        door["at"] = stop["at"]
        stops = [*rnd["stops"][:q], moved, *rnd["stops"][q + 1 :], door]
        rounds = list(transport[v]["rounds"])
        rounds[k] = {**rnd, "stops": stops}
        transport = tuple(
            {**x, "rounds": rounds} if i == v else x for i, x in enumerate(transport)
        )
    team = day.teams[t]
    e = team.earliest_min
    # held at the stop before the hand-over, or before its last visit
    i = int(h["upto"]) - 1 if where == "middle" else len(e) - 1
    held = dataclasses.replace(team, idle=((float(e[i]) - 1.0, float(e[i]) + 150.0),))
    teams = tuple(held if x == t else y for x, y in enumerate(day.teams))
    return dataclasses.replace(day, teams=teams, transport=transport), team.team_id


@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_team_running_late_does_not_age_the_vans_tubes(
    planned,  # type: ignore[no-untyped-def]
    where: str,
) -> None:
    """A team held up for 150 min: the van meets it where it is rather than wait at
    the door with the tubes on board, waits at most ``van_wait_max_min`` at its last
    hand-over and comes back for the rest; every tube still reaches the lab within
    the limit and none is left behind. (A van that waits for the team holds every
    tube on board until it comes: tubes late.)"""
    loaded, plan = planned
    day = build_day(loaded.scenario, plan, loaded.policy)
    late_day, team_id = _late_team_day(day, where)
    s = simulate(late_day, 10, seed=3).street
    assert s["door_to_door_households_missed_mean"] == 0
    assert s["tubes_in_time_p"] == 1.0, (team_id, s["door_to_door_tube_max_min"])
    assert s["door_to_door_tube_max_min"] <= s["tube_to_lab_limit_h"] * 60


def test_a_route_has_the_vehicles_its_hourly_rounds_need(
    planned,  # type: ignore[no-untyped-def]
) -> None:
    """A round takes its vehicle to the lab and back (30 min each way without a
    labs table), longer than the hour between rounds: the route's rounds go to
    its vehicles in turn, none leaves before it is back, the sites are called
    every hour, and the street's transport crew is two per vehicle on duty."""
    from planner.model.clock import minutes_of
    from planner.planning.staffing import staff_requirements
    from planner.planning.transport import vehicle_schedule

    loaded, plan = planned
    schedule = vehicle_schedule(plan, loaded.scenario)
    period = plan.policy.drill.van_round_min
    routes = [van for van in schedule if van["sites"]]
    assert routes
    for van in routes:
        back: dict[int, float] = {}
        departs = []
        for rnd in van["rounds"]:
            vehicle = int(rnd["vehicle"])
            assert 1 <= vehicle <= van["vehicles"]
            depart = float(minutes_of(rnd["depart"]))
            assert depart >= back.get(vehicle, -1.0), van["van_id"]
            lab_drive = minutes_of(rnd["lab"]) - minutes_of(rnd["stops"][-1]["at"])
            assert minutes_of(rnd["back"]) - minutes_of(rnd["lab"]) >= lab_drive - 10
            back[vehicle] = float(minutes_of(rnd["back"]))
            departs.append(depart)
        assert all(b - a <= period for a, b in itertools.pairwise(departs))
        if len(van["rounds"]) > 2:
            assert van["vehicles"] >= 2  # an 80-min cycle, a round an hour
    need = staff_requirements(plan, loaded.scenario)
    crew = need[need["site_id"] == "TRANSPORT"]
    for row in crew.itertuples():
        lo, hi = minutes_of(row.shift_start), minutes_of(row.shift_end)
        on_duty = {
            (van["van_id"], rnd["vehicle"])
            for van in schedule
            for rnd in van["rounds"]
            if minutes_of(rnd["depart"]) < hi and minutes_of(rnd["back"]) > lo
        }
        assert row.needed == 2 * len(on_duty)
