"""Render input problems and user-facing texts in Chinese (default) or English."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from planner.errors import Issue

Lang = Literal["zh", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    # files and sheets
    "path_missing": ("找不到情景文件或文件夹", "scenario file or folder not found"),
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
        "户人数为 {size}，但居民表中该户有 {count} 人",
        "household size is {size} but the residents table lists {count} people",
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

_SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning")}
_WHERE = {
    "row": ("第 {row} 行", "row {row}"),
    "column": ("列“{column}”", "column '{column}'"),
}


def render_issue(issue: Issue, *, lang: Lang = "zh") -> str:
    """Return one line: severity, file, row, column and the message text.

    Parameters
    ----------
    issue
        The problem to render.
    lang
        ``zh`` (default) or ``en``.
    """
    li = 0 if lang == "zh" else 1
    template = MESSAGES.get(issue.code, (issue.code, issue.code))[li]
    params = dict(issue.params)
    try:
        text = template.format(**params)
    except KeyError:
        text = template
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
    ordered = sorted(issues, key=lambda i: i.severity != "error")
    return [render_issue(i, lang=lang) for i in ordered]
