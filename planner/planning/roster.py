"""Build the named roster from the staff pool with CP-SAT, reporting any shortfall.

The roster fills posts period by period (:func:`planner.planning.staffing.roster_periods`,
one hour by default). People of the same *type* — class (``medical`` may fill sampler
roles; ``cadre``, the support staff of the street office, committees and health
centre, may fill the site lead (点长) and every other support role; ``volunteer`` the
other support roles only), home community (from their organisation; "" for the health
centre, hospital, street office and volunteers, who go anywhere) and availability
window — are interchangeable, so CP-SAT decides how many of each type fill each *post*
``k = (site or team, period, class)``, and how many people in full PPE work each
*pattern* of the day; names are then given out period by period, a shift kept at its
desk or team.

A pattern ``π`` is a set of periods one person in full PPE may work
(:func:`planner.planning.staffing.work_patterns`): at most ``staff.shifts_per_day``
shifts (runs of consecutive periods), each within the PPE limit (4 h), a rest of at
least ``staff.min_rest_hours`` and a fresh PPE set between them, at most
``staff.max_hours_per_day`` in all. So a sampler may work 08:00–11:00 and
12:00–14:00, while a relief sampler covers the desk from 11:00 to 12:00.

Variables
    ``n_tk ∈ [0, |t|]`` people of type ``t`` at post ``k`` (only where the class
    matches and the type is available for the whole period); ``x_tπ ∈ [0, |t|]``
    people of a full-PPE type working pattern ``π``; ``m_k ∈ [0, need_k]``
    positions left unfilled, ``e_k ≥ m_k − reserve_k`` of them essential.

Objective
    minimise ``M·Σ (m_k + e_k) + Σ x_tπ + Σ c_tk·n_tk`` with ``M`` large (cover
    first, the reserve left empty before a desk, lead or registrar), then the fewest
    PPE shifts, and ``c_tk = 1`` when a community's support staff are sent to another
    community.

Constraints
    1. ``Σ_t n_tk + m_k = need_k`` (every position filled or declared missing);
    2. ``Σ_{k in period s} n_tk ≤ |t|`` (nobody in two places at once);
    3. for people in full PPE (samplers; support staff too when
       ``staff.support_full_ppe``): ``Σ_π x_tπ ≤ |t|`` and
       ``Σ_{k in period s} n_tk ≤ Σ_{π ∋ s} x_tπ`` (a period is worked only by those
       whose pattern has it);
    4. a site lead is a cadre: ``Σ_{cadre t} n_tk + m_k ≥ leads_k``.

Within a post, people take roles in priority order (lead, registrars, …, reserve
last), so a shortfall falls on the least essential role.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.staffing import (
    CADRE_ROLES,
    SAMPLER_ROLES,
    Shift,
    blocks_of,
    is_volunteer,
    roster_periods,
    work_patterns,
)
from planner.text import ROLES_ZH

ROLE_PRIORITY = (
    "sampler",
    "home_sampler",
    "site_lead",
    "registrar",
    "home_registrar",
    "transport",
    "order_keeper",
    "guide",
    "disinfection",
    "reserve",
)
"""Order in which a post's people take roles; shortfalls land at the end."""

ESSENTIAL_ROLES = frozenset(ROLE_PRIORITY[:-1])
"""Roles a desk, team or site cannot do without; the reserve (机动) is left empty
first when the pool is short."""

MISSING_COST = 10_000
"""Cost of one unfilled position against one person sent outside their community."""

_TypeKey = tuple[str, str, int, int]
"""A type of people: class, home community, available from and to (minutes)."""

_Cover = tuple[
    dict[tuple[int, int], int],
    dict[int, list[frozenset[int]]],
    dict[tuple[int, int], int],
    Any,
]
"""A cover model's answer: people of type ``t`` at post ``k``; each type's work
patterns; people of type ``t`` on pattern ``q``; the CP-SAT status."""


