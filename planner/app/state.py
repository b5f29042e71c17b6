"""Pure helpers behind the Streamlit pages: UI texts, policy knobs, tables and downloads.

Nothing here imports Streamlit, so every helper is unit-tested without it; the pages
(``planner/app/pages/``) only read widgets, call these helpers and planner functions (through
``st.cache_data`` wrappers in ``planner/app/common.py``), and render.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import altair as alt

    from planner.export import ExportReport
    from planner.model.plan_tables import PlanTables
    from planner.model.scenario import Scenario

from planner.errors import Issue
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.text import (
    COLUMN_LABELS,
    KPI_LABELS,
    MESSAGES,
    PLAN_WARNINGS,
    SEVERITY_ORDER,
    SUMMARY_LABELS,
    TABLE_LABELS,
    TEXT,
    VALUE_LABELS,
    Lang,
    lang_index,
    role_name,
    status_label,
    tr,
)


def table_label(name: str, lang: Lang) -> str:
    """Return the name of a plan table for a download button."""
    labels = TABLE_LABELS.get(name)
    return name if labels is None else labels[lang_index(lang)]


def column_title(column: str, lang: Lang) -> str:
    """Return a column's header as shown (Chinese label, or the English name)."""
    if lang == "zh":
        return COLUMN_LABELS.get(column, column)
    return column.replace("_", " ")


def tooltips(columns: Sequence[str], lang: Lang) -> list[Any]:
    """Return Altair tooltips for `columns` titled as the tables are."""
    import altair as alt

    return [alt.Tooltip(c, title=column_title(c, lang)) for c in columns]


TRANSPORT_POST = "TRANSPORT"
"""Pseudo site id of the sample-transport crew in the staff tables."""


