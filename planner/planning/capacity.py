"""Work out which slots each site can use and how much each slot can take per desk count.

A slot's capacity is the most work (pooled-person equivalents) that can arrive in it
while the predicted Erlang-C mean wait stays under the queue limit; it grows a little
faster than linearly with desks because a larger site pools its queue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.model.clock import hhmm, minutes_of
from planner.model.policy import Policy
from planner.model.scenario import Sites
from planner.model.types import BoolArray, FloatArray, IntArray
from planner.solve.queueing import max_arrival_rate


@dataclass(frozen=True, slots=True)
class SlotGrid:
    """The round's slots and which of them each site may use.

    Attributes
    ----------
    start_min
        Start of each slot, minutes after midnight.
    slot_minutes
        Length of every slot, minutes.
    usable
        ``(sites, slots)``: the site is open for the whole slot and, for an outdoor
        site in heat mode, the slot avoids the heat hours.
    per_desk_slot_units
        ``[d]``: work one slot can take at a site with ``d`` desks (index 0 unused).
    """

    start_min: IntArray
    slot_minutes: int
    usable: BoolArray
    per_desk_slot_units: FloatArray

    def slot_capacity(self, desks: int) -> float:
        """Return the work one slot takes at a site with `desks` desks."""
        if desks <= 0:
            return 0.0
        d = min(desks, len(self.per_desk_slot_units) - 1)
        return float(self.per_desk_slot_units[d])

    def label(self, slot: int) -> tuple[str, str]:
        """Return the slot's start and end as ``HH:MM``."""
        s = int(self.start_min[slot])
        return hhmm(s), hhmm(s + self.slot_minutes)


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
        lam = max_arrival_rate(d, mu, policy.queue.max_wait_min)
        per[d] = np.floor(lam * rnd.slot_minutes * 100) / 100
    return SlotGrid(starts, rnd.slot_minutes, usable, per)


def site_capacity_units(grid: SlotGrid, sites: Sites, policy: Policy) -> FloatArray:
    """Return the most work each site can take over the round at its maximum desks.

    Bounded by the usable slots at ``max_desks`` and by the site's people limits
    (``max_people_per_site`` and ``max_people_per_desk × max_desks``), treating a
    work unit as one person (conservative: single tubes weigh more than one).
    """
    slots = grid.usable.sum(axis=1)
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
