"""Close a simulated day: the counts equal the simulation's truth, nothing twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import DAY, Street

from planner.closure.close import Closing, close_round
from planner.closure.coverage import grid_lists
from planner.closure.daily import daily_report
from planner.closure.matching import match_records
from planner.closure.positives import BUILDING_CONTROLLED, HOUSEHOLD_PENDING
from planner.closure.simulate import SimulatedDay
from planner.io.records import LabResults, empty_records, read_results
from planner.office.scope import masked_view


def _reasons(day: SimulatedDay) -> pd.DataFrame:
    t = day.truth
    return t.loc[t["reason"] != "", ["resident_id", "reason"]]


@pytest.fixture(scope="module")
def closing(street: Street, day: SimulatedDay) -> Closing:
    return close_round(
        street.scenario,
        street.plan,
        street.policy,
        day.records,
        LabResults(day.results),
        _reasons(day),
        day=DAY,
        time_limit_s=2.0,
    )


def test_coverage_per_grid_equals_the_simulated_truth(
    closing: Closing, day: SimulatedDay
) -> None:
    truth = day.truth
    sampled = truth.groupby("grid_id")["counted"].sum()
    got = closing.coverage.tables["grid"].set_index("grid_id")["sampled"]
    assert (
        got.sort_index().astype(int).to_dict()
        == sampled.sort_index().astype(int).to_dict()
    )
    assert (closing.matching.sampled == truth["counted"].to_numpy()).all()
    # the mistakes the day has are all present, so the test says something
    kinds = set(day.records["kind"])
    assert {"id_typo", "no_id", "id_conflict", "lost", "visitor", "repeat"} <= kinds


def test_every_missing_resident_is_on_exactly_one_masked_grid_list(
    street: Street, closing: Closing
) -> None:
    masked, _ = masked_view(street.scenario, None)
    lists = grid_lists(closing.coverage, masked)
    ids = pd.concat([f["resident_id"] for f in lists.values()])
    assert ids.is_unique
    missing = closing.coverage.residents.loc[closing.coverage.missing, "resident_id"]
    assert set(ids) == set(missing) and len(ids) == len(missing)
    full = set(street.scenario.residents.id_number.astype(str))  # type: ignore[union-attr]
    shown = set(pd.concat([f["id_number"] for f in lists.values()]).astype(str))
    assert not shown & full and all("*" in v for v in shown)


def test_ambiguous_and_unmatched_records_are_listed_not_counted(
    closing: Closing, day: SimulatedDay
) -> None:
    rec = closing.records
    kind = day.records["kind"].to_numpy()
    status = rec["status"].to_numpy()
    assert set(status[kind == "visitor"]) == {"unmatched"}
    assert set(status[kind == "lost"]) == {"unmatched"}
    assert set(status[kind == "id_conflict"]) == {"ambiguous"}
    assert set(status[kind == "id_typo"]) == {"name_phone"}
    assert set(status[kind == "no_id"]) == {"name_phone"}
    assert set(status[kind == "repeat"]) == {"repeat"}
    assert len(closing.unresolved) == int(
        np.isin(status, ["ambiguous", "unmatched"]).sum()
    )
    assert (
        rec.loc[rec["status"].isin(["ambiguous", "unmatched"]), "resident"] == -1
    ).all()


def test_a_valid_id_that_is_not_the_named_residents_blocks_the_name_phone_match(
    street: Street,
) -> None:
    r = street.scenario.residents
    assert r is not None
    other = str(r.id_number[1])
    rec = empty_records()
    row = {
        "name": str(r.name[0]),
        "id_number": other[:-1] + "0" if False else "",
        "phone": str(r.phone[0]),
        "site": "S1",
        "desk": "1",
        "tube": "T1",
        "box": "",
        "sampled_at": np.datetime64("2026-12-07T08:00:00", "s"),
        "source": "x.csv",
        "row": 2,
    }
    rec = pd.DataFrame([row, row | {"id_number": "110101199003070011"}])
    m = match_records(rec, r)
    # no ID: matched by name and phone; the same with a valid foreign ID: ambiguous
    assert list(m.status) == ["name_phone", "ambiguous"]
    assert m.sampled.sum() == 1


def test_the_catchup_covers_every_remaining_resident_within_the_rules(
    street: Street, closing: Closing
) -> None:
    c = closing.catchup
    assert c is not None and len(c.dropped) == 0
    sc = street.scenario
    assert sc.residents is not None
    remaining = np.flatnonzero(closing.coverage.missing)
    need = np.bincount(sc.residents.household[remaining], minlength=len(sc.households))
    covered = c.households.set_index("household")["people"]
    assert covered.to_dict() == {int(h): int(need[h]) for h in np.flatnonzero(need)}
    lo, hi = c.window
    for t in c.teams:
        assert all(lo <= a < hi for a in t.arrive_min) and t.finish_min <= hi
        sealed = {bool(sc.households.sealed[h]) for h in t.households}
        assert len(sealed) == 1 and sealed == {t.team_id.split("-")[-1].startswith("F")}


def test_positive_tubes_give_exactly_their_people_visits_in_time_and_next_round(
    street: Street, closing: Closing, day: SimulatedDay
) -> None:
    p = closing.positives
    assert sorted(p.tubes["tube"]) == sorted(day.positive_tubes)
    rec = day.records
    in_tubes = rec[rec["tube"].isin(day.positive_tubes)]
    known = in_tubes["kind"].isin(["ok", "id_typo", "no_id", "repeat"])
    want = set(street.scenario.residents.id[in_tubes.loc[known, "resident"]])  # type: ignore[union-attr]
    got = set(p.people.loc[p.people["resident"] >= 0, "resident_id"])
    assert got == want
    assert (p.people["resident"] < 0).sum() == int((~known).sum())
    assert len(p.dropped) == 0 and p.visits["within"].all()
    hh = set(p.visits["household_id"])
    assert hh == set(p.control["household_id"])
    nxt = p.next_round
    assert set(nxt.loc[nxt["status"] == HOUSEHOLD_PENDING, "household_id"]) == hh
    assert set(nxt.loc[nxt["status"] == BUILDING_CONTROLLED, "building_id"]) == set(
        p.control["building_id"]
    )


def test_the_daily_report_has_the_day_s_numbers(
    street: Street, closing: Closing
) -> None:
    rep = daily_report(closing, street.scenario.name, street.policy)
    f = rep.figures
    cov = closing.coverage.street
    assert f["sampled"] == cov["sampled"] and f["due"] == cov["due"]
    assert f["missing"] == cov["missing"] == f["catchup_people"]
    assert f["positive_tubes"] == 2 and f["tubes"] == closing.records["tube"].nunique()
    assert f["results_back"] + f["results_pending"] == f["tubes"]
    assert not rep.zero


def test_a_day_without_events_gives_the_zero_report(
    street: Street, tmp_path: Path
) -> None:
    closing = close_round(
        street.scenario,
        street.plan,
        street.policy,
        empty_records(),
        read_results([]),
        None,
        day=dt.date(2026, 12, 8),
    )
    rep = daily_report(closing, street.scenario.name, street.policy)
    assert rep.zero and not rep.problems
    assert all(v == 0 for k, v in rep.figures.items() if k != "registered")
    from planner.export.closure import write_daily

    paths = write_daily(rep, tmp_path, "zh")
    assert {p.name for p in paths} == {"daily_report.xlsx", "daily_report.docx"}


def test_a_filled_grid_list_brings_its_reasons_back_and_they_leave_the_count(
    street: Street, closing: Closing, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from planner.closure.coverage import coverage
    from planner.export.closure import reason_words, write_grid_lists
    from planner.io.records import read_reason_lists

    masked, _ = masked_view(street.scenario, None)
    lists = grid_lists(coverage(street.scenario, closing.matching.sampled), masked)
    grid, frame = next((g, f) for g, f in lists.items() if len(f) >= 2)
    (path,) = write_grid_lists({grid: frame}, tmp_path, "2026-12-07", "zh")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None and ws.cell(3, 10).value == "未检原因"
    ws.cell(4, 10).value = "外出"
    ws.cell(5, 10).value = "拒检"
    wb.save(path)
    r = street.scenario.residents
    assert r is not None
    back = read_reason_lists([path], reason_words(), set(r.id.astype(str)))
    assert list(back["reason"]) == ["away", "refused"]
    cov = coverage(street.scenario, closing.matching.sampled, back)
    before = coverage(street.scenario, closing.matching.sampled).street
    # away leaves the count; refused stays due (and on the list)
    assert cov.street["due"] == before["due"] - 1
    assert cov.street["missing"] == before["missing"] - 1
    assert cov.street["reason_refused"] == 1


def test_the_resampling_keeps_to_the_policy_hours_and_says_when_it_cannot(
    street: Street, day: SimulatedDay
) -> None:
    from planner.closure.positives import follow_up

    rec = day.records
    at = {t: pd.Timestamp("2026-12-07 15:00") for t in day.positive_tubes}
    tubes = [*day.positive_tubes, "NO-SUCH-TUBE"]
    wide = follow_up(
        street.scenario, street.policy, rec, rec["resident"].to_numpy(), tubes, at
    )
    assert wide.unknown_tubes == ("NO-SUCH-TUBE",)
    assert wide.visits["within"].all() and len(wide.dropped) == 0
    assert set(wide.visits["due_by"]) == {"21:00"}  # 6 h from the result
    short = street.policy.with_values(**{"campaign.resample_hours": 0.25})
    tight = follow_up(
        street.scenario, short, rec, rec["resident"].to_numpy(), tubes, at
    )
    # a quarter of an hour is not enough for ten homes: they are reported, not hidden
    assert len(tight.dropped) > 0
    visited = len(tight.visits) + len(tight.dropped)
    assert visited == len(wide.visits)
    closing = Closing(
        DAY,
        rec.assign(status="id", why=""),
        match_records(rec, street.scenario.residents),  # type: ignore[arg-type]
        coverage_of(street, rec),
        LabResults(day.results),
        None,
        tight,
    )
    codes = {c for c, _ in daily_report(closing, "s", street.policy).problems}
    assert {"closure_problem_resample_late", "closure_problem_unknown_tubes"} <= codes


def coverage_of(street: Street, rec: pd.DataFrame) -> Any:
    from planner.closure.coverage import coverage

    m = match_records(rec, street.scenario.residents)  # type: ignore[arg-type]
    return coverage(street.scenario, m.sampled)
