"""Load and abuse of `planner serve` on 127.0.0.1: valid reports at 10× the planned peak.

The planned peak is the demo street's 40 sites each reporting every 5 minutes (8
reports a minute, README "screening day"); the phones here send 10× that (80 a minute)
for ``--seconds``, 5 % of them sent twice with the same ``report_id``, from 127.0.0.1.
At the same time attackers send as fast as they are answered, from other addresses on
the loopback interface (so they do not share the phones' failure count):

- from 127.0.0.2, with a valid site code (a broken or hostile phone), so the bodies
  reach the size cap and the parser: oversized bodies (a declared 300 MB
  ``Content-Length`` with only 64 KB of it sent, a 4 MB chunked body) and malformed
  ones (broken JSON, 20,000-deep nesting, wrong types, "²" in the form);
- from 127.0.0.3, wrong codes: random codes (401, then 429 once the address is blocked);

and one phone at 127.0.0.1 keeps re-sending its revoked (stale) code, which must not
lock out the other phones behind the same address. Everything is bounded: each phone
report is tried at most 3 times, each attacker stops at ``--seconds``, the run at most
10 minutes. Prints stored/lost/duplicated, p50/p95 latency of the phones' reports, the
count of 5xx answers of all traffic, and the service's peak RSS (``VmHWM``).

    python benchmarks/bench_abuse.py [--seconds 90] [--plan PLAN_DIR]

Without ``--plan`` it plans ``data/demo`` into a temporary folder first (10-30 s).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PLANNED_SITES = 40
PLANNED_EVERY_MIN = 5
LOAD_FACTOR = 10
RESEND_SHARE = 0.05
MAX_TRIES = 3
WALL_LIMIT_S = 600.0
PHONE = "127.0.0.1"
ATTACKER = "127.0.0.2"
GUESSER = "127.0.0.3"
ATTACKERS = 6
MEMORY_BOUND_MB = 600
"""The bound the README states for the service's peak RSS under this run, MB."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((PHONE, 0))
        return int(s.getsockname()[1])


class Tally:
    """Answers by status, and the phones' latencies (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.status: Counter[str] = Counter()
        self.latency: list[float] = []

    def add(self, kind: str, status: int, seconds: float | None = None) -> None:
        with self.lock:
            self.status[f"{kind} {status}"] += 1
            if seconds is not None:
                self.latency.append(seconds)


def _connect(port: int, source: str) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(
        PHONE, port, timeout=30, source_address=(source, 0)
    )


def _request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
) -> int:
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    if r.getheader("connection", "").lower() == "close":
        conn.close()
    return r.status


def now_hhmm() -> str:
    """The phones' clock, China Standard Time."""
    local = dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)
    return f"{local:%H:%M}"


def phones(
    port: int, codes: dict[str, str], sites: list[str], seconds: float, tally: Tally
) -> dict[str, list[dict[str, Any]]]:
    """Send valid reports at 10× the planned peak; return what was acknowledged."""
    rate = LOAD_FACTOR * PLANNED_SITES / (PLANNED_EVERY_MIN * 60.0)  # reports/s
    total = int(rate * seconds)
    rng = random.Random(7)
    acked: dict[str, list[dict[str, Any]]] = {s: [] for s in sites}
    counts = dict.fromkeys(sites, 0)
    conn = _connect(port, PHONE)
    start = time.monotonic()
    for k in range(total):
        due = start + k / rate
        time.sleep(max(0.0, due - time.monotonic()))
        site = sites[k % len(sites)]
        counts[site] += 10
        body = {
            "at": now_hhmm(),
            "sampled": counts[site],
            "queue_people": rng.randrange(0, 40),
            "tubes": counts[site] // 10,
            "problem": None,
            "note": "",
            "report_id": f"b{k:05d}",
        }
        sends = 2 if rng.random() < RESEND_SHARE else 1
        for _ in range(sends):
            for _try in range(MAX_TRIES):
                t0 = time.perf_counter()
                try:
                    status = _request(
                        conn,
                        "POST",
                        f"/api/v1/sites/{site}/reports",
                        json.dumps(body).encode(),
                        {
                            "Authorization": f"Bearer {codes[site]}",
                            "Content-Type": "application/json",
                        },
                    )
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = _connect(port, PHONE)
                    tally.add("phone", 0)
                    continue
                tally.add("phone", status, time.perf_counter() - t0)
                if status in (200, 201):
                    if status == 201:
                        acked[site].append(body)
                    break
        if time.monotonic() - start > WALL_LIMIT_S:
            break
    conn.close()
    return acked


