"""Strings of issue 32: notices people act on, Chinese outputs, the guided app."""

from __future__ import annotations

from planner.text import EXPORT_TEXT, _add_messages, _add_texts

PRINTED: dict[str, tuple[str, str]] = {
    # printed on PDFs: also in EXPORT_TEXT, so the font is cut with their characters
    # --- the screening day on notices ------------------------------------------------
    "notices_date": (
        "采样日期：{date}（{weekday}）",
        "Date: {weekday}, {date}",
    ),
    "notices_date_blank": (
        "采样日期：______月______日（星期______）",
        "Date: ____________ (day: ________)",
    ),
    "notices_day": ("{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}"),
    "notices_day_short": ("{m}月{d}日", "{m}/{d}"),
    "notices_weekday_0": ("星期一", "Monday"),
    "notices_weekday_1": ("星期二", "Tuesday"),
    "notices_weekday_2": ("星期三", "Wednesday"),
    "notices_weekday_3": ("星期四", "Thursday"),
    "notices_weekday_4": ("星期五", "Friday"),
    "notices_weekday_5": ("星期六", "Saturday"),
    "notices_weekday_6": ("星期日", "Sunday"),
    # --- a unit split between slots -----------------------------------------------------
    "notices_floors": ("{a}–{b}层", "floors {a}–{b}"),
    "notices_floor": ("{a}层", "floor {a}"),
    "notices_rooms": ("{floor}层{rooms}室", "floor {floor} flats {rooms}"),
    "notices_rooms_only": ("{rooms}室", "flats {rooms}"),
    "notices_unit_part": ("{unit}（{part}）", "{unit} ({part})"),
    "notices_rest_of_building": ("本楼其余住户", "the rest of the building"),
    # --- whom to call -------------------------------------------------------------------
    "notices_hotline": (
        "{who}咨询电话 {phone}",
        "{who} hotline {phone}",
    ),
    # --- the plan document's added sections ---------------------------------------------
    "notices_doc_subtitle": (
        "（供领导小组审定）",
        "(for the leading group's approval)",
    ),
    "notices_doc_issue": (
        "签发：__________　　审核：__________　　印发日期：______年____月____日",
        "Signed: __________  Checked: __________  Issued on: ____________",
    ),
    "notices_doc_h_basis": ("工作依据", "Basis"),
    "notices_doc_basis": (
        "依据以下法律法规和文件，结合本街道实际，制定本方案：",
        "This plan follows these laws and guides, applied to the street:",
    ),
    "notices_doc_basis_1": (
        "《中华人民共和国传染病防治法》",
        "the Law on the Prevention and Treatment of Infectious Diseases",
    ),
    "notices_doc_basis_2": (
        "《突发公共卫生事件应急条例》",
        "the Regulations on Public Health Emergencies",
    ),
    "notices_doc_basis_3": (
        "《区域新型冠状病毒核酸检测组织实施指南（第三版）》",
        "the Guide to Organising Area-wide Nucleic-acid Testing (3rd edition)",
    ),
    "notices_doc_basis_4": (
        "上级疫情防控指挥部关于开展全员核酸检测的部署要求",
        "the superior epidemic command's instructions for this screening",
    ),
    "notices_doc_h_emergency": ("应急处置", "Contingencies"),
    "notices_doc_emergency": (
        "以下情形均已在方案演练中模拟（采样点关闭、采样人员缺岗、降雨、人员涌入、楼栋临时封控），"
        "现场按以下办法处置，并即时报告综合协调组：",
        "Each case below was simulated in the plan's drill (a site closing, samplers "
        "missing, rain, a surge, a building sealed); on the day, respond as follows and "
        "report to the coordination group at once:",
    ),
    "notices_doc_em_close": (
        "采样点因故关闭：综合协调组 30 分钟内将其楼栋改派至相邻采样点，或启用备用点（未开放候选点 "
        "{n} 个：{sites}），社区通过微信群和楼栋通知告知居民新的地点和时段。",
        "A site closes: within 30 minutes the coordination group sends its buildings to "
        "neighbouring sites or opens a standby site ({n} candidates not opened: {sites}); "
        "the communities tell residents the new place and time by WeChat and notices.",
    ),
    "notices_doc_em_no_show": (
        "采样人员缺岗：由机动人员（排班 {reserve} 人次）顶岗，仍不足时由医疗组向卫生服务中心申请"
        "增派，并相应压减该点采样台。",
        "Samplers missing: reserves ({reserve} person-shifts rostered) step in; if still "
        "short the medical group asks the health centre for more and closes desks.",
    ),
    "notices_doc_em_rain": (
        "降雨或高温：室外采样点 {outdoor} 个须备帐篷、雨棚；雨中采样速度按平时 {share}% 估计，"
        "必要时延长时段或转至室内点（如 {indoor}）；高温时段缩短连续作业时间。",
        "Rain or heat: the {outdoor} outdoor sites keep tents and awnings; in rain "
        "sampling runs at about {share}% of normal: extend slots or move to an indoor "
        "site (e.g. {indoor}); in heat, shorten continuous work.",
    ),
    "notices_doc_em_surge": (
        "人员涌入：秩序维护人员按 1 米间距分流，启用备用采样台，引导未到时段居民稍后再来或前往"
        "相邻采样点。",
        "A surge: order keepers space the queue 1 m apart, standby desks open, and "
        "residents outside their slot are asked to come back later or go next door.",
    ),
    "notices_doc_em_seal": (
        "楼栋临时封控：该楼全部住户转为上门采样，由就近上门采样组（共 {teams} 组）入户，"
        "社区通知住户在家等候。",
        "A building is sealed: all its households are sampled at home by the nearest "
        "door-to-door team ({teams} teams); the community tells them to stay in.",
    ),
    "notices_doc_em_positive": (
        "混管异常：立即暂停该管所涉人员流动，按规定单管复核，并报告街道指挥部。",
        "A pooled tube is abnormal: hold the people in it, retest them singly as the "
        "rules say, and report to the command.",
    ),
    "notices_doc_h_supervision": ("督导检查", "Supervision"),
    "notices_doc_supervision": (
        "街道督查组对各采样点和上门采样组进行巡查，发现问题当场督促整改：",
        "The street's inspection group visits every site and door-to-door team and has "
        "problems fixed on the spot:",
    ),
    "notices_doc_sup_1": (
        "人员到岗：采样、登记、秩序维护、消杀人员按排班到岗，防护规范。",
        "Staff on post as rostered, properly protected.",
    ),
    "notices_doc_sup_2": (
        "现场秩序：1 米间距、分时段到点、绿色通道、一人一管和混采规范执行到位。",
        "Order on site: 1 m spacing, arrival by slot, the green lane, single and pooled "
        "tubes as planned.",
    ),
    "notices_doc_sup_3": (
        "样本转运：每 {h} 小时按时转运，交接记录完整。",
        "Samples leave every {h} hours with complete hand-over records.",
    ),
    "notices_doc_sup_4": (
        "进度报告：各采样点 13:00 和采样结束时向综合协调组报告进度，未采人员逐户跟进。",
        "Progress: each site reports at 13:00 and at the end; people not sampled are "
        "followed up household by household.",
    ),
    "notices_doc_h_annex": ("附件　联系人名单", "Annex: contacts"),
    "notices_doc_annex_groups": (
        "1. 各工作组联系人（请填写）",
        "1. Working-group contacts (to fill in)",
    ),
    "notices_doc_annex_sites": (
        "2. 各采样点负责人（按排班）",
        "2. Site leads on duty (from the roster)",
    ),
    "notices_doc_annex_hotlines": ("3. 居民咨询电话", "3. Residents' hotlines"),
    "notices_doc_col_group": ("工作组", "Group"),
    "notices_doc_col_leader": ("组长", "Leader"),
    "notices_doc_col_phone": ("联系电话", "Phone"),
    "notices_doc_col_members": ("成员单位", "Members"),
    "notices_doc_col_address": ("地址", "Address"),
    "notices_doc_col_shift": ("班次", "Shift"),
    "notices_doc_col_lead": ("负责人", "Lead"),
    "notices_doc_to_fill": ("（待定）", "(to name)"),
    "notices_doc_none": ("无", "none"),
    "notices_doc_and_more": (" 等 {n} 处", " and others ({n} in all)"),
    # --- the plan map ---------------------------------------------------------------
    "notices_map_catchment": ("采样点服务范围", "site catchment"),
    "notices_map_building": (
        "楼栋（颜色同所去采样点）",
        "building (its site's colour)",
    ),
    "notices_map_grid": ("网格边界", "grid boundary"),
    "notices_map_walkway": ("道路与步行路", "streets and walkways"),
    "notices_map_m": ("{m} 米", "{m} m"),
    "notices_map_km": ("{km} 千米", "{km} km"),
    "notices_map_north": ("北 ↑", "N ↑"),
    # --- WeChat --------------------------------------------------------------------------
    "notices_wechat_head": (
        "【{street}核酸检测通知】",
        "[{street}: nucleic-acid testing]",
    ),
    "notices_wechat_grid_dear": (
        "{community}{grid}网格的各位居民：",
        "To the residents of grid {grid}, {community}:",
    ),
    "notices_wechat_grid_intro": (
        "请按楼栋在规定时段前往采样点，不要提前聚集；行动不便或封控住户在家等候上门采样。",
        "Please go to your site in your building's slot, do not arrive early; "
        "homebound and sealed households wait at home for the team.",
    ),
    "notices_wechat_building": (
        "{building}：{site}，{times}",
        "{building}: {site}, {times}",
    ),
    "notices_wechat_home": (
        "{building}：上门采样，请在家等候（{when}）",
        "{building}: sampled at home, please stay in ({when})",
    ),
    "notices_wechat_bring": ("请携带：{items}", "Bring: {items}"),
    "notices_wechat_sheet_grids": ("网格群", "Grid groups"),
    "notices_wechat_sheet_buildings": ("楼栋群", "Building groups"),
    "notices_wechat_title": (
        "{street}微信群通知（复制整格文字粘贴到群里）",
        "{street} WeChat texts (copy a whole cell into the group)",
    ),
    "notices_wechat_col_community": ("社区", "Community"),
    "notices_wechat_col_grid": ("网格", "Grid"),
    "notices_wechat_col_building": ("楼栋", "Building"),
    "notices_wechat_col_text": ("通知文字", "Text"),
}

