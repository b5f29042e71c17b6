"""Check a written plan against the rules, one validator per rule, returning all violations.

The validators read only the scenario, the policy and the plan's files, and recompute
what they need (walking distances, work, slot capacities) rather than trusting the
plan, so they check any plan, whoever made it. Rule numbers refer to
``domain-rules.md`` §7.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.geo.walking import walk_arcs
from planner.io.plan_folder import PlanTables
from planner.model.clock import minutes_of
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.capacity import slot_grid
from planner.planning.demand import household_demand
from planner.solve.queueing import mean_wait_min


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
    """

    rule: str
    where: str
    zh: str
    en: str

    def render(self, lang: str = "zh") -> str:
        """Return one line for the user."""
        return f"[{self.rule}] {self.where}: {self.zh if lang == 'zh' else self.en}"


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
        out.append(
            Violation(
                "household_once",
                hid,
                "住户在计划中出现多次",
                "household appears more than once",
            )
        )
    missing = sorted(set(s.households.id.tolist()) - set(ids))
    for hid in missing[:20]:
        out.append(
            Violation("household_once", hid, "住户不在计划中", "household missing")
        )
    if len(missing) > 20:
        out.append(
            Violation(
                "household_once",
                f"+{len(missing) - 20}",
                "还有更多住户不在计划中",
                "more households missing",
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
                Violation(
                    "unassigned_reason",
                    hid,
                    "未分配住户没有说明原因",
                    "unassigned household has no reason",
                )
            )
    bad_mode = ~f.assignments["mode"].isin(["walk_up", "home_visit", "unassigned"])
    for hid in f.assignments.loc[bad_mode, "household_id"]:
        out.append(Violation("household_once", hid, "方式无效", "mode not understood"))
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
                Violation(
                    "walk_limit",
                    str(row.household_id),
                    f"到采样点 {row.site_id} 超过 {limit:g} 分钟步行",
                    f"site {row.site_id} is beyond the {limit:g}-minute walk",
                )
            )
    return out


