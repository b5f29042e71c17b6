"""Write a plan to its folder of CSV/JSON files, and read those files back as tables."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.demand import MODE_NAMES

PLAN_FILES = (
    "plan.json",
    "sites.csv",
    "assignments.csv",
    "unassigned.csv",
    "home_visits.csv",
    "slots.csv",
)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


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
                    "arrive": _hhmm(arrive),
                    "people": int(h.size[hh]),
                    "tube_mode": plan.hh_tube_mode[hh],
                    "depot_site_id": s.id[team.depot_site],
                    "team_back": _hhmm(team.finish_min),
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
    un = np.flatnonzero(plan.hh_mode == 2)
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
    walk = plan.hh_mode == 0
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
    """Return the JSON summary: status, objective, bound, gap, timings, KPIs, policy."""
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
    }


def write_plan(
    plan: Plan,
    scenario: Scenario,
    out: Path,
    *,
    summary: dict[str, Any] | None = None,
    extra_tables: dict[str, pd.DataFrame] | None = None,
) -> list[Path]:
    """Write ``plan.json`` and the plan's CSV tables (UTF-8 with BOM, for Excel).

    Parameters
    ----------
    plan, scenario
        The plan and the street it is for.
    out
        Folder to write into (created if needed).
    summary
        The ``plan.json`` content; :func:`plan_summary` by default.
    extra_tables
        More tables to write beside the plan's own (staff, supplies, …).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tables = plan_tables(plan, scenario) | (extra_tables or {})
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    path = out / "plan.json"
    path.write_text(
        json.dumps(
            summary or plan_summary(plan, scenario),
            ensure_ascii=False,
            indent=2,
            default=float,
        ),
        encoding="utf-8",
    )
    written.append(path)
    return written


@dataclass(frozen=True)
class PlanFiles:
    """A plan as read back from its folder, for checking and exporting."""

    summary: dict[str, Any]
    sites: pd.DataFrame
    assignments: pd.DataFrame
    unassigned: pd.DataFrame
    home_visits: pd.DataFrame
    slots: pd.DataFrame
    staff: pd.DataFrame | None = None
    staff_requirements: pd.DataFrame | None = None
    staff_shortfall: pd.DataFrame | None = None
    supplies: pd.DataFrame | None = None


def read_plan(folder: Path) -> PlanFiles:
    """Read a plan folder written by :func:`write_plan`.

    Raises
    ------
    FileNotFoundError
        When a plan file is missing (the CLI reports it as bad input).
    """

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(
            folder / f"{name}.csv",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )

    summary = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return PlanFiles(
        summary,
        csv("sites"),
        csv("assignments"),
        csv("unassigned"),
        csv("home_visits"),
        csv("slots"),
    )


def plan_from_files(scenario: Scenario, files: PlanFiles) -> Plan:
    """Rebuild a :class:`Plan` from its folder, for drills and re-plans.

    The policy is the one stored in ``plan.json``; households are matched by id.

    Raises
    ------
    InputError
        When the plan's households or sites do not match the scenario (a plan made
        for another street or an edited file), listing every mismatch found.
    """
    from planner.errors import InputError, Issue
    from planner.model.policy import Policy
    from planner.model.result import HomeVisitTeam, SolverReport
    from planner.planning.capacity import slot_grid
    from planner.planning.demand import HOME_VISIT, UNASSIGNED, WALK_UP

    policy = Policy.from_dict(files.summary.get("policy", {}), source="plan.json")
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
    modes = {"walk_up": WALK_UP, "home_visit": HOME_VISIT, "unassigned": UNASSIGNED}
    for row, r in enumerate(a.to_dict("records"), start=2):
        i = hh_ix.get(str(r["household_id"]))
        if i is None or str(r["mode"]) not in modes:
            issues.append(
                Issue(
                    "error",
                    "plan_mismatch",
                    "assignments.csv",
                    row=row,
                    column="household_id" if i is None else "mode",
                    params=(
                        ("value", str(r["household_id" if i is None else "mode"])),
                    ),
                )
            )
            continue
        mode[i] = modes[str(r["mode"])]
        tube[i] = str(r["tube_mode"])
        if mode[i] == WALK_UP:
            j, k = site_ix.get(str(r["site_id"])), slot_ix.get(str(r["slot_start"]))
            if j is None or k is None:
                issues.append(
                    Issue(
                        "error",
                        "plan_mismatch",
                        "assignments.csv",
                        row=row,
                        column="site_id" if j is None else "slot_start",
                        params=(
                            ("value", str(r["site_id" if j is None else "slot_start"])),
                        ),
                    )
                )
                continue
            site[i], slot[i] = j, k
            walk_m[i] = int(float(r["walk_m"] or -1))
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
            desks[j] = int(float(r["desks"] or 0))
            opened[j] = str(r["open"]).lower() in ("true", "1")
    walk = mode == WALK_UP
    units = np.zeros((len(s), len(grid.start_min)))
    for r in files.slots.to_dict("records"):
        j, k = site_ix.get(str(r["site_id"])), slot_ix.get(str(r["slot_start"]))
        if j is not None and k is not None:
            units[j, k] = float(r["work_units"] or 0)
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

            def minutes(v: str) -> int:
                return int(v[:2]) * 60 + int(v[3:5])

            members = [hh_ix[str(x)] for x in rows["household_id"]]
            first = members[0]
            teams.append(
                HomeVisitTeam(
                    team_id=str(team_id),
                    community=int(scenario.buildings.community[h.building[first]]),
                    depot_site=site_ix.get(str(rows["depot_site_id"].iloc[0]), 0),
                    households=tuple(members),
                    arrive_min=tuple(minutes(str(v)) for v in rows["arrive"]),
                    finish_min=minutes(str(rows["team_back"].iloc[0])),
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
