"""Time `planner validate` on workbooks: the demo and a generated 300,000-resident street.

Each figure is the wall time of the whole command (interpreter start, imports, reading,
checking and building the scenario), as a street office would see it, and its CPU time
(user + system), which a busy shared machine disturbs less. Targets (issue 14):
the demo workbook within 2 s, the 300,000-resident workbook within 15 s.

Run: .venv/bin/python benchmarks/bench_load.py [--repeat N] [--residents N]
The generated workbook is kept in out/bench/ so later runs skip generating it.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS_S = {"demo": 2.0, "street": 15.0}


def _validate_s(book: Path) -> tuple[float, float]:
    """Return the wall time and the CPU time (user + system) of one validate run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", "validate", str(book)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"validate {book} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def _street_book(residents: int) -> Path:
    book = REPO / "out" / "bench" / f"street_{residents}.xlsx"
    if not book.exists():
        from planner.generate import generate_street
        from planner.io.writers import write_scenario_workbook

        t0 = time.perf_counter()
        street = generate_street(residents, seed=7, sealed_buildings=2)
        write_scenario_workbook(street.tables, street.meta, book)
        print(f"generated {book.name} in {time.perf_counter() - t0:.1f} s")
    return book


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--residents", type=int, default=300_000)
    args = parser.parse_args()
    books = {
        "demo": REPO / "data" / "demo.xlsx",
        "street": _street_book(args.residents),
    }
    for name, book in books.items():
        runs = [_validate_s(book) for _ in range(args.repeat)]
        times = [wall for wall, _ in runs]
        cpu = min(c for _, c in runs)
        size_mb = book.stat().st_size / 1e6
        verdict = "ok" if min(times) <= TARGETS_S[name] else "OVER"
        print(
            f"{name:<7} {book.name:<22} {size_mb:6.1f} MB  "
            f"wall min {min(times):6.2f} s  median {statistics.median(times):6.2f} s  "
            f"max {max(times):6.2f} s  cpu min {cpu:6.2f} s  "
            f"target {TARGETS_S[name]:4.1f} s  {verdict}"
        )
    load1, _, _ = os.getloadavg()
    print(f"load average (1 min) at the end: {load1:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