OFFICE: dict[str, tuple[str, str]] = {
    # --- the office's download: folders and file names ------------------------------
    "office_dir_plan": ("工作方案", "plan"),
    "office_dir_notices": ("楼栋通知", "notices"),
    "office_dir_sites": ("采样点手册", "site handbooks"),
    "office_dir_teams": ("上门采样", "door-to-door"),
    "office_dir_gis": ("地图数据", "GIS"),
    "office_file_plan": ("工作方案", "plan"),
    "office_file_map": ("采样点分布图", "map"),
    "office_file_tables": ("方案表格", "tables"),
    "office_file_support": ("支援申请", "support request"),
    "office_file_notices": ("楼栋通知", "notices"),
    "office_file_wechat": ("微信群通知", "WeChat texts"),
    "office_file_unrouted": ("未排路线住户", "unrouted households"),
    "office_file_team": ("上门采样组{team}", "team {team}"),
    "office_zip": ("{street}_{day}_打印材料.zip", "{street}_{day}_print.zip"),
    "office_tables_zip": (
        "{street}_{day}_方案数据(CSV).zip",
        "{street}_{day}_plan_csv.zip",
    ),
    "office_person_name": ("姓名", "name"),
    "office_tube_household": ("一户一管", "one tube a household"),
    "office_tube_mixed": ("混采与单采", "pooled and single"),
    # --- the support request ------------------------------------------------------------
    "office_support_sheet": ("支援申请", "Support request"),
    "office_support_title": (
        "{street}全员核酸检测支援申请",
        "{street}: support request",
    ),
    "office_support_day": ("采样日期：{day}", "Screening day: {day}"),
    "office_support_staff": ("一、人员支援", "1. Staff"),
    "office_support_staff_role": ("岗位", "Role"),
    "office_support_staff_shift": ("班次", "Shift"),
    "office_support_staff_missing": ("缺员(人)", "Missing"),
    "office_support_staff_where": ("缺员采样点/小组", "Where"),
    "office_support_staff_total": ("合计缺员 {n} 人次", "{n} person-shifts in all"),
    "office_support_stock": ("二、物资支援", "2. Stock"),
    "office_support_stock_item": ("物资", "Item"),
    "office_support_stock_unit": ("单位", "Unit"),
    "office_support_stock_quantity": ("数量", "Quantity"),
    "office_support_none": ("无缺口", "nothing missing"),
    "office_support_sign": (
        "申请单位（盖章）：__________    负责人：__________    日期：__________",
        "Requested by (stamp): ________  Lead: ________  Date: ________",
    ),
}

