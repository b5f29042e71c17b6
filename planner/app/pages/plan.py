"""Plan page: the main policy values, the solve button and the plan's figures."""

import streamlit as st

from planner.app import common as c
from planner.app import gate, steer
from planner.app import state as appstate
from planner.model.constants import ACCESS_OBJECTIVES
from planner.text import status_label
from planner.text.roster import certification_lines

c.page_start()
st.title(c.t("plan_title"))
loaded = c.require_scenario()
if loaded is None:
    st.stop()
base = loaded.policy
st.sidebar.number_input(
    c.t("time_limit"),
    min_value=1.0,
    max_value=600.0,
    step=5.0,
    key="time_limit",
    help=c.t("time_limit_help"),
)

st.subheader(c.t("knobs_title"))
for knob, value in appstate.knob_values(base).items():
    st.session_state.setdefault(knob, value)
col1, col2, col3, col4 = st.columns(4)
col1.number_input(
    c.t("knob_window_hours"),
    min_value=0.5,
    max_value=float(base.round.max_window_hours),
    step=0.5,
    key="knob_window_hours",
)
col2.selectbox(
    c.t("knob_slot_minutes"), appstate.slot_choices(base), key="knob_slot_minutes"
)
col3.slider(
    c.t("knob_walk_limit"),
    min_value=5.0,
    max_value=max(45.0, float(base.walking.walk_limit_min)),
    step=1.0,
    key="knob_walk_limit",
)
col4.selectbox(
    c.t("knob_pool_size"), list(base.pooling.allowed_pool_sizes), key="knob_pool_size"
)
st.toggle(
    c.t("knob_heat", frm=base.heat.avoid_from, to=base.heat.avoid_to), key="knob_heat"
)
st.toggle(c.t("knob_certify"), key="knob_certify")
objectives = {
    o: appstate.access_objective_label(o, base, c.lang()) for o in ACCESS_OBJECTIVES
}
st.selectbox(
    c.t("knob_access_objective"),
    list(objectives),
    format_func=objectives.__getitem__,
    key="knob_access_objective",
    help=c.t("knob_access_objective_help"),
)

policy = c.chosen_policy(loaded)
if st.session_state.get("cancel_solve"):  # act on the click before drawing the buttons
    c.cancel_solve()
left, right = st.columns([1, 5])
if left.button(
    c.t("solve_button"),
    key="solve",
    type="primary",
    disabled=c.solve_running() or not gate.can("solve"),
):
    c.solve_into_session(loaded, policy)
right.button(c.t("cancel_button"), key="cancel_solve", disabled=not c.solve_running())
c.wait_for_solve()
if st.session_state.get("solve_cancelled"):
    st.info(c.t("solve_cancelled"))

if "solve_error" in st.session_state:
    st.error(st.session_state["solve_error"])
plan = st.session_state.get("plan")
if plan is None:
    st.stop()

if st.session_state.get("plan_policy") != appstate.policy_key(policy):
    st.warning(c.t("plan_stale"))
st.success(
    c.t(
        "solved",
        seconds=st.session_state.get("plan_seconds", 0.0),
        status=status_label(plan.solver.status, c.lang()),
    )
)
st.subheader(c.t("kpi_title"))
kpis = plan.kpis()
cards = appstate.kpi_cards(kpis, c.lang())
for row in range(0, len(cards), 4):
    for col, (_, label, value) in zip(
        st.columns(4), cards[row : row + 4], strict=False
    ):
        col.metric(label, value)
st.caption(
    c.t(
        "people_line",
        walk=kpis["people_walk_up"],
        home=kpis["people_home_visit"],
        teams=kpis["home_visit_teams"],
        un=kpis["people_unassigned"],
    )
)
for text in appstate.plan_warning_texts(plan.warnings, c.lang()):
    st.warning(text)
st.subheader(c.t("edits_app_title"))
c.show_edit_change()
c.show_edits_list()
edits = c.current_edits()
st.session_state.setdefault("edit_date", edits.date)
st.session_state.setdefault(
    "edit_start", edits.window_start or policy.round.window_start
)
st.session_state.setdefault("edit_n", edits.site_count or int(plan.site_open.sum()))
d1, d2, d3 = st.columns([2, 2, 2])
d1.text_input(c.t("edits_app_date"), key="edit_date")
d2.text_input(c.t("edits_app_start"), key="edit_start")
if d3.button(c.t("edits_app_apply_time"), key="edit_apply_time"):
    c.edit_and_rerun(
        loaded,
        steer.date_and_start(
            edits,
            str(st.session_state["edit_date"]).strip(),
            str(st.session_state["edit_start"]).strip(),
        ),
    )
n1, n2, n3, n4 = st.columns([2, 2, 2, 2])
n1.number_input(
    c.t("edits_app_n"), min_value=1, max_value=len(loaded.scenario.sites), key="edit_n"
)
modes = {m: c.t(f"edits_app_mode_{m}") for m in ("exactly", "at_most")}
n2.selectbox(
    c.t("edits_app_n_mode"),
    list(modes),
    format_func=modes.__getitem__,
    key="edit_n_mode",
)
if n3.button(c.t("edits_app_apply_n"), key="edit_apply_n"):
    n, mode = int(st.session_state["edit_n"]), str(st.session_state["edit_n_mode"])
    c.edit_and_rerun(loaded, steer.site_count(edits, n, mode))
if edits.site_count and n4.button(c.t("edits_app_clear_n"), key="edit_clear_n"):
    c.edit_and_rerun(loaded, steer.site_count(edits, 0))
result = st.session_state.get("round")
if result is not None:
    zh = c.lang() == "zh"
    st.subheader(c.t("certify_title"))
    cert = result.certification
    if cert is None:
        st.info(c.t("certify_off"))
    else:
        f = cert.figures
        verdict = c.t(f"roster_verdict_{cert.verdict}")
        head = c.t(
            "certify_head",
            reps=f["replications"],
            attempts=len(cert.attempts),
            verdict=verdict,
        )
        # what the roster leaves empty comes first, in red
        for level, line in certification_lines(cert.to_dict(), c.lang()):
            (st.error if level == "alert" else st.info)(line)
        (st.success if cert.verdict == "met" else st.warning)(head)
        cols = st.columns(4)
        for col, key, value in zip(
            cols,
            (
                "certify_p_finish",
                "certify_p_queue",
                "certify_p_teams",
                "certify_p_transport",
            ),
            (f["p_finish"], f["p_queue_over"], f["p_teams"], f["p_transport"]),
            strict=True,
        ):
            col.metric(c.t(key), f"{value:.2f}")
        for a in cert.attempts[1:]:
            for lever in a.levers:
                st.caption(lever[0] if zh else lever[1])
        for line in cert.unreachable:
            st.warning(line[0] if zh else line[1])
    if result.norms:
        from planner.planning.norms import NORM_LABELS

        st.subheader(c.t("norms_title"))
        for n in result.norms:
            rng = f"{n.low:,.0f}" if n.low == n.high else f"{n.low:,.0f}–{n.high:,.0f}"
            label = NORM_LABELS[n.key][0 if zh else 1]
            reasons = ("；" if zh else "; ").join(r[0 if zh else 1] for r in n.reasons)
            st.markdown(f"- **{label}**: {n.value:,.0f} ({rng}) {reasons}")
tables = c.current_tables(loaded, plan)
st.subheader(c.t("sites_table"))
c.show_table(appstate.site_table(tables["sites"]), key="plan_sites")
if len(tables["unassigned"]):
    st.subheader(c.t("unassigned_title"))
    c.show_table(tables["unassigned"], key="plan_unassigned")

c.next_step_link("planned")
