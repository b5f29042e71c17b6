"""Benchmark `planner.locate` on capacitated p-median and facility-location instances.

Instances follow the classic families: uniform points in a 100 × 100 square, integer
demands 1–20, Euclidean distance × demand as cost (Osman–Christofides style p-median,
total capacity ≈ 1.25 × demand over the p open sites) and, for facility location,
opening costs around the cost of serving a few points (Beasley/Holmberg style).
Side by side on the same instances: PySAL spopt's capacitated p-median with its
default PuLP/CBC, and the same single-source MIP in HiGHS (via PuLP).

Run: .venv/bin/python benchmarks/bench_locate.py [--sizes 100x10 200x20 400x40 1000x100]
     [--time-limit 60] [--modes pmedian cflp] [--others spopt highs]
"""

import argparse
import time

import numpy as np

from planner.locate import locate


def instance(n: int, m: int, seed: int) -> dict[str, np.ndarray | int]:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 100, (n, 2))
    sites = rng.uniform(0, 100, (m, 2))
    demand = rng.integers(1, 21, n).astype(float)
    dist = np.hypot(
        pts[:, None, 0] - sites[None, :, 0], pts[:, None, 1] - sites[None, :, 1]
    )
    p = max(2, m // 4)
    cap = np.full(m, np.ceil(1.25 * demand.sum() / p))
    open_cost = (
        rng.uniform(0.5, 1.5, m) * float(np.median(dist)) * float(demand.mean()) * 3
    )
    return {"dist": dist, "demand": demand, "cap": cap, "p": p, "open_cost": open_cost}


def ours(inst: dict, mode: str, limit: float) -> tuple[float, float, float, str]:
    cost = inst["dist"] * inst["demand"][:, None]
    t0 = time.perf_counter()
    if mode == "pmedian":
        r = locate(
            cost,
            inst["demand"],
            inst["cap"],
            n_open=inst["p"],
            time_limit_s=limit,
            num_workers=8,
        )
    else:
        cap = inst["cap"] * 0.6
        r = locate(
            cost,
            inst["demand"],
            cap,
            open_cost=inst["open_cost"],
            time_limit_s=limit,
            num_workers=8,
        )
    return r.objective, r.bound, time.perf_counter() - t0, r.status


def spopt_pmedian(inst: dict, limit: float) -> tuple[float, float]:
    import pulp
    from spopt.locate import PMedian

    t0 = time.perf_counter()
    model = PMedian.from_cost_matrix(
        inst["dist"],
        inst["demand"],
        p_facilities=inst["p"],
        facility_capacities=inst["cap"],
    )
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
    obj = float(pulp.value(model.problem.objective))
    return obj, time.perf_counter() - t0


def highs_mip(inst: dict, mode: str, limit: float) -> tuple[float, float]:
    """Run the HiGHS MIP in a fresh process: OR-Tools bundles its own HiGHS, and the
    two libraries' symbols clash when loaded into one interpreter."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inst.npz"
        np.savez(path, **{k: np.asarray(v) for k, v in inst.items()})
        out = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("_highs_mip.py")),
                str(path),
                mode,
                str(limit),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(out.stdout)
    return float(result["objective"]), float(result["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes", nargs="*", default=["100x10", "200x20", "400x40", "1000x100"]
    )
    parser.add_argument("--modes", nargs="*", default=["pmedian", "cflp"])
    parser.add_argument("--others", nargs="*", default=["spopt", "highs"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print(
        f"{'instance':<18}{'status':<10}{'objective':>14}{'bound':>14}{'gap':>8}"
        f"{'time s':>8}   comparison (their objective / ours, their time / ours)"
    )
    for size in args.sizes:
        n, m = (int(v) for v in size.split("x"))
        inst = instance(n, m, seed=n + m)
        for mode in args.modes:
            obj, bound, t, status = ours(inst, mode, args.time_limit)
            gap = (obj - bound) / obj
            notes = []
            if "spopt" in args.others and mode == "pmedian":
                try:
                    o, tt = spopt_pmedian(inst, args.time_limit)
                    notes.append(f"spopt/CBC {o / obj:.4f}, {tt / t:.1f}x time")
                except Exception as exc:  # report, keep benchmarking
                    notes.append(f"spopt failed: {exc}")
            if "highs" in args.others:
                try:
                    o, tt = highs_mip(inst, mode, args.time_limit)
                    notes.append(f"HiGHS {o / obj:.4f}, {tt / t:.1f}x time")
                except Exception as exc:
                    notes.append(f"HiGHS failed: {exc}")
            print(
                f"{mode + ' ' + size:<18}{status:<10}{obj:>14,.1f}{bound:>14,.1f}"
                f"{gap:>8.2%}{t:>8.1f}   " + "; ".join(notes),
                flush=True,
            )


if __name__ == "__main__":
    main()
