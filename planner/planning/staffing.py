"""Size staff per open site and shift by role, and compare with the ÷360 guideline.

Posts are sized per roster period (:func:`roster_periods`: the window in slot-aligned
parts of ``staff.roster_period_minutes``, one hour by default). A person in full PPE
works a *pattern* of periods (:func:`work_patterns`): up to ``staff.shifts_per_day``
shifts of consecutive periods, each within the PPE limit (4 h, or 2 h in heat mode),
with a rest of at least ``staff.min_rest_hours`` (and a fresh PPE set) between them.
:func:`shifts_for` keeps the coarse split of the window into the fewest equal shifts
within the limit (the planner's capacity allowance for handovers). Per site and period
the roles are:

- ``sampler``: one per desk on duty (medically qualified only);
- ``registrar`` (登记扫码): one per desk, as the township plans pair them;
- ``order_keeper`` (秩序维护): one per ``queue_people_per_keeper`` people in the
  predicted queue, at least one;
- ``guide`` (引导): one per grid called in the shift (the grid worker leads it);
- ``disinfection`` (消杀): one per site;
- ``site_lead`` (点长): one per site;
- ``reserve`` (机动): tops support up to ``support_per_sampler`` per sampler
  (observed 2.9–4.3 at walk-up sites, domain-rules §2);

plus street-wide ``transport`` (转运: two per vehicle of the plan's vehicle schedule
on duty in the shift, :mod:`planner.planning.transport`) and door-to-door teams
(``home_sampler`` + ``home_registrar`` per team and shift).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model import constants as k
from planner.model.clock import hhmm
from planner.model.modes import UNASSIGNED, WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.solve.queueing import erlang_c
from planner.text import ROLES_ZH

SAMPLER_ROLES = frozenset({"sampler", "home_sampler"})
"""Roles only medically qualified staff may fill."""

CADRE_ROLES = frozenset({"site_lead"})
"""Roles only cadres or community staff may fill, never volunteers: the site lead
(点长) answers for the site (seed 000: cadre per community, committee member per 片)."""

VOLUNTEER_MARKERS = ("志愿", "volunteer")
"""An organisation naming one of these is a volunteer group (the staff table's
``organisation``; everyone else of role ``support`` is cadre or community staff)."""


def is_volunteer(organisation: str) -> bool:
    """Whether `organisation` is a volunteer group rather than a cadre's unit."""
    low = organisation.lower()
    return any(m in low for m in VOLUNTEER_MARKERS)


QUEUE_PEOPLE_PER_KEEPER = 40
"""People in a queue one order keeper can manage (40 m of 1-m line). Planning default."""

