"""Drill summaries computed in bulk agree with their plain definitions."""

import numpy as np


def test_slot_percentiles_are_numpys_per_slot() -> None:
    """The one-sort percentiles equal np.percentile slot by slot, bit for bit."""
    from planner.drill.simulate import _percentiles

    rng = np.random.default_rng(4)
    for _ in range(50):
        n, slots = int(rng.integers(0, 200)), int(rng.integers(1, 13))
        values = np.round(rng.exponential(6.0, n), int(rng.integers(0, 3)))
        slot = rng.integers(0, slots, n)
        got = _percentiles(values, slot, slots)
        for k in range(slots):
            seg = np.sort(values[slot == k])
            want = (
                (np.percentile(seg, 50), np.percentile(seg, 95), seg[-1])
                if len(seg)
                else (np.nan,) * 3
            )
            assert np.array_equal(got[k], np.array(want), equal_nan=True)
