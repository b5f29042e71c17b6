"""Build the plan map as a pydeck `Deck`: pure functions, no Streamlit, no network.

The map draws *buildings*, never residents, so a street of 150,000 people is a few
thousand points and lines. Layers, bottom to top:

- ``tile-<z>-<x>-<y>``: optional basemap tiles (one ``BitmapLayer`` each), only when a
  :class:`Basemap` is given; by default there is no basemap at all (offline);
- ``grids``: grid polygons (``PolygonLayer``), when the scenario has ``grid_areas``;
- ``catchments``: each open site's catchment, the union of its buildings' Voronoi
  cells, in the site's colour; neighbouring catchments take different colours
  (``PolygonLayer``, :func:`plan_colours`);
- ``routes``: door-to-door team routes, depot → households → depot (``PathLayer``);
- ``buildings``: buildings coloured by their site (``ScatterplotLayer``);
- ``sites``: candidate sites, open ones sized by desks (``ScatterplotLayer``);
- ``site_labels``: name and desks of the open sites, thinned so that no two overlap
  in the initial view, busiest (or the highlighted) site first (``TextLayer``).

Every row carries a ``tip`` text shown on hover (a building's: its address, its site's
name and its slot time). A chosen site is emphasised and the view fitted to it and
its buildings (:func:`site_view`); otherwise the view fits the whole street.

Coordinates are WGS-84 unless the basemap's tiles are GCJ-02 (Amap/高德, Tencent), in
which case every coordinate drawn is shifted with
:func:`planner.geo.coords.wgs84_to_gcj02` so points sit on the tiles.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pydeck as pdk

from planner.errors import PlannerError
from planner.export import plan_map
from planner.geo.coords import wgs84_to_gcj02
from planner.model.clock import hhmm
from planner.model.modes import HOME_VISIT, UNASSIGNED, WALK_UP
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray, IntArray
from planner.text import MAP_TIPS, Lang, lang_index, tr

Colour = list[int]

PALETTE: tuple[tuple[int, int, int], ...] = tuple(
    (int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)) for h in plan_map.PALETTE
)
"""Site colours, the plan document's; neighbouring catchments differ (:func:`plan_colours`)."""

HOME_VISIT_COLOUR = (220, 20, 60)
"""Buildings whose households are all sampled at home (sealed or homebound)."""

NO_SITE_COLOUR = (128, 128, 128)
"""Buildings with no site (no plan yet, or unassigned)."""

CLOSED_SITE_COLOUR = (160, 160, 160)
"""Candidate sites the plan does not open."""

FONT_FAMILY = (
    '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
    '"Microsoft YaHei", "PingFang SC", sans-serif'
)
"""Fonts for the site labels; any installed CJK font will do."""


@dataclass(frozen=True, slots=True)
class Basemap:
    """A raster tile basemap (XYZ tiles), drawn as one bitmap per tile.

    Parameters
    ----------
    url
        Tile URL template with ``{z}``, ``{x}`` and ``{y}``.
    coordinate_system
        ``wgs84`` (OpenStreetMap and most others) or ``gcj02`` (Amap/高德, Tencent):
        the coordinates the tiles are drawn in.
    max_tiles
        Most tiles to request; the zoom is the highest that covers the street with
        at most this many.
    attribution
        Credit line to show beside the map.
    min_zoom, max_zoom
        Zoom levels the tiles exist at (an MBTiles file holds only some).
    """

    url: str
    coordinate_system: Literal["wgs84", "gcj02"] = "wgs84"
    max_tiles: int = 48
    attribution: str = ""
    min_zoom: int = 12
    max_zoom: int = 18


OSM = Basemap(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "wgs84",
    attribution="© OpenStreetMap contributors",
)
"""OpenStreetMap standard tiles (WGS-84)."""

AMAP = Basemap(
    "https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}",
    "gcj02",
    attribution="© 高德地图 AutoNavi",
)
"""Amap (高德) road tiles, drawn in GCJ-02."""

BASEMAPS: dict[str, Basemap] = {"osm": OSM, "amap": AMAP}
"""Ready-made basemaps by name."""


def basemap_for(
    choice: str, url: str = "", coordinate_system: str = "wgs84", mbtiles: str = ""
) -> Basemap | None:
    """Return the basemap chosen in the UI.

    `choice` is ``none``, a name of :data:`BASEMAPS`, ``custom`` with `url`, an XYZ
    tile URL template (an intranet 天地图 or Amap mirror), or ``mbtiles`` with
    `mbtiles`, the path of a local MBTiles file the app itself serves; custom and
    MBTiles tiles are drawn in `coordinate_system`.

    Raises
    ------
    PlannerError
        For a custom URL without ``{z}``, ``{x}`` and ``{y}`` or an MBTiles file that
        cannot be used (:class:`planner.app.tiles.MBTilesError`); the message is a
        text key (:func:`planner.text.error_text`).
    ValueError
        For an unknown choice or coordinate system (a bug of the caller).
    """
    if choice == "none":
        return None
    if choice in BASEMAPS:
        return BASEMAPS[choice]
    if coordinate_system not in ("wgs84", "gcj02"):
        raise ValueError(f"unknown coordinate system {coordinate_system!r}")
    crs: Literal["wgs84", "gcj02"] = (
        "gcj02" if coordinate_system == "gcj02" else "wgs84"
    )
    if choice == "mbtiles":
        from pathlib import Path

        from planner.app.tiles import register, tile_url

        if not mbtiles.strip():
            raise PlannerError(key="basemap_no_mbtiles")
        key, reader = register(Path(mbtiles.strip()))
        return Basemap(
            tile_url(key),
            crs,
            attribution=reader.info.name,
            min_zoom=reader.info.min_zoom,
            max_zoom=reader.info.max_zoom,
        )
    if choice != "custom":
        raise ValueError(f"unknown basemap {choice!r}")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise PlannerError(key="basemap_url_xyz", values={"url": url})
    return Basemap(url.strip(), crs)


