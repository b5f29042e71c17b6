"""The plan and its tables: a :class:`Plan` as :class:`PlanTables` and back.

:func:`plan_tables` and :func:`plan_summary` write a plan as the tables and the
``plan.json`` summary every consumer reads (the plan folder, the ops store, checks,
exports, the app); :func:`plan_from_tables` rebuilds the plan from them for drills and
re-plans. How the tables are kept (CSV in a folder, JSON in the store) is
:mod:`planner.model.plan_tables`' codec and :mod:`planner.io.plan_folder`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planner.errors import InputError, Issue
from planner.model.clock import hhmm, minutes_of
from planner.model.modes import MODE_CODES, MODE_NAMES, UNASSIGNED, WALK_UP
from planner.model.plan_tables import OPTIONAL_TABLES, PlanTables, canonical
from planner.model.result import HomeVisitTeam, Plan, SolverReport
from planner.model.scenario import Scenario
from planner.planning.capacity import slot_grid
from planner.planning.transport import (
    custody_summary,
    plan_custody,
    vehicle_schedule,
)


def plan_tables(plan: Plan, scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Return the plan as the tables written to disk (canonical English columns)."""
    s, h, b = scenario.sites, scenario.households, scenario.buildings
    grid = plan.slots
    used = plan.site_slot_units > 0
    first = np.where(used.any(axis=1), used.argmax(axis=1), -1)
    last = np.where(
        used.any(axis=1), used.shape[1] - 1 - used[:, ::-1].argmax(axis=1), -1
    )
    sites = pd.DataFrame(
        {
            "site_id": s.id,
            "name": s.name,
            "open": plan.site_open,
            "desks": plan.site_desks,
            "people": plan.site_people,
            "work_units": np.round(plan.site_units, 1),
            "first_slot": [grid.label(int(k))[0] if k >= 0 else "" for k in first],
            "last_slot": [grid.label(int(k))[1] if k >= 0 else "" for k in last],
            "fixed": s.fixed,
            "indoor": s.indoor,
            "lon": s.lon,
            "lat": s.lat,
        }
    )
    slot_lo = [grid.label(int(k))[0] if k >= 0 else "" for k in plan.hh_slot]
    slot_hi = [grid.label(int(k))[1] if k >= 0 else "" for k in plan.hh_slot]
    assignments = pd.DataFrame(
        {
            "household_id": h.id,
            "building_id": b.id[h.building],
            "grid_id": np.asarray(scenario.grid_ids, dtype=object)[b.grid[h.building]],
            "mode": np.asarray(MODE_NAMES, dtype=object)[plan.hh_mode],
            "site_id": np.where(
                plan.hh_site >= 0, s.id[np.maximum(plan.hh_site, 0)], ""
            ),
            "slot_start": slot_lo,
            "slot_end": slot_hi,
            "people": plan.hh_people,
            "tube_mode": plan.hh_tube_mode,
            "walk_m": plan.hh_walk_m,
        }
    )
    team_of = {}
    rows: list[dict[str, Any]] = []
    for team in plan.teams:
        for stop, (hh, arrive) in enumerate(
            zip(team.households, team.arrive_min, strict=True)
        ):
            team_of[hh] = team.team_id
            rows.append(
                {
                    "team_id": team.team_id,
                    "stop": stop + 1,
                    "household_id": h.id[hh],
                    "building_id": b.id[h.building[hh]],
                    "arrive": hhmm(arrive),
                    "people": int(h.size[hh]),
                    "tube_mode": plan.hh_tube_mode[hh],
                    "depot_site_id": s.id[team.depot_site],
                    "team_back": hhmm(team.finish_min),
                }
            )
    home_visits = pd.DataFrame(
        rows,
        columns=[
            "team_id",
            "stop",
            "household_id",
            "building_id",
            "arrive",
            "people",
            "tube_mode",
            "depot_site_id",
            "team_back",
        ],
    )
    un = np.flatnonzero(plan.hh_mode == UNASSIGNED)
    unassigned = pd.DataFrame(
        {
            "household_id": h.id[un],
            "building_id": b.id[h.building[un]],
            "people": h.size[un],
            "reason": plan.unassigned_reason[un],
        }
    )
    si, ki = np.nonzero(plan.site_slot_units > 0)
    arrivals = np.zeros_like(plan.site_slot_units, dtype=np.int64)
    walk = plan.hh_mode == WALK_UP
    np.add.at(arrivals, (plan.hh_site[walk], plan.hh_slot[walk]), h.size[walk])
    slots = pd.DataFrame(
        {
            "site_id": s.id[si],
            "slot_start": [grid.label(int(k))[0] for k in ki],
            "slot_end": [grid.label(int(k))[1] for k in ki],
            "people": arrivals[si, ki],
            "work_units": np.round(plan.site_slot_units[si, ki], 2),
            "desks": plan.site_desks[si],
            "capacity_units": [grid.slot_capacity(int(plan.site_desks[j])) for j in si],
        }
    )
    return {
        "sites": sites,
        "assignments": assignments,
        "unassigned": unassigned,
        "home_visits": home_visits,
        "slots": slots,
    }


