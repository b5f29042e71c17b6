"""The access and equity report as text: from ``plan.json``'s ``access`` and ``equity``.

One reading for every edge — the CLI summary, the app page and the plan document —
of what :mod:`planner.planning.access` wrote (``AccessReport.to_dict`` and
``EquityTradeoff.to_dict``), so a plan read back from its folder shows the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.text import Lang, tr

GROUP_AGE = {
    "older": "older_age",
    "oldest": "oldest_age",
    "young_children": "child_age",
}
"""Which age of the report a group's words name."""


def group_label(group: str, access: dict[str, Any], lang: Lang) -> str:
    """Return the words for group `group` in `lang` (ages from the report)."""
    key = GROUP_AGE.get(group)
    return tr(f"access_group_{group}", lang, age=access.get(key, 0) if key else 0)


def objective_label(objective: str, access: dict[str, Any], lang: Lang) -> str:
    """Return the words for the access objective `objective` in `lang`."""
    return tr(
        f"access_objective_{objective}",
        lang,
        age=access.get("oldest_age", 0),
        minutes=access.get("oldest_walk_limit_min", 0),
    )


def table_columns(access: dict[str, Any], lang: Lang) -> list[str]:
    """Return the column heads of :func:`table_rows` in `lang`."""
    return [
        tr("access_col_group", lang),
        tr("access_col_people", lang),
        tr("access_col_mean", lang),
        tr("access_col_p90", lang),
        tr("access_col_p99", lang),
        *(tr("access_col_beyond", lang, minutes=t) for t in access["thresholds_min"]),
        tr("access_col_ede", lang),
        tr("access_col_unserved", lang),
    ]


def _minutes(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def table_rows(
    access: dict[str, Any], lang: Lang, part: str = "groups"
) -> list[list[str]]:
    """Return the rows of `part` (``groups``, ``communities``, ``grids``) as text.

    Minutes to 0.1; the groups are named in `lang`, communities and grids by id.
    """
    named = part == "groups"
    return [
        [
            group_label(r["group"], access, lang) if named else str(r["group"]),
            f"{r['people']:,}",
            _minutes(r["mean_min"]),
            _minutes(r["p90_min"]),
            _minutes(r["p99_min"]),
            *(f"{n:,}" for n in r["beyond"]),
            _minutes(r["ede_min"]),
            f"{r['unserved']:,}",
        ]
        for r in access[part]
    ]


def ede_note(access: dict[str, Any], lang: Lang) -> str:
    """Return the line stating the EDE's aversion parameter and κ."""
    return tr(
        "access_ede_note",
        lang,
        aversion=access["aversion"],
        kappa_walk=access["kappa_walk_per_min"],
        kappa_wait=access["kappa_wait_per_min"],
    )


def gap_lines(
    access: dict[str, Any], lang: Lang, *, limit: int | None = None
) -> list[str]:
    """Return the gaps' summary line, then one line per building (at most `limit`)."""
    gaps = access["gaps"]
    if not gaps:
        return [tr("access_gaps_none", lang)]
    fixable = sum(bool(g["fix_site_id"]) for g in gaps)
    closed = sum(bool(g["fix_site_id"]) and not g["fix_site_open"] for g in gaps)
    out = [tr("access_gaps", lang, n=len(gaps), fixable=fixable, closed=closed)]
    for g in gaps[:limit]:
        if not g["fix_site_id"]:
            fix = tr("access_gap_fix_none", lang)
        else:
            fix = tr(
                "access_gap_fix_open"
                if g["fix_site_open"]
                else "access_gap_fix_closed",
                lang,
                site=g["fix_site_id"],
                minutes=g["fix_walk_min"],
            )
        walk = (
            tr("access_gap_no_site", lang)
            if g["walk_min"] is None
            else f"{g['walk_min']:.1f}"
        )
        out.append(
            tr(
                "access_gap_line",
                lang,
                building=g["building_id"],
                group=group_label(g["group"], access, lang),
                people=g["people"],
                walk=walk,
                limit=g["limit_min"],
                fix=fix,
            )
        )
    return out


def equity_lines(
    equity: dict[str, Any] | None, access: dict[str, Any], lang: Lang
) -> list[str]:
    """Return the equity option's trade-off and the bound's meaning (none under ``walk``)."""
    if not equity:
        return []

    def nan(v: float | None) -> float:
        return float("nan") if v is None else v

    e = equity
    objective = objective_label(e["objective"], access, lang)
    return [
        tr(
            "access_equity",
            lang,
            objective=objective,
            age=access.get("oldest_age", 0),
            p90_oldest_a=nan(e["p90_oldest_min"][0]),
            p90_oldest_b=nan(e["p90_oldest_min"][1]),
            worst_a=nan(e["worst_decile_min"][0]),
            worst_b=nan(e["worst_decile_min"][1]),
            mean_a=nan(e["mean_walk_min"][0]),
            mean_b=nan(e["mean_walk_min"][1]),
            ede_a=nan(e["ede_min"][0]),
            ede_b=nan(e["ede_min"][1]),
            kappa=e["kappa_per_min"],
            sites_a=e["sites"][0],
            sites_b=e["sites"][1],
            desks_a=e["desks"][0],
            desks_b=e["desks"][1],
        ),
        tr("access_bound_note", lang, objective=objective),
    ]


def building_walk_min(assignments: pd.DataFrame, speed_m_per_min: float) -> pd.Series:
    """Return each building's people-weighted mean walk, minutes, from a plan's table.

    Walk-up households only (``mode`` ``walk_up``, ``walk_m`` at least 0), indexed by
    ``building_id``: the shading of the access map.
    """
    a = assignments[(assignments["mode"] == "walk_up") & (assignments["walk_m"] >= 0)]
    people = a["people"].astype(np.float64)
    walked = (people * a["walk_m"].astype(np.float64)).groupby(a["building_id"]).sum()
    total = people.groupby(a["building_id"]).sum()
    out: pd.Series = walked / total.where(total > 0) / speed_m_per_min
    return out


BANDS_MIN = (5.0, 10.0, 15.0)
"""Upper edges of the map's colour bands, minutes (green, yellow, orange; red beyond)."""

BAND_RGB = ((46, 160, 67), (240, 200, 40), (245, 130, 30), (215, 40, 40))
"""Colour of each band, RGB."""


def band_of(minutes: np.ndarray) -> np.ndarray:
    """Return each walk's colour band index (0 ≤5, 1 ≤10, 2 ≤15, 3 beyond)."""
    return np.searchsorted(np.asarray(BANDS_MIN), np.asarray(minutes), side="left")