def _literal(text: str) -> str:
    """Quote a string so pydeck passes it as a value, not as an accessor expression."""
    if "`" in text:
        raise ValueError(f"backtick in {text!r}")
    return f"`{text}`"


def _rgba(rgb: tuple[int, int, int], alpha: int) -> Colour:
    return [int(rgb[0]), int(rgb[1]), int(rgb[2]), int(alpha)]


def site_colour(site: int) -> tuple[int, int, int]:
    """Return a colour for site index `site` alone (no plan: nothing to tell apart)."""
    return PALETTE[site % len(PALETTE)]


def plan_colours(
    scenario: Scenario, b_site: IntArray, site_open: npt.NDArray[np.bool_]
) -> dict[int, tuple[int, int, int]]:
    """Return each open site's colour, by site index, neighbours told apart.

    Two sites are neighbours when their catchments (:func:`catchment_metres`) come
    within :data:`planner.export.plan_map.NEAR_M`; an open site without buildings
    counts by its own position. A greedy colouring over the
    12-colour :data:`PALETTE` then gives neighbours different colours (the plan
    document's map colours the same way).
    """
    from shapely.geometry import Point

    areas = catchment_metres(scenario, b_site)
    order = [int(j) for j in np.flatnonzero(site_open).tolist()]
    if not order:
        return {}
    lon0, lat0 = _origin(scenario)
    x, y = _local_xy(scenario.sites.lon, scenario.sites.lat, lon0, lat0)
    shapes = {
        j: areas[j] if j in areas else Point(float(x[j]), float(y[j])).buffer(1.0)
        for j in order
    }
    near = plan_map.neighbours(shapes, order, plan_map.NEAR_M)
    return plan_map.greedy_colours(order, near, PALETTE)


def building_sites(plan: Plan, scenario: Scenario) -> IntArray:
    """Return each building's walk-up site (-1 when none).

    A building normally goes to one site; if its households were split, the site
    taking most of its walk-up people is returned.
    """
    n_b = len(scenario.buildings)
    n_s = len(scenario.sites)
    walk = (plan.hh_mode == WALK_UP) & (plan.hh_site >= 0)
    b = scenario.households.building[walk]
    s = plan.hh_site[walk]
    people = np.bincount(
        b * n_s + s, weights=plan.hh_people[walk], minlength=n_b * n_s
    ).reshape(n_b, n_s)
    out: IntArray = people.argmax(axis=1).astype(np.int64)
    out[people.max(axis=1) <= 0] = -1
    return out


def _building_home_visit(plan: Plan, scenario: Scenario) -> npt.NDArray[np.bool_]:
    """Return whether any household of each building is sampled at home."""
    n_b = len(scenario.buildings)
    home = plan.hh_mode == HOME_VISIT
    counts = np.bincount(scenario.households.building[home], minlength=n_b)
    return np.asarray(counts > 0)


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Return the XYZ tile containing a point at zoom `z` (Web Mercator)."""
    n = 2**z
    lat = max(min(lat, 85.0511), -85.0511)
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Return a tile's ``(west, south, east, north)`` in degrees."""
    n = 2**z

    def lat(yy: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * yy / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def tiles_for_bounds(
    west: float,
    south: float,
    east: float,
    north: float,
    *,
    max_tiles: int,
    min_zoom: int = 12,
    max_zoom: int = 18,
) -> tuple[int, list[tuple[int, int]]]:
    """Return the highest zoom covering the box with at most `max_tiles` tiles.

    Zooms from `min_zoom` to `max_zoom` are tried (12–18 by default); the lowest is
    taken even when it needs more tiles.

    Returns
    -------
    tuple
        The zoom and the ``(x, y)`` of every tile, row by row.
    """
    best: tuple[int, list[tuple[int, int]]] | None = None
    for z in range(min_zoom, max(min_zoom, max_zoom) + 1):
        x0, y0 = tile_xy(west, north, z)
        x1, y1 = tile_xy(east, south, z)
        tiles = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
        if best is not None and len(tiles) > max_tiles:
            break
        best = (z, tiles)
    assert best is not None
    return best


def basemap_layers(
    basemap: Basemap, west: float, south: float, east: float, north: float
) -> list[pdk.Layer]:
    """Return one ``BitmapLayer`` per tile covering the box (in the tiles' system)."""
    z, tiles = tiles_for_bounds(
        west,
        south,
        east,
        north,
        max_tiles=basemap.max_tiles,
        min_zoom=basemap.min_zoom,
        max_zoom=basemap.max_zoom,
    )
    layers = []
    for x, y in tiles:
        url = basemap.url.replace("{z}", str(z)).replace("{x}", str(x))
        url = url.replace("{y}", str(y))
        layers.append(
            pdk.Layer(
                "BitmapLayer",
                data=None,
                id=f"tile-{z}-{x}-{y}",
                image=_literal(url),
                bounds=list(tile_bounds(z, x, y)),
                opacity=0.9,
            )
        )
    return layers


def fit_view(
    lon: FloatArray, lat: FloatArray, *, width_px: int = 800, height_px: int = 600
) -> pdk.ViewState:
    """Return a view centred on the points and zoomed so they all show."""
    if len(lon) == 0:
        return pdk.ViewState(longitude=116.4, latitude=39.9, zoom=10)
    w, e = float(np.min(lon)), float(np.max(lon))
    s, n = float(np.min(lat)), float(np.max(lat))

    def merc(v: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(v) / 2))

    lon_span = max(e - w, 1e-4) / 360.0
    lat_span = max(merc(n) - merc(s), 1e-6) / (2 * math.pi)
    # deck.gl's Web Mercator world is 512 px wide at zoom 0
    zoom = math.log2(min(width_px / 512 / lon_span, height_px / 512 / lat_span))
    return pdk.ViewState(
        longitude=(w + e) / 2,
        latitude=(s + n) / 2,
        zoom=round(max(3.0, min(zoom - 0.3, 17.0)), 2),
        pitch=0,
        bearing=0,
    )


