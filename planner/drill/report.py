"""Run a whole drill (simulate, re-plan when it breaks, simulate again) and write it.

What leaves a drill: ``drill.json`` (every figure), ``drill_sites.csv``,
``drill_slots.csv``, ``drill_teams.csv`` and ``drill_transport.csv`` (before any
re-plan; ``after_*.csv`` after it), ``replan_changes.csv`` (the buildings whose
notices must be re-issued), the re-made plan as a plan folder ``replan/`` (so
``planner export`` prints the new notices), and ``summary_zh.md`` / ``summary_en.md``:
what broke and what to change, in a few lines.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from planner.drill.day import build_day
from planner.drill.disruptions import Disruption, describe
from planner.drill.replan import Replan, replan
from planner.drill.simulate import DrillReport, simulate
from planner.model.clock import hhmm as _hhmm
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario

ReplanMode = Literal["auto", "always", "never"]

BREAK_PROBABILITY = 0.05
"""A drill re-plans (in ``auto`` mode) when the queue limit breaks in more than this
share of replications, or anyone is turned away or left out by a seal."""


@dataclass(frozen=True)
class DrillRun:
    """A drill and, when it broke, its re-plan.

    Attributes
    ----------
    disruptions
        What went wrong.
    before
        The plan as it stands, simulated.
    replan
        The re-made plan, or None.
    after
        The re-made plan simulated with the same seed, or None.
    timings_s
        Wall seconds per stage.
    """

    disruptions: tuple[Disruption, ...]
    before: DrillReport
    replan: Replan | None
    after: DrillReport | None
    timings_s: dict[str, float]


def broke(report: DrillReport) -> bool:
    """Whether the drill shows the plan failing (see :data:`BREAK_PROBABILITY`)."""
    st = report.street
    return bool(
        st["p_queue_over_limit"] > BREAK_PROBABILITY
        or st["turned_away_mean"] > 0
        or st["sealed_not_sampled_mean"] > 0
    )


def run_drill(
    scenario: Scenario,
    plan: Plan,
    policy: Policy,
    disruptions: Sequence[Disruption] = (),
    *,
    replications: int = 200,
    seed: int = 0,
    replan_mode: ReplanMode = "auto",
    staff_shortfall: pd.DataFrame | None = None,
) -> DrillRun:
    """Simulate the plan; re-plan and simulate again when it breaks.

    Parameters
    ----------
    scenario, plan
        The street and its plan.
    policy
        The drill's policy (the street's real rates; the plan may assume others).
    disruptions
        What goes wrong.
    replications, seed
        Monte Carlo replications and seed.
    replan_mode
        ``auto`` re-plans when disrupted or broken, ``always`` or ``never``.
    staff_shortfall
        Unfilled roster posts; given, their desks stand empty.
    """
    t0 = time.perf_counter()
    day = build_day(
        scenario, plan, policy, disruptions, seed=seed, staff_shortfall=staff_shortfall
    )
    before = simulate(day, replications, seed)
    t1 = time.perf_counter()
    timings = {"simulate": t1 - t0}
    do = replan_mode == "always" or (
        replan_mode == "auto" and (bool(disruptions) or broke(before))
    )
    if not do:
        return DrillRun(tuple(disruptions), before, None, None, timings)
    at = None
    if not disruptions:
        # nothing happened on the day: the plan itself is wrong, re-plan it beforehand
        at = policy.round.start_min - math.ceil(policy.drill.notice_min)
    new = replan(
        scenario,
        plan,
        policy,
        disruptions,
        at_min=at,
        desks_lost=day.desks_lost,
        seed=seed,
    )
    t2 = time.perf_counter()
    day2 = build_day(
        scenario,
        new.plan,
        policy,
        disruptions,
        seed=seed,
        staff_shortfall=staff_shortfall,
    )
    after = simulate(day2, replications, seed)
    timings |= {"replan": t2 - t1, "simulate_after": time.perf_counter() - t2}
    return DrillRun(tuple(disruptions), before, new, after, timings)


def drill_json(run: DrillRun, scenario: Scenario) -> dict[str, Any]:
    """Return every figure of the drill as plain values."""
    out: dict[str, Any] = {
        "scenario": scenario.name,
        "disruptions": [
            {"zh": describe(d, "zh"), "en": describe(d, "en")} for d in run.disruptions
        ],
        "before": run.before.street,
        "after": None if run.after is None else run.after.street,
        "replan": None,
        "timings_s": {k: round(v, 3) for k, v in run.timings_s.items()},
    }
    if run.replan is not None:
        r = run.replan
        out["replan"] = {
            "known_at": _hhmm(r.at_min),
            "effective_from": _hhmm(r.effective_min),
            "buildings_changed": len(r.changes),
            "households_moved": r.moved_households,
            "households_unplaced": r.unplaced_households,
            "desks_added": r.desks_added,
            "buildings": r.changes["building_id"].tolist(),
        }
    return out


def summary_lines(run: DrillRun, lang: str = "zh") -> list[str]:
    """Return the short summary: what broke and what to change."""
    zh = lang == "zh"
    b = run.before.street
    lines = ["# 演练报告" if zh else "# Drill report", ""]
    if run.disruptions:
        lines.append("突发情况：" if zh else "Disruptions:")
        lines.extend(f"- {describe(d, lang)}" for d in run.disruptions)
        lines.append("")
    lines.append(
        f"## 按现方案（{b['replications']} 次模拟）"
        if zh
        else f"## The plan as it stands ({b['replications']} replications)"
    )
    lines.extend(_street_lines(run.before, zh))
    lines.append("")
    lines.append("## 需要调整" if zh else "## What to change")
    lines.extend(_advice(run.before, zh))
    if run.replan is not None and run.after is not None:
        r = run.replan
        lines.append("")
        lines.append("## 重新规划后" if zh else "## After re-planning")
        lines.append(
            f"- {_hhmm(r.at_min)} 得知，{_hhmm(r.effective_min)} 起生效："
            f"{len(r.changes)} 栋楼改点或改时段（须重发通知，见 replan_changes.csv），"
            f"{r.moved_households} 户换采样点，{r.unplaced_households} 户无处安排"
            if zh
            else f"- known {_hhmm(r.at_min)}, effective {_hhmm(r.effective_min)}: "
            f"{len(r.changes)} buildings get a new site or slot (re-issue their "
            f"notices, see replan_changes.csv), {r.moved_households} households "
            f"change site, {r.unplaced_households} cannot be placed"
        )
        if r.desks_added:
            added = "、".join(f"{k} +{v}" for k, v in r.desks_added.items())
            lines.append(
                f"- 从机动采样人员增开采样台：{added}"
                if zh
                else f"- desks added from the reserve samplers: {added}"
            )
        lines.extend(_street_lines(run.after, zh))
    return lines


def _street_lines(report: DrillReport, zh: bool) -> list[str]:
    s = report.street

    def pct(p: float) -> str:
        return f"{p:.0%}"

    if zh:
        lines = [
            f"- 在 {s['window']} 内全部采完的概率 {pct(s['p_finish_in_window'])}；"
            f"最后一人采完 中位 {s['last_sampled_p50']}，95% 情况下不晚于 "
            f"{s['last_sampled_p95']}",
            f"- 任一采样点某时段平均排队超过上限的概率 {pct(s['p_queue_over_limit'])}",
        ]
        if s["turned_away_mean"]:
            lines.append(
                f"- 平均 {s['turned_away_mean']:g} 人到点后未能采样（采样点关闭）"
            )
        if s["sealed_not_sampled_mean"]:
            lines.append(f"- 平均 {s['sealed_not_sampled_mean']:g} 人因封控未采")
        if s["desks_lost"]:
            lines.append(f"- 缺采样人员的采样台：{s['desks_lost']}")
        lines.append(
            f"- 上门采样组按时完成的概率 {pct(s['teams_p_finish_in_window'])}；"
            f"转运间隔超限概率 {pct(s['transport_gap_violations_p'])}，"
            f"送检超时概率 {pct(s['transport_lab_violations_p'])}"
        )
        return lines
    lines = [
        f"- P(everyone sampled within {s['window']}) {pct(s['p_finish_in_window'])}; "
        f"last person sampled median {s['last_sampled_p50']}, 95% by "
        f"{s['last_sampled_p95']}",
        f"- P(some site-slot's mean wait over the limit) {pct(s['p_queue_over_limit'])}",
    ]
    if s["turned_away_mean"]:
        lines.append(f"- {s['turned_away_mean']:g} people turned away on average")
    if s["sealed_not_sampled_mean"]:
        lines.append(f"- {s['sealed_not_sampled_mean']:g} people not sampled (sealed)")
    if s["desks_lost"]:
        lines.append(f"- desks without a sampler: {s['desks_lost']}")
    lines.append(
        f"- P(door-to-door teams done in time) {pct(s['teams_p_finish_in_window'])}; "
        f"P(pick-up gap over the rule) {pct(s['transport_gap_violations_p'])}, "
        f"P(late at the lab) {pct(s['transport_lab_violations_p'])}"
    )
    return lines


def _advice(report: DrillReport, zh: bool) -> list[str]:
    out: list[str] = []
    sites = report.sites
    bad = sites[sites["p_over_limit"] >= 0.5].sort_values(
        "wait_p95_min", ascending=False
    )
    for r in bad.head(5).itertuples():
        out.append(
            f"- {r.site_id}：排队 95% 分位 {r.wait_p95_min:g} 分钟、队长约 "
            f"{r.queue_m_p95:g} 米，应增加采样台或把部分楼栋调往邻近采样点"
            if zh
            else f"- {r.site_id}: 95th-percentile wait {r.wait_p95_min:g} min, queue "
            f"about {r.queue_m_p95:g} m; add desks or move buildings to a neighbour"
        )
    window_end = report.street["window"].split("-")[1]
    late = sites[sites["last_sampled_p95"] > window_end]
    if len(late):
        ids = (
            "、".join(late["site_id"].head(8))
            if zh
            else ", ".join(late["site_id"].head(8))
        )
        out.append(
            f"- {len(late)} 个采样点常在 {window_end} 之后才采完（{ids}…）："
            "最后一个时段少约一些人，给迟到者留出余量"
            if zh
            else f"- {len(late)} sites often finish after {window_end} ({ids}…): book "
            "fewer people in the last slot to leave room for late-comers"
        )
    teams = report.teams
    slow = teams[teams["p_finish_in_window"] < 0.5]
    if len(slow):
        lateness = float(slow["max_late_min_mean"].mean())
        out.append(
            f"- {len(slow)} 个上门采样组多半不能按时完成（平均晚 {lateness:.0f} 分钟）："
            "每户多留几分钟或增加上门组"
            if zh
            else f"- {len(slow)} door-to-door teams usually finish late (by about "
            f"{lateness:.0f} min): allow more minutes per household or add teams"
        )
    tr = report.transport
    gap = tr[tr["p_pickup_late"] >= 0.5]
    if len(gap):
        out.append(
            f"- {len(gap)} 个采样点收样间隔常超过规定：增加转运车或缩短每轮路线"
            if zh
            else f"- {len(gap)} sites often wait too long for a pick-up: add vans or "
            "shorten the rounds"
        )
    if not out:
        out.append("- 未发现需要调整之处" if zh else "- nothing needs changing")
    return out


def write_drill(run: DrillRun, scenario: Scenario, out: Path) -> list[Path]:
    """Write the drill report into `out` (created if needed)."""
    from planner.io.plan_folder import write_plan

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def table(name: str, frame: pd.DataFrame) -> None:
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)

    for prefix, rep in (("drill", run.before), ("after", run.after)):
        if rep is None:
            continue
        table(f"{prefix}_sites", rep.sites)
        table(f"{prefix}_slots", rep.slots)
        table(f"{prefix}_teams", rep.teams)
        table(f"{prefix}_transport", rep.transport)
    if run.replan is not None:
        table("replan_changes", run.replan.changes)
        written.extend(write_plan(run.replan.plan, scenario, out / "replan"))
    path = out / "drill.json"
    path.write_text(
        json.dumps(drill_json(run, scenario), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    written.append(path)
    for lang in ("zh", "en"):
        path = out / f"summary_{lang}.md"
        path.write_text("\n".join(summary_lines(run, lang)) + "\n", encoding="utf-8")
        written.append(path)
    return written