def display_frame(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return a table as a person reads it: labels for codes, then localised headers.

    Codes stay in the CSV downloads (other programs read them); on screen a role is
    its name (``home_registrar`` → 上门登记), a mode, tube mode, holder or reason its
    label, yes/no columns 是/否, and in Chinese every header is Chinese.
    """
    li = lang_index(lang)
    out = frame.copy()
    if "role" in out.columns:
        if lang == "zh" and "role_zh" in out.columns:
            out["role"] = out["role_zh"]
        elif lang == "en":
            out["role"] = out["role"].map(lambda r: role_name(str(r), "en"))
        out = out.drop(columns=[c for c in ("role_zh",) if c in out.columns])
    for column, labels in VALUE_LABELS.items():
        if column in out.columns:
            out[column] = out[column].map(
                lambda v, labels=labels: labels[v][li] if v in labels else v
            )
    for column in ("site_id", "depot_site_id"):
        if column in out.columns:
            transport = tr("transport_team", lang)
            out[column] = out[column].replace({TRANSPORT_POST: transport})
    yes, no = tr("yes", lang), tr("no", lang)
    for column in out.columns:
        values = out[column]
        if values.dtype == bool or (
            values.dtype == object
            and len(values)
            and values.map(lambda v: isinstance(v, bool)).all()
        ):
            out[column] = values.map({True: yes, False: no})
    return localise_columns(out, lang)


def localise_columns(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return `frame` with Chinese headers when `lang` is ``zh`` (unchanged otherwise)."""
    if lang != "zh":
        return frame
    return frame.rename(columns={c: COLUMN_LABELS.get(c, c) for c in frame.columns})


# --- pages -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page of the app: script path (relative to ``app.py``), title key, icon."""

    path: str
    title_key: str
    icon: str
    url_path: str

    @classmethod
    def of(cls, name: str, title_key: str, icon: str) -> PageSpec:
        """Return the page of script ``planner/app/pages/<name>.py``, at URL ``name``."""
        return cls(f"planner/app/pages/{name}.py", title_key, icon, name)


PAGES: tuple[PageSpec, ...] = tuple(
    PageSpec.of(name, title_key, icon)
    for name, title_key, icon in (
        ("start", "notices_page_start", ":material/home:"),
        ("data", "page_data", ":material/folder_open:"),
        ("plan", "page_plan", ":material/tune:"),
        ("map", "page_map", ":material/map:"),
        ("schedule", "page_schedule", ":material/schedule:"),
        ("staff", "page_staff", ":material/groups:"),
        ("card", "page_card", ":material/badge:"),
        ("drill", "page_drill", ":material/science:"),
        ("tradeoff", "page_tradeoff", ":material/show_chart:"),
        ("export", "page_export", ":material/download:"),
        ("command", "page_command", ":material/monitoring:"),
        ("campaign", "page_campaign", ":material/calendar_month:"),
    )
)
"""The app's pages, in menu order."""

ADVANCED_PAGES = frozenset({"tradeoff", "command", "campaign", "audit"})
"""Pages for the advanced work, listed apart from the guided path (by URL path)."""

GUIDED_STEPS = (
    ("loaded", "data"),
    ("planned", "plan"),
    ("checked", "drill"),
    ("printed", "export"),
)
"""The guided path: each step's state key and the page that does it."""


def step_states(session: Any) -> dict[str, bool]:
    """Return which guided steps are done in a session.

    `session` is Streamlit's session state (or any mapping). Loaded: a street is in
    memory; planned: a plan of it; checked: a drill of that
    plan; printed: the print set of that plan made.
    """
    plan_key = session.get("plan_key")
    exports = session.get("exports")
    drill = session.get("drill_result")
    return {
        "loaded": session.get("loaded") is not None,
        "planned": session.get("plan") is not None,
        "checked": session.get("plan") is not None and drill is not None,
        "printed": exports is not None
        and plan_key is not None
        and exports[0] == plan_key,
    }


def next_step(states: Mapping[str, bool]) -> str | None:
    """Return the first step not done (its state key), or None when all are."""
    return next((key for key, _ in GUIDED_STEPS if not states.get(key)), None)


# --- scenario sources ----------------------------------------------------------------

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
UPLOAD_TYPES = ("csv", "xlsx", "xlsm", "xls", "ods", "toml", "geojson", "json", "gpkg")
"""File types the upload widget accepts."""


def source_signature(path: Path) -> str:
    """Return a short digest of a scenario's files (names, sizes, modification times).

    Used as the cache key of a load: the same unchanged files give the same key, any
    edit gives a new one. A missing path gives a digest too (loading then reports it).
    """
    h = hashlib.sha1(str(path.resolve()).encode("utf-8"))
    files: list[Path] = []
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.is_file())
    elif path.exists():
        files = [path]
        beside = path.with_suffix(".policy.toml")
        if beside.exists():
            files.append(beside)
    for f in files:
        st = f.stat()
        h.update(f"{f.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def save_uploads(files: Sequence[tuple[str, bytes]], root: Path) -> Path:
    """Save uploaded files to a fresh folder under `root` and return what to load.

    One workbook (.xlsx, .xls, .ods) and no ``.csv`` gives the workbook itself (an uploaded
    ``policy.toml`` is saved beside it as ``<book>.policy.toml``); anything else gives
    the folder, read one file per table. The folder is named by the files' digest, so
    uploading the same files again reuses it.

    Raises
    ------
    ValueError
        When no file is given, or a name has an unsupported suffix.
    """
    if not files:
        raise ValueError("no files")
    digest = hashlib.sha1()
    clean: list[tuple[str, bytes]] = []
    for name, data in files:
        base = Path(name).name
        if not base or Path(base).suffix.lower().lstrip(".") not in UPLOAD_TYPES:
            raise ValueError(f"unsupported file {name!r}")
        clean.append((base, data))
        digest.update(base.encode("utf-8") + b"\0" + hashlib.sha1(data).digest())
    folder = root / digest.hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    tables = [n for n, _ in clean if Path(n).suffix.lower() in TABLE_SUFFIXES]
    single_book = len(tables) == 1 and not tables[0].lower().endswith(".csv")
    for name, data in clean:
        target = folder / name
        if single_book and name.lower() == "policy.toml":
            target = folder / (Path(tables[0]).stem + ".policy.toml")
        target.write_bytes(data)
    return folder / tables[0] if single_book else folder


def issue_frame(issues: Iterable[Issue], lang: Lang) -> pd.DataFrame:
    """Return issues as a table: severity, file, row, column, message (errors first)."""
    li = lang_index(lang)
    severity = {
        "error": ("错误", "error"),
        "warning": ("警告", "warning"),
        "note": ("已整理", "note"),
    }
    rows = []
    for issue in sorted(issues, key=lambda i: SEVERITY_ORDER[i.severity]):
        template = MESSAGES.get(issue.code, (issue.code, issue.code))[li]
        try:
            message = template.format(**dict(issue.params))
        except (KeyError, IndexError, ValueError):
            message = template
        rows.append(
            {
                "severity": severity[issue.severity][li],
                "file": issue.file,
                "row": "" if issue.row is None else str(issue.row),
                "column": issue.column,
                "message": message,
            }
        )
    frame = pd.DataFrame(rows, columns=["severity", "file", "row", "column", "message"])
    return localise_columns(frame, lang)


def summary_frame(summary: Mapping[str, int], lang: Lang) -> pd.DataFrame:
    """Return the scenario summary counts as a two-column table."""
    li = lang_index(lang)
    rows = [(SUMMARY_LABELS.get(k, (k, k))[li], int(v)) for k, v in summary.items()]
    head = ("项目", "数量") if lang == "zh" else ("item", "count")
    return pd.DataFrame(rows, columns=list(head))


# --- policy knobs ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Knob:
    """One policy value offered on the Plan page: widget key and dotted policy key."""

    key: str
    dotted: str


KNOBS: tuple[Knob, ...] = (
    Knob("knob_window_hours", "round.window_hours"),
    Knob("knob_slot_minutes", "round.slot_minutes"),
    Knob("knob_walk_limit", "walking.walk_limit_min"),
    Knob("knob_pool_size", "pooling.default_pool_size"),
    Knob("knob_heat", "heat.enabled"),
    Knob("knob_certify", "certify.enabled"),
    Knob("knob_access_objective", "access.objective"),
)
"""The policy values the Plan page lets the user change."""

SLOT_MINUTES_CHOICES = (10, 15, 20, 30, 60)
"""Slot lengths offered (the policy's own value is added when missing)."""


def knob_values(policy: Policy) -> dict[str, Any]:
    """Return the widget values that reproduce `policy` (widget key → value)."""
    out: dict[str, Any] = {}
    for knob in KNOBS:
        section, name = knob.dotted.split(".", 1)
        value = getattr(getattr(policy, section), name)
        if knob.dotted in ("round.window_hours", "walking.walk_limit_min"):
            value = float(value)
        out[knob.key] = value
    return out


def policy_from_knobs(base: Policy, values: Mapping[str, Any]) -> Policy:
    """Return `base` with the knobs' values applied (missing knobs keep their value)."""
    changes: dict[str, Any] = {}
    for knob in KNOBS:
        if knob.key not in values:
            continue
        value = values[knob.key]
        if knob.dotted in ("round.slot_minutes", "pooling.default_pool_size"):
            value = int(value)
        elif knob.dotted in ("heat.enabled", "certify.enabled"):
            value = bool(value)
        elif knob.dotted == "access.objective":
            value = str(value)
        else:
            value = float(value)
        changes[knob.dotted] = value
    return base.with_values(**changes) if changes else base


def slot_choices(policy: Policy) -> list[int]:
    """Return the slot lengths to offer, including the policy's own."""
    return sorted({*SLOT_MINUTES_CHOICES, int(policy.round.slot_minutes)})


def policy_key(policy: Policy) -> str:
    """Return a stable text of every policy value (a cache key)."""
    return json.dumps(policy.to_dict(), sort_keys=True, ensure_ascii=False, default=str)


def policy_errors(policy: Policy) -> list[Issue]:
    """Return the policy's errors (rule breaches between its numbers)."""
    return [i for i in policy.problems(source="") if i.severity == "error"]


# --- plan results -------------------------------------------------------------------


def kpi_cards(kpis: Mapping[str, Any], lang: Lang) -> list[tuple[str, str, str]]:
    """Return ``(key, label, value)`` for each KPI metric, values formatted."""
    li = lang_index(lang)
    metre = " 米" if lang == "zh" else " m"
    out = []
    for key, labels in KPI_LABELS.items():
        if key not in kpis:
            continue
        value = kpis[key]
        if key in ("mean_walk_m", "max_walk_m"):
            text = f"{float(value):,.0f}{metre}"
        elif key == "gap":
            text = f"{float(value) * 100:.1f}%"
        elif isinstance(value, int):
            text = f"{value:,}"
        else:
            text = str(value)
        out.append((key, labels[li], text))
    return out


def plan_warning_texts(
    warnings: Iterable[tuple[str, Mapping[str, Any]]], lang: Lang
) -> list[str]:
    """Render plan-level warnings (unknown codes are shown with their parameters)."""
    li = lang_index(lang)
    out = []
    for code, params in warnings:
        template = PLAN_WARNINGS.get(code)
        if template is None:
            detail = ", ".join(f"{k}={v}" for k, v in params.items())
            out.append(f"{code}: {detail}")
            continue
        try:
            out.append(template[li].format(**params))
        except (KeyError, ValueError):
            out.append(template[li])
    return out


def open_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Return the open sites of a plan's ``sites`` table, busiest first."""
    opened = sites[sites["open"].astype(bool)]
    return opened.sort_values(["site_id"]).reset_index(drop=True)


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    """Return the open sites as a person reads them: name first, no lon/lat."""
    opened = open_sites(sites).drop(columns=["lon", "lat"], errors="ignore")
    first = [c for c in ("name", "site_id") if c in opened.columns]
    return opened[[*first, *(c for c in opened.columns if c not in first)]]


def site_label(row: Mapping[Any, Any], lang: Lang) -> str:
    """Return ``S001 名称（6台，1,234人）`` for a row of the ``sites`` table."""
    if lang == "zh":
        return (
            f"{row['site_id']} {row['name']}（{row['desks']}台，{row['people']:,}人）"
        )
    return f"{row['site_id']} {row['name']} ({row['desks']} desks, {row['people']:,})"


def slots_with_load(slots: pd.DataFrame) -> pd.DataFrame:
    """Return the ``slots`` table with ``utilisation`` = work / capacity."""
    out = slots.copy()
    cap = out["capacity_units"].astype(float)
    out["utilisation"] = (out["work_units"].astype(float) / cap.where(cap > 0)).round(3)
    return out


def site_slots(slots: pd.DataFrame, site_id: str) -> pd.DataFrame:
    """Return one site's slots with their load, in time order."""
    one = slots[slots["site_id"] == site_id]
    return slots_with_load(one).sort_values("slot_start").reset_index(drop=True)


def team_summary(home_visits: pd.DataFrame) -> pd.DataFrame:
    """Return one row per door-to-door team: depot, households, people, times."""
    cols = [
        "team_id",
        "depot_site_id",
        "households",
        "people",
        "first_arrive",
        "last_arrive",
        "team_back",
    ]
    if home_visits.empty:
        return pd.DataFrame(columns=cols)
    g = home_visits.groupby("team_id", sort=True)
    out = pd.DataFrame(
        {
            "depot_site_id": g["depot_site_id"].first(),
            "households": g["household_id"].count(),
            "people": g["people"].sum(),
            "first_arrive": g["arrive"].min(),
            "last_arrive": g["arrive"].max(),
            "team_back": g["team_back"].first(),
        }
    ).reset_index()
    return out[cols]


def clicked_site(state: Any) -> str | None:
    """Return the id of the open site clicked on the map, from the chart's state."""
    try:
        objects = state["selection"]["objects"].get("sites") or []
    except (KeyError, TypeError, AttributeError):
        return None
    for obj in objects:
        if isinstance(obj, Mapping) and obj.get("open"):
            return str(obj.get("site_id"))
    return None


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return a table as CSV in UTF-8 with BOM (Excel opens it with the right encoding)."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def tables_zip(
    tables: Mapping[str, pd.DataFrame], extra: Mapping[str, Any] | None = None
) -> bytes:
    """Return a ZIP of ``<name>.csv`` for every table, plus ``plan.json`` if given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, frame in tables.items():
            zf.writestr(f"{name}.csv", csv_bytes(frame))
        if extra is not None:
            text = json.dumps(extra, ensure_ascii=False, indent=2, default=str)
            zf.writestr("plan.json", text.encode("utf-8"))
    return buf.getvalue()


def site_slot_chart(one_site: pd.DataFrame, lang: Lang) -> alt.LayerChart:
    """Return bars of the work booked per slot with the slot capacity as a line."""
    import altair as alt

    data = one_site[["slot_start", "people", "work_units", "capacity_units"]]
    base = alt.Chart(data).encode(x=alt.X("slot_start:O", title=tr("heat_x", lang)))
    bars = base.mark_bar(color="#4c78a8").encode(
        y=alt.Y("work_units:Q", title=tr("booked", lang)),
        tooltip=tooltips(
            ["slot_start", "people", "work_units", "capacity_units"], lang
        ),
    )
    cap = base.mark_line(
        color="#e45756", strokeDash=[6, 3], point=alt.OverlayMarkDef(color="#e45756")
    ).encode(y=alt.Y("capacity_units:Q", title=column_title("capacity_units", lang)))
    return alt.LayerChart(layer=[bars, cap], height=260)


# --- drills ---------------------------------------------------------------------------


def drill_specs(choices: Mapping[str, Any]) -> list[str]:
    """Turn the Drill page's choices into ``--disrupt`` specs (one per ticked box)."""

    def t(value: Any) -> str:
        return (
            f"{value.hour:02d}:{value.minute:02d}"
            if hasattr(value, "hour")
            else str(value)
        )

    out = []
    if choices.get("close"):
        out.append(f"close,site={choices['close_site']},at={t(choices['close_at'])}")
    if choices.get("no_show"):
        out.append(f"no_show,share={float(choices['no_show_share']):g}")
    if choices.get("rain"):
        out.append(
            f"rain,from={t(choices['rain_from'])},to={t(choices['rain_to'])},"
            f"factor={float(choices['rain_factor']):g}"
        )
    if choices.get("surge"):
        out.append(
            f"surge,from={t(choices['surge_from'])},to={t(choices['surge_to'])},"
            f"share={float(choices['surge_share']):g}"
        )
    if choices.get("seal"):
        out.append(
            f"seal,building={choices['seal_building']},at={t(choices['seal_at'])}"
        )
    return out


