"""Streamlit glue shared by the pages: session keys, language, cached planner calls.

The cached calls are keyed on what determines their result — a scenario's file
signature (names, sizes, modification times), the policy as JSON, the solver settings —
so re-running with the same inputs is instant. Objects that are costly to hash (the
scenario, the plan) are passed as ``_``-prefixed arguments, which Streamlit does not
hash, next to the key that stands for them.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from planner import InfeasibleError, InputError, PlannerError
from planner.app import gate, mapping, steer
from planner.app import state as appstate
from planner.io.load import LoadedScenario, load_scenario
from planner.model.edits import Edits
from planner.model.plan_tables import PlanTables
from planner.model.policy import Policy
from planner.model.result import Plan
from planner.model.scenario import Scenario
from planner.planning.codec import plan_tables
from planner.planning.consumables import procurement_list
from planner.planning.plan import SolveParams, SolveRuntime
from planner.round.edits import plan_with_edits
from planner.round.run import RoundResult, round_tables, run_round
from planner.solve.cancel import CancelToken, SolveCancelled
from planner.solve.settings import DEFAULT_TIME_LIMIT_S
from planner.text import LANGS, Lang, error_text, render_issues, tr, tr_both

REPO = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO / "data" / "demo"

_log = logging.getLogger("planner.app")

PERSISTENT_KEYS = (
    *(k.key for k in appstate.KNOBS),
    "time_limit",
    "seed",
    "source",
    "scenario_path",
    "map_site",
    "basemap",
    "basemap_url",
    "basemap_crs",
    "basemap_mbtiles",
    "schedule_site",
)
"""Widget keys whose values must survive switching pages.

