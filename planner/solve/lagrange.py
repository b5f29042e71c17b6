"""Lower bounds and site fixing for facility location by Lagrangian relaxation.

CP-SAT proves bounds with its own LP, which on large dense instances (≳ 50,000
arcs) is slow to solve and often stays weak inside a one-minute budget. Relaxing
the single-source rows instead gives a bound that is as strong as the
strong-formulation LP (``x_ij ≤ y_j`` included) and costs a few milliseconds per
iteration, because the relaxed problem splits into one knapsack per site.

Relaxation
    With multipliers ``λ_i`` on rows 1 (``Σ_j x_ij = 1``) of :mod:`planner.solve.locate`,

    ``L(λ) = Σ_i λ_i + min_y Σ_j v_j(λ)·y_j``  with
    ``v_j(λ) = f_j − max {Σ_i (λ_i − c_ij)·x_ij : Σ_i d_i·x_ij ≤ Q_j, 0 ≤ x_ij ≤ 1}``

    where the inner maximum is a fractional (LP) knapsack, solved exactly by taking
    items in order of profit per unit of demand, or, with ``integer_knapsacks``,
    the 0-1 knapsack ``x_ij ∈ {0,1}`` (dynamic programming over capacity). The 0-1
    knapsack lacks the integrality property, so its bound is stronger than the LP's:
    that of the set-partitioning (column generation) LP (Geoffrion 1974). On the
    tight p-median instances of ``benchmarks/cpmp_instances.py`` it left 0.13-0.95 %
    to the optimum where the fractional one left 0.45-1.16 %, and it fixed twice as
    many pairs; the outer minimum keeps
    constraints 4 (``Σ y_j = p``), 5 (fixed sites) and, for facility location, the
    cover ``Σ_j Q_j·y_j ≥ Σ_i d_i`` (as an LP, greedily by ``v_j / Q_j``). For every
    ``λ``, ``L(λ)`` is a lower bound on the optimum (weak duality); a pair
    ``(i, j)`` with ``d_i > Q_j`` is dropped, as no plan can use it.

Search
    Subgradient ascent with Polyak steps ``λ ← λ + θ·(U − L(λ))·g / ‖g‖²`` where
    ``g_i = 1 − Σ_j x_ij·y_j`` and ``U`` is the cost of a known plan; ``θ`` starts
    at 2 and halves after ``STALL`` iterations without a better bound. Multipliers
    start at each point's second-cheapest cost. The search is deterministic: a fixed
    number of iterations, no clock.

Fixing
    Forcing site ``j`` open (or closed) changes ``L(λ)`` by an amount read off the
    ``v_j``; when the forced bound exceeds ``U``, no plan cheaper than the known one
    opens (closes) ``j``, so the exact model can drop (fix) it. Forcing ``x_ij = 1``
    costs at least that of opening ``j`` plus the reduced cost ``max(0, c_ij − λ_i)``
    (the knapsack then holds item ``i`` at that loss, and has ``d_i`` less room for
    the rest, in either knapsack), which drops most far pairs.
    Every iteration's fixings are valid, so they are accumulated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from planner.model.types import BoolArray, FloatArray, IntArray
from planner.solve.heuristics import assign_to_open_sites

STALL = 15
"""Iterations without a better bound before the step factor ``θ`` halves."""

THETA_MIN = 1e-4
"""The search stops once ``θ`` falls below this (steps are then negligible)."""


HEURISTIC_EVERY = 10
"""Every this many iterations, the sites the relaxation chose are turned into a plan."""

KNAPSACK_STEPS = 1000
"""0-1 knapsacks: capacities are cut into at most this many steps (weights rounded
down to them, which keeps the bound valid)."""

KNAPSACK_CELLS = 8_000_000
"""0-1 knapsacks: largest table (items × sites × capacity steps) per iteration, about
0.1 s on this machine (3.6 million cells took 0.044 s); beyond it that iteration
takes the fractional knapsack. The tight 400-point instance needs up to 6.2 million,
the 200-point one 0.8 million."""


@dataclass(frozen=True, slots=True)
class LagrangeBound:
    """What the relaxation proved.

    Attributes
    ----------
    bound
        Lower bound on the optimum, input units (``-inf`` if nothing was proved).
    closed
        ``(m,)`` sites that no plan cheaper than `upper` opens.
    arcs_closed
        ``(n, m)`` pairs that no plan cheaper than `upper` uses.
    opened
        ``(m,)`` sites that every plan cheaper than `upper` opens.
    upper
        Cost of the best known plan, which the fixings are relative to, input units.
    plan
        ``(n,)`` site per point of the best plan the heuristic found, or None when
        the given plan (cost `upper` on entry) stayed the best.
    multipliers
        ``(n,)`` multipliers of the best bound (to warm-start a later call).
    iterations
        Subgradient iterations run.
    site_value
        ``(m,)`` each site's ``v_j`` at the best multipliers: how much opening it
        lowers (negative) or raises the bound. The most negative are the sites the
        relaxation likes best (the kernel of :mod:`planner.solve.locate`).
    """

    bound: float
    closed: BoolArray
    arcs_closed: BoolArray
    opened: BoolArray
    upper: float
    plan: IntArray | None
    multipliers: FloatArray
    iterations: int
    site_value: FloatArray


def _knapsacks(
    profit: FloatArray, weight: FloatArray, allowed: BoolArray, capacity: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Solve every site's fractional knapsack at once.

    Returns the best value per site ``(m,)`` and the chosen fractions ``(n, m)``.
    """
    take = allowed & (profit > 0)
    x = take.astype(np.float64)
    gain = np.where(take, profit, 0.0).sum(axis=0)
    load = np.where(take, weight[:, None], 0.0).sum(axis=0)
    tight = np.flatnonzero(load > capacity)
    if len(tight):
        t = take[:, tight]
        w = np.where(t, weight[:, None], 0.0)
        p = np.where(t, profit[:, tight], 0.0)
        # items without weight are always taken: give them the highest ratio
        ratio = np.where(t, p / np.where(w > 0, w, 1.0), -np.inf)
        ratio = np.where(t & (w <= 0), np.inf, ratio)
        order = np.argsort(-ratio, axis=0, kind="stable")
        ws = np.take_along_axis(w, order, axis=0)
        ps = np.take_along_axis(p, order, axis=0)
        before = np.cumsum(ws, axis=0) - ws
        room = capacity[tight][None, :] - before
        frac = np.where(ws > 0, np.clip(room / np.where(ws > 0, ws, 1.0), 0, 1), 1.0)
        frac = np.where(ps > 0, frac, 0.0)
        gain[tight] = (ps * frac).sum(axis=0)
        part = np.empty_like(frac)
        np.put_along_axis(part, order, frac, axis=0)
        x[:, tight] = part
    return gain, x


