"""Serve the closing of the round: records and results in, coverage and the 日报 out.

``POST /api/v1/records``
    A registration export (CSV or workbook) as the body, its name in ``?name=``; or
    JSON ``{"batch_id": str, "records": [{"name", "id_number", "phone", "site",
    "desk", "sampled_at", "tube", "box"}, ...]}`` from a phone. A site's code may
    upload records of its own site only (403 naming the other site); the command
    code any. 201 with the batch; the same file (or the same ``batch_id`` from the
    same site) again: 200 with the first batch, stored once. Bad rows: 422 with every
    problem (file, row, column).
``POST /api/v1/results``
    Command code: a lab's results file (``?name=``), stored once per file.
``GET /api/v1/closure``
    Command code: coverage of the street, its communities and grids from the
    stored records (match counts, not-sampled people, positive tubes).
``GET /api/v1/report?format=json|xlsx|docx&date=YYYY-MM-DD``
    Command code: the daily report (the zero-report without records).

Personal data never leaves in these answers: only counts, and codes of tubes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from planner.errors import InputError
from planner.ops.api import ApiError, in_thread, request_lang, require_command
from planner.ops.codes import COMMAND, Access
from planner.text import Lang, render_issues, tr

if TYPE_CHECKING:
    from planner.closure.close import Closing
    from planner.ops.service import OpsState

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest upload, bytes (a 200,000-row export is about 20 MB as CSV); the service's
guard lets these paths' bodies reach it (:data:`UPLOAD_PATHS`), after the code."""

UPLOAD_PATHS = ("/api/v1/records", "/api/v1/results")
"""The paths that take files (the guard's larger body cap)."""

_SUFFIXES = (".csv", ".xlsx", ".xls", ".xlsm", ".ods")


def _error(status: int, key: str, lang: Lang, **extra: Any) -> Exception:
    return ApiError(status, tr(key, lang), **extra)


def _read_upload(raw: bytes, name: str, kind: str, lang: Lang) -> tuple[Any, str]:
    """Parse an uploaded file; return the frame and its digest."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise _error(413, "closure_api_too_big", lang)
    suffix = Path(name).suffix.lower() or ".csv"
    if suffix not in _SUFFIXES:
        raise _error(415, "closure_api_bad_type", lang)
    from planner.io.records import read_records, read_results

    with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
        path = Path(tmp) / (Path(name).stem[:60] + suffix)
        path.write_bytes(raw)
        try:
            frame = (
                read_records([path])
                if kind == "records"
                else read_results([path]).frame
            )
        except InputError as exc:
            issues = render_issues(exc.issues, lang=lang)
            raise ApiError(422, issues[0], errors=issues) from None
    return frame, hashlib.sha256(raw).hexdigest()


def _json_records(raw: bytes, scope: str, lang: Lang) -> tuple[Any, str, str]:
    """Parse a phone's JSON batch; return the frame, its digest and its name."""
    import pandas as pd

    from planner.io.records import read_records

    try:
        body = json.loads(raw)
        batch_id = str(body["batch_id"])
        rows = list(body["records"])
        if (
            not batch_id
            or len(batch_id) > 64
            or not all(isinstance(r, dict) for r in rows)
        ):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise _error(422, "closure_api_bad_json", lang) from None
    cols = ["name", "id_number", "phone", "site", "desk", "sampled_at", "tube", "box"]
    frame = pd.DataFrame([{c: str(r.get(c, "") or "") for c in cols} for r in rows])
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
        path = Path(tmp) / f"{batch_id}.csv"
        frame.reindex(columns=cols).to_csv(path, index=False, encoding="utf-8")
        try:
            parsed = read_records([path])
        except InputError as exc:
            issues = render_issues(exc.issues, lang=lang)
            raise ApiError(422, issues[0], errors=issues) from None
    digest = hashlib.sha256(f"{scope}\x00{batch_id}".encode()).hexdigest()
    return parsed, digest, batch_id


def _own_site_only(state: OpsState, site_id: str, frame: Any, lang: Lang) -> None:
    """Refuse records of another site from a site's code (by site id or name)."""
    site = state.open_sites(state.version).get(site_id, {})
    mine = {site_id, str(site.get("name", site_id))}
    others = sorted(set(frame["site"].astype(str)) - mine)
    if others:
        raise ApiError(
            403, tr("closure_api_other_site", lang, site=site_id, other=others[0])
        )


def closing_now(
    state: OpsState, *, catchup: bool, day: dt.date | None = None
) -> Closing:
    """Close the round from the stored records and results (the plan in force)."""
    from planner.closure.close import close_round
    from planner.ops.records_store import stored_records, stored_results

    records = stored_records(state.store)
    results = stored_results(state.store)
    if day is None:
        day = (
            records["sampled_at"].dt.date.mode().iloc[0]
            if len(records)
            else state.clock().date()
        )
    version = state.version
    return close_round(
        state.scenario(),
        state.plan(version),
        state.tables(version)["policy"],
        records,
        results,
        None,
        day=day,
        catchup=catchup,
    )


