"""Declare the scenario tables: canonical columns, types, and accepted header aliases.

A street office's register uses Chinese headers; every column accepts its canonical
English name and the Chinese names listed here (matched after trimming spaces and
ignoring case). The README's table of aliases is generated from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["str", "int", "float", "bool", "time", "date"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a scenario table.

    Parameters
    ----------
    name
        Canonical English name, used in code and in exports.
    type
        Value type: ``str``, ``int``, ``float``, ``bool`` (是/否, Y/N, 1/0, true/false),
        ``time`` (HH:MM) or ``date`` (YYYY-MM-DD).
    required
        Whether the column must be present.
    aliases
        Other accepted headers, mostly the Chinese ones registers use.
    label_zh
        The Chinese header used when the planner writes this column.
    verbatim
        Keep values as written (only surrounding spaces trimmed): names and
        addresses, where NFKC would rewrite characters a person chose.
    """

    name: str
    type: ColumnType
    required: bool
    aliases: tuple[str, ...]
    label_zh: str
    verbatim: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """One scenario table: its file stem, sheet names and columns.

    Parameters
    ----------
    name
        Canonical table name; also the file stem (``buildings.csv``) and sheet name.
    label_zh
        Chinese table name, also accepted as file stem and sheet name.
    required
        Whether a scenario must contain this table.
    key
        Column holding the unique id of a row, if any.
    columns
        The table's columns.
    """

    name: str
    label_zh: str
    required: bool
    key: str | None
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """Return the column called `name`."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _c(
    name: str,
    type_: ColumnType,
    label_zh: str,
    *aliases: str,
    required: bool = False,
    verbatim: bool = False,
) -> Column:
    return Column(name, type_, required, (label_zh, *aliases), label_zh, verbatim)


BUILDINGS = Table(
    "buildings",
    "楼栋",
    True,
    "building_id",
    (
        _c("building_id", "str", "楼栋编号", "楼栋号", "楼栋ID", "楼号", required=True),
        _c("grid_id", "str", "网格", "网格编号", "所属网格", required=True),
        _c("community", "str", "社区", "所属社区", "社区名称", required=True),
        _c("compound", "str", "小区", "小区名称", "所属小区", required=True),
        # may be left empty: the compound's (or the grid's) point, with a warning
        _c("lon", "float", "经度", "longitude", "x"),
        _c("lat", "float", "纬度", "latitude", "y"),
        _c("address", "str", "地址", "楼栋地址", verbatim=True),
        _c("building_type", "str", "楼型", "建筑类型"),
        _c("floors", "int", "楼层数", "层数"),
        _c("units", "int", "单元数"),
        _c("terrain", "str", "地形", "地貌"),
    ),
)

HOUSEHOLDS = Table(
    "households",
    "住户",
    True,
    "household_id",
    (
        _c("household_id", "str", "户号", "户编号", "住户编号", required=True),
        _c("building_id", "str", "楼栋编号", "楼栋号", "楼号", required=True),
        _c("size", "int", "人数", "户人数", "家庭人数", "在住人数", required=True),
        _c("unit", "str", "单元", "单元号"),
        _c("floor", "int", "楼层"),
        _c("room", "str", "房号", "门牌号", "室"),
        _c("sealed", "bool", "封控", "封闭到户", "是否封控"),
        _c("pending_review", "bool", "混管阳性待复核", "待复核", "单管复核"),
    ),
)

RESIDENTS = Table(
    "residents",
    "居民",
    False,
    "resident_id",
    (
        _c("resident_id", "str", "居民编号", "人员编号", required=True),
        _c("household_id", "str", "户号", "户编号", "住户编号", required=True),
        _c("name", "str", "姓名", required=True, verbatim=True),
        _c("id_number", "str", "身份证号", "身份证号码", "证件号码", required=True),
        _c("phone", "str", "联系电话", "手机号", "电话", "手机号码", required=True),
        _c("age", "int", "年龄", required=True),
        _c("sex", "str", "性别"),
        _c("key_group", "bool", "重点人群", "单采", "单采单检"),
        _c("homebound", "bool", "行动不便", "需上门", "上门采样"),
    ),
)

SITES = Table(
    "sites",
    "采样点",
    True,
    "site_id",
    (
        _c("site_id", "str", "采样点编号", "点位编号", required=True),
        _c(
            "name",
            "str",
            "采样点名称",
            "名称",
            "点位名称",
            required=True,
            verbatim=True,
        ),
        _c("lon", "float", "经度", "longitude", "x", required=True),
        _c("lat", "float", "纬度", "latitude", "y", required=True),
        _c("max_desks", "int", "最大采样台数", "采样台数", "最多采样台", required=True),
        _c("kind", "str", "类型", "场地类型"),
        _c("address", "str", "地址", verbatim=True),
        _c("community", "str", "社区", "所属社区"),
        _c("indoor", "bool", "室内", "是否室内"),
        _c("fixed", "bool", "固定点", "常驻点", "必开"),
        _c("open_from", "time", "开放开始", "开始时间"),
        _c("open_to", "time", "开放结束", "结束时间"),
    ),
)

STAFF = Table(
    "staff",
    "工作人员",
    True,
    "staff_id",
    (
        _c("staff_id", "str", "人员编号", "工号", required=True),
        _c("name", "str", "姓名", required=True, verbatim=True),
        _c("role", "str", "岗位", "角色", "人员类别", required=True),
        _c("organisation", "str", "单位", "所属单位", "organization", required=True),
        _c("phone", "str", "联系电话", "手机号", "电话"),
        _c("available_from", "time", "可用开始", "到岗时间"),
        _c("available_to", "time", "可用结束", "离岗时间"),
    ),
)

INVENTORY = Table(
    "inventory",
    "物资库存",
    True,
    None,
    (
        _c("item", "str", "物资", "物资名称", "品名", required=True),
        _c("holder", "str", "储备单位", "持有方", "储备方", required=True),
        _c("on_hand", "float", "库存", "现有数量", "库存数量", required=True),
        _c("unit", "str", "单位", "计量单位", required=True),
        _c("date", "date", "盘点日期", "日期"),
    ),
)

LABS = Table(
    "labs",
    "检测机构",
    False,
    "name",
    (
        _c("name", "str", "检测机构", "机构名称", "名称", required=True, verbatim=True),
        _c("lon", "float", "经度", "longitude", "x"),
        _c("lat", "float", "纬度", "latitude", "y"),
        _c("tubes_per_hour", "float", "每小时检测管数", "检测能力(管/小时)", "管/小时"),
        _c("open_from", "time", "接收开始", "开始时间"),
        _c("open_to", "time", "接收结束", "结束时间"),
        _c("result_hours", "float", "出结果小时数", "出结果时间", "结果时限"),
    ),
)
"""Optional: the labs the street's boxes go to (location, intake, hours, turnaround)."""

