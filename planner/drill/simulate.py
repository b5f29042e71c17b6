"""Play a drill day many times over and summarise what happens.

Each replication draws who comes when (early, late, in another slot, not at all,
walk-ins of a surge), how long each swab takes (lognormal around the policy's rate;
single tubes slower, a pooled tube closed after every ``pool_size`` swabs; the desk
waits for the registrar when scanning is the slower step), and serves every site's
queue first come, first served (:mod:`planner.drill.desks`). Door-to-door teams and
sample vehicles are SimPy processes (:mod:`planner.drill.field`).

Waits count from arrival, or from opening for people who come before it. The queue
is the people waiting (not yet at a desk); at 1 m apart its length in people is its
length in metres of pavement. A site-slot *breaks the queue limit* in a replication
when the mean wait of the people arriving in it exceeds the policy's limit — the
same quantity the planner bounds with Erlang C.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.drill._draws import clock as _clock
from planner.drill._draws import lognormal as _lognormal
from planner.drill.day import DrillDay, SiteDay
from planner.drill.desks import Served, serve_many
from planner.drill.field import simulate_field
from planner.model.clock import hhmm as _hhmm
from planner.model.types import FloatArray, IntArray

SITE_SEED = 1_000
"""Offset of a site's random stream: ``default_rng([seed, SITE_SEED + site])``."""


@dataclass(frozen=True)
class SiteRun:
    """One site over all replications (what the street summary needs).

    Attributes
    ----------
    last_end
        ``(R,)`` when the site's last swab ends, minutes (``nan``: nobody came).
    turned_away
        ``(R,)`` people who came but were not sampled (site closed).
    sealed_missed
        ``(R,)`` people who did not come because their building was sealed.
    no_show
        ``(R,)`` booked people who did not come.
    over_limit
        ``(R, slots)`` the slot's mean wait exceeded the limit.
    tube_times
        Per replication, the minutes tubes were closed (for transport).
    """

    last_end: FloatArray
    turned_away: IntArray
    sealed_missed: IntArray
    no_show: IntArray
    over_limit: npt.NDArray[np.bool_]
    tube_times: list[FloatArray]


@dataclass(frozen=True)
class DrillReport:
    """What the replications show.

    Attributes
    ----------
    street
        Street-wide figures (probabilities, finish times, people not sampled).
    sites
        One row per site.
    slots
        One row per site and slot.
    teams
        One row per door-to-door team.
    transport
        One row per site: pick-up gaps and sample ages.
    timings_s
        Wall seconds (kept out of `street` so the same seed gives the same report).
    """

    street: dict[str, Any]
    sites: pd.DataFrame
    slots: pd.DataFrame
    teams: pd.DataFrame
    transport: pd.DataFrame
    timings_s: dict[str, float] = field(default_factory=dict)


