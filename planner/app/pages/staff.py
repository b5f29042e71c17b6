"""Staff & supplies page: the staff and stock pictures first, then the tables.

Posts × shifts (gaps in red) and stock against the 15/30-day rules come first, then
the shortfall; the full tables are in expanders.
"""

import streamlit as st

from planner.app import common as c
from planner.app import state as appstate
from planner.text import status_label

c.page_start()
st.title(c.t("staff_title"))
ready = c.require_plan()
if ready is None:
    st.stop()
loaded, plan = ready
staff = c.current_staff()
g = staff["guideline"]
st.info(
    c.t(
        "guideline",
        guide=g.guideline_samplers,
        on_duty=g.on_duty,
        headcount=g.headcount,
    )
)
for zh, en in g.reasons:
    st.caption("· " + (zh if c.lang() == "zh" else en))

# the gaps first: what the street must ask for, samplers first, largest first
st.subheader(c.t("notices_staff_gaps"))
need_staff, need_stock = appstate.support_tables(
    c.current_round_tables(loaded), loaded.scenario, c.lang()
)
if need_staff.empty and need_stock.empty:
    st.success(c.t("no_shortfall"))
else:
    left, right = st.columns([3, 2])
    left.markdown(f"**{c.t('notices_staff_gaps_staff')}**")
    if need_staff.empty:
        left.success(c.t("no_shortfall"))
    else:
        left.dataframe(need_staff, hide_index=True, key="gap_staff")
    right.markdown(f"**{c.t('notices_staff_gaps_stock')}**")
    if need_stock.empty:
        right.success(c.t("no_procurement"))
    else:
        right.dataframe(need_stock, hide_index=True, key="gap_stock")

# samplers apart from the other roles; door-to-door teams folded away
posts = appstate.post_labels(loaded.scenario, c.lang())
parts = appstate.staff_parts(staff["requirements"], staff["roster"], loaded.scenario)
for key, fill in parts.items():
    if not len(fill):
        continue
    title = c.t(f"notices_staff_part_{key}", n=fill["site_id"].nunique())
    if key == "teams":
        with st.expander(title):
            st.altair_chart(
                appstate.staff_chart(fill, posts, c.lang()), width="stretch"
            )
    else:
        st.subheader(title)
        st.altair_chart(appstate.staff_chart(fill, posts, c.lang()), width="stretch")

with st.expander(c.t("shortfall_title")):
    c.show_table_or(staff["shortfall"], c.t("no_shortfall"), key="shortfall_table")
with st.expander(c.t("requirements_title")):
    c.show_table(staff["requirements"], key="requirements_table")
with st.expander(c.t("staff_roster_title")):
    st.caption(
        c.t(
            "roster_status",
            status=status_label(staff["roster_status"], c.lang()),
        )
    )
    c.show_table(staff["roster"], key="roster_table")

st.subheader(c.t("supplies_title"))
supplies = c.current_supplies()
st.markdown(f"**{c.t('stock_chart_title')}**")
st.altair_chart(appstate.stock_chart(supplies["supplies"], c.lang()), width="stretch")
with st.expander(c.t("stock_title")):
    c.show_table(supplies["supplies"], key="stock_table")
st.markdown(f"**{c.t('procurement_title')}**")
c.show_table_or(supplies["procurement"], c.t("no_procurement"), key="procurement_table")
with st.expander(c.t("picks_title")):
    c.show_table(supplies["supplies_by_site"], key="picks_table")
