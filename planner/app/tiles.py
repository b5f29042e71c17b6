"""Read raster tiles from a local MBTiles file, for the app to serve as a basemap.

An MBTiles file (https://github.com/mapbox/mbtiles-spec) is one SQLite database with a
``tiles`` table (``zoom_level, tile_column, tile_row, tile_data``, rows counted from the
south as in TMS) and a ``metadata`` table of name/value pairs. A GIS department exports
one from QGIS ("Generate XYZ tiles (MBTiles)") or gdal, so an office can draw its own
streets beneath the plan with no internet at all.

Nothing here imports Streamlit: the web server (:mod:`planner.app.server`) asks
:func:`registered` for the file behind a key and :meth:`MBTiles.tile` for the bytes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError

MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
"""Tile formats a ``BitmapLayer`` can draw, with their media types."""

TILE_ROUTE = "/planner/tiles"
"""Where the app serves registered MBTiles: ``{TILE_ROUTE}/{key}/{z}/{x}/{y}``."""


class MBTilesError(PlannerError, ValueError):
    """The file is not a readable MBTiles file of raster tiles.

    The message is a text key and its values (:func:`planner.text.error_text`).
    """


@dataclass(frozen=True, slots=True)
class MBTilesInfo:
    """What an MBTiles file holds.

    Attributes
    ----------
    path
        The file, resolved.
    name
        ``metadata.name`` (the file name when unset).
    format
        Tile image format, ``png`` or ``jpg``.
    min_zoom, max_zoom
        Zoom levels present.
    bounds
        ``(west, south, east, north)`` in degrees, or None when unset.
    """

    path: Path
    name: str
    format: str
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None


class MBTiles:
    """A read-only MBTiles file; safe to share between the web server's threads.

    Parameters
    ----------
    path
        The ``.mbtiles`` file.

    Raises
    ------
    MBTilesError
        When the file is missing, is not SQLite, has no ``tiles`` table or holds
        vector (``pbf``) tiles.
    """

    def __init__(self, path: Path) -> None:
        path = Path(path).expanduser().resolve()
        if not path.is_file():
            raise MBTilesError(
                key="basemap_mbtiles_missing", values={"name": path.name}
            )
        self._path = path
        self._lock = threading.Lock()
        try:
            # read-only URI: a mistyped path never creates an empty database
            self._db = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, check_same_thread=False
            )
            meta = dict(self._db.execute("SELECT name, value FROM metadata").fetchall())
            zooms = self._db.execute(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise MBTilesError(
                key="basemap_mbtiles_not_mbtiles", values={"name": path.name}
            ) from exc
        if zooms is None or zooms[0] is None:
            raise MBTilesError(key="basemap_mbtiles_empty", values={"name": path.name})
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in MEDIA_TYPES:
            raise MBTilesError(
                key="basemap_mbtiles_vector", values={"name": path.name, "fmt": fmt}
            )
        bounds = None
        if meta.get("bounds"):
            try:
                w, s, e, n = (float(v) for v in str(meta["bounds"]).split(","))
                bounds = (w, s, e, n)
            except ValueError:
                bounds = None
        self.info = MBTilesInfo(
            path=path,
            name=str(meta.get("name") or path.stem),
            format=fmt,
            min_zoom=int(zooms[0]),
            max_zoom=int(zooms[1]),
            bounds=bounds,
        )

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """Return the image of XYZ tile ``z/x/y`` (row from the north), or None.

        None also for a tile that cannot exist (zoom past :data:`MAX_ZOOM`, a column
        or row outside ``0 .. 2**z - 1``): such numbers overflow SQLite's integers.
        """
        if not (0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            return None
        tms_row = (1 << z) - 1 - y  # MBTiles counts rows from the south
        with self._lock:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                "AND tile_row = ?",
                (z, x, tms_row),
            ).fetchone()
        return None if row is None else bytes(row[0])

    @property
    def media_type(self) -> str:
        """Media type of the tiles."""
        return MEDIA_TYPES[self.info.format]


MAX_ZOOM = 30
"""Deepest zoom a tile may have (web maps stop near 22; 2**30 still fits SQLite)."""


_REGISTRY: dict[str, MBTiles] = {}
_REGISTRY_LOCK = threading.Lock()


def register(path: Path) -> tuple[str, MBTiles]:
    """Open an MBTiles file (once per process) and return its key and reader.

    The key is a digest of the resolved path, so the tile URLs name no local path.

    Raises
    ------
    MBTilesError
        When the file cannot be used (see :class:`MBTiles`).
    """
    resolved = Path(path).expanduser().resolve()
    key = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:12]
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = MBTiles(resolved)
        return key, _REGISTRY[key]


def registered(key: str) -> MBTiles | None:
    """Return the reader registered under `key`, or None."""
    with _REGISTRY_LOCK:
        return _REGISTRY.get(key)


def tile_url(key: str) -> str:
    """Return the XYZ URL template of a registered file, relative to the app."""
    return f"{TILE_ROUTE.lstrip('/')}/{key}/{{z}}/{{x}}/{{y}}"
