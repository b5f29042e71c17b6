"""Every rule code of `planner check` fires when a good plan is broken in exactly that way.

One round of a small generated street (sealed buildings, door-to-door teams, two
shifts, a roster, stock, a vehicle schedule, a certification) passes every rule; each
case below breaks one thing in its tables (or policy) and checks that its code, and
only the codes that necessarily follow, appear.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from planner import Policy, load_scenario
from planner.generate import generate_street
from planner.geo.walking import walk_arcs
from planner.io.writers import write_scenario_folder
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.run import round_tables, run_round
from planner.rules.plan import check_findings, check_plan


@dataclasses.dataclass(frozen=True)
class Good:
    scenario: Scenario
    policy: Policy
    tables: PlanTables
    codes: frozenset[str]


@pytest.fixture(scope="module")
def good(
    tmp_path_factory: pytest.TempPathFactory, deterministic_params: SolveParams
) -> Good:
    """A certified round of a 6,000-person street, as the tables `planner plan` writes."""
    tmp = tmp_path_factory.mktemp("findings")
    street = generate_street(6000, seed=11, sealed_buildings=1)
    write_scenario_folder(street.tables, street.meta, tmp / "street")
    scenario = load_scenario(tmp / "street").scenario
    policy = Policy().with_values(**{"certify.replications": 10})
    result = run_round(scenario, policy, deterministic_params)
    tables = round_tables(result, scenario)
    findings = check_findings(scenario, tables.policy, tables)
    return Good(scenario, tables.policy, tables, frozenset(v.rule for v in findings))


def test_good_plan_breaks_no_rule(good: Good) -> None:
    assert check_plan(good.scenario, good.policy, good.tables) == []
    assert "certify_target" not in good.codes  # it is certified


def _walkup(t: PlanTables) -> pd.DataFrame:
    return t.assignments[t.assignments["mode"] == "walk_up"]


def _set(frame: pd.DataFrame, row: Any, column: str, value: Any) -> pd.DataFrame:
    out = frame.copy()
    out.loc[row, column] = value
    return out


def _with(t: PlanTables, **frames: Any) -> PlanTables:
    return dataclasses.replace(t, **frames)


def _summary(t: PlanTables, **changes: Any) -> PlanTables:
    return dataclasses.replace(t, summary={**t.summary, **changes})


# --- how each case breaks the plan -------------------------------------------------


def ignores_an_edit(g: Good) -> PlanTables:
    """The plan records the office's decision to close its busiest site, yet opens it."""
    edits = {"version": 1, "site": [{"id": _busy_site(g), "state": "closed"}]}
    return _summary(g.tables, edits=edits)


def drop_household(g: Good) -> PlanTables:
    return _with(g.tables, assignments=g.tables.assignments.iloc[1:])


def unassigned_without_reason(g: Good) -> PlanTables:
    a = g.tables.assignments
    row = _walkup(g.tables).index[0]
    return _with(g.tables, assignments=_set(a, row, "mode", "unassigned"))


def _reach(g: Good, building: str) -> set[str]:
    s = g.scenario
    b = int(np.flatnonzero(s.buildings.id == building)[0])
    arcs = walk_arcs(s, g.policy.walking)
    return {str(s.sites.id[j]) for j in arcs.site[arcs.building == b].tolist()}


def _open_ids(g: Good) -> set[str]:
    return set(g.tables.sites.loc[g.tables.sites["open"], "site_id"].astype(str))


def site_out_of_reach(g: Good) -> Policy:
    # the street is compact (every open site within 15 min of every building): hold
    # the same walks against a 2-minute limit instead
    return g.policy.with_values(**{"walking.walk_limit_min": 2.0})


def split_building(g: Good) -> PlanTables:
    a = g.tables.assignments
    w = _walkup(g.tables)
    counts = w.groupby("building_id").size()
    for building in counts[counts > 1].index.astype(str):
        here = str(w.loc[w["building_id"] == building, "site_id"].iloc[0])
        other = sorted((_open_ids(g) & _reach(g, building)) - {here})
        if other:
            row = w.index[w["building_id"] == building][0]
            return _with(g.tables, assignments=_set(a, row, "site_id", other[0]))
    raise AssertionError("no building has a second open site in reach")


