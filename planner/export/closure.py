"""Write the closing of a round: coverage, grid lists, catch-up, positives, 日报.

Every list that leaves the command centre is masked: ID numbers and phones keep their
first and last digits (:mod:`planner.model.identity`, as the office's masked view).
The grid lists are made from the masked scenario (:func:`planner.office.scope.masked_view`
at the entry point); the other tables are masked here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.closure.close import Closing
from planner.closure.coverage import REASONS
from planner.closure.daily import FIGURES, DailyReport
from planner.export._xlsx import (
    new_workbook,
    print_setup,
    safe_file_stem,
    safe_sheet_name,
    write_cells,
    write_head,
    write_title,
)
from planner.export.blocks import Block
from planner.export.document import write_docx
from planner.model.clock import hhmm
from planner.model.identity import mask_id_number, mask_phone
from planner.model.scenario import Scenario
from planner.text import LANGS, Lang, tr

LIST_DIR = "grid_lists"
"""Folder of the per-grid 未检人员名单 workbooks."""


def reason_words() -> dict[str, str]:
    """Return accepted reason words (lower case, both languages, codes) → code."""
    words: dict[str, str] = {}
    for code in REASONS:
        words[code] = code
        for lang in LANGS:
            words[tr(f"closure_reason_{code}", lang).lower()] = code
    return words


def _mask(frame: pd.DataFrame, unmasked: bool) -> pd.DataFrame:
    if unmasked:
        return frame
    out = frame.copy()
    if "id_number" in out.columns:
        out["id_number"] = [mask_id_number(str(v)) for v in out["id_number"]]
    if "phone" in out.columns:
        out["phone"] = [mask_phone(str(v)) for v in out["phone"]]
    return out


def _sheet(
    wb: Any,
    fmts: Any,
    name: str,
    title: str,
    note: str,
    frame: pd.DataFrame,
    columns: list[tuple[str, str]],
    lang: Lang,
    *,
    widths: list[float] | None = None,
    landscape: bool = False,
) -> Any:
    ws = wb.add_worksheet(safe_sheet_name(name))
    write_title(ws, fmts, title, None, note)
    write_head(ws, fmts, 2, [tr(f"closure_col_{k}", lang) for _, k in columns])
    row = 3
    for values in frame[[c for c, _ in columns]].itertuples(index=False):
        cells = [
            (float(v) if isinstance(v, float) else int(v))
            if isinstance(v, int | float | np.integer | np.floating)
            and not isinstance(v, bool)
            else (
                tr("closure_yes", lang)
                if v is True
                else tr("closure_no", lang)
                if v is False
                else v
            )
            for v in values
        ]
        write_cells(ws, row, cells, fmts.cell, fmts.num)
        row += 1
    print_setup(
        ws,
        widths=widths or [14.0] * len(columns),
        header_rows=3,
        last_row=row - 1,
        title=title,
        banner=None,
        landscape=landscape,
    )
    return ws


def write_grid_lists(
    lists: dict[str, pd.DataFrame], out: Path, day: str, lang: Lang
) -> list[Path]:
    """Write one printable 未检人员名单 per grid, with a reason drop-down.

    `lists` comes from :func:`planner.closure.coverage.grid_lists` on the masked
    scenario; the masking is checked again here (a full ID number never leaves).
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    choices = [tr(f"closure_reason_{c}", lang) for c in REASONS]
    cols = [
        ("no", "no"),
        ("resident_id", "resident"),
        ("name", "name"),
        ("id_number", "id"),
        ("phone", "phone"),
        ("age", "age"),
        ("building_id", "building"),
        ("unit", "unit"),
        ("room", "room"),
        ("reason", "reason"),
        ("note", "note"),
    ]
    for grid, frame in sorted(lists.items()):
        f = _mask(frame, False).copy()
        f.insert(0, "no", np.arange(1, len(f) + 1))
        f["reason"] = [
            tr(f"closure_reason_{r}", lang) if r else "" for r in f["reason"]
        ]
        f["note"] = ""
        path = out / f"{safe_file_stem(grid)}.xlsx"
        wb, fmts = new_workbook(str(path))
        title = tr("closure_list_title", lang, grid=grid, day=day)
        ws = _sheet(
            wb,
            fmts,
            grid,
            title,
            tr("closure_list_note", lang),
            f,
            cols,
            lang,
            widths=[5, 10, 8, 20, 13, 5, 8, 7, 6, 12, 14],
            landscape=True,
        )
        if len(f):
            ws.data_validation(
                3, 9, 2 + len(f), 9, {"validate": "list", "source": choices}
            )
        wb.close()
        paths.append(path)
    return paths


