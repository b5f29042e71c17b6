"""Serve one site's queue: first come, first served at the earliest free desk.

The replications of a drill are simulated side by side: every array has one row per
replication, and the loop runs over the *i*-th arrival of every replication at once.
For each arrival the earliest moment each desk could take it is worked out (the desk
is free, the person is there, and the desk is not stopped for a shift change); the
person goes to the desk where that is soonest. This is exactly how a
``simpy.Resource`` with one unit per desk serves a first-come-first-served queue
(:mod:`planner.drill.reference` holds that model, and a test shows the two agree to
the second), but a person-by-person SimPy process per replication would take minutes
for a street; this takes seconds for 200 replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.model.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class DeskSetup:
    """How one site's desks work through the day (minutes after midnight).

    Attributes
    ----------
    desks
        Desks with a sampler.
    open_min
        When the desks start.
    close_min
        When the site stops sampling (``inf``: when its queue is empty).
    down_from, down_to
        ``(desks, k)`` intervals a desk is stopped (shift changes); ``inf`` pads.
    slow_from, slow_to, slow_factor
        From `slow_from` to `slow_to` a swab takes ``1 / slow_factor`` as long (rain
        at an outdoor site); factor 1 means no slowdown.
    pool_size
        Pooled swabs per tube; the desk closes a tube after every `pool_size`.
    tube_close_min
        Minutes to close a full pooled tube.
    alone_from, alone_to
        ``(desks, k)`` intervals a desk works without its registrar (the roster left
        the post empty): the sampler scans the codes too, so a swab that starts in
        one takes `alone_factor` times as long; ``inf`` pads.
    alone_factor
        ``(swab + scan) / max(swab, scan)`` of the mean times, at least 1.
    """

    desks: int
    open_min: float
    close_min: float = np.inf
    down_from: FloatArray | None = None
    down_to: FloatArray | None = None
    slow_from: float = np.inf
    slow_to: float = np.inf
    slow_factor: float = 1.0
    pool_size: int = 10
    tube_close_min: float = 0.0
    alone_from: FloatArray | None = None
    alone_to: FloatArray | None = None
    alone_factor: float = 1.0


@dataclass(frozen=True, slots=True)
class Served:
    """What happened to every arrival of every replication.

    Attributes
    ----------
    start, end
        ``(R, n)`` minutes when the swab starts and ends; ``inf`` = not sampled.
    desk
        ``(R, n)`` desk that sampled the person, -1 if none.
    tube_closed
        ``(R, n)`` a tube was closed when this person's swab ended.
    open_tubes_end
        ``(R, desks)`` end of the desk's last swab when a pooled tube was still
        open at the end of the day (closed then), ``inf`` otherwise.
    """

    start: FloatArray
    end: FloatArray
    desk: IntArray
    tube_closed: BoolArray
    open_tubes_end: FloatArray


def serve_fcfs(
    arrive: FloatArray,
    service: FloatArray,
    pooled: BoolArray,
    setup: DeskSetup,
) -> Served:
    """Serve arrivals in order at the earliest available desk.

    Parameters
    ----------
    arrive
        ``(R, n)`` arrival minutes, each row sorted ascending; ``inf`` = never comes.
    service
        ``(R, n)`` swab minutes at the normal rate (tube closing excluded).
    pooled
        ``(R, n)`` the swab goes into a pooled tube (else a single tube, closed at once).
    setup
        The site's desks.

    Returns
    -------
    Served
    """
    return serve_many([(arrive, service, pooled, setup)])[0]


Block = tuple[FloatArray, FloatArray, BoolArray, DeskSetup]
"""One site's ``(arrive, service, pooled, setup)`` for :func:`serve_many`."""


