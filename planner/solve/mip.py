"""Prove or improve a capacitated p-median plan with a MIP solver (HiGHS).

CP-SAT finds good p-median plans fast but proves them slowly: on tight instances its
bound stays near the Lagrangian one, 0.1-1 % under the optimum, for minutes. A
branch-and-cut MIP solver closes that gap with its cuts on the capacity rows. Run
on the model the relaxation has already cut down (:mod:`planner.solve.lagrange`
drops most pairs and sites) and told that only plans cheaper than the best known
one matter, HiGHS proves in 0.4-9 s what HiGHS on the whole model took 14-43 s
for (``benchmarks/bench_locate.py --modes tight``). HiGHS ships inside OR-Tools and
is reached through MathOpt, so nothing is added to the dependencies.

Model (the integer-scaled model of :mod:`planner.solve.locate`, over its pairs ``A``)
    minimise ``Σ_A c_ij·x_ij + Σ_J f_j·y_j + γ·Σ z_gj``
    subject to ``Σ_j x_ij = 1``, ``Σ_i d_i·x_ij ≤ Q_j·y_j``, ``x_ij ≤ y_j``,
    ``Σ_j y_j = p``, ``x_ij ≤ z_{g(i)j} ≤ y_j`` with groups, the fixed and closed
    sites, and the cutoff ``objective ≤ U − 1`` where ``U`` is the best known plan's
    (integer) cost. Costs are integers, so an infeasible cutoff model proves the
    known plan optimal.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np
from ortools.math_opt import model_pb2, result_pb2, solution_pb2
from ortools.math_opt.core.python import solver as core_solver
from ortools.math_opt.python import (
    callback,
    init_arguments,
    mathopt,
    model_parameters,
)
from ortools.util.python.solve_interrupter import SolveInterrupter

from planner.model.types import BoolArray, FloatArray, IntArray
from planner.solve.cancel import CancelToken

MIP_SHARE = 0.8
"""Share of the time left that the MIP gets after the kernel; CP-SAT on the full
model has the rest when the MIP neither proves nor improves."""

MIP_MIN_S = 0.5
"""The MIP is skipped when it would get less time than this, seconds: HiGHS's
presolve and root alone take about that on a few thousand pairs."""

MIP_PAIRS_PER_S = 100_000
"""HiGHS's presolve and root LP get through about this many pairs a second; the MIP
is skipped when its time would not cover them plus `MIP_MIN_S`."""

MIP_NODES = 2000
"""Branch-and-bound nodes of a deterministic run (HiGHS has no deterministic clock;
a node count gives the same answer on any machine, the wall cap aside)."""


@dataclass(frozen=True, slots=True)
class MipOutcome:
    """What the MIP found, in the scaled integer units of its model.

    Attributes
    ----------
    assignment
        Site per point of a plan cheaper than the cutoff, or None.
    is_open
        Open sites of that plan, or None.
    objective
        Its scaled cost (``inf`` without a plan).
    bound
        Lower bound on every plan of the model (``-inf`` when none proved); when the
        cutoff model is infeasible, the cutoff plus one.
    """

    assignment: IntArray | None
    is_open: BoolArray | None
    objective: float
    bound: float


class _Interrupt:
    """Let a :class:`CancelToken` stop the MIP as it stops CP-SAT searches."""

    def __init__(self) -> None:
        self.interrupter = SolveInterrupter()

    def stop_search(self) -> None:
        self.interrupter.interrupt()


def solve_mip(
    ii: IntArray,
    jj: IntArray,
    c_int: IntArray,
    d_int: IntArray,
    q_int: IntArray,
    f_int: IntArray,
    *,
    n: int,
    m: int,
    n_open: int | None,
    fixed: BoolArray,
    closed: BoolArray,
    opened: BoolArray,
    groups: IntArray | None,
    g_int: int,
    cutoff: float,
    gap_limit: float,
    time_limit_s: float,
    node_limit: int | None,
    seed: int = 0,
    cancel: CancelToken | None = None,
    max_open: int | None = None,
) -> MipOutcome:
    """Solve the p-median or facility-location model over the pairs with HiGHS.

    Facility location (`n_open` None) has the cover row ``Σ_j Q_j·y_j ≥ Σ_i d_i``
    instead of the count (valid for every plan; it lifts the LP's site count) and,
    with `max_open`, ``Σ_j y_j ≤ max_open``.

    Parameters
    ----------
    ii, jj, c_int
        The model's pairs and their integer costs.
    d_int, q_int, f_int
        Integer demands ``(n,)``, capacities and opening costs ``(m,)``.
    n, m
        Points and sites.
    n_open
        Sites to open (p-median), or None (facility location: the opening costs
        `f_int` decide).
    fixed, closed, opened
        ``(m,)`` sites that must open (the caller's and those the relaxation
        fixed) and those that may not.
    groups, g_int
        Optional group per point and the integer cost of each (group, site) pair.
    cutoff
        Only plans of at most this integer cost are looked for (``inf``: any).
    gap_limit
        Stop once within this relative gap.
    time_limit_s
        Wall-clock cap, seconds.
    node_limit
        Branch-and-bound nodes (deterministic runs), or None.
    seed
        HiGHS's random seed.
    cancel
        Stops the solve on ``cancel()``.
    max_open
        Facility location: open at most this many sites (None: no cap).

    Returns
    -------
    MipOutcome
    """
    live = ~closed
    keep = live[jj]
    ii, jj, c_int = ii[keep], jj[keep], c_int[keep]
    sites = np.flatnonzero(live)
    n_y, n_x = len(sites), len(ii)
    # variables: y (live sites), then x (pairs), then z (group-site pairs)
    y_of = np.full(m, -1, dtype=np.int64)
    y_of[sites] = np.arange(n_y)
    x_ids = n_y + np.arange(n_x)
    with_groups = groups is not None and g_int != 0
    if with_groups:
        assert groups is not None
        key = np.asarray(groups, dtype=np.int64)[ii] * m + jj
        pair, z_of_x = np.unique(key, return_inverse=True)
        z_site = pair % m
        n_z = len(pair)
    else:
        z_of_x, z_site, n_z = np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    z_ids = n_y + n_x + np.arange(n_z)
    n_var = n_y + n_x + n_z
    cost = np.concatenate([f_int[sites], c_int, np.full(n_z, g_int)]).astype(np.float64)

    rows: list[tuple[IntArray, IntArray, FloatArray]] = []
    lower: list[FloatArray] = []
    upper: list[FloatArray] = []
    row = 0

    def add(
        r: IntArray, c: IntArray, v: FloatArray, lo: FloatArray, hi: FloatArray
    ) -> None:
        """Add rows ``lo ≤ Σ v·x[c] ≤ hi``, numbered from 0 by `r` (row by row)."""
        nonlocal row
        rows.append((r + row, c, v))
        lower.append(lo)
        upper.append(hi)
        row += len(lo)

    # Σ_j x_ij = 1
    add(ii, x_ids, np.ones(n_x), np.ones(n), np.ones(n))
    # Σ_i d_i·x_ij − Q_j·y_j ≤ 0
    add(
        np.concatenate([y_of[jj], np.arange(n_y)]),
        np.concatenate([x_ids, np.arange(n_y)]),
        np.concatenate(
            [d_int[ii].astype(np.float64), -q_int[sites].astype(np.float64)]
        ),
        np.full(n_y, -np.inf),
        np.zeros(n_y),
    )

    def at_most(low: IntArray, high: IntArray) -> None:
        """Add the rows ``v[low[k]] - v[high[k]] ≤ 0``."""
        k = np.arange(len(low))
        add(
            np.concatenate([k, k]),
            np.concatenate([low, high]),
            np.concatenate([np.ones(len(k)), -np.ones(len(k))]),
            np.full(len(k), -np.inf),
            np.zeros(len(k)),
        )

    if with_groups:
        # x_ij ≤ z_g(i)j ≤ y_j (which implies x_ij ≤ y_j)
        at_most(x_ids, z_ids[z_of_x])
        at_most(z_ids, y_of[z_site])
    else:
        at_most(x_ids, y_of[jj])  # x_ij ≤ y_j (the strong formulation)
    if n_open is not None:
        # Σ_j y_j = p
        add(
            np.zeros(n_y, np.int64),
            np.arange(n_y),
            np.ones(n_y),
            np.array([float(n_open)]),
            np.array([float(n_open)]),
        )
    else:
        # Σ_j Q_j·y_j ≥ Σ_i d_i, and Σ_j y_j ≤ max_open when capped
        add(
            np.zeros(n_y, np.int64),
            np.arange(n_y),
            q_int[sites].astype(np.float64),
            np.array([float(d_int.sum())]),
            np.array([np.inf]),
        )
        if max_open is not None:
            add(
                np.zeros(n_y, np.int64),
                np.arange(n_y),
                np.ones(n_y),
                np.array([-np.inf]),
                np.array([float(max_open)]),
            )
    if math.isfinite(cutoff):
        nz = np.flatnonzero(cost)
        add(
            np.zeros(len(nz), np.int64),
            nz,
            cost[nz],
            np.array([-np.inf]),
            np.array([float(cutoff)]),
        )
    var_lower = np.zeros(n_var)
    var_lower[y_of[np.flatnonzero((fixed | opened) & live)]] = 1.0

    model = model_pb2.ModelProto(
        name="p-median" if n_open is not None else "facility-location"
    )
    model.variables.ids.extend(range(n_var))
    model.variables.lower_bounds.extend(var_lower.tolist())
    model.variables.upper_bounds.extend([1.0] * n_var)
    model.variables.integers.extend([True] * n_var)
    nz = np.flatnonzero(cost)
    model.objective.linear_coefficients.ids.extend(nz.tolist())
    model.objective.linear_coefficients.values.extend(cost[nz].tolist())
    model.linear_constraints.ids.extend(range(row))
    model.linear_constraints.lower_bounds.extend(np.concatenate(lower).tolist())
    model.linear_constraints.upper_bounds.extend(np.concatenate(upper).tolist())
    r = np.concatenate([t[0] for t in rows])
    c = np.concatenate([t[1] for t in rows])
    v = np.concatenate([t[2] for t in rows])
    order = np.lexsort((c, r))  # the matrix goes row by row, columns ascending
    matrix = model.linear_constraint_matrix
    matrix.row_ids.extend(r[order].tolist())
    matrix.column_ids.extend(c[order].tolist())
    matrix.coefficients.extend(v[order].tolist())

    params = mathopt.SolveParameters(
        time_limit=datetime.timedelta(seconds=max(0.1, time_limit_s)),
        node_limit=node_limit,
        random_seed=seed,
        relative_gap_tolerance=float(gap_limit),
        # integer costs: a plan within 1 of the bound is optimal
        absolute_gap_tolerance=0.99,
    )
    # HiGHS prints its banner on stdout unless told not to
    params.highs.bool_options["output_flag"] = False
    stop = _Interrupt()
    if cancel is not None:
        cancel.register(stop)
    # MathOpt's own entry point (mathopt.solve) takes a Model built variable by
    # variable in Python, 7 s for 130,000 pairs; its core takes the model's
    # columnar proto, which numpy fills at once
    result = core_solver.solve(
        model,
        mathopt.SolverType.HIGHS.value,
        init_arguments.StreamableSolverInitArguments().to_proto(),
        params.to_proto(),
        model_parameters.ModelSolveParameters().to_proto(),
        None,
        callback.CallbackRegistration().to_proto(),
        None,
        stop.interrupter.pybind_interrupter,
    )
    if cancel is not None:
        cancel.check()
    reason = result.termination.reason
    if reason == result_pb2.TERMINATION_REASON_INFEASIBLE:
        # nothing at or under the cutoff: the cutoff + 1 bounds every plan
        bound = cutoff + 1.0 if math.isfinite(cutoff) else math.inf
        return MipOutcome(None, None, math.inf, bound)
    bound = float(result.termination.objective_bounds.dual_bound)
    bound = bound if math.isfinite(bound) else -math.inf
    feasible = [
        sol.primal_solution
        for sol in result.solutions
        if sol.HasField("primal_solution")
        and sol.primal_solution.feasibility_status
        == solution_pb2.SOLUTION_STATUS_FEASIBLE
    ]
    if not feasible:
        return MipOutcome(None, None, math.inf, bound)
    values = np.zeros(n_var)
    ids = np.asarray(feasible[0].variable_values.ids, dtype=np.int64)
    values[ids] = np.asarray(feasible[0].variable_values.values)
    assignment = np.full(n, -1, dtype=np.int64)
    taken = values[x_ids] > 0.5
    assignment[ii[taken]] = jj[taken]
    is_open = np.zeros(m, dtype=bool)
    is_open[sites[values[:n_y] > 0.5]] = True
    value = float(feasible[0].objective_value)
    return MipOutcome(assignment, is_open, value, min(bound, value))
