"""Coverage (应检尽检) by community, grid and building, and the grids' 未检 lists.

Counts, per unit (street, community, grid, building), over the register's residents:

- ``registered``: residents in the register;
- ``exempt``: not sampled, with a reason that takes them out of the count
  (:data:`EXEMPT_REASONS`: away, in hospital, tested elsewhere, an exempt infant);
- ``due`` (应检) = registered − exempt;
- ``sampled`` (已检): matched to a counted record (:mod:`.matching`); a resident
  sampled *and* given a reason counts as sampled;
- ``missing`` (未检) = due − sampled: no record, no reason, or refused;
- ``rate`` = sampled / due (1 when nobody is due).

Every not-sampled resident is on exactly one list: their building's grid's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.scenario import Scenario
from planner.model.types import BoolArray

REASONS = ("away", "hospital", "elsewhere", "infant", "refused")
"""Reasons a grid worker gives for a resident not sampled."""

EXEMPT_REASONS = ("away", "hospital", "elsewhere", "infant")
"""Reasons that take a resident out of the count (refused stays due: 补检)."""

LEVELS = ("community", "grid", "building")


@dataclass(frozen=True)
class Coverage:
    """Coverage of one round.

    Attributes
    ----------
    residents
        One row per resident: ``resident``, ``resident_id``, ``household``,
        ``building``, ``grid``, ``community`` (indices and ids), ``sampled``,
        ``reason`` (code or ""), ``exempt``, ``missing``.
    tables
        ``community``, ``grid``, ``building`` → one row per unit with the counts.
    street
        The street's counts.
    """

    residents: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    street: dict[str, float]

    @property
    def missing(self) -> BoolArray:
        """Residents due and not sampled."""
        return self.residents["missing"].to_numpy(dtype=bool)


def _counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = frame.groupby(by, sort=False, observed=True)
    out = pd.DataFrame(
        {
            "registered": g.size(),
            "exempt": g["exempt"].sum(),
            "sampled": g["sampled"].sum(),
            "missing": g["missing"].sum(),
        }
    )
    for reason in REASONS:
        out[f"reason_{reason}"] = g[f"_r_{reason}"].sum()
    out["due"] = out["registered"] - out["exempt"]
    out["rate"] = np.where(
        out["due"] > 0, out["sampled"] / out["due"].clip(lower=1), 1.0
    )
    return out.reset_index()


def coverage(
    scenario: Scenario, sampled: BoolArray, reasons: pd.DataFrame | None = None
) -> Coverage:
    """Count the round's coverage.

    Parameters
    ----------
    scenario
        The street, with its person-level register.
    sampled
        ``(residents,)`` whether each resident has a counted record.
    reasons
        ``resident_id`` → ``reason`` code (from the filled lists), or None.

    Returns
    -------
    Coverage
    """
    r = scenario.residents
    if r is None:
        raise ValueError("coverage needs the person-level register")
    h, b = scenario.households, scenario.buildings
    bld = h.building[r.household]
    grid = b.grid[bld]
    comm = b.community[bld]
    reason = np.full(len(r), "", dtype=object)
    if reasons is not None and len(reasons):
        at = pd.Index(pd.Series(r.id, dtype="str")).get_indexer(
            reasons["resident_id"].astype(str)
        )
        ok = at >= 0
        reason[at[ok]] = reasons["reason"].to_numpy(dtype=object)[ok]
    exempt = ~sampled & np.isin(reason, EXEMPT_REASONS)
    missing = ~sampled & ~exempt
    frame = pd.DataFrame(
        {
            "resident": np.arange(len(r)),
            "resident_id": r.id,
            "household": r.household,
            "household_id": h.id[r.household],
            "building": bld,
            "building_id": b.id[bld],
            "grid": grid,
            "grid_id": np.asarray(scenario.grid_ids, dtype=object)[grid],
            "community": comm,
            "community_name": np.asarray(scenario.communities, dtype=object)[comm],
            "sampled": sampled,
            "reason": reason,
            "exempt": exempt,
            "missing": missing,
        }
    )
    for code in REASONS:
        frame[f"_r_{code}"] = ~sampled & (reason == code)
    tables = {
        "community": _counts(frame, ["community_name"]),
        "grid": _counts(frame, ["community_name", "grid_id"]),
        "building": _counts(frame, ["community_name", "grid_id", "building_id"]),
    }
    street_row = _counts(frame.assign(_all=0), ["_all"]).iloc[0]
    street = {k: float(street_row[k]) for k in street_row.index if k != "_all"}
    return Coverage(frame.drop(columns=[f"_r_{c}" for c in REASONS]), tables, street)


def grid_lists(cov: Coverage, scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Return, per grid id, the residents due and not sampled (the 未检人员名单).

    Rows are in building, unit, room order with the columns a grid worker needs:
    ``resident_id``, ``name``, ``id_number``, ``phone`` (as in `scenario`: pass a
    masked scenario for lists that leave the command centre), ``age``,
    ``building_id``, ``address``, ``unit``, ``room``, ``reason`` (a refused resident
    keeps the reason given). Every missing resident is on exactly one list.
    """
    r = scenario.residents
    assert r is not None
    h, b = scenario.households, scenario.buildings
    f = cov.residents[cov.residents["missing"]]
    idx = f["resident"].to_numpy()
    hh = r.household[idx]
    rows = pd.DataFrame(
        {
            "grid_id": f["grid_id"].to_numpy(),
            "resident_id": r.id[idx],
            "name": r.name[idx],
            "id_number": r.id_number[idx],
            "phone": r.phone[idx],
            "age": r.age[idx],
            "building_id": b.id[h.building[hh]],
            "address": b.address[h.building[hh]],
            "unit": h.unit[hh],
            "room": h.room[hh],
            "household_id": h.id[hh],
            "reason": f["reason"].to_numpy(),
        }
    ).sort_values(
        ["grid_id", "building_id", "unit", "room", "resident_id"], kind="stable"
    )
    return {
        str(g): part.drop(columns="grid_id").reset_index(drop=True)
        for g, part in rows.groupby("grid_id", sort=True)
    }
