"""Talk to a running ``planner serve`` over HTTP (for the app's command page)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class OpsClientError(Exception):
    """The service did not answer, or answered with an error (its message kept)."""


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
    OpsClientError
        With the service's own message (Chinese by default) when it refused.
    """
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(
        base_url.rstrip("/") + path, data=data, method="POST" if data else "GET"
    )
    req.add_header("Authorization", f"Bearer {code.strip()}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("detail", str(exc))
        except ValueError:
            detail = str(exc)
        raise OpsClientError(f"{exc.code}: {detail}") from None
    except (OSError, ValueError) as exc:
        raise OpsClientError(str(exc)) from None
