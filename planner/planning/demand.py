"""Split households into walk-up and home-visit demand and weigh their sampling work.

Work is counted in *pooled-person equivalents*: one pooled swab takes one unit of
desk time (``60 / sampler_rate_per_h`` minutes) and a single-tube swab takes
``sampler_rate_per_h / single_tube_rate_per_h`` units. Capacities elsewhere are in the
same unit, so single tubes slow a desk down exactly as policy says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.model.types import BoolArray, FloatArray, IntArray

TUBE_POOLED = "pooled"
TUBE_SINGLE = "single"
TUBE_MIXED = "mixed"
TUBE_HOUSEHOLD = "household"


@dataclass(frozen=True, slots=True)
class Demand:
    """Per-household sampling demand.

    Attributes
    ----------
    home_visit
        Sampled at home: sealed, pending a single-tube review, or has a homebound
        resident (the team samples the whole household at the door rather than
        sending the others out).
    single
        Residents with a tube of their own: key-group residents (sampled first), and
        every resident of a household pending a single-tube review after a positive
        pool (one tube per person: the review needs each person's result).
    pooled
        Other residents: pooled by the default pool size, or in a sealed household
        sharing the household's one tube.
    units
        Sampling work, pooled-person equivalents (0 for home visits).
    tube_mode
        ``pooled``, ``single``, ``mixed`` (both) or ``household`` (sealed: 1 tube for
        the household, plus a single tube for each key-group resident).
    household_tube
        The household's non-key-group residents share one tube (sealed, not pending,
        someone besides the key-group residents).
    """

    home_visit: BoolArray
    single: IntArray
    pooled: IntArray
    units: FloatArray
    tube_mode: npt.NDArray[np.object_]
    household_tube: BoolArray

    @property
    def people(self) -> IntArray:
        """Residents of each household."""
        result: IntArray = self.single + self.pooled
        return result


def household_demand(scenario: Scenario, policy: Policy) -> Demand:
    """Classify every household and weigh its sampling work.

    Parameters
    ----------
    scenario
        The street. Without a residents register nobody is key-group or homebound.
    policy
        Sampling rates (for the single-tube weight).
    """
    h = scenario.households
    n = len(h)
    single = np.zeros(n, dtype=np.int64)
    homebound = np.zeros(n, dtype=bool)
    if scenario.residents is not None:
        r = scenario.residents
        single = np.bincount(r.household[r.key_group], minlength=n).astype(np.int64)
        homebound = np.bincount(r.household[r.homebound], minlength=n) > 0
    # pending a single-tube review after a positive pool: one tube per person
    single = np.where(h.pending, h.size, np.minimum(single, h.size))
    pooled = h.size - single
    home = h.sealed | h.pending | homebound
    weight = policy.sampling.sampler_rate_per_h / policy.sampling.single_tube_rate_per_h
    units = np.where(home, 0.0, pooled + weight * single)
    tube = np.where(
        single == 0, TUBE_POOLED, np.where(pooled == 0, TUBE_SINGLE, TUBE_MIXED)
    )
    # sealed (封闭到户): one tube for the household; key-group residents keep theirs
    household = h.sealed & ~h.pending
    tube = np.where(household, TUBE_HOUSEHOLD, tube).astype(object)
    shared = household & (pooled > 0)
    return Demand(home, single, pooled, units.astype(np.float64), tube, shared)
