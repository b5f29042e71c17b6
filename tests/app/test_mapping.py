"""The plan map: layers, point counts, colours, offline default and GCJ-02 basemaps."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from planner import load_scenario
from planner.app.mapping import (
    AMAP,
    OSM,
    Basemap,
    basemap_for,
    building_sites,
    catchment_areas,
    declutter_labels,
    layer_counts,
    plan_deck,
    site_colour,
    tile_bounds,
    tile_xy,
    tiles_for_bounds,
)
from planner.errors import PlannerError
from planner.geo.coords import wgs84_to_gcj02
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams, make_plan
from planner.text import error_text

PLAN_LAYERS = ["catchments", "routes", "buildings", "sites", "site_labels"]


@pytest.fixture(scope="module")
def tiny(tiny_dir: Path) -> tuple[Scenario, Plan]:
    loaded = load_scenario(tiny_dir)
    plan = make_plan(
        loaded.scenario,
        loaded.policy,
        SolveParams(time_limit_s=5.0, deterministic_time=1.0, route_time_limit_s=2.0),
    )
    return loaded.scenario, plan


def _layer(deck, layer_id):
    return next(layer for layer in deck.layers if layer.id == layer_id)


def test_plan_deck_layers_and_counts(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan)
    counts = layer_counts(deck)
    assert list(counts) == PLAN_LAYERS  # no grid polygons in the tiny street
    assert counts["buildings"] == len(scenario.buildings) == 4
    assert counts["sites"] == len(scenario.sites) == 2
    assert counts["site_labels"] == int(plan.site_open.sum())
    assert counts["routes"] == len(plan.teams) == 1
    served = building_sites(plan, scenario)
    assert counts["catchments"] == len(np.unique(served[served >= 0]))
    types = {layer.id: layer.type for layer in deck.layers}
    assert types == {
        "catchments": "PolygonLayer",
        "routes": "PathLayer",
        "buildings": "ScatterplotLayer",
        "sites": "ScatterplotLayer",
        "site_labels": "TextLayer",
    }


def test_buildings_take_their_site_colour(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan)
    b_site = building_sites(plan, scenario)
    for row, site in zip(_layer(deck, "buildings").data, b_site, strict=True):
        assert tuple(row["colour"][:3]) == site_colour(int(site))


def test_catchments_hold_their_buildings_and_do_not_overlap(
    tiny: tuple[Scenario, Plan],
) -> None:
    from shapely import wkt
    from shapely.geometry import Point

    scenario, plan = tiny
    b_site = building_sites(plan, scenario)
    areas = {j: wkt.loads(w) for j, w in catchment_areas(scenario, b_site).items()}
    assert set(areas) == set(b_site[b_site >= 0].tolist())
    for i, site in enumerate(b_site.tolist()):
        point = Point(scenario.buildings.lon[i], scenario.buildings.lat[i])
        assert areas[site].contains(point)
        for other, area in areas.items():
            if other != site:
                assert not area.contains(point)
    pairs = [(a, b) for a in areas for b in areas if a < b]
    for a, b in pairs:
        assert areas[a].intersection(areas[b]).area < 1e-9


def test_open_sites_are_sized_by_desks_and_labelled(
    tiny: tuple[Scenario, Plan],
) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan, lang="zh")
    sites = _layer(deck, "sites").data
    for j, row in enumerate(sites):
        assert row["open"] == bool(plan.site_open[j])
        assert row["radius"] == pytest.approx(15.0 + 5.0 * int(plan.site_desks[j]))
    labels = [row["text"] for row in _layer(deck, "site_labels").data]
    assert labels == [
        f"{scenario.sites.name[j]} {int(plan.site_desks[j])}台"
        for j in np.flatnonzero(plan.site_open)
    ]


def test_default_map_is_offline(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan)
    assert deck.map_provider is None
    text = deck.to_json()
    assert "http" not in text
    # pydeck's unset-style marker: Streamlit then draws no basemap (None would
    # make it fetch Carto's style)
    assert json.loads(text)["mapStyle"] == "__MAP_STYLE__"
    spec = json.loads(text)
    text_layer = next(ly for ly in spec["layers"] if ly["id"] == "site_labels")
    assert text_layer["characterSet"] == "auto"  # Chinese labels need glyphs on demand
    assert text_layer["sizeUnits"] == "pixels"


def test_route_runs_from_depot_and_back(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    route = _layer(plan_deck(scenario, plan), "routes").data[0]
    team = plan.teams[0]
    depot = [scenario.sites.lon[team.depot_site], scenario.sites.lat[team.depot_site]]
    assert route["path"][0] == pytest.approx(depot)
    assert route["path"][-1] == pytest.approx(depot)
    assert len(route["path"]) >= 3


def test_gcj02_basemap_shifts_every_coordinate(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan, basemap=AMAP)
    glon, glat = wgs84_to_gcj02(scenario.buildings.lon, scenario.buildings.lat)
    got = np.array([row["position"] for row in _layer(deck, "buildings").data])
    assert got[:, 0] == pytest.approx(glon, abs=1e-6)
    assert got[:, 1] == pytest.approx(glat, abs=1e-6)
    # the shift is hundreds of metres in China: really applied
    assert np.abs(got[:, 0] - scenario.buildings.lon).min() > 1e-3
    slon, slat = wgs84_to_gcj02(scenario.sites.lon, scenario.sites.lat)
    sites = np.array([row["position"] for row in _layer(deck, "sites").data])
    assert sites[:, 0] == pytest.approx(slon, abs=1e-6)
    assert sites[:, 1] == pytest.approx(slat, abs=1e-6)
    tiles = [layer for layer in deck.layers if str(layer.id).startswith("tile-")]
    assert 0 < len(tiles) <= AMAP.max_tiles
    assert all(layer.type == "BitmapLayer" for layer in tiles)
    assert all("autonavi.com" in str(layer.image) for layer in tiles)
    # the tiles cover every point drawn
    w = min(layer.bounds[0] for layer in tiles)
    s = min(layer.bounds[1] for layer in tiles)
    e = max(layer.bounds[2] for layer in tiles)
    n = max(layer.bounds[3] for layer in tiles)
    assert (w < got[:, 0]).all() and (got[:, 0] < e).all()
    assert (s < got[:, 1]).all() and (got[:, 1] < n).all()
    # tiles are drawn first, beneath the plan
    assert [layer.id for layer in deck.layers[len(tiles) :]] == PLAN_LAYERS


def test_wgs84_basemap_keeps_coordinates(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan, basemap=OSM)
    got = np.array([row["position"] for row in _layer(deck, "buildings").data])
    assert got[:, 0] == pytest.approx(scenario.buildings.lon, abs=1e-6)
    assert "tile.openstreetmap.org" in deck.to_json()


def test_grid_polygons_are_drawn_and_shifted(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    square = "POLYGON ((114.29 30.57, 114.32 30.57, 114.32 30.59, 114.29 30.59, 114.29 30.57))"
    multi = (
        "MULTIPOLYGON (((114.29 30.57, 114.30 30.57, 114.30 30.58, 114.29 30.57)),"
        " ((114.31 30.58, 114.32 30.58, 114.32 30.59, 114.31 30.58)))"
    )
    with_grids = dataclasses.replace(
        scenario, grid_areas=(("G1", square), ("G2", multi))
    )
    deck = plan_deck(with_grids, plan)
    assert layer_counts(deck)["grids"] == 3
    assert [layer.id for layer in deck.layers][:2] == ["catchments", "grids"]
    ring = _layer(deck, "grids").data[0]["polygon"][0]
    assert ring[0] == pytest.approx([114.29, 30.57])
    shifted = _layer(plan_deck(with_grids, plan, basemap=AMAP), "grids").data[0]
    glon, glat = wgs84_to_gcj02(np.array([114.29]), np.array([30.57]))
    assert shifted["polygon"][0][0] == pytest.approx([glon[0], glat[0]], abs=1e-6)


def test_overlapping_labels_are_thinned_busiest_first() -> None:
    labels = [
        {"position": [114.3000, 30.58], "text": "甲广场 3台", "site": 0},
        {"position": [114.3001, 30.58], "text": "乙广场 5台", "site": 1},
        {"position": [114.3300, 30.58], "text": "丙广场 2台", "site": 2},
    ]
    people = np.array([100.0, 900.0, 50.0])
    kept = declutter_labels(labels, people, zoom=15.0)
    assert [row["site"] for row in kept] == [1, 2]
    people[0] = np.inf  # the highlighted site always keeps its label
    assert [row["site"] for row in declutter_labels(labels, people, 15.0)] == [0, 2]
    # zoomed in far enough, nothing overlaps
    assert len(declutter_labels(labels, np.array([1.0, 2.0, 3.0]), 21.0)) == 3


def test_scenario_without_plan(tiny: tuple[Scenario, Plan]) -> None:
    scenario, _ = tiny
    counts = layer_counts(plan_deck(scenario, None))
    assert counts == {
        "catchments": 0,
        "routes": 0,
        "buildings": 4,
        "sites": 2,
        "site_labels": 0,
    }


def test_highlight_fades_other_sites(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan, highlight_site=0)
    b_site = building_sites(plan, scenario)
    for row, site in zip(_layer(deck, "buildings").data, b_site, strict=True):
        assert (row["colour"][3] == 220) == (site == 0)


def test_english_texts(tiny: tuple[Scenario, Plan]) -> None:
    scenario, plan = tiny
    deck = plan_deck(scenario, plan, lang="en")
    assert _layer(deck, "buildings").data[0]["tip"].startswith("building ")
    assert "desks" in _layer(deck, "site_labels").data[0]["text"]


def test_tiles() -> None:
    x, y = tile_xy(114.3, 30.58, 15)
    w, s, e, n = tile_bounds(15, x, y)
    assert w <= 114.3 < e
    assert s <= 30.58 < n
    z, tiles = tiles_for_bounds(114.28, 30.56, 114.33, 30.60, max_tiles=20)
    assert 12 <= z <= 18
    assert 0 < len(tiles) <= 20
    _, more = tiles_for_bounds(114.28, 30.56, 114.33, 30.60, max_tiles=200)
    assert len(more) > len(tiles)


def test_basemap_choice() -> None:
    assert basemap_for("none") is None
    assert basemap_for("amap") is AMAP
    custom = basemap_for("custom", "https://t.example.cn/{z}/{x}/{y}.png", "gcj02")
    assert custom == Basemap("https://t.example.cn/{z}/{x}/{y}.png", "gcj02")
    with pytest.raises(PlannerError) as info:
        basemap_for("custom", "https://t.example.cn/tile.png")
    assert "tile URL" in error_text(info.value, "en")
    assert "瓦片地址" in error_text(info.value, "zh")
    with pytest.raises(ValueError, match="unknown basemap"):
        basemap_for("google")


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Plan]:
    """A generated street with its grids, compounds and walkways, and a plan."""
    from planner.generate import generate_street
    from planner.io.writers import write_geo_layers, write_scenario_folder

    folder = tmp_path_factory.mktemp("street")
    g = generate_street(2500, seed=5, sealed_buildings=1)
    write_scenario_folder(g.tables, g.meta, folder)
    write_geo_layers(g.layers, folder)
    loaded = load_scenario(folder)
    plan = make_plan(
        loaded.scenario,
        loaded.policy,
        SolveParams(time_limit_s=5.0, deterministic_time=1.0, route_time_limit_s=2.0),
    )
    return loaded.scenario, plan


def test_street_context_is_drawn_offline(street: tuple[Scenario, Plan]) -> None:
    scenario, plan = street
    deck = plan_deck(scenario, plan)
    counts = layer_counts(deck)
    assert list(counts)[:4] == ["compounds", "catchments", "walkways", "grids"]
    assert counts["compounds"] == len(scenario.compound_areas)
    assert counts["grids"] >= len(scenario.grid_areas)
    assert scenario.walk_network is not None
    assert counts["walkways"] == len(scenario.walk_network.edge_u)
    assert "tile-" not in json.dumps(json.loads(deck.to_json())["layers"])


def test_routes_follow_the_walking_network(street: tuple[Scenario, Plan]) -> None:
    """No leg of a drawn route is longer than a network edge plus the snap to it."""
    scenario, plan = street
    assert plan.teams
    net = scenario.walk_network
    assert net is not None
    routes = _layer(plan_deck(scenario, plan), "routes").data
    straight = [
        len({int(scenario.households.building[h]) for h in t.households}) + 2
        for t in plan.teams
    ]
    k = 111_320.0
    cos0 = np.cos(np.radians(float(np.mean(scenario.buildings.lat))))
    longest_edge = float(net.edge_len_m.max())
    for route, n_stops in zip(routes, straight, strict=True):
        path = np.asarray(route["path"])
        assert len(path) > n_stops  # more vertices than stops: it turns at corners
        legs = np.hypot(np.diff(path[:, 0]) * k * cos0, np.diff(path[:, 1]) * k)
        assert legs.max() <= longest_edge + 130.0


def test_legend_lists_what_is_drawn(
    street: tuple[Scenario, Plan], tiny: tuple[Scenario, Plan]
) -> None:
    from planner.app.mapping import legend_entries, legend_html

    scenario, plan = street
    labels = [label for _, label in legend_entries(scenario, plan, "zh")]
    assert {"网格边界", "小区", "步行路网", "采样点服务范围"} <= set(labels)
    assert "上门采样路线（沿步行路网）" in labels
    bare = [label for _, label in legend_entries(tiny[0], tiny[1], "zh")]
    assert "步行路网" not in bare and "上门采样路线（直线连接）" in bare
    html = legend_html(legend_entries(scenario, plan, "en"), "Legend")
    assert "Walking network" in html and "<script" not in html


def test_site_map_picture(street: tuple[Scenario, Plan]) -> None:
    from PIL import Image

    from planner.app.mapping import site_map_png

    scenario, plan = street
    site = int(np.flatnonzero(plan.site_open)[0])
    png = site_map_png(scenario, plan, site)
    image = Image.open(__import__("io").BytesIO(png))
    assert image.format == "PNG" and image.width > 300
