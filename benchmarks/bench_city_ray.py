"""A 25-million-resident city of about 200 streets on Ray: measure a sample, project the rest.

Run: nice .venv/bin/python benchmarks/bench_city_ray.py [--residents 25000000]
     [--streets 200] [--sample 6] [--rounds 3] [--cpus 2] [--full]

The city's 200 street sizes are drawn as `planner generate --district` draws them;
with ``--sample K`` only K streets spread over the size range are written and run (the
whole city is 25 million residents, about 2.5 GB of CSV and, on this 2-core machine, a
few hours), on a local Ray instance with ``--cpus`` CPUs. Printed: time per street and
per street-round against its size, the Ray run's wall time and peak memory, a least-
squares fit ``seconds = a + b · residents``, and from it the whole city's core-seconds and
its wall time here and on clusters of 32 and 128 cores (greedy largest-first packing of
the predicted street times onto the cores; a cluster cannot finish before its largest
street). ``--full`` runs every street instead of a sample.
"""

from __future__ import annotations

import argparse
import heapq
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _campaign_common import load_average, timed

from planner.campaign import generate_district, run_campaign
from planner.campaign.generate import street_sizes


def makespan(times: list[float], cores: int) -> float:
    """Largest-first list scheduling of independent tasks on `cores` cores."""
    loads = [0.0] * cores
    heapq.heapify(loads)
    for t in sorted(times, reverse=True):
        heapq.heappush(loads, heapq.heappop(loads) + t)
    return max(loads)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=25_000_000)
    ap.add_argument("--streets", type=int, default=200)
    ap.add_argument("--sample", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument("--full", action="store_true")
    ap.add_argument(
        "--quantiles",
        type=float,
        nargs=2,
        default=(0.0, 1.0),
        metavar=("LOW", "HIGH"),
        help="size quantiles the sample spans (default 0 1: smallest to largest)",
    )
    ap.add_argument("--keep", help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    sizes = street_sizes(args.streets, args.residents, np.random.default_rng(args.seed))
    order = np.argsort(sizes)
    if args.full:
        pick = tuple(range(args.streets))
    else:
        lo, hi = args.quantiles
        qs = np.linspace(lo * (len(sizes) - 1), hi * (len(sizes) - 1), args.sample)
        qs = qs.round().astype(int)
        pick = tuple(sorted(int(order[q]) for q in qs))
    print(
        f"city: {args.streets} streets, {sum(sizes):,} residents "
        f"(streets {min(sizes):,}–{max(sizes):,}, median {int(np.median(sizes)):,}); "
        f"running {len(pick)} of them × {args.rounds} rounds on Ray ({args.cpus} CPUs)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        t0 = time.perf_counter()
        made = generate_district(
            args.streets, args.residents, seed=args.seed, out=root / "city", only=pick
        )
        print(f"generated the sample in {time.perf_counter() - t0:.0f} s")
        print(f"load average before: {load_average()}")
        result, wall, peak = timed(
            run_campaign,
            made.path,
            root / "out",
            rounds=args.rounds,
            engine="ray",
            workers=args.cpus,
            seed=1,
        )
        print(
            f"Ray run: {wall:.0f} s wall, peak memory {peak:,.0f} MiB "
            f"(driver, raylet, workers); load average after: {load_average()}"
        )
        xs, ys = [], []
        for o in result.outcomes:
            rounds = ", ".join(f"{r.wall_time_s:.1f}" for r in o.rounds)
            print(
                f"  {o.street} {o.residents:>9,} residents: {o.wall_time_s:6.1f} s "
                f"(rounds {rounds} s)"
            )
            xs.append(o.residents)
            ys.append(o.wall_time_s)
    b, a = np.polyfit(np.asarray(xs, float), np.asarray(ys, float), 1)
    a = max(a, 0.0)
    predicted = [a + b * s for s in sizes]
    total = sum(predicted)
    print(
        f"fit: seconds per street ≈ {a:.1f} + {b * 1e5:.1f} per 100,000 residents "
        f"({args.rounds} rounds)"
    )
    print(
        f"whole city: {total / 3600:.1f} core-hours; per street median "
        f"{np.median(predicted):.0f} s, largest {max(predicted):.0f} s"
    )
    for cores in (args.cpus, 32, 128):
        print(
            f"  projected wall time on {cores:>3} cores: "
            f"{makespan(predicted, cores) / 60:.1f} min"
        )


if __name__ == "__main__":
    main()
