"""Start page: the four steps of the work (load, plan, check, print) and where each stands."""

import streamlit as st

from planner.app import common as c
from planner.app import state as appstate

c.page_start()
st.title(c.t("notices_start_title"))
st.write(c.t("notices_start_intro"))
states = appstate.step_states(st.session_state)
upcoming = appstate.next_step(states)
loaded = st.session_state.get("loaded")
for i, (key, url) in enumerate(appstate.GUIDED_STEPS, 1):
    spec = next(p for p in appstate.PAGES if p.url_path == url)
    done = states[key]
    box = st.container(border=True)
    left, right = box.columns([5, 2])
    mark = "✔" if done else ("→" if key == upcoming else "○")  # in DejaVu and CJK fonts
    left.markdown(f"#### {mark} {i}. {c.t(f'notices_step_{key}')}")
    left.caption(c.t(f"notices_step_{key}_help"))
    if done:
        detail = c.t(f"notices_step_{key}_done")
        if key == "loaded" and loaded is not None:
            detail = c.t("notices_step_loaded_street", street=loaded.scenario.name)
        right.success(detail)
    else:
        right.info(c.t("notices_step_todo"))
    right.page_link(
        spec.path,
        label=c.t("notices_step_go", page=c.t(spec.title_key)),
        icon=spec.icon,
    )
if upcoming is None:
    st.success(c.t("notices_start_all_done"))
st.caption(c.t("notices_start_advanced"))
