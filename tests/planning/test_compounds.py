"""Closed compounds (封闭管理) and area statuses 封控/管控/防范 (issue 30, compounds)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from planner.errors import InfeasibleError, InputError
from planner.io.load import load_scenario
from planner.model.edits import AreaEdit, Edits
from planner.model.modes import HOME_VISIT, WALK_UP
from planner.planning.plan import SolveParams
from planner.round.edits import (
    _area_findings,
    apply_edits,
    area_status,
    plan_with_edits,
    site_areas,
)
from planner.text import error_text


def said(exc: BaseException) -> str:
    """What the error says to a reader, in Chinese and in English (one per line)."""
    return error_text(exc, "zh") + "\n" + error_text(exc, "en")


def _square(lon: float, lat: float, d: float = 0.0015) -> list[list[float]]:
    return [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]


@pytest.fixture
def street(tiny_copy: Path) -> Path:
    """The tiny street with outlines: 锦绣花园 holds S1, 滨江小区 holds no site."""
    features = [
        {
            "type": "Feature",
            "properties": {"compound": name},
            "geometry": {"type": "Polygon", "coordinates": [_square(lon, lat)]},
        }
        for name, lon, lat in (
            ("锦绣花园", 114.3005, 30.5802),
            ("滨江小区", 114.3105, 30.5862),
        )
    ]
    (tiny_copy / "compounds.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}),
        encoding="utf-8",
    )
    return tiny_copy


def test_sites_stand_in_their_compound(street: Path) -> None:
    sc = load_scenario(street).scenario
    comp, _ = site_areas(sc)
    assert [sc.compounds[c] if c >= 0 else "" for c in comp] == [
        "桂园社区/锦绣花园",
        "",
    ]


def test_closed_management_keeps_residents_inside(
    street: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(street)
    policy = loaded.policy.with_values(**{"compounds.closed_management": True})
    sc = loaded.scenario
    status = area_status(sc, policy, Edits())
    # B1 and B2 (锦绣花园, with S1 inside) are 管控; the others are not closed
    assert status.tolist() == [2, 2, 0, 0]
    problem = apply_edits(sc, policy, Edits())
    assert problem.allowed[:2].tolist() == [[True, False], [True, False]]
    r = plan_with_edits(sc, policy, Edits(), deterministic_params, certify=False)
    plan = r.result.plan
    inside = np.isin(sc.households.building, [0, 1]) & (plan.hh_mode == WALK_UP)
    assert (plan.hh_site[inside] == 0).all() and inside.any()
    assert r.findings == ()


def test_a_plan_sending_a_closed_compound_out_is_a_finding(street: Path) -> None:
    loaded = load_scenario(street)
    policy = loaded.policy.with_values(**{"compounds.closed_management": True})
    sc = loaded.scenario
    hh_site = np.where(np.isin(sc.households.building, [0, 1]), 1, 0)
    found = _area_findings(sc, policy, Edits(), hh_site)
    n = int(np.isin(sc.households.building, [0, 1]).sum())
    people = int(sc.households.size[np.isin(sc.households.building, [0, 1])].sum())
    assert found == [
        (
            "edits_finding_area_outside",
            "桂园社区/锦绣花园",
            {"households": n, "people": people},
        )
    ]
    # a 防范 status exempts the compound from closed management
    free = Edits(areas=(AreaEdit("compound", "锦绣花园", "precaution"),))
    assert _area_findings(sc, policy, free, hh_site) == []


def test_sealed_compound_is_sampled_at_home(
    street: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(street)
    edits = Edits(areas=(AreaEdit("compound", "东湖苑", "sealed"),))
    r = plan_with_edits(
        loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
    )
    plan, sc = r.result.plan, loaded.scenario
    at_b3 = sc.households.building == 2
    assert (plan.hh_mode[at_b3] == HOME_VISIT).all()
    assert (plan.hh_tube_mode[at_b3] == "household").all()
    assert r.findings == ()


def test_controlled_compound_without_a_site_is_visited(
    street: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(street)
    edits = Edits(areas=(AreaEdit("compound", "滨江小区", "管控"),))
    r = plan_with_edits(
        loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
    )
    plan, sc = r.result.plan, loaded.scenario
    at_b4 = sc.households.building == 3
    assert (plan.hh_mode[at_b4] == HOME_VISIT).all()
    # visited, not sealed: pooled tubes as usual
    assert "household" not in set(plan.hh_tube_mode[at_b4].tolist())


def test_closed_compound_too_big_for_its_site_says_so(street: Path) -> None:
    loaded = load_scenario(street)
    sc = loaded.scenario
    small = dataclasses.replace(
        sc,
        sites=dataclasses.replace(sc.sites, max_desks=np.array([1, 1], dtype=np.int64)),
    )
    policy = loaded.policy.with_values(
        **{"compounds.closed_management": True, "round.window_hours": 0.5}
    )
    with pytest.raises(InfeasibleError) as info:
        apply_edits(small, policy, Edits())
    text = said(info.value)
    assert "锦绣花园 封闭管理" in text and "1 个采样台" in text
    assert "window of about" in text


def test_first_round_deadlines(street: Path) -> None:
    loaded = load_scenario(street)
    sc, policy = loaded.scenario, loaded.policy
    hh = np.zeros(len(sc.households), dtype=np.int64)
    sealed = AreaEdit("compound", "东湖苑", "sealed", "2026-12-11 10:00")
    ctrl = AreaEdit("compound", "滨江小区", "controlled", "2026-12-11 10:00")
    # window 08:00-14:00 on the 12th: 28 h after designation
    e = Edits(areas=(sealed, ctrl), date="2026-12-12")
    found = [f for f in _area_findings(sc, policy, e, hh) if f[0].endswith("deadline")]
    assert [(k, w) for k, w, _ in found] == [("edits_finding_deadline", "东湖苑")]
    assert found[0][2]["late"] == pytest.approx(4.0)
    # no date: the deadline cannot be checked, and the plan says so
    nodate = dataclasses.replace(e, date="")
    assert ("edits_finding_no_date", "", {"n": 2}) in _area_findings(
        sc, policy, nodate, hh
    )


def test_area_entries_are_checked(street: Path, tmp_path: Path) -> None:
    path = tmp_path / "edits.toml"
    path.write_text(
        '[[area]]\ncompound = "东湖苑"\nstatus = "封控"\nsince = "2026-12-11 10:00"\n\n'
        '[[area]]\ngrid = "G9"\nstatus = "lockdown"\nsince = "yesterday"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        Edits.from_toml(path)
    where = {(i.row, i.column) for i in info.value.issues}
    assert where == {(6, "area[2].status"), (6, "area[2].since")}
    path.write_text('[[area]]\ngrid = "G9"\nstatus = "管控"\n', encoding="utf-8")
    edits = Edits.from_toml(path)
    assert edits.areas == (AreaEdit("grid", "G9", "controlled"),)
    loaded = load_scenario(street)
    with pytest.raises(InputError) as unknown:
        apply_edits(loaded.scenario, loaded.policy, edits)
    assert [i.column for i in unknown.value.issues] == ["area[1].grid"]
