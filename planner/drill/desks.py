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
    r, n = arrive.shape
    rows = np.arange(r)
    c = setup.desks
    start = np.full((r, n), np.inf)
    end = np.full((r, n), np.inf)
    desk = np.full((r, n), -1, dtype=np.int64)
    closed = np.zeros((r, n), dtype=bool)
    if c <= 0 or n == 0:
        return Served(start, end, desk, closed, np.full((r, max(c, 0)), np.inf))
    free = np.full((r, c), float(setup.open_min))
    count = np.zeros((r, c), dtype=np.int64)
    down_from = (
        np.zeros((c, 0)) if setup.down_from is None else np.asarray(setup.down_from)
    )
    down_to = np.zeros((c, 0)) if setup.down_to is None else np.asarray(setup.down_to)
    k_down = down_from.shape[1]
    slow = setup.slow_factor < 1.0 and setup.slow_from < setup.slow_to
    pool = max(1, int(setup.pool_size))
    # rows are sorted, so once every row's arrival is inf the rest never come
    finite = np.isfinite(arrive).sum(axis=1)
    last = int(finite.max()) if r else 0
    for i in range(last):
        a = arrive[:, i]
        s = service[:, i]
        cand = np.maximum(free, a[:, None])
        for k in range(k_down):
            lo, hi = down_from[None, :, k], down_to[None, :, k]
            # a swab may not run into a stop: wait for the desk to reopen
            cand = np.where((cand < hi) & (cand + s[:, None] > lo), hi, cand)
        j = cand.argmin(axis=1)
        st = cand[rows, j]
        if slow:
            s = np.where(
                (st >= setup.slow_from) & (st < setup.slow_to), s / setup.slow_factor, s
            )
        p = pooled[:, i]
        cnt = count[rows, j] + p
        full = p & (cnt % pool == 0)
        s = s + full * setup.tube_close_min
        ok = st < setup.close_min
        en = st + s
        free[rows, j] = np.where(ok, en, free[rows, j])
        count[rows, j] = np.where(ok, cnt, count[rows, j])
        start[:, i] = np.where(ok, st, np.inf)
        end[:, i] = np.where(ok, en, np.inf)
        desk[:, i] = np.where(ok, j, -1)
        closed[:, i] = ok & (full | ~p)
    open_tubes = np.where(count % pool != 0, free, np.inf)
    return Served(start, end, desk, closed, open_tubes)
