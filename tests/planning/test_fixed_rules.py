"""Rules that were implemented wrongly (issue 30), each held by a test.

- a household pending a single-tube review after a positive pool is its own status:
  at home, one tube per person, on the isolated (sealed) routes — not ``sealed``;
- a key-group resident of a sealed household keeps the single tube;
- the ÷360 guideline is a floor, with one formula for norms and staffing;
- positivity per person becomes positive tubes per pool size, 1 − (1 − p)^k;
- the 24 h for results count from the start of the task.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import Policy, load_scenario
from planner.io.load import inspect_scenario
from planner.model.modes import WALK_UP
from planner.model.scenario import Scenario
from planner.planning.consumables import consumption_drivers
from planner.planning.demand import TUBE_HOUSEHOLD, TUBE_SINGLE, household_demand
from planner.planning.norms import explain_norms
from planner.planning.plan import SolveParams, make_plan
from planner.planning.staffing import compare_with_guideline, staff_requirements


def _mark(folder: Path, column: str, households: set[str]) -> None:
    path = folder / "households.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[column] = np.where(frame["household_id"].isin(households), "是", "否")
    frame.to_csv(path, index=False)


def _hh(s: Scenario, hid: str) -> int:
    return int(np.flatnonzero(s.households.id == hid)[0])


# --- pool-positive pending review ---------------------------------------------------


def test_a_household_pending_review_is_sampled_at_home_one_tube_per_person(
    tiny_copy: Path,
) -> None:
    _mark(tiny_copy, "pending_review", {"H02"})
    s = load_scenario(tiny_copy).scenario
    i = _hh(s, "H02")
    assert s.households.pending[i] and not s.households.sealed[i]
    d = household_demand(s, Policy())
    assert d.home_visit[i]
    assert d.single[i] == s.households.size[i] == 3 and d.pooled[i] == 0
    assert d.tube_mode[i] == TUBE_SINGLE and not d.household_tube[i]  # type: ignore[attr-defined]


def test_a_pending_household_goes_on_an_isolated_route_with_a_tube_each(
    tiny_copy: Path, deterministic_params: SolveParams
) -> None:
    _mark(tiny_copy, "pending_review", {"H02"})
    loaded = load_scenario(tiny_copy)
    s = loaded.scenario
    plan = make_plan(s, loaded.policy, deterministic_params)
    i = _hh(s, "H02")
    team = next(t for t in plan.teams if i in t.households)
    assert team.team_id.split("-")[1][0] == "F"  # with the sealed, never with others
    assert list(team.households) == [i]
    drivers = consumption_drivers(plan, s, staff_requirements(plan, s))
    d = next(x for x in drivers if x.site_id == team.team_id)
    assert (d.person, d.tube_single, d.tube_pool, d.home_visit_household) == (
        3,
        3,
        0,
        1,
    )


def test_the_register_says_when_a_household_is_both_sealed_and_pending(
    tiny_copy: Path,
) -> None:
    _mark(tiny_copy, "pending_review", {"H03"})
    _mark(tiny_copy, "sealed", {"H03"})
    issues = inspect_scenario(tiny_copy).issues
    hit = [x for x in issues if x.code == "rules_pending_and_sealed"]
    assert len(hit) == 1 and hit[0].severity == "warning"
    assert hit[0].row is not None and hit[0].column == "pending_review"
    s = load_scenario(tiny_copy).scenario
    i = _hh(s, "H03")
    d = household_demand(s, Policy())
    assert d.tube_mode[i] == TUBE_SINGLE  # pending wins: one tube per person


def test_the_template_has_the_pending_column() -> None:
    from planner.io.schema import HOUSEHOLDS
    from planner.io.template import EXAMPLES

    col = next(c for c in HOUSEHOLDS.columns if c.name == "pending_review")
    assert col.type == "bool" and "混管阳性待复核" in col.aliases
    assert EXAMPLES["households"][0]["pending_review"] == "否"


# --- key groups in sealed households ------------------------------------------------


def test_a_key_group_resident_keeps_the_single_tube_in_a_sealed_household(
    tiny_copy: Path, deterministic_params: SolveParams
) -> None:
    """H01: two people, one key group. Sealed: a tube for her, one for the household."""
    _mark(tiny_copy, "sealed", {"H01"})
    loaded = load_scenario(tiny_copy)
    s = loaded.scenario
    i = _hh(s, "H01")
    d = household_demand(s, Policy())
    assert d.tube_mode[i] == TUBE_HOUSEHOLD
    assert (d.single[i], d.pooled[i]) == (1, 1)
    plan = make_plan(s, loaded.policy, deterministic_params)
    team = next(t for t in plan.teams if i in t.households)
    drivers = consumption_drivers(plan, s, staff_requirements(plan, s))
    tubes = next(x for x in drivers if x.site_id == team.team_id).tube_single
    assert tubes == 2  # today's code gave 1: the household tube only
    assert bool(d.household_tube[i])  # type: ignore[attr-defined]


# --- the guideline: a floor, one formula ------------------------------------------


def test_one_guideline_formula_scales_with_the_window() -> None:
    from planner.planning.norms import guideline_samplers

    six, twelve, five = (
        Policy().with_values(**{"round.window_hours": h}) for h in (6.0, 12.0, 5.0)
    )
    assert guideline_samplers(60_001, six) == math.ceil(60_001 / 360) == 167
    assert guideline_samplers(60_001, twelve) == math.ceil(60_001 / 720) == 84
    assert guideline_samplers(60_001, five) == math.ceil(60_001 / 300) == 201


@pytest.fixture(scope="module")
def tiny_plan(tiny_dir: Path, deterministic_params: SolveParams):  # type: ignore[no-untyped-def]
    loaded = load_scenario(tiny_dir)
    policy = loaded.policy.with_values(**{"round.window_hours": 5.0})
    plan = make_plan(loaded.scenario, policy, deterministic_params)
    return loaded.scenario, plan


def _scaled(plan, times: int):  # type: ignore[no-untyped-def]
    """The same plan with every household `times` as large (for the guideline only)."""
    return dataclasses.replace(plan, hh_people=plan.hh_people * times)


def test_norms_and_staffing_give_the_same_guideline(tiny_plan) -> None:  # type: ignore[no-untyped-def]
    s, plan = tiny_plan
    big = _scaled(plan, 100)  # 2,400 people: ÷360 gives 7, ÷(360 × 5/6) gives 8
    req = staff_requirements(plan, s)
    norm = next(n for n in explain_norms(big, req) if n.key == "samplers")
    assert norm.low == compare_with_guideline(big, req).guideline_samplers == 8


def test_fewer_samplers_than_the_guideline_is_not_within_the_norm(tiny_plan) -> None:  # type: ignore[no-untyped-def]
    s, plan = tiny_plan
    big = _scaled(plan, 100)
    req = staff_requirements(plan, s)
    norm = next(n for n in explain_norms(big, req) if n.key == "samplers")
    assert norm.value < norm.low  # a few desks for 2,400 people
    assert not norm.within
    assert any("fewer than the guideline" in r[1] for r in norm.reasons)
    many = req.assign(needed=req["needed"] * 100)
    norm = next(n for n in explain_norms(plan, many) if n.key == "samplers")
    assert norm.value >= norm.low and norm.within


# --- positivity per person, positive tubes per pool ---------------------------------


def test_positivity_per_person_becomes_positive_tubes_per_pool() -> None:
    from planner.campaign.positives import tube_positive_share

    assert Policy().campaign.positivity == 0.001
    q = tube_positive_share(0.001, np.array([1, 5, 10, 20]))
    assert q == pytest.approx([0.001, 1 - 0.999**5, 1 - 0.999**10, 1 - 0.999**20])
    assert q[2] == pytest.approx(0.00996, abs=1e-5)  # ≈ 1 % of 10:1 tubes


def test_a_round_draws_positive_tubes_from_the_positivity_per_person(
    tiny_plan,  # type: ignore[no-untyped-def]
) -> None:
    """At 50 % per person nearly every tube of several people is positive; the old
    reading (50 % of the tubes) left about half of them negative."""
    from planner.campaign.positives import positive_households

    s, plan = tiny_plan
    policy = plan.policy.with_values(**{"campaign.positivity": 0.5})
    plan = dataclasses.replace(plan, policy=policy)
    hit = positive_households(plan, s, policy, seed=1)
    d = household_demand(s, policy)
    pooled = np.flatnonzero((plan.hh_mode == WALK_UP) & (d.pooled > 0))
    assert len(hit) >= 0.75 * len(pooled)


# --- the 24 h for results from the start -------------------------------------------


def test_the_document_dates_the_results_from_the_start(tmp_path: Path) -> None:
    from planner.export.document import _timeline
    from planner.text import tr

    class _Data:
        lang = "en"
        policy = Policy()
        files = dataclasses.make_dataclass(
            "F", [("staff_requirements", object), ("summary", dict)]
        )(None, {})

        def t(self, key: str, /, **values: object) -> str:
            return tr(key, "en", **values)

    class _Fig:
        finish = "13:30"

    blocks = _timeline(_Data(), _Fig())  # type: ignore[arg-type]
    rows = blocks[1].rows
    results = next(r for r in rows if r[1] == tr("tl_results", "en"))
    assert results[0] == "within 24 h of 08:00 (by 08:00 next day)"
    assert rows[-1] == results  # the last line of the day