def drill_zip(run: Any, scenario: Any, work: Path) -> bytes:
    """Write the drill report into `work` and return it zipped."""
    from planner.drill.report import write_drill

    files = write_drill(run, scenario, work)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, path.relative_to(work).as_posix())
    return buf.getvalue()


def drill_wait_chart(
    sites: pd.DataFrame, limit_min: float, lang: Lang
) -> alt.LayerChart:
    """Return bars of each site's 95th-percentile wait with the queue limit as a rule."""
    import altair as alt

    data = sites[["site_id", "wait_p95_min", "queue_m_p95", "p_over_limit"]]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("site_id:N", sort="-y", title=tr("drill_site", lang)),
            y=alt.Y("wait_p95_min:Q", title=tr("drill_wait_chart", lang)),
            color=alt.condition(
                alt.datum.wait_p95_min > limit_min,
                alt.value("#e45756"),
                alt.value("#4c78a8"),
            ),
            tooltip=tooltips(list(data.columns), lang),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"limit": [limit_min]}))
        .mark_rule(color="#e45756", strokeDash=[6, 3])
        .encode(y="limit:Q")
    )
    return alt.LayerChart(layer=[bars, rule], height=260)


def drill_queue_chart(slots: pd.DataFrame, site_id: str, lang: Lang) -> alt.Chart:
    """Return the queue length per slot of one site (95th percentile, metres)."""
    import altair as alt

    data = slots[slots["site_id"] == site_id][
        ["slot_start", "queue_m_p95", "wait_p95_min", "utilisation"]
    ]
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_area(line=True, opacity=0.4)
        .encode(
            x=alt.X("slot_start:O", title=tr("heat_x", lang)),
            y=alt.Y("queue_m_p95:Q", title=tr("drill_queue_chart", lang)),
            tooltip=tooltips(list(data.columns), lang),
        )
        .properties(height=220)
    )
    return chart


