"""Build the named roster from the staff pool with CP-SAT, reporting any shortfall.

People of the same *type* — class (``medical`` may fill sampler roles; ``cadre``, the
support staff of the street office, committees and health centre, may fill the site
lead (点长) and every other support role; ``volunteer`` the other support roles
only), home community (from their organisation; "" for the health centre, hospital,
street office and volunteers, who go anywhere) and availability window — are
interchangeable, so CP-SAT decides how many of each type fill each *post*
``k = (site or team, shift, class)``; names are then given out type by type, fewest
shifts first, which spreads the work evenly.

Variables
    ``n_tk ∈ [0, |t|]`` people of type ``t`` at post ``k`` (only where the class
    matches and the type is available for the whole shift); ``m_k ∈ [0, need_k]``
    positions left unfilled.

Objective
    minimise ``M·Σ m_k + Σ c_tk·n_tk`` with ``M`` large (cover first) and
    ``c_tk = 1`` when a community's support staff are sent to another community.

Constraints
    1. ``Σ_t n_tk + m_k = need_k`` (every position filled or declared missing);
    2. ``Σ_{k in shift s} n_tk ≤ |t|`` (nobody in two places at once);
    3. ``Σ_{k in shift a} n_tk + Σ_{k in shift b} n_tk ≤ |t|`` for shifts closer than
       the minimum rest, for people in full PPE (samplers; support staff too when
       ``staff.support_full_ppe``), so nobody works them back to back.

Within a post, people take roles in priority order (lead, registrars, …, reserve
last), so a shortfall falls on the least essential role.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.staffing import (
    CADRE_ROLES,
    SAMPLER_ROLES,
    Shift,
    is_volunteer,
    shifts_for,
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

MISSING_COST = 10_000
"""Cost of one unfilled position against one person sent outside their community."""


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
        From :func:`planner.planning.staffing.staff_requirements`.
    scenario
        Staff pool (role, organisation, availability) and site communities.
    policy
        Shift and rest limits.
    time_limit_s, seed
        CP-SAT settings (the model is small; it normally proves optimality at once).
    """
    t0 = time.perf_counter()
    staff = scenario.staff
    shifts = {sh.index: sh for sh in shifts_for(policy)}
    req = requirements.copy()
    req["cls"] = req["role"].map(_class_of)
    posts: list[dict[Any, Any]] = (
        req.groupby(["site_id", "shift", "cls", "community"], sort=True)["needed"]
        .sum()
        .reset_index()
        .to_dict("records")
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
    types: dict[tuple[str, str, int, int], list[int]] = {}
    for p, key in enumerate(keys):
        types.setdefault(key, []).append(p)
    type_keys = sorted(types)

    model = cp_model.CpModel()
    n: dict[tuple[int, int], cp_model.IntVar] = {}
    cost_terms = []
    for k, post in enumerate(posts):
        sh = shifts[int(post["shift"])]
        comm = str(post["community"])
        for t, (cls, home_c, a, b) in enumerate(type_keys):
            if post["cls"] not in ELIGIBLE[cls] or a > sh.start_min or b < sh.end_min:
                continue
            var = model.new_int_var(
                0, min(len(types[type_keys[t]]), int(post["needed"])), f"n_{t}_{k}"
            )
            n[t, k] = var
            if cls != "medical" and home_c and comm and home_c != comm:
                cost_terms.append(var)
    missing = []
    lead_need = (
        req[req["role"].isin(CADRE_ROLES)]
        .groupby(["site_id", "shift"])["needed"]
        .sum()
        .to_dict()
    )
    # each post's variables in the order they were made (grouped once: scanning all
    # of `n` per post took 0.8 s on a 100,000-resident street)
    at_post: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for (t, kk), v in n.items():
        at_post.setdefault(kk, []).append((t, v))
    for k, post in enumerate(posts):
        m = model.new_int_var(0, int(post["needed"]), f"m_{k}")
        missing.append(m)
        here = at_post.get(k, [])
        model.add(sum(v for _t, v in here) + m == int(post["needed"]))
        leads = int(lead_need.get((post["site_id"], post["shift"]), 0))
        if post["cls"] == "support" and leads:
            # the site leads come from the cadres placed here, or are among the missing
            cadres = [v for t, v in here if type_keys[t][0] == "cadre"]
            model.add(sum(cadres) + m >= leads)
    by_type_shift: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (t, k), v in n.items():
        by_type_shift.setdefault((t, int(posts[k]["shift"])), []).append(v)
    order = sorted(shifts)
    rest_min = policy.staff.min_rest_hours * 60
    too_close = [
        (a, b)
        for i, a in enumerate(order)
        for b in order[i + 1 :]
        if shifts[b].start_min - shifts[a].end_min < rest_min
    ]
    for t, key in enumerate(type_keys):
        size = len(types[key])
        for s in order:
            if (t, s) in by_type_shift:
                model.add(sum(by_type_shift[t, s]) <= size)
        if key[0] == "medical" or policy.staff.support_full_ppe:
            for a, b in too_close:
                both = by_type_shift.get((t, a), []) + by_type_shift.get((t, b), [])
                if both:
                    model.add(sum(both) <= size)
    model.minimize(MISSING_COST * sum(missing) + sum(cost_terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1  # small model; one worker keeps it deterministic
    status = solver.solve(model)
    counts = {}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        counts = {key: int(solver.value(v)) for key, v in n.items() if solver.value(v)}
    chosen = _name_people(counts, posts, types, type_keys, shifts, too_close, policy)
    cadre = {p for p, c in enumerate(person_cls.tolist()) if c == "cadre"}
    rows, short = _roles_for_posts(posts, chosen, req, scenario, shifts, cadre)
    return Roster(rows, short, solver.status_name(status), time.perf_counter() - t0)


def _name_people(
    counts: dict[tuple[int, int], int],
    posts: list[dict[Any, Any]],
    types: dict[tuple[str, str, int, int], list[int]],
    type_keys: list[tuple[str, str, int, int]],
    shifts: dict[int, Shift],
    too_close: list[tuple[int, int]],
    policy: Policy,
) -> dict[int, list[int]]:
    """Give out names: per shift in order, fewest shifts worked first, rest respected."""
    worked: dict[int, list[int]] = {}
    chosen: dict[int, list[int]] = {}
    for s in sorted(shifts):
        busy: set[int] = set()
        for (t, k), c in sorted(counts.items()):
            if int(posts[k]["shift"]) != s:
                continue
            key = type_keys[t]
            rests = key[0] == "medical" or policy.staff.support_full_ppe
            free = [
                p
                for p in types[key]
                if p not in busy
                and not (
                    rests
                    and any(
                        (a, s) in too_close or (s, a) in too_close
                        for a in worked.get(p, [])
                    )
                )
            ]
            free.sort(key=lambda p: (len(worked.get(p, [])), p))
            for p in free[:c]:
                busy.add(p)
                worked.setdefault(p, []).append(s)
                chosen.setdefault(k, []).append(p)
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