APP: dict[str, tuple[str, str]] = {
    # --- the guided path ------------------------------------------------------------
    "notices_page_start": ("开始", "Start"),
    "notices_app_advanced": ("高级功能", "Advanced"),
    "notices_start_title": ("全员核酸检测：四步完成", "Screening in four steps"),
    "notices_start_intro": (
        "按顺序完成以下四步：加载本街道数据，生成方案，演练检查，生成打印材料。"
        "每步完成后，页面底部有“下一步”。",
        "Do these four steps in order: load the street's registers, make the plan, "
        "check it in a drill, make the printed documents. Each step ends with a "
        "'next step' link.",
    ),
    "notices_step_loaded": ("加载数据", "Load the registers"),
    "notices_step_planned": ("生成方案", "Make the plan"),
    "notices_step_checked": ("演练检查", "Check it in a drill"),
    "notices_step_printed": ("打印材料", "Print the documents"),
    "notices_step_loaded_help": (
        "选择示例街道，或上传本街道的登记表（可先下载登记模板填写）。",
        "Choose the demo street or upload your registers (download the template first).",
    ),
    "notices_step_planned_help": (
        "确定采样时长和时段长度，生成采样点、时段和人员安排。",
        "Set the window and slot length; the sites, slots and staff are planned.",
    ),
    "notices_step_checked_help": (
        "模拟采样当天（可加入关闭、降雨、涌入等情况），看能否按时采完。",
        "Simulate the day (closures, rain, surges if you like) to see it finishes.",
    ),
    "notices_step_printed_help": (
        "一次生成工作方案、楼栋通知（含微信群文字）、采样点手册和支援申请。",
        "Make the plan document, notices (with WeChat texts), site handbooks and the "
        "support request at once.",
    ),
    "notices_step_loaded_done": ("已加载", "loaded"),
    "notices_step_loaded_street": ("已加载：{street}", "Loaded: {street}"),
    "notices_step_planned_done": ("已生成方案", "planned"),
    "notices_step_checked_done": ("已演练", "checked"),
    "notices_step_printed_done": ("已生成打印材料", "printed"),
    "notices_step_todo": ("尚未完成", "not done yet"),
    "notices_step_go": ("前往“{page}”", "Go to {page}"),
    "notices_start_all_done": (
        "四步都已完成：打印材料可在“导出”页下载。",
        "All four steps are done: download the documents on the Export page.",
    ),
    "notices_start_advanced": (
        "点数权衡、指挥、多轮次和审计日志在左侧“高级功能”中。",
        "The trade-off, command, campaign and audit pages are under Advanced on the left.",
    ),
    "notices_staff_gaps": ("需申请支援", "To ask for"),
    "notices_staff_gaps_staff": ("人员（采样人员在前）", "Staff (samplers first)"),
    "notices_staff_gaps_stock": ("物资", "Stock"),
    "notices_staff_part_samplers": (
        "采样人员：各采样点各班次（已排/需要，红色为缺人）",
        "Samplers per site and shift (rostered/needed, red where short)",
    ),
    "notices_staff_part_others": (
        "其他岗位：登记、引导、秩序、消杀、点长、机动、转运（已排/需要）",
        "Other roles: registrars, guides, order, disinfection, leads, reserves, "
        "transport (rostered/needed)",
    ),
    "notices_staff_part_teams": (
        "上门采样组（{n} 组，展开查看）",
        "Door-to-door teams ({n}; open to see)",
    ),
    "notices_app_next": ("下一步：{step} →", "Next: {step} →"),
    "notices_app_back_start": ("返回“开始”查看进度", "Back to Start"),
    "notices_app_exports_note": (
        "一次生成全部打印材料，按街道办的用法分好文件夹：工作方案（方案文本、分布图、方案表格）、"
        "楼栋通知（按社区，含微信群通知文字）、采样点手册（每个采样点一本）、上门采样（每组一本）"
        "和一页支援申请；文件名带街道、采样点名称和日期。",
        "Makes every printed document at once, in the folders an office uses: the plan "
        "(text, map, tables), building notices by community (with WeChat texts), a "
        "handbook per site, a sheet per door-to-door team and a one-page support "
        "request; file names carry the street, site name and date.",
    ),
    "notices_app_tables": ("方案表格", "Plan tables"),
    "notices_app_tables_book": (
        "下载方案表格（Excel，中文表头）",
        "Download the plan tables (Excel)",
    ),
    "notices_app_tables_file": (
        "{street}_{day}_方案表格.xlsx",
        "{street}_{day}_tables.xlsx",
    ),
    "notices_app_csv_note": (
        "以下 CSV 保留编码和英文列名，供其他软件导入；阅读请用上面的 Excel。",
        "The CSVs below keep codes and English headers for other programs; read the "
        "Excel workbook above.",
    ),
}