def stale_phone(
    port: int, site: str, code: str, stop: threading.Event, tally: Tally
) -> None:
    """A phone behind the same address that kept a revoked code, re-sending it."""
    conn = _connect(port, PHONE)
    k = 0
    while not stop.is_set():
        k += 1
        body = {
            "at": now_hhmm(),
            "sampled": k,
            "queue_people": 0,
            "tubes": 0,
            "report_id": f"stale{k}",
        }
        try:
            status = _request(
                conn,
                "POST",
                f"/api/v1/sites/{site}/reports",
                json.dumps(body).encode(),
                {"Authorization": f"Bearer {code}", "Content-Type": "application/json"},
            )
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = _connect(port, PHONE)
            continue
        tally.add("stale", status)
        stop.wait(1.0)
    conn.close()


def attacker(
    port: int, site: str, code: str, which: int, stop: threading.Event, tally: Tally
) -> None:
    """Send oversized, malformed and wrong-code requests until `stop`.

    Malformed and oversized bodies carry the site's valid `code` (a broken or hostile
    phone), so they reach the size cap and the parser; guesses carry random codes.
    """
    rng = random.Random(which)
    path = f"/api/v1/sites/{site}/reports"
    conn = _connect(port, ATTACKER)
    gconn = _connect(port, GUESSER)
    while not stop.is_set():
        kind = rng.choice(("huge", "chunked", "json", "deep", "types", "form", "guess"))
        try:
            if kind == "huge":
                status = _huge(port)
            elif kind == "chunked":
                status = _chunked(port, path, code)
            else:
                guess = "".join(rng.choice("23456789ABCDEFGH") for _ in range(12))
                headers = {
                    "Authorization": f"Bearer {guess if kind == 'guess' else code}",
                    "Content-Type": "application/json",
                }
                body: bytes = {
                    "json": b'{"at": "09:00", "sampled": ',
                    "deep": b"[" * 20_000 + b"]" * 20_000,
                    "types": json.dumps({"at": 9, "sampled": "many"}).encode(),
                    "form": f"code={code}&at=00:00&sampled=%C2%B2&queue_people=0"
                    "&tubes=0&report_id=f1".encode(),
                    "guess": b"{}",
                }[kind]
                target = f"/sites/{site}" if kind == "form" else path
                if kind == "form":
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                via = gconn if kind == "guess" else conn
                status = _request(via, "POST", target, body, headers)
        except (OSError, http.client.HTTPException):
            conn.close()
            gconn.close()
            conn, gconn = _connect(port, ATTACKER), _connect(port, GUESSER)
            status = 0
        tally.add(f"attack-{kind}", status)
    conn.close()
    gconn.close()


def _huge(port: int) -> int:
    """Declare 300 MB, send 64 KB, read the answer."""
    with socket.create_connection((PHONE, port), 30, (ATTACKER, 0)) as s:
        s.sendall(
            b"POST /api/v1/sites/X/reports HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
        )
        # the service may answer and close before taking it all
        with contextlib.suppress(OSError):
            s.sendall(b" " * 65536)
        return _status(s)


def _chunked(port: int, path: str, code: str) -> int:
    """Stream 4 MB in chunks with no length (the cap must cut it)."""
    with socket.create_connection((PHONE, port), 30, (ATTACKER, 0)) as s:
        s.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            f"Authorization: Bearer {code}\r\n\r\n".encode()
        )
        piece = b"x" * 65536
        try:
            for _ in range(64):
                s.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        return _status(s)


