"""Every string a user reads, in Chinese (default) and English; one ``Lang``, one ``tr``.

Tables: :data:`MESSAGES` (input and plan-folder problems, by issue code),
:data:`SUMMARY_LABELS`, :data:`PLAN_WARNINGS`, :data:`KPI_LINES` (CLI),
:data:`EXPORT_TEXT` (printed outputs), :data:`APP_TEXT`, :data:`KPI_LABELS` and
:data:`COLUMN_LABELS` (the app), :data:`MAP_TIPS` (map tooltips),
:data:`INFEASIBLE_TEXT`, :data:`CERTIFY_TEXT`, :data:`FINDING_TEXT` (``planner
check``), :data:`DRILL_TEXT` and :data:`CLI_TEXT`. :func:`tr` looks a key up in
:data:`TEXT`, the export, app, planning, check, drill and CLI strings together;
:func:`tr_both` gives a key in both languages for what is kept or said in both.

A new capability keeps its words in a module of its own, ``planner/text/<capability>.py``:
one table whose keys start with the capability's name, added with :func:`_add_texts`
(strings for :func:`tr`) or :func:`_add_messages` (problems by issue code). This module
imports every module of the package when it is first imported.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import Literal

from planner.errors import Issue

Lang = Literal["zh", "en"]
"""A user's language: Chinese (default) or English."""

LANGS: tuple[Lang, Lang] = ("zh", "en")
"""The languages, default first."""

MESSAGES: dict[str, tuple[str, str]] = {
    # files and sheets
    "path_missing": ("找不到情景文件或文件夹", "scenario file or folder not found"),
    "out_exists": (
        "输出位置（{option}）已有内容；确认要覆盖请加 --force，或换一个输出位置",
        "the output ({option}) already exists; add --force to replace it, or choose "
        "another place",
    ),
    "out_is_file": (
        "输出位置（{option}）是一个已有文件，这里需要一个文件夹",
        "the output ({option}) is an existing file; a folder is needed here",
    ),
    "out_is_folder": (
        "输出位置（{option}）是一个已有文件夹，这里需要一个文件",
        "the output ({option}) is an existing folder; a file is needed here",
    ),
    "out_not_writable": (
        "无法在输出位置（{option}）创建或写入：上级路径不是文件夹，或没有写权限",
        "cannot create or write the output ({option}): a parent is not a folder, or "
        "no permission",
    ),
    "policy_missing": (
        "找不到规则参数文件（--policy 指定的 policy.toml）",
        "policy file not found (the policy.toml given with --policy)",
    ),
    "policy_window_positive": (
        "采样时长必须大于 0 小时（现为 {hours} 小时）",
        "the sampling window must be longer than 0 hours (it is {hours} h)",
    ),
    "file_missing": (
        "缺少必需的表“{table}”（应有文件 {expected}）",
        "required table '{table}' is missing (expected a file {expected})",
    ),
    "sheet_missing": (
        "工作簿中缺少必需的工作表“{table}”",
        "workbook has no sheet for required table '{table}'",
    ),
    "file_unreadable": ("无法读取文件：{why}", "cannot read the file: {why}"),
    "encoding": (
        "文件编码无法识别（支持 UTF-8、带BOM的UTF-8、GBK）",
        "unknown text encoding (UTF-8, UTF-8 with BOM and GBK are supported)",
    ),
    "toml_syntax": (
        "配置文件格式错误：{why}",
        "configuration file syntax error: {why}",
    ),
    "table_empty": ("表中没有数据行", "the table has no data rows"),
    "table_ambiguous": (
        "表“{table}”同时有多个文件：{files}",
        "table '{table}' is given by several files: {files}",
    ),
    # columns
    "column_missing": ("缺少必需列“{column}”", "required column '{column}' is missing"),
    "column_unknown": (
        "无法识别的列名，已忽略（可接受的列名见说明文档）",
        "unknown column header, ignored (see the README for accepted headers)",
    ),
    "column_duplicate": (
        "列“{column}”出现了不止一次",
        "column '{column}' appears more than once",
    ),
    # values
    "value_missing": ("必填项为空", "required value is empty"),
    "bad_int": ("“{value}”不是整数", "'{value}' is not a whole number"),
    "bad_float": ("“{value}”不是数字", "'{value}' is not a number"),
    "bad_bool": (
        "“{value}”不是是/否值（可用：是/否、1/0、true/false）",
        "'{value}' is not yes/no (use 是/否, 1/0, true/false)",
    ),
    "bad_time": ("“{value}”不是时间（应为 HH:MM）", "'{value}' is not a time (HH:MM)"),
    "bad_date": (
        "“{value}”不是日期（应为 YYYY-MM-DD）",
        "'{value}' is not a date (YYYY-MM-DD)",
    ),
    "duplicate_id": (
        "编号“{value}”重复（首次出现在第 {first} 行）",
        "id '{value}' is duplicated (first seen on row {first})",
    ),
    "unknown_reference": (
        "引用了不存在的{target}“{value}”",
        "refers to unknown {target} '{value}'",
    ),
    "nonpositive": (
        "数值必须大于 0（现为 {value}）",
        "must be greater than 0 (is {value})",
    ),
    "negative": ("数值不能为负（现为 {value}）", "must not be negative (is {value})"),
    "age_range": ("年龄 {value} 不在 0–120 之间", "age {value} is not within 0–120"),
    "coords_outside_china": (
        "坐标（经度 {lon}，纬度 {lat}）不在中国境内",
        "coordinates (lon {lon}, lat {lat}) are outside China",
    ),
    "coords_swapped": (
        "经纬度似乎填反了（经度 {lon}，纬度 {lat}）",
        "longitude and latitude seem swapped (lon {lon}, lat {lat})",
    ),
    "far_from_street": (
        "位置距街道中心 {km} 公里，远超街道范围，请核对坐标",
        "location is {km} km from the street centre, far outside the street; check it",
    ),
    "site_no_desks": (
        "采样点最大采样台数为 {value}，至少应为 1",
        "site has {value} desks; at least 1 is needed",
    ),
    "open_window_bad": (
        "开放结束时间 {to} 不晚于开始时间 {frm}",
        "closing time {to} is not after opening time {frm}",
    ),
    "id_number_format": (
        "身份证号不是18位（17位数字加校验位）",
        "ID number is not 18 characters (17 digits and a check character)",
    ),
    "id_number_check": ("身份证号校验位错误", "ID number check character is wrong"),
    "id_number_numeric": (
        "身份证号被存成了数字，后几位已丢失；请把该列设为文本",
        "ID number was stored as a number and lost digits; format the column as text",
    ),
    "id_age_mismatch": (
        "身份证号中的出生日期与年龄 {age} 不符",
        "birth date in the ID number does not match age {age}",
    ),
    "phone_invalid": (
        "联系电话格式不正确（应为11位手机号或带区号的座机）",
        "phone number is malformed (11-digit mobile or landline with area code)",
    ),
    "size_mismatch": (
        "户人数为 {size}，但居民表中该户有 {count} 人；按 {planned} 人安排，请网格员核对",
        "household size is {size} but the residents table lists {count} people; "
        "planned for {planned}, the grid worker should check",
    ),
    "unknown_role": (
        "岗位“{value}”无法识别（应为 采样/sampler 或 保障/support）",
        "role '{value}' not understood (use sampler or support)",
    ),
    "unknown_holder": (
        "储备单位“{value}”无法识别（应为 街道、卫生服务中心 或 医院）",
        "holder '{value}' not understood (use street, health_center or hospital)",
    ),
    "unknown_crs": (
        "坐标系“{value}”无法识别（应为 wgs84、gcj02 或 bd09）",
        "coordinate system '{value}' not understood (use wgs84, gcj02 or bd09)",
    ),
    "building_empty": ("该楼栋没有住户", "building has no households"),
    "geo_no_crs": (
        "地理文件没有坐标系，按 WGS-84 读取",
        "geographic file has no CRS; read as WGS-84",
    ),
    "geo_bad_geometry": (
        "几何类型应为 {expected}，实际为 {actual}",
        "geometry should be {expected}, is {actual}",
    ),
    "more_of_kind": (
        "同类问题（{code}）还有 {n} 处未逐条列出",
        "{n} more problems of the same kind ({code}) not listed one by one",
    ),
    # policy
    "policy_unknown_section": ("未知的配置节", "unknown section"),
    "policy_unknown_key": ("未知的配置项", "unknown key"),
    "plan_mismatch": (
        "方案与情景不符：“{value}”在情景中不存在",
        "the plan does not match the scenario: '{value}' is not in it",
    ),
    "plan_folder_missing": (
        "找不到方案文件夹（请先用 planner plan 生成方案）",
        "plan folder not found (make one with planner plan first)",
    ),
    "plan_file_missing": (
        "方案文件夹缺少此文件（文件夹是否为 planner plan 所写？）",
        "the plan folder lacks this file (was it written by planner plan?)",
    ),
    "plan_policy_missing": (
        "plan.json 中没有方案所用的规则参数（policy 一节）",
        "plan.json does not hold the policy the plan was made with",
    ),
    "plan_json_broken": (
        "plan.json 无法解析（第 {line} 行第 {col} 列），文件可能已损坏或被改动",
        "plan.json cannot be parsed (line {line}, column {col}); damaged or edited",
    ),
    "plan_table_broken": (
        "方案表格无法读取，文件可能已损坏或被改动",
        "the plan table cannot be read; it may be damaged or edited",
    ),
    "plan_other_scenario": (
        "此方案不是为该情景所做（方案：{plan_street}，情景：{street}）："
        "情景中有 {missing} 户不在方案里，方案中有 {unknown} 户不在情景里，"
        "{moved} 户所在楼栋不同。请用同一情景重新生成方案",
        "this plan was not made for this scenario (plan: {plan_street}, scenario: "
        "{street}): {missing} households of the scenario are not in the plan, "
        "{unknown} of the plan are not in the scenario, {moved} are in other "
        "buildings. Make the plan again from this scenario",
    ),
    "plan_households_missing": (
        "方案缺少情景中的 {n} 户住户（方案是否为另一情景所做？）",
        "the plan lacks {n} of the scenario's households (made for another scenario?)",
    ),
    "disrupt_kind": (
        "未知的突发情况类型“{kind}”（可用：close/关闭、no_show/缺员、rain/降雨、"
        "surge/涌入、seal/封控）",
        "unknown disruption '{kind}' (use close, no_show, rain, surge or seal)",
    ),
    "disrupt_key": ("无法识别的参数“{key}”", "unknown parameter '{key}'"),
    "disrupt_missing": ("缺少参数“{key}”", "parameter '{key}' is missing"),
    "disrupt_time": (
        "参数 {key} 的值“{value}”不是时间（应为 HH:MM）",
        "{key}: '{value}' is not a time (HH:MM)",
    ),
    "disrupt_share": (
        "参数 {key} 的值“{value}”应为 0 到 {upper} 之间的数",
        "{key}: '{value}' should be a number from 0 to {upper}",
    ),
    "disrupt_order": (
        "结束时间应晚于开始时间",
        "the end time must come after the start",
    ),
    "disrupt_unknown_site": (
        "情景中没有采样点“{site}”",
        "the scenario has no site '{site}'",
    ),
    "disrupt_closed_site": (
        "采样点“{site}”在方案中未开放，关闭它不影响演练",
        "site '{site}' is not open in the plan; closing it changes nothing",
    ),
    "disrupt_unknown_building": (
        "情景中没有楼栋“{building}”",
        "the scenario has no building '{building}'",
    ),
    "policy_bad_value": ("配置值“{value}”无效", "invalid value '{value}'"),
    "policy_window_cap": (
        "采样时长 {hours} 小时超过上限 {cap} 小时",
        "sampling window of {hours} h exceeds the cap of {cap} h",
    ),
    "policy_rate_high": (
        "采样速率 {rate} 人/小时高于实测持续上限 {cap}",
        "sampling rate {rate} people/h is above the highest sustained rate {cap}",
    ),
}
"""Message templates by code: (Chinese, English). Templates never hold personal data."""

SUMMARY_LABELS: dict[str, tuple[str, str]] = {
    "communities": ("社区", "communities"),
    "grids": ("网格", "grids"),
    "buildings": ("楼栋", "buildings"),
    "households": ("住户", "households"),
    "residents": ("居民（户人数合计）", "residents (sum of household sizes)"),
    "residents_registered": ("居民登记人数", "residents registered"),
    "key_group": ("重点人群（单采）", "key-group residents (single tube)"),
    "homebound": ("行动不便（上门）", "homebound (home visit)"),
    "sealed_households": ("封控住户", "sealed households"),
    "sites": ("候选采样点", "candidate sites"),
    "site_desks": ("最大采样台合计", "desks possible in all"),
    "staff": ("工作人员", "staff"),
    "samplers": ("其中采样人员", "of whom samplers"),
    "support": ("其中保障人员", "of whom support"),
}
"""Labels of :meth:`planner.model.scenario.Scenario.summary` counts."""

PLAN_WARNINGS: dict[str, tuple[str, str]] = {
    "grid_out_of_reach": (
        "网格 {grid} 有 {households} 户在 {minutes:g} 分钟步行范围内没有采样点",
        "grid {grid} has {households} households with no site within {minutes:g} minutes",
    ),
    "sampler_pool_short": (
        "需在岗采样人员 {needed} 人，人员库只有 {pool} 人",
        "{needed} samplers needed on duty, the pool has {pool}",
    ),
}
"""Texts of plan-level warnings (``Plan.warnings`` codes)."""

REASONS: dict[str, tuple[str, str]] = {
    "not_found": ("文件不存在", "the file does not exist"),
    "no_permission": ("没有读写权限", "permission denied"),
    "is_folder": ("这是一个文件夹，不是文件", "this is a folder, not a file"),
    "not_folder": ("路径中有一段不是文件夹", "part of the path is not a folder"),
    "encoding": (
        "文件编码无法识别（支持 UTF-8、带BOM的UTF-8、GBK）",
        "unknown text encoding (UTF-8, UTF-8 with BOM and GBK are supported)",
    ),
    "syntax_at": (
        "第 {line} 行第 {col} 列附近格式不对",
        "near line {line}, column {col}",
    ),
    "os_error": ("系统无法读取（磁盘或网络位置有问题？）", "the system cannot read it"),
    "not_scenario": (
        "应为一个情景文件夹，或一个 .xlsx / .xls / .ods 工作簿",
        "expected a scenario folder or an .xlsx, .xls or .ods workbook",
    ),
    "damaged": (
        "内容不是所声称的格式，或文件已损坏",
        "the content is not what the file claims, or the file is damaged",
    ),
}
"""Why a file could not be read: codes of :func:`planner.errors.reason_of`."""

_SEVERITY = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "note": ("已整理", "note"),
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
"""Errors are listed first, then warnings, then notes of what was normalised."""

_WHERE = {
    "row": ("第 {row} 行", "row {row}"),
    "column": ("列“{column}”", "column '{column}'"),
}


def issue_message(issue: Issue, *, lang: Lang = "zh") -> str:
    """Return only the message text of `issue` (no severity or location)."""
    li = lang_index(lang)
    template = MESSAGES.get(issue.code, (issue.code, issue.code))[li]
    params = dict(issue.params)
    if params.get("why") in REASONS:
        params["why"] = REASONS[params["why"]][li].format(**params)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def render_issue(issue: Issue, *, lang: Lang = "zh") -> str:
    """Return one line: severity, file, row, column and the message text.

    Parameters
    ----------
    issue
        The problem to render.
    lang
        ``zh`` (default) or ``en``.
    """
    li = lang_index(lang)
    text = issue_message(issue, lang=lang)
    where: list[str] = []
    if issue.file:
        where.append(issue.file)
    if issue.row is not None:
        where.append(_WHERE["row"][li].format(row=issue.row))
    if issue.column:
        where.append(_WHERE["column"][li].format(column=issue.column))
    sep = "，" if lang == "zh" else ", "
    colon = "：" if lang == "zh" else ": "
    head = f"[{_SEVERITY[issue.severity][li]}] " + sep.join(where)
    return head + colon + text if where else head + text


def render_issues(issues: Iterable[Issue], *, lang: Lang = "zh") -> list[str]:
    """Render every issue, errors first, in input order within each severity."""
    ordered = sorted(issues, key=lambda i: SEVERITY_ORDER[i.severity])
    return [render_issue(i, lang=lang) for i in ordered]


KPI_LINES: dict[str, tuple[str, str]] = {
    "sites_open": ("开放采样点", "sites open"),
    "desks": ("采样台", "desks"),
    "samplers_on_duty": (
        "在岗采样人员（含上门）",
        "samplers on duty (incl. home visits)",
    ),
    "people_walk_up": ("到点采样人数", "people sampled at sites"),
    "people_home_visit": ("上门采样人数", "people sampled at home"),
    "people_unassigned": ("未分配人数", "people unassigned"),
    "households_unassigned": ("未分配住户", "households unassigned"),
    "home_visit_teams": ("上门采样组", "door-to-door teams"),
    "mean_walk_m": ("平均步行距离（米）", "mean walk (m)"),
    "max_walk_m": ("最远步行距离（米）", "longest walk (m)"),
    "finish_time": ("预计结束时间", "finish time"),
    "gap": ("最优性差距", "optimality gap"),
}
"""The plan's KPIs as the CLI prints them: key → (Chinese, English)."""


