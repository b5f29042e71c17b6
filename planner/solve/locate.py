"""Solve single-source capacitated facility location and p-median problems with CP-SAT.

Symbols
    ``I`` demand points, ``J`` sites; ``c_ij`` cost of serving ``i`` from ``j``
    (``inf`` = not allowed, so only finite pairs become arcs ``A``); ``d_i`` demand;
    ``Q_j`` capacity; ``f_j`` opening cost; optional groups ``g(i)`` with a cost ``γ``
    per (group, site) pair used.

Variables
    ``x_ij ∈ {0,1}`` for ``(i, j) ∈ A``; ``y_j ∈ {0,1}``; ``z_gj ∈ {0,1}`` with groups.

Objective
    minimise ``Σ_A c_ij·x_ij + Σ_J f_j·y_j + γ·Σ z_gj``

Constraints
    1. ``Σ_j x_ij = 1`` for every ``i`` (single source);
    2. ``Σ_i d_i·x_ij ≤ Q_j·y_j`` (capacity);
    3. ``x_ij ≤ y_j`` (strengthens the LP bound);
    4. ``Σ_j y_j = p`` when ``n_open = p`` is given (capacitated p-median), or
       ``Σ_j y_j ≤ N`` when ``max_open = N`` is (facility location with a cap);
    5. ``y_j = 1`` for sites in `fixed_open`;
    6. ``x_ij ≤ z_{g(i)j}`` with groups.

Solve, in order
    1. Known plans: the caller's hint and a greedy one (largest demand first to the
       cheapest site with room; for facility location then closing sites while
       that pays, :mod:`planner.solve.heuristics`). With a site count and no plan
       keeping to it, the hint's sites (else greedy's) are closed down to the count.
    2. Lagrangian relaxation of rows 1 (:mod:`planner.solve.lagrange`): a lower bound as
       strong as the strong LP in about a second, plans from the sites it chooses,
       and reduced-cost fixing: sites and pairs that no plan cheaper than the best
       known one can use leave the model, sites every such plan opens are fixed.
       (With ``max_open`` it has no cap, so it only bounds and fixes.)
    3. Site swaps from the best plan (:func:`planner.solve.heuristics.improve_by_swaps`),
       then a short second round of step 2 against the better plan; for p-median
       this round (and every later one) solves 0-1 knapsacks, whose bound is that
       of the set-partitioning LP and fixes about twice as many pairs.
    4. A restricted model first, from the best plan, for a share of the time:
       p-median: the kernel, the ``KERNEL_SITES × p`` sites the relaxation values
       most and each point's ``KERNEL_NEAREST`` cheapest of them (``KERNEL_SHARE``
       of the time left); after it, swaps and a further round of step 2 against
       its plan, which then fixes far more. Facility location, from ``LARGE_ARCS``
       pairs on: each point's ``NEAREST_SITES`` cheapest sites for ``WARM_SHARE``
       (``WALL_CLOCK_NEAREST_SITES`` on a wall clock).
       (Each point's ten nearest sites cut the optimum off on tight p-median
       instances, where capacity sends points past them: the core then stayed
       2.4 % above the best known plan on a 200-point instance.)
    5. p-median: the MIP solver HiGHS on the fixed full model, asked only for plans
       cheaper than the best known one (:mod:`planner.solve.mip`, `MIP_SHARE` of
       the time left; `MIP_NODES` nodes when deterministic). Its cuts prove tight
       instances in seconds where CP-SAT's search stays 0.4-1 % above its bound for
       minutes; when it proves the plan, or gets within `gap_limit`, the solve ends.
    6. CP-SAT on the (fixed) full model, started from the best plan, stopping once
       within `gap_limit` of the larger of its own, the MIP's and the Lagrangian
       bound. If it stops before taking up its hint, or no time is left to build it
       (wall-clock budgets), the best known plan is returned with the relaxation's
       bound.

CP-SAT needs integers: costs are scaled once so the largest finite cost maps to about
``COST_SCALE`` and rounded; demands and capacities are scaled to integers the same
way. The objective is recomputed exactly in the input's units. The reported bound is
the larger of the Lagrangian bound (exact units) and CP-SAT's or HiGHS's (of the
scaled problem, which differs from the exact one by at most the rounding); theirs
holds for the whole problem even after fixing, because every plan the fixing removed
costs more than the known plan, and their result is no dearer than that.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from ortools.sat.python import cp_model

from planner.errors import InfeasibleError, PlannerError
from planner.model.types import BoolArray, FloatArray, IntArray
from planner.solve.cancel import CancelToken, SolveCancelled
from planner.solve.heuristics import (
    greedy_locate,
    improve_by_closing,
    improve_by_swaps,
    total_cost,
)
from planner.solve.lagrange import LagrangeBound, lagrangian_bound
from planner.solve.mip import (
    MIP_MIN_S,
    MIP_NODES,
    MIP_PAIRS_PER_S,
    MIP_SHARE,
    solve_mip,
)
from planner.solve.settings import DEFAULT_TIME_LIMIT_S, LOCATE_NUM_WORKERS

COST_SCALE = 1_000_000
"""Largest finite cost maps to about this integer (keeps rounding error ≲ 1e-6)."""

LARGE_ARCS = 20_000
"""From this many arcs on, a restricted model (each point's `NEAREST_SITES` cheapest
sites) is solved first and its plan warm-starts the full model: CP-SAT's own first
solutions on large dense instances are poor, while the restricted model is small enough
to solve well, and the full model still proves the bound."""

NEAREST_SITES = 10
"""Sites per demand point in the restricted warm-start model (deterministic solves:
the street's, whose plans stay as they were)."""

WALL_CLOCK_NEAREST_SITES = 20
"""Sites per demand point in the restricted model of facility location on a wall
clock. Each customer's 10 nearest sites cut off plans 0.5 % cheaper on a generated
clustered 1,000 × 100 instance (the restricted model stalled at 70,160 from 17 s to
200 s, the full model then found 69,797); with 20 it reached 69,533 in 60 s, with 30
69,542 (``benchmarks/locate.md``)."""

WARM_SHARE = 2 / 3
"""Share of the time limit the restricted model gets on large instances: CP-SAT's
search improves plans there, while the full model mostly adds the pairs beyond the
nearest sites (and, without the Lagrangian bound, proves its own)."""

KERNEL_SITES = 3
"""p-median kernel: this many times ``n_open`` sites, those with the lowest
Lagrangian value ``v_j`` (plus the best known plan's)."""

KERNEL_NEAREST = 10
"""p-median kernel: pairs per demand point, to its cheapest kernel sites (plus its
pair in the best known plan)."""

KERNEL_SHARE = 0.7
"""Share of the time limit the p-median kernel model gets."""

KERNEL_MAX_SHARE_OF_ARCS = 0.6
"""The kernel is skipped when it keeps more than this share of the model's pairs."""

KERNEL_MAX_SHARE_OF_SITES = 0.5
"""The kernel is skipped when it keeps more than this share of the sites left: with
few sites (200 points, 20 sites, p = 5) it kept 15 and only cost time (the optimum
in 26 s without it, 41-48 s with it; at 10 s 0.26 % above it with it, optimal
without)."""

DROP_TO_COUNT_SITES = 150
"""With a site count and no plan that keeps to it, greedy's sites are closed one by
one down to the count, on up to this many candidate sites (each closure tries every
open site: quadratic in the sites)."""

LAGRANGE_SHARE = 0.2
"""Without deterministic time, the relaxation's first round stops after this share
of the time limit (later rounds after a third of it)."""

SWAP_SHARE = 0.15
"""Without deterministic time, each local search stops after this share of the
time limit."""

CP_SAT_MIN_S = 0.5
"""On a wall-clock budget, CP-SAT on the full model is skipped when less than this is
left, seconds, and the best known plan is returned."""

CP_SAT_PAIRS_PER_S = 50_000
"""Pairs of the full model built per second (in Python, before CP-SAT starts): its
building time counts toward `CP_SAT_MIN_S`."""

DEMAND_SCALE = 100
"""Demands and capacities are multiplied by this and rounded (2 decimals kept)."""

DETERMINISTIC_RETRIES = 3
"""Times a deterministic search may run on with twice its budget (see `RETRY_GAP`)."""

RETRY_GAP = 0.05
"""A deterministic search that ends with no plan, or more than this relative gap
(5 %), runs on from its best plan with twice the budget, up to
`DETERMINISTIC_RETRIES` times: the search clearly failed. On a generated
161,000-resident street the budget of a campaign (5 units, one worker) ended 11.5 %
above the bound and 10 units reached 0.26 % (a plan 11 % cheaper); on a
382,000-resident street 5 units found no plan at all and 20 found one within
0.25 %. A limit of 2 % also re-ran searches that had ended 2–5 % above the bound,
which made the 2-million-resident campaign benchmark about 28 % slower."""

INTERLEAVED_SKIPPED_SUBSOLVERS = (
    "no_lp",
    "quick_restart",
    "quick_restart_no_lp",
    "default_lp",
    "core",
    "fixed",
    "pseudo_costs",
)
"""CP-SAT full-problem workers left out of the deterministic (interleaved) search for
facility location. Interleaved search checks the gap limit and optimality only when a
batch ends, and each full-problem worker's share of a batch is one deterministic
second (OR-Tools issue 5199): on the demo street the optimum was found and proved by
``max_lp`` after 0.4 s, but the batch ran on to 6 s. These workers add nothing the LP
workers and the neighbourhood searches do not find on this model: the same optimal
plans on the demo and on generated 100,000- and 150,000-resident streets, 4-6 times
faster (6.4 → 1.1 s, 7.8 → 1.8 s, 8.8 → 2.0 s with 8 workers). Capacitated p-median
keeps them: there they help find feasible plans of tight instances and saved no time."""


@dataclass(frozen=True, slots=True)
class LocateResult:
    """A location plan.

    Attributes
    ----------
    status
        ``optimal`` (proven) or ``feasible`` (stopped at the time or gap limit).
    objective
        Total cost, input units.
    bound
        Proven lower bound, input units.
    gap
        ``(objective - bound) / max(|objective|, 1e-9)``.
    assignment
        Site index per demand point.
    open
        Whether each site opens.
    wall_time_s
        Solve time, seconds.
    stage_s
        Wall time of each stage of :func:`locate` that ran, seconds, in order
        (``known_plans``, ``relax``, ``local_search``, ``restricted``, ``mip``,
        ``full_model``).
    """

    status: str
    objective: float
    bound: float
    gap: float
    assignment: IntArray
    open: BoolArray
    wall_time_s: float
    stage_s: dict[str, float] = field(default_factory=dict)


def _precheck(
    cost: FloatArray, demand: FloatArray, capacity: FloatArray, n_open: int | None
) -> None:
    m = cost.shape[1]
    allowed = np.isfinite(cost)
    none = np.flatnonzero(~allowed.any(axis=1))
    if len(none):
        raise InfeasibleError(
            f"{len(none)} demand point(s) have no allowed site "
            f"(first: {', '.join(str(i) for i in none[:10].tolist())})."
        )
    if n_open is not None and n_open > m:
        raise InfeasibleError(f"n_open={n_open} exceeds the {m} candidate sites.")
    total = float(demand.sum())
    usable = np.sort(capacity)[::-1]
    if n_open is not None:
        usable = usable[:n_open]
    if float(usable.sum()) + 1e-9 < total:
        which = f"the {n_open} largest sites" if n_open is not None else "all sites"
        raise InfeasibleError(
            f"Total demand {total:g} exceeds the capacity {float(usable.sum()):g} of {which}."
        )
    reach = np.where(allowed, capacity[None, :], -np.inf).max(axis=1)
    too_big = np.flatnonzero(demand > reach + 1e-9)
    if len(too_big):
        i = int(too_big[0])
        raise InfeasibleError(
            f"{len(too_big)} demand point(s) exceed every allowed site's capacity "
            f"(e.g. point {i}: demand {demand[i]:g}, largest allowed capacity {reach[i]:g})."
        )


_T = TypeVar("_T")

Progress = Callable[[float, str, float, float], None]
"""``(seconds since the start, stage, best plan's cost, lower bound)``, input units;
``inf`` / ``-inf`` when there is none yet. Stages ``restricted/…`` report the
restricted model's own search, whose bound holds for that model only."""


@dataclass(frozen=True)
class _Problem:
    """One location problem, checked and scaled, with the search's settings.

    What every stage of :func:`locate` reads and none changes: the inputs (``f`` the
    opening costs, zeros for p-median; ``count`` the site count, exact or a cap),
    their integer scaling for the models (``scale``, ``f_int``, ``g_int``, ``d_int``,
    ``q_int``), the settings and the start of the clock ``t0``.
    """

    cost: FloatArray
    demand: FloatArray
    capacity: FloatArray
    f: FloatArray
    fixed: BoolArray
    n_open: int | None
    max_open: int | None
    count: int | None
    open_cost: FloatArray | None
    groups: IntArray | None
    group_cost: float
    hint: IntArray | None
    scale: float
    f_int: IntArray
    g_int: int
    d_int: IntArray
    q_int: IntArray
    time_limit_s: float
    seed: int
    num_workers: int
    gap_limit: float
    warm_start: bool
    lagrange_iterations: int
    swap_evaluations: int
    mip: bool
    cancel: CancelToken | None
    t0: float
    on_progress: Progress | None = None
    on_log: Callable[[str], None] | None = None

    @property
    def n(self) -> int:
        """Demand points."""
        return int(self.cost.shape[0])

    @property
    def m(self) -> int:
        """Candidate sites."""
        return int(self.cost.shape[1])

    def plan_cost(self, plan: IntArray | None) -> float:
        """Return a plan's cost in input units; ``inf`` when it breaks a row."""
        if plan is None or not _is_feasible(
            plan, self.cost, self.demand, self.capacity, self.fixed, self.count
        ):
            return math.inf
        return total_cost(
            self.cost, self.f, plan, self.fixed, self.groups, self.group_cost
        )

    def closed(self, plan: IntArray, *, max_open: int | None = None) -> IntArray | None:
        """Return `plan` with sites closed while that lowers the cost (or to `max_open`).

        :func:`~planner.solve.heuristics.improve_by_closing` on this problem.
        """
        return improve_by_closing(
            self.cost,
            self.demand,
            self.capacity,
            plan,
            open_cost=self.f,
            fixed_open=self.fixed,
            groups=self.groups,
            group_cost=self.group_cost,
            max_open=max_open,
        )

    def relaxation(
        self,
        *,
        n_open: int | None,
        iterations: int,
        upper: float = math.inf,
        start: FloatArray | None = None,
        find_plans: bool = True,
        deadline: float | None = None,
        integer_knapsacks: bool = False,
    ) -> LagrangeBound:
        """Return :func:`~planner.solve.lagrange.lagrangian_bound` on this problem.

        With `n_open` sites (``None``: any number) and the relaxation's own settings.
        """
        return lagrangian_bound(
            self.cost,
            self.demand,
            self.capacity,
            open_cost=self.f,
            n_open=n_open,
            fixed_open=self.fixed,
            upper=upper,
            groups=self.groups,
            group_cost=self.group_cost,
            iterations=iterations,
            start=start,
            find_plans=find_plans,
            deadline=deadline,
            integer_knapsacks=integer_knapsacks,
        )

    def checkpoint(self) -> None:
        """Stop between stages once the user cancels (each stage lasts seconds)."""
        if self.cancel is not None:
            self.cancel.check()

    def elapsed(self) -> float:
        """Seconds since the solve started."""
        return time.perf_counter() - self.t0

    def report(self, stage: str, incumbent: float, bound: float) -> None:
        """Tell `on_progress` the best plan's cost and the bound (input units)."""
        if self.on_progress is not None:
            self.on_progress(self.elapsed(), stage, incumbent, bound)


@dataclass
class _Search:
    """What the stages of :func:`locate` refine, in order.

    Attributes
    ----------
    finite
        ``(n, m)`` pairs still in the model (the relaxation's fixing removes some).
    ii, jj, c_int
        Those pairs as arcs, and their scaled integer costs.
    lag
        The Lagrangian relaxation's bound, fixings and multipliers, or None.
    start
        The best known plan, or None.
    deterministic_time
        What is left of CP-SAT's deterministic budget (None: wall clock).
    mip_bound
        HiGHS's bound in scaled units (``-inf`` when it did not run).
    stage_s
        Wall time of each stage, seconds, in the order they ran.
    """

    finite: BoolArray
    ii: IntArray
    jj: IntArray
    c_int: IntArray
    deterministic_time: float | None
    lag: LagrangeBound | None = None
    start: IntArray | None = None
    mip_bound: float = -math.inf
    stage_s: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, p: _Problem, deterministic_time: float | None) -> _Search:
        """Return the search before its first stage: every allowed pair in the model."""
        finite = np.isfinite(p.cost)
        ii, jj = np.nonzero(finite)
        c_int = np.rint(p.cost[ii, jj] * p.scale).astype(np.int64)
        return cls(finite, ii, jj, c_int, deterministic_time)

    def keep_pairs(self, p: _Problem, finite: BoolArray) -> None:
        """Keep only the pairs in `finite` in the model."""
        self.finite = finite
        self.ii, self.jj = np.nonzero(finite)
        self.c_int = np.rint(p.cost[self.ii, self.jj] * p.scale).astype(np.int64)

    def budget(self, p: _Problem, share: float) -> float | None:
        """Return a deadline `share` of the time limit from now (wall-clock only)."""
        if self.deterministic_time is not None:
            return None  # deterministic: fixed iteration counts, no clock
        return min(time.perf_counter() + share * p.time_limit_s, p.t0 + p.time_limit_s)


