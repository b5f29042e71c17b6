"""Buildings without coordinates: placed at their compound's (or grid's) point, each
one reported with its file and row, and the street still plans."""

import json
from pathlib import Path

import pandas as pd
import pytest

from planner.errors import InputError
from planner.io.load import inspect_scenario, load_scenario
from planner.model.modes import UNASSIGNED, WALK_UP
from planner.planning.plan import SolveParams
from planner.round.run import run_round
from planner.text import render_issue


def _blank(street: Path, ids: list[str]) -> pd.DataFrame:
    path = street / "buildings.csv"
    b = pd.read_csv(path, dtype=str)
    original = b.copy()
    b.loc[b["building_id"].isin(ids), ["lon", "lat"]] = ""
    b.to_csv(path, index=False)
    return original


def test_a_building_without_coordinates_takes_its_compounds_point(
    tiny_copy: Path,
) -> None:
    _blank(tiny_copy, ["B2"])
    loaded = load_scenario(tiny_copy)
    b = loaded.scenario.buildings
    i, j = list(b.id).index("B2"), list(b.id).index("B1")
    assert (b.lon[i], b.lat[i]) == pytest.approx((b.lon[j], b.lat[j]))  # 锦绣花园
    (warning,) = [w for w in loaded.warnings if w.code.startswith("coords_from_")]
    assert warning.code == "coords_from_compound_buildings"
    assert warning.row == 3  # B2 is the second data row of buildings.csv
    line = render_issue(warning)
    assert "buildings.csv" in line and "B2" in line and "锦绣花园" in line


def _grid_outlines(street: Path, original: pd.DataFrame) -> None:
    features = []
    for grid, rows in original.groupby("grid_id"):
        lon, lat = rows["lon"].astype(float).mean(), rows["lat"].astype(float).mean()
        d = 0.001
        ring = [
            [lon - d, lat - d],
            [lon + d, lat - d],
            [lon + d, lat + d],
            [lon - d, lat + d],
            [lon - d, lat - d],
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"grid_id": grid},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    (street / "grids.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), "utf-8"
    )


def test_a_register_without_any_coordinates_plans_from_the_grid_outlines(
    tiny_copy: Path, fast_params: SolveParams
) -> None:
    path = tiny_copy / "buildings.csv"
    original = pd.read_csv(path, dtype=str)
    original.drop(columns=["lon", "lat"]).to_csv(path, index=False)
    _grid_outlines(tiny_copy, original)
    loaded = load_scenario(tiny_copy)
    placed = [w for w in loaded.warnings if w.code == "coords_from_grid_area"]
    # every building is reported, by its row
    assert sorted(dict(w.params)["building"] for w in placed) == sorted(
        original["building_id"]
    )
    assert sorted(w.row for w in placed) == list(range(2, 2 + len(original)))
    result = run_round(loaded.scenario, loaded.policy, fast_params, certify=False)
    assert (
        result.plan.hh_mode != UNASSIGNED
    ).all()  # every household has a site or a team
    assert (result.plan.hh_mode == WALK_UP).any()


def test_without_coordinates_or_outlines_each_building_is_an_error(
    tiny_copy: Path,
) -> None:
    _blank(tiny_copy, ["B1", "B2", "B3", "B4"])
    inspection = inspect_scenario(tiny_copy)
    assert inspection.loaded is None
    errors = [i for i in inspection.issues if i.code == "building_no_coords"]
    assert [e.row for e in errors] == [2, 3, 4, 5]
    with pytest.raises(InputError):
        load_scenario(tiny_copy)


def test_the_template_says_building_coordinates_may_be_left_empty(
    tmp_path: Path,
) -> None:
    import openpyxl

    from planner.io.template import write_template

    book = openpyxl.load_workbook(write_template(tmp_path / "template.xlsx"))
    guide = [
        [str(c) for c in row if c is not None]
        for row in book["填表说明"].iter_rows(values_only=True)
    ]
    lon = next(r for r in guide if r[:2] == ["楼栋", "经度"])
    assert "可留空" in " ".join(lon) and "选填" in lon
    assert book["情景"]["A4"].value == "咨询电话"