def plan_summary(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """Return the JSON summary of a plan.

    Status, objective, bound, gap, timings, KPIs, policy, the vehicle schedule
    (``transport``) and its tubes' headline (``custody``).
    """
    schedule = vehicle_schedule(plan, scenario)
    return {
        "scenario": scenario.name,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "solver": {
            "status": plan.solver.status,
            "objective": plan.solver.objective,
            "bound": plan.solver.bound,
            "gap": plan.solver.gap,
            "wall_time_s": round(plan.solver.wall_time_s, 3),
        },
        "timings_s": {k: round(v, 3) for k, v in plan.timings_s.items()},
        "kpis": plan.kpis(),
        "warnings": [{"code": c, **p} for c, p in plan.warnings],
        "policy": plan.policy.to_dict(),
        "transport": schedule,
        "custody": custody_summary(
            plan_custody(schedule, plan, scenario), plan, scenario
        ),
    }


def build_plan_tables(
    plan: Plan,
    scenario: Scenario,
    *,
    summary: dict[str, Any] | None = None,
    extra_tables: dict[str, pd.DataFrame] | None = None,
) -> PlanTables:
    """Return a plan (and what a round adds) as :class:`PlanTables`, in memory.

    Parameters
    ----------
    plan, scenario
        The plan and the street it is for.
    summary
        The ``plan.json`` content; :func:`plan_summary` by default.
    extra_tables
        Tables of :data:`OPTIONAL_TABLES` to carry beside the plan's own.
    """
    extra = extra_tables or {}
    unknown = set(extra) - set(OPTIONAL_TABLES)
    if unknown:
        raise ValueError(f"not a plan table: {sorted(unknown)}")
    frames = {
        name: canonical(frame)
        for name, frame in (plan_tables(plan, scenario) | extra).items()
    }
    return PlanTables(
        summary=summary or plan_summary(plan, scenario),
        policy=plan.policy,
        **frames,
    )


def _number(value: Any, empty: int) -> int:
    """Return a whole number from a typed or text cell; `empty` for a blank one."""
    return empty if value == "" else int(float(value))


def plan_from_tables(scenario: Scenario, files: PlanTables) -> Plan:
    """Rebuild a :class:`Plan` from its tables (a folder or the store), for drills and re-plans.

    The policy is the plan's own; households are matched by id.

    Raises
    ------
    InputError
        When the plan's households or sites do not match the scenario (a plan made
        for another street or an edited file), listing every mismatch found.
    """
    policy = files.policy
    h, s = scenario.households, scenario.sites
    hh_ix = {str(x): i for i, x in enumerate(h.id)}
    site_ix = {str(x): i for i, x in enumerate(s.id)}
    grid = slot_grid(s, policy)
    slot_ix = {grid.label(k)[0]: k for k in range(len(grid.start_min))}
    issues: list[Issue] = []
    a = files.assignments
    n_h = len(h)
    mode = np.full(n_h, -1, dtype=np.int64)
    site = np.full(n_h, -1, dtype=np.int64)
    slot = np.full(n_h, -1, dtype=np.int64)
    walk_m = np.full(n_h, -1, dtype=np.int64)
    tube = np.full(n_h, "", dtype=object)

    def mismatch(row: int, column: str, record: Mapping[Any, Any]) -> None:
        value = (("value", str(record[column])),)
        issues.append(
            Issue(
                "error",
                "plan_mismatch",
                "assignments.csv",
                row=row,
                column=column,
                params=value,
            )
        )

    for row, r in enumerate(a.to_dict("records"), start=2):
        i = hh_ix.get(str(r["household_id"]))
        if i is None or str(r["mode"]) not in MODE_CODES:
            mismatch(row, "household_id" if i is None else "mode", r)
            continue
        mode[i] = MODE_CODES[str(r["mode"])]
        tube[i] = str(r["tube_mode"])
        if mode[i] == WALK_UP:
            j, k = site_ix.get(str(r["site_id"])), slot_ix.get(str(r["slot_start"]))
            if j is None or k is None:
                mismatch(row, "site_id" if j is None else "slot_start", r)
                continue
            site[i], slot[i] = j, k
            walk_m[i] = _number(r["walk_m"], -1)
    if (mode < 0).any() and not issues:
        issues.append(
            Issue(
                "error",
                "plan_households_missing",
                "assignments.csv",
                params=(("n", str(int((mode < 0).sum()))),),
            )
        )
    if issues:
        raise InputError(issues)
    desks = np.zeros(len(s), dtype=np.int64)
    opened = np.zeros(len(s), dtype=bool)
    for r in files.sites.to_dict("records"):
        j = site_ix.get(str(r["site_id"]))
        if j is not None:
            desks[j] = _number(r["desks"], 0)
            opened[j] = bool(r["open"])
    walk = mode == WALK_UP
    units = np.zeros((len(s), len(grid.start_min)))
    for r in files.slots.to_dict("records"):
        j, k = site_ix.get(str(r["site_id"])), slot_ix.get(str(r["slot_start"]))
        if j is not None and k is not None:
            units[j, k] = float(r["work_units"]) if r["work_units"] != "" else 0.0
    reason = np.full(n_h, "", dtype=object)
    for r in files.unassigned.to_dict("records"):
        i = hh_ix.get(str(r["household_id"]))
        if i is not None:
            reason[i] = str(r["reason"])
    teams: list[HomeVisitTeam] = []
    hv = files.home_visits
    if len(hv):
        for team_id, rows in hv.groupby("team_id", sort=False):
            rows = rows.sort_values("stop", key=lambda c: c.astype(int))

            members = [hh_ix[str(x)] for x in rows["household_id"]]
            first = members[0]
            teams.append(
                HomeVisitTeam(
                    team_id=str(team_id),
                    community=int(scenario.buildings.community[h.building[first]]),
                    depot_site=site_ix.get(str(rows["depot_site_id"].iloc[0]), 0),
                    households=tuple(members),
                    arrive_min=tuple(minutes_of(str(v)) for v in rows["arrive"]),
                    finish_min=minutes_of(str(rows["team_back"].iloc[0])),
                )
            )
    sv = files.summary.get("solver", {})
    return Plan(
        policy=policy,
        slots=grid,
        site_open=opened,
        site_desks=desks,
        site_people=np.bincount(site[walk], h.size[walk], minlength=len(s)).astype(
            np.int64
        ),
        site_units=units.sum(axis=1),
        site_slot_units=units,
        hh_mode=mode,
        hh_site=site,
        hh_slot=slot,
        hh_walk_m=walk_m,
        hh_people=h.size.copy(),
        hh_tube_mode=tube,
        unassigned_reason=reason,
        teams=tuple(teams),
        solver=SolverReport(
            status=str(sv.get("status", "")),
            objective=float(sv.get("objective", 0.0)),
            bound=float(sv.get("bound", 0.0)),
            gap=float(sv.get("gap", 0.0)),
            wall_time_s=float(sv.get("wall_time_s", 0.0)),
        ),
    )
