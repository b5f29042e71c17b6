"""Draw a campaign's transfers on an offline district map (pydeck, no basemap)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydeck as pdk

from planner.app.mapping import fit_view
from planner.campaign.view import CampaignView

SAMPLER_RGB = [220, 80, 60]
SUPPLY_RGB = [40, 110, 200]


def transfers_deck(view: CampaignView, day: int) -> pdk.Deck:
    """Return a map of the streets and the transfers of campaign day `day` (from 1).

    Streets are dots sized by residents; samplers lent are red arcs, supplies blue
    arcs, each as wide as the quantity's share of the day's largest move.
    """
    streets = pd.DataFrame(
        [
            {
                "street": s["street"],
                "name": s["name"],
                "lon": s["lon"],
                "lat": s["lat"],
                "residents": s["residents"],
                "tip": f"{s['street']} {s['name']}: {s['residents']:,}",
            }
            for s in view.report["streets"]
        ]
    )
    t = view.transfers[view.transfers["day"] == day].copy()
    t["colour"] = [
        SAMPLER_RGB if r == "samplers" else SUPPLY_RGB for r in t["resource"]
    ]
    top = float(t["quantity"].max()) if len(t) else 1.0
    t["width"] = 2 + 8 * t["quantity"] / max(top, 1.0)
    t["tip"] = [
        f"{a} → {b}: {r} {q:,}"
        for a, b, r, q in zip(
            t["from"], t["to"], t["resource"], t["quantity"], strict=True
        )
    ]
    radius = 150 + 600 * np.sqrt(
        streets["residents"] / max(1, streets["residents"].max())
    )
    streets["radius"] = radius
    layers = [
        pdk.Layer(
            "ScatterplotLayer",
            data=streets,
            id="streets",
            get_position=["lon", "lat"],
            get_radius="radius",
            get_fill_color=[90, 90, 90, 160],
            pickable=True,
        ),
        pdk.Layer(
            "ArcLayer",
            data=t,
            id="transfers",
            get_source_position=["from_lon", "from_lat"],
            get_target_position=["to_lon", "to_lat"],
            get_source_color="colour",
            get_target_color="colour",
            get_width="width",
            pickable=True,
        ),
    ]
    return pdk.Deck(
        layers=layers,
        initial_view_state=fit_view(
            streets["lon"].to_numpy(), streets["lat"].to_numpy()
        ),
        map_provider=None,
        tooltip={"text": "{tip}"},
    )
