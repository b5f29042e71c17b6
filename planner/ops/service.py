"""Serve the screening day over HTTP: site reports, status, forecast, re-plan.

JSON API (every call but ``/api/v1/health`` needs ``Authorization: Bearer <code>``):

``POST /api/v1/sites/{site_id}/reports``
    Body ``{"at": "HH:MM", "sampled": int, "queue_people": int, "tubes": int,
    "problem": str|null, "note": str, "report_id": str}`` with the site's code.
    201 with the stored report; the same ``report_id`` again 200 with the first
    copy (stored once); another site's code 403; no, unknown, revoked or expired
    code 401; a malformed body 422 ``{"detail": "<Chinese message naming the
    field>", "field": ..., "errors": [...]}``; too many wrong codes 429.
``GET /api/v1/sites/{site_id}/reports``
    That site's code or the command code: the site's reports, oldest first.
``GET /api/v1/sites/{site_id}/plan``
    That site's code or the command code: the site's planned people per slot.
``GET /api/v1/status``
    Command code (a site's code gets 403): per site planned and sampled so far,
    queue status colour, forecast finish and P(finish in the window) from the
    drill model started from the reported state, buildings not yet seen; with
    registration records uploaded, `street.coverage` (sampled, due, missing from
    the records, see :mod:`planner.ops.records_api`).
``POST /api/v1/replan``
    Command code; body ``{"at": "HH:MM"?, "disruptions": ["close,site=S1,at=10:00",
    ...]?, "seed": int?}``: a new plan version for what is not yet sampled, its
    changes and the notices to re-issue.
``GET /api/v1/versions``, ``GET /api/v1/versions/{old}/changes/{new}``
    Command code: the plan versions, and the buildings that changed between two.

``GET /sites/{site_id}`` is the site lead's phone page (:mod:`planner.ops.page`).

Defences (issue 34): every answer carries a strict content security policy and the
frame and nosniff headers, and a body over :data:`MAX_BODY_BYTES` is refused with 413
before it is read (:class:`planner.ops.guard.Guard`); the code is checked before a
body is read; codes that were never valid are counted per client address
(:data:`MAX_FAILURES` in :data:`FAILURE_WINDOW_S`) and past the limit the address gets
429 with ``Retry-After`` (a stale code, once valid, is refused but not counted, so a
phone holding one cannot lock out the others behind the same NAT); a report time more
than :data:`AT_TOLERANCE_MIN` ahead of China Standard Time is refused with 422; one
re-plan runs at a time (another gets 409 at once, so waiting re-plans hold no worker
a report needs) and the store holds at most :data:`MAX_VERSIONS` versions. The
service listens on 127.0.0.1 unless told otherwise and takes the peer's address from
the socket (``X-Forwarded-For`` is not trusted). ``/openapi.json`` describes the API;
the interactive ``/docs`` is off (it loads its script from an outside CDN).
"""

from __future__ import annotations

import collections
import datetime as dt
import getpass
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from starlette.concurrency import run_in_threadpool

from planner.errors import InputError, PlannerError
from planner.model.clock import hhmm, minutes_of
from planner.ops import progress
from planner.ops.api import ApiError, in_thread, request_lang, require_command
from planner.ops.codes import (
    COMMAND,
    LOCAL_TZ,
    Access,
    check_code,
    code_hash,
    store_salt,
)
from planner.ops.guard import STRICT_CSP, Guard
from planner.ops.store import Store, utc_now
from planner.text import OPS_FIELDS, Lang, error_text, lang_index, ops_text, tr

MAX_FAILURES = 10
"""Wrong codes one client address may send within :data:`FAILURE_WINDOW_S`."""

FAILURE_WINDOW_S = 300.0
"""Window of the failure count, seconds; a blocked address waits until it passes."""

MAX_COUNT = 1_000_000
"""Largest count a report may carry (people, tubes): more than any street has."""

NOTE_MAX = 500
"""Longest note, characters."""

MAX_BODY_BYTES = 64 * 1024
"""Largest request body, bytes: a report is under 1 KB and a re-plan's list of
disruptions a few KB; anything larger is refused before it is read."""

AT_TOLERANCE_MIN = 5
"""How far a report's time may run ahead of the service's clock (China Standard
Time), minutes: a phone's clock a few minutes fast is not an error, 23:59 at noon is."""

