"""Shared instances of the location-core tests."""

import math
from collections.abc import Callable

import numpy as np
import pytest

Instance = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Cost ``(n, n)``, demand ``(n,)`` and capacity ``(n,)``."""


def tight_instance(n: int, p: int, seed: int) -> Instance:
    """benchmarks/cpmp_instances.py's tight capacitated p-median: n uniform points,
    each a candidate site, demands 1-20, cost distance × demand, and capacities that
    hold only about 1.11 times the demand on p sites."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n, 2))
    demand = rng.integers(1, 21, n).astype(float)
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    capacity = np.full(n, math.ceil(float(demand.sum()) / (p * 0.9)))
    return dist * demand[:, None], demand, capacity


@pytest.fixture
def tight() -> Callable[[int, int, int], Instance]:
    """The tight p-median generator (:func:`tight_instance`)."""
    return tight_instance
