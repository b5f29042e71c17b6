"""Certification: the plan's own drill, the street office's levers, honest failure."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import Policy, load_scenario
from planner.generate import generate_street
from planner.io.writers import write_scenario_folder
from planner.model.modes import HOME_VISIT, WALK_UP
from planner.model.scenario import Scenario
from planner.planning.norms import explain_norms
from planner.planning.plan import SolveParams, make_plan
from planner.planning.staffing import staff_requirements
from planner.round.certify import certify_plan, drill_plan, meets
from planner.round.run import round_summary, run_round


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """A 1,500-person street with a sealed building and homebound residents."""
    folder = tmp_path_factory.mktemp("certify") / "street"
    g = generate_street(1500, seed=3, sealed_buildings=1)
    write_scenario_folder(g.tables, g.meta, folder)
    return load_scenario(folder).scenario


def quick(**values: object) -> Policy:
    return Policy().with_values(**{"certify.replications": 20, **values})


def test_certified_round_reports_the_four_chances_seeded(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    """plan.json carries P(finish), P(queue over), P(teams), P(transport) and reps."""
    a = run_round(street, quick(), deterministic_params)
    b = run_round(street, quick(), deterministic_params)
    assert a.certification is not None and b.certification is not None
    fa, fb = a.certification.to_dict(), b.certification.to_dict()
    fa.pop("wall_time_s"), fb.pop("wall_time_s")
    assert fa == fb  # same inputs and seed, same certification
    c = round_summary(a, street)["certification"]
    for key in ("p_finish", "p_queue_over", "p_teams", "p_transport"):
        assert 0.0 <= c[key] <= 1.0
    assert c["replications"] == 20 and c["met"] == meets(c, a.plan.policy)
    # robustness is costed against the same sites without the day's allowances
    assert c["cost"]["certified"]["teams"] >= c["cost"]["without_allowances"]["teams"]


def _more_samplers(scenario: Scenario, extra: int) -> Scenario:
    """The street with `extra` more samplers (copies of its first), ids X000, …."""
    import dataclasses

    from planner.model.scenario import Staff

    st = scenario.staff
    one = int(np.flatnonzero(st.role == "sampler")[0])
    cols = {
        f.name: np.concatenate(
            [getattr(st, f.name), np.repeat(getattr(st, f.name)[one : one + 1], extra)]
        )
        for f in dataclasses.fields(Staff)
    }
    cols["id"][-extra:] = [f"X{n:03d}" for n in range(extra)]
    return dataclasses.replace(scenario, staff=Staff(**cols))


def test_levers_bring_late_teams_in(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    """Routes with no reserve and unsteady visits fail; the reserve lever fixes them.

    The street's own 11 samplers cannot staff a day of more teams (the drill plays
    the roster), so it gets enough samplers for the lever to be the question.
    """
    street = _more_samplers(street, 20)
    policy = quick(**{"home_visit.reserve_min": 0.0, "drill.home_service_cv": 0.5})
    first = make_plan(street, policy, deterministic_params)
    plan, cert = certify_plan(street, policy, deterministic_params, first)
    assert cert.attempts[0].figures["p_teams"] < policy.certify.p_teams_min
    assert cert.met and len(cert.attempts) > 1
    assert any(
        "reserve" in lv[1] or "free at the end" in lv[1]
        for lv in cert.attempts[1].levers
    )
    assert len(plan.teams) > len(first.teams)
    assert plan.policy.home_visit.reserve_min > 0
    # every household still in exactly one mode, the sites kept
    assert (plan.hh_mode == first.hh_mode).all()
    np.testing.assert_array_equal(plan.hh_site, first.hh_site)
    visited = [h for t in plan.teams for h in t.households]
    assert len(visited) == len(set(visited)) == int((plan.hh_mode == HOME_VISIT).sum())


def test_unreachable_targets_are_said_in_numbers(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    """With one attempt allowed and an impossible target the plan says what is missing."""
    policy = quick(
        **{
            "home_visit.reserve_min": 0.0,
            "drill.home_service_cv": 0.8,
            "certify.max_attempts": 1,
        }
    )
    _plan, cert = certify_plan(
        street,
        policy,
        deterministic_params,
        make_plan(street, policy, deterministic_params),
    )
    assert not cert.met and cert.unreachable
    zh, en = cert.unreachable[0]
    assert re.search(r"\d+ more teams", en) and "上门组" in zh
    assert f"{cert.figures['p_teams']:.0%}" in en  # said as a percentage


def test_certify_off_skips_the_drill(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    result = run_round(street, quick(), deterministic_params, certify=False)
    assert result.certification is None
    assert round_summary(result, street)["certification"] is None


def test_sealed_and_ordinary_households_never_share_a_route(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    plan = make_plan(street, quick(), deterministic_params)
    sealed = street.households.sealed
    assert sealed.any() and (plan.hh_mode[~sealed] == 1).any()
    for team in plan.teams:
        kinds = {bool(sealed[h]) for h in team.households}
        assert len(kinds) == 1, team.team_id
        assert team.team_id.split("-")[1][0] == ("F" if kinds == {True} else "T")


def test_routes_use_the_full_ppe_change_and_keep_the_reserve(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    """A visit is swab + full PPE change + gloves per person + the delay allowance."""
    policy = quick()
    plan = make_plan(street, policy, deterministic_params)
    h = street.households
    per = policy.home_visit.service_minutes(h.size) + policy.drill.home_delay_mean_min
    assert per.min() >= 10 + 15 + 3
    end = policy.round.end_min - policy.home_visit.reserve_min
    for team in plan.teams:
        last = team.households[-1]
        assert team.arrive_min[-1] + per[last] <= end + 1


def test_norms_are_explained_with_numbers(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    plan = make_plan(street, quick(**{"round.window_hours": 5.0}), deterministic_params)
    norms = {n.key: n for n in explain_norms(plan, staff_requirements(plan, street))}
    assert set(norms) == {
        "samplers",
        "people_per_desk",
        "people_per_site",
        "people_per_sampler_day",
    }
    walk = int(plan.hh_people[plan.hh_mode == WALK_UP].sum())
    assert norms["people_per_desk"].value == pytest.approx(
        walk / plan.site_desks.sum(), abs=0.1
    )
    assert (norms["people_per_desk"].low, norms["people_per_desk"].high) == (600, 800)
    reasons = " ".join(r[1] for r in norms["samplers"].reasons)
    assert "this round is 5 h" in reasons
    for n in norms.values():
        if not n.within:
            assert n.reasons and all(re.search(r"\d", r[0]) for r in n.reasons)


def test_drill_of_the_certified_plan_agrees(
    street: Scenario, deterministic_params: SolveParams
) -> None:
    """A separate, longer drill of the kept plan agrees within sampling error."""
    result = run_round(street, quick(), deterministic_params)
    assert result.certification is not None
    p = result.certification.figures["p_finish"]
    longer = drill_plan(
        street, result.plan, result.plan.policy, replications=100, seed=7
    )
    q = float(longer.street["p_finish_in_window"])
    se = np.sqrt(max(p * (1 - p), 0.05) / 20 + max(q * (1 - q), 0.05) / 100)
    assert abs(p - q) <= 3 * se


def test_reusable_equipment_is_counted_not_burned() -> None:
    from planner.model.scenario import Inventory
    from planner.planning.consumables import stock_status

    def _inventory(rows: list[tuple[str, str, float, str, str | None]]) -> Inventory:
        return Inventory(
            item=np.array([r[0] for r in rows], dtype=object),
            holder=np.array([r[1] for r in rows], dtype=object),
            on_hand=np.array([r[2] for r in rows], dtype=float),
            unit=np.array([r[3] for r in rows], dtype=object),
            date=np.array([r[4] or "NaT" for r in rows], dtype="datetime64[D]"),
        )

    policy = Policy()
    per_round = pd.DataFrame(
        {
            "site_id": ["S1", "S2", "S1"],
            "item": ["转运箱", "转运箱", "采样拭子"],
            "unit": ["个", "个", "支"],
            "holder": ["street", "street", "health_center"],
            "kind": ["reusable", "reusable", "consumable"],
            "quantity": [1, 1, 100],
        }
    )
    inv = _inventory(
        [
            ("转运箱", "street", 1, "个", None),
            ("采样拭子", "health_center", 5000, "支", "2026-11-20"),
            ("采样拭子", "health_center", 4800, "支", "2026-11-21"),
        ]
    )
    status = stock_status(per_round, inv, policy).set_index("item")
    box, swab = status.loc["转运箱"], status.loc["采样拭子"]
    assert box["kind"] == "reusable" and box["required_stock"] == 2
    assert box["full_load_daily"] == 0 and box["shortfall"] == 1
    assert swab["full_load_rounds"] == 4  # swabs: 4 full rounds (2022-11 实施办法)
    assert swab["days_of_supply"] == 48.0  # 4,800 ÷ 100 at full load
    assert swab["days_at_burn_rate"] == 24.0  # 4,800 ÷ 200 measured per day


def test_site_leads_are_never_volunteers(
    tmp_path: Path, tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    """With only volunteers free, the site lead post stays open rather than misfilled."""
    import shutil

    from planner.planning.roster import build_roster

    folder = tmp_path / "tiny"
    shutil.copytree(tiny_dir, folder)
    staff = pd.read_csv(folder / "staff.csv", dtype=str)
    staff.loc[staff["role"] == "support", "organisation"] = "青禾志愿者协会"
    staff.to_csv(folder / "staff.csv", index=False)
    s = load_scenario(folder).scenario
    plan = make_plan(s, Policy(), deterministic_params)
    req = staff_requirements(plan, s)
    roster = build_roster(req, s, Policy())
    assert "site_lead" not in set(roster.assignments["role"])
    assert "site_lead" in set(roster.shortfall["role"])
