"""The plan document (工作方案) for the leading group: editable Word and PDF.

Sections follow the seed plans' 工作方案 layout: scope and window; leadership and the
seven working groups with their duties (综合协调, 医疗, 后勤保障/物资, 交通管控, 治安,
环境, 宣传), each duty carrying the plan's own figures; sites and desks with a map of
sites and catchments; staff by role and source organisation; shortfalls to request;
supplies against the 15/30-day reserve rules; the timeline; door-to-door sampling; and
requirements. The content is built once as plain blocks (:func:`plan_blocks`) and
rendered twice: ``plan_document.docx`` (python-docx) and ``plan_document.pdf`` (fpdf2).

The document holds counts, sites and organisations only, never a resident's data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from planner.export._common import (
    ExportData,
    iter_rows,
)
from planner.export._pdf_style import GREY
from planner.export.blocks import Block
from planner.export.labs import lab_blocks
from planner.export.plan_map import MapData, draw_map
from planner.export.timetable import round_departures
from planner.model.clock import day_clock_words, hhmm, minutes_of
from planner.planning.transport import day_clock
from planner.text import ROLE_ORDER, holder_name, role_name
from planner.text.roster import certification_cost_values, certification_lines

__all__ = ["Block", "MapData", "draw_map", "plan_blocks", "write_docx", "write_pdf"]


def _fmt(v: float) -> str:
    if isinstance(v, float) and math.isinf(v):
        return "∞"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.1f}"


def _num(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce").fillna(0)


def _list_ids(ids: list[str], limit: int = 6) -> str:
    if len(ids) <= limit:
        return "、".join(ids)
    return "、".join(ids[:limit]) + f" 等{len(ids)}处"


@dataclass(frozen=True)
class Figures:
    """Headline figures of the plan, from its tables."""

    sites: int
    desks: int
    walk: int
    home: int
    unassigned: int
    teams: int
    home_households: int
    mean_walk: float
    max_walk: int
    finish: str


def figures(data: ExportData) -> Figures:
    """Return the plan's headline figures, counted from the plan tables."""
    hh = data.households
    walk = hh[hh["mode"] == "walk_up"]
    people = walk["size"].to_numpy()
    dist = walk["walk_m"].to_numpy()
    mean = float((people * dist).sum() / max(1, people.sum()))
    open_sites = data.sites[data.sites["open"]]
    last = [s for s in open_sites["last_slot"].astype(str) if s]
    return Figures(
        sites=len(open_sites),
        desks=int(open_sites["desks"].sum()),
        walk=int(people.sum()),
        home=int(hh.loc[hh["mode"] == "home_visit", "size"].sum()),
        unassigned=int(hh.loc[hh["mode"] == "unassigned", "size"].sum()),
        teams=int(data.files.home_visits["team_id"].nunique()),
        home_households=int((hh["mode"] == "home_visit").sum()),
        mean_walk=round(mean),
        max_walk=int(dist.max()) if len(dist) else 0,
        finish=max(last) if last else data.policy.round.window_start,
    )


def _role_needed(data: ExportData, roles: set[str]) -> int:
    req = data.files.staff_requirements
    if req is None or not len(req):
        return 0
    return int(_num(req[req["role"].isin(roles)], "needed").sum())


