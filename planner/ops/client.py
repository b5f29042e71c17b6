"""Talk to a running ``planner serve`` over HTTP (for the app's command page).

The address comes from a text box, so it is checked before anything is sent
(:func:`allowed_url`): only ``http``/``https`` to the service's default address or
one the office listed in ``$PLANNER_OPS_URLS`` (comma-separated ``scheme://host:port``),
with no redirect followed. Anything else would let a page user make the server
fetch ``file://`` paths or probe the office network. A failure is reported in the
app's own words, never with the library's message (which can quote paths and hosts).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

DEFAULT_URL = "http://127.0.0.1:8600"
"""The service's address when it runs on the same machine with its defaults."""

URLS_ENV = "PLANNER_OPS_URLS"
"""Environment variable listing further service addresses the command page may use."""


class OpsClientError(Exception):
    """The service did not answer, or answered with an error (its message kept)."""


class OpsUrlError(OpsClientError):
    """The address is not one the command page may call."""


def allowed_urls() -> list[str]:
    """Return the service addresses the command page may call (normalised)."""
    extra = [u for u in os.environ.get(URLS_ENV, "").split(",") if u.strip()]
    return [_origin(u) or u.strip() for u in [DEFAULT_URL, *extra]]


def _origin(url: str) -> str | None:
    """Return ``scheme://host:port`` of an http(s) URL with nothing else, or None."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.username or parts.password or parts.query or parts.fragment:
        return None
    if parts.path not in ("", "/"):
        return None
    port = port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname.lower()}:{port}"


def allowed_url(url: str) -> str:
    """Return the origin of `url` if the command page may call it.

    Raises
    ------
    OpsUrlError
        When the scheme is not http(s), or the address is not in :func:`allowed_urls`.
    """
    origin = _origin(url)
    if origin is None or origin not in allowed_urls():
        raise OpsUrlError(", ".join(allowed_urls()))
    return origin


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is answered as the error it is, not followed


_OPENER = urllib.request.build_opener(_NoRedirect)

MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""Most bytes read from one answer (a street's status is well under 1 MB)."""


def call(
    base_url: str,
    path: str,
    code: str,
    *,
    body: Any = None,
    timeout_s: float = 120.0,
) -> Any:
    """Send one request with the access code and return the decoded JSON answer.

    Parameters
    ----------
    base_url
        ``http://host:port`` of the service.
    path
        ``/api/v1/...``.
    code
        The access code.
    body
        JSON body; given, the request is a POST.
    timeout_s
        Seconds to wait for the answer (a re-plan takes several).

    Raises
    ------
    OpsUrlError
        When `base_url` is not an allowed service address (nothing is sent).
    OpsClientError
        With the service's own message (Chinese by default) when it refused, or
        ``unreachable``/``bad_answer`` when it did not answer in JSON.
    """
    origin = allowed_url(base_url)
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(
        origin + path, data=data, method="POST" if data else "GET"
    )
    req.add_header("Authorization", f"Bearer {code.strip()}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with _OPENER.open(req, timeout=timeout_s) as r:
            return json.loads(r.read(MAX_ANSWER_BYTES))
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read(MAX_ANSWER_BYTES)).get("detail")
        except (ValueError, AttributeError):
            detail = None
        if not isinstance(detail, str):
            raise OpsClientError(f"{exc.code}") from None
        raise OpsClientError(f"{exc.code}: {detail[:300]}") from None
    except ValueError:
        raise OpsClientError("bad_answer") from None
    except OSError:
        raise OpsClientError("unreachable") from None
