"""Follow up positive pooled tubes: their people, control at home, single-tube visits.

The records are the tube manifest: each binds a swab to its tube, box, site and
person. For each positive tube:

- **its people**: every record with that tube; matched records give register
  residents (with household and building), unmatched or ambiguous records are listed
  as written (a visitor is followed up by phone; the street must not lose them);
- **temporary control** (临时管控): every resident of the tube *and their
  co-residents* (the household shares the exposure, ``domain-rules.md`` §1.4, §8–9),
  to be reached within ``closure.positive_response_min`` of the result;
- **single-tube re-sampling at home** within ``campaign.resample_hours`` of the
  result: door-to-door routes with the plan's router (the households are
  pool-positive-pending, so they follow the sealed rule: their routes visit no other
  homes), a single tube and a full PPE change per person, the swabs and PPE
  (:func:`planner.planning.consumables.round_consumption`);
- **next round**: each such household is ``pool_positive_pending`` (sampled at home,
  single tube, until its single-tube results clear it) and its building
  ``building_controlled``; :func:`next_round_status` writes them for the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.clock import hhmm
from planner.model.policy import Policy
from planner.model.result import HomeVisitTeam
from planner.model.scenario import Scenario
from planner.model.types import IntArray
from planner.planning.consumables import Drivers, round_consumption
from planner.planning.plan import numbered, route_stops

HOUSEHOLD_PENDING = "pool_positive_pending"
"""Next-round status of a household with a person in a positive pool."""

BUILDING_CONTROLLED = "building_controlled"
"""Next-round status of a building with such a household."""


@dataclass(frozen=True)
class PositiveFollowUp:
    """What the street does about the positive pooled tubes.

    Attributes
    ----------
    tubes
        One row per positive tube: ``tube``, ``box``, ``site``, ``sampled_from``,
        ``sampled_to``, ``reported_at``, ``people`` (records), ``residents``
        (matched), ``unresolved`` (records not matched), ``households``,
        ``buildings``, ``control_by``, ``resample_by``.
    people
        One row per record in a positive tube: ``tube``, ``resident`` (-1 when not
        matched), ``resident_id``, ``name``, ``id_number``, ``phone`` (the
        register's, or as written), ``household_id``, ``building_id``, ``status``.
    control
        One row per resident under temporary control: the tube's people and their
        co-residents (``in_tube`` says which), with ``household_id``, ``building_id``,
        ``address``, ``unit``, ``room``, ``tube``.
    teams
        Single-tube re-sampling routes.
    visits
        One row per household visited: ``household_id``, ``building_id``,
        ``people``, ``team_id``, ``arrive``, ``due_by`` (HH:MM), ``within``.
    dropped
        Households no route reached in time.
    picks
        Swabs, tubes and PPE for the visits.
    next_round
        ``building_id``, ``household_id``, ``status``, ``tube``.
    unknown_tubes
        Positive tubes no record names (a mistyped code, or records not yet in):
        their people cannot be found from the manifest.
    """

    tubes: pd.DataFrame
    people: pd.DataFrame
    control: pd.DataFrame
    teams: tuple[HomeVisitTeam, ...]
    visits: pd.DataFrame
    dropped: IntArray
    picks: pd.DataFrame
    next_round: pd.DataFrame
    unknown_tubes: tuple[str, ...] = ()


def _minutes(ts: pd.Series) -> np.ndarray:
    t = pd.to_datetime(ts)
    out: np.ndarray = (t.dt.hour * 60 + t.dt.minute + (t.dt.second > 0)).to_numpy(
        dtype=np.float64
    )
    return out


def follow_up(
    scenario: Scenario,
    policy: Policy,
    records: pd.DataFrame,
    resident: IntArray,
    positive_tubes: list[str],
    reported_at: dict[str, pd.Timestamp],
    *,
    time_limit_s: float = 10.0,
) -> PositiveFollowUp:
    """Find the positive tubes' people and plan their control and re-sampling.

    Parameters
    ----------
    scenario, policy
        The street and the policy (``campaign.resample_hours``, home-visit times).
    records
        The day's records (``tube``, ``box``, ``site``, ``sampled_at``, ``name``,
        ``id_number``, ``phone``).
    resident
        ``(records,)`` the matched resident of each record, -1 when none.
    positive_tubes
        Tube codes reported positive.
    reported_at
        Tube → when the result came (missing: the last record of the tube plus
        nothing, i.e. now is taken as the tube's last swab).
    time_limit_s
        Safety cap of each routing search.
    """
    r = scenario.residents
    assert r is not None
    h, b = scenario.households, scenario.buildings
    in_pos = records["tube"].isin(positive_tubes).to_numpy()
    sub = records[in_pos].copy()
    sub["resident"] = resident[in_pos]
    got = sub["resident"].to_numpy() >= 0
    rix = sub["resident"].to_numpy()[got]
    people = pd.DataFrame(
        {
            "tube": sub["tube"].to_numpy(),
            "resident": sub["resident"].to_numpy(),
            "resident_id": "",
            "name": sub["name"].to_numpy(),
            "id_number": sub["id_number"].to_numpy(),
            "phone": sub["phone"].to_numpy(),
            "household_id": "",
            "building_id": "",
            "status": np.where(got, "matched", "unresolved"),
        }
    )
    people.loc[got, "resident_id"] = r.id[rix]
    people.loc[got, "name"] = r.name[rix]
    people.loc[got, "id_number"] = r.id_number[rix]
    people.loc[got, "phone"] = r.phone[rix]
    people.loc[got, "household_id"] = h.id[r.household[rix]]
    people.loc[got, "building_id"] = b.id[h.building[r.household[rix]]]
    people = people.drop_duplicates(["tube", "resident", "id_number", "name"])
    people = people.sort_values(["tube", "building_id", "resident_id"]).reset_index(
        drop=True
    )
    hours = policy.campaign.resample_hours
    tube_rows = []
    tube_hh: dict[str, np.ndarray] = {}
    for tube in sorted(positive_tubes):
        mine = sub[sub["tube"] == tube]
        if not len(mine):
            continue
        res = mine["resident"].to_numpy()
        hh = np.unique(r.household[res[res >= 0]])
        tube_hh[tube] = hh
        at = reported_at.get(tube)
        if at is None or pd.isna(at):
            at = pd.Timestamp(mine["sampled_at"].max())
        at = pd.Timestamp(at)
        tube_rows.append(
            {
                "tube": tube,
                "box": str(mine["box"].iloc[0]),
                "site": str(mine["site"].iloc[0]),
                "sampled_from": pd.Timestamp(mine["sampled_at"].min()).strftime(
                    "%H:%M"
                ),
                "sampled_to": pd.Timestamp(mine["sampled_at"].max()).strftime("%H:%M"),
                "reported_at": at.strftime("%Y-%m-%d %H:%M"),
                "people": len(mine),
                "residents": int((res >= 0).sum()),
                "unresolved": int((res < 0).sum()),
                "households": len(hh),
                "buildings": len(np.unique(h.building[hh])),
                "control_by": (
                    at + pd.Timedelta(minutes=policy.closure.positive_response_min)
                ).strftime("%H:%M"),
                "resample_by": (at + pd.Timedelta(hours=hours)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                "_start": int(at.hour * 60 + at.minute),
                "_day": at.normalize(),
            }
        )
    tubes = pd.DataFrame(tube_rows)
    # temporary control: the tube's residents and everyone living with them
    ctl_rows = []
    in_tube_res = set(people.loc[people["resident"] >= 0, "resident"].tolist())
    for tube, hh in tube_hh.items():
        for x in hh:
            for who in np.flatnonzero(r.household == x):
                ctl_rows.append(
                    {
                        "tube": tube,
                        "resident_id": r.id[who],
                        "name": r.name[who],
                        "id_number": r.id_number[who],
                        "phone": r.phone[who],
                        "age": int(r.age[who]),
                        "in_tube": int(who) in in_tube_res,
                        "household_id": h.id[x],
                        "building_id": b.id[h.building[x]],
                        "address": b.address[h.building[x]],
                        "unit": h.unit[x],
                        "room": h.room[x],
                    }
                )
    control = pd.DataFrame(
        ctl_rows,
        columns=[
            "tube",
            "resident_id",
            "name",
            "id_number",
            "phone",
            "age",
            "in_tube",
            "household_id",
            "building_id",
            "address",
            "unit",
            "room",
        ],
    ).drop_duplicates("resident_id")
    # single-tube re-sampling at home, per tube, within the hours from its result
    teams: list[HomeVisitTeam] = []
    visits: list[dict[str, object]] = []
    dropped: list[int] = []
    done: set[int] = set()
    for i, row in enumerate(tube_rows):
        tube = str(row["tube"])
        hh = np.asarray(
            [x for x in tube_hh[tube] if int(x) not in done], dtype=np.int64
        )
        done |= set(hh.tolist())
        if not len(hh):
            continue
        start = int(str(row["_start"]))
        end = start + round(hours * 60)
        depot = _nearest_site(scenario, hh)
        routed, missed = route_stops(
            scenario,
            policy,
            hh,
            depot,
            (start * 60, end * 60),
            time_limit_s=time_limit_s,
            seed=0,
            team_id=numbered(f"YX{i + 1:02d}-T"),
        )
        teams.extend(routed)
        dropped.extend(missed.tolist())
        for t in routed:
            for x, arrive in zip(t.households, t.arrive_min, strict=True):
                visits.append(
                    {
                        "tube": tube,
                        "household_id": h.id[x],
                        "building_id": b.id[h.building[x]],
                        "people": int(h.size[x]),
                        "team_id": t.team_id,
                        "arrive": hhmm(arrive % 1440),
                        "due_by": hhmm(end % 1440),
                        "within": bool(start <= arrive and t.finish_min <= end),
                    }
                )
    visits_frame = pd.DataFrame(
        visits,
        columns=[
            "tube",
            "household_id",
            "building_id",
            "people",
            "team_id",
            "arrive",
            "due_by",
            "within",
        ],
    )
    n_hh = len(done)
    n_people = int(h.size[list(done)].sum()) if done else 0
    hv = policy.home_visit
    picks = (
        round_consumption(
            [
                Drivers(
                    "RESAMPLE",
                    person=n_people,
                    tube_single=n_people,
                    sampler_shift=len(teams),
                    support_shift=len(teams) * max(0, hv.team_size - 1),
                    home_visit_household=n_hh,
                )
            ],
            policy,
        )
        if n_hh
        else pd.DataFrame()
    )
    nxt = []
    for tube, hh in tube_hh.items():
        for x in hh:
            nxt.append(
                {
                    "building_id": b.id[h.building[x]],
                    "household_id": h.id[x],
                    "status": HOUSEHOLD_PENDING,
                    "tube": tube,
                }
            )
    next_round = pd.DataFrame(
        nxt, columns=["building_id", "household_id", "status", "tube"]
    )
    if len(next_round):
        blds = next_round.drop_duplicates("building_id")[
            ["building_id", "tube"]
        ].assign(household_id="", status=BUILDING_CONTROLLED)
        next_round = pd.concat(
            [next_round, blds[next_round.columns]], ignore_index=True
        )
        next_round = next_round.drop_duplicates(["building_id", "household_id"])
        next_round = next_round.sort_values(
            ["building_id", "household_id"]
        ).reset_index(drop=True)
    if len(tubes):
        tubes = tubes.drop(columns=["_start", "_day"])
    return PositiveFollowUp(
        tubes,
        people,
        control.reset_index(drop=True),
        tuple(teams),
        visits_frame,
        np.asarray(sorted(dropped), dtype=np.int64),
        picks,
        next_round,
        tuple(t for t in sorted(positive_tubes) if t not in tube_hh),
    )


def _nearest_site(scenario: Scenario, stops: IntArray) -> int:
    s, b, h = scenario.sites, scenario.buildings, scenario.households
    cx = float(b.x_m[h.building[stops]].mean())
    cy = float(b.y_m[h.building[stops]].mean())
    return int(np.argmin(np.hypot(s.x_m - cx, s.y_m - cy)))
