"""Who walks how far: a plan's access and equity report, and the equity proxy costs.

Every resident's burden is measured in minutes: the walk to the plan's site for
walk-up households (walking distance of :mod:`planner.geo.walking`, on the walking
network where the street has one, over ``walking.speed_m_per_min``), and for households
sampled at home (homebound, sealed) the wait from the start of the round until their
team arrives. The report summarises the walks of everyone, of older residents, of key
groups and of households with young children, by community and by grid, and the waits
of homebound and sealed households: mean, 90th and 99th percentile, people beyond each
threshold and the Kolm–Pollak equally distributed equivalent (EDE).

Kolm–Pollak EDE (Kolm 1976; Logan et al. 2021; Horton et al., arXiv 2401.15452)
    For burdens ``x_i ≥ 0`` with weights ``w_i`` (here one per person)::

        EDE = -(1/κ) · ln( Σ w_i exp(-κ x_i) / Σ w_i ),   κ = ε · Σ w_i x_i / Σ w_i x_i²

    with the aversion ``ε < 0`` for a burden (``access.aversion``, default −1), so
    ``κ < 0`` (per minute) and ``mean ≤ EDE ≤ max``: the walk that, walked by
    everyone, would be as bad as the walks as they are, long walks weighing more the
    stronger the aversion. ``κ`` is computed once per measure from all residents'
    walks (or waits) and applied unchanged to every group, so groups compare on one
    scale (as Logan et al. advise); the report states ``ε`` and ``κ``.

Linear proxy (Horton et al.)
    With ``κ`` fixed the EDE is a monotone function of ``Σ w_i exp(-κ x_i)``, so a
    location model minimises the EDE by minimising that sum — linear in the assignment.
    The planner's model also pays for sites, desks and grid splits in person-minutes,
    so each person's walking cost becomes ``(exp(-κ x) - 1) / (-κ)`` minutes: the same
    sum up to a constant and a positive factor (hence the same EDE-optimal assignment
    when the walks are all that count), equal to ``x`` for short walks and growing
    exponentially for long ones. ``κ`` for planning is ``ε · Σ p_b d_b / Σ p_b d_b²``
    over each building's walk-up people ``p_b`` and walk ``d_b`` to its nearest
    candidate site in reach: it depends on the inputs only, so every solve of the same
    street (certification re-plans, campaigns) uses the same costs. The solver's bound
    is on this transformed objective, not on the mean walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.geo.walking import WalkArcs, walk_limits_m
from planner.model.modes import HOME_VISIT, WALK_UP
from planner.model.policy import AccessPolicy, Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.model.types import BoolArray, FloatArray, IntArray

GROUPS = ("all", "older", "oldest", "key_group", "young_children")
"""The walking groups of the report, in order (``older``: aged ``access.older_age`` or
more; ``oldest``: ``access.oldest_age`` or more; ``young_children``: people in a
household with a child under ``access.child_age``)."""

WAIT_GROUPS = ("homebound", "sealed")
"""The groups sampled at home, measured by their wait for the team."""


@dataclass(frozen=True, slots=True)
class People:
    """The people the report counts: the resident register, or each household's size.

    Attributes
    ----------
    household
        Household index of each person.
    age
        Age in whole years (-1 unknown: without a register nobody is in an age group).
    key_group
        Key group (重点人群).
    """

    household: IntArray
    age: IntArray
    key_group: BoolArray


def people_of(scenario: Scenario) -> People:
    """Return the street's people, one row per resident (or per household member)."""
    r = scenario.residents
    if r is not None:
        return People(r.household, r.age, r.key_group)
    h = scenario.households
    hh = np.repeat(np.arange(len(h), dtype=np.int64), h.size)
    return People(hh, np.full(len(hh), -1, dtype=np.int64), np.zeros(len(hh), bool))


