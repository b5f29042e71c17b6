"""Closing a round (issue 33): records, coverage, 未检 lists, catch-up, positives, 日报."""

from __future__ import annotations

from planner.text import _add_messages, _add_texts

CLOSURE_TEXT: dict[str, tuple[str, str]] = {
    # reasons a grid worker gives (also the words read back from a filled list)
    "closure_reason_away": ("外出", "away"),
    "closure_reason_hospital": ("住院", "in hospital"),
    "closure_reason_elsewhere": ("异地已检", "tested elsewhere"),
    "closure_reason_infant": ("婴幼儿免检", "exempt infant"),
    "closure_reason_refused": ("拒检", "refused"),
    # match statuses
    "closure_status_id": ("证件号匹配", "matched by ID number"),
    "closure_status_name_phone": ("姓名+手机号匹配", "matched by name and phone"),
    "closure_status_repeat": ("重复采样（只计一次）", "sampled again (counted once)"),
    "closure_status_ambiguous": ("存疑（未计入）", "ambiguous (not counted)"),
    "closure_status_unmatched": ("未匹配（未计入）", "unmatched (not counted)"),
    "closure_why_id_conflict": (
        "证件号有效但与姓名手机号对应的居民不符",
        "a valid ID number that is not the named resident's",
    ),
    "closure_why_same_name_phone": (
        "多名居民姓名手机号相同",
        "several residents share the name and phone",
    ),
    "closure_why_same_id": (
        "名册中多人同一证件号",
        "the register gives several people this ID",
    ),
    # the grid list
    "closure_list_title": (
        "{grid} 网格未检人员名单（{day}）",
        "Not yet sampled, grid {grid} ({day})",
    ),
    "closure_list_note": (
        "证件号码、手机号已脱敏。请在“未检原因”栏选填：外出、住院、异地已检、婴幼儿免检、拒检；"
        "填好后交回指挥部。未填原因者今晚补检。",
        "ID numbers and phones are masked. Fill the reason column with: away, in hospital, "
        "tested elsewhere, exempt infant, refused; hand the list back. People without a "
        "reason are sampled tonight.",
    ),
    "closure_col_no": ("序号", "No."),
    "closure_col_resident": ("人员编号", "resident_id"),
    "closure_col_name": ("姓名", "name"),
    "closure_col_id": ("证件号码", "ID number"),
    "closure_col_phone": ("手机号", "phone"),
    "closure_col_age": ("年龄", "age"),
    "closure_col_building": ("楼栋", "building"),
    "closure_col_address": ("地址", "address"),
    "closure_col_unit": ("单元", "unit"),
    "closure_col_room": ("房号", "room"),
    "closure_col_reason": ("未检原因", "reason"),
    "closure_col_note": ("备注", "note"),
    "closure_col_community": ("社区", "community"),
    "closure_col_grid": ("网格", "grid"),
    "closure_col_registered": ("登记人数", "registered"),
    "closure_col_exempt": ("免检/离开", "exempt/away"),
    "closure_col_due": ("应检", "due"),
    "closure_col_sampled": ("已检", "sampled"),
    "closure_col_missing": ("未检", "not sampled"),
    "closure_col_rate": ("覆盖率", "coverage"),
    "closure_col_site": ("采样点", "site"),
    "closure_col_desk": ("采样台", "desk"),
    "closure_col_time": ("采样时间", "time"),
    "closure_col_tube": ("试管码", "tube"),
    "closure_col_box": ("转运箱码", "box"),
    "closure_col_source": ("文件", "file"),
    "closure_col_row": ("行", "row"),
    "closure_col_status": ("匹配结果", "match"),
    "closure_col_why": ("说明", "why"),
    "closure_col_team": ("小组", "team"),
    "closure_col_arrive": ("上门时间", "arrival"),
    "closure_col_due_by": ("须完成时间", "due by"),
    "closure_col_within": ("时限内", "in time"),
    "closure_col_how": ("补检方式", "how"),
    "closure_col_people": ("人数", "people"),
    "closure_col_households": ("户数", "households"),
    "closure_col_in_tube": ("同管", "in the tube"),
    "closure_col_household": ("户号", "household"),
    "closure_col_item": ("物资", "item"),
    "closure_col_unit_of": ("单位", "unit"),
    "closure_col_quantity": ("数量", "quantity"),
    "closure_col_from": ("开始", "from"),
    "closure_col_to": ("结束", "to"),
    "closure_col_reported": ("报告时间", "reported"),
    "closure_col_control_by": ("管控到位时限", "controlled by"),
    "closure_col_resample_by": ("单采完成时限", "re-sampled by"),
    "closure_col_buildings": ("楼栋数", "buildings"),
    "closure_how_home": ("上门", "at home"),
    "closure_how_evening": ("晚间采样点", "evening site"),
    "closure_yes": ("是", "yes"),
    "closure_no": ("否", "no"),
    # sheets and files
    "closure_sheet_community": ("社区", "communities"),
    "closure_sheet_grid": ("网格", "grids"),
    "closure_sheet_building": ("楼栋", "buildings"),
    "closure_coverage_title": (
        "{street} 采样覆盖情况（{day}）",
        "{street}: coverage ({day})",
    ),
    "closure_unresolved_title": (
        "存疑及未匹配采样记录（{day}，不计入已检）",
        "Ambiguous and unmatched records ({day}, not counted)",
    ),
    "closure_catchup_title": (
        "补检安排（{day} {start}–{end}）",
        "Catch-up ({day} {start}–{end})",
    ),
    "closure_catchup_notice": (
        "【补检通知】{community}未完成核酸采样的居民：请于今日{start}至{end}到{site}（{name}）"
        "补采，携带身份证或健康码，全程佩戴口罩、保持1米间距。行动不便者由上门小组入户采样。",
        "[Catch-up notice] Residents of {community} not yet sampled: please come to {site} "
        "({name}) today {start}–{end} with your ID card or health code, wear a mask and keep "
        "1 m apart. People who cannot come are sampled at home.",
    ),
    "closure_catchup_home_notice": (
        "【上门补检通知】{building} 楼栋尚未采样的 {households} 户居民：上门采样小组 {team} "
        "今日约 {arrive} 起入户补采，请在家等候，备好身份证或健康码、佩戴口罩。",
        "[Catch-up at home] Building {building}, {households} households not yet sampled: "
        "team {team} calls from about {arrive} today; please stay at home with your ID card "
        "or health code and a mask.",
    ),
    "closure_positive_title": (
        "混管阳性处置（{day}）",
        "Positive pools: follow-up ({day})",
    ),
    "closure_positive_tubes": ("阳性混管", "positive tubes"),
    "closure_positive_people": ("同管人员", "people in the tubes"),
    "closure_positive_control": ("临时管控名单", "temporary control"),
    "closure_positive_visits": ("单管复核上门安排", "single-tube visits"),
    "closure_positive_picks": ("物资与防护", "supplies and PPE"),
    "closure_positive_next": ("下一轮楼栋状态", "next round status"),
    "closure_positive_intro": (
        "接到混管阳性结果后，1小时内找到同管人员并落实居家临时管控（同户人员一并管控），"
        "{hours:g}小时内完成上门单管复核采样；单采期间小组全套防护、一户一换，不进入其他住户。"
        "相关楼栋下一轮按管控楼栋上门采样，直至单管结果排除。",
        "Within the hour of a positive pool, find its people and place them (and their "
        "households) under temporary control at home; re-sample each single-tube at the door "
        "within {hours:g} hours, teams in full PPE changed per household and entering no "
        "other home. Their buildings are sampled at home in the next round until the "
        "single-tube results clear them.",
    ),
    "closure_positive_none": ("今日无混管阳性。", "No positive pools today."),
    "closure_status_pending": ("混管阳性待复核", "pool positive, pending review"),
    "closure_status_controlled": ("管控楼栋", "controlled building"),
    "closure_unresolved_person": ("未匹配", "not matched"),
    # daily report
    "closure_daily_title": (
        "{street} 全员核酸检测日报",
        "{street}: daily screening report",
    ),
    "closure_daily_sub": ("报告日期：{day}", "Date: {day}"),
    "closure_daily_zero": (
        "零报告：今日无采样、无检测结果、无阳性、无异常情况。",
        "Zero report: no sampling, no results, no positives and nothing unusual today.",
    ),
    "closure_daily_no_positive": (
        "今日无混管阳性（零报告）。",
        "No positive pools today (zero report).",
    ),
    "closure_daily_h_numbers": ("一、采样情况", "1. Sampling"),
    "closure_daily_h_reasons": ("二、未检原因", "2. Not sampled, by reason"),
    "closure_daily_h_catchup": ("三、补检", "3. Catch-up"),
    "closure_daily_h_lab": ("四、送检与结果", "4. Tubes and results"),
    "closure_daily_h_positive": ("五、阳性及处置", "5. Positives and follow-up"),
    "closure_daily_h_resources": ("六、人员与物资", "6. Staff and stock used"),
    "closure_daily_h_problems": ("七、存在问题", "7. Problems"),
    "closure_daily_h_community": ("附：分社区情况", "Annex: by community"),
    "closure_daily_item": ("项目", "item"),
    "closure_daily_value": ("数值", "value"),
    "closure_daily_none": ("无", "none"),
    "closure_fig_registered": ("登记人口", "registered residents"),
    "closure_fig_due": ("应检人数", "due"),
    "closure_fig_sampled": ("已检人数", "sampled"),
    "closure_fig_rate": ("覆盖率", "coverage"),
    "closure_fig_missing": ("未检人数", "not sampled"),
    "closure_fig_reason_away": ("外出", "away"),
    "closure_fig_reason_hospital": ("住院", "in hospital"),
    "closure_fig_reason_elsewhere": ("异地已检", "tested elsewhere"),
    "closure_fig_reason_infant": ("婴幼儿免检", "exempt infants"),
    "closure_fig_reason_refused": ("拒检", "refused"),
    "closure_fig_catchup_people": ("补检人数", "people in the catch-up"),
    "closure_fig_catchup_teams": ("补检上门小组", "catch-up door-to-door teams"),
    "closure_fig_catchup_evening_sites": ("晚间补检点", "evening sites"),
    "closure_fig_records": ("采样记录", "records"),
    "closure_fig_unresolved": ("存疑/未匹配记录", "ambiguous/unmatched records"),
    "closure_fig_tubes": ("送检试管", "tubes sent"),
    "closure_fig_boxes": ("转运箱", "boxes"),
    "closure_fig_results_back": ("已出结果试管", "results back"),
    "closure_fig_results_pending": ("待出结果试管", "results pending"),
    "closure_fig_positive_tubes": ("混管阳性", "positive pools"),
    "closure_fig_control_people": ("临时管控人员", "people under temporary control"),
    "closure_fig_resample_households": ("单管复核户数", "households re-sampled"),
    "closure_fig_resample_teams": ("复核上门小组", "re-sampling teams"),
    "closure_fig_staff_posts": ("采样岗位人次", "staff posts"),
    "closure_problem_unresolved": (
        "{n} 条采样记录无法确认本人（存疑或未匹配），已列出待核实，未计入已检。",
        "{n} records could not be matched (ambiguous or unmatched); listed for "
        "checking, not counted.",
    ),
    "closure_problem_uncovered": (
        "{n} 名未检人员未排入补检。",
        "{n} people not sampled are not in the catch-up.",
    ),
    "closure_problem_catchup_dropped": (
        "{n} 户补检上门在时段内排不下，需加派小组。",
        "{n} catch-up households cannot be reached in the window; add teams.",
    ),
    "closure_problem_resample_late": (
        "混管阳性单管复核有 {n} 户无法在时限内上门，需加派小组。",
        "{n} positive-pool households cannot be re-sampled in time; add teams.",
    ),
    "closure_problem_unknown_tubes": (
        "{n} 管混管阳性在采样记录中找不到（{tubes}），请核对试管码或补传记录。",
        "{n} positive tubes are in no record ({tubes}); check the codes or send the records.",
    ),
    "closure_problem_pending": (
        "{n} 管结果尚未返回，请跟进检测机构。",
        "{n} tubes have no result yet; follow up with the lab.",
    ),
    "closure_problem_refused": (
        "{n} 人拒检，请网格员与社区做好劝导并纳入补检。",
        "{n} people refused; grid workers should follow up and include them in the catch-up.",
    ),
    # CLI
    "closure_cli_simulated": (
        "模拟采样记录 {records:,} 条、检测结果 {results:,} 管（阳性 {positives}）→ {out}",
        "simulated {records:,} records and {results:,} results ({positives} positive) → {out}",
    ),
    "closure_cli_closed": (
        "已检 {sampled:,} / 应检 {due:,}（{rate:.2%}），未检 {missing:,}，免检/离开 {exempt:,}；"
        "存疑 {ambiguous}、未匹配 {unmatched}、重复 {repeat}；补检 {catchup:,} 人；"
        "混管阳性 {positives} 管、管控 {control} 人 → {out}",
        "sampled {sampled:,} / due {due:,} ({rate:.2%}), not sampled {missing:,}, "
        "exempt/away {exempt:,}; ambiguous {ambiguous}, unmatched {unmatched}, repeats "
        "{repeat}; catch-up {catchup:,} people; positive pools {positives}, under control "
        "{control} → {out}",
    ),
    "closure_cli_report": ("日报 → {out}{zero}", "daily report → {out}{zero}"),
    "closure_cli_bad_date": (
        "“{text}”不是日期，应为 YYYY-MM-DD",
        "'{text}' is not a date; use YYYY-MM-DD",
    ),
    "closure_cli_zero": ("（零报告）", " (zero report)"),
    "closure_masked": ("身份证号、手机号已脱敏", "ID numbers and phones masked"),
}
_add_texts(CLOSURE_TEXT)