EXPORT_TEXT: dict[str, tuple[str, str]] = {
    # --- common -------------------------------------------------------------------
    "banner_unmasked": (
        "含完整身份信息，注意保密",
        "CONTAINS FULL PERSONAL IDENTIFIERS — KEEP CONFIDENTIAL",
    ),
    "masked_note": (
        "身份证号保留前6位和后4位、电话保留前3位和后4位，其余已脱敏",
        "ID numbers keep the first 6 and last 4, phones the first 3 and last 4 "
        "characters; the rest is masked",
    ),
    "tube_single": ("单采", "single tube"),
    "tube_pooled": ("混采", "pooled"),
    "tube_household": ("一户一管", "one tube per household"),
    "to_assign": ("待派", "to be assigned"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "indoor": ("室内", "indoor"),
    "outdoor": ("室外", "outdoor"),
    "holder_street": ("街道", "street office"),
    "holder_health_center": ("卫生服务中心", "health centre"),
    "holder_hospital": ("医院", "hospital"),
    "key_group": ("重点人群", "key group"),
    "homebound": ("行动不便", "homebound"),
    "sealed": ("封控", "sealed"),
    "total": ("合计", "total"),
    "page": ("第 {page} 页", "page {page}"),
    "none": ("无", "none"),
    # --- directions (compass points, from the building to the site) ---------------
    "dir_0": ("北", "north"),
    "dir_1": ("东北", "north-east"),
    "dir_2": ("东", "east"),
    "dir_3": ("东南", "south-east"),
    "dir_4": ("南", "south"),
    "dir_5": ("西南", "south-west"),
    "dir_6": ("西", "west"),
    "dir_7": ("西北", "north-west"),
    # --- roles --------------------------------------------------------------------
    "role_sampler": ("采样人员", "sampler"),
    "role_registrar": ("登记扫码", "registrar"),
    "role_order_keeper": ("秩序维护", "order keeper"),
    "role_guide": ("引导", "guide"),
    "role_disinfection": ("消杀", "disinfection"),
    "role_site_lead": ("点长", "site lead"),
    "role_reserve": ("机动", "reserve"),
    "role_transport": ("样本转运", "sample transport"),
    "role_home_sampler": ("上门采样", "home-visit sampler"),
    "role_home_registrar": ("上门登记", "home-visit registrar"),
    # --- site rosters -------------------------------------------------------------
    "sheet_cover": ("封面", "Cover"),
    "sheet_timetable": ("时段安排", "Timetable"),
    "sheet_residents": ("居民名单", "Residents"),
    "sheet_staff": ("人员排班", "Staff"),
    "sheet_supplies": ("物资领取", "Supplies"),
    "roster_title": (
        "{street}全员核酸检测 · 采样点工作手册",
        "{street} mass screening · site handbook",
    ),
    "site_id": ("采样点编号", "Site id"),
    "site_name": ("采样点名称", "Site"),
    "address": ("地址", "Address"),
    "community": ("所属社区", "Community"),
    "kind": ("场地类型", "Kind of site"),
    "in_out": ("室内/室外", "Indoor/outdoor"),
    "desks": ("采样台（张）", "Desks"),
    "window": ("采样时段", "Sampling window"),
    "people_planned": ("预计采样人数", "People expected"),
    "households": ("户数", "Households"),
    "buildings": ("楼栋数", "Buildings"),
    "grids": ("网格", "Grids"),
    "single_people": ("单采人数（重点人群）", "Single-tube people (key groups)"),
    "pooled_people": ("混采人数（{pool}混1）", "Pooled people ({pool} per tube)"),
    "site_lead": ("点长", "Site lead"),
    "shift_lead": (
        "第{n}班 {time}：{name} {phone}",
        "Shift {n} {time}: {name} {phone}",
    ),
    "pickups": (
        "标本转运时间（间隔不超过{h:g}小时）",
        "Sample pick-ups (every ≤ {h:g} h)",
    ),
    "site_rules": ("现场要求", "On site"),
    "site_rule_1": (
        "设置1米线，单向通行；采样台间隔3米",
        "1 m queue markings, one-way flow; desks 3 m apart",
    ),
    "site_rule_2": (
        "按时段、按网格分批叫号，重点人群单采单检、优先采样",
        "call residents slot by slot and grid by grid; key groups single-tubed, first",
    ),
    "site_rule_3": (
        "老人、孕妇、残疾人走绿色通道",
        "green lane for the elderly, pregnant women and disabled people",
    ),
    "site_rule_4": (
        "采样结束后对场地消杀，医疗废物按规定收集转运",
        "disinfect the site after sampling; collect medical waste as required",
    ),
    "col_seq": ("序号", "No."),
    "col_slot": ("时段", "Slot"),
    "col_grid": ("网格", "Grid"),
    "col_building": ("楼栋", "Building"),
    "col_unit": ("单元", "Unit"),
    "col_room": ("房号", "Room"),
    "col_name": ("姓名", "Name"),
    "col_id_number": ("身份证号", "ID number"),
    "col_phone": ("联系电话", "Phone"),
    "col_tube": ("采样方式", "Tube"),
    "col_done": ("已采样", "Sampled"),
    "col_households": ("户数", "Households"),
    "col_people": ("人数", "People"),
    "col_single": ("单采", "Single"),
    "col_pooled": ("混采", "Pooled"),
    "col_address": ("地址", "Address"),
    "col_load": ("负荷", "Load"),
    "col_household": ("户号", "Household"),
    "col_shift": ("班次", "Shift"),
    "col_time": ("时间", "Time"),
    "col_role": ("岗位", "Role"),
    "col_org": ("单位", "Organisation"),
    "col_item": ("物资", "Item"),
    "col_unit_of": ("单位", "Unit"),
    "col_holder": ("储备单位", "Held by"),
    "col_quantity": ("数量", "Quantity"),
    "col_picked": ("已领取", "Picked"),
    "col_stop": ("顺序", "Stop"),
    "col_arrive": ("预计到达", "Arrive"),
    "col_note": ("备注", "Note"),
    "slot_total": ("{slot} 小计", "{slot} subtotal"),
    "shortfall_row": ("缺员（待申请支援）", "missing (request support)"),
    "no_register": (
        "（无居民名册，仅有户人数）",
        "(no residents register: household sizes only)",
    ),
    # --- door to door -------------------------------------------------------------
    "sheet_team": ("说明", "Team"),
    "sheet_route": ("路线", "Route"),
    "d2d_title": (
        "{street}上门采样路线单 · {team}",
        "{street} door-to-door route · {team}",
    ),
    "team": ("采样组", "Team"),
    "depot": ("出发点", "Starts from"),
    "start": ("首户到达", "First door"),
    "back": ("返回出发点", "Back at base"),
    "people_total": ("人数", "People"),
    "d2d_rule_1": (
        "每户更换全套防护用品，户内每人更换手套",
        "change full PPE at every household, gloves for every person",
    ),
    "d2d_rule_2": (
        "封控住户一户一管，在门口采样，不进入室内",
        "sealed households: one tube per household, sampled at the door",
    ),
    "d2d_rule_3": (
        "到达前电话联系住户，请其备好身份证",
        "phone the household before arriving and ask for the ID cards",
    ),
    "unrouted_title": ("未排入路线的上门住户", "Home-visit households without a route"),
    # --- notices ------------------------------------------------------------------
    "notice_title": ("核酸检测采样通知", "Notice: nucleic-acid testing"),
    "notice_dear": ("尊敬的{building}居民：", "To the residents of {building}:"),
    "notice_intro": (
        "为做好全员核酸检测工作，请本楼栋居民按以下安排，在规定时段前往指定采样点分批采样，"
        "不要提前聚集。",
        "Everyone is to be tested. Please go to your sampling site in your time slot "
        "below; please do not arrive early or gather.",
    ),
    "notice_site": ("采样地点", "Where"),
    "notice_time": ("采样时间", "When"),
    "notice_bring": ("请携带", "Bring"),
    "notice_queue": ("排队须知", "In the queue"),
    "notice_call": ("咨询电话", "Questions"),
    "notice_walk": (
        "从本楼向{dir}步行约{m}米（约{minutes}分钟）",
        "about {m} m on foot to the {dir} (about {minutes} min)",
    ),
    "notice_all_units": ("全楼", "whole building"),
    "notice_slot_line": ("{slot}  {units}", "{slot}  {units}"),
    "bring_1": (
        "身份证（儿童可带户口簿）",
        "ID card (household register for children)",
    ),
    "bring_2": ("健康码（手机出示）", "health code on your phone"),
    "bring_3": ("全程规范佩戴口罩", "a mask, worn all the time"),
    "queue_1": (
        "排队时前后保持1米以上间距，不聚集、不交谈",
        "keep at least 1 m apart; do not gather or chat",
    ),
    "queue_2": (
        "按通知时段前往，错峰采样，采样后立即离开",
        "come in your slot and leave straight after sampling",
    ),
    "queue_3": (
        "老人、孕妇、残疾人可走绿色通道",
        "the elderly, pregnant women and disabled people may use the green lane",
    ),
    "queue_4": (
        "行动不便或封控住户无需前往，由上门采样组入户采样，请在家等候",
        "homebound residents and sealed households stay at home: a team will come",
    ),
    "notice_home_title": (
        "本楼栋实行上门采样",
        "Door-to-door sampling in this building",
    ),
    "notice_home_text": (
        "请全体居民在家等候，不要外出。上门采样组预计 {when} 入户，请提前备好身份证，"
        "开门时佩戴口罩。",
        "Please stay at home. The sampling team will call {when}; have your ID card "
        "ready and wear a mask when you open the door.",
    ),
    "notice_home_some": (
        "本楼另有 {n} 户由上门采样组入户采样（预计 {when}），请在家等候。",
        "{n} household(s) of this building are sampled at home ({when}); please stay in.",
    ),
    "when_at": ("{t0} 左右", "at about {t0}"),
    "when_between": ("{t0}–{t1}", "between {t0} and {t1}"),
    "notice_contact": ("采样点负责人 {name}  {phone}", "site lead {name}  {phone}"),
    "notice_contact_none": (
        "请联系{community}居委会（网格员）",
        "please contact the {community} residents' committee (grid worker)",
    ),
    "notice_footer": (
        "{street}新冠肺炎疫情防控工作领导小组",
        "{street} epidemic prevention and control leading group",
    ),
    # --- GIS and map --------------------------------------------------------------
    "map_title": ("采样点及服务范围", "Sites and their catchments"),
    "map_site": ("开放采样点", "open site"),
    "map_closed": ("未开放候选点", "candidate not opened"),
    "map_home": ("上门采样楼栋", "door-to-door building"),
    # --- plan document ------------------------------------------------------------
    "doc_title": (
        "{street}全员核酸检测工作方案",
        "{street} full-population screening plan",
    ),
    "doc_intro": (
        "为快速、有序完成本街道全员核酸检测，按照“应检尽检、不漏一人”的要求，坚持按网格分片、"
        "分时段有序组织，重点人群优先、一人一管，行动不便和封控人员上门采样，结合本街道实际，"
        "制定本方案。",
        "To test every resident of the street quickly and in order — grid by grid and "
        "slot by slot, key groups first and single-tubed, homebound and sealed households "
        "at home — this plan sets out sites, staff, supplies and duties.",
    ),
    "doc_h_scope": ("一、检测范围和时间", "1. Scope and window"),
    "doc_scope": (
        "检测范围为本街道 {communities} 个社区、{grids} 个网格、{buildings} 栋楼、"
        "{households:,} 户，共 {population:,} 人。采样时间为 {start}–{end}（{hours:g} 小时），"
        "每 {slot} 分钟一个时段，各楼栋按通知时段分批前往指定采样点。",
        "The screening covers {communities} communities, {grids} grids, {buildings} "
        "buildings and {households:,} households, {population:,} people. Sampling runs "
        "{start}–{end} ({hours:g} h) in {slot}-minute slots; each building goes to its "
        "site in its slot.",
    ),
    "doc_scope_mode": (
        "到点采样 {walk:,} 人；上门采样 {home:,} 人（{teams} 个上门采样组）；"
        "未能分配 {unassigned:,} 人。采用{pool}混1混采，重点人群单采单检。",
        "{walk:,} people are sampled at sites and {home:,} at home ({teams} door-to-door "
        "teams); {unassigned:,} could not be assigned. Pooling is {pool} per tube; key "
        "groups are single-tubed.",
    ),
    "doc_h_groups": ("二、组织领导和职责分工", "2. Leadership and working groups"),
    "doc_groups_intro": (
        "街道成立全员核酸检测工作领导小组，由街道党工委书记任组长、办事处主任任常务副组长，"
        "下设办公室（设在党政综合办）和七个工作组，分工如下：",
        "The street sets up a leading group (party secretary as head, office director as "
        "deputy) with an office and seven working groups:",
    ),
    "grp_coord": ("综合协调组", "Coordination group"),
    "grp_coord_duty": (
        "统筹调度采样点开设和人员调配；起草方案、组织会议；汇总各采样点进度，每日13时前报送，"
        "无情况零报告；协调联防联控单位。",
        "directs the opening of sites and the deployment of staff; drafts plans, runs "
        "meetings; collects progress from every site and reports by 13:00 daily (zero "
        "report when nothing happened).",
    ),
    "grp_medical": ("医疗（采样检测）组", "Medical (sampling and testing) group"),
    "grp_medical_duty": (
        "调配采样人员 {samplers} 人次（含上门采样），负责采样质量和院感防控、上门采样、"
        "样本交接检测；牵头单位为社区卫生服务中心。",
        "deploys {samplers} sampler shifts (door-to-door included); sampling quality and "
        "infection control, home visits, hand-over to the laboratory; led by the health "
        "centre.",
    ),
    "grp_logistics": ("后勤保障（物资）组", "Logistics and supplies group"),
    "grp_logistics_duty": (
        "按各点领取单配送物资；街道储备满负荷运转15天、医疗机构30天的物资，"
        "现有 {short} 项不足，需及时采购；保障经费和工作人员餐饮。",
        "delivers supplies to each site by its pick list; keeps 15 days (street) and 30 "
        "days (health centre, hospital) of full-load stock — {short} item(s) are short "
        "and must be ordered; funds and meals.",
    ),
    "grp_traffic": ("交通管控（样本转运）组", "Traffic and sample transport group"),
    "grp_traffic_duty": (
        "采样点周边交通疏导；安排转运车辆，每个采样点至少每{h:g}小时取样一次，"
        "{transport} 人次负责转运。",
        "keeps traffic clear around sites; runs sample vehicles so that every site is "
        "collected at least every {h:g} h ({transport} transport shifts).",
    ),
    "grp_security": ("治安（秩序维护）组", "Public order group"),
    "grp_security_duty": (
        "由派出所牵头，维护采样现场秩序，落实1米线、防止聚集，{keepers} 人次秩序维护。",
        "led by the police station: order at the sites, 1 m spacing, no crowding "
        "({keepers} order-keeper shifts).",
    ),
    "grp_environment": ("环境（消杀）组", "Environment (disinfection) group"),
    "grp_environment_duty": (
        "负责采样点环境消杀、医疗废物收集暂存和转运，{disinfection} 人次。",
        "disinfects sites, collects and hands over medical waste ({disinfection} shifts).",
    ),
    "grp_publicity": ("宣传组", "Publicity group"),
    "grp_publicity_duty": (
        "发布检测通告，张贴楼栋通知 {notices} 份，通过网格群、广播告知居民时段和地点，"
        "解疑释惑，做好舆情引导。",
        "announces the screening, posts {notices} building notices, tells residents "
        "their slot and site through grid chats and loudspeakers, answers questions.",
    ),
    "doc_h_sites": ("三、采样点设置", "3. Sampling sites"),
    "doc_sites": (
        "开放采样点 {sites} 个，设采样台 {desks} 张，平均步行 {mean_walk:g} 米、"
        "最远 {max_walk} 米。各点按网格分批叫号（按网格分片），预计 {finish} 前完成。",
        "{sites} sites open with {desks} desks; mean walk {mean_walk:g} m, longest "
        "{max_walk} m. Each site calls residents grid by grid and should finish by "
        "{finish}.",
    ),
    "doc_map_caption": (
        "图1 采样点及服务楼栋（同色楼栋前往同一采样点）",
        "Figure 1. Sites and the buildings they serve (same colour, same site)",
    ),
    "doc_col_first": ("开始", "From"),
    "doc_col_last": ("结束", "To"),
    "doc_h_staff": ("四、人员配置", "4. Staff"),
    "doc_staff": (
        "共需 {needed} 人次，已从人员库排班 {rostered} 人次，缺 {missing} 人次。"
        "穿戴防护连续工作不超过 {shift_h:g} 小时，分 {shifts} 班轮换。",
        "{needed} positions over all shifts, {rostered} filled from the staff pool, "
        "{missing} missing. Shifts in full PPE last at most {shift_h:g} h: {shifts} "
        "shifts.",
    ),
    "doc_staff_none": (
        "本方案未附人员排班表（请先运行 planner plan 生成 staff.csv）。",
        "No roster was found with this plan (run planner plan to write staff.csv).",
    ),
    "doc_col_role": ("岗位", "Role"),
    "doc_col_org": ("来源单位", "Organisation"),
    "doc_col_persons": ("人数", "People"),
    "doc_col_shifts": ("人次", "Shifts"),
    "doc_col_roles": ("岗位（人数）", "Roles (people)"),
    "doc_col_needed": ("需", "Needed"),
    "doc_col_rostered": ("已排", "Filled"),
    "doc_col_missing": ("缺", "Missing"),
    "doc_h_short": ("五、人员缺口及支援申请", "5. Staff to request"),
    "doc_short": (
        "以下岗位人员库无法满足，需向上级或协作单位申请支援：",
        "The pool cannot fill these positions; request support from the district or "
        "partner units:",
    ),
    "doc_short_none": (
        "人员库可满足全部岗位，无需申请支援。",
        "The pool fills every position.",
    ),
    "doc_col_sites": ("点位/组", "Sites/teams"),
    "doc_h_supplies": ("六、物资保障", "6. Supplies"),
    "doc_supplies_none": (
        "本方案未附物资测算（请先运行 planner plan 生成 supplies.csv）。",
        "No supplies table was found with this plan.",
    ),
    "doc_col_per_round": ("每轮用量", "Per round"),
    "doc_col_reserve": ("储备天数", "Reserve days"),
    "doc_col_required": ("应储备", "Required"),
    "doc_col_on_hand": ("现有", "On hand"),
    "doc_col_days": ("可用天数", "Days"),
    "doc_col_shortfall": ("缺口", "Short"),
    "doc_col_status": ("状态", "Status"),
    "status_ok": ("达标", "OK"),
    "status_short": ("不足", "short"),
    "doc_h_timeline": ("七、时间安排", "7. Timeline"),
    "doc_col_when": ("时间", "When"),
    "doc_col_what": ("工作内容", "What"),
    "doc_col_who": ("责任组", "Who"),
    "tl_eve": ("前一日", "Day before"),
    "tl_eve_1": (
        "发布检测通告，张贴楼栋通知，网格员逐户告知采样时段和地点",
        "announce; post building notices; grid workers tell every household its slot",
    ),
    "tl_eve_2": (
        "人员培训分组，按各点领取单分发物资",
        "brief and group the staff; hand out supplies by pick list",
    ),
    "tl_setup": (
        "工作人员到岗，布设采样点（1米线、采样台间隔3米），穿戴防护，调试扫码设备",
        "staff arrive, set up sites (1 m lines, desks 3 m apart), put on PPE, test scanners",
    ),
    "tl_start": (
        "开始采样：按网格分批叫号，重点人群优先；上门采样组出发",
        "sampling starts grid by grid, key groups first; door-to-door teams set out",
    ),
    "tl_pickup": ("标本转运（各采样点取样）", "sample pick-up at every site"),
    "tl_shift": ("换班（第{n}班上岗）", "shift change (shift {n} starts)"),
    "tl_report": (
        "向区防控指挥部报送当日进度（无情况零报告）",
        "daily report to the district command (zero report if nothing happened)",
    ),
    "tl_end": (
        "采样结束，末次转运，场地消杀、医疗废物处置",
        "sampling ends; last pick-up; disinfection and medical waste",
    ),
    "tl_results": (
        "24小时内反馈检测结果，对未检人员逐户补检",
        "results within 24 h; catch up on everyone missed, door by door",
    ),
    "doc_h_home": ("八、上门采样", "8. Door-to-door sampling"),
    "doc_home": (
        "对行动不便人员和封控住户实行上门采样：{teams} 个组共 {households} 户、{people} 人，"
        "每户更换全套防护用品；封控住户一户一管（重点人群仍单人单管），"
        "混管阳性待复核住户一人一管。",
        "Homebound residents and sealed households are sampled at home: {teams} teams, "
        "{households} households, {people} people; full PPE change at every household, "
        "one tube per sealed household (key-group residents keep their single tube), "
        "one tube per person in households pending a pool-positive review.",
    ),
    "doc_col_team": ("采样组", "Team"),
    "doc_col_depot": ("出发点", "Base"),
    "doc_col_back": ("返回", "Back"),
    "doc_h_reqs": ("十一、工作要求", "11. Requirements"),
    "req_1": (
        "加强组织领导。各社区落实包楼、包片、包户责任，网格员负责本网格居民按时段到点，"
        "确保应检尽检、不漏一人。",
        "Leadership: each community assigns buildings, areas and households; grid workers "
        "bring their residents in their slots so nobody is missed.",
    ),
    "req_2": (
        "及时信息报送。各采样点每2小时报告进度，综合协调组每日13时前汇总上报。",
        "Reporting: every site reports progress every 2 h; the coordination group "
        "reports by 13:00 daily.",
    ),
    "req_3": (
        "保护个人信息。居民名单仅用于本次检测，默认脱敏打印，用后收回销毁，不得外传。",
        "Personal data: resident lists serve this screening only, are printed masked, "
        "collected and destroyed afterwards, never passed on.",
    ),
    "req_4": (
        "做好防护和安全。严格落实分区管理、穿脱防护和医疗废物处置要求，高温时段户外点位避峰。",
        "Safety: zoning, PPE donning/doffing and medical waste as required; outdoor "
        "sites avoid the hottest hours.",
    ),
}

# --- certification and norms (plan document section 9) -------------------------------
EXPORT_TEXT |= {
    "doc_h_certify": ("九、演练认证与规范对照", "9. Drill certification and the norms"),
    "doc_certify": (
        "方案经 {reps} 次演练模拟（种子 {seed}，共尝试 {attempts} 个方案）{verdict}：在 "
        "{window} 内全部采完的概率 {p_finish}（目标 ≥ {t_finish}），任一点某时段排队超限的"
        "概率 {p_queue}（目标 ≤ {t_queue}），上门组全部按时完成的概率 {p_teams}（目标 ≥ "
        "{t_teams}），转运规则全部满足的概率 {p_transport}。",
        "The plan was drilled {reps} times (seed {seed}, {attempts} plan(s) tried) and "
        "{verdict}: P(everyone sampled within {window}) {p_finish} (target ≥ "
        "{t_finish}), P(some site-slot over the queue limit) {p_queue} (target ≤ "
        "{t_queue}), P(every door-to-door team in time) {p_teams} (target ≥ {t_teams}), "
        "P(transport rules held) {p_transport}.",
    ),
    "doc_certify_cost": (
        "稳健代价：与不留余量（无收尾留空、上门路线无预留、不计换班停采）的同一组采样点相比，"
        "采样台 {desks} 对 {bare_desks}，上门组 {teams} 对 {bare_teams}，在岗采样人员 "
        "{samplers} 对 {bare_samplers}。",
        "What robustness costs, against the same sites with no allowances (no closing "
        "buffer, no route reserve, no handover stop): desks {desks} vs {bare_desks}, "
        "door-to-door teams {teams} vs {bare_teams}, samplers on duty {samplers} vs "
        "{bare_samplers}.",
    ),
    "doc_certify_off": (
        "本方案未经演练认证（规划时关闭了认证）。",
        "This plan was not certified by a drill (certification was off).",
    ),
    "doc_certify_levers": ("为达标所作调整：", "Changes made to reach the targets:"),
    "doc_norms": (
        "与规范对照（每项给出本方案数值、规范值和差异原因）：",
        "Against the norms (the plan's figure, the norm and the reason for the "
        "difference):",
    ),
    "doc_col_norm": ("项目", "Figure"),
    "doc_col_plan": ("本方案", "Plan"),
    "doc_col_norm_value": ("规范", "Norm"),
    "doc_col_reason": ("原因", "Reason"),
    "doc_supplies_full_load": (
        "满负荷运转：每日 {rounds} 轮 × 街道 {street_days} 天 = {street_rounds} 轮，卫生服务"
        "中心 {hc_days} 天 = {hc_rounds} 轮。转运箱等可重复使用的设备按件清点，不按天消耗。",
        "Full load: {rounds} round(s) a day × {street_days} days (street) = "
        "{street_rounds} rounds, × {hc_days} days (health centre) = {hc_rounds} rounds. "
        "Reusable equipment (transport boxes) is counted, not burned per day.",
    ),
    "doc_col_burn_days": ("按实测消耗可用天数", "Days at measured use"),
}

"""Strings of the printed outputs (rosters, notices, the plan document): key →
(Chinese, English)."""

ROLE_ORDER = (
    "site_lead",
    "sampler",
    "registrar",
    "order_keeper",
    "guide",
    "disinfection",
    "reserve",
    "transport",
    "home_sampler",
    "home_registrar",
)
"""Roles in report order."""


def role_name(role: str, lang: Lang) -> str:
    """Return the display name of a staff role."""
    key = f"role_{role}"
    return tr(key, lang) if key in EXPORT_TEXT else role


def holder_name(holder: str, lang: Lang) -> str:
    """Return the display name of a stock holder."""
    key = f"holder_{holder}"
    return tr(key, lang) if key in EXPORT_TEXT else holder


def all_strings() -> list[str]:
    """Return every printed template in both languages (for font subsetting)."""
    return [s for pair in EXPORT_TEXT.values() for s in pair]


APP_TEXT: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("全员核酸检测规划", "Screening planner"),
    "lang_label": ("语言 / Language", "语言 / Language"),
    "lang_zh": ("中文", "中文"),
    "lang_en": ("English", "English"),
    "time_limit": ("最长计算时间（秒）", "Longest planning time (s)"),
    "time_limit_help": (
        "生成方案最多用多长时间；到时给出当前最好的方案",
        "Longest time for the site solve; the best plan so far is returned",
    ),
    "seed": ("随机种子", "Random seed"),
    "page_data": ("数据", "Data"),
    "page_plan": ("方案", "Plan"),
    "page_map": ("地图", "Map"),
    "page_schedule": ("时段", "Schedule"),
    "page_staff": ("人员与物资", "Staff & supplies"),
    "page_drill": ("演练", "Drill"),
    "page_export": ("导出", "Export"),
    "sidebar_scenario": ("当前情景：{name}", "Scenario: {name}"),
    "sidebar_no_scenario": ("尚未加载情景", "No scenario loaded"),
    "sidebar_plan": (
        "方案：{sites} 个采样点，{desks} 个采样台",
        "Plan: {sites} sites, {desks} desks",
    ),
    # data page
    "data_title": ("数据：选择街道情景", "Data: choose the street's scenario"),
    "source_label": ("数据来源", "Source"),
    "source_demo": ("示例街道（约 6 万人）", "Demo street (data/demo)"),
    "source_path": (
        "本机文件夹或工作簿路径",
        "Folder or workbook path on this computer",
    ),
    "source_upload": (
        "上传 Excel 工作簿或多个 CSV",
        "Upload an Excel workbook or several CSVs",
    ),
    "path_label": ("情景路径（文件夹或 .xlsx）", "Scenario path (folder or .xlsx)"),
    "upload_label": (
        "选择文件：一个 .xlsx 工作簿，或每表一个 .csv/.xlsx（可附 policy.toml、scenario.toml）",
        "Choose files: one .xlsx workbook, or one .csv/.xlsx per table (policy.toml and "
        "scenario.toml optional)",
    ),
    "load_button": ("加载并校验", "Load and check"),
    "demo_missing": (
        "示例街道尚未生成（找不到 {path}）。请改用本机路径或上传文件。",
        "The demo street is not there yet ({path} is missing). Use a path or upload.",
    ),
    "no_files": ("请先选择要上传的文件", "Choose the files to upload first"),
    "upload_bad": (
        "上传的文件无法使用：{why}",
        "The uploaded files cannot be used: {why}",
    ),
    "report_title": ("校验报告", "Validation report"),
    "report_errors": (
        "发现 {errors} 个错误、{warnings} 个警告，情景未加载。请修改后重新加载：",
        "{errors} error(s) and {warnings} warning(s) found; the scenario was not "
        "loaded. Fix them and load again:",
    ),
    "report_warnings": (
        "校验通过，另有 {warnings} 个警告：",
        "Checks passed, with {warnings} warning(s):",
    ),
    "report_ok": ("校验通过，没有发现问题。", "Checks passed; no problems found."),
    "summary_title": ("情景概况：{name}", "Scenario summary: {name}"),
    "loaded_from": ("来源：{source}", "Source: {source}"),
    "crs_note": (
        "输入坐标系：{crs}（已统一转换为 WGS-84）",
        "Input coordinates: {crs} (converted to WGS-84)",
    ),
    # plan page
    "plan_title": ("方案：参数与生成", "Plan: policy and planning"),
    "need_scenario": (
        "请先在“数据”页加载情景。",
        "Load a scenario on the Data page first.",
    ),
    "need_plan": ("请先在“方案”页生成方案。", "Make the plan on the Plan page first."),
    "knobs_title": ("主要参数", "Main policy values"),
    "knob_window_hours": ("采样时长（小时）", "Sampling window (h)"),
    "knob_slot_minutes": ("预约时段长度（分钟）", "Slot length (min)"),
    "knob_walk_limit": ("最长步行时间（分钟）", "Longest walk (min)"),
    "knob_pool_size": ("混采比例（几人一管）", "Pool size (people per tube)"),
    "knob_heat": (
        "高温模式（室外点避开 {frm}–{to}，2 小时轮班）",
        "Heat mode (outdoor sites avoid {frm}–{to}, 2-h shifts)",
    ),
    "solve_button": ("生成方案", "Make the plan"),
    "solved": (
        "方案已生成，用时 {seconds:.1f} 秒（{status}）",
        "Plan made in {seconds:.1f} s ({status})",
    ),
    "solve_failed": ("无法生成方案：{why}", "No plan could be made: {why}"),
    "solving_progress": (
        "正在生成方案… 已用 {elapsed:.0f} 秒（最多 {limit:g} 秒）。可以点“取消”，或先去其他页面。",
        "Solving… {elapsed:.0f} s so far (limit {limit:g} s). You can cancel, or use other "
        "pages meanwhile.",
    ),
    "cancel_button": ("取消", "Cancel"),
    "solve_cancelled": (
        "已取消，未生成新方案。",
        "Solve cancelled; no new plan was made.",
    ),
    "policy_bad": (
        "参数不合理，未生成方案：",
        "The policy values are not valid; nothing was solved:",
    ),
    "plan_stale": (
        "参数已修改，当前显示的是旧参数下的方案；请重新生成方案。",
        "The values changed since this plan was made; solve again to update it.",
    ),
    "kpi_title": ("方案指标", "Plan figures"),
    "people_line": (
        "到点采样 {walk:,} 人，上门采样 {home:,} 人（{teams} 个上门组），未分配 {un:,} 人",
        "{walk:,} people at sites, {home:,} at home ({teams} door-to-door teams), "
        "{un:,} unassigned",
    ),
    "unassigned_title": ("未分配的住户", "Unassigned households"),
    "sites_table": ("采样点一览", "Sites"),
    # map page
    "page_map_title": (
        "地图：采样点、楼栋归属与上门路线",
        "Map: sites, catchments and routes",
    ),
    "map_legend": (
        "楼栋按所去采样点着色，细线连向该采样点；红色为全部上门采样的楼栋，灰色为未分配；"
        "大圆为开放的采样点（按采样台数），小灰圆为未启用的候选点；粗折线为上门采样路线。"
        "悬停查看详情，点击采样点可选中。",
        "Buildings are coloured by their site, with a thin line to it; red buildings are "
        "sampled entirely at home, grey ones are unassigned; large circles are open "
        "sites (sized by desks), small grey ones unused candidates; thick paths are "
        "door-to-door routes. Hover for details; click a site to choose it.",
    ),
    "basemap_label": ("底图", "Basemap"),
    "basemap_none": ("无底图（离线）", "None (offline)"),
    "basemap_osm": (
        "OpenStreetMap（需联网，WGS-84）",
        "OpenStreetMap (online, WGS-84)",
    ),
    "basemap_amap": (
        "高德地图（需联网，GCJ-02 自动转换）",
        "Amap (online, GCJ-02, converted)",
    ),
    "basemap_custom": ("自定义瓦片地址", "Custom tile URL"),
    "basemap_url": ("瓦片地址（含 {z} {x} {y}）", "Tile URL (with {z} {x} {y})"),
    "basemap_crs": ("瓦片坐标系", "Tile coordinates"),
    "basemap_url_bad": (
        "瓦片地址须包含 {z}、{x}、{y}，已改为无底图",
        "The tile URL must contain {z}, {x} and {y}; no basemap is drawn",
    ),
    "site_select": ("选择采样点查看时段表", "Choose a site to see its slots"),
    "site_all": ("（全部）", "(all)"),
    "site_slots_title": ("{site} 的时段安排", "Slots at {site}"),
    # schedule page
    "schedule_title": (
        "时段：各采样点的预约与能力",
        "Schedule: bookings against capacity",
    ),
    "heatmap_title": ("各采样点各时段负荷率", "Load of every site and slot"),
    "site_timeline": ("单个采样点的时段负荷", "One site's slots"),
    "schedule_site": ("采样点", "Site"),
    "booked": ("已约工作量", "booked work"),
    "heat_x": ("时段开始", "slot start"),
    "chart_note": (
        "柱为已约工作量（混采人次当量），红色虚线为该时段能力（预测排队不超过限值）。",
        "Bars: work booked (pooled-person equivalents); dashed red line: the slot's "
        "capacity with the predicted queue within the limit.",
    ),
    "teams_title": ("上门采样组", "Door-to-door teams"),
    "no_teams": ("本方案没有上门采样任务。", "This plan has no door-to-door visits."),
    "team_stops": ("上门路线明细", "Route stops"),
    "download_slots": ("下载时段表 CSV", "Download the slot table (CSV)"),
    # staff and supplies page
    "staff_title": ("人员与物资", "Staff and supplies"),
    "guideline": (
        "按指南（人口÷360）需采样人员 {guide} 人；"
        "本方案在岗 {on_duty} 人，各班次合计 {headcount} 人次",
        "Guideline (population ÷ 360): {guide} samplers; this plan has {on_duty} on "
        "duty at once and {headcount} sampler shifts in all",
    ),
    "requirements_title": ("各点各班次岗位需求", "Positions per site and shift"),
    "staff_roster_title": ("排班名单", "Named roster"),
    "shortfall_title": ("人员缺口（需外援）", "Shortfall (outside help needed)"),
    "no_shortfall": ("人员库足够，没有缺口。", "The staff pool covers every position."),
    "roster_status": ("排班结果：{status}", "Roster solver status: {status}"),
    "supplies_title": ("物资", "Supplies"),
    "stock_title": (
        "库存与储备要求（15/30 天满负荷）",
        "Stock against the 15/30-day reserve rule",
    ),
    "picks_title": ("各点物资领取单", "Pick lists per site"),
    "procurement_title": ("需采购", "To order"),
    "no_procurement": ("库存满足储备要求。", "Stock meets the reserve rule."),
    # drill page
    "drill_title": ("演练", "Drill"),
    "drill_intro": (
        "按方案把采样日模拟多次（居民提前、迟到、未到、插队时段，采样用时随机，换班、转运、"
        "上门路线），可加入突发情况；方案出问题时自动重新规划尚未采样的住户。",
        "Play the plan's day many times (people early, late, absent or in another "
        "slot; random swab times; shift changes, sample vans, door-to-door routes), "
        "optionally with disruptions; when the plan breaks, the households not yet "
        "sampled are re-planned.",
    ),
    "drill_reps": ("模拟次数", "Replications"),
    "drill_seed": ("随机种子", "Seed"),
    "drill_disruptions": ("突发情况", "Disruptions"),
    "drill_close": ("采样点关闭", "A site closes"),
    "drill_close_site": ("关闭的采样点", "Site that closes"),
    "drill_at": ("时间", "Time"),
    "drill_no_show": ("采样人员缺员", "Samplers do not turn up"),
    "drill_share": ("比例", "Share"),
    "drill_rain": ("降雨（室外采样台变慢）", "Rain (outdoor desks slow down)"),
    "drill_from": ("开始", "From"),
    "drill_to": ("结束", "To"),
    "drill_factor": ("保持效率", "Rate kept"),
    "drill_surge": ("临时涌入", "Walk-in surge"),
    "drill_seal": ("楼栋封控（改上门）", "A building is sealed (door to door)"),
    "drill_seal_building": ("封控楼栋", "Sealed building"),
    "drill_run": ("开始演练", "Run the drill"),
    "drill_running": ("正在模拟……", "Simulating…"),
    "drill_failed": ("演练未能完成：{why}", "The drill could not finish: {why}"),
    "drill_before": ("按现方案", "The plan as it stands"),
    "drill_after": ("重新规划后", "After re-planning"),
    "drill_p_finish": ("窗口内采完的概率", "P(done in the window)"),
    "drill_p_queue": ("排队超限的概率", "P(queue over the limit)"),
    "drill_last": ("最后一人采完（95%）", "Last sampled (95 %)"),
    "drill_turned": ("到点未采（人）", "Turned away (people)"),
    "drill_wait_chart": (
        "各采样点排队（95% 分位，分钟）",
        "Wait per site (95th pct, min)",
    ),
    "drill_queue_chart": ("队伍长度（米，95% 分位）", "Queue length (m, 95th pct)"),
    "drill_site": ("采样点", "Site"),
    "drill_changes": (
        "需重发通知的楼栋（改点、改时段或改上门）",
        "Buildings whose notices must be re-issued (new site, slot or mode)",
    ),
    "drill_no_changes": ("无需调整。", "Nothing to change."),
    "drill_download": ("下载演练报告（ZIP）", "Download the drill report (ZIP)"),
    "drill_took": ("用时 {s:.1f} 秒", "took {s:.1f} s"),
    # export page
    "export_title": ("导出", "Export"),
    "download_zip": (
        "下载方案全部表格（ZIP，CSV 为 UTF-8 带 BOM，Excel 可直接打开）",
        "Download every plan table (ZIP of CSVs, UTF-8 with BOM for Excel)",
    ),
    "download_table": ("下载 {name}.csv", "Download {name}.csv"),
    "exports_title": ("打印材料", "Print-ready documents"),
    "exports_unmasked": (
        "打印完整身份证号和电话（注意保密）",
        "Print full ID numbers and phones (keep confidential)",
    ),
    "exports_make": ("生成打印材料", "Make the documents"),
    "exports_making": ("正在生成打印材料…", "Making the documents…"),
    "exports_failed": (
        "无法生成打印材料：{why}",
        "The documents could not be made: {why}",
    ),
    "exports_ready": (
        "已生成：{sites} 个采样点花名册、{teams} 个上门组、"
        "{notices} 张楼栋告知书，共 {files} 个文件",
        "Made: {sites} site rosters, {teams} door-to-door teams, {notices} building "
        "notices, {files} files in all",
    ),
    "exports_download": ("下载打印材料（ZIP）", "Download the documents (ZIP)"),
    # trade-off page
    "page_tradeoff": ("点数权衡", "Sites trade-off"),
    "tradeoff_title": (
        "采样点数权衡：每多开一个点能换来什么",
        "Sites trade-off: what one more site buys",
    ),
    "tradeoff_range": ("采样点数范围 N", "Number of sites N"),
    "tradeoff_run": ("计算权衡曲线", "Compute the curve"),
    "tradeoff_running": ("正在逐个点数规划……", "Planning each number of sites…"),
    "tradeoff_walk": ("步行距离（米）", "Walking (m)"),
    "tradeoff_staff": ("采样台与采样人员", "Desks and samplers"),
    "tradeoff_none": (
        "选择范围后点击计算；每个 N 均恰好开放 N 个采样点（含必开点），并以 N−1 的方案热启动。",
        "Pick a range and compute; each N opens exactly N sites (fixed ones included), "
        "starting from the plan for N − 1.",
    ),
    "tradeoff_download": ("下载权衡表 CSV", "Download the table (CSV)"),
}