def write_closing(
    closing: Closing,
    scenario: Scenario,
    grid_lists: dict[str, pd.DataFrame],
    report: DailyReport,
    out: Path,
    lang: Lang = "zh",
) -> list[Path]:
    """Write every output of the closing into folder `out` (masked)."""
    out.mkdir(parents=True, exist_ok=True)
    day = closing.day.isoformat()
    note = tr("closure_masked", lang)
    paths: list[Path] = []
    cov = closing.coverage
    path = out / "coverage.xlsx"
    wb, fmts = new_workbook(str(path))
    counts = [
        ("registered", "registered"),
        ("exempt", "exempt"),
        ("due", "due"),
        ("sampled", "sampled"),
        ("missing", "missing"),
        ("rate", "rate"),
    ]
    for level, keys in (
        ("community", [("community_name", "community")]),
        ("grid", [("community_name", "community"), ("grid_id", "grid")]),
        (
            "building",
            [
                ("community_name", "community"),
                ("grid_id", "grid"),
                ("building_id", "building"),
            ],
        ),
    ):
        frame = cov.tables[level].copy()
        frame["rate"] = (frame["rate"] * 100).round(2)
        _sheet(
            wb,
            fmts,
            tr(f"closure_sheet_{level}", lang),
            tr("closure_coverage_title", lang, street=scenario.name, day=day),
            "",
            frame,
            keys + counts,
            lang,
        )
    wb.close()
    paths.append(path)
    paths += write_grid_lists(grid_lists, out / LIST_DIR, day, lang)
    # records listed, not counted
    unresolved = closing.unresolved.copy()
    unresolved["time"] = pd.to_datetime(unresolved["sampled_at"]).dt.strftime(
        "%H:%M:%S"
    )
    unresolved["status"] = [
        tr(f"closure_status_{s}", lang) for s in unresolved["status"]
    ]
    unresolved["why"] = [
        tr(f"closure_why_{w}", lang) if w else "" for w in unresolved["why"]
    ]
    path = out / "unresolved_records.xlsx"
    wb, fmts = new_workbook(str(path))
    _sheet(
        wb,
        fmts,
        "records",
        tr("closure_unresolved_title", lang, day=day),
        note,
        _mask(unresolved, False),
        [
            ("source", "source"),
            ("row", "row"),
            ("name", "name"),
            ("id_number", "id"),
            ("phone", "phone"),
            ("site", "site"),
            ("time", "time"),
            ("tube", "tube"),
            ("status", "status"),
            ("why", "why"),
        ],
        lang,
        landscape=True,
    )
    wb.close()
    paths.append(path)
    if closing.catchup is not None:
        paths += _write_catchup(closing, scenario, out, lang)
    paths += _write_positives(closing, out, lang)
    paths += write_daily(report, out, lang)
    summary = {
        "day": day,
        "coverage": cov.street,
        "records": closing.matching.counts(),
        "catchup_people": closing.catchup.people if closing.catchup else 0,
        "catchup_dropped": len(closing.catchup.dropped) if closing.catchup else 0,
        "positive_tubes": closing.results.positive_tubes,
        "control_people": len(closing.positives.control),
    }
    (out / "closing.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    paths.append(out / "closing.json")
    return paths


def _write_catchup(
    closing: Closing, scenario: Scenario, out: Path, lang: Lang
) -> list[Path]:
    c = closing.catchup
    assert c is not None
    start, end = hhmm(c.window[0]), hhmm(c.window[1])
    path = out / "catchup.xlsx"
    wb, fmts = new_workbook(str(path))
    title = tr(
        "closure_catchup_title", lang, day=closing.day.isoformat(), start=start, end=end
    )
    f = c.households.copy()
    f["how"] = [tr(f"closure_how_{x}", lang) for x in f["how"]]
    _sheet(
        wb,
        fmts,
        "households",
        title,
        "",
        f,
        [
            ("community", "community"),
            ("building_id", "building"),
            ("household_id", "household"),
            ("people", "people"),
            ("how", "how"),
            ("team_id", "team"),
            ("arrive", "arrive"),
            ("site_id", "site"),
        ],
        lang,
    )
    _sheet(
        wb,
        fmts,
        "evening",
        title,
        "",
        c.evening,
        [
            ("community", "community"),
            ("site_id", "site"),
            ("from", "from"),
            ("to", "to"),
            ("households", "households"),
            ("people", "people"),
        ],
        lang,
    )
    wb.close()
    notices = [
        tr(
            "closure_catchup_notice",
            lang,
            community=row["community"],
            start=row["from"],
            end=row["to"],
            site=row["site_id"],
            name=row["site_name"],
        )
        for _, row in c.evening.iterrows()
    ]
    # door to door: one line per building and team, from the team's first call there
    home = c.households[c.households["how"] == "home"]
    if len(home):
        first = home.groupby(["building_id", "team_id"], sort=True)["arrive"].min()
        homes = home.groupby(["building_id", "team_id"], sort=True).size()
        notices += [
            tr(
                "closure_catchup_home_notice",
                lang,
                building=b,
                team=t,
                arrive=first[(b, t)],
                households=int(homes[(b, t)]),
            )
            for b, t in first.index
        ]
    npath = out / "catchup_notices.txt"
    npath.write_text("\n\n".join(notices) + ("\n" if notices else ""), encoding="utf-8")
    return [path, npath]


def positive_blocks(closing: Closing, lang: Lang) -> list[Block]:
    """Return the section 混管阳性处置 as document blocks (masked).

    Each table is preceded by its name as a paragraph (a document table has no caption).
    """
    blocks = _positive_blocks(closing, lang)
    out: list[Block] = []
    for b in blocks:
        if b.kind == "table" and b.text:
            out.append(Block("p", b.text))
        out.append(b)
    return out


def _positive_blocks(closing: Closing, lang: Lang) -> list[Block]:
    p = closing.positives
    hours = closing_hours(closing)
    blocks = [
        Block("h1", tr("closure_positive_title", lang, day=closing.day.isoformat())),
        Block("p", tr("closure_positive_intro", lang, hours=hours)),
    ]
    if not len(p.tubes):
        blocks.append(Block("p", tr("closure_positive_none", lang)))
        return blocks
    heads = [
        "tube",
        "site",
        "reported",
        "people",
        "households",
        "buildings",
        "control_by",
        "resample_by",
    ]
    blocks.append(
        Block(
            "table",
            tr("closure_positive_tubes", lang),
            heads=tuple(tr(f"closure_col_{h}", lang) for h in heads),
            rows=tuple(
                (
                    str(r["tube"]),
                    str(r["site"]),
                    str(r["reported_at"]),
                    str(r["people"]),
                    str(r["households"]),
                    str(r["buildings"]),
                    str(r["control_by"]),
                    str(r["resample_by"]),
                )
                for _, r in p.tubes.iterrows()
            ),
            widths=(3, 1.5, 3, 1, 1, 1, 1.5, 3),
        )
    )
    ctl = _mask(p.control, False)
    blocks.append(
        Block(
            "table",
            tr("closure_positive_control", lang),
            heads=tuple(
                tr(f"closure_col_{h}", lang)
                for h in (
                    "tube",
                    "name",
                    "id",
                    "phone",
                    "building",
                    "unit",
                    "room",
                    "in_tube",
                )
            ),
            rows=tuple(
                (
                    str(r["tube"]),
                    str(r["name"]),
                    str(r["id_number"]),
                    str(r["phone"]),
                    str(r["building_id"]),
                    str(r["unit"]),
                    str(r["room"]),
                    tr("closure_yes" if r["in_tube"] else "closure_no", lang),
                )
                for _, r in ctl.iterrows()
            ),
            widths=(3, 1.5, 3.5, 2.5, 1.5, 1.2, 1, 1),
        )
    )
    blocks.append(
        Block(
            "table",
            tr("closure_positive_visits", lang),
            heads=tuple(
                tr(f"closure_col_{h}", lang)
                for h in (
                    "team",
                    "arrive",
                    "building",
                    "household",
                    "people",
                    "due_by",
                    "within",
                )
            ),
            rows=tuple(
                (
                    str(r["team_id"]),
                    str(r["arrive"]),
                    str(r["building_id"]),
                    str(r["household_id"]),
                    str(r["people"]),
                    str(r["due_by"]),
                    tr("closure_yes" if r["within"] else "closure_no", lang),
                )
                for _, r in p.visits.sort_values(["team_id", "arrive"]).iterrows()
            ),
            widths=(2, 1.2, 1.5, 1.5, 1, 1.2, 1),
        )
    )
    if len(p.picks):
        blocks.append(
            Block(
                "table",
                tr("closure_positive_picks", lang),
                heads=tuple(
                    tr(f"closure_col_{h}", lang)
                    for h in ("item", "unit_of", "quantity")
                ),
                rows=tuple(
                    (str(r["item"]), str(r["unit"]), f"{int(r['quantity']):,}")
                    for _, r in p.picks.iterrows()
                ),
                widths=(3, 1, 1),
                numeric=(False, False, True),
            )
        )
    return blocks


def closing_hours(closing: Closing) -> float:
    """Hours set for the single-tube re-sampling (from the tubes' deadlines)."""
    t = closing.positives.tubes
    if not len(t):
        return 0.0
    d = pd.to_datetime(t["resample_by"]) - pd.to_datetime(t["reported_at"])
    return float(d.iloc[0].total_seconds() / 3600)


def _write_positives(closing: Closing, out: Path, lang: Lang) -> list[Path]:
    p = closing.positives
    day = closing.day.isoformat()
    title = tr("closure_positive_title", lang, day=day)
    note = tr("closure_masked", lang)
    path = out / "positives.xlsx"
    wb, fmts = new_workbook(str(path))
    ppl = _mask(p.people, False).copy()
    ppl["status"] = [
        tr("closure_status_id", lang)
        if s == "matched"
        else tr("closure_unresolved_person", lang)
        for s in ppl["status"]
    ]
    _sheet(
        wb,
        fmts,
        tr("closure_positive_people", lang),
        title,
        note,
        ppl,
        [
            ("tube", "tube"),
            ("name", "name"),
            ("id_number", "id"),
            ("phone", "phone"),
            ("household_id", "household"),
            ("building_id", "building"),
            ("status", "status"),
        ],
        lang,
    )
    _sheet(
        wb,
        fmts,
        tr("closure_positive_control", lang),
        title,
        note,
        _mask(p.control, False),
        [
            ("tube", "tube"),
            ("name", "name"),
            ("id_number", "id"),
            ("phone", "phone"),
            ("age", "age"),
            ("building_id", "building"),
            ("address", "address"),
            ("unit", "unit"),
            ("room", "room"),
            ("in_tube", "in_tube"),
        ],
        lang,
        landscape=True,
    )
    _sheet(
        wb,
        fmts,
        tr("closure_positive_visits", lang),
        title,
        "",
        p.visits,
        [
            ("tube", "tube"),
            ("team_id", "team"),
            ("arrive", "arrive"),
            ("building_id", "building"),
            ("household_id", "household"),
            ("people", "people"),
            ("due_by", "due_by"),
            ("within", "within"),
        ],
        lang,
    )
    nxt = p.next_round.copy()
    nxt["label"] = [
        tr(
            "closure_status_pending"
            if s == "pool_positive_pending"
            else "closure_status_controlled",
            lang,
        )
        for s in nxt["status"]
    ]
    _sheet(
        wb,
        fmts,
        tr("closure_positive_next", lang),
        title,
        "",
        nxt,
        [
            ("building_id", "building"),
            ("household_id", "household"),
            ("label", "status"),
            ("tube", "tube"),
        ],
        lang,
    )
    wb.close()
    status = out / "next_round_status.csv"
    p.next_round.to_csv(status, index=False, encoding="utf-8-sig")
    doc = write_docx(positive_blocks(closing, lang), out / "positives.docx", lang)
    return [path, status, doc]


def _fig(key: str, value: float) -> str:
    if key == "rate":
        return f"{value:.2%}"
    return f"{round(value):,}"


def daily_blocks(report: DailyReport, lang: Lang) -> list[Block]:
    """Return the 日报 as document blocks."""
    f = report.figures
    blocks = [
        Block("title", tr("closure_daily_title", lang, street=report.street)),
        Block("subtitle", tr("closure_daily_sub", lang, day=report.day.isoformat())),
    ]
    if report.zero:
        blocks.append(Block("p", tr("closure_daily_zero", lang)))
    sections = (
        (
            "numbers",
            (
                "registered",
                "due",
                "sampled",
                "rate",
                "missing",
                "records",
                "unresolved",
            ),
        ),
        ("reasons", tuple(f"reason_{r}" for r in REASONS)),
        ("catchup", ("catchup_people", "catchup_teams", "catchup_evening_sites")),
        ("lab", ("tubes", "boxes", "results_back", "results_pending")),
        (
            "positive",
            (
                "positive_tubes",
                "control_people",
                "resample_households",
                "resample_teams",
            ),
        ),
    )
    for head, keys in sections:
        blocks.append(Block("h1", tr(f"closure_daily_h_{head}", lang)))
        if head == "positive" and not f["positive_tubes"]:
            blocks.append(Block("p", tr("closure_daily_no_positive", lang)))
        blocks.append(
            Block(
                "table",
                heads=(tr("closure_daily_item", lang), tr("closure_daily_value", lang)),
                rows=tuple((tr(f"closure_fig_{k}", lang), _fig(k, f[k])) for k in keys),
                widths=(3, 1),
                numeric=(False, True),
            )
        )
    blocks.append(Block("h1", tr("closure_daily_h_resources", lang)))
    rows = [
        (tr("closure_fig_staff_posts", lang), _fig("staff_posts", f["staff_posts"]))
    ]
    rows += [
        (f"{r['item']} ({r['unit']})", f"{int(r['quantity']):,}")
        for _, r in report.stock.iterrows()
    ]
    blocks.append(
        Block(
            "table",
            heads=(tr("closure_daily_item", lang), tr("closure_daily_value", lang)),
            rows=tuple(rows),
            widths=(3, 1),
            numeric=(False, True),
        )
    )
    blocks.append(Block("h1", tr("closure_daily_h_problems", lang)))
    problems = [tr(code, lang, **params) for code, params in report.problems]
    blocks.append(
        Block("bullets", items=tuple(problems))
        if problems
        else Block("p", tr("closure_daily_none", lang))
    )
    if len(report.by_community) and f["records"]:
        blocks.append(Block("h1", tr("closure_daily_h_community", lang)))
        blocks.append(
            Block(
                "table",
                heads=tuple(
                    tr(f"closure_col_{k}", lang)
                    for k in ("community", "due", "sampled", "missing", "rate")
                ),
                rows=tuple(
                    (
                        str(r["community"]),
                        f"{int(r['due']):,}",
                        f"{int(r['sampled']):,}",
                        f"{int(r['missing']):,}",
                        f"{r['rate']:.2%}",
                    )
                    for _, r in report.by_community.iterrows()
                ),
                widths=(2, 1, 1, 1, 1),
                numeric=(False, True, True, True, True),
            )
        )
    return blocks


def write_daily(report: DailyReport, out: Path, lang: Lang) -> list[Path]:
    """Write the 日报 as ``daily_report.xlsx`` and ``daily_report.docx``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "daily_report.xlsx"
    wb, fmts = new_workbook(str(path))
    ws = wb.add_worksheet(safe_sheet_name(tr("closure_daily_item", lang)))
    title = tr("closure_daily_title", lang, street=report.street)
    write_title(
        ws, fmts, title, None, tr("closure_daily_sub", lang, day=report.day.isoformat())
    )
    row = 2
    if report.zero:
        ws.write_string(row, 0, tr("closure_daily_zero", lang), fmts.banner)
        row += 1
    write_head(
        ws, fmts, row, [tr("closure_daily_item", lang), tr("closure_daily_value", lang)]
    )
    row += 1
    for key in FIGURES:
        value = report.figures[key]
        write_cells(
            ws,
            row,
            [tr(f"closure_fig_{key}", lang), _fig(key, value)],
            fmts.cell,
            fmts.num,
        )
        row += 1
    for _, r in report.stock.iterrows():
        write_cells(
            ws, row, [str(r["item"]), f"{int(r['quantity']):,}"], fmts.cell, fmts.num
        )
        row += 1
    problems = [tr(code, lang, **params) for code, params in report.problems]
    ws.write_string(row, 0, tr("closure_daily_h_problems", lang), fmts.label)
    ws.write_string(
        row,
        1,
        tr("list_sep", lang).join(problems)
        if problems
        else tr("closure_daily_none", lang),
        fmts.value,
    )
    print_setup(
        ws, widths=[30, 40], header_rows=2, last_row=row, title=title, banner=None
    )
    wb.close()
    doc = write_docx(daily_blocks(report, lang), out / "daily_report.docx", lang)
    return [path, doc]
