"""The planner's own web routes, served beside the Streamlit app by ``st.App``.

- ``/planner/fonts/NotoSansSC-Regular.otf``: the CJK font the PDFs embed (Noto Sans
  SC from the ``pylopdf-fonts-zh-cn`` wheel), so the browser draws Chinese on a
  machine without any Chinese system font (``.streamlit/config.toml`` names it in
  ``[[theme.fontFaces]]``);
- ``/planner/tiles/{key}/{z}/{x}/{y}``: tiles of a local MBTiles file registered on
  the Map page (:mod:`planner.app.tiles`), so an office's own basemap needs no
  internet.

Around every HTTP answer of the app (``app.py`` passes :func:`middleware` to
``st.App``):

- :class:`planner.ops.guard.Guard` adds a content security policy (:data:`APP_CSP`:
  scripts only from the app itself, no framing by other sites), ``X-Frame-Options``
  and ``nosniff``;
- :class:`MediaGate` gives each browser a random HttpOnly cookie and serves Streamlit's
  ``/media/...`` files (every download) and the basemap tiles only to a browser whose
  cookie is bound to a signed-in, connected, unexpired session of an active account
  (:mod:`planner.app.sessions`); every download fetched, and every refused media
  request, goes to the audit log.

:func:`trust_no_proxy` stops uvicorn from taking the client's address from
``X-Forwarded-For`` (it trusts loopback peers by default), unless the office set
``FORWARDED_ALLOW_IPS`` for a reverse proxy of its own.

``app.py`` builds ``st.App("app.py", routes=routes(), middleware=middleware(), ...)``
when ``streamlit run app.py`` imports it; nothing here runs during a page script.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any

from planner.app import sessions
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


# --- the guard around every answer ------------------------------------------------------

_LOG = logging.getLogger("planner.app")


def _inline_script_hashes() -> str:
    """Return CSP hashes of the inline scripts of Streamlit's own ``index.html``."""
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    try:
        text = index.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    return " ".join(
        "'sha256-"
        + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        + "'"
        for body in found
    )


