"""Fast plans for the location core: construction, repair and local search.

They give CP-SAT a good start and the Lagrangian bound a known plan to step toward
and fix against. All are deterministic (no clock, no randomness), so the same inputs
give the same plan.
"""

from __future__ import annotations

import time

import numpy as np

from planner.model.types import BoolArray, FloatArray, IntArray

SWAP_CANDIDATES = 10
"""Closed sites tried in place of each open one: those cheapest for its points."""


def total_cost(
    cost: FloatArray,
    open_cost: FloatArray,
    assignment: IntArray,
    fixed: BoolArray,
    groups: IntArray | None,
    group_cost: float,
) -> float:
    """Exact cost of a plan, input units (fixed sites pay their opening cost)."""
    n = len(assignment)
    used = fixed.copy()
    used[assignment] = True
    total = float(cost[np.arange(n), assignment].sum() + open_cost[used].sum())
    if groups is not None and group_cost:
        pairs = {(int(g), int(j)) for g, j in zip(groups, assignment, strict=True)}
        total += group_cost * len(pairs)
    return total


def greedy_locate(
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    *,
    open_cost: FloatArray,
    fixed_open: BoolArray,
) -> IntArray | None:
    """Assign points, largest demand first, to the cheapest site with room left.

    The cost of a closed site includes its opening cost, so the heuristic prefers
    sites already open. Returns None when it gets stuck (then no hint is given).
    """
    n, _ = cost.shape
    left = capacity.astype(np.float64).copy()
    is_open = fixed_open.copy()
    out = np.full(n, -1, dtype=np.int64)
    for i in np.argsort(-demand, kind="stable").tolist():
        c = cost[i] + np.where(is_open, 0.0, open_cost)
        c = np.where(left + 1e-9 >= demand[i], c, np.inf)
        j = int(np.argmin(c))
        if not np.isfinite(c[j]):
            return None
        out[i] = j
        left[j] -= demand[i]
        is_open[j] = True
    return out


def improve_by_closing(
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    assignment: IntArray,
    *,
    open_cost: FloatArray,
    fixed_open: BoolArray,
    groups: IntArray | None = None,
    group_cost: float = 0.0,
    max_open: int | None = None,
) -> IntArray | None:
    """Close sites one at a time while that lowers the total cost (DROP heuristic).

    Each trial moves the closed site's points, largest first, to the cheapest other
    open site with room; the best improving closure is applied, until none improves.
    With `max_open`, while more sites are open than that the cheapest closure is
    applied even when it costs more; None when no closure fits then.
    """
    n, m = cost.shape
    a = assignment.copy()
    grp = (
        np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
    )

    def total(assign: IntArray) -> float:
        return total_cost(cost, open_cost, assign, fixed_open, grp, group_cost)

    current = total(a)
    while True:
        load = np.bincount(a, demand, minlength=m)
        is_open = np.zeros(m, dtype=bool)
        is_open[a] = True
        best: tuple[float, IntArray] | None = None
        forced: tuple[float, IntArray] | None = None  # the cheapest closure at all
        for j in np.flatnonzero(is_open & ~fixed_open).tolist():
            trial = a.copy()
            left = capacity - load
            ok = True
            for i in sorted(np.flatnonzero(a == j).tolist(), key=lambda i: -demand[i]):
                c = np.where(
                    is_open & (np.arange(m) != j) & (left + 1e-9 >= demand[i]),
                    cost[i],
                    np.inf,
                )
                k = int(np.argmin(c))
                if not np.isfinite(c[k]):
                    ok = False
                    break
                trial[i] = k
                left[k] -= demand[i]
            if ok:
                value = total(trial)
                if value < current - 1e-9 and (best is None or value < best[0]):
                    best = (value, trial)
                if forced is None or value < forced[0]:
                    forced = (value, trial)
        over = max_open is not None and int((is_open | fixed_open).sum()) > max_open
        if best is None:
            if over:
                if forced is None:
                    return None
                best = forced
            else:
                return a
        elif over and forced is not None and forced[0] < best[0]:
            best = forced
        current, a = best


