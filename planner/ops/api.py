"""What every endpoint of the day-of service shares.

Its error answer, the reader's language, the command-only check and running blocking
work off the event loop; kept apart from :mod:`planner.ops.service` so that the routers
it includes (the closing's, :mod:`planner.ops.records_api`) use them without importing
the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from planner.ops.codes import Access
from planner.text import Lang, ops_text


class ApiError(Exception):
    """An answer other than success: HTTP status and a message (Chinese by default)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def request_lang(request: Request) -> Lang:
    """Return the answer's language: English with ``?lang=en``, else Chinese."""
    return "en" if request.query_params.get("lang") == "en" else "zh"


def require_command(who: Access, lang: Lang) -> None:
    """Refuse (403) anyone but the command centre."""
    if not who.is_command:
        raise ApiError(403, ops_text("forbidden_command", lang))


async def in_thread(fn: Callable[..., JSONResponse], *args: Any) -> JSONResponse:
    """Run blocking database work off the event loop (ApiError passes through)."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
