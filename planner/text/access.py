"""Strings of the access and equity report (issue 35): CLI, app page and plan document."""

from __future__ import annotations

from planner.text import EXPORT_TEXT, _add_texts

ACCESS_TEXT: dict[str, tuple[str, str]] = {
    "access_head": (
        "可达与公平（步行到采样点的分钟数；上门户为等候上门的分钟数）",
        "Access and equity (minutes walked to the site; at home: minutes waited for "
        "the team)",
    ),
    "access_ede_note": (
        "EDE：Kolm–Pollak 等分配当量，厌恶参数 ε={aversion:g}，"
        "κ=ε·Σx/Σx²={kappa_walk:.4f}/分钟（步行），{kappa_wait:.4f}/分钟（等候）；"
        "各人群共用同一 κ",
        "EDE: Kolm–Pollak equally distributed equivalent, aversion ε={aversion:g}, "
        "κ=ε·Σx/Σx²={kappa_walk:.4f}/min (walks), {kappa_wait:.4f}/min (waits); "
        "one κ for every group",
    ),
    "access_col_group": ("人群", "group"),
    "access_col_people": ("人数", "people"),
    "access_col_mean": ("平均", "mean"),
    "access_col_p90": ("P90", "P90"),
    "access_col_p99": ("P99", "P99"),
    "access_col_beyond": ("超{minutes}分", ">{minutes} min"),
    "access_col_ede": ("EDE", "EDE"),
    "access_col_unserved": ("未安排", "unserved"),
    "access_col_community": ("社区", "community"),
    "access_col_grid": ("网格", "grid"),
    "access_group_all": ("全体（步行）", "everyone (walking)"),
    "access_group_older": ("{age}岁及以上", "aged {age}+"),
    "access_group_oldest": ("{age}岁及以上", "aged {age}+"),
    "access_group_key_group": ("重点人群", "key groups"),
    "access_group_young_children": (
        "有{age}岁以下儿童的家庭",
        "households with children under {age}",
    ),
    "access_group_homebound": ("行动不便（上门，等候）", "homebound (at home, wait)"),
    "access_group_sealed": ("封控（上门，等候）", "sealed (at home, wait)"),
    "access_gaps": (
        "{n} 处楼栋的居民超出其人群的步行上限（{fixable} 处有候选点可解决，"
        "{closed} 处需新开采样点）",
        "{n} buildings have residents beyond their group's walk limit ({fixable} "
        "fixable by a candidate site, {closed} of them by opening it)",
    ),
    "access_gaps_none": (
        "没有楼栋的居民超出其人群的步行上限",
        "No building has residents beyond their group's walk limit",
    ),
    "access_gap_line": (
        "{building}（{group}，{people} 人）：步行 {walk} 分钟，上限 {limit:g} 分钟 → {fix}",
        "{building} ({group}, {people} people): walk {walk} min, limit {limit:g} min "
        "→ {fix}",
    ),
    "access_gap_fix_open": (
        "改到已开的 {site}（{minutes:.1f} 分钟）",
        "move to open site {site} ({minutes:.1f} min)",
    ),
    "access_gap_fix_closed": (
        "开设候选点 {site}（{minutes:.1f} 分钟）",
        "open candidate {site} ({minutes:.1f} min)",
    ),
    "access_gap_fix_none": (
        "没有候选点在上限内：请补充候选点",
        "no candidate within the limit: add one the office knows",
    ),
    "access_gap_no_site": ("无点可达", "no site in reach"),
    "access_objective_walk": ("总步行最少", "least total walking"),
    "access_objective_ede": (
        "为最不利者规划（EDE 线性代理）",
        "planning for the worst-off (EDE linear proxy)",
    ),
    "access_objective_older_cap": (
        "高龄步行上限（{age}岁及以上 ≤ {minutes:g} 分钟）",
        "older walk cap (aged {age}+ ≤ {minutes:g} min)",
    ),
    "access_equity": (
        "{objective}：{age}岁及以上 P90 步行 {p90_oldest_a:.2f} → {p90_oldest_b:.2f} 分钟，"
        "最差 10% 平均 {worst_a:.2f} → {worst_b:.2f}，全体平均 {mean_a:.2f} → "
        "{mean_b:.2f} 分钟，EDE {ede_a:.2f} → {ede_b:.2f}（κ={kappa:.4f}）；"
        "采样点 {sites_a} → {sites_b}，采样台 {desks_a} → {desks_b}"
        "（对比总步行最少的方案，均为认证前）",
        "{objective}: aged {age}+ P90 walk {p90_oldest_a:.2f} → {p90_oldest_b:.2f} min, "
        "worst tenth's mean {worst_a:.2f} → {worst_b:.2f}, mean walk {mean_a:.2f} → "
        "{mean_b:.2f} min, EDE {ede_a:.2f} → {ede_b:.2f} (κ={kappa:.4f}); sites "
        "{sites_a} → {sites_b}, desks {desks_a} → {desks_b} (against the plan of "
        "least total walking, both before certification)",
    ),
    "access_bound_note": (
        "求解器的目标值与下界针对变换后的目标（{objective}），不是平均步行。",
        "The solver's objective and bound are on the transformed objective "
        "({objective}), not the mean walk.",
    ),
    "access_page_title": ("可达与公平", "Access and equity"),
    "access_page_caption": (
        "每位居民步行到采样点要多久，按人群、社区和网格汇总；楼栋按步行分钟着色。",
        "How long each resident walks to the site, by group, community and grid; "
        "buildings shaded by minutes walked.",
    ),
    "access_page_no_plan": (
        "此方案没有可达与公平报告：请在「方案」页重新生成。",
        "This plan has no access report: make it again on the Plan page.",
    ),
    "access_legend": (
        "楼栋颜色：居民平均步行分钟（绿 ≤5，黄 ≤10，橙 ≤15，红 >15）",
        "Building colour: residents' mean walk in minutes (green ≤5, yellow ≤10, "
        "orange ≤15, red >15)",
    ),
    "knob_access_objective": (
        "选址目标（可达与公平）",
        "Site choice (access and equity)",
    ),
    "knob_access_objective_help": (
        "总步行最少：默认。为最不利者规划：按 Kolm–Pollak EDE 线性代理选址，"
        "长距离步行代价按指数增长。高龄步行上限：高龄居民步行不超过上限（有点可达时）。"
        "选择后两者时另算一次总步行最少的方案作对比。",
        "Least total walking: the default. Planning for the worst-off: sites chosen by "
        "the Kolm–Pollak EDE's linear proxy, long walks costing exponentially more. "
        "Older walk cap: the oldest residents walk at most the cap (where a site can do "
        "it). The last two also plan least total walking once, to compare.",
    ),
    "access_unit_min": ("分钟", "min"),
    "access_doc_map_title": (
        "楼栋步行时间（分钟）",
        "Walking time by building (minutes)",
    ),
}
"""The access report's words: its table's columns and groups, the gaps, the equity
option's trade-off line."""
_add_texts(ACCESS_TEXT)
# the plan document prints them: the font cut before the plan exists must hold them
EXPORT_TEXT.update(ACCESS_TEXT)
