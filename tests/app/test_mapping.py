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
    # the address is the register's own (Chinese here); the words around it English
    assert " people | to " in _layer(deck, "buildings").data[0]["tip"]
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
    assert "上门采样路线（每个上门组一种颜色，沿步行路网）" in labels
    bare = [label for _, label in legend_entries(tiny[0], tiny[1], "zh")]
    assert "步行路网" not in bare
    assert "上门采样路线（每个上门组一种颜色，直线连接）" in bare
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


def test_route_legend_shows_the_teams_colours(street: tuple[Scenario, Plan]) -> None:
    """Routes are drawn one colour per team: the legend's swatch shows those colours."""
    from planner.app.mapping import legend_entries

    scenario, plan = street
    assert len(plan.teams) >= 2
    drawn = [
        tuple(r["colour"][:3]) for r in _layer(plan_deck(scenario, plan), "routes").data
    ]
    assert len(set(drawn)) >= 2  # not one red for all
    swatch = next(
        css
        for css, label in legend_entries(scenario, plan, "zh")
        if "上门采样路线" in label
    )
    for rgb in drawn[: min(4, len(drawn))]:
        assert f"rgba({rgb[0]},{rgb[1]},{rgb[2]},1)" in swatch


def test_greedy_colours_tell_neighbours_apart() -> None:
    """A 4 x 4 block of touching square catchments: no two neighbours share a colour."""
    from shapely.geometry import box

    from planner.export.plan_map import PALETTE, greedy_colours, neighbours

    shapes = {
        (i, j): box(i * 300.0, j * 300.0, (i + 1) * 300.0, (j + 1) * 300.0)
        for i in range(4)
        for j in range(4)
    }
    order = list(shapes)
    near = neighbours(shapes, order, 120.0)
    assert near[(1, 1)] == {
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 2),
        (2, 0),
        (2, 1),
        (2, 2),
    }
    assert (3, 3) not in near[(0, 0)]
    colours = greedy_colours(order, near, PALETTE)
    assert all(colours[a] != colours[b] for a in order for b in near[a])


def test_neighbouring_sites_take_different_colours(
    street: tuple[Scenario, Plan],
) -> None:
    """Sites whose catchments touch or come within NEAR_M differ in colour, on the map."""
    from planner.app.mapping import catchment_metres, plan_colours
    from planner.export.plan_map import NEAR_M

    scenario, plan = street
    b_site = building_sites(plan, scenario)
    colours = plan_colours(scenario, b_site, plan.site_open)
    assert set(colours) == set(np.flatnonzero(plan.site_open).tolist())
    areas = catchment_metres(scenario, b_site)
    pairs = [
        (a, b)
        for a in areas
        for b in areas
        if a < b and areas[a].distance(areas[b]) < NEAR_M
    ]
    assert pairs  # the street has neighbours, so the test is not empty
    assert all(colours[a] != colours[b] for a, b in pairs)
    deck = plan_deck(scenario, plan)
    fills = {r["site_id"]: tuple(r["fill"][:3]) for r in _layer(deck, "sites").data}
    for a, b in pairs:
        assert fills[str(scenario.sites.id[a])] != fills[str(scenario.sites.id[b])]


def test_building_tip_names_address_site_and_slot(
    street: tuple[Scenario, Plan],
) -> None:
    """A building's hover text: its register address, its site's name, its slot time."""
    from planner.model.clock import hhmm
    from planner.model.modes import WALK_UP

    scenario, plan = street
    b_site = building_sites(plan, scenario)
    rows = _layer(plan_deck(scenario, plan), "buildings").data
    checked = 0
    for i in np.flatnonzero(b_site >= 0)[:25].tolist():
        tip = rows[i]["tip"]
        site = int(b_site[i])
        assert str(scenario.buildings.address[i]) in tip
        assert str(scenario.sites.name[site]) in tip
        mine = (
            (scenario.households.building == i)
            & (plan.hh_mode == WALK_UP)
            & (plan.hh_site == site)
        )
        first = int(plan.slots.start_min[plan.hh_slot[mine].min()])
        last = (
            int(plan.slots.start_min[plan.hh_slot[mine].max()])
            + plan.slots.slot_minutes
        )
        assert f"{hhmm(first)}–{hhmm(last)}" in tip
        assert str(scenario.buildings.id[i]) not in tip  # the address, not the code
        checked += 1
    assert checked > 0


def _visible(view, width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """Return the (west, south, east, north) a deck.gl view shows at this size."""
    import math

    scale = 512.0 * 2.0**view.zoom
    half_lon = width_px / 2 / scale * 360.0
    y0 = (1 - math.asinh(math.tan(math.radians(view.latitude))) / math.pi) / 2 * scale

    def lat_at(y: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))

    return (
        view.longitude - half_lon,
        lat_at(y0 + height_px / 2),
        view.longitude + half_lon,
        lat_at(y0 - height_px / 2),
    )


def test_choosing_a_site_zooms_to_it(street: tuple[Scenario, Plan]) -> None:
    """The view of a chosen site shows it and all its buildings, closer than the street."""
    scenario, plan = street
    b_site = building_sites(plan, scenario)
    whole = plan_deck(scenario, plan, width_px=1100, height_px=720).initial_view_state
    for site in np.flatnonzero(plan.site_open).tolist():
        view = plan_deck(
            scenario, plan, highlight_site=site, width_px=1100, height_px=720
        ).initial_view_state
        west, south, east, north = _visible(view, 1100, 720)
        mine = np.flatnonzero(b_site == site)
        lon = np.append(scenario.buildings.lon[mine], scenario.sites.lon[site])
        lat = np.append(scenario.buildings.lat[mine], scenario.sites.lat[site])
        assert west <= lon.min() and lon.max() <= east
        assert south <= lat.min() and lat.max() <= north
        assert view.zoom >= whole.zoom
        # centred on the site's own buildings, not on the street
        assert lon.min() <= view.longitude <= lon.max()
        assert lat.min() <= view.latitude <= lat.max()