def _busy_site(g: Good) -> str:
    return str(_walkup(g.tables)["site_id"].value_counts().index[0])


def close_busy_site(g: Good) -> PlanTables:
    sites = g.tables.sites
    fixed = set(g.scenario.sites.id[g.scenario.sites.fixed].tolist())
    counts = _walkup(g.tables)["site_id"].value_counts()
    sid = next(str(x) for x in counts.index if x not in fixed)
    row = sites.index[sites["site_id"] == sid][0]
    return _with(g.tables, sites=_set(sites, row, "open", False))


def too_many_desks(g: Good) -> PlanTables:
    sites = g.tables.sites
    sid = _busy_site(g)
    j = int(np.flatnonzero(g.scenario.sites.id == sid)[0])
    row = sites.index[sites["site_id"] == sid][0]
    return _with(
        g.tables,
        sites=_set(sites, row, "desks", int(g.scenario.sites.max_desks[j]) + 1),
    )


def huge_household(g: Good) -> PlanTables:
    a = g.tables.assignments
    return _with(
        g.tables, assignments=_set(a, _walkup(g.tables).index[0], "people", 5000)
    )


def one_desk(g: Good) -> PlanTables:
    sites = g.tables.sites
    row = sites.index[sites["site_id"] == _busy_site(g)][0]
    return _with(g.tables, sites=_set(sites, row, "desks", 1))


def close_fixed_site(g: Good) -> PlanTables:
    sites = g.tables.sites
    fixed = sites["site_id"].isin(g.scenario.sites.id[g.scenario.sites.fixed])
    row = sites.index[fixed][0]
    return _with(g.tables, sites=_set(sites, row, "open", False))


def slot_outside_window(g: Good) -> PlanTables:
    a = g.tables.assignments
    return _with(
        g.tables, assignments=_set(a, _walkup(g.tables).index[0], "slot_start", "03:00")
    )


def slot_in_closing_buffer(g: Good) -> PlanTables:
    a = g.tables.assignments
    last = g.policy.round.end_min - g.policy.round.slot_minutes
    text = f"{last // 60:02d}:{last % 60:02d}"
    return _with(
        g.tables, assignments=_set(a, _walkup(g.tables).index[0], "slot_start", text)
    )


def everyone_in_one_slot(g: Good) -> PlanTables:
    a = g.tables.assignments
    rows = _walkup(g.tables).index[_walkup(g.tables)["site_id"] == _busy_site(g)]
    return _with(g.tables, assignments=_set(a, rows, "slot_start", "08:00"))


def bad_pooling(g: Good) -> Policy:
    return g.policy.with_values(**{"pooling.key_group_pool_size": 5})


def wrong_tube(g: Good) -> PlanTables:
    a = g.tables.assignments
    row = _walkup(g.tables).index[_walkup(g.tables)["tube_mode"] == "pooled"][0]
    return _with(g.tables, assignments=_set(a, row, "tube_mode", "single"))


def visit_without_team(g: Good) -> PlanTables:
    return _with(g.tables, home_visits=g.tables.home_visits.iloc[1:])


def visit_after_window(g: Good) -> PlanTables:
    hv = g.tables.home_visits
    team = hv["team_id"].iloc[0]
    last = hv.index[hv["team_id"] == team][-1]
    return _with(g.tables, home_visits=_set(hv, last, "arrive", "23:00"))


def visits_out_of_order(g: Good) -> PlanTables:
    hv = g.tables.home_visits.copy()
    counts = hv["team_id"].value_counts()
    team = counts[counts > 1].index[0]
    rows = hv.index[hv["team_id"] == team][:2]
    hv.loc[rows, "arrive"] = hv.loc[rows[::-1], "arrive"].to_numpy()
    return _with(g.tables, home_visits=hv)


