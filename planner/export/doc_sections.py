"""Sections of the plan document the seed plans have and the office used to add by hand.

The issue lines (签发, 审核, 印发日期 and the screening day) under the title; 工作依据
(the basis); 应急处置 (what to do when a site closes, samplers fail to come, it rains,
people surge or a building is sealed: the disruptions the drill models, each with the
plan's own figures); 督导检查 (supervision); and the 附件 contact lists (the working
groups' leaders to fill in, the site leads on duty from the roster, the hotlines).
:func:`number_headings` numbers the sections in order, whatever sections there are.
"""

from __future__ import annotations

import re

from planner.export._common import ExportData, date_line, iter_rows
from planner.export.blocks import Block

GROUP_KEYS = (
    "grp_coord",
    "grp_medical",
    "grp_logistics",
    "grp_traffic",
    "grp_security",
    "grp_environment",
    "grp_publicity",
)
"""The working groups, in the document's order."""


def issue_blocks(data: ExportData) -> list[Block]:
    """Return the lines under the title: for the leading group, the day, 签发 fields."""
    t = data.t
    return [
        Block("subtitle", t("notices_doc_subtitle")),
        Block("p", date_line(data.policy, data.lang)),
        Block("p", t("notices_doc_issue")),
    ]


def basis_blocks(data: ExportData) -> list[Block]:
    """Return 工作依据: the laws and guides the plan follows."""
    t = data.t
    return [
        Block("h1", t("notices_doc_h_basis")),
        Block("p", t("notices_doc_basis")),
        Block("bullets", items=tuple(t(f"notices_doc_basis_{i}") for i in range(1, 5))),
    ]


def emergency_blocks(data: ExportData) -> list[Block]:
    """Return 应急处置: one response per disruption the drill models, with figures."""
    t = data.t
    s = data.sites
    standby = s[~s["open"]]
    names = [str(n) for n in standby["name"]]
    sep = "、" if data.lang == "zh" else ", "
    listed = sep.join(names[:5]) + (
        t("notices_doc_and_more", n=len(names)) if len(names) > 5 else ""
    )
    outdoor = int((s["open"] & ~s["indoor"].astype(bool)).sum())
    indoor = [str(n) for n in s.loc[s["indoor"].astype(bool), "name"]]
    staff = data.files.staff
    reserve = (
        int((staff["role"] == "reserve").sum())
        if staff is not None and len(staff)
        else 0
    )
    teams = (
        int(data.files.home_visits["team_id"].nunique())
        if len(data.files.home_visits)
        else 0
    )
    items = (
        t("notices_doc_em_close", n=len(names), sites=listed or t("notices_doc_none")),
        t("notices_doc_em_no_show", reserve=reserve),
        t(
            "notices_doc_em_rain",
            outdoor=outdoor,
            share=round(data.policy.drill.rain_rate_factor * 100),
            indoor=sep.join(indoor[:4]) or t("notices_doc_none"),
        ),
        t("notices_doc_em_surge"),
        t("notices_doc_em_seal", teams=teams),
        t("notices_doc_em_positive"),
    )
    return [
        Block("h1", t("notices_doc_h_emergency")),
        Block("p", t("notices_doc_emergency")),
        Block("bullets", items=items),
    ]


def supervision_blocks(data: ExportData) -> list[Block]:
    """Return 督导检查: who checks what, when they report."""
    t = data.t
    return [
        Block("h1", t("notices_doc_h_supervision")),
        Block("p", t("notices_doc_supervision")),
        Block(
            "bullets",
            items=(
                t("notices_doc_sup_1"),
                t("notices_doc_sup_2"),
                t(
                    "notices_doc_sup_3",
                    h=f"{data.policy.transport.pickup_interval_h:g}",
                ),
                t("notices_doc_sup_4"),
            ),
        ),
    ]


def contact_blocks(data: ExportData) -> list[Block]:
    """Return the 附件: working-group leaders (to fill in), site leads, hotlines."""
    t = data.t
    out = [
        Block("h1", t("notices_doc_h_annex")),
        Block("p", t("notices_doc_annex_groups")),
        Block(
            "table",
            heads=(
                t("notices_doc_col_group"),
                t("notices_doc_col_leader"),
                t("notices_doc_col_phone"),
                t("notices_doc_col_members"),
            ),
            rows=tuple((t(key), "", "", "") for key in GROUP_KEYS),
            widths=(30, 18, 22, 30),
        ),
        Block("p", t("notices_doc_annex_sites")),
    ]
    rows = []
    open_sites = data.sites[data.sites["open"]]
    for site in iter_rows(open_sites):
        leads = site.leads if isinstance(site.leads, list) else []
        if not leads:
            rows.append(
                (str(site.name), str(site.address), "", t("notices_doc_to_fill"), "")
            )
        for lead in leads:
            rows.append(
                (
                    str(site.name),
                    str(site.address),
                    str(lead["time"]),
                    str(lead["name"]),
                    str(lead["phone"]),
                )
            )
    out.append(
        Block(
            "table",
            heads=(
                t("site_name"),
                t("notices_doc_col_address"),
                t("notices_doc_col_shift"),
                t("notices_doc_col_lead"),
                t("notices_doc_col_phone"),
            ),
            rows=tuple(rows),
            widths=(24, 34, 16, 10, 16),
        )
    )
    hotlines = data.scenario.hotlines
    if hotlines:
        out.append(Block("p", t("notices_doc_annex_hotlines")))
        out.append(
            Block(
                "table",
                heads=(t("community"), t("notices_doc_col_phone")),
                rows=tuple((who or data.street, phone) for who, phone in hotlines),
                widths=(50, 50),
            )
        )
    return out


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\.\s*)")
_ZH_NUMBERS = "一二三四五六七八九十"


def _zh_number(n: int) -> str:
    if n <= 10:
        return _ZH_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else _ZH_NUMBERS[tens - 1])
        + "十"
        + (_ZH_NUMBERS[ones - 1] if ones else "")
    )


def number_headings(blocks: list[Block], lang: str) -> list[Block]:
    """Return `blocks` with the section headings numbered 一、二、… (1. 2. …) in order.

    A heading's own number, if any, is replaced, so sections can be added anywhere.
    The annex (附件) keeps its own name.
    """
    out = []
    n = 0
    for block in blocks:
        if block.kind == "h1" and not block.text.startswith(("附件", "Annex")):
            n += 1
            bare = _NUMBERED.sub("", block.text)
            text = f"{_zh_number(n)}、{bare}" if lang == "zh" else f"{n}. {bare}"
            block = Block("h1", text)
        out.append(block)
    return out
