"""A re-plan from reported progress: a new version that keeps every household once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from ops_clock import late_today

from planner import load_scenario
from planner.drill.replan import replan
from planner.io.plan_folder import read_plan_folder
from planner.model.modes import HOME_VISIT, UNASSIGNED, WALK_UP
from planner.model.result import Plan
from planner.ops.service import OpsState, create_app
from planner.ops.store import Store
from planner.planning.codec import plan_from_tables

pytestmark = pytest.mark.filterwarnings(
    "ignore:Using `httpx` with `starlette.testclient`"
)


@pytest.fixture
def day(
    plan_dir: Path, scenario_dir: Path, issue_codes: Callable[..., dict[str, str]]
) -> Iterator[tuple[Any, dict[str, str], Store]]:
    from fastapi.testclient import TestClient

    codes = issue_codes(plan_dir)
    store = Store.open(plan_dir)
    client = TestClient(
        create_app(OpsState(plan_dir, store, scenario_dir, clock=late_today))
    )
    yield client, codes, store
    store.close()


def _report(client: Any, codes: dict[str, str], site: str, **kw: Any) -> None:
    body = {"tubes": 0, "problem": None, "note": "", "queue_people": 0, **kw}
    r = client.post(
        f"/api/v1/sites/{site}/reports",
        json=body,
        headers={"Authorization": f"Bearer {codes[site]}"},
    )
    assert r.status_code == 201, r.text


def _conserved(old: Plan, new: Plan, people: np.ndarray) -> None:
    """Every household is in the new plan exactly once, with a place or a reason."""
    assert len(new.hh_mode) == len(old.hh_mode)
    assert set(np.unique(new.hh_mode)) <= {WALK_UP, HOME_VISIT, UNASSIGNED}
    walk = new.hh_mode == WALK_UP
    assert (new.hh_site[walk] >= 0).all() and (new.hh_slot[walk] >= 0).all()
    assert (new.hh_site[~walk] == -1).all()
    assert all(new.unassigned_reason[new.hh_mode == UNASSIGNED])
    visited = [hh for t in new.teams for hh in t.households]
    assert len(visited) == len(set(visited))
    assert set(visited) == set(np.flatnonzero(new.hh_mode == HOME_VISIT).tolist())
    total = sum(int(people[new.hh_mode == m].sum()) for m in (0, 1, 2))
    assert total == int(people.sum())


def test_replan_from_reports_keeps_every_household_and_lists_the_notices(
    day: tuple[Any, dict[str, str], Store], scenario_dir: Path, plan_dir: Path
) -> None:
    client, codes, store = day
    sites = [s for s in codes if s != "command"]
    closed, behind, fine = sites
    _report(
        client,
        codes,
        closed,
        at="09:30",
        sampled=200,
        report_id="a1",
        problem="site_closed",
    )
    _report(
        client,
        codes,
        behind,
        at="09:35",
        sampled=50,
        queue_people=120,
        report_id="b1",
        problem="desk_down",
    )
    _report(
        client, codes, fine, at="09:40", sampled=330, queue_people=10, report_id="c1"
    )
    auth = {"Authorization": f"Bearer {codes['command']}"}
    before = client.get("/api/v1/status?fresh=1", headers=auth).json()
    row = {x["site_id"]: x for x in before["sites"]}[closed]
    assert row["p_finish_in_window"] == 0.0 and row["stranded_people"] > 0
    assert before["street"]["forecast"]["p_finish_in_window"] == 0.0
    r = client.post(
        "/api/v1/replan",
        json={"seed": 1},
        headers={"Authorization": f"Bearer {codes['command']}"},
    )
    assert r.status_code == 201, r.text
    j = r.json()
    assert (j["version"], j["parent"], j["at"], j["effective_from"]) == (
        2,
        1,
        "09:40",
        "10:30",
    )
    versions = store.versions()
    assert [(v.id, v.kind, v.author, v.parent_id) for v in versions] == [
        (1, "draft", versions[0].author, None),
        (2, "replan", "command", 1),
    ]
    loaded = load_scenario(scenario_dir)
    s = loaded.scenario
    old = plan_from_tables(s, store.plan_tables(1))
    new = plan_from_tables(s, store.plan_tables(2))
    _conserved(old, new, s.households.size)
    # the folder written for printing notices is the stored version
    on_disk = plan_from_tables(s, read_plan_folder(Path(j["plan_dir"])))
    assert np.array_equal(on_disk.hh_site, new.hh_site)
    assert np.array_equal(on_disk.hh_slot, new.hh_slot)
    # nobody walks to the closed site after it closed
    c = list(s.sites.id).index(closed)
    late = (new.hh_mode == WALK_UP) & (new.hh_site == c)
    assert (
        new.slots.start_min[new.hh_slot[late]] + new.slots.slot_minutes <= 9 * 60 + 30
    ).all()
    # households called before the change reaches them keep their place elsewhere
    k0 = int(np.searchsorted(new.slots.start_min, 10 * 60 + 30))
    kept = (old.hh_mode == WALK_UP) & (old.hh_slot < k0) & (old.hh_site != c)
    assert np.array_equal(new.hh_site[kept], old.hh_site[kept])
    assert np.array_equal(new.hh_slot[kept], old.hh_slot[kept])
    # the notices are exactly the buildings that changed, as the store's diff says
    listed = {row["building_id"] for row in j["changes"]}
    assert listed == set(store.changes(1, 2)["building_id"]) and listed
    assert {n["building_id"] for n in j["notices"]} == listed
    assert all(n["text"].startswith("楼栋 ") for n in j["notices"])
    moved_to = {
        row["new_site_id"] for row in j["changes"] if row["new_mode"] == "walk_up"
    }
    assert closed not in moved_to
    # the status now follows the new version
    st = client.get(
        "/api/v1/status?fresh=1",
        headers={"Authorization": f"Bearer {codes['command']}"},
    )
    assert st.json()["version"] == 2


def test_a_bad_disruption_is_422_naming_the_field(
    day: tuple[Any, dict[str, str], Store],
) -> None:
    client, codes, store = day
    auth = {"Authorization": f"Bearer {codes['command']}"}
    r = client.post(
        "/api/v1/replan", json={"disruptions": ["flood,site=S1"]}, headers=auth
    )
    assert r.status_code == 422 and r.json()["field"] == "disruptions"
    r = client.post("/api/v1/replan", json={"disruptions": "close"}, headers=auth)
    assert r.status_code == 422 and "字段“disruptions”" in r.json()["detail"]
    assert [v.id for v in store.versions()] == [1]


def test_an_explicit_closure_from_the_command_centre(
    day: tuple[Any, dict[str, str], Store], scenario_dir: Path
) -> None:
    client, codes, store = day
    site = [s for s in codes if s != "command"][1]
    r = client.post(
        "/api/v1/replan",
        json={"at": "11:00", "disruptions": [f"关闭,site={site},at=11:00"]},
        headers={"Authorization": f"Bearer {codes['command']}"},
    )
    assert r.status_code == 201, r.text
    s = load_scenario(scenario_dir).scenario
    old = plan_from_tables(s, store.plan_tables(1))
    new = plan_from_tables(s, store.plan_tables(2))
    _conserved(old, new, s.households.size)
    j = list(s.sites.id).index(site)
    after = (new.hh_mode == WALK_UP) & (new.hh_site == j)
    assert (new.slots.start_min[new.hh_slot[after]] < 11 * 60).all()


def test_a_backlog_takes_the_first_capacity_after_the_change(
    plan_dir: Path, scenario_dir: Path
) -> None:
    loaded = load_scenario(scenario_dir)
    s = loaded.scenario
    plan = plan_from_tables(s, read_plan_folder(plan_dir))
    site = int(np.argmax(plan.site_people))
    sid = str(s.sites.id[site])
    fast = {"num_workers": 1, "time_limit_s": 3.0}
    plain = replan(s, plan, plan.policy, at_min=9 * 60, **fast)
    carried = replan(
        s, plan, plan.policy, at_min=9 * 60, carried_over={sid: 400.0}, **fast
    )
    for r in (plain, carried):
        _conserved(plan, r.plan, s.households.size)
    k0 = int(np.searchsorted(plan.slots.start_min, carried.effective_min))

    def later(p: Plan) -> int:
        walk = (p.hh_mode == WALK_UP) & (p.hh_site == site) & (p.hh_slot >= k0)
        return int(p.hh_people[walk].sum())

    assert later(plain.plan) == later(plan)  # nothing to change without a backlog
    assert later(carried.plan) < later(plan)  # the backlog pushes bookings away
    assert carried.moved_households + carried.unplaced_households > 0