def mixed_route(g: Good) -> PlanTables:
    hv = g.tables.home_visits
    sealed = set(g.scenario.households.id[g.scenario.households.sealed].tolist())
    is_sealed = hv["household_id"].isin(sealed)
    ordinary_team = hv.loc[~is_sealed, "team_id"].iloc[0]
    return _with(
        g.tables, home_visits=_set(hv, hv.index[is_sealed][0], "team_id", ordinary_team)
    )


def all_desks_one(g: Good) -> PlanTables:
    sites = g.tables.sites.copy()
    sites.loc[sites["open"], "desks"] = 1
    return _with(g.tables, sites=sites)


def _req_row(g: Good, role: str) -> int:
    req = g.tables.staff_requirements
    assert req is not None
    return int(req.index[req["role"] == role][0])


def drop_sampler_post(g: Good) -> PlanTables:
    req = g.tables.staff_requirements
    assert req is not None
    return _with(g.tables, staff_requirements=req.drop(index=_req_row(g, "sampler")))


def fewer_support(g: Good) -> PlanTables:
    req = g.tables.staff_requirements
    assert req is not None
    row = _req_row(g, "sampler")
    site, shift = req.loc[row, "site_id"], req.loc[row, "shift"]
    support = req.index[
        (req["site_id"] == site) & (req["shift"] == shift) & (req["role"] == "reserve")
    ]
    return _with(g.tables, staff_requirements=req.drop(index=support))


def drop_site_lead_post(g: Good) -> PlanTables:
    req = g.tables.staff_requirements
    assert req is not None
    return _with(g.tables, staff_requirements=req.drop(index=_req_row(g, "site_lead")))


def _staff(g: Good) -> pd.DataFrame:
    assert g.tables.staff is not None
    return g.tables.staff


def unknown_person(g: Good) -> PlanTables:
    return _with(g.tables, staff=_set(_staff(g), 0, "staff_id", "NOBODY"))


def support_as_sampler(g: Good) -> PlanTables:
    st = _staff(g)
    support = str(g.scenario.staff.id[g.scenario.staff.role == "support"][0])
    row = st.index[st["role"] == "sampler"][0]
    return _with(g.tables, staff=_set(st, row, "staff_id", support))


def unknown_shift(g: Good) -> PlanTables:
    return _with(g.tables, staff=_set(_staff(g), 0, "shift", 99))


def outside_availability(g: Good) -> Scenario:
    st = g.scenario.staff
    late = np.full(len(st.id), 13 * 60, dtype=st.available_from_min.dtype)
    return dataclasses.replace(
        g.scenario, staff=dataclasses.replace(st, available_from_min=late)
    )


def two_places(g: Good) -> PlanTables:
    st = _staff(g)
    row = st.iloc[[0]].copy()
    other = st.loc[st["site_id"] != row["site_id"].iloc[0], "site_id"].iloc[0]
    row["site_id"] = other
    return _with(g.tables, staff=pd.concat([st, row], ignore_index=True))


def back_to_back(g: Good) -> Policy:
    """The roster rests samplers an hour between shifts; a policy asking for 2 h."""
    return g.policy.with_values(**{"staff.min_rest_hours": 2.0})


def _sampler_on(g: Good, periods: list[int]) -> PlanTables:
    """The first sampler's day replaced by `periods` at the same site."""
    st = _staff(g)
    sid = st.loc[st["role"] == "sampler", "staff_id"].iloc[0]
    mine = st[st["staff_id"] == sid]
    grid = st[["shift", "shift_start", "shift_end"]].drop_duplicates("shift")
    rows = []
    for k in periods:
        row = mine.iloc[0].copy()
        at = grid[grid["shift"] == k].iloc[0]
        row["shift"], row["shift_start"], row["shift_end"] = (
            k,
            at["shift_start"],
            at["shift_end"],
        )
        rows.append(row)
    staff = pd.concat(
        [st[st["staff_id"] != sid], pd.DataFrame(rows)], ignore_index=True
    )
    return _with(g.tables, staff=staff)


