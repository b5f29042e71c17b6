"""The plan store on SQLite and on a real PostgreSQL: versions, changes, reports."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from planner import load_scenario
from planner.io.plan_folder import read_plan_folder, write_plan_folder
from planner.model.plan_tables import PlanTables
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.ops.service import import_plan
from planner.ops.store import Store
from planner.planning import codec
from planner.planning.codec import plan_from_tables
from planner.round.run import RoundResult, round_tables

REPORT = {
    "at": "09:00",
    "sampled": 10,
    "queue_people": 3,
    "tubes": 1,
    "problem": None,
    "note": "",
    "report_id": "r-1",
}


def test_migrations_bring_an_empty_database_to_head_once(
    plan_dir: Path, db_url: str | None
) -> None:
    store = Store.open(plan_dir, db_url)
    store.close()
    again = Store.open(plan_dir, db_url)  # a second open finds the schema current
    with again.engine.connect() as conn:
        rev = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        names = set(sa.inspect(conn).get_table_names())
    again.close()
    assert rev == "0033_closure"
    assert {"plan_versions", "version_assignments", "reports", "access_codes"} <= names
    assert {"record_batches", "sample_records", "lab_results"} <= names


def test_sqlite_store_is_a_wal_file_in_the_plan_folder(plan_dir: Path) -> None:
    store = Store.open(plan_dir)
    with store.engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    store.close()
    assert (plan_dir / "ops.sqlite3").is_file()
    assert mode == "wal" and sync == 2  # FULL: an acknowledged commit is on disk


def test_a_stored_version_reads_back_as_the_same_plan(
    plan_dir: Path, scenario_dir: Path, db_url: str | None
) -> None:
    store = Store.open(plan_dir, db_url)
    v = import_plan(store, plan_dir, author="王主任")
    assert import_plan(store, plan_dir) == v  # importing again adds nothing
    scenario = load_scenario(scenario_dir).scenario
    want = plan_from_tables(scenario, read_plan_folder(plan_dir))
    store_tables = store.plan_tables(v)
    got = plan_from_tables(scenario, store_tables)
    info = store.versions()
    store.close()
    for name in (
        "hh_mode",
        "hh_site",
        "hh_slot",
        "hh_walk_m",
        "site_desks",
        "site_open",
    ):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    assert np.allclose(got.site_slot_units, want.site_slot_units)
    assert [t.households for t in got.teams] == [t.households for t in want.teams]
    assert [(i.id, i.author, i.kind) for i in info] == [(1, "王主任", "draft")]


def test_changes_list_the_buildings_with_a_new_site_slot_or_mode(
    plan_dir: Path, db_url: str | None
) -> None:
    store = Store.open(plan_dir, db_url)
    v1 = import_plan(store, plan_dir)
    files = read_plan_folder(plan_dir)
    a = files.assignments.copy()
    walk = a.index[a["mode"] == "walk_up"]
    b_slot = a.at[walk[0], "building_id"]
    b_site = a.at[walk[-1], "building_id"]
    a.loc[a["building_id"] == b_slot, "slot_start"] = "13:30"
    a.loc[a["building_id"] == b_site, "site_id"] = "S999"
    v2 = store.add_version(
        dataclasses.replace(files, assignments=a),
        author="x",
        kind="replan",
        parent_id=v1,
    )
    changes = store.changes(v1, v2)
    none = store.changes(v1, v1)
    store.close()
    assert set(changes["building_id"]) == {b_slot, b_site}
    assert changes.set_index("building_id").at[b_site, "new_site_id"] == "S999"
    assert none.empty


def test_a_report_id_is_stored_once_even_when_sent_at_the_same_time(
    plan_dir: Path, db_url: str | None
) -> None:
    store = Store.open(plan_dir, db_url)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        barrier.wait()
        created, _ = store.add_report("S1", REPORT, code_id=None)
        results.append(created)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    # the same id at another site is another report
    other, _ = store.add_report("S2", REPORT, code_id=None)
    rows = store.reports()
    store.close()
    assert sorted(results) == [False] * 7 + [True]
    assert other
    assert [(r["site_id"], r["report_id"]) for r in rows] == [
        ("S1", "r-1"),
        ("S2", "r-1"),
    ]


def test_reports_come_back_oldest_first_by_their_clock_time(
    plan_dir: Path, db_url: str | None
) -> None:
    store = Store.open(plan_dir, db_url)
    for rid, at in (("a", "10:00"), ("b", "08:30"), ("c", "09:15")):
        store.add_report("S1", {**REPORT, "report_id": rid, "at": at}, code_id=None)
    got = [r["report_id"] for r in store.reports("S1")]
    store.close()
    assert got == ["b", "c", "a"]


def test_a_round_is_stored_with_every_table_staff_and_supplies_included(
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
    tmp_path: Path,
    db_url: str | None,
) -> None:
    _, _, files = tiny_round
    store = Store.open(tmp_path, db_url)
    v = store.add_version(files, author="王主任", kind="round")
    back = store.plan_tables(v)
    store.close()
    assert set(back.frames()) == set(files.frames()) >= {"staff", "supplies"}
    for name, frame in files.frames().items():
        pd.testing.assert_frame_equal(back.frames()[name], frame, check_dtype=True)
    assert back.policy == files.policy


def test_a_new_column_travels_plan_folder_store_and_back(
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
    tmp_path: Path,
    db_url: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A column the planner adds to a table needs no other module to learn of it."""
    scenario, result, _ = tiny_round
    made = codec.plan_tables

    def with_new_columns(plan: Plan, s: Scenario) -> dict[str, pd.DataFrame]:
        tables = made(plan, s)
        n = len(tables["sites"])
        tables["sites"]["lead_phone_hint"] = [f"13{k:09d}" for k in range(n)]
        tables["sites"]["shade_m2"] = np.linspace(0.5, 9.25, n)
        tables["assignments"]["floor"] = np.arange(len(tables["assignments"]))
        return tables

    monkeypatch.setattr(codec, "plan_tables", with_new_columns)
    files = round_tables(result, scenario)
    write_plan_folder(files, tmp_path / "plan")
    store = Store.open(tmp_path / "plan", db_url)
    v = store.add_version(read_plan_folder(tmp_path / "plan"), author="x", kind="draft")
    back = store.plan_tables(v)
    store.close()
    for table, column in (
        ("sites", "lead_phone_hint"),
        ("sites", "shade_m2"),
        ("assignments", "floor"),
    ):
        want = files.frames()[table][column]
        pd.testing.assert_series_equal(back.frames()[table][column], want)
