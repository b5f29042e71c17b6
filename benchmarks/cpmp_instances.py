"""Generate tight capacitated p-median instances (published with the benchmark).

Osman–Christofides style: ``n`` points uniform in a 100 × 100 square, every point a
candidate site, integer demands 1–20, and all sites the same capacity
``Q = ceil(Σ d / (p · TIGHTNESS))`` so that the ``p`` open sites hold only
``1 / TIGHTNESS`` ≈ 1.11 times the demand: tight enough that capacity sends many
points past their nearest sites. The cost of serving point ``i`` from site ``j`` is
the distance times the demand (what `planner.locate` minimises for the street:
person-metres). ``p`` is 5, 10, 15 and 20 for 50, 100, 200 and 400 points, as in the
classic sets; other sizes get ``round(sqrt(n))``.

Same ``(n, seed)``, same instance (numpy's PCG64). Write them out as text:

    .venv/bin/python benchmarks/cpmp_instances.py --out out/cpmp [--sizes 50 100 200 400]
        [--seeds 1 2]

Each file ``cpmp_<n>_<seed>.txt`` has a first line ``n p Q`` and then one line
``x y demand`` per point (the OR-Library ``pmedcap`` layout).
"""

import argparse
import math
from pathlib import Path

import numpy as np

TIGHTNESS = 0.9
"""Demand over the capacity of the p open sites."""

P_FOR = {50: 5, 100: 10, 200: 15, 400: 20}
"""Sites to open per instance size."""


def tight_pmedian(n: int, seed: int) -> dict[str, np.ndarray | int]:
    """Return one instance: ``dist`` (n × n), ``demand``, ``cap``, ``p``, ``xy``."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n, 2))
    demand = rng.integers(1, 21, n).astype(float)
    p = P_FOR.get(n, max(2, round(math.sqrt(n))))
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    cap = np.full(n, math.ceil(float(demand.sum()) / (p * TIGHTNESS)))
    return {"dist": dist, "demand": demand, "cap": cap, "p": p, "xy": xy}


def write(inst: dict[str, np.ndarray | int], path: Path) -> None:
    """Write an instance in the OR-Library ``pmedcap`` layout."""
    xy = np.asarray(inst["xy"])
    demand = np.asarray(inst["demand"])
    lines = [f"{len(demand)} {inst['p']} {int(np.asarray(inst['cap'])[0])}"]
    lines += [f"{x:.6f} {y:.6f} {int(d)}" for (x, y), d in zip(xy, demand, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 100, 200, 400])
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        for seed in args.seeds:
            path = args.out / f"cpmp_{n}_{seed}.txt"
            write(tight_pmedian(n, seed), path)
            print(path)


if __name__ == "__main__":
    main()