def three_shifts(g: Good) -> PlanTables:
    return _sampler_on(g, [0, 2, 4])


def long_day(g: Good) -> Policy:
    return g.policy.with_values(**{"staff.max_hours_per_day": 2.0})


def drop_rostered(g: Good) -> PlanTables:
    return _with(g.tables, staff=_staff(g).iloc[1:])


def short_shifts(g: Good) -> Policy:
    return g.policy.with_values(**{"staff.shift_hours": 0.25})


def volunteer_lead(g: Good) -> PlanTables:
    st = _staff(g)
    row = st.index[st["role"] == "site_lead"][0]
    return _with(g.tables, staff=_set(st, row, "organisation", "青年志愿者协会"))


def _transport(g: Good) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = g.tables.summary["transport"]
    return out


def no_pickup(g: Good) -> PlanTables:
    vans = _transport(g)
    site = vans[0]["sites"][0]
    changed = [
        {
            **v,
            "rounds": [
                {**r, "stops": [x for x in r["stops"] if x.get("site_id") != site]}
                for r in v["rounds"]
            ],
        }
        for v in vans
    ]
    return _summary(g.tables, transport=changed)


def late_lab(g: Good) -> PlanTables:
    vans = [dict(v) for v in _transport(g)]
    vans[0] = {**vans[0], "rounds": [{**vans[0]["rounds"][0], "lab": "23:30"}]}
    vans[0]["rounds"] += _transport(g)[0]["rounds"][1:]
    return _summary(g.tables, transport=vans)


def no_schedule(g: Good) -> PlanTables:
    summary = {k: v for k, v in g.tables.summary.items() if k != "transport"}
    return dataclasses.replace(g.tables, summary=summary)


def _a_team(g: Good) -> str:
    return str(g.tables.home_visits["team_id"].iloc[0])


def team_never_collected(g: Good) -> PlanTables:
    """The team's hand-overs taken out of every round, as depot S039's teams were."""
    team = _a_team(g)

    def without(stop: dict[str, Any]) -> dict[str, Any]:
        kept = [h for h in stop.get("teams", []) if h["team_id"] != team]
        return {**stop, "teams": kept} if "site_id" in stop else stop

    vans = [
        {
            **v,
            "rounds": [
                {
                    **r,
                    "stops": [
                        without(x) for x in r["stops"] if x.get("team_id") != team
                    ],
                }
                for r in v["rounds"]
            ],
        }
        for v in _transport(g)
    ]
    return _summary(g.tables, transport=vans)


def last_call_dropped(g: Good) -> PlanTables:
    """A site's last pick-up taken out: its last tubes are left on the table."""
    vans = [dict(v) for v in _transport(g)]
    site = vans[0]["sites"][0]
    last = max(
        q
        for q, r in enumerate(vans[0]["rounds"])
        if any(x.get("site_id") == site for x in r["stops"])
    )
    rounds = [dict(r) for r in vans[0]["rounds"]]
    rounds[last] = {
        **rounds[last],
        "stops": [x for x in rounds[last]["stops"] if x.get("site_id") != site],
    }
    vans[0] = {**vans[0], "rounds": rounds}
    return _summary(g.tables, transport=vans)


def lab_too_soon(g: Good) -> PlanTables:
    """A round at the lab the minute of its last stop (the drive written away)."""
    vans = [dict(v) for v in _transport(g)]
    rounds = [dict(r) for r in vans[0]["rounds"]]
    rounds[0] = {**rounds[0], "lab": rounds[0]["stops"][-1]["at"]}
    vans[0] = {**vans[0], "rounds": rounds}
    return _summary(g.tables, transport=vans)


def unknown_lab(g: Good) -> PlanTables:
    vans = [dict(v) for v in _transport(g)]
    rounds = [dict(r) for r in vans[0]["rounds"]]
    rounds[0] = {**rounds[0], "lab_name": "不存在的实验室"}
    vans[0] = {**vans[0], "rounds": rounds}
    return _summary(g.tables, transport=vans)


