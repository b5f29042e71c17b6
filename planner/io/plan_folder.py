"""Write a plan to its folder of CSV/JSON files, and read those files back as tables."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.model.clock import hhmm, minutes_of
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.demand import MODE_NAMES


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
    """Return the JSON summary of a plan.

    Status, objective, bound, gap, timings, KPIs, policy, the vehicle schedule
    (``transport``) and its tubes' headline (``custody``).
    """
    from planner.planning.transport import (
        custody_summary,
        plan_custody,
        vehicle_schedule,
    )

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


OPTIONAL_TABLES = (
    "staff_requirements",
    "staff",
    "staff_shortfall",
    "supplies",
    "supplies_by_site",
    "procurement",
)
"""Tables a round adds to the plan's own (staff, roster, supplies, pick lists)."""

_KINDS = {"b": "bool", "i": "int", "u": "int", "f": "float"}
"""numpy dtype kind → the column type recorded in ``plan.json`` (anything else: text)."""


@dataclass(frozen=True)
class PlanTables:
    """A plan as typed tables: what ``planner plan`` writes and check, export and drill read.

    Built in memory from a plan (:func:`build_plan_tables`) or read from a plan folder
    (:func:`read_plan_folder`); both give equal objects, so every consumer works the
    same on a plan just made and on one read back. Text columns hold ``str`` ("" for
    none), counts ``int64``, measures ``float64``, flags ``bool``.

    Attributes
    ----------
    summary
        ``plan.json``: solver, KPIs, staffing and stock headlines, the policy.
    policy
        The policy the plan was made with, decoded once from ``summary``.
    sites, assignments, unassigned, home_visits, slots
        The plan's own tables.
    staff_requirements, staff, staff_shortfall, supplies, supplies_by_site, procurement
        What a round adds; None for a plan without staffing and supplies.
    """

    summary: dict[str, Any]
    policy: Policy
    sites: pd.DataFrame
    assignments: pd.DataFrame
    unassigned: pd.DataFrame
    home_visits: pd.DataFrame
    slots: pd.DataFrame
    staff_requirements: pd.DataFrame | None = None
    staff: pd.DataFrame | None = None
    staff_shortfall: pd.DataFrame | None = None
    supplies: pd.DataFrame | None = None
    supplies_by_site: pd.DataFrame | None = None
    procurement: pd.DataFrame | None = None

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return every table present, by file stem, in the order they are written."""
        names = (*PLAN_TABLES, *OPTIONAL_TABLES)
        return {n: f for n in names if (f := getattr(self, n)) is not None}


PLAN_TABLES = ("sites", "assignments", "unassigned", "home_visits", "slots")
"""The plan's own tables, always present."""


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with text columns as ``str`` ("" for missing), index reset.

    Writing a table and reading it back then gives an equal frame; the CSV bytes are
    those pandas writes for the original (None and NaN in text columns are "" there).
    """
    out = frame.reset_index(drop=True)
    for col in out.columns:
        if out[col].dtype.kind not in _KINDS:
            text = out[col].map(lambda v: "" if v is None or v != v else str(v))
            out[col] = text.astype(str)
    return out


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
        name: _canonical(frame)
        for name, frame in (plan_tables(plan, scenario) | extra).items()
    }
    return PlanTables(
        summary=summary or plan_summary(plan, scenario),
        policy=plan.policy,
        **frames,
    )


def write_plan_folder(tables: PlanTables, out: Path) -> list[Path]:
    """Write ``plan.json`` and every table as CSV (UTF-8 with BOM, for Excel).

    ``plan.json`` also records each table's column types under ``tables``, so
    :func:`read_plan_folder` gives back the same typed tables.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    types: dict[str, dict[str, str]] = {}
    for name, frame in tables.frames().items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
        types[name] = {
            str(c): _KINDS.get(frame[c].dtype.kind, "str") for c in frame.columns
        }
    path = out / "plan.json"
    path.write_text(
        json.dumps(
            tables.summary | {"tables": types},
            ensure_ascii=False,
            indent=2,
            default=float,
        ),
        encoding="utf-8",
    )
    written.append(path)
    return written


def write_plan(
    plan: Plan,
    scenario: Scenario,
    out: Path,
    *,
    summary: dict[str, Any] | None = None,
    extra_tables: dict[str, pd.DataFrame] | None = None,
) -> list[Path]:
    """Write a plan's folder: :func:`build_plan_tables` then :func:`write_plan_folder`."""
    tables = build_plan_tables(
        plan, scenario, summary=summary, extra_tables=extra_tables
    )
    return write_plan_folder(tables, out)


