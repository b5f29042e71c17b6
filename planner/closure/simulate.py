"""Turn a drilled day into the records a registration system and the labs would give.

One replication of the drill's day (:mod:`planner.drill`): who comes when (no-shows,
early, late, walk-ins of a surge), which desk serves them and when, as
:func:`planner.drill.desks.serve_fcfs` plays it; door-to-door teams sample their
households as routed. Each swab becomes a record: the resident's name, ID number and
phone, the site, desk, time, tube and transport box. Pooled swabs fill a desk's tube
``pool_size`` at a time; key-group residents and sealed households get their own tubes.

Then what real days have, seeded: ID numbers mistyped (a wrong digit: matched by name
and phone), left out, or a *valid* ID number that is not the resident's (ambiguous);
ID number and phone both mistyped (unmatched); visitors not in the register; people
swabbed twice. Grid workers fill reasons for part of the people who did not come.
Two pooled tubes come back positive.

The truth says what the closing must find: who is counted as sampled (a person whose
records are ambiguous or unmatched is *not*: the street cannot know it was them),
which reasons come back, and which residents are in the positive tubes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.drill.day import build_day
from planner.drill.desks import serve_fcfs
from planner.drill.simulate import SITE_SEED, _arrivals
from planner.io.records import RECORD_COLUMNS
from planner.model.identity import id_check_char
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario

BOX_TUBES = 40
"""Tubes per transport box (a box goes when full or at a pick-up) [D]."""

RESULT_DELAY_MIN = 300
"""Minutes from a tube's box closing to its result in the simulated lab [D]."""


@dataclass(frozen=True)
class SimulatedDay:
    """A simulated day's records, results and truth.

    Attributes
    ----------
    records
        One row per swab: ``name``, ``id_number``, ``phone``, ``site``, ``desk``,
        ``sampled_at`` (datetime64[s]), ``tube``, ``box``, and the truth columns
        ``resident`` (-1: visitor) and ``kind`` (``ok``, ``id_typo``, ``no_id``,
        ``id_conflict``, ``lost``, ``visitor``, ``repeat``).
    results
        ``tube``, ``result``, ``reported_at``, ``lab``.
    truth
        One row per resident: ``resident_id``, ``grid_id``, ``counted`` (the closing
        must count them sampled), ``reason`` (what the grid worker fills, "" none).
    positive_tubes
        The two positive tubes.
    """

    records: pd.DataFrame
    results: pd.DataFrame
    truth: pd.DataFrame
    positive_tubes: tuple[str, ...]


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _visitor(rng: np.random.Generator) -> tuple[str, str, str]:
    name = str(rng.choice(list(_SURNAMES))) + "".join(
        rng.choice(list(_GIVEN), size=int(rng.integers(1, 3)))
    )
    born = dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 25000)))
    area = int(rng.integers(110000, 650000))
    first17 = f"{area:06d}{born:%Y%m%d}{int(rng.integers(0, 1000)):03d}"
    phone = f"1{int(rng.integers(30, 99))}{int(rng.integers(0, 10**8)):08d}"
    return name, first17 + id_check_char(first17), phone


def _members(scenario: Scenario) -> list[np.ndarray]:
    """Residents of each household, key group first."""
    r = scenario.residents
    assert r is not None
    order = np.lexsort((np.arange(len(r)), ~r.key_group, r.household))
    bounds = np.searchsorted(
        r.household[order], np.arange(len(scenario.households) + 1)
    )
    return [order[bounds[i] : bounds[i + 1]] for i in range(len(scenario.households))]


