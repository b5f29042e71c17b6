"""The map page's walking-time shading (planner/app/mapping.access_deck)."""

from pathlib import Path

import numpy as np

from planner.app.mapping import NO_SITE_COLOUR, access_deck, layer_counts
from planner.export.access import BAND_RGB
from planner.io.load import load_scenario
from planner.planning.plan import SolveParams, make_plan

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"


def test_buildings_take_their_band_and_open_sites_are_drawn() -> None:
    loaded = load_scenario(TINY)
    s = loaded.scenario
    plan = make_plan(s, loaded.policy, SolveParams(time_limit_s=5, num_workers=1))
    walk = np.array([1.0, 7.0, 12.0, np.nan])  # one building per band, one nobody walks
    deck = access_deck(s, plan, walk, lang="en")
    counts = layer_counts(deck)
    assert counts["buildings"] == len(s.buildings)
    assert counts["sites"] == int(plan.site_open.sum())
    layer = next(x for x in deck.layers if x.id == "buildings")
    colours = [tuple(row["colour"][:3]) for row in layer.data]
    assert colours == [BAND_RGB[0], BAND_RGB[1], BAND_RGB[2], NO_SITE_COLOUR]
    assert layer.data[1]["tip"] == f"{s.buildings.id[1]} · 7.0 min"
