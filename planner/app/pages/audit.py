"""Audit page (admin only): the office's audit log, newest first, and its CSV export."""

import pandas as pd
import streamlit as st

from planner.app import common as c
from planner.app import gate
from planner.app import state as appstate
from planner.office.audit import COLUMNS

c.page_start()
st.title(c.t("audit_title"))
if not gate.can("audit"):  # the menu hides the page; this guards a direct run
    gate.record("page_denied", kind="audit")
    st.error(c.t("auth_page_denied"))
    st.stop()
log = gate.office().audit
broken = log.verify()
if broken is None:
    st.success(c.t("audit_intact"))
else:
    st.error(c.t("audit_broken", row=broken))
frame = pd.DataFrame(log.rows(), columns=list(COLUMNS))
frame["masked"] = frame["masked"].astype("Int64")  # 1 / 0, empty when not a download
events = sorted(frame["event"].unique()) if len(frame) else []
chosen = st.multiselect(
    c.t("audit_events"),
    events,
    key="audit_events",
    format_func=lambda e: c.t(f"notices_audit_event_{e}"),
    placeholder=c.t("notices_audit_all"),
)
shown = frame[frame["event"].isin(chosen)] if chosen else frame
st.caption(c.t("audit_count", n=len(shown), total=len(frame)))
st.dataframe(
    appstate.audit_view(shown, c.lang(), hidden=appstate.AUDIT_HIDDEN),
    hide_index=True,
    key="audit_table",
)
today = appstate.beijing_today()
st.download_button(
    c.t("notices_audit_download"),
    gate.audited(
        "audit.csv", True, appstate.csv_bytes(appstate.audit_view(frame, c.lang()))
    ),
    file_name=c.t("notices_audit_file", day=today),
    mime="text/csv",
    key="audit_download_readable",
    type="primary",
    on_click="ignore",
)
st.caption(c.t("notices_audit_raw_note"))
st.download_button(  # the log as stored (codes, UTC, chain) for a check by program
    c.t("audit_download"),
    gate.audited("audit.csv", True, appstate.csv_bytes(frame)),
    file_name="audit.csv",
    mime="text/csv",
    key="audit_download",
    on_click="ignore",
)
