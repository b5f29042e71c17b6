"""Local MBTiles basemaps: reading tiles (TMS rows), refusing unusable files, the URL."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from planner.app.mapping import basemap_for, basemap_layers
from planner.app.tiles import MBTiles, MBTilesError, register, registered, tile_url
from planner.errors import PlannerError
from planner.text import Lang, error_text


def _png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buf, format="PNG")
    return buf.getvalue()


def _mbtiles(path: Path, fmt: str = "png", zooms: tuple[int, ...] = (15, 16)) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
        "tile_row INTEGER, tile_data BLOB)"
    )
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("name", "街道底图"), ("format", fmt), ("bounds", "114.2,30.5,114.4,30.7")],
    )
    for z in zooms:
        # XYZ tile (x=3, y=1) is stored with its TMS row, counted from the south
        db.execute(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)",
            (z, 3, (1 << z) - 1 - 1, _png((z, 0, 0))),
        )
    db.commit()
    db.close()
    return path


def test_reads_xyz_tiles_from_tms_rows(tmp_path: Path) -> None:
    reader = MBTiles(_mbtiles(tmp_path / "a.mbtiles"))
    assert reader.info.name == "街道底图"
    assert (reader.info.min_zoom, reader.info.max_zoom) == (15, 16)
    assert reader.info.bounds == (114.2, 30.5, 114.4, 30.7)
    assert reader.media_type == "image/png"
    data = reader.tile(16, 3, 1)
    assert data is not None
    assert Image.open(io.BytesIO(data)).getpixel((0, 0)) == (16, 0, 0)
    assert reader.tile(16, 3, 2) is None  # not in the file
    assert reader.tile(14, 3, 1) is None


def test_unusable_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    def why(path: Path, lang: Lang = "zh") -> str:
        with pytest.raises(MBTilesError) as info:
            MBTiles(path)
        return error_text(info.value, lang)

    assert why(tmp_path / "missing.mbtiles") == "找不到文件 missing.mbtiles"
    assert str(tmp_path) not in why(tmp_path / "missing.mbtiles", "en")  # no path
    (tmp_path / "text.mbtiles").write_text("not a database", encoding="utf-8")
    assert "不是 MBTiles" in why(tmp_path / "text.mbtiles")
    assert "矢量瓦片" in why(_mbtiles(tmp_path / "v.mbtiles", fmt="pbf"))
    assert "no tiles" in why(_mbtiles(tmp_path / "e.mbtiles", zooms=()), "en")
    assert not (tmp_path / "never.mbtiles").exists()
    with pytest.raises(MBTilesError):
        MBTiles(tmp_path / "never.mbtiles")
    assert not (tmp_path / "never.mbtiles").exists()  # read-only: nothing created


def test_registered_file_becomes_an_app_served_basemap(tmp_path: Path) -> None:
    path = _mbtiles(tmp_path / "b.mbtiles")
    key, reader = register(path)
    assert registered(key) is reader
    assert register(path)[0] == key  # opened once per process
    assert str(tmp_path) not in tile_url(key)  # URLs name no local path

    basemap = basemap_for("mbtiles", coordinate_system="gcj02", mbtiles=str(path))
    assert basemap is not None
    assert basemap.url == tile_url(key) == f"planner/tiles/{key}/{{z}}/{{x}}/{{y}}"
    assert basemap.coordinate_system == "gcj02"
    assert (basemap.min_zoom, basemap.max_zoom) == (15, 16)
    assert basemap.attribution == "街道底图"
    # tiles are asked for only at the zooms the file holds
    layers = basemap_layers(basemap, 114.28, 30.56, 114.33, 30.60)
    assert layers and all(layer.id.split("-")[1] in ("15", "16") for layer in layers)
    with pytest.raises(PlannerError) as info:
        basemap_for("mbtiles", mbtiles="")
    assert error_text(info.value, "zh") == "请填写 MBTiles 文件路径"
