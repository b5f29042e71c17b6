"""Stock over the campaign, and the district's balancing of samplers and supplies."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from planner.campaign.balance import POOL, balance
from planner.campaign.district import DistrictSpec, StreetRef
from planner.campaign.run import CampaignResult
from planner.campaign.street import StreetDay, StreetOutcome
from planner.campaign.supply import simulate_days


def _street(
    name: str,
    lon: float,
    *,
    on_hand: float,
    use: list[int],
    reserve_days: float = 5.0,
    lead: int = 2,
    spare: int = 0,
    short: int = 0,
) -> StreetOutcome:
    full = float(max(use))
    return StreetOutcome(
        street=name,
        name=name,
        residents=1000,
        households=400,
        lon=lon,
        lat=30.5,
        days=tuple(
            StreetDay(
                day=d,
                round=d + 1,
                samplers_spare=spare,
                samplers_short=short,
                use={"采样拭子": q},
            )
            for d, q in enumerate(use)
        ),
        rounds=(),
        on_hand={"采样拭子": on_hand},
        units={"采样拭子": "支"},
        full_daily={"采样拭子": full},
        reserve={"采样拭子": full * reserve_days},
        lead_time_days=lead,
        order_cover_days=3,
        staff_hours={},
        wall_time_s=0.0,
    )


def _spec(*names: str, samplers: int = 0, warehouse: float = 0.0) -> DistrictSpec:
    return DistrictSpec(
        name="区",
        root=Path("."),
        streets=tuple(StreetRef(n, Path(n)) for n in names),
        samplers=samplers,
        warehouse={"采样拭子": warehouse},
    )


def test_an_order_arrives_before_the_reserve_rule_breaks_and_stock_stays_up() -> None:
    # 10 a day against a reserve of 50: without orders the end-of-day stock falls
    # under 50 on day 5 (100 - 60 = 40); an order must go out by day 3
    s = _street("s1", 114.2, on_hand=100, use=[10] * 10)
    days = simulate_days([s], _spec("s1"))
    st = days.stock
    assert (st["closing"] >= 0).all()
    assert (st["closing"] >= st["reserve_required"]).all()
    assert len(days.orders) > 0
    first = days.orders.iloc[0]
    assert first["day"] <= 5 - 2
    assert first["arrives_day"] == first["day"] + 2
    assert st["gap"].sum() == 0


def test_no_day_is_planned_on_stock_that_is_not_there() -> None:
    # 5 swabs for a day that needs 10, nobody to borrow from: a named gap, stock 0
    s = _street("s1", 114.2, on_hand=5, use=[10, 10], lead=3)
    days = simulate_days([s], _spec("s1"))
    st = days.stock
    assert (st["closing"] >= 0).all()
    assert st.loc[0, "used"] == 5 and st.loc[0, "gap"] == 5
    gaps = days.uncovered
    assert gaps.iloc[0].to_dict() == {
        "day": 0,
        "street": "s1",
        "resource": "采样拭子",
        "quantity": 5,
    }
    assert days.days[0]["gaps"] == [{"item": "采样拭子", "quantity": 5}]


def test_balance_prefers_the_nearest_street_then_the_pool() -> None:
    dist = {
        ("a", "b"): 1000.0,
        ("c", "b"): 5000.0,
        (POOL, "b"): 100.0,
        ("a", "c"): 1.0,
        ("c", "a"): 1.0,
    }
    moves, left = balance({"a": 3, "c": 5}, {"b": 6}, 10, dist)
    got = {(m.source, m.target): m.quantity for m in moves}
    assert got == {("a", "b"): 3, ("c", "b"): 3}  # streets first, nearest first
    assert left == {}
    moves, left = balance({"a": 1}, {"b": 4}, 2, dist)
    got = {(m.source, m.target): m.quantity for m in moves}
    assert got == {("a", "b"): 1, (POOL, "b"): 2}
    assert left == {"b": 1}  # uncovered, reported


def test_samplers_are_lent_to_the_short_street_and_counted_per_day() -> None:
    a = _street("a", 114.20, on_hand=1e6, use=[1, 1], spare=4)
    b = _street("b", 114.21, on_hand=1e6, use=[1, 1], short=6)
    c = _street("c", 114.40, on_hand=1e6, use=[1, 1], spare=4)
    days = simulate_days([a, b, c], _spec("a", "b", "c", samplers=1))
    t = days.transfers[days.transfers["resource"] == "samplers"]
    day0 = {
        (r["from"], r["to"]): r["quantity"] for r in t[t["day"] == 0].to_dict("records")
    }
    assert day0 == {("a", "b"): 4, ("c", "b"): 2}
    row = next(r for r in days.days if r["day"] == 0 and r["street"] == "b")
    assert row["samplers_borrowed"] == 6 and row["samplers_uncovered"] == 0


def test_the_short_street_of_a_district_borrows_from_its_neighbour(
    local_run: tuple[CampaignResult, Path],
) -> None:
    _result, out = local_run
    t = pd.read_csv(out / "transfers.csv", dtype={"from": str, "to": str})
    samplers = t[(t["resource"] == "samplers") & (t["to"] == "s02")]
    assert len(samplers) > 0 and set(samplers["from"]) == {"s01"}
    swabs = t[(t["resource"] == "采样拭子") & (t["to"] == "s02")]
    assert len(swabs) > 0 and set(swabs["from"]) == {"s01"}
    st = pd.read_csv(out / "stock_by_day.csv", dtype={"street": str})
    assert (st["closing"] >= 0).all()
    s02 = st[(st["street"] == "s02") & (st["item"] == "采样拭子")]
    assert (s02["transferred_in"] > 0).any()
    report = json.loads((out / "campaign.json").read_text(encoding="utf-8"))
    day0 = [d for d in report["per_day"] if d["day"] == 0]
    lent = {d["street"]: d["samplers_lent"] for d in day0}
    borrowed = {d["street"]: d["samplers_borrowed"] for d in day0}
    # everything s02 borrowed came from s01 (the pool is empty); s01 may lend to s03 too
    from_s01 = int(samplers.loc[samplers["day"] == 0, "quantity"].sum())
    assert borrowed["s02"] == from_s01 > 0
    assert lent["s01"] >= from_s01
    summary = (out / "summary_zh.md").read_text(encoding="utf-8")
    assert "区内调配" in summary