def locate(
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    *,
    n_open: int | None = None,
    max_open: int | None = None,
    open_cost: FloatArray | None = None,
    fixed_open: BoolArray | None = None,
    groups: IntArray | None = None,
    group_cost: float = 0.0,
    hint: IntArray | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    seed: int = 0,
    num_workers: int = LOCATE_NUM_WORKERS,
    gap_limit: float = 0.0,
    deterministic_time: float | None = None,
    warm_start: bool = True,
    lagrange_iterations: int = 300,
    swap_evaluations: int = 2000,
    mip: bool = True,
    cancel: CancelToken | None = None,
    on_progress: Progress | None = None,
    on_log: Callable[[str], None] | None = None,
) -> LocateResult:
    """Open sites and assign every demand point to exactly one of them.

    The stages of the module docstring run in order on one :class:`_Search`, each
    timed (``LocateResult.stage_s``): :func:`_known_plans`, :func:`_relax`,
    :func:`_local_search`, :func:`_restricted_model`, :func:`_mip_stage` and
    :func:`_full_model`.

    Parameters
    ----------
    cost
        ``(n, m)`` cost of serving point ``i`` from site ``j``; ``inf`` = not allowed.
    demand
        ``(n,)`` nonnegative demands.
    capacity
        ``(m,)`` site capacities, in demand units.
    n_open
        Open exactly this many sites (capacitated p-median).
    open_cost
        ``(m,)`` cost of opening each site (capacitated facility location). At least
        one of `n_open` and `open_cost` is needed.
    max_open
        With `open_cost`: open at most this many sites (fixed ones included).
    fixed_open
        ``(m,)`` sites that must open.
    groups, group_cost
        Optional group of each point and the cost of each (group, site) pair used.
    hint
        Optional site per point to start from; by default a greedy solution.
    time_limit_s
        Wall-time limit, seconds. Default :data:`DEFAULT_TIME_LIMIT_S` (30).
    seed
        Random seed. Default 0.
    num_workers
        CP-SAT workers. Default :data:`planner.solve.settings.LOCATE_NUM_WORKERS`.
    gap_limit
        Stop once the relative gap is at most this. Default 0 (prove optimality).
    deterministic_time
        When given, run CP-SAT's interleaved (deterministic) parallel search and stop
        after this much deterministic time, so the same inputs and seed give the same
        plan however busy the machine is; `time_limit_s` stays a safety cap.
    cancel
        Token whose ``cancel()`` stops the search from another thread; then
        :class:`planner.solve.cancel.SolveCancelled` is raised.
    on_progress
        Called after each stage and at each plan and bound CP-SAT finds, with the
        seconds since the start, the stage, the best plan's cost and the lower
        bound (:data:`Progress`); for benchmarks and diagnosis. Default None: a
        solve with it finds the same plans, only CP-SAT's callbacks are added.
    on_log
        Receives CP-SAT's search log, line by line (its subsolvers and what each
        found). Default None: no log.
    warm_start
        On large instances (``LARGE_ARCS`` pairs), first solve the model restricted to
        each point's ``NEAREST_SITES`` cheapest sites (plus the best known plan's) for
        ``WARM_SHARE`` of the time and start the full model from its plan. Default True.
    lagrange_iterations
        Subgradient iterations of the Lagrangian bound (:mod:`planner.solve.lagrange`) run
        (its bound, fixings and plan); 0 turns it off. Default 300.
    swap_evaluations
        Site swaps tried by the local search on the best known plan before CP-SAT
        starts (:func:`planner.solve.heuristics.improve_by_swaps`); 0 turns it off.
        Default 2000.
    mip
        p-median: after the kernel, run the MIP solver HiGHS on the cut-down model
        for `MIP_SHARE` of the time left (:mod:`planner.solve.mip`); CP-SAT on the
        full model only follows when it neither proves the plan nor gets within
        `gap_limit`. Default True.

    Returns
    -------
    LocateResult

    Raises
    ------
    ValueError
        For inputs of the wrong shape or sign, or a site count and opening costs
        given the wrong way.
    InfeasibleError
        When no assignment exists (the fixed sites exceed the count, a point has no
        allowed site, the capacity cannot hold the demand); the message says why,
        with numbers.
    PlannerError
        When the time limit passes before any solution is found.
    """
    t0 = time.perf_counter()
    cost = np.asarray(cost, dtype=np.float64)
    demand = np.asarray(demand, dtype=np.float64)
    capacity = np.asarray(capacity, dtype=np.float64)
    n, m = cost.shape
    if n_open is None and open_cost is None:
        raise ValueError("Give n_open (p-median) or open_cost (facility location).")
    if max_open is not None and (n_open is not None or open_cost is None):
        raise ValueError("max_open caps facility location: give open_cost, not n_open.")
    count = n_open if n_open is not None else max_open
    if demand.shape != (n,) or capacity.shape != (m,):
        raise ValueError(
            "demand must have one entry per row of cost, capacity per column."
        )
    if (demand < 0).any() or np.isnan(cost).any():
        raise ValueError("Negative demand or NaN cost not understood.")
    f = np.zeros(m) if open_cost is None else np.asarray(open_cost, dtype=np.float64)
    fixed = (
        np.zeros(m, dtype=bool) if fixed_open is None else np.asarray(fixed_open, bool)
    )
    if count is not None and int(fixed.sum()) > count:
        raise InfeasibleError(f"{int(fixed.sum())} fixed sites but n_open={count}.")
    _precheck(cost, demand, capacity, count)
    finite = np.isfinite(cost)
    top = max(
        float(np.abs(cost[finite]).max(initial=0.0)),
        float(np.abs(f).max(initial=0.0)),
        abs(group_cost),
        1e-9,
    )
    scale = COST_SCALE / top
    p = _Problem(
        cost=cost,
        demand=demand,
        capacity=capacity,
        f=f,
        fixed=fixed,
        n_open=n_open,
        max_open=max_open,
        count=count,
        open_cost=open_cost,
        groups=groups,
        group_cost=group_cost,
        hint=None if hint is None else np.asarray(hint, dtype=np.int64),
        scale=scale,
        f_int=np.rint(f * scale).astype(np.int64),
        g_int=round(group_cost * scale),
        d_int=np.ceil(demand * DEMAND_SCALE - 1e-6).astype(np.int64),
        q_int=np.floor(capacity * DEMAND_SCALE + 1e-6).astype(np.int64),
        time_limit_s=time_limit_s,
        seed=seed,
        num_workers=num_workers,
        gap_limit=gap_limit,
        warm_start=warm_start,
        lagrange_iterations=lagrange_iterations,
        swap_evaluations=swap_evaluations,
        mip=mip,
        cancel=cancel,
        t0=t0,
        on_progress=on_progress,
        on_log=on_log,
    )
    s = _Search.of(p, deterministic_time)

    def timed(name: str, stage: Callable[[], _T]) -> _T:
        t = time.perf_counter()
        out = stage()
        s.stage_s[name] = time.perf_counter() - t
        if p.on_progress is not None:
            p.report(
                name,
                out.upper if isinstance(out, _KnownPlans) else p.plan_cost(s.start),
                -math.inf if s.lag is None else s.lag.bound,
            )
        return out

    known = timed("known_plans", lambda: _known_plans(p))
    timed("relax", lambda: _relax(p, s, known))
    timed("local_search", lambda: _local_search(p, s))
    timed("restricted", lambda: _restricted_model(p, s))
    done = timed("mip", lambda: _mip_stage(p, s))
    if done is None:
        done = timed("full_model", lambda: _full_model(p, s))
    assert done is not None
    return dataclasses.replace(done, stage_s=dict(s.stage_s))