def _label_box(text: str) -> tuple[float, float]:
    """Return a label's rough width and height in pixels at 13 px (CJK is wider)."""
    width = sum(13.0 if ord(ch) >= 0x2E80 else 7.5 for ch in text) + 14.0
    return width, 22.0


def declutter_labels(
    labels: list[dict[str, Any]], priority: FloatArray, zoom: float
) -> list[dict[str, Any]]:
    """Keep the labels that do not overlap at `zoom`, highest `priority` first.

    deck.gl's own collision filter draws nothing in some WebGL set-ups (software
    rendering), so overlapping labels are thinned here, once, for the initial view;
    every site stays on the map and its hover text names it.

    Parameters
    ----------
    labels
        Rows with ``position`` ([lon, lat]), ``text`` and ``site`` (site index).
    priority
        Priority of each site (e.g. its people).
    zoom
        Zoom of the initial view.
    """
    scale = 512.0 * 2.0**zoom
    kept: list[tuple[float, float, float, float]] = []
    out: list[dict[str, Any]] = []
    order = sorted(range(len(labels)), key=lambda i: (-priority[labels[i]["site"]], i))
    for i in order:
        lon, lat = labels[i]["position"]
        x = (lon + 180.0) / 360.0 * scale
        rad = math.radians(lat)
        y = (1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * scale - 20.0
        w, h = _label_box(str(labels[i]["text"]))
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
            for b in kept
        ):
            continue
        kept.append(box)
        out.append(labels[i])
    return sorted(out, key=lambda row: int(row["site"]))


def _polygon_rings(
    wkt: str, shift: Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]
) -> list[list[list[list[float]]]]:
    """Return the polygons of a WKT (multi)polygon as lists of rings of [lon, lat]."""
    from shapely import wkt as shapely_wkt

    geom = shapely_wkt.loads(wkt)
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for part in parts:
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings = []
        for ring in [part.exterior, *part.interiors]:
            xy = np.asarray(ring.coords, dtype=np.float64)[:, :2]
            lon, lat = shift(xy[:, 0], xy[:, 1])
            rings.append(np.stack([lon, lat], axis=1).round(7).tolist())
        out.append(rings)
    return out


Shift = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]

GRID_LINE = (60, 70, 160)
"""Grid (网格) outlines."""

COMPOUND_FILL = (200, 190, 170)
"""Compound (小区) areas: a light sand fill with a darker wall."""

WALKWAY_COLOUR = (125, 125, 125)
"""The walking network."""

SITE_RADIUS_M = 15.0
SITE_RADIUS_PER_DESK_M = 5.0
"""An open site's circle: this radius plus this much per desk, metres."""

CATCHMENT_MARGIN_M = plan_map.CATCHMENT_MARGIN_M
"""How far a catchment reaches beyond its outermost buildings, metres."""


def _local_xy(
    lon: FloatArray, lat: FloatArray, lon0: float, lat0: float
) -> tuple[FloatArray, FloatArray]:
    """Return metres east and north of ``(lon0, lat0)`` (equirectangular, small areas)."""
    k = 111_320.0
    x = (np.asarray(lon, dtype=np.float64) - lon0) * k * math.cos(math.radians(lat0))
    y = (np.asarray(lat, dtype=np.float64) - lat0) * k
    return x, y


def _origin(scenario: Scenario) -> tuple[float, float]:
    """Return the buildings' mean position, the origin of the map's local metres."""
    b = scenario.buildings
    return float(np.mean(b.lon)), float(np.mean(b.lat))


def catchment_metres(scenario: Scenario, b_site: IntArray) -> dict[int, Any]:
    """Return each site's catchment in metres around :func:`_origin`, by site index.

    See :func:`planner.export.plan_map.voronoi_areas`: the union of the Voronoi cells
    of a site's buildings, so the catchments of a plan tile the area it serves without
    overlapping. Sites without buildings have none.
    """
    served = np.flatnonzero(b_site >= 0)
    if len(served) == 0:
        return {}
    b = scenario.buildings
    lon0, lat0 = _origin(scenario)
    x, y = _local_xy(b.lon[served], b.lat[served], lon0, lat0)
    areas = plan_map.voronoi_areas(x, y, b_site[served], CATCHMENT_MARGIN_M)
    return {int(j): area for j, area in areas.items()}


def catchment_areas(scenario: Scenario, b_site: IntArray) -> dict[int, str]:
    """Return each site's catchment as a WKT polygon in WGS-84, by site index."""
    import shapely

    lon0, lat0 = _origin(scenario)
    k = 111_320.0
    cos0 = math.cos(math.radians(lat0))

    def to_lonlat(a: FloatArray) -> FloatArray:
        return np.stack([a[:, 0] / (k * cos0) + lon0, a[:, 1] / k + lat0], axis=1)

    return {
        j: shapely.transform(area, to_lonlat).wkt
        for j, area in catchment_metres(scenario, b_site).items()
    }