def _arrivals(
    site: SiteDay, day: DrillDay, reps: int, rng: np.random.Generator
) -> tuple[FloatArray, npt.NDArray[np.bool_], IntArray, IntArray, IntArray]:
    """Draw every replication's arrivals at one site.

    Returns
    -------
    tuple
        ``arrive (R, n)`` unsorted (``inf``: does not come), ``pooled (R, n)``,
        per replication the people not showing, the people kept away by a seal,
        and the person's booked slot (``-1`` for surge walk-ins).
    """
    d = day.policy.drill
    slot_len = float(day.policy.round.slot_minutes)
    starts = day.policy.round.start_min + slot_len * np.arange(day.policy.round.n_slots)
    n_hh = len(site.households)
    u = rng.random((reps, n_hh))
    base = starts[site.hh_slot][None, :] + rng.random((reps, n_hh)) * slot_len
    cut = np.cumsum([d.no_show_share, d.other_slot_share, d.early_share, d.late_share])
    no_show = u < cut[0]
    other = (u >= cut[0]) & (u < cut[1])
    early = (u >= cut[1]) & (u < cut[2])
    late = (u >= cut[2]) & (u < cut[3])
    arrive = base
    arrive = np.where(
        early,
        starts[site.hh_slot][None, :] - rng.random((reps, n_hh)) * d.early_max_min,
        arrive,
    )
    arrive = np.where(
        late,
        starts[site.hh_slot][None, :]
        + slot_len
        + rng.random((reps, n_hh)) * d.late_max_min,
        arrive,
    )
    usable = site.usable_slots
    if len(usable) > 1:
        pick = usable[rng.integers(0, len(usable), (reps, n_hh))]
        arrive = np.where(
            other, starts[pick] + rng.random((reps, n_hh)) * slot_len, arrive
        )
    sealed = arrive >= site.hh_sealed_at[None, :]
    arrive = np.where(no_show | sealed, np.inf, arrive)
    people = site.hh_single + site.hh_pooled
    per_hh = np.repeat(np.arange(n_hh), people)
    # key-group members of a household are swabbed first, into single tubes
    rank = np.arange(len(per_hh)) - np.repeat(np.cumsum(people) - people, people)
    pooled_person = rank >= np.repeat(site.hh_single, people)
    arr_p = arrive[:, per_hh]
    pooled_p = np.broadcast_to(pooled_person, arr_p.shape)
    slot_p = np.broadcast_to(site.hh_slot[per_hh], arr_p.shape)
    n_no_show = (no_show * people[None, :]).sum(axis=1)
    n_sealed = ((sealed & ~no_show) * people[None, :]).sum(axis=1)
    extra = [arr_p]
    extra_pooled = [pooled_p]
    extra_slot = [slot_p]
    for lo, hi, n in site.surge:
        extra.append(lo + rng.random((reps, n)) * (hi - lo))
        extra_pooled.append(np.ones((reps, n), dtype=bool))
        extra_slot.append(np.full((reps, n), -1, dtype=np.int64))
    return (
        np.concatenate(extra, axis=1),
        np.concatenate(extra_pooled, axis=1),
        n_no_show.astype(np.int64),
        n_sealed.astype(np.int64),
        np.concatenate(extra_slot, axis=1),
    )


