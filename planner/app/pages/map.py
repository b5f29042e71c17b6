"""Map page: the whole plan on a map; choose a site to see its slot table."""

import streamlit as st

from planner.app import access_section, gate, mapping
from planner.app import common as c
from planner.app import state as appstate

# the map takes the page width; its initial view is fitted to about this size, pixels
MAP_HEIGHT_PX = 720
MAP_WIDTH_PX = 1100

c.page_start()
st.title(c.t("page_map_title"))
ready = c.require_plan()
if ready is None:
    st.stop()
loaded, plan = ready
tables = c.current_tables(loaded, plan)
opened = appstate.open_sites(tables["sites"])
labels = {"": c.t("site_all")} | {
    str(r["site_id"]): appstate.site_label(r, c.lang())
    for r in opened.to_dict("records")
}
# a click on an open site on the map chooses it (before the select box is drawn)
clicked = c.clicked_site(st.session_state.get("map_chart"))
if clicked in labels and clicked != st.session_state.get("map_click_seen"):
    st.session_state["map_site"] = clicked
st.session_state["map_click_seen"] = clicked
if st.session_state.get("map_site") not in labels:
    st.session_state["map_site"] = ""

left, right = st.columns([2, 1])
site_id = left.selectbox(
    c.t("site_select"), list(labels), format_func=labels.__getitem__, key="map_site"
)
with right.expander(c.t("basemap_label")):
    options: tuple[str, ...] = ("none", "mbtiles", "custom", "osm", "amap")
    if not gate.can("path_loader"):  # an MBTiles path is a server path: admin only
        options = tuple(o for o in options if o != "mbtiles")
    basemaps = {o: c.t(f"basemap_{o}") for o in options}
    choice = st.selectbox(
        c.t("basemap_label"),
        list(basemaps),
        format_func=basemaps.__getitem__,
        key="basemap",
    )
    if choice == "mbtiles":
        st.text_input(c.t("basemap_mbtiles_path"), key="basemap_mbtiles")
    elif choice == "custom":
        st.text_input(
            c.t("basemap_url"), key="basemap_url", help=c.t("basemap_custom_help")
        )
    if choice in ("mbtiles", "custom"):
        st.radio(
            c.t("basemap_crs"),
            ["wgs84", "gcj02"],
            format_func=lambda code: c.t(f"crs_{code}"),
            key="basemap_crs",
            horizontal=True,
        )
basemap = c.chosen_basemap()
highlight = int(list(loaded.scenario.sites.id).index(site_id)) if site_id else None
deck = mapping.plan_deck(
    loaded.scenario,
    plan,
    basemap=basemap,
    highlight_site=highlight,
    lang=c.lang(),
    height_px=MAP_HEIGHT_PX,
    width_px=MAP_WIDTH_PX,
)
st.pydeck_chart(
    deck,
    height=MAP_HEIGHT_PX,
    width="stretch",
    key="map_chart",
    on_select="rerun",
    selection_mode="single-object",
)
st.html(
    mapping.legend_html(
        mapping.legend_entries(loaded.scenario, plan, c.lang()), c.t("legend_title")
    )
)
st.caption(c.t("map_hint") + (f"  {basemap.attribution}" if basemap else ""))
if site_id:
    st.subheader(c.t("site_slots_title", site=labels[site_id]))
    c.show_table(appstate.site_slots(tables["slots"], site_id), key="map_site_slots")
access_section.show(loaded, plan)
