"""Benchmark `planner.solve.locate` on capacitated p-median and facility-location instances.

Instances follow the classic families: uniform points in a 100 × 100 square, integer
demands 1–20, Euclidean distance × demand as cost (Osman–Christofides style p-median,
p = m/4 sites, total capacity ≈ 1.25 × demand over the p open sites) and, for
facility location, 0.6 × that capacity per site and opening costs around the cost of
serving a few points (Beasley/Holmberg style). Side by side on the same instances, one
solver at a time (so they never share the cores), each with the same time limit:
PySAL spopt's capacitated p-median with its default PuLP/CBC (p-median only; spopt has
no single-source CFLP), and the same single-source MIP in HiGHS via highspy.

"ours" is `planner.solve.locate`: CP-SAT with the Lagrangian bound and, for
p-median, HiGHS inside OR-Tools proving on the cut-down model (`planner.solve.mip`);
the "HiGHS" rows are HiGHS alone on the whole textbook MIP (highspy, its own build).

The ratio columns are ours ÷ theirs: objective < 1 means our plan is cheaper, time
< 1 means we stopped sooner. Times include model building. spopt/pulp and highspy are
optional (``pip install -e '.[bench]'``); without them only our rows are printed.

Tight capacitated p-median (mode ``tight``): the instances of
``benchmarks/cpmp_instances.py`` (every point a candidate site, the p open sites hold
only ≈ 1.11 × the demand) at ``--tight-sizes`` points. Our core runs twice, for
``--short`` seconds (the 10-s target) and for the full time limit (time to proven
optimality), next to HiGHS and spopt/CBC with the full limit; ``vs best`` is each
plan's cost above the best plan any solver found for that instance.

Single-source capacitated facility location (mode ``sscflp``): the generated families
of ``benchmarks/sscflp_instances.py`` (Cornuéjols–Sridharan–Thizy scheme, uniform and
clustered points, capacity ratios ``--ssfl-ratios``, sizes ``--ssfl-sizes`` written
``<customers>x<sites>``), ours beside HiGHS, each with the full time limit. ``vs best``
is each plan's cost above the best known one: the best of this run's plans and of
``--best-known`` (a JSON file of earlier and longer runs; ``--update-best`` writes the
better values back, with the best proven bound). ``--quick`` runs one small size for
10 s; ``--stages`` prints our stage times and the bound and incumbent over time.

Run: .venv/bin/python benchmarks/bench_locate.py [--sizes 100x10 200x20 400x40 1000x100]
     [--time-limit 60] [--modes pmedian cflp tight sscflp] [--others spopt highs]
     [--workers 2] [--tight-sizes 50 100 200 400] [--tight-seeds 1 2] [--short 10]
     [--ssfl-sizes 200x50 400x80 1000x100 1000x1000] [--ssfl-ratios 3 5 10]
     [--ssfl-kinds uniform clustered] [--ssfl-seeds 1] [--quick] [--stages]
     [--best-known benchmarks/sscflp_best.json] [--update-best]
"""

import argparse
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from planner import PlannerError
from planner.solve.locate import Progress, locate

sys.path.insert(0, str(Path(__file__).parent))
from cpmp_instances import tight_pmedian
from sscflp_instances import parse_size, sscflp

Row = dict[str, object]


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


def ours(
    inst: dict,
    mode: str,
    limit: float,
    workers: int,
    on_progress: Progress | None = None,
    on_log: Callable[[str], None] | None = None,
) -> Row:
    cost = inst["cost"] if "cost" in inst else inst["dist"] * inst["demand"][:, None]
    t0 = time.perf_counter()
    try:
        if mode == "sscflp":
            r = locate(
                cost,
                inst["demand"],
                inst["cap"],
                open_cost=inst["open_cost"],
                time_limit_s=limit,
                num_workers=workers,
                on_progress=on_progress,
                on_log=on_log,
            )
        elif mode in ("pmedian", "tight"):
            r = locate(
                cost,
                inst["demand"],
                inst["cap"],
                n_open=inst["p"],
                time_limit_s=limit,
                num_workers=workers,
            )
        else:
            r = locate(
                cost,
                inst["demand"],
                inst["cap"] * 0.6,
                open_cost=inst["open_cost"],
                time_limit_s=limit,
                num_workers=workers,
            )
    except PlannerError as exc:
        return {"status": f"error: {exc}", "seconds": time.perf_counter() - t0}
    return {
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "gap": r.gap,
        "seconds": time.perf_counter() - t0,
        "stages": r.stage_s,
    }


