"""Strings of the certification on the roster and the plan for the staff at hand.

Every key starts with ``roster_``. The lines say first what the roster leaves empty,
then the certification both ways: with the street's own staff, and if the requested
help comes.
"""

from __future__ import annotations

from typing import Any

from planner.text import (
    CERTIFY_TEXT,
    EXPORT_TEXT,
    Lang,
    _add_texts,
    join_list,
    role_name,
    tr,
)

ROSTER_TEXT: dict[str, tuple[str, str]] = {
    "roster_lever_window": (
        "排班后仍有 {samplers} 个采样岗（人·小时）无人：采样时段延长至 {end}"
        "（{hours:g} 小时），每名采样员可上两班、班间休息并更换防护",
        "the roster left {samplers} sampler posts (person-hours) empty: the sampling "
        "window runs to {end} ({hours:g} h), each sampler working two shifts with a "
        "rest and a fresh PPE set between them",
    ),
    "roster_staff_line": (
        "人员：{people:,} 人上岗（采样人员 {samplers:,} 人，共 {shifts:,} 个采样班次）；"
        "按小时计需 {needed:,} 人·小时，已排 {rostered:,}，缺 {missing:,}",
        "Staff: {people:,} people on duty ({samplers:,} samplers working {shifts:,} "
        "sampler shifts); {needed:,} person-hours of posts, {rostered:,} rostered, "
        "{missing:,} missing",
    ),
    "roster_verdict_met": (
        "达标（按排班表，本街道自有人员）",
        "met (on the roster, with the street's own staff)",
    ),
    "roster_verdict_met_if_support": (
        "有条件达标：以申请的保障人员到岗为前提",
        "met only on condition that the requested support staff come",
    ),
    "roster_verdict_missed_unless_support": (
        "未达标（本街道自有人员）；申请的支援到岗后达标",
        "missed with the street's own staff; met only if the requested help comes",
    ),
    "roster_verdict_missed": ("未达标", "missed"),
    "roster_gap_head": (
        "排班缺口：{samplers} 个采样岗（人·小时）、{other} 个其他岗位无人",
        "Staff gap: the roster leaves {samplers} sampler posts (person-hours) and "
        "{other} other posts empty",
    ),
    "roster_gap_period": (
        "{period}：缺采样员 {samplers}（{sites_short} 个点，其中 {n_empty} 个点无人采样"
        "{sites}），缺上门采样 {home}，缺其他岗位 {other}",
        "{period}: {samplers} samplers missing at {sites_short} sites ({n_empty} with "
        "no sampler at all{sites}), {home} door-to-door samplers, {other} other posts",
    ),
    "roster_both_ways": (
        "本街道自有人员：全部在时段内采完的概率 {own:.0%}；若申请的 {helpers} 名采样人员"
        "在 {by} 前到岗：概率 {full:.0%}",
        "with your own staff: P(everyone sampled in the window) {own:.0%}; if the "
        "requested {helpers} samplers arrive by {by}: {full:.0%}",
    ),
    "roster_both_ways_registrars": (
        "本街道自有人员（{registrars} 个登记扫码岗无人，这些采样台边扫码边采样，"
        "每人用时约 {factor:.2f} 倍）：全部在时段内采完的概率 {own:.0%}；若登记人员到岗："
        "概率 {full:.0%}",
        "with your own staff ({registrars} registrar posts empty: those desks scan and "
        "swab, about {factor:.2f}× the time per person): P(everyone sampled in the "
        "window) {own:.0%}; if the registrars come: {full:.0%}",
    ),
    "roster_reserve_only": (
        "{n} 个保障岗位无人（{roles}）：机动人员是各台、各点必需岗位之外的补充，"
        "演练按排班表（不含这些人）已达标；支援申请为补充，不是达标的前提",
        "{n} support posts empty ({roles}): reserves are a top-up beyond the posts "
        "each desk and site needs, and the drill on the roster (without them) meets "
        "the targets; the request is a top-up, not a condition",
    ),
    "roster_unmodelled": (
        "{n} 个必需保障岗位无人（{roles}）：演练未模拟其影响，认证以这些人员到岗为"
        "前提，须申请支援",
        "{n} essential support posts empty ({roles}): the drill does not play what "
        "they do, so the certification holds only on condition that they come; "
        "request them",
    ),
    "roster_alternative": (
        "用本街道自有采样人员：采样至 {end}，全部在时段内采完的概率 {p:.0%}；若要 "
        "{base_end} 前完成：需再来 {helpers} 名采样人员、{by} 前到岗（到岗后概率 "
        "{p_alt:.0%}）",
        "with the street's own samplers: sampling until {end}, P(everyone sampled in "
        "the window) {p:.0%}; to finish by {base_end}: {helpers} more samplers by "
        "{by} ({p_alt:.0%} if they come)",
    ),
    "roster_request_conditional": (
        "支援申请（有条件）：{helpers} 名采样人员 {by} 前到岗，以及上述保障岗位",
        "Support request (conditional): {helpers} samplers by {by}, and the support "
        "posts above",
    ),
    "roster_sites_more": ("等", ", …"),
    "roster_finding_not_on_roster": (
        "认证未按排班表演练（按申请的支援全部到岗算），而排班表有 {n} 个采样岗无人："
        "“达标”不成立",
        "the certification was not drilled on the roster (it assumed every requested "
        "helper comes) while the roster leaves {n} sampler posts empty: its 'met' "
        "does not hold",
    ),
    "roster_finding_met_with_gaps": (
        "认证称达标，但排班表有 {n} 个采样岗无人，且未说明以支援到岗为前提",
        "the certification says met, yet the roster leaves {n} sampler posts empty "
        "and it does not say it holds only if help comes",
    ),
    "roster_finding_period": (
        "{period}：{sites_short} 个点缺采样员 {samplers} 名，其中 {n_empty} 个点无人采样",
        "{period}: {samplers} samplers missing at {sites_short} sites, {n_empty} of "
        "them with no sampler at all",
    ),
    "roster_finding_pattern": (
        "{staff} 的排班违反防护班次规则：{why}",
        "{staff}'s roster breaks the PPE shift rules: {why}",
    ),
    "roster_why_block": (
        "连续穿防护 {minutes} 分钟，超过 {limit} 分钟",
        "{minutes} min in PPE without a break, over {limit} min",
    ),
    "roster_why_shifts": (
        "一天 {n} 班，多于 {limit} 班",
        "{n} shifts in a day, more than {limit}",
    ),
    "roster_why_hours": (
        "一天工作 {hours:g} 小时，超过 {limit:g} 小时",
        "{hours:g} h of work in a day, over {limit:g} h",
    ),
}
"""Certification on the roster: verdicts, the staff gap, both-ways chances, findings."""

