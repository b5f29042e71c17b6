"""Which compound (or grid) each candidate site stands in, from the area outlines."""

from __future__ import annotations

import numpy as np
import shapely

from planner.model.scenario import Scenario
from planner.model.types import IntArray


def _index_of(name: str, names: tuple[str, ...]) -> int:
    """Index of the area `name` in `names` (``社区/小区`` also matches ``小区``), or -1."""
    if name in names:
        return names.index(name)
    hits = [i for i, n in enumerate(names) if n.rsplit("/", 1)[-1] == name]
    return hits[0] if len(hits) == 1 else -1


def sites_inside(
    scenario: Scenario,
    areas: tuple[tuple[str, str], ...],
    names: tuple[str, ...],
) -> IntArray:
    """Return the area (index into `names`) each site stands in, -1 for none.

    Parameters
    ----------
    areas
        ``(name, WKT in WGS-84)`` outlines, e.g. ``scenario.compound_areas``.
    names
        The scenario's names of those areas (``scenario.compounds`` or ``grid_ids``);
        an outline named by the compound alone matches ``社区/小区`` when unique.
    """
    s = scenario.sites
    out = np.full(len(s), -1, dtype=np.int64)
    if not areas or not len(s):
        return out
    points = shapely.points(s.lon, s.lat)
    for name, wkt in areas:
        k = _index_of(name, names)
        if k < 0:
            continue
        inside = shapely.covers(shapely.from_wkt(wkt), points)
        out[inside & (out < 0)] = k
    return out


def compound_index(scenario: Scenario, name: str) -> int:
    """Return the compound `name` (``小区`` or ``社区/小区``) as an index, or -1."""
    return _index_of(name, scenario.compounds)