def spopt_pmedian(inst: dict, limit: float, workers: int) -> Row:
    """Capacitated p-median in spopt, solved by CBC; bound and gap read off CBC's log."""
    import pulp
    from spopt.locate import PMedian

    t0 = time.perf_counter()
    model = PMedian.from_cost_matrix(
        inst["dist"],
        inst["demand"],
        p_facilities=inst["p"],
        facility_capacities=inst["cap"],
    )
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "cbc.log"
        solver = pulp.PULP_CBC_CMD(
            msg=False, timeLimit=limit, threads=workers, logPath=str(log)
        )
        try:
            model.solve(solver)
        except RuntimeError as exc:  # spopt raises unless pulp reports status 1
            return {"status": f"error: {exc}", "seconds": time.perf_counter() - t0}
        text = log.read_text(errors="replace") if log.exists() else ""
    seconds = time.perf_counter() - t0
    row: Row = {
        "status": {1: "optimal", 2: "feasible"}.get(
            model.problem.sol_status, f"sol_status {model.problem.sol_status}"
        ),
        "objective": float(pulp.value(model.problem.objective)),
        "seconds": seconds,
    }
    found = re.search(r"^Lower bound:\s+(\S+)", text, re.MULTILINE)
    if found:  # printed when CBC stops early; absent when it proves optimality
        row["bound"] = float(found.group(1))
    elif row["status"] == "optimal":
        row["bound"] = row["objective"]
    if "bound" in row:
        row["gap"] = (row["objective"] - row["bound"]) / row["objective"]
    return row


def highs_mip(inst: dict, mode: str, limit: float, workers: int) -> Row:
    """Run the HiGHS MIP in a fresh process: OR-Tools bundles its own HiGHS, and the
    two libraries' symbols clash when loaded into one interpreter."""
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
                str(workers),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    # highspy prints its banner on stdout before any option can silence it
    row: Row = json.loads(out.stdout.strip().splitlines()[-1])
    if row["objective"] is None:
        del row["objective"]
    row["status"] = {"Optimal": "optimal", "Time limit reached": "feasible"}.get(
        str(row["status"]), str(row["status"])
    )
    if "objective" not in row:
        row["status"] = "no plan"
    return row


def fmt(row: Row, base: Row | None, label: str, solver: str) -> str:
    def num(key: str, spec: str, width: int) -> str:
        value = row.get(key)
        return f"{value:{spec}}".rjust(width) if value is not None else "—".rjust(width)

    ratios = ""
    if base is not None and "objective" in row and "objective" in base:
        ratios = (
            f"{base['objective'] / row['objective']:>11.4f}"
            f"{base['seconds'] / row['seconds']:>11.2f}"
        )
    status = str(row["status"])
    return (
        f"{label:<17}{solver:<11}{status[:60]:<10}{num('objective', ',.1f', 14)}"
        f"{num('bound', ',.1f', 14)}{num('gap', '.2%', 8)}{num('seconds', '.1f', 8)}"
        + ratios
    )


def tight_rows(n: int, seed: int, args: argparse.Namespace, others: list[str]) -> None:
    """Run every solver on one tight instance and print the rows with ``vs best``."""
    inst = tight_pmedian(n, seed)
    inst["open_cost"] = np.zeros(n)
    rows: list[tuple[str, Row]] = [
        (f"ours {args.short:g}s", ours(inst, "tight", args.short, args.workers)),
        ("ours", ours(inst, "tight", args.time_limit, args.workers)),
    ]
    if "highs" in others:
        try:
            rows.append(
                ("HiGHS", highs_mip(inst, "pmedian", args.time_limit, args.workers))
            )
        except Exception as exc:
            rows.append(("HiGHS", {"status": f"failed: {exc}"}))
    if "spopt" in others:
        try:
            rows.append(
                ("spopt/CBC", spopt_pmedian(inst, args.time_limit, args.workers))
            )
        except Exception as exc:
            rows.append(("spopt/CBC", {"status": f"failed: {exc}"}))
    best = min(
        (float(r["objective"]) for _, r in rows if "objective" in r), default=None
    )
    label = f"tight {n} p={inst['p']} s{seed}"
    for k, (solver, row) in enumerate(rows):
        above = ""
        if best is not None and "objective" in row:
            above = f"{(float(row['objective']) - best) / best:>11.2%}"
        print(fmt(row, None, label if k == 0 else "", solver) + above, flush=True)


