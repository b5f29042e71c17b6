"""Clock times of the day: minutes after midnight and their ``HH:MM`` text."""

from __future__ import annotations


def hhmm(minutes: int | float) -> str:
    """Return ``HH:MM`` for `minutes` after midnight (whole minutes, rounded down)."""
    m = int(minutes)
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
