"""Strings of the printed outputs, in Chinese and English (``tr(key, lang)``)."""

from __future__ import annotations

from planner.text import Lang

TEXT: dict[str, tuple[str, str]] = {
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
    "tube_mixed": ("混采+单采", "pooled + single"),
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
    "col_staff_id": ("人员编号", "Staff id"),
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
    "persons": ("{n}人", "{n} people"),
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
    "notice_issuer": ("{street}办事处  {date}", "{street} office  {date}"),
    "notice_footer": (
        "{street}新冠肺炎疫情防控工作领导小组",
        "{street} epidemic prevention and control leading group",
    ),
    "notice_date": ("采样当日", "screening day"),
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
    "doc_subtitle": (
        "（供领导小组审定 · 由规划工具生成，可编辑）",
        "(for the leading group's approval · generated by the planner, editable)",
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
    "doc_supplies": (
        "按满负荷运转（每日 {rounds} 轮）测算：街道储备 {street_days} 天、卫生服务中心和医院储备 "
        "{hc_days} 天。{short} 项低于储备要求，需采购补足。",
        "At full load ({rounds} round(s) a day): the street keeps {street_days} days, "
        "health centres and hospitals {hc_days} days. {short} item(s) are below the "
        "rule and must be ordered.",
    ),
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
        "每户更换全套防护用品，封控住户一户一管。",
        "Homebound residents and sealed households are sampled at home: {teams} teams, "
        "{households} households, {people} people; full PPE change at every household, "
        "one tube per sealed household.",
    ),
    "doc_col_team": ("采样组", "Team"),
    "doc_col_depot": ("出发点", "Base"),
    "doc_col_back": ("返回", "Back"),
    "doc_h_reqs": ("九、工作要求", "9. Requirements"),
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
    "doc_generated": (
        "本方案由规划工具根据情景数据和方案文件生成（{created}）。",
        "Generated by the planner from the scenario and plan files ({created}).",
    ),
}
"""Every string: key → (Chinese, English)."""

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


def tr(key: str, lang: Lang, /, **values: object) -> str:
    """Return string `key` in `lang`, formatted with `values`."""
    text = TEXT[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


def role_name(role: str, lang: Lang) -> str:
    """Return the display name of a staff role."""
    key = f"role_{role}"
    return tr(key, lang) if key in TEXT else role


def holder_name(holder: str, lang: Lang) -> str:
    """Return the display name of a stock holder."""
    key = f"holder_{holder}"
    return tr(key, lang) if key in TEXT else holder


def all_strings() -> list[str]:
    """Return every template in both languages (for font subsetting)."""
    return [s for pair in TEXT.values() for s in pair]