def kolm_pollak_kappa(
    x: npt.ArrayLike, aversion: float, weights: npt.ArrayLike | None = None
) -> float:
    """Return κ = ε · Σ w x / Σ w x² of burdens `x` (0 when every burden is 0).

    Parameters
    ----------
    x
        Burdens, e.g. walks in minutes.
    aversion
        ε, negative for a burden.
    weights
        People behind each burden; one each by default.
    """
    xs = np.asarray(x, dtype=np.float64)
    w = np.ones_like(xs) if weights is None else np.asarray(weights, dtype=np.float64)
    sq = float((w * xs * xs).sum())
    if sq <= 0:
        return 0.0
    return float(aversion * (w * xs).sum() / sq)


def kolm_pollak_ede(
    x: npt.ArrayLike, kappa: float, weights: npt.ArrayLike | None = None
) -> float:
    """Return the Kolm–Pollak EDE ``-(1/κ) ln(Σ w exp(-κ x) / Σ w)`` of burdens `x`.

    With ``κ = 0`` (no aversion, or no burden at all) it is the weighted mean; nan for
    an empty `x`. Computed with the largest exponent taken out, so long waits do not
    overflow.
    """
    xs = np.asarray(x, dtype=np.float64)
    w = np.ones_like(xs) if weights is None else np.asarray(weights, dtype=np.float64)
    if xs.size == 0 or w.sum() <= 0:
        return float("nan")
    if kappa == 0:
        return float((w * xs).sum() / w.sum())
    e = -kappa * xs
    top = float(e.max())
    log_mean = top + float(np.log((w * np.exp(e - top)).sum() / w.sum()))
    return -log_mean / kappa


def ede_walk_cost(walk_min: FloatArray, kappa: float) -> FloatArray:
    """Return each walk's proxy cost ``(exp(-κ x) - 1) / (-κ)``, minutes per person.

    The linear proxy of the EDE in the planner's units (module docstring); the walk
    itself when ``κ = 0``.
    """
    if kappa == 0:
        return np.asarray(walk_min, dtype=np.float64)
    out: FloatArray = np.expm1(-kappa * walk_min) / (-kappa)
    return out


def planning_kappa(
    arcs: WalkArcs, b_people: npt.NDArray[np.int64], policy: Policy
) -> float:
    """Return the κ the ``ede`` objective plans with (module docstring).

    Each building's walk to its nearest candidate site in reach, weighted by its
    walk-up people; buildings with no site in reach or nobody walking do not count.
    """
    n_b = len(b_people)
    nearest = np.full(n_b, np.inf)
    np.minimum.at(nearest, arcs.building, arcs.walk_m.astype(np.float64))
    ok = np.isfinite(nearest) & (b_people > 0)
    walk = nearest[ok] / policy.walking.speed_m_per_min
    return kolm_pollak_kappa(walk, policy.access.aversion, b_people[ok])


def oldest_cap_mask(
    arcs: WalkArcs,
    scenario: Scenario,
    policy: Policy,
    walk_hh: BoolArray,
) -> BoolArray:
    """Return the arcs the ``older_cap`` objective forbids.

    Arcs of buildings with a walk-up resident aged ``access.oldest_age`` or more that
    are longer than ``access.oldest_walk_limit_min``; a building with no site that
    close keeps all its arcs (its residents still get the nearest site the solver
    can give them, and the gap list names the building).
    """
    h, r = scenario.households, people_of(scenario)
    n_b = len(scenario.buildings)
    old = (r.age >= policy.access.oldest_age) & walk_hh[r.household]
    has_old = np.zeros(n_b, dtype=bool)
    has_old[h.building[r.household[old]]] = True
    cap_m = policy.access.oldest_walk_limit_min * policy.walking.speed_m_per_min
    long_arc = has_old[arcs.building] & (arcs.walk_m > cap_m)
    short = np.zeros(n_b, dtype=bool)
    short[arcs.building[~long_arc & has_old[arcs.building]]] = True
    forbid: BoolArray = long_arc & short[arcs.building]
    return forbid


