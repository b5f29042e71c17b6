"""The plan map of the printed document: the street as the office knows it.

Drawn with matplotlib (no tiles, nothing fetched): the walking network, the grid and
compound outlines with the communities' names, each open site's catchment (the union
of its buildings' Voronoi cells, as the app draws it) in a colour no neighbouring
catchment shares, the buildings in their site's colour, door-to-door buildings ringed,
and every open site marked and named, labels placed so they do not overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.export._common import ExportData, InOneLanguage, iter_rows
from planner.text import Lang

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#6b8e23",
    "#1f9e89",
    "#d37295",
)
"""Site colours; the colouring gives touching catchments different ones."""

CATCHMENT_MARGIN_M = 60.0
"""How far a catchment reaches beyond its outermost buildings, metres."""


@dataclass(frozen=True)
class MapData(InOneLanguage):
    """What the plan map draws: a small part of :class:`ExportData`.

    It is sent to the PDF process, which draws the map while this one writes the
    workbooks. Positions are WGS-84 degrees.

    Attributes
    ----------
    buildings
        ``lon, lat, site_id, mode`` per building.
    sites
        ``site_id, name, lon, lat, open`` per candidate site.
    grids, compounds
        Outlines as ``(name, WKT)``; a grid's name is its community and id.
    communities
        ``(name, lon, lat)``: where each community's name is written.
    walkways
        Walking network segments, shape ``(n, 2, 2)``: ``[[lon, lat], [lon, lat]]``.
    walk_min
        Each building's residents' mean walk, minutes, by building id (the access
        map's shading); None when no one walks.
    """

    buildings: pd.DataFrame
    sites: pd.DataFrame
    street: str
    lang: Lang
    grids: tuple[tuple[str, str], ...] = ()
    compounds: tuple[tuple[str, str], ...] = ()
    communities: tuple[tuple[str, float, float], ...] = ()
    walkways: npt.NDArray[np.float64] | None = None
    walk_min: pd.Series | None = None

    @classmethod
    def of(cls, data: ExportData) -> MapData:
        """Return the map's part of `data` (with each building's mean walk, minutes)."""
        from planner.export.access import building_walk_min

        sc = data.scenario
        b = data.buildings
        communities = tuple(
            (str(name), float(group["lon"].mean()), float(group["lat"].mean()))
            for name, group in b.groupby("community", sort=True)
            if str(name)
        )
        return cls(
            buildings=b[["building_id", "lon", "lat", "site_id", "mode"]].copy(),
            sites=data.sites[["site_id", "name", "lon", "lat", "open"]].copy(),
            street=data.street,
            lang=data.lang,
            grids=tuple(sc.grid_areas),
            compounds=tuple(sc.compound_areas),
            communities=communities,
            walkways=_walkways(data),
            walk_min=building_walk_min(
                data.files.assignments, data.policy.walking.speed_m_per_min
            ),
        )


def _walkways(data: ExportData) -> npt.NDArray[np.float64] | None:
    """Return the walking network's segments in WGS-84 degrees, or None."""
    sc = data.scenario
    net = sc.walk_network
    if net is None or not len(net.edge_u):
        return None
    from pyproj import Transformer

    back = Transformer.from_crs(
        f"+proj=aeqd +lat_0={sc.origin_lat} +lon_0={sc.origin_lon} "
        "+datum=WGS84 +units=m",
        "EPSG:4326",
        always_xy=True,
    )
    lon, lat = back.transform(
        net.node_x_m.astype(np.float64), net.node_y_m.astype(np.float64)
    )
    nodes = np.stack([np.asarray(lon), np.asarray(lat)], axis=1)
    return np.stack([nodes[net.edge_u], nodes[net.edge_v]], axis=1)


def _rings(wkt: str) -> list[npt.NDArray[np.float64]]:
    """Return the exterior rings of a WKT (multi)polygon as ``(n, 2)`` arrays."""
    from shapely import wkt as shapely_wkt

    try:
        geom = shapely_wkt.loads(wkt)
    except Exception:  # a broken outline is left out of the map, not the export
        return []
    polys = getattr(geom, "geoms", [geom])
    return [
        np.asarray(p.exterior.coords, dtype=np.float64)
        for p in polys
        if hasattr(p, "exterior") and not p.is_empty
    ]


