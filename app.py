"""Entry point of the Streamlit app: page setup, language switch, page list.

Run with ``streamlit run app.py``. Streamlit finds the ``app = st.App(...)`` below and
imports this file as a module (``__name__ == "app"``): that serves the app together
with the planner's own routes (its CJK font and local MBTiles basemaps, see
:mod:`planner.app.server`). Streamlit then runs this same file as the page script
(``__name__ == "__main__"``, as AppTest does), which draws the pages.

Every page lives in ``planner/app/pages/`` and is thin: it reads widgets, calls planner
functions and renders the result. (The folder is not called ``pages/`` beside this
script: Streamlit treats such a folder as a legacy multipage app on a process's first
run and in every AppTest run, and would then run a page without this script.)
"""

import streamlit as st

if __name__ == "__main__":
    from planner.app.common import run_app

    run_app()
else:
    from planner.app.server import middleware, on_script_error, routes

    app = st.App(
        __file__,
        routes=routes(),
        middleware=middleware(),
        on_script_error=on_script_error,
    )
