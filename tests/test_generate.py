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


def test_map_layers_fit_the_buildings(street, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Grids tile the street around their buildings, compounds wall theirs, and the
    walking network is one connected graph reaching every building and site."""
    from shapely.geometry import Point

    from planner.geo.walking import nearest_node
    from planner.io.writers import write_geo_layers

    b = street.tables["buildings"]
    grids = street.layers["grids"].set_index("grid_id").geometry
    compounds = street.layers["compounds"].set_index("compound").geometry
    assert set(grids.index) == set(b["grid_id"])
    assert set(compounds.index) == set(b["compound"])
    for row in b.itertuples():
        point = Point(row.lon, row.lat)
        assert grids[row.grid_id].buffer(1e-7).contains(point)
        assert compounds[row.compound].contains(point)
    union = grids.union_all()
    assert sum(g.area for g in grids) == pytest.approx(
        union.area, rel=1e-6
    )  # no overlap

    write_scenario_folder(street.tables, street.meta, tmp_path / "s", headers="en")
    write_geo_layers(street.layers, tmp_path / "s")
    s = load_scenario(tmp_path / "s").scenario
    assert len(s.grid_areas) == len(grids) and len(s.compound_areas) == len(compounds)
    net = s.walk_network
    assert net is not None
    import networkx as nx

    graph = nx.Graph(zip(net.edge_u.tolist(), net.edge_v.tolist(), strict=True))
    assert nx.is_connected(graph) and graph.number_of_nodes() == len(net.node_x_m)
    _, gap_b = nearest_node(net, s.buildings.x_m, s.buildings.y_m)
    _, gap_s = nearest_node(net, s.sites.x_m, s.sites.y_m)
    assert gap_b.max() <= 15  # a building's door is on its compound's lane
    assert gap_s.max() <= 120  # sites stand beside a street or lane


def test_workbook_finds_its_map_layers_beside_it(street, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from planner.io.writers import write_geo_layers

    book = tmp_path / "street.xlsx"
    write_scenario_workbook(street.tables, street.meta, book, headers="zh")
    written = write_geo_layers(street.layers, book)
    assert {p.name for p in written} == {
        "street.grids.geojson",
        "street.compounds.geojson",
        "street.walkways.geojson",
    }
    s = load_scenario(book).scenario
    assert s.walk_network is not None and s.grid_areas and s.compound_areas


def test_shipped_demo_has_its_map_layers() -> None:
    import geopandas as gpd

    data = Path(__file__).parent.parent / "data"
    s = load_scenario(data / "demo").scenario
    assert s.walk_network is not None
    assert len(s.grid_areas) == len(s.grid_ids)
    assert len(s.compound_areas) == len(s.compounds)
    # the workbook carries the same layers beside it (loading the book takes 20 s)
    for layer in ("grids", "compounds", "walkways"):
        folder = gpd.read_file(data / "demo" / f"{layer}.geojson")
        book = gpd.read_file(data / f"demo.{layer}.geojson")
        assert folder.geometry.geom_equals(book.geometry).all(), layer
