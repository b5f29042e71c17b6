"""Who walks how far: the access report re-derived independently, the EDE by hand,
the gaps, and the equity objectives' direction."""

from __future__ import annotations

import heapq
import json
import math
from pathlib import Path

import numpy as np
import pytest

from planner import Policy, load_scenario
from planner.errors import InputError
from planner.generate import generate_street
from planner.geo.walking import walk_arcs
from planner.io.writers import write_geo_layers, write_scenario_folder
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.access import (
    access_report,
    equity_tradeoff,
    kolm_pollak_ede,
    kolm_pollak_kappa,
)
from planner.planning.plan import SolveParams, make_plan

FAST = SolveParams(time_limit_s=20.0, num_workers=1, route_time_limit_s=2.0)


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """A generated street of about 3,000 residents with its walking network."""
    g = generate_street(3000, seed=11, sealed_buildings=1)
    out = tmp_path_factory.mktemp("access") / "street"
    write_scenario_folder(g.tables, g.meta, out, headers="en")
    write_geo_layers(g.layers, out)
    scenario = load_scenario(out).scenario
    assert scenario.walk_network is not None
    return scenario


@pytest.fixture(scope="module")
def plans(street: Scenario) -> dict[str, Plan]:
    """The street planned with each access objective."""
    # the oldest held to 5 minutes: on this street the plain plan walks some of them
    # 7.6 minutes, so the cap binds
    limits = {"access.oldest_walk_limit_min": 5.0}
    return {
        objective: make_plan(
            street,
            Policy().with_values(**{"access.objective": objective, **limits}),
            FAST,
        )
        for objective in ("walk", "ede", "older_cap")
    }


# --- the EDE by hand ------------------------------------------------------------------


def test_ede_matches_a_hand_computation_with_its_aversion() -> None:
    """Walks 2, 4 and 10 minutes, ε = −1.

    κ = ε·Σx/Σx² = −16/120 = −0.133333 per minute;
    EDE = −(1/κ)·ln((e^{0.266667} + e^{0.533333} + e^{1.333333})/3)
        = 7.5·ln((1.305605 + 1.704642 + 3.793668)/3) = 7.5·ln(2.267972) = 6.14166.
    """
    walks = [2.0, 4.0, 10.0]
    kappa = kolm_pollak_kappa(walks, -1.0)
    assert kappa == pytest.approx(-0.133333, abs=1e-6)
    assert kolm_pollak_ede(walks, kappa) == pytest.approx(6.14166, abs=1e-4)
    # a stronger aversion weighs the 10-minute walk more; none gives the mean
    stronger = kolm_pollak_ede(walks, kolm_pollak_kappa(walks, -2.0))
    assert 6.14166 < stronger < 10.0
    assert kolm_pollak_ede(walks, 0.0) == pytest.approx(16 / 3)


def test_ede_weights_count_people() -> None:
    """Weights are people: (2 min × 3 people, 9 min × 1) is the list of four walks."""
    kappa = kolm_pollak_kappa([2, 2, 2, 9], -1.0)
    assert kolm_pollak_kappa([2, 9], -1.0, [3, 1]) == pytest.approx(kappa)
    assert kolm_pollak_ede([2, 9], kappa, [3, 1]) == pytest.approx(
        kolm_pollak_ede([2, 2, 2, 9], kappa)
    )


def test_ede_does_not_overflow_on_long_waits() -> None:
    x = np.array([0.0, 300.0, 5000.0])
    ede = kolm_pollak_ede(x, -0.5)
    assert math.isfinite(ede) and x.mean() < ede <= x.max()


# --- the report re-derived --------------------------------------------------------------