@dataclass(frozen=True)
class _KnownPlans:
    """Stage 1's plans: the hint (first, when given), greedy's, and their best cost."""

    candidates: list[IntArray]
    greedy: IntArray | None
    upper: float


def _known_plans(p: _Problem) -> _KnownPlans:
    """Stage 1: the hint, and a greedy plan.

    Greedy's plan is improved by closing sites when opening costs count; the
    cheapest feasible plan bounds the optimum from above.
    """
    candidates: list[IntArray] = []
    if p.hint is not None:
        candidates.append(p.hint)
    greedy = greedy_locate(
        p.cost, p.demand, p.capacity, open_cost=p.f, fixed_open=p.fixed
    )
    if greedy is not None:
        candidates.append(greedy)
    if greedy is not None and p.n_open is None:
        closed = p.closed(greedy)
        if closed is not None:
            candidates[-1] = greedy = closed
    upper = min((p.plan_cost(c) for c in candidates), default=math.inf)
    p.checkpoint()
    return _KnownPlans(candidates, greedy, upper)


def _relax(p: _Problem, s: _Search, known: _KnownPlans) -> None:
    """Stage 2: the Lagrangian relaxation, and the best known plan.

    The relaxation bounds the optimum from below, proposes its own plan, and drops
    the sites and pairs no cheaper plan can use; the best plan known after it
    becomes the search's start.
    """
    candidates = list(known.candidates)
    if p.lagrange_iterations > 0:
        s.lag = p.relaxation(
            n_open=p.n_open,
            upper=known.upper,
            iterations=p.lagrange_iterations,
            # with a cap on the sites the relaxation (which has no cap) may only
            # bound and fix against capped plans, not propose uncapped ones
            find_plans=p.max_open is None,
            deadline=s.budget(p, LAGRANGE_SHARE),
        )
        if s.lag.plan is not None:
            candidates.append(s.lag.plan)
    if p.max_open is not None and not any(
        math.isfinite(p.plan_cost(c)) for c in candidates
    ):
        # every plan so far opens too many sites: the relaxation with exactly
        # max_open sites proposes some (only its plans are used, not its bound)
        capped = p.relaxation(
            n_open=p.max_open, iterations=max(p.lagrange_iterations, 50)
        )
        if capped.plan is not None:
            candidates.append(capped.plan)
    if (
        p.count is not None
        and p.m <= DROP_TO_COUNT_SITES
        and not any(math.isfinite(p.plan_cost(c)) for c in candidates)
    ):
        dropped = _drop_to_count(p, None if p.hint is None else candidates[0], known)
        if dropped is not None:
            candidates.append(dropped)
    costs = [p.plan_cost(c) for c in candidates]
    s.start = (
        candidates[int(np.argmin(costs))] if costs and min(costs) < math.inf else None
    )