class _NetworkRouter:
    """Door-to-door legs along the walking network (shortest paths, drawn in lon/lat)."""

    def __init__(self, scenario: Scenario, shift: Shift) -> None:
        import networkx as nx

        from planner.geo.walking import nearest_node

        net = scenario.walk_network
        assert net is not None
        self._graph = nx.Graph()
        for u, v, w in zip(
            net.edge_u.tolist(),
            net.edge_v.tolist(),
            net.edge_len_m.tolist(),
            strict=True,
        ):
            self._graph.add_edge(u, v, w=w)
        self._node_lon, self._node_lat = shift(*_node_lonlat(scenario))
        b, s = scenario.buildings, scenario.sites
        self._b_node = nearest_node(net, b.x_m, b.y_m)[0]
        self._s_node = nearest_node(net, s.x_m, s.y_m)[0]
        self._b_xy = shift(b.lon, b.lat)
        self._s_xy = shift(s.lon, s.lat)
        self._paths: dict[int, dict[int, list[int]]] = {}

    def _point(self, kind: str, i: int) -> list[float]:
        lon, lat = self._s_xy if kind == "site" else self._b_xy
        return [round(float(lon[i]), 7), round(float(lat[i]), 7)]

    def _node_path(self, a: int, b: int) -> list[int]:
        import networkx as nx

        if a not in self._paths:
            self._paths[a] = (
                nx.single_source_dijkstra_path(self._graph, a, weight="w")
                if a in self._graph
                else {a: [a]}
            )
        return self._paths[a].get(b, [a, b])

    def path(self, stops: list[tuple[str, int]]) -> list[list[float]]:
        """Return the polyline through `stops` (``("site"|"building", index)``)."""
        out = [self._point(*stops[0])]
        for (ka, ia), (kb, ib) in itertools.pairwise(stops):
            na = int((self._s_node if ka == "site" else self._b_node)[ia])
            nb = int((self._s_node if kb == "site" else self._b_node)[ib])
            for n in self._node_path(na, nb):
                point = [
                    round(float(self._node_lon[n]), 7),
                    round(float(self._node_lat[n]), 7),
                ]
                if point != out[-1]:
                    out.append(point)
            end = self._point(kb, ib)
            if end != out[-1]:
                out.append(end)
        return out


def context_layers(scenario: Scenario, shift: Shift, lang: Lang) -> list[pdk.Layer]:
    """Return the street's own map: grid and compound outlines, the walking network.

    Drawn from the scenario's optional layers (``grids``, ``compounds`` and
    ``walkways`` files), so the map reads as a street with no basemap and no network.
    """
    layers: list[pdk.Layer] = []
    if scenario.compound_areas:
        compounds = [
            {"polygon": rings, "tip": _tip("compound", lang, name=name)}
            for name, wkt in scenario.compound_areas
            for rings in _polygon_rings(wkt, shift)
        ]
        layers.append(
            pdk.Layer(
                "PolygonLayer",
                data=compounds,
                id="compounds",
                get_polygon="polygon",
                get_fill_color=_rgba(COMPOUND_FILL, 70),
                get_line_color=_rgba((140, 120, 90), 200),
                line_width_min_pixels=1,
                stroked=True,
                filled=True,
                pickable=True,
            )
        )
    net = scenario.walk_network
    if net is not None and len(net.edge_u):
        lon, lat = shift(*_node_lonlat(scenario))
        lon, lat = np.round(lon, 7), np.round(lat, 7)
        segments = [
            {"source": [lon[u], lat[u]], "target": [lon[v], lat[v]]}
            for u, v in zip(net.edge_u.tolist(), net.edge_v.tolist(), strict=True)
        ]
        layers.append(
            pdk.Layer(
                "LineLayer",
                data=segments,
                id="walkways",
                get_source_position="source",
                get_target_position="target",
                get_color=_rgba(WALKWAY_COLOUR, 230),
                get_width=3,
                width_units=_literal("pixels"),
                pickable=False,
            )
        )
    if scenario.grid_areas:
        grids = [
            {"polygon": rings, "tip": _tip("grid", lang, grid=gid)}
            for gid, wkt in scenario.grid_areas
            for rings in _polygon_rings(wkt, shift)
        ]
        layers.append(
            pdk.Layer(
                "PolygonLayer",
                data=grids,
                id="grids",
                get_polygon="polygon",
                filled=False,
                get_line_color=_rgba(GRID_LINE, 170),
                line_width_min_pixels=1,
                stroked=True,
                pickable=False,
            )
        )
    return layers


def _tip(key: str, lang: Lang, **params: Any) -> str:
    return MAP_TIPS[key][lang_index(lang)].format(**params)