Streamlit forgets a widget's value when a page without it runs; writing the value
back into the session state at the top of every run keeps it.
"""


def run_app() -> None:
    """Draw the app: page setup, language switch, page list (``app.py`` calls it)."""
    st.set_page_config(page_title=tr("app_title", "zh"), page_icon="🧪", layout="wide")
    init_session()
    code = st.sidebar.radio(
        tr("lang_label", "zh"),
        LANGS,
        format_func=lambda c: tr(f"lang_{c}", "zh"),
        key="lang",
        horizontal=True,
    )
    remember_lang(code)
    chosen = lang()
    user = gate.require_user()  # the sign-in form until someone is signed in
    pages = {
        p.url_path: st.Page(
            p.path,
            title=tr(p.title_key, chosen),
            icon=p.icon,
            url_path=p.url_path,
            default=p.url_path == "start",
            visibility="visible" if gate.page_allowed(p.url_path) else "hidden",
        )
        for p in gate.ALL_PAGES
    }
    page = st.navigation(
        {  # the guided path first, the advanced work apart
            "": [v for k, v in pages.items() if k not in appstate.ADVANCED_PAGES],
            tr("notices_app_advanced", chosen): [
                v for k, v in pages.items() if k in appstate.ADVANCED_PAGES
            ],
        },
        position="sidebar" if user else "hidden",
        expanded=len(pages),  # every page listed: no "View 3 more" for the advanced
    )
    if user is not None:  # no page runs before sign-in (the address is kept for after)
        gate.run_page(page)


def init_session() -> None:
    """Set defaults once and keep widget values across pages (call first in app.py)."""
    ensure_defaults()
    for key in PERSISTENT_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def ensure_defaults() -> None:
    """Give every shared key its default unless it has a value (safe to call twice)."""
    defaults: dict[str, Any] = {
        "lang": st.session_state.get("ui_lang", "zh"),
        "time_limit": DEFAULT_TIME_LIMIT_S,
        "seed": 0,
        "source": "demo" if DEMO_DIR.exists() else "path",
        "scenario_path": str(DEMO_DIR),
        "basemap": "none",
        "basemap_url": "",
        "basemap_crs": "wgs84",
        "basemap_mbtiles": "",
    }
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def page_start() -> None:
    """Start a page: defaults, then what is loaded and planned, in the sidebar."""
    ensure_defaults()
    loaded: LoadedScenario | None = st.session_state.get("loaded")
    plan: Plan | None = st.session_state.get("plan")
    if loaded is None:
        st.sidebar.caption(t("sidebar_no_scenario"))
    else:
        st.sidebar.caption(t("sidebar_scenario", name=loaded.scenario.name))
    if plan is not None:
        st.sidebar.caption(
            t(
                "sidebar_plan",
                sites=int(plan.site_open.sum()),
                desks=int(plan.site_desks.sum()),
            )
        )


def next_step_link(done: str) -> None:
    """After step `done` (a :data:`state.GUIDED_STEPS` key), link to the next one."""
    keys = [k for k, _ in appstate.GUIDED_STEPS]
    if done not in keys or keys.index(done) + 1 >= len(keys):
        st.page_link(
            "planner/app/pages/start.py",
            label=t("notices_app_back_start"),
            icon=":material/home:",
        )
        return
    key, url = appstate.GUIDED_STEPS[keys.index(done) + 1]
    spec = next(p for p in appstate.PAGES if p.url_path == url)
    st.page_link(
        spec.path,
        label=t("notices_app_next", step=t(f"notices_step_{key}")),
        icon=":material/arrow_forward:",
    )


def remember_lang(code: str) -> None:
    """Keep the chosen language outside the widget, so every page uses it."""
    st.session_state["ui_lang"] = code


def lang() -> Lang:
    """Return the chosen language."""
    code = st.session_state.get("ui_lang", st.session_state.get("lang"))
    return "en" if code == "en" else "zh"


def t(key: str, **params: Any) -> str:
    """Return UI text `key` in the chosen language."""
    return tr(key, lang(), **params)


def show_table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """Show a table with headers in the chosen language."""
    st.dataframe(appstate.display_frame(frame, lang()), hide_index=True, **kwargs)


def show_table_or(frame: pd.DataFrame, none_text: str, **kwargs: Any) -> None:
    """Show a table, or `none_text` as good news when it has no rows (no gap)."""
    if frame.empty:
        st.success(none_text)
    else:
        show_table(frame, **kwargs)


# --- cached planner calls ---------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def load_cached(path: str, signature: str) -> LoadedScenario:
    """Load and check a scenario; `signature` stands for the files' contents."""
    del signature  # part of the cache key only
    return load_scenario(Path(path))


@st.cache_data(show_spinner=False, max_entries=4)
def marked_cached(path: str, signature: str, lang_code: Lang) -> bytes:
    """Return the scenario's workbook with its problems marked, as ``.xlsx`` bytes."""
    del signature  # part of the cache key only
    import io

    from planner.export.marked import write_marked_workbook
    from planner.io.load import inspect_scenario

    buffer = io.BytesIO()
    write_marked_workbook(inspect_scenario(Path(path)), buffer, lang=lang_code)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=2)
def template_cached(lang_code: Lang) -> bytes:
    """Return the blank register template as ``.xlsx`` bytes."""
    from planner.io.template import write_template

    with tempfile.TemporaryDirectory() as tmp:
        return write_template(Path(tmp) / "template.xlsx", lang=lang_code).read_bytes()


@st.cache_data(show_spinner=False, max_entries=16)
def tables_cached(
    plan_key: str, _plan: Plan, _scenario: Any
) -> dict[str, pd.DataFrame]:
    """Return the plan's tables (``planio.plan_tables``)."""
    del plan_key
    return plan_tables(_plan, _scenario)


@st.cache_data(show_spinner=False, max_entries=16)
def round_tables_cached(
    plan_key: str, _result: RoundResult, _scenario: Any
) -> PlanTables:
    """Return the round's tables, with ``plan.json`` (``round_tables``)."""
    del plan_key
    return round_tables(_result, _scenario)


