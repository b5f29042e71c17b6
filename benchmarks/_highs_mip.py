"""Solve one location instance as a MIP with HiGHS (run by bench_locate.py).

Kept in its own process: OR-Tools bundles HiGHS, and highspy's symbols clash with it.
Usage: python _highs_mip.py INSTANCE.npz pmedian|cflp TIME_LIMIT
"""

import json
import sys
import time

import highspy
import numpy as np


def solve(inst: dict, mode: str, limit: float) -> tuple[float, float]:
    """Solve the same single-source MIP (x ≤ y rows included) with HiGHS via highspy."""
    cost = inst["dist"] * inst["demand"][:, None]
    n, m = cost.shape
    cap = inst["cap"] if mode == "pmedian" else inst["cap"] * 0.6
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(limit))
    nx = n * m
    col_cost = np.concatenate(
        [cost.ravel(), inst["open_cost"] if mode == "cflp" else np.zeros(m)]
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
    for i in range(n):  # assignment rows
        h.addRow(1.0, 1.0, m, xi[i], np.ones(m))
    for j in range(m):  # capacity rows
        idx = np.concatenate([xi[:, j], [y0 + j]]).astype(np.int32)
        val = np.concatenate([inst["demand"], [-float(cap[j])]])
        h.addRow(-inf, 0.0, n + 1, idx, val)
    for i in range(n):  # x_ij <= y_j
        for j in range(m):
            h.addRow(
                -inf,
                0.0,
                2,
                np.array([xi[i, j], y0 + j], np.int32),
                np.array([1.0, -1.0]),
            )
    if mode == "pmedian":
        h.addRow(
            float(inst["p"]),
            float(inst["p"]),
            m,
            np.arange(y0, y0 + m, dtype=np.int32),
            np.ones(m),
        )
    t0 = time.perf_counter()
    h.run()
    return float(h.getInfo().objective_function_value), time.perf_counter() - t0


if __name__ == "__main__":
    data = dict(np.load(sys.argv[1]))
    data["p"] = int(data["p"])
    obj, secs = solve(data, sys.argv[2], float(sys.argv[3]))
    print(json.dumps({"objective": obj, "seconds": secs}))
