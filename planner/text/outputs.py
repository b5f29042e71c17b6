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
    "outputs_image_common": ("所有楼栋", "Every building"),
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
    "outputs_app_images": (
        "下载微信长图（按社区）",
        "Download WeChat images (by community)",
    ),
    "outputs_app_images_file": (
        "{street}_{day}_微信长图.zip",
        "{street}_{day}_WeChat_images.zip",
    ),
}

_add_texts(PRINTED)
EXPORT_TEXT.update(PRINTED)
_add_texts(TEXTS)