# --- certification on the Plan page -------------------------------------------------
APP_TEXT |= {
    "knob_certify": (
        "演练认证（规划后模拟当天，未达标自动调整）",
        "Certify by drill (simulate the day, adjust until the targets are met)",
    ),
    "certify_title": ("演练认证", "Drill certification"),
    "certify_off": (
        "未认证：快速试算时关闭了演练认证。",
        "Not certified: the drill was switched off for a quick what-if.",
    ),
    "certify_head": (
        "{reps} 次模拟、尝试 {attempts} 个方案：{verdict}",
        "{reps} replications, {attempts} plan(s) tried: {verdict}",
    ),
    "certify_p_finish": ("全部在时段内采完", "everyone in the window"),
    "certify_p_queue": ("某时段排队超限", "a site-slot over the queue limit"),
    "certify_p_teams": ("上门组全部按时", "every team in time"),
    "certify_p_transport": ("转运规则满足", "transport rules held"),
    "norms_title": ("对照规范", "Against the norms"),
}
"""Every string of the app's pages: key → (Chinese, English)."""

KPI_LABELS: dict[str, tuple[str, str]] = {
    "sites_open": ("开放采样点", "Sites open"),
    "desks": ("采样台", "Desks"),
    "samplers_on_duty": ("在岗采样人员", "Samplers on duty"),
    "mean_walk_m": ("平均步行", "Mean walk"),
    "max_walk_m": ("最远步行", "Longest walk"),
    "finish_time": ("预计结束", "Finish time"),
    "gap": ("可再优化余地", "Room for improvement"),
    "people_unassigned": ("未分配人数", "People unassigned"),
}
"""The KPIs shown as metrics on the Plan page, in order."""

