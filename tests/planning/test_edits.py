"""The office's hand edits (issue 31): each kind honoured, kept on a re-solve after an
unrelated change, and refused with numbers when it cannot hold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from planner.errors import InfeasibleError, InputError
from planner.generate import generate_street
from planner.io.load import load_scenario
from planner.io.writers import write_scenario_folder
from planner.model.edits import Edits, PinEdit, SiteEdit
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.edits import (
    EditedRound,
    building_site_of,
    plan_findings,
    plan_with_edits,
)
from planner.text import error_text, render_issues


def said(exc: BaseException) -> str:
    """What the error says to a reader, in Chinese and in English (one per line)."""
    return error_text(exc, "zh") + "\n" + error_text(exc, "en")


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """A 12,000-person generated street (11 sites, 12 grids)."""
    folder = tmp_path_factory.mktemp("edits") / "street"
    g = generate_street(12000, seed=5)
    write_scenario_folder(g.tables, g.meta, folder)
    return load_scenario(folder).scenario


@pytest.fixture(scope="module")
def base(street: Scenario, deterministic_params: SolveParams) -> EditedRound:
    return plan_with_edits(
        street, Policy(), Edits(), deterministic_params, certify=False
    )


def _solve(
    street: Scenario,
    params: SolveParams,
    edits: Edits,
    current: EditedRound | None,
) -> EditedRound:
    return plan_with_edits(
        street,
        Policy(),
        edits,
        params,
        current=None if current is None else current.result.plan,
        current_edits=None if current is None else current.result.edits,
        certify=False,
    )


def _unrelated(edits: Edits) -> Edits:
    """An edit that touches no site or building: the screening date."""
    return dataclasses.replace(edits, date="2026-12-12", version=edits.version + 1)


def _honours(street: Scenario, r: EditedRound) -> None:
    assert r.result.edits is not None
    assert plan_findings(street, r.result.edits, r.result.plan) == []


def _busiest_open(r: EditedRound, street: Scenario, k: int = 0) -> str:
    plan = r.result.plan
    order = np.argsort(-plan.site_people)
    opened = [
        j for j in order.tolist() if plan.site_open[j] and not street.sites.fixed[j]
    ]
    return str(street.sites.id[opened[k]])


def test_closed_site_honoured_and_kept(
    street: Scenario, base: EditedRound, deterministic_params: SolveParams
) -> None:
    sid = _busiest_open(base, street)
    edits = Edits(sites=(SiteEdit(sid, "closed", "market day"),))
    r = _solve(street, deterministic_params, edits, base)
    j = list(street.sites.id).index(sid)
    assert not r.result.plan.site_open[j]
    assert not (r.result.plan.hh_site == j).any()
    _honours(street, r)
    assert r.change is not None and sid in r.change.closed and r.change.moved
    again = _solve(street, deterministic_params, _unrelated(edits), r)
    assert not again.result.plan.site_open[j]
    _honours(street, again)
    assert again.change is not None and again.change.nothing  # nothing else moved


def test_forced_open_site_honoured_and_kept(
    street: Scenario,
    base: EditedRound,
    deterministic_params: SolveParams,
) -> None:
    shut = np.flatnonzero(~base.result.plan.site_open)
    sid = str(street.sites.id[shut[0]])
    edits = Edits(sites=(SiteEdit(sid, "open", "school"),))
    r = _solve(street, deterministic_params, edits, base)
    j = int(shut[0])
    assert r.result.plan.site_open[j]
    _honours(street, r)
    again = _solve(street, deterministic_params, _unrelated(edits), r)
    assert again.result.plan.site_open[j]
    _honours(street, again)


def test_desks_fixed_and_capped(
    street: Scenario, base: EditedRound, deterministic_params: SolveParams
) -> None:
    a, b = _busiest_open(base, street, 0), _busiest_open(base, street, 1)
    ja, jb = list(street.sites.id).index(a), list(street.sites.id).index(b)
    want = min(
        int(street.sites.max_desks[ja]), int(base.result.plan.site_desks[ja]) + 1
    )
    cap = max(1, int(base.result.plan.site_desks[jb]) - 1)
    edits = Edits(
        sites=(
            SiteEdit(a, desks=want, desks_mode="fixed"),
            SiteEdit(b, desks=cap, desks_mode="at_most"),
        )
    )
    r = _solve(street, deterministic_params, edits, base)
    assert r.result.plan.site_desks[ja] == want
    assert r.result.plan.site_desks[jb] <= cap
    _honours(street, r)
    again = _solve(street, deterministic_params, _unrelated(edits), r)
    assert again.result.plan.site_desks[ja] == want
    assert again.result.plan.site_desks[jb] <= cap


def _pin_target(street: Scenario, base: EditedRound) -> tuple[int, int]:
    """A building and another open site within its walk limit."""
    from planner.geo.walking import walk_arcs

    arcs = walk_arcs(street, Policy().walking)
    b_site = building_site_of(base.result.plan, street)
    for b, s in zip(arcs.building.tolist(), arcs.site.tolist(), strict=True):
        if b_site[b] >= 0 and b_site[b] != s and base.result.plan.site_open[s]:
            return b, s
    raise AssertionError("no building with a second site in reach")


def test_pinned_building_with_slot(
    street: Scenario, base: EditedRound, deterministic_params: SolveParams
) -> None:
    b, s = _pin_target(street, base)
    bid, sid = str(street.buildings.id[b]), str(street.sites.id[s])
    edits = Edits(pins=(PinEdit("building", bid, sid, "09:00"),))
    r = _solve(street, deterministic_params, edits, base)
    assert building_site_of(r.result.plan, street)[b] == s
    _honours(street, r)
    assert (
        r.change is not None
        and (
            bid,
            str(street.sites.id[building_site_of(base.result.plan, street)[b]]),
            sid,
        )
        in r.change.moved
    )
    again = _solve(street, deterministic_params, _unrelated(edits), r)
    assert building_site_of(again.result.plan, street)[b] == s
    _honours(street, again)


def _whole_pin(
    street: Scenario, base: EditedRound, kind: str, params: SolveParams
) -> tuple[PinEdit, EditedRound]:
    """Pin a grid or compound to another open site all its buildings reach.

    Candidates that break a rule (the site cannot take them) are refused with
    numbers; the first that holds is returned with its plan.
    """
    from planner.geo.walking import walk_arcs

    arcs = walk_arcs(street, Policy().walking)
    b_site = building_site_of(base.result.plan, street)
    of = street.buildings.grid if kind == "grid" else street.buildings.compound
    names = street.grid_ids if kind == "grid" else street.compounds
    plan = base.result.plan
    for k, name in enumerate(names):
        members = np.flatnonzero((of == k) & (b_site >= 0))
        for j in np.flatnonzero(plan.site_open).tolist():
            reach = set(arcs.building[arcs.site == j].tolist())
            if (
                len(members)
                and set(members.tolist()) <= reach
                and (b_site[members] != j).any()
            ):
                pin = PinEdit(kind, name, str(street.sites.id[j]))
                try:
                    return pin, _solve(street, params, Edits(pins=(pin,)), base)
                except InfeasibleError as exc:
                    assert "人次" in said(exc) and "desks" in said(exc)
    raise AssertionError(f"no {kind} to pin")


@pytest.mark.parametrize("kind", ["grid", "compound"])
def test_pinned_grid_and_compound(
    street: Scenario,
    base: EditedRound,
    kind: str,
    deterministic_params: SolveParams,
) -> None:
    pin, r = _whole_pin(street, base, kind, deterministic_params)
    _honours(street, r)
    assert r.change is not None and r.change.moved
    again = _solve(street, deterministic_params, _unrelated(Edits(pins=(pin,))), r)
    _honours(street, again)
    assert again.change is not None and again.change.nothing


def test_site_count_and_start(
    street: Scenario, base: EditedRound, deterministic_params: SolveParams
) -> None:
    n = int(base.result.plan.site_open.sum()) - 1
    edits = Edits(site_count=n, site_count_mode="exactly", window_start="07:00")
    r = _solve(street, deterministic_params, edits, base)
    plan = r.result.plan
    assert int(plan.site_open.sum()) == n
    assert plan.policy.round.window_start == "07:00"
    assert plan.slots.label(0)[0] == "07:00"
    _honours(street, r)
    again = _solve(street, deterministic_params, _unrelated(edits), r)
    assert int(again.result.plan.site_open.sum()) == n
    assert again.result.plan.policy.round.screening_date == "2026-12-12"
    assert again.result.plan.policy.round.window_start == "07:00"


def test_single_site_edit_moves_only_its_buildings(
    street: Scenario,
    base: EditedRound,
    deterministic_params: SolveParams,
) -> None:
    """Closing one site moves its buildings and no other (capacity allowing)."""
    sid = _busiest_open(base, street, 2)
    j = list(street.sites.id).index(sid)
    before = building_site_of(base.result.plan, street)
    r = _solve(
        street, deterministic_params, Edits(sites=(SiteEdit(sid, "closed"),)), base
    )
    after = building_site_of(r.result.plan, street)
    moved = np.flatnonzero((before >= 0) & (before != after))
    assert r.held
    assert set(moved.tolist()) == set(np.flatnonzero(before == j).tolist())


# ---- refused with numbers -------------------------------------------------------


def test_closing_the_only_site_in_reach(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    """B1 and B2 reach only S1: closing it leaves them without a site."""
    loaded = load_scenario(tiny_dir)
    edits = Edits(sites=(SiteEdit("S1", "closed"),))
    with pytest.raises(InfeasibleError) as info:
        plan_with_edits(
            loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
        )
    text = said(info.value)
    assert "关闭 S1 后，2 栋楼" in text and "15 分钟" in text
    assert "Closing S1 leaves 2 building(s)" in text


def test_pin_beyond_the_walk_limit(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(tiny_dir)
    edits = Edits(pins=(PinEdit("building", "B1", "S2"),))
    with pytest.raises(InfeasibleError) as info:
        plan_with_edits(
            loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
        )
    text = said(info.value)
    assert "B1" in text and "超出步行上限" in text and "上限 15 分钟" in text
    assert "against 15 min" in text


def test_pin_to_a_closed_site(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(tiny_dir)
    edits = Edits(
        sites=(SiteEdit("S2", "closed"),), pins=(PinEdit("building", "B4", "S2"),)
    )
    with pytest.raises(InfeasibleError) as info:
        plan_with_edits(
            loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
        )
    assert "S2" in said(info.value)


def test_pin_over_capacity(street: Scenario, deterministic_params: SolveParams) -> None:
    """A whole community's work pinned to one small site is refused with numbers."""
    s = street.sites
    j = int(np.argmin(s.max_desks))
    edits = Edits(sites=(SiteEdit(str(s.id[j]), desks=1, desks_mode="at_most"),))
    grids = sorted(
        street.grid_ids,
        key=lambda g: (
            -int(np.isin(street.buildings.grid, [street.grid_ids.index(g)]).sum())
        ),
    )
    pins = tuple(PinEdit("grid", g, str(s.id[j])) for g in grids[:3])
    with pytest.raises(InfeasibleError) as info:
        plan_with_edits(
            street,
            Policy(),
            dataclasses.replace(edits, pins=pins),
            deterministic_params,
            certify=False,
        )
    assert "采样台" in said(info.value) and "desks" in said(info.value)


