"""Solve one location instance as a MIP with HiGHS (run by bench_locate.py).

Kept in its own process: OR-Tools bundles HiGHS, and highspy's symbols clash with it.
Usage: python _highs_mip.py INSTANCE.npz pmedian|cflp|sscflp TIME_LIMIT [THREADS]
(``sscflp``: the instance's own ``cost`` matrix and capacities, opening costs counted.)
Prints one JSON line: status, objective, bound, gap, seconds (model build included).
"""

import json
import sys
import time

import highspy
import numpy as np


def solve(inst: dict, mode: str, limit: float, threads: int = 2) -> dict:
    """Solve the same single-source MIP (x ≤ y rows included) with HiGHS via highspy."""
    t0 = time.perf_counter()
    cost = inst["cost"] if "cost" in inst else inst["dist"] * inst["demand"][:, None]
    n, m = cost.shape
    cap = inst["cap"] * 0.6 if mode == "cflp" else inst["cap"]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(limit))
    h.setOptionValue("threads", int(threads))
    nx = n * m
    col_cost = np.concatenate(
        [cost.ravel(), np.zeros(m) if mode == "pmedian" else inst["open_cost"]]
    )
    ncol = nx + m
    h.addVars(ncol, np.zeros(ncol), np.ones(ncol))
    h.changeColsCost(ncol, np.arange(ncol, dtype=np.int32), col_cost)
    h.changeColsIntegrality(
        ncol,
        np.arange(ncol, dtype=np.int32),
        np.full(ncol, highspy.HighsVarType.kInteger),
    )
    xi = np.arange(nx, dtype=np.int32).reshape(n, m)
    y0 = nx
    inf = highspy.kHighsInf

    def add_rows(lo: np.ndarray, hi: np.ndarray, idx: list, val: list) -> None:
        starts = np.cumsum([0] + [len(r) for r in idx[:-1]]).astype(np.int32)
        flat_i = np.concatenate(idx).astype(np.int32)
        flat_v = np.concatenate(val).astype(np.float64)
        h.addRows(len(idx), lo, hi, len(flat_i), starts, flat_i, flat_v)

    # 1. assignment rows: sum_j x_ij = 1
    add_rows(np.ones(n), np.ones(n), list(xi), [np.ones(m)] * n)
    # 2. capacity rows: sum_i d_i x_ij - Q_j y_j <= 0
    add_rows(
        np.full(m, -inf),
        np.zeros(m),
        [np.append(xi[:, j], y0 + j) for j in range(m)],
        [np.append(inst["demand"], -float(cap[j])) for j in range(m)],
    )
    # 3. x_ij - y_j <= 0
    # (built as flat arrays: a million two-entry rows at 1,000 × 1,000)
    pair_idx = np.stack([xi.ravel(), y0 + np.tile(np.arange(m), n)], axis=1).ravel()
    pair_val = np.tile(np.array([1.0, -1.0]), nx)
    h.addRows(
        nx,
        np.full(nx, -inf),
        np.zeros(nx),
        2 * nx,
        np.arange(0, 2 * nx, 2, dtype=np.int32),
        pair_idx.astype(np.int32),
        pair_val,
    )
    if mode == "pmedian":  # 4. sum_j y_j = p
        p = float(inst["p"])
        add_rows(np.array([p]), np.array([p]), [np.arange(y0, y0 + m)], [np.ones(m)])
    h.run()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    return {
        "status": h.modelStatusToString(h.getModelStatus()),
        "objective": float(info.objective_function_value) if has_solution else None,
        "bound": float(info.mip_dual_bound),
        "gap": float(info.mip_gap) if has_solution else None,
        "seconds": time.perf_counter() - t0,
    }


if __name__ == "__main__":
    data = dict(np.load(sys.argv[1]))
    if "p" in data:
        data["p"] = int(data["p"])
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    print(json.dumps(solve(data, sys.argv[2], float(sys.argv[3]), threads)))
