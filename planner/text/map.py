"""The map page's, the 时段 page's and the drill page's words (issue #32's app items)."""

from __future__ import annotations

from planner.text import _add_texts

MAP_TEXT: dict[str, tuple[str, str]] = {
    # hover texts: the address as the register gives it, the site's name, the slot
    "map_tip_building": (
        "{address}｜{people} 人｜去 {site}｜{slot}",
        "{address} | {people} people | to {site} | {slot}",
    ),
    "map_tip_building_home": (
        "{address}｜{people} 人｜上门采样",
        "{address} | {people} people | sampled at home",
    ),
    "map_tip_building_none": (
        "{address}｜{people} 人｜未分配采样点",
        "{address} | {people} people | no site",
    ),
    "map_tip_site": (
        "{name}（{id}）｜{desks} 个采样台｜{people} 人｜{first}–{last}",
        "{name} ({id}) | {desks} desks | {people} people | {first}–{last}",
    ),
    "map_legend_route": (
        "上门采样路线（每个上门组一种颜色，沿步行路网）",
        "Door-to-door route (one colour per team, along walkways)",
    ),
    "map_legend_route_straight": (
        "上门采样路线（每个上门组一种颜色，直线连接）",
        "Door-to-door route (one colour per team, straight)",
    ),
    "map_hint_click": (
        "悬停查看地址、采样点和时段；点击采样点（圆点）即选中并放大到它，"
        "也可在上方下拉框中选择；滚轮缩放、拖动平移。",
        "Hover for the address, site and slot; click a site (circle) to choose it and "
        "zoom to it, or pick it in the box above; scroll to zoom, drag to pan.",
    ),
    # the basemap, suggested when the street has no map layers of its own
    "map_basemap_suggest": (
        "本街道没有网格、小区或路网图层，地图上只有圆点。本机可以访问高德地图，"
        "建议使用高德底图。",
        "This street has no grid, compound or walkway layers, so the map is dots "
        "only. Amap (高德) can be reached from this computer: use it as the basemap.",
    ),
    "map_basemap_use_amap": ("使用高德底图", "Use the Amap basemap"),
    "map_basemap_offline": (
        "本街道没有网格、小区或路网图层，地图上只有圆点；本机无法访问高德地图。"
        "可在“底图”中填写内网天地图或高德镜像的瓦片地址，"
        "或使用 GIS 部门导出的 MBTiles 文件。",
        "This street has no grid, compound or walkway layers, so the map is dots "
        "only, and Amap cannot be reached from this computer. Under Basemap, give an "
        "intranet Tianditu or Amap mirror's tile address, or an MBTiles file from "
        "the GIS team.",
    ),
}
"""The 地图 page: hover texts, legend, hint and the basemap suggestion."""

LOAD_TEXT: dict[str, tuple[str, str]] = {
    "map_load_title": ("负荷", "Load"),
    "map_load_people": ("人数", "People"),
    "map_load_closed": ("无采样台（不开放）", "No desk (closed)"),
    "map_load_light": ("空闲（不到 50%）", "Light (under 50%)"),
    "map_load_normal": ("正常（50%–90%）", "Normal (50%–90%)"),
    "map_load_full": ("满（90%–100%，按计划）", "Full (90%–100%, as planned)"),
    "map_load_over": ("超负荷（超过 100%）", "Over capacity (above 100%)"),
    "map_band_light": ("空闲", "light"),
    "map_band_normal": ("正常", "normal"),
    "map_band_full": ("满", "full"),
    "map_band_over": ("超负荷", "over"),
    "map_load_note": (
        "方案有意把时段排满：蓝色越深越满，满负荷是正常的；只有红色（超过能力）需要处理，"
        "灰色为该时段无采样台。",
        "The plan fills its slots on purpose: the darker the blue, the fuller, and "
        "full is normal; only red (beyond capacity) needs action; grey: no desk in "
        "that slot.",
    ),
}
"""The 时段 page's heat map: a slot's load in words."""

DRILL_VIEW_TEXT: dict[str, tuple[str, str]] = {
    "map_drill_replan": (
        "- {known} 得知，{effective} 起生效：{buildings} 栋楼改点或改时段（须重发通知，"
        "名单见下方“需重发通知的楼栋”表，也在可下载的演练报告中），{moved} 户换采样点，"
        "{unplaced} 户无处安排",
        "- known {known}, effective {effective}: {buildings} buildings get a new site "
        "or slot (re-issue their notices: the list is in the table of buildings "
        "below and in the drill report to download), {moved} households change site, "
        "{unplaced} cannot be placed",
    ),
    "map_drill_reason_sealed": (
        "楼栋封控，改为上门采样",
        "building sealed: sampled at home",
    ),
    "map_drill_reason_site_closed": (
        "原采样点停止采样",
        "its site stopped sampling",
    ),
    "map_drill_reason_no_capacity": (
        "附近采样点已满，暂无处安排",
        "every site near is full: not placed yet",
    ),
    "map_drill_reason_site_full": (
        "原采样点已满，改去其他采样点",
        "its site is full: sent to another",
    ),
    "map_drill_reason_slot_moved": ("同一采样点改时段", "same site, another slot"),
}
"""The 演练 page: the re-plan's line and the reasons a building moved, in words."""

_add_texts(MAP_TEXT)
_add_texts(DRILL_VIEW_TEXT)
_add_texts(LOAD_TEXT)
