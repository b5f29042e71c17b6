"""The planner's own web routes, served beside the Streamlit app by ``st.App``.

- ``/planner/fonts/NotoSansSC-Regular.otf``: the CJK font the PDFs embed (Noto Sans
  SC from the ``pylopdf-fonts-zh-cn`` wheel), so the browser draws Chinese on a
  machine without any Chinese system font (``.streamlit/config.toml`` names it in
  ``[[theme.fontFaces]]``);
- ``/planner/tiles/{key}/{z}/{x}/{y}``: tiles of a local MBTiles file registered on
  the Map page (:mod:`planner.app.tiles`), so an office's own basemap needs no
  internet.

``app.py`` builds ``st.App("app.py", routes=routes())`` when ``streamlit run app.py``
imports it; nothing here runs during a page script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.app.tiles import MAX_ZOOM, TILE_ROUTE, registered

FONT_ROUTE = "/planner/fonts"
"""Where the app serves its CJK font."""

FONT_FILE = "NotoSansSC-Regular.otf"
"""The font's file name in URLs (the config's ``fontFaces`` url ends with it)."""

CACHE_SECONDS = 7 * 24 * 3600
"""How long a browser keeps the font and tiles (they change only with the install)."""


def font_path() -> Path:
    """Return the CJK font file to serve (the one the PDF exports use)."""
    from planner.export._fonts import cjk_font_path

    return cjk_font_path()


def _blank_png() -> bytes:
    """Return a transparent 256 × 256 PNG."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (256, 256), (0, 0, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def routes() -> list[Any]:
    """Return the Starlette routes for the font and the MBTiles tiles."""
    from starlette.requests import Request
    from starlette.responses import FileResponse, Response
    from starlette.routing import Route

    cache = {"Cache-Control": f"public, max-age={CACHE_SECONDS}"}

    async def font(request: Request) -> Response:
        path = font_path()
        media = "font/otf" if path.suffix.lower() == ".otf" else "font/ttf"
        return FileResponse(path, media_type=media, headers=cache)

    async def tile(request: Request) -> Response:
        reader = registered(str(request.path_params["key"]))
        if reader is None:
            return Response("unknown tile set", status_code=404)
        p = request.path_params
        z, x, y = int(p["z"]), int(p["x"]), int(p["y"])
        if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
            return Response("no such tile", status_code=404)
        data = reader.tile(z, x, y)
        if data is None:
            # outside the file's coverage: a transparent tile, so the map shows nothing
            data = _blank_png()
            return Response(data, media_type="image/png", headers=cache)
        return Response(data, media_type=reader.media_type, headers=cache)

    return [
        Route(f"{FONT_ROUTE}/{FONT_FILE}", font, methods=["GET", "HEAD"]),
        Route(
            TILE_ROUTE + "/{key}/{z:int}/{x:int}/{y:int}", tile, methods=["GET", "HEAD"]
        ),
    ]