def _typed(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """Give the columns read as text the types recorded for them."""
    for col, kind in types.items():
        if col not in frame.columns or kind == "str":
            continue
        values = frame[col]
        if kind == "bool":
            frame[col] = values.str.lower().isin(("true", "1"))
        elif kind == "int":
            frame[col] = pd.to_numeric(values).astype(np.int64)
        else:
            frame[col] = pd.to_numeric(values).astype(np.float64)
    return frame


def read_plan_folder(folder: Path) -> PlanTables:
    """Read a plan folder written by :func:`write_plan_folder`: the one plan reader.

    Every table present is read, with the column types ``plan.json`` records (a
    folder from an older version, without them, is read as text). The policy is
    decoded once, here.

    Raises
    ------
    InputError
        When the folder, ``plan.json`` or one of the plan's tables is missing or
        unreadable, or the stored policy is invalid; each problem names its file.
    """
    from planner.errors import InputError, Issue

    if not folder.is_dir():
        raise InputError([Issue("error", "plan_folder_missing", str(folder))])
    try:
        summary = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            [Issue("error", "plan_file_missing", str(folder / "plan.json"))]
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                Issue(
                    "error",
                    "plan_json_broken",
                    str(folder / "plan.json"),
                    row=exc.lineno,
                    params=(("line", str(exc.lineno)), ("col", str(exc.colno))),
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError):
        raise InputError(
            [Issue("error", "plan_table_broken", str(folder / "plan.json"))]
        ) from None
    if not isinstance(summary, dict) or not isinstance(summary.get("policy"), dict):
        raise InputError(
            [Issue("error", "plan_policy_missing", str(folder / "plan.json"))]
        )
    types: dict[str, dict[str, str]] = summary.pop("tables", {}) or {}
    policy = Policy.from_dict(summary["policy"], source=str(folder / "plan.json"))
    frames: dict[str, pd.DataFrame] = {}
    missing = []
    for name in (*PLAN_TABLES, *OPTIONAL_TABLES):
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name in PLAN_TABLES:
                missing.append(Issue("error", "plan_file_missing", str(path)))
            continue
        try:
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
            frames[name] = _typed(frame, types.get(name, {}))
        except (OSError, UnicodeDecodeError, ValueError):
            missing.append(Issue("error", "plan_table_broken", str(path)))
    if missing:
        raise InputError(missing)
    return PlanTables(summary=summary, policy=policy, **frames)


def require_same_scenario(tables: PlanTables, scenario: Scenario, folder: Path) -> None:
    """Refuse a plan made for another street (or another version of its registers).

    Raises
    ------
    InputError
        When the plan's households are not the scenario's (some missing, some
        unknown, or their buildings differ), with the counts; one message, not one
        per household.
    """
    from planner.errors import InputError, Issue

    planned = tables.assignments["household_id"].astype(str)
    known = pd.Index(scenario.households.id.astype(str))
    missing = int((~known.isin(planned)).sum())
    unknown = int((~planned.isin(known)).sum())
    moved = 0
    if not missing and not unknown and "building_id" in tables.assignments:
        at = pd.Series(
            scenario.buildings.id[scenario.households.building].astype(str),
            index=known,
        )
        moved = int(
            (
                at.reindex(planned).to_numpy()
                != tables.assignments["building_id"].astype(str).to_numpy()
            ).sum()
        )
    if missing or unknown or moved:
        raise InputError(
            [
                Issue(
                    "error",
                    "plan_other_scenario",
                    str(folder),
                    params=(
                        ("plan_street", str(tables.summary.get("scenario", ""))),
                        ("street", scenario.name),
                        ("missing", str(missing)),
                        ("unknown", str(unknown)),
                        ("moved", str(moved)),
                    ),
                )
            ]
        )


def _number(value: Any, empty: int) -> int:
    """Return a whole number from a typed or text cell; `empty` for a blank one."""
    return empty if value == "" else int(float(value))


def plan_from_tables(scenario: Scenario, files: PlanTables) -> Plan:
    """Rebuild a :class:`Plan` from its folder, for drills and re-plans.

    The policy is the plan's own; households are matched by id.

    Raises
    ------
    InputError
        When the plan's households or sites do not match the scenario (a plan made
        for another street or an edited file), listing every mismatch found.
    """
    from planner.errors import InputError, Issue
    from planner.model.result import HomeVisitTeam, SolverReport
    from planner.planning.capacity import slot_grid
    from planner.planning.demand import HOME_VISIT, UNASSIGNED, WALK_UP

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
    modes = {"walk_up": WALK_UP, "home_visit": HOME_VISIT, "unassigned": UNASSIGNED}

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
        if i is None or str(r["mode"]) not in modes:
            mismatch(row, "household_id" if i is None else "mode", r)
            continue
        mode[i] = modes[str(r["mode"])]
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
            opened[j] = str(r["open"]).lower() in ("true", "1")
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