MAX_VERSIONS = 100
"""Most plan versions the store holds; a re-plan beyond it is refused (409). A day
with a re-plan every ten minutes from 06:00 to 22:00 makes 96."""

MAX_JSON_DEPTH = 32
"""Deepest nesting of a JSON body; the API's bodies are two levels deep."""

REPLAN_RETRY_S = 30
"""``Retry-After`` of a re-plan refused because another one runs, seconds."""

Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]


class ReportIn(BaseModel):
    """A site lead's report (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    at: Annotated[StrictStr, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    sampled: Count
    queue_people: Count
    tubes: Count
    problem: (
        Literal[
            "desk_down", "samplers_missing", "supplies_short", "rain", "site_closed"
        ]
        | None
    ) = None
    note: Annotated[StrictStr, Field(max_length=NOTE_MAX)] = ""
    report_id: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class ReplanIn(BaseModel):
    """The command centre's re-plan request."""

    model_config = ConfigDict(extra="forbid")

    at: Annotated[StrictStr, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    disruptions: list[StrictStr] = Field(default_factory=list)
    seed: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] = 0


def _why(err: Any, lang: Lang) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    simple = {
        "missing": "why_missing",
        "int_type": "why_int",
        "int_parsing": "why_int",
        "int_from_float": "why_int",
        "greater_than_equal": "why_nonnegative",
        "less_than_equal": "why_too_big",
        "string_type": "why_str",
        "extra_forbidden": "why_extra",
        "list_type": "why_list",
    }
    loc = [str(x) for x in err.get("loc", ())]
    name = loc[0] if loc else ""
    if kind in simple:
        return ops_text(simple[kind], lang)
    if kind == "string_pattern_mismatch":
        return ops_text("why_report_id" if name == "report_id" else "why_time", lang)
    if kind == "literal_error":
        return ops_text("why_problem", lang, choices=", ".join(progress.PROBLEMS))
    if kind == "string_too_long":
        return ops_text("why_too_long", lang, n=ctx.get("max_length", NOTE_MAX))
    return ops_text("why_other", lang)


def validation_error(exc: ValidationError, lang: Lang) -> ApiError:
    """Return the 422 answer naming every bad field, the first one in `detail`."""
    items = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        name = loc[0] if loc else ""
        label = OPS_FIELDS.get(name, (name, name))[lang_index(lang)]
        message = ops_text(
            "field_error", lang, field=name, label=label, why=_why(err, lang)
        )
        items.append({"field": name, "message": message})
    return ApiError(422, items[0]["message"], field=items[0]["field"], errors=items)


def parse_body(raw: bytes, model: type[BaseModel], lang: Lang) -> Any:
    """Validate a JSON body against `model`; raise the 422 `ApiError` when bad."""
    if _depth_over(raw, MAX_JSON_DEPTH):
        raise ApiError(422, ops_text("body_json", lang), field="")
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise ApiError(422, ops_text("body_json", lang), field="") from None
    if not isinstance(data, dict):
        raise ApiError(422, ops_text("body_object", lang), field="")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, lang) from None


def _depth_over(raw: bytes, limit: int) -> bool:
    """Whether brackets in `raw` nest deeper than `limit` (strings are skipped).

    Checked before parsing, so a body of ten thousand ``[`` costs one pass over its
    bytes instead of the parser's recursion.
    """
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def check_at(at: str, now: dt.datetime, lang: Lang) -> None:
    """Refuse (422) a report time later than `now` plus :data:`AT_TOLERANCE_MIN`.

    `now` is UTC; the day's clock is China Standard Time, as the site leads' phones.
    """
    local = now.astimezone(LOCAL_TZ)
    now_min = local.hour * 60 + local.minute
    if minutes_of(at) > now_min + AT_TOLERANCE_MIN:
        text = tr("sec_at_future", lang, at=at, now=f"{local:%H:%M}")
        raise ApiError(422, text, field="at", errors=[{"field": "at", "message": text}])


