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

from planner.drill.day import DrillDay, build_day
from planner.drill.disruptions import Disruption, describe
from planner.drill.replan import Replan, replan
from planner.drill.simulate import DrillReport, simulate
from planner.model import constants as k
from planner.model.clock import hhmm as _hhmm
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.text import LANGS, Lang, join_list, tr

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
    roster: pd.DataFrame | None = None,
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
        Unfilled roster posts; given, their desks stand empty (a team without its
        sampler waits, a desk without its registrar works slower).
    roster
        The roster's assignments; given, desks hand over where it changes their
        sampler.
    """
    t0 = time.perf_counter()

    def drilled(plan: Plan) -> tuple[DrillDay, DrillReport]:
        """Return the day of `plan` under the disruptions, and its simulated report."""
        day = build_day(
            scenario,
            plan,
            policy,
            disruptions,
            seed=seed,
            staff_shortfall=staff_shortfall,
            roster=roster,
        )
        return day, simulate(day, replications, seed)

    day, before = drilled(plan)
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
    _, after = drilled(new.plan)
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


def summary_lines(
    run: DrillRun, lang: Lang = "zh", *, replan_key: str = "drill_summary_replan"
) -> list[str]:
    """Return the short summary: what broke and what to change.

    `replan_key` words the re-plan's line: the report's own names its CSV; the app
    passes one that points to the table on the page and its download.
    """
    b = run.before.street
    lines = [tr("drill_summary_title", lang), ""]
    if run.disruptions:
        lines.append(tr("drill_summary_disruptions", lang))
        lines.extend(f"- {describe(d, lang)}" for d in run.disruptions)
        lines.append("")
    lines.append(tr("drill_summary_before", lang, replications=b["replications"]))
    lines.extend(_street_lines(run.before, lang))
    lines.append("")
    lines.append(tr("drill_summary_advice", lang))
    lines.extend(_advice(run.before, lang))
    if run.replan is not None and run.after is not None:
        r = run.replan
        lines.append("")
        lines.append(tr("drill_summary_after", lang))
        lines.append(
            tr(
                replan_key,
                lang,
                known=_hhmm(r.at_min),
                effective=_hhmm(r.effective_min),
                buildings=len(r.changes),
                moved=r.moved_households,
                unplaced=r.unplaced_households,
            )
        )
        lines.extend(_unplaced_advice(r.unplaced_households, lang))
        if r.desks_added:
            added = join_list((f"{k} +{v}" for k, v in r.desks_added.items()), lang)
            lines.append(tr("drill_summary_desks_added", lang, added=added))
        lines.extend(_street_lines(run.after, lang))
    return lines


def _street_lines(report: DrillReport, lang: Lang) -> list[str]:
    s = report.street
    lines = [
        tr(
            "drill_summary_finish",
            lang,
            window=s["window"],
            p_finish=s["p_finish_in_window"],
            last_p50=s["last_sampled_p50"],
            last_p95=s["last_sampled_p95"],
        ),
        tr("drill_summary_queue", lang, p_queue=s["p_queue_over_limit"]),
    ]
    if round(s["turned_away_mean"]):  # whole people: a mean of 1,508.5 reads 1,509
        lines.append(
            tr("drill_summary_turned_away", lang, people=round(s["turned_away_mean"]))
        )
    if round(s["sealed_not_sampled_mean"]):
        lines.append(
            tr("drill_summary_sealed", lang, people=round(s["sealed_not_sampled_mean"]))
        )
    if s["desks_lost"]:
        lines.append(tr("drill_summary_desks_lost", lang, desks=s["desks_lost"]))
    lines.append(
        tr(
            "drill_summary_teams",
            lang,
            p_teams=s["teams_p_finish_in_window"],
            p_gap=s["transport_gap_violations_p"],
            p_lab=s["transport_lab_violations_p"],
        )
    )
    if "tubes_in_time_p" in s:
        lines.append(
            tr(
                "transport_drill_tubes",
                lang,
                p=s["tubes_in_time_p"],
                hours=s["tube_to_lab_limit_h"],
                worst=s["tube_to_lab_max_min"],
                home_max=s["door_to_door_tube_max_min"],
                home_mean=s["door_to_door_tube_mean_min"],
                missed=s["door_to_door_households_missed_mean"],
            )
        )
    return lines


def _advice(report: DrillReport, lang: Lang) -> list[str]:
    out: list[str] = []
    sites = report.sites
    bad = sites[sites["p_over_limit"] >= 0.5].sort_values(
        "wait_p95_min", ascending=False
    )
    for r in bad.head(5).itertuples():
        out.append(
            tr(
                "drill_advice_queue",
                lang,
                site=r.site_id,
                wait=r.wait_p95_min,
                queue_m=r.queue_m_p95,
            )
        )
    window_end = report.street["window"].split("-")[1]
    late = sites[sites["last_sampled_p95"] > window_end]
    if len(late):
        ids = join_list(late["site_id"].head(8), lang)
        out.append(
            tr("drill_advice_late", lang, n=len(late), end=window_end, sites=ids)
        )
    teams = report.teams
    slow = teams[teams["p_finish_in_window"] < 0.5]
    if len(slow):
        lateness = float(slow["max_late_min_mean"].mean())
        out.append(tr("drill_advice_teams", lang, n=len(slow), late=lateness))
    transport = report.transport
    gap = transport[transport["p_pickup_late"] >= 0.5]
    if len(gap):
        out.append(tr("drill_advice_pickup", lang, n=len(gap)))
    out += _advice_for_the_day(report, lang)
    if not out:
        out.append(tr("drill_advice_none", lang))
    return out


def _advice_for_the_day(report: DrillReport, lang: Lang) -> list[str]:
    """Return what to do about people left unsampled and a day that does not finish.

    Never silent when the figures say the plan fails: a probability of finishing
    below the certification target (:data:`constants.CERTIFY_P_FINISH_MIN`, the
    policy's default) always gets a line, even when no single site stands out.
    """
    s = report.street
    out = []
    turned = round(float(s.get("turned_away_mean") or 0))
    if turned:
        out.append(tr("notices_drill_turned_away", lang, people=f"{turned:,}"))
    sealed = round(float(s.get("sealed_not_sampled_mean") or 0))
    if sealed:
        out.append(tr("notices_drill_sealed", lang, people=f"{sealed:,}"))
    lost = s.get("desks_lost") or {}
    if lost:
        out.append(tr("notices_drill_desks_lost", lang, desks=sum(lost.values())))
    p_finish = float(s.get("p_finish_in_window", 1.0))
    if p_finish < k.CERTIFY_P_FINISH_MIN:
        out.append(
            tr(
                "notices_drill_finish",
                lang,
                p=f"{p_finish:.0%}",
                target=f"{k.CERTIFY_P_FINISH_MIN:.0%}",
            )
        )
    return out


def _unplaced_advice(unplaced: int, lang: Lang) -> list[str]:
    """Return what to do for households a re-plan could not place (none: nothing)."""
    if unplaced <= 0:
        return []
    return [tr("notices_drill_unplaced", lang, n=f"{unplaced:,}")]


def write_drill(run: DrillRun, scenario: Scenario, out: Path) -> list[Path]:
    """Write the drill report into `out` (created if needed)."""
    from planner.io.plan_folder import write_plan_folder
    from planner.planning.codec import build_plan_tables

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
        written.extend(
            write_plan_folder(
                build_plan_tables(run.replan.plan, scenario), out / "replan"
            )
        )
    path = out / "drill.json"
    path.write_text(
        json.dumps(drill_json(run, scenario), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    written.append(path)
    for lang in LANGS:
        path = out / f"summary_{lang}.md"
        path.write_text("\n".join(summary_lines(run, lang)) + "\n", encoding="utf-8")
        written.append(path)
    return written