# --- print-ready exports --------------------------------------------------------------


def print_exports_zip(
    tables: PlanTables,
    scenario: Scenario,
    work: Path,
    *,
    lang: Lang = "zh",
    unmasked: bool = False,
) -> tuple[bytes, ExportReport]:
    """Run :func:`planner.export.export_all` on a round's tables; return a ZIP of it.

    The tables come from memory (the round just planned, with its staff and supplies,
    so the rosters carry the staff sheets and the document its stock section); the
    files are written to ``work`` and zipped.

    Returns
    -------
    tuple
        The ZIP bytes and the export report.
    """
    from planner.export import export_all

    report = export_all(
        scenario,
        tables,
        work,
        lang=lang,
        unmasked=unmasked,
        parallel=False,  # no child processes from inside the web server
    )
    from planner.export.office import office_layout

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        # named by street, site and day, grouped as the office hands them out
        for name, f in office_layout(work, scenario, tables, lang):
            zf.write(f, name)
    return buf.getvalue(), report


def zip_part(data: bytes, prefix: str, suffix: str) -> bytes:
    """Return a ZIP of the entries of ZIP `data` named `prefix`…`suffix`.

    The print set's WeChat long images (``.png``) offered on their own, in the same
    community folders.
    """
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as dst,
    ):
        for info in src.infolist():
            name = info.filename
            if name.startswith(prefix) and name.endswith(suffix):
                dst.writestr(info.filename, src.read(info))
    return buf.getvalue()