def _drop_to_count(
    p: _Problem, given: IntArray | None, known: _KnownPlans
) -> IntArray | None:
    """Close the hint's sites, else greedy's, down to the count.

    The hint may be a plan with more sites, say a neighbour's on the trade-off
    curve. For when nothing so far keeps to the count (walk limits leave the relaxation's
    sites unable to hold everyone).
    """
    if given is not None and (
        given.shape != (p.n,) or given.min(initial=0) < 0 or given.max(initial=0) >= p.m
    ):
        given = None  # not a plan to start from (points without a site)
    for source in (given, known.greedy):
        if source is None:
            continue
        dropped = p.closed(source, max_open=p.count)
        if dropped is not None and math.isfinite(p.plan_cost(dropped)):
            return dropped
    return None


def _swapped(p: _Problem, s: _Search, plan: IntArray) -> IntArray:
    """Return `plan` improved by site swaps (a budget of them, and of wall time)."""
    return improve_by_swaps(
        p.cost,
        p.demand,
        p.capacity,
        plan,
        open_cost=p.f,
        fixed_open=p.fixed,
        n_open=p.n_open,
        max_open=p.max_open,
        groups=p.groups,
        group_cost=p.group_cost,
        max_evaluations=p.swap_evaluations,
        # on a wall-clock budget a loaded machine must not eat it all here
        deadline=s.budget(p, SWAP_SHARE),
    )


