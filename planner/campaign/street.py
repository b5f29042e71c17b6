"""Run one street's campaign: every round with the one-round orchestration, day by day.

Round ``k`` (from 1) falls on campaign day ``(k − 1)·days_between_rounds``. Each
round is planned with :func:`planner.round.run.run_round` on the street as it
is that day — sites closed by a disruption removed, buildings sealed by a
disruption, and the households of the previous round's positive pools pending their
single-tube review when it falls on the round's day — with the
previous round's building → site choices passed to the solver, so a building only
moves when it must (``campaign.move_cost`` per person moved). The staff pool is the
one the cross-day rules (:mod:`planner.campaign.staff`) leave for the day.

What follows a positive pool (domain-rules §1.4, §7 rules 8–9): everyone in the tube
is isolated at home and re-sampled single-tube for review within
``campaign.resample_hours`` of the result, the next day. When the next round falls on
that day, the round does the review: those households are ``pending`` in it (door to
door, one tube per person, full PPE), not a second visit. Otherwise the review is a
day of its own (:func:`planner.campaign.positives.resampling`). Either way they are
back in the ordinary flow from the round after their review (a negative review: the
planner does not model the positive person's case management), not sealed forever.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.campaign.positives import positive_households, resampling, stable_seed
from planner.campaign.scenario_out import write_round_scenario
from planner.campaign.staff import StaffLedger, cap_daily_hours, with_staff
from planner.errors import InputError, Issue
from planner.io.load import load_scenario
from planner.io.plan_folder import write_plan_folder
from planner.model.modes import MODE_NAMES, UNASSIGNED, WALK_UP
from planner.model.result import Plan
from planner.model.scenario import Scenario, Sites
from planner.planning.consumables import latest_on_hand
from planner.planning.plan import PreviousRound, SolveParams
from planner.planning.staffing import SAMPLER_ROLES
from planner.round.run import RoundResult, round_tables, run_round
from planner.runtime import keep_freed_memory


@dataclass(frozen=True, slots=True)
class Disruption:
    """A change to a street from one round on.

    Attributes
    ----------
    kind
        ``close`` (a site closes) or ``seal`` (a building is sealed: its households
        are sampled at home).
    target
        Site id or building id.
    round
        First round affected (from 1); the change stays for the later rounds.
    street
        Street folder name it applies to ("" = every street that has the target).
    """

    kind: str
    target: str
    round: int
    street: str = ""


@dataclass(frozen=True)
class StreetTask:
    """Everything a worker needs to run one street's campaign (all picklable).

    Attributes
    ----------
    street
        The street's folder name (its key in every output).
    path
        Scenario folder or workbook.
    policy_path
        Policy TOML for the street, or None for the file beside the scenario.
    out
        Folder of the street's round plans (``<out>/round<k>/``).
    rounds
        Rounds to plan.
    params
        Solver settings; the seed is the street's (see :func:`street_seed`).
    disruptions
        Changes of this street.
    """

    street: str
    path: str
    policy_path: str | None
    out: str
    rounds: int
    params: SolveParams
    disruptions: tuple[Disruption, ...] = ()


@dataclass(frozen=True)
class StreetDay:
    """One street's needs on one campaign day.

    Attributes
    ----------
    day, round
        Campaign day from 0; the round planned that day (0 = none, only re-sampling).
    people_planned, households_planned
        Residents and households given a site slot or a door-to-door visit.
    people_unassigned
        Residents the round could not place (reasons in the plan).
    resampled_households, resampled_people, resample_teams
        Single-tube re-sampling at home of the previous round's positive pools.
    samplers_needed
        Medical positions of the busiest shift (desks, door-to-door and re-sampling).
    samplers_own
        Of those, filled from the street's own pool.
    samplers_short
        Not filled by the street (to borrow).
    samplers_spare
        Medical staff of the street free for the whole day (to lend).
    staff_short
        Every unfilled position that day, all roles.
    use
        Consumables needed, ``{item: quantity}``.
    """

    day: int
    round: int
    people_planned: int = 0
    households_planned: int = 0
    people_unassigned: int = 0
    resampled_households: int = 0
    resampled_people: int = 0
    resample_teams: int = 0
    samplers_needed: int = 0
    samplers_own: int = 0
    samplers_short: int = 0
    samplers_spare: int = 0
    staff_short: int = 0
    use: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundFacts:
    """What the campaign keeps of one street-round.

    Attributes
    ----------
    round, day
        Round (from 1) and its campaign day.
    folder
        The plan folder, relative to the campaign's output folder.
    scenario_folder
        The round's own scenario folder when the street changed (else ""), relative
        to the campaign's output folder.
    digest
        SHA-256 of the household assignment (site, slot, mode per household id).
    buildings_moved, households_changed
        Buildings sent to another site than the round before; households whose site,
        slot or mode changed (their notices are re-issued).
    positives
        Households of this round's positive pools.
    status
        The location solver's status.
    wall_time_s
        Seconds to plan and write the round.
    """

    round: int
    day: int
    folder: str
    scenario_folder: str
    digest: str
    buildings_moved: int
    households_changed: int
    positives: int
    status: str
    wall_time_s: float


@dataclass(frozen=True)
class StreetOutcome:
    """One street's campaign as the district needs it.

    Attributes
    ----------
    street, name
        Folder name and the street's own name.
    residents, households
        Population of the street.
    lon, lat
        Median building position, WGS-84 degrees.
    days
        Needs per campaign day.
    rounds
        Facts per round.
    on_hand
        Stock at the start, ``{item: quantity}`` (all holders).
    units
        Counting unit per item.
    full_daily
        Full-load daily use per item (the busiest round × rounds per day).
    reserve
        Stock the reserve rules ask for, per item (each holder's reserve days).
    lead_time_days, order_cover_days
        Ordering rules of the street's policy.
    staff_hours
        Campaign hours of the people who worked: ``people``, ``min``, ``median``,
        ``max`` (how evenly the load was spread).
    wall_time_s
        Seconds for the whole street.
    """

    street: str
    name: str
    residents: int
    households: int
    lon: float
    lat: float
    days: tuple[StreetDay, ...]
    rounds: tuple[RoundFacts, ...]
    on_hand: dict[str, float]
    units: dict[str, str]
    full_daily: dict[str, float]
    reserve: dict[str, float]
    lead_time_days: int
    order_cover_days: int
    staff_hours: dict[str, float]
    wall_time_s: float


def street_seed(seed: int, street: str) -> int:
    """Return the solver seed of `street`: the same on every engine and worker."""
    return stable_seed(seed, street) % (2**31 - 1)


def _subset_sites(sites: Sites, keep: np.ndarray) -> Sites:
    return Sites(
        **{f.name: getattr(sites, f.name)[keep] for f in dataclasses.fields(Sites)}
    )


def round_scenario(
    base: Scenario,
    disruptions: tuple[Disruption, ...],
    k: int,
    at_home: np.ndarray,
) -> Scenario:
    """Return the street as it is in round `k`.

    Parameters
    ----------
    base
        The street as supplied.
    disruptions
        Its changes; those of round ``≤ k`` apply.
    k
        Round, from 1.
    at_home
        Households pending a single-tube review in this round (the previous round's
        positive pools): sampled at home, one tube per person.
    """
    active = [d for d in disruptions if d.round <= k]
    closed = {d.target for d in active if d.kind == "close"}
    sealed_b = {d.target for d in active if d.kind == "seal"}
    sealed = base.households.sealed
    if sealed_b:
        sealed = sealed | np.isin(
            base.buildings.id[base.households.building], list(sealed_b)
        )
    pending = base.households.pending | at_home
    changed = (
        bool((sealed != base.households.sealed).any())
        or bool((pending != base.households.pending).any())
        or bool(closed)
    )
    if not changed:
        return base
    households = dataclasses.replace(base.households, sealed=sealed, pending=pending)
    sites = base.sites
    if closed:
        sites = _subset_sites(sites, ~np.isin(sites.id, list(closed)))
    return dataclasses.replace(base, households=households, sites=sites)


def plan_digest(plan: Plan, scenario: Scenario) -> str:
    """Return a SHA-256 of who goes where and when (household, mode, site, slot)."""
    site_id = np.where(plan.hh_site >= 0, plan.hh_site, 0)
    sites = np.where(plan.hh_site >= 0, scenario.sites.id[site_id], "")
    h = hashlib.sha256()
    for hid, mode, sid, slot in zip(
        scenario.households.id.tolist(),
        plan.hh_mode.tolist(),
        sites.tolist(),
        plan.hh_slot.tolist(),
        strict=True,
    ):
        h.update(f"{hid},{mode},{sid},{slot};".encode())
    for team in plan.teams:
        h.update(f"{team.team_id}:{team.households}:{team.arrive_min};".encode())
    return h.hexdigest()


def _assignment_frame(plan: Plan, scenario: Scenario) -> pd.DataFrame:
    site_ix = np.where(plan.hh_site >= 0, plan.hh_site, 0)
    return pd.DataFrame(
        {
            "household_id": scenario.households.id,
            "building_id": scenario.buildings.id[scenario.households.building],
            "mode": np.asarray(MODE_NAMES, dtype=object)[plan.hh_mode],
            "site_id": np.where(plan.hh_site >= 0, scenario.sites.id[site_ix], ""),
            "slot": plan.hh_slot,
        }
    )


def _changes(before: pd.DataFrame | None, after: pd.DataFrame) -> pd.DataFrame:
    """Households whose site, slot or mode changed from the round before."""
    cols = ["household_id", "building_id", "mode", "site_id", "slot"]
    if before is None:
        return pd.DataFrame(columns=[*cols, "was_mode", "was_site_id", "was_slot"])
    both = after.merge(
        before.rename(
            columns={"mode": "was_mode", "site_id": "was_site_id", "slot": "was_slot"}
        )[["household_id", "was_mode", "was_site_id", "was_slot"]],
        on="household_id",
        how="left",
    )
    diff = (
        (both["mode"] != both["was_mode"])
        | (both["site_id"] != both["was_site_id"])
        | (both["slot"] != both["was_slot"])
    )
    return both[diff].reset_index(drop=True)


def _moved_buildings(before: pd.DataFrame | None, after: pd.DataFrame) -> int:
    if before is None:
        return 0

    def sites_of(frame: pd.DataFrame) -> pd.Series:
        walk = frame[frame["mode"] == "walk_up"]
        return walk.groupby("building_id")["site_id"].first()

    a, b = sites_of(after), sites_of(before)
    common = a.index.intersection(b.index)
    return int((a[common] != b[common]).sum())


def previous_round(plan: Plan, scenario: Scenario, move_cost: float) -> PreviousRound:
    """Return what the next round should keep of `plan`: sites, slots and desks."""
    h = scenario.households
    walk = np.flatnonzero(plan.hh_mode == WALK_UP)
    sites = scenario.sites.id
    starts = [plan.slots.label(k)[0] for k in range(len(plan.slots.start_min))]
    b_site: dict[str, str] = {}
    for i in walk.tolist():
        b_site.setdefault(
            str(scenario.buildings.id[h.building[i]]), str(sites[plan.hh_site[i]])
        )
    return PreviousRound(
        building_site=tuple(sorted(b_site.items())),
        household_slot=tuple(
            (str(h.id[i]), str(sites[plan.hh_site[i]]), starts[int(plan.hh_slot[i])])
            for i in walk.tolist()
        ),
        site_desks=tuple(
            (str(sites[j]), int(plan.site_desks[j]))
            for j in np.flatnonzero(plan.site_open).tolist()
        ),
        move_cost=move_cost,
    )


def _samplers(result: RoundResult) -> tuple[int, int, int]:
    """Return medical positions needed, filled and missing in the busiest shift."""
    req = result.requirements
    med = req[req["role"].isin(SAMPLER_ROLES)]
    if not len(med):
        return 0, 0, 0
    need = med.groupby("shift")["needed"].sum()
    short = result.roster.shortfall
    miss = (
        short[short["role"].isin(SAMPLER_ROLES)].groupby("shift")["missing"].sum()
        if len(short)
        else pd.Series(dtype=np.int64)
    )
    miss = miss.reindex(need.index, fill_value=0)
    busiest = need.to_numpy().argmax()
    peak = int(need.to_numpy()[busiest])
    return peak, peak - int(miss.to_numpy()[busiest]), int(miss.max())


def _use(picks: pd.DataFrame) -> dict[str, int]:
    if not len(picks):
        return {}
    return {str(k): int(v) for k, v in picks.groupby("item")["quantity"].sum().items()}


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for key, value in b.items():
        out[key] = out.get(key, 0) + value
    return out


def _check_targets(base: Scenario, task: StreetTask) -> None:
    """Raise `InputError` for a disruption naming this street but an unknown id."""
    known = {
        "close": set(base.sites.id.tolist()),
        "seal": set(base.buildings.id.tolist()),
    }
    issues = [
        Issue(
            "error",
            "campaign_unknown_target",
            "--disrupt",
            params=(("street", task.street), ("value", d.target)),
        )
        for d in task.disruptions
        if d.street == task.street and d.target not in known[d.kind]
    ]
    if issues:
        raise InputError(issues)


def run_street(task: StreetTask) -> StreetOutcome:
    """Plan and write every round of one street; return its needs per day.

    The same task always gives the same plans, on whichever engine or worker it runs.
    """
    keep_freed_memory()  # in pool and Ray worker processes too (planner.runtime)
    t0 = time.perf_counter()
    source = Path(task.path)
    policy_file = None if task.policy_path is None else Path(task.policy_path)
    loaded = load_scenario(source, policy_path=policy_file)
    base, policy = loaded.scenario, loaded.policy
    _check_targets(base, task)
    c = policy.campaign
    out = Path(task.out)
    ledger = StaffLedger()
    at_home = np.zeros(len(base.households), dtype=bool)
    previous: pd.DataFrame | None = None
    earlier: PreviousRound | None = None
    days: dict[int, StreetDay] = {}
    facts: list[RoundFacts] = []
    full_daily: dict[tuple[str, str], float] = {}
    pending_resample: dict[int, dict[str, Any]] = {}
    units: dict[str, str] = {
        str(i): str(u)
        for i, u in zip(base.inventory.item, base.inventory.unit, strict=True)
    }
    for k in range(1, task.rounds + 1):
        tk = time.perf_counter()
        day = (k - 1) * c.days_between_rounds
        scenario = round_scenario(base, task.disruptions, k, at_home)
        pool = ledger.pool_for_day(base.staff, day, policy)
        params = dataclasses.replace(task.params, previous=earlier)
        # the district moves samplers between streets, and households keep their
        # slots: a short pool is a request, not a longer window
        result = run_round(
            with_staff(scenario, pool), policy, params, longer_window=False
        )
        result = dataclasses.replace(
            result, roster=cap_daily_hours(result.roster, policy)
        )
        ledger.record(result.roster.assignments, day)
        folder = out / f"round{k}"
        write_plan_folder(round_tables(result, scenario), folder)
        scenario_folder = ""
        if scenario is not base:
            scenario_folder = str(folder / "scenario")
            write_round_scenario(
                scenario, Path(scenario_folder), source=source, policy_file=policy_file
            )
        plan = result.plan
        frame = _assignment_frame(plan, scenario)
        changes = _changes(previous, frame)
        changes.to_csv(folder / "changes.csv", index=False, encoding="utf-8-sig")
        positives = positive_households(
            plan, scenario, policy, seed=stable_seed(task.params.seed, task.street, k)
        )
        # pending review in the next round only when the review falls on its day
        reviewed_by_next_round = k < task.rounds and c.days_between_rounds == 1
        at_home[:] = False
        if reviewed_by_next_round:
            at_home[positives] = True
        units.update(_units(result.picks))
        per_holder = result.picks.groupby(["item", "holder"])["quantity"].sum()
        for item, holder, q in zip(
            per_holder.index.get_level_values(0),
            per_holder.index.get_level_values(1),
            per_holder.to_numpy(),
            strict=True,
        ):
            key = (str(item), str(holder))
            full_daily[key] = max(full_daily.get(key, 0.0), float(q))
        need, own, short = _samplers(result)
        rostered = set(result.roster.assignments["staff_id"].astype(str))
        spare = int(
            sum(
                1
                for sid, role in zip(pool.id.tolist(), pool.role.tolist(), strict=True)
                if role == "sampler" and sid not in rostered
            )
        )
        placed = plan.hh_mode != UNASSIGNED
        rs = pending_resample.pop(day, None)
        today = StreetDay(
            day=day,
            round=k,
            people_planned=int(plan.hh_people[placed].sum()),
            households_planned=int(placed.sum()),
            people_unassigned=int(plan.hh_people[~placed].sum()),
            samplers_needed=need,
            samplers_own=own,
            samplers_short=short,
            samplers_spare=spare,
            staff_short=int(result.roster.shortfall["missing"].sum())
            if len(result.roster.shortfall)
            else 0,
            use=_use(result.picks),
        )
        if rs is not None:
            today = _with_resample(today, rs)
        days[day] = today
        if len(positives):
            r = resampling(positives, scenario, policy)
            units.update(_units(r.picks))
            nxt = day + 1
            info = {
                "households": r.households,
                "people": r.people,
                "teams": r.teams,
                "use": _use(r.picks),
            }
            if reviewed_by_next_round:
                # the next round's door-to-door teams do the review (its plan holds
                # the teams and the tubes): counted as reviewed, not visited twice
                info = {**info, "teams": 0, "use": {}}
            pending_resample[nxt] = info
        earlier = previous_round(plan, scenario, c.move_cost)
        facts.append(
            RoundFacts(
                round=k,
                day=day,
                folder=f"streets/{task.street}/round{k}",
                scenario_folder=f"streets/{task.street}/round{k}/scenario"
                if scenario_folder
                else "",
                digest=plan_digest(plan, scenario),
                buildings_moved=_moved_buildings(previous, frame),
                households_changed=len(changes),
                positives=len(positives),
                status=plan.solver.status,
                wall_time_s=time.perf_counter() - tk,
            )
        )
        previous = frame
    for d, info in pending_resample.items():
        free = ledger.pool_for_day(base.staff, d, policy)
        idle = StreetDay(
            day=d, round=0, samplers_spare=int((free.role == "sampler").sum())
        )
        days[d] = _with_resample(idle, info)
    on_hand: dict[str, float] = {}
    for (item, _holder), q in latest_on_hand(base.inventory).items():
        on_hand[item] = on_hand.get(item, 0.0) + q
    per_item_daily: dict[str, float] = {}
    reserve: dict[str, float] = {}
    for (item, holder), q in full_daily.items():
        daily = q * policy.round.rounds_per_day
        per_item_daily[item] = per_item_daily.get(item, 0.0) + daily
        reserve[item] = reserve.get(item, 0.0) + q * policy.stock.reserve_rounds(
            item, holder, policy.round.rounds_per_day
        )
    b = base.buildings
    return StreetOutcome(
        street=task.street,
        name=base.name,
        residents=base.population,
        households=len(base.households),
        lon=float(np.median(b.lon)),
        lat=float(np.median(b.lat)),
        days=tuple(days[d] for d in sorted(days)),
        rounds=tuple(facts),
        on_hand=on_hand,
        units=units,
        full_daily=per_item_daily,
        reserve=reserve,
        lead_time_days=c.lead_time_days,
        order_cover_days=c.order_cover_days,
        staff_hours=_spread(list(ledger.hours.values())),
        wall_time_s=time.perf_counter() - t0,
    )


def _spread(hours: list[float]) -> dict[str, float]:
    if not hours:
        return {"people": 0, "min": 0.0, "median": 0.0, "max": 0.0}
    return {
        "people": len(hours),
        "min": min(hours),
        "median": float(np.median(hours)),
        "max": max(hours),
    }


def _units(picks: pd.DataFrame) -> dict[str, str]:
    return {str(i): str(u) for i, u in zip(picks["item"], picks["unit"], strict=True)}


def _with_resample(day: StreetDay, info: dict[str, Any]) -> StreetDay:
    return dataclasses.replace(
        day,
        resampled_households=day.resampled_households + int(info["households"]),
        resampled_people=day.resampled_people + int(info["people"]),
        resample_teams=day.resample_teams + int(info["teams"]),
        samplers_needed=day.samplers_needed + int(info["teams"]),
        samplers_short=day.samplers_short
        + max(0, int(info["teams"]) - day.samplers_spare),
        samplers_own=day.samplers_own + min(int(info["teams"]), day.samplers_spare),
        samplers_spare=max(0, day.samplers_spare - int(info["teams"])),
        use=_add(day.use, info["use"]),
    )
