"""Strings of the office's hand edits (issue 31): file problems, refusals, findings, changes."""

from __future__ import annotations

from planner.text import _add_messages, _add_texts

MESSAGES: dict[str, tuple[str, str]] = {
    "edits_unknown_key": ("未知的调整项“{value}”", "unknown entry '{value}'"),
    "edits_bad_value": ("调整值“{value}”无效", "invalid value '{value}'"),
    "edits_bad_choice": (
        "调整值“{value}”不在可选范围内",
        "'{value}' is not a choice here",
    ),
    "edits_bad_date": (
        "日期“{value}”无效，应为 YYYY-MM-DD",
        "date '{value}' is not YYYY-MM-DD",
    ),
    "edits_bad_time": ("时间“{value}”无效，应为 HH:MM", "time '{value}' is not HH:MM"),
    "edits_missing": ("缺少“{value}”", "'{value}' is missing"),
    "edits_duplicate": ("“{value}”重复调整", "'{value}' is edited twice"),
    "edits_pin_kind": (
        "指定须且只能给出 building、compound、grid 之一（现为：{value}）",
        "a pin needs exactly one of building, compound, grid (given: {value})",
    ),
    "edits_closed_with_desks": (
        "采样点 {value} 已关闭，不能再固定采样台数",
        "site {value} is closed and cannot have fixed desks",
    ),
    "edits_area_kind": (
        "区域须且只能给出 compound、grid 之一（现为：{value}）",
        "an area needs exactly one of compound, grid (given: {value})",
    ),
    "edits_bad_moment": (
        "时间“{value}”无效，应为 YYYY-MM-DD HH:MM",
        "time '{value}' is not YYYY-MM-DD HH:MM",
    ),
    "edits_unknown_site": ("没有采样点“{value}”", "no site '{value}'"),
    "edits_unknown_building": ("没有楼栋“{value}”", "no building '{value}'"),
    "edits_unknown_compound": ("没有小区“{value}”", "no compound '{value}'"),
    "edits_unknown_grid": ("没有网格“{value}”", "no grid '{value}'"),
    "edits_desks_over_max": (
        "采样点 {site} 最多 {max} 个采样台，不能设为 {value}",
        "site {site} holds at most {max} desks, not {value}",
    ),
}

