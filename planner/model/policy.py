"""Group the tunable policy numbers into typed sections and load them from TOML."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError, Issue
from planner.model import constants as k
from planner.model.clock import minutes_of
from planner.model.toml_file import read_toml


@dataclass(frozen=True, slots=True)
class RoundPolicy:
    """Timing of one screening round.

    Parameters
    ----------
    window_start
        Local start of sampling, ``HH:MM``. Default 08:00.
    window_hours
        Sampling window, hours. Default 6 (3rd-ed. guide).
    max_window_hours
        Hard cap on the window, hours. Default 12.
    slot_minutes
        Appointment slot length, minutes. Default 30.
    rounds_per_day
        Rounds per day at full load, used for stock. Default 1.
    closing_buffer_min
        Minutes at the end of the window in which nobody is booked, so late-comers
        are still sampled inside it. Default 30.
    screening_date
        The screening day, ISO ``YYYY-MM-DD``; printed on notices, the plan document
        and file names. Default "" (not fixed yet: notices leave a blank to fill in).
    """

    window_start: str = k.WINDOW_START
    window_hours: float = k.WINDOW_HOURS
    max_window_hours: float = k.MAX_WINDOW_HOURS
    slot_minutes: int = k.SLOT_MINUTES
    rounds_per_day: int = k.ROUNDS_PER_DAY
    closing_buffer_min: int = k.CLOSING_BUFFER_MIN
    screening_date: str = ""

    @property
    def start_min(self) -> int:
        """Window start, minutes after midnight."""
        return minutes_of(self.window_start)

    @property
    def end_min(self) -> int:
        """Window end, minutes after midnight."""
        return self.start_min + round(self.window_hours * 60)

    @property
    def n_slots(self) -> int:
        """Number of whole slots in the window."""
        return round(self.window_hours * 60) // self.slot_minutes


@dataclass(frozen=True, slots=True)
class SamplingPolicy:
    """Sampling rates and site/desk sizing.

    Parameters
    ----------
    sampler_rate_per_h
        Pooled sampling rate, people per sampler-hour. Default 60.
    single_tube_rate_per_h
        Single-tube sampling rate, people per sampler-hour. Default 40.
    max_sustained_rate_per_h
        Highest credible sustained rate, people per sampler-hour; warn above. Default 125.
    samplers_per_desk
        Samplers swabbing at one desk at once. Default 1.
    max_people_per_site
        People assigned to one site at most. Default 3,000.
    max_people_per_desk
        People per desk per round at most. Default 800.
    guide_people_per_sampler
        Guideline people per sampler for a 6 h round (÷360). Default 360.
    """

    sampler_rate_per_h: float = k.SAMPLER_RATE_PER_H
    single_tube_rate_per_h: float = k.SINGLE_TUBE_RATE_PER_H
    max_sustained_rate_per_h: float = k.MAX_SUSTAINED_RATE_PER_H
    samplers_per_desk: int = k.SAMPLERS_PER_DESK
    max_people_per_site: int = k.MAX_PEOPLE_PER_SITE
    max_people_per_desk: int = k.MAX_PEOPLE_PER_DESK
    guide_people_per_sampler: int = k.GUIDE_PEOPLE_PER_SAMPLER


@dataclass(frozen=True, slots=True)
class PoolingPolicy:
    """Pooling of swabs into tubes.

    Parameters
    ----------
    default_pool_size
        People per tube for the general population. Default 10.
    allowed_pool_sizes
        Pool sizes that may be used. Default (1, 5, 10, 20).
    key_group_pool_size
        People per tube for key groups. Default 1 (一人一管).
    """

    default_pool_size: int = k.DEFAULT_POOL_SIZE
    allowed_pool_sizes: tuple[int, ...] = k.ALLOWED_POOL_SIZES
    key_group_pool_size: int = k.KEY_GROUP_POOL_SIZE


@dataclass(frozen=True, slots=True)
class WalkingPolicy:
    """Walking to the site.

    Parameters
    ----------
    speed_m_per_min
        Walking speed, metres per minute. Default 70.
    detour_factor
        Street distance over straight-line distance. Default 1.3.
    walk_limit_min
        Longest walk, minutes. Default 15.
    rural_walk_limit_min
        Longest walk in grids whose terrain is mountain/rural, minutes. Default 30.
    """

    speed_m_per_min: float = k.WALK_SPEED_M_PER_MIN
    detour_factor: float = k.DETOUR_FACTOR
    walk_limit_min: float = k.WALK_LIMIT_MIN
    rural_walk_limit_min: float = k.RURAL_WALK_LIMIT_MIN


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """Queue limits and layout.

    Parameters
    ----------
    max_wait_min
        Longest predicted wait, minutes. Default 20.
    spacing_m
        Spacing in the queue, metres. Default 1.
    desk_spacing_m
        Spacing between desks, metres. Default 3.
    """

    max_wait_min: float = k.MAX_QUEUE_WAIT_MIN
    spacing_m: float = k.QUEUE_SPACING_M
    desk_spacing_m: float = k.DESK_SPACING_M


@dataclass(frozen=True, slots=True)
class HomeVisitPolicy:
    """Door-to-door teams.

    Parameters
    ----------
    minutes_per_household
        Minutes at the door per household (swab, labelling). Default 10.
    ppe_change_min
        Minutes per household for the full PPE change. Default 15.
    minutes_per_extra_person
        Extra minutes per further resident (gloves per person). Default 1.
    reserve_min
        Minutes every route keeps free at the end of the window. Default 75.
    team_size
        People per team. Default 2.

    Households in sealed buildings (封控) and ordinary homebound households are never
    on one route: a team that has been inside a sealed home does not enter other homes
    that day. Pool-positive-pending households (混管阳性待复核, the register's
    ``pending_review`` column) are isolated too and go on the sealed routes, but they
    are sampled one tube per person (the review needs each person's result), with a
    full PPE change per household.
    """

    minutes_per_household: float = k.HOME_VISIT_MIN_PER_HOUSEHOLD
    ppe_change_min: float = k.HOME_VISIT_PPE_CHANGE_MIN
    minutes_per_extra_person: float = k.HOME_VISIT_MIN_PER_EXTRA_PERSON
    reserve_min: float = k.HOME_VISIT_RESERVE_MIN
    team_size: int = k.HOME_VISIT_TEAM_SIZE

    def service_minutes(self, people: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Return the mean minutes a team spends at each household of `people` residents.

        Swab and labelling, the full PPE change, and one glove change per further
        resident. The drill draws visit times around exactly these means.
        """
        extra = np.maximum(np.asarray(people, dtype=np.float64) - 1.0, 0.0)
        result: npt.NDArray[np.float64] = (
            self.minutes_per_household
            + self.ppe_change_min
            + self.minutes_per_extra_person * extra
        )
        return result


@dataclass(frozen=True, slots=True)
class StaffPolicy:
    """Shift limits and support ratios.

    Parameters
    ----------
    shift_hours
        Longest continuous shift in full PPE, hours. Default 4.
    heat_shift_hours
        Longest continuous shift in heat mode, hours. Default 2.
    min_rest_hours
        Rest between two shifts of one person, hours. Default 1.
    roster_period_minutes
        The roster's time grid, minutes; consecutive periods of one person are one
        shift. Default 60.
    shifts_per_day
        Shifts a person in full PPE works at most in a day, a fresh PPE set each.
        Default 2.
    max_hours_per_day
        Working hours of one person in a day at most. Default 8.
    support_per_sampler
        Support staff per sampler at walk-up sites. Default 3.
    support_full_ppe
        Whether support staff wear full PPE, so the shift limit and rest apply to them
        too. Default False (isolation gowns; they may stay for the whole window).
    """

    shift_hours: float = k.SHIFT_HOURS
    heat_shift_hours: float = k.HEAT_SHIFT_HOURS
    min_rest_hours: float = k.MIN_REST_HOURS
    roster_period_minutes: int = k.ROSTER_PERIOD_MINUTES
    shifts_per_day: int = k.SHIFTS_PER_DAY
    max_hours_per_day: float = k.MAX_HOURS_PER_DAY
    support_per_sampler: float = k.SUPPORT_PER_SAMPLER
    support_full_ppe: bool = False


@dataclass(frozen=True, slots=True)
class HeatPolicy:
    """Heat mode (NHC 2022-06 防暑降温指南).

    Parameters
    ----------
    enabled
        Whether heat mode is on. Default False.
    avoid_from, avoid_to
        Hours outdoor sites do not sample in heat mode, ``HH:MM``. Default 11:00–15:00.
    """

    enabled: bool = False
    avoid_from: str = k.HEAT_AVOID_FROM
    avoid_to: str = k.HEAT_AVOID_TO


@dataclass(frozen=True, slots=True)
class TransportPolicy:
    """Sample transport.

    Parameters
    ----------
    pickup_interval_h
        Longest interval between pick-ups at a site, hours. Default 2.
    collection_to_lab_max_h
        Longest pick-up to lab time, hours. Default 2.
    sites_per_vehicle
        Sites served by one vehicle. Default 3.
    tube_to_lab_max_h
        Longest swab to lab time of any tube, walk-up or door to door, hours.
        Default 4.
    results_within_h
        Results of every tube within this many hours of the start of sampling.
        Default 24.
    lab_result_h
        Intake to result at a lab the labs table does not time, hours. Default 6.
    lab_tubes_per_h
        Intake of a lab the labs table does not size, tubes per hour; 0 = not
        limited. Default 0.
    vehicles_per_site_min
        Fewest vehicles per walk-up site the check accepts. Default 1/3.
    """

    pickup_interval_h: float = k.PICKUP_INTERVAL_H
    collection_to_lab_max_h: float = k.COLLECTION_TO_LAB_MAX_H
    sites_per_vehicle: int = k.SITES_PER_VEHICLE
    tube_to_lab_max_h: float = k.TUBE_TO_LAB_MAX_H
    results_within_h: float = k.RESULTS_WITHIN_H
    lab_result_h: float = k.LAB_RESULT_H
    lab_tubes_per_h: float = k.LAB_TUBES_PER_H
    vehicles_per_site_min: float = k.VEHICLES_PER_SITE_MIN


@dataclass(frozen=True, slots=True)
class DrillPolicy:
    """Assumptions of the drill simulation and of re-planning after a disruption.

    Parameters
    ----------
    service_cv
        Coefficient of variation of a swab's desk time. Default 0.4.
    scan_rate_per_h
        People per registrar-hour scanning codes. Default 240.
    tube_close_min
        Minutes to close a full pooled tube (inside the policy cycle). Default 0.5.
    early_share, early_max_min
        Share of households coming early, and how early at most (min). 0.25, 15.
    late_share, late_max_min
        Share coming late, and how late at most after the slot (min). 0.10, 20.
    no_show_share
        Share of households not coming. Default 0.03.
    other_slot_share
        Share coming in another slot of their site. Default 0.05.
    handover_min
        Minutes a desk stops at a shift change. Default 5.
    pickup_delay_mean_min
        Mean random delay of a sample vehicle per stop, minutes. Default 5.
    van_round_min
        A sample van starts a round of its sites this often, minutes. Default 60.
    van_wait_max_min
        Longest a van waits at a hand-over for a team running late, minutes; then
        it goes on and meets the team later where it is. Default 15.
    drive_speed_km_per_h
        Vehicle speed between sites, km/h. Default 20.
    lab_drive_min
        Drive to the lab after the last stop, minutes. Default 30.
    home_delay_mean_min
        Mean extra delay per door-to-door stop, minutes. Default 3. The plan allows
        this much per stop, so routes and drill agree on average.
    home_service_cv
        Coefficient of variation of a door-to-door visit's time. Default 0.25.
    notice_min
        Lead time to tell households of a re-plan, minutes. Default 30.
    rain_rate_factor
        Share of its rate an outdoor desk keeps in rain. Default 0.7.
    surge_share
        Extra walk-ins in a surge, share of the people booked. Default 0.3.
    move_cost
        Re-plan cost of moving one person to another site, person-minutes. 30.
    """

    service_cv: float = k.SERVICE_CV
    scan_rate_per_h: float = k.SCAN_RATE_PER_H
    tube_close_min: float = k.TUBE_CLOSE_MIN
    early_share: float = k.EARLY_SHARE
    early_max_min: float = k.EARLY_MAX_MIN
    late_share: float = k.LATE_SHARE
    late_max_min: float = k.LATE_MAX_MIN
    no_show_share: float = k.NO_SHOW_SHARE
    other_slot_share: float = k.OTHER_SLOT_SHARE
    handover_min: float = k.HANDOVER_MIN
    pickup_delay_mean_min: float = k.PICKUP_DELAY_MEAN_MIN
    van_round_min: float = k.VAN_ROUND_MIN
    van_wait_max_min: float = k.VAN_WAIT_MAX_MIN
    drive_speed_km_per_h: float = k.DRIVE_SPEED_KM_PER_H
    lab_drive_min: float = k.LAB_DRIVE_MIN
    home_delay_mean_min: float = k.HOME_DELAY_MEAN_MIN
    home_service_cv: float = k.HOME_VISIT_SERVICE_CV
    notice_min: float = k.NOTICE_MIN
    rain_rate_factor: float = k.RAIN_RATE_FACTOR
    surge_share: float = k.SURGE_SHARE
    move_cost: float = k.REPLAN_MOVE_COST


@dataclass(frozen=True, slots=True)
class CertifyPolicy:
    """The drill run that certifies a plan at the end of ``planner plan``.

    Parameters
    ----------
    enabled
        Whether ``planner plan`` certifies. Default True (``--certify off``).
    replications
        Drill replications. Default 40.
    max_attempts
        Plans tried at most, the first included. Default 4.
    p_finish_min
        Target chance that everyone is sampled in the window, at least. Default 0.90.
    p_queue_over_max
        Target chance that a site-slot passes the queue limit, at most. Default 0.10.
    p_teams_min
        Target chance that every door-to-door team finishes in time, at least.
        Default 0.90.
    """

    enabled: bool = True
    replications: int = k.CERTIFY_REPLICATIONS
    max_attempts: int = k.CERTIFY_MAX_ATTEMPTS
    p_finish_min: float = k.CERTIFY_P_FINISH_MIN
    p_queue_over_max: float = k.CERTIFY_P_QUEUE_OVER_MAX
    p_teams_min: float = k.CERTIFY_P_TEAMS_MIN


@dataclass(frozen=True, slots=True)
class CampaignPolicy:
    """Several rounds over several days (``planner campaign``).

    Parameters
    ----------
    rounds
        Rounds of the campaign. Default 3 (2nd-ed. guide: at least three) [A].
    days_between_rounds
        Days from one round to the next. Default 1 (daily rounds) [A].
    move_cost
        Cost of sending one person to another site than in the round before,
        person-minutes of walking, so buildings keep their site. Default 60 [D].
    max_hours_per_day
        Most hours one person works in a day. Default 8 [D].
    min_rest_between_days_h
        Rest from a person's last shift to their first shift the next working day,
        hours. Default 12 [D].
    max_consecutive_days
        Working days in a row before a day off. Default 6 [D].
    positivity
        Share of people positive in a round, per person. Default 0.001 [B] (0.1 %
        positivity suits 10:1 pooling, ``domain-rules.md`` §1.4); a tube of ``k``
        people is positive with chance ``1 − (1 − positivity)^k``.
    resample_hours
        The positive pools' households are re-sampled single-tube at home within
        this many hours of the result (the next day), hours. Default 6 [D].
    lead_time_days
        Days from an order of consumables to its delivery. Default 2 [D].
    order_cover_days
        An order brings stock back to the reserve plus this many days of full-load
        use. Default 5 [D].
    """

    rounds: int = k.CAMPAIGN_ROUNDS
    days_between_rounds: int = k.CAMPAIGN_DAYS_BETWEEN_ROUNDS
    move_cost: float = k.CAMPAIGN_MOVE_COST
    max_hours_per_day: float = k.CAMPAIGN_MAX_HOURS_PER_DAY
    min_rest_between_days_h: float = k.CAMPAIGN_MIN_REST_BETWEEN_DAYS_H
    max_consecutive_days: int = k.CAMPAIGN_MAX_CONSECUTIVE_DAYS
    positivity: float = k.CAMPAIGN_POSITIVITY
    resample_hours: float = k.CAMPAIGN_RESAMPLE_HOURS
    lead_time_days: int = k.CAMPAIGN_LEAD_TIME_DAYS
    order_cover_days: int = k.CAMPAIGN_ORDER_COVER_DAYS


@dataclass(frozen=True, slots=True)
class ClosurePolicy:
    """Closing the round (``planner records close``, issue 33).

    Parameters
    ----------
    catchup_from, catchup_to
        The same-day catch-up (补检) window, HH:MM. Default 18:00–22:00 [D].
    evening_site_min_people
        Remaining people in a community from which an evening site is opened for its
        walk-up households instead of visiting them all at home. Default 120 [D].
    positive_response_min
        Minutes from a positive pool's result to its people under temporary control at
        home. Default 60 [B].
    """

    catchup_from: str = k.CATCHUP_FROM
    catchup_to: str = k.CATCHUP_TO
    evening_site_min_people: int = k.CATCHUP_EVENING_SITE_MIN_PEOPLE
    positive_response_min: int = k.POSITIVE_RESPONSE_MIN


@dataclass(frozen=True, slots=True)
class CompoundPolicy:
    """Closed compounds (封闭管理) and the first-round deadlines of area statuses.

    An area's status (封控/管控/防范) is the office's decision, kept with its hand
    edits (:class:`planner.model.edits.AreaEdit`); this section holds the rules.

    Parameters
    ----------
    closed_management
        Sample every compound that has a candidate site inside it at its own sites
        only (as 管控). Default False.
    sealed_first_round_h
        封控: first round done within this many hours of designation. Default 24.
    controlled_first_round_h
        管控: first round done within this many hours of designation. Default 48.
    """

    closed_management: bool = k.COMPOUND_CLOSED_MANAGEMENT
    sealed_first_round_h: float = k.SEALED_FIRST_ROUND_H
    controlled_first_round_h: float = k.CONTROLLED_FIRST_ROUND_H


@dataclass(frozen=True, slots=True)
class StockPolicy:
    """Reserve rules, per item and holder.

    Parameters
    ----------
    street_reserve_days
        Street/town reserve of 防疫物资 (PPE, disinfection), days of full-load
        operation. Default 15 (seed 001).
    health_center_reserve_days
        Health-centre reserve of the street's supplies, days. Default 15: the
        street's rule, the 30-day one being a hospital's (see
        :data:`planner.model.constants.HEALTH_CENTER_RESERVE_DAYS`).
    hospital_reserve_days
        Hospital reserve, days. Default 30 (seed 001).
    screening_items
        Name prefixes of the test consumables (swabs, tubes), held per round rather
        than per day. Default ``("采样拭子", "采样管")``.
    screening_reserve_rounds
        Full-population rounds of test consumables held, whoever holds them. Default
        4 (2022-11 实施办法: three daily rounds and one more).
    min_burn_rate_days
        Consecutive dated counts needed for a burn rate. Default 2.
    """

    street_reserve_days: int = k.STREET_RESERVE_DAYS
    health_center_reserve_days: int = k.HEALTH_CENTER_RESERVE_DAYS
    hospital_reserve_days: int = k.HOSPITAL_RESERVE_DAYS
    screening_items: tuple[str, ...] = k.SCREENING_ITEMS
    screening_reserve_rounds: int = k.SCREENING_RESERVE_ROUNDS
    min_burn_rate_days: int = k.MIN_BURN_RATE_DAYS

    def reserve_days(self, holder: str) -> int:
        """Return the reserve days for a holder (``street``, ``health_center``, …)."""
        return int(getattr(self, f"{holder}_reserve_days"))

    def is_screening_item(self, item: str) -> bool:
        """Whether `item` is a test consumable (swab, tube), held per round."""
        return any(item.startswith(prefix) for prefix in self.screening_items)

    def reserve_rounds(self, item: str, holder: str, rounds_per_day: int) -> int:
        """Return the full-load rounds of `item` that `holder` keeps in stock.

        Test consumables: :attr:`screening_reserve_rounds`; everything else (防疫物资):
        ``rounds_per_day × reserve_days(holder)``.
        """
        if self.is_screening_item(item):
            return int(self.screening_reserve_rounds)
        return int(rounds_per_day) * self.reserve_days(holder)


@dataclass(frozen=True, slots=True)
class ObjectivePolicy:
    """Trade-off weights of the plan objective, in person-minutes of walking.

    Parameters
    ----------
    site_cost
        Cost of opening one site, person-minutes of walking. Default 3,000.
    desk_cost
        Cost of one desk, person-minutes of walking. Default 600.
    grid_split_cost
        Cost of sending one grid to one more site, person-minutes. Default 500.
    """

    site_cost: float = 3000.0
    desk_cost: float = 600.0
    grid_split_cost: float = 500.0


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """Who walks how far: the access report's groups and the equity planning option.

    Parameters
    ----------
    objective
        What the location model minimises for walking (:data:`constants.ACCESS_OBJECTIVES`):
        ``walk`` total person-minutes (default); ``ede`` the Kolm–Pollak EDE of the
        walks through its linear proxy; ``older_cap`` person-minutes with residents
        aged `oldest_age` or more walking at most `oldest_walk_limit_min` where a
        site can do it.
    aversion
        Inequality aversion ε of the Kolm–Pollak EDE, negative for a burden. Default −1.
    oldest_walk_limit_min
        Longest walk of residents aged `oldest_age` or more, minutes. Default 10.
    older_age, oldest_age
        Ages of the two older groups, years. Default 60 and 75.
    child_age
        A household with a child under this age is a household with young children,
        years. Default 6.
    thresholds_min
        Walks the report counts people beyond, minutes. Default (5, 10, 15).
    """

    objective: str = "walk"
    aversion: float = k.EDE_AVERSION
    oldest_walk_limit_min: float = k.OLDEST_WALK_LIMIT_MIN
    older_age: int = k.OLDER_AGE
    oldest_age: int = k.OLDEST_AGE
    child_age: int = k.CHILD_AGE
    thresholds_min: tuple[int, ...] = k.ACCESS_THRESHOLDS_MIN


N_OPEN_MODES = ("at_most", "exactly")
"""How `SitesPolicy.n_open` counts: at most N sites, or exactly N."""


@dataclass(frozen=True, slots=True)
class SitesPolicy:
    """How many sampling sites may open ("设置 25 个采样点").

    Parameters
    ----------
    n_open
        Number of sites, fixed sites (``fixed``/必开) included; 0 = no limit (the
        objective's site cost decides). Default 0.
    n_open_mode
        ``at_most`` (default) or ``exactly``.
    """

    n_open: int = 0
    n_open_mode: str = "at_most"


BOM_DRIVERS = (
    "person",
    "tube_single",
    "tube_pool",
    "sampler_shift",
    "support_shift",
    "home_visit_household",
    "site_day",
    *k.REUSABLE_DRIVERS,
)
"""What a bill-of-materials line is counted per (the last ones: reusable equipment)."""

BOM_HOLDERS = ("street", "health_center", "hospital")
"""Who stocks a bill-of-materials line."""


@dataclass(frozen=True, slots=True)
class BomItem:
    """One line of the bill of materials.

    Parameters
    ----------
    item
        Item name as stock is counted (``采样管(混采)`` is renamed by pool size).
    unit
        Counting unit (支, 套, 个, …).
    per
        Driver, one of :data:`BOM_DRIVERS`.
    quantity
        Units consumed per driver unit.
    holder
        Who stocks it, one of :data:`BOM_HOLDERS`.
    """

    item: str
    unit: str
    per: str
    quantity: float
    holder: str


def _default_bom() -> tuple[BomItem, ...]:
    return tuple(BomItem(*row) for row in k.DEFAULT_BOM)


@dataclass(frozen=True, slots=True)
class SuppliesPolicy:
    """Consumables.

    Parameters
    ----------
    buffer
        Extra share on every consumable. Default 0.10.
    bom
        Bill of materials; ``[[supplies.bom]]`` in TOML replaces the whole list.
    """

    buffer: float = k.SUPPLY_BUFFER
    bom: tuple[BomItem, ...] = field(default_factory=_default_bom)


@dataclass(frozen=True, slots=True)
class Policy:
    """Every tunable number of a plan, grouped by topic.

    Build with defaults (``Policy()``), from TOML (:meth:`from_toml`), or change one
    value with :meth:`with_values` — a policy is never mutated.
    """

    round: RoundPolicy = field(default_factory=RoundPolicy)
    sampling: SamplingPolicy = field(default_factory=SamplingPolicy)
    pooling: PoolingPolicy = field(default_factory=PoolingPolicy)
    walking: WalkingPolicy = field(default_factory=WalkingPolicy)
    queue: QueuePolicy = field(default_factory=QueuePolicy)
    home_visit: HomeVisitPolicy = field(default_factory=HomeVisitPolicy)
    staff: StaffPolicy = field(default_factory=StaffPolicy)
    heat: HeatPolicy = field(default_factory=HeatPolicy)
    transport: TransportPolicy = field(default_factory=TransportPolicy)
    stock: StockPolicy = field(default_factory=StockPolicy)
    objective: ObjectivePolicy = field(default_factory=ObjectivePolicy)
    sites: SitesPolicy = field(default_factory=SitesPolicy)
    supplies: SuppliesPolicy = field(default_factory=SuppliesPolicy)
    drill: DrillPolicy = field(default_factory=DrillPolicy)
    certify: CertifyPolicy = field(default_factory=CertifyPolicy)
    campaign: CampaignPolicy = field(default_factory=CampaignPolicy)
    access: AccessPolicy = field(default_factory=AccessPolicy)
    closure: ClosurePolicy = field(default_factory=ClosurePolicy)
    compounds: CompoundPolicy = field(default_factory=CompoundPolicy)

    @classmethod
    def from_toml(cls, path: Path) -> Policy:
        """Load a policy file; missing keys keep their defaults.

        Raises
        ------
        InputError
            Listing every unknown section or key, wrong type and rule breach.
        """
        _, raw = read_toml(path)
        return cls.from_dict(raw, source=path.name)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, source: str = "policy.toml") -> Policy:
        """Build a policy from nested ``{section: {key: value}}``; see :meth:`from_toml`."""
        issues: list[Issue] = []
        sections: dict[str, Any] = {}
        section_types: dict[str, Any] = {f.name: f.default_factory for f in fields(cls)}
        for name, values in raw.items():
            if name not in section_types:
                issues.append(
                    Issue("error", "policy_unknown_section", source, column=name)
                )
                continue
            default = section_types[name]()
            if not isinstance(values, dict):
                issues.append(Issue("error", "policy_bad_value", source, column=name))
                continue
            kwargs: dict[str, Any] = {}
            for key, value in values.items():
                if not hasattr(default, key):
                    issues.append(
                        Issue(
                            "error",
                            "policy_unknown_key",
                            source,
                            column=f"{name}.{key}",
                        )
                    )
                    continue
                current = getattr(default, key)
                if name == "supplies" and key == "bom":
                    coerced = _coerce_bom(value, source, issues)
                else:
                    coerced = _coerce(value, current)
                if coerced is None:
                    issues.append(_bad_value(source, f"{name}.{key}", value))
                    continue
                kwargs[key] = coerced
            sections[name] = dataclasses.replace(default, **kwargs)
        policy = cls(**sections)
        issues.extend(policy.problems(source=source))
        if any(i.severity == "error" for i in issues):
            raise InputError(issues)
        return policy

    def with_values(self, **changes: Any) -> Policy:
        """Return a copy with dotted keys changed, e.g. ``{"round.window_hours": 8}``."""
        nested: dict[str, dict[str, Any]] = {}
        for dotted, value in changes.items():
            section, key = dotted.split(".", 1)
            nested.setdefault(section, {})[key] = value
        updated = {
            s: dataclasses.replace(getattr(self, s), **kv) for s, kv in nested.items()
        }
        return dataclasses.replace(self, **updated)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Return the policy as nested plain values (for ``plan.json`` and TOML)."""
        out: dict[str, dict[str, Any]] = {}
        for f in fields(self):
            section = getattr(self, f.name)
            values: dict[str, Any] = {}
            for sf in fields(section):
                v = getattr(section, sf.name)
                if isinstance(v, tuple) and v and isinstance(v[0], BomItem):
                    values[sf.name] = [dataclasses.asdict(b) for b in v]
                elif isinstance(v, tuple):
                    values[sf.name] = list(v)
                else:
                    values[sf.name] = v
            out[f.name] = values
        return out

    def problems(self, *, source: str = "policy.toml") -> list[Issue]:
        """Check the rules between numbers (window within cap, pool sizes allowed, …)."""
        issues: list[Issue] = []

        def bad(key: str, value: object) -> None:
            issues.append(_bad_value(source, key, value))

        for key in ("window_start",):
            try:
                minutes_of(getattr(self.round, key))
            except ValueError:
                bad(f"round.{key}", getattr(self.round, key))
        if self.round.screening_date and parse_day(self.round.screening_date) is None:
            bad("round.screening_date", self.round.screening_date)
        for key in ("avoid_from", "avoid_to"):
            try:
                minutes_of(getattr(self.heat, key))
            except ValueError:
                bad(f"heat.{key}", getattr(self.heat, key))
        if self.round.window_hours <= 0:
            issues.append(
                Issue(
                    "error",
                    "policy_window_positive",
                    source,
                    column="round.window_hours",
                    params=(("hours", f"{self.round.window_hours:g}"),),
                )
            )
        elif self.round.window_hours > self.round.max_window_hours:
            issues.append(
                Issue(
                    "error",
                    "policy_window_cap",
                    source,
                    column="round.window_hours",
                    params=(
                        ("hours", f"{self.round.window_hours:g}"),
                        ("cap", f"{self.round.max_window_hours:g}"),
                    ),
                )
            )
        if self.round.slot_minutes <= 0 or self.round.slot_minutes > 24 * 60:
            bad("round.slot_minutes", self.round.slot_minutes)
        if self.sites.n_open < 0:
            bad("sites.n_open", self.sites.n_open)
        for key in ("sealed_first_round_h", "controlled_first_round_h"):
            if getattr(self.compounds, key) <= 0:
                bad(f"compounds.{key}", getattr(self.compounds, key))
        if self.sites.n_open_mode not in N_OPEN_MODES:
            bad("sites.n_open_mode", self.sites.n_open_mode)
        for key in (
            "sampler_rate_per_h",
            "single_tube_rate_per_h",
            "max_people_per_site",
            "max_people_per_desk",
        ):
            if getattr(self.sampling, key) <= 0:
                bad(f"sampling.{key}", getattr(self.sampling, key))
        if self.sampling.sampler_rate_per_h > self.sampling.max_sustained_rate_per_h:
            issues.append(
                Issue(
                    "warning",
                    "policy_rate_high",
                    source,
                    column="sampling.sampler_rate_per_h",
                    params=(
                        ("rate", f"{self.sampling.sampler_rate_per_h:g}"),
                        ("cap", f"{self.sampling.max_sustained_rate_per_h:g}"),
                    ),
                )
            )
        allowed = set(self.pooling.allowed_pool_sizes)
        if not allowed <= set(k.ALLOWED_POOL_SIZES):
            bad("pooling.allowed_pool_sizes", list(self.pooling.allowed_pool_sizes))
        for key in ("default_pool_size", "key_group_pool_size"):
            if getattr(self.pooling, key) not in allowed:
                bad(f"pooling.{key}", getattr(self.pooling, key))
        for key in ("speed_m_per_min", "detour_factor", "walk_limit_min"):
            if getattr(self.walking, key) <= 0:
                bad(f"walking.{key}", getattr(self.walking, key))
        if self.walking.detour_factor < 1:
            bad("walking.detour_factor", self.walking.detour_factor)
        if self.queue.max_wait_min <= 0:
            bad("queue.max_wait_min", self.queue.max_wait_min)
        if self.staff.shift_hours <= 0 or self.staff.heat_shift_hours <= 0:
            bad("staff.shift_hours", self.staff.shift_hours)
        if not 0 < self.staff.roster_period_minutes <= 240:
            bad("staff.roster_period_minutes", self.staff.roster_period_minutes)
        if self.staff.shifts_per_day < 1:
            bad("staff.shifts_per_day", self.staff.shifts_per_day)
        if self.staff.max_hours_per_day <= 0:
            bad("staff.max_hours_per_day", self.staff.max_hours_per_day)
        for key in (
            "street_reserve_days",
            "health_center_reserve_days",
            "hospital_reserve_days",
            "screening_reserve_rounds",
        ):
            if getattr(self.stock, key) < 0:
                bad(f"stock.{key}", getattr(self.stock, key))
        cp = self.campaign
        for key in ("rounds", "days_between_rounds", "max_consecutive_days"):
            if getattr(cp, key) < 1:
                bad(f"campaign.{key}", getattr(cp, key))
        for key in (
            "move_cost",
            "min_rest_between_days_h",
            "lead_time_days",
            "order_cover_days",
        ):
            if getattr(cp, key) < 0:
                bad(f"campaign.{key}", getattr(cp, key))
        if not 0 < cp.max_hours_per_day <= 24:
            bad("campaign.max_hours_per_day", cp.max_hours_per_day)
        if not 0 <= cp.positivity <= 1:
            bad("campaign.positivity", cp.positivity)
        if cp.resample_hours <= 0:
            bad("campaign.resample_hours", cp.resample_hours)
        d = self.drill
        for key in (
            "early_share",
            "late_share",
            "no_show_share",
            "other_slot_share",
        ):
            if not 0 <= getattr(d, key) <= 1:
                bad(f"drill.{key}", getattr(d, key))
        if d.early_share + d.late_share + d.no_show_share + d.other_slot_share > 1:
            bad("drill.no_show_share", d.no_show_share)
        if not 0 < d.rain_rate_factor <= 1:
            bad("drill.rain_rate_factor", d.rain_rate_factor)
        for key in ("scan_rate_per_h", "drive_speed_km_per_h", "van_round_min"):
            if getattr(d, key) <= 0:
                bad(f"drill.{key}", getattr(d, key))
        for key in (
            "service_cv",
            "tube_close_min",
            "early_max_min",
            "late_max_min",
            "handover_min",
            "pickup_delay_mean_min",
            "van_wait_max_min",
            "lab_drive_min",
            "home_delay_mean_min",
            "home_service_cv",
            "notice_min",
            "surge_share",
            "move_cost",
        ):
            if getattr(d, key) < 0:
                bad(f"drill.{key}", getattr(d, key))
        if d.tube_close_min >= 60.0 / self.sampling.sampler_rate_per_h * max(
            1, self.pooling.default_pool_size
        ):
            bad("drill.tube_close_min", d.tube_close_min)
        if not 0 <= self.round.closing_buffer_min < self.round.window_hours * 60:
            bad("round.closing_buffer_min", self.round.closing_buffer_min)
        hv = self.home_visit
        for key in (
            "minutes_per_household",
            "ppe_change_min",
            "minutes_per_extra_person",
            "reserve_min",
        ):
            if getattr(hv, key) < 0:
                bad(f"home_visit.{key}", getattr(hv, key))
        a = self.access
        if a.objective not in k.ACCESS_OBJECTIVES:
            bad("access.objective", a.objective)
        if a.aversion >= 0:
            bad("access.aversion", a.aversion)
        if a.oldest_walk_limit_min <= 0:
            bad("access.oldest_walk_limit_min", a.oldest_walk_limit_min)
        if not 0 < a.older_age <= a.oldest_age:
            bad("access.older_age", a.older_age)
        if a.child_age < 1:
            bad("access.child_age", a.child_age)
        if not a.thresholds_min or min(a.thresholds_min) <= 0:
            bad("access.thresholds_min", list(a.thresholds_min))
        tp = self.transport
        for key in ("tube_to_lab_max_h", "results_within_h"):
            if getattr(tp, key) <= 0:
                bad(f"transport.{key}", getattr(tp, key))
        for key in ("lab_result_h", "lab_tubes_per_h", "vehicles_per_site_min"):
            if getattr(tp, key) < 0:
                bad(f"transport.{key}", getattr(tp, key))
        c = self.certify
        if c.replications < 1:
            bad("certify.replications", c.replications)
        if c.max_attempts < 1:
            bad("certify.max_attempts", c.max_attempts)
        for key in ("p_finish_min", "p_queue_over_max", "p_teams_min"):
            if not 0 <= getattr(c, key) <= 1:
                bad(f"certify.{key}", getattr(c, key))
        return issues


def _bad_value(source: str, column: str, value: object) -> Issue:
    """Return the error of a policy value that is out of range or of the wrong type."""
    return Issue(
        "error",
        "policy_bad_value",
        source,
        column=column,
        params=(("value", str(value)),),
    )


def _coerce_bom(value: Any, source: str, issues: list[Issue]) -> Any:
    """Turn ``[[supplies.bom]]`` tables into `BomItem`s, reporting bad lines."""
    if not isinstance(value, list):
        return None
    items = []
    for n, row in enumerate(value, start=1):
        where = f"supplies.bom[{n}]"
        try:
            item = BomItem(
                str(row["item"]),
                str(row["unit"]),
                str(row["per"]),
                float(row["quantity"]),
                str(row["holder"]),
            )
        except (KeyError, TypeError, ValueError):
            issues.append(_bad_value(source, where, row))
            continue
        if (
            item.per not in BOM_DRIVERS
            or item.holder not in BOM_HOLDERS
            or item.quantity < 0
        ):
            value = f"{item.per}/{item.holder}/{item.quantity:g}"
            issues.append(_bad_value(source, where, value))
            continue
        items.append(item)
    return tuple(items)


def parse_day(text: str) -> datetime.date | None:
    """Return the day of an ISO ``YYYY-MM-DD`` text, or None when it is not one."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _coerce(value: Any, current: Any) -> Any:
    """Coerce a TOML value to the type of the default, or return None if impossible."""
    if isinstance(current, bool):
        return value if isinstance(value, bool) else None
    if isinstance(current, int):
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return None
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)
    if isinstance(current, str):
        if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        ):
            return value.isoformat()  # a bare TOML date (screening_date = 2026-12-09)
        return value if isinstance(value, str) else None
    if isinstance(current, tuple):
        if not isinstance(value, list):
            return None
        if current and all(isinstance(v, str) for v in current):
            # a list of names (e.g. stock.screening_items)
            return tuple(value) if all(isinstance(v, str) for v in value) else None
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return tuple(value)
        return None
    return None
