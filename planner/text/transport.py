"""Strings of sample transport, custody and labs (issues 30 and 33)."""

from __future__ import annotations

from planner.text import _add_texts

TRANSPORT_TEXT: dict[str, tuple[str, str]] = {
    # plan check findings
    "transport_finding_missing": (
        "计划没有样本转运时刻表：{tubes:.0f} 管样本没有车收",
        "the plan has no sample transport schedule: no van takes its {tubes:.0f} tubes",
    ),
    "transport_finding_team_never": (
        "上门组的样本从未交给转运车（{tubes:.0f} 管）",
        "the team's tubes are never handed to a van ({tubes:.0f} tubes)",
    ),
    "transport_finding_team_left": (
        "上门组最后 {stops} 户的样本（{tubes:.0f} 管）没有交给转运车",
        "the tubes of the team's last {stops} households ({tubes:.0f}) never reach a van",
    ),
    "transport_finding_site_left": (
        "最后一次收样之后还有 {tubes:.0f} 管样本，没有车收",
        "{tubes:.0f} tubes are closed after the last pick-up and no van takes them",
    ),
    "transport_finding_tube_late": (
        "{tubes:.0f} 管样本从采样到送达实验室超过 {max_min:g} 分钟，最长 {worst:.0f} 分钟",
        "{tubes:.0f} tubes reach the lab more than {max_min:g} min after their swab, "
        "at worst {worst:.0f} min",
    ),
    "transport_finding_vans": (
        "{vans} 辆转运车服务 {sites} 个采样点（每点 {per:.2f} 辆），少于每点 {min:.2f} 辆",
        "{vans} vans for {sites} sites ({per:.2f} per site), fewer than {min:.2f} per site",
    ),
    "transport_finding_unknown_lab": (
        "转运时刻表送往“{lab}”，检测机构表中没有这家机构",
        "the schedule sends boxes to '{lab}', which is not in the labs table",
    ),
    "transport_finding_result_late": (
        "{tubes:.0f} 管样本 {lab_at} 送达{lab}，预计 {result} 出结果，"
        "比采样开始后 {hours:g} 小时（{deadline}）晚 {late:.0f} 分钟",
        "{tubes:.0f} tubes reach {lab} at {lab_at}, result expected {result}, "
        "{late:.0f} min after the {hours:g} h from the start of sampling ({deadline})",
    ),
    # drill
    "transport_drill_tubes": (
        "样本 {hours:g} 小时内送达实验室的概率 P = {p:.2f}（最长 {worst:.0f} 分钟）；"
        "上门样本最长 {home_max:.0f} 分钟、平均 {home_mean:.0f} 分钟，"
        "平均每次演练 {missed:g} 户样本无车收",
        "P(every tube at the lab within {hours:g} h of its swab) = {p:.2f} (longest "
        "{worst:.0f} min); door-to-door tubes: longest {home_max:.0f} min, mean "
        "{home_mean:.0f} min; {missed:g} households a run whose tubes no van took",
    ),
    "transport_default_lab": ("检测机构（未指定）", "the lab (not given)"),
}

_add_texts(TRANSPORT_TEXT)