TABLES: tuple[Table, ...] = (
    BUILDINGS,
    HOUSEHOLDS,
    RESIDENTS,
    SITES,
    STAFF,
    INVENTORY,
    LABS,
)
"""All tabular scenario tables, in load order (references point backwards)."""

TABLE_BY_NAME = {t.name: t for t in TABLES}

STAFF_ROLES = {
    "sampler": ("sampler", "采样", "采样人员", "医务", "医务人员"),
    "support": ("support", "保障", "保障人员", "志愿者", "工作人员", "社区"),
}
"""Accepted values of ``staff.role``: medically qualified samplers or support staff."""

HOLDERS = {
    "street": ("street", "街道", "街道办", "乡镇", "town"),
    "health_center": ("health_center", "卫生服务中心", "社区卫生服务中心", "卫生院"),
    "hospital": ("hospital", "医院"),
}
"""Accepted values of ``inventory.holder``."""

COORDINATE_SYSTEMS = {
    "wgs84": ("wgs84", "wgs-84", "gps", "epsg:4326"),
    "gcj02": ("gcj02", "gcj-02", "amap", "高德", "腾讯", "tencent", "火星"),
    "bd09": ("bd09", "bd-09", "baidu", "百度"),
}
"""Accepted names of the coordinate system a scenario's lon/lat are given in."""

TRUE_VALUES = ("1", "true", "yes", "y", "是", "√", "✓", "t")
FALSE_VALUES = ("0", "false", "no", "n", "否", "", "f", "×")

NUMBER_UNITS = (
    "人份",
    "单元",
    "人",
    "口",
    "户",
    "台",
    "层",
    "楼",
    "个",
    "张",
    "套",
    "件",
    "盒",
    "箱",
    "包",
    "袋",
    "支",
    "只",
    "瓶",
    "桶",
    "份",
    "双",
    "副",
    "卷",
    "把",
    "辆",
    "间",
    "顶",
    "岁",
    "周岁",
)
"""Units a register may type after a number ("3人", "4 台", "500盒"); dropped on load.

Longer units come first, so that "人份" is not read as "人" followed by "份".
"""
