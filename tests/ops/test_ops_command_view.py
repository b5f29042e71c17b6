"""The app's live command page against a real `planner serve`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner.app.ops_view import STATUS_RGB, status_deck, status_table

REPO = Path(__file__).resolve().parents[2]


def _status() -> dict[str, Any]:
    def site(sid: str, colour: str, planned: int, sampled: int) -> dict[str, Any]:
        return {
            "site_id": sid,
            "name": sid,
            "lon": 114.3,
            "lat": 30.58,
            "planned": planned,
            "planned_by_now": 0,
            "sampled": sampled,
            "queue_people": 0,
            "wait_min": 0.0,
            "queue_status": colour,
            "reported_at": None,
            "problem": None,
            "buildings_not_seen": ["B1"],
        }

    return {"sites": [site("A", "red", 100, 50), site("B", "grey", 200, 0)]}


def test_the_map_colours_sites_by_queue_status() -> None:
    deck = status_deck(_status(), "zh")
    data = deck.layers[0].data
    assert [d["colour"][:3] for d in data] == [
        list(STATUS_RGB["red"]),
        list(STATUS_RGB["grey"]),
    ]
    assert data[1]["radius"] > data[0]["radius"]  # sized by the people planned
    table = status_table(_status(), "zh")
    assert list(table["排队状况"]) == ["拥堵", "未上报"]
    assert not [c for c in table.columns if "_" in c]  # headers are words, not codes
    assert list(table["progress"]) == [0.5, 0.0]


def test_the_command_page_shows_the_reports_and_re_plans(
    plan_dir: Path,
    scenario_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
    call: Callable[..., tuple[int, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streamlit.testing.v1 import AppTest

    codes = issue_codes(plan_dir)
    server = serve(plan_dir, None, scenario_dir)
    site = next(s for s in codes if s != "command")
    body = {
        "at": "09:30",
        "sampled": 250,
        "queue_people": 10,
        "tubes": 25,
        "report_id": "r1",
    }
    assert (
        call("POST", f"{server.url}/api/v1/sites/{site}/reports", codes[site], body)[0]
        == 201
    )

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("planner/app/pages/command.py").run()
    assert not at.exception
    assert at.info  # asks for the code first
    monkeypatch.setenv("PLANNER_OPS_URLS", server.url)  # the office's allowed address
    at.text_input(key="ops_url").set_value(server.url).run()
    at.text_input(key="ops_code").set_value(codes["command"]).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["已采样 / 计划"].startswith("250 / ")
    assert metrics["已上报采样点"] == "1"
    texts = [p.proto.text for p in at.get("progress")]
    assert len(texts) == len(codes) - 1 and any(t.startswith(f"{site} ") for t in texts)
    for frame in at.dataframe:
        for col in frame.value.columns:
            assert re.search(r"[\u4e00-\u9fff]", str(col)), col  # Chinese headers
    assert "初始方案" in set(at.dataframe[1].value["类型"])
    at.button(key="ops_replan").click().run()
    assert not at.exception
    assert any("已生成第 2 版方案" in s.value for s in at.success)
    status, versions = call("GET", f"{server.url}/api/v1/versions", codes["command"])
    assert status == 200 and [v["kind"] for v in versions] == ["draft", "replan"]


def test_a_wrong_code_is_shown_not_raised(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streamlit.testing.v1 import AppTest

    issue_codes(plan_dir)
    server = serve(plan_dir)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("planner/app/pages/command.py").run()
    monkeypatch.setenv("PLANNER_OPS_URLS", server.url)  # the office's allowed address
    at.text_input(key="ops_url").set_value(server.url).run()
    at.text_input(key="ops_code").set_value("WRONG").run()
    assert not at.exception
    assert at.error and "401" in at.error[0].value
