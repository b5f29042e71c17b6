"""Work out which slots each site can use and how much each slot can take per desk count.

A slot's capacity is the most work (pooled-person equivalents) that can arrive in it
while the predicted mean wait (Erlang C scaled to the drill's swab-time variability,
:func:`queue_wait_factor`) stays under the queue limit; it grows a little
faster than linearly with desks because a larger site pools its queue.
"""

from __future__ import annotations

import numpy as np

from planner.model.clock import minutes_of
from planner.model.policy import Policy
from planner.model.scenario import Sites
from planner.model.slots import SlotGrid
from planner.model.types import FloatArray
from planner.planning.staffing import shifts_for
from planner.solve.queueing import max_arrival_rate


def queue_wait_factor(policy: Policy) -> float:
    """Return the mean wait of the day's queue over the M/M/c (Erlang C) mean wait.

    Allen–Cunneen's M/G/c approximation ``Wq ≈ Wq(M/M/c) · (c_a² + c_s²) / 2`` with
    Poisson arrivals (``c_a = 1``, on the safe side: booked arrivals spread more
    evenly) and the swab-time variability the drill plays (``drill.service_cv``), so
    the planner's queue and the drill's are one model of the day.
    """
    return (1.0 + policy.drill.service_cv**2) / 2.0


def slot_grid(sites: Sites, policy: Policy) -> SlotGrid:
    """Build the slot grid of a round for the given sites under `policy`.

    Parameters
    ----------
    sites
        Candidate sites (opening hours, indoor flag, desk limits).
    policy
        Window, slot length, heat mode, sampling rate and queue limit.
    """
    rnd = policy.round
    n_slots = rnd.n_slots
    starts = rnd.start_min + rnd.slot_minutes * np.arange(n_slots, dtype=np.int64)
    ends = starts + rnd.slot_minutes
    usable = (sites.open_from_min[:, None] <= starts[None, :]) & (
        ends[None, :] <= sites.open_to_min[:, None]
    )
    # the closing buffer: nobody is booked so late that a late-comer misses the window
    usable &= (ends <= rnd.end_min - rnd.closing_buffer_min)[None, :]
    if policy.heat.enabled:
        hot_from, hot_to = (
            minutes_of(policy.heat.avoid_from),
            minutes_of(policy.heat.avoid_to),
        )
        hot = (starts < hot_to) & (ends > hot_from)
        usable &= ~(hot[None, :] & ~sites.indoor[:, None])
    mu = policy.sampling.sampler_rate_per_h * policy.sampling.samplers_per_desk / 60.0
    max_d = int(sites.max_desks.max()) if len(sites) else 1
    per = np.zeros(max_d + 1, dtype=np.float64)
    for d in range(1, max_d + 1):
        lam = max_arrival_rate(
            d, mu, policy.queue.max_wait_min / queue_wait_factor(policy)
        )
        per[d] = np.floor(lam * rnd.slot_minutes * 100) / 100
    # at each shift change every desk stops for the handover once (half at the
    # boundary, half right after, as the drill plays it), inside one slot
    scale = np.ones(n_slots)
    hand = min(float(policy.drill.handover_min), float(rnd.slot_minutes))
    for sh in shifts_for(policy)[1:]:
        k = np.flatnonzero(starts == sh.start_min)
        if len(k):
            scale[k] -= hand / rnd.slot_minutes
    return SlotGrid(starts, rnd.slot_minutes, usable, per, scale)


def site_capacity_units(grid: SlotGrid, sites: Sites, policy: Policy) -> FloatArray:
    """Return the most work each site can take over the round at its maximum desks.

    Bounded by the usable slots at ``max_desks`` and by the site's people limits
    (``max_people_per_site`` and ``max_people_per_desk × max_desks``), treating a
    work unit as one person (conservative: single tubes weigh more than one).
    """
    slots = (grid.usable * grid.scale()[None, :]).sum(axis=1)
    per_slot = grid.per_desk_slot_units[
        np.minimum(sites.max_desks, len(grid.per_desk_slot_units) - 1)
    ]
    cap = slots * per_slot
    people_cap = np.minimum(
        policy.sampling.max_people_per_site,
        policy.sampling.max_people_per_desk * sites.max_desks,
    )
    result: FloatArray = np.minimum(cap, people_cap).astype(np.float64)
    return result