def office_file_name(key: str, tables: PlanTables, street: str, lang: Lang) -> str:
    """Return a download's file name: the street, the day, what it is."""
    from planner.export._xlsx import safe_file_stem
    from planner.export.office import file_day

    return tr(key, lang, street=safe_file_stem(street), day=file_day(tables))


def beijing_today() -> str:
    """Return today's date in Beijing, ``YYYY-MM-DD``."""
    import datetime as dt

    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()


AUDIT_HIDDEN = ("chain",)
"""Audit columns a person does not read on the page (the CSV keeps them)."""


def audit_view(
    frame: pd.DataFrame, lang: Lang, *, hidden: Sequence[str] = ()
) -> pd.DataFrame:
    """Return the audit log as an office reads it.

    Times in Beijing time (the log keeps UTC), events, roles and clients in words,
    the masked flag 是/否, a row's details as ``label value`` pairs, headers in the
    user's language.
    """
    import datetime as dt

    li = lang_index(lang)
    beijing = dt.timezone(dt.timedelta(hours=8))
    out = frame.drop(columns=[c for c in hidden if c in frame.columns]).copy()

    def when(text: object) -> str:
        try:
            at = dt.datetime.fromisoformat(str(text))
        except ValueError:
            return str(text)
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        return at.astimezone(beijing).strftime("%Y-%m-%d %H:%M:%S")

    def word(prefix: str, code: object) -> str:
        key = f"{prefix}{code}"
        return tr(key, lang) if key in TEXT else str(code)

    def detail(text: object) -> str:
        try:
            values = json.loads(str(text)) if text else {}
        except ValueError:
            return str(text)
        if not isinstance(values, dict):
            return str(text)
        parts = []
        for key, value in values.items():
            label = SUMMARY_LABELS.get(key)
            name = label[li] if label else word("notices_audit_detail_", key)
            shown = f"{value:,}" if isinstance(value, int) else str(value)
            if key == "status":
                shown = status_label(str(value), lang)
            parts.append(f"{name} {shown}")
        return "；".join(parts) if lang == "zh" else "; ".join(parts)

    def client(text: object) -> str:
        value = str(text)
        if value == "local":
            return tr("notices_audit_local", lang)
        if value.startswith("remote "):
            return tr("notices_audit_remote", lang, address=value[len("remote ") :])
        return value

    if "at" in out:
        out["at"] = out["at"].map(when)
    if "event" in out:
        out["event"] = out["event"].map(lambda e: word("notices_audit_event_", e))
    if "role" in out:
        out["role"] = out["role"].map(lambda r: word("role_", r) if r else "")
    if "client" in out:
        out["client"] = out["client"].map(client)
    if "kind" in out and "event" in frame:  # what was loaded from, in words
        loads = frame["event"].isin(["load", "load_denied"]).to_numpy()
        out.loc[loads, "kind"] = [
            word("source_", k) if k in ("demo", "path", "upload") else k
            for k in out.loc[loads, "kind"]
        ]
    if "masked" in out:
        yes, no = tr("yes", lang), tr("no", lang)
        out["masked"] = [
            "" if pd.isna(m) else (yes if int(m) else no)
            for m in out["masked"].astype(object)
        ]
    if "detail" in out:
        out["detail"] = out["detail"].map(detail)
    heads = {c: tr(f"notices_audit_col_{c}", lang) for c in out.columns}
    return out.rename(columns=heads)