def coverage_summary(closing: Closing) -> dict[str, Any]:
    """Return the coverage figures as JSON-ready values (counts only)."""
    cov = closing.coverage

    def rows(level: str, keys: list[str]) -> list[dict[str, Any]]:
        t = cov.tables[level]
        out = []
        for r in t.to_dict("records"):
            out.append(
                {
                    **{k: str(r[k]) for k in keys},
                    **{
                        k: int(r[k])
                        for k in ("registered", "exempt", "due", "sampled", "missing")
                    },
                    "rate": round(float(r["rate"]), 4),
                }
            )
        return out

    return {
        "day": closing.day.isoformat(),
        "street": {
            k: (round(v, 4) if k == "rate" else int(v)) for k, v in cov.street.items()
        },
        "records": closing.matching.counts(),
        "communities": rows("community", ["community_name"]),
        "grids": rows("grid", ["community_name", "grid_id"]),
        "positive_tubes": closing.results.positive_tubes,
        "control_people": len(closing.positives.control),
    }


def add_routes(app: FastAPI, state: OpsState) -> None:
    """Register the closing's endpoints on the service's app."""
    from planner.ops.records_store import add_batch

    def upload(
        kind: str, request: Request, who: Access, raw: bytes, lang: Lang
    ) -> JSONResponse:
        scope = COMMAND if who.is_command else str(who.site_id)
        if kind == "results":
            require_command(who, lang)
        ctype = request.headers.get("content-type", "")
        if kind == "records" and ctype.startswith("application/json"):
            frame, digest, name = _json_records(raw, scope, lang)
        else:
            name = request.query_params.get("name", "upload.csv")
            frame, digest = _read_upload(raw, name, kind, lang)
        if kind == "records" and not who.is_command:
            _own_site_only(state, scope, frame, lang)
        created, batch = add_batch(
            state.store,
            kind,
            frame,
            scope=scope,
            digest=digest,
            filename=name,
            code_id=who.code_id,
        )
        return JSONResponse(batch, status_code=201 if created else 200)

    async def authenticated_body(request: Request, lang: Lang) -> tuple[Access, bytes]:
        # the code first, then the body: a stranger's upload is never read
        who = await run_in_threadpool(state.access, request, lang)
        return who, await request.body()

    @app.post("/api/v1/records")
    async def post_records(request: Request) -> JSONResponse:
        lang = request_lang(request)
        who, raw = await authenticated_body(request, lang)
        return await in_thread(upload, "records", request, who, raw, lang)

    @app.post("/api/v1/results")
    async def post_results(request: Request) -> JSONResponse:
        lang = request_lang(request)
        who, raw = await authenticated_body(request, lang)
        return await in_thread(upload, "results", request, who, raw, lang)

    def get_closure_now(request: Request, lang: Lang) -> JSONResponse:
        require_command(state.access(request, lang), lang)
        return JSONResponse(coverage_summary(closing_now(state, catchup=False)))

    @app.get("/api/v1/closure")
    async def get_closure(request: Request) -> JSONResponse:
        return await in_thread(get_closure_now, request, request_lang(request))

    def report_now(request: Request, lang: Lang) -> Response:
        from planner.closure.daily import daily_report
        from planner.export.closure import write_daily

        require_command(state.access(request, lang), lang)
        text = request.query_params.get("date")
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise _error(422, "closure_api_bad_date", lang) from None
        closing = closing_now(state, catchup=True, day=day)
        version = state.version
        t = state.tables(version)
        report = daily_report(
            closing, state.scenario().name, t["policy"], t["files"].staff_requirements
        )
        fmt = request.query_params.get("format", "json")
        if fmt == "json":
            return JSONResponse(
                {
                    "day": report.day.isoformat(),
                    "street": report.street,
                    "zero": report.zero,
                    "figures": report.figures,
                    "problems": [tr(c, lang, **p) for c, p in report.problems],
                }
            )
        if fmt not in ("xlsx", "docx"):
            raise _error(422, "closure_api_bad_format", lang)
        with tempfile.TemporaryDirectory(prefix="planner-report-") as tmp:
            paths = write_daily(report, Path(tmp), lang)
            data = next(p for p in paths if p.suffix == f".{fmt}").read_bytes()
        media = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if fmt == "xlsx"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        return Response(
            data,
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="daily_report.{fmt}"'
            },
        )

    @app.get("/api/v1/report")
    async def get_report(request: Request) -> Response:
        return await in_thread(report_now, request, request_lang(request))  # type: ignore[arg-type]


def live_coverage(state: OpsState) -> dict[str, Any] | None:
    """Return the street's coverage from the stored records (None without any).

    For the status call: counted once per plan version and record count (matching a
    street's records takes about a second), only the street's figures.
    """
    from planner.ops.records_store import record_count

    if state.scenario_path is None:
        return None
    n = record_count(state.store)
    if n == 0:
        return None
    key = f"closure:{state.version}:{n}"

    def make() -> dict[str, Any]:
        summary = coverage_summary(closing_now(state, catchup=False))
        return {
            "records": n,
            **summary["street"],
            "unresolved": summary["records"]["ambiguous"]
            + summary["records"]["unmatched"],
        }

    return dict(state._cached(key, make))
