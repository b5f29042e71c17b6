"""Hold the guidance's limits, with their sources, and find a policy that loosens one.

A street office may *tighten* any limit (a 10-minute walk, 2,000 people per site, a
3-hour shift); a policy that *loosens* one is itself a finding, whatever the plan made
with it looks like, because ``planner check`` otherwise judges a plan by the policy the
plan wrote for itself. Each limit below is a number in the style of
:mod:`planner.model.constants`: its unit, its source and the reliability tag of
``domain-rules.md`` (A official, B secondary, C vendor/anecdote, D derived).

The limits are the guidance's, not the planner's defaults: the defaults in
:mod:`planner.model.constants` happen to sit on them today, but a default may move
(a street's practice), a limit only with the guidance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from planner.model.policy import Policy

# --- The limits -------------------------------------------------------------------

GUIDE_WALK_MAX_MIN = 15.0
"""Longest walk to a site, minutes. NHC 2022-05-09/13/23: 15-minute 采样圈 [A]
(domain-rules §1.3, §7 rule 4)."""

GUIDE_RURAL_WALK_MAX_MIN = 30.0
"""Longest walk in mountainous or rural grids, minutes. Beijing draft standard
2022-07: 30 min in the mountains [A] (§1.3)."""

GUIDE_PEOPLE_PER_SITE_MAX = 3000
"""People assigned to one site, at most. NHC 2022-05-13: one site per 2,000–3,000;
3rd ed. [A] (§1.2, §7 rule 3)."""

GUIDE_PEOPLE_PER_DESK_MAX = 800
"""People per desk per round, at most. NHC 2022-05-13: one desk per 600–800 [A]
(§1.2, §7 rule 3)."""

GUIDE_QUEUE_MAX_MIN = 20.0
"""Longest queue wait in an emergency round, minutes. 3rd ed.: ≤20 min [B]; Beijing
draft 2022-07 ≤20 min [A] (§1.1, §7 rule 4)."""

GUIDE_PPE_SHIFT_MAX_H = 4.0
"""Longest continuous work in full PPE, hours. Field practice ≈4 h per entry (Jinhu,
Shenzhen lab) [B] (§2, §7 rule 10)."""

GUIDE_HEAT_SHIFT_MAX_H = 2.0
"""Longest continuous work in heat, hours. NHC 2022-06 防暑降温指南 [A] (§2)."""

GUIDE_WINDOW_PRINCIPLE_H = 6.0
"""Sampling window in principle, hours. 3rd ed. (2022-03): all sampling within 6 h
[B] (§1.1, §7 rule 1). Beyond it only "if difficult": a gap the office must answer."""

GUIDE_WINDOW_CAP_H = 12.0
"""Sampling window at most, hours. 3rd ed.: ≤12 h if difficult [B] (§1.1)."""

GUIDE_PEOPLE_PER_SAMPLER_MAX = 360
"""People per sampler in a 6-hour round, at most: samplers = population ÷ 360, 3rd
ed. [B] (§1.2, §7 rule 2). A larger divisor asks for fewer samplers."""

GUIDE_SAMPLER_RATE_MAX_PER_H = 125.0
"""People per sampler-hour, at most: the highest sustained rate observed (Jinhu,
≈500 per 4 h) [B]; §7 rule 2 flags a rate above it."""

GUIDE_PICKUP_INTERVAL_MAX_H = 2.0
"""Longest interval between sample pick-ups at a site, hours: every 2 h (1 h where
possible) (Xi'an lab receipt every ≈2 h; Henan huts every 1 h) [B] (§1.4, §7 rule 13)."""

GUIDE_COLLECTION_TO_LAB_MAX_H = 2.0
"""Pick-up to lab, hours, at most (Shanghai Hongkou ≤2 h) [B] (§1.4, §7 rule 13)."""

GUIDE_SITES_PER_VEHICLE_MAX = 3
"""Sites one sample vehicle serves, at most: Zhengzhou ran ≈0.31 vehicle per site
(2,000 vehicles for 6,398 sites) [D from A] (§2, §7 rule 13)."""

GUIDE_HOME_PPE_CHANGE_MIN = 15.0
"""Minutes per household to change the full PPE set, at least: a full change per
household, doffing ≈15–20 min (2020 field report) [B] (§1.3, §7 rule 9)."""

GUIDE_STREET_RESERVE_DAYS = 15
"""Days of full-load operation the street/town holds in 防疫物资, at least. Seed 001
(乡镇常态化防控方案, 十个“一”之(九)) [B] (§4.3, §7 rule 15)."""

GUIDE_HOSPITAL_RESERVE_DAYS = 30
"""Days of full-load operation a hospital holds, at least. Seed 001 (医院常态化防控
方案); Shaanxi 2022-01 briefing [B] (§4.3, §7 rule 15)."""

GUIDE_SCREENING_RESERVE_ROUNDS = 4
"""Full-population rounds of swabs and tubes held, at least: a full-load screening is
three daily rounds and one more after three days (2022-11 实施办法) [A]
(:data:`planner.model.constants.SCREENING_RESERVE_ROUNDS`)."""

GUIDE_POOL_SIZE_MAX = 20
"""Largest pool, people per tube: 20:1 national spec 2022-01-17 [A]; re-pooling
beyond it is not validated (Li Jinming 2022-06-09) [A] (§1.4, §7 rule 7)."""

# --- The table --------------------------------------------------------------------

Direction = Literal["max", "min"]
"""Whether the guidance's number is an upper (``max``) or a lower (``min``) bound."""

Severity = Literal["rule", "gap"]
"""What loosening the limit is: a broken rule, or a gap the office must answer."""


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit of the guidance, held against one policy number.

    Attributes
    ----------
    key
        Dotted policy path, e.g. ``walking.walk_limit_min``.
    bound
        The guidance's number.
    direction
        ``max``: the policy may be at most `bound`; ``min``: at least.
    unit
        Text key of the unit (in :mod:`planner.text.rules`).
    source
        Text key of the source (in :mod:`planner.text.rules`).
    severity
        ``rule`` (default) or ``gap`` (allowed with a reason, e.g. a window between
        the 6-hour principle and the 12-hour cap).
    """

    key: str
    bound: float
    direction: Direction
    unit: str
    source: str
    severity: Severity = "rule"

    def value(self, policy: Policy) -> float:
        """Return the policy's number for this limit."""
        section, name = self.key.split(".")
        return float(getattr(getattr(policy, section), name))

    def loosened(self, policy: Policy) -> bool:
        """Whether `policy` sets this number looser than the guidance allows."""
        v = self.value(policy)
        if self.direction == "max":
            return v > self.bound + 1e-9
        return v < self.bound - 1e-9


LIMITS: tuple[Limit, ...] = (
    Limit(
        "walking.walk_limit_min",
        GUIDE_WALK_MAX_MIN,
        "max",
        "rules_unit_min",
        "rules_src_walk",
    ),
    Limit(
        "walking.rural_walk_limit_min",
        GUIDE_RURAL_WALK_MAX_MIN,
        "max",
        "rules_unit_min",
        "rules_src_rural_walk",
    ),
    Limit(
        "sampling.max_people_per_site",
        GUIDE_PEOPLE_PER_SITE_MAX,
        "max",
        "rules_unit_people",
        "rules_src_site",
    ),
    Limit(
        "sampling.max_people_per_desk",
        GUIDE_PEOPLE_PER_DESK_MAX,
        "max",
        "rules_unit_people",
        "rules_src_desk",
    ),
    Limit(
        "queue.max_wait_min",
        GUIDE_QUEUE_MAX_MIN,
        "max",
        "rules_unit_min",
        "rules_src_queue",
    ),
    Limit(
        "staff.shift_hours",
        GUIDE_PPE_SHIFT_MAX_H,
        "max",
        "rules_unit_h",
        "rules_src_shift",
    ),
    Limit(
        "staff.heat_shift_hours",
        GUIDE_HEAT_SHIFT_MAX_H,
        "max",
        "rules_unit_h",
        "rules_src_heat",
    ),
    Limit(
        "round.window_hours",
        GUIDE_WINDOW_PRINCIPLE_H,
        "max",
        "rules_unit_h",
        "rules_src_window",
        "gap",
    ),
    Limit(
        "round.window_hours",
        GUIDE_WINDOW_CAP_H,
        "max",
        "rules_unit_h",
        "rules_src_window_cap",
    ),
    Limit(
        "round.max_window_hours",
        GUIDE_WINDOW_CAP_H,
        "max",
        "rules_unit_h",
        "rules_src_window_cap",
    ),
    Limit(
        "sampling.guide_people_per_sampler",
        GUIDE_PEOPLE_PER_SAMPLER_MAX,
        "max",
        "rules_unit_people",
        "rules_src_samplers",
    ),
    Limit(
        "sampling.sampler_rate_per_h",
        GUIDE_SAMPLER_RATE_MAX_PER_H,
        "max",
        "rules_unit_per_h",
        "rules_src_rate",
    ),
    Limit(
        "transport.pickup_interval_h",
        GUIDE_PICKUP_INTERVAL_MAX_H,
        "max",
        "rules_unit_h",
        "rules_src_pickup",
    ),
    Limit(
        "transport.collection_to_lab_max_h",
        GUIDE_COLLECTION_TO_LAB_MAX_H,
        "max",
        "rules_unit_h",
        "rules_src_lab",
    ),
    Limit(
        "transport.sites_per_vehicle",
        GUIDE_SITES_PER_VEHICLE_MAX,
        "max",
        "rules_unit_sites",
        "rules_src_vehicle",
    ),
    Limit(
        "home_visit.ppe_change_min",
        GUIDE_HOME_PPE_CHANGE_MIN,
        "min",
        "rules_unit_min",
        "rules_src_home_ppe",
    ),
    Limit(
        "stock.street_reserve_days",
        GUIDE_STREET_RESERVE_DAYS,
        "min",
        "rules_unit_days",
        "rules_src_street_reserve",
    ),
    Limit(
        "stock.health_center_reserve_days",
        GUIDE_STREET_RESERVE_DAYS,
        "min",
        "rules_unit_days",
        "rules_src_street_reserve",
    ),
    Limit(
        "stock.screening_reserve_rounds",
        GUIDE_SCREENING_RESERVE_ROUNDS,
        "min",
        "rules_unit_rounds",
        "rules_src_screening_rounds",
    ),
    Limit(
        "stock.hospital_reserve_days",
        GUIDE_HOSPITAL_RESERVE_DAYS,
        "min",
        "rules_unit_days",
        "rules_src_hospital_reserve",
    ),
    Limit(
        "pooling.default_pool_size",
        GUIDE_POOL_SIZE_MAX,
        "max",
        "rules_unit_people",
        "rules_src_pool",
    ),
)
"""Every limit of the guidance a policy number can loosen, in report order."""


def held_to_guidance(policy: Policy) -> Policy:
    """Return `policy` with every number it loosens set back to the guidance's bound.

    Only ``rule`` limits are set back: tighter numbers, and a window between the
    6-hour principle and the 12-hour cap, stay as the policy has them.

    The plan checks run against this policy, so a plan made with 10,000 people per
    site is also caught site by site, not only by the one policy finding.
    """
    changes: dict[str, object] = {}
    for lim in LIMITS:
        if lim.severity == "rule" and lim.loosened(policy):
            section, name = lim.key.split(".")
            was = getattr(getattr(policy, section), name)
            changes[lim.key] = type(was)(lim.bound)  # int stays int, float float
    return policy.with_values(**changes) if changes else policy


def loosened_limits(policy: Policy) -> list[Limit]:
    """Return the limits `policy` loosens, in table order.

    For the window, only the tighter of the principle (6 h, a gap) and the cap (12 h,
    a rule) is reported when both are passed, so one number gives one finding.
    """
    out = [lim for lim in LIMITS if lim.loosened(policy)]
    capped = {lim.key for lim in out if lim.severity == "rule"}
    return [lim for lim in out if not (lim.severity == "gap" and lim.key in capped)]
