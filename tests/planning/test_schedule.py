"""Desk sizing and slot filling at one site."""

import numpy as np
import pytest

from planner import Policy
from planner.model.scenario import Sites
from planner.planning.capacity import slot_grid
from planner.planning.schedule import call_order, fill_slots, schedule_site


def _sites(
    max_desks: list[int],
    *,
    indoor: bool = False,
    open_from: int = 0,
    open_to: int = 1440,
) -> Sites:
    n = len(max_desks)
    z = np.zeros(n, dtype=np.int64)
    s = np.array([f"S{i}" for i in range(n)], dtype=object)
    return Sites(
        id=s,
        name=s,
        kind=s,
        address=s,
        community=s,
        lon=z.astype(float),
        lat=z.astype(float),
        x_m=z,
        y_m=z,
        max_desks=np.array(max_desks, np.int64),
        indoor=np.full(n, indoor),
        fixed=np.zeros(n, bool),
        open_from_min=np.full(n, open_from, np.int64),
        open_to_min=np.full(n, open_to, np.int64),
    )


def test_fill_is_sequential_and_respects_capacity() -> None:
    units = np.array([3.0, 3.0, 3.0, 2.0, 4.0])
    slot, load = fill_slots(units, np.array([0, 1, 2]), 6.0, 4)
    assert slot.tolist() == [0, 0, 1, 1, 2]
    assert load.tolist() == [6.0, 5.0, 4.0, 0.0]


def test_fill_reports_households_that_do_not_fit() -> None:
    slot, _ = fill_slots(np.array([5.0, 5.0, 5.0]), np.array([0, 1]), 6.0, 2)
    assert slot.tolist() == [0, 1, -1]


def test_call_order_puts_key_groups_first_then_grid_by_grid() -> None:
    key = np.array([False, True, False, False])
    grid = np.array([1, 1, 0, 1])
    building = np.array([5, 5, 2, 4])
    order = call_order(key, grid, building, np.arange(4))
    assert order.tolist() == [1, 2, 3, 0]


def test_fewest_desks_that_fit() -> None:
    policy = Policy()
    grid = slot_grid(_sites([6]), policy)
    per_desk = grid.slot_capacity(1) * policy.round.n_slots
    units = np.full(int(per_desk * 2.5), 1.0)  # needs three desks, not two
    sched = schedule_site(
        units,
        np.ones(len(units), np.int64),
        grid,
        0,
        max_desks=6,
        max_people_per_desk=800,
    )
    assert sched.desks == 3
    assert (sched.slot >= 0).all()
    assert (sched.slot_units <= grid.slot_capacity(3) + 1e-9).all()


def test_heat_mode_keeps_outdoor_sites_out_of_midday() -> None:
    policy = Policy().with_values(**{"heat.enabled": True, "round.window_hours": 8.0})
    out = slot_grid(_sites([4]), policy)
    ind = slot_grid(_sites([4], indoor=True), policy)
    hot = (out.start_min >= 11 * 60) & (out.start_min < 15 * 60)
    closing = out.start_min >= out.start_min[-1]  # the closing buffer's last slot
    assert not out.usable[0, hot].any() and out.usable[0, ~hot & ~closing].all()
    assert ind.usable[0, ~closing].all() and not ind.usable[0, closing].any()


def test_closing_buffer_and_handover_cut_capacity() -> None:
    """No booking in the closing buffer; a shift-change slot loses the handover."""
    policy = Policy()  # 08:00-14:00, 30-min slots, 30-min buffer, 5-min handover
    g = slot_grid(_sites([4]), policy)
    assert g.usable[0, :-1].all() and not g.usable[0, -1]
    no_buffer = slot_grid(
        _sites([4]), policy.with_values(**{"round.closing_buffer_min": 0})
    )
    assert no_buffer.usable[0].all()
    change = int(np.flatnonzero(g.start_min == 11 * 60)[0])  # two 3-h shifts
    assert g.scale()[change] == pytest.approx(1 - 5 / 30)
    assert np.delete(g.scale(), change).tolist() == [1.0] * (len(g.start_min) - 1)
    caps = g.slot_capacities(3)
    assert caps[change] < caps[0]


def test_opening_hours_limit_slots() -> None:
    g = slot_grid(_sites([2], open_from=9 * 60, open_to=12 * 60), Policy())
    starts = g.start_min[g.usable[0]]
    assert starts.min() == 9 * 60 and starts.max() == 11 * 60 + 30