NEAR_M = 120.0
"""Catchments closer than this, metres, count as neighbours: they get different colours."""

Key = Any
"""A site's key: its id (the document) or its index (the app)."""


def voronoi_areas(
    x_m: npt.NDArray[np.float64],
    y_m: npt.NDArray[np.float64],
    site_of: npt.NDArray[Any],
    margin_m: float = CATCHMENT_MARGIN_M,
) -> dict[Key, Any]:
    """Return each site's catchment: the union of its buildings' Voronoi cells, metres.

    Parameters
    ----------
    x_m, y_m
        Each served building's position, metres east and north of any origin.
    site_of
        Each building's site key, same length.
    margin_m
        How far the catchments reach beyond the outermost buildings, metres.

    Returns
    -------
    dict
        A shapely (multi)polygon in the same metres, by site key. The cells are
        clipped to the buildings' convex hull grown by `margin_m`, so the catchments
        tile the served area without overlapping, whatever the shape of the grids.
    """
    import shapely
    from shapely.geometry import MultiPoint

    if len(x_m) == 0:
        return {}
    xy = np.stack([x_m, y_m], axis=1).round(2)
    uniq, inverse = np.unique(xy, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    region = MultiPoint(uniq).convex_hull.buffer(margin_m)
    if len(uniq) >= 2:
        cells = shapely.voronoi_polygons(
            MultiPoint(uniq), extend_to=region, ordered=True
        )
        cell_list = [g.intersection(region) for g in cells.geoms]
    else:
        cell_list = [region]
    keys = np.asarray(site_of)
    out: dict[Key, Any] = {}
    for site in sorted(set(keys.tolist())):
        members = np.unique(inverse[keys == site])
        out[site] = shapely.union_all([cell_list[i] for i in members.tolist()])
    return out


def neighbours(
    shapes: dict[Key, Any], order: list[Key], near: float
) -> dict[Key, set[Key]]:
    """Return, for each key of `order`, the keys whose shapes lie within `near`."""
    from shapely.strtree import STRtree

    near_of: dict[Key, set[Key]] = {k: set() for k in order}
    keys = [k for k in order if k in shapes and not shapes[k].is_empty]
    if not keys:
        return near_of
    tree = STRtree([shapes[k] for k in keys])
    for i, a in enumerate(keys):
        for j in tree.query(shapes[a], predicate="dwithin", distance=near).tolist():
            if int(j) != i:
                near_of[a].add(keys[int(j)])
                near_of[keys[int(j)]].add(a)
    return near_of


def greedy_colours(
    order: list[Key], near: dict[Key, set[Key]], palette: tuple[Any, ...]
) -> dict[Key, Any]:
    """Colour a graph greedily: neighbours differ whenever the palette allows.

    Sites with the most neighbours go first (ties in `order`); each takes, of the
    palette colours no coloured neighbour has, the one used least so far (the first
    of those in palette order). With more neighbours than colours it takes the
    colour its neighbours use least.
    """
    colours: dict[Key, Any] = {}
    used = dict.fromkeys(palette, 0)
    rank = {k: i for i, k in enumerate(order)}
    for site in sorted(order, key=lambda k: (-len(near.get(k, ())), rank[k])):
        taken = [colours[n] for n in near.get(site, ()) if n in colours]
        free = [c for c in palette if c not in taken]
        # the least used free colour: the whole palette is spread over the map, so
        # sites two apart differ too, as far as it goes
        colours[site] = (
            min(free, key=lambda c: used[c]) if free else min(palette, key=taken.count)
        )
        used[colours[site]] += 1
    return colours


def catchments(
    b: pd.DataFrame, lat0: float
) -> dict[str, list[npt.NDArray[np.float64]]]:
    """Return each site's catchment rings in degrees (see :func:`voronoi_areas`)."""
    served = b[b["site_id"].astype(str) != ""]
    if len(served) < 2:
        return {}
    k = 111_320.0
    lon0 = float(served["lon"].mean())
    cos0 = math.cos(math.radians(lat0))
    areas = voronoi_areas(
        ((served["lon"] - lon0) * k * cos0).to_numpy(np.float64),
        ((served["lat"] - lat0) * k).to_numpy(np.float64),
        served["site_id"].astype(str).to_numpy(),
    )
    out: dict[str, list[npt.NDArray[np.float64]]] = {}
    for site, area in areas.items():
        rings = []
        for p in getattr(area, "geoms", [area]):
            if p.is_empty or not hasattr(p, "exterior"):
                continue
            c = np.asarray(p.exterior.coords, dtype=np.float64)
            rings.append(
                np.stack([c[:, 0] / (k * cos0) + lon0, c[:, 1] / k + lat0], axis=1)
            )
        out[str(site)] = rings
    return out


def site_colours(
    order: list[str], areas: dict[str, list[npt.NDArray[np.float64]]]
) -> dict[str, str]:
    """Return a colour per site such that sites whose catchments are near differ.

    Neighbours are catchments within :data:`NEAR_M` of each other (rings in
    degrees; the distance converted at the rings' latitude); see
    :func:`greedy_colours`.
    """
    from shapely.geometry import MultiPolygon, Polygon

    shapes = {
        s: MultiPolygon([Polygon(r) for r in rings if len(r) >= 4]).buffer(0)
        for s, rings in areas.items()
        if any(len(r) >= 4 for r in rings)
    }
    lat = [float(r[:, 1].mean()) for rings in areas.values() for r in rings]
    lat0 = float(np.mean(lat)) if lat else 30.0
    # a degree of longitude is the shorter one: the threshold is never too small
    near_deg = NEAR_M / (111_320.0 * math.cos(math.radians(lat0)))
    return greedy_colours(order, neighbours(shapes, order, near_deg), PALETTE)


def draw_map(data: MapData, path: Path, font: Path) -> Path:
    """Draw the street, the catchments, the buildings and the named sites to a PNG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.patheffects as pe
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon

    prop = FontProperties(fname=str(font))
    b, s = data.buildings, data.sites
    lat0 = float(np.mean(b["lat"])) if len(b) else 30.0
    lon_all = np.concatenate([b["lon"].to_numpy(), s["lon"].to_numpy()])
    lat_all = np.concatenate([b["lat"].to_numpy(), s["lat"].to_numpy()])
    ratio = float(np.ptp(lat_all)) / max(
        1e-9, float(np.ptp(lon_all)) * math.cos(math.radians(lat0))
    )
    fig, ax = plt.subplots(figsize=(9, float(np.clip(9 * ratio, 5, 12))), dpi=170)
    halo = [pe.withStroke(linewidth=2.2, foreground="white")]
    if data.walkways is not None:
        ax.add_collection(
            LineCollection(
                list(data.walkways), colors="#c8c8c8", linewidths=0.5, zorder=1
            )
        )
    for _, wkt in data.compounds:
        for ring in _rings(wkt):
            ax.add_patch(
                Polygon(ring, closed=True, fc="#f1efe9", ec="#bdb6a6", lw=0.4, zorder=0)
            )
    for _, wkt in data.grids:
        for ring in _rings(wkt):
            ax.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    fill=False,
                    ec="#555555",
                    lw=0.7,
                    ls="--",
                    zorder=3,
                )
            )
    open_sites = s[s["open"]].reset_index(drop=True)
    order = [str(x) for x in open_sites["site_id"]]
    areas = catchments(b, lat0)
    colour = site_colours(order, areas)
    for site, rings in areas.items():
        c = colour.get(site, "#999999")
        for ring in rings:
            ax.add_patch(
                Polygon(ring, closed=True, fc=c, ec=c, alpha=0.18, lw=0, zorder=1)
            )
            ax.add_patch(Polygon(ring, closed=True, fill=False, ec=c, lw=1.0, zorder=2))
    walk = b[b["site_id"].astype(str) != ""]
    size = float(np.clip(5000 / max(1, len(b)), 5, 40))
    ax.scatter(
        walk["lon"],
        walk["lat"],
        s=size,
        c=[colour.get(str(x), "#999999") for x in walk["site_id"]],
        linewidths=0,
        zorder=4,
    )
    home = b[b["mode"] == "home_visit"]
    if len(home):
        ax.scatter(
            home["lon"],
            home["lat"],
            s=size * 1.8,
            facecolors="none",
            edgecolors="black",
            linewidths=0.6,
            zorder=4,
        )
    closed = s[~s["open"]]
    if len(closed):
        ax.scatter(
            closed["lon"],
            closed["lat"],
            s=16,
            marker="x",
            c="#888888",
            linewidths=0.8,
            zorder=5,
        )
    ax.scatter(
        open_sites["lon"],
        open_sites["lat"],
        s=80,
        marker="^",
        c=[colour.get(str(x), "#999999") for x in open_sites["site_id"]],
        edgecolors="black",
        linewidths=0.8,
        zorder=6,
    )
    for name, lon, lat in data.communities:
        ax.annotate(
            name,
            (lon, lat),
            ha="center",
            va="center",
            fontsize=13,
            color="#7a7a7a",
            alpha=0.55,
            fontproperties=prop,
            zorder=3,
        )
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.margins(0.04)
    _scale_bar(ax, lat0, prop, data)
    fig.canvas.draw()
    _site_labels(fig, ax, open_sites, prop, halo)
    ax.set_title(f"{data.street} · {data.t('map_title')}", fontproperties=prop)
    ax.set_xticks([])
    ax.set_yticks([])
    handles = [
        Line2D([], [], marker="^", ls="", mfc="#4e79a7", mec="black", ms=8),
        Patch(fc="#4e79a7", ec="#4e79a7", alpha=0.35),
        Line2D([], [], marker="o", ls="", mfc="#4e79a7", mec="none", ms=4),
        Line2D([], [], marker="o", ls="", mfc="none", mec="black", ms=6),
        Line2D([], [], marker="x", ls="", color="#888888", ms=6),
        Line2D([], [], ls="--", color="#555555", lw=0.8),
        Line2D([], [], ls="-", color="#c8c8c8", lw=1.2),
    ]
    labels = [
        data.t("map_site"),
        data.t("notices_map_catchment"),
        data.t("notices_map_building"),
        data.t("map_home"),
        data.t("map_closed"),
        data.t("notices_map_grid"),
        data.t("notices_map_walkway"),
    ]
    keep = [True, bool(areas), True, len(home) > 0, len(closed) > 0]
    keep += [bool(data.grids), data.walkways is not None]
    ax.legend(
        [h for h, k in zip(handles, keep, strict=True) if k],
        [lb for lb, k in zip(labels, keep, strict=True) if k],
        **_legend_below(prop, 4),
    )
    return _saved(fig, path)


def _site_labels(
    fig: Any, ax: Any, sites: pd.DataFrame, prop: Any, halo: list[Any]
) -> None:
    """Name every open site beside its marker where the name overlaps no other name.

    Tries eight places around the marker; a name that fits nowhere goes in the
    first place, smaller.
    """
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = []
    offsets = [
        (5, 5),
        (5, -11),
        (-5, 5),
        (-5, -11),
        (0, 9),
        (0, -15),
        (9, -3),
        (-9, -3),
    ]
    for row in iter_rows(sites.sort_values(["lat", "lon"], ascending=[False, True])):
        for i, (dx, dy) in enumerate([*offsets, offsets[0]]):
            last = i == len(offsets)
            text = ax.annotate(
                str(row.name),
                (float(row.lon), float(row.lat)),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                fontsize=5.5 if last else 6.5,
                fontproperties=prop,
                path_effects=halo,
                zorder=7,
            )
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            if last or not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()


def _scale_bar(ax: Any, lat0: float, prop: Any, data: MapData) -> None:
    """Draw a scale bar of a round number of metres and a north arrow."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    m_per_deg = 111_320 * math.cos(math.radians(lat0))
    target = (x1 - x0) * m_per_deg / 5
    length = max(
        (v for v in (50, 100, 200, 500, 1000, 2000, 5000) if v <= target), default=20
    )
    ax.set_ylim(y0 - (y1 - y0) * 0.06, y1)
    y0 -= (y1 - y0) * 0.06
    bx = x0 + (x1 - x0) * 0.03
    by = y0 + (y1 - y0) * 0.025
    ax.plot([bx, bx + length / m_per_deg], [by, by], color="black", linewidth=2)
    ax.annotate(
        data.t("notices_map_m", m=length)
        if length < 1000
        else data.t("notices_map_km", km=length // 1000),
        (bx, by),
        xytext=(0, 4),
        textcoords="offset points",
        fontproperties=prop,
        fontsize=8,
    )
    ax.annotate(
        data.t("notices_map_north"),
        (x1 - (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.025),
        ha="center",
        fontproperties=prop,
        fontsize=10,
    )


def draw_access_map(data: MapData, path: Path, font: Path) -> Path:
    """Draw buildings shaded by their residents' mean walk and the open sites (PNG).

    Bands of :data:`planner.export.access.BANDS_MIN` (≤5, ≤10, ≤15, beyond);
    buildings where nobody walks are left out.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    from planner.export.access import BAND_RGB, BANDS_MIN, band_of

    prop = FontProperties(fname=str(font))
    b = data.buildings
    s = data.sites
    walk = (
        pd.Series(dtype=np.float64)
        if data.walk_min is None
        else data.walk_min.reindex(b["building_id"].astype(str))
    )
    lat0 = float(np.mean(b["lat"])) if len(b) else 30.0
    ratio = (
        float(np.ptp(b["lat"]))
        / max(1e-9, float(np.ptp(b["lon"])) * math.cos(math.radians(lat0)))
        if len(b)
        else 1.0
    )
    fig, ax = plt.subplots(figsize=(8, float(np.clip(8 * ratio, 4.5, 10))), dpi=150)
    size = float(np.clip(6000 / max(1, len(b)), 8, 60))
    known = walk.notna().to_numpy() if len(walk) else np.zeros(len(b), dtype=bool)
    bands = band_of(walk.to_numpy()[known]) if known.any() else np.zeros(0, int)
    edges = ("0", *(f"{v:g}" for v in BANDS_MIN))
    for k, rgb in enumerate(BAND_RGB):
        at = np.flatnonzero(known)[bands == k]
        label = (
            f"{edges[k]}–{edges[k + 1]} {data.t('access_unit_min')}"
            if k < len(BANDS_MIN)
            else f"> {edges[-1]} {data.t('access_unit_min')}"
        )
        ax.scatter(
            b["lon"].to_numpy()[at],
            b["lat"].to_numpy()[at],
            s=size,
            color=tuple(c / 255 for c in rgb),
            linewidths=0,
            zorder=2,
            label=label,
        )
    open_sites = s[s["open"]]
    ax.scatter(
        open_sites["lon"],
        open_sites["lat"],
        s=60,
        marker="^",
        c="black",
        zorder=4,
        label=data.t("map_site"),
    )
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.set_title(
        f"{data.street} · {data.t('access_doc_map_title')}", fontproperties=prop
    )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.margins(0.08)
    _scale_bar(ax, lat0, prop, data)
    ax.legend(**_legend_below(prop, 5))
    return _saved(fig, path)


def _legend_below(prop: Any, ncol: int) -> dict[str, Any]:
    """Keyword arguments of a frameless legend in `ncol` columns under the map."""
    return {
        "prop": prop,
        "loc": "upper center",
        "bbox_to_anchor": (0.5, -0.01),
        "ncol": ncol,
        "frameon": False,
    }


def _saved(fig: Any, path: Path) -> Path:
    """Lay out `fig`, write it to `path`, free it, and return `path`."""
    import matplotlib.pyplot as plt  # lazily, as the map functions do

    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
