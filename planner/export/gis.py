"""The plan as GeoJSON and CSV for QGIS: sites, buildings and door-to-door routes.

GeoJSON follows RFC 7946: a ``FeatureCollection`` of WGS-84 longitude/latitude
positions (no ``crs`` member), coordinates rounded to 7 decimals (about 1 cm), UTF-8.
QGIS opens the files as they are. The CSVs carry the same attributes with ``lon`` and
``lat`` columns (UTF-8 with BOM, so Excel shows the Chinese names).

* ``gis/sites.geojson``: every candidate site (Point) with ``open``, ``desks``,
  ``people``, ``households``, ``buildings``, ``first_slot``, ``last_slot``;
* ``gis/buildings.geojson``: every building (Point) with its ``site_id``, ``slots``,
  households and people by mode, walking distance;
* ``gis/routes.geojson``: every door-to-door team's route (LineString from its base
  through the buildings it visits and back).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.export._common import ExportData, records

DECIMALS = 7


def _value(v: Any) -> Any:
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _points(frame: pd.DataFrame, props: list[str]) -> dict[str, Any]:
    features = []
    for row in records(frame):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(float(row["lon"]), DECIMALS),
                        round(float(row["lat"]), DECIMALS),
                    ],
                },
                "properties": {p: _value(row[p]) for p in props},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _write_json(path: Path, obj: dict[str, Any]) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


SITE_PROPS = [
    "site_id",
    "name",
    "address",
    "community",
    "open",
    "fixed",
    "indoor",
    "desks",
    "people",
    "households",
    "buildings",
    "first_slot",
    "last_slot",
]
BUILDING_PROPS = [
    "building_id",
    "address",
    "grid_id",
    "community",
    "compound",
    "mode",
    "site_id",
    "site_name",
    "slots",
    "first_slot",
    "households",
    "people",
    "walk_up_people",
    "home_people",
    "walk_m",
]


def write_gis(data: ExportData, out: Path) -> list[Path]:
    """Write the GeoJSON and CSV files to ``out/gis`` and return their paths."""
    folder = out / "gis"
    folder.mkdir(parents=True, exist_ok=True)
    sites = data.sites
    buildings = data.buildings
    written = []
    for name, frame, props in (
        ("sites", sites, SITE_PROPS),
        ("buildings", buildings, BUILDING_PROPS),
    ):
        path = folder / f"{name}.geojson"
        _write_json(path, _points(frame, props))
        written.append(path)
        csv = folder / f"{name}.csv"
        frame[[*props, "lon", "lat"]].to_csv(csv, index=False, encoding="utf-8-sig")
        written.append(csv)
    path = folder / "routes.geojson"
    _write_json(path, _routes(data))
    written.append(path)
    return written


def _routes(data: ExportData) -> dict[str, Any]:
    hv = data.files.home_visits
    features: list[dict[str, Any]] = []
    if not len(hv):
        return {"type": "FeatureCollection", "features": features}
    site_xy = {
        str(s): (round(float(x), DECIMALS), round(float(y), DECIMALS))
        for s, x, y in zip(
            data.sites["site_id"], data.sites["lon"], data.sites["lat"], strict=True
        )
    }
    b = data.scenario.buildings
    b_xy = {
        str(i): (round(float(x), DECIMALS), round(float(y), DECIMALS))
        for i, x, y in zip(b.id, b.lon, b.lat, strict=True)
    }
    hv = hv.assign(_stop=pd.to_numeric(hv["stop"], errors="coerce"))
    for team, block in hv.sort_values("_stop").groupby("team_id", sort=True):
        depot = str(block["depot_site_id"].iloc[0])
        coords: list[tuple[float, float]] = []
        if depot in site_xy:
            coords.append(site_xy[depot])
        for bid in block["building_id"].astype(str):
            xy = b_xy.get(bid)
            if xy is not None and (not coords or coords[-1] != xy):
                coords.append(xy)
        if depot in site_xy:
            coords.append(site_xy[depot])
        if len(coords) < 2:
            coords = coords * 2
        if not coords:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [list(c) for c in coords],
                },
                "properties": {
                    "team_id": str(team),
                    "depot_site_id": depot,
                    "households": len(block),
                    "people": int(pd.to_numeric(block["people"]).sum()),
                    "first_arrive": str(block["arrive"].iloc[0]),
                    "team_back": str(block["team_back"].iloc[0]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