@dataclass(frozen=True)
class Roster:
    """A named roster.

    Attributes
    ----------
    assignments
        ``site_id, shift, shift_start, shift_end, role, role_zh, staff_id, name,
        organisation, phone``, one row per person and shift.
    shortfall
        ``site_id, shift, shift_start, shift_end, role, role_zh, missing``: positions
        no one in the pool can fill (the request for outside support).
    status
        CP-SAT status name.
    wall_time_s
        Solve time, seconds.
    """

    assignments: pd.DataFrame
    shortfall: pd.DataFrame
    status: str
    wall_time_s: float


def _class_of(role: str) -> str:
    """Return the post class of a role: ``medical`` or ``support``."""
    return "medical" if role in SAMPLER_ROLES else "support"


ELIGIBLE = {
    "medical": frozenset({"medical"}),
    "cadre": frozenset({"support"}),
    "volunteer": frozenset({"support"}),
}
"""Post classes each person class may fill. Within a support post a site lead (点长)
must be a cadre or community worker, never a volunteer (constraint 4)."""


def _home_community(organisation: str, communities: tuple[str, ...]) -> str:
    return next((c for c in communities if c and c in organisation), "")


def build_roster(
    requirements: pd.DataFrame,
    scenario: Scenario,
    policy: Policy,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
) -> Roster:
    """Assign named staff to the required positions.

    Parameters
    ----------
    requirements
        From :func:`planner.planning.staffing.staff_requirements` (one row per
        post, roster period and role).
    scenario
        Staff pool (role, organisation, availability) and site communities.
    policy
        Shift and rest limits.
    time_limit_s, seed
        CP-SAT settings (the model is small; it normally proves optimality at once).
    """
    t0 = time.perf_counter()
    staff = scenario.staff
    periods = roster_periods(policy)
    shifts = {sh.index: sh for sh in periods}
    req = requirements.copy()
    req["cls"] = req["role"].map(_class_of)
    req["tier"] = np.where(req["role"].isin(ESSENTIAL_ROLES), 0, 1)
    posts: list[dict[Any, Any]] = (
        req.groupby(["site_id", "shift", "cls", "community"], sort=True)["needed"]
        .sum()
        .reset_index()
        .to_dict("records")
    )
    essential = (
        req[req["tier"] == 0]
        .groupby(["site_id", "shift", "cls"])["needed"]
        .sum()
        .to_dict()
    )
    volunteer = np.array([is_volunteer(str(o)) for o in staff.organisation], dtype=bool)
    person_cls = np.where(
        staff.role == "sampler", "medical", np.where(volunteer, "volunteer", "cadre")
    )
    home = [_home_community(str(o), scenario.communities) for o in staff.organisation]
    keys = list(
        zip(
            person_cls.tolist(),
            home,
            staff.available_from_min.tolist(),
            staff.available_to_min.tolist(),
            strict=True,
        )
    )
    types: dict[_TypeKey, list[int]] = {}
    for p, key in enumerate(keys):
        types.setdefault(key, []).append(p)
    type_keys = sorted(types)

    # samplers are interchangeable across posts of a period: their patterns are
    # chosen on the period totals (a small model) and spread over the posts after
    med_counts, med_patterns, med_taken, med_status = _medical_cover(
        posts, types, type_keys, periods, policy, time_limit_s, seed
    )
    order = sorted(shifts)
    # support posts of different periods share nobody when support staff may stay
    # all day: one small model per period (one model over the day was 8x slower)
    groups = (
        [[k for k, p in enumerate(posts) if p["cls"] != "medical"]]
        if policy.staff.support_full_ppe
        else [
            [
                k
                for k, p in enumerate(posts)
                if p["cls"] != "medical" and p["shift"] == s
            ]
            for s in order
        ]
    )
    counts = dict(med_counts)
    taken: dict[tuple[int, int], int] = dict(med_taken)
    patterns: dict[int, list[frozenset[int]]] = dict(med_patterns)
    status = med_status
    for group in groups:
        if policy.staff.support_full_ppe:
            c, pats, tk, st = _support_cover(
                group,
                posts,
                req,
                essential,
                types,
                type_keys,
                periods,
                policy,
                time_limit_s,
                seed,
            )
        else:
            c, st = _support_flow(
                group, posts, req, essential, types, type_keys, periods
            )
            pats, tk = {}, {}
        counts.update(c)
        taken.update(tk)
        patterns.update(pats)
        status = min((status, st), key=lambda x: _STATUS_RANK.get(x, -1))
    chosen = _name_people(counts, posts, types, type_keys, patterns, taken, order)
    cadre = {p for p, c in enumerate(person_cls.tolist()) if c == "cadre"}
    rows, short = _roles_for_posts(posts, chosen, req, scenario, shifts, cadre)
    return Roster(rows, short, str(status.name), time.perf_counter() - t0)