@dataclass(frozen=True, slots=True)
class AccessRow:
    """One group's burden, minutes.

    Attributes
    ----------
    group
        Group key (:data:`GROUPS`, :data:`WAIT_GROUPS`) or community or grid id.
    measure
        ``walk`` (to the site) or ``wait`` (for the door-to-door team).
    people
        People measured (walk-up, or visited at home and reached by a team).
    unserved
        People of the group without a site or a team (unassigned households).
    mean_min, p90_min, p99_min
        Mean and 90th/99th percentile (the smallest burden at least that share of
        the group is within); nan for an empty group.
    beyond
        People beyond each of ``access.thresholds_min``.
    ede_min
        Kolm–Pollak EDE at the report's κ of the measure.
    """

    group: str
    measure: str
    people: int
    unserved: int
    mean_min: float
    p90_min: float
    p99_min: float
    beyond: tuple[int, ...]
    ede_min: float

    def to_dict(self) -> dict[str, Any]:
        """Return the row as plain values (rounded to 0.01 minute)."""
        return {
            "group": self.group,
            "measure": self.measure,
            "people": self.people,
            "unserved": self.unserved,
            "mean_min": _round(self.mean_min),
            "p90_min": _round(self.p90_min),
            "p99_min": _round(self.p99_min),
            "beyond": list(self.beyond),
            "ede_min": _round(self.ede_min),
        }


@dataclass(frozen=True, slots=True)
class AccessGap:
    """A building whose residents of one group are beyond that group's limit.

    Attributes
    ----------
    building
        Building index.
    group
        ``all`` (beyond the street's limit, or no site in reach) or ``oldest``.
    people
        People of the group in the building beyond the limit.
    walk_min
        Their walk today, minutes (nan: no site in reach).
    limit_min
        The group's longest walk, minutes.
    fix_site
        Nearest candidate site within the limit (-1: none — the office may know one).
    fix_walk_min
        The walk to it, minutes (nan when none).
    fix_open
        Whether that site is open in the plan (the building could move there), else
        it would have to open.
    """

    building: int
    group: str
    people: int
    walk_min: float
    limit_min: float
    fix_site: int
    fix_walk_min: float
    fix_open: bool


@dataclass(frozen=True)
class AccessReport:
    """A plan's access and equity report.

    Attributes
    ----------
    aversion
        ε of the EDE.
    kappa_walk, kappa_wait
        κ of the walks and of the waits, per minute.
    thresholds_min
        The thresholds of :attr:`AccessRow.beyond`, minutes.
    groups
        Rows of :data:`GROUPS` (walks) then :data:`WAIT_GROUPS` (waits).
    communities, grids
        Walks by community and by grid (walk-up residents).
    gaps
        Buildings beyond their group's limit, longest walk first.
    person_walk_min, person_wait_min
        Per person of :func:`people_of` (the residents in order): walk, or wait for
        the team; nan otherwise.
    building_walk_min
        Mean walk of each building's walk-up residents, nan where nobody walks.
    policy_access
        The access policy the report was made with (ages, limit, objective).
    """

    aversion: float
    kappa_walk: float
    kappa_wait: float
    thresholds_min: tuple[int, ...]
    groups: tuple[AccessRow, ...]
    communities: tuple[AccessRow, ...]
    grids: tuple[AccessRow, ...]
    gaps: tuple[AccessGap, ...]
    person_walk_min: FloatArray
    person_wait_min: FloatArray
    building_walk_min: FloatArray
    policy_access: AccessPolicy

    def row(self, group: str) -> AccessRow:
        """Return the row of group `group` (:data:`GROUPS` or :data:`WAIT_GROUPS`)."""
        return next(r for r in self.groups if r.group == group)

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        """Return the report for ``plan.json`` (ids for indices; no per-person data)."""
        b, s = scenario.buildings, scenario.sites
        a = self.policy_access
        return {
            "objective": a.objective,
            "older_age": a.older_age,
            "oldest_age": a.oldest_age,
            "child_age": a.child_age,
            "oldest_walk_limit_min": a.oldest_walk_limit_min,
            "aversion": self.aversion,
            "kappa_walk_per_min": round(self.kappa_walk, 6),
            "kappa_wait_per_min": round(self.kappa_wait, 6),
            "thresholds_min": list(self.thresholds_min),
            "groups": [r.to_dict() for r in self.groups],
            "communities": [r.to_dict() for r in self.communities],
            "grids": [r.to_dict() for r in self.grids],
            "gaps": [
                {
                    "building_id": str(b.id[g.building]),
                    "group": g.group,
                    "people": g.people,
                    "walk_min": _round(g.walk_min),
                    "limit_min": g.limit_min,
                    "fix_site_id": str(s.id[g.fix_site]) if g.fix_site >= 0 else "",
                    "fix_walk_min": _round(g.fix_walk_min),
                    "fix_site_open": g.fix_open,
                }
                for g in self.gaps
            ],
        }


