"""Strings of sample transport, custody and labs (issues 30 and 33)."""

from __future__ import annotations

from planner.text import EXPORT_TEXT, _add_texts

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
    "transport_doc_van_fleet": (
        "{van}（{n} 辆车轮流）",
        "{van} ({n} vehicles in turn)",
    ),
    "transport_finding_vehicle_busy": (
        "第 {vehicle} 辆车此时尚未从上一轮回来（{back} 才回到首站）",
        "vehicle {vehicle} is not back from its last round yet (back at {back})",
    ),
    "transport_finding_vehicle_unknown": (
        "第 {vehicle} 辆车不在本线路的 {vehicles} 辆车之内",
        "vehicle {vehicle} is not one of the route's {vehicles}",
    ),
    "transport_finding_back_early": (
        "返回首站时间 {back} 早于送达实验室",
        "back at {back}, before it reaches the lab",
    ),
    "transport_finding_vans": (
        "{vans} 辆转运车服务 {sites} 个采样点（每点 {per:.2f} 辆），少于每点 {min:.2f} 辆",
        "{vans} vans for {sites} sites ({per:.2f} per site), fewer than {min:.2f} per site",
    ),
    "transport_finding_lab_too_soon": (
        "转运车 {at} 就到实验室，按车程最早 {soonest}",
        "the van is at the lab at {at}, but the drive takes it there at {soonest} "
        "at the soonest",
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
        "- 样本 {hours:g} 小时内送达实验室的概率 P = {p:.2f}（最长 {worst:.0f} 分钟）；"
        "上门样本最长 {home_max:.0f} 分钟、平均 {home_mean:.0f} 分钟，"
        "平均每次演练 {missed:g} 户样本无车收",
        "- P(every tube at the lab within {hours:g} h of its swab) = {p:.2f} (longest "
        "{worst:.0f} min); door-to-door tubes: longest {home_max:.0f} min, mean "
        "{home_mean:.0f} min; {missed:g} households a run whose tubes no van took",
    ),
    # team sheets
    "transport_handover": ("样本交接（转运）", "Sample hand-over"),
    "transport_handover_runner": (
        "{at} 在 {place} 交给转运车：第 {first}–{last} 户的样本（登记员送去）",
        "{at} at {place} to the van: stops {first}–{last} (the registrar takes it)",
    ),
    "transport_handover_van": (
        "{at} 转运车到 {place} 接样：第 {first}–{last} 户的样本",
        "{at} the van meets the team at {place}: stops {first}–{last}",
    ),
    "transport_handover_none": ("转运时刻表中没有本组", "not in the vehicle schedule"),
    # plan document, section 检测机构与送检
    "transport_doc_h": ("十、检测机构与送检", "10. Labs and sample transport"),
    "transport_doc_none": (
        "本方案没有转运时刻表，请重新生成方案",
        "this plan has no vehicle schedule; make the plan again",
    ),
    "transport_doc_default_lab": (
        "未提供检测机构表：按单一检测机构计，自最后一个收样点车程 {drive:g} 分钟，"
        "接收能力不限，收样后 {result:g} 小时出结果。请在情景中加“检测机构”表"
        "（名称、位置、每小时检测管数、接收时间、出结果小时数）。",
        "No labs table: one lab, {drive:g} min from the last pick-up, intake not "
        "limited, results {result:g} h after intake. Add a labs table to the scenario "
        "(name, location, tubes per hour, hours, result time).",
    ),
    "transport_doc_unlimited": ("不限", "not limited"),
    "transport_doc_col_1": ("检测机构", "Lab"),
    "transport_doc_col_2": ("接收时间", "Hours"),
    "transport_doc_col_3": ("管/小时", "Tubes/h"),
    "transport_doc_col_4": ("出结果(时)", "Result (h)"),
    "transport_doc_col_5": ("箱数", "Boxes"),
    "transport_doc_col_6": ("管数", "Tubes"),
    "transport_doc_col_7": ("送达", "Arrive"),
    "transport_doc_col_8": ("最晚出结果", "Last result"),
    "transport_doc_vans": (
        "转运车 {vans} 辆（{site_vans} 辆分 {routes} 条线路服务 {sites} 个采样点，每条线路每 "
        "{period:g} 分钟一轮，车辆送样后返回再出发）；"
        "{teams} 个上门组共交接 {handovers} 次，由登记员把样本箱送到就近采样点交给转运车，"
        "离采样点较远的由转运车上门接样。各点收样时间见点位表，各组交接时间见上门路线单。",
        "{vans} vans ({site_vans} on {routes} routes serve {sites} sites, a round every "
        "{period:g} min on each route, a van back from the lab before it goes again); "
        "{teams} door-to-door teams hand over {handovers} times: the team's registrar "
        "takes the box to the nearest site for the van, or the van meets a team far "
        "from any site. Pick-up times per site are in the site workbooks, hand-overs "
        "per team on the route sheets.",
    ),
    "transport_doc_times": (
        "样本从采样到送达实验室：到点采样最长 {walk_max:.0f} 分钟、平均 {walk_mean:.0f} "
        "分钟；上门采样最长 {home_max:.0f} 分钟、平均 {home_mean:.0f} 分钟（室温保存"
        "不超过 {limit:.0f} 分钟）。",
        "Swab to lab: walk-up tubes at most {walk_max:.0f} min, mean {walk_mean:.0f} "
        "min; door-to-door tubes at most {home_max:.0f} min, mean {home_mean:.0f} min "
        "(at room temperature no longer than {limit:.0f} min).",
    ),
    "transport_doc_results": (
        "全部结果须在采样开始（{start}）后 {hours:g} 小时内、即 {deadline} 前反馈；"
        "预计最晚 {last} 出结果，超时 {late} 箱。",
        "All results are due within {hours:g} h of the start of sampling ({start}), "
        "by {deadline}; the last is expected at {last}; {late} boxes late.",
    ),
    "transport_doc_van_1": ("车辆", "Van"),
    "transport_doc_van_2": ("采样点", "Sites"),
    "transport_doc_van_3": ("每轮出发", "Rounds start"),
    "transport_doc_van_4": ("上门交接", "Team hand-overs"),
    "transport_doc_results_when": (
        "{start} 起 {hours:g} 小时内（{deadline} 前）",
        "within {hours:g} h of {start} (by {deadline})",
    ),
    "transport_next_day": ("次日 {time}", "{time} next day"),
    "transport_day_n": ("第{n}日 {time}", "{time} on day {n}"),
    "transport_default_lab": ("检测机构（未指定）", "the lab (not given)"),
}

_add_texts(TRANSPORT_TEXT)
# the printed ones go into the PDFs' font too (text.all_strings reads EXPORT_TEXT)
EXPORT_TEXT.update(
    {k: v for k, v in TRANSPORT_TEXT.items() if not k.startswith("transport_finding")}
)