COLUMN_LABELS: dict[str, str] = {
    # drill tables
    "desks_planned": "计划采样台",
    "desks_staffed": "有人采样台",
    "booked": "预约人数",
    "arrivals_mean": "平均到达人数",
    "wait_mean_min": "平均等候(分)",
    "wait_p50_min": "等候中位(分)",
    "wait_p95_min": "等候95%(分)",
    "wait_max_min": "最长等候(分)",
    "queue_people_mean": "最长队伍均值(人)",
    "queue_people_p95": "最长队伍95%(人)",
    "queue_m_p95": "队长95%(米)",
    "last_sampled_p50": "采完时间中位",
    "last_sampled_p95": "采完时间95%",
    "p_finish_in_window": "按时采完概率",
    "p_over_limit": "排队超限概率",
    "turned_away_mean": "未采人数均值",
    "closes": "关闭时间",
    "old_site_id": "原采样点",
    "old_slots": "原时段",
    "new_site_id": "新采样点",
    "new_slots": "新时段",
    "new_mode": "新方式",
    "site_id": "采样点编号",
    "name": "名称",
    "open": "开放",
    "desks": "采样台",
    "people": "人数",
    "work_units": "工作量",
    "first_slot": "首时段",
    "last_slot": "末时段",
    "fixed": "固定点",
    "indoor": "室内",
    "lon": "经度",
    "lat": "纬度",
    "household_id": "户号",
    "building_id": "楼栋编号",
    "grid_id": "网格",
    "mode": "方式",
    "slot_start": "时段开始",
    "slot_end": "时段结束",
    "tube_mode": "采样方式",
    "walk_m": "步行（米）",
    "reason": "原因",
    "team_id": "上门组",
    "stop": "顺序",
    "arrive": "到达时间",
    "depot_site_id": "出发点",
    "team_back": "返回时间",
    "capacity_units": "能力",
    "utilisation": "负荷率",
    "households": "户数",
    "first_arrive": "首户到达",
    "last_arrive": "末户到达",
    "community": "社区",
    "shift": "班次",
    "shift_start": "班次开始",
    "shift_end": "班次结束",
    "role": "岗位",
    "role_zh": "岗位名称",
    "needed": "需要人数",
    "staff_id": "人员编号",
    "organisation": "单位",
    "phone": "联系电话",
    "missing": "缺口",
    "item": "物资",
    "unit": "单位",
    "holder": "储备单位",
    "quantity": "数量",
    "per_round": "每轮用量",
    "full_load_daily": "满负荷日用量",
    "reserve_days": "储备天数",
    "required_stock": "应储备",
    "on_hand": "现有库存",
    "days_of_supply": "可用天数",
    "shortfall": "缺口",
    "burn_rate_per_day": "日消耗（实测）",
    "kind": "类别",
    "full_load_rounds": "满负荷轮次",
    "days_at_burn_rate": "按实测消耗可用天数",
    "source": "依据",
    "severity": "级别",
    "file": "文件",
    "row": "行",
    "column": "列",
    "message": "说明",
}
"""Chinese headers for the canonical English columns of displayed tables."""


MAP_TIPS: dict[str, tuple[str, str]] = {
    "building": (
        "楼栋 {id}｜网格 {grid}｜{people} 人｜去往 {site}",
        "building {id} | grid {grid} | {people} people | to {site}",
    ),
    "site_open": (
        "{id} {name}｜{desks} 个采样台｜{people} 人｜{first}–{last}",
        "{id} {name} | {desks} desks | {people} people | {first}–{last}",
    ),
    "site_closed": ("{id} {name}｜未启用", "{id} {name} | not opened"),
    "route": (
        "上门组 {team}｜{households} 户｜{back} 返回",
        "team {team} | {households} households | back {back}",
    ),
    "grid": ("网格 {grid}", "grid {grid}"),
    "home": ("上门采样", "home visit"),
    "none": ("未分配", "none"),
    "label": ("{name} {desks}台", "{name} ({desks} desks)"),
}


ROLES_ZH = {
    "sampler": "采样人员",
    "registrar": "登记扫码",
    "order_keeper": "秩序维护",
    "guide": "引导",
    "disinfection": "消杀",
    "site_lead": "点长",
    "reserve": "机动",
    "transport": "样本转运",
    "home_sampler": "上门采样",
    "home_registrar": "上门登记",
}
"""Chinese names of the roles, in report order."""


OPS_APP: dict[str, tuple[str, str]] = {
    "page_command": ("指挥", "Command"),
    "command_title": ("采样日指挥", "Screening day command"),
    "command_intro": (
        "连接 planner serve 服务，查看各采样点上报的进度、排队和预测，必要时重新规划。"
        "页面每 30 秒自动刷新。",
        "Connects to a running planner serve: the sites' reported progress, queues and "
        "forecast, and a re-plan when needed. Refreshes every 30 seconds.",
    ),
    "command_url": ("服务地址", "Service address"),
    "command_code": ("指挥部访问码", "Command centre code"),
    "command_need": (
        "请填写服务地址和指挥部访问码（见访问码文件中指挥部 command 一行）。",
        "Enter the service address and the command code (row `command` of ops_codes.csv).",
    ),
    "command_error": ("无法读取服务：{why}", "Cannot read the service: {why}"),
    "command_sampled": ("已采样 / 计划", "Sampled / planned"),
    "command_p_finish": ("按时完成概率", "P(finish in window)"),
    "command_finish": ("预计完成（中位 / 95%）", "Expected finish (median / 95 %)"),
    "command_reporting": ("已上报采样点", "Sites reporting"),
    "command_stale": (
        "预测基于前 {n} 条报告，新预测正在计算",
        "forecast from the first {n} reports; a new one is being made",
    ),
    "command_sites": ("各采样点进度", "Progress by site"),
    "command_site_line": (
        "{site} {name}：{sampled}/{planned} 人，排队 {queue} 人（{status}），预计 {finish}",
        "{site} {name}: {sampled}/{planned}, queue {queue} ({status}), finish {finish}",
    ),
    "command_replan": ("按上报情况重新规划", "Re-plan from the reports"),
    "command_replanned": (
        "已生成第 {version} 版方案：{n} 栋楼需重新通知，自 {effective} 起生效",
        "Version {version} made: {n} buildings to re-notify, from {effective}",
    ),
    "command_versions": ("方案版本", "Plan versions"),
    "command_notices": ("需重新发出的通知", "Notices to re-issue"),
    "status_green": ("畅通", "clear"),
    "status_yellow": ("忙碌", "busy"),
    "status_red": ("拥堵", "jammed"),
    "status_grey": ("未上报", "no report"),
    "ops_col_site_id": ("采样点", "site"),
    "ops_col_name": ("名称", "name"),
    "ops_col_planned": ("计划人数", "planned"),
    "ops_col_planned_by_now": ("至今应到", "due by now"),
    "ops_col_sampled": ("已采样", "sampled"),
    "ops_col_queue_people": ("排队人数", "queueing"),
    "ops_col_wait_min": ("预计等候（分钟）", "expected wait (min)"),
    "ops_col_queue_status": ("排队状况", "queue"),
    "ops_col_reported_at": ("上报时间", "reported at"),
    "ops_col_problem": ("问题", "problem"),
    "ops_col_forecast_finish_p50": ("预计完成", "expected finish"),
    "ops_col_p_finish_in_window": ("按时完成概率", "P(finish in window)"),
    "ops_col_buildings_not_seen": ("未到楼栋数", "buildings not seen"),
    "ops_col_version": ("版本", "version"),
    "ops_col_created_at": ("时间（UTC）", "time (UTC)"),
    "ops_col_author": ("制定人", "author"),
    "ops_col_kind": ("类型", "kind"),
    "ops_col_parent": ("基于版本", "made from"),
    "ops_col_note": ("说明", "note"),
    "ops_kind_draft": ("初始方案", "draft"),
    "ops_kind_replan": ("重新规划", "re-plan"),
    "ops_kind_round": ("新一轮", "round"),
}
"""Texts of the app's live command page (:mod:`planner.app.pages.command`)."""