TABLE: dict[str, tuple[str, str]] = {
    "edits_pin_to_closed": (
        "{target} 被指定到采样点 {site}，但该点已关闭：请先开放该点或改指定其他点。",
        "{target} is pinned to site {site}, which is closed: open it or pin to "
        "another site.",
    ),
    "edits_pin_beyond_walk": (
        "{target} 指定到 {site}：{buildings} 栋楼超出步行上限，最远的 {building} "
        "约需步行 {minutes:.0f} 分钟，上限 {limit:.0f} 分钟。",
        "{target} pinned to {site}: {buildings} building(s) beyond the walk limit, "
        "the farthest, {building}, about {minutes:.0f} min against {limit:.0f} min.",
    ),
    "edits_pin_over_capacity": (
        "指定到 {site} 的 {people:,} 人（{units:,.0f} 人次）超过该点 {desks} 个采样台 "
        "{hours:g} 小时内能采的 {capacity:,.0f} 人次。",
        "The {people:,} people ({units:,.0f} samples) pinned to {site} exceed the "
        "{capacity:,.0f} its {desks} desks take in {hours:g} h.",
    ),
    "edits_closed_no_reach": (
        "关闭 {sites} 后，{buildings} 栋楼 {people:,} 人在 {minutes:g} 分钟步行范围内"
        "没有其他采样点（如 {example}）：请保留该点，或为这些楼栋安排上门采样。",
        "Closing {sites} leaves {buildings} building(s), {people:,} people, with no "
        "other site within {minutes:g} min (e.g. {example}): keep the site, or send "
        "them door-to-door teams.",
    ),
    "edits_no_site_left": (
        "按调整后，{buildings} 栋楼 {people:,} 人在 {minutes:g} 分钟步行范围内没有可去的"
        "采样点（如 {example}）：请检查指定与封闭管理是否冲突。",
        "Under the edits {buildings} building(s), {people:,} people, have no site "
        "they may go to within {minutes:g} min (e.g. {example}): check pins against "
        "closed management.",
    ),
    "edits_area_over_capacity": (
        "{compound} 封闭管理：{people:,} 人（{units:,.0f} 人次）须在小区内采样，小区内 "
        "{sites} 个采样点共 {desks} 个采样台 {hours:g} 小时内最多采 {capacity:,.0f} "
        "人次（共 {n} 个小区不足，采样时段约需 {need_hours:.1f} 小时）：请增加采样台、"
        "延长时段，或安排部分住户上门采样。",
        "{compound} under closed management: {people:,} people ({units:,.0f} samples) "
        "must be sampled inside it, but its {sites} site(s) with {desks} desks take "
        "at most {capacity:,.0f} in {hours:g} h ({n} compound(s) short; a window of "
        "about {need_hours:.1f} h would hold them): add desks, lengthen the window, "
        "or sample some households at home.",
    ),
    "edits_finding_sealed_walk": (
        "封控区有 {households} 户被安排到采样点，应上门采样",
        "{households} households of a sealed area are sent to a site instead of "
        "being sampled at home",
    ),
    "edits_finding_area_outside": (
        "管控（封闭管理）小区有 {households} 户 {people:,} 人被安排到小区外的采样点",
        "{households} households, {people:,} people, of a closed compound are sent "
        "to a site outside it",
    ),
    "edits_finding_no_date": (
        "{n} 个封控/管控区给出了划定时间，但方案没有采样日期，无法核对首轮时限",
        "{n} sealed/controlled area(s) have a designation time but the plan has no "
        "date: the first-round deadline cannot be checked",
    ),
    "edits_finding_deadline": (
        "{since} 划定，首轮须在 {hours:g} 小时内完成，本轮 {end} 结束，超出 {late:.1f} 小时",
        "designated {since}, first round due within {hours:g} h, this round ends "
        "{end}, {late:.1f} h late",
    ),
    "edits_finding_closed_open": (
        "领导小组决定关闭，但方案仍开放（{people} 人预约在此）",
        "closed by the leading group, but the plan opens it ({people} people booked)",
    ),
    "edits_finding_open_closed": (
        "领导小组决定开放，但方案未开放",
        "opened by the leading group, but the plan leaves it closed",
    ),
    "edits_finding_desks_fixed": (
        "领导小组定为 {want} 个采样台，方案为 {got} 个",
        "the leading group set {want} desks, the plan has {got}",
    ),
    "edits_finding_desks_cap": (
        "领导小组限定最多 {want} 个采样台，方案为 {got} 个",
        "the leading group capped desks at {want}, the plan has {got}",
    ),
    "edits_finding_pin": (
        "领导小组指定到 {site}，方案中有 {households} 户去了其他采样点",
        "pinned to {site} by the leading group, but {households} households go "
        "elsewhere",
    ),
    "edits_finding_pin_slot": (
        "领导小组指定时段 {slot}，方案中有 {households} 户不在该时段",
        "pinned to slot {slot}, but {households} households are booked in another",
    ),
    "edits_finding_count": (
        "领导小组定采样点数 {want}（{mode}），方案开放 {got} 个",
        "the leading group set {want} sites ({mode}), the plan opens {got}",
    ),
    "edits_finding_start": (
        "领导小组定 {want} 开始采样，方案为 {got}",
        "the leading group set the start at {want}, the plan starts at {got}",
    ),
    "edits_change_none": ("方案未变", "the plan is unchanged"),
    "edits_change_opened": ("新开放 {n} 个采样点：{ids}", "{n} site(s) opened: {ids}"),
    "edits_change_closed": ("关闭 {n} 个采样点：{ids}", "{n} site(s) closed: {ids}"),
    "edits_change_desks": (
        "{n} 个采样点采样台数变化：{parts}",
        "desks changed at {n} site(s): {parts}",
    ),
    "edits_change_moved": (
        "{n} 栋楼改到其他采样点（{people:,} 人）：{parts}",
        "{n} building(s) moved ({people:,} people): {parts}",
    ),
    "edits_change_walk": (
        "平均步行 {before:.0f} → {after:.0f} 米",
        "mean walk {before:.0f} → {after:.0f} m",
    ),
    "edits_change_samplers": (
        "在岗采样人员 {before} → {after}",
        "samplers on duty {before} → {after}",
    ),
    "edits_cli_head": (
        "领导小组调整（第 {version} 版，{n} 项）：",
        "Leading group's edits (version {version}, {n}):",
    ),
    "edits_cli_broken": (
        "方案未遵守的调整：{text}",
        "edit not honoured: {text}",
    ),
    "edits_doc_title": ("领导小组调整", "Decisions of the leading group"),
    "edits_doc_close": ("关闭采样点 {site}", "close site {site}"),
    "edits_doc_open": ("开放采样点 {site}", "open site {site}"),
    "edits_doc_desks_fixed": (
        "采样点 {site} 设 {desks} 个采样台",
        "site {site}: {desks} desks",
    ),
    "edits_doc_desks_at_most": (
        "采样点 {site} 最多 {desks} 个采样台",
        "site {site}: at most {desks} desks",
    ),
    "edits_doc_reason": ("（{reason}）", " ({reason})"),
    "edits_doc_pin": (
        "{target} 到采样点 {site} 采样",
        "{target} sampled at site {site}",
    ),
    "edits_doc_pin_slot": (
        "{target} 到采样点 {site} 采样，时段 {slot}",
        "{target} sampled at site {site}, slot {slot}",
    ),
    "edits_doc_count_exactly": ("设 {n} 个采样点", "exactly {n} sites"),
    "edits_doc_count_at_most": ("最多 {n} 个采样点", "at most {n} sites"),
    "edits_doc_date": ("采样日期 {date}", "screening date {date}"),
    "edits_doc_start": ("采样开始 {start}", "sampling starts at {start}"),
}

