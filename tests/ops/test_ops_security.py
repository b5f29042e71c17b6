"""The day-of service under attack (issue 34): one test per finding, as an attacker probes.

Each test sends what the probe sent and asserts the answer the hardened service gives;
on the service before issue 34 each of them failed (the reflected page, the 300 MB
body, the stale code locking its NAT, ...). Real servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ops_clock import late_today

from planner.cli import main
from planner.ops import service
from planner.ops.codes import LOCAL_TZ, end_of_day, local_today
from planner.ops.service import MAX_FAILURES, OpsState, create_app
from planner.ops.store import Store, iso

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
    "report_id": "A-0001",
}

XSS = "<img src=x onerror=alert(document.domain)>"


class Api:
    """The service in-process (Starlette's test client) with the day's codes."""

    def __init__(self, plan_dir: Path, codes: dict[str, str], scenario: Path | None):
        from fastapi.testclient import TestClient

        self.plan_dir = plan_dir
        self.store = Store.open(plan_dir)
        self.state = OpsState(plan_dir, self.store, scenario, clock=late_today)
        self.client = TestClient(create_app(self.state))
        self.codes = codes
        self.sites = [s for s in codes if s != "command"]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.codes[who]}"}


@pytest.fixture
def api(plan_dir: Path, issue_codes: Callable[..., dict[str, str]]) -> Iterator[Api]:
    a = Api(plan_dir, issue_codes(plan_dir), None)
    yield a
    a.store.close()


def _assert_guarded(headers: Any) -> None:
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"


# --- High ---------------------------------------------------------------------------


def test_an_unknown_site_id_is_not_reflected_and_no_page_runs_inline_script(
    api: Api,
) -> None:
    """Reflected XSS: the id comes back escaped, under a CSP without inline script."""
    r = api.client.get(f"/sites/{XSS}")
    assert r.status_code == 404
    assert XSS not in r.text and html.escape(XSS) in r.text
    _assert_guarded(r.headers)
    site = api.sites[0]
    for page in (
        api.client.get("/"),
        api.client.get(f"/sites/{site}"),
        api.client.get(f"/sites/{site}?lang=en"),
        api.client.post(f"/sites/{site}", content=f"code={XSS}&at={XSS}"),
    ):
        assert page.headers["content-type"].startswith("text/html")
        _assert_guarded(page.headers)
        assert XSS not in page.text
        # every script is a file of the service or a data block that does not run
        body = page.text
        for tag in body.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert 'src="/static/' in opening or 'type="application/json"' in opening
    assert api.client.get("/static/report.js").status_code == 200
    assert api.client.get("/static/../service.py").status_code == 404


def _raw(port: int, request: bytes, body: bytes = b"") -> bytes:
    """Send raw bytes to the server; return what it answered before closing."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request + body)
        if body:
            s.shutdown(socket.SHUT_WR)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def test_a_huge_body_is_refused_before_it_is_read(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
) -> None:
    """Memory exhaustion: a 300 MB Content-Length gets 413 with no byte of it sent."""
    codes = issue_codes(plan_dir)
    site = next(s for s in codes if s != "command")
    server = serve(plan_dir)
    head = (
        f"POST /api/v1/sites/{site}/reports HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
    ).encode()
    # nothing of the body is sent: the answer must come anyway (not after 300 MB)
    answer = _raw(server.port, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # without a length (chunked), the stream is cut at the cap, with or without a code
    for auth, status in (
        ("", b"401"),
        (f"Authorization: Bearer {codes[site]}\r\n", b"413"),
    ):
        chunked = (
            f"POST /api/v1/sites/{site}/reports HTTP/1.1\r\nHost: x\r\n{auth}"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        ).encode()
        piece = b"x" * 65536
        body = (f"{len(piece):x}\r\n".encode() + piece + b"\r\n") * 4 + b"0\r\n\r\n"
        answer = _raw(server.port, chunked, body)
        assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
    assert service.MAX_BODY_BYTES < 4 * 65536


def test_a_chunked_body_over_the_cap_is_413_in_process(api: Api) -> None:
    site = api.sites[0]

    def stream() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 4096

    r = api.client.post(
        f"/api/v1/sites/{site}/reports", content=stream(), headers=api.auth(site)
    )
    assert r.status_code == 413


def test_the_code_is_checked_before_the_body_is_awaited(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
) -> None:
    """Authentication before work: a wrong code is answered before any body arrives.

    The request declares a body under the cap and sends none of it; the answer must
    come anyway (the service before issue 34 waited for the whole body first).
    """
    codes = issue_codes(plan_dir)
    site = next(s for s in codes if s != "command")
    server = serve(plan_dir)
    for path, code in (
        (f"/api/v1/sites/{site}/reports", "NOT-A-CODE"),
        ("/api/v1/replan", codes[site]),  # a site's code may not re-plan
    ):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\n"
            "Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n"
        ).encode()
        answer = _raw(server.port, head)
        assert answer.startswith((b"HTTP/1.1 401", b"HTTP/1.1 403")), answer[:200]


# --- Medium -------------------------------------------------------------------------


def test_a_stale_code_does_not_lock_out_the_phones_behind_the_same_address(
    api: Api,
) -> None:
    stale_site, other = api.sites[0], api.sites[1]
    stale = api.auth(stale_site)
    assert main(["ops", "revoke", str(api.plan_dir), stale_site]) == 0
    for k in range(3 * MAX_FAILURES):
        r = api.client.post(
            f"/api/v1/sites/{stale_site}/reports",
            json={**BODY, "report_id": f"s{k}"},
            headers=stale,
        )
        assert r.status_code == 401
    ok = api.client.post(
        f"/api/v1/sites/{other}/reports", json=BODY, headers=api.auth(other)
    )
    assert ok.status_code == 201


def test_guessing_is_still_limited_and_the_429_says_when_to_retry(api: Api) -> None:
    guess = {"Authorization": "Bearer 2222-3333-4444"}
    for _ in range(MAX_FAILURES):
        assert api.client.get("/api/v1/status", headers=guess).status_code == 401
    r = api.client.get("/api/v1/status", headers=api.auth("command"))
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= service.FAILURE_WINDOW_S


def _no_walk_up_version(store: Store) -> int:
    """Store a re-plan in which no household walks up any more (all home visits)."""
    v = store.latest_version()
    assert v is not None
    t = store.plan_tables(v)
    a = t.assignments.copy()
    a["mode"] = "home_visit"
    return store.add_version(
        dataclasses.replace(t, assignments=a),
        author="command",
        kind="replan",
        parent_id=v,
    )


def test_status_answers_after_a_replan_that_leaves_no_walk_up_household(
    api: Api,
) -> None:
    site = api.sites[0]
    assert (
        api.client.post(
            f"/api/v1/sites/{site}/reports", json=BODY, headers=api.auth(site)
        ).status_code
        == 201
    )
    _no_walk_up_version(api.store)
    r = api.client.get("/api/v1/status", headers=api.auth("command"))
    assert r.status_code == 200
    assert r.json()["street"]["planned"] == 0


def test_a_report_time_in_the_future_is_refused(api: Api) -> None:
    """One mistyped 23:59 at noon must not pin the site's state."""
    noon = dt.datetime.combine(local_today(), dt.time(12, 0), LOCAL_TZ)
    api.state.clock = lambda: noon.astimezone(dt.UTC)
    site = api.sites[0]
    r = api.client.post(
        f"/api/v1/sites/{site}/reports",
        json={**BODY, "at": "23:59"},
        headers=api.auth(site),
    )
    assert r.status_code == 422 and r.json()["field"] == "at"
    ok = {**BODY, "at": "12:03", "report_id": "ok"}  # a phone a little fast
    assert (
        api.client.post(
            f"/api/v1/sites/{site}/reports", json=ok, headers=api.auth(site)
        ).status_code
        == 201
    )
    form = api.client.post(
        f"/sites/{site}",
        data={
            "code": api.codes[site],
            "at": "23:59",
            "sampled": "1",
            "queue_people": "0",
            "tubes": "0",
            "report_id": "f1",
        },
    )
    assert form.status_code == 422
    assert [r["at"] for r in api.store.reports(site)] == ["12:03"]


def test_re_plans_do_not_queue_behind_one_another_and_reports_go_on(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """45 re-plans while one runs: each refused at once; a report is stored meanwhile."""
    site = api.sites[0]
    assert api.state._replan_lock.acquire()  # a re-plan is running
    answers: list[int] = []

    def replan() -> None:
        r = api.client.post("/api/v1/replan", json={}, headers=api.auth("command"))
        answers.append(r.status_code)

    try:
        threads = [threading.Thread(target=replan) for _ in range(45)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120  # a hang detector only: each answers at once
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        assert answers == [409] * 45
        r = api.client.post(
            f"/api/v1/sites/{site}/reports", json=BODY, headers=api.auth(site)
        )
        assert r.status_code == 201
    finally:
        api.state._replan_lock.release()
    assert not any(t.is_alive() for t in threads)
    # and the store holds a bounded number of versions
    monkeypatch.setattr(service, "MAX_VERSIONS", len(api.store.versions()))
    r = api.client.post("/api/v1/replan", json={}, headers=api.auth("command"))
    assert r.status_code == 409


# --- Low ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"[" * 20_000 + b"]" * 20_000, b'{"a":' * 5000 + b"1" + b"}" * 5000],
)
def test_deeply_nested_json_is_422_not_500(api: Api, content: bytes) -> None:
    site = api.sites[0]
    r = api.client.post(
        f"/api/v1/sites/{site}/reports", content=content, headers=api.auth(site)
    )
    assert r.status_code == 422


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "1" * 8])
def test_odd_digits_in_the_form_are_422_not_500(api: Api, value: str) -> None:
    site = api.sites[0]
    form = {
        "code": api.codes[site],
        "at": "09:00",
        "sampled": value,
        "queue_people": "0",
        "tubes": "0",
        "report_id": "odd",
    }
    r = api.client.post(f"/sites/{site}", data=form)
    assert r.status_code == 422
    assert "Traceback" not in r.text


