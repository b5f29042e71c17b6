"""Drill page: simulate the plan's day with disruptions, and see the re-plan."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from planner.app import common as c
from planner.app import drill_view, gate
from planner.app import state as appstate
from planner.drill import parse_disruptions
from planner.drill.report import run_drill, summary_lines
from planner.errors import InputError, PlannerError
from planner.text import error_text, render_issues

c.page_start()
st.title(c.t("drill_title"))
st.caption(c.t("drill_intro"))
ready = c.require_plan()
if ready is None:
    st.stop()
loaded, plan = ready
policy = plan.policy
s = loaded.scenario
open_ids = [str(x) for x in s.sites.id[plan.site_open]]
start = dt.time(policy.round.start_min // 60, policy.round.start_min % 60)

left, right = st.columns(2)
reps = left.number_input(
    c.t("drill_reps"),
    min_value=10,
    max_value=1000,
    value=200,
    step=10,
    key="drill_reps",
)
seed = right.number_input(c.t("drill_seed"), min_value=0, value=0, key="drill_seed")
st.subheader(c.t("drill_disruptions"))
choices: dict[str, object] = {}
with st.container(border=True):
    choices["close"] = st.checkbox(c.t("drill_close"), key="drill_close")
    if choices["close"]:
        a, b = st.columns(2)
        choices["close_site"] = a.selectbox(
            c.t("drill_close_site"), open_ids, key="drill_close_site"
        )
        choices["close_at"] = b.time_input(
            c.t("drill_at"), dt.time(10, 0), key="drill_close_at"
        )
    choices["no_show"] = st.checkbox(c.t("drill_no_show"), key="drill_no_show")
    if choices["no_show"]:
        choices["no_show_share"] = st.slider(
            c.t("drill_share"), 0.0, 0.5, 0.1, 0.05, key="drill_no_show_share"
        )
    choices["rain"] = st.checkbox(c.t("drill_rain"), key="drill_rain")
    if choices["rain"]:
        a, b, d = st.columns(3)
        choices["rain_from"] = a.time_input(
            c.t("drill_from"), dt.time(9, 30), key="drill_rain_from"
        )
        choices["rain_to"] = b.time_input(
            c.t("drill_to"), dt.time(11, 0), key="drill_rain_to"
        )
        choices["rain_factor"] = d.slider(
            c.t("drill_factor"),
            0.3,
            1.0,
            float(policy.drill.rain_rate_factor),
            0.05,
            key="drill_rain_factor",
        )
    choices["surge"] = st.checkbox(c.t("drill_surge"), key="drill_surge")
    if choices["surge"]:
        a, b, d = st.columns(3)
        choices["surge_from"] = a.time_input(
            c.t("drill_from"), dt.time(9, 0), key="drill_surge_from"
        )
        choices["surge_to"] = b.time_input(
            c.t("drill_to"), dt.time(10, 0), key="drill_surge_to"
        )
        choices["surge_share"] = d.slider(
            c.t("drill_share"),
            0.0,
            1.0,
            float(policy.drill.surge_share),
            0.05,
            key="drill_surge_share",
        )
    choices["seal"] = st.checkbox(c.t("drill_seal"), key="drill_seal")
    if choices["seal"]:
        a, b = st.columns(2)
        choices["seal_building"] = a.selectbox(
            c.t("drill_seal_building"),
            [str(x) for x in s.buildings.id],
            key="drill_seal_building",
        )
        choices["seal_at"] = b.time_input(
            c.t("drill_at"), dt.time(10, 30), key="drill_seal_at"
        )

if st.button(c.t("drill_run"), type="primary", key="drill_run"):
    specs = appstate.drill_specs(choices)
    try:
        disruptions = parse_disruptions(specs, policy.drill)
        with st.spinner(c.t("drill_running")):
            run = run_drill(
                s, plan, policy, disruptions, replications=int(reps), seed=int(seed)
            )
        st.session_state["drill_result"] = run
    except InputError as exc:
        st.error("\n\n".join(render_issues(exc.issues, lang=c.lang())))
    except PlannerError as exc:
        st.error(c.t("drill_failed", why=error_text(exc, c.lang())))

stored = st.session_state.get("drill_result")
if stored is None:
    c.next_step_link("checked")  # the drill is advised, not required, for printing
    st.stop()
run = stored
st.markdown("\n".join(summary_lines(run, c.lang(), replan_key="map_drill_replan")[2:]))
st.caption(c.t("drill_took", s=sum(run.timings_s.values())))
for title, report in (
    (c.t("drill_before"), run.before),
    (c.t("drill_after"), run.after),
):
    if report is None:
        continue
    st.subheader(title)
    k = st.columns(4)
    street = report.street
    k[0].metric(c.t("drill_p_finish"), f"{street['p_finish_in_window']:.0%}")
    k[1].metric(c.t("drill_p_queue"), f"{street['p_queue_over_limit']:.0%}")
    k[2].metric(c.t("drill_last"), street["last_sampled_p95"])
    k[3].metric(c.t("drill_turned"), f"{street['turned_away_mean']:.0f}")
    st.altair_chart(
        appstate.drill_wait_chart(report.sites, policy.queue.max_wait_min, c.lang()),
        width="stretch",
    )
    ids = report.sites["site_id"].tolist()
    if ids:
        site = st.selectbox(
            c.t("drill_site"),
            ids,
            key=f"drill_site_{'after' if report is run.after else 'before'}",
        )
        st.altair_chart(
            appstate.drill_queue_chart(report.slots, site, c.lang()), width="stretch"
        )
    c.show_table(
        drill_view.whole_people(report.sites),
        key="drill_sites_" + ("after" if report is run.after else "before"),
    )
if run.replan is not None:
    st.subheader(c.t("drill_changes"))
    if len(run.replan.changes):
        c.show_table(
            drill_view.changes_for_people(run.replan.changes, s, c.lang()),
            key="drill_changes_table",
        )
    else:
        st.info(c.t("drill_no_changes"))
with tempfile.TemporaryDirectory() as work:
    data = appstate.drill_zip(run, s, Path(work) / "drill")
st.download_button(
    c.t("drill_download"),
    gate.audited("drill.zip", True, data),
    file_name="drill.zip",
    mime="application/zip",
    key="drill_download",
    on_click="ignore",
)

c.next_step_link("checked")
