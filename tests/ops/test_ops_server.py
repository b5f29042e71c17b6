"""`planner serve` as a real process on SQLite and PostgreSQL: kill it, lose nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.cli import build_parser


def _listening(port: int) -> list[str]:
    """Return the local addresses (hex, as /proc shows them) listening on `port`."""
    out = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            addr, hexport = parts[1].rsplit(":", 1)
            if int(hexport, 16) == port and parts[3] == "0A":  # LISTEN
                out.append(addr)
    return out


def test_the_service_listens_on_this_machine_only_by_default(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
) -> None:
    args = build_parser().parse_args(["serve", str(plan_dir)])
    assert (args.host, args.port) == ("127.0.0.1", 8600)
    issue_codes(plan_dir)
    server = serve(plan_dir)
    assert _listening(server.port) == ["0100007F"]  # 127.0.0.1, nothing else


def _report(i: int) -> dict[str, Any]:
    return {
        "at": f"{8 + i // 60:02d}:{i % 60:02d}",
        "sampled": i,
        "queue_people": i % 7,
        "tubes": i // 10,
        "problem": None,
        "note": f"第{i}次",
        "report_id": f"k{i:04d}",
    }


def test_killing_the_service_mid_stream_loses_no_acknowledged_report(
    plan_dir: Path,
    issue_codes: Callable[..., dict[str, str]],
    serve: Callable[..., Any],
    db_url: str | None,
    call: Callable[..., tuple[int, Any]],
) -> None:
    codes = issue_codes(plan_dir, *(["--db", db_url] if db_url else []))
    sites = [s for s in codes if s != "command"]
    server = serve(plan_dir, db_url)
    n = 160
    acked: set[tuple[str, str]] = set()
    lock = threading.Lock()
    enough = threading.Event()

    def sender(part: int) -> None:
        for i in range(part, n, 4):
            site = sites[i % len(sites)]
            status, body = call(
                "POST",
                f"{server.url}/api/v1/sites/{site}/reports",
                codes[site],
                _report(i),
            )
            if status == 0:
                return  # the service is gone
            assert status == 201, body
            with lock:
                acked.add((site, body["report_id"]))
                if len(acked) >= 50:
                    enough.set()

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    assert enough.wait(60)
    server.kill()
    for th in threads:
        th.join(30)
    assert 50 <= len(acked) < n
    server.start()

    def stored() -> list[tuple[str, str]]:
        out = []
        for site in sites:
            status, rows = call(
                "GET", f"{server.url}/api/v1/sites/{site}/reports", codes["command"]
            )
            assert status == 200
            out += [(site, r["report_id"]) for r in rows]
        return out

    after_restart = stored()
    assert acked <= set(after_restart)
    # the phones resend whatever they are unsure of: each is stored once
    for i in range(n):
        site = sites[i % len(sites)]
        status, _ = call(
            "POST", f"{server.url}/api/v1/sites/{site}/reports", codes[site], _report(i)
        )
        assert status in (200, 201)
    final = stored()
    assert len(final) == len(set(final)) == n
