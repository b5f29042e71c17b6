"""The labs a street's sample boxes go to: where they are, how fast they take tubes in.

A lab takes in the tubes of the boxes it receives first come, first served, at
``tubes_per_h`` while it is open (``open_min``–``close_min``, every day); a box's
result is ready ``result_h`` after its last tube is taken in:

    start_b  = max(arrive_b, done_{b-1})      (moved to the next opening if closed)
    done_b   = start_b + 60 · tubes_b / rate   (open minutes only; rate 0 = at once)
    result_b = done_b + 60 · result_h

Without a labs table the street has today's single lab: ``drill.lab_drive_min`` from
the last pick-up, intake ``transport.lab_tubes_per_h`` (0: not limited) and results
``transport.lab_result_h`` after intake, open all day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.model.policy import Policy
from planner.model.scenario import Scenario

DAY_MIN = 24 * 60


@dataclass(frozen=True, slots=True)
class Lab:
    """One lab.

    Attributes
    ----------
    name
        Lab name ("" for the default lab of a street without a labs table).
    x_m, y_m
        Location in the street's frame, metres (NaN: not given).
    tubes_per_h
        Intake, tubes per hour (0 = not limited).
    open_min, close_min
        Daily intake hours, minutes after midnight (close > open; 1440 = midnight).
    result_h
        Intake to result, hours.
    """

    name: str
    x_m: float
    y_m: float
    tubes_per_h: float
    open_min: int
    close_min: int
    result_h: float

    @property
    def located(self) -> bool:
        """Whether the lab's location is known."""
        return math.isfinite(self.x_m) and math.isfinite(self.y_m)

    def drive_min(self, x_m: float, y_m: float, policy: Policy) -> float:
        """Minutes to drive here from ``(x_m, y_m)`` (``drill.lab_drive_min`` if unknown)."""
        if not self.located or not (math.isfinite(x_m) and math.isfinite(y_m)):
            return float(policy.drill.lab_drive_min)
        speed = policy.drill.drive_speed_km_per_h * 1000.0 / 60.0  # metres per minute
        return math.hypot(self.x_m - x_m, self.y_m - y_m) / speed


def street_labs(scenario: Scenario, policy: Policy) -> tuple[Lab, ...]:
    """Return the scenario's labs, or today's single default lab when it has none."""
    t = policy.transport
    labs = scenario.labs
    if labs is None or len(labs) == 0:
        return (
            Lab("", math.nan, math.nan, t.lab_tubes_per_h, 0, DAY_MIN, t.lab_result_h),
        )
    return tuple(
        Lab(
            name=str(labs.name[i]),
            x_m=float(labs.x_m[i]),
            y_m=float(labs.y_m[i]),
            tubes_per_h=float(labs.tubes_per_h[i]),
            open_min=int(labs.open_min[i]),
            close_min=int(labs.close_min[i])
            if labs.close_min[i] > labs.open_min[i]
            else DAY_MIN,
            result_h=float(labs.result_h[i])
            if np.isfinite(labs.result_h[i])
            else t.lab_result_h,
        )
        for i in range(len(labs))
    )


class LabQueue:
    """A lab's intake through the day (first come, first served)."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.free = -math.inf

    def _open_at(self, t: float) -> float:
        """Return the first minute at or after `t` at which the lab takes tubes in."""
        lab = self.lab
        day = math.floor(t / DAY_MIN)
        for d in (day, day + 1):
            lo, hi = lab.open_min + d * DAY_MIN, lab.close_min + d * DAY_MIN
            if t < hi:
                return max(t, lo)
        return lab.open_min + (day + 1) * DAY_MIN  # pragma: no cover - unreachable

    def intake(self, arrive: float, tubes: float, *, commit: bool = True) -> float:
        """Take a box of `tubes` in arriving at `arrive`; return when its last tube is in."""
        lab = self.lab
        t = self._open_at(max(arrive, self.free))
        if lab.tubes_per_h > 0:
            left = max(0.0, tubes) * 60.0 / lab.tubes_per_h  # open minutes of work
            while left > 1e-9:
                day = math.floor(t / DAY_MIN)
                hi = lab.close_min + day * DAY_MIN
                step = min(left, hi - t)
                t += step
                left -= step
                if left > 1e-9:
                    t = self._open_at(t)
        if commit:
            self.free = t
        return t

    def result(self, arrive: float, tubes: float, *, commit: bool = True) -> float:
        """Return the result time of a box (minutes after the day's midnight)."""
        return self.intake(arrive, tubes, commit=commit) + 60.0 * self.lab.result_h