def plan_deck(
    scenario: Scenario,
    plan: Plan | None,
    *,
    basemap: Basemap | None = None,
    highlight_site: int | None = None,
    lang: Lang = "zh",
    height_px: int = 600,
    width_px: int = 800,
) -> pdk.Deck:
    """Draw a plan (or, with ``plan=None``, just the buildings and candidate sites).

    Parameters
    ----------
    scenario
        The street.
    plan
        The plan to draw, or None.
    basemap
        Raster tiles to draw beneath; None (default) draws no basemap and needs no
        network.
    highlight_site
        Site index to emphasise (its buildings and lines); the others are faded.
    lang
        Language of hover texts and labels.
    height_px, width_px
        Size the map is shown at, used to fit the initial zoom.

    Returns
    -------
    pydeck.Deck
        With ``map_provider=None`` and no map style: nothing is fetched unless a
        basemap is given.
    """
    gcj = basemap is not None and basemap.coordinate_system == "gcj02"

    def shift(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        if gcj:
            return wgs84_to_gcj02(lon, lat)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    b, s, h = scenario.buildings, scenario.sites, scenario.households
    blon, blat = shift(b.lon, b.lat)
    slon, slat = shift(s.lon, s.lat)
    n_b, n_s = len(b), len(s)
    people_b = np.bincount(h.building, weights=h.size, minlength=n_b).astype(np.int64)
    if plan is not None:
        b_site = building_sites(plan, scenario)
        b_home = _building_home_visit(plan, scenario)
        site_open = np.asarray(plan.site_open, dtype=bool)
        desks = np.asarray(plan.site_desks, dtype=np.int64)
        site_people = np.asarray(plan.site_people, dtype=np.int64)
        used = plan.site_slot_units > 0
        first = np.where(used.any(axis=1), used.argmax(axis=1), -1)
        last = np.where(
            used.any(axis=1), used.shape[1] - 1 - used[:, ::-1].argmax(axis=1), -1
        )
    else:
        b_site = np.full(n_b, -1, dtype=np.int64)
        b_home = np.zeros(n_b, dtype=bool)
        site_open = np.zeros(n_s, dtype=bool)
        desks = np.zeros(n_s, dtype=np.int64)
        site_people = np.zeros(n_s, dtype=np.int64)
        first = last = np.full(n_s, -1, dtype=np.int64)
    colours = plan_colours(scenario, b_site, site_open)
    b_slots = building_slot_times(plan, scenario, b_site) if plan is not None else {}

    def colour_of(site: int) -> tuple[int, int, int]:
        return colours.get(site, site_colour(site))

    def faded(site: int) -> bool:
        return highlight_site is not None and site != highlight_site

    buildings: list[dict[str, Any]] = []
    for i in range(n_b):
        site = int(b_site[i])
        address = str(b.address[i]).strip() or str(b.id[i])
        if site >= 0:
            rgb = colour_of(site)
            tip = tr(
                "map_tip_building",
                lang,
                address=address,
                people=int(people_b[i]),
                site=s.name[site],
                slot=b_slots.get(i, ""),
            )
        else:
            rgb = HOME_VISIT_COLOUR if b_home[i] else NO_SITE_COLOUR
            tip = tr(
                "map_tip_building_home" if b_home[i] else "map_tip_building_none",
                lang,
                address=address,
                people=int(people_b[i]),
            )
        alpha = 60 if faded(site) else 220
        pos = [round(float(blon[i]), 7), round(float(blat[i]), 7)]
        buildings.append({"position": pos, "colour": _rgba(rgb, alpha), "tip": tip})

    sites: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    slot_start = plan.slots.start_min if plan is not None else np.zeros(0, np.int64)
    slot_len = plan.slots.slot_minutes if plan is not None else 0
    for j in range(n_s):
        pos = [round(float(slon[j]), 7), round(float(slat[j]), 7)]
        if site_open[j]:
            d = int(desks[j])
            sites.append(
                {
                    "site_id": str(s.id[j]),
                    "open": True,
                    "position": pos,
                    "radius": SITE_RADIUS_M + SITE_RADIUS_PER_DESK_M * d,
                    "fill": _rgba(colour_of(j), 90 if faded(j) else 235),
                    "line": [40, 40, 40, 255],
                    "tip": tr(
                        "map_tip_site",
                        lang,
                        id=s.id[j],
                        name=s.name[j],
                        desks=d,
                        people=int(site_people[j]),
                        first=hhmm(int(slot_start[first[j]])) if first[j] >= 0 else "",
                        last=hhmm(int(slot_start[last[j]]) + slot_len)
                        if last[j] >= 0
                        else "",
                    ),
                }
            )
            labels.append(
                {
                    "position": pos,
                    "site": j,
                    "text": _tip("label", lang, name=s.name[j], desks=d),
                    "tip": sites[-1]["tip"],
                }
            )
        else:
            sites.append(
                {
                    "site_id": str(s.id[j]),
                    "open": False,
                    "position": pos,
                    "radius": 18.0,
                    "fill": _rgba(CLOSED_SITE_COLOUR, 60 if plan is not None else 200),
                    "line": [90, 90, 90, 200],
                    "tip": _tip("site_closed", lang, id=s.id[j], name=s.name[j]),
                }
            )

    routes: list[dict[str, Any]] = []
    if plan is not None:
        router = _NetworkRouter(scenario, shift) if scenario.walk_network else None
        for t, team in enumerate(plan.teams):
            depot = [round(float(slon[team.depot_site]), 7)]
            depot.append(round(float(slat[team.depot_site]), 7))
            stops: list[tuple[str, int]] = [("site", team.depot_site)]
            for hh in team.households:
                bi = int(h.building[hh])
                if stops[-1] != ("building", bi):
                    stops.append(("building", bi))
            stops.append(("site", team.depot_site))
            if router is not None:
                path = router.path(stops)
            else:  # no walking network: straight legs between the stops
                path = [
                    [round(float(slon[i]), 7), round(float(slat[i]), 7)]
                    if kind == "site"
                    else [round(float(blon[i]), 7), round(float(blat[i]), 7)]
                    for kind, i in stops
                ]
            routes.append(
                {
                    "path": path,
                    "colour": _rgba(
                        route_colour(t), 40 if faded(team.depot_site) else 220
                    ),
                    "tip": _tip(
                        "route",
                        lang,
                        team=team.team_id,
                        households=len(team.households),
                        back=hhmm(team.finish_min),
                    ),
                }
            )

    layers: list[pdk.Layer] = []
    all_lon = np.concatenate([blon, slon])
    all_lat = np.concatenate([blat, slat])
    if highlight_site is not None:
        view = site_view(
            scenario,
            b_site,
            highlight_site,
            shift,
            width_px=width_px,
            height_px=height_px,
        )
    else:
        view = fit_view(all_lon, all_lat, width_px=width_px, height_px=height_px)
    priority = site_people.astype(np.float64)
    if highlight_site is not None:
        priority[highlight_site] = np.inf
    labels = declutter_labels(labels, priority, float(view.zoom))
    layers += _basemap_under(basemap, all_lon, all_lat)
    context = context_layers(scenario, shift, lang)
    layers += [layer for layer in context if layer.id == "compounds"]
    catchments = [
        {
            "polygon": rings,
            "fill": _rgba(colour_of(j), 12 if faded(j) else 45),
            "line": _rgba(colour_of(j), 60 if faded(j) else 230),
            "tip": sites[j]["tip"],
        }
        for j, wkt in catchment_areas(scenario, b_site).items()
        for rings in _polygon_rings(wkt, shift)
    ]
    layers.append(
        pdk.Layer(
            "PolygonLayer",
            data=catchments,
            id="catchments",
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color="line",
            line_width_min_pixels=2,
            stroked=True,
            filled=True,
            pickable=False,
        )
    )
    # streets and grid outlines above the catchments' fill, so they stay visible
    layers += [layer for layer in context if layer.id != "compounds"]
    layers.append(
        pdk.Layer(
            "PathLayer",
            data=routes,
            id="routes",
            get_path="path",
            get_color="colour",
            get_width=3,
            width_units=_literal("pixels"),
            width_min_pixels=2,
            pickable=True,
        )
    )
    layers.append(_buildings_layer(buildings, min_px=2, max_px=8))
    layers.append(_sites_layer(sites, "fill", "line", "radius", max_px=22))
    layers.append(
        pdk.Layer(
            "TextLayer",
            data=labels,
            id="site_labels",
            get_position="position",
            get_text="text",
            get_size=13,
            size_units=_literal("pixels"),
            get_color=[20, 20, 20, 255],
            get_pixel_offset=[0, -20],
            character_set=_literal("auto"),
            font_family=_literal(FONT_FAMILY),
            background=True,
            get_background_color=[255, 255, 255, 200],
            pickable=False,
        )
    )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        # no basemap provider and pydeck's unset-style marker: Streamlit then draws no
        # basemap at all (an explicit ``map_style=None`` would make it fetch Carto's)
        map_provider=None,
        tooltip={"text": "{tip}"},
    )