CLOSURE_MESSAGES: dict[str, tuple[str, str]] = {
    "closure_columns_missing": (
        "缺少列：{columns}（采样记录须有证件号码或姓名+手机号，以及采样点、采样时间、试管码）",
        "missing columns: {columns} (records need an ID number or name and phone, and the "
        "site, time and tube)",
    ),
    "closure_bad_time": ("时间“{value}”无法识别", "time '{value}' not understood"),
    "closure_bad_time_more": (
        "另有 {n} 个时间无法识别",
        "{n} more times not understood",
    ),
    "closure_no_tube": ("缺少试管码", "no tube code"),
    "closure_no_tube_more": (
        "另有 {n} 行缺少试管码",
        "{n} more rows without a tube code",
    ),
    "closure_no_person": (
        "既无证件号码，也无姓名和手机号",
        "neither an ID number nor a name and phone",
    ),
    "closure_no_person_more": (
        "另有 {n} 行无法识别受检人",
        "{n} more rows without a person",
    ),
    "closure_bad_result": (
        "检测结果“{value}”无法识别（阳性/阴性/待出）",
        "result '{value}' not understood (positive/negative/pending)",
    ),
    "closure_bad_result_more": (
        "另有 {n} 个检测结果无法识别",
        "{n} more results not understood",
    ),
    "closure_result_clash": (
        "试管 {tube} 有两个不同的检测结果",
        "tube {tube} has two different results",
    ),
    "closure_bad_reason": (
        "未检原因“{value}”无法识别（外出、住院、异地已检、婴幼儿免检、拒检）",
        "reason '{value}' not understood (away, in hospital, tested elsewhere, exempt "
        "infant, refused)",
    ),
    "closure_bad_reason_more": (
        "另有 {n} 个原因无法识别",
        "{n} more reasons not understood",
    ),
    "closure_unknown_resident": (
        "人员编号“{value}”不在名册中",
        "resident '{value}' is not in the register",
    ),
    "closure_unknown_resident_more": (
        "另有 {n} 个人员编号不在名册中",
        "{n} more residents not in the register",
    ),
    "closure_no_register": (
        "情景没有居民名册（residents / 居民表），无法与采样记录比对",
        "the scenario has no residents register to match the records against",
    ),
    "closure_reason_clash": (
        "人员 {resident} 填了两个不同的原因",
        "resident {resident} has two different reasons",
    ),
}
_add_messages(CLOSURE_MESSAGES)

