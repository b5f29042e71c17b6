"""Compute walking distances from buildings to candidate sites within the walk limit.

Without a walking network the distance is the straight line times the policy's detour
factor. With one, points are snapped to their nearest network node (the snap offset is
walked in a straight line) and distances are shortest paths over the network, searched
from each site only as far as the longest allowed walk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.model.policy import WalkingPolicy
from planner.model.scenario import Scenario, WalkNetwork
from planner.model.types import IntArray


@dataclass(frozen=True, slots=True)
class WalkArcs:
    """Building–site pairs within walking reach, sorted by building then site.

    Attributes
    ----------
    building, site
        Indices into the scenario's buildings and sites.
    walk_m
        Walking distance, whole metres.
    limit_m
        Longest allowed walk of each building, whole metres.
    """

    building: IntArray
    site: IntArray
    walk_m: IntArray
    limit_m: IntArray

    def walk_min(self, policy: WalkingPolicy) -> npt.NDArray[np.float64]:
        """Return the walking time of each arc, minutes."""
        return self.walk_m / policy.speed_m_per_min


def walk_limits_m(scenario: Scenario, policy: WalkingPolicy) -> IntArray:
    """Return each building's longest allowed walk, metres (rural grids walk longer)."""
    minutes = np.where(
        scenario.buildings.rural, policy.rural_walk_limit_min, policy.walk_limit_min
    )
    return np.floor(minutes * policy.speed_m_per_min).astype(np.int64)


def walk_arcs(scenario: Scenario, policy: WalkingPolicy) -> WalkArcs:
    """Return every building–site pair within the building's walk limit.

    Parameters
    ----------
    scenario
        The street; buildings and sites carry metre coordinates.
    policy
        Walking speed, detour factor and limits.

    Returns
    -------
    WalkArcs
        Sparse arcs; a building with no site in reach has no arc.
    """
    b, s = scenario.buildings, scenario.sites
    limits = walk_limits_m(scenario, policy)
    if scenario.walk_network is not None:
        dist = _network_distance_m(
            scenario.walk_network, b.x_m, b.y_m, s.x_m, s.y_m, int(limits.max())
        )
    else:
        dx = b.x_m[:, None] - s.x_m[None, :]
        dy = b.y_m[:, None] - s.y_m[None, :]
        dist = np.rint(np.hypot(dx, dy) * policy.detour_factor)
    ok = dist <= limits[:, None]
    bi, si = np.nonzero(ok)
    return WalkArcs(
        building=bi.astype(np.int64),
        site=si.astype(np.int64),
        walk_m=dist[bi, si].astype(np.int64),
        limit_m=limits,
    )


def nearest_node(
    net: WalkNetwork, x: IntArray, y: IntArray
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Return each point's nearest network node and its distance to it, metres."""
    nodes = np.stack([net.node_x_m, net.node_y_m], axis=1).astype(np.float64)
    pts = np.stack([x, y], axis=1).astype(np.float64)
    best = np.empty(len(pts), dtype=np.int64)
    gap = np.empty(len(pts), dtype=np.float64)
    for start in range(0, len(pts), 512):  # chunks keep the distance block small
        block = pts[start : start + 512]
        d = np.hypot(
            block[:, None, 0] - nodes[None, :, 0], block[:, None, 1] - nodes[None, :, 1]
        )
        best[start : start + 512] = d.argmin(axis=1)
        gap[start : start + 512] = d.min(axis=1)
    return best, gap


def _network_distance_m(
    net: WalkNetwork,
    bx: IntArray,
    by: IntArray,
    sx: IntArray,
    sy: IntArray,
    cutoff_m: int,
) -> npt.NDArray[np.float64]:
    import networkx as nx

    graph = nx.Graph()
    for u, v, w in zip(
        net.edge_u.tolist(), net.edge_v.tolist(), net.edge_len_m.tolist(), strict=True
    ):
        if not graph.has_edge(u, v) or graph[u][v]["w"] > w:
            graph.add_edge(u, v, w=w)
    b_node, b_gap = nearest_node(net, bx, by)
    s_node, s_gap = nearest_node(net, sx, sy)
    dist = np.full((len(bx), len(sx)), np.inf)
    by_node: dict[int, list[int]] = {}
    for i, n in enumerate(b_node.tolist()):
        by_node.setdefault(n, []).append(i)
    for j, n in enumerate(s_node.tolist()):
        if n not in graph:
            continue
        reach = nx.single_source_dijkstra_path_length(
            graph, n, cutoff=cutoff_m, weight="w"
        )
        for node, d in reach.items():
            for i in by_node.get(node, ()):
                dist[i, j] = d + b_gap[i] + s_gap[j]
    rounded: npt.NDArray[np.float64] = np.rint(dist)
    return rounded
