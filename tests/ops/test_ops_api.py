"""The JSON API's contract: status codes, idempotent report ids, codes, messages."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ops_clock import late_today

from planner.cli import main
from planner.ops.codes import ALPHABET, COMMAND_CODE_LENGTH, SITE_CODE_LENGTH, normalise
from planner.ops.service import MAX_FAILURES, FailureLimiter, OpsState, create_app
from planner.ops.store import Store

pytestmark = pytest.mark.filterwarnings(
    "ignore:Using `httpx` with `starlette.testclient`"
)

BODY: dict[str, Any] = {
    "at": "09:00",
    "sampled": 120,
    "queue_people": 15,
    "tubes": 12,
    "problem": None,
    "note": "",
    "report_id": "S-0001",
}


class Api:
    """The app in-process, with the day's codes."""

    def __init__(self, plan_dir: Path, codes: dict[str, str], scenario: Path | None):
        from fastapi.testclient import TestClient

        self.store = Store.open(plan_dir)
        self.state = OpsState(plan_dir, self.store, scenario, clock=late_today)
        self.client = TestClient(create_app(self.state))
        self.codes = codes
        self.sites = [s for s in codes if s != "command"]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.codes[who]}"}

    def post(self, site: str, body: dict[str, Any], who: str | None = None) -> Any:
        headers = self.auth(who or site) if (who or site) in self.codes else {}
        return self.client.post(
            f"/api/v1/sites/{site}/reports", json=body, headers=headers
        )


@pytest.fixture
def api(
    plan_dir: Path, scenario_dir: Path, issue_codes: Callable[..., dict[str, str]]
) -> Iterator[Api]:
    a = Api(plan_dir, issue_codes(plan_dir), scenario_dir)
    yield a
    a.store.close()


def test_a_report_is_created_once_and_a_resend_answers_200(api: Api) -> None:
    site = api.sites[0]
    first = api.post(site, BODY)
    again = api.post(site, {**BODY, "sampled": 999})  # same id, changed body
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["sampled"] == 120  # the first copy stands
    rows = api.client.get(f"/api/v1/sites/{site}/reports", headers=api.auth(site))
    assert rows.status_code == 200
    assert [r["report_id"] for r in rows.json()] == ["S-0001"]


def test_codes_open_only_their_own_site(api: Api) -> None:
    a, b = api.sites[:2]
    assert api.post(b, BODY, who=a).status_code == 403
    assert "只能用于采样点" in api.post(b, BODY, who=a).json()["detail"]
    read = api.client.get(f"/api/v1/sites/{b}/reports", headers=api.auth(a))
    assert read.status_code == 403
    assert (
        api.client.get("/api/v1/status?fresh=1", headers=api.auth(a)).status_code == 403
    )
    assert api.client.post("/api/v1/replan", headers=api.auth(a)).status_code == 403
    # the command centre reads every site but does not write a site's report
    assert api.post(a, BODY).status_code == 201
    read = api.client.get(f"/api/v1/sites/{a}/reports", headers=api.auth("command"))
    assert read.status_code == 200 and len(read.json()) == 1
    assert api.post(a, {**BODY, "report_id": "c1"}, who="command").status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer 2345-6789-ABCD"},
    ],
)
def test_no_or_a_wrong_code_is_401(api: Api, headers: dict[str, str]) -> None:
    site = api.sites[0]
    r = api.client.post(f"/api/v1/sites/{site}/reports", json=BODY, headers=headers)
    assert r.status_code == 401
    assert "访问码" in r.json()["detail"]
    assert api.client.get("/api/v1/status?fresh=1", headers=headers).status_code == 401


