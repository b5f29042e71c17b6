"""The round's time slots and what each site can take in them: :class:`SlotGrid`.

Part of a plan's contract (``Plan.slots``); built by
:func:`planner.planning.capacity.slot_grid` from the sites and the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.model.clock import hhmm
from planner.model.types import BoolArray, FloatArray, IntArray


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
        ``(sites, slots)``: households may be booked into the slot: the site is open
        for the whole slot, the slot ends before the closing buffer
        (``round.closing_buffer_min``) and, for an outdoor site in heat mode, it
        avoids the heat hours.
    per_desk_slot_units
        ``[d]``: work one slot can take at a site with ``d`` desks (index 0 unused).
    slot_scale
        ``(slots,)``: share of that capacity each slot keeps; slots with a shift
        change lose the desk-minutes of the handover (``drill.handover_min``), the
        same stop the drill plays out.
    """

    start_min: IntArray
    slot_minutes: int
    usable: BoolArray
    per_desk_slot_units: FloatArray
    slot_scale: FloatArray | None = None

    def scale(self) -> FloatArray:
        """Return the per-slot share of capacity (ones when no slot loses any)."""
        if self.slot_scale is None:
            return np.ones(len(self.start_min))
        return self.slot_scale

    def slot_capacities(self, desks: int) -> FloatArray:
        """Return the work each slot takes at a site with `desks` desks."""
        result: FloatArray = self.slot_capacity(desks) * self.scale()
        return result

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