def _knapsacks_01(
    profit: FloatArray, weight: FloatArray, allowed: BoolArray, capacity: FloatArray
) -> tuple[FloatArray, FloatArray] | None:
    """Solve every site's 0-1 knapsack at once, by dynamic programming over capacity.

    Weights and capacities are divided by ``s = max(1, max_j Q_j / KNAPSACK_STEPS)``
    and rounded down, a relaxation (every set that fits still fits, as
    ``Σ ⌊d_i/s⌋ ≤ ⌊Σ d_i/s⌋ ≤ ⌊Q_j/s⌋``), so the value is an upper bound on the
    knapsack's and ``L(λ)`` stays a lower bound. Only sites whose profitable items
    overflow them need the table: the rest take every such item, as the fractional
    knapsack does.

    Returns the best value per site ``(m,)`` and the chosen items ``(n, m)``, or
    None when the table would exceed `KNAPSACK_CELLS` (the caller then takes the
    fractional knapsack).
    """
    take = allowed & (profit > 0)
    x = take.astype(np.float64)
    gain = np.where(take, profit, 0.0).sum(axis=0)
    load = np.where(take, weight[:, None], 0.0).sum(axis=0)
    tight = np.flatnonzero(load > capacity + 1e-9)
    if not len(tight):
        return gain, x
    scale = max(1.0, float(capacity[tight].max()) / KNAPSACK_STEPS)
    w = np.floor(weight / scale + 1e-9).astype(np.int64)
    room = np.floor(capacity[tight] / scale + 1e-9).astype(np.int64)
    t = take[:, tight]
    k = int(t.sum(axis=0).max())
    width = int(room.max()) + 1
    sites = len(tight)
    if k * sites * width > KNAPSACK_CELLS:
        return None
    # each site's profitable items packed to the front: item r of site s is order[r, s]
    order = np.argsort(~t, axis=0, kind="stable")[:k]
    valid = np.take_along_axis(t, order, axis=0)
    item_profit = np.where(
        valid, np.take_along_axis(profit[:, tight], order, axis=0), -np.inf
    )
    item_weight = np.where(valid, w[order], 0)
    cols = np.arange(width)
    fits = cols[None, :] <= room[:, None]  # the table is as wide as the largest site
    # best[s, c]: the best value of site s's items so far within capacity c
    best = np.where(fits, 0.0, -np.inf)
    took = np.zeros((k, sites, width), dtype=bool)
    rows = np.arange(sites)[:, None]
    for r in range(k):
        src = cols[None, :] - item_weight[r][:, None]
        with_item = (
            np.where(fits & (src >= 0), best[rows, np.maximum(src, 0)], -np.inf)
            + item_profit[r][:, None]
        )
        took[r] = with_item > best
        best = np.where(took[r], with_item, best)
    c = np.argmax(best, axis=1)
    gain[tight] = best[np.arange(sites), c]
    chosen = np.zeros((k, sites))
    for r in range(k - 1, -1, -1):
        here = took[r, np.arange(sites), c]
        chosen[r] = here
        c = c - np.where(here, item_weight[r], 0)
    part = np.zeros((len(profit), sites))
    np.put_along_axis(part, order, chosen * valid, axis=0)
    x[:, tight] = part
    return gain, x