def assign_to_open_sites(
    cost: FloatArray, demand: FloatArray, capacity: FloatArray, is_open: BoolArray
) -> IntArray | None:
    """Assign every point to an open site: most regret first, then improving moves.

    Points whose second-best open site costs most more than their best go first
    (ties: larger demand first), each to its cheapest open site with room; then
    single-point moves to a cheaper site with room are made while any improves.
    Returns None when some point finds no room.
    """
    sites = np.flatnonzero(is_open)
    if len(sites) == 0:
        return None
    c = cost[:, sites]
    left = capacity[sites].astype(np.float64).copy()
    ranked = np.sort(c, axis=1)
    big = float(np.abs(c[np.isfinite(c)]).max(initial=1.0)) * 10 + 1.0
    ranked = np.where(np.isfinite(ranked), ranked, big)
    regret = ranked[:, 1] - ranked[:, 0] if len(sites) > 1 else np.zeros(len(c))
    out = np.empty(len(c), dtype=np.int64)
    for i in np.lexsort((-demand, -regret)).tolist():
        room = np.where(left + 1e-9 >= demand[i], c[i], np.inf)
        k = int(np.argmin(room))
        if not np.isfinite(room[k]):
            return None
        out[i] = k
        left[k] -= demand[i]
    for _ in range(20):  # improving single moves; a few passes settle it
        moved = False
        gain = c[np.arange(len(c)), out][:, None] - c
        gain = np.where(left[None, :] + 1e-9 >= demand[:, None], gain, 0.0)
        for i in np.flatnonzero(gain.max(axis=1) > 1e-9).tolist():
            room = np.where(left + 1e-9 >= demand[i], c[i], np.inf)
            k = int(np.argmin(room))
            if room[k] < c[i, out[i]] - 1e-9:
                left[out[i]] += demand[i]
                left[k] -= demand[i]
                out[i] = k
                moved = True
        if not moved:
            break
    return sites[out]


def improve_by_swaps(
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    assignment: IntArray,
    *,
    open_cost: FloatArray,
    fixed_open: BoolArray,
    n_open: int | None,
    max_open: int | None = None,
    groups: IntArray | None = None,
    group_cost: float = 0.0,
    max_evaluations: int = 600,
    deadline: float | None = None,
) -> IntArray:
    """Swap, close or open sites while that lowers the total cost.

    For each open site that is not fixed, the ``SWAP_CANDIDATES`` closed sites
    cheapest for its current points (and big enough for them) are tried in its
    place; without a site count (facility location) closing it is tried too, and
    opening a closed site whose savings alone would pay its opening cost. Every
    point is then reassigned by :func:`assign_to_open_sites`. The first improving
    move is kept and the scan goes on, until none improves or
    `max_evaluations` reassignments have been tried (which bounds the time at
    about ``max_evaluations × n × open sites`` operations, with no clock). A
    `deadline` (``time.perf_counter()`` seconds) stops it early too, for callers
    on a wall-clock budget (then the result depends on the machine's speed).
    With `max_open`, no move opens more than that many sites.
    """
    m = cost.shape[1]

    def value(plan: IntArray, is_open: BoolArray) -> float:
        if n_open is None:
            return total_cost(cost, open_cost, plan, fixed_open, groups, group_cost)
        # p-median: the chosen sites stay open (and pay) even when idle
        idle = is_open.copy()
        idle[plan] = False
        return total_cost(cost, open_cost, plan, fixed_open | idle, groups, group_cost)

    a = np.asarray(assignment, dtype=np.int64).copy()
    is_open = fixed_open.copy()
    is_open[a] = True
    current = value(a, is_open)
    evaluations = 0
    # round robin over the sites: after an improvement the scan goes on from the
    # next site, and stops after a full round without one
    quiet, j = 0, -1
    while evaluations < max_evaluations and quiet < m:
        if deadline is not None and time.perf_counter() > deadline:
            break
        j = (j + 1) % m
        improved = False
        for trial in _moves(
            j, a, is_open, cost, demand, capacity, open_cost, fixed_open, n_open
        ):
            if max_open is not None and int(trial.sum()) > max_open:
                continue
            if evaluations >= max_evaluations:
                break
            plan = assign_to_open_sites(cost, demand, capacity, trial)
            evaluations += 1
            if plan is None:
                continue
            new = value(plan, trial)
            if new < current - 1e-9 * max(abs(current), 1.0):
                a, is_open, current, improved = plan, trial, new, True
                break
        quiet = 0 if improved else quiet + 1
    return a


def _moves(
    j: int,
    plan: IntArray,
    is_open: BoolArray,
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    open_cost: FloatArray,
    fixed: BoolArray,
    n_open: int | None,
) -> list[BoolArray]:
    """List the site sets to try around site `j`.

    Swaps out of it and, without a site count, closing it, or opening it when its
    savings alone would pay its opening cost.
    """
    trials: list[BoolArray] = []
    if fixed[j]:
        return trials
    if not is_open[j]:
        if n_open is None:
            now = cost[np.arange(len(plan)), plan]
            saving = float(
                np.maximum(now - cost[:, j], 0.0)[np.isfinite(cost[:, j])].sum()
            )
            if saving > open_cost[j]:
                trial = is_open.copy()
                trial[j] = True
                trials.append(trial)
        return trials
    if n_open is None:
        trial = is_open.copy()
        trial[j] = False
        trials.append(trial)
    members = plan == j
    score = cost[members].sum(axis=0)
    fits = (~is_open) & (capacity + 1e-9 >= demand[members].sum())
    score = np.where(fits & np.isfinite(score), score, np.inf)
    for k in np.argsort(score, kind="stable")[:SWAP_CANDIDATES].tolist():
        if not np.isfinite(score[k]):
            break
        trial = is_open.copy()
        trial[j], trial[k] = False, True
        trials.append(trial)
    return trials