def serve_many(blocks: list[Block]) -> list[Served]:
    """Serve several sites' queues at once (see :func:`serve_fcfs` for one).

    Every site's replications become rows of one array, padded with arrivals that
    never come and desks that never free up, so the loop over the *i*-th arrival runs
    once for the whole street instead of once per site. Each row is computed exactly as
    it would be alone.
    """
    if not blocks:
        return []
    pools = {max(1, int(b[3].pool_size)) for b in blocks}
    closes = {float(b[3].tube_close_min) for b in blocks}
    if len(pools) > 1 or len(closes) > 1:
        # different tube rules cannot share one loop
        return [serve_many([b])[0] for b in blocks]
    sizes = [b[0].shape for b in blocks]
    r_all = sum(r for r, _ in sizes)
    n = max(n for _, n in sizes)
    c = max(max(b[3].desks, 0) for b in blocks)
    k = max(
        0 if b[3].down_from is None else np.asarray(b[3].down_from).shape[1]
        for b in blocks
    )
    # sites with the most arrivals first: the loop's i-th step then works on a
    # prefix of the rows only (the sites that still have an i-th arrival). The
    # arrays are laid out arrival by arrival (one row per arrival index), so each
    # step reads and writes contiguous memory; they are made once, in that layout,
    # because on this machine touching fresh memory costs more than the loop.
    width = [0 if b[3].desks <= 0 else b[0].shape[1] for b in blocks]
    order = sorted(range(len(blocks)), key=lambda q: -width[q])
    arrive = np.full((n, r_all), np.inf)
    service = np.zeros((n, r_all))
    pooled = np.zeros((n, r_all), dtype=bool)
    free = np.full((r_all, max(c, 1)), np.inf)
    down_from = np.full((r_all, max(c, 1), k), np.inf)
    down_to = np.full((r_all, max(c, 1), k), np.inf)
    k_alone = max(
        0 if b[3].alone_from is None else np.asarray(b[3].alone_from).shape[1]
        for b in blocks
    )
    alone_from = np.full((r_all, max(c, 1), k_alone), np.inf)
    alone_to = np.full((r_all, max(c, 1), k_alone), np.inf)
    alone_factor = np.ones(r_all)
    slow_from = np.full(r_all, np.inf)
    slow_to = np.full(r_all, np.inf)
    slow_factor = np.ones(r_all)
    close = np.full(r_all, np.inf)
    row = 0
    spans: dict[int, tuple[int, int, int, int]] = {}
    ends = []
    for q in order:
        a, sv, pl, st = blocks[q]
        r, m = a.shape
        lo, hi = row, row + r
        spans[q] = (lo, hi, m, st.desks)
        row = hi
        ends.append((width[q], hi))
        if st.desks <= 0 or m == 0:
            continue
        arrive[:m, lo:hi] = a.T
        service[:m, lo:hi] = sv.T
        pooled[:m, lo:hi] = pl.T
        free[lo:hi, : st.desks] = float(st.open_min)
        if st.down_from is not None and np.asarray(st.down_from).shape[1]:
            kk = np.asarray(st.down_from).shape[1]
            down_from[lo:hi, : st.desks, :kk] = np.asarray(st.down_from)[None]
            down_to[lo:hi, : st.desks, :kk] = np.asarray(st.down_to)[None]
        if st.alone_from is not None and np.asarray(st.alone_from).shape[1]:
            kk = np.asarray(st.alone_from).shape[1]
            alone_from[lo:hi, : st.desks, :kk] = np.asarray(st.alone_from)[None]
            alone_to[lo:hi, : st.desks, :kk] = np.asarray(st.alone_to)[None]
            alone_factor[lo:hi] = max(1.0, float(st.alone_factor))
        if st.slow_factor < 1.0 and st.slow_from < st.slow_to:
            slow_from[lo:hi], slow_to[lo:hi] = st.slow_from, st.slow_to
            slow_factor[lo:hi] = st.slow_factor
        close[lo:hi] = st.close_min
    # rows still arriving at step i: those of the sites wider than i
    active = np.zeros(max((w for w, _ in ends), default=0), dtype=np.int64)
    for w, hi in ends:
        active[:w] = np.maximum(active[:w], hi)
    start, end, desk, closed, open_tubes = _loop(
        arrive,
        service,
        pooled,
        free,
        down_from,
        down_to,
        (slow_from, slow_to, slow_factor),
        (alone_from, alone_to, alone_factor),
        close,
        pools.pop(),
        closes.pop(),
        active,
    )
    out = []
    for q in range(len(blocks)):
        lo, hi, m, d = spans[q]
        if d <= 0 or m == 0:
            out.append(
                Served(
                    np.full((hi - lo, m), np.inf),
                    np.full((hi - lo, m), np.inf),
                    np.full((hi - lo, m), -1, dtype=np.int64),
                    np.zeros((hi - lo, m), dtype=bool),
                    np.full((hi - lo, max(d, 0)), np.inf),
                )
            )
            continue
        out.append(
            Served(
                start[:m, lo:hi].T,
                end[:m, lo:hi].T,
                desk[:m, lo:hi].T,
                closed[:m, lo:hi].T,
                open_tubes[lo:hi, :d],
            )
        )
    return out


