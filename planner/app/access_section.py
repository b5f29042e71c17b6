"""The map page's access section: who walks how far, and buildings shaded by it.

Streamlit glue only; the tables come from :func:`planner.app.state.access_table` and the
map from :func:`planner.app.mapping.access_deck`.
"""

from __future__ import annotations

import streamlit as st

from planner.app import common as c
from planner.app import mapping
from planner.app import state as appstate
from planner.export import access as ax
from planner.io.load import LoadedScenario
from planner.model.result import Plan

MAP_HEIGHT_PX = 560
MAP_WIDTH_PX = 1100


def show(loaded: LoadedScenario, plan: Plan) -> None:
    """Show the round's access report: groups, κ, trade-off, shaded map, gaps."""
    st.header(c.t("access_page_title"))
    st.caption(c.t("access_page_caption"))
    result = c.current_round()
    summary = c.current_round_tables(loaded).summary
    access = summary.get("access")
    if not access or result.access is None:
        st.info(c.t("access_page_no_plan"))
        return
    lang = c.lang()
    st.subheader(c.t("access_head"))
    c.show_table(appstate.access_table(access, lang), key="access_groups")
    st.caption(ax.ede_note(access, lang))
    for line in ax.equity_lines(summary.get("equity"), access, lang):
        st.info(line)
    deck = mapping.access_deck(
        loaded.scenario,
        plan,
        result.access.building_walk_min,
        basemap=c.chosen_basemap(),
        lang=lang,
        height_px=MAP_HEIGHT_PX,
        width_px=MAP_WIDTH_PX,
    )
    st.pydeck_chart(deck, height=MAP_HEIGHT_PX, width="stretch", key="access_map")
    st.caption(c.t("access_legend"))
    gaps = ax.gap_lines(access, lang)
    st.subheader(gaps[0])
    if len(gaps) > 1:
        st.markdown("\n".join(f"- {line}" for line in gaps[1:]))
    with st.expander(c.t("access_col_community")):
        c.show_table(
            appstate.access_table(access, lang, "communities"), key="access_comm"
        )
    with st.expander(c.t("access_col_grid")):
        c.show_table(appstate.access_table(access, lang, "grids"), key="access_grids")