def one_van(g: Good) -> PlanTables:
    return _summary(g.tables, transport=[{**v, "van_id": "V01"} for v in _transport(g)])


def one_vehicle(g: Good) -> PlanTables:
    """Every round of the first route given to its first vehicle: it would leave
    for the next round before it is back from the lab."""
    vans = [dict(v) for v in _transport(g)]
    vans[0] = {
        **vans[0],
        "vehicles": 1,
        "rounds": [{**r, "vehicle": 1} for r in vans[0]["rounds"]],
    }
    return _summary(g.tables, transport=vans)


def tubes_kept_long(g: Good) -> Policy:
    return g.policy.with_values(**{"transport.tube_to_lab_max_h": 0.5})


def slow_lab(g: Good) -> Policy:
    return g.policy.with_values(**{"transport.lab_tubes_per_h": 20.0})


def _shortfall(*posts: tuple[str, str, int]) -> pd.DataFrame:
    """The staff_shortfall table of posts (role, its Chinese name, missing) at S001."""
    return pd.DataFrame(
        [("S001", 0, "08:00", "11:00", *post) for post in posts],
        columns=[
            "site_id",
            "shift",
            "shift_start",
            "shift_end",
            "role",
            "role_zh",
            "missing",
        ],
    )


def shortfall_sampler(g: Good) -> PlanTables:
    return _with(g.tables, staff_shortfall=_shortfall(("sampler", "采样人员", 2)))


def shortfall_support(g: Good) -> PlanTables:
    return _with(g.tables, staff_shortfall=_shortfall(("guide", "引导", 3)))


def stock_short(g: Good) -> PlanTables:
    sup = g.tables.supplies
    assert sup is not None
    return _with(g.tables, supplies=_set(sup, 0, "shortfall", 10))


def empty_open_site(g: Good) -> PlanTables:
    sites = g.tables.sites
    row = sites.index[~sites["open"]][0]
    out = _set(sites, row, "open", True)
    return _with(g.tables, sites=_set(out, row, "desks", 1))


def _cert(g: Good, **changes: Any) -> PlanTables:
    return _summary(
        g.tables, certification={**g.tables.summary["certification"], **changes}
    )


def target_missed(g: Good) -> PlanTables:
    return _cert(g, p_finish=0.5)


def not_certified(g: Good) -> PlanTables:
    return _summary(g.tables, certification=None)


def transport_at_risk(g: Good) -> PlanTables:
    return _cert(g, p_transport=0.5)


def norm_deviates(g: Good) -> PlanTables:
    norms = [dict(n) for n in g.tables.summary["norms"]]
    norms[1] = {**norms[1], "within": False}
    return _summary(g.tables, norms=norms)


def loosened_walk(g: Good) -> Policy:
    return g.policy.with_values(**{"walking.walk_limit_min": 60.0})


def altered_required_stock(g: Good) -> PlanTables:
    sup = g.tables.supplies
    assert sup is not None
    return _with(g.tables, supplies=_set(sup, 0, "required_stock", 1))


