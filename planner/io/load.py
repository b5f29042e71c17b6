"""Load a scenario folder or workbook into a frozen `Scenario`, or report every problem."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError, Issue, reason_of
from planner.geo.coords import to_wgs84
from planner.io.checks import (
    CheckedScenario,
    IssueLog,
    check_far_points,
    check_scenario,
    fill_building_coords,
)
from planner.io.tables import RawScenario, read_scenario_tables
from planner.model.policy import Policy, parse_day
from planner.model.scenario import (
    Buildings,
    Households,
    Inventory,
    Labs,
    Residents,
    Scenario,
    Sites,
    Staff,
    WalkNetwork,
)

GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
GRID_STEMS = ("grids", "网格")
WALKWAY_STEMS = ("walkways", "步行路网", "路网")
COMPOUND_STEMS = ("compounds", "小区")


@dataclass(frozen=True)
class LoadedScenario:
    """A loaded scenario, the policy to plan it with, and the warnings met on the way.

    `notes` list what was normalised on load (title rows, merged cells, full-width
    digits, units, blank and total rows), with counts and the first cells.
    """

    scenario: Scenario
    policy: Policy
    warnings: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class Inspection:
    """Everything `planner validate` learns about a scenario, even when it has errors.

    Parameters
    ----------
    raw
        The tables as read, with where each sits in its file (for marking cells).
    issues
        Errors, warnings and notes as listed to the user (at most
        ``MAX_ISSUES_PER_KIND`` of one kind, then a count).
    every_issue
        The same without the cap: every problem cell.
    loaded
        The loaded scenario, or None when there are errors.
    """

    raw: RawScenario
    issues: list[Issue]
    every_issue: list[Issue]
    loaded: LoadedScenario | None

    @property
    def ok(self) -> bool:
        """Whether no error was found (warnings and notes allowed)."""
        return self.loaded is not None


def _policy_for(path: Path, policy_path: Path | None, log: IssueLog) -> Policy:
    candidate = policy_path
    if candidate is None:
        beside = (
            path / "policy.toml" if path.is_dir() else path.with_suffix(".policy.toml")
        )
        candidate = beside if beside.exists() else None
    if candidate is None:
        return Policy()
    if not candidate.exists():
        log.add(Issue("error", "policy_missing", str(candidate)))
        return Policy()
    try:
        policy = Policy.from_toml(candidate)
    except InputError as exc:
        for issue in exc.issues:
            log.add(issue)
        return Policy()
    for issue in policy.problems(source=candidate.name):
        if issue.severity == "warning":
            log.add(issue)
    return policy


def _strings(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype(str).to_numpy(dtype=object)


def _ints(frame: pd.DataFrame, column: str, default: int) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), default, dtype=np.int64)
    v = frame[column].to_numpy(dtype=float)
    return np.where(np.isnan(v), default, v).astype(np.int64)


def _bools(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].to_numpy(dtype=bool)


def _codes(values: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    codes, uniques = pd.factorize(values.astype(str), sort=False)
    return codes.astype(np.int64), tuple(str(u) for u in uniques)


class _Projector:
    """Project WGS-84 degrees to whole metres around a centre (azimuthal equidistant)."""

    def __init__(self, lon0: float, lat0: float) -> None:
        from pyproj import Transformer

        self._t = Transformer.from_crs(
            "EPSG:4326",
            f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
            always_xy=True,
        )

    def __call__(
        self, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._t.transform(lon, lat)
        return (np.rint(x).astype(np.int64), np.rint(y).astype(np.int64))


def load_scenario(
    path: Path, *, policy_path: Path | None = None, day: dt.date | None = None
) -> LoadedScenario:
    """Read, check and convert a scenario.

    Parameters
    ----------
    path
        A scenario folder or a workbook (``.xlsx``, ``.xls``, ``.ods``).
    policy_path
        Policy TOML; by default ``policy.toml`` inside the folder (or
        ``<book>.policy.toml`` beside a workbook), else the built-in defaults.
    day
        The day the register is checked for (ages against ID numbers); by default
        the policy's ``round.screening_date``, else today.

    Returns
    -------
    LoadedScenario
        The frozen scenario, the policy and any warnings.

    Raises
    ------
    InputError
        With every problem found (errors and warnings), when any is an error.
    """
    inspection = inspect_scenario(path, policy_path=policy_path, day=day)
    if inspection.loaded is None:
        raise InputError(inspection.issues)
    return inspection.loaded


def inspect_scenario(
    path: Path, *, policy_path: Path | None = None, day: dt.date | None = None
) -> Inspection:
    """Read and check a scenario, and load it when it has no errors.

    Parameters
    ----------
    path
        A scenario folder or a workbook (``.xlsx``, ``.xls``, ``.ods``).
    policy_path, day
        Policy TOML and the day checked for, as for :func:`load_scenario`.

    Returns
    -------
    Inspection
        The raw tables, the issues (capped and all) and the loaded scenario or None.
    """
    raw = read_scenario_tables(path)
    log = IssueLog()
    policy = _policy_for(path, policy_path, log)
    if day is None and policy.round.screening_date:
        day = parse_day(policy.round.screening_date)
    checked = check_scenario(raw, day=day)
    lonlat: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in ("buildings", "sites"):
        t = checked.tables.get(name)
        if t is not None:
            nothing = np.full(len(t.frame), np.nan)
            lonlat[name] = to_wgs84(
                t.frame["lon"].to_numpy(dtype=float) if "lon" in t.frame else nothing,
                t.frame["lat"].to_numpy(dtype=float) if "lat" in t.frame else nothing,
                system=checked.coordinate_system,
            )
    geo = _read_geo_layers(path, log)
    if "buildings" in lonlat:
        lonlat["buildings"] = fill_building_coords(
            checked.tables["buildings"], *lonlat["buildings"], _area_centres(geo), log
        )
    centre = (0.0, 0.0)
    if "buildings" in lonlat:
        blon, blat = lonlat["buildings"]
        if np.isfinite(blon).any():
            centre = (float(np.nanmedian(blon)), float(np.nanmedian(blat)))
            for name, (lon, lat) in lonlat.items():
                check_far_points(checked.tables[name], lon, lat, centre, log)
    issues = checked.issues + log.finish()
    every = checked.every_issue + log.every
    if any(i.severity == "error" for i in issues):
        return Inspection(raw, issues, every, None)
    scenario = _build(checked, lonlat, centre, geo)
    loaded = LoadedScenario(
        scenario,
        policy,
        [i for i in issues if i.severity == "warning"],
        [i for i in issues if i.severity == "note"],
    )
    return Inspection(raw, issues, every, loaded)


def _build(
    checked: CheckedScenario,
    lonlat: dict[str, tuple[np.ndarray, np.ndarray]],
    centre: tuple[float, float],
    geo: tuple[
        tuple[tuple[str, str], ...] | None,
        pd.DataFrame | None,
        tuple[tuple[str, str], ...] | None,
    ],
) -> Scenario:
    t = checked.tables
    project = _Projector(*centre)
    bf = t["buildings"].frame
    grid_codes, grid_ids = _codes(bf["grid_id"])
    community_codes, communities = _codes(bf["community"])
    compound_codes, compounds = _codes(bf["community"] + "/" + bf["compound"])
    grid_community = tuple(
        int(community_codes[np.flatnonzero(grid_codes == g)[0]])
        for g in range(len(grid_ids))
    )
    blon, blat = lonlat["buildings"]
    bx, by = project(blon, blat)
    terrain = _strings(bf, "terrain")
    buildings = Buildings(
        id=_strings(bf, "building_id"),
        grid=grid_codes,
        community=community_codes,
        compound=compound_codes,
        lon=blon,
        lat=blat,
        x_m=bx,
        y_m=by,
        address=_strings(bf, "address"),
        floors=_ints(bf, "floors", 0),
        rural=np.isin(terrain, ["mountain", "rural", "山区", "农村", "山地"]),
    )
    hf = t["households"].frame
    b_index = pd.Index(buildings.id)
    households = Households(
        id=_strings(hf, "household_id"),
        building=b_index.get_indexer(pd.Index(hf["building_id"])).astype(np.int64),
        size=_ints(hf, "size", 0),
        sealed=_bools(hf, "sealed"),
        unit=_strings(hf, "unit"),
        room=_strings(hf, "room"),
        floor=_ints(hf, "floor", 0),
        pending=_bools(hf, "pending_review"),
    )
    residents = None
    if "residents" in t:
        rf = t["residents"].frame
        h_index = pd.Index(households.id)
        residents = Residents(
            id=_strings(rf, "resident_id"),
            household=h_index.get_indexer(pd.Index(rf["household_id"])).astype(
                np.int64
            ),
            name=_strings(rf, "name"),
            id_number=np.array(
                [v.upper() for v in _strings(rf, "id_number")], dtype=object
            ),
            phone=_strings(rf, "phone"),
            sex=_strings(rf, "sex"),
            age=_ints(rf, "age", -1),
            key_group=_bools(rf, "key_group"),
            homebound=_bools(rf, "homebound"),
        )
    sf = t["sites"].frame
    slon, slat = lonlat["sites"]
    sx, sy = project(slon, slat)
    sites = Sites(
        id=_strings(sf, "site_id"),
        name=_strings(sf, "name"),
        kind=_strings(sf, "kind"),
        address=_strings(sf, "address"),
        community=_strings(sf, "community"),
        lon=slon,
        lat=slat,
        x_m=sx,
        y_m=sy,
        max_desks=_ints(sf, "max_desks", 0),
        indoor=_bools(sf, "indoor"),
        fixed=_bools(sf, "fixed"),
        open_from_min=_ints(sf, "open_from", 0),
        open_to_min=_ints(sf, "open_to", 24 * 60),
    )
    tf = t["staff"].frame
    staff = Staff(
        id=_strings(tf, "staff_id"),
        name=_strings(tf, "name"),
        role=_strings(tf, "role"),
        organisation=_strings(tf, "organisation"),
        phone=_strings(tf, "phone"),
        available_from_min=_ints(tf, "available_from", 0),
        available_to_min=_ints(tf, "available_to", 24 * 60),
    )
    inf = t["inventory"].frame
    dates = (
        inf["date"].to_numpy(dtype="datetime64[D]")
        if "date" in inf
        else np.full(len(inf), np.datetime64("NaT"), dtype="datetime64[D]")
    )
    inventory = Inventory(
        item=_strings(inf, "item"),
        holder=_strings(inf, "holder"),
        on_hand=inf["on_hand"].to_numpy(dtype=float),
        unit=_strings(inf, "unit"),
        date=dates,
    )
    labs = (
        _labs(t["labs"].frame, checked.coordinate_system, project)
        if "labs" in t
        else None
    )
    grid_areas, edges, compound_areas = geo
    network = None
    if edges is not None and len(edges):
        network = _network_from_segments(edges, project)
    return Scenario(
        name=checked.meta.get("name", "") or "未命名街道",
        coordinate_system=checked.coordinate_system,
        origin_lon=centre[0],
        origin_lat=centre[1],
        grid_ids=grid_ids,
        grid_community=grid_community,
        communities=communities,
        compounds=compounds,
        buildings=buildings,
        households=households,
        residents=residents,
        sites=sites,
        staff=staff,
        inventory=inventory,
        grid_areas=grid_areas or (),
        walk_network=network,
        compound_areas=compound_areas or (),
        hotlines=_hotlines(checked.meta),
        labs=labs,
    )


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype=float)


def _labs(frame: pd.DataFrame, system: str, project: _Projector) -> Labs:
    """Build the labs table; a lab without coordinates has no location (NaN)."""
    lon, lat = _floats(frame, "lon"), _floats(frame, "lat")
    where = np.isfinite(lon) & np.isfinite(lat)
    wlon, wlat = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    x, y = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    if where.any():
        wlon[where], wlat[where] = to_wgs84(lon[where], lat[where], system=system)
        px, py = project(wlon[where], wlat[where])
        x[where], y[where] = px, py
    rate = _floats(frame, "tubes_per_hour")
    return Labs(
        name=_strings(frame, "name"),
        lon=wlon,
        lat=wlat,
        x_m=x,
        y_m=y,
        tubes_per_h=np.where(np.isfinite(rate), rate, 0.0),
        open_min=_ints(frame, "open_from", 0),
        close_min=_ints(frame, "open_to", 24 * 60),
        result_h=_floats(frame, "result_hours"),
    )


def _hotlines(meta: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Return the metadata's hotlines: ``hotline`` (the street's) and per community."""
    out: list[tuple[str, str]] = []
    for key, value in meta.items():
        phone = value.strip()
        if not phone:
            continue
        if key == "hotline":
            out.append(("", phone))
        elif key.startswith(("hotline.", "hotlines.")):
            out.append((key.split(".", 1)[1].strip(), phone))
    return tuple(out)