CLOSURE_API_TEXT: dict[str, tuple[str, str]] = {
    "closure_command_coverage": (
        "登记记录：已检 {sampled:,} / 应检 {due:,}（{rate:.1%}），未检 {missing:,}，"
        "存疑/未匹配记录 {unresolved:,}",
        "Registration records: sampled {sampled:,} / due {due:,} ({rate:.1%}), not sampled "
        "{missing:,}, ambiguous/unmatched records {unresolved:,}",
    ),
    "closure_api_too_big": (
        "文件过大（上限 50 MB）",
        "the file is too large (50 MB at most)",
    ),
    "closure_api_bad_type": (
        "文件类型不支持，请上传 .csv 或 .xlsx",
        "unsupported file type; send .csv or .xlsx",
    ),
    "closure_api_bad_json": (
        "批次格式不对：需要 batch_id 和 records 列表",
        "malformed batch: batch_id and a list of records are needed",
    ),
    "closure_api_other_site": (
        "采样点 {site} 的访问码只能上传本点的记录（含 {other} 的记录）",
        "the code of site {site} may upload its own records only (found {other})",
    ),
    "closure_api_bad_date": ("日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"),
    "closure_api_bad_format": (
        "格式应为 json、xlsx 或 docx",
        "the format must be json, xlsx or docx",
    ),
}
_add_texts(CLOSURE_API_TEXT)
