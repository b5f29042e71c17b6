"""Round after round: sites and slots kept, every household once, plans that check."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pandas as pd

from planner.campaign import parse_disruption, run_campaign
from planner.campaign.run import CampaignResult
from planner.io.load import load_scenario
from planner.io.plan_folder import read_plan_folder
from planner.rules.plan import check_plan


def _assignments(folder: Path) -> pd.DataFrame:
    return pd.read_csv(
        folder / "assignments.csv",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )


def _walk_sites(a: pd.DataFrame) -> pd.Series:
    walk = a[a["mode"] == "walk_up"]
    return walk.groupby("building_id")["site_id"].agg(lambda s: set(s))


def test_every_household_exactly_once_in_every_round_and_the_plans_check(
    local_run: tuple[CampaignResult, Path], district: Path
) -> None:
    result, out = local_run
    for o in result.outcomes:
        base = load_scenario(district / o.street).scenario
        ids = sorted(base.households.id.tolist())
        assert len(o.rounds) == 3
        for r in o.rounds:
            folder = out / r.folder
            a = _assignments(folder)
            assert sorted(a["household_id"]) == ids  # each once, none missing
            scen = out / r.scenario_folder if r.scenario_folder else district / o.street
            loaded = load_scenario(scen)
            files = read_plan_folder(folder)
            assert check_plan(loaded.scenario, files.policy, files) == []


def test_the_same_building_keeps_its_site_and_households_their_slots(
    local_run: tuple[CampaignResult, Path],
) -> None:
    result, out = local_run
    kept_slots = 0
    for o in result.outcomes:
        folders = [out / r.folder for r in o.rounds]
        for before, after in pairwise(folders):
            a, b = _assignments(before), _assignments(after)
            sa, sb = _walk_sites(a), _walk_sites(b)
            common = sa.index.intersection(sb.index)
            assert len(common) > 0
            assert (sa[common] == sb[common]).all()
            both = a.merge(b, on="household_id", suffixes=("_a", "_b"))
            walk = both[(both["mode_a"] == "walk_up") & (both["mode_b"] == "walk_up")]
            assert (walk["slot_start_a"] == walk["slot_start_b"]).all()
            kept_slots += len(walk)
        assert all(r.buildings_moved == 0 for r in o.rounds)
    assert kept_slots > 0


def test_positive_pools_are_reviewed_at_home_in_the_next_round_only(
    local_run: tuple[CampaignResult, Path],
) -> None:
    """The previous round's positives are pending review (door to door, one tube per
    person) in the next round, and back in the ordinary flow in the round after."""
    result, out = local_run
    positives = sum(r.positives for o in result.outcomes for r in o.rounds)
    assert positives > 0
    for o in result.outcomes:
        for k, (before, after) in enumerate(pairwise(o.rounds)):
            changes = pd.read_csv(
                out / after.folder / "changes.csv", dtype=str, keep_default_na=False
            )
            home = changes[changes["mode"] == "home_visit"]
            back = changes[changes["mode"] != "home_visit"]
            assert len(home) == before.positives  # pending review now
            assert (home["was_mode"] == "walk_up").all()
            # the round before's positives were reviewed: back to their sites
            reviewed = o.rounds[k - 1].positives if k > 0 else 0
            assert len(back) == reviewed
            assert (back["was_mode"] == "home_visit").all()
            a = _assignments(out / after.folder)
            pending = a["household_id"].isin(home["household_id"])
            assert (a.loc[pending, "tube_mode"] == "single").all()
    days = json.loads((out / "campaign.json").read_text(encoding="utf-8"))["per_day"]
    resampled = sum(d["resampled_households"] for d in days)
    assert resampled == positives  # each re-sampled once, the day after its round


def test_a_closed_site_moves_only_its_own_buildings(
    district: Path, local_run: tuple[CampaignResult, Path], tmp_path: Path
) -> None:
    result, out = local_run
    first = next(o for o in result.outcomes if o.street == "s03")
    a1 = _assignments(out / first.rounds[0].folder)
    walk = a1[a1["mode"] == "walk_up"]
    busiest = walk["site_id"].value_counts().index[0]
    on_it = set(walk.loc[walk["site_id"] == busiest, "building_id"])
    closed = run_campaign(
        district / "s03",
        tmp_path / "closed",
        rounds=2,
        workers=1,
        seed=3,
        disruptions=(parse_disruption(f"close,site={busiest},round=2"),),
    )
    r1, r2 = closed.outcomes[0].rounds
    s1 = _walk_sites(_assignments(closed.out / r1.folder))
    s2 = _walk_sites(_assignments(closed.out / r2.folder))
    common = s1.index.intersection(s2.index)
    moved = {b for b in common if s1[b] != s2[b]}
    assert moved == on_it & set(common)
    assert all(busiest not in s for s in s2)
    assert r2.buildings_moved == len(moved) > 0
    # the round's own scenario (without the site) checks against its plan
    loaded = load_scenario(closed.out / r2.scenario_folder)
    files = read_plan_folder(closed.out / r2.folder)
    assert busiest not in set(loaded.scenario.sites.id)
    assert check_plan(loaded.scenario, files.policy, files) == []
