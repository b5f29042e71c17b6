"""A community account's view holds only its own community (planner/office/scope.py)."""

from pathlib import Path

import numpy as np
import pytest

from planner.io.load import load_scenario
from planner.office.scope import UnknownCommunity, community_round, masked_view
from planner.planning.codec import plan_tables
from planner.planning.plan import SolveParams
from planner.round.run import RoundResult, run_round

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"


@pytest.fixture(scope="module")
def street() -> tuple[object, RoundResult]:
    loaded = load_scenario(TINY)
    return loaded.scenario, run_round(
        loaded.scenario, loaded.policy, SolveParams(time_limit_s=5, seed=0)
    )


def test_each_community_sees_only_its_households(street) -> None:  # type: ignore[no-untyped-def]
    s, result = street
    full = plan_tables(result.plan, s)
    seen: set[str] = set()
    for name in s.communities:
        c = s.communities.index(name)
        own = set(s.households.id[s.buildings.community[s.households.building] == c])
        cut_s, cut = community_round(result, s, name)
        tables = plan_tables(cut.plan, cut_s)
        assert set(cut_s.households.id) == own
        assert set(tables["assignments"]["household_id"]) == own
        assert set(tables["home_visits"]["household_id"]) <= own
        assert cut_s.residents is not None
        assert set(cut_s.households.id[cut_s.residents.household]) <= own
        assert set(cut_s.buildings.community) == {c}
        # the same assignment as in the street's plan, household by household
        mine = full["assignments"][full["assignments"]["household_id"].isin(own)]
        assert mine.reset_index(drop=True).equals(tables["assignments"])
        units = set(tables["assignments"]["site_id"]) | {
            t.team_id for t in cut.plan.teams
        }
        assert set(cut.roster.assignments["site_id"]) <= units
        seen |= own
    assert seen == set(s.households.id)


def test_an_unknown_community_is_refused(street) -> None:  # type: ignore[no-untyped-def]
    s, result = street
    with pytest.raises(UnknownCommunity):
        community_round(result, s, "别的社区")


def test_masked_view_masks_ids_and_phones_at_the_source(street) -> None:  # type: ignore[no-untyped-def]
    s, result = street
    masked_s, masked = masked_view(s, result)
    assert masked is not None and masked_s.residents is not None
    for full, shown in zip(
        s.residents.id_number, masked_s.residents.id_number, strict=True
    ):
        assert shown != full and shown[:6] == full[:6] and shown[-4:] == full[-4:]
    assert not np.isin(masked_s.staff.phone, s.staff.phone).any()
    assert not masked.roster.assignments["phone"].isin(s.staff.phone).any()