_add_texts(ROSTER_TEXT)
# the plan document prints these lines, and the certification's levers (which the
# drill on the roster now calls for on small streets too): their characters go into
# the PDF font's early cut (planner.text.all_strings reads the printed outputs' table)
EXPORT_TEXT.update(ROSTER_TEXT)
EXPORT_TEXT.update(CERTIFY_TEXT)


def certification_lines(cert: dict[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """Say what the roster leaves empty and the certification both ways.

    Parameters
    ----------
    cert
        ``plan.json``'s ``certification`` (:meth:`Certification.to_dict`).
    lang
        ``zh`` or ``en``.

    Returns
    -------
    list of (level, text)
        ``alert`` lines (posts left empty; the chances with the street's own staff
        and with the help) come first, then ``info`` lines; empty when the roster
        fills every post.
    """
    st = cert.get("staffing") or {}
    out: list[tuple[str, str]] = []
    samplers = int(st.get("samplers_missing", 0))
    support = int(st.get("support_missing", 0))
    full = cert.get("if_support")
    if samplers:
        out.append(
            ("alert", tr("roster_gap_head", lang, samplers=samplers, other=support))
        )
        for per in st.get("periods", []):
            if not (per["samplers"] or per["home_samplers"]):
                continue
            empty = per["sites_without_sampler"]
            names = join_list(empty[:6], lang) + (
                tr("roster_sites_more", lang) if len(empty) > 6 else ""
            )
            out.append(
                (
                    "alert",
                    "  "
                    + tr(
                        "roster_gap_period",
                        lang,
                        period=per["period"],
                        samplers=per["samplers"],
                        sites_short=per["sites_short"],
                        n_empty=len(empty),
                        sites=f": {names}" if empty else "",
                        home=per["home_samplers"],
                        other=per["other"],
                    ),
                )
            )
    if full is not None and samplers:
        out.append(
            (
                "alert",
                tr(
                    "roster_both_ways",
                    lang,
                    own=cert["p_finish"],
                    helpers=st.get("helpers", 0),
                    by=st.get("helpers_by", ""),
                    full=full["p_finish"],
                ),
            )
        )
    elif full is not None:
        out.append(
            (
                "alert",
                tr(
                    "roster_both_ways_registrars",
                    lang,
                    registrars=st.get("registrars_missing", 0),
                    factor=float(st.get("alone_factor", 1.0)),
                    own=cert["p_finish"],
                    full=full["p_finish"],
                ),
            )
        )
    gaps = {r: int(n) for r, n in (st.get("unmodelled") or {}).items() if n}
    if gaps:
        out.append(
            (
                "alert",
                tr(
                    "roster_unmodelled",
                    lang,
                    n=sum(gaps.values()),
                    roles=join_list(
                        (f"{role_name(r, lang)} {n}" for r, n in gaps.items()), lang
                    ),
                ),
            )
        )
    by_role = {r: int(n) for r, n in (st.get("by_role") or {}).items() if n}
    if by_role and not gaps and not samplers and full is None:
        out.append(
            (
                "info",
                tr(
                    "roster_reserve_only",
                    lang,
                    n=sum(by_role.values()),
                    roles=join_list(
                        (
                            f"{role_name(r, lang)} {n}"
                            for r, n in sorted(by_role.items())
                        ),
                        lang,
                    ),
                ),
            )
        )
    alt = cert.get("alternative")
    if alt:
        out.append(
            (
                "alert",
                tr(
                    "roster_alternative",
                    lang,
                    end=cert.get("window_end", ""),
                    p=cert["p_finish"],
                    base_end=alt["window_end"],
                    helpers=alt["helpers"],
                    by=alt["helpers_by"],
                    p_alt=alt["if_support_p_finish"],
                ),
            )
        )
    if samplers and st.get("helpers"):
        out.append(
            (
                "info",
                tr(
                    "roster_request_conditional",
                    lang,
                    helpers=st["helpers"],
                    by=st.get("helpers_by", ""),
                ),
            )
        )
    return out


def certification_cost_values(cost: dict[str, dict[str, int]]) -> dict[str, int]:
    """Return the values of ``cli_certify_cost`` and ``doc_certify_cost``.

    `cost` is the certification's ``cost``: desks, teams and samplers of the
    certified plan (``certified``) and of the same plan without the day's
    allowances (``without_allowances``), the latter as ``bare_<figure>``.
    """
    certified, bare = cost["certified"], cost["without_allowances"]
    figures = ("desks", "teams", "samplers")
    return {f: certified[f] for f in figures} | {f"bare_{f}": bare[f] for f in figures}
