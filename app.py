"""Entry point of the Streamlit app: page setup, language switch, page list.

Run with ``streamlit run app.py``. Every page lives in ``planner/app/pages/`` and is thin: it
reads widgets, calls planner functions and renders the result. (The folder is not
called ``pages/``: Streamlit treats a ``pages/`` folder beside the entry script as a
legacy multipage app on a process's first run and in every AppTest run, and would
then run a page without this script.)
"""

import streamlit as st

from planner.app.common import init_session, remember_lang
from planner.app.state import PAGES
from planner.text import LANGS, tr

st.set_page_config(page_title=tr("app_title", "zh"), page_icon="🧪", layout="wide")
init_session()
lang = st.sidebar.radio(
    tr("lang_label", "zh"),
    LANGS,
    format_func=lambda code: tr(f"lang_{code}", "zh"),
    key="lang",
    horizontal=True,
)
remember_lang(lang)
st.navigation(
    [
        st.Page(p.path, title=tr(p.title_key, lang), icon=p.icon, url_path=p.url_path)
        for p in PAGES
    ]
).run()
