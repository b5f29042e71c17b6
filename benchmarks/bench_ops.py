"""Load test of `planner serve`: 40 sites reporting every 5 minutes for 6 hours.

The day's 40 × 72 = 2,880 reports are replayed as fast as the service takes them by
8 concurrent clients (each its own keep-alive connection, each site's reports in
clock order), and 5 % of them are sent a second time with the same ``report_id``, as
a phone does when an answer is lost. Every request goes to 127.0.0.1; the loop is
bounded (each report is tried at most 3 times, the whole replay at most 10 minutes)
and stops by itself. At the end every site's reports are read back and checked: none
lost, none counted twice, every figure as sent. Prints p50/p95/max latency of the
POSTs and the time of one status call with the drill forecast.

    python benchmarks/bench_ops.py [--postgres | --db postgresql://...] [--residents 70000]

``--postgres`` starts a throw-away PostgreSQL cluster from Debian's package on a free
local port for the run (and removes it afterwards).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SITES = 40
EVERY_MIN = 5
HOURS = 6
CLIENTS = 8
RESEND_SHARE = 0.05
MAX_TRIES = 3
WALL_LIMIT_S = 600.0


def make_street(root: Path, residents: int) -> tuple[Path, Path]:
    """Generate and plan a street with at least 40 open sites."""
    from planner import load_scenario
    from planner.generate import generate_street
    from planner.io.plan_folder import write_plan_folder
    from planner.io.writers import write_scenario_folder
    from planner.planning.codec import build_plan_tables
    from planner.planning.plan import SolveParams, make_plan

    st = generate_street(residents, seed=7)
    write_scenario_folder(st.tables, st.meta, root / "street")
    loaded = load_scenario(root / "street")
    plan = make_plan(
        loaded.scenario,
        loaded.policy,
        SolveParams(time_limit_s=20.0, num_workers=2, route_time_limit_s=5.0),
    )
    write_plan_folder(build_plan_tables(plan, loaded.scenario), root / "plan")
    return root / "street", root / "plan"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: SQLite in the plan folder)")
    ap.add_argument(
        "--postgres", action="store_true", help="run on a throw-away PostgreSQL"
    )
    ap.add_argument("--residents", type=int, default=70_000)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-ops-"))
    try:
        if args.postgres:
            with postgres(root) as url:
                return run(root, url, args.residents)
        return run(root, args.db, args.residents)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres(root: Path) -> Iterator[str]:
    """Start a PostgreSQL cluster from Debian's package on a free port; yield its URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("Debian's postgresql package is not installed")
    bindir = Path(found[-1]).parent
    base = root / "pg"
    base.mkdir()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(root, "postgres")
        shutil.chown(base, "postgres")
    port = free_port()
    data = base / "data"
    subprocess.run(
        [
            *as_pg,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "planner",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_pg,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-o",
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://planner@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
            check=False,
        )


def run(root: Path, db_url: str | None, residents: int) -> int:
    """Plan a street, issue codes, start the service and replay the day."""
    from planner.cli import main as cli

    t0 = time.perf_counter()
    street, plan_dir = make_street(root, residents)
    print(
        f"street of {residents} residents planned in {time.perf_counter() - t0:.0f} s"
    )
    print("database:", "PostgreSQL" if db_url else "SQLite (WAL) in the plan folder")
    db = ["--db", db_url] if db_url else []
    cli(["ops", "codes", str(plan_dir), *db])
    with (plan_dir / "ops_codes.csv").open(encoding="utf-8-sig") as fh:
        codes = dict(line.strip().split(",", 1) for line in list(fh)[1:])
    sites = sorted(s for s in codes if s != "command")
    if len(sites) < SITES:
        print(f"only {len(sites)} open sites; replaying all of them")
    sites = sites[:SITES]
    port = free_port()
    log = (root / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner",
            "serve",
            str(plan_dir),
            "--port",
            str(port),
            "--scenario",
            str(street),
            *db,
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health"):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    print("service did not start")
                    return 1
                time.sleep(0.2)
        return replay(port, sites, codes)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def replay(port: int, sites: list[str], codes: dict[str, str]) -> int:
    steps = HOURS * 60 // EVERY_MIN
    rng = random.Random(7)
    sent: dict[tuple[str, str], dict[str, Any]] = {}
    for site in sites:
        for k in range(steps):
            at = 8 * 60 + k * EVERY_MIN
            body = {
                "at": f"{at // 60:02d}:{at % 60:02d}",
                "sampled": 12 * k,
                "queue_people": rng.randrange(0, 60),
                "tubes": (12 * k) // 10,
                "problem": None,
                "note": "",
                "report_id": f"{site}-{k:03d}",
            }
            sent[(site, body["report_id"])] = body
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + WALL_LIMIT_S

    def client(mine: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local_rng = random.Random(hash(tuple(mine)) & 0xFFFF)
        for k in range(steps):
            for site in mine:
                body = sent[(site, f"{site}-{k:03d}")]
                times = 2 if local_rng.random() < RESEND_SHARE else 1
                for _ in range(times):
                    for _attempt in range(MAX_TRIES):
                        if time.monotonic() > stop_at:
                            return
                        t = time.perf_counter()
                        try:
                            conn.request(
                                "POST",
                                f"/api/v1/sites/{site}/reports",
                                json.dumps(body),
                                {
                                    "Authorization": f"Bearer {codes[site]}",
                                    "Content-Type": "application/json",
                                },
                            )
                            r = conn.getresponse()
                            r.read()
                            status = r.status
                        except (OSError, http.client.HTTPException):
                            conn.close()
                            conn = http.client.HTTPConnection(
                                "127.0.0.1", port, timeout=30
                            )
                            status = 0
                        dt = time.perf_counter() - t
                        with lock:
                            statuses[status] = statuses.get(status, 0) + 1
                            if status in (200, 201):
                                latencies.append(dt)
                        if status in (200, 201):
                            break
                    else:
                        with lock:
                            failures.append(body["report_id"])
        conn.close()

    groups = [sites[i::CLIENTS] for i in range(CLIENTS)]
    threads = [threading.Thread(target=client, args=(g,)) for g in groups]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0

    lost = dup = wrong = 0
    for site in sites:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/sites/{site}/reports",
            headers={"Authorization": f"Bearer {codes['command']}"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            rows = json.loads(r.read())
        ids = [x["report_id"] for x in rows]
        dup += len(ids) - len(set(ids))
        want = {rid for (s, rid) in sent if s == site}
        lost += len(want - set(ids))
        for x in rows:
            b = sent.get((site, x["report_id"]))
            if b is None or any(
                x[f] != b[f] for f in ("at", "sampled", "queue_people")
            ):
                wrong += 1
    t = time.perf_counter()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/status",
        headers={"Authorization": f"Bearer {codes['command']}"},
    )
    with urllib.request.urlopen(req, timeout=120) as r:
        status = json.loads(r.read())
    status_s = time.perf_counter() - t

    lat = sorted(latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
    print(
        f"replayed {len(sent)} reports ({len(sites)} sites × {steps}) plus resends "
        f"with {CLIENTS} clients in {wall:.1f} s ({len(lat) / wall:.0f} answers/s)"
    )
    print(
        f"answers: {dict(sorted(statuses.items()))}; "
        f"given up after {MAX_TRIES} tries: {len(failures)}"
    )
    print(
        f"POST latency ms: p50 {1000 * statistics.median(lat):.1f}, "
        f"p95 {1000 * p95:.1f}, max {1000 * lat[-1]:.1f}"
    )
    print(
        f"lost {lost}, duplicated {dup}, altered {wrong}  ->  "
        + ("NO LOSS, NO DUPLICATES" if lost == dup == wrong == 0 else "FAILED")
    )
    fc = status["street"]["forecast"]
    print(
        f"status with forecast: {status_s:.1f} s "
        f"(P(finish in window) {fc['p_finish_in_window']}, finish p50 {fc['finish_p50']})"
    )
    return 0 if lost == dup == wrong == 0 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
