"""Every string a user reads lives in ``planner/text/``: the modules below ask it for
their words in the run's language, and a Chinese string put back inline fails here."""

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from planner.rules.plan import Kind
from planner.text import TEXT, tr

REPO = Path(__file__).resolve().parents[1]

MODULES = (
    "planner/round/certify.py",
    "planner/planning/plan.py",
    "planner/drill/report.py",
    "planner/drill/disruptions.py",
    "planner/rules/plan.py",
    "planner/cli.py",
)
"""Modules whose user-facing strings have moved to ``planner/text/``."""

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
"""Chinese characters, and the full-width punctuation that goes with them (，。：（）、)."""

DISRUPTION_KINDS = frozenset({"关闭", "闭点", "缺员", "降雨", "下雨", "涌入", "封控"})
INPUT_VOCABULARY: dict[str, frozenset[str]] = {
    "planner/drill/disruptions.py": DISRUPTION_KINDS,
    "planner/cli.py": DISRUPTION_KINDS - {"闭点", "下雨"},
}
"""Chinese a user types rather than reads: the kind names ``--disrupt`` accepts (in
the parser's table, and named in ``planner drill --help``)."""

KEY_PREFIXES = (
    "infeasible_",
    "certify_lever_",
    "certify_unreachable_",
    "finding_",
    "disruption_",
    "drill_summary_",
    "drill_advice_",
    "cli_",
)
"""Prefixes of the text keys these modules ask for."""


def _strings(tree: ast.AST) -> list[ast.Constant]:
    """Return the string constants of `tree`, f-string parts included, without
    docstrings and other bare string statements (comments are not in the tree)."""
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in bare
    ]


def inline_chinese(source: str) -> list[str]:
    """Return the string constants of `source` that hold Chinese."""
    return [str(n.value) for n in _strings(ast.parse(source)) if CJK.search(n.value)]


def test_the_scan_finds_chinese_in_code_not_in_docstrings_or_comments() -> None:
    source = '''
"""Module docstring: 采样点."""
def f(lang: str, n: int) -> str:
    """Docstring: 采样点."""
    # comment: 采样点
    x = 1
    """Attribute docstring: 采样点."""
    return "采样点" if lang == "zh" else f"{n} 个采样点（全部）"
'''
    assert inline_chinese(source) == ["采样点", " 个采样点（全部）"]
    assert inline_chinese('SEP = "、"\n') == ["、"]
    assert inline_chinese('TEXT = "sites / 采样点 and more"\n') == [
        "sites / 采样点 and more"
    ]


def _outside(vocabulary: frozenset[str], text: str) -> str:
    for word in vocabulary:
        text = text.replace(word, "")
    return text


@pytest.mark.parametrize("module", MODULES)
def test_no_user_facing_chinese_inline(module: str) -> None:
    """Chinese words come from planner/text/ (its tables, through tr()); only input
    vocabulary stays in the code."""
    vocabulary = INPUT_VOCABULARY.get(module, frozenset())
    found = inline_chinese((REPO / module).read_text(encoding="utf-8"))
    inline = [s for s in found if CJK.search(_outside(vocabulary, s))]
    assert inline == [], (
        f"{module} holds user-facing Chinese inline: put it in planner/text/ and "
        "ask tr() for it"
    )


@pytest.mark.parametrize("module", sorted(INPUT_VOCABULARY))
def test_the_input_vocabulary_is_still_there(module: str) -> None:
    """The allow-list names what is in the module, no more (it does not go stale)."""
    found = "\n".join(inline_chinese((REPO / module).read_text(encoding="utf-8")))
    assert {w for w in INPUT_VOCABULARY[module] if w not in found} == set()


@pytest.mark.parametrize("module", MODULES)
def test_every_text_key_asked_for_exists(module: str) -> None:
    """A key misspelt in the code fails here, not on the day its message is due."""
    tree = ast.parse((REPO / module).read_text(encoding="utf-8"))
    parts = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    keys = {
        str(n.value)
        for n in _strings(tree)
        if id(n) not in parts and str(n.value).startswith(KEY_PREFIXES)
    }
    assert keys
    assert sorted(keys - set(TEXT)) == []


def test_every_kind_of_finding_has_its_mark() -> None:
    for kind in get_args(Kind):
        for lang in ("zh", "en"):
            assert tr(f"finding_tag_{kind}", lang)