Breaker = Callable[[Good], Any]
PLACEMENT = frozenset({"slot_capacity", "queue_wait", "site_people", "desk_people"})
STAFF = frozenset({"roster_cover", "support_ratio", "shift_samplers"})
CASES: list[tuple[str, Breaker, frozenset[str]]] = [
    ("household_once", drop_household, frozenset()),
    ("unassigned_reason", unassigned_without_reason, frozenset({"samplers"})),
    ("walk_limit", site_out_of_reach, PLACEMENT | {"site_empty"}),
    ("building_one_site", split_building, PLACEMENT),
    ("site_open", close_busy_site, frozenset({"site_empty"})),
    ("site_desks", too_many_desks, STAFF),
    ("site_people", huge_household, PLACEMENT | {"samplers"}),
    ("desk_people", one_desk, PLACEMENT | {"samplers"}),
    ("fixed_site", close_fixed_site, frozenset({"site_open"})),
    ("slot_window", slot_outside_window, PLACEMENT | {"tube_to_lab"}),
    (
        "slot_hours",
        slot_in_closing_buffer,
        # the last hour gets a booking its roster period has no staff for
        PLACEMENT | {"pickup_interval", "shift_samplers", "site_roles"},
    ),
    ("slot_capacity", everyone_in_one_slot, PLACEMENT | {"pickup_interval"}),
    ("queue_wait", everyone_in_one_slot, PLACEMENT | {"pickup_interval"}),
    ("pooling", bad_pooling, frozenset()),
    ("tube_mode", wrong_tube, frozenset()),
    ("home_visit", visit_without_team, frozenset()),
    (
        "home_visit_window",
        visit_after_window,
        frozenset({"home_visit_time", "team_collected"}),
    ),
    ("home_visit_order", visits_out_of_order, frozenset({"home_visit_time"})),
    (
        "route_mixed",
        mixed_route,
        frozenset({"home_visit_time", "team_collected"}),
    ),
    ("samplers", all_desks_one, PLACEMENT),
    ("shift_samplers", drop_sampler_post, STAFF),
    ("support_ratio", fewer_support, STAFF),
    ("site_roles", drop_site_lead_post, STAFF),
    ("roster_staff", unknown_person, STAFF),
    (
        "roster_qualification",
        support_as_sampler,
        # a support worker's all-day stay becomes a sampler's day in PPE
        STAFF | {"roster_overlap", "roster_rest", "shift_length"},
    ),
    ("roster_shift", unknown_shift, STAFF),
    ("roster_availability", outside_availability, STAFF),
    ("roster_overlap", two_places, STAFF),
    ("roster_rest", back_to_back, STAFF | {"roster_overlap", "roster_availability"}),
    ("roster_shifts", three_shifts, STAFF),
    ("roster_hours", long_day, frozenset()),
    ("roster_cover", drop_rostered, STAFF),
    (
        "shift_length",
        short_shifts,
        STAFF | {"roster_shift", "roster_rest", "site_roles"},
    ),
    ("site_lead_cadre", volunteer_lead, frozenset()),
    ("pickup_interval", no_pickup, frozenset({"team_collected"})),
    # the lab moved past the vehicle's drive back
    ("collection_to_lab", late_lab, frozenset({"tube_to_lab", "vehicle_turns"})),
    ("transport_schedule", no_schedule, frozenset()),
    ("team_collected", team_never_collected, frozenset()),
    ("vehicles_per_site", one_van, frozenset()),
    ("vehicle_turns", one_vehicle, frozenset()),
    (
        "site_collected",
        last_call_dropped,
        frozenset({"pickup_interval", "team_collected", "tube_to_lab"}),
    ),
    ("lab_known", unknown_lab, frozenset()),
    ("lab_leg", lab_too_soon, frozenset()),
    ("tube_to_lab", tubes_kept_long, frozenset()),
    ("results_24h", slow_lab, frozenset()),
    (
        "unfilled_samplers",
        shortfall_sampler,
        # the certification no longer matches the roster's empty posts
        STAFF | {"unfilled_samplers_period", "certify_not_on_roster"},
    ),
    (
        "unfilled_samplers_period",
        shortfall_sampler,
        STAFF | {"unfilled_samplers", "certify_not_on_roster"},
    ),
    (
        "certify_not_on_roster",
        shortfall_sampler,
        STAFF | {"unfilled_samplers", "unfilled_samplers_period"},
    ),
    ("unfilled_posts", shortfall_support, STAFF),
    ("stock_reserve", stock_short, frozenset()),
    ("site_empty", empty_open_site, frozenset()),
    ("certify_target", target_missed, frozenset()),
    ("certify_off", not_certified, frozenset()),
    ("transport_risk", transport_at_risk, frozenset()),
    ("norm_people_per_desk", norm_deviates, frozenset()),
    ("guidance_limit", loosened_walk, frozenset()),
    ("stock_table", altered_required_stock, frozenset()),
    ("hand_edit", ignores_an_edit, frozenset()),
]
RECOMPUTED = frozenset({"stock_table"})
"""Codes that follow any change to who is sampled where: the supplies table is
recomputed from the plan's tables, so it no longer matches them."""