def _refix(p: _Problem, s: _Search, plan: IntArray, *, sharpen: bool = False) -> None:
    """Run a short round of the relaxation against a cheaper plan.

    A lower upper bound fixes more; what it fixes leaves the model. p-median
    rounds take 0-1 knapsacks, whose stronger bound proves and fixes far more
    on tight instances (0.13-0.95 % under the optimum against 0.45-1.16 %);
    `sharpen` runs one even without a cheaper plan. (The first round stays
    fractional: a 0-1 iteration costs 5-20 times more, and the fractional
    ones bring the multipliers near the optimum first.)
    """
    lag = s.lag
    if lag is None or (not sharpen and p.plan_cost(plan) >= lag.upper):
        return
    again = p.relaxation(
        n_open=p.n_open,
        upper=min(p.plan_cost(plan), lag.upper),
        iterations=max(1, p.lagrange_iterations // 3),
        start=lag.multipliers,
        find_plans=p.max_open is None,
        deadline=s.budget(p, LAGRANGE_SHARE / 3),
        integer_knapsacks=p.n_open is not None,
    )
    merged = _merge(lag, again)
    keep = s.finite & ~merged.arcs_closed
    if keep.any(axis=1).all():  # always true in exact arithmetic
        s.lag = merged
        s.keep_pairs(p, keep)


def _local_search(p: _Problem, s: _Search) -> None:
    """Stage 3: local search.

    The relaxation's fixing applied, swaps from the best plan, then a short second
    round of the relaxation against it.
    """
    if s.lag is not None:
        keep = s.finite & ~s.lag.arcs_closed
        if keep.any(axis=1).all():  # always true in exact arithmetic
            s.keep_pairs(p, keep)
        else:
            s.lag = None
    p.checkpoint()
    if s.start is not None and p.swap_evaluations > 0:
        s.start = _swapped(p, s, s.start)
        p.checkpoint()
        _refix(p, s, s.start, sharpen=p.n_open is not None)
    p.checkpoint()


def _restricted_model(p: _Problem, s: _Search) -> None:
    """Stage 4: a restricted model first, starting from the best plan.

    CP-SAT's search improves plans far faster on a smaller model, and the full
    model proves. p-median: the kernel (the sites the relaxation likes best, each
    point's nearest of them); facility location on large instances: each point's
    nearest sites. (The nearest sites alone cut off the optimum of tight p-median
    instances, where capacity sends points past their ten nearest.)
    """
    restricted: FloatArray | None = None
    share = WARM_SHARE
    n, lag, start = p.n, s.lag, s.start
    if p.warm_start and p.n_open is not None and lag is not None and start is not None:
        restricted = _kernel(p.cost, s.finite, lag, start, p.n_open, p.fixed)
        share = KERNEL_SHARE
        kept = np.isfinite(restricted)
        if (
            kept.sum() > KERNEL_MAX_SHARE_OF_ARCS * len(s.ii)
            or kept.any(axis=0).sum()
            > KERNEL_MAX_SHARE_OF_SITES * s.finite.any(axis=0).sum()
        ):
            restricted = None  # hardly smaller than the full model
    elif p.warm_start and len(s.ii) >= LARGE_ARCS:
        rank = np.argsort(
            np.argsort(np.where(s.finite, p.cost, np.inf), axis=1, kind="stable"),
            axis=1,
            kind="stable",
        )
        # facility location on a wall clock looks wider (see the constant)
        wide = s.deterministic_time is None and p.n_open is None
        nearest = WALL_CLOCK_NEAREST_SITES if wide else NEAREST_SITES
        restricted = np.where(s.finite & (rank < nearest), p.cost, np.inf)
        if start is not None:
            # the start's own pairs stay, so it remains a plan of the smaller model
            restricted[np.arange(n), start] = p.cost[np.arange(n), start]
    if restricted is None:
        return
    sub_time = p.time_limit_s * share
    if p.n_open is not None:
        # p-median: a share of what the heuristics left
        sub_time = max(0.5, p.time_limit_s - p.elapsed()) * share
    try:
        first = locate(
            restricted,
            p.demand,
            p.capacity,
            n_open=p.n_open,
            max_open=p.max_open,
            open_cost=p.open_cost,
            fixed_open=p.fixed if lag is None else p.fixed | lag.opened,
            groups=p.groups,
            group_cost=p.group_cost,
            hint=start,
            time_limit_s=sub_time,
            seed=p.seed,
            num_workers=p.num_workers,
            gap_limit=p.gap_limit,
            deterministic_time=None
            if s.deterministic_time is None
            else s.deterministic_time * share,
            warm_start=False,
            lagrange_iterations=0,
            swap_evaluations=0,
            mip=False,
            cancel=p.cancel,
            on_progress=None
            if p.on_progress is None
            else lambda _t, stage, inc, bound: p.report(
                f"restricted/{stage}", inc, bound
            ),
            on_log=p.on_log,
        )
        if first.objective < p.plan_cost(start):
            s.start = first.assignment
            if p.swap_evaluations > 0:
                # CP-SAT's neighbourhoods rarely move a site; swaps do
                s.start = _swapped(p, s, s.start)
            if p.n_open is not None:
                _refix(p, s, s.start)
        if s.deterministic_time is not None:
            s.deterministic_time *= 1 - share
    except SolveCancelled:
        raise
    except PlannerError:
        pass  # the restricted model alone cannot hold everyone


def _mip_stage(p: _Problem, s: _Search) -> LocateResult | None:
    """Stage 5, p-median: HiGHS on the cut-down model.

    It is asked only for plans cheaper than the best known one; its cuts prove what
    CP-SAT's search takes minutes for. Returns the result when HiGHS proves the plan
    or gets within the gap limit, else None (the full model follows).
    """
    mip_time = max(0.0, p.time_limit_s - p.elapsed()) * MIP_SHARE
    if not (
        p.mip
        and p.n_open is not None
        # HiGHS's presolve and root take about a second per 100,000 pairs
        and mip_time >= MIP_MIN_S + len(s.ii) / MIP_PAIRS_PER_S
    ):
        return None
    n_open, lag, fixed = p.n_open, s.lag, p.fixed
    no_site = np.zeros(p.m, dtype=bool)
    known = math.inf
    if s.start is not None and math.isfinite(p.plan_cost(s.start)):
        known = _scaled_cost(
            s.start,
            s.c_int,
            s.ii,
            s.jj,
            p.f_int,
            p.g_int,
            p.groups,
            _p_open(s.start, fixed, n_open, lag, p.f),
        )
    outcome = solve_mip(
        s.ii,
        s.jj,
        s.c_int,
        p.d_int,
        p.q_int,
        p.f_int,
        n=p.n,
        m=p.m,
        n_open=n_open,
        fixed=fixed,
        closed=no_site if lag is None else lag.closed,
        opened=no_site if lag is None else lag.opened,
        groups=p.groups,
        g_int=p.g_int,
        cutoff=known - 1.0,
        gap_limit=p.gap_limit,
        time_limit_s=mip_time,
        node_limit=None if s.deterministic_time is None else MIP_NODES,
        seed=p.seed,
        cancel=p.cancel,
    )
    s.mip_bound = outcome.bound
    if s.mip_bound == math.inf and s.start is None:
        # infeasible without a cutoff: the model itself has no plan (nothing
        # was fixed against a plan, as none was known)
        raise InfeasibleError(
            "No assignment satisfies every capacity (proved by HiGHS); add "
            "capacity or allow more sites."
        )
    mip_open: BoolArray | None = None
    if (
        outcome.assignment is not None
        and outcome.is_open is not None
        # HiGHS works to tolerances: its plan must keep every row exactly
        and math.isfinite(p.plan_cost(outcome.assignment))
    ):
        s.start, known = outcome.assignment, outcome.objective
        mip_open = outcome.is_open
    if math.isfinite(known) and (
        known - s.mip_bound < 1.0 or known - s.mip_bound <= p.gap_limit * abs(known)
    ):
        # proved optimal (integer costs), or within the gap limit
        assert s.start is not None
        return _result(
            p,
            s.start,
            _p_open(s.start, fixed, n_open, lag, p.f) if mip_open is None else mip_open,
            proven=known - s.mip_bound < 1.0,
            scaled_bound=s.mip_bound,
            lag=lag,
        )
    return None


def _full_model(p: _Problem, s: _Search) -> LocateResult:
    """Stage 6: CP-SAT on the (fixed) full model, started from the best plan.

    It stops once within the gap limit of the larger of its own, the MIP's and the
    Lagrangian bound; the best known plan stands when no time is left to build it
    or CP-SAT stops before taking up its hint.
    """
    n, m, lag, start, fixed = p.n, p.m, s.lag, s.start, p.fixed
    ii, jj, c_int = s.ii, s.jj, s.c_int
    n_open, max_open, gap_limit = p.n_open, p.max_open, p.gap_limit
    if (
        s.deterministic_time is None
        and start is not None
        and math.isfinite(p.plan_cost(start))
        and p.elapsed() > p.time_limit_s - CP_SAT_MIN_S - len(ii) / CP_SAT_PAIRS_PER_S
    ):
        # no time left for the full model: the best plan stands, with the
        # relaxation's bound
        return _known_plan(
            start, p.plan_cost(start), lag, fixed, p.f, n_open, p.cost, p.t0
        )

    model = cp_model.CpModel()
    x = [
        model.new_bool_var(f"x{i}_{j}")
        for i, j in zip(ii.tolist(), jj.tolist(), strict=True)
    ]
    y = [model.new_bool_var(f"y{j}") for j in range(m)]
    by_point: list[list[int]] = [[] for _ in range(n)]
    by_site: list[list[int]] = [[] for _ in range(m)]
    for a, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
        by_point[i].append(a)
        by_site[j].append(a)
    for i in range(n):
        model.add_exactly_one(x[a] for a in by_point[i])
    d_int, q_int, f_int, g_int = p.d_int, p.q_int, p.f_int, p.g_int
    for j in range(m):
        arcs = by_site[j]
        if not arcs:
            continue
        model.add(sum(int(d_int[ii[a]]) * x[a] for a in arcs) <= int(q_int[j]) * y[j])
        for a in arcs:
            model.add_implication(x[a], y[j])
    for j in np.flatnonzero(fixed).tolist():
        model.add(y[j] == 1)
    if lag is not None:
        for j in np.flatnonzero(lag.closed).tolist():
            model.add(y[j] == 0)
        for j in np.flatnonzero(lag.opened & ~fixed).tolist():
            model.add(y[j] == 1)
    if n_open is not None:
        model.add(sum(y) == n_open)
    if max_open is not None:
        model.add(sum(y) <= max_open)
    # cover cut: the open sites together must hold all demand (tightens the LP bound
    # on the number of sites, which the per-site rows alone leave loose)
    model.add(sum(int(q_int[j]) * y[j] for j in range(m)) >= int(d_int.sum()))
    objective = sum(int(c) * v for c, v in zip(c_int.tolist(), x, strict=True)) + sum(
        int(f_int[j]) * y[j] for j in range(m) if f_int[j]
    )
    if p.groups is not None and g_int:
        grp = np.asarray(p.groups, dtype=np.int64)
        z: dict[tuple[int, int], cp_model.IntVar] = {}
        for a, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
            key = (int(grp[i]), j)
            if key not in z:
                z[key] = model.new_bool_var(f"z{key[0]}_{j}")
            model.add_implication(x[a], z[key])
        for (_g, j), zv in z.items():
            model.add_implication(zv, y[j])
        objective = objective + g_int * sum(z.values())
    model.minimize(objective)
    if gap_limit > 0 and math.isfinite(s.mip_bound):
        # HiGHS's bound, less its tolerance, so no plan the bound allows is cut off
        model.add(objective >= math.floor(s.mip_bound * (1 - 1e-6) - 1.0))
    if lag is not None and gap_limit > 0 and np.isfinite(lag.bound):
        # CP-SAT only knows its own bound: state the Lagrangian one (less what
        # rounding the scaled costs can take off: half a unit per chosen pair, open
        # site and grid-site pair) so the gap limit stops the search as soon as a
        # plan is within it. A solution callback calling stop_search() did this
        # before, but crashed CP-SAT's interleaved search in postsolve.
        slack = 0.5 * (2 * n + m) + 1.0
        model.add(objective >= math.floor(lag.bound * p.scale - slack))

    if start is not None:
        chosen = np.asarray(start, dtype=np.int64)
        used = fixed.copy()
        used[chosen] = True
        if n_open is not None:
            # a complete hint opens exactly p: idle sites (not closed) make up the rest
            used = _p_open(chosen, fixed, n_open, lag, p.f)
        _hint(model, x, y, ii, jj, chosen, used)

    solver = cp_model.CpSolver()
    # what the warm start used comes off the budget
    solver.parameters.max_time_in_seconds = max(
        1.0, float(p.time_limit_s) - p.elapsed()
    )
    solver.parameters.random_seed = int(p.seed)
    solver.parameters.num_workers = int(p.num_workers)
    solver.parameters.relative_gap_limit = float(gap_limit)
    deterministic_time = s.deterministic_time
    if deterministic_time is not None:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = float(deterministic_time)
        if n_open is None:
            solver.parameters.ignore_subsolvers.extend(INTERLEAVED_SKIPPED_SUBSOLVERS)
    if p.cancel is not None:
        p.cancel.register(solver)
    if p.on_log is not None:
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = p.on_log
    callback = None if p.on_progress is None else _Reporter(p)
    if callback is not None:
        solver.best_bound_callback = callback.on_bound
    status = solver.solve(model, callback)
    p.checkpoint()
    if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
        raise InfeasibleError(
            "No assignment satisfies every capacity (proved by CP-SAT); add capacity "
            "or allow more sites."
        )
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    best = _solution(solver, x, y, ii, jj, n) if found else None
    cp_obj = solver.objective_value if found else math.inf
    cp_bound = solver.best_objective_bound if found else -math.inf
    lag_floor = -math.inf if lag is None else lag.bound * p.scale
    retries = 0
    while (
        deterministic_time is not None
        and status != cp_model.OPTIMAL
        and retries < DETERMINISTIC_RETRIES
        and p.elapsed() < p.time_limit_s - 1.0
        and (
            (best is None and start is None)
            or (
                best is not None
                and cp_obj - max(cp_bound, lag_floor) > RETRY_GAP * abs(cp_obj)
            )
        )
    ):
        # the deterministic budget ended with no plan, or one far from the bound:
        # run on with twice the budget from the best plan found (still the same
        # plan for the same inputs and seed, whatever the machine)
        retries += 1
        deterministic_time *= 2
        if best is not None:
            model.clear_hints()
            _hint(model, x, y, ii, jj, *best)
        solver.parameters.max_deterministic_time = float(deterministic_time)
        solver.parameters.max_time_in_seconds = max(
            1.0, float(p.time_limit_s) - p.elapsed()
        )
        status = solver.solve(model, callback)
        p.checkpoint()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            cp_bound = max(cp_bound, solver.best_objective_bound)
            if best is None or solver.objective_value <= cp_obj:
                best = _solution(solver, x, y, ii, jj, n)
                cp_obj = solver.objective_value
    if best is None:
        if start is not None and math.isfinite(p.plan_cost(start)):
            # CP-SAT ran out of time before taking up its hint: the known plan
            # stands, with the relaxation's bound (CP-SAT proved nothing)
            return _known_plan(
                start, p.plan_cost(start), lag, fixed, p.f, n_open, p.cost, p.t0
            )
        raise PlannerError(
            f"No plan found within {p.time_limit_s:g} s; allow a longer time limit."
        )
    assignment, is_open = best
    # with a gap limit CP-SAT reports OPTIMAL when within it; compare the integer
    # objective with its bound to know whether optimality is really proven
    return _result(
        p,
        assignment,
        is_open,
        proven=status == cp_model.OPTIMAL and cp_obj - cp_bound < 0.5,
        scaled_bound=max(cp_bound, s.mip_bound),
        lag=lag,
    )


class _Reporter(cp_model.CpSolverSolutionCallback):  # type: ignore[misc]
    """Passes CP-SAT's plans and bounds (scaled units) to `on_progress`."""

    def __init__(self, p: _Problem) -> None:
        super().__init__()
        self.p = p
        self.best = math.inf
        self.bound = -math.inf

    def on_solution_callback(self) -> None:
        """Report a better plan."""
        self.best = self.objective_value / self.p.scale
        self.bound = max(self.bound, self.best_objective_bound / self.p.scale)
        self.p.report("full_model", self.best, self.bound)

    def on_bound(self, bound: float) -> None:
        """Report a better bound."""
        self.bound = max(self.bound, bound / self.p.scale)
        self.p.report("full_model", self.best, self.bound)


def _result(
    p: _Problem,
    assignment: IntArray,
    is_open: BoolArray,
    *,
    proven: bool,
    scaled_bound: float,
    lag: LagrangeBound | None,
) -> LocateResult:
    """Return a solver's plan as the result, its bound the best one proved.

    `scaled_bound` is the solver's bound in the scaled integer units (``p.scale``);
    with the relaxation's (input units) the larger counts.
    """
    n = len(assignment)
    # the objective is recomputed exactly in input units; only the bound is scaled
    obj = float(p.cost[np.arange(n), assignment].sum() + p.f[is_open].sum())
    if p.groups is not None and p.group_cost:
        pairs = {(int(g), int(j)) for g, j in zip(p.groups, assignment, strict=True)}
        obj += p.group_cost * len(pairs)
    bound = scaled_bound / p.scale
    if lag is not None:
        # sites the relaxation closed cost more than its known plan, which is no
        # cheaper than the plan found, so CP-SAT's bound holds for the whole problem
        bound = max(bound, lag.bound)
        proven = proven or bound >= obj - 1e-9 * max(abs(obj), 1.0)
    bound = obj if proven else min(bound, obj)
    gap = max(0.0, (obj - bound) / max(abs(obj), 1e-9))
    return LocateResult(
        status="optimal" if proven else "feasible",
        objective=float(obj),
        bound=float(bound),
        gap=float(gap),
        assignment=assignment,
        open=is_open,
        wall_time_s=p.elapsed(),
    )


def _p_open(
    plan: IntArray,
    fixed: BoolArray,
    n_open: int,
    lag: LagrangeBound | None,
    open_cost: FloatArray | IntArray,
) -> BoolArray:
    """Return the open sites of a p-median plan.

    Its own and the fixed ones, and idle sites (none the relaxation `lag` closed;
    the cheapest to open, lowest index first) up to `n_open`.
    """
    used = fixed.copy()
    used[plan] = True
    idle = ~used if lag is None else ~used & ~lag.closed
    spare = np.flatnonzero(idle)
    spare = spare[np.argsort(open_cost[spare], kind="stable")]
    used[spare[: max(0, n_open - int(used.sum()))]] = True
    return used


def _scaled_cost(
    plan: IntArray,
    c_int: IntArray,
    ii: IntArray,
    jj: IntArray,
    f_int: IntArray,
    g_int: int,
    groups: IntArray | None,
    is_open: BoolArray,
) -> float:
    """Return a plan's cost in the model's scaled integers.

    ``inf`` when one of its pairs is not in the model.
    """
    arc = {
        (i, j): a for a, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True))
    }
    total = int(f_int[is_open].sum())
    for i, j in enumerate(plan.tolist()):
        a = arc.get((i, j))
        if a is None:
            return math.inf
        total += int(c_int[a])
    if groups is not None and g_int:
        total += g_int * len(set(zip(groups.tolist(), plan.tolist(), strict=True)))
    return float(total)