def test_x_forwarded_for_does_not_buy_more_guesses(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
) -> None:
    import urllib.error
    import urllib.request

    issue_codes(plan_dir)
    server = serve(plan_dir)
    seen = []
    for k in range(MAX_FAILURES + 2):
        req = urllib.request.Request(f"{server.url}/api/v1/status")
        req.add_header("Authorization", "Bearer 2222-3333-4444")
        req.add_header("X-Forwarded-For", f"198.51.100.{k + 1}")
        try:
            urllib.request.urlopen(req, timeout=10)
        except urllib.error.HTTPError as e:
            seen.append(e.code)
    assert seen[:MAX_FAILURES] == [401] * MAX_FAILURES
    assert seen[MAX_FAILURES:] == [429, 429]


def test_the_store_and_the_staff_phones_are_readable_by_their_owner_only(
    api: Api, tmp_path: Path
) -> None:
    from planner.io.plan_folder import read_plan_folder, write_plan_folder

    db = api.plan_dir / "ops.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    tables = read_plan_folder(api.plan_dir)
    staff = dataclasses.replace(
        tables,
        staff=tables.sites[["site_id"]].assign(name="张三", phone="13900000001"),
    )
    old = os.umask(0o022)
    try:
        write_plan_folder(staff, tmp_path / "out")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out" / "staff.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "out" / "sites.csv").stat().st_mode) == 0o644


def test_codes_are_issued_only_for_today_to_a_week_ahead(plan_dir: Path) -> None:
    today = local_today()
    for day, code in (
        (today - dt.timedelta(days=1), 2),
        (dt.date(2099, 1, 1), 2),
        (today + dt.timedelta(days=3), 0),
    ):
        args = ["ops", "codes", str(plan_dir), "--reissue", "--day", day.isoformat()]
        assert main(args) == code, day
    store = Store.open(plan_dir)
    try:
        late = end_of_day(today + dt.timedelta(days=3)) - dt.timedelta(minutes=1)
        sites = store.active_code_sites(iso(late))
    finally:
        store.close()
    assert sites


def test_the_api_description_needs_no_outside_script(api: Api) -> None:
    assert api.client.get("/docs").status_code == 404
    spec = api.client.get("/openapi.json")
    assert spec.status_code == 200 and "/api/v1/status" in spec.json()["paths"]
    for path in ("/", f"/sites/{api.sites[0]}", "/sites/nowhere"):
        text = api.client.get(path).text
        assert "http://" not in text and "https://" not in text