def _round(v: float) -> float | None:
    return None if v != v else round(float(v), 2)


def person_burdens(
    scenario: Scenario, plan: Plan
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Return each resident's walk and wait, minutes (nan where not), and unserved.

    A walk-up resident walks their household's ``hh_walk_m`` at the policy's speed; a
    resident visited at home waits from the start of the round until the team
    arrives; a resident of an unassigned household is unserved.
    """
    hh = people_of(scenario).household
    speed = plan.policy.walking.speed_m_per_min
    mode = plan.hh_mode[hh]
    walk_m = plan.hh_walk_m[hh].astype(np.float64)
    walk = np.where((mode == WALK_UP) & (walk_m >= 0), walk_m / speed, np.nan)
    arrive = np.full(len(scenario.households), np.nan)
    for team in plan.teams:
        arrive[list(team.households)] = team.arrive_min
    start = plan.policy.round.start_min
    wait = np.where(mode == HOME_VISIT, arrive[hh] - start, np.nan)
    unserved = np.isnan(walk) & np.isnan(wait)
    return walk, wait, unserved


def _row(
    group: str,
    measure: str,
    x: FloatArray,
    unserved: int,
    kappa: float,
    thresholds: tuple[int, ...],
) -> AccessRow:
    if len(x) == 0:
        nan = float("nan")
        return AccessRow(
            group, measure, 0, unserved, nan, nan, nan, (0,) * len(thresholds), nan
        )
    return AccessRow(
        group=group,
        measure=measure,
        people=len(x),
        unserved=unserved,
        mean_min=float(x.mean()),
        p90_min=float(np.percentile(x, 90, method="inverted_cdf")),
        p99_min=float(np.percentile(x, 99, method="inverted_cdf")),
        beyond=tuple(int((x > t + 1e-9).sum()) for t in thresholds),
        ede_min=kolm_pollak_ede(x, kappa),
    )


def group_masks(scenario: Scenario, plan: Plan) -> dict[str, BoolArray]:
    """Return, per group of :data:`GROUPS` and :data:`WAIT_GROUPS`, its residents."""
    r, h = people_of(scenario), scenario.households
    a = plan.policy.access
    child_hh = np.zeros(len(h), dtype=bool)
    child_hh[r.household[(r.age >= 0) & (r.age < a.child_age)]] = True
    home = plan.hh_mode[r.household] == HOME_VISIT
    sealed = h.sealed[r.household]
    return {
        "all": np.ones(len(r.household), dtype=np.bool_),
        "older": r.age >= a.older_age,
        "oldest": r.age >= a.oldest_age,
        "key_group": r.key_group,
        "young_children": child_hh[r.household],
        "homebound": home & ~sealed,
        "sealed": home & sealed,
    }


def access_report(scenario: Scenario, plan: Plan, arcs: WalkArcs) -> AccessReport:
    """Return the plan's access and equity report.

    Parameters
    ----------
    scenario
        The street.
    plan
        The plan (its policy gives the speed, ages, thresholds and aversion).
    arcs
        The street's walking arcs (:func:`planner.geo.walking.walk_arcs` with the
        plan's walking policy), for the sites that would fix a gap.
    """
    policy = plan.policy
    a = policy.access
    walk, wait, unserved = person_burdens(scenario, plan)
    walking = ~np.isnan(walk)
    waiting = ~np.isnan(wait)
    k_walk = kolm_pollak_kappa(walk[walking], a.aversion)
    k_wait = kolm_pollak_kappa(wait[waiting], a.aversion)
    th = tuple(a.thresholds_min)
    masks = group_masks(scenario, plan)
    unserved_walkers = unserved & ~(
        plan.hh_mode[people_of(scenario).household] == HOME_VISIT
    )
    rows = [
        _row(g, "walk", walk[m & walking], int((m & unserved).sum()), k_walk, th)
        for g, m in masks.items()
        if g in GROUPS
    ]
    rows += [
        _row(g, "wait", wait[m & waiting], int((m & unserved).sum()), k_wait, th)
        for g, m in masks.items()
        if g in WAIT_GROUPS
    ]
    r_building = scenario.households.building[people_of(scenario).household]
    by: dict[str, tuple[AccessRow, ...]] = {}
    for name, of_b, ids in (
        ("community", scenario.buildings.community, scenario.communities),
        ("grid", scenario.buildings.grid, scenario.grid_ids),
    ):
        unit = of_b[r_building]
        by[name] = tuple(
            _row(
                str(ids[u]),
                "walk",
                walk[walking & (unit == u)],
                int((unserved_walkers & (unit == u)).sum()),
                k_walk,
                th,
            )
            for u in range(len(ids))
            if ((unit == u) & (walking | unserved_walkers)).any()
        )
    n_b = len(scenario.buildings)
    people_b = np.bincount(r_building[walking], minlength=n_b)
    sum_b = np.bincount(r_building[walking], walk[walking], minlength=n_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        building_walk = np.where(people_b > 0, sum_b / np.maximum(people_b, 1), np.nan)
    gaps = _gaps(scenario, plan, arcs, walk, masks, unserved_walkers)
    return AccessReport(
        aversion=a.aversion,
        kappa_walk=k_walk,
        kappa_wait=k_wait,
        thresholds_min=th,
        groups=tuple(rows),
        communities=by["community"],
        grids=by["grid"],
        gaps=gaps,
        person_walk_min=walk,
        person_wait_min=wait,
        building_walk_min=building_walk,
        policy_access=a,
    )


def _gaps(
    scenario: Scenario,
    plan: Plan,
    arcs: WalkArcs,
    walk: FloatArray,
    masks: dict[str, BoolArray],
    unserved_walkers: BoolArray,
) -> tuple[AccessGap, ...]:
    """Return the buildings whose residents are beyond their group's limit."""
    policy = plan.policy
    speed = policy.walking.speed_m_per_min
    r_building = scenario.households.building[people_of(scenario).household]
    no_reach = plan.unassigned_reason[people_of(scenario).household] == (
        "no_site_in_reach"
    )
    limit_all = walk_limits_m(scenario, policy.walking) / speed
    limit_old = np.minimum(limit_all, policy.access.oldest_walk_limit_min)
    arc_min = arcs.walk_m / speed
    gaps: list[AccessGap] = []
    for group, limit in (("all", limit_all), ("oldest", limit_old)):
        of_group = masks[group]
        # a building with no site in reach is a gap of everyone's, not again of the
        # oldest's
        stranded = unserved_walkers & no_reach if group == "all" else False
        over = of_group & ((walk > limit[r_building] + 1e-9) | stranded)
        for bi in np.unique(r_building[over]).tolist():
            here = over & (r_building == bi)
            ok = (arcs.building == bi) & (arc_min <= limit[bi] + 1e-9)
            fix, fix_walk = -1, float("nan")
            if ok.any():
                k = np.flatnonzero(ok)[int(np.argmin(arc_min[ok]))]
                fix, fix_walk = int(arcs.site[k]), float(arc_min[k])
            w = walk[here]
            gaps.append(
                AccessGap(
                    building=int(bi),
                    group=group,
                    people=int(here.sum()),
                    walk_min=float(np.nanmax(w)) if (~np.isnan(w)).any() else np.nan,
                    limit_min=float(limit[bi]),
                    fix_site=fix,
                    fix_walk_min=fix_walk,
                    fix_open=bool(plan.site_open[fix]) if fix >= 0 else False,
                )
            )
    gaps.sort(
        key=lambda g: (
            -(np.inf if g.walk_min != g.walk_min else g.walk_min),
            g.building,
        )
    )
    return tuple(gaps)


@dataclass(frozen=True)
class EquityTradeoff:
    """What the equity option bought, against the plan that minimises total walking.

    Each pair is ``(plain, equity)``. The solver's objective and bound of the equity
    plan are on its transformed objective (proxy costs or the cap), not the mean walk.

    Attributes
    ----------
    objective
        The option (``ede`` or ``older_cap``).
    kappa
        κ the EDE of both plans is computed with (the plain plan's walks), per minute.
    mean_walk_min, p90_oldest_min, p90_all_min, worst_decile_min, ede_min
        Mean walk; 90th percentile of residents aged ``access.oldest_age`` or more
        and of everyone; mean walk of the worst-off tenth; EDE at `kappa`.
    sites, desks
        Sites open and desks.
    """

    objective: str
    kappa: float
    mean_walk_min: tuple[float, float]
    p90_oldest_min: tuple[float, float]
    p90_all_min: tuple[float, float]
    worst_decile_min: tuple[float, float]
    ede_min: tuple[float, float]
    sites: tuple[int, int]
    desks: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        """Return the trade-off for ``plan.json``: ``{name: [plain, equity]}``."""
        out: dict[str, Any] = {
            "objective": self.objective,
            "kappa_per_min": round(self.kappa, 6),
        }
        for name in (
            "mean_walk_min",
            "p90_oldest_min",
            "p90_all_min",
            "worst_decile_min",
            "ede_min",
        ):
            out[name] = [_round(v) for v in getattr(self, name)]
        out["sites"] = list(self.sites)
        out["desks"] = list(self.desks)
        return out


def worst_decile_mean(x: FloatArray) -> float:
    """Return the mean of the largest tenth of `x` (at least one value; nan if empty)."""
    if len(x) == 0:
        return float("nan")
    n = max(1, int(np.ceil(0.1 * len(x))))
    return float(np.sort(x)[-n:].mean())


def equity_tradeoff(
    scenario: Scenario, plain: Plan, equity: Plan, objective: str
) -> EquityTradeoff:
    """Compare the equity plan with the plain one on one scale (the plain plan's κ)."""
    oldest = people_of(scenario).age >= equity.policy.access.oldest_age
    walks = [person_burdens(scenario, p)[0] for p in (plain, equity)]
    kappa = kolm_pollak_kappa(
        walks[0][~np.isnan(walks[0])], equity.policy.access.aversion
    )

    def pair(f: Any, mask: IntArray | BoolArray | None = None) -> tuple[float, float]:
        vals = []
        for w in walks:
            ok = ~np.isnan(w) if mask is None else ~np.isnan(w) & mask
            vals.append(float(f(w[ok])) if ok.any() else float("nan"))
        return vals[0], vals[1]

    def p90(x: FloatArray) -> float:
        return float(np.percentile(x, 90, method="inverted_cdf"))

    return EquityTradeoff(
        objective=objective,
        kappa=kappa,
        mean_walk_min=pair(np.mean),
        p90_oldest_min=pair(p90, oldest),
        p90_all_min=pair(p90),
        worst_decile_min=pair(worst_decile_mean),
        ede_min=pair(lambda x: kolm_pollak_ede(x, kappa)),
        sites=(int(plain.site_open.sum()), int(equity.site_open.sum())),
        desks=(int(plain.site_desks.sum()), int(equity.site_desks.sum())),
    )