def _hint(
    model: cp_model.CpModel,
    x: list[cp_model.IntVar],
    y: list[cp_model.IntVar],
    ii: IntArray,
    jj: IntArray,
    chosen: IntArray,
    used: BoolArray,
) -> None:
    """Hint the plan: each point's site `chosen`, the sites `used` open."""
    for a, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
        model.add_hint(x[a], bool(chosen[i] == j))
    for j, v in enumerate(y):
        model.add_hint(v, bool(used[j]))


def _solution(
    solver: cp_model.CpSolver,
    x: list[cp_model.IntVar],
    y: list[cp_model.IntVar],
    ii: IntArray,
    jj: IntArray,
    n: int,
) -> tuple[IntArray, BoolArray]:
    """Return the solver's plan: each point's site and which sites are open."""
    assignment = np.full(n, -1, dtype=np.int64)
    for a, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
        if solver.boolean_value(x[a]):
            assignment[i] = j
    is_open = np.array([solver.boolean_value(v) for v in y], dtype=bool)
    return assignment, is_open


def _is_feasible(
    plan: IntArray,
    cost: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    fixed: BoolArray,
    n_open: int | None,
) -> bool:
    """Whether a plan is one: allowed pairs, capacities kept, at most `n_open` sites.

    For p-median, idle sites make up any shortfall in the count.
    """
    n, m = cost.shape
    if plan.shape != (n,) or plan.min(initial=0) < 0 or plan.max(initial=0) >= m:
        return False
    if not np.isfinite(cost[np.arange(n), plan]).all():
        return False
    load = np.bincount(plan, demand, minlength=m)
    if (load > capacity + 1e-9).any():
        return False
    used = fixed.copy()
    used[plan] = True
    return n_open is None or int(used.sum()) <= n_open