def _percentiles(values: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
    """Return ``(n_groups, 3)`` p50, p95 and max of `values` per group (nan if empty).

    The percentiles are numpy's default (linear) ones, computed for every group at
    once from one sort: the same numbers as ``np.percentile`` per group, which took a
    tenth of a drill on a 100,000-resident street when called slot by slot.
    """
    out = np.full((n_groups, 3), np.nan)
    if len(values) == 0:
        return out
    order = np.lexsort((values, groups))
    v, g = values[order], groups[order]
    bounds = np.searchsorted(g, np.arange(n_groups + 1))
    lo, size = bounds[:-1], np.diff(bounds)
    has = size > 0
    lo, size = lo[has], size[has]
    for col, q in ((0, 0.5), (1, 0.95)):
        # numpy's linear method: index (size − 1)·q, then its two-sided lerp
        virtual = (size - 1) * q
        below = np.floor(virtual)
        gamma = virtual - below
        i0 = lo + below.astype(np.int64)
        i1 = lo + np.minimum(below.astype(np.int64) + 1, size - 1)
        a, b = v[i0], v[i1]
        diff = b - a
        out[has, col] = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    out[has, 2] = v[lo + size - 1]
    return out


Draws = tuple[FloatArray, npt.NDArray[np.bool_], IntArray, IntArray, FloatArray]
"""One site's sorted arrivals, pooled flags, no-shows, sealed-away and service times."""


def _draw_site(site: SiteDay, day: DrillDay, reps: int, seed: int) -> Draws:
    """Draw one site's replications: who comes when, and how long each swab takes."""
    pol = day.policy
    rng = np.random.default_rng([seed, SITE_SEED + site.site])
    arrive, pooled, no_show, sealed, _ = _arrivals(site, day, reps, rng)
    order = np.argsort(arrive, axis=1, kind="stable")
    arrive = np.take_along_axis(arrive, order, axis=1)
    pooled = np.take_along_axis(pooled, order, axis=1)
    n = arrive.shape[1]
    pool = pol.pooling.default_pool_size
    d = pol.drill
    mean_pooled = 60.0 / pol.sampling.sampler_rate_per_h - d.tube_close_min / pool
    mean_single = 60.0 / pol.sampling.single_tube_rate_per_h
    swab = np.where(
        pooled,
        _lognormal(rng, mean_pooled, d.service_cv, (reps, n)),
        _lognormal(rng, mean_single, d.service_cv, (reps, n)),
    )
    scan = _lognormal(rng, 60.0 / d.scan_rate_per_h, d.service_cv, (reps, n))
    return arrive, pooled, no_show, sealed, np.maximum(swab, scan)


def _summarise_site(
    site: SiteDay, day: DrillDay, reps: int, draws: Draws, served: Served
) -> tuple[SiteRun, list[dict[str, Any]], dict[str, Any]]:
    """Turn one site's served queue into its run, slot rows and site row."""
    pol = day.policy
    arrive, _pooled, no_show, sealed, _ = draws
    n = arrive.shape[1]
    came = np.isfinite(arrive)
    ok = np.isfinite(served.start)
    open_min = site.setup.open_min
    with np.errstate(invalid="ignore"):
        wait = np.where(ok, served.start - np.maximum(arrive, open_min), np.nan)
        length = np.where(ok, served.end - served.start, 0.0)
    # leaving the queue: starting a swab, or being turned away when the site closes
    leave = np.where(ok, served.start, np.where(came, site.setup.close_min, np.inf))
    leave_sorted = np.sort(leave, axis=1)
    big = 1e6
    offs = np.arange(reps)[:, None] * big
    flat_leave = np.minimum(leave_sorted, big / 2) + offs
    flat_arr = np.minimum(arrive, big / 2) + offs
    left = (
        np.searchsorted(flat_leave.ravel(), flat_arr.ravel(), side="right").reshape(
            reps, n
        )
        - np.arange(reps)[:, None] * n
    )
    queue = np.where(came, np.arange(1, n + 1)[None, :] - left, 0)

    n_slots = pol.round.n_slots
    slot_len = pol.round.slot_minutes
    slot_of = np.clip(
        np.floor((arrive - pol.round.start_min) / slot_len), 0, n_slots - 1
    )
    slot_of = np.where(came, slot_of, 0).astype(np.int64)
    rr = np.broadcast_to(np.arange(reps)[:, None], (reps, n))
    cell = rr * n_slots + slot_of
    arrivals = np.bincount(cell[came], minlength=reps * n_slots).reshape(reps, n_slots)
    wait_sum = np.bincount(cell[ok], wait[ok], minlength=reps * n_slots).reshape(
        reps, n_slots
    )
    served_n = np.bincount(cell[ok], minlength=reps * n_slots).reshape(reps, n_slots)
    q_flat = np.zeros(reps * n_slots)
    np.maximum.at(q_flat, cell[came], queue[came])
    q_max = q_flat.reshape(reps, n_slots)
    # desk time counts in the slot the swab starts in
    start_slot = np.clip(
        np.floor((np.where(ok, served.start, 0.0) - pol.round.start_min) / slot_len),
        0,
        n_slots - 1,
    ).astype(np.int64)
    busy = np.bincount(
        (rr * n_slots + start_slot)[ok], length[ok], minlength=reps * n_slots
    ).reshape(reps, n_slots)
    with np.errstate(invalid="ignore", divide="ignore"):
        slot_mean_wait = wait_sum / served_n
    over = np.nan_to_num(slot_mean_wait, nan=0.0) > pol.queue.max_wait_min
    pct = _percentiles(wait[ok], slot_of[ok], n_slots)

    last_end = np.where(
        ok.any(axis=1), np.max(np.where(ok, served.end, -np.inf), axis=1), np.nan
    )
    turned = (came & ~ok).sum(axis=1).astype(np.int64)
    tube_times = []
    for r in range(reps):
        t = served.end[r][served.tube_closed[r] & ok[r]]
        extra = served.open_tubes_end[r][np.isfinite(served.open_tubes_end[r])]
        tube_times.append(np.sort(np.concatenate([t, extra])))
    run = SiteRun(last_end, turned, sealed, no_show, over, tube_times)

    grid_start = pol.round.start_min + slot_len * np.arange(n_slots)
    booked = np.bincount(
        site.hh_slot, site.hh_single + site.hh_pooled, minlength=n_slots
    )
    desks = max(site.setup.desks, 1)
    rows = []
    for k in range(n_slots):
        if booked[k] == 0 and arrivals[:, k].sum() == 0:
            continue
        with np.errstate(invalid="ignore"):
            mean_w = float(wait_sum[:, k].sum() / max(served_n[:, k].sum(), 1))
        rows.append(
            {
                "site_id": site.site_id,
                "slot_start": _hhmm(int(grid_start[k])),
                "slot_end": _hhmm(int(grid_start[k] + slot_len)),
                "desks": site.setup.desks,
                "booked": int(booked[k]),
                "arrivals_mean": round(float(arrivals[:, k].mean()), 1),
                "wait_mean_min": round(mean_w, 2),
                "wait_p50_min": _r(pct[k, 0]),
                "wait_p95_min": _r(pct[k, 1]),
                "wait_max_min": _r(pct[k, 2]),
                "queue_people_mean": round(float(q_max[:, k].mean()), 1),
                "queue_people_p95": _r(np.percentile(q_max[:, k], 95)),
                "queue_m_p95": _r(np.percentile(q_max[:, k], 95) * pol.queue.spacing_m),
                "utilisation": round(float(busy[:, k].mean() / (desks * slot_len)), 3),
                "p_over_limit": round(float(over[:, k].mean()), 3),
            }
        )
    all_w = wait[ok]
    site_row = {
        "site_id": site.site_id,
        "indoor": site.indoor,
        "desks_planned": site.desks_planned,
        "desks_staffed": site.setup.desks,
        "booked": int(booked.sum()),
        "arrivals_mean": round(float(came.sum(axis=1).mean()), 1),
        "wait_mean_min": _r(all_w.mean() if len(all_w) else np.nan),
        "wait_p95_min": _r(np.percentile(all_w, 95) if len(all_w) else np.nan),
        "wait_max_min": _r(all_w.max() if len(all_w) else np.nan),
        "queue_m_p95": _r(np.percentile(q_max.max(axis=1), 95) * pol.queue.spacing_m),
        "last_sampled_p50": _clock(np.nanpercentile(last_end, 50)),
        "last_sampled_p95": _clock(np.nanpercentile(last_end, 95)),
        "p_finish_in_window": round(
            float(((last_end <= day.window_end) & (turned == 0)).mean()), 3
        ),
        "p_over_limit": round(float(over.any(axis=1).mean()), 3),
        "turned_away_mean": round(float(turned.mean()), 1),
        "utilisation": round(
            float(
                busy.sum(axis=1).mean()
                / max(desks * (np.nanmean(last_end) - open_min), 1e-9)
            ),
            3,
        ),
        "closes": _clock(site.setup.close_min),
    }
    return run, rows, site_row


def _r(x: float) -> float:
    return float("nan") if not np.isfinite(x) else round(float(x), 2)


def simulate(day: DrillDay, replications: int = 200, seed: int = 0) -> DrillReport:
    """Run `replications` independent days and summarise them.

    Parameters
    ----------
    day
        The drill day (:func:`planner.drill.day.build_day`).
    replications
        Independent days to simulate. Default 200.
    seed
        Seed; the same day, replications and seed give the same report.

    Returns
    -------
    DrillReport
    """
    if replications < 1:
        raise ValueError("At least one replication is needed.")
    t0 = time.perf_counter()
    runs: list[SiteRun] = []
    slot_rows: list[dict[str, Any]] = []
    site_rows: list[dict[str, Any]] = []
    draws = [_draw_site(site, day, replications, seed) for site in day.sites]
    # every site's queue in one loop (each row exactly as it would be alone)
    served_all = serve_many(
        [
            (a, sv, pl, site.setup)
            for (a, pl, _n, _s, sv), site in zip(draws, day.sites, strict=True)
        ]
    )
    for site, dr, served in zip(day.sites, draws, served_all, strict=True):
        run, rows, row = _summarise_site(site, day, replications, dr, served)
        runs.append(run)
        slot_rows.extend(rows)
        site_rows.append(row)
    t1 = time.perf_counter()
    field_out = simulate_field(day, runs, replications, seed)
    t2 = time.perf_counter()
    reps = replications
    last = np.full(reps, -np.inf)
    for run in runs:
        last = np.fmax(last, run.last_end)
    team_finish = field_out.team_finish
    if team_finish.shape[1]:
        last = np.fmax(last, team_finish.max(axis=1))
    turned = sum((run.turned_away for run in runs), np.zeros(reps, dtype=np.int64))
    sealed = sum((run.sealed_missed for run in runs), np.zeros(reps, dtype=np.int64))
    no_show = sum((run.no_show for run in runs), np.zeros(reps, dtype=np.int64))
    over = np.zeros(reps, dtype=bool)
    for run in runs:
        over |= run.over_limit.any(axis=1)
    finished = (last <= day.window_end) & (turned == 0) & (sealed == 0)
    sites = pd.DataFrame(site_rows, columns=_SITE_COLUMNS)
    slots = pd.DataFrame(slot_rows, columns=_SLOT_COLUMNS)
    worst = sites.sort_values(["p_over_limit", "wait_p95_min"], ascending=False)
    street: dict[str, Any] = {
        "replications": reps,
        "seed": seed,
        "window": f"{_hhmm(day.window_start)}-{_hhmm(day.window_end)}",
        "sites": len(day.sites),
        "desks_staffed": int(sum(s.setup.desks for s in day.sites)),
        "desks_planned": int(sum(s.desks_planned for s in day.sites)),
        "desks_lost": dict(day.desks_lost),
        "teams": len(day.teams),
        "p_finish_in_window": round(float(finished.mean()), 3),
        "p_queue_over_limit": round(float(over.mean()), 3),
        "last_sampled_p50": _clock(float(np.percentile(last, 50))),
        "last_sampled_p95": _clock(float(np.percentile(last, 95))),
        "last_sampled_max": _clock(float(last.max())),
        "turned_away_mean": round(float(turned.mean()), 1),
        "sealed_not_sampled_mean": round(float(sealed.mean()), 1),
        "no_show_mean": round(float(no_show.mean()), 1),
        "sites_over_limit": [
            str(x) for x in worst.loc[worst["p_over_limit"] >= 0.5, "site_id"]
        ],
        "transport_gap_violations_p": field_out.transport.p_gap_violation,
        "transport_lab_violations_p": field_out.transport.p_lab_violation,
        "transport_p_held": field_out.transport.p_held,
        "tubes_in_time_p": field_out.transport.p_tubes_in_time,
        "tube_to_lab_limit_h": day.policy.transport.tube_to_lab_max_h,
        "tube_to_lab_max_min": field_out.transport.tube_max_min,
        "door_to_door_tube_max_min": field_out.transport.home_tube_max_min,
        "door_to_door_tube_mean_min": field_out.transport.home_tube_mean_min,
        "door_to_door_households_missed_mean": (
            field_out.transport.home_tubes_missed_mean
        ),
        "teams_p_finish_in_window": round(
            float((team_finish.max(axis=1) <= day.window_end).mean())
            if team_finish.shape[1]
            else 1.0,
            3,
        ),
    }
    return DrillReport(
        street=street,
        sites=sites,
        slots=slots,
        teams=field_out.teams,
        transport=field_out.transport.table,
        timings_s={"sites": t1 - t0, "teams_and_transport": t2 - t1, "total": t2 - t0},
    )


_SITE_COLUMNS = [
    "site_id",
    "indoor",
    "desks_planned",
    "desks_staffed",
    "booked",
    "arrivals_mean",
    "wait_mean_min",
    "wait_p95_min",
    "wait_max_min",
    "queue_m_p95",
    "last_sampled_p50",
    "last_sampled_p95",
    "p_finish_in_window",
    "p_over_limit",
    "turned_away_mean",
    "utilisation",
    "closes",
]
_SLOT_COLUMNS = [
    "site_id",
    "slot_start",
    "slot_end",
    "desks",
    "booked",
    "arrivals_mean",
    "wait_mean_min",
    "wait_p50_min",
    "wait_p95_min",
    "wait_max_min",
    "queue_people_mean",
    "queue_people_p95",
    "queue_m_p95",
    "utilisation",
    "p_over_limit",
]