@st.cache_data(show_spinner=False, max_entries=4)
def print_exports_cached(
    plan_key: str, lang_code: str, unmasked: bool, _tables: PlanTables, _scenario: Any
) -> tuple[bytes, dict[str, int]]:
    """Return the print-ready exports (rosters, notices, …) as a ZIP, and counts."""
    del plan_key
    with tempfile.TemporaryDirectory(prefix="planner-export-") as tmp:
        data, report = appstate.print_exports_zip(
            _tables,
            _scenario,
            Path(tmp),
            lang="en" if lang_code == "en" else "zh",
            unmasked=unmasked,
        )
    counts = {
        "sites": int(report.sites),
        "teams": int(report.teams),
        "notices": int(report.notice_pages),
        "files": len(report.files),
    }
    return data, counts


@st.cache_data(show_spinner=False, max_entries=4)
def tables_book_cached(
    plan_key: str, lang_code: str, _tables: PlanTables, _scenario: Any
) -> bytes:
    """Return the plan's tables as one readable workbook (Chinese headers, 是/否)."""
    del plan_key
    return appstate.tables_book_bytes(
        _tables, _scenario, "en" if lang_code == "en" else "zh"
    )


# --- session: scenario -----------------------------------------------------------------


def _forget_plan() -> None:
    for key in (
        "round",
        "plan",
        "plan_key",
        "plan_policy",
        "plan_seconds",
        "solve_error",
        "edit_history",
        "edit_error",
        "edit_base_key",
    ):
        st.session_state.pop(key, None)


def load_into_session(source: str, path_text: str, uploads: list[Any] | None) -> None:
    """Load the chosen scenario, keeping it (or its problems) in the session."""
    st.session_state.pop("load_error", None)
    st.session_state.pop("load_issues", None)
    st.session_state.pop("checked_path", None)
    if not gate.may_load(source):
        return
    folder: Path | None = None
    try:
        if source == "upload":
            if not uploads:
                st.session_state["load_error"] = t("no_files")
                return
            files = [(f.name, f.getvalue()) for f in uploads]
            gate.check_uploads(files)
            folder = gate.upload_folder()
            path = appstate.save_uploads(files, folder)
            label = ", ".join(name for name, _ in files)
        else:
            path = (
                DEMO_DIR if source == "demo" else Path(path_text.strip()).expanduser()
            )
            # a person reads the folder's or workbook's name, not the server's path
            label = t("source_demo") if source == "demo" else path.name or str(path)
        signature = appstate.source_signature(path)
        # kept even when loading fails: the marked workbook is made from it
        st.session_state["checked_path"] = (str(path), signature)
        loaded = load_cached(str(path), signature)
    except ValueError as exc:
        st.session_state["load_error"] = t("upload_bad", why=str(exc))
        gate.record("load_failed", kind=source, detail={"why": "refused"})
        return
    except InputError as exc:
        st.session_state["load_issues"] = list(exc.issues)
        st.session_state.pop("loaded", None)
        _forget_plan()
        # counts only: an issue can quote a register's cells
        errors = sum(1 for i in exc.issues if i.severity == "error")
        gate.record(
            "load_failed",
            kind=source,
            detail={"why": "input", "errors": errors, "issues": len(exc.issues)},
        )
        return
    except Exception as exc:  # the UI boundary: never show a traceback to the office
        _log.exception("loading %s failed", path_text)
        # the exception's kind only: its message can quote server paths
        st.session_state["load_error"] = t("upload_bad", why=type(exc).__name__)
        gate.record("load_failed", kind=source, detail={"why": type(exc).__name__})
        return
    finally:
        if folder is not None:  # the scenario is in memory now: the register files go
            _keep_marked_workbooks()  # made from the files, so before they go
            gate.discard(folder)
    st.session_state["loaded"] = loaded
    st.session_state["scenario_edits"] = _edits_beside(path)
    st.session_state["source_sig"] = signature
    st.session_state["source_label"] = label
    _forget_plan()
    for key, value in appstate.knob_values(loaded.policy).items():
        st.session_state[key] = value
    gate.record("load", kind=source, detail=loaded.scenario.summary())
    gate.publish(st.session_state)


