"""Map page: the whole plan on a map; choose a site to see its slot table."""

import streamlit as st

from planner.app import access_section, gate, mapping, slot_load, steer
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
c.suggest_basemap(loaded.scenario, basemap)
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
st.caption(c.t("map_hint_click") + (f"  {basemap.attribution}" if basemap else ""))
if site_id:
    st.subheader(c.t("site_slots_title", site=labels[site_id]))
    one = appstate.site_slots(tables["slots"], site_id)
    c.show_table(slot_load.site_slots_for_people(one, c.lang()), key="map_site_slots")
access_section.show(loaded, plan)

# the office's edits: a site opened, closed or locked, its desks; a building, compound
# or grid sent to it. Each re-solves warm from this plan and shows what moved.
st.subheader(c.t("edits_app_title"))
c.show_edit_change()
sc = loaded.scenario
all_sites = [str(x) for x in sc.sites.id.tolist()]
if site_id and site_id != st.session_state.get("edit_site_seen"):
    st.session_state["edit_site"] = site_id  # the map's choice is the one to edit
st.session_state["edit_site_seen"] = site_id
if st.session_state.get("edit_site") not in all_sites:
    st.session_state["edit_site"] = all_sites[0]
names = {sid: f"{sid} {sc.sites.name[j]}" for j, sid in enumerate(all_sites)}
e1, e2 = st.columns([2, 3])
target_site = e1.selectbox(
    c.t("edits_app_site"), all_sites, format_func=names.__getitem__, key="edit_site"
)
j = all_sites.index(target_site)
e2.caption(
    c.t(
        "edits_app_site_state",
        state=c.t(
            "edits_app_state_open" if plan.site_open[j] else "edits_app_state_closed"
        ),
        desks=int(plan.site_desks[j]),
        people=int(plan.site_people[j]),
    )
)
reason = st.text_input(c.t("edits_app_reason"), key="edit_reason")
edits = c.current_edits()
b1, b2, b3 = st.columns(3)
if b1.button(c.t("edits_app_close"), key="edit_close"):
    c.edit_and_rerun(loaded, steer.close_site(edits, target_site, reason))
if b2.button(c.t("edits_app_open"), key="edit_open"):
    c.edit_and_rerun(loaded, steer.open_site(edits, target_site, reason))
if b3.button(c.t("edits_app_free"), key="edit_free"):
    c.edit_and_rerun(loaded, steer.free_site(edits, target_site))
k1, k2 = st.columns([2, 3])
k1.number_input(
    c.t("edits_app_desks"),
    min_value=1,
    max_value=max(1, int(sc.sites.max_desks[j])),
    value=max(1, min(int(plan.site_desks[j]), int(sc.sites.max_desks[j]))),
    key=f"edit_desks_{target_site}",
)
if k2.button(c.t("edits_app_set_desks"), key="edit_set_desks"):
    desks = int(st.session_state[f"edit_desks_{target_site}"])
    c.edit_and_rerun(loaded, steer.set_desks(edits, target_site, desks))
kinds = {k: c.t(f"edits_app_kind_{k}") for k in ("building", "compound", "grid")}
p1, p2, p3 = st.columns([1, 3, 2])
kind = p1.radio(
    c.t("edits_app_pin_kind"),
    list(kinds),
    format_func=kinds.__getitem__,
    key="edit_pin_kind",
)
targets = appstate.pin_targets(sc, str(kind))
p2.selectbox(c.t("edits_app_pin_target"), targets, key=f"edit_pin_target_{kind}")
if p3.button(c.t("edits_app_pin"), key="edit_pin"):
    chosen = str(st.session_state[f"edit_pin_target_{kind}"])
    c.edit_and_rerun(loaded, steer.pin(edits, str(kind), chosen, target_site))
