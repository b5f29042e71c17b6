"""Staff across days: rest between days, consecutive days, hours per day, fair spread."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.campaign import run_campaign
from planner.campaign.staff import StaffLedger, cap_daily_hours
from planner.generate import generate_street
from planner.io.writers import write_scenario_folder
from planner.model.policy import Policy
from planner.model.scenario import Staff
from planner.planning.roster import Roster

STRICT = """
[round]
window_hours = 12.0
[campaign]
max_hours_per_day = 4.0
min_rest_between_days_h = 14.0
max_consecutive_days = 2
positivity = 0.0
"""
RELAXED = """
[round]
window_hours = 12.0
[campaign]
max_hours_per_day = 12.0
min_rest_between_days_h = 0.0
max_consecutive_days = 9
positivity = 0.0
"""


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _worked(out: Path, rounds: int) -> pd.DataFrame:
    frames = []
    for k in range(1, rounds + 1):
        s = pd.read_csv(
            out / "streets" / "street" / f"round{k}" / "staff.csv",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
        frames.append(s.assign(day=k - 1))
    a = pd.concat(frames, ignore_index=True)
    return a.assign(
        start=a["shift_start"].map(_minutes), end=a["shift_end"].map(_minutes)
    )


def _breaches(a: pd.DataFrame, policy: Policy) -> dict[str, int]:
    c = policy.campaign
    hours = (
        a.assign(h=(a["end"] - a["start"]) / 60).groupby(["staff_id", "day"])["h"].sum()
    )
    per_day = a.groupby(["staff_id", "day"]).agg(
        first=("start", "min"), last=("end", "max")
    )
    rest = 0
    streak = 0
    for sid, rows in per_day.groupby(level=0):
        days = rows.index.get_level_values(1).tolist()
        run = 1
        for d0, d1 in pairwise(days):
            gap_h = (
                1440 * (d1 - d0)
                + rows.loc[(sid, d1), "first"]
                - rows.loc[(sid, d0), "last"]
            ) / 60
            rest += gap_h < c.min_rest_between_days_h
            run = run + 1 if d1 == d0 + 1 else 1
            streak += run > c.max_consecutive_days
    return {
        "hours": int((hours > c.max_hours_per_day + 1e-9).sum()),
        "rest": int(rest),
        "streak": int(streak),
    }


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staff") / "street"
    s = generate_street(1500, seed=4)
    write_scenario_folder(s.tables, s.meta, root)
    return root


def test_rest_hours_and_consecutive_days_hold_across_days(
    street: Path, tmp_path: Path
) -> None:
    (street / "policy.toml").write_text(STRICT, encoding="utf-8")
    out = tmp_path / "strict"
    run_campaign(street, out, rounds=3, workers=1)
    policy = Policy.from_dict(
        {
            "round": {"window_hours": 12.0},
            "campaign": {
                "max_hours_per_day": 4.0,
                "min_rest_between_days_h": 14.0,
                "max_consecutive_days": 2,
            },
        }
    )
    a = _worked(out, 3)
    assert len(a) > 0
    assert _breaches(a, policy) == {"hours": 0, "rest": 0, "streak": 0}
    # the rules cost people: the shortfall is reported day by day
    days = json.loads((out / "campaign.json").read_text(encoding="utf-8"))["per_day"]
    assert [d["day"] for d in days] == [0, 1, 2]
    assert days[2]["staff_short"] > 0
    # the load is spread: nobody works more than one shift (4 h) above the least,
    # give or take one hour of the roster's grid (a shift may be 1 to 4 hours)
    report = json.loads((out / "campaign.json").read_text(encoding="utf-8"))
    spread = report["streets"][0]["staff_hours"]
    grid_h = policy.staff.roster_period_minutes / 60.0
    assert spread["people"] > 0 and spread["max"] - spread["min"] <= 4.0 + grid_h
    # the same campaign without the rules breaks all three, so the checks bite
    (street / "policy.toml").write_text(RELAXED, encoding="utf-8")
    loose = tmp_path / "relaxed"
    run_campaign(street, loose, rounds=3, workers=1)
    broken = _breaches(_worked(loose, 3), policy)
    assert broken["hours"] > 0 and broken["rest"] > 0 and broken["streak"] > 0


def test_ledger_spreads_the_load_and_keeps_the_rest() -> None:
    policy = Policy().with_values(
        **{"campaign.min_rest_between_days_h": 20.0, "campaign.max_consecutive_days": 2}
    )
    staff = Staff(
        id=np.array(["A", "B", "C"], dtype=object),
        name=np.array(["甲", "乙", "丙"], dtype=object),
        role=np.array(["sampler"] * 3, dtype=object),
        organisation=np.array([""] * 3, dtype=object),
        phone=np.array([""] * 3, dtype=object),
        available_from_min=np.array([0, 0, 0]),
        available_to_min=np.array([1440, 1440, 1440]),
    )
    ledger = StaffLedger()
    cols = [
        "site_id",
        "shift",
        "shift_start",
        "shift_end",
        "role",
        "role_zh",
        "staff_id",
    ]
    day0 = pd.DataFrame(
        [
            ("S1", 1, "16:00", "20:00", "sampler", "采样", "A"),
            ("S1", 0, "08:00", "12:00", "sampler", "采样", "B"),
        ],
        columns=cols,
    )
    ledger.record(day0, 0)
    pool = ledger.pool_for_day(staff, 1, policy)
    # C has not worked: first; A ended at 20:00, so with 20 h rest not before 16:00
    assert pool.id.tolist()[0] == "C"
    a = pool.id.tolist().index("A")
    assert pool.available_from_min[a] == 16 * 60
    ledger.record(day0.iloc[[1]], 1)  # B works a second day in a row
    assert "B" not in ledger.pool_for_day(staff, 2, policy).id.tolist()


def test_hours_over_the_daily_cap_become_shortfall() -> None:
    policy = Policy().with_values(**{"campaign.max_hours_per_day": 4.0})
    cols = [
        "site_id",
        "shift",
        "shift_start",
        "shift_end",
        "role",
        "role_zh",
        "staff_id",
    ]
    rows = pd.DataFrame(
        [
            ("S1", 0, "08:00", "11:00", "guide", "引导", "A"),
            ("S1", 1, "11:00", "14:00", "guide", "引导", "A"),
            ("S1", 1, "11:00", "14:00", "guide", "引导", "B"),
        ],
        columns=cols,
    )
    empty = pd.DataFrame(columns=[*cols[:6], "missing"])
    capped = cap_daily_hours(Roster(rows, empty, "OPTIMAL", 0.0), policy)
    assert sorted(capped.assignments["staff_id"]) == ["A", "B"]
    assert capped.shortfall["missing"].sum() == 1
    assert capped.shortfall.iloc[0]["shift"] == 1