def _keep_marked_workbooks() -> None:
    """Make the marked workbook in both languages while the uploaded files exist."""
    checked = st.session_state.get("checked_path")
    if checked is None:
        return
    for code in LANGS:
        try:
            marked_cached(checked[0], checked[1], code)
        except Exception:  # the Data page then says the marked workbook is unavailable
            _log.warning("marked workbook not made for an upload")


def require_scenario() -> LoadedScenario | None:
    """Return the loaded scenario, or say where to load one and return None."""
    loaded: LoadedScenario | None = st.session_state.get("loaded")
    if loaded is None:
        st.info(t("need_scenario"))
        st.page_link(
            "planner/app/pages/data.py",
            label=t("page_data"),
            icon=":material/folder_open:",
        )
    return loaded


def require_plan() -> tuple[LoadedScenario, Plan] | None:
    """Return the scenario and plan, or say where to make one and return None."""
    loaded = require_scenario()
    if loaded is None:
        return None
    plan: Plan | None = st.session_state.get("plan")
    if plan is None:
        st.info(t("need_plan"))
        st.page_link(
            "planner/app/pages/plan.py", label=t("page_plan"), icon=":material/tune:"
        )
        return None
    return loaded, plan


# --- session: plan -------------------------------------------------------------------


def chosen_policy(loaded: LoadedScenario) -> Policy:
    """Return the scenario's policy with the Plan page's values applied."""
    values = {
        k.key: st.session_state[k.key]
        for k in appstate.KNOBS
        if k.key in st.session_state
    }
    return appstate.policy_from_knobs(loaded.policy, values)


def plan_key(signature: str, policy_json: str, time_limit_s: float, seed: int) -> str:
    """Return the cache key of a plan."""
    text = f"{signature}|{policy_json}|{time_limit_s:g}|{seed}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


_SOLVER_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="planner-solve")
"""Solves run here, off the page script, so the page stays responsive and cancellable."""

_PLAN_CACHE: dict[str, RoundResult] = {}
"""Rounds by cache key (scenario signature, policy, limit, seed): same inputs, no re-solve."""


def _solve_job(
    scenario: Any,
    policy: Policy,
    limit: float,
    seed: int,
    token: CancelToken,
    edits: Edits,
) -> RoundResult:
    """Plan, staff and supply the round: the same orchestration as ``planner plan``."""
    params = SolveParams(time_limit_s=limit, seed=seed)
    runtime = SolveRuntime(cancel=token)
    if edits.empty:
        return run_round(scenario, policy, params, runtime=runtime)
    return plan_with_edits(scenario, policy, edits, params, runtime=runtime).result


def current_edits() -> Edits:
    """Return the office's edits the session's plan honours.

    Before the first plan: the scenario folder's ``edits.toml``, if it had one.
    """
    history: steer.EditHistory | None = st.session_state.get("edit_history")
    if history is not None:
        return history.edits
    kept: Edits = st.session_state.get("scenario_edits", Edits())
    return kept


def _edits_beside(path: Path) -> Edits:
    """Read ``edits.toml`` beside the scenario (none, or unreadable: no edits, said)."""
    file = path / "edits.toml" if path.is_dir() else None
    if file is None or not file.is_file():
        return Edits()
    try:
        return Edits.from_toml(file)
    except InputError as exc:
        st.session_state["load_error"] = " ".join(
            render_issues(exc.issues, lang=lang())
        )
        return Edits()