APP: dict[str, tuple[str, str]] = {
    "edits_app_title": ("领导小组调整", "The leading group's edits"),
    "edits_app_none": (
        "尚无调整：在地图页关闭、开放或锁定采样点、改派楼栋，在此设定日期、开始时间和采样点数。",
        "No edits yet: close, open or lock sites and move buildings on the Map page; "
        "set the date, start and number of sites here.",
    ),
    "edits_app_version": ("第 {version} 版调整：", "Edits, version {version}:"),
    "edits_app_changed": (
        "本次调整重新生成方案，用时 {seconds:.1f} 秒，与上一版相比：",
        "Re-solved in {seconds:.1f} s; against the previous version:",
    ),
    "edits_app_honoured": (
        "方案遵守全部 {n} 项调整（第 {version} 版）",
        "The plan honours all {n} edits (version {version})",
    ),
    "edits_app_undo": ("撤销上一次调整", "Undo the last edit"),
    "edits_app_date": ("采样日期（YYYY-MM-DD）", "Screening date (YYYY-MM-DD)"),
    "edits_app_start": ("开始时间（HH:MM）", "Start (HH:MM)"),
    "edits_app_apply_time": ("设定日期和开始时间", "Set date and start"),
    "edits_app_n": ("采样点数", "Number of sites"),
    "edits_app_n_mode": ("点数要求", "Count"),
    "edits_app_mode_exactly": ("恰好", "exactly"),
    "edits_app_mode_at_most": ("最多", "at most"),
    "edits_app_apply_n": ("设定采样点数", "Set the number of sites"),
    "edits_app_clear_n": ("不限点数", "No number of sites"),
    "edits_app_download": ("下载 edits.toml", "Download edits.toml"),
    "edits_app_site": ("调整的采样点", "Site to edit"),
    "edits_app_reason": ("原因（写入方案）", "Reason (printed in the plan)"),
    "edits_app_close": ("关闭该点", "Close this site"),
    "edits_app_open": ("开放并锁定该点", "Open and lock this site"),
    "edits_app_free": ("取消对该点的调整", "Drop this site's edits"),
    "edits_app_desks": ("采样台数", "Desks"),
    "edits_app_set_desks": ("设定采样台数", "Set the desks"),
    "edits_app_pin_kind": ("改派", "Send"),
    "edits_app_kind_building": ("楼栋", "building"),
    "edits_app_kind_compound": ("小区", "compound"),
    "edits_app_kind_grid": ("网格", "grid"),
    "edits_app_pin_target": ("改派对象", "What to send"),
    "edits_app_pin": ("改到该点采样", "Send to this site"),
    "edits_app_site_state": (
        "当前：{state}，{desks} 个采样台，{people:,} 人",
        "Now: {state}, {desks} desks, {people:,} people",
    ),
    "edits_app_state_open": ("开放", "open"),
    "edits_app_state_closed": ("未开放", "not open"),
    "edits_app_adopt": (
        "采用此行（恰好 N 个采样点）",
        "Adopt this row (exactly N sites)",
    ),
    "edits_app_adopt_n": ("采样点数 N", "Sites N"),
    "edits_app_need_plan": (
        "请先在“方案”页生成方案，再采用某一行。",
        "Solve on the Plan page first, then adopt a row.",
    ),
}

_add_messages(MESSAGES)
_add_texts(APP)
_add_texts(TABLE)
