import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="session")
def _local_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Run the app as on an office laptop: sign-in off, served on loopback, own store.

    Session-wide, so module-scoped AppTest fixtures run in it too. The sign-in gate
    itself is tested in tests/app/test_gate.py, test_office_e2e.py and tests/office.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_SIGNIN", "off")
        mp.setenv("PLANNER_OFFICE", str(tmp_path_factory.mktemp("office")))
        mp.setattr(st, "get_option", _with_loopback(st.get_option))
        yield


def _with_loopback(get_option):  # type: ignore[no-untyped-def]
    def patched(key: str):  # type: ignore[no-untyped-def]
        return "127.0.0.1" if key == "server.address" else get_option(key)

    return patched


@pytest.fixture(autouse=True)
def _app_on_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Put the repository root on sys.path, as `streamlit run app.py` does."""
    monkeypatch.syspath_prepend(str(REPO))
    st.cache_data.clear()
    yield
    st.cache_data.clear()
    sys.modules.pop("planner.app.common", None)