def apply_edit_into_session(loaded: LoadedScenario, edits: Edits) -> None:
    """Re-solve warm under `edits` (seconds); keep the version, or say why not."""
    st.session_state.pop("edit_error", None)
    if not gate.can("solve"):
        st.session_state["edit_error"] = t("auth_solve_denied")
        return
    history: steer.EditHistory | None = st.session_state.get("edit_history")
    if history is None or history.current is None:
        return
    limit = float(st.session_state.get("time_limit", DEFAULT_TIME_LIMIT_S))
    params = SolveParams(time_limit_s=limit, seed=int(st.session_state.get("seed", 0)))
    t0 = time.perf_counter()
    try:
        longer = steer.apply_edit(
            history, loaded.scenario, chosen_policy(loaded), edits, params
        )
    except InputError as exc:
        st.session_state["edit_error"] = " ".join(
            render_issues(exc.issues, lang=lang())
        )
        return
    except PlannerError as exc:
        st.session_state["edit_error"] = error_text(exc, lang())
        return
    _show_version(longer, time.perf_counter() - t0)
    # an edit is a solve, recorded with the version of the edits it honours
    gate.record("solve", detail={"edit": longer.edits.version})


def undo_edit_into_session() -> None:
    """Go back to the version before the last edit (kept, not solved again)."""
    history: steer.EditHistory | None = st.session_state.get("edit_history")
    if history is None or len(history.versions) < 2:
        return
    st.session_state.pop("edit_error", None)
    _show_version(history.undo(), 0.0)
    gate.record("solve", detail={"undo_to": history.undo().edits.version})


def _show_version(history: steer.EditHistory, seconds: float) -> None:
    """Make the history's current version the session's plan."""
    st.session_state["edit_history"] = history
    now = history.current
    assert now is not None
    base = str(st.session_state.get("edit_base_key", ""))
    key = f"{base}-v{len(history.versions)}-e{now.edits.version}"
    st.session_state["round"] = now.result
    st.session_state["plan"] = now.result.plan
    st.session_state["plan_key"] = key
    st.session_state["plan_seconds"] = seconds
    gate.publish(st.session_state)


def solve_into_session(loaded: LoadedScenario, policy: Policy) -> None:
    """Start a solve in the background, or take the plan from the cache at once."""
    st.session_state.pop("solve_error", None)
    st.session_state.pop("solve_cancelled", None)
    if not gate.can("solve"):
        gate.record("solve_denied")
        st.session_state["solve_error"] = t("auth_solve_denied")
        return
    errors = appstate.policy_errors(policy)
    if errors:
        lines = render_issues(errors, lang=lang())
        st.session_state["solve_error"] = t("policy_bad") + " " + " ".join(lines)
        return
    limit = float(st.session_state.get("time_limit", DEFAULT_TIME_LIMIT_S))
    seed = int(st.session_state.get("seed", 0))
    signature = str(st.session_state.get("source_sig", ""))
    policy_json = appstate.policy_key(policy)
    edits = current_edits()
    key = plan_key(signature, policy_json + edits.to_toml(), limit, seed)
    if key in _PLAN_CACHE:
        _store_plan(_PLAN_CACHE[key], key, policy_json, 0.0)
        return
    token = CancelToken()
    future = _SOLVER_POOL.submit(
        _solve_job, loaded.scenario, policy, limit, seed, token, edits
    )
    st.session_state["solve_job"] = {
        "future": future,
        "token": token,
        "t0": time.perf_counter(),
        "key": key,
        "policy_json": policy_json,
        "limit": limit,
    }


def solve_running() -> bool:
    """Whether a background solve of this session is still going."""
    job = st.session_state.get("solve_job")
    return job is not None and not job["future"].done()


def cancel_solve() -> None:
    """Stop the background solve; the page shows that it was cancelled."""
    job = st.session_state.pop("solve_job", None)
    if job is not None:
        job["token"].cancel()
        st.session_state["solve_cancelled"] = True