def test_an_unknown_site_is_404_once_the_code_is_good(api: Api) -> None:
    r = api.post("S-nowhere", BODY, who="command")
    assert r.status_code == 404 and "S-nowhere" in r.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"sampled": -1}, "sampled", "不能为负数"),
        ({"sampled": "12"}, "sampled", "应为整数"),
        ({"sampled": 1.5}, "sampled", "应为整数"),
        ({"queue_people": True}, "queue_people", "应为整数"),
        ({"tubes": None}, "tubes", "应为整数"),
        ({"at": "9:30"}, "at", "HH:MM"),
        ({"at": "24:00"}, "at", "HH:MM"),
        ({"problem": "fire"}, "problem", "desk_down"),
        ({"note": "长" * 501}, "note", "过长"),
        ({"report_id": ""}, "report_id", "字母、数字"),
        ({"report_id": "a b"}, "report_id", "字母、数字"),
        ({"colour": "red"}, "colour", "不是可接受的字段"),
        ({"report_id": None}, "report_id", "应为文字"),
    ],
)
def test_a_malformed_report_is_422_naming_the_field_in_chinese(
    api: Api, change: dict[str, Any], field: str, words: str
) -> None:
    site = api.sites[0]
    r = api.post(site, {**BODY, **change})
    assert r.status_code == 422
    j = r.json()
    assert j["field"] == field
    assert f"字段“{field}”" in j["detail"] and words in j["detail"]
    assert (
        api.client.get(f"/api/v1/sites/{site}/reports", headers=api.auth(site)).json()
        == []
    )


def test_a_missing_field_and_a_broken_body_are_422(api: Api) -> None:
    site = api.sites[0]
    body = {k: v for k, v in BODY.items() if k != "sampled"}
    r = api.post(site, body)
    assert r.status_code == 422 and r.json()["field"] == "sampled"
    assert "缺失" in r.json()["detail"] and "累计已采样人数" in r.json()["detail"]
    raw = api.client.post(
        f"/api/v1/sites/{site}/reports",
        content=b"{not json",
        headers={**api.auth(site), "Content-Type": "application/json"},
    )
    assert raw.status_code == 422 and "JSON" in raw.json()["detail"]
    en = api.client.post(
        f"/api/v1/sites/{site}/reports?lang=en",
        json={**BODY, "sampled": -3},
        headers=api.auth(site),
    )
    assert (
        en.json()["detail"]
        == "field 'sampled' (people sampled so far) must not be negative"
    )


def test_codes_are_long_unguessable_and_only_their_hashes_are_stored(
    api: Api, plan_dir: Path
) -> None:
    assert set(api.codes) == {*api.sites, "command"}
    for who, code in api.codes.items():
        raw = normalise(code)
        want = COMMAND_CODE_LENGTH if who == "command" else SITE_CODE_LENGTH
        assert len(raw) == want and set(raw) <= set(ALPHABET)
    assert len(set(api.codes.values())) == len(api.codes)
    with sqlite3.connect(plan_dir / "ops.sqlite3") as conn:
        dump = "\n".join(conn.iterdump())
    for code in api.codes.values():
        assert normalise(code) not in dump and code not in dump
    # typed in lower case with spaces, a code still opens
    site = api.sites[0]
    loose = {"Authorization": "Bearer " + api.codes[site].lower().replace("-", " ")}
    assert (
        api.client.get(f"/api/v1/sites/{site}/reports", headers=loose).status_code
        == 200
    )


