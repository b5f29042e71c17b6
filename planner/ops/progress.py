"""Turn the sites' reports into progress, a forecast of the day and a re-plan.

The latest report of a site (by its clock time) is the site's state: people sampled
so far, people queueing, the problem it has now. From that state

- the **queue status** is the wait a newcomer can expect, ``queue ÷ (working desks ×
  samplers per desk × rate)``, coloured as Shenzhen's public map did (畅通 under 25
  minutes, 忙碌 from 25, 拥堵 from 50);
- **buildings not yet seen** are those with households whose slot has ended but
  whom the site's count has not reached in calling order (slot, then grid, then
  building): they cannot have been sampled or be in the queue (key-group
  households come first, so a building is listed for its households still missing);
- the **forecast** replays the rest of the day with the drill model
  (:func:`planner.drill.simulate`): the queue people arrive at the report's time, the
  households not reached yet come per their slots with the drill's spread (a slot
  already past counts as the current one), and the working desks start at the
  report's time;
- the **re-plan** is the drill's re-plan (:func:`planner.drill.replan.replan`) at the
  newest report's time with the reported problems as disruptions and the backlog
  (booked before the re-plan takes effect, not sampled by then) taking the first
  capacity after it, so every household keeps exactly one place in the new plan.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.drill.day import DrillDay, SiteDay, build_day
from planner.drill.disruptions import Disruption, Rain, SiteClosure
from planner.drill.replan import Replan, replan
from planner.drill.simulate import DrillReport, simulate
from planner.model.clock import hhmm, minutes_of
from planner.model.constants import QUEUE_BUSY_MIN, QUEUE_JAMMED_MIN
from planner.model.modes import WALK_UP
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario

PROBLEMS = ("desk_down", "samplers_missing", "supplies_short", "rain", "site_closed")
"""Problems a site lead can report (the page's choices)."""

DESK_PROBLEMS = ("desk_down", "samplers_missing")
"""Problems that take one desk out of work while they are the latest report's."""

RAIN_ASSUMED_MIN = 60
"""How long a shower reported from a site is assumed to last, minutes, unless the
command centre gives the re-plan an explicit ``rain,...`` disruption."""

REPLAN_WORKERS = 1
"""CP-SAT workers of the service's re-plan move step (see :func:`replan_from_reports`)."""

FORECAST_REPLICATIONS = 100
"""Simulated days behind each forecast (the drill's default is 200; 100 keeps the
status answer within a few seconds for a street of 40 sites)."""


@dataclass(frozen=True, slots=True)
class SiteState:
    """What a site reported last.

    Attributes
    ----------
    at_min
        Clock time of the report, minutes after midnight.
    sampled
        People sampled so far at the site.
    queue_people
        People waiting (at 1 m apart, the queue's metres).
    tubes
        Tubes used so far.
    problem
        The problem now, or None.
    """

    at_min: int
    sampled: int
    queue_people: int
    tubes: int
    problem: str | None


def latest_states(reports: Sequence[Mapping[str, Any]]) -> dict[str, SiteState]:
    """Return each site's state from its newest report (by clock time, then arrival)."""
    out: dict[str, SiteState] = {}
    for r in reports:  # oldest first, so the last one per site wins
        out[str(r["site_id"])] = SiteState(
            at_min=minutes_of(str(r["at"])),
            sampled=int(r["sampled"]),
            queue_people=int(r["queue_people"]),
            tubes=int(r["tubes"]),
            problem=r.get("problem") or None,
        )
    return out


def desks_down(state: SiteState | None) -> int:
    """Return the desks out of work at a site in this state."""
    return 1 if state is not None and state.problem in DESK_PROBLEMS else 0


def queue_colour(wait_min: float) -> str:
    """Return ``green`` (畅通), ``yellow`` (忙碌) or ``red`` (拥堵) for a wait in minutes."""
    if wait_min >= QUEUE_JAMMED_MIN:
        return "red"
    if wait_min >= QUEUE_BUSY_MIN:
        return "yellow"
    return "green"


def expected_wait_min(queue: int, desks: int, policy: Policy) -> float:
    """Return the wait of a newcomer behind `queue` people at `desks` working desks.

    Returns ``inf`` when people queue at a site with no desk working.
    """
    per_min = (
        desks * policy.sampling.samplers_per_desk * policy.sampling.sampler_rate_per_h
    )
    if queue <= 0:
        return 0.0
    return math.inf if per_min <= 0 else queue / (per_min / 60.0)


def site_progress(
    assignments: pd.DataFrame,
    sites: pd.DataFrame,
    states: Mapping[str, SiteState],
    policy: Policy,
    slot_minutes: int,
) -> list[dict[str, Any]]:
    """Return per open site: planned, sampled, queue status and buildings not seen.

    Parameters
    ----------
    assignments, sites
        The plan version's tables (as stored, text or numbers).
    states
        Latest state per site.
    policy
        The plan's policy (rate, samplers per desk).
    slot_minutes
        Slot length, minutes.
    """
    a = assignments[assignments["mode"].astype(str) == "walk_up"].copy()
    a["people"] = a["people"].astype(int)
    # typed explicitly: mapping an empty text column gives an empty *text* column,
    # and a plan version with no walk-up household left must not fail the status
    a["k"] = np.array(
        [minutes_of(v) for v in a["slot_start"].astype(str)], dtype=np.int64
    )
    out = []
    for r in sites.to_dict("records"):
        if not r["open"]:
            continue
        sid = str(r["site_id"])
        mine = a[a["site_id"].astype(str) == sid].sort_values(
            ["k", "grid_id", "building_id", "household_id"], kind="stable"
        )
        state = states.get(sid)
        desks = int(float(r["desks"]))
        by_slot = mine.groupby("slot_start", sort=True)["people"].sum()
        planned = int(mine["people"].sum())
        row: dict[str, Any] = {
            "site_id": sid,
            "name": str(r["name"]),
            "lon": float(r["lon"]),
            "lat": float(r["lat"]),
            "desks": desks,
            "planned": planned,
            "planned_by_slot": {str(k): int(v) for k, v in by_slot.items()},
            "reported_at": None,
            "planned_by_now": 0,
            "sampled": 0,
            "queue_people": 0,
            "tubes": 0,
            "problem": None,
            "wait_min": 0.0,
            "queue_status": "grey",
            "buildings_not_seen": [],
        }
        if state is not None:
            working = max(0, desks - desks_down(state))
            wait = expected_wait_min(state.queue_people, working, policy)
            ends = mine["k"] + slot_minutes
            # who can have come: the first sampled+queue people in calling order
            reached = state.sampled + state.queue_people
            first_person = mine["people"].cumsum() - mine["people"]
            missing = (ends <= state.at_min) & (first_person >= reached)
            not_seen = sorted(set(mine.loc[missing, "building_id"].astype(str)))
            row.update(
                reported_at=hhmm(state.at_min, up=True),
                planned_by_now=int(mine.loc[ends <= state.at_min, "people"].sum()),
                sampled=state.sampled,
                queue_people=state.queue_people,
                tubes=state.tubes,
                problem=state.problem,
                wait_min=round(wait, 1) if math.isfinite(wait) else None,
                queue_status=queue_colour(wait),
                buildings_not_seen=not_seen,
            )
        out.append(row)
    return out


def _remaining_site(site: SiteDay, state: SiteState, policy: Policy) -> SiteDay | None:
    """Return the site's day from its reported state on, or None when it is done."""
    people = site.hh_single + site.hh_pooled
    order = np.argsort(site.hh_slot, kind="stable")
    before = np.cumsum(people[order]) - people[order]
    # a household counts as still to come when none of its people can have come
    rest = np.sort(order[before >= state.sampled + state.queue_people])
    if len(rest) == 0 and state.queue_people <= 0:
        return None
    rnd = policy.round
    now_slot = int(
        np.clip((state.at_min - rnd.start_min) // rnd.slot_minutes, 0, rnd.n_slots - 1)
    )
    working = max(0, site.setup.desks - desks_down(state))
    setup = replace(
        site.setup,
        desks=working,
        open_min=max(site.setup.open_min, float(state.at_min)),
        down_from=None
        if site.setup.down_from is None
        else site.setup.down_from[:working],
        down_to=None if site.setup.down_to is None else site.setup.down_to[:working],
    )
    surge = (
        ((float(state.at_min), float(state.at_min) + 1.0, state.queue_people),)
        if state.queue_people > 0
        else ()
    )
    return replace(
        site,
        setup=setup,
        households=site.households[rest],
        hh_slot=np.maximum(site.hh_slot[rest], now_slot).astype(np.int64),
        hh_single=site.hh_single[rest],
        hh_pooled=site.hh_pooled[rest],
        hh_sealed_at=site.hh_sealed_at[rest],
        surge=tuple(site.surge) + surge,
    )


@dataclass(frozen=True)
class Forecast:
    """The rest of the day as the drill model plays it from the reported state.

    Attributes
    ----------
    report
        The drill report of the sites still sampling.
    done
        ``{site_id: HH:MM}`` sites whose reports show everyone booked has come and
        been sampled (the time of their last report).
    stranded
        ``{site_id: people}`` still to come to a site that reported it stopped
        sampling: they need a re-plan, so the round cannot finish as planned.
    """

    report: DrillReport
    done: dict[str, str]
    stranded: dict[str, int]

    @property
    def p_finish_in_window(self) -> float:
        """Chance that everyone is sampled inside the window (0 with people stranded)."""
        if any(n > 0 for n in self.stranded.values()):
            return 0.0
        return float(self.report.street["p_finish_in_window"])


def forecast(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    states: Mapping[str, SiteState],
    *,
    replications: int = FORECAST_REPLICATIONS,
    seed: int = 0,
) -> Forecast:
    """Simulate the rest of the day from the reported state.

    Parameters
    ----------
    scenario, plan
        The street and the plan version in force.
    policy
        The drill's policy.
    states
        Latest state per site; a site that has not reported plays its planned day.
    replications, seed
        Simulated days and seed (same reports and seed, same forecast).
    """
    day = build_day(scenario, plan, policy)
    sites: list[SiteDay] = []
    done: dict[str, str] = {}
    stranded: dict[str, int] = {}
    for site in day.sites:
        state = states.get(site.site_id)
        if state is None:
            sites.append(site)
            continue
        rest = _remaining_site(site, state, policy)
        if rest is None:
            done[site.site_id] = hhmm(state.at_min, up=True)
        elif state.problem == "site_closed":
            stranded[site.site_id] = int(
                (rest.hh_single + rest.hh_pooled).sum() + state.queue_people
            )
        else:
            sites.append(rest)
    rest_day: DrillDay = replace(day, sites=tuple(sites))
    with warnings.catch_warnings():
        # a site where nobody of the rest comes in some replication has no finish
        warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
        report = simulate(rest_day, replications=replications, seed=seed)
    return Forecast(report, done, stranded)


def reported_disruptions(
    states: Mapping[str, SiteState], policy: Policy
) -> tuple[list[Disruption], dict[str, int]]:
    """Return the reported problems as the re-plan's disruptions and lost desks."""
    disruptions: list[Disruption] = []
    lost: dict[str, int] = {}
    rain_from = [s.at_min for s in states.values() if s.problem == "rain"]
    if rain_from:
        start = min(rain_from)
        disruptions.append(
            Rain(policy.drill.rain_rate_factor, start, start + RAIN_ASSUMED_MIN)
        )
    for sid, s in sorted(states.items()):
        if s.problem == "site_closed":
            disruptions.append(SiteClosure(site_id=sid, at_min=s.at_min))
        elif desks_down(s):
            lost[sid] = desks_down(s)
    return disruptions, lost


def backlog_people(
    plan: Plan,
    states: Mapping[str, SiteState],
    site_ids: Sequence[str],
    policy: Policy,
    *,
    at_min: int,
) -> dict[str, float]:
    """Return per site the people booked before the re-plan takes effect, not sampled.

    The re-plan keeps every slot starting before ``at_min + notice_min``; the
    desks that work until then take what they can of those bookings (at the
    policy's rate), and the rest is carried into the first slots after.
    """
    effective = at_min + policy.drill.notice_min
    starts = plan.slots.start_min
    k0 = int(np.searchsorted(starts, effective - 1e-9))
    k0_start = float(starts[k0]) if k0 < len(starts) else float(policy.round.end_min)
    ix = {sid: i for i, sid in enumerate(site_ids)}
    walk = plan.hh_mode == WALK_UP
    out: dict[str, float] = {}
    rate = policy.sampling.samplers_per_desk * policy.sampling.sampler_rate_per_h / 60
    for sid, s in states.items():
        j = ix.get(sid)
        if j is None or s.problem == "site_closed":
            continue
        mine = walk & (plan.hh_site == j) & (plan.hh_slot < k0)
        booked = float(plan.hh_people[mine].sum())
        working = max(0, int(plan.site_desks[j]) - desks_down(s))
        until = max(0.0, k0_start - s.at_min) * working * rate
        late = booked - s.sampled - until
        if late > 0:
            out[sid] = late
    return out


def replan_from_reports(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    states: Mapping[str, SiteState],
    *,
    at_min: int,
    extra: Sequence[Disruption] = (),
    seed: int = 0,
    time_limit_s: float = 10.0,
) -> Replan:
    """Re-plan what is not yet sampled, from the reported state.

    Parameters
    ----------
    scenario, plan
        The street and the plan version in force.
    policy
        The drill's policy.
    states
        Latest state per site.
    at_min
        When the re-plan is made (the newest report's time by default in the
        service), minutes after midnight.
    extra
        Disruptions the command centre adds (``close,site=…`` and so on).
    seed, time_limit_s
        The move step's CP-SAT seed and time cap.
    """
    disruptions, lost = reported_disruptions(states, policy)
    site_ids = [str(x) for x in scenario.sites.id]
    carry = backlog_people(plan, states, site_ids, policy, at_min=at_min)
    return replan(
        scenario,
        plan,
        policy,
        [*disruptions, *extra],
        at_min=at_min,
        desks_lost=lost,
        carried_over=carry,
        seed=seed,
        time_limit_s=time_limit_s,
        # OR-Tools 9.x aborts the whole process ("Check failed: solution->size() ==
        # postsolve_mapping.size()") on some move models solved interleaved with 8
        # workers; one worker avoids it, and the service must not die mid-day
        num_workers=REPLAN_WORKERS,
    )