def with_frames(tables: PlanTables, frames: Mapping[str, pd.DataFrame]) -> PlanTables:
    """Return `tables` with some of its frames replaced (the masked ones)."""
    import dataclasses

    changes: dict[str, Any] = dict(frames)
    return dataclasses.replace(tables, **changes)


def tables_book_bytes(tables: PlanTables, scenario: Scenario, lang: Lang) -> bytes:
    """Return the plan's tables as one workbook a person reads (Chinese headers)."""
    import tempfile

    from planner.export.office import write_tables_book

    with tempfile.TemporaryDirectory() as tmp:
        path = write_tables_book(tables, scenario, Path(tmp) / "tables.xlsx", lang)
        return path.read_bytes()


# --- pictures: staff per site and shift, stock against the reserve rules ------------


def staff_fill(requirements: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Return, per post (site or team) and shift, the people needed and rostered.

    Returns
    -------
    pandas.DataFrame
        ``site_id, shift, shift_start, shift_end, needed, filled, missing`` (missing
        = needed − filled, never negative), posts in the requirements' order.
    """
    keys = ["site_id", "shift", "shift_start", "shift_end"]
    cols = [*keys, "needed", "filled", "missing"]
    if requirements.empty:
        return pd.DataFrame(columns=cols)
    need = requirements.groupby(keys, sort=False)["needed"].sum().reset_index()
    if roster.empty:
        need["filled"] = 0
    else:
        filled = roster.groupby(keys, sort=False).size().rename("filled").reset_index()
        need = need.merge(filled, on=keys, how="left")
        need["filled"] = need["filled"].fillna(0)
    need["needed"] = need["needed"].astype(int)
    need["filled"] = need["filled"].astype(int)
    need["missing"] = (need["needed"] - need["filled"]).clip(lower=0)
    return need[cols]


SAMPLER_ROLES = ("sampler", "home_sampler")
"""Roles that swab (medically qualified): shown apart from the other roles."""


def staff_parts(
    requirements: pd.DataFrame, roster: pd.DataFrame, scenario: Any
) -> dict[str, pd.DataFrame]:
    """Return :func:`staff_fill` in three parts, one kind of person each.

    Samplers at sites; the other roles at sites (and the transport crew);
    door-to-door teams (every role). A cell of one part then counts one kind of
    person: a shift with 0 of 7 samplers no longer reads 21/28 because its other
    posts are full.
    """
    sites = set(map(str, scenario.sites.id)) | {TRANSPORT_POST}

    def part(
        frame: pd.DataFrame, at_sites: bool, samplers: bool | None
    ) -> pd.DataFrame:
        if frame.empty:
            return frame
        mask = frame["site_id"].astype(str).isin(sites) == at_sites
        if samplers is not None:
            mask &= frame["role"].isin(SAMPLER_ROLES) == samplers
        return frame[mask]

    return {
        "samplers": staff_fill(
            part(requirements, True, True), part(roster, True, True)
        ),
        "others": staff_fill(
            part(requirements, True, False), part(roster, True, False)
        ),
        "teams": staff_fill(part(requirements, False, None), part(roster, False, None)),
    }


def support_tables(
    tables: PlanTables, scenario: Scenario, lang: Lang
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the staff and stock to ask for, with headers in `lang` (the support request)."""
    from planner.export.office import support_request

    staff, stock = support_request(tables, scenario, lang)
    staff = staff.rename(
        columns={c: tr(f"office_support_staff_{c}", lang) for c in staff.columns}
    )
    stock = stock.rename(
        columns={c: tr(f"office_support_stock_{c}", lang) for c in stock.columns}
    )
    return staff, stock


def post_labels(scenario: Any, lang: Lang) -> dict[str, str]:
    """Return the display name of every staff post: ``S001 名称``, teams as they are."""
    labels = {
        str(sid): f"{sid} {name}"
        for sid, name in zip(scenario.sites.id, scenario.sites.name, strict=True)
    }
    labels[TRANSPORT_POST] = tr("transport_team", lang)
    return labels


def staff_chart(fill: pd.DataFrame, labels: Mapping[str, str], lang: Lang) -> alt.Chart:
    """Return a post × shift grid: each cell ``filled/needed``, red where short.

    Parameters
    ----------
    fill
        :func:`staff_fill`.
    labels
        Display name of each post id (site name, team id, 转运组).
    """
    import altair as alt

    data = fill.copy()
    data["post"] = data["site_id"].map(lambda s: labels.get(s, s))
    data["shift_label"] = data["shift_start"] + "–" + data["shift_end"]
    data["cell"] = data["filled"].astype(str) + "/" + data["needed"].astype(str)
    full, short = tr("staff_state_full", lang), tr("staff_state_short", lang)
    data["state"] = [short if m > 0 else full for m in data["missing"]]
    order = list(dict.fromkeys(data["post"]))
    shifts = sorted(set(data["shift_label"]))
    base = alt.Chart(data).encode(
        x=alt.X(
            "shift_label:O",
            title=tr("staff_chart_shift", lang),
            sort=shifts,
            axis=alt.Axis(orient="top", labelAngle=0),
        ),
        y=alt.Y(
            "post:N",
            title=tr("staff_chart_site", lang),
            sort=order,
            axis=alt.Axis(labelLimit=260, labelOverlap=False),
        ),
    )
    tips = [
        alt.Tooltip("post:N", title=tr("staff_chart_site", lang)),
        alt.Tooltip("shift_label:O", title=tr("staff_chart_shift", lang)),
        alt.Tooltip("filled:Q", title=tr("staff_chart_filled", lang)),
        alt.Tooltip("needed:Q", title=tr("staff_chart_needed", lang)),
        alt.Tooltip("missing:Q", title=tr("staff_chart_missing", lang)),
    ]
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "state:N",
            title=tr("staff_chart_state", lang),
            scale=alt.Scale(domain=[full, short], range=["#9bd3a4", "#e45756"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=tips,
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("cell:N"), color=alt.value("#1a1a1a"), tooltip=tips
    )
    chart: alt.Chart = (cells + text).properties(height=alt.Step(20))
    return chart


def stock_frame(
    supplies: pd.DataFrame, lang: Lang, cap_days: float = 60.0
) -> pd.DataFrame:
    """Return one row per item and holder for the stock chart.

    ``label`` is ``物资（储备单位）``; ``days`` the days of supply at full load, capped
    at `cap_days` so one well-stocked item does not squash the others; ``short``
    whether it falls below its reserve rule.
    """
    li = lang_index(lang)
    holders = VALUE_LABELS["holder"]
    out = pd.DataFrame(
        {
            "label": [
                f"{item}（{holders.get(h, (h, h))[li]}）"
                if lang == "zh"
                else f"{item} ({holders.get(h, (h, h))[li]})"
                for item, h in zip(supplies["item"], supplies["holder"], strict=True)
            ],
            "days_of_supply": supplies["days_of_supply"].astype(float),
            "reserve_days": supplies["reserve_days"].astype(float),
        }
    )
    out["days"] = out["days_of_supply"].clip(upper=cap_days)
    out["short"] = out["days_of_supply"] < out["reserve_days"]
    ok, short = tr("stock_ok", lang), tr("stock_short", lang)
    out["state"] = [short if s else ok for s in out["short"]]
    return out


def stock_chart(supplies: pd.DataFrame, lang: Lang) -> alt.LayerChart:
    """Return bars of days of supply per item with the 15- and 30-day reserve lines."""
    import altair as alt

    data = stock_frame(supplies, lang)
    ok, short = tr("stock_ok", lang), tr("stock_short", lang)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                title=tr("stock_chart_item", lang),
                sort=None,
                axis=alt.Axis(labelLimit=260),
            ),
            x=alt.X("days:Q", title=tr("stock_chart_days", lang)),
            color=alt.Color(
                "state:N",
                title=tr("staff_chart_state", lang),
                scale=alt.Scale(domain=[ok, short], range=["#4c78a8", "#e45756"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=tr("stock_chart_item", lang)),
                alt.Tooltip("days_of_supply:Q", title=tr("stock_chart_days", lang)),
                alt.Tooltip("reserve_days:Q", title=tr("stock_chart_reserve", lang)),
            ],
        )
    )
    # each item's own rule as a tick, and the two rules as lines across
    ticks = (
        alt.Chart(data)
        .mark_tick(color="#1a1a1a", thickness=2)
        .encode(
            y=alt.Y("label:N", sort=None),
            x=alt.X("reserve_days:Q", title=tr("stock_chart_days", lang)),
            tooltip=[
                alt.Tooltip("reserve_days:Q", title=tr("stock_chart_reserve", lang))
            ],
        )
    )
    rules = pd.DataFrame({"reserve": [15.0, 30.0], "text": ["15", "30"]})
    lines = (
        alt.Chart(rules)
        .mark_rule(strokeDash=[6, 3], color="#555555")
        .encode(
            x=alt.X("reserve:Q", title=tr("stock_chart_days", lang)),
            tooltip=[alt.Tooltip("reserve:Q", title=tr("stock_chart_reserve", lang))],
        )
    )
    # the days as text beside each bar, red when short: an empty stock shows too
    values = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(
            y=alt.Y("label:N", sort=None),
            x=alt.X("days:Q", title=tr("stock_chart_days", lang)),
            text=alt.Text(
                "days_of_supply:Q", format=".1f", title=tr("stock_chart_days", lang)
            ),
            color=alt.Color(
                "state:N",
                scale=alt.Scale(domain=[ok, short], range=["#1a1a1a", "#e45756"]),
                legend=None,
            ),
        )
    )
    return alt.LayerChart(layer=[bars, ticks, lines, values]).properties(
        height=alt.Step(22)
    )


