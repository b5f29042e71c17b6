"""Trade-off page: walking, desks and samplers for each number of sites."""

from typing import cast

import pandas as pd
import streamlit as st

from planner.app import common as c
from planner.app import state as appstate
from planner.app import steer
from planner.round.tradeoff import COLUMNS, trade_off
from planner.text import TRADEOFF_COLUMNS, status_label

c.page_start()
st.title(c.t("tradeoff_title"))
loaded = c.require_scenario()
if loaded is None:
    st.stop()
n_sites = len(loaded.scenario.sites)
low = max(1, int(loaded.scenario.sites.fixed.sum()))
st.session_state.setdefault(
    "tradeoff_range", (max(low, n_sites // 2), max(low, n_sites - n_sites // 4))
)
chosen = st.slider(
    c.t("tradeoff_range"), min_value=low, max_value=n_sites, key="tradeoff_range"
)
lo, hi = cast(tuple[int, int], chosen)
policy = c.chosen_policy(loaded)
key = (str(st.session_state.get("source_sig", "")), appstate.policy_key(policy), lo, hi)
if st.button(c.t("tradeoff_run"), key="tradeoff_run", type="primary"):
    with st.spinner(c.t("tradeoff_running")):
        points = trade_off(loaded.scenario, policy, range(lo, hi + 1))
    st.session_state["tradeoff"] = (
        key,
        pd.DataFrame([p.row() for p in points], columns=list(COLUMNS)),
    )
stored = st.session_state.get("tradeoff")
if stored is None or stored[0] != key:
    st.info(c.t("tradeoff_none"))
    st.stop()
table: pd.DataFrame = stored[1]
li = 0 if c.lang() == "zh" else 1
named = (
    table.assign(
        status=[status_label(s, c.lang()) for s in table["status"]],
        # not simulated: a dash, as in the CLI's table, not "None"
        p_finish_in_window=[
            "—" if pd.isna(v) else f"{float(v):.2f}"
            for v in table["p_finish_in_window"]
        ],
    )
    .set_index("sites")
    .rename(columns={k: v[li] for k, v in TRADEOFF_COLUMNS.items()})
    .rename_axis(TRADEOFF_COLUMNS["sites"][li])
)
walk = [TRADEOFF_COLUMNS[k][li] for k in ("mean_walk_m", "max_walk_m")]
staff = [TRADEOFF_COLUMNS[k][li] for k in ("desks", "samplers")]
left, right = st.columns(2)
left.subheader(c.t("tradeoff_walk"))
left.line_chart(named[walk])
right.subheader(c.t("tradeoff_staff"))
right.line_chart(named[staff])
st.dataframe(named, key="tradeoff_table")
st.download_button(
    c.t("tradeoff_download"),
    appstate.csv_bytes(table),
    file_name="tradeoff.csv",
    mime="text/csv",
    key="tradeoff_download",
    on_click="ignore",
)

# one click: the plan takes exactly N sites from now on (an edit, re-solved warm)
c.show_edit_change()
rows = [
    int(n)
    for n, st_ in zip(table["sites"], table["status"], strict=True)
    if st_ != "infeasible"
]
if st.session_state.get("edit_history") is None:
    st.info(c.t("edits_app_need_plan"))
elif rows:
    a1, a2 = st.columns([1, 3])
    a1.selectbox(c.t("edits_app_adopt_n"), rows, key="tradeoff_adopt_n")
    if a2.button(c.t("edits_app_adopt"), key="tradeoff_adopt", type="primary"):
        n = int(st.session_state["tradeoff_adopt_n"])
        c.edit_and_rerun(loaded, steer.site_count(c.current_edits(), n, "exactly"))