@pytest.mark.parametrize(
    ("code", "breaker", "may_follow"), CASES, ids=[c[0] for c in CASES]
)
def test_each_rule_code_fires(
    good: Good, code: str, breaker: Breaker, may_follow: frozenset[str]
) -> None:
    """Breaking the good plan one way adds its code (and only what must follow)."""
    scenario, policy, tables = good.scenario, good.policy, good.tables
    broken = breaker(good)
    if isinstance(broken, Policy):
        policy = broken
    elif isinstance(broken, Scenario):
        scenario = broken
    else:
        tables = broken
        may_follow = may_follow | RECOMPUTED
    findings = check_findings(scenario, policy, tables)
    new = {v.rule for v in findings} - good.codes
    if code in good.codes:  # a gap the good plan already has (e.g. unfilled posts)
        assert any(v.rule == code for v in findings)
    else:
        assert code in new
    assert new - {code} <= may_follow, new


def emitted_codes() -> tuple[set[str], set[str]]:
    """Return the rule codes the validators can emit, read from their source: the
    first argument of every ``Violation(...)`` and ``_finding(...)``; an f-string's
    constant head (``norm_``) is returned as a prefix."""
    import ast

    import planner.rules.plan as rules

    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    codes: set[str] = set()
    prefixes: set[str] = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("Violation", "_finding")
            and node.args
        ):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            codes.add(first.value)
        elif isinstance(first, ast.JoinedStr):
            head = first.values[0]
            assert isinstance(head, ast.Constant), ast.unparse(first)
            prefixes.add(str(head.value))
        else:  # the one pass-through: _finding hands its own argument on
            assert ast.unparse(first) == "rule", ast.unparse(first)
    return codes, prefixes


def cases_elsewhere() -> set[str]:
    """Codes fired by the parametrised breakers of the other rule tests: the first
    item of each ``("code", breaker)`` pair in a module-level list of tests/rules."""
    import ast

    out: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, ast.AnnAssign | ast.Assign) else None
            if not isinstance(value, ast.List):
                continue
            for item in value.elts:
                if (
                    isinstance(item, ast.Tuple)
                    and len(item.elts) >= 2
                    and isinstance(item.elts[0], ast.Constant)
                    and isinstance(item.elts[0].value, str)
                    and isinstance(item.elts[1], ast.Name)
                ):
                    out.add(item.elts[0].value)
    return out


def test_every_code_is_covered() -> None:
    """No code a validator can emit is left without a case that makes it fire."""
    codes, prefixes = emitted_codes()
    assert len(codes) > 30  # the walk found the validators
    covered = {c[0] for c in CASES} | cases_elsewhere()
    assert codes - covered == set()
    for prefix in prefixes:
        assert any(c.startswith(prefix) for c in covered), prefix


def test_a_norm_note_names_the_norm_not_its_key(good: Good) -> None:
    """The note reads 每个采样台服务人数 …, not the internal key people_per_desk."""
    findings = check_findings(good.scenario, good.policy, norm_deviates(good))
    note = next(v for v in findings if v.rule == "norm_people_per_desk")
    zh, en = note.render("zh"), note.render("en")
    assert "每个采样台服务人数" in zh and "people per desk" in en
    assert "people_per_desk:" not in zh and "people_per_desk:" not in en


