"""Clock times of the day: minutes after midnight and their ``HH:MM`` text."""

from __future__ import annotations

import math

from planner.text import Lang, tr


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


def day_clock_words(clock: str, lang: Lang) -> str:
    """Return ``HH:MM`` or ``HH:MM+n`` (a later day's clock) in words.

    The clock is as :func:`planner.planning.transport.day_clock` writes it:
    ``HH:MM+1`` reads "HH:MM next day", ``+2`` on count the day ("day 3").
    """
    time, _, day = clock.partition("+")
    if not day:
        return time
    if day == "1":
        return tr("transport_next_day", lang, time=time)
    return tr("transport_day_n", lang, time=time, n=int(day) + 1)