def _dijkstra(adj: list[list[tuple[int, float]]], source: int) -> np.ndarray:
    """Shortest path lengths from `source` (a plain heap, no cutoff)."""
    dist = np.full(len(adj), math.inf)
    dist[source] = 0.0
    heap = [(0.0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


def _network_walk_m(scenario: Scenario) -> np.ndarray:
    """Building × site walking metres, re-derived with a heap Dijkstra per site."""
    net = scenario.walk_network
    assert net is not None
    adj: list[list[tuple[int, float]]] = [[] for _ in range(len(net.node_x_m))]
    for u, v, w in zip(
        net.edge_u.tolist(), net.edge_v.tolist(), net.edge_len_m.tolist(), strict=True
    ):
        adj[u].append((v, float(w)))
        adj[v].append((u, float(w)))
    nodes = np.stack([net.node_x_m, net.node_y_m], axis=1).astype(float)

    def snap(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = np.hypot(x[:, None] - nodes[None, :, 0], y[:, None] - nodes[None, :, 1])
        return d.argmin(axis=1), d.min(axis=1)

    b, s = scenario.buildings, scenario.sites
    b_node, b_gap = snap(b.x_m.astype(float), b.y_m.astype(float))
    s_node, s_gap = snap(s.x_m.astype(float), s.y_m.astype(float))
    from_sites = np.stack([_dijkstra(adj, int(n)) for n in s_node])  # sites × nodes
    walk = from_sites[:, b_node].T + b_gap[:, None] + s_gap[None, :]
    return np.rint(walk)


def _percentile(x: list[float], q: float) -> float:
    """The smallest value at least share `q` of `x` is within."""
    ordered = sorted(x)
    return ordered[math.ceil(q * len(ordered)) - 1]


def test_report_matches_an_independent_computation(
    street: Scenario, plans: dict[str, Plan]
) -> None:
    """Every resident's walk from the register, the plan's site and SciPy's Dijkstra;
    the groups' figures from plain Python over those walks."""
    plan = plans["walk"]
    policy = plan.policy
    report = access_report(street, plan, walk_arcs(street, policy.walking))
    walk_m = _network_walk_m(street)
    r, h = street.residents, street.households
    assert r is not None
    speed = policy.walking.speed_m_per_min
    walks: dict[str, list[float]] = {"all": [], "oldest": [], "older": []}
    mine = []
    for i in range(len(r)):
        hh = int(r.household[i])
        if plan.hh_mode[hh] != 0:
            mine.append(math.nan)
            continue
        minutes = walk_m[int(h.building[hh]), int(plan.hh_site[hh])] / speed
        mine.append(minutes)
        walks["all"].append(minutes)
        if r.age[i] >= 60:
            walks["older"].append(minutes)
        if r.age[i] >= 75:
            walks["oldest"].append(minutes)
    np.testing.assert_allclose(report.person_walk_min, mine, atol=1e-9)
    everyone = walks["all"]
    kappa = -1.0 * sum(everyone) / sum(x * x for x in everyone)
    assert report.kappa_walk == pytest.approx(kappa)
    for group, x in walks.items():
        row = report.row(group)
        assert row.people == len(x)
        assert row.mean_min == pytest.approx(sum(x) / len(x))
        assert row.p90_min == pytest.approx(_percentile(x, 0.9))
        assert row.p99_min == pytest.approx(_percentile(x, 0.99))
        assert row.beyond == tuple(sum(v > t for v in x) for t in (5, 10, 15))
        ede = -math.log(sum(math.exp(-kappa * v) for v in x) / len(x)) / kappa
        assert row.ede_min == pytest.approx(ede)
    # waits: from the start of the round to the team's arrival
    start = policy.round.start_min
    waits = [
        arrive - start
        for team in plan.teams
        for hh, arrive in zip(team.households, team.arrive_min, strict=True)
        for _ in range(int((r.household == hh).sum()))
    ]
    at_home = report.row("homebound").people + report.row("sealed").people
    assert at_home == len(waits) > 0
    assert np.nansum(report.person_wait_min) == pytest.approx(sum(waits))
    # by community: the people add up to everyone walking
    assert sum(c.people for c in report.communities) == len(everyone)
    assert sum(g.people for g in report.grids) == len(everyone)


def test_gaps_name_the_nearest_site_that_fixes_them(
    street: Scenario, plans: dict[str, Plan]
) -> None:
    """With the oldest held to 3 minutes, every building where one walks further is a
    gap, and its fix is the nearest candidate within 3 minutes, if any."""
    plan = plans["walk"]
    tight = plan.policy.with_values(**{"access.oldest_walk_limit_min": 3.0})
    from dataclasses import replace

    report = access_report(
        street, replace(plan, policy=tight), walk_arcs(street, tight.walking)
    )
    walk_m = _network_walk_m(street)
    speed = tight.walking.speed_m_per_min
    r, h = street.residents, street.households
    assert r is not None
    expected: dict[int, int] = {}
    for i in np.flatnonzero(r.age >= 75).tolist():
        hh = int(r.household[i])
        b = int(h.building[hh])
        if plan.hh_mode[hh] == 0 and walk_m[b, plan.hh_site[hh]] / speed > 3.0:
            expected[b] = expected.get(b, 0) + 1
    gaps = {g.building: g for g in report.gaps if g.group == "oldest"}
    assert expected and {b: g.people for b, g in gaps.items()} == expected
    for b, g in gaps.items():
        within = np.flatnonzero(walk_m[b] / speed <= 3.0)
        if len(within) == 0:
            assert g.fix_site == -1
        else:
            assert walk_m[b, g.fix_site] == walk_m[b, within].min()
            assert g.fix_open == bool(plan.site_open[g.fix_site])
    # at 5 minutes the plan leaves no more gaps
    assert len(
        access_report(street, plan, walk_arcs(street, plan.policy.walking)).gaps
    ) <= len(report.gaps)


# --- the equity objectives --------------------------------------------------------------


def test_older_cap_shortens_the_oldest_walks(
    street: Scenario, plans: dict[str, Plan]
) -> None:
    t = equity_tradeoff(street, plans["walk"], plans["older_cap"], "older_cap")
    assert t.p90_oldest_min[1] < t.p90_oldest_min[0]
    arcs = walk_arcs(street, Policy().walking)
    capped = access_report(street, plans["older_cap"], arcs).row("oldest")
    plain = access_report(street, plans["walk"], arcs).row("oldest")
    assert capped.beyond[1] <= plain.beyond[1]  # beyond 10 minutes


def test_ede_objective_lowers_the_ede_and_the_worst_decile(
    street: Scenario, plans: dict[str, Plan]
) -> None:
    t = equity_tradeoff(street, plans["walk"], plans["ede"], "ede")
    assert t.ede_min[1] < t.ede_min[0]
    assert t.worst_decile_min[1] <= t.worst_decile_min[0]


def test_same_inputs_same_equity_plan(street: Scenario, plans: dict[str, Plan]) -> None:
    again = make_plan(street, Policy().with_values(**{"access.objective": "ede"}), FAST)
    assert np.array_equal(again.hh_site, plans["ede"].hh_site)


def test_bad_access_policy_is_named() -> None:
    with pytest.raises(InputError) as err:
        Policy.from_dict({"access": {"objective": "fairest", "aversion": 1.0}})
    columns = {i.column for i in err.value.issues}
    assert {"access.objective", "access.aversion"} <= columns


def test_round_writes_the_report_and_the_tradeoff(tiny_dir: Path) -> None:
    from planner.round.run import round_summary, run_round

    loaded = load_scenario(tiny_dir)
    policy = loaded.policy.with_values(**{"access.objective": "older_cap"})
    result = run_round(loaded.scenario, policy, FAST, certify=False)
    summary = json.loads(json.dumps(round_summary(result, loaded.scenario)))
    access = summary["access"]
    assert access["aversion"] == -1.0 and access["kappa_walk_per_min"] < 0
    groups = {g["group"]: g for g in access["groups"]}
    assert groups["all"]["people"] == result.plan.kpis()["people_walk_up"]
    assert summary["equity"]["objective"] == "older_cap"
    assert len(summary["equity"]["sites"]) == 2


def test_buildings_without_a_site_in_reach_are_gaps_of_everyone(tiny_dir: Path) -> None:
    """A 2-minute walk limit strands the tiny street's far buildings: they are unserved,
    and gaps (once, as everyone's) with no candidate to fix them."""
    loaded = load_scenario(tiny_dir)
    policy = loaded.policy.with_values(**{"walking.walk_limit_min": 2.0})
    plan = make_plan(loaded.scenario, policy, FAST)
    report = access_report(
        loaded.scenario, plan, walk_arcs(loaded.scenario, policy.walking)
    )
    h = loaded.scenario.households
    stranded = plan.unassigned_reason == "no_site_in_reach"
    assert stranded.any()
    people = int(h.size[stranded].sum())
    assert report.row("all").unserved == people
    gaps = [g for g in report.gaps if math.isnan(g.walk_min)]
    assert {g.building for g in gaps} == set(h.building[stranded].tolist())
    assert all(g.group == "all" and g.fix_site == -1 for g in gaps)
    assert sum(g.people for g in gaps) == people


def test_a_community_account_gets_its_own_report(tiny_dir: Path) -> None:
    """The office's cut for a community re-makes the report over its own residents."""
    from planner.office.scope import community_round
    from planner.round.run import round_summary, run_round

    loaded = load_scenario(tiny_dir)
    s = loaded.scenario
    result = run_round(s, loaded.policy, FAST, certify=False)
    assert result.access is not None
    walkers = 0
    for name in s.communities:
        cut_s, cut = community_round(result, s, name)
        assert cut.access is not None
        assert len(cut.access.building_walk_min) == len(cut_s.buildings)
        summary = round_summary(cut, cut_s)
        assert {c["group"] for c in summary["access"]["communities"]} == {name}
        walkers += cut.access.row("all").people
    assert walkers == result.access.row("all").people