AUDIT: dict[str, tuple[str, str]] = {
    "notices_audit_all": ("全部事件", "every event"),
    "notices_audit_local": ("本机", "this machine"),
    "notices_audit_remote": ("远程 {address}", "remote {address}"),
    "notices_audit_event_signin": ("登录", "sign-in"),
    "notices_audit_event_signin_failed": ("登录失败", "failed sign-in"),
    "notices_audit_event_signin_locked": ("账号锁定", "account locked"),
    "notices_audit_event_signout": ("退出", "sign-out"),
    "notices_audit_event_session_expired": ("会话过期", "session expired"),
    "notices_audit_event_load": ("加载数据", "data loaded"),
    "notices_audit_event_load_denied": ("加载被拒", "load refused"),
    "notices_audit_event_solve": ("生成方案", "plan made"),
    "notices_audit_event_solve_denied": ("生成方案被拒", "planning refused"),
    "notices_audit_event_download": ("下载", "download"),
    "notices_audit_event_download_denied": ("下载被拒", "download refused"),
    "notices_audit_event_page_denied": ("页面被拒", "page refused"),
    "notices_audit_event_load_failed": ("加载失败", "load failed"),
    "notices_audit_event_fetch": ("再次下载文件", "file fetched again"),
    "notices_audit_event_fetch_denied": ("下载链接被拒", "file link refused"),
    "notices_audit_event_session_ended": ("会话被结束", "session ended"),
    "notices_audit_detail_plan": ("方案", "plan"),
    "notices_audit_detail_status": ("结果", "result"),
    "notices_audit_col_id": ("序号", "No."),
    "notices_audit_col_at": ("时间（北京时间）", "Time (Beijing)"),
    "notices_audit_col_event": ("事件", "Event"),
    "notices_audit_col_username": ("用户", "User"),
    "notices_audit_col_role": ("角色", "Role"),
    "notices_audit_col_client": ("来源", "From"),
    "notices_audit_col_kind": ("对象", "What"),
    "notices_audit_col_masked": ("已脱敏", "Masked"),
    "notices_audit_col_reason": ("事由", "Reason"),
    "notices_audit_col_detail": ("详情", "Details"),
    "notices_audit_col_chain": ("校验值", "Chain hash"),
    "notices_audit_download": (
        "下载审计日志（中文，北京时间）",
        "Download the audit log (Beijing time)",
    ),
    "notices_audit_raw_note": (
        "原始记录（编码、协调世界时和校验值）供程序核验：",
        "The log as stored (codes, UTC and chain hashes), for a check by program:",
    ),
    "notices_audit_file": ("审计日志_{day}.csv", "audit_log_{day}.csv"),
}