def check_building_one_site(s: Scenario, p: Policy, f: PlanTables) -> list[Violation]:
    """Check a building's walk-up households all go to one site."""
    per = _walkups(f).groupby("building_id")["site_id"].nunique()
    return [
        Violation(
            "building_one_site",
            str(b),
            f"楼栋被分到 {n} 个采样点",
            f"building split over {n} sites",
        )
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
            out.append(
                Violation(
                    "site_open",
                    sid,
                    "未开放的采样点分配了居民",
                    "people sent to a site that is not open",
                )
            )
        if is_open and desks < 1:
            out.append(
                Violation(
                    "site_desks", sid, "开放的采样点没有采样台", "open site has no desk"
                )
            )
        if desks > int(s.sites.max_desks[j]):
            out.append(
                Violation(
                    "site_desks",
                    sid,
                    f"采样台 {desks} 个超过最大 {int(s.sites.max_desks[j])} 个",
                    f"{desks} desks exceed the maximum {int(s.sites.max_desks[j])}",
                )
            )
        if n > p.sampling.max_people_per_site:
            out.append(
                Violation(
                    "site_people",
                    sid,
                    f"分配 {n} 人，超过每点 {p.sampling.max_people_per_site} 人",
                    f"{n} people exceed {p.sampling.max_people_per_site} per site",
                )
            )
        if desks and n > p.sampling.max_people_per_desk * desks:
            out.append(
                Violation(
                    "desk_people",
                    sid,
                    f"每台 {n / desks:.0f} 人，超过 {p.sampling.max_people_per_desk} 人",
                    f"{n / desks:.0f} people per desk exceed "
                    f"{p.sampling.max_people_per_desk}",
                )
            )
        if s.sites.fixed[j] and not is_open:
            out.append(
                Violation(
                    "fixed_site", sid, "固定采样点必须开放", "fixed site must be open"
                )
            )
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
                Violation(
                    "slot_window",
                    str(row.household_id),
                    f"时段 {row.slot_start} 不在采样时段内",
                    f"slot {row.slot_start} is not a slot of the window",
                )
            )
            continue
        if not grid.usable[j, k]:
            out.append(
                Violation(
                    "slot_hours",
                    str(row.household_id),
                    f"采样点 {row.site_id} 在 {row.slot_start} 不可用（未开放或高温时段）",
                    f"site {row.site_id} cannot sample at {row.slot_start} "
                    "(closed or heat hours)",
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
                Violation(
                    "slot_capacity",
                    f"{sid} {label}",
                    f"时段工作量 {units:.1f} 超过 {d} 个采样台的能力 {cap:.1f}",
                    f"slot work {units:.1f} exceeds {d} desks' capacity {cap:.1f}",
                )
            )
        wait = mean_wait_min(max(d, 1), units / grid.slot_minutes, mu)
        if wait > p.queue.max_wait_min + 1e-6 and units > float(demand.units.max()):
            out.append(
                Violation(
                    "queue_wait",
                    f"{sid} {label}",
                    f"预计平均排队 {wait:.0f} 分钟，超过 {p.queue.max_wait_min:g} 分钟",
                    f"predicted mean wait {wait:.0f} min exceeds "
                    f"{p.queue.max_wait_min:g} min",
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
        out.append(
            Violation("pooling", "policy", "混采规则无效", "pooling rule not allowed")
        )
    expected = dict(
        zip(s.households.id.tolist(), demand.tube_mode.tolist(), strict=True)
    )
    for row in f.assignments.itertuples():
        want = expected.get(str(row.household_id))
        if want is not None and row.tube_mode != want:
            out.append(
                Violation(
                    "tube_mode",
                    str(row.household_id),
                    f"采样管方式应为 {want}，计划为 {row.tube_mode}",
                    f"tube mode should be {want}, plan has {row.tube_mode}",
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
            out.append(
                Violation(
                    "home_visit",
                    hid,
                    "需上门采样的住户被安排到采样点",
                    "household needing a home visit sent to a site",
                )
            )
    visited = set(f.home_visits["household_id"])
    for hid, m in mode.items():
        if m == "home_visit" and hid not in visited:
            out.append(
                Violation(
                    "home_visit",
                    hid,
                    "上门住户没有安排采样组",
                    "home-visit household has no team",
                )
            )
    lo, hi = p.round.start_min, p.round.end_min
    for team, rows in f.home_visits.groupby("team_id"):
        times = [
            _minutes(t)
            for t in rows.sort_values("stop", key=lambda c: c.astype(int))["arrive"]
        ]
        if any(t < lo or t > hi for t in times):
            out.append(
                Violation(
                    "home_visit_window",
                    str(team),
                    "上门时间超出采样时段",
                    "a visit falls outside the window",
                )
            )
        if times != sorted(times):
            out.append(
                Violation(
                    "home_visit_order",
                    str(team),
                    "上门顺序与到达时间不一致",
                    "visit order and arrival times disagree",
                )
            )
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
            Violation(
                "samplers",
                "street",
                f"在岗采样人员 {on_duty} 人，少于 {needed} 人（人口÷速率÷时长）",
                f"{on_duty} samplers on duty, fewer than the {needed} needed",
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

    from planner.planning.staffing import SAMPLER_ROLES, shifts_for

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
    shifts = {sh.index: sh for sh in shifts_for(p)}
    limit = p.staff.heat_shift_hours if p.heat.enabled else p.staff.shift_hours
    for sh in shifts.values():
        if (sh.end_min - sh.start_min) > limit * 60 + 1e-6:
            out.append(
                Violation(
                    "shift_length",
                    sh.label(),
                    f"班次超过 {limit:g} 小时",
                    f"shift longer than {limit:g} h",
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
            out.append(
                Violation(
                    "roster_staff",
                    sid,
                    "排班人员不在人员库中",
                    "rostered person is not in the staff pool",
                )
            )
            continue
        if row["role"] in SAMPLER_ROLES and role_of[sid] != "sampler":
            out.append(
                Violation(
                    "roster_qualification",
                    sid,
                    f"非医务人员被安排为{row['role_zh']}",
                    f"non-medical staff rostered as {row['role']}",
                )
            )
        if shift not in shifts:
            out.append(Violation("roster_shift", sid, "班次不存在", "unknown shift"))
            continue
        this = shifts[shift]
        a, b = avail[sid]
        if this.start_min < a or this.end_min > b:
            out.append(
                Violation(
                    "roster_availability",
                    sid,
                    f"{this.label()} 不在可用时间内",
                    f"{this.label()} is outside availability",
                )
            )
    for (sid, shift), n in places.items():
        if n > 1:
            out.append(
                Violation(
                    "roster_overlap",
                    sid,
                    f"第 {shift} 班被安排在 {n} 处",
                    f"in {n} places in shift {shift}",
                )
            )
    rest = p.staff.min_rest_hours * 60
    full_ppe = {
        r["staff_id"]
        for r in rows
        if r["role"] in SAMPLER_ROLES or p.staff.support_full_ppe
    }
    for sid, idx in worked.items():
        if sid not in full_ppe:
            continue
        for a_i, b_i in itertools.pairwise(sorted(idx)):
            if (
                a_i in shifts
                and b_i in shifts
                and shifts[b_i].start_min - shifts[a_i].end_min < rest
            ):
                out.append(
                    Violation(
                        "roster_rest",
                        sid,
                        f"两班之间休息不足 {p.staff.min_rest_hours:g} 小时",
                        f"less than {p.staff.min_rest_hours:g} h rest between shifts",
                    )
                )
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
                Violation(
                    "roster_cover",
                    " ".join(key),
                    f"需要 {n} 人，排班加缺口共 {got[key]} 人",
                    f"{n} needed, rostered plus shortfall is {got[key]}",
                )
            )
    return out


CHECKS: tuple[Checker, ...] = (
    check_every_household_once,
    check_walk_limit,
    check_building_one_site,
    check_site_sizes,
    check_slots,
    check_tubes,
    check_home_visits,
    check_samplers,
    check_roster,
)
"""Every plan validator, in report order."""


def check_plan(
    scenario: Scenario, policy: Policy, files: PlanTables
) -> list[Violation]:
    """Run every validator and return all violations (empty when the plan is sound)."""
    out: list[Violation] = []
    for checker in CHECKS:
        out.extend(checker(scenario, policy, files))
    return out