# --- planner plan / planner check: certification, norms, findings (#13) -------------
EXPORT_TEXT |= {
    "cli_certify_off": ("演练认证：已关闭（--certify off）", "Certification: off"),
    "cli_certify_head": (
        "演练认证（{reps} 次模拟，种子 {seed}，尝试 {attempts} 次）：{verdict}",
        "Certification ({reps} replications, seed {seed}, {attempts} attempt(s)): "
        "{verdict}",
    ),
    "cli_p_finish": ("全部在时段内采完", "everyone sampled in the window"),
    "cli_p_queue": ("任一点某时段排队超限", "some site-slot over the queue limit"),
    "cli_p_teams": ("上门组全部按时完成", "every door-to-door team in time"),
    "cli_p_transport": ("转运规则全部满足", "transport rules held"),
    "cli_certify_cost": (
        "  稳健代价（对比不留余量的方案）：采样台 {desks} / {bare_desks}，上门组 {teams} / "
        "{bare_teams}，采样人员 {samplers} / {bare_samplers}",
        "  cost of robustness (vs. no allowances): desks {desks} / {bare_desks}, teams "
        "{teams} / {bare_teams}, samplers {samplers} / {bare_samplers}",
    ),
    "cli_norms": ("对照规范：", "Against the norms:"),
    "cli_check_rules": (
        "违反规则 {n} 处（{named}）；需处理 {gaps} 项；说明 {notes} 条。",
        "{n} rule(s) broken ({named}); {gaps} gap(s); {notes} note(s).",
    ),
    "cli_check_gaps": (
        "未违反规则，但有 {gaps} 项需处理（{named}）；说明 {notes} 条。",
        "No rule broken, but {gaps} gap(s) need action ({named}); {notes} note(s).",
    ),
    "cli_check_ok": (
        "方案符合全部规则，无待处理事项；说明 {notes} 条。",
        "The plan satisfies every rule and nothing needs action; {notes} note(s).",
    ),
}


# campaign view (planner/campaign)
APP_TEXT.update(
    {
        "page_campaign": ("多轮次", "Campaign"),
        "campaign_title": ("多轮次筛查", "Campaign"),
        "campaign_intro": (
            "查看 planner campaign 写出的结果：逐日各街道的采样人数与人员调配、物资库存曲线、"
            "区内调配地图。",
            "Read what planner campaign wrote: people and staff per day and street, "
            "stock curves, the district's transfers on a map.",
        ),
        "campaign_dir": (
            "结果文件夹（planner campaign --out）",
            "Campaign folder (planner campaign --out)",
        ),
        "campaign_load": ("读取", "Read"),
        "campaign_none": (
            "请先输入 planner campaign 的输出文件夹。",
            "Enter the output folder of planner campaign first.",
        ),
        "campaign_head": (
            "{name}：{streets} 个街道，{rounds} 轮，{days} 天",
            "{name}: {streets} street(s), {rounds} round(s), {days} day(s)",
        ),
        "campaign_days": ("逐日、逐街道", "Day by street"),
        "campaign_stock": ("物资库存曲线（日末库存）", "Stock curves (closing stock)"),
        "campaign_item": ("物资", "Item"),
        "campaign_transfers": ("区内调配", "Transfers"),
        "campaign_day": ("第几天", "Day"),
        "campaign_no_transfers": ("当天没有调配。", "No transfers that day."),
        "campaign_legend": (
            "红色：借调采样人员；蓝色：物资。圆点大小表示街道人口。",
            "Red: samplers lent; blue: supplies. Dot size: street population.",
        ),
    }
)
CAMPAIGN_COLUMN_LABELS = {
    "day": "天",
    "street": "街道",
    "round": "轮次",
    "people_planned": "安排采样人数",
    "resampled_households": "上门复核户数",
    "samplers_needed": "采样人员需求",
    "samplers_own": "本街道采样人员",
    "samplers_lent": "借出",
    "samplers_borrowed": "借入",
    "samplers_uncovered": "仍缺",
    "staff_short": "岗位缺口",
    "tubes": "采样管",
    "gaps": "物资缺口项",
    "resource": "资源",
    "from": "调出",
    "to": "调入",
    "quantity": "数量",
}
"""Chinese headers of the campaign view's tables."""

# --- the plan against the field's norms, the reasons (planner.planning.norms) ----------
EXPORT_TEXT |= {
    "norm_hours": (
        "指南按 6 小时、每人每小时 60 人计算；本轮采样 {hours:g} 小时",
        "the norm assumes 60 per sampler-hour over 6 h; this round is {hours:g} h",
    ),
    "norm_queue_buffer": (
        "采样台利用率保持在 {util:.0%}，使排队不超过 {wait:g} "
        "分钟；最后 {buffer} 分钟不预约，留给迟到者",
        "desks are kept at {util:.0%} so the queue stays under "
        "{wait:g} min; the last {buffer} min are not booked, for late-comers",
    ),
    "norm_home_teams": (
        "{teams} 个上门组为 {people:,} 人上门采样，每户全套更换防护"
        "（约 {ppe:g} 分钟），另需 {teams} 名采样人员",
        "{teams} door-to-door teams sample {people:,} people at home with a "
        "full PPE change per household (≈{ppe:g} min): {teams} more samplers",
    ),
    "norm_desk_low": (
        "每台 {per_desk} 名采样员、每小时 {rate:g} 人，可预约 {booked:g} 小时，满负荷"
        "每台最多 {cap:.0f} 人；600–800 人/台相当于每台每小时 100–133 人"
        "（约 2 名采样员）",
        "{per_desk} sampler per desk at {rate:g}/h over {booked:g} bookable h takes "
        "{cap:.0f} at most; 600–800 per desk means 100–133 per desk-hour "
        "(about 2 samplers per desk)",
    ),
    "norm_desk_util": (
        "利用率 {util:.0%}（排队不超过 {wait:g} 分钟）",
        "utilisation {util:.0%} (queue under {wait:g} min)",
    ),
    "norm_desk_high": (
        "每台 {per_desk} 名采样员，按 {rate:g} 人/小时 × {booked:g} 小时可达 {cap:.0f} 人",
        "{per_desk} samplers per desk at {rate:g}/h × {booked:g} h take {cap:.0f}",
    ),
    "norm_site_low": (
        "步行不超过 {walk_min:g} 分钟、每点采样台数有限："
        "{small} 个采样点不足 {low:,} 人；平均步行 {mean_walk:.0f} 米",
        "walks stay under {walk_min:g} min and sites hold few "
        "desks: {small} sites serve fewer than {low:,}; mean walk {mean_walk:.0f} m",
    ),
    "norm_site_high": (
        "候选采样点少，每点最多 {most:,} 人",
        "few candidate sites; at most {most:,} per site",
    ),
    "norm_shifts": (
        "防护下连续工作不超过 {shift_h:g} 小时，{hours:g} 小时按 {shifts} 个时段排班，"
        "每名采样员一天最多上 {per_day} 班、中间休息并更换防护（共 {headcount} 个采样班次）；"
        "所引战役为 24 小时轮换",
        "full PPE limits a shift to {shift_h:g} h: {hours:g} h rostered in {shifts} "
        "periods, each sampler working at most {per_day} shifts a day with a rest and "
        "fresh PPE between ({headcount} sampler shifts); the campaigns quoted ran 24 h",
    ),
    "norm_visit": (
        "采样台利用率 {util:.0%}，上门组每户约 {visit:g} 分钟",
        "desk utilisation {util:.0%}; a door-to-door visit takes about {visit:g} min",
    ),
}
"""Why the plan differs from a norm, in numbers (both languages are kept on each
:class:`planner.planning.norms.Norm`)."""

TEXT: dict[str, tuple[str, str]] = EXPORT_TEXT | APP_TEXT | OPS_APP
"""The printed outputs' and the app's strings together, for :func:`tr`."""
if len(TEXT) != len(EXPORT_TEXT) + len(APP_TEXT) + len(OPS_APP):  # pragma: no cover
    raise RuntimeError("a text key is in two tables (EXPORT_TEXT, APP_TEXT, OPS_APP)")


def _add_texts(table: dict[str, tuple[str, str]]) -> None:
    """Add a table of strings to :data:`TEXT`; a key already there is a bug."""
    both = set(TEXT) & set(table)
    if both:  # pragma: no cover - import check
        raise RuntimeError(f"text keys in both tables: {both}")
    TEXT.update(table)


def _add_messages(table: dict[str, tuple[str, str]]) -> None:
    """Add input or record problems (by issue code) to :data:`MESSAGES`; no code twice."""
    both = set(MESSAGES) & set(table)
    if both:  # pragma: no cover - import check
        raise RuntimeError(f"issue codes in both tables: {both}")
    MESSAGES.update(table)


def tr(key: str, lang: Lang, /, **values: object) -> str:
    """Return string `key` in `lang`, formatted with `values`."""
    text = TEXT[key][lang_index(lang)]
    return text.format(**values) if values else text


def lang_index(lang: Lang) -> int:
    """Return the position of `lang` in a ``(zh, en)`` pair: the one way to pick."""
    return 0 if lang == "zh" else 1


def error_text(exc: BaseException, lang: Lang) -> str:
    """Return what `exc` says to the user in `lang`.

    Its text key rendered, or its plain message when it carries none (see
    :class:`planner.errors.PlannerError`).
    """
    key = getattr(exc, "key", "")
    if key:
        return tr(key, lang, **getattr(exc, "values", {}))
    return str(exc)


def tr_both(key: str, /, **values: object) -> tuple[str, str]:
    """Return string `key` in Chinese and in English, each formatted with `values`.

    For texts kept in both languages at once: what ``plan.json`` stores, plan-check
    findings, and the messages of layers that do not know the user's language.
    """
    return tr(key, "zh", **values), tr(key, "en", **values)


def by_language(name: str, pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Return ``(zh, en)`` pairs as two lists, ``{name}_zh`` and ``{name}_en``.

    How ``plan.json`` keeps a list of texts in both languages.
    """
    zh, en = [], []
    for z, e in pairs:
        zh.append(z)
        en.append(e)
    return {f"{name}_zh": zh, f"{name}_en": en}


def join_list(items: Iterable[str], lang: Lang) -> str:
    """Return `items` as one list in running text (``、`` or ``, `` between them)."""
    return tr("list_sep", lang).join(items)


# --- registers as street offices keep them (issue 14): loading, template, marked book --

MESSAGES.update(
    {
        "file_encrypted": (
            "工作簿设有打开密码，请另存为无密码的文件后再导入",
            "the workbook is password-protected; save a copy without a password",
        ),
        "no_data_yet": (
            "工作簿中还没有数据（只有表头和 {examples} 行示例）：请在示例行下方填写后再导入",
            "the workbook has no data yet (headers and {examples} example rows only): "
            "fill in the sheets below the examples, then load it",
        ),
        "residents_missing": (
            "居民表中没有该户的人员；按户人数 {size} 人安排，请网格员补录",
            "the residents table lists nobody of this household; planned for its "
            "size {size}, the grid worker should add them",
        ),
        "title_rows_skipped": (
            "表头在第 {header} 行；上方 {n} 行标题或说明（第 {rows} 行，“{text}”）已跳过",
            "header found on row {header}; {n} title line(s) above it (rows {rows}, "
            "'{text}') skipped",
        ),
        "merged_filled": (
            "{n} 处合并单元格的值已填入所合并的每一行（{cells}）",
            "{n} merged cell range(s) filled into every row they span ({cells})",
        ),
        "blank_rows_skipped": (
            "{n} 行空行已跳过（第 {rows} 行）",
            "{n} blank row(s) skipped (rows {rows})",
        ),
        "total_rows_skipped": (
            "{n} 行合计/小计行未作为数据读入（第 {rows} 行）",
            "{n} total/subtotal row(s) not read as data (rows {rows})",
        ),
        "example_rows_skipped": (
            "{n} 行模板示例行已跳过（第 {rows} 行）",
            "{n} template example row(s) skipped (rows {rows})",
        ),
        "fullwidth_normalised": (
            "{n} 个单元格的全角数字/字母/空格已转为半角（如 {cells}）",
            "{n} cell(s) with full-width digits, letters or spaces normalised "
            "(e.g. {cells})",
        ),
        "units_removed": (
            "{n} 个数字后的单位或千位分隔符已去掉（如 {cells}）",
            "{n} unit(s) or thousands separators after numbers removed (e.g. {cells})",
        ),
    }
)

REGISTER_TEXT: dict[str, tuple[str, str]] = {
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "severity_note": ("已整理", "note"),
    "problems_sheet": ("问题清单", "问题清单"),
    "problems_title": (
        "问题清单：共 {errors} 处错误、{warnings} 处警告。改正标黄/标红的单元格后重新提交。",
        "Problems: {errors} error(s), {warnings} warning(s). Fix the highlighted cells "
        "and send the workbook back.",
    ),
    "problems_none": ("未发现问题。", "No problems found."),
    "col_no": ("序号", "no."),
    "col_severity": ("级别", "severity"),
    "col_sheet": ("工作表/文件", "sheet / file"),
    "col_row": ("行", "row"),
    "col_column": ("列", "column"),
    "col_cell": ("单元格", "cell"),
    "col_message": ("问题", "problem"),
    "col_line": ("完整说明", "full text"),
    "comment_author": ("核酸检测规划工具", "screening planner"),
    "instructions_sheet": ("填表说明", "填表说明"),
    "scenario_key": ("项目", "key"),
    "scenario_value": ("值", "value"),
    "scenario_name": ("名称", "名称"),
    "scenario_crs": ("坐标系", "坐标系"),
    "required_mark": ("必填", "required"),
    "optional_mark": ("选填", "optional"),
    "instructions": (
        "1. 每张工作表对应一张表，请勿改动表头文字；表头可在第一行，也可在标题行之下。\n"
        "2. 表头标为深色的列为必填列，其余为选填。\n"
        "3. 身份证号、联系电话、各类编号列已设为文本格式，请直接输入，不要改成数字格式。\n"
        "4. 是/否列、岗位列、储备单位列有下拉选项，请从下拉中选择。\n"
        "5. 时间填 HH:MM（如 07:30），日期填 YYYY-MM-DD（如 2026-11-20）。\n"
        "6. 以“【示例】”开头的行是示例，导入时自动跳过。\n"
        "7. 经纬度按“情景”表中的坐标系填写（wgs84：GPS；gcj02：高德/腾讯；bd09：百度）。\n"
        "8. 住户“人数”与居民表人数不一致时，系统按较大者安排并提示核对。",
        "1. One sheet per table; keep the header texts (the header may sit below a "
        "title line).\n"
        "2. Dark headers are required columns, the others optional.\n"
        "3. ID number, phone and id columns are formatted as text: type them as they "
        "are.\n"
        "4. Yes/no, role and holder columns have drop-downs.\n"
        "5. Times as HH:MM (07:30), dates as YYYY-MM-DD (2026-11-20).\n"
        "6. Rows starting with 【示例】 are examples and are skipped on load.\n"
        "7. Coordinates in the system named on the 情景 sheet (wgs84, gcj02, bd09).\n"
        "8. When a household's size and its residents disagree, the larger is planned "
        "and a warning is given.",
    ),
    "instr_table": ("工作表", "sheet"),
    "instr_column": ("列（表头）", "column (header)"),
    "instr_required": ("必填", "required"),
    "instr_type": ("填写要求", "what to enter"),
    "instr_aliases": ("也可用的表头", "other accepted headers"),
    "type_str": ("文本", "text"),
    "type_int": ("整数（可带单位，如 3人）", "whole number (a unit like 3人 is fine)"),
    "type_float": ("数字", "number"),
    "type_bool": ("是/否（下拉选择）", "是/否 (drop-down)"),
    "type_time": ("时间 HH:MM", "time HH:MM"),
    "type_date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "type_choice": ("从下拉中选择：{choices}", "choose from the drop-down: {choices}"),
    "validate_marked": (
        "已写出标注问题的工作簿：{path}",
        "Marked workbook written: {path}",
    ),
    "template_written": (
        "已写出登记模板：{path}（{sheets} 张表，含填表说明）",
        "Register template written: {path} ({sheets} tables and instructions)",
    ),
    "notes_head": ("导入时已自动整理 {n} 项：", "{n} thing(s) normalised on load:"),
    # the app's Data page
    "notes_title": (
        "导入时已自动整理 {n} 项（标题行、合并单元格、全角数字、单位、空行、合计行）",
        "{n} thing(s) normalised on load (title lines, merged cells, full-width "
        "digits, units, blank and total rows)",
    ),
    "marked_download": (
        "下载标注问题的工作簿（问题单元格标色并附批注，另含问题清单）",
        "Download the workbook with its problems marked (cells highlighted and "
        "commented, plus a 问题清单 sheet)",
    ),
    "marked_help": (
        "发回社区：改正标色的单元格后重新提交",
        "Send it back to the community: fix the highlighted cells and resubmit",
    ),
    "template_download": (
        "下载空白登记模板（含填表说明）",
        "Download the blank register template (with instructions)",
    ),
}
"""Texts of the register template, the marked workbook, their CLI lines and the
Data page's downloads; looked up with :func:`tr` like every other string."""
_add_texts(REGISTER_TEXT)


# --- app: map context (issue 18) ---------------------------------------------------------

MAP_TIPS["compound"] = ("小区 {name}", "compound {name}")


# --- app: map context, legend, basemaps, staff and stock charts, site card (issue 18) --

APP_MAP_TEXTS: dict[str, tuple[str, str]] = {
    # map legend
    "legend_title": ("图例", "Legend"),
    "legend_site_open": (
        "开放的采样点（圆越大采样台越多，颜色即其服务范围）",
        "Open site (larger = more desks; its colour marks its catchment)",
    ),
    "legend_site_closed": ("未启用的候选点", "Candidate site not opened"),
    "legend_building": ("楼栋（按所去采样点着色）", "Building (coloured by its site)"),
    "legend_home": ("全部上门采样的楼栋", "Building sampled entirely at home"),
    "legend_none": ("未分配的楼栋", "Building not assigned"),
    "legend_catchment": ("采样点服务范围", "Site catchment"),
    "legend_grid": ("网格边界", "Grid boundary"),
    "legend_compound": ("小区", "Residential compound"),
    "legend_walkway": ("步行路网", "Walking network"),
    # basemaps
    "basemap_mbtiles": (
        "本机 MBTiles 瓦片文件（离线，由本应用提供）",
        "Local MBTiles file (offline, served by this app)",
    ),
    "basemap_mbtiles_path": (
        "MBTiles 文件路径（本机，如 GIS 部门导出的 street.mbtiles）",
        "MBTiles file path on this computer (e.g. street.mbtiles from the GIS team)",
    ),
    "basemap_bad": (
        "底图无法使用，已改为无底图：{why}",
        "Basemap not usable, none drawn: {why}",
    ),
    "basemap_custom_help": (
        "内网天地图或高德镜像的瓦片地址，如 http://gis.example/tiles/{z}/{x}/{y}.png；"
        "高德、腾讯瓦片选 GCJ-02。",
        "Tile URL of an intranet Tianditu or Amap mirror, e.g. "
        "http://gis.example/tiles/{z}/{x}/{y}.png; choose GCJ-02 for Amap and Tencent.",
    ),
    "crs_wgs84": ("WGS-84（GPS、天地图、OSM）", "WGS-84 (GPS, Tianditu, OSM)"),
    "crs_gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"),
    # staff chart
    "staff_chart_site": ("采样点/上门组", "Site / team"),
    "staff_chart_shift": ("班次", "Shift"),
    "staff_chart_filled": ("已排", "Filled"),
    "staff_chart_needed": ("需要", "Needed"),
    "staff_chart_missing": ("缺", "Short"),
    "staff_chart_state": ("情况", "State"),
    "staff_state_full": ("已排满", "Filled"),
    "staff_state_short": ("缺人", "Short"),
    "transport_team": ("转运组", "Sample transport"),
    # stock chart
    "stock_chart_title": (
        "各物资可用天数（满负荷），竖线为 15 天 / 30 天储备要求，红色为不足",
        "Days of supply at full load; lines at the 15- and 30-day reserve rules, red "
        "where short",
    ),
    "stock_chart_days": ("可用天数（满负荷）", "Days of supply (full load)"),
    "stock_chart_item": ("物资（储备单位）", "Item (holder)"),
    "stock_chart_reserve": ("储备要求（天）", "Reserve rule (days)"),
    "stock_ok": ("满足", "Meets the rule"),
    "stock_short": ("不足", "Short"),
    # site card page
    "page_card": ("采样点卡片", "Site card"),
    "card_title": ("采样点卡片：一点一页，可打印", "Site card: one site on one page"),
    "card_site": ("采样点", "Site"),
    "card_print_note": (
        "用浏览器打印（Ctrl+P）即为一张 A4；侧栏和按钮不会打印。",
        "Print from the browser (Ctrl+P) for one A4 page; the sidebar and buttons are "
        "not printed.",
    ),
    "card_head": (
        "{name}（{site}）｜{address}｜{desks} 个采样台｜{people:,} 人｜{first}–{last}",
        "{name} ({site}) | {address} | {desks} desks | {people:,} people | "
        "{first}–{last}",
    ),
    "card_slots": ("时段安排", "Slots"),
    "card_staff": ("各班次人员", "Staff per shift"),
    "card_picks": ("物资领取单", "Pick list"),
    "card_map": ("服务楼栋", "Buildings served"),
    "card_grids": ("服务网格：{grids}", "Grids served: {grids}"),
    "card_no_staff": ("本点没有排班。", "No staff rostered at this site."),
    "download_named": ("下载{label}（CSV）", "Download {label} (CSV)"),
}
"""UI texts of the map, its legend and basemaps, the staff and stock charts and the
site card, by key: (Chinese, English)."""

VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "mode": {
        "walk_up": ("到点采样", "at a site"),
        "home_visit": ("上门采样", "at home"),
        "unassigned": ("未分配", "unassigned"),
    },
    "tube_mode": {"pooled": ("混采", "pooled"), "single": ("单采", "single tube")},
    "holder": {
        "street": ("街道", "street office"),
        "health_center": ("社区卫生服务中心", "health centre"),
        "hospital": ("医院", "hospital"),
    },
    "reason": {
        "no_site_in_reach": ("步行范围内没有采样点", "no site within walking reach"),
        "site_full": ("可达采样点已满", "every site in reach is full"),
        "home_visit_unreachable": (
            "上门组无法在时限内到达",
            "no door-to-door team can reach it in time",
        ),
    },
    "kind": {
        "consumable": ("消耗品", "consumable"),
        "reusable": ("可重复使用设备", "reusable equipment"),
    },
    "new_mode": {
        "walk_up": ("到点采样", "at a site"),
        "home_visit": ("上门采样", "at home"),
        "unassigned": ("未分配", "unassigned"),
    },
}
"""Chinese and English labels of the codes that appear as table values."""

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "optimal": ("已是最优方案", "optimal"),
    "feasible": ("可用方案，可能还能更好", "feasible (not proven optimal)"),
    "infeasible": ("无可行解", "infeasible"),
    "unknown": ("时限内未找到方案", "no answer in the time limit"),
    "model_invalid": ("模型有误", "invalid model"),
    "cancelled": ("已取消", "cancelled"),
    "no_plan": ("时限内未找到方案", "no plan within the time limit"),
}
"""Solver statuses (CP-SAT's and the planner's, any case) as a person reads them."""


def status_label(status: str, lang: Lang) -> str:
    """Return a solver status (``optimal``, ``OPTIMAL``, …) as a person reads it."""
    labels = STATUS_LABELS.get(str(status).lower())
    return str(status) if labels is None else labels[lang_index(lang)]


TABLE_LABELS: dict[str, tuple[str, str]] = {
    "sites": ("采样点一览", "sites"),
    "assignments": ("住户分配", "household assignments"),
    "unassigned": ("未分配住户", "unassigned households"),
    "home_visits": ("上门采样路线", "door-to-door stops"),
    "slots": ("各点时段", "slots per site"),
    "staff_requirements": ("岗位需求", "staff requirements"),
    "staff": ("排班名单", "named roster"),
    "staff_shortfall": ("人员缺口", "staff shortfall"),
    "supplies": ("物资储备", "stock against the reserve rule"),
    "supplies_by_site": ("各点物资领取单", "pick lists per site"),
    "procurement": ("采购清单", "to order"),
}
"""Names of the plan's tables on download buttons (the files keep their codes)."""


_add_texts(APP_MAP_TEXTS)

# --- The screening day: operations service, codes, phone page (planner.ops) ---------

OPS_TEXT: dict[str, tuple[str, str]] = {
    "auth_missing": (
        "缺少访问码：请在请求头 Authorization 中写 Bearer 加访问码",
        "no access code: send Authorization: Bearer <code>",
    ),
    "auth_bad": (
        "访问码无效、已撤销或已过期",
        "the access code is unknown, revoked or expired",
    ),
    "auth_rate": (
        "访问码错误次数过多，请 {seconds} 秒后再试",
        "too many wrong access codes; try again in {seconds} s",
    ),
    "forbidden_site": (
        "此访问码只能用于采样点 {site}，不能读写采样点 {target}",
        "this code is for site {site} only, not for site {target}",
    ),
    "forbidden_command": (
        "此操作只有指挥部访问码可以进行",
        "only the command centre's code may do this",
    ),
    "unknown_site": (
        "当前方案中没有开放的采样点“{site}”",
        "the plan in force has no open site '{site}'",
    ),
    "unknown_version": (
        "没有第 {version} 版方案",
        "there is no plan version {version}",
    ),
    "no_scenario": (
        "服务启动时未给出情景（planner serve PLAN_DIR --scenario 情景路径），无法预测或重新规划",
        "the service was started without a scenario (--scenario); "
        "it cannot forecast or re-plan",
    ),
    "replan_failed": (
        "重新规划未能完成：{why}",
        "the re-plan could not be made: {why}",
    ),
    "body_json": ("请求体不是有效的 JSON", "the request body is not valid JSON"),
    "body_object": ("请求体应为 JSON 对象", "the request body must be a JSON object"),
    "field_error": ("字段“{field}”（{label}）{why}", "field '{field}' ({label}) {why}"),
    "why_missing": ("缺失", "is missing"),
    "why_int": ("应为整数", "must be a whole number"),
    "why_nonnegative": ("不能为负数", "must not be negative"),
    "why_too_big": ("数值过大", "is too large"),
    "why_str": ("应为文字", "must be text"),
    "why_time": ("应为 HH:MM 格式的时间，如 09:30", "must be a time HH:MM, e.g. 09:30"),
    "why_report_id": (
        "应为 1–64 位字母、数字、- 或 _",
        "must be 1–64 letters, digits, - or _",
    ),
    "why_problem": ("只能是 {choices} 之一或 null", "must be one of {choices} or null"),
    "why_too_long": ("过长（最多 {n} 字）", "is too long (at most {n} characters)"),
    "why_extra": ("不是可接受的字段", "is not an accepted field"),
    "why_list": ("应为文字列表", "must be a list of texts"),
    "why_other": ("无效", "is invalid"),
    "codes_exist": (
        "访问码文件已存在：{path}（访问码只写出一次；要作废并重发请加 --reissue）",
        "the codes file already exists: {path} (written once; add --reissue to "
        "revoke every code and issue new ones)",
    ),
    "codes_written": (
        "已为 {sites} 个采样点和指挥部生成访问码，写入 {path}（当日 24:00 失效）",
        "codes for {sites} sites and the command centre written to {path} "
        "(they expire at midnight)",
    ),
    "codes_revoked": ("已撤销 {n} 个访问码", "{n} code(s) revoked"),
    "serving": (
        "运行服务：http://{host}:{port}/ （数据库 {db}；Ctrl-C 停止）",
        "serving on http://{host}:{port}/ (database {db}; Ctrl-C stops)",
    ),
    "notice_walk": (
        "楼栋 {building}：请改到采样点 {site}，时段 {slots}",
        "Building {building}: go to site {site}, slot {slots}",
    ),
    "notice_home": (
        "楼栋 {building}：请居家等候，上门采样",
        "Building {building}: stay home, you are sampled at the door",
    ),
    "notice_none": (
        "楼栋 {building}：暂无采样点可接收，请等候通知",
        "Building {building}: no site can take you yet, wait for notice",
    ),
    "form_stored": (
        "已提交：{at} 累计已采样 {sampled} 人",
        "sent: {at}, {sampled} sampled so far",
    ),
    "form_again": (
        "这份报告已提交过（{at}，{sampled} 人），未重复计入",
        "this report was already sent ({at}, {sampled}); not counted again",
    ),
    "extra_missing": (
        '缺少运行服务所需的软件包 {name}：请安装 ops 扩展（pip install -e ".[ops]"）',
        'package {name} is missing: install the ops extra (pip install -e ".[ops]")',
    ),
    "versions_head": (
        "版本  时间  制定人  类型  说明",
        "version  time  author  kind  note",
    ),
}
"""Messages of the operations service and the ``planner ops`` commands."""

OPS_FIELDS: dict[str, tuple[str, str]] = {
    "at": ("报告时间", "report time"),
    "sampled": ("累计已采样人数", "people sampled so far"),
    "queue_people": ("排队人数", "people queueing"),
    "tubes": ("累计已用采样管", "tubes used so far"),
    "problem": ("问题", "problem"),
    "note": ("备注", "note"),
    "report_id": ("报告编号", "report id"),
    "disruptions": ("突发情况", "disruptions"),
    "seed": ("随机种子", "seed"),
}
"""Names of the report and re-plan fields, for the 422 messages."""

OPS_PAGE: dict[str, tuple[str, str]] = {
    "title": ("采样点进度上报", "Site progress report"),
    "site": ("采样点", "Site"),
    "code_label": ("访问码（见花名册封面）", "Access code (on the roster cover)"),
    "code_save": ("保存访问码", "Save code"),
    "code_change": ("更换访问码", "Change code"),
    "at": ("时间", "Time"),
    "sampled": ("累计已采样人数", "People sampled so far"),
    "queue": (
        "排队人数（按 1 米一人，米数即人数）",
        "People queueing (1 m apart: metres = people)",
    ),
    "tubes": ("累计已用采样管", "Tubes used so far"),
    "problem": ("问题", "Problem"),
    "none": ("无", "none"),
    "desk_down": ("采样台故障", "desk down"),
    "samplers_missing": ("采样人员缺岗", "samplers missing"),
    "supplies_short": ("物资短缺", "supplies short"),
    "rain": ("下雨", "rain"),
    "site_closed": ("采样点停止采样", "site stopped sampling"),
    "note": ("备注", "Note"),
    "send": ("提交", "Send"),
    "pending": (
        "待发送 {n} 条（网络恢复后自动发送）",
        "{n} waiting to send (sent when the network is back)",
    ),
    "all_sent": ("已全部发送", "all sent"),
    "sent": ("已发送", "sent"),
    "rejected": ("被退回", "rejected"),
    "offline": (
        "网络断开，报告已保存在本机",
        "offline: the report is kept on this phone",
    ),
    "bad_code": (
        "访问码无效或已过期，请更换访问码",
        "the code is invalid or expired; change it",
    ),
    "plan_head": ("时段计划", "Plan by slot"),
    "slot": ("时段", "Slot"),
    "planned": ("计划人数", "Planned"),
    "planned_cum": ("累计计划", "Planned so far"),
    "reported": ("上报累计", "Reported"),
    "history": ("已发送的报告", "Reports sent"),
}
"""Texts of the phone page (:mod:`planner.ops.page`)."""


MESSAGES["ops_db_unreadable"] = (
    "无法打开数据库：{why}",
    "cannot open the database: {why}",
)


def ops_text(key: str, lang: Lang = "zh", **params: object) -> str:
    """Return an operations message in `lang`, filled with `params`."""
    template = OPS_TEXT[key][lang_index(lang)]
    return template.format(**params) if params else template


TRADEOFF_COLUMNS: dict[str, tuple[str, str]] = {
    "sites": ("采样点数N", "N sites"),
    "sites_open": ("实开点数", "open"),
    "mean_walk_m": ("平均步行(米)", "mean walk m"),
    "max_walk_m": ("最远步行(米)", "max walk m"),
    "desks": ("采样台", "desks"),
    "samplers": ("采样人员", "samplers"),
    "home_visit_teams": ("上门小组", "home teams"),
    "p_finish_in_window": ("按时完成概率", "P(finish)"),
    "objective": ("目标值", "objective"),
    "gap": ("间隙", "gap"),
    "status": ("求解状态", "status"),
    "seconds": ("用时(秒)", "seconds"),
}
"""Headers of the trade-off table (`planner tradeoff`, the app's view), zh / en."""


# --- sign-in, roles and the audit log (the office service) ---------------------------

