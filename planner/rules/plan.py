"""Check a written plan against the rules, one validator per rule, returning all findings.

The validators read only the scenario, the policy and the plan's tables, and recompute
what they need (walking distances, work, slot capacities) rather than trusting the
plan, so they check any plan, whoever made it. Rule numbers refer to
``domain-rules.md`` §7.

A finding is one of three kinds (``planner check`` prints and exits by the worst):

- ``rule``: a rule is broken; the plan must not be used as it is (exit 1);
- ``gap``: the plan is sound but something needs action before the day: unfilled
  posts, stock below the reserve rule, transport at risk, a certification target
  missed, an open site nobody is booked into (exit 3);
- ``note``: the plan deviates from a norm, with the reason (exit 0).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from planner.geo.walking import walk_arcs
from planner.model.clock import day_clock_words, hhmm, minutes_of
from planner.model.edits import Edits
from planner.model.plan_tables import PlanTables
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.capacity import queue_wait_factor, slot_grid
from planner.planning.custody import Box
from planner.planning.demand import household_demand
from planner.planning.labs import Lab
from planner.planning.norms import NORM_LABELS
from planner.round.edits import edit_findings
from planner.solve.queueing import mean_wait_min
from planner.text import LANGS, Lang, holder_name, join_list, role_name, tr, tr_both

Kind = Literal["rule", "gap", "note"]
"""What a finding is: a broken rule, a gap that needs action, or a note."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule at one place.

    Attributes
    ----------
    rule
        Rule name, e.g. ``walk_limit``.
    where
        What breaks it: a household, site or slot id.
    zh, en
        The explanation, in Chinese and English.
    kind
        ``rule`` (broken), ``gap`` (needs action) or ``note``. Default ``rule``.
    """

    rule: str
    where: str
    zh: str
    en: str
    kind: Kind = "rule"

    def render(self, lang: Lang = "zh") -> str:
        """Return one line for the user, tagged with its kind."""
        tag = tr(f"finding_tag_{self.kind}", lang)
        text = self.zh if lang == "zh" else self.en
        if not self.where:
            return f"{tag} [{self.rule}] {text}"
        return f"{tag} [{self.rule}] {self.where}: {text}"


def _finding(
    rule: str, where: str, key: str, /, kind: Kind = "rule", **values: object
) -> Violation:
    """Return a finding explained by text `key` of :mod:`planner.text`, in both."""
    zh, en = tr_both(key, **values)
    return Violation(rule, where, zh, en, kind)


Checker = Callable[[Scenario, Policy, PlanTables], list[Violation]]


def _minutes(value: str) -> int:
    return minutes_of(value) if value else -1


def check_every_household_once(
    s: Scenario, p: Policy, f: PlanTables
) -> list[Violation]:
    """Check every household appears once; unassigned ones are listed with a reason."""
    out: list[Violation] = []
    ids = f.assignments["household_id"]
    dup = ids[ids.duplicated()].unique().tolist()
    for hid in dup[:20]:
        out.append(_finding("household_once", hid, "finding_household_twice"))
    missing = sorted(set(s.households.id.tolist()) - set(ids))
    for hid in missing[:20]:
        out.append(_finding("household_once", hid, "finding_household_missing"))
    if len(missing) > 20:
        out.append(
            _finding(
                "household_once",
                f"+{len(missing) - 20}",
                "finding_households_more_missing",
            )
        )
    un = f.assignments.loc[f.assignments["mode"] == "unassigned", "household_id"]
    listed = (
        f.unassigned.set_index("household_id")["reason"]
        if len(f.unassigned)
        else pd.Series(dtype=str)
    )
    for hid in un:
        if hid not in listed.index or not listed[hid]:
            out.append(
                _finding("unassigned_reason", hid, "finding_unassigned_no_reason")
            )
    bad_mode = ~f.assignments["mode"].isin(["walk_up", "home_visit", "unassigned"])
    for hid in f.assignments.loc[bad_mode, "household_id"]:
        out.append(_finding("household_once", hid, "finding_mode_unknown"))
    return out


def _walkups(f: PlanTables) -> pd.DataFrame:
    return f.assignments[f.assignments["mode"] == "walk_up"]


def check_walk_limit(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 4: every walk-up household's site is within its walk limit."""
    arcs = walk_arcs(s, p.walking)
    reach = {
        (int(b), int(j)): int(m)
        for b, j, m in zip(arcs.building, arcs.site, arcs.walk_m, strict=True)
    }
    b_index = {v: i for i, v in enumerate(s.buildings.id.tolist())}
    s_index = {v: i for i, v in enumerate(s.sites.id.tolist())}
    out = []
    for row in _walkups(f).itertuples():
        key = (b_index.get(row.building_id, -1), s_index.get(row.site_id, -1))
        if key not in reach:
            limit = p.walking.walk_limit_min
            out.append(
                _finding(
                    "walk_limit",
                    str(row.household_id),
                    "finding_walk_limit",
                    site=row.site_id,
                    limit=limit,
                )
            )
    return out


