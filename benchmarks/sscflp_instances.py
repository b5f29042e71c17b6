"""Generate single-source capacitated facility-location instances (SSCFLP).

The classic scheme of Cornuéjols, Sridharan and Thizy (1991), which the published
SSCFLP sets follow (Holmberg et al. 1999, Díaz and Fernández 2002, Yang et al. 2012,
the large TBED1 set of Avella et al. 2009, kernel search by Guastaroba and Speranza
2014): ``n`` customers and ``m`` candidate sites in the unit square,

- demand ``d_i ~ U[5, 35]`` (integer);
- capacity ``s_j ~ U[10, 160]``, then scaled so that ``Σ_j s_j = r · Σ_i d_i``: the
  *capacity ratio* ``r`` (3 tight, 10 loose) and rounded to integers;
- opening cost ``f_j = U[0, 90] + U[100, 110] · sqrt(s_j)`` (economies of scale);
- cost of serving ``i`` from ``j``: ``c_ij = 10 · ‖p_i − q_j‖ · d_i`` (ten money
  units per unit of demand and of distance), the street problem's person-metres.

Two kinds of points:

- ``uniform``: customers and sites uniform in the square;
- ``clustered``: customers drawn around ``max(3, n // 100)`` centres (uniform in the
  square) with a normal spread of 0.06 per axis, clipped to the square, and each site
  at a random customer's place moved by a normal 0.03: sites where the people are, as
  in a street (the clustered families of Gadegaard, Klose and Nielsen 2018 and of
  the p-median literature).

Same ``(kind, n, m, r, seed)``, same instance (numpy's PCG64, one stream per
instance). Write them out as text:

    .venv/bin/python benchmarks/sscflp_instances.py --out out/sscflp \\
        [--sizes 200x50 1000x100] [--ratios 3 5 10] [--kinds uniform clustered]

Each file ``sscflp_<kind>_<n>x<m>_r<r>_s<seed>.txt`` has the OR-Library ``cap``
layout of Holmberg's SSCFLP files: ``m n``; ``m`` lines ``capacity opening_cost``;
the ``n`` demands; then the ``m × n`` cost matrix, one site per line.
"""

import argparse
from pathlib import Path

import numpy as np

KINDS = ("uniform", "clustered")
"""Point layouts."""

CLUSTER_SPREAD = 0.06
"""Clustered customers: normal spread around their centre, per axis (unit square)."""

SITE_SPREAD = 0.03
"""Clustered sites: normal spread around the customer they are drawn at."""


def parse_size(size: str) -> tuple[int, int]:
    """Return ``(customers, sites)`` of a size written ``<customers>x<sites>``."""
    n, m = (int(v) for v in size.lower().split("x"))
    return n, m


def sscflp(kind: str, n: int, m: int, ratio: float, seed: int) -> dict[str, np.ndarray]:
    """Return one instance.

    Keys: ``dist`` (n × m, Euclidean), ``demand`` (n), ``cap`` (m), ``open_cost``
    (m), ``cost`` (n × m, ``10 · dist · demand``), ``xy`` (n × 2), ``site_xy``
    (m × 2).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    # one stream per instance, whatever else is generated before it
    key = [KINDS.index(kind), n, m, round(ratio * 100), seed]
    rng = np.random.default_rng(key)
    if kind == "uniform":
        xy = rng.uniform(0.0, 1.0, (n, 2))
        site_xy = rng.uniform(0.0, 1.0, (m, 2))
    else:
        centres = rng.uniform(0.0, 1.0, (max(3, n // 100), 2))
        which = rng.integers(0, len(centres), n)
        xy = np.clip(centres[which] + rng.normal(0.0, CLUSTER_SPREAD, (n, 2)), 0, 1)
        at = rng.integers(0, n, m)
        site_xy = np.clip(xy[at] + rng.normal(0.0, SITE_SPREAD, (m, 2)), 0, 1)
    demand = rng.integers(5, 36, n).astype(float)
    raw = rng.uniform(10.0, 160.0, m)
    cap = np.round(raw * ratio * demand.sum() / raw.sum())
    open_cost = np.round(
        rng.uniform(0.0, 90.0, m) + rng.uniform(100.0, 110.0, m) * np.sqrt(cap)
    )
    dist = np.hypot(
        xy[:, None, 0] - site_xy[None, :, 0], xy[:, None, 1] - site_xy[None, :, 1]
    )
    cost = np.round(10.0 * dist * demand[:, None], 3)
    return {
        "dist": dist,
        "demand": demand,
        "cap": cap,
        "open_cost": open_cost,
        "cost": cost,
        "xy": xy,
        "site_xy": site_xy,
    }


def write(inst: dict[str, np.ndarray], path: Path) -> None:
    """Write an instance in the OR-Library ``cap`` (Holmberg SSCFLP) layout."""
    cost = inst["cost"]
    n, m = cost.shape
    lines = [f"{m} {n}"]
    lines += [
        f"{int(q)} {f:g}" for q, f in zip(inst["cap"], inst["open_cost"], strict=True)
    ]
    lines.append(" ".join(str(int(d)) for d in inst["demand"]))
    lines += [" ".join(f"{c:g}" for c in cost[:, j]) for j in range(m)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", nargs="*", default=["200x50", "1000x100"])
    parser.add_argument("--ratios", type=float, nargs="*", default=[3, 5, 10])
    parser.add_argument("--kinds", nargs="*", default=list(KINDS))
    parser.add_argument("--seeds", type=int, nargs="*", default=[1])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for kind in args.kinds:
        for size in args.sizes:
            n, m = parse_size(size)
            for r in args.ratios:
                for seed in args.seeds:
                    path = args.out / f"sscflp_{kind}_{n}x{m}_r{r:g}_s{seed}.txt"
                    write(sscflp(kind, n, m, r, seed), path)
                    print(path)


if __name__ == "__main__":
    main()
