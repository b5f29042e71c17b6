"""`planner check` holds a plan to the guidance, not to the policy the plan wrote.

A policy that loosens one of the guidance's limits is a finding by itself (with the
number and the source); the validators recompute from the plan's tables what the plan
says about itself (visit times, required stock, vans, the vehicle schedule). Each case
breaks a good plan in exactly one way and asserts its finding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from planner import Policy, load_scenario
from planner.generate import generate_street
from planner.io.writers import write_scenario_folder
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.run import round_tables, run_round
from planner.rules.guidance import LIMITS, loosened_limits
from planner.rules.plan import Violation, check_findings


@dataclasses.dataclass(frozen=True)
class Good:
    scenario: Scenario
    policy: Policy
    tables: PlanTables
    findings: tuple[Violation, ...]


@pytest.fixture(scope="module")
def good(
    tmp_path_factory: pytest.TempPathFactory, deterministic_params: SolveParams
) -> Good:
    """A certified round of a 6,000-person street, as `planner plan` writes it."""
    tmp = tmp_path_factory.mktemp("guidance")
    street = generate_street(6000, seed=11, sealed_buildings=1)
    write_scenario_folder(street.tables, street.meta, tmp / "street")
    scenario = load_scenario(tmp / "street").scenario
    policy = Policy().with_values(**{"certify.replications": 10})
    result = run_round(scenario, policy, deterministic_params)
    tables = round_tables(result, scenario)
    findings = tuple(check_findings(scenario, tables.policy, tables))
    return Good(scenario, tables.policy, tables, findings)


MY_CODES = frozenset(
    {
        "guidance_limit",
        "home_visit_time",
        "transport_schedule",
        "vehicles_per_site",
        "stock_table",
    }
)


def test_the_good_plan_passes_the_guidance(good: Good) -> None:
    """Neither the default policy nor the plan's own tables raise these findings."""
    assert loosened_limits(Policy()) == []
    assert {v.rule for v in good.findings} & MY_CODES == set()


def test_a_tighter_policy_is_no_finding(good: Good) -> None:
    tight = good.policy.with_values(
        **{
            "walking.walk_limit_min": 10.0,
            "sampling.max_people_per_site": 2000,
            "queue.max_wait_min": 15.0,
            "staff.shift_hours": 3.0,
            "stock.street_reserve_days": 20,
        }
    )
    assert loosened_limits(tight) == []


# --- a policy that loosens a limit -------------------------------------------------

LOOSENED: list[tuple[str, Any, str, str]] = [
    # (policy key, loosened value, kind, what the text must quote)
    ("walking.walk_limit_min", 60.0, "rule", "15"),
    ("sampling.max_people_per_site", 10_000, "rule", "3000"),
    ("queue.max_wait_min", 120.0, "rule", "20"),
    ("staff.shift_hours", 8.0, "rule", "4"),
    ("round.window_hours", 12.0, "gap", "6"),
    ("round.max_window_hours", 24.0, "rule", "12"),
    ("sampling.max_people_per_desk", 2000, "rule", "800"),
    ("sampling.guide_people_per_sampler", 720, "rule", "360"),
    ("transport.pickup_interval_h", 4.0, "rule", "2"),
    ("transport.sites_per_vehicle", 39, "rule", "3"),
    ("home_visit.ppe_change_min", 2.0, "rule", "15"),
    ("stock.street_reserve_days", 3, "rule", "15"),
    ("stock.health_center_reserve_days", 7, "rule", "15"),
    ("stock.screening_reserve_rounds", 1, "rule", "4"),
]


@pytest.mark.parametrize(
    ("key", "value", "kind", "bound"), LOOSENED, ids=[c[0] for c in LOOSENED]
)
def test_a_loosened_limit_is_a_finding(
    good: Good, key: str, value: Any, kind: str, bound: str
) -> None:
    """The plan passes its own loosened policy no more: the number and source named."""
    if key == "round.window_hours":
        policy = good.policy.with_values(**{key: value, "round.max_window_hours": 12.0})
    else:
        policy = good.policy.with_values(**{key: value})
    found = [
        v for v in check_findings(good.scenario, policy, good.tables) if v.where == key
    ]
    assert [v.rule for v in found] == ["guidance_limit"]
    v = found[0]
    assert v.kind == kind
    assert f"{value:g}" in v.en and bound in v.en
    limit = next(lim for lim in LIMITS if lim.key == key)
    assert "(" in v.en and limit.source  # the source is quoted in brackets
    assert "策略" in v.zh and f"{value:g}" in v.zh


def test_a_window_past_the_cap_is_one_rule_not_also_a_gap(good: Good) -> None:
    policy = good.policy.with_values(
        **{"round.window_hours": 14.0, "round.max_window_hours": 14.0}
    )
    found = [v for v in loosened_limits(policy) if v.key == "round.window_hours"]
    assert [(v.bound, v.severity) for v in found] == [(12.0, "rule")]


# --- tables that say something the plan cannot keep --------------------------------


def _summary(t: PlanTables, **changes: Any) -> PlanTables:
    return dataclasses.replace(t, summary={**t.summary, **changes})


def no_transport(g: Good) -> PlanTables:
    summary = {k: v for k, v in g.tables.summary.items() if k != "transport"}
    return dataclasses.replace(g.tables, summary=summary)


def empty_transport(g: Good) -> PlanTables:
    return _summary(g.tables, transport=[])


