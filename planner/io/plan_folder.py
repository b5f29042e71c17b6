"""Write a plan's tables to its folder of CSV/JSON files, and read them back.

The folder is one way to keep :class:`~planner.model.plan_tables.PlanTables` (the
ops store is the other); :mod:`planner.planning.codec` turns a plan into those tables
and back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from planner.model.plan_tables import (
    ALL_TABLES,
    PLAN_TABLES,
    PlanTables,
    column_types,
    flag_types,
    typed,
)
from planner.model.policy import Policy
from planner.model.scenario import Scenario


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
        if "phone" in frame.columns:
            # staff phones in full: readable by the planner's user only (0600),
            # created so rather than narrowed afterwards
            path.unlink(missing_ok=True)
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
                frame.to_csv(fh, index=False)
        else:
            frame.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
        types[name] = column_types(frame)
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
    for name in ALL_TABLES:
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name in PLAN_TABLES:
                missing.append(Issue("error", "plan_file_missing", str(path)))
            continue
        try:
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
            frames[name] = typed(frame, types.get(name) or flag_types(frame))
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
