"""Carry each person's work from day to day: rest, consecutive days, hours and fairness.

The one-round roster (:func:`planner.planning.roster.build_roster`) knows one day.
Across a campaign three more rules hold, all from ``[campaign]`` in the policy:

- rest between days: a person whose last shift ended at ``e`` (minutes after the
  midnight of their last working day) is not available today before
  ``e + rest − 1440·gap`` (``gap`` days later), which the roster sees as a later
  ``available_from``;
- consecutive days: after ``max_consecutive_days`` working days in a row a person
  has a day off;
- hours per day: shifts beyond ``max_hours_per_day`` are taken off the roster
  afterwards and counted as missing positions.

The pool is handed to the roster least-worked first (campaign hours, then input
order), and the roster names people fewest shifts first, so the load spreads
evenly over the campaign.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.model.clock import minutes_of
from planner.model.policy import Policy
from planner.model.scenario import Scenario, Staff
from planner.planning.roster import Roster

MINUTES_PER_DAY = 1440


@dataclass
class StaffLedger:
    """What every person of one street's pool has worked so far in the campaign.

    Attributes
    ----------
    hours
        Campaign hours worked, by staff id.
    last_day
        Last day worked (campaign day from 0), by staff id.
    last_end_min
        End of the last shift on that day, minutes after its midnight.
    streak
        Consecutive days worked up to ``last_day``.
    """

    hours: dict[str, float] = field(default_factory=dict)
    last_day: dict[str, int] = field(default_factory=dict)
    last_end_min: dict[str, int] = field(default_factory=dict)
    streak: dict[str, int] = field(default_factory=dict)

    def pool_for_day(self, staff: Staff, day: int, policy: Policy) -> Staff:
        """Return the people who may work on `day`, least-worked first.

        Parameters
        ----------
        staff
            The street's whole pool.
        day
            Campaign day, from 0.
        policy
            ``campaign.min_rest_between_days_h`` and ``campaign.max_consecutive_days``.
        """
        c = policy.campaign
        keep: list[int] = []
        start = staff.available_from_min.copy()
        for p, sid in enumerate(staff.id.tolist()):
            last = self.last_day.get(sid)
            if last is not None:
                gap = day - last
                if gap == 1 and self.streak.get(sid, 0) >= c.max_consecutive_days:
                    continue  # a day off after the longest run of working days
                earliest = (
                    self.last_end_min[sid]
                    + round(c.min_rest_between_days_h * 60)
                    - MINUTES_PER_DAY * gap
                )
                start[p] = max(int(start[p]), earliest)
            if start[p] < staff.available_to_min[p]:
                keep.append(p)
        order = sorted(keep, key=lambda p: (self.hours.get(str(staff.id[p]), 0.0), p))
        ix = np.asarray(order, dtype=np.int64)
        return Staff(
            id=staff.id[ix],
            name=staff.name[ix],
            role=staff.role[ix],
            organisation=staff.organisation[ix],
            phone=staff.phone[ix],
            available_from_min=start[ix],
            available_to_min=staff.available_to_min[ix],
        )

    def record(self, assignments: pd.DataFrame, day: int) -> None:
        """Add one day's roster to the ledger."""
        if not len(assignments):
            return
        a = assignments.assign(
            start=assignments["shift_start"].map(minutes_of),
            end=assignments["shift_end"].map(minutes_of),
        )
        # one grouped pass (a Python loop over the groups took 0.9 s a round on a
        # 100,000-resident street); shift minutes are whole, so the sums are exact
        by_person = a.assign(length=a["end"] - a["start"]).groupby(
            "staff_id", sort=True
        )
        minutes = by_person["length"].sum()
        last_end = by_person["end"].max()
        for sid_, worked_min, end in zip(
            minutes.index.tolist(),
            minutes.tolist(),
            last_end.tolist(),
            strict=True,
        ):
            sid = str(sid_)
            self.hours[sid] = self.hours.get(sid, 0.0) + float(worked_min) / 60.0
            prev = self.last_day.get(sid)
            self.streak[sid] = self.streak.get(sid, 0) + 1 if prev == day - 1 else 1
            self.last_day[sid] = day
            self.last_end_min[sid] = int(end)


def cap_daily_hours(roster: Roster, policy: Policy) -> Roster:
    """Take shifts beyond ``campaign.max_hours_per_day`` off the roster.

    A person keeps their shifts in time order until the next one would pass the cap;
    the positions taken off join the shortfall, so they are requested from outside
    (or lent by the district) like any other missing position.
    """
    a = roster.assignments
    if not len(a):
        return roster
    cap_min = round(policy.campaign.max_hours_per_day * 60)
    length = a["shift_end"].map(minutes_of) - a["shift_start"].map(minutes_of)
    order = a.assign(_len=length).sort_values(["staff_id", "shift"], kind="stable")
    cumulative = order.groupby("staff_id", sort=False)["_len"].cumsum()
    over = cumulative > cap_min
    if not over.any():
        return roster
    dropped = order[over]
    kept = a.drop(index=dropped.index)
    keys = ["site_id", "shift", "shift_start", "shift_end", "role", "role_zh"]
    extra = dropped.groupby(keys, sort=False).size().rename("missing").reset_index()
    short = (
        pd.concat([roster.shortfall, extra], ignore_index=True)
        .groupby(keys, sort=False)["missing"]
        .sum()
        .reset_index()
    )
    return dataclasses.replace(
        roster, assignments=kept.reset_index(drop=True), shortfall=short
    )


def with_staff(scenario: Scenario, staff: Staff) -> Scenario:
    """Return the scenario with another staff pool."""
    return dataclasses.replace(scenario, staff=staff)
