"""Strings of the guidance checks and the corrected rules (issue 30).

The limits and their sources, the plan-check findings that recompute from the plan's
tables, and the register's pool-positive-pending status.
"""

from __future__ import annotations

from planner.text import EXPORT_TEXT, _add_messages, _add_texts

TABLE: dict[str, tuple[str, str]] = {
    # units
    "rules_unit_min": ("分钟", "min"),
    "rules_unit_h": ("小时", "h"),
    "rules_unit_people": ("人", "people"),
    "rules_unit_per_h": ("人/小时", "people/h"),
    "rules_unit_sites": ("个采样点", "sites"),
    "rules_unit_days": ("天", "days"),
    "rules_unit_rounds": ("轮", "rounds"),
    # sources of the limits
    "rules_src_walk": (
        "国家卫健委 2022-05：15分钟采样圈",
        "NHC 2022-05: 15-minute sampling circle",
    ),
    "rules_src_rural_walk": (
        "北京 2022-07 标准征求意见稿：山区30分钟",
        "Beijing draft standard 2022-07: 30 min in the mountains",
    ),
    "rules_src_site": (
        "国家卫健委 2022-05-13：每2,000–3,000人设1个采样点",
        "NHC 2022-05-13: one site per 2,000–3,000 people",
    ),
    "rules_src_desk": (
        "国家卫健委 2022-05-13：每600–800人设1个采样台",
        "NHC 2022-05-13: one desk per 600–800 people",
    ),
    "rules_src_queue": (
        "区域核酸检测指南（第三版）：排队不超过20分钟",
        "3rd-edition guide: queue at most 20 min",
    ),
    "rules_src_shift": (
        "现场做法：穿戴全套防护连续工作约4小时",
        "field practice: about 4 h of continuous work in full PPE",
    ),
    "rules_src_heat": (
        "国家卫健委 2022-06 防暑降温指南：高温下连续作业不超过2小时",
        "NHC 2022-06 heat guidance: at most 2 h of continuous work in heat",
    ),
    "rules_src_window": (
        "区域核酸检测指南（第三版）：原则上6小时内完成采样，确有困难的不超过12小时",
        "3rd-edition guide: sampling within 6 h in principle, 12 h at most if difficult",
    ),
    "rules_src_window_cap": (
        "区域核酸检测指南（第三版）：采样最长不超过12小时",
        "3rd-edition guide: sampling within 12 h at most",
    ),
    "rules_src_samplers": (
        "区域核酸检测指南（第三版）：采样人员数 = 人口 ÷ 360（6小时）",
        "3rd-edition guide: samplers = population ÷ 360 (6 h)",
    ),
    "rules_src_rate": (
        "实际观测的最高持续采样速度（金湖，约每4小时500人）",
        "highest sustained rate observed (Jinhu, about 500 per 4 h)",
    ),
    "rules_src_pickup": (
        "各地做法：每1–2小时收样一次",
        "local practice: a pick-up every 1–2 h",
    ),
    "rules_src_lab": (
        "上海虹口：收样后2小时内送达实验室",
        "Shanghai Hongkou: at the lab within 2 h of pick-up",
    ),
    "rules_src_vehicle": (
        "郑州 2022-01：约每3个采样点1辆转运车",
        "Zhengzhou 2022-01: about one vehicle per 3 sites",
    ),
    "rules_src_home_ppe": (
        "现场做法：上门采样每户更换全套防护，脱卸约15–20分钟",
        "field practice: full PPE change per household, doffing 15–20 min",
    ),
    "rules_src_street_reserve": (
        "乡镇常态化防控方案：防疫物资满足满负荷运行15天",
        "township plan: 防疫物资 for 15 days of full-load operation",
    ),
    "rules_src_hospital_reserve": (
        "医院常态化防控方案：物资满足医院30天满负荷运转",
        "hospital plan: supplies for 30 days of full-load operation",
    ),
    "rules_src_screening_rounds": (
        "2022-11 实施办法：每天1轮，连续3轮无社区病例后隔3天再1轮",
        "2022-11 rules: a round a day, after 3 rounds without a community case one "
        "more 3 days later",
    ),
    "rules_src_pool": (
        "国家卫健委 2022-01-17：混采最多20合1",
        "NHC 2022-01-17: pools of at most 20",
    ),
    # the plan document
    "rules_tl_results_by": (
        "次日 {start} 前（自开始起24小时内）",
        "by {start} the next day (24 h from the start)",
    ),
    "rules_doc_supplies": (
        "储备按物资和储备单位分别测算：防疫物资（防护用品、消杀用品）按满负荷运转"
        "（每日 {rounds} 轮），街道储备 {street_days} 天、卫生服务中心 {hc_days} 天、"
        "医院 {hospital_days} 天；采样拭子和采样管按 {screening_rounds} 轮全员采样储备。"
        "{short} 项低于储备要求，需采购补足。",
        "Reserves by item and holder: 防疫物资 (PPE, disinfection) at full load ({rounds} "
        "round(s) a day), {street_days} days at the street, {hc_days} days at the "
        "health centre, {hospital_days} days at a hospital; swabs and tubes for "
        "{screening_rounds} full-population rounds. {short} item(s) are below the rule "
        "and must be ordered.",
    ),
    # norms
    "rules_norm_samplers_short": (
        "在岗采样人员 {on_duty} 人，少于指南下限 {guide} 人（缺 {short} 人）；"
        "按每人每小时 {rate:g} 人计划，快于指南的 60 人",
        "{on_duty} samplers on duty, {short} fewer than the guideline's {guide} (a "
        "floor); the plan counts on {rate:g} per sampler-hour, faster than the "
        "guide's 60",
    ),
    # findings
    "rules_finding_limit_max": (
        "策略将 {key} 设为 {value:g} {unit}，超过指南上限 {bound:g} {unit}（{source}）",
        "the policy sets {key} to {value:g} {unit}, above the guidance's {bound:g} "
        "{unit} ({source})",
    ),
    "rules_finding_limit_min": (
        "策略将 {key} 设为 {value:g} {unit}，低于指南下限 {bound:g} {unit}（{source}）",
        "the policy sets {key} to {value:g} {unit}, below the guidance's {bound:g} "
        "{unit} ({source})",
    ),
    "rules_finding_visit_too_soon": (
        "第 {stop} 户 {at} 到达，但上一户 {prev_at} 到达、至少需 {service:.0f} 分钟，"
        "最早 {earliest} 才能到",
        "stop {stop} at {at}, but the previous one (arrival {prev_at}) takes at least "
        "{service:.0f} min: {earliest} at the earliest",
    ),
    "rules_finding_visit_ends_late": (
        "最后一户 {at} 到达，至少需 {service:.0f} 分钟，{end} 才结束，"
        "超出采样时段（至 {window_end}）",
        "the last stop at {at} takes at least {service:.0f} min and ends at {end}, "
        "after the window ({window_end})",
    ),
    "rules_finding_stock_recomputed": (
        "{item}（{holder}）：按物资清单每轮需 {per_round:,.0f}，储备 {days} 天应为 "
        "{required:,.0f}，计划写的是每轮 {plan_per_round:,.0f}、储备 {plan_required:,.0f}",
        "{item} ({holder}): the bill of materials gives {per_round:,.0f} a round and "
        "{required:,.0f} for {days} days; the plan says {plan_per_round:,.0f} and "
        "{plan_required:,.0f}",
    ),
    "rules_finding_on_hand": (
        "{item}（{holder}）：库存登记为 {on_hand:,.0f}，计划写的是 {plan_on_hand:,.0f}",
        "{item} ({holder}): the inventory counts {on_hand:,.0f}, the plan says "
        "{plan_on_hand:,.0f}",
    ),
    "rules_finding_stock_missing": (
        "{item}（{holder}）：物资清单每轮需 {per_round:,.0f}，计划的物资表里没有",
        "{item} ({holder}): the bill of materials needs {per_round:,.0f} a round; "
        "the plan's supplies table leaves it out",
    ),
}

_add_texts(TABLE)

PRINTED = ("rules_tl_results_by", "rules_doc_supplies", "rules_norm_samplers_short")
"""Keys the plan document prints: the PDF font is cut from the printed templates
(:func:`planner.text.all_strings`), so they join :data:`planner.text.EXPORT_TEXT`."""

EXPORT_TEXT.update({key: TABLE[key] for key in PRINTED})

MESSAGES: dict[str, tuple[str, str]] = {
    "rules_pending_and_sealed": (
        "同时标为“封控”和“混管阳性待复核”：按待复核处理（上门、一人一管单采）",
        "marked both sealed and pool-positive pending review: treated as pending "
        "(door to door, one tube per person)",
    ),
}

_add_messages(MESSAGES)
