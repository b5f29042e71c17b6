"""The shipped demo day (data/demo/records) reads back to its own truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.closure.coverage import coverage
from planner.closure.matching import match_records
from planner.export.closure import reason_words
from planner.io.load import load_scenario
from planner.io.records import read_reason_lists, read_records, read_results

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
DAY = DEMO / "records"


def test_the_demo_day_gives_its_truth_per_grid_and_its_two_positive_tubes() -> None:
    scenario = load_scenario(DEMO).scenario
    r = scenario.residents
    assert r is not None
    records = read_records([DAY / "records_1.csv", DAY / "records_2.xlsx"])
    results = read_results([DAY / "lab_results.csv"])
    ids = set(r.id.astype(str))
    reasons = read_reason_lists([DAY / "reasons_filled.csv"], reason_words(), ids)
    m = match_records(records, r)
    cov = coverage(scenario, m.sampled, reasons)
    not_counted = pd.read_csv(DAY / "truth_not_counted.csv", dtype=str)
    counted = ~pd.Series(r.id, dtype=str).isin(not_counted["resident_id"]).to_numpy()
    assert (m.sampled == counted).all()
    grid = np.asarray(scenario.grid_ids, dtype=object)[
        scenario.buildings.grid[scenario.households.building[r.household]]
    ]
    want = pd.Series(counted).groupby(grid).sum().astype(int).to_dict()
    got = cov.tables["grid"].set_index("grid_id")["sampled"].astype(int).to_dict()
    assert got == want
    positives = pd.read_csv(DAY / "truth_positive_tubes.csv", dtype=str)["tube"]
    assert results.positive_tubes == sorted(positives)
    counts = m.counts()
    assert counts["ambiguous"] > 0 and counts["unmatched"] > 0 and counts["repeat"] > 0
    assert sum(p.stat().st_size for p in DAY.iterdir()) < 5_000_000  # kept small
