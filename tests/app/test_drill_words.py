"""The 演练 page in Chinese: words, not codes or file names; whole people."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from test_pages import TINY, _app, _load, _solve

from planner import load_scenario
from planner.app.drill_view import (
    REASONS,
    changes_for_people,
    reason_text,
    whole_people,
)


def test_every_reason_has_words() -> None:
    for code in REASONS:
        for lang in ("zh", "en"):
            words = reason_text(code, lang)
            assert words and words != code and "_" not in words


def test_changes_read_as_words_and_names() -> None:
    scenario = load_scenario(TINY).scenario
    changes = pd.DataFrame(
        {
            "building_id": [str(scenario.buildings.id[0])],
            "grid_id": ["G1"],
            "households": [3],
            "people": [6],
            "old_site_id": ["S1"],
            "old_slots": ["08:00–08:30"],
            "new_site_id": ["S2"],
            "new_slots": ["09:00–09:30"],
            "new_mode": ["walk_up/home_visit"],
            "reason": ["site_closed"],
        }
    )
    row = changes_for_people(changes, scenario, "zh").iloc[0]
    assert row["reason"] == "原采样点停止采样"
    assert row["new_mode"] == "到点采样、上门采样"
    assert row["old_site_id"] == str(scenario.sites.name[0])
    assert row["地址"] == str(scenario.buildings.address[0])


def test_mean_people_are_whole() -> None:
    sites = pd.DataFrame({"site_id": ["S1"], "turned_away_mean": [1508.5], "p": [0.5]})
    out = whole_people(sites)
    assert out["turned_away_mean"].tolist() == [1508]  # 1,508.5: whole, even rounding
    assert out["p"].tolist() == [0.5]  # a share is not a count


def test_drill_page_says_it_in_words_after_a_seal() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/drill.py").run()
    at.number_input(key="drill_reps").set_value(20).run()
    # a building sealed early: the re-plan moves it to door-to-door sampling
    at.checkbox(key="drill_seal").check().run()
    at.time_input(key="drill_seal_at").set_value(dt.time(8, 0)).run()
    at.button(key="drill_run").click().run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert ".csv" not in text  # the table below and the download, not a file name
    assert "需重发通知的楼栋" in text
    tables = [t.value for t in at.dataframe]
    reasons = [t for t in tables if "原因" in t.columns]
    assert reasons and set(reasons[0]["原因"]) <= {
        reason_text(code, "zh") for code in REASONS
    }
    shown = "\n".join(t.to_csv(index=False) for t in tables)
    assert not re.search(
        r"\b(site_closed|site_full|no_capacity|slot_moved|sealed)\b", shown
    )
    assert not re.search(r"\b(walk_up|home_visit|unassigned)\b", shown)
    for table in tables:
        for column in table.columns:
            if "人" in str(column) and table[column].dtype.kind == "f":
                values = table[column].dropna()
                assert (values == values.round()).all(), column
