"""Draw the round's positive pooled tubes and size the single-tube re-sampling at home.

Pooled tubes are formed as the sites fill them: per site and slot, households in
calling order put their pooled people into tubes of ``pool_size`` one after another
(a household may span two tubes). ``campaign.positivity`` is a share of *people*: a
tube of ``k`` people is positive with chance ``q = 1 − (1 − p)^k`` (at 10:1 and
p = 0.1 %, q ≈ 1 %), so a round has ``round(Σ q)`` positive tubes, drawn with a seeded
generator in proportion to ``q`` (a last, partly filled tube is less likely). Every
household with a person in a positive tube is isolated and re-sampled single-tube at
home within ``campaign.resample_hours`` of the result (the next day): pending review
(``domain-rules.md`` §1.4: everyone in a positive pool is isolated and re-sampled
single-tube), and back in the ordinary flow after it (:mod:`planner.campaign.street`).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import FloatArray, IntArray
from planner.planning.consumables import Drivers, round_consumption
from planner.planning.demand import household_demand


def stable_seed(*parts: object) -> int:
    """Return a seed from `parts` that is the same in every process and run."""
    return zlib.crc32("|".join(str(p) for p in parts).encode("utf-8"))


def tube_positive_share(positivity: float, people: IntArray | int) -> FloatArray:
    """Return the chance a tube of `people` is positive: ``1 − (1 − p)^k``.

    Parameters
    ----------
    positivity
        Share of people positive, ``p`` (per person).
    people
        People in each tube, ``k``.
    """
    k = np.asarray(people, dtype=np.float64)
    result: FloatArray = -np.expm1(k * np.log1p(-min(positivity, 1.0 - 1e-12)))
    return result


def positive_households(
    plan: Plan, scenario: Scenario, policy: Policy, *, seed: int
) -> IntArray:
    """Return the indices of households in positive pooled tubes, sorted.

    Parameters
    ----------
    plan
        The round's plan (site, slot and calling order of walk-up households).
    scenario
        The round's street (pooled people per household).
    policy
        ``pooling.default_pool_size`` and ``campaign.positivity`` (per person).
    seed
        Seed of the draw (derive it with :func:`stable_seed`).
    """
    share = policy.campaign.positivity
    pool = policy.pooling.default_pool_size
    demand = household_demand(scenario, policy)
    walk = np.flatnonzero((plan.hh_mode == WALK_UP) & (demand.pooled > 0))
    if share <= 0 or len(walk) == 0:
        return np.zeros(0, dtype=np.int64)
    order = walk[np.lexsort((walk, plan.hh_slot[walk], plan.hh_site[walk]))]
    people = demand.pooled[order]
    key = plan.hh_site[order] * 10_000 + plan.hh_slot[order]
    # every (site, slot) starts new tubes; within it households fill them in turn
    new_group = np.r_[True, key[1:] != key[:-1]]
    group = np.cumsum(new_group) - 1
    cum = np.cumsum(people)
    before = cum - people
    base = before[np.flatnonzero(new_group)][group]
    ends = np.r_[np.flatnonzero(new_group)[1:] - 1, len(key) - 1]
    per_group = -(-(cum[ends] - base[ends]) // pool)
    offset = np.r_[0, np.cumsum(per_group)[:-1]][group]
    lo = offset + (before - base) // pool
    hi = offset + (cum - base - 1) // pool
    n_tubes = int(per_group.sum())
    # people per tube: full ones of `pool`, the last of each (site, slot) the rest
    size = np.full(n_tubes, pool, dtype=np.int64)
    last = np.cumsum(per_group) - 1
    size[last] = (cum[ends] - base[ends]) - pool * (per_group - 1)
    q = tube_positive_share(share, size)
    n_pos = min(n_tubes, math.floor(float(q.sum()) + 0.5))
    if n_pos == 0:
        return np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(seed)
    positive = np.zeros(n_tubes, dtype=np.int64)
    positive[rng.choice(n_tubes, size=n_pos, replace=False, p=q / q.sum())] = 1
    seen = np.r_[0, np.cumsum(positive)]
    hit = seen[hi + 1] - seen[lo] > 0
    return np.sort(order[hit])


@dataclass(frozen=True, slots=True)
class Resampling:
    """The door-to-door single-tube re-sampling of positive pools' households.

    Attributes
    ----------
    households, people
        Households and residents re-sampled.
    teams
        Door-to-door teams needed to visit them within ``campaign.resample_hours``.
    picks
        Consumables, as :func:`planner.planning.consumables.round_consumption`.
    """

    households: int
    people: int
    teams: int
    picks: pd.DataFrame


def resampling(hh: IntArray, scenario: Scenario, policy: Policy) -> Resampling:
    """Size the teams, tubes and PPE of re-sampling households `hh` at home."""
    people = int(scenario.households.size[hh].sum())
    hv = policy.home_visit
    minutes = len(hh) * (hv.minutes_per_household + hv.ppe_change_min) + max(
        0, people - len(hh)
    )
    teams = math.ceil(minutes / (policy.campaign.resample_hours * 60)) if len(hh) else 0
    drivers = [
        Drivers(
            "RESAMPLE",
            person=people,
            tube_single=people,
            sampler_shift=teams,
            support_shift=teams * max(0, hv.team_size - 1),
            home_visit_household=len(hh),
        )
    ]
    picks = (
        round_consumption(drivers, policy)
        if len(hh)
        else pd.DataFrame(columns=["site_id", "item", "unit", "holder", "quantity"])
    )
    return Resampling(len(hh), people, teams, picks)
