"""Build the live command page's map and table from ``GET /api/v1/status``."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from planner.app.mapping import fit_view
from planner.text import Lang, tr

STATUS_RGB: dict[str, tuple[int, int, int]] = {
    "green": (46, 160, 67),
    "yellow": (240, 180, 0),
    "red": (214, 39, 40),
    "grey": (150, 150, 150),
}
"""Map colour of each queue status (畅通, 忙碌, 拥堵, no report yet)."""


def status_table(status: dict[str, Any], lang: Lang) -> pd.DataFrame:
    """Return one row per site: progress, queue, status text, forecast."""
    rows = []
    for s in status["sites"]:
        rows.append(
            {
                "site_id": s["site_id"],
                "name": s["name"],
                "planned": s["planned"],
                "planned_by_now": s["planned_by_now"],
                "sampled": s["sampled"],
                "progress": s["sampled"] / s["planned"] if s["planned"] else 0.0,
                "queue_people": s["queue_people"],
                "wait_min": s["wait_min"],
                "queue_status": tr(f"status_{s['queue_status']}", lang),
                "reported_at": s["reported_at"] or "",
                "problem": s["problem"] or "",
                "forecast_finish_p50": s.get("forecast_finish_p50") or "",
                "p_finish_in_window": s.get("p_finish_in_window"),
                "buildings_not_seen": len(s["buildings_not_seen"]),
            }
        )
    return pd.DataFrame(rows)


def status_deck(status: dict[str, Any], lang: Lang) -> pdk.Deck:
    """Return a map of the open sites coloured by queue status, sized by plan."""
    import numpy as np

    sites = status["sites"]
    data = [
        {
            "lon": s["lon"],
            "lat": s["lat"],
            "colour": [*STATUS_RGB.get(s["queue_status"], STATUS_RGB["grey"]), 220],
            "radius": 30.0
            + 60.0 * (s["planned"] / max(1, max(x["planned"] for x in sites))),
            "tip": f"{s['site_id']} {s['name']}: {s['sampled']}/{s['planned']} · "
            + tr(f"status_{s['queue_status']}", lang),
        }
        for s in sites
    ]
    lon = np.array([d["lon"] for d in data] or [116.4])
    lat = np.array([d["lat"] for d in data] or [39.9])
    view = fit_view(lon, lat, height_px=500)
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id="ops-sites",
        get_position=["lon", "lat"],
        get_fill_color="colour",
        get_radius="radius",
        radius_units="meters",
        pickable=True,
        stroked=True,
        get_line_color=[30, 30, 30, 200],
        line_width_min_pixels=1,
    )
    return pdk.Deck(
        layers=[layer],
        initial_view_state=view,
        map_provider=None,
        map_style=None,
        tooltip={"text": "{tip}"},
    )