def _status(s: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return 0
        data += chunk
    return int(data.split(b" ", 2)[1])


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (``VmHWM``), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(plan_dir: Path, seconds: float) -> int:
    from planner.cli import main as cli

    cli(["ops", "codes", str(plan_dir), "--reissue"])
    with (plan_dir / "ops_codes.csv").open(encoding="utf-8-sig") as fh:
        codes = dict(line.strip().split(",", 1) for line in list(fh)[1:])
    sites = sorted(s for s in codes if s != "command")
    stale_site, sites = sites[-1], sites[:-1]
    cli(["ops", "revoke", str(plan_dir), stale_site])
    port = free_port()
    log = (plan_dir / "serve-abuse.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", "serve", str(plan_dir), "--port", str(port)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://{PHONE}:{port}/api/v1/health"):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    print("service did not start")
                    return 1
                time.sleep(0.2)
        base_mb = rss_mb(proc.pid)
        tally = Tally()
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=attacker, args=(port, sites[0], codes[sites[0]], i, stop, tally)
            )
            for i in range(ATTACKERS)
        ]
        threads.append(
            threading.Thread(
                target=stale_phone,
                args=(port, stale_site, codes[stale_site], stop, tally),
            )
        )
        for t in threads:
            t.start()
        t0 = time.monotonic()
        try:
            acked = phones(port, codes, sites, seconds, tally)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        wall = time.monotonic() - t0
        return report(port, codes, acked, tally, wall, base_mb, peak_rss_mb(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def report(
    port: int,
    codes: dict[str, str],
    acked: dict[str, list[dict[str, Any]]],
    tally: Tally,
    wall: float,
    base_mb: float,
    peak_mb: float,
) -> int:
    lost = duplicated = stored = wrong = 0
    for site, sent in acked.items():
        req = urllib.request.Request(
            f"http://{PHONE}:{port}/api/v1/sites/{site}/reports"
        )
        req.add_header("Authorization", f"Bearer {codes['command']}")
        with urllib.request.urlopen(req, timeout=60) as r:
            rows = json.loads(r.read())
        ids = Counter(r["report_id"] for r in rows)
        stored += len(rows)
        duplicated += sum(n - 1 for n in ids.values() if n > 1)
        by_id = {r["report_id"]: r for r in rows}
        for body in sent:
            got = by_id.get(body["report_id"])
            if got is None:
                lost += 1
            elif got["sampled"] != body["sampled"]:
                wrong += 1
    sent_ok = sum(len(v) for v in acked.values())
    lat = sorted(tally.latency)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p95 = lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else float("nan")
    five = sum(n for k, n in tally.status.items() if k.split()[1].startswith("5"))
    print(
        f"run: {wall:.0f} s; phones at {LOAD_FACTOR}x the planned peak "
        f"({LOAD_FACTOR * PLANNED_SITES / PLANNED_EVERY_MIN:.0f} reports/min)"
    )
    print(
        f"valid reports acknowledged {sent_ok}: stored {stored}, lost {lost}, "
        f"duplicated {duplicated}, figures wrong {wrong}"
    )
    print(f"phone POST latency p50 {p50:.0f} ms, p95 {p95:.0f} ms (n={len(lat)})")
    print(f"5xx answers (all traffic): {five}")
    print(
        f"service RSS: {base_mb:.0f} MB at start, peak {peak_mb:.0f} MB "
        f"(bound {MEMORY_BOUND_MB} MB)"
    )
    attacks = sum(n for k, n in tally.status.items() if k.startswith("attack"))
    print(f"attack requests answered: {attacks} ({attacks / wall:.0f}/s)")
    print("answers by kind:")
    for key in sorted(tally.status):
        print(f"  {key}: {tally.status[key]}")
    phone_refused = sum(
        n
        for k, n in tally.status.items()
        if k.startswith("phone") and k.split()[1] not in ("200", "201")
    )
    ok = (
        lost == duplicated == wrong == five == phone_refused == 0
        and stored == sent_ok
        and peak_mb <= MEMORY_BOUND_MB
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=90.0)
    ap.add_argument(
        "--plan", type=Path, help="a plan folder (copied; default: plan data/demo)"
    )
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-abuse-"))
    try:
        plan_dir = root / "plan"
        if args.plan:
            shutil.copytree(
                args.plan, plan_dir, ignore=shutil.ignore_patterns("ops*", "versions")
            )
        else:
            from planner.cli import main as cli

            t0 = time.perf_counter()
            cli(
                ["plan", str(REPO / "data" / "demo"), "--out", str(plan_dir), "--force"]
            )
            print(f"data/demo planned in {time.perf_counter() - t0:.0f} s")
        return run(plan_dir, min(args.seconds, WALL_LIMIT_S))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
