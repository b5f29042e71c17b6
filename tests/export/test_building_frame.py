"""Each building's site and slots on its notice, counted for all buildings at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.export._common import main_site, slot_lists

SITES = ["S001", "S002", "S010", "S2"]
SLOTS = ["08:00–08:30", "08:30–09:00", "10:00–10:30", "9:00–9:30"]


def _walk(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "b": np.array([r[0] for r in rows], dtype=np.int64),
            "site_id": pd.array([SITES[r[1]] for r in rows], dtype="string"),
            "slot": pd.array([SLOTS[r[2]] for r in rows], dtype="string"),
        }
    )


def test_the_most_common_site_wins_and_a_tie_goes_to_the_first_id() -> None:
    walk = _walk([(0, 1, 0), (0, 0, 0), (0, 1, 1), (1, 2, 0), (1, 0, 0), (2, 3, 3)])
    assert main_site(walk).to_dict() == {0: "S002", 1: "S001", 2: "S2"}


def test_slots_are_distinct_in_order() -> None:
    walk = _walk([(0, 0, 1), (0, 0, 0), (0, 0, 1), (1, 0, 3), (1, 0, 2)])
    assert slot_lists(walk).to_dict() == {
        0: "08:00–08:30;08:30–09:00",
        1: "10:00–10:30;9:00–9:30",
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 3)),
        min_size=1,
        max_size=40,
    )
)
def test_as_the_per_building_mode_and_sorted_set(
    rows: list[tuple[int, int, int]],
) -> None:
    walk = _walk(rows)
    g = walk.groupby("b")
    expected_site = g["site_id"].agg(lambda v: v.mode().iloc[0])
    expected_slots = g["slot"].agg(lambda v: ";".join(sorted(set(v.astype(str)))))
    assert main_site(walk).to_dict() == expected_site.to_dict()
    assert slot_lists(walk).to_dict() == expected_slots.to_dict()