def route_colour(team: int) -> tuple[int, int, int]:
    """Return the colour of door-to-door team number `team` (each team its own)."""
    return PALETTE[(team * 7) % len(PALETTE)]


def _basemap_under(
    basemap: Basemap | None, lon: FloatArray, lat: FloatArray
) -> list[pdk.Layer]:
    """Return the basemap's tiles over the points and a margin (none without one)."""
    if basemap is None or not len(lon):
        return []
    pad_lon = max(float(np.ptp(lon)) * 0.15, 0.003)
    pad_lat = max(float(np.ptp(lat)) * 0.15, 0.003)
    return basemap_layers(
        basemap,
        float(lon.min()) - pad_lon,
        float(lat.min()) - pad_lat,
        float(lon.max()) + pad_lon,
        float(lat.max()) + pad_lat,
    )


def _buildings_layer(
    rows: list[dict[str, Any]], *, min_px: int, max_px: int
) -> pdk.Layer:
    """Return the buildings as dots of their ``colour``, hover shows their ``tip``."""
    return pdk.Layer(
        "ScatterplotLayer",
        data=rows,
        id="buildings",
        get_position="position",
        get_fill_color="colour",
        get_radius=12,
        radius_min_pixels=min_px,
        radius_max_pixels=max_px,
        pickable=True,
    )


def _sites_layer(
    rows: list[dict[str, Any]],
    fill: str | Colour,
    line: str | Colour,
    radius: str | float,
    *,
    max_px: int,
) -> pdk.Layer:
    """Return the sites as outlined circles; pickable, so a click selects one."""
    return pdk.Layer(
        "ScatterplotLayer",
        data=rows,
        id="sites",
        get_position="position",
        get_fill_color=fill,
        get_line_color=line,
        get_radius=radius,
        radius_min_pixels=5,
        radius_max_pixels=max_px,
        stroked=True,
        line_width_min_pixels=1,
        pickable=True,
    )


def building_slot_times(
    plan: Plan, scenario: Scenario, b_site: IntArray
) -> dict[int, str]:
    """Return each walk-up building's slot time at its site, ``HH:MM–HH:MM``.

    From the start of the earliest slot of its households at the site to the end of
    the latest (a building split over several slots shows the whole span).
    """
    walk = (plan.hh_mode == WALK_UP) & (plan.hh_slot >= 0)
    bld = scenario.households.building
    mine = walk & (plan.hh_site == b_site[bld])
    out: dict[int, str] = {}
    if not mine.any():
        return out
    n_b = len(scenario.buildings)
    lo = np.full(n_b, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n_b, -1, dtype=np.int64)
    np.minimum.at(lo, bld[mine], plan.hh_slot[mine])
    np.maximum.at(hi, bld[mine], plan.hh_slot[mine])
    start, length = plan.slots.start_min, plan.slots.slot_minutes
    for i in np.flatnonzero(hi >= 0).tolist():
        out[int(i)] = f"{hhmm(int(start[lo[i]]))}–{hhmm(int(start[hi[i]]) + length)}"
    return out


