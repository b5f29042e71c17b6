"""Write a street as it is in one round, so `planner check` and `planner export` read it.

A round's street differs from the one supplied only where the campaign changed it
(closed sites, households sampled at home); it is written as canonical CSV tables in
WGS-84, with the policy and any grid or walkway layers of the original copied beside
it, so the plan folder beside it checks and exports against exactly what was planned.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from planner.io.writers import write_scenario_folder
from planner.model.clock import hhmm
from planner.model.scenario import Scenario

_GEO_STEMS = ("grids", "walkways", "网格", "步行路网")


def _hhmm(minutes: np.ndarray, default: int) -> list[str]:
    return ["" if int(m) == default else hhmm(m) for m in minutes.tolist()]


def scenario_tables(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Return the scenario's tables with canonical columns (coordinates in WGS-84)."""
    b, h, s, st, inv = (
        scenario.buildings,
        scenario.households,
        scenario.sites,
        scenario.staff,
        scenario.inventory,
    )
    compounds = np.asarray(
        [c.split("/", 1)[-1] for c in scenario.compounds], dtype=object
    )
    tables = {
        "buildings": pd.DataFrame(
            {
                "building_id": b.id,
                "grid_id": np.asarray(scenario.grid_ids, dtype=object)[b.grid],
                "community": np.asarray(scenario.communities, dtype=object)[
                    b.community
                ],
                "compound": compounds[b.compound],
                "lon": b.lon,
                "lat": b.lat,
                "address": b.address,
                "floors": b.floors,
                "terrain": np.where(b.rural, "rural", ""),
            }
        ),
        "households": pd.DataFrame(
            {
                "household_id": h.id,
                "building_id": b.id[h.building],
                "size": h.size,
                "unit": h.unit,
                "floor": h.floor,
                "room": h.room,
                "sealed": h.sealed,
                "pending_review": h.pending,
            }
        ),
        "sites": pd.DataFrame(
            {
                "site_id": s.id,
                "name": s.name,
                "lon": s.lon,
                "lat": s.lat,
                "max_desks": s.max_desks,
                "kind": s.kind,
                "address": s.address,
                "community": s.community,
                "indoor": s.indoor,
                "fixed": s.fixed,
                "open_from": _hhmm(s.open_from_min, 0),
                "open_to": _hhmm(s.open_to_min, 1440),
            }
        ),
        "staff": pd.DataFrame(
            {
                "staff_id": st.id,
                "name": st.name,
                "role": st.role,
                "organisation": st.organisation,
                "phone": st.phone,
                "available_from": _hhmm(st.available_from_min, 0),
                "available_to": _hhmm(st.available_to_min, 1440),
            }
        ),
        "inventory": pd.DataFrame(
            {
                "item": inv.item,
                "holder": inv.holder,
                "on_hand": inv.on_hand,
                "unit": inv.unit,
                "date": [
                    "" if np.isnat(d) else str(d)[:10]
                    for d in inv.date.astype("datetime64[D]")
                ],
            }
        ),
    }
    r = scenario.residents
    if r is not None:
        tables["residents"] = pd.DataFrame(
            {
                "resident_id": r.id,
                "household_id": h.id[r.household],
                "name": r.name,
                "id_number": r.id_number,
                "phone": r.phone,
                "age": r.age,
                "sex": r.sex,
                "key_group": r.key_group,
                "homebound": r.homebound,
            }
        )
    return tables


def write_round_scenario(
    scenario: Scenario, out: Path, *, source: Path, policy_file: Path | None
) -> None:
    """Write `scenario` to folder `out`, copying the policy and geo layers.

    Parameters
    ----------
    scenario
        The street as planned in the round.
    out
        Folder to write.
    source
        The supplied scenario (folder or workbook) whose grid and walkway layers
        are copied.
    policy_file
        The policy the round was planned with; None for the one beside `source`.
    """
    write_scenario_folder(
        scenario_tables(scenario),
        {"name": scenario.name, "coordinate_system": "wgs84"},
        out,
    )
    if source.is_dir():
        beside = source / "policy.toml"
        for f in sorted(source.iterdir()):
            if f.is_file() and f.stem in _GEO_STEMS:
                shutil.copy2(f, out / f.name)
    else:
        beside = source.with_suffix(".policy.toml")
    policy = policy_file or beside
    if policy.is_file():
        shutil.copy2(policy, out / "policy.toml")
