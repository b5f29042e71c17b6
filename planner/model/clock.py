"""Clock times of the day: minutes after midnight and their ``HH:MM`` text."""

from __future__ import annotations

import math


def hhmm(minutes: int | float, *, up: bool = False) -> str:
    """Return ``HH:MM`` for `minutes` after midnight, in whole minutes.

    Rounded down by default (a slot's start, a booked time); ``up=True`` rounds up,
    for times something is done *by* (a forecast finish, a report's time), which a
    reader must not take as earlier than they are.
    """
    m = math.ceil(minutes - 1e-9) if up else int(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def minutes_of(text: str) -> int:
    """Return the minutes after midnight of ``HH:MM`` (``H:MM`` too, up to 24:59).

    Raises
    ------
    ValueError
        When `text` is not a time of day.
    """
    hours, minutes = text.strip().split(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60):
        raise ValueError(text)
    return h * 60 + m