def plan_blocks(
    data: ExportData,
    map_png: Path | None,
    notices: int,
    access_png: Path | None = None,
) -> list[Block]:
    """Return the document as blocks, in order (`access_png`: the walking-time map)."""
    t = data.t
    sc = data.scenario
    p = data.policy
    f = figures(data)
    start = p.round.window_start
    end = hhmm(minutes_of(start) + round(p.round.window_hours * 60))
    from planner.export import doc_sections as more

    blocks = [
        Block("title", t("doc_title", street=data.street)),
        *more.issue_blocks(data),
        Block("p", t("doc_intro")),
        *more.basis_blocks(data),
        Block("h1", t("doc_h_scope")),
        Block(
            "p",
            t(
                "doc_scope",
                communities=len(sc.communities),
                grids=len(sc.grid_ids),
                buildings=len(sc.buildings),
                households=len(sc.households),
                population=sc.population,
                start=start,
                end=end,
                hours=p.round.window_hours,
                slot=p.round.slot_minutes,
            ),
        ),
        Block(
            "p",
            t(
                "doc_scope_mode",
                walk=f.walk,
                home=f.home,
                teams=f.teams,
                unassigned=f.unassigned,
                pool=p.pooling.default_pool_size,
            ),
        ),
    ]
    blocks += _groups(data, notices)
    blocks += _sites(data, f, map_png)
    blocks += _access(data, access_png)
    blocks += _staff(data)
    blocks += _supplies(data)
    blocks += _timeline(data, f)
    blocks += _home(data, f)
    blocks += _certification(data)
    blocks += lab_blocks(data)
    blocks += more.emergency_blocks(data)
    blocks += more.supervision_blocks(data)
    blocks += [
        Block("h1", t("doc_h_reqs")),
        *(
            Block("p", (f"（{n}）" if data.lang == "zh" else f"({i}) ") + t(f"req_{i}"))
            for i, n in enumerate("一二三四", 1)
        ),
    ]
    blocks += more.contact_blocks(data)
    return more.number_headings(blocks, data.lang)


def _groups(data: ExportData, notices: int) -> list[Block]:
    t = data.t
    p = data.policy
    supplies = data.files.supplies
    short = int((_num(supplies, "shortfall") > 0).sum()) if supplies is not None else 0
    groups: list[tuple[str, dict[str, object]]] = [
        ("grp_coord", {}),
        (
            "grp_medical",
            {"samplers": _role_needed(data, {"sampler", "home_sampler"})},
        ),
        ("grp_logistics", {"short": short}),
        (
            "grp_traffic",
            {
                "h": p.transport.pickup_interval_h,
                "transport": _role_needed(data, {"transport"}),
            },
        ),
        ("grp_security", {"keepers": _role_needed(data, {"order_keeper"})}),
        (
            "grp_environment",
            {"disinfection": _role_needed(data, {"disinfection"})},
        ),
        ("grp_publicity", {"notices": notices}),
    ]
    numbers = "一二三四五六七"
    out = [Block("h1", t("doc_h_groups")), Block("p", t("doc_groups_intro"))]
    for i, (key, values) in enumerate(groups):
        name = t(key)
        label = f"（{numbers[i]}）{name}" if data.lang == "zh" else f"({i + 1}) {name}"
        out.append(Block("group", label, (t(f"{key}_duty", **values),)))
    return out + _decisions(data)


def _decisions(data: ExportData) -> list[Block]:
    """Return the leading group's hand edits the plan was made under (none: none)."""
    from planner.model.edits import Edits
    from planner.text import tr_both

    raw = data.files.summary.get("edits")
    if not raw:
        return []
    lines = Edits.from_dict(raw, source="plan.json").lines(tr_both)
    li = 0 if data.lang == "zh" else 1
    return [
        Block("p", data.t("edits_doc_title")),
        Block("bullets", items=tuple(line[li] for line in lines)),
    ]


def _sites(data: ExportData, f: Figures, map_png: Path | None) -> list[Block]:
    t = data.t
    out = [
        Block("h1", t("doc_h_sites")),
        Block(
            "p",
            t(
                "doc_sites",
                sites=f.sites,
                desks=f.desks,
                mean_walk=f.mean_walk,
                max_walk=f.max_walk,
                finish=f.finish,
            ),
        ),
    ]
    open_sites = data.sites[data.sites["open"]]
    rows = tuple(
        (
            str(s.site_id),
            str(s.name),
            str(s.community),
            str(int(s.desks)),
            f"{int(s.people):,}",
            str(s.first_slot),
            str(s.last_slot),
        )
        for s in iter_rows(open_sites)
    )
    rows += (
        (
            t("total"),
            "",
            "",
            str(f.desks),
            f"{int(open_sites['people'].sum()):,}",
            "",
            "",
        ),
    )
    out.append(
        Block(
            "table",
            heads=(
                t("site_id"),
                t("site_name"),
                t("community"),
                t("desks"),
                t("people_planned"),
                t("doc_col_first"),
                t("doc_col_last"),
            ),
            rows=rows,
            widths=(12, 34, 16, 10, 12, 9, 9),
            numeric=(False, False, False, True, True, False, False),
        )
    )
    if map_png is not None:
        out.append(Block("image", t("doc_map_caption"), path=map_png))
    return out


