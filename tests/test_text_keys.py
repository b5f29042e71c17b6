"""Every string of the text tables is looked up somewhere: no dead keys.

A key counts as used when the code names it: a string literal anywhere in
``planner/`` (the tables' own keys left out), a word of the phone page's scripts and
templates, or a key a lookup builds: a literal ending in ``_`` or the constant head of
an f-string or a ``+`` joins a prefix (``f"roster_verdict_{verdict}"``,
``"dir_" + str(i)``); their constant tail a suffix (``f"{group}_duty"``,
``code + "_more"``). A key built any other way would be reported here: name it as a
literal (or add its prefix) where it is built.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from planner.text import MESSAGES, TEXT

REPO = Path(__file__).resolve().parents[1]
PLANNER = REPO / "planner"

KEEP = {
    # the legend of the map, which is being rebuilt in another branch
    "map_legend",
}


def _names_in_code() -> tuple[set[str], set[str], set[str]]:
    """Return the literals, the prefixes and the suffixes lookups are made from."""
    literals: set[str] = set()
    heads: set[str] = set()
    tails: set[str] = set()
    for path in PLANNER.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own_keys: set[int] = set()
        if path.parent.name == "text":  # the tables' own keys do not count
            for node in ast.walk(tree):
                if isinstance(node, ast.Dict):
                    own_keys |= {
                        id(k) for k in node.keys if isinstance(k, ast.Constant)
                    }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                first, last = node.values[0], node.values[-1]
                if isinstance(first, ast.Constant):
                    heads.add(str(first.value))
                if isinstance(last, ast.Constant):
                    tails.add(str(last.value))
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                for side, found in ((node.left, heads), (node.right, tails)):
                    if isinstance(side, ast.Constant) and isinstance(side.value, str):
                        found.add(side.value)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in own_keys
            ):
                literals.add(node.value)
                if node.value.endswith("_"):
                    heads.add(node.value)
    scripts = [*PLANNER.rglob("*.js"), *PLANNER.rglob("*.html"), REPO / "app.py"]
    for path in scripts:
        literals |= set(re.findall(r"\w+", path.read_text(encoding="utf-8")))
    word = re.compile(r"[a-z0-9_]{3,}")
    heads = {h for h in heads if word.fullmatch(h)}
    tails = {t for t in tails if t.startswith("_") and word.fullmatch(t)}
    return literals, heads, tails


def test_every_text_key_is_looked_up_somewhere() -> None:
    literals, heads, tails = _names_in_code()
    dead = sorted(
        key
        for key in set(TEXT) | set(MESSAGES)
        if key not in literals
        and key not in KEEP
        and not any(key.startswith(h) for h in heads)
        and not any(key.endswith(t) for t in tails)
    )
    assert not dead, f"text keys no code looks up: {dead}"


def test_the_scan_leaves_out_the_tables_own_keys() -> None:
    """The check can fail: a key the tables define is not a use of it.

    ``roster_verdict_met`` is in the tables and looked up only as
    ``f"roster_verdict_{verdict}"``: it is not a literal of the code, its prefix is.
    """
    assert "roster_verdict_met" in TEXT
    literals, heads, tails = _names_in_code()
    assert "roster_verdict_met" not in literals
    assert "roster_verdict_" in heads
    assert "notices_audit_detail_" in heads and "_more" in tails
