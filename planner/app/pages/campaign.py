"""Campaign page: a written campaign's days by street, stock curves and transfers map."""

from pathlib import Path

import pandas as pd
import streamlit as st

from planner.app import common as c
from planner.app.campaign_map import transfers_deck
from planner.campaign.view import read_campaign
from planner.errors import InputError
from planner.text import CAMPAIGN_COLUMN_LABELS, render_issues


def _localised(frame: pd.DataFrame) -> pd.DataFrame:
    if c.lang() != "zh":
        return frame
    return frame.rename(columns=CAMPAIGN_COLUMN_LABELS)


c.page_start()
st.title(c.t("campaign_title"))
st.caption(c.t("campaign_intro"))
folder = st.text_input(c.t("campaign_dir"), key="campaign_dir")
if st.button(c.t("campaign_load"), key="campaign_load", type="primary"):
    try:
        st.session_state["campaign_view"] = read_campaign(Path(folder))
    except InputError as exc:
        for line in render_issues(exc.issues, lang=c.lang()):
            st.error(line)
view = st.session_state.get("campaign_view")
if view is None:
    st.info(c.t("campaign_none"))
    st.stop()
r = view.report
st.subheader(
    c.t(
        "campaign_head",
        name=r["name"],
        streets=len(r["streets"]),
        rounds=r["rounds"],
        days=r["days"],
    )
)
st.markdown(f"**{c.t('campaign_days')}**")
st.dataframe(_localised(view.days), hide_index=True, key="campaign_days_table")
st.markdown(f"**{c.t('campaign_stock')}**")
items = view.items()
item = st.selectbox(c.t("campaign_item"), items, key="campaign_item")
if item:
    st.line_chart(view.stock_curve(item))
st.markdown(f"**{c.t('campaign_transfers')}**")
day = st.number_input(
    c.t("campaign_day"),
    min_value=1,
    max_value=max(1, int(r["days"])),
    value=1,
    key="campaign_map_day",
)
today = view.transfers[view.transfers["day"] == day]
if len(today):
    st.dataframe(
        _localised(today[["day", "resource", "from", "to", "quantity"]]),
        hide_index=True,
        key="campaign_transfers_table",
    )
else:
    st.caption(c.t("campaign_no_transfers"))
st.pydeck_chart(transfers_deck(view, int(day)), height=500, key="campaign_map")
st.caption(c.t("campaign_legend"))