def check_building_one_site(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check a building's walk-up households all go to one site."""
    per = _walkups(f).groupby("building_id")["site_id"].nunique()
    return [
        _finding("building_one_site", str(b), "finding_building_split", n=n)
        for b, n in per[per > 1].items()
    ]


def check_site_sizes(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 3: people per site and desk, desks within maximum, fixed sites open."""
    out = []
    sites = f.sites.set_index("site_id")
    people = (
        _walkups(f)
        .assign(n=lambda d: d["people"].astype(int))
        .groupby("site_id")["n"]
        .sum()
    )
    for j, sid in enumerate(s.sites.id.tolist()):
        row = sites.loc[sid] if sid in sites.index else None
        is_open = row is not None and str(row["open"]).lower() == "true"
        desks = int(row["desks"]) if row is not None and row["desks"] else 0
        n = int(people.get(sid, 0))
        if n and not is_open:
            out.append(_finding("site_open", sid, "finding_site_not_open"))
        if is_open and desks < 1:
            out.append(_finding("site_desks", sid, "finding_site_no_desk"))
        if desks > int(s.sites.max_desks[j]):
            out.append(
                _finding(
                    "site_desks",
                    sid,
                    "finding_desks_over_max",
                    desks=desks,
                    max_desks=int(s.sites.max_desks[j]),
                )
            )
        if n > p.sampling.max_people_per_site:
            out.append(
                _finding(
                    "site_people",
                    sid,
                    "finding_site_people",
                    people=n,
                    max_people=p.sampling.max_people_per_site,
                )
            )
        if desks and n > p.sampling.max_people_per_desk * desks:
            out.append(
                _finding(
                    "desk_people",
                    sid,
                    "finding_desk_people",
                    per_desk=n / desks,
                    max_people=p.sampling.max_people_per_desk,
                )
            )
        if s.sites.fixed[j] and not is_open and sid not in _closed_by_edits(f):
            out.append(_finding("fixed_site", sid, "finding_fixed_site_closed"))
    return out


def check_slots(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rules 1, 4, 5: slots in the window and opening hours; load and queue."""
    out = []
    grid = slot_grid(s.sites, p)
    demand = household_demand(s, p)
    h_index = {v: i for i, v in enumerate(s.households.id.tolist())}
    s_index = {v: i for i, v in enumerate(s.sites.id.tolist())}
    desks = dict(zip(f.sites["site_id"], f.sites["desks"], strict=True))
    w = _walkups(f)
    start_of = {int(m): k for k, m in enumerate(grid.start_min.tolist())}
    load: dict[tuple[int, int], float] = {}
    for row in w.itertuples():
        k = start_of.get(_minutes(str(row.slot_start)), -1)
        j = s_index.get(str(row.site_id), -1)
        if k < 0 or j < 0:
            out.append(
                _finding(
                    "slot_window",
                    str(row.household_id),
                    "finding_slot_outside",
                    slot=row.slot_start,
                )
            )
            continue
        if not grid.usable[j, k]:
            out.append(
                _finding(
                    "slot_hours",
                    str(row.household_id),
                    "finding_slot_hours",
                    site=row.site_id,
                    slot=row.slot_start,
                )
            )
        i = h_index.get(str(row.household_id), -1)
        load[(j, k)] = load.get((j, k), 0.0) + (
            float(demand.units[i]) if i >= 0 else 0.0
        )
    mu = p.sampling.sampler_rate_per_h * p.sampling.samplers_per_desk / 60.0
    for (j, k), units in sorted(load.items()):
        sid = str(s.sites.id[j])
        d = int(desks.get(sid, 0) or 0)
        cap = grid.slot_capacity(d)
        label = grid.label(k)[0]
        if units > cap + 1e-6 and units > float(demand.units.max()):
            out.append(
                _finding(
                    "slot_capacity",
                    f"{sid} {label}",
                    "finding_slot_capacity",
                    units=units,
                    desks=d,
                    capacity=cap,
                )
            )
        wait = mean_wait_min(
            max(d, 1), units / grid.slot_minutes, mu
        ) * queue_wait_factor(p)
        if wait > p.queue.max_wait_min + 1e-6 and units > float(demand.units.max()):
            out.append(
                _finding(
                    "queue_wait",
                    f"{sid} {label}",
                    "finding_queue_wait",
                    wait=wait,
                    max_wait=p.queue.max_wait_min,
                )
            )
    return out


def check_tubes(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 7: pool sizes allowed; key groups single; sealed households one tube."""
    out = []
    demand = household_demand(s, p)
    if (
        p.pooling.key_group_pool_size != 1
        or p.pooling.default_pool_size not in p.pooling.allowed_pool_sizes
    ):
        out.append(_finding("pooling", "policy", "finding_pooling"))
    expected = dict(
        zip(s.households.id.tolist(), demand.tube_mode.tolist(), strict=True)
    )
    for row in f.assignments.itertuples():
        want = expected.get(str(row.household_id))
        if want is not None and row.tube_mode != want:
            out.append(
                _finding(
                    "tube_mode",
                    str(row.household_id),
                    "finding_tube_mode",
                    want=want,
                    got=row.tube_mode,
                )
            )
    return out


def check_home_visits(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 9: homebound and sealed households are visited in the window."""
    out = []
    demand = household_demand(s, p)
    mode = dict(zip(f.assignments["household_id"], f.assignments["mode"], strict=True))
    for hid in s.households.id[demand.home_visit].tolist():
        if mode.get(hid) == "walk_up":
            out.append(_finding("home_visit", hid, "finding_home_visit_at_site"))
    visited = set(f.home_visits["household_id"])
    for hid, m in mode.items():
        if m == "home_visit" and hid not in visited:
            out.append(_finding("home_visit", hid, "finding_home_visit_no_team"))
    lo, hi = p.round.start_min, p.round.end_min
    for team, rows in f.home_visits.groupby("team_id"):
        times = [
            _minutes(t)
            for t in rows.sort_values("stop", key=lambda c: c.astype(int))["arrive"]
        ]
        if any(t < lo or t > hi for t in times):
            out.append(
                _finding("home_visit_window", str(team), "finding_visit_outside_window")
            )
        if times != sorted(times):
            out.append(_finding("home_visit_order", str(team), "finding_visit_order"))
    return out


def check_samplers(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 2: desks on duty can sample the walk-up people in the window."""
    people = int(_walkups(f)["people"].astype(int).sum())
    desks = int(pd.to_numeric(f.sites["desks"], errors="coerce").fillna(0).sum())
    needed = int(
        np.ceil(people / (p.sampling.sampler_rate_per_h * p.round.window_hours))
    )
    on_duty = desks * p.sampling.samplers_per_desk
    if on_duty < needed:
        return [
            _finding(
                "samplers",
                "street",
                "finding_samplers_short",
                on_duty=on_duty,
                needed=needed,
            )
        ]
    return []


def _records(frame: pd.DataFrame | None) -> list[dict[str, str]]:
    if frame is None:
        return []
    return [{str(k): str(v) for k, v in r.items()} for r in frame.to_dict("records")]


def check_roster(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 10 and the roster: qualification, one place at a time, rest, cover."""
    if f.staff is None:
        return []
    from collections import Counter

    from planner.planning.staffing import SAMPLER_ROLES

    out: list[Violation] = []
    role_of = dict(zip(s.staff.id.tolist(), s.staff.role.tolist(), strict=True))
    avail = {
        sid: (int(a), int(b))
        for sid, a, b in zip(
            s.staff.id.tolist(),
            s.staff.available_from_min.tolist(),
            s.staff.available_to_min.tolist(),
            strict=True,
        )
    }
    shifts = {sh.index: sh for sh in _periods(p, f)}
    limit = p.staff.heat_shift_hours if p.heat.enabled else p.staff.shift_hours
    for sh in shifts.values():
        if (sh.end_min - sh.start_min) > limit * 60 + 1e-6:
            out.append(
                _finding(
                    "shift_length", sh.label(), "finding_shift_too_long", hours=limit
                )
            )
    rows = _records(f.staff)
    places: Counter[tuple[str, int]] = Counter()
    worked: dict[str, set[int]] = {}
    for row in rows:
        sid, shift = row["staff_id"], int(row["shift"])
        places[sid, shift] += 1
        worked.setdefault(sid, set()).add(shift)
        if sid not in role_of:
            out.append(_finding("roster_staff", sid, "finding_roster_unknown_staff"))
            continue
        if row["role"] in SAMPLER_ROLES and role_of[sid] != "sampler":
            out.append(
                _finding(
                    "roster_qualification",
                    sid,
                    "finding_roster_not_medical",
                    role_zh=row["role_zh"],
                    role=row["role"],
                )
            )
        if shift not in shifts:
            out.append(_finding("roster_shift", sid, "finding_roster_unknown_shift"))
            continue
        this = shifts[shift]
        a, b = avail[sid]
        if this.start_min < a or this.end_min > b:
            out.append(
                _finding(
                    "roster_availability",
                    sid,
                    "finding_roster_unavailable",
                    shift=this.label(),
                )
            )
    for (sid, shift), n in places.items():
        if n > 1:
            out.append(
                _finding(
                    "roster_overlap", sid, "finding_roster_overlap", shift=shift, n=n
                )
            )
    full_ppe = {
        r["staff_id"]
        for r in rows
        if r["role"] in SAMPLER_ROLES or p.staff.support_full_ppe
    }
    periods = tuple(shifts[i] for i in sorted(shifts))
    for sid, idx in sorted(worked.items()):
        if sid in full_ppe:
            out.extend(_pattern_findings(sid, idx, periods, p))
    need: Counter[tuple[str, str, str]] = Counter()
    for r in _records(f.staff_requirements):
        need[r["site_id"], r["shift"], r["role"]] += int(r["needed"])
    got: Counter[tuple[str, str, str]] = Counter()
    for r in rows:
        got[r["site_id"], r["shift"], r["role"]] += 1
    for r in _records(f.staff_shortfall):
        got[r["site_id"], r["shift"], r["role"]] += int(r["missing"])
    for key, n in need.items():
        if got[key] != n:
            out.append(
                _finding(
                    "roster_cover",
                    " ".join(key),
                    "finding_roster_cover",
                    needed=n,
                    got=got[key],
                )
            )
    return out


def _periods(p: Policy, f: PlanTables) -> tuple[Any, ...]:
    """Return the plan's roster periods.

    From its requirements table when it has one (the plan's own grid), else from
    the policy.
    """
    from planner.planning.staffing import Shift, roster_periods

    req = f.staff_requirements
    if req is None or not len(req) or "shift_start" not in req.columns:
        return roster_periods(p)
    grid = req[["shift", "shift_start", "shift_end"]].drop_duplicates()
    found = {
        int(str(a)): Shift(int(str(a)), _minutes(str(b)), _minutes(str(c)))
        for a, b, c in zip(
            grid["shift"], grid["shift_start"], grid["shift_end"], strict=True
        )
    }
    return tuple(found[i] for i in sorted(found))


def _pattern_findings(
    sid: str, worked: set[int], periods: tuple[Any, ...], p: Policy
) -> list[Violation]:
    """Check one person in full PPE against the shift rules, period by period.

    A shift is a run of consecutive periods: each at most the PPE limit, at least
    the rest between two, at most ``staff.shifts_per_day`` of them and
    ``staff.max_hours_per_day`` in all (rule 10).
    """
    from planner.planning.staffing import blocks_of, max_work_min, shift_limit_min

    at = {sh.index: k for k, sh in enumerate(periods)}
    blocks = blocks_of(periods, frozenset(at[i] for i in worked if i in at))
    out: list[Violation] = []
    limit = shift_limit_min(p)
    rest = p.staff.min_rest_hours * 60
    for a, b in blocks:
        if b - a > limit + 1e-6:
            out.append(
                _pattern_finding(
                    "shift_length",
                    sid,
                    "roster_why_block",
                    minutes=b - a,
                    limit=round(limit),
                )
            )
    for (_a, b), (c, _d) in itertools.pairwise(blocks):
        if c - b < rest - 1e-6:
            out.append(
                _finding(
                    "roster_rest",
                    sid,
                    "finding_roster_rest",
                    hours=p.staff.min_rest_hours,
                )
            )
    if len(blocks) > p.staff.shifts_per_day:
        out.append(
            _pattern_finding(
                "roster_shifts",
                sid,
                "roster_why_shifts",
                n=len(blocks),
                limit=p.staff.shifts_per_day,
            )
        )
    hours = sum(b - a for a, b in blocks) / 60.0
    if hours * 60.0 > max_work_min(p) + 1e-6:
        out.append(
            _pattern_finding(
                "roster_hours",
                sid,
                "roster_why_hours",
                hours=hours,
                limit=max_work_min(p) / 60.0,
            )
        )
    return out


def _pattern_finding(rule: str, sid: str, why: str, **values: object) -> Violation:
    """Return a shift-rule finding for person `sid`, the reason `why` in each language."""
    zh, en = (
        tr("roster_finding_pattern", lang, staff=sid, why=tr(why, lang, **values))
        for lang in LANGS
    )
    return Violation(rule, sid, zh, en)


def _requirements(f: PlanTables) -> pd.DataFrame:
    req = f.staff_requirements
    if req is None:
        return pd.DataFrame(columns=["site_id", "shift", "role", "needed"])
    return req.assign(needed=pd.to_numeric(req["needed"], errors="coerce").fillna(0))


def _shifts_worked(f: PlanTables) -> pd.DataFrame:
    """Shifts worked per site or team and role, from the plan's roster tables.

    As :func:`planner.planning.roster.shift_counts` counts them; the requirements
    for a plan without a roster.
    """
    from planner.planning.roster import Roster, shift_counts

    if f.staff is None or f.staff_shortfall is None:
        return _requirements(f)
    return shift_counts(Roster(f.staff, f.staff_shortfall, "", 0.0))


def _walkup_sites(s: Scenario, f: PlanTables) -> set[str]:
    """Open sites that walk-up households are booked into."""
    return set(_walkups(f)["site_id"].astype(str)) - {""}


def check_support_ratio(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 12: at walk-up sites, support staff per sampler ≥ the policy ratio."""
    req = _requirements(f)
    out = []
    sites = _walkup_sites(s, f)
    for (sid, shift), g in req[req["site_id"].isin(sites)].groupby(
        ["site_id", "shift"], sort=True
    ):
        samplers = float(g.loc[g["role"] == "sampler", "needed"].sum())
        support = float(g.loc[~g["role"].isin(["sampler"]), "needed"].sum())
        want = p.staff.support_per_sampler * samplers
        if samplers and support + 1e-9 < want:
            out.append(
                _finding(
                    "support_ratio",
                    f"{sid} {shift}",
                    "finding_support_ratio",
                    support=support,
                    samplers=samplers,
                    ratio=p.staff.support_per_sampler,
                    want=want,
                )
            )
    return out


SITE_ROLES = ("site_lead", "registrar", "order_keeper")
"""Roles every open site needs in every shift it runs (点长, 登记扫码, 秩序维护)."""


def _shifts_running(s: Scenario, p: Policy, f: PlanTables) -> dict[str, set[int]]:
    """Per site, the shifts in which it has bookings."""
    out: dict[str, set[int]] = {}
    shifts = _periods(p, f)
    for row in _walkups(f)[["site_id", "slot_start"]].drop_duplicates().itertuples():
        m = _minutes(str(row.slot_start))
        for sh in shifts:
            if sh.start_min <= m < sh.end_min:
                out.setdefault(str(row.site_id), set()).add(sh.index)
    return out


def check_site_roles(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check every open site has a site lead, a registrar and an order keeper per shift."""
    if f.staff_requirements is None:
        return []
    req = _requirements(f)
    have = {
        (str(a), int(b), str(c))
        for a, b, c, n in zip(
            req["site_id"], req["shift"], req["role"], req["needed"], strict=True
        )
        if n > 0
    }
    out = []
    for sid, shifts in sorted(_shifts_running(s, p, f).items()):
        for sh in sorted(shifts):
            missing = [r for r in SITE_ROLES if (sid, sh, r) not in have]
            if missing:
                zh, en = (
                    tr("finding_site_roles", lang, roles=_roles(missing, lang))
                    for lang in LANGS
                )
                out.append(Violation("site_roles", f"{sid} {sh}", zh, en))
    return out


def check_shift_samplers(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 2 per shift: samplers on duty at a site cover its desks in every shift."""
    if f.staff_requirements is None:
        return []
    req = _requirements(f)
    desks = dict(zip(f.sites["site_id"].astype(str), f.sites["desks"], strict=True))
    samplers = (
        req[req["role"] == "sampler"].groupby(["site_id", "shift"])["needed"].sum()
    )
    out = []
    for sid, shifts in sorted(_shifts_running(s, p, f).items()):
        want = int(desks.get(sid, 0) or 0) * p.sampling.samplers_per_desk
        for sh in sorted(shifts):
            got = int(samplers.get((sid, sh), 0))
            if got < want:
                out.append(
                    _finding(
                        "shift_samplers",
                        f"{sid} {sh}",
                        "finding_shift_samplers",
                        got=got,
                        want=want,
                    )
                )
    return out


def check_unfilled_posts(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Gap: roster posts the staff pool cannot fill (samplers apart: desks stand empty)."""
    short = f.staff_shortfall
    if short is None or not len(short):
        return []
    missing = pd.to_numeric(short["missing"], errors="coerce").fillna(0)
    by_role = missing.groupby(short["role"].astype(str)).sum()
    out = []
    samplers = int(by_role.get("sampler", 0) + by_role.get("home_sampler", 0))
    if samplers:
        out.append(
            _finding(
                "unfilled_samplers",
                "staff_shortfall",
                "finding_unfilled_samplers",
                "gap",
                n=samplers,
                walk_up=int(by_role.get("sampler", 0)),
                home=int(by_role.get("home_sampler", 0)),
            )
        )
    out.extend(_sampler_gaps_by_period(f))
    others = {
        str(r): int(n) for r, n in by_role.items() if r not in SAMPLER_ROLES_ and n
    }
    if others:
        n = sum(others.values())

        zh, en = (
            tr(
                "finding_unfilled_posts",
                lang,
                n=n,
                posts=join_list(
                    (f"{role_name(r, lang)} {k}" for r, k in sorted(others.items())),
                    lang,
                ),
            )
            for lang in LANGS
        )
        out.append(Violation("unfilled_posts", "staff_shortfall", zh, en, "gap"))
    return out


def _sampler_gaps_by_period(f: PlanTables) -> list[Violation]:
    """Gap per roster period: sites short of samplers, and those with none at all."""
    short = f.staff_shortfall
    if short is None or not len(short):
        return []
    rows = short[short["role"].astype(str) == "sampler"]
    staffed: set[tuple[str, str]] = set()
    if f.staff is not None and len(f.staff):
        a = f.staff[f.staff["role"].astype(str) == "sampler"]
        staffed = set(
            zip(a["site_id"].astype(str), a["shift"].astype(str), strict=True)
        )
    out = []
    for (shift, start, end), g in rows.groupby(
        [rows["shift"].astype(str), "shift_start", "shift_end"], sort=True
    ):
        sites = sorted(set(g["site_id"].astype(str)))
        empty = [x for x in sites if (x, str(shift)) not in staffed]
        out.append(
            _finding(
                "unfilled_samplers_period",
                f"{start}-{end}",
                "roster_finding_period",
                "gap",
                period=f"{start}-{end}",
                samplers=int(pd.to_numeric(g["missing"]).sum()),
                sites_short=len(sites),
                n_empty=len(empty),
            )
        )
    return out


def _roles(roles: list[str], lang: Lang) -> str:
    """Return staff roles by their names in `lang`, as a list in running text."""
    return join_list((role_name(r, lang) for r in roles), lang)


SAMPLER_ROLES_ = frozenset({"sampler", "home_sampler"})


def check_site_lead_cadre(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check a site lead (点长) is a cadre or community worker, never a volunteer."""
    from planner.planning.staffing import is_volunteer

    if f.staff is None or not len(f.staff):
        return []
    leads = f.staff[f.staff["role"].astype(str) == "site_lead"]
    return [
        _finding(
            "site_lead_cadre",
            str(r.staff_id),
            "finding_site_lead_volunteer",
            organisation=r.organisation,
        )
        for r in leads.itertuples()
        if is_volunteer(str(r.organisation))
    ]


def check_transport(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check rule 13 and custody against the vehicle schedule, recomputing every box.

    From the schedule in ``plan.json`` and the plan's own slots and visits (never the
    plan's headline figures): a schedule exists when there are tubes to carry; about
    one van per ``1 / transport.vehicles_per_site_min`` sites at most; a pick-up
    every ``transport.pickup_interval_h`` at each walk-up site; pick-up to lab within
    ``transport.collection_to_lab_max_h``; every walk-up and door-to-door tube taken
    by a van and at a lab within ``transport.tube_to_lab_max_h`` of its swab; every
    box's result (the labs' intake queues, :mod:`planner.planning.labs`) within
    ``transport.results_within_h`` of the start of sampling.
    """
    from planner.planning.custody import (
        custody,
        site_slots_from_tables,
        teams_from_tables,
    )
    from planner.planning.labs import street_labs

    site_slots = site_slots_from_tables(f.assignments, s, p)
    teams = [t for t in teams_from_tables(f.home_visits, s, p) if t.stops]
    schedule = f.summary.get("transport")
    tubes = sum(n for slots in site_slots.values() for *_, n in slots) + sum(
        x.tubes for t in teams for x in t.stops
    )
    if not isinstance(schedule, list) or not schedule:
        if tubes <= 0:
            return []
        return [
            _finding(
                "transport_schedule",
                "",
                "transport_finding_missing",
                tubes=math.ceil(tubes),
            )
        ]
    gap_max = p.transport.pickup_interval_h * 60
    lab_max = p.transport.collection_to_lab_max_h * 60
    first = dict(
        zip(f.sites["site_id"].astype(str), f.sites["first_slot"], strict=True)
    )
    last = dict(zip(f.sites["site_id"].astype(str), f.sites["last_slot"], strict=True))
    calls: dict[str, list[int]] = {}
    site_vans: set[str] = set()
    out = []
    for van in schedule:
        calls_here = False
        for rnd in van.get("rounds", []):
            lab = _minutes(str(rnd.get("lab", "")))
            for stop in rnd.get("stops", []):
                at = _minutes(str(stop["at"]))
                where = str(stop.get("site_id", stop.get("team_id", "")))
                if "site_id" in stop:
                    calls.setdefault(where, []).append(at)
                    calls_here = True
                if lab - at > lab_max:
                    out.append(
                        _finding(
                            "collection_to_lab",
                            f"{van['van_id']} {where} {stop['at']}",
                            "finding_lab_late",
                            minutes=lab - at,
                            max_min=lab_max,
                        )
                    )
        if calls_here:
            site_vans.add(str(van.get("van_id", "")))
        out.extend(_vehicle_turns(van))
    walkup = sorted(_walkup_sites(s, f))
    need = p.transport.vehicles_per_site_min
    if walkup and len(site_vans) < math.ceil(len(walkup) * need - 1e-9):
        out.append(
            _finding(
                "vehicles_per_site",
                "",
                "transport_finding_vans",
                vans=len(site_vans),
                sites=len(walkup),
                per=len(site_vans) / len(walkup),
                min=need,
            )
        )
    for sid in walkup:
        times = sorted(calls.get(sid, []))
        lo, hi = _minutes(str(first.get(sid, ""))), _minutes(str(last.get(sid, "")))
        if not times:
            out.append(_finding("pickup_interval", sid, "finding_no_pickup"))
            continue
        marks = [lo, *times]
        worst = float(max(b - a for a, b in itertools.pairwise(marks)))
        if times[-1] < hi:
            worst = max(worst, hi - times[-1] + gap_max + 1)
        if worst > gap_max:
            out.append(
                _finding(
                    "pickup_interval",
                    sid,
                    "finding_pickup_gap",
                    worst=worst,
                    max_min=gap_max,
                )
            )
    labs = street_labs(s, p)
    out.extend(_lab_legs(s, p, schedule, labs))
    found = custody(schedule, site_slots, teams, labs, p)
    for tid, (stops, n) in sorted(found.uncollected_teams.items()):
        team = next(t for t in teams if t.team_id == tid)
        if stops == len(team.stops):
            out.append(
                _finding(
                    "team_collected",
                    tid,
                    "transport_finding_team_never",
                    tubes=math.ceil(n),
                )
            )
        else:
            out.append(
                _finding(
                    "team_collected",
                    tid,
                    "transport_finding_team_left",
                    stops=stops,
                    tubes=math.ceil(n),
                )
            )
    for sid, n in sorted(found.uncollected_sites.items()):
        if sid in calls:  # a site no van calls at is already a finding
            out.append(
                _finding(
                    "site_collected",
                    sid,
                    "transport_finding_site_left",
                    tubes=math.ceil(n),
                )
            )
    for name in found.unknown_labs:
        out.append(
            _finding("lab_known", name, "transport_finding_unknown_lab", lab=name)
        )
    limit = p.transport.tube_to_lab_max_h * 60
    late: dict[str, list[float]] = {}
    for b in found.boxes:
        if b.max_age > limit:
            late.setdefault(b.source, []).append(b.max_age)
            late.setdefault(f"#{b.source}", []).append(b.tubes)
    for src in sorted(k for k in late if not k.startswith("#")):
        out.append(
            _finding(
                "tube_to_lab",
                src,
                "transport_finding_tube_late",
                tubes=math.ceil(sum(late[f"#{src}"])),
                worst=max(late[src]),
                max_min=limit,
            )
        )
    out.extend(_late_results(p, found.boxes))
    return out


def _vehicle_turns(van: dict[str, Any]) -> list[Violation]:
    """Check that a route's vehicle takes a round only once it is back from the last.

    Each round names its ``vehicle`` (1 … the route's ``vehicles``) and when it is
    ``back`` at the route's first stop from the lab; a round that leaves before its
    vehicle is back, a vehicle the route does not have, or a drive back that ends
    before the lab is reached is a finding. Rounds without a vehicle (plans written
    before vehicles were counted) are not judged.
    """
    out = []
    fleet = int(van.get("vehicles", 1))
    free: dict[int, tuple[int, str]] = {}
    rounds = [r for r in van.get("rounds", []) if "vehicle" in r and "back" in r]
    for rnd in sorted(rounds, key=lambda r: _minutes(str(r.get("depart", "")))):
        vehicle = int(rnd["vehicle"])
        depart = _minutes(str(rnd.get("depart", "")))
        back = _minutes(str(rnd["back"]))
        where = f"{van.get('van_id', '')} {rnd.get('depart', '')}"
        if not 1 <= vehicle <= fleet:
            out.append(
                _finding(
                    "vehicle_turns",
                    where,
                    "transport_finding_vehicle_unknown",
                    vehicle=vehicle,
                    vehicles=fleet,
                )
            )
            continue
        if back < _minutes(str(rnd.get("lab", ""))):
            out.append(
                _finding(
                    "vehicle_turns",
                    where,
                    "transport_finding_back_early",
                    back=rnd["back"],
                )
            )
        if vehicle in free and depart < free[vehicle][0]:
            out.append(
                _finding(
                    "vehicle_turns",
                    where,
                    "transport_finding_vehicle_busy",
                    vehicle=vehicle,
                    back=free[vehicle][1],
                )
            )
        free[vehicle] = (back, str(rnd["back"]))
    return out


def _lab_legs(
    s: Scenario, p: Policy, schedule: list[dict[str, Any]], labs: Iterable[Lab]
) -> list[Violation]:
    """Return a finding for each round at its lab sooner than the drive allows."""
    by_name = {lab.name: lab for lab in labs}
    where: dict[str, tuple[float, float]] = {}
    for ids, xs, ys in (
        (s.buildings.id, s.buildings.x_m, s.buildings.y_m),
        (s.sites.id, s.sites.x_m, s.sites.y_m),
    ):
        where.update(
            {str(i): (float(x), float(y)) for i, x, y in zip(ids, xs, ys, strict=True)}
        )
    out = []
    for van in schedule:
        for rnd in van.get("rounds", []):
            lab = by_name.get(str(rnd.get("lab_name", "")))
            stops = rnd.get("stops", [])
            if lab is None or not stops:
                continue
            last = stops[-1]
            x, y = where.get(
                str(last.get("site_id", last.get("place", ""))), (math.nan, math.nan)
            )
            soonest = _minutes(str(last["at"])) + lab.drive_min(x, y, p)
            at = _minutes(str(rnd.get("lab", "")))
            if at < soonest - 1:
                out.append(
                    _finding(
                        "lab_leg",
                        f"{van.get('van_id', '')} {rnd.get('depart', '')}",
                        "transport_finding_lab_too_soon",
                        at=str(rnd.get("lab", "")),
                        soonest=hhmm(math.ceil(soonest)),
                    )
                )
    return out


def _late_results(p: Policy, boxes: Iterable[Box]) -> list[Violation]:
    """Return one finding per box whose result misses the hours from the start."""
    from planner.planning.transport import day_clock

    hours = p.transport.results_within_h
    deadline = p.round.start_min + hours * 60
    out = []
    for b in boxes:
        if b.result > deadline:
            zh, en = (
                tr(
                    "transport_finding_result_late",
                    lang,
                    tubes=math.ceil(b.tubes),
                    lab=b.lab or tr("transport_default_lab", lang),
                    lab_at=day_clock_words(day_clock(b.lab_at), lang),
                    result=day_clock_words(day_clock(b.result), lang),
                    hours=hours,
                    deadline=day_clock_words(day_clock(deadline), lang),
                    late=b.result - deadline,
                )
                for lang in LANGS
            )
            out.append(Violation("results_24h", b.box_id, zh, en, "rule"))
    return out


def check_stock(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Gap, rule 15: stock below the 15-/30-day reserve rules (or equipment short)."""
    sup = f.supplies
    if sup is None or not len(sup):
        return []
    out = []
    short = pd.to_numeric(sup["shortfall"], errors="coerce").fillna(0)
    for r, n in zip(sup.itertuples(), short.tolist(), strict=True):
        if n <= 0:
            continue
        if str(getattr(r, "kind", "consumable")) == "reusable":
            key = "finding_equipment_short"
            values = {"required": r.required_stock, "on_hand": r.on_hand}
        else:
            key = "finding_stock_short"
            values = {"days": r.days_of_supply, "reserve_days": r.reserve_days}

        zh, en = (
            tr(
                key,
                lang,
                item=r.item,
                holder=holder_name(str(r.holder), lang),
                short=n,
                **values,
            )
            for lang in LANGS
        )
        out.append(Violation("stock_reserve", str(r.item), zh, en, "gap"))
    return out


def check_route_mix(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check sealed (封控) and ordinary households never share a door-to-door route."""
    isolated = s.households.sealed | s.households.pending  # pending review: isolated
    sealed = dict(zip(s.households.id.tolist(), isolated.tolist(), strict=True))
    out = []
    for team, rows in f.home_visits.groupby("team_id"):
        kinds = {bool(sealed.get(str(h), False)) for h in rows["household_id"]}
        if len(kinds) > 1:
            out.append(_finding("route_mixed", str(team), "finding_route_mixed"))
    return out


def check_empty_sites(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Gap: an open site nobody is booked into (a fixed site must open; say why it is empty)."""
    booked = _walkup_sites(s, f)
    out = []
    fixed = dict(zip(s.sites.id.tolist(), s.sites.fixed.tolist(), strict=True))
    for r in f.sites.itertuples():
        if str(r.open).lower() == "true" and str(r.site_id) not in booked:
            key = (
                "finding_site_empty_fixed"
                if fixed.get(str(r.site_id))
                else "finding_site_empty"
            )
            out.append(_finding("site_empty", str(r.site_id), key, "gap"))
    return out


def check_certification(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Gap: a certification target missed; note: the plan was not certified."""
    cert: dict[str, Any] | None = f.summary.get("certification")
    if "certification" not in f.summary:
        return []
    if cert is None:
        return [_finding("certify_off", "plan", "finding_certify_off", "note")]
    t = cert["targets"]
    out = _certified_on_roster(cert, f)
    checks = (
        (
            "p_finish",
            cert["p_finish"] < t["p_finish_min"],
            f"≥ {t['p_finish_min']:.0%}",
        ),
        (
            "p_queue_over",
            cert["p_queue_over"] > t["p_queue_over_max"],
            f"≤ {t['p_queue_over_max']:.0%}",
        ),
        ("p_teams", cert["p_teams"] < t["p_teams_min"], f"≥ {t['p_teams_min']:.0%}"),
    )
    for key, missed, target in checks:
        if missed:
            # the figure in words and as a percentage (its own text per figure)
            out.append(
                _finding(
                    "certify_target",
                    key,
                    f"outputs_certify_target_{key}",
                    "gap",
                    value=cert[key],
                    target=target,
                )
            )
    held = float(cert.get("p_transport", 1.0))
    if held < t.get("p_finish_min", 0.9):
        out.append(
            _finding(
                "transport_risk",
                "p_transport",
                "finding_transport_risk",
                "gap",
                held=held,
            )
        )
    return out


def _norms(s: Scenario, p: Policy, f: PlanTables) -> list[dict[str, Any]]:
    """Return the plan against the norms, recomputed from its tables.

    The summary's copy is used only when the tables cannot be read back as a plan
    of this street.
    """
    from planner.errors import InputError
    from planner.planning.codec import plan_from_tables
    from planner.planning.norms import explain_norms

    if f.staff_requirements is not None and "norms" in f.summary:
        try:
            plan = dataclasses.replace(plan_from_tables(s, f), policy=p)
        except InputError:
            pass
        else:
            return [n.to_dict() for n in explain_norms(plan, _requirements(f))]
    norms: list[dict[str, Any]] = f.summary.get("norms", []) or []
    return norms


def _certified_on_roster(cert: dict[str, Any], f: PlanTables) -> list[Violation]:
    """Rule: a certification must hold on the roster the plan ships with.

    Recomputed from the roster's table of empty posts, not from what the plan says
    of itself: a plan whose roster leaves sampler posts empty may say 'met' only
    when it was drilled on that roster (its empty desks standing empty) and counted
    the same empty posts; a certification that assumed every helper comes, or that
    counts fewer empty posts than the roster has, is not one.
    """
    short = f.staff_shortfall
    if short is None or not len(short):
        return []
    role = short["role"].astype(str)
    n = int(pd.to_numeric(short.loc[role.isin(SAMPLER_ROLES_), "missing"]).sum())
    if not n:
        return []
    if not cert.get("on_roster"):
        return [
            _finding(
                "certify_not_on_roster",
                "certification",
                "roster_finding_not_on_roster",
                n=n,
            )
        ]
    said = int((cert.get("staffing") or {}).get("samplers_missing", -1))
    verdict = cert.get("verdict", "met" if cert.get("met") else "missed")
    if said != n and verdict != "missed":
        return [
            _finding(
                "certify_not_on_roster",
                "certification",
                "roster_finding_met_with_gaps",
                n=n,
            )
        ]
    return []


def check_norms(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Note: where the plan deviates from a norm, with the reason (recomputed)."""
    out = []
    for n in _norms(s, p, f):
        if n.get("within"):
            continue
        rng = (
            f"{n['norm_low']:,.0f}"
            if n["norm_low"] == n["norm_high"]
            else f"{n['norm_low']:,.0f}–{n['norm_high']:,.0f}"
        )
        labels = NORM_LABELS.get(n["key"], (n["key"],) * 2)
        zh, en = (
            tr(
                "finding_norm",
                lang,
                label=label.split(" / ")[0],
                value=n["value"],
                norm=rng,
                reasons=tr("reasons_sep", lang).join(n.get(f"reasons_{lang}", [])),
            )
            for lang, label in zip(LANGS, labels, strict=True)
        )
        out.append(
            Violation(
                f"norm_{n['key']}",
                "",  # the whole plan; the norm is named in the text
                zh,
                en,
                "note",
            )
        )
    return out


def check_guidance_limits(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check the policy itself: a number looser than the guidance allows is a finding.

    The plan is judged by the policy it carries (or the one given to ``planner
    check``); a plan made with a 60-minute walk or 10,000 people per site passes every
    other check, so the policy is held to :data:`planner.rules.guidance.LIMITS` first.
    """
    from planner.rules.guidance import loosened_limits

    out = []
    for lim in loosened_limits(p):
        key = f"rules_finding_limit_{lim.direction}"
        zh, en = (
            tr(
                key,
                lang,
                key=lim.key,
                value=lim.value(p),
                bound=lim.bound,
                unit=tr(lim.unit, lang),
                source=tr(lim.source, lang),
            )
            for lang in LANGS
        )
        out.append(Violation("guidance_limit", lim.key, zh, en, lim.severity))
    return out


def check_home_visit_times(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check each team's visit times can be kept, recomputed from the visits.

    A stop comes no sooner than the previous one's visit allows, and the last one
    ends inside the window.
    The visit times are recomputed from the policy (door time, full PPE change, a
    glove change per further resident) and the household's size in the register; the
    walk between doors comes on top, so this is the least a route needs.
    """
    sizes = dict(zip(s.households.id.tolist(), s.households.size.tolist(), strict=True))
    end = p.round.end_min
    out = []
    for team, rows in f.home_visits.groupby("team_id", sort=True):
        rows = rows.sort_values("stop", key=lambda c: c.astype(int))
        times = [_minutes(str(t)) for t in rows["arrive"]]
        people = np.asarray(
            [int(sizes.get(str(h), 1)) for h in rows["household_id"]], dtype=np.int64
        )
        service = p.home_visit.service_minutes(people)
        for i in range(1, len(times)):
            earliest = times[i - 1] + float(service[i - 1])
            # arrival times are whole minutes: one minute of rounding allowed
            if times[i] + 1.0 < earliest:
                out.append(
                    _finding(
                        "home_visit_time",
                        f"{team} {int(rows['stop'].iloc[i])}",
                        "rules_finding_visit_too_soon",
                        stop=int(rows["stop"].iloc[i]),
                        at=hhmm(times[i]),
                        prev_at=hhmm(times[i - 1]),
                        service=float(service[i - 1]),
                        earliest=hhmm(round(earliest)),
                    )
                )
                break  # one finding a team: the later stops follow from it
        if times and times[-1] + float(service[-1]) > end + 1.0:
            out.append(
                _finding(
                    "home_visit_time",
                    str(team),
                    "rules_finding_visit_ends_late",
                    at=hhmm(times[-1]),
                    service=float(service[-1]),
                    end=hhmm(round(times[-1] + float(service[-1]))),
                    window_end=hhmm(end),
                )
            )
    return out


def _number(value: Any) -> float:
    """Return a table cell as a number (NaN when it is not one)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def check_stock_recomputed(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check the supplies table against the bill of materials, recomputed.

    Consumption per round is recomputed from the plan's tables (who is sampled where,
    tubes, staff shifts, door-to-door households) and the policy's bill of materials,
    the required stock from the reserve rule and the on-hand figure from the street's
    inventory; a table that says otherwise (an altered required stock) is a finding.
    """
    from planner.errors import InputError
    from planner.planning.codec import plan_from_tables
    from planner.planning.consumables import (
        consumption_drivers,
        round_consumption,
        stock_status,
    )

    sup = f.supplies
    if sup is None or f.staff_requirements is None:
        return []
    try:
        plan = plan_from_tables(s, f)
    except InputError:
        return []  # the tables do not match the street: other checks say where
    plan = dataclasses.replace(plan, policy=p)
    # PPE per shift worked, as the round counts it (a second shift, a second set)
    picks = round_consumption(consumption_drivers(plan, s, _shifts_worked(f)), p)
    want = stock_status(picks, s.inventory, p)
    got: dict[tuple[str, str], dict[str, Any]] = {
        (str(r["item"]), str(r["holder"])): {str(k): v for k, v in r.items()}
        for r in sup.to_dict("records")
    }
    out = []
    for r in want.to_dict("records"):
        row = got.get((str(r["item"]), str(r["holder"])))
        per, required, have = (
            _number(r[c]) for c in ("per_round", "required_stock", "on_hand")
        )
        names = {
            lang: {
                "item": str(r["item"]),
                "holder": holder_name(str(r["holder"]), lang),
            }
            for lang in LANGS
        }
        texts: list[tuple[str, dict[str, object]]] = []
        if row is None:
            if per > 0:
                texts.append(("rules_finding_stock_missing", {"per_round": per}))
        else:
            plan_per, plan_req, plan_have = (
                _number(row.get(c)) for c in ("per_round", "required_stock", "on_hand")
            )
            if plan_per != per or plan_req != required:
                texts.append(
                    (
                        "rules_finding_stock_recomputed",
                        {
                            "per_round": per,
                            "days": r["reserve_days"],
                            "required": required,
                            "plan_per_round": plan_per,
                            "plan_required": plan_req,
                        },
                    )
                )
            if abs(plan_have - have) > 1e-6:
                texts.append(
                    (
                        "rules_finding_on_hand",
                        {"on_hand": have, "plan_on_hand": plan_have},
                    )
                )
        for key, values in texts:
            zh, en = (tr(key, lang, **names[lang], **values) for lang in LANGS)
            out.append(Violation("stock_table", str(r["item"]), zh, en))
    return out


def _plan_edits(f: PlanTables) -> Edits:
    """Return the office's hand edits the plan records (none when it records none)."""
    raw = f.summary.get("edits")
    return Edits.from_dict(raw, source="plan.json") if raw else Edits()


def _closed_by_edits(f: PlanTables) -> set[str]:
    """Sites the office closed by hand (a 固定点 among them may stay shut)."""
    return {e.site for e in _plan_edits(f).sites if e.state == "closed"}


def check_edits(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check the plan honours every hand edit it records (sites, desks, pins, count, start)."""
    edits = _plan_edits(f)
    if edits.empty and not p.compounds.closed_management:
        return []
    a = f.assignments
    site_ix = {str(x): j for j, x in enumerate(s.sites.id.tolist())}
    h_ix = {str(x): i for i, x in enumerate(s.households.id.tolist())}
    n_h = len(s.households)
    hh_site = np.full(n_h, -1, dtype=np.int64)
    hh_slot = np.full(n_h, "", dtype=object)
    walk = a[a["mode"] == "walk_up"]
    for hid, sid, slot in zip(
        walk["household_id"], walk["site_id"], walk["slot_start"], strict=True
    ):
        i = h_ix.get(str(hid))
        if i is not None:
            hh_site[i] = site_ix.get(str(sid), -1)
            hh_slot[i] = str(slot)
    sites = f.sites.set_index("site_id")
    site_open = np.array(
        [
            sid in sites.index and bool(sites.loc[sid, "open"])
            for sid in s.sites.id.tolist()
        ],
        dtype=bool,
    )
    site_desks = np.array(
        [
            int(sites.loc[sid, "desks"] or 0) if sid in sites.index else 0
            for sid in s.sites.id.tolist()
        ],
        dtype=np.int64,
    )
    out = [
        Violation("hand_edit", where, *tr_both(key, **values))
        for key, where, values in edit_findings(
            s, p, edits, hh_site, hh_slot, site_open, site_desks
        )
    ]
    if edits.window_start and p.round.window_start != edits.window_start:
        out.append(
            _finding(
                "hand_edit",
                "",
                "edits_finding_start",
                want=edits.window_start,
                got=p.round.window_start,
            )
        )
    return out


CHECKS: tuple[Checker, ...] = (
    check_guidance_limits,
    check_every_household_once,
    check_walk_limit,
    check_building_one_site,
    check_site_sizes,
    check_slots,
    check_tubes,
    check_home_visits,
    check_home_visit_times,
    check_route_mix,
    check_samplers,
    check_shift_samplers,
    check_support_ratio,
    check_site_roles,
    check_roster,
    check_site_lead_cadre,
    check_transport,
    check_unfilled_posts,
    check_stock,
    check_stock_recomputed,
    check_empty_sites,
    check_certification,
    check_norms,
    check_edits,
)
"""Every plan validator, in report order."""


def check_findings(
    scenario: Scenario, policy: Policy, files: PlanTables
) -> list[Violation]:
    """Run every validator and return every finding: broken rules, gaps and notes.

    The policy itself is held to the guidance (:func:`check_guidance_limits`); the
    other validators then judge the plan by the policy with every loosened number set
    back to the guidance's (:func:`planner.rules.guidance.held_to_guidance`).
    """
    from planner.rules.guidance import held_to_guidance

    held = held_to_guidance(policy)
    out: list[Violation] = []
    for checker in CHECKS:
        own = checker is check_guidance_limits
        out.extend(checker(scenario, policy if own else held, files))
    return out


def check_plan(
    scenario: Scenario, policy: Policy, files: PlanTables
) -> list[Violation]:
    """Return the broken rules only (empty when the plan is sound; gaps may remain)."""
    return [v for v in check_findings(scenario, policy, files) if v.kind == "rule"]
