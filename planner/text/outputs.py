"""Strings of issue 32's last outputs.

The WeChat long image, ``planner check`` as a person reads it, the plan summary in the
office's words.
"""

from __future__ import annotations

from planner.text import EXPORT_TEXT, _add_texts

PRINTED: dict[str, tuple[str, str]] = {
    # drawn on the WeChat long image: also in EXPORT_TEXT, so the font has them
    "outputs_image_title": ("核酸检测通知", "Nucleic-acid testing notice"),
    "outputs_image_grid": (
        "{community} · {grid}网格",
        "{community} · grid {grid}",
    ),
    "outputs_image_buildings": (
        "各楼栋采样地点和时段",
        "Where and when, building by building",
    ),
}

TEXTS: dict[str, tuple[str, str]] = {
    # --- the office's download --------------------------------------------------------
    "outputs_file_image": (
        "{grid}网格_{day}_微信长图",
        "grid_{grid}_{day}_WeChat_image",
    ),
    "outputs_app_images_note": (
        "下载包的“楼栋通知/社区”文件夹中，每个网格有一张微信长图（手机宽度，"
        "可直接发到群里），内容与楼栋通知、微信文字一致。",
        "In the download, each community's folder under notices holds one long image "
        "per grid (phone width, ready to send to the group) with the same facts as "
        "the notices and WeChat texts.",
    ),
    "outputs_report_images": (
        "微信长图 {n} 张（每个网格一张）",
        "WeChat long images: {n} (one per grid)",
    ),
    "outputs_app_images": (
        "下载微信长图（按社区）",
        "Download WeChat images (by community)",
    ),
    "outputs_app_images_file": (
        "{street}_{day}_微信长图.zip",
        "{street}_{day}_WeChat_images.zip",
    ),
}


CHECK: dict[str, tuple[str, str]] = {
    # --- planner check, as a person reads it ----------------------------------------------
    "outputs_finding": ("{tag}{head}：{text}", "{tag} {head}: {text}"),
    "outputs_finding_head": ("{title}", "{title}"),
    "outputs_finding_at": ("{head} · {place}", "{head} · {place}"),
    "outputs_place_site": ("{name}（{community}）", "{name} ({community})"),
    "outputs_place_flat": ("{unit}{room}室", " {unit} {room}"),
    "outputs_place_unit": ("{unit}", " {unit}"),
    "outputs_place_more": ("另有 {n} 处", "{n} more"),
    "outputs_list_sep": ("、", ", "),
    "outputs_certify_target_p_finish": (
        "演练中全部在时段内采完的概率为 {value:.0%}，未达目标（{target}）",
        "the drill finishes everyone in the window in {value:.0%} of days, short of "
        "the target ({target})",
    ),
    "outputs_certify_target_p_queue_over": (
        "演练中某时段排队超限的概率为 {value:.0%}，高于目标（{target}）",
        "a site-slot's queue runs over the limit in {value:.0%} of drilled days, "
        "above the target ({target})",
    ),
    "outputs_certify_target_p_teams": (
        "演练中上门组全部按时完成的概率为 {value:.0%}，未达目标（{target}）",
        "every door-to-door team finishes in time in {value:.0%} of drilled days, "
        "short of the target ({target})",
    ),
    "outputs_rule_other": ("其他检查", "Other check"),
    "outputs_rule_norm": ("对照规范", "Against the norms"),
    "outputs_rule_building_one_site": (
        "同一楼栋去了多个采样点",
        "Building split between sites",
    ),
    "outputs_rule_certify_not_on_roster": (
        "演练未按排班表进行",
        "Drill not on the roster",
    ),
    "outputs_rule_certify_off": ("未做演练认证", "Plan not certified by a drill"),
    "outputs_rule_certify_target": ("演练未达标", "Drill target missed"),
    "outputs_rule_collection_to_lab": ("样本送检超时", "Samples late to the lab"),
    "outputs_rule_desk_people": ("采样台人数超出能力", "Desk over its capacity"),
    "outputs_rule_fixed_site": ("固定采样点未开放", "Fixed site not open"),
    "outputs_rule_guidance_limit": ("参数超出指南", "Setting beyond the guidance"),
    "outputs_rule_hand_edit": ("未按人工调整执行", "Hand edit not honoured"),
    "outputs_rule_home_visit": ("上门采样安排有误", "Home visit wrongly planned"),
    "outputs_rule_home_visit_order": (
        "上门路线顺序有误",
        "Home-visit route out of order",
    ),
    "outputs_rule_home_visit_time": ("上门采样时间不足", "Home visit too short"),
    "outputs_rule_home_visit_window": (
        "上门采样超出时段",
        "Home visit outside the window",
    ),
    "outputs_rule_household_once": ("住户未安排或重复", "Household missing or twice"),
    "outputs_rule_lab_known": ("检测机构不明", "Unknown laboratory"),
    "outputs_rule_lab_leg": ("送检车次有误", "Lab run wrongly planned"),
    "outputs_rule_pickup_interval": ("样本收取间隔过长", "Pick-ups too far apart"),
    "outputs_rule_pooling": ("混采设置有误", "Pooling setting wrong"),
    "outputs_rule_queue_wait": ("排队时间过长", "Queue too long"),
    "outputs_rule_results_24h": ("结果超过24小时", "Results later than 24 h"),
    "outputs_rule_roster_availability": (
        "排班超出人员可用时间",
        "Shift outside availability",
    ),
    "outputs_rule_roster_cover": ("岗位无人值守", "Post not covered"),
    "outputs_rule_roster_overlap": ("同一人班次重叠", "Overlapping shifts"),
    "outputs_rule_roster_qualification": ("人员资质不符", "Staff not qualified"),
    "outputs_rule_roster_rest": ("班次之间休息不足", "Too little rest between shifts"),
    "outputs_rule_roster_shift": ("班次安排有误", "Shift wrongly planned"),
    "outputs_rule_roster_staff": ("排班人员不在名册", "Staff not in the register"),
    "outputs_rule_route_mixed": (
        "上门路线混入不同类别住户",
        "Route mixes household kinds",
    ),
    "outputs_rule_samplers": ("采样人员不足", "Too few samplers"),
    "outputs_rule_shift_length": ("班次过长", "Shift too long"),
    "outputs_rule_shift_samplers": ("班次采样人员不足", "Too few samplers in a shift"),
    "outputs_rule_site_collected": ("采样点样本未收取", "Site samples not collected"),
    "outputs_rule_site_desks": ("采样台数量有误", "Desks out of range"),
    "outputs_rule_site_empty": ("采样点无人预约", "Site with nobody booked"),
    "outputs_rule_site_lead_cadre": ("点长不是干部", "Site lead not a cadre"),
    "outputs_rule_site_open": ("采样点未开放", "Site not open"),
    "outputs_rule_site_people": ("采样点人数超出能力", "Site over its capacity"),
    "outputs_rule_site_roles": ("采样点岗位缺人", "Site posts unfilled"),
    "outputs_rule_slot_capacity": ("时段人数超出能力", "Slot over its capacity"),
    "outputs_rule_slot_hours": ("时段超出开放时间", "Slot outside opening hours"),
    "outputs_rule_slot_window": ("时段超出采样时间", "Slot outside the day"),
    "outputs_rule_stock_reserve": ("物资储备不足", "Stock reserve short"),
    "outputs_rule_stock_table": ("物资表有误", "Stock table wrong"),
    "outputs_rule_support_ratio": ("保障人员比例不足", "Too few support staff"),
    "outputs_rule_team_collected": ("上门组样本未收取", "Team samples not collected"),
    "outputs_rule_transport_risk": ("转运有延误风险", "Transport at risk"),
    "outputs_rule_transport_schedule": ("转运安排有误", "Transport schedule wrong"),
    "outputs_rule_tube_mode": ("采样管类型有误", "Wrong tube type"),
    "outputs_rule_tube_to_lab": ("采样管送检有误", "Tubes to the wrong lab"),
    "outputs_rule_unassigned_reason": (
        "未安排住户缺少原因",
        "Unplaced household without reason",
    ),
    "outputs_rule_unfilled_posts": ("保障岗位缺人", "Support posts unfilled"),
    "outputs_rule_unfilled_samplers": ("采样人员缺岗", "Sampler posts unfilled"),
    "outputs_rule_unfilled_samplers_period": (
        "某时段采样人员缺岗",
        "Samplers short in a period",
    ),
    "outputs_rule_vehicles_per_site": ("转运车辆不足", "Too few vehicles"),
    "outputs_rule_vehicle_turns": (
        "转运车未回即排下一轮",
        "Vehicle sent out before it is back",
    ),
    "outputs_rule_walk_limit": ("步行超过上限", "Walk beyond the limit"),
}

