"""Data page: choose the demo street, a path or uploaded files; report problems first."""

from pathlib import Path

import streamlit as st

from planner.app import common as c
from planner.app import gate
from planner.app import state as appstate
from planner.text import SUMMARY_LABELS

c.page_start()
st.title(c.t("data_title"))
if gate.can("load"):
    sources = {o: c.t(f"source_{o}") for o in ("demo", "path", "upload")}
    if not gate.can("path_loader"):  # no server paths for remote non-admins
        sources.pop("path")
    source = st.radio(
        c.t("source_label"),
        list(sources),
        format_func=sources.__getitem__,
        key="source",
        horizontal=True,
    )
    uploads = None
    if source == "demo" and not c.DEMO_DIR.exists():
        st.warning(c.t("demo_missing", path=c.DEMO_DIR))
    elif source == "path":
        st.text_input(c.t("path_label"), key="scenario_path")
    elif source == "upload":
        uploads = st.file_uploader(
            c.t("upload_label"),
            type=list(appstate.UPLOAD_TYPES),
            accept_multiple_files=True,
            key="upload",
        )
    if st.button(c.t("load_button"), key="load", type="primary"):
        with st.spinner(c.t("load_button")):
            c.load_into_session(
                source, str(st.session_state.get("scenario_path", "")), uploads
            )
        if st.session_state.get("loaded") is not None:
            st.rerun()  # the sidebar, drawn first, then names the street just loaded
else:
    st.info(c.t("auth_board_note"))

# the validation report comes before anything else
st.subheader(c.t("report_title"))
if "load_error" in st.session_state:
    st.error(st.session_state["load_error"])
issues = st.session_state.get("load_issues")
loaded = st.session_state.get("loaded")
if issues:
    n_err = sum(1 for i in issues if i.severity == "error")
    n_warn = sum(1 for i in issues if i.severity == "warning")
    st.error(c.t("report_errors", errors=n_err, warnings=n_warn))
    c.show_table(appstate.issue_frame(issues, c.lang()), key="issues_table")
elif loaded is not None and loaded.warnings:
    st.warning(c.t("report_warnings", warnings=len(loaded.warnings)))
    c.show_table(appstate.issue_frame(loaded.warnings, c.lang()), key="issues_table")
elif loaded is not None:
    st.success(c.t("report_ok"))
if loaded is not None and not issues and loaded.notes:
    with st.expander(c.t("notes_title", n=len(loaded.notes))):
        c.show_table(appstate.issue_frame(loaded.notes, c.lang()), key="notes_table")
checked = st.session_state.get("checked_path")
if checked is not None and (issues or (loaded is not None and loaded.warnings)):
    # what a community can fix and send back: its own workbook, problems marked.
    # It is the full register (ID numbers, phones): a reason first, and the audit log
    # records the download, as for every unmasked export
    marked_reason = st.text_input(
        c.t("sec_register_reason"), key="marked_reason"
    ).strip()
    short = len(marked_reason) < gate.MIN_REASON
    if short:
        st.caption(c.t("auth_reason_needed", n=gate.MIN_REASON))
    st.download_button(
        c.t("marked_download"),
        data=gate.audited(
            "marked_register.xlsx",
            False,
            c.marked_cached(checked[0], checked[1], c.lang()),
            reason=marked_reason,
        ),
        file_name=f"{Path(checked[0]).stem}_问题标注.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=c.t("marked_help"),
        key="marked_download",
        disabled=short or not gate.can("unmasked"),
        on_click="ignore",
    )
st.download_button(
    c.t("template_download"),
    data=c.template_cached(c.lang()),
    file_name="登记模板.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_download",
)

if loaded is not None and not issues:
    s = loaded.scenario
    st.subheader(c.t("summary_title", name=s.name))
    st.caption(c.t("loaded_from", source=st.session_state.get("source_label", "")))
    st.caption(c.t("crs_note", crs=s.coordinate_system))
    summary = s.summary()
    cols = st.columns(6)
    for col, key in zip(
        cols,
        ["residents", "households", "buildings", "grids", "sites", "staff"],
        strict=True,
    ):
        col.metric(
            SUMMARY_LABELS[key][0 if c.lang() == "zh" else 1],
            f"{summary[key]:,}",
        )
    st.dataframe(
        appstate.summary_frame(summary, c.lang()), hide_index=True, key="summary_table"
    )
    c.next_step_link("loaded")