def simulate_day(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    *,
    day: dt.date,
    seed: int = 0,
    typos: int = 20,
    visitors: int = 25,
    positives: int = 2,
) -> SimulatedDay:
    """Simulate one screening day's records and results.

    Parameters
    ----------
    scenario, plan, policy
        The street, its plan and the policy (drill shares of no-shows and lateness).
    day
        The date of the records.
    seed
        Seed of every draw.
    typos
        Records with a mistyped ID number (matched by name and phone); a fifth as
        many each are left without an ID, given another valid ID, or lose ID and
        phone.
    visitors
        People not in the register who are sampled.
    positives
        Pooled tubes that come back positive.
    """
    r = scenario.residents
    if r is None:
        raise ValueError("simulating records needs the person-level register")
    rng = np.random.default_rng([seed, 33])
    members = _members(scenario)
    drill = build_day(scenario, plan, policy, seed=seed)
    pool = policy.pooling.default_pool_size
    base = np.datetime64(day.isoformat() + "T00:00:00", "s")
    rows: list[tuple[int, str, str, float, str, str]] = []
    # (resident or -1, site, desk, minute, tube, box)
    for site in drill.sites:
        site_rng = np.random.default_rng([seed, SITE_SEED + site.site, 33])
        arrive, pooled, _no, _sealed, slot = _arrivals(site, drill, 1, site_rng)
        arrive, pooled, slot = arrive[0], pooled[0], slot[0]
        people = site.hh_single + site.hh_pooled
        per_hh = np.repeat(site.households, people)
        rank = np.arange(len(per_hh)) - np.repeat(np.cumsum(people) - people, people)
        n_booked = len(per_hh)
        order = np.argsort(arrive, kind="stable")
        mean = 60.0 / policy.sampling.sampler_rate_per_h
        service = site_rng.lognormal(np.log(mean), 0.3, len(order))
        served = serve_fcfs(
            arrive[order][None, :], service[None, :], pooled[order][None, :], site.setup
        )
        start = served.start[0]
        desk = served.desk[0]
        open_tube: dict[int, tuple[str, int]] = {}
        n_tubes = 0
        box_tubes = 0
        box_no = 1
        for k in np.argsort(start, kind="stable"):
            if not np.isfinite(start[k]):
                continue
            p = int(order[k])
            if p < n_booked:
                hh = int(per_hh[p])
                mem = members[hh]
                who = int(mem[rank[p]]) if rank[p] < len(mem) else -2
            else:
                who = -1  # a walk-in of the surge: not in the register
            if who == -2:
                continue
            d = int(desk[k])
            if pooled[p] and d in open_tube and open_tube[d][1] < pool:
                tube, used = open_tube[d]
                open_tube[d] = (tube, used + 1)
            else:
                n_tubes += 1
                box_tubes += 1
                if box_tubes > BOX_TUBES:
                    box_no, box_tubes = box_no + 1, 1
                tube = f"{site.site_id}{d + 1:02d}{n_tubes:05d}"
                if pooled[p]:
                    open_tube[d] = (tube, 1)
            box = f"X{site.site_id}{box_no:03d}"
            rows.append((who, site.site_id, f"{d + 1}", float(start[k]), tube, box))
    # door-to-door teams: sealed households one tube each, others pooled along the route
    h = scenario.households
    for team in plan.teams:
        used = pool
        tube = ""
        n_tubes = 0
        for hh, at in zip(team.households, team.arrive_min, strict=True):
            minute = float(at) + float(rng.uniform(0, 10))
            prefix = team.team_id.replace("-", "")
            if h.sealed[hh]:  # a sealed home: its own tube, for the household
                n_tubes += 1
                own = f"{prefix}{n_tubes:04d}"
                for who in members[hh]:
                    rows.append(
                        (int(who), team.team_id, "1", minute, own, f"X{prefix}")
                    )
                continue
            for who in members[hh]:
                if r.key_group[who]:
                    n_tubes += 1
                    own = f"{prefix}{n_tubes:04d}"
                    rows.append(
                        (int(who), team.team_id, "1", minute, own, f"X{prefix}")
                    )
                    continue
                if used >= pool:
                    n_tubes += 1
                    tube = f"{prefix}{n_tubes:04d}"
                    used = 0
                used += 1
                rows.append((int(who), team.team_id, "1", minute, tube, f"X{prefix}"))
    frame = pd.DataFrame(
        rows, columns=["resident", "site", "desk", "minute", "tube", "box"]
    )
    frame["kind"] = np.where(frame["resident"] >= 0, "ok", "visitor")
    # identities as written
    ids = np.asarray(r.id_number, dtype=object)
    frame["name"] = ""
    frame["id_number"] = ""
    frame["phone"] = ""
    reg = frame["resident"].to_numpy() >= 0
    reg_who = frame["resident"].to_numpy()[reg]
    frame.loc[reg, "name"] = r.name[reg_who]
    frame.loc[reg, "id_number"] = ids[reg_who]
    frame.loc[reg, "phone"] = r.phone[reg_who]
    for i in np.flatnonzero(~reg):
        name, idn, phone = _visitor(rng)
        frame.loc[i, ["name", "id_number", "phone"]] = [name, idn, phone]
    # extra visitors at random sites and times
    extra = []
    sites_seen = frame["site"].unique()
    for _ in range(visitors):
        base_row = frame.iloc[int(rng.integers(0, len(frame)))]
        name, idn, phone = _visitor(rng)
        extra.append(
            {
                "resident": -1,
                "site": base_row["site"],
                "desk": base_row["desk"],
                "minute": float(base_row["minute"]) + float(rng.uniform(0, 5)),
                "tube": base_row["tube"],
                "box": base_row["box"],
                "kind": "visitor",
                "name": name,
                "id_number": idn,
                "phone": phone,
            }
        )
    del sites_seen
    frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    # mistakes, on distinct residents with a phone and an ID
    known = set(ids.tolist())
    ok_rows = np.flatnonzero(frame["kind"].to_numpy() == "ok")
    n_each = max(1, typos // 5)
    picks = rng.choice(
        ok_rows, size=min(len(ok_rows), typos + 3 * n_each), replace=False
    )
    plan_kinds = (
        ["id_typo"] * typos
        + ["no_id"] * n_each
        + ["id_conflict"] * n_each
        + ["lost"] * n_each
    )
    for i, kind in zip(picks, plan_kinds, strict=False):
        idn = str(frame.at[i, "id_number"])
        if kind in ("id_typo", "lost"):
            pos = int(rng.integers(6, 17))
            digit = str((int(idn[pos]) + 1 + int(rng.integers(0, 8))) % 10)
            bad = idn[:pos] + digit + idn[pos + 1 :]
            if id_check_char(bad[:17]) == bad[17]:  # still valid by chance: break check
                bad = bad[:17] + ("0" if bad[17] != "0" else "1")
            frame.at[i, "id_number"] = bad
            if kind == "lost":
                ph = str(frame.at[i, "phone"])
                frame.at[i, "phone"] = ph[:-1] + str((int(ph[-1]) + 1) % 10)
        elif kind == "no_id":
            frame.at[i, "id_number"] = ""
        else:
            first17 = idn[:14] + f"{(int(idn[14:17]) + 1) % 1000:03d}"
            other = first17 + id_check_char(first17)
            if other in known:
                continue
            frame.at[i, "id_number"] = other
        frame.at[i, "kind"] = kind
    # a few people swabbed twice, later, at the same site (a repeat)
    again = rng.choice(
        np.flatnonzero(frame["kind"].to_numpy() == "ok"), size=10, replace=False
    )
    rep = frame.iloc[again].copy()
    rep["minute"] = rep["minute"] + 30
    rep["kind"] = "repeat"
    frame = pd.concat([frame, rep], ignore_index=True)
    frame["sampled_at"] = base + (np.rint(frame["minute"].to_numpy() * 60)).astype(
        "timedelta64[s]"
    )
    frame = frame.sort_values(
        ["sampled_at", "site", "desk"], kind="stable"
    ).reset_index(drop=True)
    # truth: counted when a record of theirs matches without doubt
    counted = np.zeros(len(r), dtype=bool)
    good = frame["kind"].isin(["ok", "id_typo", "no_id", "repeat"]).to_numpy()
    counted[frame["resident"].to_numpy()[good]] = True
    # reasons the grid workers bring back for people who did not come
    reason = np.full(len(r), "", dtype=object)
    came = np.zeros(len(r), dtype=bool)
    came[frame["resident"].to_numpy()[frame["resident"].to_numpy() >= 0]] = True
    absent = np.flatnonzero(~came)
    u = rng.random(len(absent))
    reason[absent[u < 0.30]] = "away"
    reason[absent[(u >= 0.30) & (u < 0.40)]] = "elsewhere"
    reason[absent[(u >= 0.40) & (u < 0.43)]] = "hospital"
    reason[absent[(u >= 0.43) & (u < 0.45)]] = "refused"
    reason[absent[r.age[absent] < 1]] = "infant"
    b = scenario.buildings
    truth = pd.DataFrame(
        {
            "resident_id": r.id,
            "grid_id": np.asarray(scenario.grid_ids, dtype=object)[
                b.grid[h.building[r.household]]
            ],
            "counted": counted,
            "reason": reason,
        }
    )
    # results: pooled tubes of matched residents; two positive
    tube_sizes = frame[frame["kind"] == "ok"].groupby("tube").size()
    pooled_tubes = sorted(tube_sizes[tube_sizes >= 5].index)
    pos_tubes = tuple(
        sorted(
            str(t)
            for t in rng.choice(
                pooled_tubes, size=min(positives, len(pooled_tubes)), replace=False
            )
        )
    )
    closed = frame.groupby("tube")["sampled_at"].max()
    reported = closed + np.timedelta64(RESULT_DELAY_MIN * 60, "s")
    last = frame["sampled_at"].max()
    # the tubes of the day's last hour are still in the lab
    back = closed <= last - np.timedelta64(3600, "s")
    back[list(pos_tubes)] = True
    results = pd.DataFrame(
        {
            "tube": closed.index[back.to_numpy()].astype(str),
            "result": np.where(
                closed.index[back.to_numpy()].isin(pos_tubes), "positive", "negative"
            ),
            "reported_at": reported[back].to_numpy(),
            "lab": "",
        }
    )
    out = frame[[*RECORD_COLUMNS, "box", "resident", "kind"]]
    return SimulatedDay(out, results.reset_index(drop=True), truth, pos_tubes)
