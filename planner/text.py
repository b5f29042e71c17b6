"""Every string a user reads, in Chinese (default) and English; one ``Lang``, one ``tr``.

Tables: :data:`MESSAGES` (input and plan-folder problems, by issue code),
:data:`SUMMARY_LABELS`, :data:`PLAN_WARNINGS`, :data:`KPI_LINES` (CLI),
:data:`EXPORT_TEXT` (printed outputs), :data:`APP_TEXT`, :data:`KPI_LABELS` and
:data:`COLUMN_LABELS` (the app), :data:`MAP_TIPS` (map tooltips). :func:`tr` looks a
key up in :data:`TEXT`, the export and app strings together.
"""

from __future__ import annotations

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
    if params.get("why") in REASONS:
        params["why"] = REASONS[params["why"]][li].format(**params)
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
    ordered = sorted(issues, key=lambda i: SEVERITY_ORDER[i.severity])
    return [render_issue(i, lang=lang) for i in ordered]


# --- registers as street offices keep them (issue 14): loading, template, marked book --

MESSAGES.update(
    {
        "unsupported_format": (
            "无法识别的文件类型“{suffix}”：请给出文件夹，或 .xlsx / .xls / .ods 工作簿",
            "unsupported file type '{suffix}': give a folder or an .xlsx, .xls or "
            ".ods workbook",
        ),
        "file_corrupt": (
            "无法打开：文件已损坏，或不是扩展名所示的格式",
            "cannot open: the file is damaged or not in the format its name says "
            "({why})",
        ),
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

REGISTER_TEXTS: dict[str, tuple[str, str]] = {
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
    "example_note": (
        "以“【示例】”开头的行是示例，导入时自动跳过，可保留或删除。",
        "Rows starting with 【示例】 are examples; they are skipped on load.",
    ),
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
}
"""Texts of the register template, the marked workbook and their CLI lines."""


def register_text(key: str, lang: Lang = "zh", **params: object) -> str:
    """Return one of :data:`REGISTER_TEXTS` in `lang`, filled with `params`."""
    text = REGISTER_TEXTS[key][0 if lang == "zh" else 1]
    return text.format(**params) if params else text


def issue_message(issue: Issue, *, lang: Lang = "zh") -> str:
    """Return only the message text of `issue` (no severity or location)."""
    template = MESSAGES.get(issue.code, (issue.code, issue.code))[
        0 if lang == "zh" else 1
    ]
    try:
        return template.format(**dict(issue.params))
    except (KeyError, IndexError, ValueError):
        return template
