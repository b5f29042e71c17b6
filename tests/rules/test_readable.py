"""`planner check` as a person reads it: severity in words, the rule's title, the place
by name; the codes only with ``--codes``."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from planner.cli import main
from planner.io.plan_folder import write_plan_folder
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.round.run import RoundResult
from planner.rules.plan import Violation
from planner.rules.readable import Places, finding_line, rule_title
from planner.text import tr

REPO = Path(__file__).resolve().parents[2]

CODE = re.compile(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b|\[[a-z_]+\]")
"""A program's identifier (``staff_shortfall``, ``p_transport``) or a bracketed code."""


def _rule_codes() -> set[str]:
    """Every literal rule code the plan check can emit (its source, read)."""
    tree = ast.parse((REPO / "planner" / "rules" / "plan.py").read_text("utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in ("_finding", "Violation")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            codes.add(str(node.args[0].value))
    return codes


def test_every_rule_has_a_title_in_both_languages() -> None:
    codes = _rule_codes()
    assert len(codes) > 40
    other = {tr("outputs_rule_other", "zh"), tr("outputs_rule_other", "en")}
    for code in sorted(codes):
        zh, en = rule_title(code, "zh"), rule_title(code, "en")
        assert zh not in other and en not in other, code
        assert not CODE.search(zh), zh
    assert rule_title("norm_people_per_desk", "zh") == "对照规范"
    assert rule_title("no_such_rule", "zh") in other


def test_a_finding_names_its_place_and_hides_its_codes(
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
) -> None:
    scenario = tiny_round[0]
    places = Places.of(scenario)
    site, name = str(scenario.sites.id[0]), str(scenario.sites.name[0])
    household = str(scenario.households.id[0])
    cases = [
        Violation("site_empty", site, "采样点开放但无人预约", "open site, nobody"),
        Violation("walk_limit", household, "步行 1,200 米", "walks 1,200 m"),
        Violation("unfilled_samplers", "staff_shortfall", "缺 3 人", "3 short", "gap"),
        Violation("slot_capacity", f"{site} 08:00–08:30", "超出 5 人", "5 over"),
        Violation("household_once", "+12", "未安排", "missing"),
    ]
    lines = [finding_line(v, places, "zh") for v in cases]
    for line in lines:
        assert not CODE.search(line), line
        assert site not in line and household not in line, line
    assert (
        lines[0]
        == f"【需处理】采样点无人预约 · {places.place(site)}：采样点开放但无人预约".replace(
            "【需处理】", "【违反规则】"
        )
    )
    assert name in lines[0] and name in lines[3] and "08:00–08:30" in lines[3]
    assert lines[2] == "【需处理】采样人员缺岗：缺 3 人"
    assert "另有 12 处" in lines[4]
    # a place the explanation names first is not said twice
    stock = Violation("stock_reserve", "隔离衣", "隔离衣（街道）缺 300", "short", "gap")
    assert (
        finding_line(stock, places, "zh")
        == "【需处理】物资储备不足：隔离衣（街道）缺 300"
    )
    # the household by its building and flat
    b = int(scenario.households.building[0])
    building = str(scenario.buildings.address[b])
    assert any(part in lines[1] for part in (building, building[-4:]))
    # English, and the codes on request
    assert (
        finding_line(cases[2], places, "en") == "[gap] Sampler posts unfilled: 3 short"
    )
    coded = finding_line(cases[0], places, "zh", codes=True)
    assert f"[site_empty] {site}" in coded


@pytest.fixture
def broken_plan(
    tiny_round: tuple[Scenario, RoundResult, PlanTables], tmp_path: Path
) -> Path:
    """The tiny round's plan with a hand edit it ignores (the office closed a site it
    opens): at least one broken rule at a named site."""
    tables = tiny_round[2]
    out = tmp_path / "plan"
    write_plan_folder(tables, out)
    summary = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    opened = tables.sites.loc[tables.sites["open"].astype(bool), "site_id"]
    summary.setdefault("edits", {})["site"] = [
        {"id": str(opened.iloc[0]), "state": "closed"}
    ]
    (out / "plan.json").write_text(json.dumps(summary), encoding="utf-8")
    return out


def test_check_prints_words_in_chinese_english_and_codes_on_request(
    broken_plan: Path, tiny_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tiny_dir), str(broken_plan)]) == 1
    zh = capsys.readouterr().out
    assert "【违反规则】未按人工调整执行 · " in zh
    assert not CODE.search(zh), CODE.findall(zh)
    assert "hand_edit" not in zh
    assert (
        "违反规则 " in zh.splitlines()[-1] and "未按人工调整执行" in zh.splitlines()[-1]
    )

    assert main(["check", str(tiny_dir), str(broken_plan), "--lang", "en"]) == 1
    en = capsys.readouterr().out
    assert "[rule broken] Hand edit not honoured · " in en
    assert "hand_edit" not in en

    assert main(["check", str(tiny_dir), str(broken_plan), "--codes"]) == 1
    coded = capsys.readouterr().out
    assert "[hand_edit]" in coded and "hand_edit 1" in coded.splitlines()[-1]