class FailureLimiter:
    """Count wrong codes per client address in a sliding window.

    Parameters
    ----------
    limit
        Failures allowed in the window.
    window_s
        Window length, seconds.
    clock
        Monotonic seconds (replaceable in tests).
    """

    def __init__(
        self,
        limit: int = MAX_FAILURES,
        window_s: float = FAILURE_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._fails: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> collections.deque[float]:
        q = self._fails.setdefault(client, collections.deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def blocked_for(self, client: str) -> float:
        """Return the seconds `client` must wait (0 when it may try)."""
        with self._lock:
            now = self.clock()
            q = self._recent(client, now)
            if len(q) < self.limit:
                return 0.0
            return max(1.0, q[0] + self.window_s - now)

    def fail(self, client: str) -> None:
        """Count one wrong code from `client`."""
        with self._lock:
            now = self.clock()
            self._recent(client, now).append(now)


@dataclass
class OpsState:
    """Everything the service holds between requests.

    Attributes
    ----------
    plan_dir
        The plan folder (re-plans are written under ``versions/``).
    store
        The plan store.
    scenario_path
        The scenario, for forecasts and re-plans (None: neither is available).
    clock
        Current UTC time (replaceable in tests: code expiry).
    """

    plan_dir: Path
    store: Store
    scenario_path: Path | None = None
    clock: Callable[[], dt.datetime] = utc_now
    limiter: FailureLimiter = field(default_factory=FailureLimiter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: dict[str, Any] = field(default_factory=dict)
    _replan_lock: threading.Lock = field(default_factory=threading.Lock)
    _fc_lock: threading.Lock = field(default_factory=threading.Lock)
    _fc: tuple[tuple[int, tuple[int, int]], dict[str, Any]] | None = None
    _fc_thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.salt = store_salt(self.store)

    # --- the plan in force ---------------------------------------------------------

    @property
    def version(self) -> int:
        """The newest plan version (the one in force)."""
        v = self.store.latest_version()
        if v is None:
            raise RuntimeError("the plan store has no version; import the plan first")
        return v

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        """Return ``cache[key]``, made once; the lock is not held while making it."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = make()  # slow (reading a version, loading the street): reports go on
        with self._lock:
            return self._cache.setdefault(key, value)

    def tables(self, version: int) -> dict[str, Any]:
        """Return a version's tables and policy, read once and cached."""

        def make() -> dict[str, Any]:
            files = self.store.plan_tables(version)
            policy = files.policy
            opened = {
                str(r["site_id"]): r
                for r in files.sites.to_dict("records")
                if r["open"]
            }
            return {"files": files, "policy": policy, "open": opened}

        return dict(self._cached(f"tables:{version}", make))

    def open_sites(self, version: int) -> dict[str, dict[str, Any]]:
        """Return the open sites of a version by id."""
        return dict(self.tables(version)["open"])

    def scenario(self) -> Any:
        """Return the loaded scenario (cached), or raise the 409 `ApiError`."""
        path = self.scenario_path
        if path is None:
            raise ApiError(409, ops_text("no_scenario"))

        def make() -> Any:
            from planner.io.load import load_scenario

            return load_scenario(path).scenario

        return self._cached("scenario", make)

    def plan(self, version: int) -> Any:
        """Return a version as a :class:`planner.model.result.Plan` (cached)."""

        def make() -> Any:
            from planner.planning.codec import plan_from_tables

            return plan_from_tables(self.scenario(), self.tables(version)["files"])

        return self._cached(f"plan:{version}", make)

    # --- access ----------------------------------------------------------------------

    def access(self, request: Request, lang: Lang) -> Access:
        """Return who the request's code belongs to, or raise 401/429."""
        client = request.client.host if request.client else "?"
        return self.access_code(client, request.headers.get("authorization", ""), lang)

    def access_code(self, client: str, header: str, lang: Lang) -> Access:
        """Check an ``Authorization`` header from `client` (rate-limited on failures).

        Only codes that were never valid count against the address: a guess. A code
        the store knows but that is revoked or expired is a phone that kept an old
        code, not a guesser, and is refused without locking its neighbours out; a
        request without any code guesses nothing and is not counted either.
        """
        wait = self.limiter.blocked_for(client)
        if wait > 0:
            seconds = int(wait + 0.999)
            raise ApiError(
                429,
                ops_text("auth_rate", lang, seconds=seconds),
                headers={"Retry-After": str(seconds)},
            )
        scheme, _, code = header.partition(" ")
        if scheme.lower() != "bearer" or not code.strip():
            raise ApiError(401, ops_text("auth_missing", lang))
        who = check_code(self.store, code.strip(), self.salt, self.clock())
        if who is None:
            if self.store.find_code(code_hash(code.strip(), self.salt)) is None:
                self.limiter.fail(client)
            raise ApiError(401, ops_text("auth_bad", lang))
        return who


def _site_or_command(state: OpsState, who: Access, site_id: str, lang: Lang) -> None:
    if site_id not in state.open_sites(state.version):
        raise ApiError(404, ops_text("unknown_site", lang, site=site_id))
    if not who.is_command and who.site_id != site_id:
        raise ApiError(
            403, ops_text("forbidden_site", lang, site=who.site_id, target=site_id)
        )


def _forecast_now(
    state: OpsState, version: int, states: dict[str, progress.SiteState]
) -> dict[str, Any]:
    """Run the drill forecast for these states; return per-site and street figures."""
    policy = state.tables(version)["policy"]
    fc = progress.forecast(state.scenario(), state.plan(version), policy, states)
    sites: dict[str, dict[str, Any]] = {}
    for r in fc.report.sites.to_dict("records"):
        sites[str(r["site_id"])] = {
            "forecast_finish_p50": r["last_sampled_p50"] or None,
            "forecast_finish_p95": r["last_sampled_p95"] or None,
            "p_finish_in_window": float(r["p_finish_in_window"]),
        }
    for sid, at in fc.done.items():
        sites[sid] = {
            "forecast_finish_p50": at,
            "forecast_finish_p95": at,
            "p_finish_in_window": 1.0,
        }
    for sid, n in fc.stranded.items():
        sites[sid] = {
            "forecast_finish_p50": None,
            "forecast_finish_p95": None,
            "p_finish_in_window": 0.0,
            "stranded_people": n,
        }
    street = {
        "finish_p50": fc.report.street["last_sampled_p50"],
        "finish_p95": fc.report.street["last_sampled_p95"],
        "p_finish_in_window": fc.p_finish_in_window,
        "stranded_people": sum(fc.stranded.values()),
        "replications": fc.report.street["replications"],
    }
    return {"sites": sites, "street": street}


def forecast_for(
    state: OpsState,
    version: int,
    stamp: tuple[int, int],
    states: dict[str, progress.SiteState],
    *,
    fresh: bool,
) -> dict[str, Any]:
    """Return the forecast for the reports up to `stamp`, or the newest one made.

    A forecast of a street of 40 sites takes seconds on two cores, so unless
    `fresh` is asked for, a status call while reports keep arriving answers with
    the last forecast of this plan version (``stale``: true, and ``reports`` says
    how many reports it saw) and makes the new one in the background.
    """
    key = (version, stamp)
    with state._fc_lock:
        have = state._fc
        if have is not None and have[0] == key:
            return {**have[1], "stale": False, "reports": stamp[0]}
        busy = state._fc_thread is not None and state._fc_thread.is_alive()
        if not fresh and have is not None and have[0][0] == version:
            if not busy:

                def work() -> None:
                    data = _forecast_now(state, version, states)
                    with state._fc_lock:
                        state._fc = (key, data)

                state._fc_thread = threading.Thread(target=work, daemon=True)
                state._fc_thread.start()
            return {**have[1], "stale": True, "reports": have[0][1][0]}
    data = _forecast_now(state, version, states)
    with state._fc_lock:
        state._fc = (key, data)
    return {**data, "stale": False, "reports": stamp[0]}


def status(state: OpsState, *, fresh: bool = False) -> dict[str, Any]:
    """Return the street's status (see ``GET /api/v1/status``).

    Progress, queue colours and buildings not seen always follow the newest
    reports; the forecast follows them too when `fresh` (see :func:`forecast_for`).
    """
    version = state.version
    stamp = state.store.report_stamp()
    t = state.tables(version)
    files, policy = t["files"], t["policy"]
    states = progress.latest_states(state.store.reports())
    sites = progress.site_progress(
        files.assignments, files.sites, states, policy, policy.round.slot_minutes
    )
    street: dict[str, Any] = {
        "planned": sum(s["planned"] for s in sites),
        "sampled": sum(s["sampled"] for s in sites),
        "queue_people": sum(s["queue_people"] for s in sites),
        "sites_reporting": sum(1 for s in sites if s["reported_at"]),
        "window": f"{policy.round.window_start}-{hhmm(policy.round.end_min, up=True)}",
        "forecast": None,
    }
    # who was sampled, from the registration records once they arrive (else None)
    from planner.ops.records_api import live_coverage

    street["coverage"] = live_coverage(state)
    if state.scenario_path is not None:
        fc = forecast_for(state, version, stamp, states, fresh=fresh)
        for s in sites:
            s.update(fc["sites"].get(s["site_id"], {}))
        street["forecast"] = {
            **fc["street"],
            "stale": fc["stale"],
            "reports": fc["reports"],
        }
    return {"version": version, "street": street, "sites": sites}


def do_replan(state: OpsState, body: ReplanIn, lang: Lang) -> dict[str, Any]:
    """Re-plan from the reported state, store the new version, return its changes."""
    # one re-plan at a time, and a second one is refused at once rather than queued:
    # queued re-plans would each hold a worker thread that reports need
    if not state._replan_lock.acquire(blocking=False):
        raise ApiError(
            409,
            tr("sec_replan_busy", lang),
            headers={"Retry-After": str(REPLAN_RETRY_S)},
        )
    try:
        return _replan_locked(state, body, lang)
    finally:
        state._replan_lock.release()


def _replan_locked(state: OpsState, body: ReplanIn, lang: Lang) -> dict[str, Any]:
    from planner.drill import parse_disruptions
    from planner.io.plan_folder import write_plan_folder
    from planner.planning.codec import build_plan_tables

    if len(state.store.versions()) >= MAX_VERSIONS:
        raise ApiError(409, tr("sec_versions_full", lang, n=MAX_VERSIONS))
    version = state.version
    scenario = state.scenario()
    plan = state.plan(version)
    policy = state.tables(version)["policy"]
    reports = state.store.reports()
    states = progress.latest_states(reports)
    if body.at is not None:
        at = minutes_of(body.at)
    elif states:
        at = max(s.at_min for s in states.values())
    else:
        at = policy.round.start_min
    try:
        extra = parse_disruptions(body.disruptions, policy.drill)
        result = progress.replan_from_reports(
            scenario, plan, policy, states, at_min=at, extra=extra, seed=body.seed
        )
    except InputError as exc:
        from planner.text import render_issues

        why = "；".join(render_issues(exc.issues, lang=lang))
        raise ApiError(
            422, ops_text("replan_failed", lang, why=why), field="disruptions"
        ) from None
    except PlannerError as exc:
        why = error_text(exc, lang)
        raise ApiError(409, ops_text("replan_failed", lang, why=why)) from None
    files = build_plan_tables(result.plan, scenario)
    note = (
        f"at {hhmm(result.at_min, up=True)}; effective {hhmm(result.effective_min, up=True)}; "
        f"moved {result.moved_households}; unplaced {result.unplaced_households}"
    )
    new = state.store.add_version(
        files, author=COMMAND, kind="replan", parent_id=version, note=note
    )
    folder = state.plan_dir / "versions" / f"v{new}"
    write_plan_folder(files, folder)
    changes = result.changes
    return {
        "version": new,
        "parent": version,
        "at": hhmm(result.at_min, up=True),
        "effective_from": hhmm(result.effective_min, up=True),
        "desks_added": result.desks_added,
        "moved_households": result.moved_households,
        "unplaced_households": result.unplaced_households,
        "changes": _records(changes),
        "notices": notices(changes, lang),
        "plan_dir": str(folder),
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def notices(changes: pd.DataFrame, lang: Lang = "zh") -> list[dict[str, str]]:
    """Return one notice text per changed building (what grid workers pass on)."""
    out = []
    for r in changes.to_dict("records"):
        mode = str(r["new_mode"])
        if "walk_up" in mode and r["new_site_id"]:
            key = "notice_walk"
        elif "home_visit" in mode:
            key = "notice_home"
        else:
            key = "notice_none"
        text = ops_text(
            key,
            lang,
            building=r["building_id"],
            site=r["new_site_id"],
            slots=r["new_slots"],
        )
        out.append(
            {
                "building_id": str(r["building_id"]),
                "grid_id": str(r["grid_id"]),
                "text": text,
            }
        )
    return out


def _user() -> str:
    """Return this machine's user name ("" when the system has none for the uid)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def import_plan(store: Store, plan_dir: Path, *, author: str | None = None) -> int:
    """Store the plan folder as the first version when the store has none."""
    from planner.io.plan_folder import read_plan_folder

    latest = store.latest_version()
    if latest is not None:
        return latest
    return store.add_version(
        read_plan_folder(plan_dir),
        author=author or _user(),
        kind="draft",
        note=str(plan_dir),
    )


def create_app(state: OpsState) -> FastAPI:
    """Return the FastAPI application serving `state`."""
    from planner.ops.page import site_page

    app = FastAPI(
        title="全员核酸检测 · 采样日指挥服务",
        description=__doc__,
        version="1",
        # Swagger's page loads its script from a CDN: broken offline, and a third
        # party's script on the service's origin. The schema stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    from planner.ops.records_api import MAX_UPLOAD_BYTES, UPLOAD_PATHS

    app.add_middleware(
        Guard,
        max_body=MAX_BODY_BYTES,
        csp=STRICT_CSP,
        too_large=tr("sec_body_too_large", "zh", kb=MAX_BODY_BYTES // 1024),
        path_caps=dict.fromkeys(UPLOAD_PATHS, MAX_UPLOAD_BYTES),
    )

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail, **exc.extra},
            status_code=exc.status,
            headers=exc.headers,
        )

    @app.get("/static/{name}")
    def static_file(name: str) -> Response:
        """Serve the phone page's script and style (a fixed list: no path in the URL)."""
        from planner.ops.page import STATIC_FILES, static_bytes

        if name not in STATIC_FILES:
            raise ApiError(404, ops_text("unknown_site", "zh", site=""))
        return Response(
            static_bytes(name),
            media_type=STATIC_FILES[name],
            headers={"Cache-Control": "no-cache"},
        )

    # the closing of the round: records, results, coverage, the daily report
    from planner.ops.records_api import add_routes

    add_routes(app, state)

    @app.get("/api/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": state.version}

    @app.post("/api/v1/sites/{site_id}/reports")
    async def post_report(site_id: str, request: Request) -> JSONResponse:
        lang = request_lang(request)
        # the code first: a request without a good one is answered before its body
        # is read (and the body is capped by the guard in any case)
        who = await run_in_threadpool(_site_access, site_id, request, lang)
        raw = await request.body()
        return await in_thread(_post_report, site_id, who, raw, lang)

    def _site_access(site_id: str, request: Request, lang: Lang) -> Access:
        who = state.access(request, lang)
        _site_or_command(state, who, site_id, lang)
        if who.is_command:
            raise ApiError(
                403, ops_text("forbidden_site", lang, site=COMMAND, target=site_id)
            )
        return who

    def _post_report(site_id: str, who: Access, raw: bytes, lang: Lang) -> JSONResponse:
        body = parse_body(raw, ReportIn, lang)
        check_at(body.at, state.clock(), lang)
        created, stored = state.store.add_report(
            site_id, body.model_dump(), code_id=who.code_id
        )
        return JSONResponse(stored, status_code=201 if created else 200)

    @app.get("/api/v1/sites/{site_id}/reports")
    def get_reports(site_id: str, request: Request) -> list[dict[str, Any]]:
        lang = request_lang(request)
        who = state.access(request, lang)
        _site_or_command(state, who, site_id, lang)
        return state.store.reports(site_id)

    @app.get("/api/v1/sites/{site_id}/plan")
    def get_site_plan(site_id: str, request: Request) -> dict[str, Any]:
        lang = request_lang(request)
        who = state.access(request, lang)
        _site_or_command(state, who, site_id, lang)
        version = state.version
        files = state.tables(version)["files"]
        site = state.open_sites(version)[site_id]
        a = files.assignments
        mine = a[(a["mode"] == "walk_up") & (a["site_id"] == site_id)]
        slots = (
            mine.assign(people=mine["people"].astype(int))
            .groupby(["slot_start", "slot_end"], sort=True)["people"]
            .sum()
        )
        return {
            "version": version,
            "site_id": site_id,
            "name": str(site["name"]),
            "desks": int(float(site["desks"])),
            "slots": [
                {"slot_start": str(lo), "slot_end": str(hi), "people": int(n)}
                for (lo, hi), n in slots.items()
            ],
        }

    @app.get("/api/v1/status")
    def get_status(request: Request) -> dict[str, Any]:
        lang = request_lang(request)
        require_command(state.access(request, lang), lang)
        return status(state, fresh=request.query_params.get("fresh") == "1")

    @app.post("/api/v1/replan")
    async def post_replan(request: Request) -> JSONResponse:
        lang = request_lang(request)
        who = await run_in_threadpool(state.access, request, lang)
        require_command(who, lang)
        raw = await request.body()

        def run() -> JSONResponse:
            body = parse_body(raw, ReplanIn, lang)
            return JSONResponse(do_replan(state, body, lang), status_code=201)

        return await in_thread(run)

    @app.get("/api/v1/versions")
    def get_versions(request: Request) -> list[dict[str, Any]]:
        lang = request_lang(request)
        require_command(state.access(request, lang), lang)
        return [v.as_dict() for v in state.store.versions()]

    @app.get("/api/v1/versions/{old}/changes/{new}")
    def get_changes(old: int, new: int, request: Request) -> dict[str, Any]:
        lang = request_lang(request)
        require_command(state.access(request, lang), lang)
        known = {v.id for v in state.store.versions()}
        for v in (old, new):
            if v not in known:
                raise ApiError(404, ops_text("unknown_version", lang, version=v))
        changes = state.store.changes(old, new)
        return {
            "old": old,
            "new": new,
            "changes": _records(changes),
            "notices": notices(changes, lang),
        }

    @app.get("/sites/{site_id}", response_class=HTMLResponse)
    def phone_page(site_id: str, request: Request) -> Response:
        lang = request_lang(request)
        if site_id not in state.open_sites(state.version):
            from planner.ops.page import message_page

            # the id is the attacker's text: escaped, and the page runs no script
            text = ops_text("unknown_site", lang, site=site_id)
            return HTMLResponse(message_page(text, lang), status_code=404)
        return HTMLResponse(site_page(site_id, lang))

    @app.post("/sites/{site_id}", response_class=HTMLResponse)
    async def phone_form(site_id: str, request: Request) -> Response:
        """Take the phone page's form as sent without JavaScript (urlencoded)."""
        lang = request_lang(request)
        raw = await request.body()

        def run() -> Response:
            form = {
                k: v[-1]
                for k, v in urllib.parse.parse_qs(
                    raw.decode("utf-8", "replace"), keep_blank_values=True
                ).items()
            }
            code = form.pop("code", "").strip()
            client = request.client.host if request.client else "?"
            try:
                who = state.access_code(client, f"Bearer {code}" if code else "", lang)
                _site_or_command(state, who, site_id, lang)
                if who.is_command:
                    raise ApiError(
                        403,
                        ops_text("forbidden_site", lang, site=COMMAND, target=site_id),
                    )
                body = {k: _form_value(k, v) for k, v in form.items()}
                report = parse_body(json.dumps(body).encode(), ReportIn, lang)
                check_at(report.at, state.clock(), lang)
            except ApiError as exc:
                page = site_page(site_id, lang, error=exc.detail)
                return HTMLResponse(page, status_code=exc.status)
            created, stored = state.store.add_report(
                site_id, report.model_dump(), code_id=who.code_id
            )
            done = ops_text(
                "form_stored" if created else "form_again",
                lang,
                at=stored["at"],
                sampled=stored["sampled"],
            )
            return HTMLResponse(
                site_page(site_id, lang, message=done),
                status_code=201 if created else 200,
            )

        return await run_in_threadpool(run)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> Response:
        lang = request_lang(request)
        from planner.ops.page import index_page

        return HTMLResponse(index_page(sorted(state.open_sites(state.version)), lang))

    return app


_INT_FIELDS = ("sampled", "queue_people", "tubes")


def _form_value(key: str, value: str) -> Any:
    """Turn a form field into the JSON value the API expects."""
    if key in _INT_FIELDS:
        text = value.strip()
        # ASCII digits only ("²".isdigit() is true) and no longer than the largest
        # count: anything else goes on as text and gets the field's 422
        ok = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_COUNT))
        return int(text) if ok else text
    if key == "problem":
        return value or None
    return value