def test_too_many_open_sites_for_n(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(tiny_dir)
    edits = Edits(
        sites=(SiteEdit("S1", "open"),), site_count=1, site_count_mode="exactly"
    )
    with pytest.raises(InfeasibleError) as info:
        plan_with_edits(
            loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
        )
    assert "已有 2 个必开采样点，超过限定的 1 个" in said(info.value)


def test_unknown_ids_and_desks_over_max(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(tiny_dir)
    edits = Edits(
        sites=(SiteEdit("S9", "closed"), SiteEdit("S1", desks=7)),
        pins=(PinEdit("compound", "无此小区", "S1"),),
    )
    with pytest.raises(InputError) as info:
        plan_with_edits(
            loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
        )
    lines = render_issues(info.value.issues, lang="en")
    text = "\n".join(lines)
    assert "site[1].id" in text and "no site 'S9'" in text
    assert "site[2].desks" in text and "holds at most 2 desks, not 7" in text
    assert "pin[1].compound" in text


def test_file_problems_name_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "edits.toml"
    path.write_text(
        'version = 1\n\n[round]\nwindow_start = "25:00"\n\n[[site]]\nid = "S1"\n'
        'state = "shut"\n\n[[pin]]\nbuilding = "B1"\ngrid = "G1"\nsite = "S1"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        Edits.from_toml(path)
    where = {(i.row, i.column) for i in info.value.issues}
    assert (3, "round.window_start") in where
    assert (6, "site[1].state") in where
    assert (10, "pin[1]") in where
    text = "\n".join(render_issues(info.value.issues, lang="en"))
    assert "edits.toml" in text and "'shut'" in text


def test_file_round_trip(tmp_path: Path) -> None:
    edits = Edits(
        version=4,
        sites=(SiteEdit("S1", "closed", '广场 "已订"'), SiteEdit("S2", desks=3)),
        pins=(PinEdit("compound", "锦绣花园", "S2", "09:00"),),
        site_count=30,
        site_count_mode="exactly",
        date="2026-12-12",
        window_start="07:00",
    )
    path = tmp_path / "edits.toml"
    path.write_text(edits.to_toml(), encoding="utf-8")
    assert Edits.from_toml(path) == edits


# ---- CLI and check -----------------------------------------------------------


def test_cli_reads_edits_beside_the_scenario_and_check_holds_the_plan_to_them(
    tiny_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from planner.cli import main

    (tiny_copy / "edits.toml").write_text(
        'version = 3\n\n[round]\ndate = "2026-12-12"\nwindow_start = "07:30"\n\n'
        '[[site]]\nid = "S1"\ndesks = 1\ndesks_mode = "fixed"\nreason = "场地小"\n',
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    base = ["--lang", "en"]
    args = [
        "plan",
        str(tiny_copy),
        "--out",
        str(out),
        "--no-export",
        "--certify",
        "off",
    ]
    assert main([*base, *args]) == 0
    printed = capsys.readouterr().out
    assert "Leading group's edits (version 3, 3):" in printed
    assert "site S1: 1 desks (场地小)" in printed
    summary = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert summary["edits"]["version"] == 3
    assert summary["policy"]["round"]["window_start"] == "07:30"
    assert summary["policy"]["round"]["screening_date"] == "2026-12-12"
    check = ["check", str(tiny_copy), str(out), "--codes"]  # the codes, for tests
    main([*base, *check])
    assert "hand_edit" not in capsys.readouterr().out
    # the plan ignores an edit: the office had closed S1 (its people have nowhere
    # else to go, but the check judges the plan against the record)
    summary["edits"]["site"] = [{"id": "S1", "state": "closed"}]
    (out / "plan.json").write_text(json.dumps(summary), encoding="utf-8")
    assert main([*base, *check]) == 1
    text = capsys.readouterr().out
    assert "[hand_edit] S1: closed by the leading group, but the plan opens it" in text
    # a bad edits file is a clear error with line and key, exit 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[[pin]]\nbuilding = "B1"\nsite = "S7"\n', encoding="utf-8")
    assert main([*base, *args, "--force", "--edits", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "pin[1].site" in err and "no site 'S7'" in err


def test_the_plan_document_lists_the_decisions(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    from planner.export import prepare
    from planner.export.document import plan_blocks
    from planner.round.run import round_tables

    loaded = load_scenario(tiny_dir)
    edits = Edits(
        version=2,
        sites=(SiteEdit("S1", "open", "学校操场"),),
        date="2026-12-12",
        window_start="07:00",
    )
    r = plan_with_edits(
        loaded.scenario, loaded.policy, edits, deterministic_params, certify=False
    )
    tables = round_tables(r.result, loaded.scenario)
    texts = {
        lang: [
            x
            for b in plan_blocks(
                prepare(loaded.scenario, tables, lang=lang, unmasked=False), None, 0
            )
            for x in b.texts()
        ]
        for lang in ("zh", "en")
    }
    assert "领导小组调整" in texts["zh"]
    assert "开放采样点 S1（学校操场）" in texts["zh"]
    assert "采样日期 2026-12-12" in texts["zh"] and "采样开始 07:00" in texts["zh"]
    assert "open site S1 (学校操场)" in texts["en"]
    # a plan without edits has no such block
    plain = plan_with_edits(
        loaded.scenario, loaded.policy, Edits(), deterministic_params, certify=False
    )
    data = prepare(
        loaded.scenario,
        round_tables(plain.result, loaded.scenario),
        lang="zh",
        unmasked=False,
    )
    assert "领导小组调整" not in [
        x for b in plan_blocks(data, None, 0) for x in b.texts()
    ]


def test_a_closed_fixed_site_is_no_finding(
    street: Scenario, base: EditedRound, deterministic_params: SolveParams
) -> None:
    """The office may close a 固定点: check holds the plan to the edit, not the register."""
    from planner.round.run import round_tables
    from planner.rules.plan import check_findings

    fixed = np.flatnonzero(street.sites.fixed)
    sid = str(street.sites.id[fixed[0]])
    try:
        r = _solve(
            street,
            deterministic_params,
            Edits(sites=(SiteEdit(sid, "closed", "维修"),)),
            base,
        )
    except InfeasibleError as exc:  # its people may have nowhere else to go
        assert "关闭" in said(exc)
        return
    tables = round_tables(r.result, street)
    rules = {v.rule for v in check_findings(street, tables.policy, tables)}
    assert "fixed_site" not in rules and "hand_edit" not in rules