def _access(data: ExportData, access_png: Path | None) -> list[Block]:
    """Who walks how far: the groups' table, the EDE's parameter, trade-off, gaps, map.

    From ``plan.json``'s ``access`` (none for a plan folder written before it).
    """
    from planner.export import access as ax

    summary = data.files.summary
    access = summary.get("access")
    if not access:
        return []
    heads = ax.table_columns(access, data.lang)
    # part of the sites section (no heading of its own: the sections keep their numbers)
    out = [
        Block("p", data.t("access_head")),
        Block(
            "table",
            heads=tuple(heads),
            rows=tuple(tuple(r) for r in ax.table_rows(access, data.lang)),
            widths=(26,) + (9,) * (len(heads) - 1),
            numeric=(False,) + (True,) * (len(heads) - 1),
        ),
        Block("p", ax.ede_note(access, data.lang)),
    ]
    out += [
        Block("p", line)
        for line in ax.equity_lines(summary.get("equity"), access, data.lang)
    ]
    gaps = ax.gap_lines(access, data.lang, limit=GAPS_IN_DOCUMENT)
    out.append(Block("p", gaps[0]))
    if len(gaps) > 1:
        out.append(Block("bullets", items=tuple(gaps[1:])))
    if access_png is not None:
        out.append(Block("image", data.t("access_doc_map_title"), path=access_png))
    return out


GAPS_IN_DOCUMENT = 12
"""Gap buildings listed in the plan document (longest walks first; all in plan.json)."""


