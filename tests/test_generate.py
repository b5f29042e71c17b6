"""The synthetic street generator and the scenario writers."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import load_scenario
from planner.cli import main
from planner.generate import generate_street
from planner.io.writers import write_scenario_folder, write_scenario_workbook
from planner.model.identity import id_number_problem, phone_is_valid


@pytest.fixture(scope="module")
def street():  # type: ignore[no-untyped-def]
    return generate_street(3000, seed=11, sealed_buildings=1)


def test_same_seed_same_street(street) -> None:  # type: ignore[no-untyped-def]
    again = generate_street(3000, seed=11, sealed_buildings=1)
    for name, frame in street.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name])
    other = generate_street(3000, seed=12, sealed_buildings=1)
    assert not other.tables["residents"]["name"].equals(
        street.tables["residents"]["name"]
    )


def test_population_and_households_are_consistent(street) -> None:  # type: ignore[no-untyped-def]
    h, r = street.tables["households"], street.tables["residents"]
    assert abs(int(h["size"].sum()) - 3000) <= 30
    counts = r["household_id"].value_counts()
    assert (
        h.set_index("household_id")["size"] == counts.reindex(h["household_id"])
    ).all()
    assert set(h["building_id"]) <= set(street.tables["buildings"]["building_id"])
    assert 2.4 < h["size"].mean() < 2.9  # census mean 2.62


def test_ids_phones_and_ages_are_well_formed(street) -> None:  # type: ignore[no-untyped-def]
    r = street.tables["residents"]
    assert all(id_number_problem(v) is None for v in r["id_number"])
    assert all(phone_is_valid(v) for v in r["phone"])
    born = pd.to_datetime(r["id_number"].str[6:14], format="%Y%m%d")
    ref = pd.Timestamp("2026-11-23")
    age = ref.year - born.dt.year - ((born.dt.month * 100 + born.dt.day) > 1123)
    assert (age == r["age"]).all()
    odd = r["id_number"].str[16].astype(int) % 2 == 1
    assert ((r["sex"] == "男") == odd).all()


def test_census_like_shares(street) -> None:  # type: ignore[no-untyped-def]
    age = street.tables["residents"]["age"]
    assert 0.10 < (age <= 14).mean() < 0.24
    assert 0.12 < (age >= 60).mean() < 0.26
    r = street.tables["residents"]
    assert 0.01 < r["key_group"].mean() < 0.05
    assert 0.004 < r["homebound"].mean() < 0.03
    h = street.tables["households"]
    sealed_buildings = h.loc[h["sealed"], "building_id"].unique()
    assert len(sealed_buildings) == 1


def test_every_building_has_a_candidate_site_nearby(street) -> None:  # type: ignore[no-untyped-def]
    b, s = street.tables["buildings"], street.tables["sites"]
    dx = (b["lon"].to_numpy()[:, None] - s["lon"].to_numpy()[None, :]) * 95_900
    dy = (b["lat"].to_numpy()[:, None] - s["lat"].to_numpy()[None, :]) * 110_540
    assert (np.hypot(dx, dy).min(axis=1) <= 800).all()
    assert s["fixed"].any() and (s["max_desks"] >= 1).all()


def test_writers_round_trip_through_the_loader(street, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_scenario_folder(street.tables, street.meta, tmp_path / "en", headers="en")
    write_scenario_folder(street.tables, street.meta, tmp_path / "zh", headers="zh")
    write_scenario_workbook(
        street.tables, street.meta, tmp_path / "s.xlsx", headers="zh"
    )
    loaded = [
        load_scenario(p).scenario
        for p in (tmp_path / "en", tmp_path / "zh", tmp_path / "s.xlsx")
    ]
    assert loaded[0].summary() == loaded[1].summary() == loaded[2].summary()
    ids = street.tables["residents"]["id_number"].tolist()
    assert loaded[2].residents is not None
    assert (
        loaded[2].residents.id_number.tolist() == ids
    )  # text survives Excel, X included


def test_cli_generate(tmp_path: Path) -> None:
    assert (
        main(
            [
                "generate",
                "--residents",
                "800",
                "--seed",
                "3",
                "--out",
                str(tmp_path / "g"),
            ]
        )
        == 0
    )
    assert main(["validate", str(tmp_path / "g")]) == 0


def test_shipped_demo_is_the_documented_size() -> None:
    demo = Path(__file__).parent.parent / "data" / "demo"
    s = load_scenario(demo).scenario
    assert 59_000 <= s.population <= 61_000
    assert s.summary()["sealed_households"] > 0
    assert s.summary()["homebound"] > 0
