"""Fixtures of the screening-day tests: a planned street, codes, a real PostgreSQL."""

from __future__ import annotations

import contextlib
import csv
import glob
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from ops_clock import SERVE_LATE_TODAY

from planner.cli import main

if TYPE_CHECKING:
    from planner.planning.plan import SolveParams

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def planned_street(
    tmp_path_factory: pytest.TempPathFactory, fast_params: SolveParams
) -> tuple[Path, Path]:
    """A 5,000-resident street (3 open sites) and its plan folder, made once."""
    from planner import load_scenario
    from planner.generate import generate_street
    from planner.io.plan_folder import write_plan_folder
    from planner.io.writers import write_scenario_folder
    from planner.planning.codec import build_plan_tables
    from planner.planning.plan import make_plan

    root = tmp_path_factory.mktemp("ops")
    st = generate_street(5000, seed=3)
    write_scenario_folder(st.tables, st.meta, root / "street")
    loaded = load_scenario(root / "street")
    plan = make_plan(
        loaded.scenario,
        loaded.policy,
        fast_params,
    )
    write_plan_folder(build_plan_tables(plan, loaded.scenario), root / "plan")
    return root / "street", root / "plan"


@pytest.fixture
def plan_dir(tmp_path: Path, planned_street: tuple[Path, Path]) -> Path:
    """A fresh copy of the plan folder (its own empty store)."""
    dst = tmp_path / "plan"
    shutil.copytree(planned_street[1], dst)
    return dst


@pytest.fixture
def scenario_dir(planned_street: tuple[Path, Path]) -> Path:
    return planned_street[0]


def read_codes(plan_dir: Path) -> dict[str, str]:
    with (plan_dir / "ops_codes.csv").open(encoding="utf-8-sig") as fh:
        return {r["site_id"]: r["code"] for r in csv.DictReader(fh)}


@pytest.fixture
def issue_codes() -> Callable[..., dict[str, str]]:
    """Run `planner ops codes PLAN_DIR [extra]` and return ``{site_id: code}``."""

    def run(plan_dir: Path, *extra: str) -> dict[str, str]:
        assert main(["ops", "codes", str(plan_dir), *extra]) == 0
        return read_codes(plan_dir)

    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- a throw-away PostgreSQL cluster from Debian's package -------------------------


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "postgresql"],
                env=env,
                capture_output=True,
                timeout=600,
                check=False,
            )
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and the server refuse to run as root
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Start a PostgreSQL cluster on a free local port; yield ``host:port``."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("Debian's postgresql package is not installed and cannot be")
    base = Path(tempfile.mkdtemp(prefix="ops-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data = base / "data"
    port = free_port()
    subprocess.run(
        _as_postgres(
            [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "planner"]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(base / "log"),
                "-w",
                "-o",
                f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str, request: pytest.FixtureRequest) -> str:
    """A new empty database on the throw-away cluster, as a connection URL."""
    import psycopg

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50]
    host, port = pg_server.split(":")
    with psycopg.connect(
        host=host, port=int(port), user="planner", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://planner@{pg_server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str | None:
    """Both store back-ends: None (the SQLite file in the plan folder) and PostgreSQL."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url"))


# --- the service as a real process ------------------------------------------------


class Server:
    """`planner serve` in a subprocess on a free port."""

    def __init__(
        self, plan_dir: Path, db: str | None, scenario: Path | None = None
    ) -> None:
        self.plan_dir, self.db, self.scenario = plan_dir, db, scenario
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        cmd = [
            sys.executable,
            "-c",
            SERVE_LATE_TODAY,
            "serve",
            str(self.plan_dir),
            "--port",
            str(self.port),
        ]
        if self.db:
            cmd += ["--db", self.db]
        if self.scenario:
            cmd += ["--scenario", str(self.scenario)]
        with (self.plan_dir / "serve.log").open("ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1):
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "planner serve did not start: "
                    + (self.plan_dir / "serve.log").read_text(errors="replace")
                )
            time.sleep(0.1)

    def kill(self) -> None:
        """Kill -9: no shutdown handler runs."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """Start `planner serve` processes; every one is stopped after the test."""
    started: list[Server] = []

    def start(
        plan_dir: Path, db: str | None = None, scenario: Path | None = None
    ) -> Server:
        server = Server(plan_dir, db, scenario).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _call(
    method: str, url: str, code: str | None = None, body: Any = None
) -> tuple[int, Any]:
    """Send one request; return ``(status, json)``, status 0 when nobody answers."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if code:
        req.add_header("Authorization", f"Bearer {code}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")
    except (OSError, http.client.HTTPException, ValueError):
        # no complete answer (e.g. the service was killed mid-reply): not acknowledged,
        # as a phone would see it, so the report is sent again later
        return 0, None


@pytest.fixture
def call() -> Callable[..., tuple[int, Any]]:
    """``call(method, url, code=None, body=None) -> (status, json)`` over plain HTTP."""
    return _call