def _loop(
    arrive: FloatArray,
    service: FloatArray,
    pooled: BoolArray,
    free: FloatArray,
    down_from: FloatArray,
    down_to: FloatArray,
    slow: tuple[FloatArray, FloatArray, FloatArray],
    alone: tuple[FloatArray, FloatArray, FloatArray],
    close: FloatArray,
    pool: int,
    tube_close_min: float,
    active: IntArray,
) -> tuple[FloatArray, FloatArray, IntArray, BoolArray, FloatArray]:
    """Run the first-come-first-served loop over rows (replications of any site).

    `arrive`, `service` and `pooled` are ``(arrivals, rows)``: column *r* holds row
    *r*'s arrivals in time order (``inf`` = never comes). ``active[i]``: step *i*
    concerns the first ``active[i]`` rows only; the others have had every arrival
    (for them a step would change nothing). Returns start, end, desk and closed as
    ``(arrivals, rows)`` arrays, and each row's open-tube time per desk.
    """
    n, r = arrive.shape
    rows = np.arange(r)
    start = np.full((n, r), np.inf)
    end = np.full((n, r), np.inf)
    desk = np.full((n, r), -1, dtype=np.int64)
    closed = np.zeros((n, r), dtype=bool)
    count = np.zeros(free.shape, dtype=np.int64)
    k_down = down_from.shape[2]
    slow_from, slow_to, slow_factor = slow
    any_slow = bool((slow_factor < 1.0).any())
    alone_from, alone_to, alone_factor = alone
    k_alone = alone_from.shape[2] if bool((alone_factor > 1.0).any()) else 0
    for i in range(len(active)):
        k = int(active[i])
        rk = rows[:k]
        a = arrive[i, :k]
        s = service[i, :k]
        cand = np.maximum(free[:k], a[:, None])
        for q in range(k_down):
            lo, hi = down_from[:k, :, q], down_to[:k, :, q]
            # a swab may not run into a stop: wait for the desk to reopen
            cand = np.where((cand < hi) & (cand + s[:, None] > lo), hi, cand)
        j = cand.argmin(axis=1)
        st = cand[rk, j]
        if any_slow:
            s = np.where(
                (st >= slow_from[:k]) & (st < slow_to[:k]), s / slow_factor[:k], s
            )
        for q in range(k_alone):
            # a desk without its registrar: the sampler scans the code too
            alone_now = (st >= alone_from[rk, j, q]) & (st < alone_to[rk, j, q])
            s = np.where(alone_now, s * alone_factor[:k], s)
        p = pooled[i, :k]
        cnt = count[rk, j] + p
        full = p & (cnt % pool == 0)
        s = s + full * tube_close_min
        ok = st < close[:k]
        en = st + s
        free[rk, j] = np.where(ok, en, free[rk, j])
        count[rk, j] = np.where(ok, cnt, count[rk, j])
        start[i, :k] = np.where(ok, st, np.inf)
        end[i, :k] = np.where(ok, en, np.inf)
        desk[i, :k] = np.where(ok, j, -1)
        closed[i, :k] = ok & (full | ~p)
    open_tubes = np.where(count % pool != 0, free, np.inf)
    return start, end, desk, closed, open_tubes
