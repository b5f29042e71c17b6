"""Command page: the day's live progress from a running planner serve, and re-plans."""

import streamlit as st

from planner.app import common as c
from planner.app.ops_view import error_text, status_deck, status_table, versions_table
from planner.ops.client import (
    DEFAULT_URL,
    OpsClientError,
    OpsUrlError,
    allowed_url,
    call,
)

c.page_start()
st.title(c.t("command_title"))
st.caption(c.t("command_intro"))
left, right = st.columns(2)
url = left.text_input(c.t("command_url"), DEFAULT_URL, key="ops_url")
code = right.text_input(c.t("command_code"), type="password", key="ops_code")
if not url.strip() or not code.strip():
    st.info(c.t("command_need"))
    st.stop()
try:
    allowed_url(url)  # nothing is sent, and nothing re-polled, to another address
except OpsUrlError as exc:
    st.error(error_text(exc, c.lang()))
    st.stop()


@st.fragment(run_every=30)
def live() -> None:
    """Read the status again every 30 seconds and redraw."""
    lang = c.lang()
    try:
        status = call(url, f"/api/v1/status?lang={lang}", code)
        versions = call(url, f"/api/v1/versions?lang={lang}", code)
    except OpsClientError as exc:
        st.error(error_text(exc, c.lang()))
        return
    street = status["street"]
    fc = street.get("forecast") or {}
    a, b, d, e = st.columns(4)
    a.metric(c.t("command_sampled"), f"{street['sampled']} / {street['planned']}")
    b.metric(
        c.t("command_p_finish"),
        "" if not fc else f"{100 * fc['p_finish_in_window']:.0f}%",
    )
    d.metric(
        c.t("command_finish"),
        "" if not fc else f"{fc['finish_p50']} / {fc['finish_p95']}",
    )
    e.metric(c.t("command_reporting"), f"{street['sites_reporting']}")
    if fc.get("stale"):
        st.caption(c.t("command_stale", n=fc["reports"]))
    cov = street.get("coverage")
    if cov:  # registration records uploaded: who was sampled, from the register
        st.caption(
            c.t(
                "closure_command_coverage",
                sampled=cov["sampled"],
                due=cov["due"],
                rate=cov["rate"],
                missing=cov["missing"],
                unresolved=cov["unresolved"],
            )
        )
    st.pydeck_chart(status_deck(status, lang), height=500, key="ops_map")
    st.subheader(c.t("command_sites"))
    table = status_table(status, lang)
    for s, progress in zip(status["sites"], table["progress"], strict=True):
        st.progress(
            min(1.0, float(progress)),
            text=c.t(
                "command_site_line",
                site=s["site_id"],
                name=s["name"],
                sampled=s["sampled"],
                planned=s["planned"],
                queue=s["queue_people"],
                status=c.t(f"status_{s['queue_status']}"),
                finish=s.get("forecast_finish_p50") or "",
            ),
        )
    st.dataframe(table.drop(columns=["progress"]), hide_index=True, key="ops_table")
    st.subheader(c.t("command_versions"))
    st.dataframe(versions_table(versions, lang), hide_index=True, key="ops_versions")


live()
if st.button(c.t("command_replan"), key="ops_replan"):
    try:
        result = call(url, f"/api/v1/replan?lang={c.lang()}", code, body={})
    except OpsClientError as exc:
        st.error(error_text(exc, c.lang()))
    else:
        st.success(
            c.t(
                "command_replanned",
                version=result["version"],
                n=len(result["changes"]),
                effective=result["effective_from"],
            )
        )
        st.subheader(c.t("command_notices"))
        for notice in result["notices"]:
            st.write(notice["text"])
