"""The 时段 page's heat map: each site's slots as 空闲 / 正常 / 满 / 超负荷 / 无采样台.

A plan fills its slots up to their capacity on purpose, so a load of 100 % is the
plan working, not an alarm: the scale is calm (blues) up to full and only a slot
booked beyond its capacity is red. A slot without capacity (no desk staffed, e.g.
a site that closes for lunch) is grey and says so; it never reads as a division by
zero ("Infinity").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.text import Lang, tr

LOAD_BANDS: tuple[str, ...] = ("closed", "light", "normal", "full", "over")
"""The bands of a slot's load, calm to alarming; ``closed``: no capacity."""

BAND_COLOURS: dict[str, str] = {
    "closed": "#d9d9d9",
    "light": "#deebf7",
    "normal": "#9ecae1",
    "full": "#3182bd",
    "over": "#d62728",
}
"""Greys and blues up to full, red only beyond capacity."""

LIGHT_BELOW = 0.5
"""A slot booked to less than this share of its capacity is 空闲 (light)."""

FULL_FROM = 0.9
"""From this share of its capacity on, a slot is 满 (full as planned)."""

OVER_ABOVE = 1.005
"""Beyond this share a slot is over capacity (the rounding of work units aside)."""


def load_bands(work: Any, capacity: Any) -> list[str]:
    """Return each slot's band of :data:`LOAD_BANDS` from its work and capacity.

    Parameters
    ----------
    work, capacity
        Work booked and capacity per slot, in the same units (pooled-person
        equivalents); equal lengths.
    """
    w = np.asarray(work, dtype=np.float64)
    cap = np.asarray(capacity, dtype=np.float64)
    share = np.divide(w, cap, out=np.zeros_like(w), where=cap > 0)
    return [
        "closed"
        if c <= 0
        else "over"
        if s > OVER_ABOVE
        else "full"
        if s >= FULL_FROM
        else "normal"
        if s >= LIGHT_BELOW
        else "light"
        for c, s in zip(cap.tolist(), share.tolist(), strict=True)
    ]


def load_text(work: float, capacity: float, lang: Lang) -> str:
    """Return a slot's load as a person reads it: ``97%``, or 无采样台 at no capacity."""
    if capacity <= 0:
        return tr("map_load_closed", lang)
    return f"{work / capacity:.0%}"


def site_slots_for_people(one: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return one site's slots as a person reads them: times, people, desks, load.

    The work units and capacities (pooled-person equivalents with decimals) stay in
    the CSV; the load reads ``98%（满）``, or 无采样台 for a slot without capacity.
    """
    bands = load_bands(one["work_units"], one["capacity_units"])
    out = one[["site_id", "slot_start", "slot_end", "people", "desks"]].copy()
    out[tr("map_load_title", lang)] = [
        load_text(float(w), float(c), lang)
        if b == "closed"
        else f"{load_text(float(w), float(c), lang)}（{tr(f'map_band_{b}', lang)}）"
        if lang == "zh"
        else f"{load_text(float(w), float(c), lang)} ({tr(f'map_band_{b}', lang)})"
        for w, c, b in zip(one["work_units"], one["capacity_units"], bands, strict=True)
    ]
    return out.reset_index(drop=True)


def heatmap_frame(slots: pd.DataFrame, sites: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return one row per site and slot: the site's name, the band, the load text."""
    names = dict(
        zip(sites["site_id"].astype(str), sites["name"].astype(str), strict=True)
    )
    out = pd.DataFrame(
        {
            "site_id": slots["site_id"].astype(str),
            "site": [
                f"{names.get(s, s)}（{s}）"
                if lang == "zh"
                else f"{names.get(s, s)} ({s})"
                for s in slots["site_id"].astype(str)
            ],
            "slot_start": slots["slot_start"].astype(str),
            "people": slots["people"].astype(int),
        }
    )
    bands = load_bands(slots["work_units"], slots["capacity_units"])
    out["band"] = [tr(f"map_load_{b}", lang) for b in bands]
    out["load"] = [
        load_text(float(w), float(c), lang)
        for w, c in zip(slots["work_units"], slots["capacity_units"], strict=True)
    ]
    return out


def load_heatmap(slots: pd.DataFrame, sites: pd.DataFrame, lang: Lang) -> Any:
    """Return the site × slot heat map (Altair), coloured by :data:`LOAD_BANDS`."""
    import altair as alt

    data = heatmap_frame(slots, sites, lang)
    order = sorted(set(data["site_id"]))
    by_id = dict(zip(data["site_id"], data["site"], strict=False))
    labels = [tr(f"map_load_{b}", lang) for b in LOAD_BANDS]
    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("slot_start:O", title=tr("heat_x", lang)),
            y=alt.Y(
                "site:N",
                title=tr("schedule_site", lang),
                sort=[by_id[s] for s in order],
                axis=alt.Axis(labelOverlap=False, labelLimit=260),
            ),
            color=alt.Color(
                "band:N",
                title=tr("map_load_title", lang),
                scale=alt.Scale(
                    domain=labels, range=[BAND_COLOURS[b] for b in LOAD_BANDS]
                ),
                legend=alt.Legend(orient="right", labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip("site:N", title=tr("schedule_site", lang)),
                alt.Tooltip("slot_start:O", title=tr("heat_x", lang)),
                alt.Tooltip("people:Q", title=tr("map_load_people", lang), format=","),
                alt.Tooltip("load:N", title=tr("map_load_title", lang)),
            ],
        )
        .properties(height=alt.Step(16))
    )
    return chart
