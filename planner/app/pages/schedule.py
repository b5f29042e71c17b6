"""Schedule page: every site's slots against capacity, and the door-to-door teams."""

import streamlit as st

from planner.app import common as c
from planner.app import gate, slot_load
from planner.app import state as appstate

c.page_start()
st.title(c.t("schedule_title"))
ready = c.require_plan()
if ready is None:
    st.stop()
loaded, plan = ready
tables = c.current_tables(loaded, plan)
slots = tables["slots"]

st.subheader(c.t("heatmap_title"))
if len(slots):
    st.altair_chart(
        slot_load.load_heatmap(slots, tables["sites"], c.lang()), width="stretch"
    )
    st.caption(c.t("map_load_note"))
st.download_button(
    c.t("download_slots"),
    gate.audited("slots.csv", True, appstate.csv_bytes(slots)),
    file_name="slots.csv",
    mime="text/csv",
    key="download_slots",
    on_click="ignore",
)

st.subheader(c.t("site_timeline"))
opened = appstate.open_sites(tables["sites"])
labels = {
    str(r["site_id"]): appstate.site_label(r, c.lang())
    for r in opened.to_dict("records")
}
if labels:
    if st.session_state.get("schedule_site") not in labels:
        st.session_state["schedule_site"] = next(iter(labels))
    site_id = st.selectbox(
        c.t("schedule_site"),
        list(labels),
        format_func=labels.__getitem__,
        key="schedule_site",
    )
    one = appstate.site_slots(slots, site_id)
    st.altair_chart(appstate.site_slot_chart(one, c.lang()), width="stretch")
    st.caption(c.t("chart_note"))
    c.show_table(
        slot_load.site_slots_for_people(one, c.lang()), key="schedule_site_slots"
    )

st.subheader(c.t("teams_title"))
visits = tables["home_visits"]
if visits.empty:
    st.info(c.t("no_teams"))
else:
    c.show_table(appstate.team_summary(visits), key="teams_table")
    with st.expander(c.t("team_stops")):
        c.show_table(visits, key="team_stops_table")
