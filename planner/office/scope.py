"""What a community account sees: its own buildings, households, residents and rosters.

One function, :func:`community_round`, cuts the office's scenario and round down to one
community before any page sees them; every page, table and download of a community
session is then made from the cut, so no page has to filter (and none can forget to).
Sites stay (they are public places), with the street-wide desks and load, but the
people counted per slot are the community's; staff rows, requirements and pick lists
are those of the sites its households go to and of its door-to-door teams.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from planner.geo.walking import walk_arcs
from planner.model.result import HomeVisitTeam, Plan
from planner.model.scenario import Buildings, Households, Residents, Scenario
from planner.model.types import IntArray
from planner.planning.access import access_report
from planner.round.run import RoundResult


class UnknownCommunity(LookupError):
    """The account's community is not one of the scenario's communities."""


def _take(obj: Buildings | Households | Residents, keep: IntArray) -> dict[str, object]:
    return {
        f.name: np.asarray(getattr(obj, f.name))[keep] for f in dataclasses.fields(obj)
    }


def _remap(old_of_new: IntArray, size: int) -> IntArray:
    """Return old index → new index (-1 where dropped)."""
    new = np.full(size, -1, dtype=np.int64)
    new[old_of_new] = np.arange(len(old_of_new))
    return new


def community_scenario(scenario: Scenario, community: str) -> tuple[Scenario, IntArray]:
    """Return the scenario with only `community`'s buildings, households and residents.

    Returns
    -------
    tuple
        The cut scenario and the kept household indices (into the full scenario).

    Raises
    ------
    UnknownCommunity
        When `community` is not in ``scenario.communities``.
    """
    if community not in scenario.communities:
        raise UnknownCommunity(community)
    c = scenario.communities.index(community)
    b_keep = np.flatnonzero(scenario.buildings.community == c)
    b_new = _remap(b_keep, len(scenario.buildings))
    h = scenario.households
    h_keep = np.flatnonzero(b_new[h.building] >= 0)
    h_cols = _take(h, h_keep)
    h_cols["building"] = b_new[h.building[h_keep]]
    households = Households(**h_cols)  # type: ignore[arg-type]
    residents = None
    if scenario.residents is not None:
        r = scenario.residents
        hh_new = _remap(h_keep, len(h))
        r_keep = np.flatnonzero(hh_new[r.household] >= 0)
        r_cols = _take(r, r_keep)
        r_cols["household"] = hh_new[r.household[r_keep]]
        residents = Residents(**r_cols)  # type: ignore[arg-type]
    buildings = Buildings(**_take(scenario.buildings, b_keep))  # type: ignore[arg-type]
    cut = dataclasses.replace(
        scenario, buildings=buildings, households=households, residents=residents
    )
    return cut, h_keep


def community_plan(plan: Plan, scenario: Scenario, community: str) -> Plan:
    """Return `plan` with only `community`'s households (the scenario is the full one)."""
    _, h_keep = community_scenario(scenario, community)
    c = scenario.communities.index(community)
    hh_new = _remap(h_keep, len(scenario.households))
    teams = tuple(
        HomeVisitTeam(
            t.team_id,
            t.community,
            t.depot_site,
            tuple(int(hh_new[i]) for i in t.households),
            t.arrive_min,
            t.finish_min,
        )
        for t in plan.teams
        if t.community == c
    )
    per_household = {
        f.name: getattr(plan, f.name)[h_keep]
        for f in dataclasses.fields(plan)
        if f.name.startswith("hh_") or f.name == "unassigned_reason"
    }
    return dataclasses.replace(plan, teams=teams, **per_household)


def community_round(
    result: RoundResult, scenario: Scenario, community: str
) -> tuple[Scenario, RoundResult]:
    """Return the scenario and round as `community`'s account may see them.

    Parameters
    ----------
    result
        The office's round (plan, staff, supplies) for the whole street.
    scenario
        The whole street.
    community
        The account's community name.

    Returns
    -------
    tuple
        The cut scenario and the cut round.
    """
    cut_scenario, _ = community_scenario(scenario, community)
    plan = community_plan(result.plan, scenario, community)
    sites = scenario.sites.id
    units = {str(sites[j]) for j in np.unique(plan.hh_site[plan.hh_site >= 0])}
    units |= {str(sites[t.depot_site]) for t in plan.teams}
    units |= {t.team_id for t in plan.teams}

    def only(frame: pd.DataFrame) -> pd.DataFrame:
        if "site_id" not in frame.columns:
            return frame
        return frame[frame["site_id"].astype(str).isin(units)].reset_index(drop=True)

    roster = dataclasses.replace(
        result.roster,
        assignments=only(result.roster.assignments),
        shortfall=only(result.roster.shortfall),
    )
    # who walks how far in the community: its own residents (the street's report
    # would name buildings the cut scenario does not hold)
    access = (
        None
        if result.access is None
        else access_report(
            cut_scenario, plan, walk_arcs(cut_scenario, plan.policy.walking)
        )
    )
    cut_round = dataclasses.replace(
        result,
        plan=plan,
        requirements=only(result.requirements),
        roster=roster,
        picks=only(result.picks),
        access=access,
    )
    return cut_scenario, cut_round


def masked_view(
    scenario: Scenario, result: RoundResult | None
) -> tuple[Scenario, RoundResult | None]:
    """Return the scenario and round with ID numbers and phones masked at the source.

    A masked session (every role but admin) gets these, so no table, page or export
    made in it can hold a full ID number or phone, whatever it is asked for.
    """
    from planner.model.identity import mask_id_number, mask_phone

    residents = scenario.residents
    if residents is not None:
        residents = dataclasses.replace(
            residents,
            id_number=np.array(
                [mask_id_number(str(v)) for v in residents.id_number], dtype=object
            ),
            phone=np.array([mask_phone(str(v)) for v in residents.phone], dtype=object),
        )
    staff = dataclasses.replace(
        scenario.staff,
        phone=np.array(
            [mask_phone(str(v)) for v in scenario.staff.phone], dtype=object
        ),
    )
    masked = dataclasses.replace(scenario, residents=residents, staff=staff)
    if result is None:
        return masked, None
    roster = result.roster
    if "phone" in roster.assignments.columns:
        frame = roster.assignments.copy()
        frame["phone"] = [mask_phone(str(v)) for v in frame["phone"]]
        roster = dataclasses.replace(roster, assignments=frame)
    return masked, dataclasses.replace(result, roster=roster)