def _staff(data: ExportData) -> list[Block]:
    t = data.t
    staff, req = data.files.staff, data.files.staff_requirements
    short = data.files.staff_shortfall
    out = [Block("h1", t("doc_h_staff"))]
    if staff is None or req is None:
        return [*out, Block("p", t("doc_staff_none"))]
    p = data.policy
    needed = int(_num(req, "needed").sum())
    missing = int(_num(short, "missing").sum()) if short is not None else 0
    out.append(
        Block(
            "p",
            t(
                "doc_staff",
                needed=needed,
                rostered=len(staff),
                missing=missing,
                shift_h=p.staff.heat_shift_hours
                if p.heat.enabled
                else p.staff.shift_hours,
                shifts=int(req["shift"].nunique()),
            ),
        )
    )
    order = {r: i for i, r in enumerate(ROLE_ORDER)}
    need = req.assign(n=_num(req, "needed")).groupby("role")["n"].sum()
    have = staff.groupby("role").size()
    miss = (
        short.assign(n=_num(short, "missing")).groupby("role")["n"].sum()
        if short is not None and len(short)
        else pd.Series(dtype=float)
    )
    roles = sorted(set(need.index) | set(have.index), key=lambda r: order.get(r, 99))
    out.append(
        Block(
            "table",
            heads=(
                t("doc_col_role"),
                t("doc_col_needed"),
                t("doc_col_rostered"),
                t("doc_col_missing"),
            ),
            rows=tuple(
                (
                    role_name(r, data.lang),
                    str(int(need.get(r, 0))),
                    str(int(have.get(r, 0))),
                    str(int(miss.get(r, 0))),
                )
                for r in roles
            ),
            widths=(30, 15, 15, 15),
            numeric=(False, True, True, True),
        )
    )
    sep = "、" if data.lang == "zh" else ", "
    org_rows = []
    for org, block in staff.groupby("organisation", sort=False):
        per_role = block.groupby("role")["staff_id"].nunique()
        roles_text = sep.join(
            f"{role_name(str(r), data.lang)} {int(per_role[r])}"
            for r in sorted(per_role.index, key=lambda r: order.get(str(r), 99))
        )
        org_rows.append(
            (
                str(org),
                str(int(block["staff_id"].nunique())),
                str(len(block)),
                roles_text,
            )
        )
    org_rows.sort(key=lambda r: -int(r[1]))
    out.append(
        Block(
            "table",
            heads=(
                t("doc_col_org"),
                t("doc_col_persons"),
                t("doc_col_shifts"),
                t("doc_col_roles"),
            ),
            rows=tuple(org_rows),
            widths=(30, 9, 9, 52),
            numeric=(False, True, True, False),
        )
    )
    out.append(Block("h1", t("doc_h_short")))
    if short is None or not len(short) or missing == 0:
        out.append(Block("p", t("doc_short_none")))
        return out
    out.append(Block("p", t("doc_short")))
    s = short.assign(n=_num(short, "missing"), _o=short["role"].map(order).fillna(99))
    s["_shift"] = _num(s, "shift").astype(int)
    rows = []
    for key, block in s.groupby(
        ["_shift", "shift_start", "shift_end", "role"], sort=False
    ):
        sh, start, end, role = cast(tuple[int, str, str, str], key)
        rows.append(
            (
                int(sh),
                order.get(str(role), 99),
                (
                    f"{start}–{end}",
                    role_name(str(role), data.lang),
                    str(int(block["n"].sum())),
                    _list_ids(list(dict.fromkeys(block["site_id"].astype(str)))),
                ),
            )
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    out.append(
        Block(
            "table",
            heads=(
                t("col_time"),
                t("doc_col_role"),
                t("doc_col_missing"),
                t("doc_col_sites"),
            ),
            rows=tuple(r[2] for r in rows),
            widths=(18, 18, 10, 54),
            numeric=(False, False, True, False),
        )
    )
    return out


def _supplies(data: ExportData) -> list[Block]:
    t = data.t
    sup = data.files.supplies
    out = [Block("h1", t("doc_h_supplies"))]
    if sup is None:
        return [*out, Block("p", t("doc_supplies_none"))]
    p = data.policy
    shortfall = _num(sup, "shortfall")
    out.append(
        Block(
            "p",
            t(
                "rules_doc_supplies",
                rounds=p.round.rounds_per_day,
                street_days=p.stock.street_reserve_days,
                hc_days=p.stock.health_center_reserve_days,
                hospital_days=p.stock.hospital_reserve_days,
                screening_rounds=p.stock.screening_reserve_rounds,
                short=int((shortfall > 0).sum()),
            ),
        )
    )
    full = data.files.summary.get("supplies", {}).get("full_load")
    if full:
        out.append(
            Block(
                "p",
                t(
                    "doc_supplies_full_load",
                    rounds=full["rounds_per_day"],
                    street_days=full["street_days"],
                    street_rounds=full["street_rounds"],
                    hc_days=full["health_center_days"],
                    hc_rounds=full["health_center_rounds"],
                ),
            )
        )
    rows = []
    for r in iter_rows(sup):
        days = pd.to_numeric(pd.Series([r.days_of_supply]), errors="coerce").iloc[0]
        burn = pd.to_numeric(
            pd.Series([getattr(r, "days_at_burn_rate", None)]), errors="coerce"
        ).iloc[0]
        short = float(pd.to_numeric(pd.Series([r.shortfall]), errors="coerce").iloc[0])
        rows.append(
            (
                str(r.item),
                holder_name(str(r.holder), data.lang),
                _fmt(float(r.per_round)),
                str(r.reserve_days),
                _fmt(float(r.required_stock)),
                _fmt(float(r.on_hand)),
                "" if pd.isna(days) or not np.isfinite(days) else _fmt(float(days)),
                "" if pd.isna(burn) else _fmt(float(burn)),
                _fmt(short),
                t("status_short") if short > 0 else t("status_ok"),
            )
        )
    out.append(
        Block(
            "table",
            heads=(
                t("col_item"),
                t("col_holder"),
                t("doc_col_per_round"),
                t("doc_col_reserve"),
                t("doc_col_required"),
                t("doc_col_on_hand"),
                t("doc_col_days"),
                t("doc_col_burn_days"),
                t("doc_col_shortfall"),
                t("doc_col_status"),
            ),
            rows=tuple(rows),
            widths=(20, 12, 10, 8, 11, 11, 8, 9, 10, 7),
            numeric=(False, False, True, True, True, True, True, True, True, False),
        )
    )
    return out


def _certification(data: ExportData) -> list[Block]:
    """Section 9: what the plan's own drill says, its cost, and the norms."""
    t = data.t
    zh = data.lang == "zh"
    summary = data.files.summary
    out = [Block("h1", t("doc_h_certify"))]
    cert = summary.get("certification")
    p = data.policy
    if cert is None:
        out.append(Block("p", t("doc_certify_off")))
    else:
        tg = cert["targets"]
        end = hhmm(minutes_of(p.round.window_start) + round(p.round.window_hours * 60))
        # what the roster leaves empty and the chances both ways, first
        lines = certification_lines(cert, data.lang)
        alerts = [text.strip() for level, text in lines if level == "alert"]
        if alerts:
            out.append(Block("bullets", items=tuple(alerts)))
        verdict = cert.get("verdict", "met" if cert["met"] else "missed")
        out.append(
            Block(
                "p",
                t(
                    "doc_certify",
                    reps=cert["replications"],
                    seed=cert["seed"],
                    attempts=len(cert["attempts"]),
                    verdict=t(f"roster_verdict_{verdict}"),
                    window=f"{p.round.window_start}–{end}",
                    p_finish=f"{cert['p_finish']:.2f}",
                    p_queue=f"{cert['p_queue_over']:.2f}",
                    p_teams=f"{cert['p_teams']:.2f}",
                    p_transport=f"{cert['p_transport']:.2f}",
                    t_finish=f"{tg['p_finish_min']:.2f}",
                    t_queue=f"{tg['p_queue_over_max']:.2f}",
                    t_teams=f"{tg['p_teams_min']:.2f}",
                ),
            )
        )
        levers = [
            lv for a in cert["attempts"] for lv in a["levers_zh" if zh else "levers_en"]
        ]
        if levers:
            out.append(Block("p", t("doc_certify_levers")))
            out.append(Block("bullets", items=tuple(levers)))
        cost = certification_cost_values(cert["cost"])
        out.append(Block("p", t("doc_certify_cost", **cost)))
        missing = cert["unreachable_zh" if zh else "unreachable_en"]
        if missing:
            out.append(Block("bullets", items=tuple(missing)))
        infos = [text for level, text in lines if level == "info"]
        if infos:
            out.append(Block("bullets", items=tuple(infos)))
    norms = summary.get("norms") or []
    if norms:
        from planner.planning.norms import NORM_LABELS

        out.append(Block("p", t("doc_norms")))
        rows = []
        for n in norms:
            lo, hi = float(n["norm_low"]), float(n["norm_high"])
            rows.append(
                (
                    NORM_LABELS[n["key"]][0 if zh else 1].split(" / ")[0],
                    _fmt(float(n["value"])),
                    _fmt(lo) if lo == hi else f"{_fmt(lo)}–{_fmt(hi)}",
                    ("；" if zh else "; ").join(
                        n["reasons_zh" if zh else "reasons_en"]
                    ),
                )
            )
        out.append(
            Block(
                "table",
                heads=(
                    t("doc_col_norm"),
                    t("doc_col_plan"),
                    t("doc_col_norm_value"),
                    t("doc_col_reason"),
                ),
                rows=tuple(rows),
                widths=(20, 10, 12, 58),
                numeric=(False, True, True, False),
            )
        )
    return out


def _timeline(data: ExportData, f: Figures) -> list[Block]:
    t = data.t
    p = data.policy
    start = p.round.window_start
    s0 = minutes_of(start)
    rows: list[tuple[int, str, str, str]] = [
        (-2, t("tl_eve"), t("tl_eve_1"), t("grp_publicity")),
        (-1, t("tl_eve"), t("tl_eve_2"), t("grp_logistics")),
        (s0 - 60, hhmm(max(0, s0 - 60)), t("tl_setup"), t("grp_medical")),
        (s0, start, t("tl_start"), t("grp_coord")),
    ]
    req = data.files.staff_requirements
    if req is not None and len(req):
        shifts = req.drop_duplicates("shift")[["shift", "shift_start"]]
        for sh in iter_rows(shifts):
            m = minutes_of(str(sh.shift_start))
            if m > s0:
                rows.append(
                    (
                        m,
                        str(sh.shift_start),
                        t("tl_shift", n=int(sh.shift) + 1),
                        t("grp_medical"),
                    )
                )
    # the rounds the vans of plan.json start (each calls at its sites in turn)
    for when in round_departures(data.files.summary):
        rows.append((minutes_of(when), when, t("tl_pickup"), t("grp_traffic")))
    rows.append((minutes_of("13:00"), "13:00", t("tl_report"), t("grp_coord")))
    rows.append((minutes_of(f.finish), f.finish, t("tl_end"), t("grp_environment")))
    # the 3rd edition counts the whole task (sampling, transport, testing, results)
    # within 24 h of its start, not 24 h from the end of sampling
    rows.append(
        (
            24 * 60 * 2,
            # the 3rd edition counts the 24 h of the whole task from its START
            t(
                "transport_doc_results_when",
                start=start,
                hours=p.transport.results_within_h,
                deadline=day_clock_words(
                    day_clock(s0 + p.transport.results_within_h * 60), data.lang
                ),
            ),
            t("tl_results"),
            t("grp_medical"),
        )
    )
    rows.sort(key=lambda r: r[0])
    return [
        Block("h1", t("doc_h_timeline")),
        Block(
            "table",
            heads=(t("doc_col_when"), t("doc_col_what"), t("doc_col_who")),
            rows=tuple((w, what, who) for _, w, what, who in rows),
            widths=(18, 58, 24),
        ),
    ]


def _home(data: ExportData, f: Figures) -> list[Block]:
    t = data.t
    hv = data.files.home_visits
    out = [
        Block("h1", t("doc_h_home")),
        Block(
            "p",
            t(
                "doc_home",
                teams=f.teams,
                households=f.home_households,
                people=f.home,
            ),
        ),
    ]
    if not len(hv):
        return out
    community = dict(
        zip(data.households["household_id"], data.households["community"], strict=True)
    )
    rows = []
    for team, block in hv.groupby("team_id", sort=True):
        rows.append(
            (
                str(team),
                community.get(block["household_id"].iloc[0], ""),
                str(block["depot_site_id"].iloc[0]),
                str(len(block)),
                str(int(_num(block, "people").sum())),
                str(block["arrive"].min()),
                str(block["team_back"].iloc[0]),
            )
        )
    out.append(
        Block(
            "table",
            heads=(
                t("doc_col_team"),
                t("community"),
                t("doc_col_depot"),
                t("col_households"),
                t("col_people"),
                t("start"),
                t("doc_col_back"),
            ),
            rows=tuple(rows),
            widths=(14, 20, 12, 10, 10, 12, 12),
            numeric=(False, False, False, True, True, False, False),
        )
    )
    return out


# --- map: drawn by planner.export.plan_map ------------------------------------------


# --- renderers ---------------------------------------------------------------------


def write_docx(blocks: list[Block], path: Path, lang: str) -> Path:
    """Write the blocks as an editable Word document (A4)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin, sec.bottom_margin = Mm(25), Mm(22)
    zh = lang == "zh"

    def east_asia(element: Any, name: str) -> None:
        rpr = element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), name)

    body_font = "仿宋" if zh else "Calibri"
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman" if zh else "Calibri"
    normal.font.size = Pt(12 if zh else 11)
    east_asia(normal.element, body_font)
    for name in ("Title", "Heading 1", "Caption"):
        style = doc.styles[name]
        east_asia(style.element, "黑体" if zh else "Calibri")
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", ""), ("instr", "PAGE"), ("end", "")):
        run = footer.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    width_cm = 16.0
    for b in blocks:
        if b.kind == "title":
            para = doc.add_heading(b.text, level=0)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "subtitle":
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(b.text)
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        elif b.kind == "h1":
            doc.add_heading(b.text, level=1)
        elif b.kind == "p":
            para = doc.add_paragraph(b.text)
            para.paragraph_format.first_line_indent = Pt(24) if zh else None
        elif b.kind == "group":
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(24) if zh else None
            run = para.add_run(b.text + ("：" if zh else ": "))
            run.bold = True
            para.add_run(b.items[0] if b.items else "")
        elif b.kind == "bullets":
            for item in b.items:
                doc.add_paragraph(item, style="List Bullet")
        elif b.kind == "table":
            table = doc.add_table(rows=1, cols=len(b.heads))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            total = sum(b.widths) or 1.0
            widths = [Cm(width_cm * w / total) for w in b.widths]
            head = table.rows[0]
            trpr = head._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            trpr.append(repeat)
            for i, text in enumerate(b.heads):
                cell = head.cells[i]
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
                run.font.size = Pt(9)
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "D9E1F2")
                cell._tc.get_or_add_tcPr().append(shade)
            for values in b.rows:
                cells = table.add_row().cells
                for i, value in enumerate(values):
                    para = cells[i].paragraphs[0]
                    run = para.add_run(value)
                    run.font.size = Pt(9)
                    if b.numeric and b.numeric[i]:
                        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for row in table.rows:
                for i, cell in enumerate(row.cells):
                    cell.width = widths[i]
            doc.add_paragraph()
        elif b.kind == "image" and b.path is not None:
            doc.add_picture(str(b.path), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap = doc.add_paragraph(b.text, style="Caption")
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.save(str(path))
    return path


def write_pdf(
    blocks: list[Block], path: Path, font: Path, footer: str, lang: str = "zh"
) -> Path:
    """Write the blocks as a PDF with the embedded CJK font."""
    from planner.export._pdf import CjkPdf  # fpdf2 only where PDFs are drawn

    pdf = CjkPdf(font, footer_text=footer, lang=lang)
    pdf.set_title(blocks[0].text if blocks else "")
    pdf.add_page()
    for b in blocks:
        if b.kind == "title":
            pdf.ln(6)
            pdf.bold_text(b.text, 20, h=11, align="C")
        elif b.kind == "subtitle":
            pdf.para(b.text, 9, color=GREY)
            pdf.ln(3)
        elif b.kind == "h1":
            if pdf.get_y() > pdf.h - 50:
                pdf.add_page()
            pdf.heading(b.text)
        elif b.kind == "p":
            pdf.para(b.text, 11, h=6.5)
            pdf.ln(1)
        elif b.kind == "group":
            pdf.bold_text(b.text, 11.5, h=6.5)
            pdf.para(b.items[0] if b.items else "", 11, h=6.5, indent=6)
            pdf.ln(1)
        elif b.kind == "bullets":
            pdf.bullets(b.items)
        elif b.kind == "table":
            total = sum(b.widths) or 1.0
            pdf.table_rows(
                b.heads,
                b.rows,
                [pdf.width * w / total for w in b.widths],
                numeric=b.numeric or None,
            )
        elif b.kind == "image" and b.path is not None:
            w = min(pdf.width, 150.0)
            if pdf.get_y() + w > pdf.h - 25:
                pdf.add_page()
            pdf.image(str(b.path), x=(pdf.w - w) / 2, w=w)
            pdf.ln(2)
            pdf.para(b.text, 9, color=GREY)
            pdf.ln(2)
    pdf.output(str(path))
    return path
