"""Strings of issue 32: notices people act on, Chinese outputs, the guided app."""

from __future__ import annotations

from planner.text import EXPORT_TEXT, _add_texts

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

_add_texts(PRINTED)
EXPORT_TEXT.update(PRINTED)