def test_gaps_name_roles_and_stock_holders_in_the_readers_language(
    good: Good,
) -> None:
    """No internal code (site_lead, health_center) in a finding, and large numbers read
    with separators (1,982,340, not 1.98234e+06)."""
    short = _shortfall(("site_lead", "点长", 2), ("home_registrar", "上门登记", 1))
    sup = good.tables.supplies
    assert sup is not None
    row = sup.index[sup["kind"] != "reusable"][0]
    sup = _set(_set(sup, row, "shortfall", 1_982_340), row, "holder", "health_center")
    tables = _with(good.tables, staff_shortfall=short, supplies=sup)
    findings = check_findings(good.scenario, good.policy, tables)
    posts = next(v for v in findings if v.rule == "unfilled_posts")
    assert "上门登记 1、点长 2" in posts.render("zh")
    assert "home-visit registrar 1, site lead 2" in posts.render("en")
    stock = next(v for v in findings if v.rule == "stock_reserve")
    assert "（卫生服务中心）" in stock.render("zh") and "缺 1,982,340" in stock.render(
        "zh"
    )
    assert "(health centre)" in stock.render("en")
    assert "1,982,340 short" in stock.render("en")
    for v in (posts, stock):
        for text in (v.render("zh"), v.render("en")):
            assert "_" not in text.split(": ", 1)[1]  # no code in the explanation


# --- transport and custody (issues 30, 33) -------------------------------------------


def test_every_door_to_door_tube_reaches_the_lab_in_time(good: Good) -> None:
    """The good plan's teams ride in the van rounds: no team is left, none over 4 h."""
    from planner.planning.custody import (
        custody,
        site_slots_from_tables,
        teams_from_tables,
    )
    from planner.planning.labs import street_labs

    t, s, p = good.tables, good.scenario, good.policy
    assert len(t.home_visits)
    found = custody(
        t.summary["transport"],
        site_slots_from_tables(t.assignments, s, p),
        teams_from_tables(t.home_visits, s, p),
        street_labs(s, p),
        p,
    )
    assert found.uncollected_teams == {} and found.uncollected_sites == {}
    worst, mean = found.ages("team")
    assert 0 < mean <= worst <= p.transport.tube_to_lab_max_h * 60
    # the plan's headline is the check's own recomputation
    assert t.summary["custody"]["door_to_door_max_min"] == round(worst, 1)
    teams = {b.source for b in found.boxes if b.kind == "team"}
    assert teams == set(t.home_visits["team_id"].astype(str))


def test_a_team_never_collected_is_named(good: Good) -> None:
    findings = check_findings(good.scenario, good.policy, team_never_collected(good))
    hit = [v for v in findings if v.rule == "team_collected"]
    assert [v.where for v in hit] == [_a_team(good)]
    assert "从未交给转运车" in hit[0].zh


def test_a_slow_lab_names_the_boxes_that_miss_the_24_hours(good: Good) -> None:
    """A lab of 20 tubes an hour: the late boxes by id, their result and minutes late,
    counted from the START of sampling."""
    from planner.model.scenario import Labs

    labs = Labs(
        name=np.array(["区疾控中心"], dtype=object),
        lon=np.array([np.nan]),
        lat=np.array([np.nan]),
        x_m=np.array([np.nan]),
        y_m=np.array([np.nan]),
        tubes_per_h=np.array([20.0]),
        open_min=np.array([0]),
        close_min=np.array([24 * 60]),
        result_h=np.array([6.0]),
    )
    scenario = dataclasses.replace(good.scenario, labs=labs)
    vans = [
        {**v, "rounds": [{**r, "lab_name": "区疾控中心"} for r in v["rounds"]]}
        for v in _transport(good)
    ]
    findings = check_findings(
        scenario, good.policy, _summary(good.tables, transport=vans)
    )
    late = [v for v in findings if v.rule == "results_24h"]
    assert late and {v.rule for v in findings} - good.codes == {"results_24h"}
    assert all(v.where.startswith("V") and "-R" in v.where for v in late)
    start = good.policy.round.window_start
    assert f"采样开始后 24 小时（次日 {start}）" in late[0].zh and "晚" in late[0].zh
    # the tubes are ~1,000: at 20 an hour the last results come two days later
    assert any("第3日" in v.zh for v in late)
    # an ample lab: no box late
    ample = dataclasses.replace(
        scenario, labs=dataclasses.replace(labs, tubes_per_h=np.array([5000.0]))
    )
    findings = check_findings(ample, good.policy, _summary(good.tables, transport=vans))
    assert not any(v.rule == "results_24h" for v in findings)