def trajectory(trace: list[tuple[float, str, float, float]]) -> str:
    """Return the plan's cost and the bound over time, at most every 5 % of the run.

    One ``t s: plan / bound`` entry per change, thinned to the last one of each
    twentieth of the run; the restricted model's own bounds are left out.
    """
    if not trace:
        return "—"
    end = max(t for t, *_ in trace)
    best, bound, out, slot = math.inf, -math.inf, {}, 0
    for t, stage, inc, b in trace:
        best = min(best, inc)
        if not stage.startswith("restricted"):
            bound = max(bound, b)
        slot = int(20 * t / max(end, 1e-9))
        out[slot] = f"{t:.1f} s {stage.split('/')[0]}: {best:,.1f} / {bound:,.1f}"
    return "; ".join(out.values())


def sscflp_rows(
    kind: str,
    size: str,
    ratio: float,
    seed: int,
    args: argparse.Namespace,
    others: list[str],
    best_known: dict[str, dict[str, object]],
) -> None:
    """Run ours and HiGHS on one SSCFLP instance; print the rows with ``vs best``."""
    n, m = parse_size(size)
    inst = sscflp(kind, n, m, ratio, seed)
    label = f"{kind[0].upper()}{n}x{m}r{ratio:g}s{seed}"
    trace: list[tuple[float, str, float, float]] = []
    log: list[str] = []
    rows: list[tuple[str, Row]] = [
        (
            "ours",
            ours(
                inst,
                "sscflp",
                args.time_limit,
                args.workers,
                on_progress=(lambda *e: trace.append(e)) if args.stages else None,
                on_log=log.append if args.log_dir else None,
            ),
        )
    ]
    if args.log_dir:
        args.log_dir.mkdir(parents=True, exist_ok=True)
        (args.log_dir / f"{label}.log").write_text("\n".join(log), encoding="utf-8")
        (args.log_dir / f"{label}.trace.tsv").write_text(
            "".join(f"{t:.2f}\t{st}\t{inc:.3f}\t{b:.3f}\n" for t, st, inc, b in trace),
            encoding="utf-8",
        )
    if "highs" in others:
        try:
            rows.append(
                ("HiGHS", highs_mip(inst, "sscflp", args.time_limit, args.workers))
            )
        except Exception as exc:
            rows.append(("HiGHS", {"status": f"failed: {exc}"}))
    known = best_known.get(label, {})
    plans = [float(r["objective"]) for _, r in rows if "objective" in r]
    bounds = [float(r["bound"]) for _, r in rows if r.get("bound") is not None]
    plans += [float(str(known["objective"]))] if "objective" in known else []
    bounds += [float(str(known["bound"]))] if "bound" in known else []
    best = min(plans, default=None)
    bound = max(bounds, default=None)
    for k, (solver, row) in enumerate(rows):
        above = ""
        if best is not None and "objective" in row:
            above = f"{(float(row['objective']) - best) / best:>11.3%}"
        print(fmt(row, None, label if k == 0 else "", solver) + above, flush=True)
        if args.stages and "stages" in row:
            stages = ", ".join(f"{k} {v:.1f}" for k, v in row["stages"].items())
            print(f"#   stages s: {stages}", flush=True)
            print(f"#   trace: {trajectory(trace)}", flush=True)
    if best is not None:
        proof = "" if bound is None else f", best bound {bound:,.1f}"
        gap = "" if bound is None else f" (gap {(best - bound) / best:.3%})"
        print(f"#   best known {best:,.1f}{proof}{gap}", flush=True)
        entry = dict(known)
        if "objective" not in known or best < float(str(known["objective"])):
            entry["objective"] = best
            entry["source"] = f"{args.time_limit:g}-s run {time.strftime('%Y-%m-%d')}"
        if bound is not None:
            entry["bound"] = bound
        best_known[label] = entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="*", default=["100x10", "200x20", "400x40", "1000x100"]
    )
    parser.add_argument(
        "--modes", nargs="*", default=["pmedian", "cflp", "tight", "sscflp"]
    )
    parser.add_argument(
        "--ssfl-sizes",
        nargs="*",
        default=["200x50", "400x80", "1000x100", "1000x1000"],
        help="SSCFLP sizes, <customers>x<sites>",
    )
    parser.add_argument("--ssfl-ratios", type=float, nargs="*", default=[3, 5, 10])
    parser.add_argument("--ssfl-kinds", nargs="*", default=["uniform", "clustered"])
    parser.add_argument("--ssfl-seeds", type=int, nargs="*", default=[1])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="SSCFLP only, 200x50 at ratio 5, 10 s: a short run",
    )
    parser.add_argument(
        "--stages", action="store_true", help="print our stage times per instance"
    )
    parser.add_argument(
        "--best-known",
        type=Path,
        default=Path(__file__).with_name("sscflp_best.json"),
        help="JSON of the best known SSCFLP plans (and bounds) by instance",
    )
    parser.add_argument(
        "--log-dir",
        type=Path,
        help="write our CP-SAT log and trace per SSCFLP instance into this folder",
    )
    parser.add_argument(
        "--update-best",
        action="store_true",
        help="write better plans and bounds of this run into --best-known",
    )
    parser.add_argument(
        "--tight-sizes", type=int, nargs="*", default=[50, 100, 200, 400]
    )
    parser.add_argument("--tight-seeds", type=int, nargs="*", default=[1, 2])
    parser.add_argument(
        "--short", type=float, default=10.0, help="our short run on tight instances, s"
    )
    parser.add_argument("--others", nargs="*", default=["spopt", "highs"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument(
        "--workers", type=int, default=2, help="threads for every solver (default 2)"
    )
    args = parser.parse_args()
    if args.quick:
        args.modes, args.ssfl_sizes, args.ssfl_ratios = ["sscflp"], ["200x50"], [5.0]
        args.time_limit = 10.0
    have = {
        "spopt": all(importlib.util.find_spec(m) for m in ("spopt", "pulp")),
        "highs": importlib.util.find_spec("highspy") is not None,
    }
    for other in args.others:
        if not have.get(other, False):
            print(f"# {other} not installed: skipped (pip install -e '.[bench]')")
    others = [o for o in args.others if have.get(o, False)]
    print(
        f"# time limit {args.time_limit:g} s, {args.workers} thread(s) per solver; "
        "ratios are ours ÷ theirs"
    )
    print(
        f"{'instance':<17}{'solver':<11}{'status':<10}{'objective':>14}{'bound':>14}"
        f"{'gap':>8}{'time s':>8}{'obj ratio':>11}{'time ratio':>11}"
    )
    classic = [m for m in args.modes if m in ("pmedian", "cflp")]
    for size in args.sizes if classic else []:
        n, m = (int(v) for v in size.split("x"))
        inst = instance(n, m, seed=n + m)
        for mode in classic:
            label = f"{mode} {size}"
            base = ours(inst, mode, args.time_limit, args.workers)
            print(fmt(base, None, label, "ours"), flush=True)
            if "spopt" in others and mode == "pmedian":
                try:
                    row = spopt_pmedian(inst, args.time_limit, args.workers)
                except Exception as exc:  # report, keep benchmarking
                    row = {"status": f"failed: {exc}"}
                print(fmt(row, base, "", "spopt/CBC"), flush=True)
            if "highs" in others:
                try:
                    row = highs_mip(inst, mode, args.time_limit, args.workers)
                except Exception as exc:
                    row = {"status": f"failed: {exc}"}
                print(fmt(row, base, "", "HiGHS"), flush=True)
    if "sscflp" in args.modes:
        best_known: dict[str, dict[str, object]] = {}
        if args.best_known.exists():
            best_known = json.loads(args.best_known.read_text(encoding="utf-8"))
        print(
            "# single-source facility location; last column: cost above the best "
            f"known plan; {os.getloadavg()[0]:.1f} load at start"
        )
        print(
            f"{'instance':<17}{'solver':<11}{'status':<10}{'objective':>14}"
            f"{'bound':>14}{'gap':>8}{'time s':>8}{'vs best':>11}"
        )
        for kind in args.ssfl_kinds:
            for size in args.ssfl_sizes:
                for ratio in args.ssfl_ratios:
                    for seed in args.ssfl_seeds:
                        sscflp_rows(kind, size, ratio, seed, args, others, best_known)
                        print(f"# load {os.getloadavg()[0]:.1f}", flush=True)
                        if args.update_best:
                            args.best_known.write_text(
                                json.dumps(best_known, indent=1, sort_keys=True) + "\n",
                                encoding="utf-8",
                            )
    if "tight" in args.modes:
        print(
            f"# tight capacitated p-median; last column: cost above the best plan "
            f"found; {os.getloadavg()[0]:.1f} load at start"
        )
        print(
            f"{'instance':<17}{'solver':<11}{'status':<10}{'objective':>14}"
            f"{'bound':>14}{'gap':>8}{'time s':>8}{'vs best':>11}"
        )
        for n in args.tight_sizes:
            for seed in args.tight_seeds:
                tight_rows(n, seed, args, others)
                print(f"# load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