TEMPLATE: dict[str, tuple[str, str]] = {
    "notices_template_coords": (
        "；可留空：暂用同小区（或同网格）其他楼栋的位置，并逐栋提示请在地图上核对",
        "; may be left empty: the building is placed at its compound's (or grid's) "
        "point and listed so it can be checked on the map",
    ),
    "notices_template_hotline": (
        "街道咨询电话，印在楼栋通知上；各社区的电话另起一行，键写“某某社区咨询电话”",
        "the street's hotline, printed on notices; a community's goes on its own row "
        "keyed '<community>咨询电话'",
    ),
}

_add_texts(TEMPLATE)

DRILL: dict[str, tuple[str, str]] = {
    "notices_drill_turned_away": (
        "- 平均 {people} 人到点后未能采样：关闭采样点的楼栋立即改派相邻采样点，社区通过微信群"
        "和电话逐户通知新地点和时段，并在原点位安排引导人员",
        "- {people} people on average reach a site and are not sampled: send the "
        "closed site's buildings to its neighbours, tell each household the new place "
        "and time by WeChat and phone, and post a guide at the old site",
    ),
    "notices_drill_sealed": (
        "- 平均 {people} 人因楼栋封控未采：由就近上门采样组入户补采，必要时增派上门组",
        "- {people} people on average are not sampled because a building is sealed: "
        "have the nearest door-to-door team visit them, adding teams if needed",
    ),
    "notices_drill_desks_lost": (
        "- {desks} 张采样台缺采样人员：用机动人员补齐，或向卫生服务中心申请支援",
        "- {desks} desks lack a sampler: fill them from the reserves or ask the "
        "health centre for more",
    ),
    "notices_drill_finish": (
        "- 按时采完的概率只有 {p}（目标 {target}）：延长采样时段、增开采样台或启用备用采样点，"
        "并重新生成方案",
        "- the chance of finishing in time is only {p} (target {target}): lengthen "
        "the window, add desks or open standby sites, and make the plan again",
    ),
    "notices_drill_unplaced": (
        "- {n} 户无处安排：由社区逐户电话联系，安排到仍有余量的相邻采样点或由上门采样组入户；"
        "或启用备用采样点后重新生成方案",
        "- {n} households could not be placed: the community phones each one and sends "
        "it to a neighbouring site with room or a door-to-door team, or opens a "
        "standby site and makes the plan again",
    ),
}

