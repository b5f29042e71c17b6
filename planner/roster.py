"""Build the named roster from the staff pool with CP-SAT, reporting any shortfall.

Formulation. Positions are grouped into *posts* ``k = (site, shift, class)`` where the
class is ``medical`` (sampler roles) or ``support``; ``n_k`` people are needed.

Variables
    ``x_pk ∈ {0,1}`` for person ``p`` eligible for post ``k`` (same class, available for
    the whole shift); ``m_k ∈ [0, n_k]`` people missing at post ``k``;
    ``L`` the most shifts any one person works.

Objective
    minimise ``M·Σ m_k + Σ c_pk·x_pk + λ·L`` with ``M`` large (cover first),
    ``c_pk = 1`` when a support person is sent outside their own community
    (keep neighbours together), and ``λ`` spreading work fairly.

Constraints
    1. ``Σ_p x_pk + m_k = n_k`` (every position filled or declared missing);
    2. ``Σ_{k in shift t} x_pk ≤ 1`` (nobody in two places at once);
    3. ``x_pk + x_pk' ≤ 1`` for posts in shifts closer than the minimum rest;
    4. ``Σ_k x_pk ≤ L``.

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

from .policy import Policy
from .scenario import Scenario, Staff
from .staffing import ROLES_ZH, SAMPLER_ROLES, Shift, shifts_for

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
    return "medical" if role in SAMPLER_ROLES else "support"


def build_roster(
    requirements: pd.DataFrame,
    scenario: Scenario,
    policy: Policy,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    num_workers: int = 2,
) -> Roster:
    """Assign named staff to the required positions.

    Parameters
    ----------
    requirements
        From :func:`planner.staffing.staff_requirements`.
    scenario
        Staff pool (role, organisation, availability) and site communities.
    policy
        Shift and rest limits.
    time_limit_s, seed, num_workers
        CP-SAT settings.
    """
    t0 = time.perf_counter()
    staff = scenario.staff
    shifts = {sh.index: sh for sh in shifts_for(policy)}
    req = requirements.copy()
    req["cls"] = req["role"].map(_class_of)
    posts = (
        req.groupby(["site_id", "shift", "cls"], sort=True)["needed"]
        .sum()
        .reset_index()
    )
    post_rows: list[dict[Any, Any]] = posts.to_dict("records")
    site_comm = dict(
        zip(scenario.sites.id.tolist(), scenario.sites.community.tolist(), strict=True)
    )
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_post: dict[int, list[int]] = {}
    by_person_shift: dict[tuple[int, int], list[int]] = {}
    person_cls = np.where(staff.role == "sampler", "medical", "support")
    cost_terms = []
    for k, post in enumerate(post_rows):
        sh = shifts[int(post["shift"])]
        ok = (
            (person_cls == post["cls"])
            & (staff.available_from_min <= sh.start_min)
            & (staff.available_to_min >= sh.end_min)
        )
        comm = site_comm.get(str(post["site_id"]), "")
        for p in np.flatnonzero(ok).tolist():
            var = model.new_bool_var(f"x_{p}_{k}")
            x[p, k] = var
            by_post.setdefault(k, []).append(p)
            by_person_shift.setdefault((p, int(post["shift"])), []).append(k)
            if (
                post["cls"] == "support"
                and comm
                and comm not in str(staff.organisation[p])
            ):
                cost_terms.append(var)
    missing = []
    for k, post in enumerate(post_rows):
        n = int(post["needed"])
        m = model.new_int_var(0, n, f"m_{k}")
        missing.append(m)
        model.add(sum(x[p, k] for p in by_post.get(k, [])) + m == n)
    for (p, _shift), ks in by_person_shift.items():
        model.add_at_most_one([x[p, k] for k in ks])
    rest_min = policy.staff.min_rest_hours * 60
    people = sorted({p for p, _ in x})
    order = sorted(shifts)
    too_close = [
        (a, b)
        for i, a in enumerate(order)
        for b in order[i + 1 :]
        if shifts[b].start_min - shifts[a].end_min < rest_min
    ]
    load = model.new_int_var(0, len(shifts), "max_shifts")
    for p in people:
        for a, b in too_close:
            model.add(
                sum(x[p, k] for k in by_person_shift.get((p, a), []))
                + sum(x[p, k] for k in by_person_shift.get((p, b), []))
                <= 1
            )
        model.add(
            sum(x[p, k] for s in order for k in by_person_shift.get((p, s), [])) <= load
        )
    model.minimize(10_000 * sum(missing) + sum(cost_terms) + 100 * load)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = num_workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # no solution in time: declare every position missing rather than fail
        chosen: dict[int, list[int]] = {}
    else:
        chosen = {
            k: sorted(p for p in by_post.get(k, []) if solver.value(x[p, k]))
            for k in range(len(posts))
        }
    rows, short = _roles_for_posts(posts, chosen, req, staff, shifts)
    return Roster(rows, short, solver.status_name(status), time.perf_counter() - t0)


def _roles_for_posts(
    posts: pd.DataFrame,
    chosen: dict[int, list[int]],
    req: pd.DataFrame,
    staff: Staff,
    shifts: dict[int, Shift],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    post_rows: list[dict[Any, Any]] = posts.to_dict("records")
    rows = []
    short = []
    for k, post in enumerate(post_rows):
        sh = shifts[int(post["shift"])]
        need = req[
            (req["site_id"] == post["site_id"])
            & (req["shift"] == post["shift"])
            & (req["cls"] == post["cls"])
        ]
        roles: list[str] = []
        for role in ROLE_PRIORITY:
            roles.extend([role] * int(need.loc[need["role"] == role, "needed"].sum()))
        people = chosen.get(k, [])
        start, end = sh.label().split("-")
        for role, p in zip(roles, people, strict=False):
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
        for role in roles[len(people) :]:
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
