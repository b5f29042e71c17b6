"""The app's campaign view: tables, stock curves and the transfers map, via AppTest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planner.app.campaign_map import transfers_deck
from planner.app.mapping import layer_counts
from planner.campaign.run import CampaignResult
from planner.campaign.view import read_campaign
from planner.text import APP_TEXT as TEXTS

REPO = Path(__file__).resolve().parents[2]


def test_view_reads_the_campaign_and_maps_the_transfers(
    local_run: tuple[CampaignResult, Path],
) -> None:
    _result, out = local_run
    view = read_campaign(out)
    assert set(view.days["street"]) == {"s01", "s02", "s03"}
    assert view.days["day"].min() == 1
    curve = view.stock_curve("采样拭子")
    assert list(curve.columns) == ["s01", "s02", "s03"] and (curve >= 0).all().all()
    day = int(view.transfers["day"].min())
    deck = transfers_deck(view, day)
    counts = layer_counts(deck)
    assert counts["streets"] == 3
    assert counts["transfers"] == int((view.transfers["day"] == day).sum()) > 0


def test_campaign_page_shows_a_written_campaign(
    local_run: tuple[CampaignResult, Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # as tests/app/conftest.py runs the app: an office laptop, sign-in off, loopback
    monkeypatch.setenv("PLANNER_SIGNIN", "off")
    monkeypatch.setenv("PLANNER_OFFICE", str(tmp_path / "office"))
    get_option = st.get_option
    monkeypatch.setattr(
        st,
        "get_option",
        lambda key: "127.0.0.1" if key == "server.address" else get_option(key),
    )
    monkeypatch.syspath_prepend(str(REPO))
    monkeypatch.delitem(sys.modules, "planner.app.common", raising=False)
    _result, out = local_run
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("planner/app/pages/campaign.py").run()
    assert not at.exception
    assert at.title[0].value == TEXTS["campaign_title"][0]
    at.text_input(key="campaign_dir").set_value(str(out)).run()
    at.button(key="campaign_load").click().run()
    assert not at.exception
    assert "示例区" in at.subheader[0].value
    tables = [d.value for d in at.dataframe]
    assert any("借入" in t.columns for t in tables)
    at.selectbox(key="campaign_item").set_value("采样拭子").run()
    assert not at.exception
    at.text_input(key="campaign_dir").set_value(str(out / "nowhere")).run()
    at.button(key="campaign_load").click().run()
    assert at.error  # a wrong folder is an error message, not a traceback
