"""A plan as typed tables, and the one codec that keeps them.

What every plan table is called, how its columns are typed, and how the tables
travel as JSON (the ops store) or CSV (the plan folder, :mod:`planner.io.plan_folder`).

A table's columns are not listed here: each table carries its own column types
(:func:`column_types`), recorded beside it wherever it is kept, so a column the
planner adds to a table travels to the folder, the store and back without any
other module knowing of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from planner.model.policy import Policy

PLAN_TABLES: Final = ("sites", "assignments", "unassigned", "home_visits", "slots")
"""The plan's own tables, always present."""

OPTIONAL_TABLES: Final = (
    "staff_requirements",
    "staff",
    "staff_shortfall",
    "supplies",
    "supplies_by_site",
    "procurement",
)
"""Tables a round adds to the plan's own (staff, roster, supplies, pick lists)."""

ALL_TABLES: Final = (*PLAN_TABLES, *OPTIONAL_TABLES)
"""Every plan table, in the order they are written."""

CHANGE_COLUMNS: Final = (
    "building_id",
    "grid_id",
    "households",
    "people",
    "old_site_id",
    "old_slots",
    "new_site_id",
    "new_slots",
    "new_mode",
    "reason",
)
"""Columns of a list of changed buildings (whose notices must be issued again), one row
per building: a re-plan's (:func:`planner.drill.replan.replan`) and the ops store's
between two versions (:meth:`planner.ops.store.Store.changes`, whose ``reason`` is ""
because two stored versions do not say why they differ)."""

COLUMN_KINDS: Final = {"b": "bool", "i": "int", "u": "int", "f": "float"}
"""numpy dtype kind → the recorded column type (anything else: ``str``)."""


@dataclass(frozen=True)
class PlanTables:
    """A plan as typed tables: what ``planner plan`` writes and check, export and drill read.

    Built in memory from a plan (:func:`planner.planning.codec.build_plan_tables`),
    read from a plan folder (:func:`planner.io.plan_folder.read_plan_folder`) or from
    the ops store; all give equal objects, so every consumer works the same on a plan
    just made and on one read back. Text columns hold ``str`` ("" for none), counts
    ``int64``, measures ``float64``, flags ``bool``.

    Attributes
    ----------
    summary
        ``plan.json``: solver, KPIs, staffing and stock headlines, the policy.
    policy
        The policy the plan was made with, decoded once from ``summary``.
    sites, assignments, unassigned, home_visits, slots
        The plan's own tables (:data:`PLAN_TABLES`).
    staff_requirements, staff, staff_shortfall, supplies, supplies_by_site, procurement
        What a round adds (:data:`OPTIONAL_TABLES`); None for a plan without staffing
        and supplies.
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
        return {n: f for n in ALL_TABLES if (f := getattr(self, n)) is not None}


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with text columns as ``str`` ("" for missing), index reset.

    Writing a table and reading it back then gives an equal frame; the CSV bytes are
    those pandas writes for the original (None and NaN in text columns are "" there).
    """
    out = frame.reset_index(drop=True)
    for col in out.columns:
        if out[col].dtype.kind not in COLUMN_KINDS:
            text = out[col].map(lambda v: "" if v is None or v != v else str(v))
            out[col] = text.astype(str)
    return out


def column_types(frame: pd.DataFrame) -> dict[str, str]:
    """Return each column's recorded type: ``bool``, ``int``, ``float`` or ``str``."""
    return {str(c): COLUMN_KINDS.get(frame[c].dtype.kind, "str") for c in frame.columns}


def typed(frame: pd.DataFrame, types: Mapping[str, str]) -> pd.DataFrame:
    """Give columns read as text the types recorded for them (in place; returned)."""
    for col, kind in types.items():
        if col not in frame.columns or kind == "str":
            continue
        values = frame[col]
        if kind == "bool":
            frame[col] = values.astype(str).str.lower().isin(("true", "1"))
        elif kind == "int":
            frame[col] = pd.to_numeric(values).astype(np.int64)
        else:
            frame[col] = pd.to_numeric(values).astype(np.float64)
    return frame


def flag_types(frame: pd.DataFrame) -> dict[str, str]:
    """Return ``bool`` for each text column holding only ``True``/``False``.

    A plan folder written before its column types were recorded is read as text; its
    flags (``open``, ``fixed``, ``indoor``) are typed from this, so no consumer parses
    a flag from text.
    """
    out = {}
    for col in frame.columns:
        values = set(frame[col].astype(str).unique())
        if values and values <= {"True", "False"}:
            out[str(col)] = "bool"
    return out


def encode_tables(files: PlanTables) -> dict[str, dict[str, Any]]:
    """Return every table of `files` as JSON-ready ``{name: {types, columns, rows}}``.

    Values are written as text, as in the plan folder's CSV, and typed back by
    :func:`decode_tables` from ``types``: the round trip gives equal frames.
    """
    out: dict[str, dict[str, Any]] = {}
    for name, frame in files.frames().items():
        text = frame.astype(str) if len(frame) else frame
        out[name] = {
            "types": column_types(frame),
            "columns": [str(c) for c in frame.columns],
            "rows": text.to_numpy().tolist(),
        }
    return out


def decode_tables(
    payload: Mapping[str, Mapping[str, Any]],
    summary: dict[str, Any],
    *,
    source: str,
) -> PlanTables:
    """Return the tables :func:`encode_tables` wrote, the policy decoded from `summary`.

    Parameters
    ----------
    payload
        ``{name: {types, columns, rows}}``; names outside :data:`ALL_TABLES` are
        ignored (a newer writer's table an older reader does not know).
    summary
        The plan's ``plan.json`` content.
    source
        Where the tables come from, named in a policy error.
    """
    frames: dict[str, pd.DataFrame] = {}
    for name in ALL_TABLES:
        stored = payload.get(name)
        if stored is None:
            continue
        frame = pd.DataFrame(stored["rows"], columns=stored["columns"], dtype=str)
        frames[name] = canonical(typed(frame, stored["types"]))
    policy = Policy.from_dict(summary.get("policy", {}), source=source)
    return PlanTables(summary=summary, policy=policy, **frames)