AUTH_TEXT: dict[str, tuple[str, str]] = {
    "page_audit": ("审计日志", "Audit log"),
    "role_admin": ("指挥部", "admin"),
    "role_community": ("社区", "community"),
    "role_viewer": ("查看", "viewer"),
    "auth_title": ("登录：全员核酸检测规划", "Sign in: screening planner"),
    "auth_no_users": (
        "尚无账号：请在服务器上运行 planner users add 用户名 --role admin 创建第一个指挥部账号",
        "No accounts yet: on the server, run planner users add NAME --role admin for the "
        "first admin account",
    ),
    "auth_username": ("用户名", "User name"),
    "auth_password": ("密码", "Password"),
    "auth_submit": ("登录", "Sign in"),
    "auth_failed": ("用户名或密码错误", "Wrong user name or password"),
    "auth_locked": (
        "登录失败次数过多，已暂时锁定，请 15 分钟后再试",
        "Too many failed sign-ins; locked for now, try again in 15 minutes",
    ),
    "auth_expired": (
        "会话已过期，请重新登录",
        "The session expired; please sign in again",
    ),
    "auth_signed_out": ("已退出登录", "Signed out"),
    "auth_signed_in": ("已登录：{who}", "Signed in: {who}"),
    "auth_signout": ("退出登录", "Sign out"),
    "auth_masked_note": (
        "本账号看到的身份证号、电话均已脱敏",
        "This account sees ID numbers and phones masked",
    ),
    "auth_off_banner": (
        "本机模式：未启用登录，仅限在本机浏览器使用",
        "Local mode: sign-in is off (PLANNER_SIGNIN=off); for a browser on this machine only",
    ),
    "auth_no_community": (
        "本账号的社区“{community}”不在当前情景中，请联系指挥部",
        "This account's community '{community}' is not in the current scenario; ask the admin",
    ),
    "auth_board_note": (
        "数据由指挥部加载并生成方案；这里显示全街道当前的情景与方案（按本账号权限）",
        "The admin loads and solves; this shows the office's current scenario and plan "
        "(as this account may see it)",
    ),
    "auth_load_denied": (
        "本账号不能加载数据（从服务器路径加载仅限本机或指挥部）；此次尝试已记入审计日志",
        "This account cannot load data (server paths are for this machine or the admin "
        "only); the attempt was logged",
    ),
    "auth_solve_denied": (
        "只有指挥部可以生成方案；此次尝试已记入审计日志",
        "Only the admin can solve; the attempt was logged",
    ),
    "auth_unmasked_denied": (
        "只有指挥部可以导出未脱敏数据；此次尝试已记入审计日志",
        "Only the admin can export unmasked data; the attempt was logged",
    ),
    "auth_unmasked_admin_only": (
        "导出均已脱敏；未脱敏导出仅限指挥部，并须填写理由",
        "Exports are masked; unmasked exports are for the admin only, with a reason",
    ),
    "auth_reason": (
        "导出未脱敏数据的理由（记入审计日志）",
        "Reason for exporting unmasked data (kept in the audit log)",
    ),
    "auth_reason_needed": (
        "请填写理由（至少 {n} 个字）后再生成",
        "Type a reason (at least {n} characters) first",
    ),
    "auth_page_denied": ("本账号无权打开此页", "This account cannot open this page"),
    "upload_too_many": ("一次最多上传 {n} 个文件", "At most {n} files per upload"),
    "upload_too_large": (
        "上传文件合计不能超过 {mb} MB",
        "Uploads may total at most {mb} MB",
    ),
    "upload_not_type": (
        "不接受文件 {name} 的类型（可上传 csv、xlsx、toml、geojson、json、gpkg）",
        "The type of {name} is not accepted (csv, xlsx, toml, geojson, json, gpkg)",
    ),
    "audit_title": ("审计日志", "Audit log"),
    "audit_intact": (
        "日志完整：每一行都与前一行的校验值相符",
        "The log is intact: every row matches the one before",
    ),
    "audit_broken": (
        "日志自第 {row} 行起被改动过（校验值不符）",
        "The log was altered from row {row} on (its check value does not match)",
    ),
    "audit_events": ("只看这些事件", "Only these events"),
    "audit_count": ("显示 {n} 条，共 {total} 条", "{n} of {total} rows"),
    "audit_download": ("下载审计日志 CSV", "Download the audit log (CSV)"),
    "user_bad_name": (
        "用户名“{name}”不合规：2–32 个字母、数字或 _ . -",
        "user name '{name}' is not valid: 2–32 letters, digits or _ . -",
    ),
    "user_bad_role": (
        "未知角色“{role}”（可选 admin、community、viewer）",
        "unknown role '{role}' (admin, community or viewer)",
    ),
    "user_needs_community": (
        "社区账号须用 --community 指定所属社区",
        "a community account needs --community",
    ),
    "user_short_password": (
        "密码至少 {n} 个字符",
        "the password needs at least {n} characters",
    ),
    "user_exists": ("用户“{name}”已存在", "user '{name}' already exists"),
    "user_unknown": ("没有用户“{name}”", "no user '{name}'"),
    "user_added": ("已添加用户 {name}（{role}）", "added user {name} ({role})"),
    "user_reset": ("已重设用户 {name} 的密码", "reset the password of {name}"),
    "user_disabled": ("已停用用户 {name}", "disabled user {name}"),
    "user_password_prompt": ("新密码：", "New password: "),
    "user_password_again": ("再输入一次：", "Again: "),
    "user_password_mismatch": ("两次输入的密码不一致", "the passwords do not match"),
}
"""The sign-in gate's, the roles' and ``planner users``' strings."""

_add_texts(AUTH_TEXT)

# --- campaigns (planner campaign) ------------------------------------------------
MESSAGES.update(
    {
        "district_bad_value": (
            "取值“{value}”无效（{why}）",
            "value '{value}' is not valid ({why})",
        ),
        "campaign_bad_option": (
            "参数值“{value}”无效",
            "option value '{value}' is not valid",
        ),
        "campaign_bad_disruption": (
            "无法识别的扰动“{value}”（应为 close,site=S006,round=2 或 "
            "seal,building=B00123,round=2，可加 street=街道文件夹）",
            "disruption '{value}' not understood (use close,site=S006,round=2 or "
            "seal,building=B00123,round=2, optionally street=FOLDER)",
        ),
        "campaign_unknown_street": (
            "区内没有街道文件夹“{value}”",
            "the district has no street folder '{value}'",
        ),
        "campaign_unknown_target": (
            "街道 {street} 中没有“{value}”",
            "street {street} has no '{value}'",
        ),
        "campaign_address_without_ray": (
            "--address 只能与 --engine ray 一起使用",
            "--address needs --engine ray",
        ),
        "street_too_large": (
            "一个街道最多 2,000,000 人（给出 {value}）；更大的区或市请加 --district 生成多个街道",
            "a street has at most 2,000,000 residents ({value} given); add --district "
            "for a district or city of several streets",
        ),
        "campaign_ray_missing": (
            "未安装 Ray：pip install 'screening-planner[ray]'",
            "Ray is not installed: pip install 'screening-planner[ray]'",
        ),
    }
)

CAMPAIGN_TEXTS: dict[str, tuple[str, str]] = {
    "title": (
        "# {name}：{streets} 个街道，{residents:,} 人，{rounds} 轮，共 {days} 天",
        "# {name}: {streets} street(s), {residents:,} residents, {rounds} round(s), "
        "{days} day(s)",
    ),
    "day": (
        "- 第 {day} 天：安排采样 {people:,} 人，上门单采复核 {resampled:,} 户；"
        "采样人员需 {needed:,} 人，借调 {borrowed:,} 人，仍缺 {uncovered:,} 人；"
        "物资缺口 {gaps} 项",
        "- Day {day}: {people:,} people planned, {resampled:,} households re-sampled "
        "at home; {needed:,} samplers needed, {borrowed:,} borrowed, {uncovered:,} "
        "still missing; {gaps} supply gap(s)",
    ),
    "continuity": (
        "轮次之间改点的楼栋共 {moved} 栋；需重新发放通知的住户 {changed:,} 户"
        "（见各轮 changes.csv）。",
        "{moved} building(s) moved site between rounds; {changed:,} household(s) "
        "need a new notice (changes.csv of each round).",
    ),
    "transfers": (
        "区内调配：采样人员 {samplers:,} 人次，物资 {supplies} 笔（transfers.csv）。",
        "District transfers: {samplers:,} sampler-days, {supplies} supply move(s) "
        "(transfers.csv).",
    ),
    "orders": (
        "按储备规则提前下达采购 {orders} 笔（orders.csv，库存曲线见 stock_by_day.csv）。",
        "{orders} order(s) placed ahead of the reserve rule (orders.csv; stock curves "
        "in stock_by_day.csv).",
    ),
    "uncovered_head": ("无法解决的缺口：", "Needs no one could cover:"),
    "uncovered_row": (
        "- 第 {day} 天 {street}：{resource} 缺 {quantity:,}",
        "- Day {day} {street}: {resource} short by {quantity:,}",
    ),
    "samplers": ("采样人员", "samplers"),
    "more": ("……另有 {n} 项（uncovered.csv）", "… {n} more (uncovered.csv)"),
    "all_covered": (
        "所有人员和物资需求均已覆盖。",
        "Every staff and supply need is covered.",
    ),
    "check_hint": (
        "检查某轮方案：planner check {scenario} {folder}",
        "Check a round's plan: planner check {scenario} {folder}",
    ),
}
"""Texts of the campaign summary (``summary_zh.md`` / ``summary_en.md``)."""


# --- why no plan can be made (planner.planning.plan: InfeasibleError) ---------------
INFEASIBLE_TEXT: dict[str, tuple[str, str]] = {
    "infeasible_capacity": (
        "候选采样点在 {hours:g} 小时内最多能采 {capacity:,.0f} 人次，需要 {needed:,.0f}："
        "还差约 {desks} 个采样台，或需延长约 {more_hours:.1f} 小时，或增加候选采样点。",
        "The candidate sites can sample {capacity:,.0f} in {hours:g} h but "
        "{needed:,.0f} are needed: about {desks} more desks or {more_hours:.1f} more "
        "hours are needed, or more candidate sites.",
    ),
    "infeasible_fixed_over_n": (
        "已有 {fixed} 个必开采样点，超过限定的 {n} 个：请放宽采样点数（sites.n_open）"
        "或取消部分必开点。",
        "{fixed} sites are fixed open, more than the {n} allowed: allow more sites "
        "(sites.n_open) or unfix some.",
    ),
    "infeasible_site_count": (
        "{n} 个采样点（含 {fixed} 个必开点）在 {hours:g} 小时内最多能采 {held:,.0f} "
        "人次，需要 {needed:,.0f}：至少需要 {fewest} 个采样点，或需延长约 "
        "{more_hours:.1f} 小时。",
        "{n} sites ({fixed} fixed) can sample at most {held:,.0f} in {hours:g} h but "
        "{needed:,.0f} are needed: at least {fewest} sites are needed, or about "
        "{more_hours:.1f} more hours.",
    ),
    "infeasible_site_count_all_short": (
        "{n} 个采样点（含 {fixed} 个必开点）在 {hours:g} 小时内最多能采 {held:,.0f} "
        "人次，需要 {needed:,.0f}：全部候选点也不够，或需延长约 {more_hours:.1f} 小时。",
        "{n} sites ({fixed} fixed) can sample at most {held:,.0f} in {hours:g} h but "
        "{needed:,.0f} are needed: all sites fall short, or about {more_hours:.1f} "
        "more hours.",
    ),
    "infeasible_building": (
        "楼栋 {building} 有 {units:,.0f} 人次需到点采样，步行范围内最大的采样点在 "
        "{hours:g} 小时内只能采 {best:,.0f}：需增加该点采样台，或延长约 "
        "{more_hours:.1f} 小时，或放宽步行时间。",
        "Building {building} needs {units:,.0f} samples but the largest site in "
        "walking reach takes {best:,.0f} in {hours:g} h: add desks there, or about "
        "{more_hours:.1f} more hours, or a longer walk limit.",
    ),
    "infeasible_packing_at_most": (
        "最多 {n} 个采样点（含必开点）无法在步行范围内容纳各楼栋（需要 {needed:,.0f} "
        "人次，全部候选点在 {hours:g} 小时内共 {capacity:,.0f}）：请放宽采样点数"
        "（sites.n_open），或增加采样台、延长采样时长。",
        "At most {n} sites (fixed ones included) cannot hold the buildings within "
        "walking reach ({needed:,.0f} samples, {capacity:,.0f} capacity in all in "
        "{hours:g} h): allow more sites (sites.n_open), or add desks or hours.",
    ),
    "infeasible_packing_exactly": (
        "恰好 {n} 个采样点（含必开点）无法在步行范围内容纳各楼栋（需要 {needed:,.0f} "
        "人次，全部候选点在 {hours:g} 小时内共 {capacity:,.0f}）：请放宽采样点数"
        "（sites.n_open），或增加采样台、延长采样时长。",
        "Exactly {n} sites (fixed ones included) cannot hold the buildings within "
        "walking reach ({needed:,.0f} samples, {capacity:,.0f} capacity in all in "
        "{hours:g} h): allow more sites (sites.n_open), or add desks or hours.",
    ),
    "infeasible_packing": (
        "各楼栋无法按步行范围装入采样点（需要 {needed:,.0f} 人次，全部候选点在 "
        "{hours:g} 小时内共 {capacity:,.0f}，但就近的采样点不够）：请增加采样台或候选"
        "采样点，或延长采样时长（hours）。",
        "The buildings do not fit the sites within walking reach ({needed:,.0f} "
        "samples, {capacity:,.0f} capacity in all in {hours:g} h, but not near "
        "enough): add desks or candidate sites, or more hours.",
    ),
}
"""Why the street cannot be planned at all, in numbers. The planning layer does not
know the user's language, so :class:`planner.errors.InfeasibleError` says both at
once (``中文 / English``)."""
_add_texts(INFEASIBLE_TEXT)


# --- lists in running text --------------------------------------------------------
SEPARATORS: dict[str, tuple[str, str]] = {
    "list_sep": ("、", ", "),
    "reasons_sep": ("；", "; "),
}
"""Between the items of a list and between reasons, in running text."""
_add_texts(SEPARATORS)

# --- certification: the re-plan's levers, the targets out of reach (round.certify) ----
CERTIFY_TEXT: dict[str, tuple[str, str]] = {
    "certify_lever_desks": (
        "排队超限或完成偏晚的采样点各加 1 个采样台：{sites}",
        "one more desk where the queue breaks or the site finishes late: {sites}",
    ),
    "certify_lever_closing_buffer": (
        "采样台已满仍偏晚（{sites}）：收尾留空延长到 {buffer} 分钟，最后时段的预约提前",
        "sites at their maximum desks still late ({sites}): closing buffer {buffer} "
        "min, the closing slot's bookings move earlier",
    ),
    "certify_lever_route_reserve": (
        "上门路线在时段末多留时间（共 {reserve:g} 分钟），路线更短、上门组更多",
        "door-to-door routes keep {reserve:g} min free at the end: shorter routes, "
        "more teams",
    ),
    "certify_unreachable_teams": (
        "上门采样组按时完成的概率只到 {p_teams:.0%}（{teams} 个组，目标 "
        "{p_teams_min:.0%}）：约需再增加 {more} 个上门组（{more} 名上门采样人员），"
        "或采样时段延长约 {minutes} 分钟",
        "P(door-to-door teams in time) reaches {p_teams:.0%} with {teams} teams "
        "(target {p_teams_min:.0%}): about {more} more teams ({more} door-to-door "
        "samplers) or {minutes} more minutes are needed",
    ),
    "certify_unreachable_sites": (
        "全部采完的概率 {p_finish:.0%}、排队超限概率 {p_queue:.0%}（开放 {sites} 个"
        "采样点，目标 {p_finish_min:.0%} / {p_queue_max:.0%}）：{late} 个采样点偏晚约 "
        "{minutes} 分钟、{breaking} 个排队超限，需增加采样台或候选采样点，或延长约 "
        "{minutes} 分钟",
        "P(everyone in the window) reaches {p_finish:.0%} and P(queue over) "
        "{p_queue:.0%} with {sites} sites (targets {p_finish_min:.0%} / "
        "{p_queue_max:.0%}): {late} sites finish up to {minutes} min late and "
        "{breaking} break the queue limit; more desks or candidate sites, or {minutes} "
        "more minutes, are needed",
    ),
}
"""What a certification re-plan changed, and what the best plan tried still misses
(both languages are kept on each :class:`planner.round.certify.Attempt` and in
``plan.json``)."""
_add_texts(CERTIFY_TEXT)


