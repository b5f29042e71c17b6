"""Explain the plan against the field's norms, with the reason for each difference.

Four norms (domain-rules §1.2, §6): samplers = population ÷ 360 (3rd ed.), one desk per
600–800 residents and one site per 2,000–3,000 (NHC 2022-05-13), and 280–510 people per
sampler per day (eight campaigns). Each comes back as the plan's number, the norm, and
the reason in numbers: a norm assumes a day, a rate or a layout, and the plan differs
where its window, queue limit, walk limit or door-to-door work differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planner.model import constants as k
from planner.model.modes import HOME_VISIT, UNASSIGNED, WALK_UP
from planner.model.result import Plan
from planner.planning.staffing import SAMPLER_ROLES, guideline_samplers, shifts_for
from planner.text import by_language, tr_both


@dataclass(frozen=True, slots=True)
class Norm:
    """The plan against one norm.

    Attributes
    ----------
    key
        ``samplers``, ``people_per_desk``, ``people_per_site`` or
        ``people_per_sampler_day``.
    value
        The plan's figure.
    low, high
        The norm's range (equal for a single figure).
    within
        Whether the plan's figure lies in the range.
    reasons
        Why it differs, ``(zh, en)`` each, with numbers.
    """

    key: str
    value: float
    low: float
    high: float
    within: bool
    reasons: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """Return plain values for ``plan.json``."""
        return {
            "key": self.key,
            "value": self.value,
            "norm_low": self.low,
            "norm_high": self.high,
            "within": self.within,
            **by_language("reasons", self.reasons),
        }

    @classmethod
    def in_range(
        cls,
        key: str,
        value: float,
        bounds: tuple[float, float],
        reasons: list[tuple[str, str]],
    ) -> Norm:
        """Return the plan's `value` (to 0.1) against the norm's range `bounds`."""
        lo, hi = bounds
        return cls(
            key,
            round(value, 1),
            float(lo),
            float(hi),
            lo <= value <= hi,
            tuple(reasons),
        )


def _utilisation(plan: Plan) -> float:
    """Booked work over what the open desks could swab in their usable slots at 100 %."""
    p = plan.policy
    rate = p.sampling.sampler_rate_per_h * p.sampling.samplers_per_desk / 60.0
    slots = (plan.slots.usable * plan.slots.scale()[None, :]).sum(axis=1)
    full = float((plan.site_desks * slots).sum()) * plan.slots.slot_minutes * rate
    return float(plan.site_units.sum()) / full if full > 0 else 0.0


def explain_norms(
    plan: Plan, requirements: pd.DataFrame, shifts: pd.DataFrame | None = None
) -> tuple[Norm, ...]:
    """Compare the plan with the four norms and give the reasons in numbers.

    Parameters
    ----------
    plan
        The plan.
    requirements
        Staff requirements (:func:`planner.planning.staffing.staff_requirements`).
    """
    p = plan.policy
    hours = p.round.window_hours
    walk = plan.hh_mode == WALK_UP
    population = int(plan.hh_people[plan.hh_mode != UNASSIGNED].sum())
    walk_people = int(plan.hh_people[walk].sum())
    home_people = int(plan.hh_people[plan.hh_mode == HOME_VISIT].sum())
    desks = int(plan.site_desks.sum())
    sites = int(plan.site_open.sum())
    teams = len(plan.teams)
    util = _utilisation(plan)
    booked_h = hours - p.round.closing_buffer_min / 60.0
    samplers = requirements[requirements["role"].isin(SAMPLER_ROLES)]
    on_duty = (
        int(samplers.groupby("shift")["needed"].sum().max()) if len(samplers) else 0
    )
    n_shifts = len(shifts_for(p))
    out: list[Norm] = []

    # 1. samplers ≥ population ÷ 360 (60 people per sampler-hour over 6 h), a floor
    guide = guideline_samplers(population, p)
    reasons = []
    if hours != k.GUIDE_WINDOW_HOURS:
        reasons.append(tr_both("norm_hours", hours=hours))
    if on_duty < guide:
        reasons.append(
            tr_both(
                "rules_norm_samplers_short",
                on_duty=on_duty,
                guide=guide,
                short=guide - on_duty,
                rate=p.sampling.sampler_rate_per_h,
            )
        )
    if util < 0.999:
        reasons.append(
            tr_both(
                "norm_queue_buffer",
                util=util,
                wait=p.queue.max_wait_min,
                buffer=p.round.closing_buffer_min,
            )
        )
    if teams:
        reasons.append(
            tr_both(
                "norm_home_teams",
                teams=teams,
                people=home_people,
                ppe=p.home_visit.ppe_change_min,
            )
        )
    out.append(
        Norm(
            "samplers",
            float(on_duty),
            float(guide),
            float(guide),
            on_duty >= guide,
            tuple(reasons),
        )
    )

    # 2. one desk per 600–800 residents (≈ 100–133 people per desk-hour over 6 h)
    lo, hi = k.NORM_PEOPLE_PER_DESK
    per_desk = walk_people / desks if desks else 0.0
    cap = p.sampling.sampler_rate_per_h * p.sampling.samplers_per_desk * booked_h
    desk = {
        "per_desk": p.sampling.samplers_per_desk,
        "rate": p.sampling.sampler_rate_per_h,
        "booked": booked_h,
        "cap": cap,
    }
    reasons = []
    if per_desk < lo:
        reasons.append(tr_both("norm_desk_low", **desk))
        reasons.append(tr_both("norm_desk_util", util=util, wait=p.queue.max_wait_min))
    elif per_desk > hi:
        reasons.append(tr_both("norm_desk_high", **desk))
    out.append(Norm.in_range("people_per_desk", per_desk, (lo, hi), reasons))

    # 3. one site per 2,000–3,000 residents
    lo, hi = k.NORM_PEOPLE_PER_SITE
    per_site = walk_people / sites if sites else 0.0
    reasons = []
    if per_site < lo:
        open_ix = np.flatnonzero(plan.site_open)
        small = int((plan.site_people[open_ix] < lo).sum())
        reasons.append(
            tr_both(
                "norm_site_low",
                walk_min=p.walking.walk_limit_min,
                small=small,
                low=lo,
                mean_walk=_mean_walk(plan),
            )
        )
    elif per_site > hi:
        reasons.append(tr_both("norm_site_high", most=p.sampling.max_people_per_site))
    out.append(Norm.in_range("people_per_site", per_site, (lo, hi), reasons))

    # 4. people per sampler per day, field range 280–510 (median ≈ 360)
    lo, hi = k.NORM_PEOPLE_PER_SAMPLER_DAY
    # sampler shifts worked (roster.shift_counts) when given, else requirement rows
    counted = samplers if shifts is None else shifts[shifts["role"].isin(SAMPLER_ROLES)]
    headcount = int(counted["needed"].sum()) if len(counted) else 0
    per_sampler = population / headcount if headcount else 0.0
    reasons = []
    if per_sampler < lo or per_sampler > hi:
        reasons.append(
            tr_both(
                "norm_shifts",
                shift_h=p.staff.shift_hours,
                hours=hours,
                shifts=n_shifts,
                per_day=p.staff.shifts_per_day,
                headcount=headcount,
            )
        )
        if util < 0.999:
            visit = p.home_visit.minutes_per_household + p.home_visit.ppe_change_min
            reasons.append(tr_both("norm_visit", util=util, visit=visit))
    out.append(Norm.in_range("people_per_sampler_day", per_sampler, (lo, hi), reasons))
    return tuple(out)


def _mean_walk(plan: Plan) -> float:
    walk = plan.hh_mode == WALK_UP
    people = plan.hh_people[walk]
    return float((people * plan.hh_walk_m[walk]).sum() / max(1, people.sum()))


NORM_LABELS: dict[str, tuple[str, str]] = {
    "samplers": ("在岗采样人员 / 人口÷360", "samplers on duty / population ÷ 360"),
    "people_per_desk": ("每个采样台服务人数 / 600–800", "people per desk / 600–800"),
    "people_per_site": (
        "每个采样点服务人数 / 2,000–3,000",
        "people per site / 2,000–3,000",
    ),
    "people_per_sampler_day": (
        "每名采样人员每天采样人数 / 280–510",
        "people per sampler per day / 280–510",
    ),
}
"""Labels of the norms, Chinese and English."""
