"""Staff sizing, the named roster, consumables and the 15/30-day stock rules."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import Policy, load_scenario
from planner.model.scenario import Inventory
from planner.planning.consumables import (
    Drivers,
    burn_rates,
    pooled_tubes,
    procurement_list,
    round_consumption,
    stock_status,
)
from planner.planning.plan import SolveParams, make_plan
from planner.planning.roster import build_roster
from planner.planning.staffing import (
    pattern_ok,
    roster_periods,
    shifts_for,
    staff_requirements,
)


def _inventory(rows: list[tuple[str, str, float, str, str | None]]) -> Inventory:
    return Inventory(
        item=np.array([r[0] for r in rows], dtype=object),
        holder=np.array([r[1] for r in rows], dtype=object),
        on_hand=np.array([r[2] for r in rows], dtype=float),
        unit=np.array([r[3] for r in rows], dtype=object),
        date=np.array([r[4] or "NaT" for r in rows], dtype="datetime64[D]"),
    )


def test_shifts_split_the_window_within_the_ppe_limit() -> None:
    assert [s.label() for s in shifts_for(Policy())] == ["08:00-11:00", "11:00-14:00"]
    heat = Policy().with_values(**{"heat.enabled": True})
    assert [s.label() for s in shifts_for(heat)] == [
        "08:00-10:00",
        "10:00-12:00",
        "12:00-14:00",
    ]


def test_pooled_tubes_are_the_sum_of_ceilings() -> None:
    assert pooled_tubes([10, 10, 3], 10) == 3
    assert pooled_tubes([23], 10) == 3
    assert pooled_tubes([23], 20) == 2
    assert pooled_tubes([1, 1, 1], 10) == 3  # three desks each close a partial tube


def test_bill_of_materials_arithmetic() -> None:
    policy = Policy()
    picks = round_consumption(
        [
            Drivers(
                "S1",
                person=100,
                tube_single=4,
                tube_pool=10,
                sampler_shift=6,
                support_shift=12,
                site_day=1,
            )
        ],
        policy,
    )
    q = picks.set_index("item")["quantity"]
    assert q["医用防护服"] == 7  # 6 sampler-shifts, +10 % buffer, rounded up
    assert q["采样拭子"] == 110
    assert q["采样管(10混1)"] == 11
    assert q["采样管(单采)"] == 5
    assert q["医用防护口罩(N95)"] == 20  # (6 + 12) × 1.1 = 19.8
    assert q["医疗废物袋"] == 5  # 4 per site-day


def test_reserve_rules_days_of_supply_and_shortfall() -> None:
    """Per item and holder: swabs and tubes for 4 full rounds whoever holds them;
    防疫物资 15 days at the street and the health centre, 30 at a hospital."""
    policy = Policy()
    per_round = pd.DataFrame(
        {
            "site_id": ["S1", "S2", "S1", "S1", "S1"],
            "item": ["采样拭子", "采样拭子", "隔离衣", "医用防护服", "医用防护服"],
            "unit": ["支", "支", "件", "套", "套"],
            "holder": [
                "health_center",
                "health_center",
                "street",
                "health_center",
                "hospital",
            ],
            "kind": ["consumable"] * 5,
            "quantity": [600, 400, 10, 20, 2],
        }
    )
    inv = _inventory(
        [
            ("采样拭子", "health_center", 3_000, "支", None),
            ("隔离衣", "street", 200, "件", None),
            ("医用防护服", "health_center", 300, "套", None),
            ("医用防护服", "hospital", 60, "套", None),
        ]
    )
    status = stock_status(per_round, inv, policy).set_index(["item", "holder"])
    swab = status.loc[("采样拭子", "health_center")]
    gown = status.loc[("隔离衣", "street")]
    suit_hc = status.loc[("医用防护服", "health_center")]
    suit_hosp = status.loc[("医用防护服", "hospital")]
    # swabs burn per round: 4 full rounds (2022-11 实施办法), not 30 daily rounds
    assert swab["full_load_daily"] == 1000 and swab["full_load_rounds"] == 4
    assert swab["required_stock"] == 4_000 and swab["shortfall"] == 1_000
    assert swab["days_of_supply"] == 3.0
    assert gown["reserve_days"] == 15 and gown["required_stock"] == 150
    assert gown["shortfall"] == 0 and gown["days_of_supply"] == 20.0
    # the health centre keeps the street's 15 days; a hospital its own 30
    assert suit_hc["reserve_days"] == 15 and suit_hc["required_stock"] == 300
    assert suit_hosp["reserve_days"] == 30 and suit_hosp["required_stock"] == 60
    order = procurement_list(stock_status(per_round, inv, policy))
    assert order.to_dict("records") == [
        {
            "item": "采样拭子",
            "unit": "支",
            "holder": "health_center",
            "quantity": 1_000,
        }
    ]
    two_rounds = policy.with_values(**{"round.rounds_per_day": 2})
    twice = stock_status(per_round, inv, two_rounds).set_index(["item", "holder"])
    # 防疫物资 scale with rounds a day; the swabs' 4 rounds stay 4 rounds
    assert twice.loc[("隔离衣", "street"), "required_stock"] == 300
    assert twice.loc[("采样拭子", "health_center"), "required_stock"] == 4_000


def test_burn_rate_from_consecutive_counts() -> None:
    inv = _inventory(
        [
            ("N95", "street", 1000, "个", "2026-11-20"),
            ("N95", "street", 900, "个", "2026-11-21"),
            ("N95", "street", 780, "个", "2026-11-22"),
            ("gown", "street", 500, "件", "2026-11-20"),
            ("gown", "street", 450, "件", "2026-11-21"),
            ("gown", "street", 950, "件", "2026-11-22"),  # a delivery, skipped
            ("mask", "street", 50, "个", "2026-11-22"),  # one count: no rate
        ]
    )
    rates = burn_rates(inv, min_days=2).set_index("item")["burn_rate_per_day"]
    assert rates["N95"] == pytest.approx(110.0)
    assert rates["gown"] == pytest.approx(50.0)
    assert "mask" not in rates


@pytest.fixture(scope="module")
def tiny_round(tiny_dir: Path, deterministic_params: SolveParams):  # type: ignore[no-untyped-def]
    loaded = load_scenario(tiny_dir)
    plan = make_plan(loaded.scenario, loaded.policy, deterministic_params)
    req = staff_requirements(plan, loaded.scenario)
    return loaded, plan, req


def test_requirements_per_site_and_shift(tiny_round) -> None:  # type: ignore[no-untyped-def]
    _loaded, _plan, req = tiny_round
    s1 = req[(req["site_id"] == "S1") & (req["shift"] == 0)].set_index("role")["needed"]
    assert s1["sampler"] == 1 and s1["registrar"] == 1 and s1["site_lead"] == 1
    # one of each support role already exceeds 3 per sampler, so no reserve is added
    assert s1.drop("sampler").sum() == 5 and "reserve" not in s1
    big = req.groupby(["site_id", "shift"]).apply(
        lambda g: (
            g.loc[g["role"] != "sampler", "needed"].sum()
            >= 3 * g.loc[g["role"] == "sampler", "needed"].sum()
        ),
        include_groups=False,
    )
    assert big.all()
    assert (req["role"] == "home_sampler").any()


def test_roster_respects_rules_and_reports_the_short_pool(tiny_round) -> None:  # type: ignore[no-untyped-def]
    loaded, _plan, req = tiny_round
    roster = build_roster(req, loaded.scenario, loaded.policy)
    a = roster.assignments
    samplers = set(loaded.scenario.staff.id[loaded.scenario.staff.role == "sampler"])
    assert (
        set(a.loc[a["role"].isin(["sampler", "home_sampler"]), "staff_id"]) <= samplers
    )
    assert not a.duplicated(["staff_id", "shift"]).any()  # one place at a time
    # samplers work full PPE: at most two shifts of at most 4 h, a rest between
    med = a[a["role"].isin(["sampler", "home_sampler"])]
    periods = roster_periods(loaded.policy)
    for _sid, g in med.groupby("staff_id"):
        assert pattern_ok(periods, frozenset(g["shift"].astype(int)), loaded.policy)
    # 2 samplers cannot cover 3 sampler posts in every hour: the rest is a request
    need = int(req.loc[req["role"].isin(["sampler", "home_sampler"]), "needed"].sum())
    got = len(med)
    short = roster.shortfall
    missing_med = int(
        short.loc[short["role"].isin(["sampler", "home_sampler"]), "missing"].sum()
    )
    assert missing_med > 0 and need - got == missing_med
    # each sampler works more than one 3-hour shift's periods (two shifts a day)
    assert med.groupby("staff_id")["shift"].nunique().max() > 3
    total_support = int(
        req.loc[~req["role"].isin(["sampler", "home_sampler"]), "needed"].sum()
    )
    assert len(a) - got + int(short["missing"].sum()) - missing_med == total_support


@pytest.mark.parametrize(
    ("lang", "swabs", "boxes"),
    [
        (
            "zh",
            "  采样拭子（卫生服务中心）: 现有 0支",
            "可重复使用的设备，需 2，现有 0个，缺 2",
        ),
        (
            "en",
            "  采样拭子 (health centre): on hand 0, 0 days",
            " (street office): reusable equipment, 2 needed, 0 on hand, short 2",
        ),
    ],
)
def test_planner_plan_lists_the_short_stock_in_the_run_language(
    tiny_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    swabs: str,
    boxes: str,
) -> None:
    from planner.cli import main

    args = ["--lang", lang, "plan", str(tiny_dir), "--out", str(tmp_path / "p")]
    assert main([*args, "--no-export", "--certify", "off"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # the holder by name, not code; transport boxes as equipment, not days of stock
    assert any(line.startswith(swabs) for line in lines)
    (box,) = [line for line in lines if line.startswith("  转运箱")]
    assert box.endswith(boxes)
    assert "inf" not in box
    if lang == "en":
        assert not any("health_center" in line or "（" in line for line in lines)