def _select(
    v: FloatArray,
    capacity: FloatArray,
    total_demand: float,
    n_open: int | None,
    fixed: BoolArray,
) -> tuple[FloatArray, float, float, FloatArray, FloatArray]:
    """Choose sites minimising ``Σ v_j·y_j`` under constraints 4, 5 and the cover.

    Returns
    -------
    y
        ``(m,)`` chosen sites (the last cover site may be fractional).
    value
        ``Σ v_j·y_j``.
    reference
        A value ``≤ value`` the penalties are added to.
    open_penalty, close_penalty
        ``(m,)`` lower bounds on how much forcing each site open (closed) adds to
        `reference`; ``inf`` when impossible.
    """
    m = len(v)
    y = fixed.astype(np.float64)
    open_penalty = np.zeros(m)
    close_penalty = np.zeros(m)
    close_penalty[fixed] = np.inf
    free = np.flatnonzero(~fixed)
    if n_open is not None:
        k = n_open - int(fixed.sum())
        order = free[np.argsort(v[free], kind="stable")]
        chosen, rest = order[:k], order[k:]
        y[chosen] = 1.0
        value = float(v[y > 0].sum())
        # open a site left out by swapping out the worst chosen one, close a chosen
        # one by swapping in the best left out (impossible when there is none)
        last = float(v[chosen[-1]]) if k > 0 else -np.inf
        first_out = float(v[rest[0]]) if len(rest) else np.inf
        open_penalty[rest] = v[rest] - last
        close_penalty[chosen] = first_out - v[chosen]
        return y, value, value, open_penalty, close_penalty
    neg = free[v[free] < 0]
    pos = free[v[free] >= 0]
    y[neg] = 1.0
    reference = float(v[y > 0].sum())
    # against the cover-free choice, forcing a site in adds its own value and forcing
    # one out drops its (negative) value; any cover cost only raises the bound more
    open_penalty[pos] = v[pos]
    close_penalty[neg] = -v[neg]
    value = reference
    short = total_demand - float((capacity * y).sum())
    if short > 0:
        order = pos[
            np.argsort(v[pos] / np.maximum(capacity[pos], 1e-12), kind="stable")
        ]
        for j in order.tolist():
            share = min(1.0, short / capacity[j]) if capacity[j] > 0 else 0.0
            y[j] = share
            value += share * float(v[j])
            short -= share * float(capacity[j])
            if short <= 0:
                break
    return y, value, reference, open_penalty, close_penalty


def _plan_from(
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    open_cost: FloatArray,
    chosen: BoolArray,
    fixed: BoolArray,
    n_open: int | None,
    groups: IntArray | None,
    group_cost: float,
) -> tuple[IntArray, float] | None:
    """Turn the relaxation's site choice into a plan and its cost, if one fits.

    p-median keeps all chosen sites open, facility location closes the idle ones
    that are not fixed.
    """
    plan = assign_to_open_sites(cost, demand, capacity, chosen | fixed)
    if plan is None:
        return None
    paid = fixed.copy()
    paid[plan] = True
    if n_open is not None:
        paid = chosen | fixed
    total = float(cost[np.arange(len(plan)), plan].sum() + open_cost[paid].sum())
    if groups is not None and group_cost:
        total += group_cost * len(set(zip(groups.tolist(), plan.tolist(), strict=True)))
    return plan, total


def _margin(upper: float) -> float:
    """Slack below which a forced bound does not count as above `upper`."""
    return 1e-7 * max(abs(upper), 1.0) if np.isfinite(upper) else 0.0


