"""Time campaigns: a 2-million-resident district of 20 streets × 3 rounds, and 1 vs 2 workers.

Run: nice .venv/bin/python benchmarks/bench_campaign.py [--residents 2000000]
     [--streets 20] [--rounds 3] [--workers 2] [--speedup-residents 300000]
     [--speedup-streets 6] [--engine local|ray] [--keep DIR]

Prints, for the district: generation time, campaign wall time (target ≤ 300 s on
this 2-core machine), peak resident memory of the whole process tree (driver and
workers), per-street times and the share of round 1; then the same smaller district
with 1 and with 2 workers and the speed-up. The machine's load average is printed
too, because other jobs share its two cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _campaign_common import load_average, timed

from planner.campaign import generate_district, run_campaign

TARGET_S = 300.0


def district_run(
    root: Path, residents: int, streets: int, rounds: int, workers: int, engine: str
) -> None:
    t0 = time.perf_counter()
    made = generate_district(streets, residents, seed=2026, out=root / "district")
    gen = time.perf_counter() - t0
    print(
        f"generated {len(made.streets)} streets, {made.residents:,} residents "
        f"in {gen:.0f} s (street sizes {min(r for *_x, r in made.streets):,}–"
        f"{max(r for *_x, r in made.streets):,})"
    )
    print(f"load average before: {load_average()}")
    result, wall, peak = timed(
        run_campaign,
        made.path,
        root / "out",
        rounds=rounds,
        workers=workers,
        engine=engine,
        seed=1,
    )
    per_street = [o.wall_time_s for o in result.outcomes]
    first = [o.rounds[0].wall_time_s for o in result.outcomes]
    later = [r.wall_time_s for o in result.outcomes for r in o.rounds[1:]]
    ok = "≤" if wall <= TARGET_S else ">"
    print(
        f"campaign {streets} streets × {rounds} rounds on {engine}/{workers} workers: "
        f"{wall:.0f} s ({ok} {TARGET_S:.0f} s target), peak memory {peak:,.0f} MiB"
    )
    print(
        f"  per street: median {statistics.median(per_street):.1f} s, "
        f"max {max(per_street):.1f} s, sum {sum(per_street):.0f} s "
        f"(parallel efficiency {sum(per_street) / (wall * workers):.0%})"
    )
    print(
        f"  per street-round: round 1 median {statistics.median(first):.1f} s, "
        f"later rounds median {statistics.median(later):.1f} s"
    )
    people = sum(o.residents for o in result.outcomes)
    print(
        f"  {people * rounds / wall:,.0f} resident-rounds per second; "
        f"transfers {len(result.days.transfers)}, orders {len(result.days.orders)}, "
        f"uncovered rows {len(result.days.uncovered)}"
    )
    print(f"load average after: {load_average()}")


def speedup(root: Path, residents: int, streets: int, rounds: int) -> None:
    made = generate_district(streets, residents, seed=7, out=root / "small")
    walls = {}
    for w in (1, 2):
        result, wall, peak = timed(
            run_campaign,
            made.path,
            root / f"small{w}",
            rounds=rounds,
            workers=w,
            seed=1,
        )
        walls[w] = wall
        print(
            f"{made.residents:,} residents, {streets} streets × {rounds} rounds, "
            f"{w} worker(s): {wall:.0f} s, peak {peak:,.0f} MiB (load {load_average()})"
        )
        digests = [r.digest for o in result.outcomes for r in o.rounds]
        if w == 1:
            first = digests
        elif digests != first:
            print("  plans differ between 1 and 2 workers!")
    print(f"speed-up 1 → 2 workers: {walls[1] / walls[2]:.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=2_000_000)
    ap.add_argument("--streets", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="local", choices=["local", "ray"])
    ap.add_argument("--speedup-residents", type=int, default=300_000)
    ap.add_argument("--speedup-streets", type=int, default=6)
    ap.add_argument("--skip-district", action="store_true")
    ap.add_argument("--skip-speedup", action="store_true")
    ap.add_argument("--keep", help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        if not args.skip_district:
            district_run(
                root,
                args.residents,
                args.streets,
                args.rounds,
                args.workers,
                args.engine,
            )
        if not args.skip_speedup:
            speedup(root, args.speedup_residents, args.speedup_streets, 2)


if __name__ == "__main__":
    main()
