"""`planner plan`'s summary in the office's words: 方案已生成, proven best or how far
from it as a percentage, the walking in person-minutes; the solver's own figures only
with ``--verbose``."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from planner.cli import main, plan_made_lines, probability_line
from planner.model.plan_tables import PlanTables
from planner.model.result import SolverReport
from planner.model.scenario import Scenario
from planner.round.run import RoundResult

SOLVER_WORDS = (
    "求解",
    "gap",
    "目标值",
    "下界",
    "最优性差距",
    "间隙",
    "objective",
)


def test_an_optimal_plan_is_said_proven_best_with_the_walking(
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
) -> None:
    plan = tiny_round[1].plan
    proven = dataclasses.replace(
        plan, solver=SolverReport("optimal", 7618.0, 7618.0, 0.0, 0.5)
    )
    zh = plan_made_lines(proven, "zh")
    assert zh[0].startswith("方案已生成：已证明是最优方案")
    walk = plan.hh_mode == 0
    total = (plan.hh_people[walk] * plan.hh_walk_m[walk]).sum()
    minutes = round(float(total) / plan.policy.walking.speed_m_per_min)
    assert f"居民步行合计约 {minutes:,} 人·分钟" in zh[1]
    for line in zh:
        assert not any(w in line for w in SOLVER_WORDS), line
    en = plan_made_lines(proven, "en")
    assert en[0].startswith("Plan made: proven the best possible")
    assert "person-minutes" in en[1]


def test_a_plan_not_proven_says_how_far_from_best_as_a_percentage(
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
) -> None:
    plan = dataclasses.replace(
        tiny_round[1].plan,
        solver=SolverReport("feasible", 1_000_000.0, 996_500.0, 0.0035, 10.0),
    )
    zh = plan_made_lines(plan, "zh")
    assert "与最优方案相差不超过 0.4%" in zh[0]  # rounded up, never understated
    greedy = dataclasses.replace(
        plan, solver=SolverReport("greedy", 1.0, 0.0, float("inf"), 10.0)
    )
    assert "未能证明是最优方案" in plan_made_lines(greedy, "zh")[0]
    verbose = plan_made_lines(plan, "zh", verbose=True)
    assert "目标值 1,000,000" in verbose[-1] and "差距 0.35%" in verbose[-1]


def test_drill_figures_are_percentages() -> None:
    line = probability_line("全部在时段内采完", 0.967, ("≥", 0.9), "zh")
    assert line == "  全部在时段内采完的概率 97%（目标 ≥ 90%）"
    assert probability_line("x", 0.5, None, "en") == "  P(x) 50%"


def test_plan_prints_no_solver_words_unless_verbose(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", str(tiny_dir), "--no-export", "--time-limit", "5"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    head = out.splitlines()[:3]
    assert head[1].startswith("方案已生成：")
    assert "人·分钟" in head[2]
    for word in SOLVER_WORDS:
        assert word not in out, word
    assert "的概率 " in out and "%（目标 ≥ " in out  # the drill's chances in percent
    assert not re.search(r"(概率|P\(.*\)) ?=? ?[01]\.\d\d", out), out
    assert main([*args, "--out", str(tmp_path / "b"), "--verbose"]) == 0
    verbose = capsys.readouterr().out
    assert "计算详情" in verbose and "目标值" in verbose and "最优性差距" in verbose