def wait_for_solve() -> None:
    """Show progress until the background solve ends, then keep its plan or error.

    The loop touches Streamlit every quarter second, so a click anywhere (cancel, or
    another page) interrupts it at once; the solve itself goes on in its thread.
    """
    job = st.session_state.get("solve_job")
    if job is None:
        return
    box = st.empty()
    while not job["future"].done():
        elapsed = time.perf_counter() - job["t0"]
        box.info(t("solving_progress", elapsed=elapsed, limit=job["limit"]))
        time.sleep(0.25)
    box.empty()
    st.session_state.pop("solve_job", None)
    try:
        result = job["future"].result()
    except SolveCancelled:
        st.session_state["solve_cancelled"] = True
        return
    except (InfeasibleError, PlannerError) as exc:
        _forget_plan()
        why = error_text(exc, lang())
        st.session_state["solve_error"] = t("solve_failed", why=why)
        return
    except Exception as exc:  # the UI boundary: never show a traceback to the office
        _log.exception("solve failed")
        _forget_plan()
        # the kind only: an unexpected error's message can quote server paths
        st.session_state["solve_error"] = t("solve_failed", why=type(exc).__name__)
        return
    _PLAN_CACHE[job["key"]] = result
    while len(_PLAN_CACHE) > 16:
        _PLAN_CACHE.pop(next(iter(_PLAN_CACHE)))
    elapsed = time.perf_counter() - job["t0"]
    _store_plan(result, job["key"], job["policy_json"], elapsed)


def _store_plan(
    result: RoundResult, key: str, policy_json: str, seconds: float
) -> None:
    st.session_state["round"] = result
    st.session_state["plan"] = result.plan
    st.session_state["plan_key"] = key
    st.session_state["plan_policy"] = policy_json
    st.session_state["plan_seconds"] = seconds
    # a solve starts the edit history afresh, under the edits it was made with
    st.session_state["edit_history"] = steer.EditHistory().start(
        result.edits or Edits(), result
    )
    st.session_state["edit_base_key"] = key
    gate.record("solve", detail={"plan": key, "status": result.plan.solver.status})
    gate.publish(st.session_state)


def current_tables(loaded: LoadedScenario, plan: Plan) -> dict[str, pd.DataFrame]:
    """Return the plan's tables (cached per plan)."""
    return tables_cached(
        str(st.session_state.get("plan_key", "")), plan, loaded.scenario
    )


def current_round() -> RoundResult:
    """Return the session's round (the plan with its staff and supplies)."""
    result: RoundResult = st.session_state["round"]
    return result


def current_staff() -> dict[str, Any]:
    """Return the round's staff requirements, roster, shortfall and guideline."""
    result = current_round()
    return {
        "requirements": result.requirements,
        "roster": result.roster.assignments,
        "shortfall": result.roster.shortfall,
        "roster_status": result.roster.status,
        "guideline": result.guideline,
    }


def current_supplies() -> dict[str, pd.DataFrame]:
    """Return the round's stock status, pick lists and what to order."""
    result = current_round()
    return {
        "supplies": result.stock,
        "supplies_by_site": result.picks,
        "procurement": procurement_list(result.stock),
    }


def current_round_tables(loaded: LoadedScenario) -> PlanTables:
    """Return the round as the tables ``planner plan`` writes (cached per plan)."""
    return round_tables_cached(
        str(st.session_state.get("plan_key", "")), current_round(), loaded.scenario
    )


def clicked_site(state: Any) -> str | None:
    """Return the open site clicked on the map (see :func:`appstate.clicked_site`)."""
    return appstate.clicked_site(state)


def chosen_basemap() -> mapping.Basemap | None:
    """Return the basemap chosen on the Map page; warn and use none if it is invalid."""
    try:
        return mapping.basemap_for(
            str(st.session_state.get("basemap", "none")),
            str(st.session_state.get("basemap_url", "")),
            str(st.session_state.get("basemap_crs", "wgs84")),
            str(st.session_state.get("basemap_mbtiles", "")),
        )
    except (PlannerError, ValueError) as exc:
        why = error_text(exc, lang())
        st.warning(t("basemap_bad", why=why))
        return None


@st.cache_data(ttl=600, show_spinner=False)
def basemap_reachable(url: str) -> bool:
    """Return whether the tile server of `url` answers a connection, within 1.5 s.

    Only a TCP connection to the host is opened (no tile is fetched), at most once
    in ten minutes per address.
    """
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=1.5):
            return True
    except OSError:
        return False