def lagrangian_bound(
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    *,
    open_cost: FloatArray,
    n_open: int | None,
    fixed_open: BoolArray,
    upper: float = np.inf,
    groups: IntArray | None = None,
    group_cost: float = 0.0,
    iterations: int = 300,
    start: FloatArray | None = None,
    find_plans: bool = True,
    deadline: float | None = None,
    integer_knapsacks: bool = False,
) -> LagrangeBound:
    """Bound a single-source capacitated location problem from below.

    Parameters
    ----------
    cost
        ``(n, m)`` cost of serving point ``i`` from site ``j``; ``inf`` = not allowed.
    demand
        ``(n,)`` demands.
    capacity
        ``(m,)`` site capacities, demand units.
    open_cost
        ``(m,)`` opening costs (zeros for p-median).
    n_open
        Exactly this many sites open, or None (facility location).
    fixed_open
        ``(m,)`` sites that must open.
    upper
        Cost of a known plan, input units (drives the step size and the fixings);
        ``inf`` when none is known (the heuristic then supplies one).
    groups, group_cost
        Optional group of each point and the cost of each (group, site) pair used:
        every plan pays it at least once per group, which the bound adds.
    iterations
        Subgradient iterations. Default 300.
    start
        Multipliers to start from (e.g. a previous call's).
    deadline
        ``time.perf_counter()`` after which no further iteration starts (for
        callers on a wall-clock budget; every iteration's bound and fixings hold,
        so stopping early only weakens them).
    find_plans
        Turn the chosen sites into plans and fix against the best (default). Off
        when the caller's problem has rows the relaxation does not know (a cap on
        the number of sites): its plans might break them, and fixing against a plan
        cheaper than every real one would cut real plans off.
    integer_knapsacks
        Solve each site's knapsack as a 0-1 knapsack (:func:`_knapsacks_01`) where
        its table is small enough, instead of the fractional one: a stronger bound
        (that of the set-partitioning LP) that fixes far more, for a few
        milliseconds more per iteration. Default False.

    Returns
    -------
    LagrangeBound
    """
    m = cost.shape[1]
    allowed = np.isfinite(cost) & (demand[:, None] <= capacity[None, :] + 1e-9)
    c = np.where(allowed, cost, 0.0)
    total = float(demand.sum())
    if start is not None:
        lam = np.asarray(start, dtype=np.float64).copy()
    else:
        ranked = np.sort(np.where(allowed, cost, np.inf), axis=1)
        second = ranked[:, 1] if m > 1 else ranked[:, 0]
        lam = np.where(np.isfinite(second), second, ranked[:, 0])
        lam = np.where(np.isfinite(lam), lam, 0.0)
    closed = np.zeros(m, dtype=bool)
    arcs_closed = ~allowed
    opened = fixed_open.copy()
    best, best_lam = -np.inf, lam.copy()
    theta, stall, done = 2.0, 0, 0
    extra = 0.0 if groups is None else group_cost * len(np.unique(groups))
    plan: IntArray | None = None

    def knapsack(profit: FloatArray) -> tuple[FloatArray, FloatArray]:
        exact = (
            _knapsacks_01(profit, demand, allowed, capacity)
            if integer_knapsacks
            else None
        )
        return exact or _knapsacks(profit, demand, allowed, capacity)

    for done in range(1, iterations + 1):
        if deadline is not None and done > 1 and time.perf_counter() > deadline:
            done -= 1
            break
        gain, x = knapsack(lam[:, None] - c)
        v = open_cost - gain
        y, value, ref, open_pen, close_pen = _select(
            v, capacity, total, n_open, fixed_open
        )
        if find_plans and done % HEURISTIC_EVERY == 1:
            found = _plan_from(
                cost,
                demand,
                capacity,
                open_cost,
                y > 0,
                fixed_open,
                n_open,
                groups,
                group_cost,
            )
            if found is not None and found[1] < upper - _margin(upper):
                plan, upper = found
        # fix only on a clear margin, so rounding in the sums cannot cut the known plan
        margin = _margin(upper)
        base = float(lam.sum()) + extra
        bound = base + value
        closed |= ~fixed_open & (base + ref + open_pen > upper + margin)
        opened |= base + ref + close_pen > upper + margin
        # serving i from j also pays at least its reduced cost c_ij − λ_i on top
        arc_pen = open_pen[None, :] + np.maximum(c - lam[:, None], 0.0)
        arcs_closed |= base + ref + arc_pen > upper + margin
        if not np.isfinite(best) or bound > best + 1e-12 * max(abs(best), 1.0):
            best, best_lam, stall = bound, lam.copy(), 0
        else:
            stall += 1
            if stall >= STALL:
                theta, stall = theta / 2, 0
        g = 1.0 - (x * y[None, :]).sum(axis=1)
        norm = float(g @ g)
        if norm < 1e-12 or theta < THETA_MIN or best >= upper - margin:
            break
        # Polyak step towards the known plan's cost (a guess above the bound without)
        target = upper if np.isfinite(upper) else best + max(0.05 * abs(best), 1.0)
        lam = lam + theta * max(target - bound, 1e-9 * max(abs(target), 1.0)) / norm * g
    best_gain, _ = knapsack(best_lam[:, None] - c)
    return LagrangeBound(
        bound=float(best),
        closed=closed,
        arcs_closed=arcs_closed | closed[None, :],
        opened=opened & ~closed,
        upper=float(upper),
        plan=plan,
        multipliers=best_lam,
        iterations=done,
        site_value=open_cost - best_gain,
    )
