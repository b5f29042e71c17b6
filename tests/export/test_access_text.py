"""The access report as text (CLI, app, document) from plan.json's sections."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.export.access import (
    band_of,
    building_walk_min,
    equity_lines,
    gap_lines,
    table_rows,
)

ACCESS = {
    "objective": "older_cap",
    "older_age": 60,
    "oldest_age": 75,
    "child_age": 6,
    "oldest_walk_limit_min": 10.0,
    "aversion": -1.0,
    "kappa_walk_per_min": -0.1356,
    "kappa_wait_per_min": -0.0062,
    "thresholds_min": [5, 10, 15],
    "groups": [
        {
            "group": "oldest",
            "measure": "walk",
            "people": 1537,
            "unserved": 0,
            "mean_min": 4.28,
            "p90_min": 9.29,
            "p99_min": 14.04,
            "beyond": [620, 99, 0],
            "ede_min": 5.31,
        },
        {
            "group": "sealed",
            "measure": "wait",
            "people": 0,
            "unserved": 0,
            "mean_min": None,
            "p90_min": None,
            "p99_min": None,
            "beyond": [0, 0, 0],
            "ede_min": None,
        },
    ],
    "communities": [],
    "grids": [],
    "gaps": [
        {
            "building_id": "B1",
            "group": "oldest",
            "people": 2,
            "walk_min": 14.5,
            "limit_min": 10.0,
            "fix_site_id": "S3",
            "fix_walk_min": 1.3,
            "fix_site_open": False,
        },
        {
            "building_id": "B2",
            "group": "all",
            "people": 9,
            "walk_min": None,
            "limit_min": 15.0,
            "fix_site_id": "",
            "fix_walk_min": None,
            "fix_site_open": False,
        },
    ],
}


def test_rows_name_the_groups_with_their_ages_and_dash_the_empty_ones() -> None:
    oldest, sealed = table_rows(ACCESS, "zh")
    assert oldest == [
        "75岁及以上", "1,537", "4.3", "9.3", "14.0", "620", "99", "0", "5.3", "0"
    ]  # fmt: skip
    assert sealed[2:5] == ["—", "—", "—"]
    assert table_rows(ACCESS, "en")[0][0] == "aged 75+"


def test_gaps_say_which_site_fixes_them_or_that_none_does() -> None:
    head, b1, b2 = gap_lines(ACCESS, "en")
    assert head.startswith("2 buildings") and "1 fixable" in head
    assert "B1" in b1 and "open candidate S3 (1.3 min)" in b1
    assert "no site in reach" in b2 and "add one" in b2
    assert gap_lines(ACCESS, "en", limit=0) == [head]
    assert gap_lines({**ACCESS, "gaps": []}, "zh") == [
        "没有楼栋的居民超出其人群的步行上限"
    ]


def test_the_tradeoff_line_and_the_bound_note() -> None:
    equity = {
        "objective": "older_cap",
        "kappa_per_min": -0.1356,
        "mean_walk_min": [4.27, 3.88],
        "p90_oldest_min": [9.29, 8.64],
        "p90_all_min": [9.36, 8.61],
        "worst_decile_min": [11.21, 9.21],
        "ede_min": [5.26, 4.57],
        "sites": [40, 43],
        "desks": [203, 203],
    }
    line, note = equity_lines(equity, ACCESS, "en")
    assert "aged 75+ P90 walk 9.29 → 8.64 min" in line
    assert "sites 40 → 43" in line and "mean walk 4.27 → 3.88" in line
    assert "bound" in note
    assert equity_lines(None, ACCESS, "en") == []


def test_building_walk_is_people_weighted_over_walk_up_households() -> None:
    a = pd.DataFrame(
        {
            "building_id": ["B1", "B1", "B2", "B3"],
            "mode": ["walk_up", "walk_up", "home_visit", "walk_up"],
            "people": [1, 3, 2, 2],
            "walk_m": [70, 140, -1, 700],
        }
    )
    walk = building_walk_min(a, 70.0)
    assert walk["B1"] == pytest.approx((1 * 1 + 3 * 2) / 4)
    assert walk["B3"] == pytest.approx(10.0)
    assert "B2" not in walk.index


def test_colour_bands_close_on_their_upper_edge() -> None:
    assert band_of(np.array([0.0, 5.0, 5.01, 10.0, 15.0, 15.1])).tolist() == [
        0, 0, 1, 1, 2, 3
    ]  # fmt: skip


def test_the_plan_command_prints_the_access_report(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli import main

    out = tmp_path / "plan"
    args = ["plan", str(tiny_dir), "--out", str(out), "--no-export", "--lang", "en"]
    assert main([*args, "--certify", "off", "--time-limit", "5"]) == 0
    printed = capsys.readouterr().out
    assert "Access and equity" in printed
    assert "aversion ε=-1" in printed and "aged 75+" in printed