def _use_amap() -> None:
    """Choose the 高德 basemap (a button's callback: it runs before the page)."""
    st.session_state["basemap"] = "amap"


def suggest_basemap(scenario: Scenario, basemap: mapping.Basemap | None) -> None:
    """Suggest a basemap when the street has no map layers and none is chosen.

    A street loaded without grids, compounds or walkways draws as dots on white: the
    高德 basemap is offered (one click) when its tiles can be reached from the
    server, else an intranet tile address or an MBTiles file.
    """
    bare = not (scenario.grid_areas or scenario.compound_areas or scenario.walk_network)
    if basemap is not None or not bare:
        return
    if basemap_reachable(mapping.AMAP.url):
        left, right = st.columns([4, 1])
        left.info(t("map_basemap_suggest"))
        right.button(t("map_basemap_use_amap"), key="map_use_amap", on_click=_use_amap)
    else:
        st.info(t("map_basemap_offline"))


def make_print_exports(loaded: LoadedScenario, unmasked: bool) -> None:
    """Build the print-ready exports with a spinner; keep the ZIP or a message."""
    st.session_state.pop("export_error", None)
    if unmasked and not gate.can("unmasked"):
        gate.record("download_denied", kind="exports.zip", masked=False)
        st.session_state["export_error"] = t("auth_unmasked_denied")
        return
    key = str(st.session_state.get("plan_key", ""))
    try:
        with st.spinner(t("exports_making"), show_time=True):
            data, counts = print_exports_cached(
                key, lang(), unmasked, current_round_tables(loaded), loaded.scenario
            )
    except Exception as exc:  # the UI boundary: never show a traceback to the office
        _log.exception("export failed")
        # the kind only: an unexpected error's message can quote server paths
        st.session_state["export_error"] = t("exports_failed", why=type(exc).__name__)
        return
    st.session_state["exports"] = (key, lang(), unmasked, data, counts)


# --- the office's edits -------------------------------------------------------------


def show_edit_change() -> None:
    """Show what the last edit changed, any edit not honoured, the error, and undo."""
    if "edit_error" in st.session_state:
        st.error(st.session_state["edit_error"])
    history: steer.EditHistory | None = st.session_state.get("edit_history")
    if history is None or history.current is None:
        return
    now = history.current
    li = 0 if lang() == "zh" else 1
    if now.change is not None:
        lines = [
            t("edits_app_changed", seconds=st.session_state.get("plan_seconds", 0))
        ]
        lines += ["- " + line[li] for line in now.change.lines()]
        st.info("\n".join(lines))
    for key, where, values in now.findings:
        st.warning((where + ": " if where else "") + t(key, **values))
    if not now.edits.empty and not now.findings:
        n = len(now.edits.lines(tr_both))
        st.success(t("edits_app_honoured", n=n, version=now.edits.version))
    if len(history.versions) > 1 and st.button(t("edits_app_undo"), key="edit_undo"):
        undo_edit_into_session()
        st.rerun()


def show_edits_list() -> None:
    """List the edits the plan honours, with the file to download."""
    edits = current_edits()
    if edits.empty:
        st.caption(t("edits_app_none"))
        return
    li = 0 if lang() == "zh" else 1
    st.markdown(
        t("edits_app_version", version=edits.version)
        + "\n"
        + "\n".join("- " + line[li] for line in edits.lines(tr_both))
    )
    st.download_button(
        t("edits_app_download"),
        edits.to_toml().encode("utf-8"),
        file_name="edits.toml",
        mime="text/plain",
        key="edit_download",
        on_click="ignore",
    )


def edit_and_rerun(loaded: LoadedScenario, edits: Edits) -> None:
    """Re-solve under `edits` and redraw the page with the new version."""
    apply_edit_into_session(loaded, edits)
    st.rerun()