def _known_plan(
    plan: IntArray,
    value: float,
    lag: LagrangeBound | None,
    fixed: BoolArray,
    open_cost: FloatArray,
    n_open: int | None,
    cost: FloatArray,
    t0: float,
) -> LocateResult:
    """Return a heuristic plan as the result, with the Lagrangian bound if any.

    Without it the bound is one that needs no solve: every point at its cheapest site.
    """
    trivial = float(
        np.where(np.isfinite(cost), cost, np.inf).min(axis=1).sum()
        + np.minimum(open_cost, 0.0).sum()
    )
    is_open = fixed.copy()
    is_open[plan] = True
    if n_open is not None:
        # p-median: idle sites make up the count, as in the hint
        is_open = _p_open(plan, fixed, n_open, lag, open_cost)
    bound = min(trivial if lag is None else max(lag.bound, trivial), value)
    proven = bound >= value - 1e-9 * max(abs(value), 1.0)
    gap = 0.0 if proven else min(1.0, (value - bound) / max(abs(value), 1e-9))
    return LocateResult(
        status="optimal" if proven else "feasible",
        objective=float(value),
        bound=float(bound),
        gap=float(gap),
        assignment=np.asarray(plan, dtype=np.int64).copy(),
        open=is_open,
        wall_time_s=time.perf_counter() - t0,
    )