def test_codes_are_written_once_revocable_and_reissued(
    api: Api, plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (plan_dir / "ops_codes.csv").read_bytes()
    assert main(["ops", "codes", str(plan_dir)]) == 2
    assert "已存在" in capsys.readouterr().out
    assert (plan_dir / "ops_codes.csv").read_bytes() == before
    site = api.sites[0]
    assert main(["ops", "revoke", str(plan_dir), site]) == 0
    assert api.post(site, BODY).status_code == 401
    assert api.post(api.sites[1], BODY).status_code == 201  # other codes still work
    assert main(["ops", "codes", str(plan_dir), "--reissue"]) == 0
    assert (plan_dir / "ops_codes.csv").read_bytes() != before
    assert api.post(api.sites[1], {**BODY, "report_id": "x2"}).status_code == 401


def test_codes_expire_at_the_end_of_their_day(
    plan_dir: Path, scenario_dir: Path, issue_codes: Callable[..., dict[str, str]]
) -> None:
    from planner.ops.codes import end_of_day, local_today

    api = Api(plan_dir, issue_codes(plan_dir), scenario_dir)
    try:
        assert api.post(api.sites[0], BODY).status_code == 201
        api.state.clock = lambda: end_of_day(local_today()) + dt.timedelta(seconds=1)
        assert api.post(api.sites[0], {**BODY, "report_id": "x"}).status_code == 401
    finally:
        api.store.close()
    assert main(["ops", "codes", str(plan_dir), "--reissue", "--day", "not-a-day"]) == 2


def test_failed_codes_are_rate_limited_then_even_a_good_code_waits(api: Api) -> None:
    site = api.sites[0]
    bad = {"Authorization": "Bearer WRONG-CODE-0000"}
    for _ in range(MAX_FAILURES):
        assert api.client.get("/api/v1/status?fresh=1", headers=bad).status_code == 401
    blocked = api.client.get(f"/api/v1/sites/{site}/reports", headers=api.auth(site))
    assert blocked.status_code == 429 and "秒后再试" in blocked.json()["detail"]


def test_the_failure_window_slides() -> None:
    now = [0.0]
    lim = FailureLimiter(limit=3, window_s=60.0, clock=lambda: now[0])
    for _ in range(3):
        lim.fail("a")
    assert lim.blocked_for("a") == pytest.approx(60.0)
    assert lim.blocked_for("b") == 0.0  # per client address
    now[0] = 59.0
    assert lim.blocked_for("a") == pytest.approx(1.0)
    now[0] = 60.5
    assert lim.blocked_for("a") == 0.0


def test_status_shows_progress_queue_colour_forecast_and_buildings_not_seen(
    api: Api,
) -> None:
    plan = api.client.get(
        f"/api/v1/sites/{api.sites[0]}/plan", headers=api.auth("command")
    ).json()
    by_slot = {s["slot_start"]: s["people"] for s in plan["slots"]}
    due = sum(n for k, n in by_slot.items() if k < "10:00")
    on_track, behind, silent = api.sites
    api.post(on_track, {**BODY, "at": "10:00", "sampled": due - 20, "queue_people": 20})
    # far behind, a long queue and a desk down
    api.post(
        behind,
        {
            **BODY,
            "at": "10:00",
            "sampled": 30,
            "queue_people": 300,
            "problem": "desk_down",
        },
    )
    r = api.client.get("/api/v1/status?fresh=1", headers=api.auth("command"))
    assert r.status_code == 200
    j = r.json()
    rows = {s["site_id"]: s for s in j["sites"]}
    assert set(rows) == set(api.sites)
    assert (
        rows[on_track]["sampled"] == due - 20
        and rows[on_track]["queue_status"] == "green"
    )
    assert rows[behind]["queue_status"] == "red" and rows[behind]["wait_min"] >= 50
    assert (
        rows[silent]["queue_status"] == "grey" and rows[silent]["reported_at"] is None
    )
    assert (
        rows[behind]["buildings_not_seen"] and not rows[on_track]["buildings_not_seen"]
    )
    assert rows[on_track]["p_finish_in_window"] > rows[behind]["p_finish_in_window"]
    assert rows[behind]["forecast_finish_p50"] > rows[on_track]["forecast_finish_p50"]
    street = j["street"]
    assert street["sampled"] == due - 20 + 30 and street["sites_reporting"] == 2
    assert 0.0 <= street["forecast"]["p_finish_in_window"] <= 1.0
    assert street["planned"] == sum(s["planned"] for s in j["sites"])


def test_the_forecast_follows_the_reports(api: Api) -> None:
    site = api.sites[0]
    plan = api.client.get(f"/api/v1/sites/{site}/plan", headers=api.auth(site)).json()
    due = sum(s["people"] for s in plan["slots"] if s["slot_end"] <= "11:00")
    api.post(site, {**BODY, "at": "11:00", "sampled": due, "queue_people": 5})
    on_plan = api.client.get(
        "/api/v1/status?fresh=1", headers=api.auth("command")
    ).json()
    # five minutes later the count is corrected: most of the morning never came
    api.post(
        site,
        {
            **BODY,
            "at": "11:05",
            "sampled": due // 4,
            "queue_people": 5,
            "report_id": "S-2",
        },
    )
    behind = api.client.get(
        "/api/v1/status?fresh=1", headers=api.auth("command")
    ).json()
    one = {s["site_id"]: s for s in on_plan["sites"]}[site]
    two = {s["site_id"]: s for s in behind["sites"]}[site]
    assert two["forecast_finish_p50"] > one["forecast_finish_p50"]
    assert two["p_finish_in_window"] <= one["p_finish_in_window"]
    assert len(two["buildings_not_seen"]) > len(one["buildings_not_seen"])


def test_status_without_a_scenario_still_shows_progress(
    plan_dir: Path, issue_codes: Callable[..., dict[str, str]]
) -> None:
    api = Api(plan_dir, issue_codes(plan_dir), None)
    try:
        api.post(api.sites[0], BODY)
        j = api.client.get("/api/v1/status?fresh=1", headers=api.auth("command")).json()
        assert j["street"]["forecast"] is None and j["street"]["sampled"] == 120
        r = api.client.post("/api/v1/replan", json={}, headers=api.auth("command"))
        assert r.status_code == 409 and "--scenario" in r.json()["detail"]
    finally:
        api.store.close()


def test_the_phone_page_is_chinese_and_names_its_site(api: Api) -> None:
    site = api.sites[0]
    page = api.client.get(f"/sites/{site}")
    assert (
        page.status_code == 200 and "累计已采样人数" in page.text and site in page.text
    )
    assert api.client.get("/sites/S-nowhere").status_code == 404
    assert "Site progress report" in api.client.get(f"/sites/{site}?lang=en").text


def test_a_busy_status_answers_with_the_last_forecast_and_renews_it(api: Api) -> None:
    site = api.sites[0]
    auth = api.auth("command")
    api.post(site, {**BODY, "at": "09:00"})
    first = api.client.get("/api/v1/status", headers=auth).json()["street"]["forecast"]
    assert first["stale"] is False and first["reports"] == 1
    api.post(site, {**BODY, "at": "09:10", "sampled": 200, "report_id": "S-2"})
    now = api.client.get("/api/v1/status", headers=auth).json()
    # progress is current at once; the forecast is the last one until the new is made
    assert {s["site_id"]: s for s in now["sites"]}[site]["sampled"] == 200
    assert now["street"]["forecast"]["stale"] is True
    assert now["street"]["forecast"]["reports"] == 1
    thread = api.state._fc_thread
    assert thread is not None
    thread.join(60)
    renewed = api.client.get("/api/v1/status", headers=auth).json()["street"][
        "forecast"
    ]
    assert renewed["stale"] is False and renewed["reports"] == 2


def test_the_page_form_works_without_javascript_and_a_resend_is_stored_once(
    api: Api,
) -> None:
    site = api.sites[0]
    page = api.client.get(f"/sites/{site}").text
    rid = page.split('name="report_id" value="')[1].split('"')[0]
    form = {
        "code": api.codes[site],
        "report_id": rid,
        "at": "10:15",
        "sampled": "321",
        "queue_people": "8",
        "tubes": "33",
        "problem": "",
        "note": "雨停了",
    }
    first = api.client.post(f"/sites/{site}", data=form)
    again = api.client.post(f"/sites/{site}", data=form)  # the browser resends
    assert first.status_code == 201 and "已提交：10:15 累计已采样 321 人" in first.text
    assert again.status_code == 200 and "未重复计入" in again.text
    rows = api.client.get(
        f"/api/v1/sites/{site}/reports", headers=api.auth(site)
    ).json()
    assert [(r["report_id"], r["sampled"], r["note"]) for r in rows] == [
        (rid, 321, "雨停了")
    ]
    bad = api.client.post(
        f"/sites/{site}", data={**form, "sampled": "很多", "report_id": "f2"}
    )
    assert (
        bad.status_code == 422 and "字段“sampled”（累计已采样人数）应为整数" in bad.text
    )
    other = api.client.post(f"/sites/{api.sites[1]}", data={**form, "report_id": "f3"})
    assert other.status_code == 403
    nocode = api.client.post(
        f"/sites/{site}", data={**form, "code": "", "report_id": "f4"}
    )
    assert nocode.status_code == 401 and "缺少访问码" in nocode.text


def test_the_day_ends_at_midnight_china_time() -> None:
    from planner.ops.codes import end_of_day

    assert end_of_day(dt.date(2026, 12, 1)) == dt.datetime(
        2026, 12, 1, 16, tzinfo=dt.UTC
    )


def test_an_unreachable_database_is_bad_input_not_a_traceback(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["ops", "codes", str(plan_dir), "--db", "postgresql://x@127.0.0.1:1/db"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "无法打开数据库" in err and "--db" in err
    assert not (plan_dir / "ops_codes.csv").exists()
