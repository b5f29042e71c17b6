"""Size staff per open site and shift by role, and compare with the ÷360 guideline.

Shifts split the window into equal parts no longer than the PPE shift limit (4 h, or 2 h
in heat mode), aligned to slots. Per site and shift the roles are:

- ``sampler``: one per desk on duty (medically qualified only);
- ``registrar`` (登记扫码): one per desk, as the township plans pair them;
- ``order_keeper`` (秩序维护): one per ``queue_people_per_keeper`` people in the
  predicted queue, at least one;
- ``guide`` (引导): one per grid called in the shift (the grid worker leads it);
- ``disinfection`` (消杀): one per site;
- ``site_lead`` (点长): one per site;
- ``reserve`` (机动): tops support up to ``support_per_sampler`` per sampler
  (observed 2.9–4.3 at walk-up sites, domain-rules §2);

plus street-wide ``transport`` (转运: vehicles for ``sites_per_vehicle`` sites, two per
vehicle, a pick-up at least every ``pickup_interval_h``) and door-to-door teams
(``home_sampler`` + ``home_registrar`` per team and shift).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.clock import hhmm
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
    limit_h = (
        policy.staff.heat_shift_hours
        if policy.heat.enabled
        else policy.staff.shift_hours
    )
    n_slots = policy.round.n_slots
    slot = policy.round.slot_minutes
    max_slots = max(1, int(limit_h * 60) // slot)
    n = math.ceil(n_slots / max_slots)
    base, extra = divmod(n_slots, n)
    out = []
    k = 0
    for i in range(n):
        length = base + (1 if i < extra else 0)
        start = policy.round.start_min + k * slot
        out.append(Shift(i, start, start + length * slot))
        k += length
    return tuple(out)


def _queue_people(desks: int, units_per_min: float, mu: float) -> float:
    """Return the expected queue length (people) of an M/M/c queue."""
    if units_per_min <= 0 or desks <= 0:
        return 0.0
    a = units_per_min / mu
    if a >= desks:
        return float(desks * 10)
    return erlang_c(desks, a) * a / (desks - a)


def staff_requirements(plan: Plan, scenario: Scenario) -> pd.DataFrame:
    """Return the staff needed per site, shift and role.

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
    shifts = shifts_for(p)
    # vans of their own that meet door-to-door teams out of reach of a site (the
    # plan's vehicle schedule): each needs its crew in the shifts it runs
    from planner.model.clock import minutes_of
    from planner.planning.transport import vehicle_schedule

    visit_vans = [
        [minutes_of(r["depart"]) for r in v["rounds"]]
        for v in vehicle_schedule(plan, scenario)
        if not v["sites"]
    ]
    starts = plan.slots.start_min
    mu = p.sampling.sampler_rate_per_h * p.sampling.samplers_per_desk / 60.0
    walk = plan.hh_mode == 0
    hh_grid = scenario.buildings.grid[scenario.households.building]
    rows: list[tuple[str, str, Shift, str, int]] = []
    for sh in shifts:
        in_shift = (starts >= sh.start_min) & (starts < sh.end_min)
        slot_ids = np.flatnonzero(in_shift)
        active_sites = 0
        for s in np.flatnonzero(plan.site_open).tolist():
            load = plan.site_slot_units[s, in_shift]
            if load.sum() <= 0 and not scenario.sites.fixed[s]:
                continue
            active_sites += 1
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
        vehicles = math.ceil(active_sites / p.transport.sites_per_vehicle)
        vehicles += sum(
            any(sh.start_min <= t < sh.end_min for t in departs)
            for departs in visit_vans
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


def compare_with_guideline(
    plan: Plan, requirements: pd.DataFrame
) -> GuidelineComparison:
    """Compare sampler numbers with the 3rd-edition ``population ÷ 360`` rule (6 h round)."""
    p = plan.policy
    population = int(plan.hh_people[plan.hh_mode != 2].sum())
    # the ÷360 rule is 60 people per sampler-hour over 6 h; scale it to this window
    per_sampler = p.sampling.guide_people_per_sampler * p.round.window_hours / 6.0
    guideline = math.ceil(population / per_sampler)
    samplers = requirements[requirements["role"].isin(SAMPLER_ROLES)]
    on_duty = (
        int(samplers.groupby("shift")["needed"].sum().max()) if len(samplers) else 0
    )
    headcount = int(samplers["needed"].sum())
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
