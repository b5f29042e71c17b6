"""Move samplers and supplies between a district's streets with a min-cost flow.

One flow per day and resource (samplers, or one consumable):

Nodes
    a source ``σ``, one node per street, the district pool ``π`` and a sink ``τ``.

Arcs (capacity / unit cost)
    ``σ → i``: street ``i``'s spare / 0; ``σ → π``: the pool / 0;
    ``i → j``: ∞ / ``d_ij`` (street-to-street distance, hundreds of metres), for
    every lender ``i`` and borrower ``j``; ``π → j``: ∞ / ``d_πj + P`` with ``P``
    larger than any street-to-street distance, so the pool fills only what the
    streets cannot; ``j → τ``: street ``j``'s shortage / 0.

OR-Tools' ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` sends as much as can be
sent, at least total distance; whatever shortage is left is reported as uncovered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

POOL = "district"
"""Name of the district pool in transfer lists."""

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance between two WGS-84 points, metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True, slots=True)
class Transfer:
    """One move of a resource on one day.

    Attributes
    ----------
    source, target
        Street folder names, or :data:`POOL`.
    quantity
        People (samplers) or counting units (consumables).
    """

    source: str
    target: str
    quantity: int


def balance(
    spare: dict[str, int],
    short: dict[str, int],
    pool: int,
    distance: dict[tuple[str, str], float],
) -> tuple[list[Transfer], dict[str, int]]:
    """Cover shortages from spare streets first, then from the district pool.

    Parameters
    ----------
    spare, short
        What each street can lend and what it lacks (0 or more each).
    pool
        What the district pool holds.
    distance
        Metres between streets, and between :data:`POOL` and each street, keyed
        ``(from, to)``.

    Returns
    -------
    tuple
        The transfers (sorted by source, target) and the shortage left per street.
    """
    lenders = sorted(s for s, q in spare.items() if q > 0)
    borrowers = sorted(s for s, q in short.items() if q > 0)
    if not borrowers or (not lenders and pool <= 0):
        return [], {s: q for s, q in short.items() if q > 0}
    names = [*lenders, POOL, *borrowers]
    node = {("L", s): i + 1 for i, s in enumerate(lenders)}
    node[("P", POOL)] = len(lenders) + 1
    node.update({("B", s): len(lenders) + 2 + i for i, s in enumerate(borrowers)})
    sink = len(names) + 1
    cost_of = {k: max(0, round(v / 100.0)) for k, v in distance.items()}
    penalty = 1 + max(cost_of.values(), default=0)
    total = sum(short[s] for s in borrowers)
    big = max(total, 1)
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []

    def arc(a: int, b: int, cap: int, cost: int) -> None:
        tails.append(a)
        heads.append(b)
        caps.append(cap)
        costs.append(cost)

    for s in lenders:
        arc(0, node[("L", s)], spare[s], 0)
        for t in borrowers:
            if t != s:
                arc(node[("L", s)], node[("B", t)], big, cost_of.get((s, t), penalty))
    if pool > 0:
        arc(0, node[("P", POOL)], pool, 0)
        for t in borrowers:
            arc(
                node[("P", POOL)],
                node[("B", t)],
                big,
                penalty + cost_of.get((POOL, t), 0),
            )
    for t in borrowers:
        arc(node[("B", t)], sink, short[t], 0)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(0, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - a max flow always exists
        raise RuntimeError(f"min-cost flow failed with status {status}")
    back = {v: k for k, v in node.items()}
    moves: list[Transfer] = []
    got = dict.fromkeys(borrowers, 0)
    for a in arcs.tolist():
        q = int(flow.flow(a))
        tail, head = int(flow.tail(a)), int(flow.head(a))
        if q <= 0 or tail == 0 or head == sink:
            continue
        (_, src), (_, dst) = back[tail], back[head]
        moves.append(Transfer(src, dst, q))
        got[dst] += q
    moves.sort(key=lambda m: (m.source, m.target))
    left = {t: short[t] - got[t] for t in borrowers if short[t] - got[t] > 0}
    return moves, left
