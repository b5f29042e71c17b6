"""How a household is sampled in a plan: the codes of ``Plan.hh_mode``.

The plan stores one small integer per household; every layer that reads or writes
``hh_mode`` names the codes from here, and the plan's tables write them as
:data:`MODE_NAMES` (``assignments.csv``'s ``mode`` column).
"""

from __future__ import annotations

from typing import Final

WALK_UP: Final = 0
"""Walks to a sampling site in a booked slot."""
HOME_VISIT: Final = 1
"""Sampled at home by a door-to-door team (homebound residents, sealed buildings)."""
UNASSIGNED: Final = 2
"""Not placed: no site within reach had room (the plan says why)."""

MODE_NAMES: Final = ("walk_up", "home_visit", "unassigned")
"""The codes' names, by code, as the plan's tables write them."""

MODE_CODES: Final = {name: code for code, name in enumerate(MODE_NAMES)}
"""Each name's code, for reading the tables back."""
