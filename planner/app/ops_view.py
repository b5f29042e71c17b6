"""Build the live command page's map and table from ``GET /api/v1/status``."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from planner.app.mapping import fit_view
from planner.text import Lang, lang_index, tr

STATUS_RGB: dict[str, tuple[int, int, int]] = {
    "green": (46, 160, 67),
    "yellow": (240, 180, 0),
    "red": (214, 39, 40),
    "grey": (150, 150, 150),
}
"""Map colour of each queue status (畅通, 忙碌, 拥堵, no report yet)."""


def error_text(exc: Exception, lang: Lang) -> str:
    """Return what the command page shows for a failed call (no library message)."""
    from planner.ops.client import OpsUrlError

    if isinstance(exc, OpsUrlError):
        return tr("sec_ops_url_bad", lang, allowed=str(exc))
    why = str(exc)
    if why == "unreachable":
        why = tr("sec_ops_unreachable", lang)
    elif why == "bad_answer":
        why = tr("sec_ops_bad_answer", lang)
    return tr("command_error", lang, why=why)


def status_table(status: dict[str, Any], lang: Lang) -> pd.DataFrame:
    """Return one row per site, headed and worded in `lang`; ``progress`` is 0–1."""
    from planner.text import OPS_PAGE

    def problem(code: str | None) -> str:
        if not code:
            return ""
        return OPS_PAGE[code][lang_index(lang)] if code in OPS_PAGE else code

    rows = []
    for s in status["sites"]:
        p_fin = s.get("p_finish_in_window")
        rows.append(
            {
                "site_id": s["site_id"],
                "name": s["name"],
                "planned": s["planned"],
                "planned_by_now": s["planned_by_now"],
                "sampled": s["sampled"],
                "queue_people": s["queue_people"],
                "wait_min": s["wait_min"],
                "queue_status": tr(f"status_{s['queue_status']}", lang),
                "reported_at": s["reported_at"] or "",
                "problem": problem(s["problem"]),
                "forecast_finish_p50": s.get("forecast_finish_p50") or "",
                "p_finish_in_window": "" if p_fin is None else f"{100 * p_fin:.0f}%",
                "buildings_not_seen": len(s["buildings_not_seen"]),
            }
        )
    frame = pd.DataFrame(rows)
    frame = frame.rename(columns={c: tr(f"ops_col_{c}", lang) for c in frame.columns})
    planned = pd.Series([s["planned"] for s in status["sites"]], dtype=float)
    sampled = pd.Series([s["sampled"] for s in status["sites"]], dtype=float)
    frame["progress"] = (sampled / planned.where(planned > 0)).fillna(0.0)
    return frame


def versions_table(versions: list[dict[str, Any]], lang: Lang) -> pd.DataFrame:
    """Return the plan versions, headed and worded in `lang`."""
    rows = [
        {
            "version": f"v{v['id']}",
            "created_at": str(v["created_at"]).replace("T", " ")[:16],
            "author": v["author"],
            "kind": tr(f"ops_kind_{v['kind']}", lang),
            "parent": "" if v["parent_id"] is None else f"v{v['parent_id']}",
            "note": v["note"],
        }
        for v in versions
    ]
    frame = pd.DataFrame(
        rows, columns=["version", "created_at", "author", "kind", "parent", "note"]
    )
    return frame.rename(columns={c: tr(f"ops_col_{c}", lang) for c in frame.columns})


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
