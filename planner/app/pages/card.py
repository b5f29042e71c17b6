"""Site card page: what one site's lead needs on one screen, printable on A4.

Slots, the staff of each shift by name, the pick list and a map of the buildings the
site serves. The map is a static picture, and the print style sheet below hides the
sidebar and widgets and sets an A4 page, so Ctrl+P gives one sheet per site.
"""

import pandas as pd
import streamlit as st

from planner.app import common as c
from planner.app import mapping
from planner.app import state as appstate

# A4 portrait with 10 mm margins; only the card itself is printed
PRINT_CSS = """
<style>
@media print {
  @page { size: A4 portrait; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSelectbox"], [data-testid="stCaptionContainer"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  h1 { font-size: 18pt !important; padding: 0 0 4pt 0 !important; }
  h3 { font-size: 12pt !important; padding: 4pt 0 2pt 0 !important; }
  table { font-size: 8pt !important; }
  td, th { padding: 0.5pt 3pt !important; line-height: 1.25 !important; }
  /* keep the columns side by side on the narrow page (the screen layout stacks
     them below 640 px) */
  [data-testid="stHorizontalBlock"] { display: flex !important; flex-direction: row !important;
    flex-wrap: nowrap !important; gap: 6mm !important; }
  [data-testid="stColumn"] { width: auto !important; min-width: 0 !important;
    flex: 1 1 0 !important; }
  [data-testid="stImage"] img { max-height: 75mm !important; width: auto !important; }
  [data-testid="stElementContainer"] { break-inside: avoid; }
}
</style>
"""


def _print_table(frame: pd.DataFrame) -> None:
    """Show a table as the printed card has it: ruled between rows, no index."""
    st.table(frame, border="horizontal", hide_index=True)


c.page_start()
ready = c.require_plan()
if ready is None:
    st.title(c.t("card_title"))
    st.stop()
loaded, plan = ready
s = loaded.scenario
tables = c.current_tables(loaded, plan)
opened = appstate.open_sites(tables["sites"])
if opened.empty:
    st.title(c.t("card_title"))
    st.stop()
labels = {
    str(r["site_id"]): appstate.site_label(r, c.lang())
    for r in opened.to_dict("records")
}
if st.session_state.get("card_site") not in labels:
    st.session_state["card_site"] = next(iter(labels))
site_id = st.selectbox(
    c.t("card_site"), list(labels), format_func=labels.__getitem__, key="card_site"
)
st.caption(c.t("card_print_note"))
st.html(PRINT_CSS)
row = {str(k): v for k, v in opened[opened["site_id"] == site_id].iloc[0].items()}
j = int(list(s.sites.id).index(site_id))
st.title(f"{row['site_id']} {row['name']}")
st.markdown(appstate.card_heading(row, str(s.sites.address[j]), c.lang()))

left, right = st.columns([3, 2])
with left:
    st.subheader(c.t("card_slots"))
    _print_table(appstate.card_slots(tables["slots"], site_id, c.lang()))
with right:
    st.subheader(c.t("card_map"))
    st.image(mapping.site_map_png(s, plan, j), width="stretch")
    grids = sorted(
        set(
            tables["assignments"]
            .loc[
                (tables["assignments"]["site_id"] == site_id)
                & (tables["assignments"]["mode"] == "walk_up"),
                "grid_id",
            ]
            .astype(str)
        )
    )
    st.markdown(
        c.t(
            "card_grids",
            grids="、".join(grids) if c.lang() == "zh" else ", ".join(grids),
        )
    )

staff = c.current_staff()
supplies = c.current_supplies()
left, right = st.columns([3, 2])
with left:
    st.subheader(c.t("card_staff"))
    crew = appstate.card_staff(staff["roster"], staff["shortfall"], site_id, c.lang())
    if crew.empty:
        st.info(c.t("card_no_staff"))
    else:
        _print_table(crew)
with right:
    st.subheader(c.t("card_picks"))
    _print_table(appstate.card_picks(supplies["supplies_by_site"], site_id, c.lang()))