def _support_cover(
    group: list[int],
    posts: list[dict[Any, Any]],
    req: pd.DataFrame,
    essential: dict[Any, Any],
    types: dict[_TypeKey, list[int]],
    type_keys: list[_TypeKey],
    periods: tuple[Shift, ...],
    policy: Policy,
    time_limit_s: float,
    seed: int,
) -> _Cover:
    """Fill the support posts `group` (the module's model, one group at a time).

    Returns counts per type and post, the patterns (support in full PPE only),
    people per pattern and the CP-SAT status.
    """
    shifts = {sh.index: sh for sh in periods}
    model = cp_model.CpModel()
    n: dict[tuple[int, int], cp_model.IntVar] = {}
    cost_terms = []
    for k in group:
        post = posts[k]
        comm = str(post["community"])
        for t, _cls, home_c in _eligible(post, shifts, type_keys):
            var = model.new_int_var(
                0, min(len(types[type_keys[t]]), int(post["needed"])), f"n_{t}_{k}"
            )
            n[t, k] = var
            if home_c and comm and home_c != comm:
                cost_terms.append(var)
    missing = []
    lead_need = _lead_need(req)
    # each post's variables in the order they were made (grouped once: scanning all
    # of `n` per post took 0.8 s on a 100,000-resident street)
    at_post: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for (t, kk), v in n.items():
        at_post.setdefault(kk, []).append((t, v))
    for k in group:
        post = posts[k]
        m = model.new_int_var(0, int(post["needed"]), f"m_{k}")
        missing.append(m)
        here = at_post.get(k, [])
        model.add(sum(v for _t, v in here) + m == int(post["needed"]))
        # the post's essential roles (lead, registrars, keepers, …) are filled
        # first: the positions missing beyond its reserve cost twice
        ess = int(essential.get((post["site_id"], post["shift"], post["cls"]), 0))
        spare = int(post["needed"]) - ess
        m_ess = m
        if ess:
            m_ess = model.new_int_var(0, ess, f"me_{k}")
            model.add(m_ess >= m - spare)
            missing.append(m_ess)
        leads = int(lead_need.get((post["site_id"], post["shift"]), 0))
        if leads:
            # the site leads come from the cadres placed here, or are among the
            # essential posts missing (an empty reserve post does not excuse one)
            cadres = [v for t, v in here if type_keys[t][0] == "cadre"]
            model.add(sum(cadres) + m_ess >= leads)
    by_type_shift: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (t, k), v in n.items():
        by_type_shift.setdefault((t, int(posts[k]["shift"])), []).append(v)
    patterns: dict[int, list[frozenset[int]]] = {}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for t, key in enumerate(type_keys):
        size = len(types[key])
        if key[0] == "medical":
            continue
        here_s = [s for s in shifts if (t, s) in by_type_shift]
        if policy.staff.support_full_ppe:
            # people in full PPE work patterns of shifts with rests between them
            pats = work_patterns(periods, policy, (key[2], key[3]))
            patterns[t] = pats
            for q in range(len(pats)):
                x[t, q] = model.new_int_var(0, size, f"x_{t}_{q}")
            if pats:
                model.add(sum(x[t, q] for q in range(len(pats))) <= size)
            for s in here_s:
                on = [x[t, q] for q, pat in enumerate(pats) if s in pat]
                model.add(sum(by_type_shift[t, s]) <= sum(on))
        else:
            for s in here_s:
                model.add(sum(by_type_shift[t, s]) <= size)
    if not n:
        return {}, patterns, {}, cp_model.OPTIMAL
    # cover first, essential roles before the reserve; then few shifts in PPE (each
    # a fresh set), then people kept in their own community
    model.minimize(MISSING_COST * sum(missing) + sum(x.values()) + sum(cost_terms))
    solver, status = _solve(model, time_limit_s, seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, patterns, {}, status
    counts = {key: int(solver.value(v)) for key, v in n.items() if solver.value(v)}
    taken = {key: int(solver.value(v)) for key, v in x.items() if solver.value(v)}
    return counts, patterns, taken, status


def _support_flow(
    group: list[int],
    posts: list[dict[Any, Any]],
    req: pd.DataFrame,
    essential: dict[Any, Any],
    types: dict[_TypeKey, list[int]],
    type_keys: list[_TypeKey],
    periods: tuple[Shift, ...],
) -> tuple[dict[tuple[int, int], int], Any]:
    """Fill one period's support posts as a min-cost flow (exact, milliseconds).

    Without PPE rules a period's support posts share nothing with another period's,
    and within one the module's model is a flow: each type supplies its people;
    each post takes its site leads (from cadres only), its other essential roles
    and its reserve, every unit not filled coming from a *missing* source at cost
    ``2M`` for an essential role and ``M`` for the reserve; sending a community's
    worker elsewhere costs 1; people not needed go to a *spare* sink at no cost.

    Returns
    -------
    counts, status
        People of type ``t`` at post ``k``, and ``OPTIMAL`` (or the flow's failure
        as ``MODEL_INVALID``).
    """
    shifts = {sh.index: sh for sh in periods}
    lead_need = _lead_need(req)
    flow = min_cost_flow.SimpleMinCostFlow()
    n_types = len(type_keys)
    missing_node = n_types
    spare_node = n_types + 1
    node = n_types + 2
    parts: list[tuple[int, int, int, str]] = []  # (post, node, need, kind)
    total_need = 0
    for k in group:
        post = posts[k]
        need = int(post["needed"])
        leads = min(need, int(lead_need.get((post["site_id"], post["shift"]), 0)))
        ess = min(
            need, int(essential.get((post["site_id"], post["shift"], post["cls"]), 0))
        )
        for kind, n in (
            ("lead", leads),
            ("essential", ess - leads),
            ("reserve", need - max(ess, leads)),
        ):
            if n > 0:
                parts.append((k, node, n, kind))
                node += 1
                total_need += n
    arcs: list[tuple[int, int, int]] = []  # (arc, type, post)
    for k, part, n, kind in parts:
        post = posts[k]
        comm = str(post["community"])
        for t, cls, home_c in _eligible(post, shifts, type_keys):
            if kind == "lead" and cls != "cadre":
                continue
            cost = 1 if home_c and comm and home_c != comm else 0
            arc = flow.add_arc_with_capacity_and_unit_cost(t, part, n, cost)
            arcs.append((arc, t, k))
        cost = MISSING_COST * (1 if kind == "reserve" else 2)
        flow.add_arc_with_capacity_and_unit_cost(missing_node, part, n, cost)
        flow.set_node_supply(part, -n)
    people = 0
    for t, key in enumerate(type_keys):
        size = len(types[key]) if key[0] != "medical" else 0
        people += size
        flow.set_node_supply(t, size)
        if size:
            flow.add_arc_with_capacity_and_unit_cost(t, spare_node, size, 0)
    flow.set_node_supply(missing_node, total_need)
    flow.add_arc_with_capacity_and_unit_cost(missing_node, spare_node, total_need, 0)
    flow.set_node_supply(spare_node, -people)
    if not parts:
        return {}, cp_model.OPTIMAL
    if flow.solve() != flow.OPTIMAL:
        return {}, cp_model.MODEL_INVALID
    counts: dict[tuple[int, int], int] = {}
    for arc, t, k in arcs:
        f = int(flow.flow(arc))
        if f:
            counts[t, k] = counts.get((t, k), 0) + f
    return counts, cp_model.OPTIMAL


def _lead_need(req: pd.DataFrame) -> dict[Any, Any]:
    """Return the site leads (cadre roles) each ``(site_id, shift)`` needs."""
    return (
        req[req["role"].isin(CADRE_ROLES)]
        .groupby(["site_id", "shift"])["needed"]
        .sum()
        .to_dict()
    )


def _eligible(
    post: dict[Any, Any], shifts: dict[int, Shift], type_keys: list[_TypeKey]
) -> Iterator[tuple[int, str, str]]:
    """Yield ``(t, class, home community)`` of the types that may fill `post`.

    A type may when its class may take the post's class and its people are
    available over the post's whole period.
    """
    sh = shifts[int(post["shift"])]
    for t, (cls, home_c, a, b) in enumerate(type_keys):
        if post["cls"] in ELIGIBLE[cls] and a <= sh.start_min and b >= sh.end_min:
            yield t, cls, home_c


def _solve(
    model: cp_model.CpModel, time_limit_s: float, seed: int
) -> tuple[cp_model.CpSolver, Any]:
    """Solve a small cover model; return the solver and its status.

    A deterministic limit gives the same roster whatever the machine's load; one
    worker keeps it deterministic (the models are small).
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = time_limit_s
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    return solver, solver.solve(model)


_STATUS_RANK = {
    cp_model.MODEL_INVALID: 0,
    cp_model.UNKNOWN: 1,
    cp_model.INFEASIBLE: 2,
    cp_model.FEASIBLE: 3,
    cp_model.OPTIMAL: 4,
}


def _medical_cover(
    posts: list[dict[Any, Any]],
    types: dict[_TypeKey, list[int]],
    type_keys: list[_TypeKey],
    periods: tuple[Shift, ...],
    policy: Policy,
    time_limit_s: float,
    seed: int,
) -> _Cover:
    """Choose the samplers' patterns on period totals, then spread them over posts.

    Variables ``x_tπ`` people of type ``t`` working exactly pattern ``π`` (every
    pattern, not only the maximal ones: a person idle inside a shift would split
    it); ``Σ_π x_tπ ≤ |t|``, ``Σ_t Σ_{π∋s} x_tπ ≤ need_s``; minimise
    ``M·(need − cover) + Σ shifts(π)·x_tπ`` (cover, then the fewest PPE shifts).
    Each period's samplers then go to its posts one round at a time (one each, then
    a second each, …), so a short pool leaves the last desk of the largest sites
    empty, never a whole site or a team.

    Returns
    -------
    counts, patterns, taken, status
        People of type ``t`` at post ``k``; each medical type's patterns; people of
        type ``t`` on pattern ``q``; the CP-SAT status.
    """
    med_posts = [k for k, p in enumerate(posts) if p["cls"] == "medical"]
    need: dict[int, int] = {}
    for k in med_posts:
        s = int(posts[k]["shift"])
        need[s] = need.get(s, 0) + int(posts[k]["needed"])
    med_types = [t for t, key in enumerate(type_keys) if key[0] == "medical"]
    model = cp_model.CpModel()
    patterns: dict[int, list[frozenset[int]]] = {}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    n_shifts: dict[tuple[int, int], int] = {}
    for t in med_types:
        key = type_keys[t]
        size = len(types[key])
        pats = work_patterns(periods, policy, (key[2], key[3]), maximal=False)
        patterns[t] = pats
        for q in range(len(pats)):
            x[t, q] = model.new_int_var(0, size, f"x_{t}_{q}")
            n_shifts[t, q] = len(blocks_of(periods, pats[q]))
        if pats:
            model.add(sum(x[t, q] for q in range(len(pats))) <= size)
        for sh in periods:
            s = sh.index
            on = [x[t, q] for q, pat in enumerate(pats) if s in pat]
            if not on:
                continue
            if need.get(s, 0) <= 0:
                model.add(sum(on) == 0)  # nobody on duty in a period without posts
                continue
            y[t, s] = model.new_int_var(0, min(size, need[s]), f"y_{t}_{s}")
            model.add(y[t, s] == sum(on))
    short = []
    for s, d in need.items():
        here = [v for (_t, ss), v in y.items() if ss == s]
        if here:
            model.add(sum(here) <= d)
        short.append(d - sum(here))
    model.minimize(
        MISSING_COST * sum(short) + sum(n_shifts[key] * v for key, v in x.items())
    )
    solver, status = _solve(model, time_limit_s, seed)
    taken: dict[tuple[int, int], int] = {}
    counts: dict[tuple[int, int], int] = {}
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return counts, patterns, taken, status
    taken = {key: int(solver.value(v)) for key, v in x.items() if solver.value(v)}
    by_period: dict[int, list[int]] = {}
    for k in med_posts:
        by_period.setdefault(int(posts[k]["shift"]), []).append(k)
    for s, ks in by_period.items():
        left = {t: int(solver.value(y[t, s])) for t in med_types if (t, s) in y}
        got = dict.fromkeys(ks, 0)
        total = sum(left.values())
        r = 0
        while total > 0:
            ks_r = [k for k in ks if int(posts[k]["needed"]) > r]
            if not ks_r:
                break
            for k in ks_r:
                if total == 0:
                    break
                got[k] += 1
                total -= 1
            r += 1
        for k in ks:
            want = got[k]
            for t in sorted(left):
                take = min(want, left[t])
                if take:
                    counts[t, k] = counts.get((t, k), 0) + take
                    left[t] -= take
                    want -= take
    return counts, patterns, taken, status


def _name_people(
    counts: dict[tuple[int, int], int],
    posts: list[dict[Any, Any]],
    types: dict[_TypeKey, list[int]],
    type_keys: list[_TypeKey],
    patterns: dict[int, list[frozenset[int]]],
    taken: dict[tuple[int, int], int],
    order: list[int],
) -> dict[int, list[int]]:
    """Give out names period by period.

    People in full PPE get their pattern first (in the solver's numbers, people in
    id order); in each period a post takes first whoever held it in the period
    before (a shift stays at one desk or team), then those with the fewest periods
    worked, which spreads the work of people without a pattern.
    """
    pattern_of: dict[int, frozenset[int]] = {}
    for t, pats in patterns.items():
        people = iter(types[type_keys[t]])
        for q, pat in enumerate(pats):
            for _ in range(taken.get((t, q), 0)):
                pattern_of[next(people)] = pat
    worked: dict[int, int] = {}
    where: dict[int, tuple[str, str]] = {}
    chosen: dict[int, list[int]] = {}
    by_shift: dict[int, list[tuple[int, int, int]]] = {}
    for (t, k), c in sorted(counts.items()):
        by_shift.setdefault(int(posts[k]["shift"]), []).append((t, k, c))
    for s in order:
        busy: set[int] = set()
        placed: dict[int, tuple[str, str]] = {}
        # per type: who may work this period, those who held a post in the period
        # before by that post, everyone in (periods worked, id) order
        stayers: dict[int, dict[tuple[str, str], list[int]]] = {}
        queue: dict[int, list[int]] = {}
        ptr: dict[int, int] = {}
        for t, k, c in by_shift.get(s, []):
            if t not in queue:
                here = [
                    p
                    for p in types[type_keys[t]]
                    if t not in patterns or s in pattern_of.get(p, ())
                ]
                here.sort(key=lambda p: (worked.get(p, 0), p))
                queue[t] = here
                by_post: dict[tuple[str, str], list[int]] = {}
                for p in here:
                    if p in where:
                        by_post.setdefault(where[p], []).append(p)
                stayers[t] = by_post
            post = (str(posts[k]["site_id"]), str(posts[k]["cls"]))
            take = [p for p in stayers[t].get(post, []) if p not in busy][:c]
            if len(take) < c:
                got = set(take)
                line, i = queue[t], ptr.get(t, 0)
                while len(take) < c and i < len(line):
                    if line[i] not in busy and line[i] not in got:
                        take.append(line[i])
                    i += 1
                ptr[t] = i
            for p in take:
                busy.add(p)
                placed[p] = post
                worked[p] = worked.get(p, 0) + 1
                chosen.setdefault(k, []).append(p)
        where = placed
    return chosen


def _roles_for_posts(
    posts: list[dict[Any, Any]],
    chosen: dict[int, list[int]],
    req: pd.DataFrame,
    scenario: Scenario,
    shifts: dict[int, Shift],
    cadre: set[int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    staff = scenario.staff
    rows = []
    short = []
    # people needed per (site, shift, class, role), summed once: filtering the
    # requirements table post by post was most of the roster's time
    needed: dict[tuple[Any, ...], float] = {
        tuple(key): float(value)  # type: ignore[arg-type]
        for key, value in req.groupby(["site_id", "shift", "cls", "role"], sort=False)[
            "needed"
        ]
        .sum()
        .items()
    }
    for k, post in enumerate(posts):
        sh = shifts[int(post["shift"])]
        start, end = sh.label().split("-")
        roles: list[str] = []
        for role in ROLE_PRIORITY:
            key = (post["site_id"], post["shift"], post["cls"], role)
            roles.extend([role] * int(needed.get(key, 0)))
        people = sorted(chosen.get(k, []))
        # site leads first, from the cadres; the others take the remaining roles
        pairs: list[tuple[str, int]] = []
        free = list(people)
        for role in [r for r in roles if r in CADRE_ROLES]:
            lead = next((p for p in free if p in cadre), None)
            if lead is not None:
                free.remove(lead)
                pairs.append((role, lead))
        rest = [r for r in roles if r not in CADRE_ROLES]
        pairs.extend(zip(rest, free, strict=False))
        unfilled = [r for r in roles if r in CADRE_ROLES][
            len([x for x in pairs if x[0] in CADRE_ROLES]) :
        ] + rest[len(free) :]
        for role, p in pairs:
            rows.append(
                (
                    post["site_id"],
                    int(post["shift"]),
                    start,
                    end,
                    role,
                    ROLES_ZH[role],
                    staff.id[p],
                    staff.name[p],
                    staff.organisation[p],
                    staff.phone[p],
                )
            )
        for role in unfilled:
            short.append(
                (post["site_id"], int(post["shift"]), start, end, role, ROLES_ZH[role])
            )
    assignments = pd.DataFrame(
        rows,
        columns=[
            "site_id",
            "shift",
            "shift_start",
            "shift_end",
            "role",
            "role_zh",
            "staff_id",
            "name",
            "organisation",
            "phone",
        ],
    )
    short_df = pd.DataFrame(
        short,
        columns=["site_id", "shift", "shift_start", "shift_end", "role", "role_zh"],
    )
    shortfall = (
        short_df.groupby(
            ["site_id", "shift", "shift_start", "shift_end", "role", "role_zh"],
            sort=False,
        )
        .size()
        .rename("missing")
        .reset_index()
    )
    return assignments, shortfall


def samplers_missing(shortfall: pd.DataFrame) -> int:
    """Sampler posts (walk-up and door-to-door, each one period) left empty."""
    if not len(shortfall):
        return 0
    rows = shortfall["role"].astype(str).isin(SAMPLER_ROLES)
    return int(pd.to_numeric(shortfall.loc[rows, "missing"]).sum())


def helpers_needed(shortfall: pd.DataFrame, policy: Policy) -> tuple[int, int | None]:
    """Outside samplers that would fill the empty sampler posts, and by when.

    Each helper works a pattern of the day like the street's own samplers
    (:func:`planner.planning.staffing.work_patterns`, available all window), so
    ``min Σ x_π`` with ``Σ_{π∋s} x_π ≥ missing_s`` in every period ``s``.

    Returns
    -------
    people, by_min
        Helpers needed, and the start of the first period they are needed in
        (minutes after midnight; None when no sampler post is empty).
    """
    periods = roster_periods(policy)
    at = {sh.label().split("-")[0]: sh.index for sh in periods}
    rows = shortfall[shortfall["role"].astype(str).isin(SAMPLER_ROLES)]
    miss: dict[int, int] = {}
    for r in rows.to_dict("records"):
        s = at.get(str(r["shift_start"]))
        if s is not None:
            miss[s] = miss.get(s, 0) + int(r["missing"])
    miss = {s: m for s, m in miss.items() if m > 0}
    if not miss:
        return 0, None
    first = periods[min(miss)].start_min
    pats = work_patterns(
        periods, policy, (policy.round.start_min, policy.round.end_min)
    )
    model = cp_model.CpModel()
    top = max(miss.values())
    x = [model.new_int_var(0, top, f"h_{q}") for q in range(len(pats))]
    for s, m in miss.items():
        model.add(sum(x[q] for q, pat in enumerate(pats) if s in pat) >= m)
    model.minimize(sum(x))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = 5.0
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return sum(miss.values()), first
    return int(sum(solver.value(v) for v in x)), first


def shift_counts(roster: Roster) -> pd.DataFrame:
    """Return the shifts worked per site or team and role: ``site_id, role, needed``.

    A shift is a run of consecutive roster periods of one person; each takes a fresh
    PPE set, so a sampler on two shifts counts twice, a registrar staying all day
    once. An empty post counts as the shifts a helper would work for it: one for
    each period in which more of its posts are empty than in the period before.
    Attributed to where the shift starts. Feeds the PPE lines of the consumables.
    """
    a = roster.assignments
    rows: list[tuple[str, str, int]] = []
    if len(a):
        f = a[["staff_id", "shift", "site_id", "role"]].copy()
        f["shift"] = f["shift"].astype(int)
        f = f.sort_values(["staff_id", "shift"], kind="stable")
        gap = f["shift"].diff().ne(1) | f["staff_id"].ne(f["staff_id"].shift())
        starts = f[gap.to_numpy()]
        sizes = starts.groupby(["site_id", "role"]).size()
        for key, n in sizes.items():
            kk: tuple[Any, ...] = tuple(key)  # type: ignore[arg-type]
            rows.append((str(kk[0]), str(kk[1]), int(n)))
    short = roster.shortfall
    if len(short):
        g = short.assign(shift=short["shift"].astype(int)).sort_values(
            ["site_id", "role", "shift"], kind="stable"
        )
        for key, gg in g.groupby(["site_id", "role"], sort=True):
            sid, role = tuple(key)
            prev_s, prev_m, n = -2, 0, 0
            for s_i, m in zip(gg["shift"], gg["missing"].astype(int), strict=True):
                n += max(0, m - (prev_m if s_i == prev_s + 1 else 0))
                prev_s, prev_m = s_i, m
            rows.append((str(sid), str(role), n))
    out = pd.DataFrame(rows, columns=["site_id", "role", "needed"])
    summed: pd.DataFrame = (
        out.groupby(["site_id", "role"], sort=True)["needed"].sum().reset_index()
    )
    return summed