STAFF_PER_VEHICLE = 2
"""Transport staff per vehicle: driver and escort (Zhengzhou: 4,000 for 2,000) [D]."""


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift of the round.

    Attributes
    ----------
    index
        Shift number from 0.
    start_min, end_min
        Minutes after midnight.
    """

    index: int
    start_min: int
    end_min: int

    def label(self) -> str:
        """Return ``HH:MM-HH:MM``."""
        return f"{hhmm(self.start_min)}-{hhmm(self.end_min)}"


def shifts_for(policy: Policy) -> tuple[Shift, ...]:
    """Split the window into the fewest equal slot-aligned shifts within the limit."""
    n_slots = policy.round.n_slots
    slot = policy.round.slot_minutes
    max_slots = max(1, int(shift_limit_min(policy)) // slot)
    return _equal_parts(policy, math.ceil(n_slots / max_slots))


def roster_periods(policy: Policy) -> tuple[Shift, ...]:
    """Split the window into the roster's periods (``staff.roster_period_minutes``).

    The periods are the grid posts are filled on: equal, slot-aligned parts of the
    window no longer than the period length. A person works one or more consecutive
    periods as one shift (:func:`work_patterns`).
    """
    n_slots = policy.round.n_slots
    slot = policy.round.slot_minutes
    per = max(1, int(policy.staff.roster_period_minutes) // slot)
    return _equal_parts(policy, max(1, math.ceil(n_slots / per)))


def _equal_parts(policy: Policy, n: int) -> tuple[Shift, ...]:
    """Split the window's slots into `n` consecutive parts, the first ones a slot longer.

    With ``S`` slots, part ``i`` has ``S // n + (1 if i < S % n else 0)`` slots.
    """
    n_slots = policy.round.n_slots
    slot = policy.round.slot_minutes
    base, extra = divmod(n_slots, n)
    out = []
    k = 0
    for i in range(n):
        length = base + (1 if i < extra else 0)
        start = policy.round.start_min + k * slot
        out.append(Shift(i, start, start + length * slot))
        k += length
    return tuple(out)


def shift_limit_min(policy: Policy) -> float:
    """Longest continuous work in full PPE, minutes (heat mode shortens it)."""
    hours = (
        policy.staff.heat_shift_hours
        if policy.heat.enabled
        else policy.staff.shift_hours
    )
    return hours * 60.0


def blocks_of(
    periods: tuple[Shift, ...], worked: frozenset[int]
) -> list[tuple[int, int]]:
    """Return the shifts of a set of periods: ``(start_min, end_min)`` of each run."""
    out: list[tuple[int, int]] = []
    for sh in sorted((periods[i] for i in worked), key=lambda x: x.start_min):
        if out and out[-1][1] == sh.start_min:
            out[-1] = (out[-1][0], sh.end_min)
        else:
            out.append((sh.start_min, sh.end_min))
    return out


def pattern_ok(
    periods: tuple[Shift, ...], worked: frozenset[int], policy: Policy
) -> bool:
    """Whether one person in full PPE may work `worked` (period indices) in a day.

    Each shift (a run of consecutive periods) is at most the PPE limit, shifts are
    at least ``staff.min_rest_hours`` apart (PPE off, rest, a fresh set), at most
    ``staff.shifts_per_day`` of them, at most ``staff.max_hours_per_day`` in all
    (or ``campaign.max_hours_per_day`` when lower: a campaign's day is a day).
    """
    if not worked:
        return False
    blocks = blocks_of(periods, worked)
    limit = shift_limit_min(policy) + 1e-6
    rest = policy.staff.min_rest_hours * 60.0 - 1e-6
    if len(blocks) > policy.staff.shifts_per_day:
        return False
    if any(b - a > limit for a, b in blocks):
        return False
    if any(n[0] - b[1] < rest for b, n in itertools.pairwise(blocks)):
        return False
    return sum(b - a for a, b in blocks) <= max_work_min(policy) + 1e-6


def max_work_min(policy: Policy) -> float:
    """Most minutes one person works in a day: the day's limit, or a campaign's if lower."""
    return min(policy.staff.max_hours_per_day, policy.campaign.max_hours_per_day) * 60.0


def work_patterns(
    periods: tuple[Shift, ...],
    policy: Policy,
    available: tuple[int, int],
    *,
    maximal: bool = True,
) -> list[frozenset[int]]:
    """Return the working patterns of a person in full PPE.

    A pattern is a set of periods :func:`pattern_ok` allows, inside the person's
    availability ``(from_min, to_min)``. With `maximal`, a pattern contained in
    another is dropped (for counting: whoever may work the larger one could leave a
    period free); without, every pattern is kept, so a roster can have everyone
    work exactly their pattern (leaving a period free inside a shift would split it
    in two).
    """
    usable = [
        sh.index
        for sh in periods
        if sh.start_min >= available[0] and sh.end_min <= available[1]
    ]
    if len(usable) > 16:
        raise ValueError("too many roster periods for the pattern search")
    ok: list[frozenset[int]] = []
    for mask in range(1, 1 << len(usable)):
        pat = frozenset(usable[i] for i in range(len(usable)) if mask >> i & 1)
        if pattern_ok(periods, pat, policy):
            ok.append(pat)
    if not maximal:
        return sorted(ok, key=sorted)
    ok.sort(key=lambda x: (-len(x), sorted(x)))
    kept: list[frozenset[int]] = []
    for pat in ok:
        if not any(pat < m for m in kept):
            kept.append(pat)
    return sorted(kept, key=sorted)


def _queue_people(desks: int, units_per_min: float, mu: float) -> float:
    """Return the expected queue length (people) of an M/M/c queue."""
    if units_per_min <= 0 or desks <= 0:
        return 0.0
    a = units_per_min / mu
    if a >= desks:
        return float(desks * 10)
    return erlang_c(desks, a) * a / (desks - a)


def staff_requirements(plan: Plan, scenario: Scenario) -> pd.DataFrame:
    """Return the staff needed per site, roster period and role.

    The ``shift`` columns are the roster's periods (:func:`roster_periods`): a post
    needs its people in every period the site or team works.

    Parameters
    ----------
    plan
        The plan (desks, slot loads, door-to-door teams).
    scenario
        The street (site ids, grids of households).

    Returns
    -------
    pandas.DataFrame
        Columns ``site_id, community, shift, shift_start, shift_end, role, role_zh,
        needed``;
        street-wide transport uses site id ``TRANSPORT`` and door-to-door teams their
        team id.
    """
    p = plan.policy
    shifts = roster_periods(p)
    # vans of their own that meet door-to-door teams out of reach of a site (the
    # plan's vehicle schedule): each needs its crew in the shifts it runs
    from planner.model.clock import minutes_of
    from planner.planning.transport import vehicle_schedule

    # each vehicle is on duty from a round's departure until it is back (or at the
    # lab, in a schedule that gives no drive back)
    on_duty: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for van in vehicle_schedule(plan, scenario):
        for rnd in van["rounds"]:
            key = (str(van["van_id"]), int(rnd.get("vehicle", 1)))
            on_duty.setdefault(key, []).append(
                (
                    float(minutes_of(rnd["depart"])),
                    float(minutes_of(rnd.get("back", rnd["lab"]))),
                )
            )
    starts = plan.slots.start_min
    mu = p.sampling.sampler_rate_per_h * p.sampling.samplers_per_desk / 60.0
    walk = plan.hh_mode == WALK_UP
    hh_grid = scenario.buildings.grid[scenario.households.building]
    rows: list[tuple[str, str, Shift, str, int]] = []
    for sh in shifts:
        in_shift = (starts >= sh.start_min) & (starts < sh.end_min)
        slot_ids = np.flatnonzero(in_shift)
        for s in np.flatnonzero(plan.site_open).tolist():
            load = plan.site_slot_units[s, in_shift]
            if load.sum() <= 0 and not scenario.sites.fixed[s]:
                continue
            sid = str(scenario.sites.id[s])
            desks = int(plan.site_desks[s])
            samplers = desks * p.sampling.samplers_per_desk
            queue = max(
                (_queue_people(desks, u / plan.slots.slot_minutes, mu) for u in load),
                default=0.0,
            )
            grids = np.unique(
                hh_grid[walk & (plan.hh_site == s) & np.isin(plan.hh_slot, slot_ids)]
            )
            need = {
                "sampler": samplers,
                "registrar": desks,
                "order_keeper": max(1, math.ceil(queue / QUEUE_PEOPLE_PER_KEEPER)),
                "guide": max(1, len(grids)),
                "disinfection": 1,
                "site_lead": 1,
            }
            support = sum(v for r, v in need.items() if r != "sampler")
            need["reserve"] = max(
                0, math.ceil(p.staff.support_per_sampler * samplers) - support
            )
            comm = str(scenario.sites.community[s])
            rows.extend((sid, comm, sh, r, v) for r, v in need.items() if v > 0)
        vehicles = sum(
            any(lo < sh.end_min and hi > sh.start_min for lo, hi in spans)
            for spans in on_duty.values()
        )
        if vehicles:
            rows.append(
                ("TRANSPORT", "", sh, "transport", vehicles * STAFF_PER_VEHICLE)
            )
        for team in plan.teams:
            arrive = np.asarray(team.arrive_min)
            if ((arrive >= sh.start_min) & (arrive < sh.end_min)).any():
                comm = scenario.communities[team.community]
                rows.append((team.team_id, comm, sh, "home_sampler", 1))
                rows.append((team.team_id, comm, sh, "home_registrar", 1))
    return pd.DataFrame(
        [
            (
                sid,
                comm,
                sh.index,
                hhmm(sh.start_min),
                hhmm(sh.end_min),
                role,
                ROLES_ZH[role],
                n,
            )
            for sid, comm, sh, role, n in rows
        ],
        columns=[
            "site_id",
            "community",
            "shift",
            "shift_start",
            "shift_end",
            "role",
            "role_zh",
            "needed",
        ],
    )


@dataclass(frozen=True, slots=True)
class GuidelineComparison:
    """The plan's samplers against the guideline ``samplers = population ÷ 360``.

    Attributes
    ----------
    population
        People sampled (walk-up and at home).
    guideline_samplers
        ``ceil(population / guide_people_per_sampler)``, scaled to the window.
    on_duty
        Samplers on duty at once (desks × samplers per desk + door-to-door teams).
    headcount
        Sampler positions over all shifts.
    reasons
        Why the figures differ, in Chinese and English.
    """

    population: int
    guideline_samplers: int
    on_duty: int
    headcount: int
    reasons: tuple[tuple[str, str], ...]


def guideline_samplers(population: int, policy: Policy) -> int:
    """Return the samplers on duty the 3rd-edition guideline asks for, at least.

    The guideline is ``samplers = population ÷ 360`` for a 6-hour round, i.e. a rate
    of ``r = 360 / 6 = 60`` people per sampler-hour (domain-rules §1.2). Over a window
    of ``H`` hours

    ``S = ceil(P / (r · H))`` with ``r = g / H0``,

    ``g = sampling.guide_people_per_sampler`` (360) and ``H0`` =
    :data:`planner.model.constants.GUIDE_WINDOW_HOURS` (6). It is a floor: a plan with
    fewer samplers on duty is short of the guideline, one with more is within it.
    The one formula of the norms and of
    :func:`planner.planning.staffing.compare_with_guideline`.

    Parameters
    ----------
    population
        People sampled (walk-up and at home).
    policy
        The guideline's divisor and the window.
    """
    per_sampler = (
        policy.sampling.guide_people_per_sampler
        * policy.round.window_hours
        / k.GUIDE_WINDOW_HOURS
    )
    return math.ceil(population / per_sampler) if per_sampler > 0 else 0


def compare_with_guideline(
    plan: Plan, requirements: pd.DataFrame, shifts: pd.DataFrame | None = None
) -> GuidelineComparison:
    """Compare sampler numbers with the 3rd-edition ``population ÷ 360`` rule (6 h round).

    `shifts` (``site_id, role, needed``: shifts worked, from
    :func:`planner.planning.roster.shift_counts`) gives the headcount in shifts;
    without it the requirements' rows are counted (one per roster period).
    """
    p = plan.policy
    population = int(plan.hh_people[plan.hh_mode != UNASSIGNED].sum())
    guideline = guideline_samplers(population, p)
    samplers = requirements[requirements["role"].isin(SAMPLER_ROLES)]
    on_duty = (
        int(samplers.groupby("shift")["needed"].sum().max()) if len(samplers) else 0
    )
    counted = samplers if shifts is None else shifts[shifts["role"].isin(SAMPLER_ROLES)]
    headcount = int(counted["needed"].sum())
    reasons: list[tuple[str, str]] = []
    if on_duty > guideline:
        reasons.append(
            (
                "每个采样台按排队不超过限值留有余量（利用率低于100%），上门采样组另需采样人员",
                "desks keep headroom so the queue stays under the limit (utilisation below "
                "100%), and door-to-door teams need their own samplers",
            )
        )
    if headcount > on_duty:
        n = len(shifts_for(p))
        reasons.append(
            (
                f"穿戴防护连续工作不超过 {p.staff.shift_hours:g} 小时，采样分 {n} 班轮换",
                f"full PPE limits a shift to {p.staff.shift_hours:g} h, so sampling runs in "
                f"{n} shifts",
            )
        )
    if on_duty < guideline:
        reasons.append(
            (
                "采样速率或时长参数与指南假设（每人每小时60人、6小时）不同",
                "the policy's rate or window differs from the guide's 60/h over 6 h",
            )
        )
    return GuidelineComparison(
        population, guideline, on_duty, headcount, tuple(reasons)
    )