def _area_centres(
    geo: tuple[
        tuple[tuple[str, str], ...] | None,
        pd.DataFrame | None,
        tuple[tuple[str, str], ...] | None,
    ],
) -> dict[str, dict[str, tuple[float, float]]]:
    """Return the centres of the grid and compound outlines, by grid id and compound."""
    grids, _, compounds = geo
    if not grids and not compounds:
        return {}
    from shapely import wkt as shapely_wkt

    def centres(
        areas: tuple[tuple[str, str], ...] | None,
    ) -> dict[str, tuple[float, float]]:
        out = {}
        for name, text in areas or ():
            point = shapely_wkt.loads(text).representative_point()
            out[str(name)] = (float(point.x), float(point.y))
        return out

    return {"grid": centres(grids), "compound": centres(compounds)}


def _find_geo(path: Path, stems: tuple[str, ...]) -> Path | None:
    """Find a map layer in a scenario folder, or ``book.<stem>.geojson`` beside a book."""
    if path.is_dir():
        folder, names = path, set(stems)
    elif path.parent.is_dir():
        folder, names = path.parent, {f"{path.stem.lower()}.{s}" for s in stems}
    else:
        return None
    for f in sorted(folder.iterdir()):
        if f.suffix.lower() in GEO_SUFFIXES and f.stem.lower() in names:
            return f
    return None