def app_csp() -> str:
    """Return the app's content security policy.

    Scripts come only from the app (plus Streamlit's one inline line, by hash);
    styles may be inline (Streamlit's components set them); images and map tiles
    may come from an online basemap the admin chose (``https:``); nothing may frame
    the app, and no plugin runs.
    """
    return (
        f"default-src 'self'; script-src 'self' {_inline_script_hashes()} "
        "'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob: https:; font-src 'self' data:; "
        "connect-src 'self' ws: wss: https:; worker-src 'self' blob:; "
        "frame-src 'self' blob: data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def trust_no_proxy() -> None:
    """Take client addresses from the socket, not ``X-Forwarded-For``.

    uvicorn, which serves the app, trusts the header from loopback peers unless
    ``FORWARDED_ALLOW_IPS`` says otherwise: a process on the server could then choose
    the address the sign-in limit counts and the audit log records. ``streamlit run``
    reads that setting before it imports ``app.py`` and offers no option for it, so
    the proxy middleware uvicorn wraps the app in is replaced by one that trusts only
    the addresses an office sets in ``FORWARDED_ALLOW_IPS`` for its own reverse
    proxy (none by default). uvicorn wraps the app after importing it, so this,
    called at import, is in time.
    """
    import uvicorn.config
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    current = getattr(uvicorn.config, "ProxyHeadersMiddleware", None)
    if getattr(current, "planner_guarded", False):
        return

    class OfficeProxyHeaders(ProxyHeadersMiddleware):
        planner_guarded = True

        def __init__(self, app: Any, trusted_hosts: Any = "") -> None:
            del trusted_hosts  # uvicorn's default trusts 127.0.0.1
            super().__init__(app, os.environ.get("FORWARDED_ALLOW_IPS", ""))

    setattr(uvicorn.config, "ProxyHeadersMiddleware", OfficeProxyHeaders)  # noqa: B010


def middleware() -> list[Any]:
    """Return the app's middleware: the security headers, then the media gate."""
    from starlette.middleware import Middleware

    from planner.ops.guard import Guard

    trust_no_proxy()
    return [Middleware(Guard, max_body=None, csp=app_csp()), Middleware(MediaGate)]


_COOKIE_RE = re.compile(r"^[0-9a-f]{32}$")


def _cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            k, _, v = part.strip().partition("=")
            if k == name and _COOKIE_RE.match(v):
                return v
    return None


class MediaGate:
    """Give browsers their cookie; serve ``/media/`` to signed-in sessions only.

    Parameters
    ----------
    app
        The ASGI application (Streamlit's).
    alive
        ``alive(bound) -> bool``: whether a bound session may still fetch (a
        connected, unexpired session of an active account by default).
    """

    def __init__(self, app: Any, alive: Any = None) -> None:
        self.app = app
        self.alive = alive or _session_alive

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one request (websockets pass through untouched)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from anyio import to_thread

        token = _cookie(scope.get("headers", []), sessions.BROWSER_COOKIE)
        new = None if token else secrets.token_hex(16)
        path = str(scope.get("path", ""))
        peer = (scope.get("client") or ("", 0))[0] or ""
        if path.startswith(("/media/", TILE_ROUTE + "/")):
            bound = None
            for tab in sessions.lookup(token):  # any live tab of this browser
                if await to_thread.run_sync(self.alive, tab):
                    bound = tab
                    break
            if bound is None:
                if path.startswith("/media/"):
                    await to_thread.run_sync(
                        _audit, "fetch_denied", None, peer, path, ""
                    )
                from planner.text import tr_both

                text = " / ".join(tr_both("sec_download_denied"))
                from planner.ops.guard import send_whole

                plain = b"text/plain; charset=utf-8"
                await send_whole(send, 403, text.encode("utf-8"), plain)
                return
            seen: dict[str, str] = {}

            async def send_audited(message: Any) -> None:
                if message["type"] == "http.response.start":
                    seen["status"] = str(message.get("status", ""))
                    for k, v in message.get("headers", []):
                        if k.lower() == b"content-disposition":
                            seen["file"] = _filename(v.decode("latin-1"))
                await send(message)

            await self.app(scope, receive, send_audited)
            if "file" in seen:  # a download (an attachment); tiles are not logged
                await to_thread.run_sync(
                    _audit, "fetch", bound, peer, path, seen["file"]
                )
            return
        if new is None:
            await self.app(scope, receive, send)
            return

        async def send_cookie(message: Any) -> None:
            if message["type"] == "http.response.start":
                cookie = (
                    f"{sessions.BROWSER_COOKIE}={new}; Path=/; HttpOnly; "
                    "SameSite=Strict"
                )
                message["headers"] = [
                    *message.get("headers", []),
                    (b"set-cookie", cookie.encode("latin-1")),
                ]
            await send(message)

        await self.app(scope, receive, send_cookie)


def _filename(disposition: str) -> str:
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition)
    if not match:
        return ""
    from urllib.parse import unquote

    return unquote(match.group(1))[:120]


_STORES: dict[Path, tuple[Any, Any]] = {}


def _office() -> tuple[Any, Any]:
    """Return the office's user store and audit log (opened once per store file)."""
    from planner.office import auth
    from planner.office.audit import AuditLog

    path = auth.store_path(auth.office_dir())
    if path not in _STORES:
        _STORES[path] = (auth.UserStore(path), AuditLog(path))
    return _STORES[path]


def _session_alive(bound: sessions.Bound) -> bool:
    """Whether a bound session may fetch: connected, not expired, account active."""
    from streamlit.runtime import Runtime

    from planner.office import auth

    if not Runtime.exists() or not Runtime.instance().is_active_session(
        bound.session_id
    ):
        return False
    now = dt.datetime.now(dt.UTC)
    if auth.Session(auth.LOCAL_USER, bound.started, bound.last_seen).expired(now):
        return False
    users, _ = _office()
    stored: auth.User | None = users.get(bound.username)
    if stored is None:
        # the sign-in-off user of this machine (the gate binds it only then)
        return bound.username == auth.LOCAL_USER.username
    return bool(stored.active and stored.role == bound.role)


def _audit(
    event: str, bound: sessions.Bound | None, peer: str, path: str, filename: str
) -> None:
    from planner.office import auth
    from planner.office.audit import Client

    _, log = _office()
    media = path.removeprefix("/media/")[:80]
    log.record(
        event,
        username=bound.username if bound else "",
        role=bound.role if bound else "",
        client=Client(peer, auth.is_loopback(peer)),
        kind=filename or media,
        detail={"media": media},
    )


def on_script_error(exc: Exception) -> bool:
    """Show a short message instead of a traceback; the traceback goes to the log."""
    import streamlit as st

    from planner.text import tr

    _LOG.error("page error", exc_info=exc)
    lang = st.session_state.get("ui_lang", st.session_state.get("lang"))
    st.error(tr("sec_app_error", "en" if lang == "en" else "zh"))
    return True
