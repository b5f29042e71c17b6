"""Size each open site's desks and give every household there a time slot.

Households are called in the order the seed plans ask for: key-group households first
(single tubes), then everyone else grid by grid (按网格分片), building by building, so a
grid's slots are contiguous and its grid worker can lead it. Slots are filled in that
order up to their queue-safe capacity. For a fixed order this sequential fill uses the
fewest slots possible up to one household per slot boundary (households are small next
to a slot's capacity), so the smallest desk count whose fill fits is optimal for the
order; the desk count is searched upwards from the work-based lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.model.slots import SlotGrid
from planner.model.types import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class SiteSchedule:
    """One site's desks and household slots.

    Attributes
    ----------
    desks
        Desks opened (0 when nothing could be scheduled).
    slot
        Slot of each household given, in the given order; -1 where none fits.
    slot_units
        Work booked into each slot of the round.
    """

    desks: int
    slot: IntArray
    slot_units: FloatArray


def call_order(
    key_first: npt.NDArray[np.bool_],
    grid: IntArray,
    building: IntArray,
    index: IntArray,
) -> IntArray:
    """Return the positions of households in calling order.

    Key-group households first, then by the order in which their grid first appears
    among the site's households (grid index), then building, then household index.
    """
    return np.lexsort((index, building, grid, ~key_first)).astype(np.int64)


def fill_slots(
    units: FloatArray,
    usable_slots: IntArray,
    capacity: float | FloatArray,
    n_slots: int,
) -> tuple[IntArray, FloatArray]:
    """Place households in order into the usable slots, each up to `capacity` work.

    Parameters
    ----------
    units
        Work of each household, in calling order.
    usable_slots
        Slot numbers the site may use, ascending.
    capacity
        Work one slot can take, or ``(n_slots,)`` per slot.
    n_slots
        Slots in the round (for the returned load array).

    Returns
    -------
    slot, load
        Slot per household (-1 when none is left) and work per slot.
    """
    slot = np.full(len(units), -1, dtype=np.int64)
    load = np.zeros(n_slots, dtype=np.float64)
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n_slots,))
    k = 0
    for i, u in enumerate(units.tolist()):
        while (
            k < len(usable_slots)
            and load[usable_slots[k]] + u > cap[usable_slots[k]] + 1e-9
        ):
            # a household bigger than an empty slot still goes in alone
            if load[usable_slots[k]] == 0.0:
                break
            k += 1
        if k == len(usable_slots):
            break
        slot[i] = usable_slots[k]
        load[usable_slots[k]] += u
    return slot, load


def fill_slots_keeping(
    units: FloatArray,
    usable_slots: IntArray,
    capacity: float | FloatArray,
    n_slots: int,
    previous: IntArray,
) -> tuple[IntArray, FloatArray]:
    """Fill slots like :func:`fill_slots`, but first give households their earlier slot.

    Households (in calling order) whose earlier slot is usable and still has room
    keep it; the others then go, in calling order, into the first slot with room.
    """
    slot = np.full(len(units), -1, dtype=np.int64)
    load = np.zeros(n_slots, dtype=np.float64)
    cap = np.broadcast_to(np.asarray(capacity, dtype=np.float64), (n_slots,))
    allowed = np.zeros(n_slots, dtype=bool)
    allowed[usable_slots] = True
    vals = units.tolist()
    for i, (u, p) in enumerate(zip(vals, previous.tolist(), strict=True)):
        if p >= 0 and allowed[p] and load[p] + u <= cap[p] + 1e-9:
            slot[i] = p
            load[p] += u
    for i in np.flatnonzero(slot < 0).tolist():
        u = vals[i]
        for k in usable_slots.tolist():
            if load[k] + u <= cap[k] + 1e-9 or load[k] == 0.0:
                slot[i] = k
                load[k] += u
                break
    return slot, load


def schedule_site(
    units: FloatArray,
    people: IntArray,
    grid: SlotGrid,
    site: int,
    *,
    max_desks: int,
    max_people_per_desk: int,
    extra_desks: int = 0,
    previous_slot: IntArray | None = None,
    min_desks: int = 1,
) -> SiteSchedule:
    """Choose the fewest desks whose slot fill takes every household, and fill.

    Parameters
    ----------
    units
        Work of each household, already in calling order.
    people
        Residents of each household, same order (for the people-per-desk limit).
    grid
        Slot grid of the round.
    site
        Index of the site in the slot grid.
    max_desks
        Most desks the site holds.
    max_people_per_desk
        People per desk per round at most.
    extra_desks
        Desks added on top of the fewest that take everyone, with the fill kept, so
        each slot's queue has headroom (the certification lever where a queue breaks).
    previous_slot
        Earlier slot of each household, same order (-1: none); given, households
        keep it where it has room (:func:`fill_slots_keeping`).
    min_desks
        Open at least this many desks (an earlier round's, so its households can
        keep their slots). Default 1.

    Returns
    -------
    SiteSchedule
        With ``desks = max_desks`` and some ``-1`` slots when even that is too little.
    """
    usable = np.flatnonzero(grid.usable[site]).astype(np.int64)
    n_slots = grid.usable.shape[1]
    total = float(units.sum())
    if len(units) == 0:
        return SiteSchedule(0, np.zeros(0, np.int64), np.zeros(n_slots))
    lower = max(1, min(min_desks, max_desks))
    while lower < max_desks and (
        float(grid.slot_capacities(lower)[usable].sum()) < total
        or people.sum() > max_people_per_desk * lower
    ):
        lower += 1
    for desks in range(lower, max_desks + 1):
        caps = grid.slot_capacities(desks)
        if previous_slot is None:
            slot, load = fill_slots(units, usable, caps, n_slots)
        else:
            slot, load = fill_slots_keeping(units, usable, caps, n_slots, previous_slot)
        if (slot >= 0).all() and people.sum() <= max_people_per_desk * desks:
            return SiteSchedule(min(desks + max(extra_desks, 0), max_desks), slot, load)
    return SiteSchedule(max_desks, slot, load)
