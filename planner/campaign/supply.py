"""Follow stock and people over the campaign's days: balancing, orders, deliveries, gaps.

Day by day, for every street (in this order):

1. deliveries ordered ``lead_time_days`` earlier arrive in the morning;
2. samplers: streets short in their busiest shift borrow from streets with medical
   staff free all day, then from the district's hospital samplers
   (:func:`planner.campaign.balance.balance`);
3. consumables, item by item: what a street's stock cannot cover is moved from
   streets whose stock stays above their own reserve after the day's use, then
   from the district warehouse;
4. the day uses what is there — never more: what is still missing is a *gap*,
   named per street, day and item, and the stock stays at zero, never below;
5. orders: if the stock projected at the end of day ``d + lead_time_days`` (the
   planned use of the days in between taken off, deliveries under way added) is
   under the reserve rule, an order is placed today for what brings it back to the
   reserve plus ``order_cover_days`` of full-load use; it arrives on day
   ``d + lead_time_days``.

The reserve rule per item is the sum over holders of full-load daily use times the
holder's reserve days (street 15, health centre and hospital 30;
``domain-rules.md`` §4.3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from planner.campaign.balance import POOL, balance, distance_m
from planner.campaign.district import DistrictSpec
from planner.campaign.street import StreetDay, StreetOutcome

SAMPLERS = "samplers"
"""Resource name of lent samplers in ``transfers.csv``."""

TRANSFER_COLUMNS = ["day", "resource", "from", "to", "quantity"]
STOCK_COLUMNS = [
    "day",
    "street",
    "item",
    "unit",
    "opening",
    "delivered",
    "transferred_in",
    "transferred_out",
    "needed",
    "used",
    "gap",
    "closing",
    "reserve_required",
    "days_of_supply",
    "ordered",
]
ORDER_COLUMNS = ["day", "street", "item", "unit", "quantity", "arrives_day"]
UNCOVERED_COLUMNS = ["day", "street", "resource", "quantity"]


@dataclass(frozen=True)
class CampaignDays:
    """The district's days after balancing.

    Attributes
    ----------
    days
        Per day and street, the figures of ``campaign.json``.
    transfers
        :data:`TRANSFER_COLUMNS`.
    stock
        :data:`STOCK_COLUMNS`, one row per day, street and item.
    orders
        :data:`ORDER_COLUMNS`.
    uncovered
        :data:`UNCOVERED_COLUMNS`: what no one could cover.
    van_trips
        Supply transfer trips per day (distinct source → target pairs).
    n_days
        Days from the first round to the last re-sampling.
    """

    days: list[dict[str, object]]
    transfers: pd.DataFrame
    stock: pd.DataFrame
    orders: pd.DataFrame
    uncovered: pd.DataFrame
    van_trips: dict[int, int]
    n_days: int


def positions(
    outcomes: list[StreetOutcome], spec: DistrictSpec
) -> dict[str, tuple[float, float]]:
    """Return each street's and the district pool's (:data:`POOL`) lon/lat, WGS-84.

    A street's position is the one ``district.toml`` gives, else the median of its
    buildings; the pool's is the district's, else the streets' centre.
    """
    pos: dict[str, tuple[float, float]] = {}
    refs = {r.street: r for r in spec.streets}
    for o in outcomes:
        r = refs.get(o.street)
        if r is not None and r.lon is not None and r.lat is not None:
            pos[o.street] = (r.lon, r.lat)
        else:
            pos[o.street] = (o.lon, o.lat)
    if spec.lon is not None and spec.lat is not None:
        hub = (spec.lon, spec.lat)
    else:
        hub = (
            sum(p[0] for p in pos.values()) / max(1, len(pos)),
            sum(p[1] for p in pos.values()) / max(1, len(pos)),
        )
    pos[POOL] = hub
    return pos


def _distances(
    outcomes: list[StreetOutcome], spec: DistrictSpec
) -> dict[tuple[str, str], float]:
    pos = positions(outcomes, spec)
    return {(a, b): distance_m(*pos[a], *pos[b]) for a in pos for b in pos if a != b}


def simulate_days(outcomes: list[StreetOutcome], spec: DistrictSpec) -> CampaignDays:
    """Balance, order and follow stock over every day of the campaign.

    Parameters
    ----------
    outcomes
        Every street's campaign (:func:`planner.campaign.street.run_street`).
    spec
        The district's pools and positions.
    """
    dist = _distances(outcomes, spec)
    by_day: dict[str, dict[int, StreetDay]] = {
        o.street: {d.day: d for d in o.days} for o in outcomes
    }
    last = max((d.day for o in outcomes for d in o.days), default=0)
    items = sorted(
        {i for o in outcomes for i in o.on_hand}
        | {i for o in outcomes for d in o.days for i in d.use}
    )
    units: dict[str, str] = {}
    for o in outcomes:
        for i, u in o.units.items():
            units.setdefault(i, u)
    stock = {
        o.street: {i: float(o.on_hand.get(i, 0.0)) for i in items} for o in outcomes
    }
    warehouse = {i: float(spec.warehouse.get(i, 0.0)) for i in items}
    arriving: dict[tuple[str, int], dict[str, float]] = {}
    transfers: list[tuple[int, str, str, str, int]] = []
    stock_rows: list[tuple[object, ...]] = []
    orders: list[tuple[int, str, str, str, int, int]] = []
    uncovered: list[tuple[int, str, str, int]] = []
    van_trips: dict[int, int] = {}
    rows: list[dict[str, object]] = []
    info = {o.street: o for o in outcomes}

    def need(street: str, day: int, item: str) -> float:
        d = by_day[street].get(day)
        return float(d.use.get(item, 0)) if d is not None else 0.0

    for day in range(last + 1):
        delivered = {o.street: arriving.pop((o.street, day), {}) for o in outcomes}
        for s, got in delivered.items():
            for i, q in got.items():
                stock[s][i] += q
        opening = {s: dict(v) for s, v in stock.items()}
        # samplers
        spare = {s: d[day].samplers_spare for s, d in by_day.items() if day in d}
        short = {s: d[day].samplers_short for s, d in by_day.items() if day in d}
        moves, left = balance(spare, short, spec.samplers, dist)
        lent = dict.fromkeys(by_day, 0)
        borrowed = dict.fromkeys(by_day, 0)
        for m in moves:
            transfers.append((day, SAMPLERS, m.source, m.target, m.quantity))
            if m.source != POOL:
                lent[m.source] += m.quantity
            borrowed[m.target] += m.quantity
        for s, q in sorted(left.items()):
            uncovered.append((day, s, SAMPLERS, q))
        # consumables
        t_in = {s: dict.fromkeys(items, 0.0) for s in stock}
        t_out = {s: dict.fromkeys(items, 0.0) for s in stock}
        trips: set[tuple[str, str]] = set()
        for i in items:
            deficit = {
                s: math.ceil(max(0.0, need(s, day, i) - stock[s][i])) for s in stock
            }
            if not any(deficit.values()):
                continue
            extra = {
                s: math.floor(
                    max(
                        0.0, stock[s][i] - need(s, day, i) - info[s].reserve.get(i, 0.0)
                    )
                )
                for s in stock
            }
            moves, _left = balance(extra, deficit, math.floor(warehouse[i]), dist)
            for m in moves:
                transfers.append((day, i, m.source, m.target, m.quantity))
                trips.add((m.source, m.target))
                if m.source == POOL:
                    warehouse[i] -= m.quantity
                else:
                    stock[m.source][i] -= m.quantity
                    t_out[m.source][i] += m.quantity
                stock[m.target][i] += m.quantity
                t_in[m.target][i] += m.quantity
        van_trips[day] = len(trips)
        # use, gaps, orders
        for o in outcomes:
            s = o.street
            today = by_day[s].get(day)
            gaps: list[dict[str, object]] = []
            left_stock: dict[str, int] = {}
            placed: list[dict[str, object]] = []
            below: list[str] = []
            for i in items:
                wanted = need(s, day, i)
                used = min(wanted, stock[s][i])
                gap = wanted - used
                stock[s][i] -= used
                if gap > 0:
                    gaps.append({"item": i, "quantity": math.ceil(gap)})
                    uncovered.append((day, s, i, math.ceil(gap)))
                ordered = 0
                full = o.full_daily.get(i, 0.0)
                reserve = o.reserve.get(i, 0.0)
                if full > 0:
                    horizon = day + o.lead_time_days
                    projected = stock[s][i]
                    for t in range(day + 1, horizon + 1):
                        projected += arriving.get((s, t), {}).get(i, 0.0)
                        projected -= need(s, t, i)
                    if projected < reserve:
                        ordered = math.ceil(
                            reserve + o.order_cover_days * full - projected
                        )
                        slot = arriving.setdefault((s, horizon), {})
                        slot[i] = slot.get(i, 0.0) + ordered
                        orders.append((day, s, i, units.get(i, ""), ordered, horizon))
                        placed.append(
                            {"item": i, "quantity": ordered, "arrives_day": horizon}
                        )
                if reserve > 0 and stock[s][i] < reserve:
                    below.append(i)
                left_stock[i] = math.floor(stock[s][i])
                stock_rows.append(
                    (
                        day,
                        s,
                        i,
                        units.get(i, ""),
                        opening[s][i],
                        delivered[s].get(i, 0.0),
                        t_in[s][i],
                        t_out[s][i],
                        wanted,
                        used,
                        gap,
                        stock[s][i],
                        round(reserve, 1),
                        round(stock[s][i] / full, 1) if full else math.inf,
                        ordered,
                    )
                )
            tubes = sum(
                q
                for i, q in (today.use if today else {}).items()
                if i.startswith("采样管")
            )
            rows.append(
                {
                    "day": day,
                    "street": s,
                    "round": today.round if today else 0,
                    "people_planned": today.people_planned if today else 0,
                    "households_planned": today.households_planned if today else 0,
                    "people_unassigned": today.people_unassigned if today else 0,
                    "resampled_households": today.resampled_households if today else 0,
                    "resampled_people": today.resampled_people if today else 0,
                    "samplers_needed": today.samplers_needed if today else 0,
                    "samplers_own": today.samplers_own if today else 0,
                    "samplers_lent": lent[s],
                    "samplers_borrowed": borrowed[s],
                    "samplers_uncovered": left.get(s, 0),
                    "staff_short": today.staff_short if today else 0,
                    "tubes": tubes,
                    "stock_left": left_stock,
                    "below_reserve": below,
                    "orders": placed,
                    "gaps": gaps,
                }
            )
    return CampaignDays(
        days=rows,
        transfers=pd.DataFrame(transfers, columns=TRANSFER_COLUMNS),
        stock=pd.DataFrame(stock_rows, columns=STOCK_COLUMNS),
        orders=pd.DataFrame(orders, columns=ORDER_COLUMNS),
        uncovered=pd.DataFrame(uncovered, columns=UNCOVERED_COLUMNS),
        van_trips=van_trips,
        n_days=last + 1,
    )
