"""Size consumables for a round, per site, and check stock against the reserve rules.

Consumption follows the bill of materials in the policy: each line is a quantity per
*driver* unit (person swabbed, tube, staff shift, home-visit household, open site).
Pooled tubes are counted as ``Σ ceil(group / N)`` where a group is the pooled people
one desk samples in one slot (a desk closes its last, partly filled tube at the end of
each slot) or one door-to-door team's pooled people; single tubes are one per person
a sealed household gets one tube (its key-group residents keep their single tubes)
and a household pending a single-tube review after a positive pool one tube per person.

Stock rules, per item and holder (the reading of the sources, domain-rules §4.3 and
seed 001):

- 防疫物资 (PPE, disinfectant, sanitiser, waste bags) — seed 001's 15-day list: the
  street/town holds ``street_reserve_days`` (15) days of full-load operation, and so
  does the health centre that keeps the street's sampling kit
  (``health_center_reserve_days``, 15). Full load is ``rounds_per_day`` rounds a day,
  so the reserve is ``rounds_per_day × reserve_days`` rounds (``full_load_rounds``).
- Test consumables (swabs, tubes; ``stock.screening_items``) are used per round, not
  per day of operation: whoever holds them keeps ``stock.screening_reserve_rounds``
  (4) full-population rounds — a full-load screening as the 2022-11 实施办法 runs it
  (three daily rounds, one more after three days). The old reading, 30 daily
  full-population rounds of swabs at the health centre (1.98 M swabs for 60,001
  people), applied a hospital's own 30-day rule to the street's screening.
- A hospital (``hospital_reserve_days``, 30) holds 30 days of its own full-load
  operation (seed 001, 医院常态化防控方案).

Days of supply are ``on hand ÷ full-load daily use``.
Where dated stock counts are given, the burn rate is estimated as the CDC burn-rate
calculator does: the average drop per day over consecutive dated counts (at least
``min_burn_rate_days``), skipping rises, which are deliveries, and the days of supply
at that measured rate are shown beside the full-load figure.

Reusable equipment (bill-of-materials drivers ``site_reusable`` and ``team_reusable``:
transport boxes, tents, tables, thermometers) is counted, not burned: what is needed
is one round's count, held once, and it has no days of supply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.constants import REUSABLE_DRIVERS
from planner.model.modes import WALK_UP
from planner.model.policy import BomItem, Policy
from planner.model.result import Plan
from planner.model.scenario import Inventory, Scenario

SUPPLIES_COLUMNS = [
    "item",
    "unit",
    "holder",
    "kind",
    "per_round",
    "full_load_daily",
    "reserve_days",
    "full_load_rounds",
    "required_stock",
    "on_hand",
    "days_of_supply",
    "days_at_burn_rate",
    "shortfall",
]
"""Columns of ``supplies.csv``, in order."""


@dataclass(frozen=True, slots=True)
class Drivers:
    """How much of each consumption driver one site (or door-to-door team) uses.

    Attributes
    ----------
    site_id
        Site id, or a door-to-door team id.
    person, tube_single, tube_pool, sampler_shift, support_shift,
    home_visit_household, site_day
        Driver counts for the round.
    """

    site_id: str
    person: int = 0
    tube_single: int = 0
    tube_pool: int = 0
    sampler_shift: int = 0
    support_shift: int = 0
    home_visit_household: int = 0
    site_day: int = 0
    site_reusable: int = 0
    team_reusable: int = 0


def pooled_tubes(group_sizes: list[int] | np.ndarray, pool_size: int) -> int:
    """Return ``Σ ceil(group / pool_size)`` tubes for pooled groups of people."""
    groups = np.asarray(group_sizes, dtype=np.int64)
    return int(np.sum(-(-groups // pool_size)))


def _bom_item_name(item: BomItem, pool_size: int) -> str:
    return f"采样管({pool_size}混1)" if item.item == "采样管(混采)" else item.item


def consumption_drivers(
    plan: Plan, scenario: Scenario, requirements: pd.DataFrame
) -> list[Drivers]:
    """Count the drivers of every open site and every door-to-door team.

    Parameters
    ----------
    plan
        The plan (who goes where and when, tube modes, teams).
    scenario
        Household composition (key-group residents single-tubed).
    requirements
        Staff requirements (:func:`planner.planning.staffing.staff_requirements`).
    """
    from planner.planning.demand import household_demand

    pool = plan.policy.pooling.default_pool_size
    demand = household_demand(scenario, plan.policy)
    sites = scenario.sites
    shifts = requirements.assign(
        medical=requirements["role"].isin(["sampler", "home_sampler"])
    )
    out: list[Drivers] = []
    walk = plan.hh_mode == WALK_UP
    for s in np.flatnonzero(plan.site_open).tolist():
        at = walk & (plan.hh_site == s)
        desks = max(1, int(plan.site_desks[s]))
        groups: list[int] = []
        for k in np.unique(plan.hh_slot[at]).tolist():
            pooled = int(demand.pooled[at & (plan.hh_slot == k)].sum())
            base, extra = divmod(pooled, desks)
            groups.extend(base + (1 if d < extra else 0) for d in range(desks))
        sid = str(sites.id[s])
        req = shifts[shifts["site_id"] == sid]
        out.append(
            Drivers(
                site_id=sid,
                person=int(plan.hh_people[at].sum()),
                tube_single=int(demand.single[at].sum()),
                tube_pool=pooled_tubes([g for g in groups if g > 0], pool),
                sampler_shift=int(req.loc[req["medical"], "needed"].sum()),
                support_shift=int(req.loc[~req["medical"], "needed"].sum()),
                site_day=1,
                site_reusable=1,
            )
        )
    transport = shifts[shifts["site_id"] == "TRANSPORT"]
    if len(transport):
        out.append(Drivers("TRANSPORT", support_shift=int(transport["needed"].sum())))
    for team in plan.teams:
        hh = np.asarray(team.households, dtype=np.int64)
        h = scenario.households
        isolated = h.sealed[hh] | h.pending[hh]
        req = shifts[shifts["site_id"] == team.team_id]
        out.append(
            Drivers(
                site_id=team.team_id,
                person=int(plan.hh_people[hh].sum()),
                # key-group and pending residents one each, a sealed household one
                tube_single=int(demand.single[hh].sum())
                + int(demand.household_tube[hh].sum()),
                tube_pool=pooled_tubes([int(demand.pooled[hh][~isolated].sum())], pool),
                sampler_shift=int(req.loc[req["medical"], "needed"].sum()),
                support_shift=int(req.loc[~req["medical"], "needed"].sum()),
                home_visit_household=len(hh),
                team_reusable=1,
            )
        )
    return out


def round_consumption(drivers: list[Drivers], policy: Policy) -> pd.DataFrame:
    """Return the pick list of every site and team: site_id, item, unit, holder, quantity.

    Quantities include the policy buffer and are rounded up to whole units.
    """
    pool = policy.pooling.default_pool_size
    rows = []
    for d in drivers:
        for line in policy.supplies.bom:
            amount = getattr(d, line.per) * line.quantity
            if amount > 0:
                reusable = line.per in REUSABLE_DRIVERS
                rows.append(
                    (
                        d.site_id,
                        _bom_item_name(line, pool),
                        line.unit,
                        line.holder,
                        "reusable" if reusable else "consumable",
                        amount,
                    )
                )
    frame = pd.DataFrame(
        rows, columns=["site_id", "item", "unit", "holder", "kind", "raw"]
    )
    grouped = frame.groupby(["site_id", "item", "unit", "holder", "kind"], sort=False)[
        "raw"
    ].sum()
    out = grouped.reset_index()
    # equipment is counted as it is; the breakage buffer is for consumables
    buffer = np.where(out["kind"] == "reusable", 0.0, policy.supplies.buffer)
    out["quantity"] = np.ceil(out["raw"] * (1 + buffer) - 1e-9).astype(np.int64)
    return out.drop(columns="raw")


def burn_rates(inventory: Inventory, *, min_days: int) -> pd.DataFrame:
    """Estimate daily use from dated counts (CDC burn-rate method).

    Returns
    -------
    pandas.DataFrame
        ``item, holder, days, burn_rate_per_day`` for every item and holder with at
        least `min_days` counts on consecutive days; rises (deliveries) are skipped.
    """
    frame = pd.DataFrame(
        {
            "item": inventory.item,
            "holder": inventory.holder,
            "on_hand": inventory.on_hand,
            "date": inventory.date,
        }
    ).dropna(subset=["date"])
    rows = []
    for (item, holder), g in frame.groupby(["item", "holder"], sort=True):
        g = g.sort_values("date")
        dates = g["date"].to_numpy(dtype="datetime64[D]")
        values = g["on_hand"].to_numpy(dtype=float)
        if len(dates) < min_days:
            continue
        gaps = np.diff(dates).astype(np.int64)
        drops = -np.diff(values)
        ok = (gaps == 1) & (drops >= 0)
        if ok.sum() < max(1, min_days - 1):
            continue
        rows.append((item, holder, int(ok.sum()) + 1, float(drops[ok].mean())))
    return pd.DataFrame(rows, columns=["item", "holder", "days", "burn_rate_per_day"])


def latest_on_hand(inventory: Inventory) -> dict[tuple[str, str], float]:
    """Return the most recent count of every (item, holder); undated counts are current."""
    frame = pd.DataFrame(
        {
            "item": inventory.item,
            "holder": inventory.holder,
            "on_hand": inventory.on_hand,
            "date": inventory.date,
        }
    )
    frame["undated"] = frame["date"].isna()
    latest = (
        frame.sort_values(["undated", "date"], kind="stable")
        .groupby(["item", "holder"], sort=False)
        .last()
    )
    return {
        (str(i), str(h)): float(v)
        for i, h, v in zip(
            latest.index.get_level_values(0),
            latest.index.get_level_values(1),
            latest["on_hand"].to_numpy(dtype=float),
            strict=True,
        )
    }


def stock_status(
    per_round: pd.DataFrame, inventory: Inventory, policy: Policy
) -> pd.DataFrame:
    """Check stock of every item and holder against the reserve rule.

    Parameters
    ----------
    per_round
        Pick lists (:func:`round_consumption`); summed over sites per item and holder.
    inventory
        Stock counts.
    policy
        Reserve days per holder and rounds per day at full load.

    Returns
    -------
    pandas.DataFrame
        :data:`SUPPLIES_COLUMNS` plus ``burn_rate_per_day`` (measured, empty when not
        estimable); ``days_of_supply`` is ``inf`` for an item not used.
    """
    need = per_round.groupby(["item", "unit", "holder"], sort=False)["quantity"].sum()
    kind_of = {
        (str(i), str(h)): str(k)
        for i, h, k in zip(
            per_round["item"], per_round["holder"], per_round["kind"], strict=True
        )
    }
    on_hand = latest_on_hand(inventory)
    units = {
        (str(i), str(h)): str(u)
        for i, h, u in zip(
            inventory.item, inventory.holder, inventory.unit, strict=True
        )
    }
    burn = burn_rates(inventory, min_days=policy.stock.min_burn_rate_days)
    burn_of: dict[tuple[str, str], float] = {
        (str(i), str(h)): float(v)
        for i, h, v in zip(
            burn["item"], burn["holder"], burn["burn_rate_per_day"], strict=True
        )
    }
    keys = [(str(i), str(u), str(h)) for i, u, h in need.index]
    keys += [
        (i, units[(i, h)], h)
        for (i, h) in on_hand
        if (i, h) not in {(a, c) for a, _b, c in keys}
    ]
    rows = []
    for item, unit, holder in keys:
        per = int(need.get((item, unit, holder), 0))
        kind = kind_of.get((item, holder), "consumable")
        rounds_held = policy.stock.reserve_rounds(
            item, holder, policy.round.rounds_per_day
        )
        # days of full load the rounds held last (a screening item: its rounds)
        days = math.ceil(rounds_held / max(1, policy.round.rounds_per_day))
        have = on_hand.get((item, holder), 0.0)
        rate = burn_of.get((item, holder))
        if kind == "reusable":
            # equipment: one round's count, held once; nothing burns per day
            daily, rounds, required = 0, 0, per
            supply = math.inf
        else:
            daily = per * policy.round.rounds_per_day
            rounds = rounds_held
            required = math.ceil(per * rounds_held)
            supply = round(have / daily, 1) if daily else math.inf
        rows.append(
            {
                "item": item,
                "unit": unit,
                "holder": holder,
                "kind": kind,
                "per_round": per,
                "full_load_daily": daily,
                "reserve_days": days if kind == "consumable" else 0,
                "full_load_rounds": rounds,
                "required_stock": required,
                "on_hand": have,
                "days_of_supply": supply,
                "days_at_burn_rate": round(have / rate, 1)
                if kind == "consumable" and rate
                else None,
                "shortfall": max(0, math.ceil(required - have)),
                "burn_rate_per_day": rate,
            }
        )
    return pd.DataFrame(rows, columns=[*SUPPLIES_COLUMNS, "burn_rate_per_day"])


def procurement_list(status: pd.DataFrame) -> pd.DataFrame:
    """Return what to order: item, unit, holder, quantity, for every shortfall."""
    short = status[status["shortfall"] > 0]
    return (
        short[["item", "unit", "holder", "shortfall"]]
        .rename(columns={"shortfall": "quantity"})
        .reset_index(drop=True)
    )