def visits_all_at_0805(g: Good) -> PlanTables:
    hv = g.tables.home_visits.copy()
    hv["arrive"] = "08:05"
    return dataclasses.replace(g.tables, home_visits=hv)


def last_visit_at_window_end(g: Good) -> PlanTables:
    hv = g.tables.home_visits.copy()
    team = hv["team_id"].iloc[0]
    rows = hv.index[hv["team_id"] == team]
    hv.loc[rows[-1], "arrive"] = "13:55"
    return dataclasses.replace(g.tables, home_visits=hv)


def halved_required_stock(g: Good) -> PlanTables:
    sup = g.tables.supplies
    assert sup is not None
    out = sup.copy()
    out.loc[0, "required_stock"] = int(out.loc[0, "required_stock"]) // 2
    return dataclasses.replace(g.tables, supplies=out)


def smaller_round_use(g: Good) -> PlanTables:
    sup = g.tables.supplies
    assert sup is not None
    out = sup.copy()
    consumable = out.index[out["kind"] == "consumable"][0]
    out.loc[consumable, "per_round"] = 1
    return dataclasses.replace(g.tables, supplies=out)


def more_on_hand(g: Good) -> PlanTables:
    sup = g.tables.supplies
    assert sup is not None
    out = sup.copy()
    out.loc[0, "on_hand"] = float(out.loc[0, "on_hand"]) + 1e6
    return dataclasses.replace(g.tables, supplies=out)


def dropped_stock_line(g: Good) -> PlanTables:
    sup = g.tables.supplies
    assert sup is not None
    return dataclasses.replace(g.tables, supplies=sup.iloc[1:].reset_index(drop=True))


def one_van_for_all(g: Good) -> PlanTables:
    vans: list[dict[str, Any]] = g.tables.summary["transport"]
    sites = [x for v in vans for x in v["sites"]]
    rounds = [r for v in vans for r in v["rounds"]]
    return _summary(
        g.tables, transport=[{"van_id": "V01", "sites": sites, "rounds": rounds}]
    )


TAMPERED: list[tuple[str, Callable[[Good], PlanTables]]] = [
    ("transport_schedule", no_transport),
    ("transport_schedule", empty_transport),
    ("home_visit_time", visits_all_at_0805),
    ("home_visit_time", last_visit_at_window_end),
    ("stock_table", halved_required_stock),
    ("stock_table", smaller_round_use),
    ("stock_table", more_on_hand),
    ("stock_table", dropped_stock_line),
    ("vehicles_per_site", one_van_for_all),
]


@pytest.mark.parametrize(
    ("code", "breaker"), TAMPERED, ids=[c[1].__name__ for c in TAMPERED]
)
def test_a_tampered_table_is_caught(
    good: Good, code: str, breaker: Callable[[Good], PlanTables]
) -> None:
    tables = breaker(good)
    findings = check_findings(good.scenario, good.policy, tables)
    assert code in {v.rule for v in findings}
    mine = {v.rule for v in findings} & MY_CODES
    assert mine == {code}, mine


def test_visits_at_0805_name_the_first_stop_that_cannot_be_kept(good: Good) -> None:
    findings = check_findings(good.scenario, good.policy, visits_all_at_0805(good))
    hits = [v for v in findings if v.rule == "home_visit_time"]
    teams = good.tables.home_visits.groupby("team_id").size()
    assert len(hits) >= int((teams > 1).sum())  # every team of two stops or more
    assert "08:05" in hits[0].en and "at the earliest" in hits[0].en


def test_one_van_for_all_sites_says_how_many_vans(good: Good) -> None:
    findings = check_findings(good.scenario, good.policy, one_van_for_all(good))
    short = next(v for v in findings if v.rule == "vehicles_per_site")
    sites = pd.Series(
        [x for v in good.tables.summary["transport"] for x in v["sites"]]
    ).nunique()
    assert f"1 vans for {sites} sites" in short.en


def test_every_code_of_mine_has_a_case() -> None:
    assert {c for c, _ in TAMPERED} | {"guidance_limit"} == MY_CODES


def test_norm_notes_come_from_the_tables_not_the_summary(good: Good) -> None:
    """Marking every norm 'within' in plan.json hides no note: they are recomputed."""
    notes = {v.rule for v in good.findings if v.rule.startswith("norm_")}
    assert notes  # the small street deviates from some norm
    hidden = [{**n, "within": True} for n in good.tables.summary["norms"]]
    findings = check_findings(
        good.scenario, good.policy, _summary(good.tables, norms=hidden)
    )
    assert {v.rule for v in findings if v.rule.startswith("norm_")} == notes


def test_the_plan_is_judged_by_the_guidance_where_the_policy_loosens_it(
    good: Good,
) -> None:
    """With 10,000 people per site allowed, a site of 3,000+ is still caught."""
    from planner.rules.guidance import held_to_guidance

    loose = good.policy.with_values(
        **{"sampling.max_people_per_site": 10_000, "walking.walk_limit_min": 8.0}
    )
    held = held_to_guidance(loose)
    assert held.sampling.max_people_per_site == 3000
    assert held.walking.walk_limit_min == 8.0  # tighter: kept
    a = good.tables.assignments.copy()
    walk = a.index[a["mode"] == "walk_up"]
    busiest = a.loc[walk, "site_id"].value_counts().index[0]
    a.loc[walk, "site_id"] = busiest  # every walk-up household at one site
    tables = dataclasses.replace(good.tables, assignments=a)
    rules = {v.rule for v in check_findings(good.scenario, loose, tables)}
    assert {"guidance_limit", "site_people"} <= rules
