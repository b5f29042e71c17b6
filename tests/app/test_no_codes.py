"""In Chinese the app shows no internal code: every page's text is scanned after a solve.

Codes (``home_registrar``, ``walk_up``, ``site_id`` …) may stay in CSV downloads, which
other programs read, but nothing a street office reads on screen — titles, captions,
widget labels and options, metrics, table headers and cells, chart axes and tooltips,
map hover texts, the legend — may show one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from planner.app.state import PAGES

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "data" / "tiny"

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
"""An identifier such as ``home_registrar`` or ``site_id``."""

WORD_CODES = {
    "sampler",
    "support",
    "registrar",
    "guide",
    "disinfection",
    "reserve",
    "transport",
    "pooled",
    "single",
    "street",
    "hospital",
    "optimal",
    "feasible",
    "infeasible",
    "unknown",
    "true",
    "false",
    "none",
    "nan",
    "TRANSPORT",
    "OPTIMAL",
    "FEASIBLE",
    "INFEASIBLE",
    "UNKNOWN",
    "True",
    "False",
    "None",
    "NaN",
}
"""Codes that are one plain word."""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _chart_texts(spec: dict[str, Any]) -> Iterator[str]:
    """Axis, legend and tooltip titles of a Vega-Lite spec (a field without a title
    shows its name)."""

    def encodings(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if isinstance(node.get("encoding"), dict):
                yield node["encoding"]
            for v in node.values():
                yield from encodings(v)
        elif isinstance(node, list):
            for v in node:
                yield from encodings(v)

    for enc in encodings(spec):
        for channel, defs in enc.items():
            if channel in ("order", "detail", "key"):
                continue
            for d in defs if isinstance(defs, list) else [defs]:
                if not isinstance(d, dict):
                    continue
                if "title" in d:
                    if d["title"] is not None:
                        yield str(d["title"])
                elif "field" in d:
                    yield str(d["field"])
                if isinstance(d.get("condition"), dict):
                    yield from _chart_texts({"encoding": {channel: d["condition"]}})


def page_texts(at: AppTest) -> list[str]:
    """Return every text a person can read on the current page."""
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
        "text",
    ):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value)]
    for kind in ("radio", "selectbox", "multiselect"):
        for w in getattr(at, kind):
            out.append(str(w.label))
            out += [str(o) for o in w.proto.options]
    for kind in (
        "checkbox",
        "toggle",
        "button",
        "number_input",
        "text_input",
        "slider",
        "time_input",
    ):
        out += [str(w.label) for w in getattr(at, kind)]
    for d in at.get("download_button"):
        out.append(str(d.proto.label))
    for frame in [*at.dataframe, *at.table]:
        df = frame.value
        out += [str(c) for c in df.columns]
        for column in df.columns:
            out += [str(v) for v in df[column].tolist() if isinstance(v, str | bool)]
    for chart in at.get("vega_lite_chart"):
        out += list(_chart_texts(json.loads(chart.proto.spec)))
    for deck in at.get("deck_gl_json_chart"):
        spec = json.loads(deck.proto.json)
        for layer in spec.get("layers", []):
            for row in layer.get("data") or []:
                if isinstance(row, dict):
                    out += [str(row[k]) for k in ("tip", "text") if k in row]
    for html in at.get("html"):
        body = re.sub(r"<style>.*?</style>", " ", str(html.proto.body), flags=re.S)
        out.append(re.sub(r"<[^>]+>", " ", body))
    return out


def codes_in(texts: list[str]) -> set[str]:
    """Return the internal codes found in `texts`."""
    found: set[str] = set()
    for text in texts:
        found |= set(SNAKE.findall(text))
        words = re.findall(r"(?<![A-Za-z_])[A-Za-z]+(?![A-Za-z_])", text)
        found |= {w for w in words if w in WORD_CODES}
    return found


def test_the_scanner_finds_codes() -> None:
    """The rule's own check: a role code, a header code and a status are caught."""
    assert codes_in(["上门登记 home_registrar", "site_id", "求解器：feasible"]) == {
        "home_registrar",
        "site_id",
        "feasible",
    }
    assert (
        codes_in(["采样点编号 S001", "楼栋 B00012", "09:00–09:30", "10:1 混采"])
        == set()
    )


@pytest.fixture(scope="module")
def solved() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("planner/app/pages/data.py").run()
    at.radio(key="source").set_value("path").run()
    at.text_input(key="scenario_path").set_value(str(TINY)).run()
    at.button(key="load").click().run()
    at.switch_page("planner/app/pages/plan.py").run()
    at.sidebar.number_input(key="time_limit").set_value(5.0).run()
    at.button(key="solve").click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_no_internal_code_on_any_page_in_chinese(solved: AppTest, page: str) -> None:
    at = solved
    at.switch_page(page).run()
    assert not at.exception, page
    if page.endswith("drill.py"):
        at.number_input(key="drill_reps").set_value(10).run()
        at.button(key="drill_run").click().run()
        assert not at.exception, page
    if page.endswith("map.py"):
        at.selectbox(key="map_site").set_value("S1").run()
    texts = page_texts(at)
    assert len(texts) > 5, page
    assert codes_in(texts) == set(), page
