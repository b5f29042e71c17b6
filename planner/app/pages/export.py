"""Export page: the office's print set first, then the tables (Excel, and CSV for programs)."""

import functools

import streamlit as st

from planner.app import common as c
from planner.app import gate
from planner.app import state as appstate

c.page_start()
st.title(c.t("export_title"))
ready = c.require_plan()
if ready is None:
    st.stop()
loaded, _ = ready
round_tables = c.current_round_tables(loaded)
street = loaded.scenario.name

# --- the print set: plan, notices by community, site handbooks, support request -------
st.subheader(c.t("exports_title"))
st.caption(c.t("notices_app_exports_note"))
unmasked, reason = False, ""
if gate.can("unmasked"):
    unmasked = st.checkbox(c.t("exports_unmasked"), key="export_unmasked")
    if unmasked:  # PIPL: full ID numbers and phones only with a stated purpose
        reason = st.text_input(c.t("auth_reason"), key="unmasked_reason").strip()
else:
    st.caption(c.t("auth_unmasked_admin_only"))
short = unmasked and len(reason) < gate.MIN_REASON
if short:
    st.caption(c.t("auth_reason_needed", n=gate.MIN_REASON))
if st.button(c.t("exports_make"), key="make_exports", disabled=short, type="primary"):
    st.session_state["exports_reason"] = reason  # logged with the download of these
    c.make_print_exports(loaded, unmasked)
if "export_error" in st.session_state:
    st.error(st.session_state["export_error"])
made = st.session_state.get("exports")
if made is not None and made[0] == st.session_state.get("plan_key"):
    _, _, made_unmasked, data, counts = made
    st.success(c.t("exports_ready", **counts))
    st.download_button(
        c.t("exports_download"),
        gate.audited(
            "exports.zip",
            not made_unmasked,
            data,
            reason=str(st.session_state.get("exports_reason", "")),
        ),
        file_name=appstate.office_file_name(
            "office_zip", round_tables, street, c.lang()
        ),
        mime="application/zip",
        key="download_exports",
        type="primary",
        on_click="ignore",
    )
    # the grids' WeChat long images on their own: what a grid worker sends to the group
    st.caption(c.t("outputs_app_images_note"))
    st.download_button(
        c.t("outputs_app_images"),
        gate.audited(
            "wechat_images.zip",
            True,
            # zipped when clicked, not on every rerun of the page
            functools.partial(
                appstate.zip_part, data, c.t("office_dir_notices") + "/", ".png"
            ),
        ),
        file_name=appstate.office_file_name(
            "outputs_app_images_file", round_tables, street, c.lang()
        ),
        mime="application/zip",
        key="download_wechat_images",
        on_click="ignore",
    )
    c.next_step_link("printed")

# --- the tables: one workbook to read, CSVs with codes for other programs --------------
st.subheader(c.t("notices_app_tables"))
tables = gate.masked_frames(round_tables.frames())  # never full phones
masked_tables = appstate.with_frames(round_tables, tables)
st.download_button(
    c.t("notices_app_tables_book"),
    gate.audited(
        "plan_tables.xlsx",
        True,
        c.tables_book_cached(
            str(st.session_state.get("plan_key")),
            c.lang(),
            masked_tables,
            loaded.scenario,
        ),
    ),
    file_name=appstate.office_file_name(
        "notices_app_tables_file", round_tables, street, c.lang()
    ),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_tables_book",
    on_click="ignore",
)
st.caption(c.t("notices_app_csv_note"))
st.download_button(
    c.t("download_zip"),
    gate.audited("plan.zip", True, appstate.tables_zip(tables, round_tables.summary)),
    file_name=appstate.office_file_name(
        "office_tables_zip", round_tables, street, c.lang()
    ),
    mime="application/zip",
    key="download_zip",
    on_click="ignore",
)
cols = st.columns(3)
for i, (name, frame) in enumerate(tables.items()):
    cols[i % 3].download_button(
        c.t("download_named", label=appstate.table_label(name, c.lang())),
        gate.audited(f"{name}.csv", True, appstate.csv_bytes(frame)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
    )
