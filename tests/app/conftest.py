import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _app_on_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Put the repository root on sys.path, as `streamlit run app.py` does."""
    monkeypatch.syspath_prepend(str(REPO))
    st.cache_data.clear()
    yield
    st.cache_data.clear()
    sys.modules.pop("planner.app.common", None)