# --- the site card ----------------------------------------------------------------------


def card_heading(row: Mapping[str, Any], address: str, lang: Lang) -> str:
    """Return the site card's first line: name, id, address, desks, people, hours."""
    return tr(
        "card_head",
        lang,
        name=row["name"],
        site=row["site_id"],
        address=address or "—",
        desks=int(row["desks"]),
        people=int(row["people"]),
        first=str(row.get("first_slot") or ""),
        last=str(row.get("last_slot") or ""),
    )


def card_slots(slots: pd.DataFrame, site_id: str, lang: Lang) -> pd.DataFrame:
    """Return one site's slots for print: start–end, people, load (%), localised."""
    one = site_slots(slots, site_id)
    out = pd.DataFrame(
        {
            "slot": one["slot_start"] + "–" + one["slot_end"],
            "people": one["people"].astype(int),
            "desks": one["desks"].astype(int),
            "utilisation": (one["utilisation"].astype(float) * 100)
            .round(0)
            .astype(int),
        }
    )
    heads = {
        "slot": ("时段", "slot"),
        "people": ("人数", "people"),
        "desks": ("采样台", "desks"),
        "utilisation": ("负荷率(%)", "load (%)"),
    }
    li = lang_index(lang)
    return out.rename(columns={k: v[li] for k, v in heads.items()})


