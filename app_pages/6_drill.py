"""Drill page: the drill simulator is not available yet, and the page says so."""

import streamlit as st

from app_pages import _common as c
from planner import appstate

c.page_start()
st.title(c.t("drill_title"))
if appstate.module_available("planner.simulate"):
    st.info(c.t("drill_present"))
else:
    st.info(c.t("drill_missing"))