PLAN: dict[str, tuple[str, str]] = {
    # --- planner plan's summary, in the office's words --------------------------------
    "outputs_plan_made": (
        "方案已生成：{quality}（用时 {seconds:,.1f} 秒）",
        "Plan made: {quality} ({seconds:,.1f} s)",
    ),
    "outputs_quality_optimal": ("已证明是最优方案", "proven the best possible"),
    "outputs_quality_within": (
        "与最优方案相差不超过 {pct}",
        "within {pct} of the best possible",
    ),
    "outputs_quality_open": (
        "时限内未能证明是最优方案（可延长最长计算时间再试）",
        "not proven the best in the time allowed (allow more time to try)",
    ),
    "outputs_quality_none": ("时限内未找到方案", "no plan within the time allowed"),
    "outputs_plan_walk": (
        "  居民步行合计约 {total:,} 人·分钟（到点采样 {people:,} 人，平均每人 {mean:,.1f} 分钟"
        "，最远 {longest:,} 米）",
        "  Residents walk about {total:,} person-minutes in all ({people:,} sampled at "
        "sites, {mean:,.1f} min each on average, longest {longest:,} m)",
    ),
    "outputs_plan_details": (
        "  计算详情（--verbose）：状态 {status}，目标值 {objective:,.0f}，下界 {bound:,.0f}"
        "，差距 {gap:.2%}，选点用时 {wall:,.1f} 秒",
        "  solver details (--verbose): status {status}, objective {objective:,.0f}, "
        "bound {bound:,.0f}, gap {gap:.2%}, location solve {wall:,.1f} s",
    ),
    "outputs_p_line": ("  {what}的概率 {value}{target}", "  P({what}) {value}{target}"),
    "outputs_p_target": ("（目标 {op} {value}）", " (target {op} {value})"),
}

_add_texts(PRINTED)
EXPORT_TEXT.update(PRINTED)
_add_texts(TEXTS)
_add_texts(CHECK)
_add_texts(PLAN)
