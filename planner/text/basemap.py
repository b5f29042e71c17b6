"""The basemap's words: a custom tile address or a local MBTiles file that cannot be used."""

from __future__ import annotations

from planner.text import _add_texts

BASEMAP_TEXT: dict[str, tuple[str, str]] = {
    "basemap_no_mbtiles": ("请填写 MBTiles 文件路径", "no MBTiles file given"),
    "basemap_url_xyz": (
        "瓦片地址须包含 {{z}}、{{x}}、{{y}}：{url}",
        "tile URL without {{z}}, {{x}} and {{y}}: {url}",
    ),
    "basemap_mbtiles_missing": ("找不到文件 {name}", "no such file: {name}"),
    "basemap_mbtiles_not_mbtiles": (
        "{name} 不是 MBTiles 文件",
        "{name}: not an MBTiles file",
    ),
    "basemap_mbtiles_empty": ("{name} 中没有瓦片", "{name}: the file holds no tiles"),
    "basemap_mbtiles_vector": (
        "{name} 是 {fmt} 矢量瓦片，只能使用 png/jpg 栅格瓦片",
        "{name}: tiles are {fmt}; only raster png/jpg tiles can be drawn",
    ),
}
"""Why a basemap cannot be drawn (the app's 地图 page)."""

_add_texts(BASEMAP_TEXT)