# --- planner check: the findings on a written plan (planner.rules.plan) ---------------
FINDING_TEXT: dict[str, tuple[str, str]] = {
    # how each kind of finding is marked
    "finding_tag_rule": ("【违反规则】", "[rule broken]"),
    "finding_tag_gap": ("【需处理】", "[gap]"),
    "finding_tag_note": ("【说明】", "[note]"),
    # households
    "finding_household_twice": (
        "住户在计划中出现多次",
        "household appears more than once",
    ),
    "finding_household_missing": ("住户不在计划中", "household missing"),
    "finding_households_more_missing": (
        "还有更多住户不在计划中",
        "more households missing",
    ),
    "finding_unassigned_no_reason": (
        "未分配住户没有说明原因",
        "unassigned household has no reason",
    ),
    "finding_mode_unknown": ("方式无效", "mode not understood"),
    "finding_walk_limit": (
        "到采样点 {site} 超过 {limit:g} 分钟步行",
        "site {site} is beyond the {limit:g}-minute walk",
    ),
    "finding_building_split": (
        "楼栋被分到 {n} 个采样点",
        "building split over {n} sites",
    ),
    # sites and slots
    "finding_site_not_open": (
        "未开放的采样点分配了居民",
        "people sent to a site that is not open",
    ),
    "finding_site_no_desk": ("开放的采样点没有采样台", "open site has no desk"),
    "finding_desks_over_max": (
        "采样台 {desks} 个超过最大 {max_desks} 个",
        "{desks} desks exceed the maximum {max_desks}",
    ),
    "finding_site_people": (
        "分配 {people} 人，超过每点 {max_people} 人",
        "{people} people exceed {max_people} per site",
    ),
    "finding_desk_people": (
        "每台 {per_desk:.0f} 人，超过 {max_people} 人",
        "{per_desk:.0f} people per desk exceed {max_people}",
    ),
    "finding_fixed_site_closed": ("固定采样点必须开放", "fixed site must be open"),
    "finding_slot_outside": (
        "时段 {slot} 不在采样时段内",
        "slot {slot} is not a slot of the window",
    ),
    "finding_slot_hours": (
        "采样点 {site} 在 {slot} 不可用（未开放或高温时段）",
        "site {site} cannot sample at {slot} (closed or heat hours)",
    ),
    "finding_slot_capacity": (
        "时段工作量 {units:.1f} 超过 {desks} 个采样台的能力 {capacity:.1f}",
        "slot work {units:.1f} exceeds {desks} desks' capacity {capacity:.1f}",
    ),
    "finding_queue_wait": (
        "预计平均排队 {wait:.0f} 分钟，超过 {max_wait:g} 分钟",
        "predicted mean wait {wait:.0f} min exceeds {max_wait:g} min",
    ),
    # tubes and home visits
    "finding_pooling": ("混采规则无效", "pooling rule not allowed"),
    "finding_tube_mode": (
        "采样管方式应为 {want}，计划为 {got}",
        "tube mode should be {want}, plan has {got}",
    ),
    "finding_home_visit_at_site": (
        "需上门采样的住户被安排到采样点",
        "household needing a home visit sent to a site",
    ),
    "finding_home_visit_no_team": (
        "上门住户没有安排采样组",
        "home-visit household has no team",
    ),
    "finding_visit_outside_window": (
        "上门时间超出采样时段",
        "a visit falls outside the window",
    ),
    "finding_visit_order": (
        "上门顺序与到达时间不一致",
        "visit order and arrival times disagree",
    ),
    "finding_route_mixed": (
        "同一上门组既去封控户又去普通户",
        "one route visits both sealed and ordinary households",
    ),
    # staff
    "finding_samplers_short": (
        "在岗采样人员 {on_duty} 人，少于 {needed} 人（人口÷速率÷时长）",
        "{on_duty} samplers on duty, fewer than the {needed} needed",
    ),
    "finding_shift_too_long": (
        "班次超过 {hours:g} 小时",
        "shift longer than {hours:g} h",
    ),
    "finding_roster_unknown_staff": (
        "排班人员不在人员库中",
        "rostered person is not in the staff pool",
    ),
    "finding_roster_not_medical": (
        "非医务人员被安排为{role_zh}",
        "non-medical staff rostered as {role}",
    ),
    "finding_roster_unknown_shift": ("班次不存在", "unknown shift"),
    "finding_roster_unavailable": (
        "{shift} 不在可用时间内",
        "{shift} is outside availability",
    ),
    "finding_roster_overlap": (
        "第 {shift} 班被安排在 {n} 处",
        "in {n} places in shift {shift}",
    ),
    "finding_roster_rest": (
        "两班之间休息不足 {hours:g} 小时",
        "less than {hours:g} h rest between shifts",
    ),
    "finding_roster_cover": (
        "需要 {needed} 人，排班加缺口共 {got} 人",
        "{needed} needed, rostered plus shortfall is {got}",
    ),
    "finding_support_ratio": (
        "保障人员 {support:.0f} 人，少于 {samplers:.0f} 名采样员 × {ratio:g} = "
        "{want:.0f} 人",
        "{support:.0f} support staff, fewer than {samplers:.0f} samplers × {ratio:g} "
        "= {want:.0f}",
    ),
    "finding_site_roles": (
        "该班次缺少岗位：{roles}",
        "no post for {roles} in this shift",
    ),
    "finding_shift_samplers": (
        "该班次采样员 {got} 人，少于 {want} 个采样台所需",
        "{got} samplers on duty for {want} desks' posts",
    ),
    "finding_unfilled_samplers": (
        "{n} 个采样岗位无人（到点 {walk_up}，上门 {home}）：须申请医务人员支援，"
        "否则采样台空置",
        "{n} sampler posts unfilled (sites {walk_up}, door-to-door {home}): request "
        "medical staff or desks stand empty",
    ),
    "finding_unfilled_posts": (
        "{n} 个保障岗位无人：{posts}",
        "{n} support posts unfilled: {posts}",
    ),
    "finding_site_lead_volunteer": (
        "点长由志愿者（{organisation}）担任，应由干部或社区工作人员担任",
        "site lead is a volunteer ({organisation}); it must be a cadre or community "
        "worker",
    ),
    # transport and stock
    "finding_lab_late": (
        "收样后 {minutes} 分钟才到实验室，超过 {max_min:g} 分钟",
        "{minutes} min from pick-up to lab, over {max_min:g} min",
    ),
    "finding_no_pickup": (
        "转运计划中没有到该采样点收样",
        "no van calls at this site in the vehicle schedule",
    ),
    "finding_pickup_gap": (
        "收样间隔最长 {worst:.0f} 分钟，超过 {max_min:g} 分钟（或最后一次收样早于采样结束）",
        "longest gap between pick-ups {worst:.0f} min, over {max_min:g} min (or the "
        "last pick-up is before sampling ends)",
    ),
    "finding_equipment_short": (
        "设备 {item}（{holder}）需 {required:,.0f}，现有 {on_hand:,.0f}，缺 {short:,.0f}",
        "equipment {item} ({holder}): {required:,.0f} needed, {on_hand:,.0f} on hand, "
        "{short:,.0f} short",
    ),
    "finding_stock_short": (
        "{item}（{holder}）可用 {days} 天，低于满负荷 {reserve_days} 天储备，"
        "缺 {short:,.0f}",
        "{item} ({holder}) lasts {days} days, below the {reserve_days}-day full-load "
        "reserve; {short:,.0f} short",
    ),
    # open sites nobody is booked into
    "finding_site_empty_fixed": (
        "采样点开放但无人预约（固定采样点必须开放）：应分配其步行范围内的住户，或说明原因"
        "（如仅作上门组出发点或备用）",
        "open site with nobody booked (a fixed site must open): give it the households "
        "in its reach, or say why (a depot for door-to-door teams, a reserve)",
    ),
    "finding_site_empty": (
        "采样点开放但无人预约（无人预约）：应分配其步行范围内的住户，或说明原因"
        "（如仅作上门组出发点或备用）",
        "open site with nobody booked: give it the households in its reach, or say why "
        "(a depot for door-to-door teams, a reserve)",
    ),
    # certification and norms
    "finding_certify_off": (
        "方案未经演练认证（--certify off）",
        "the plan was not certified by a drill (--certify off)",
    ),
    "finding_transport_risk": (
        "演练中转运规则全部满足的概率仅 {held:.0%}：增加转运车或缩短收样路线",
        "the transport rules held in only {held:.0%} of drilled days: add vans or "
        "shorten their rounds",
    ),
    "finding_norm": (
        "{label} {value:,.0f}（规范 {norm}）：{reasons}",
        "{label} {value:,.0f} (norm {norm}): {reasons}",
    ),
}
"""The findings of ``planner check``: each kind's mark and every rule's explanation
(both languages are kept on each :class:`planner.rules.plan.Violation`)."""
_add_texts(FINDING_TEXT)


# --- planner drill: the disruptions and the summary (planner.drill) -------------------
DRILL_TEXT: dict[str, tuple[str, str]] = {
    # what goes wrong on the day (planner.drill.disruptions.describe)
    "disruption_close": ("采样点 {site} 于 {at} 关闭", "site {site} closes at {at}"),
    "disruption_no_show": (
        "{share:.0%} 的采样人员未到岗",
        "{share:.0%} of samplers do not turn up",
    ),
    "disruption_rain": (
        "{start}–{end} 降雨，室外采样台效率降至 {factor:.0%}",
        "rain {start}–{end}: outdoor desks at {factor:.0%} of their rate",
    ),
    "disruption_surge": (
        "{start}–{end} {where} 临时涌入，另加预约人数的 {share:.0%}",
        "walk-in surge at {where} {start}–{end}: {share:.0%} on top of the bookings",
    ),
    "disruption_every_site": ("各采样点", "every site"),
    "disruption_seal": (
        "楼栋 {building} 于 {at} 封控，改为上门采样",
        "building {building} sealed at {at}: door to door",
    ),
    # summary_zh.md / summary_en.md (planner.drill.report.summary_lines)
    "drill_summary_title": ("# 演练报告", "# Drill report"),
    "drill_summary_disruptions": ("突发情况：", "Disruptions:"),
    "drill_summary_before": (
        "## 按现方案（{replications} 次模拟）",
        "## The plan as it stands ({replications} replications)",
    ),
    "drill_summary_advice": ("## 需要调整", "## What to change"),
    "drill_summary_after": ("## 重新规划后", "## After re-planning"),
    "drill_summary_replan": (
        "- {known} 得知，{effective} 起生效：{buildings} 栋楼改点或改时段（须重发通知，"
        "见 replan_changes.csv），{moved} 户换采样点，{unplaced} 户无处安排",
        "- known {known}, effective {effective}: {buildings} buildings get a new site "
        "or slot (re-issue their notices, see replan_changes.csv), {moved} households "
        "change site, {unplaced} cannot be placed",
    ),
    "drill_summary_desks_added": (
        "- 从机动采样人员增开采样台：{added}",
        "- desks added from the reserve samplers: {added}",
    ),
    "drill_summary_finish": (
        "- 在 {window} 内全部采完的概率 {p_finish:.0%}；最后一人采完 中位 {last_p50}，"
        "95% 情况下不晚于 {last_p95}",
        "- P(everyone sampled within {window}) {p_finish:.0%}; last person sampled "
        "median {last_p50}, 95% by {last_p95}",
    ),
    "drill_summary_queue": (
        "- 任一采样点某时段平均排队超过上限的概率 {p_queue:.0%}",
        "- P(some site-slot's mean wait over the limit) {p_queue:.0%}",
    ),
    "drill_summary_turned_away": (
        "- 平均 {people:g} 人到点后未能采样（采样点关闭）",
        "- {people:g} people turned away on average",
    ),
    "drill_summary_sealed": (
        "- 平均 {people:g} 人因封控未采",
        "- {people:g} people not sampled (sealed)",
    ),
    "drill_summary_desks_lost": (
        "- 缺采样人员的采样台：{desks}",
        "- desks without a sampler: {desks}",
    ),
    "drill_summary_teams": (
        "- 上门采样组按时完成的概率 {p_teams:.0%}；转运间隔超限概率 {p_gap:.0%}，"
        "送检超时概率 {p_lab:.0%}",
        "- P(door-to-door teams done in time) {p_teams:.0%}; P(pick-up gap over the "
        "rule) {p_gap:.0%}, P(late at the lab) {p_lab:.0%}",
    ),
    "drill_advice_queue": (
        "- {site}：排队 95% 分位 {wait:g} 分钟、队长约 {queue_m:g} 米，应增加采样台或把"
        "部分楼栋调往邻近采样点",
        "- {site}: 95th-percentile wait {wait:g} min, queue about {queue_m:g} m; add "
        "desks or move buildings to a neighbour",
    ),
    "drill_advice_late": (
        "- {n} 个采样点常在 {end} 之后才采完（{sites}…）：最后一个时段少约一些人，"
        "给迟到者留出余量",
        "- {n} site(s) often finish after {end} ({sites}…): book fewer people in the "
        "last slot to leave room for late-comers",
    ),
    "drill_advice_teams": (
        "- {n} 个上门采样组多半不能按时完成（平均晚 {late:.0f} 分钟）：每户多留几分钟"
        "或增加上门组",
        "- {n} door-to-door team(s) usually finish late (by about {late:.0f} min): allow "
        "more minutes per household or add teams",
    ),
    "drill_advice_pickup": (
        "- {n} 个采样点收样间隔常超过规定：增加转运车或缩短每轮路线",
        "- {n} site(s) often wait too long for a pick-up: add vans or shorten the rounds",
    ),
    "drill_advice_none": ("- 未发现需要调整之处", "- nothing needs changing"),
}
"""The drill's disruptions as reports name them, and its short summary (what broke
and what to change)."""
_add_texts(DRILL_TEXT)


# --- the command line's own lines (planner.cli) ---------------------------------------
_EXIT_CODES = (
    "退出码 / exit codes: 0 成功 ok; 1 违反规则或无法做出方案 rule broken or no plan; "
    "2 输入或参数有误 bad input or option; 3 check：无违规但有待处理事项 gaps need "
    "action; 70 内部错误（程序缺陷，附报告文件）internal error (a bug; a report file "
    "is written)"
)
CLI_TEXT: dict[str, tuple[str, str]] = {
    # --help (printed in both languages at once)
    "cli_title": (
        "全员核酸检测规划工具",
        "Mass screening planner for a street office.",
    ),
    "cli_exit_codes": (_EXIT_CODES, _EXIT_CODES),
    # argument errors
    "cli_usage": ("用法：", "usage: "),
    "cli_args_required": (
        "缺少必需的参数：{argument}",
        "missing required arguments: {argument}",
    ),
    "cli_args_choice": (
        "参数 {argument} 的取值“{value}”无效，可选：{choices}",
        "argument {argument}: '{value}' is not one of {choices}",
    ),
    "cli_args_no_value": (
        "参数 {argument} 后面缺少取值",
        "argument {argument} needs a value",
    ),
    "cli_args_unknown": (
        "无法识别的参数：{argument}（用 --help 查看用法）",
        "unrecognized arguments: {argument} (see --help)",
    ),
    "cli_args_other": ("参数 {argument}：{why}", "argument {argument}: {why}"),
    "cli_args_bad": ("参数有误：{message}", "bad arguments: {message}"),
    "cli_args_command": ("子命令", "command"),
    "cli_whole_number": ("整数", "a whole number"),
    "cli_number": ("数字", "a number"),
    "cli_not_a": ("“{text}”不是{what}", "'{text}' is not {what}"),
    "cli_out_of_range": (
        "取值 {text} 超出范围，应{bound} {low} 且不大于 {high}",
        "{text} is out of range: must be {bound} {low} and ≤ {high}",
    ),
    "cli_above": ("大于", ">"),
    "cli_at_least": ("不小于", "≥"),
    # planner validate, generate
    "cli_scenario_head": ("情景: {name}  ({path})", "Scenario: {name}  ({path})"),
    "cli_warnings_head": ("警告 {n} 条：", "{n} warning(s):"),
    "cli_validated": ("校验通过。", "Validation passed."),
    "cli_generated": (
        "已生成 {name}：{people:,} 人 → {out}",
        "Generated {name}: {people:,} residents → {out}",
    ),
    # planner plan
    "cli_plan_head": ("方案：{name}", "Plan: {name}"),
    "cli_plan_warning": ("[警告] {text}", "[warning] {text}"),
    "cli_request_support": ("  需申请支援：{roles}", "  request support: {roles}"),
    "cli_guideline": (
        "  指南对照（人口÷360）：{guideline} / 在岗 {on_duty} / 总班次 {headcount}",
        "  guideline (population ÷ 360): {guideline} / on duty {on_duty} / shifts "
        "{headcount}",
    ),
    "cli_supplies": (
        "物资：{n} 项储备不足",
        "Supplies: {n} item(s) below the reserve rule",
    ),
    "cli_stock_short": (
        "  {item}（{holder}）: 现有 {on_hand:,.0f}{unit}，可用 {days:g} 天，"
        "需储备 {reserve_days} 天 {required:,}，缺 {short:,}",
        "  {item} ({holder}): on hand {on_hand:,.0f}, {days:g} days, "
        "{reserve_days}-day reserve {required:,}, short {short:,}",
    ),
    "cli_equipment_short": (
        "  {item}（{holder}）: 可重复使用的设备，需 {required:,}，现有 {on_hand:,.0f}{unit}，"
        "缺 {short:,}",
        "  {item} ({holder}): reusable equipment, {required:,} needed, "
        "{on_hand:,.0f} on hand, short {short:,}",
    ),
    "cli_written": ("已写出：{path}", "Written to: {path}"),
    # planner tradeoff, drill
    "cli_tradeoff_done": (
        "共 {n} 个点，用时 {seconds:.1f} 秒",
        "{n} points in {seconds:.1f} s",
    ),
    "cli_drill_done": (
        "用时 {seconds:.1f} 秒，报告已写出：{out}",
        "Took {seconds:.1f} s; report written to {out}",
    ),
    # why a command stopped
    "cli_input_errors": (
        "输入有 {n} 处错误，未继续：",
        "The input has {n} error(s); stopped:",
    ),
    "cli_cannot_finish": ("无法完成：{why}", "Cannot finish: {why}"),
    "cli_interrupted": (
        "已中断，未写出不完整的结果。",
        "Interrupted; nothing half-written was left.",
    ),
    "cli_internal_error": (
        "内部错误（程序缺陷，不是输入问题）：{error}。完整报告已写入 {where}，"
        "请交给技术支持。",
        "Internal error (a bug, not your input): {error}. The full report is in "
        "{where}; please pass it to support.",
    ),
}
"""The command line's own lines: argument errors, what each command prints around
the plan's tables, and why it stopped. ``--help`` says the title and the exit codes
in both languages at once."""
_add_texts(CLI_TEXT)


# --- feature tables: each module of this package adds its own strings ------------------


def _load_feature_tables() -> None:
    """Import every module of this package; each adds its table with :func:`_add_texts`.

    A capability keeps its strings in ``planner/text/<capability>.py`` (one table, its
    keys prefixed by the capability), so the words stay in one place without every
    change editing this module.
    """
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}")


_load_feature_tables()
