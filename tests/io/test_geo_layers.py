"""Optional geographic layers: grid polygons and a walking network."""

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Polygon

from planner import InputError, Policy, load_scenario
from planner.geo.walking import walk_arcs


def _walkways(folder: Path, lines: list[list[tuple[float, float]]]) -> None:
    gdf = gpd.GeoDataFrame(
        {"name": [f"路{i}" for i in range(len(lines))]},
        geometry=[LineString(c) for c in lines],
        crs="EPSG:4326",
    )
    gdf.to_file(folder / "walkways.geojson", driver="GeoJSON")


def test_grid_polygons_load_as_wkt(tiny_copy: Path) -> None:
    square = Polygon(
        [(114.299, 30.579), (114.302, 30.579), (114.302, 30.581), (114.299, 30.581)]
    )
    gpd.GeoDataFrame({"grid_id": ["G1"]}, geometry=[square], crs="EPSG:4326").to_file(
        tiny_copy / "grids.gpkg", driver="GPKG"
    )
    s = load_scenario(tiny_copy).scenario
    assert [g for g, _ in s.grid_areas] == ["G1"]
    assert s.grid_areas[0][1].startswith("POLYGON")


def test_walking_network_gives_path_distances(tiny_copy: Path, tiny_dir: Path) -> None:
    """B3 reaches S2 over the network only by a long detour, so S2 drops out of reach."""
    # a street from B3 west to S1, then a long way round to S2
    _walkways(
        tiny_copy,
        [
            [(114.3050, 30.5830), (114.3005, 30.5805)],  # B3 - S1
            [
                (114.3000, 30.5800),
                (114.3005, 30.5805),
                (114.3010, 30.5800),
            ],  # B1 - S1 - B2
            [
                (114.3005, 30.5805),
                (114.3005, 30.5900),
                (114.3080, 30.5900),
                (114.3080, 30.5850),
            ],  # S1 - far north - S2
            [(114.3100, 30.5860), (114.3080, 30.5850)],  # B4 - S2
        ],
    )
    s = load_scenario(tiny_copy).scenario
    assert s.walk_network is not None
    arcs = walk_arcs(s, Policy().walking)
    reach = {(int(b), int(j)) for b, j in zip(arcs.building, arcs.site, strict=True)}
    assert (2, 0) in reach  # B3 - S1 along the street
    assert (2, 1) not in reach  # B3 - S2 is ~2 km round, beyond 15 minutes
    assert (3, 1) in reach
    # straight lines (no network) put S2 within reach of B3
    plain = walk_arcs(load_scenario(tiny_dir).scenario, Policy().walking)
    assert (2, 1) in {
        (int(b), int(j)) for b, j in zip(plain.building, plain.site, strict=True)
    }


def test_wrong_geometry_type_is_reported(tiny_copy: Path) -> None:
    gpd.GeoDataFrame(
        {"grid_id": ["G1"]},
        geometry=[LineString([(114.3, 30.58), (114.31, 30.59)])],
        crs="EPSG:4326",
    ).to_file(tiny_copy / "grids.geojson", driver="GeoJSON")
    with pytest.raises(InputError) as exc:
        load_scenario(tiny_copy)
    assert any(
        i.code == "geo_bad_geometry" and i.file == "grids.geojson"
        for i in exc.value.issues
    )


@pytest.mark.parametrize(
    ("stem", "named", "wanted"),
    [("grids", "网格编号", "grid_id/网格"), ("compounds", "小区名称", "compound/小区")],
)
def test_polygon_layers_name_their_areas(
    tiny_copy: Path, stem: str, named: str, wanted: str
) -> None:
    """Grids and compounds take a Chinese name column too; without one, the file is named."""
    square = Polygon(
        [(114.299, 30.579), (114.302, 30.579), (114.302, 30.581), (114.299, 30.581)]
    )
    layer = tiny_copy / f"{stem}.geojson"
    gdf = gpd.GeoDataFrame({named: ["A1"]}, geometry=[square], crs="EPSG:4326")
    gdf.to_file(layer, driver="GeoJSON")
    s = load_scenario(tiny_copy).scenario
    areas = s.grid_areas if stem == "grids" else s.compound_areas
    assert [name for name, _ in areas or ()] == ["A1"]
    gdf.rename(columns={named: "label"}).to_file(layer, driver="GeoJSON")
    with pytest.raises(InputError) as exc:
        load_scenario(tiny_copy)
    assert any(
        i.code == "column_missing"
        and i.file == layer.name
        and dict(i.params) == {"column": wanted}
        for i in exc.value.issues
    )
