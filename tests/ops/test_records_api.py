"""Records and results through the service: own site only, stored once, kept on a kill."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner.closure.simulate import SimulatedDay, simulate_day
from planner.io.record_files import write_records, write_results


def _send(url: str, code: str, data: bytes, ctype: str = "text/csv") -> tuple[int, Any]:
    req = urllib.request.Request(url, data=data, method="POST")
    req.add_header("Authorization", f"Bearer {code}")
    req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def _get(url: str, code: str) -> tuple[int, Any]:
    req = urllib.request.Request(url)
    req.add_header("Authorization", f"Bearer {code}")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            body = r.read()
            return r.status, json.loads(body) if "json" in r.headers[
                "content-type"
            ] else body
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@pytest.fixture(scope="module")
def day_of(planned_street: tuple[Path, Path]) -> SimulatedDay:
    from planner import load_scenario
    from planner.io.plan_folder import read_plan_folder
    from planner.planning.codec import plan_from_tables

    loaded = load_scenario(planned_street[0])
    plan = plan_from_tables(loaded.scenario, read_plan_folder(planned_street[1]))
    return simulate_day(
        loaded.scenario, plan, loaded.policy, day=dt.date(2026, 12, 7), seed=4
    )


def test_records_and_results_through_the_service(
    plan_dir: Path,
    scenario_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
    db_url: str | None,
    day_of: SimulatedDay,
    tmp_path: Path,
) -> None:
    codes = issue_codes(plan_dir, *(["--db", db_url] if db_url else []))
    server = serve(plan_dir, db_url, scenario_dir)
    rec = day_of.records
    site = next(s for s in codes if s != "command" and s in set(rec["site"]))
    other = next(s for s in set(rec["site"]) if s != site)
    own = write_records(rec[rec["site"] == site], tmp_path / "own.csv", encoding="gbk")
    data = own.read_bytes()
    url = f"{server.url}/api/v1/records?name=own.csv"
    status, first = _send(url, codes[site], data)
    assert status == 201, first
    status, again = _send(url, codes[site], data)
    assert status == 200 and again["id"] == first["id"]  # the same file: stored once
    # a site may upload its own records only; results are the command centre's
    theirs = write_records(rec[rec["site"] == other], tmp_path / "theirs.csv")
    status, body = _send(url, codes[site], theirs.read_bytes())
    assert status == 403 and other in body["detail"]
    res = write_results(day_of.results, tmp_path / "res.csv").read_bytes()
    status, _ = _send(f"{server.url}/api/v1/results?name=res.csv", codes[site], res)
    assert status == 403
    # the command centre sends the rest, as a workbook, and the results
    rest = write_records(rec[rec["site"] != site], tmp_path / "rest.xlsx")
    status, body = _send(
        f"{server.url}/api/v1/records?name=rest.xlsx",
        codes["command"],
        rest.read_bytes(),
    )
    assert status == 201, body
    status, _ = _send(
        f"{server.url}/api/v1/results?name=res.csv", codes["command"], res
    )
    assert status == 201
    # a phone's batch, twice: stored once
    batch = {
        "batch_id": "phone-1",
        "records": [
            {
                "name": "访客甲",
                "phone": "13900000001",
                "site": site,
                "desk": "1",
                "sampled_at": "2026-12-07 09:00:00",
                "tube": "PHONE1",
            }
        ],
    }
    raw = json.dumps(batch).encode()
    assert _send(url, codes[site], raw, "application/json")[0] == 201
    assert _send(url, codes[site], raw, "application/json")[0] == 200
    # bad rows: every problem named
    status, body = _send(
        url, codes[site], "姓名,手机号,采样点,采样时间,试管码\n张三,1,S,x,\n".encode()
    )
    assert status == 422 and len(body["errors"]) >= 2
    status, cov = _get(f"{server.url}/api/v1/closure", codes["command"])
    assert status == 200, cov
    truth = day_of.truth
    assert cov["street"]["sampled"] == int(truth["counted"].sum())
    assert cov["records"]["unmatched"] >= 1 + int((rec["kind"] == "visitor").sum())
    assert sorted(cov["positive_tubes"]) == sorted(day_of.positive_tubes)
    assert _get(f"{server.url}/api/v1/closure", codes[site])[0] == 403
    status, live = _get(f"{server.url}/api/v1/status", codes["command"])
    assert live["street"]["coverage"]["sampled"] == cov["street"]["sampled"]
    # kill -9 and start again: nothing acknowledged is lost
    server.kill()
    server = serve(plan_dir, db_url, scenario_dir)
    status, after = _get(f"{server.url}/api/v1/closure", codes["command"])
    assert after["street"] == cov["street"] and after["records"] == cov["records"]
    status, rep = _get(f"{server.url}/api/v1/report", codes["command"])
    assert status == 200 and not rep["zero"]
    assert rep["figures"]["positive_tubes"] == 2
    assert rep["figures"]["sampled"] == cov["street"]["sampled"]
    status, xlsx = _get(f"{server.url}/api/v1/report?format=docx", codes["command"])
    assert status == 200 and xlsx[:2] == b"PK"


def test_a_day_without_records_reports_zero(
    plan_dir: Path,
    scenario_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
) -> None:
    codes = issue_codes(plan_dir)
    server = serve(plan_dir, None, scenario_dir)
    status, rep = _get(f"{server.url}/api/v1/report?date=2026-12-08", codes["command"])
    assert status == 200 and rep["zero"] and rep["day"] == "2026-12-08"
    assert rep["figures"]["sampled"] == 0 and rep["problems"] == []
