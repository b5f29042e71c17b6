"""Time `planner plan` with and without certification, and check the drill agrees.

Run: .venv/bin/python benchmarks/bench_certify.py [--repeat 3] [--big 150000]

For the demo street (and, with ``--big N``, a generated street of N people) prints:
wall and CPU seconds of ``planner plan --no-export`` with ``--certify off`` and on (the
best of ``--repeat`` runs, so a busy machine overstates less), the stage timings, the
certified chances and attempts, and a separate 200-replication ``planner drill`` of
the written plan with its difference from the certification in standard errors.
"""

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLANNER = [sys.executable, "-m", "planner"]


def _run(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [*PLANNER, *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"planner {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return wall, cpu, proc


def bench(label: str, scenario: Path, root: Path, repeat: int) -> None:
    best: dict[str, tuple[float, float]] = {}
    for mode in ("off", "on"):
        out = root / f"{label}-{mode}"
        runs = [
            _run(
                [
                    "plan",
                    str(scenario),
                    "--out",
                    str(out),
                    "--no-export",
                    "--certify",
                    mode,
                ]
            )
            for _ in range(repeat)
        ]
        best[mode] = min((w, c) for w, c, _ in runs)
    off, on = best["off"], best["on"]
    summary = json.loads(
        (root / f"{label}-on" / "plan.json").read_text(encoding="utf-8")
    )
    cert = summary["certification"]
    print(
        f"{label:<10} certify off: wall {off[0]:6.1f} s cpu {off[1]:6.1f} s | on: wall "
        f"{on[0]:6.1f} s cpu {on[1]:6.1f} s | ratio wall {on[0] / off[0]:.2f}"
    )
    print(f"           stages {summary['timings_s']}")
    print(
        f"           certified ({cert['replications']} reps, {len(cert['attempts'])} "
        f"attempt(s), met={cert['met']}): P(finish) {cert['p_finish']:.3f}  "
        f"P(queue over) {cert['p_queue_over']:.3f}  P(teams) {cert['p_teams']:.3f}  "
        f"P(transport) {cert['p_transport']:.3f}  cost {cert['cost']}"
    )
    drill = root / f"{label}-drill"
    wall, _cpu, _ = _run(
        [
            "drill",
            str(scenario),
            str(root / f"{label}-on"),
            "--out",
            str(drill),
            "--replan",
            "never",
        ]
    )
    st = json.loads((drill / "drill.json").read_text(encoding="utf-8"))["before"]
    for key, mine in (
        ("p_finish_in_window", "p_finish"),
        ("p_queue_over_limit", "p_queue_over"),
        ("teams_p_finish_in_window", "p_teams"),
    ):
        p, q = cert[mine], st[key]
        se = math.sqrt(
            max(p * (1 - p), 0.01) / cert["replications"]
            + max(q * (1 - q), 0.01) / st["replications"]
        )
        print(
            f"           drill ({st['replications']} reps, {wall:.1f} s) {key} {q:.3f} vs "
            f"{p:.3f}: {abs(p - q) / se:.1f} standard errors"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--big", type=int, default=0, help="also a generated street")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bench("demo", REPO / "data" / "demo", root, args.repeat)
        if args.big:
            street = root / "big"
            _run(
                [
                    "generate",
                    "--residents",
                    str(args.big),
                    "--seed",
                    "7",
                    "--sealed-buildings",
                    "3",
                    "--out",
                    str(street),
                ]
            )
            bench(f"{args.big // 1000}k", street, root, 1)


if __name__ == "__main__":
    main()