_add_texts(DRILL)

_CHECK = "请在地图上核对"
MESSAGES: dict[str, tuple[str, str]] = {
    # a building without coordinates: where it was put instead (inputs.fill_building_coords)
    "coords_from_compound_buildings": (
        "楼栋 {building} 没有坐标，暂用小区“{name}”其他楼栋的平均位置；" + _CHECK,
        "building {building} has no coordinates: placed at the mean of compound "
        "{name}'s other buildings; check it on the map",
    ),
    "coords_from_compound_area": (
        "楼栋 {building} 没有坐标，暂用小区“{name}”范围的中心；" + _CHECK,
        "building {building} has no coordinates: placed at the centre of compound "
        "{name}'s outline; check it on the map",
    ),
    "coords_from_grid_buildings": (
        "楼栋 {building} 没有坐标，同小区也无坐标，暂用网格“{name}”其他楼栋的平均位置；"
        + _CHECK,
        "building {building} has no coordinates (nor has its compound): placed at the "
        "mean of grid {name}'s buildings; check it on the map",
    ),
    "coords_from_grid_area": (
        "楼栋 {building} 没有坐标，暂用网格“{name}”范围的中心；" + _CHECK,
        "building {building} has no coordinates: placed at the centre of grid {name}'s "
        "outline; check it on the map",
    ),
    "coords_from_community_buildings": (
        "楼栋 {building} 没有坐标，同小区、同网格也无坐标，暂用“{name}”其他楼栋的平均位置；"
        + _CHECK,
        "building {building} has no coordinates (nor have its compound and grid): "
        "placed at the mean of {name}'s buildings; check it on the map",
    ),
    "building_no_coords": (
        "楼栋没有坐标，同小区、网格、社区也都没有可用的位置：请填写经纬度，或附上网格范围"
        "（grids.geojson）或小区范围（compounds.geojson）",
        "the building has no coordinates and neither its compound, grid nor community "
        "has any: give lon/lat, or add the grid outlines (grids.geojson) or compound "
        "outlines (compounds.geojson)",
    ),
}

_add_messages(MESSAGES)
_add_texts(AUDIT)
_add_texts(APP)
_add_texts(OFFICE)
_add_texts(PRINTED)
EXPORT_TEXT.update(PRINTED)