def _read_geo_layers(
    path: Path, log: IssueLog
) -> tuple[
    tuple[tuple[str, str], ...] | None,
    pd.DataFrame | None,
    tuple[tuple[str, str], ...] | None,
]:
    """Read optional grid and compound polygons and walkway lines, in WGS-84."""
    grids_file = _find_geo(path, GRID_STEMS)
    walk_file = _find_geo(path, WALKWAY_STEMS)
    compounds_file = _find_geo(path, COMPOUND_STEMS)
    if grids_file is None and walk_file is None and compounds_file is None:
        return None, None, None
    import geopandas as gpd

    def read(f: Path, expected: tuple[str, ...], label: str) -> gpd.GeoDataFrame | None:
        try:
            gdf = gpd.read_file(f)
        except Exception as exc:  # pyogrio raises several types for broken files
            log.add(Issue("error", "file_unreadable", f.name, params=reason_of(exc)))
            return None
        if gdf.crs is None:
            log.add(Issue("warning", "geo_no_crs", f.name))
            gdf = gdf.set_crs("EPSG:4326")
        gdf = gdf.to_crs("EPSG:4326")
        types = set(gdf.geom_type.dropna())
        if not types <= set(expected):
            log.add(
                Issue(
                    "error",
                    "geo_bad_geometry",
                    f.name,
                    params=(("expected", label), ("actual", ",".join(sorted(types)))),
                )
            )
            return None
        return gdf

    def areas(
        f: Path | None, names: tuple[str, ...]
    ) -> tuple[tuple[str, str], ...] | None:
        """Return a polygon layer's (name, WKT) pairs, or None (no file, a problem).

        The name column is the first of `names` the layer has; without one the
        problem is logged against the file.
        """
        if f is None:
            return None
        g = read(f, ("Polygon", "MultiPolygon"), "Polygon")
        if g is None:
            return None
        column = next((n for n in names if n in g.columns), None)
        if column is None:
            wanted = f"{names[0]}/{names[1]}"
            log.add(
                Issue("error", "column_missing", f.name, 1, "", (("column", wanted),))
            )
            return None
        return tuple(
            (str(name), geom.wkt)
            for name, geom in zip(g[column], g.geometry, strict=True)
        )

    grid_areas = areas(grids_file, ("grid_id", "网格", "网格编号"))
    edges = None
    if walk_file is not None:
        w = read(walk_file, ("LineString", "MultiLineString"), "LineString")
        if w is not None:
            rows: list[tuple[float, float, float, float]] = []
            for geom in w.geometry.explode(index_parts=False):
                coords = list(geom.coords)
                for (x1, y1, *_), (x2, y2, *_) in itertools.pairwise(coords):
                    rows.append((x1, y1, x2, y2))
            edges = pd.DataFrame(rows, columns=["lon1", "lat1", "lon2", "lat2"])
    compound_areas = areas(compounds_file, ("compound", "小区", "小区名称"))
    return grid_areas, edges, compound_areas


def _network_from_segments(edges: pd.DataFrame, project: _Projector) -> WalkNetwork:
    x1, y1 = project(edges["lon1"].to_numpy(), edges["lat1"].to_numpy())
    x2, y2 = project(edges["lon2"].to_numpy(), edges["lat2"].to_numpy())
    # nodes are snapped to whole metres, so segments that meet share a node
    pts = np.concatenate([np.stack([x1, y1], 1), np.stack([x2, y2], 1)])
    uniq, inverse = np.unique(pts, axis=0, return_inverse=True)
    n = len(edges)
    u, v = inverse[:n].astype(np.int64), inverse[n:].astype(np.int64)
    length = np.rint(np.hypot(x2 - x1, y2 - y1)).astype(np.int64)
    keep = u != v
    return WalkNetwork(
        node_x_m=uniq[:, 0].astype(np.int64),
        node_y_m=uniq[:, 1].astype(np.int64),
        edge_u=u[keep],
        edge_v=v[keep],
        edge_len_m=length[keep],
    )