def _kernel(
    cost: FloatArray,
    allowed: BoolArray,
    lag: LagrangeBound,
    start: IntArray,
    n_open: int,
    fixed: BoolArray,
) -> FloatArray:
    """Cost matrix of the p-median kernel model (``inf`` outside it).

    Sites: the ``KERNEL_SITES × n_open`` the relaxation values most (lowest
    ``v_j``, none it closed), the fixed ones and those of `start`. Pairs: each
    point's ``KERNEL_NEAREST`` cheapest allowed kernel sites and its site in
    `start`, so `start` stays a plan of the kernel.
    """
    n = cost.shape[0]
    value = np.where(lag.closed, np.inf, lag.site_value)
    sites = fixed | lag.opened
    sites[np.argsort(value, kind="stable")[: KERNEL_SITES * n_open]] = True
    sites &= ~lag.closed
    sites[start] = True
    usable = allowed & sites[None, :]
    rank = np.argsort(
        np.argsort(np.where(usable, cost, np.inf), axis=1, kind="stable"),
        axis=1,
        kind="stable",
    )
    out = np.where(usable & (rank < KERNEL_NEAREST), cost, np.inf)
    rows = np.arange(n)
    out[rows, start] = cost[rows, start]
    return out


def _merge(first: LagrangeBound, second: LagrangeBound) -> LagrangeBound:
    """Combine two rounds of the relaxation: each one's proofs stay valid."""
    return LagrangeBound(
        bound=max(first.bound, second.bound),
        closed=first.closed | second.closed,
        arcs_closed=first.arcs_closed | second.arcs_closed,
        opened=(first.opened | second.opened) & ~(first.closed | second.closed),
        upper=min(first.upper, second.upper),
        plan=second.plan if second.plan is not None else first.plan,
        multipliers=second.multipliers
        if second.bound > first.bound
        else first.multipliers,
        iterations=first.iterations + second.iterations,
        site_value=second.site_value
        if second.bound > first.bound
        else first.site_value,
    )


def objective_of(
    cost: FloatArray,
    assignment: IntArray,
    *,
    open_cost: FloatArray | None = None,
    open_sites: BoolArray | None = None,
) -> float:
    """Return the cost of an assignment in input units (for checks and benchmarks)."""
    total = float(cost[np.arange(len(assignment)), assignment].sum())
    if open_cost is not None:
        used = (
            open_sites
            if open_sites is not None
            else np.isin(np.arange(len(open_cost)), assignment)
        )
        total += float(np.asarray(open_cost)[used].sum())
    return total if math.isfinite(total) else math.inf
