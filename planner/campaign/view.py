"""Read a campaign folder back into the tables the app shows (no Streamlit here)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import InputError, Issue

DAY_COLUMNS = [
    "day",
    "street",
    "round",
    "people_planned",
    "resampled_households",
    "samplers_needed",
    "samplers_own",
    "samplers_lent",
    "samplers_borrowed",
    "samplers_uncovered",
    "staff_short",
    "tubes",
    "gaps",
]
"""Columns of the day-by-street table, in order."""


@dataclass(frozen=True)
class CampaignView:
    """A written campaign, as tables.

    Attributes
    ----------
    report
        ``campaign.json``.
    days
        :data:`DAY_COLUMNS`, one row per day and street (days from 1, gaps counted).
    stock
        ``stock_by_day.csv``.
    transfers
        ``transfers.csv`` with the lon/lat of both ends (``from_lon`` …).
    positions
        ``street → (lon, lat)``, the district pool under ``district``.
    """

    report: dict[str, Any]
    days: pd.DataFrame
    stock: pd.DataFrame
    transfers: pd.DataFrame
    positions: dict[str, tuple[float, float]]

    def stock_curve(self, item: str) -> pd.DataFrame:
        """Return closing stock of `item` by day (rows, from 1) and street (columns)."""
        s = self.stock[self.stock["item"] == item]
        curve = s.pivot_table(
            index="day", columns="street", values="closing", aggfunc="sum"
        )
        curve.index = curve.index + 1
        return curve

    def items(self) -> list[str]:
        """Return the consumables followed, in name order."""
        return sorted(self.stock["item"].unique().tolist())


def read_campaign(folder: Path) -> CampaignView:
    """Read ``campaign.json``, ``stock_by_day.csv`` and ``transfers.csv`` from `folder`.

    Raises
    ------
    InputError
        When the folder is not a campaign's output (a file is missing or unreadable).
    """
    try:
        report = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
        stock = pd.read_csv(
            folder / "stock_by_day.csv", encoding="utf-8-sig", dtype={"street": str}
        )
        transfers = pd.read_csv(
            folder / "transfers.csv",
            encoding="utf-8-sig",
            dtype={"from": str, "to": str, "resource": str},
        )
    except (OSError, ValueError) as exc:
        raise InputError(
            [
                Issue(
                    "error", "file_unreadable", str(folder), params=(("why", str(exc)),)
                )
            ]
        ) from None
    pos = {
        str(s["street"]): (float(s["lon"]), float(s["lat"])) for s in report["streets"]
    }
    pool = report["district_pool"]
    pos["district"] = (float(pool["lon"]), float(pool["lat"]))
    days = pd.DataFrame(report["per_day"])
    days["gaps"] = days["gaps"].map(len)
    days["day"] = days["day"] + 1
    days = days[DAY_COLUMNS]
    t = transfers.copy()
    t["day"] = t["day"] + 1
    for end in ("from", "to"):
        t[f"{end}_lon"] = t[end].map(lambda s: pos[s][0])
        t[f"{end}_lat"] = t[end].map(lambda s: pos[s][1])
    return CampaignView(report, days, stock, t, pos)