def site_view(
    scenario: Scenario,
    b_site: IntArray,
    site: int,
    shift: Shift,
    *,
    width_px: int = 800,
    height_px: int = 600,
) -> pdk.ViewState:
    """Return a view fitted to one site: the site and every building it serves."""
    mine = np.flatnonzero(b_site == site)
    lon = np.concatenate([scenario.buildings.lon[mine], scenario.sites.lon[[site]]])
    lat = np.concatenate([scenario.buildings.lat[mine], scenario.sites.lat[[site]]])
    lon, lat = shift(lon, lat)
    return fit_view(lon, lat, width_px=width_px, height_px=height_px)


def layer_counts(deck: pdk.Deck) -> dict[str, int]:
    """Return the number of data rows of each layer (tiles count 0), by layer id."""
    out: dict[str, int] = {}
    for layer in deck.layers:
        data = layer.data
        out[str(layer.id)] = 0 if data is None else len(data)
    return out


def _css(rgb: tuple[int, int, int], alpha: float = 1.0) -> str:
    return f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha:g})"


def legend_entries(
    scenario: Scenario, plan: Plan | None, lang: Lang
) -> list[tuple[str, str]]:
    """Return the map's legend as ``(swatch CSS, label)``, only for what is drawn."""
    from planner.text import tr

    dot = "display:inline-block;border-radius:50%;"
    area = "display:inline-block;width:22px;height:14px;"
    line = "display:inline-block;width:24px;height:0;vertical-align:middle;"
    first = _css(site_colour(0))
    second = _css(site_colour(1))
    out: list[tuple[str, str]] = []
    if plan is not None:
        out.append(
            (
                f"{dot}width:16px;height:16px;background:{first};"
                "border:1px solid #282828;",
                tr("legend_site_open", lang),
            )
        )
    out.append(
        (
            f"{dot}width:9px;height:9px;background:{_css(CLOSED_SITE_COLOUR, 0.6)};"
            "border:1px solid #5a5a5a;",
            tr("legend_site_closed", lang),
        )
    )
    out.append(
        (
            f"{dot}width:8px;height:8px;background:{second};",
            tr("legend_building", lang),
        )
    )
    if plan is not None:
        if (plan.hh_mode == HOME_VISIT).any():
            out.append(
                (
                    f"{dot}width:8px;height:8px;background:{_css(HOME_VISIT_COLOUR)};",
                    tr("legend_home", lang),
                )
            )
        if (plan.hh_mode == UNASSIGNED).any():
            out.append(
                (
                    f"{dot}width:8px;height:8px;background:{_css(NO_SITE_COLOUR)};",
                    tr("legend_none", lang),
                )
            )
        out.append(
            (
                f"{area}background:{_css(site_colour(0), 0.25)};"
                f"border:2px solid {first};",
                tr("legend_catchment", lang),
            )
        )
    if scenario.grid_areas:
        out.append(
            (f"{area}border:2px solid {_css(GRID_LINE)};", tr("legend_grid", lang))
        )
    if scenario.compound_areas:
        out.append(
            (
                f"{area}background:{_css(COMPOUND_FILL, 0.45)};"
                "border:1px solid rgb(140,120,90);",
                tr("legend_compound", lang),
            )
        )
    if scenario.walk_network is not None:
        out.append(
            (
                f"{line}border-top:2px solid {_css(WALKWAY_COLOUR)};",
                tr("legend_walkway", lang),
            )
        )
    if plan is not None and plan.teams:
        # one colour per team, as drawn: the swatch shows the first teams' colours
        shown = [_css(route_colour(t)) for t in range(min(4, len(plan.teams)))]
        step = 100 / len(shown)
        stops = ",".join(
            f"{c} {k * step:g}% {(k + 1) * step:g}%" for k, c in enumerate(shown)
        )
        key = (
            "map_legend_route" if scenario.walk_network else "map_legend_route_straight"
        )
        out.append(
            (
                "display:inline-block;width:32px;height:4px;vertical-align:middle;"
                f"background:linear-gradient(90deg,{stops});",
                tr(key, lang),
            )
        )
    return out


def legend_html(entries: list[tuple[str, str]], title: str) -> str:
    """Return the legend as one line of HTML chips (escaped labels)."""
    import html

    chips = "".join(
        f'<span style="margin-right:18px;white-space:nowrap">'
        f'<span style="{style}"></span> {html.escape(label)}</span>'
        for style, label in entries
    )
    return (
        f'<div style="font-size:0.85rem;line-height:1.9">'
        f"<b>{html.escape(title)}</b>：{chips}</div>"
    )