def card_staff(
    roster: pd.DataFrame, shortfall: pd.DataFrame, site_id: str, lang: Lang
) -> pd.DataFrame:
    """Return who works at a site, per shift and role, with the places left unfilled.

    Columns: shift (``08:00–11:00``), role name, count, names (、-separated), short.
    """
    li = lang_index(lang)
    mine = roster[roster["site_id"] == site_id]
    rows: list[dict[str, Any]] = []
    keys = ["shift_start", "shift_end", "role", "role_zh"]
    short = shortfall[shortfall["site_id"] == site_id] if len(shortfall) else shortfall
    missing: dict[tuple[str, str], int] = {}
    for r in short.itertuples(index=False):
        missing[(f"{r.shift_start}–{r.shift_end}", str(r.role))] = int(str(r.missing))
    for (start, end, role, role_zh), group in mine.groupby(keys, sort=False):
        shift = f"{start}–{end}"
        rows.append(
            {
                "shift": shift,
                "role": role_zh if lang == "zh" else role_name(str(role), "en"),
                "count": len(group),
                "names": ("、" if lang == "zh" else ", ").join(
                    group["name"].astype(str)
                ),
                "short": missing.pop((shift, str(role)), 0),
            }
        )
    for (shift, role), n in missing.items():  # roles with nobody rostered at all
        rows.append(
            {
                "shift": shift,
                "role": role_name(role, lang),
                "count": 0,
                "names": "",
                "short": n,
            }
        )
    heads = {
        "shift": ("班次", "shift"),
        "role": ("岗位", "role"),
        "count": ("人数", "people"),
        "names": ("姓名", "names"),
        "short": ("缺", "short"),
    }
    frame = pd.DataFrame(rows, columns=list(heads))
    frame = frame.sort_values(["shift"], kind="stable").reset_index(drop=True)
    return frame.rename(columns={k: v[li] for k, v in heads.items()})


def card_picks(picks: pd.DataFrame, site_id: str, lang: Lang) -> pd.DataFrame:
    """Return one site's pick list, localised (item, quantity, unit, holder)."""
    one = picks[picks["site_id"] == site_id][["item", "quantity", "unit", "holder"]]
    return display_frame(one.reset_index(drop=True), lang)


# --- access page -----------------------------------------------------------------------


def access_objective_label(objective: str, policy: Policy, lang: Lang) -> str:
    """Return the words for an access objective of the Plan page's choice."""
    from planner.export.access import objective_label

    a = policy.access
    ages = {
        "oldest_age": a.oldest_age,
        "oldest_walk_limit_min": a.oldest_walk_limit_min,
    }
    return objective_label(objective, ages, lang)


def access_table(
    access: dict[str, Any], lang: Lang, part: str = "groups"
) -> pd.DataFrame:
    """Return a part of ``plan.json``'s access report as a table in `lang`.

    `part` is ``groups``, ``communities`` or ``grids`` (the last two by name).
    """
    from planner.export import access as ax

    heads = ax.table_columns(access, lang)
    if part == "communities":
        heads[0] = tr("access_col_community", lang)
    elif part == "grids":
        heads[0] = tr("access_col_grid", lang)
    return pd.DataFrame(ax.table_rows(access, lang, part), columns=heads)


def pin_targets(scenario: Scenario, kind: str) -> list[str]:
    """Return what a pin of `kind` may send: building ids, compound names, grid ids."""
    if kind == "building":
        return [str(x) for x in scenario.buildings.id.tolist()]
    if kind == "compound":
        return list(scenario.compounds)
    return list(scenario.grid_ids)
