"""Small helpers shared by the drill modules: random draws and clock times."""

from __future__ import annotations

import math

import numpy as np

from planner.model.clock import hhmm
from planner.model.types import FloatArray


def lognormal(
    rng: np.random.Generator,
    mean: FloatArray | float,
    cv: float,
    shape: tuple[int, ...],
) -> FloatArray:
    """Draw lognormal values with the given mean(s) and coefficient of variation."""
    if cv <= 0:
        return np.broadcast_to(np.asarray(mean, dtype=np.float64), shape).copy()
    s2 = math.log1p(cv * cv)
    m = np.log(np.asarray(mean, dtype=np.float64)) - s2 / 2
    out: FloatArray = rng.lognormal(m, math.sqrt(s2), shape)
    return out


def clock(m: float) -> str:
    """Minutes after midnight as ``HH:MM`` (rounded up), ``""`` when not finite."""
    if not np.isfinite(m):
        return ""
    return hhmm(math.ceil(m - 1e-9))