def site_map_png(
    scenario: Scenario, plan: Plan, site: int, *, width_in: float = 4.2
) -> bytes:
    """Draw one site's buildings on its catchment, with compounds and walkways, as PNG.

    A static picture (matplotlib, no WebGL) so the site card prints as it shows. The
    view is the site's catchment and a margin; neighbouring buildings are grey.
    """
    import io

    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from shapely import wkt as shapely_wkt

    b, s = scenario.buildings, scenario.sites
    b_site = building_sites(plan, scenario)
    mine = b_site == site
    area = catchment_areas(scenario, b_site).get(site)
    lat0 = float(np.mean(b.lat))
    if area is not None:
        west, south, east, north = shapely_wkt.loads(area).bounds
    else:
        west = east = float(s.lon[site])
        south = north = float(s.lat[site])
    pad = 0.0015
    west, east = (
        min(west, float(s.lon[site])) - pad,
        max(east, float(s.lon[site])) + pad,
    )
    south, north = (
        min(south, float(s.lat[site])) - pad,
        max(north, float(s.lat[site])) + pad,
    )
    aspect = (north - south) / max(1e-9, (east - west) * math.cos(math.radians(lat0)))
    fig, ax = plt.subplots(
        figsize=(width_in, float(np.clip(width_in * aspect, 2.5, 6.0))), dpi=130
    )

    def same(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    colour = plan_colours(scenario, b_site, np.asarray(plan.site_open, dtype=bool))
    rgb = tuple(c / 255 for c in colour.get(site, site_colour(site)))
    for _, polygon in scenario.compound_areas:
        for rings in _polygon_rings(polygon, same):
            xy = np.asarray(rings[0])
            ax.fill(xy[:, 0], xy[:, 1], color=(0.8, 0.75, 0.67, 0.35), lw=0.6)
    if scenario.walk_network is not None:
        lon_n, lat_n = _node_lonlat(scenario)
        net = scenario.walk_network
        segments = np.stack(
            [
                np.stack([lon_n[net.edge_u], lat_n[net.edge_u]], axis=1),
                np.stack([lon_n[net.edge_v], lat_n[net.edge_v]], axis=1),
            ],
            axis=1,
        )
        ax.add_collection(
            LineCollection(list(segments), colors="#9a9a9a", linewidths=0.8)
        )
    if area is not None:
        for rings in _polygon_rings(area, same):
            xy = np.asarray(rings[0])
            ax.fill(xy[:, 0], xy[:, 1], color=(*rgb, 0.18), lw=0)
            ax.plot(xy[:, 0], xy[:, 1], color=rgb, lw=1.6)
    ax.scatter(b.lon[~mine], b.lat[~mine], s=6, color="#b0b0b0", lw=0, zorder=3)
    ax.scatter(b.lon[mine], b.lat[mine], s=14, color=rgb, lw=0, zorder=4)
    ax.scatter(
        [s.lon[site]],
        [s.lat[site]],
        s=120,
        marker="^",
        color=rgb,
        edgecolors="black",
        lw=1.0,
        zorder=5,
    )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout(pad=0.2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _node_lonlat(scenario: Scenario) -> tuple[FloatArray, FloatArray]:
    """Return the walking network's nodes in WGS-84 degrees."""
    from pyproj import Transformer

    net = scenario.walk_network
    assert net is not None
    back = Transformer.from_crs(
        f"+proj=aeqd +lat_0={scenario.origin_lat} +lon_0={scenario.origin_lon} "
        "+datum=WGS84 +units=m",
        "EPSG:4326",
        always_xy=True,
    )
    lon, lat = back.transform(
        net.node_x_m.astype(np.float64), net.node_y_m.astype(np.float64)
    )
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def access_deck(
    scenario: Scenario,
    plan: Plan,
    building_walk_min: FloatArray,
    *,
    basemap: Basemap | None = None,
    lang: Lang = "zh",
    height_px: int = 600,
    width_px: int = 800,
) -> pdk.Deck:
    """Draw buildings shaded by their residents' mean walk, minutes, and the open sites.

    Colour bands of :data:`planner.export.access.BANDS_MIN` (the plan document's map
    uses the same); buildings where nobody walks are grey.
    """
    from planner.export.access import BAND_RGB, band_of
    from planner.text import tr

    gcj = basemap is not None and basemap.coordinate_system == "gcj02"

    def shift(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        if gcj:
            return wgs84_to_gcj02(lon, lat)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    b, s = scenario.buildings, scenario.sites
    blon, blat = shift(b.lon, b.lat)
    slon, slat = shift(s.lon, s.lat)
    walk = np.asarray(building_walk_min, dtype=np.float64)
    known = ~np.isnan(walk)
    band = np.zeros(len(b), dtype=np.int64)
    band[known] = band_of(walk[known])
    unit = tr("access_unit_min", lang)
    buildings = [
        {
            "position": [round(float(blon[i]), 7), round(float(blat[i]), 7)],
            "colour": _rgba(BAND_RGB[int(band[i])], 220)
            if known[i]
            else _rgba(NO_SITE_COLOUR, 120),
            "tip": f"{b.id[i]} · {walk[i]:.1f} {unit}" if known[i] else str(b.id[i]),
        }
        for i in range(len(b))
    ]
    opened = np.flatnonzero(plan.site_open)
    sites = [
        {
            "position": [round(float(slon[j]), 7), round(float(slat[j]), 7)],
            "tip": f"{s.id[j]} {s.name[j]}",
        }
        for j in opened.tolist()
    ]
    all_lon = np.concatenate([blon, slon])
    all_lat = np.concatenate([blat, slat])
    view = fit_view(all_lon, all_lat, width_px=width_px, height_px=height_px)
    layers: list[pdk.Layer] = []
    layers += _basemap_under(basemap, all_lon, all_lat)
    layers += context_layers(scenario, shift, lang)
    layers.append(_buildings_layer(buildings, min_px=3, max_px=9))
    layers.append(
        _sites_layer(sites, [20, 20, 20, 255], [255, 255, 255, 255], 30, max_px=14)
    )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        tooltip={"text": "{tip}"},
    )
