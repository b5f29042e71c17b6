"""An ASGI guard in front of a web app: a body size cap and the security headers.

Both services of the planner (the day-of service, :mod:`planner.ops.service`, and the
office app, :mod:`planner.app.server`) wrap their application in :class:`Guard`:

- **Body cap.** A request whose ``Content-Length`` is over the cap is answered 413
  before one byte of its body is read; a body sent without a length (chunked) is
  counted as it streams in and refused with 413 as soon as it passes the cap, so no
  request can make the service hold more than the cap in memory.
- **Headers.** Every answer carries ``Content-Security-Policy`` (what a page may load
  and run: nothing from another origin, no inline script unless the policy says so),
  ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'`` (no other site can frame
  the page to trick a click), ``X-Content-Type-Options: nosniff`` (a JSON or text
  answer is never run as script) and ``Referrer-Policy: no-referrer`` (a URL holding
  a site id does not leak to other sites).

It is plain ASGI with no dependency, so it wraps FastAPI and Starlette alike.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The policy of a page that loads only its own files and runs no inline script."""


class BodyTooLarge(HTTPException):
    """A request body passed the cap while it was being read (answered 413).

    An ``HTTPException``, so the framework's own handler answers it when the body is
    read inside an endpoint (its error middleware would otherwise answer 500).
    """

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


def security_headers(csp: str) -> list[tuple[bytes, bytes]]:
    """Return the headers :class:`Guard` adds to every answer."""
    return [
        (b"content-security-policy", csp.encode("latin-1")),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]


class Guard:
    """Wrap an ASGI app: refuse bodies over `max_body` bytes, add security headers.

    Parameters
    ----------
    app
        The application.
    max_body
        Largest request body accepted, bytes (``None``: no cap, headers only).
    csp
        The ``Content-Security-Policy`` of every answer.
    too_large
        The JSON ``detail`` of the 413 answer.
    path_caps
        A larger cap for the paths that take files, bytes by exact path (the
        closing's record and result uploads); the rest keep `max_body`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int | None,
        csp: str = STRICT_CSP,
        too_large: str = "request body too large",
        path_caps: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.path_caps = dict(path_caps or {})
        self.headers = security_headers(csp)
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one connection: check the body's size, add the headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        cap = self.path_caps.get(str(scope.get("path", "")), self.max_body)
        if cap is not None:
            length = _content_length(scope)
            if length is None or length > cap:
                # a length that is no number is refused too: it cannot be checked
                await self._refuse(send_guarded, 413 if length else 400)
                return
            seen = 0

            async def receive_capped() -> Message:
                nonlocal seen
                message = await receive()
                if message["type"] == "http.request":
                    seen += len(message.get("body", b""))
                    if seen > cap:
                        raise BodyTooLarge(self.too_large)
                return message

            try:
                await self.app(scope, receive_capped, send_guarded)
            except BodyTooLarge:
                if not started:
                    await self._refuse(send_guarded, 413)
            return
        await self.app(scope, receive, send_guarded)

    async def _refuse(self, send: Send, status: int) -> None:
        body = json.dumps({"detail": self.too_large}, ensure_ascii=False).encode()
        json_type = b"application/json; charset=utf-8"
        await send_whole(send, status, body, json_type, close=True)


async def send_whole(
    send: Send, status: int, body: bytes, content_type: bytes, *, close: bool = False
) -> None:
    """Answer with the whole of `body` at once: its type and length, then the bytes.

    ``close`` asks the client to drop the connection (a refused upload whose rest
    is not read).
    """
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    """Return the request's declared body length (0 when none; None when garbled)."""
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 18:
                return None
            return int(text)
    return 0
