"""Check raw scenario tables and turn them into typed frames, collecting every problem.

Values are normalised before they are parsed, the way a person reads a register:
full-width digits, letters and spaces become their ASCII forms (NFKC; names and
addresses are kept as written), and a unit typed after a number ("3人", "4 台") or
thousands separators ("1,200") are dropped. Each kind of normalisation is listed as a
note with its count and the first cells, never silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.errors import Issue
from planner.io.schema import (
    COORDINATE_SYSTEMS,
    FALSE_VALUES,
    HOLDERS,
    NUMBER_UNITS,
    STAFF_ROLES,
    TRUE_VALUES,
    Column,
    Table,
)
from planner.io.tables import NOTE_EXAMPLES, RawScenario, RawTable, normalise_header
from planner.model import constants as k
from planner.model.clock import hhmm
from planner.model.identity import id_number_problems, phones_valid

MAX_ISSUES_PER_KIND = 20
"""Issues of one kind (file, code, column) listed one by one before summarising."""


@dataclass
class IssueLog:
    """Collect issues, listing at most `MAX_ISSUES_PER_KIND` of one kind individually.

    `every` keeps all of them, for the marked workbook that highlights every cell.
    """

    issues: list[Issue] = field(default_factory=list)
    every: list[Issue] = field(default_factory=list)
    _counts: dict[tuple[str, str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )

    def add(self, issue: Issue) -> None:
        """Record one issue (or only count it, past the per-kind cap)."""
        kind = (issue.file, issue.code, issue.column)
        self._counts[kind] += 1
        self.every.append(issue)
        if self._counts[kind] <= MAX_ISSUES_PER_KIND:
            self.issues.append(issue)

    def finish(self) -> list[Issue]:
        """Return the issues, with one summary line per kind that passed the cap."""
        out = list(self.issues)
        for (file, code, column), n in self._counts.items():
            if n > MAX_ISSUES_PER_KIND:
                sev = next(
                    i.severity
                    for i in self.issues
                    if (i.file, i.code, i.column) == (file, code, column)
                )
                out.append(
                    Issue(
                        sev,
                        "more_of_kind",
                        file,
                        None,
                        column,
                        (("n", str(n - MAX_ISSUES_PER_KIND)), ("code", code)),
                    )
                )
        return out

    @property
    def has_errors(self) -> bool:
        """Whether any error (not only warnings) was recorded."""
        return any(i.severity == "error" for i in self.issues)


def _idx(mask: Any) -> list[int]:
    """Return the positions where `mask` is true, as Python ints."""
    return [int(i) for i in np.flatnonzero(np.asarray(mask))]


@dataclass(frozen=True)
class TypedTable:
    """A checked table: canonical columns with typed values, and where rows came from."""

    frame: pd.DataFrame
    label: str
    rows: np.ndarray
    header_of: dict[str, str]
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    """Header → mask of the rows whose cell was a number in the workbook."""

    def where(self, i: int | np.integer[Any], column: str) -> tuple[str, int, str]:
        """Return (file, row, header) of frame row `i` and canonical `column`."""
        return self.label, int(self.rows[i]), self.header_of.get(column, column)


_UNIT_RE = re.compile(
    r"^([+-]?\d+(?:\.\d+)?)\s*(?:" + "|".join(map(re.escape, NUMBER_UNITS)) + r")$"
)
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


@dataclass
class _Notes:
    """Cells of one table changed by one kind of normalisation, for its note."""

    count: int = 0
    cells: list[str] = field(default_factory=list)

    def add(self, total: int, rows: list[int], header: str, before: list[str]) -> None:
        """Count `total` changed cells; quote the first ones (`rows`, `before`)."""
        self.count += total
        for r, b in zip(rows, before, strict=False):
            if len(self.cells) >= NOTE_EXAMPLES:
                break
            self.cells.append(f"{r}/{header}“{b[:20]}”")


def _nfkc(s: pd.Series) -> pd.Series:
    """Return `s` with every cell that NFKC changes normalised and stripped."""
    ascii_ = s.str.isascii().to_numpy(dtype=bool)
    if ascii_.all():
        return s
    # registers repeat few distinct non-ASCII values (是/否, 男/女, 1单元), and most
    # are plain Chinese that NFKC leaves alone: ask once per distinct value
    distinct = pd.unique(s[~ascii_].to_numpy(dtype=object))
    fixed = {
        v: unicodedata.normalize("NFKC", v).strip()
        for v in distinct
        if not unicodedata.is_normalized("NFKC", v)
    }
    if not fixed:
        return s
    change = s.isin(list(fixed)).to_numpy(dtype=bool)
    out = s.copy()
    out[change] = s[change].map(fixed)
    return out


def _strip_units(s: pd.Series, candidates: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Drop a unit after a number, or thousands separators, where `candidates`."""
    values = s.to_numpy(dtype=object).copy()
    changed = np.zeros(len(s), dtype=bool)
    for i in np.flatnonzero(candidates):
        v = str(values[i])
        m = _UNIT_RE.match(v)
        if m is not None:
            values[i] = m.group(1)
            changed[i] = True
        elif _THOUSANDS_RE.match(v):
            values[i] = v.replace(",", "")
            changed[i] = True
    return pd.Series(values, index=s.index, dtype=object), changed


def _parse_column(
    col: Column,
    s: pd.Series,
    raw: RawTable,
    header: str,
    log: IssueLog,
    notes: dict[str, _Notes],
) -> pd.Series:
    rows = raw.rows
    original = s
    if not col.verbatim:
        s = _nfkc(s)
        changed = (s != original).to_numpy()
        if changed.any():
            pos = _idx(changed)
            notes["fullwidth_normalised"].add(
                len(pos),
                [rows[i] for i in pos[:NOTE_EXAMPLES]],
                header,
                [str(original.iat[i]) for i in pos[:NOTE_EXAMPLES]],
            )
    empty = (s == "").to_numpy()

    def report(mask: np.ndarray, code: str) -> None:
        for i in _idx(mask):
            log.add(
                Issue(
                    "error",
                    code,
                    raw.label,
                    rows[i],
                    header,
                    (("value", str(original.iat[i])[:40]),),
                )
            )

    if col.required:
        report(empty, "value_missing")
    if col.type == "str":
        return s.astype(object)
    if col.type in ("int", "float"):
        given = raw.numeric.get(header)
        if given is not None and given.any():
            # cells that were numbers in the workbook need no parsing back from text
            num = raw.numbers[header].copy()
            typed = ~given & ~empty
            if typed.any():
                num[typed] = pd.to_numeric(s[typed], errors="coerce").to_numpy(
                    dtype=float
                )
        else:
            num = np.array(
                pd.to_numeric(s.where(~empty, None), errors="coerce"), dtype=float
            )
        retry = ~empty & np.isnan(num)
        if retry.any():
            s, unit = _strip_units(s, retry)
            if unit.any():
                pos = _idx(unit)
                notes["units_removed"].add(
                    len(pos),
                    [rows[i] for i in pos[:NOTE_EXAMPLES]],
                    header,
                    [str(original.iat[i]) for i in pos[:NOTE_EXAMPLES]],
                )
                num[unit] = pd.to_numeric(s[unit], errors="coerce").to_numpy(
                    dtype=float
                )
        bad = ~empty & np.isnan(num)
        if col.type == "int":
            bad |= ~empty & ~np.isnan(num) & (np.floor(np.nan_to_num(num)) != num)
        report(bad, f"bad_{col.type}")
        return pd.Series(num, index=s.index)
    if col.type == "bool":
        low = s.str.lower()
        true = low.isin(TRUE_VALUES).to_numpy()
        false = low.isin(FALSE_VALUES).to_numpy()
        report(~true & ~false, "bad_bool")
        return pd.Series(true, index=s.index)
    if col.type == "time":
        parsed = s.str.extract(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
        h = pd.to_numeric(parsed[0], errors="coerce").to_numpy(dtype=float)
        m = pd.to_numeric(parsed[1], errors="coerce").to_numpy(dtype=float)
        minutes = h * 60 + m
        bad = ~empty & (np.isnan(minutes) | (h > 24) | (m >= 60))
        report(bad, "bad_time")
        return pd.Series(np.where(bad | empty, np.nan, minutes), index=s.index)
    # date
    parsed_dates = pd.to_datetime(
        s.where(~empty, None), errors="coerce", format="%Y-%m-%d"
    )
    bad = ~empty & parsed_dates.isna().to_numpy()
    report(bad, "bad_date")
    return parsed_dates


def parse_table(raw: RawTable, log: IssueLog) -> TypedTable | None:
    """Map headers to canonical columns and parse every value by its column type.

    Returns None when the table cannot be used at all (a required column is missing or
    it has no rows); the reasons are in `log`.
    """
    table: Table = raw.table
    head = raw.header_row
    alias_map: dict[str, str] = {}
    for col in table.columns:
        for alias in (col.name, *col.aliases):
            alias_map[normalise_header(alias)] = col.name
    header_of: dict[str, str] = {}
    for header in raw.frame.columns:
        canonical = alias_map.get(normalise_header(str(header).split("#")[0]))
        if canonical is None:
            if str(header).strip():
                log.add(
                    Issue("warning", "column_unknown", raw.label, head, str(header))
                )
            continue
        if canonical in header_of:
            log.add(
                Issue(
                    "error",
                    "column_duplicate",
                    raw.label,
                    head,
                    str(header),
                    (("column", canonical),),
                )
            )
            continue
        header_of[canonical] = str(header)
    usable = True
    for col in table.columns:
        if col.required and col.name not in header_of:
            log.add(
                Issue(
                    "error",
                    "column_missing",
                    raw.label,
                    head,
                    "",
                    (("column", f"{col.name}/{col.label_zh}"),),
                )
            )
            usable = False
    if len(raw.frame) == 0:
        log.add(Issue("error", "table_empty", raw.label))
        usable = False
    if not usable:
        return None
    out: dict[str, pd.Series] = {}
    notes: dict[str, _Notes] = defaultdict(_Notes)
    for col in table.columns:
        if col.name in header_of:
            header = header_of[col.name]
            s = raw.frame[header].astype(str)
            out[col.name] = _parse_column(col, s, raw, header, log, notes)
    for code, note in notes.items():
        log.add(
            Issue(
                "note",
                code,
                raw.label,
                params=(
                    ("n", str(note.count)),
                    (
                        "cells",
                        "、".join(note.cells)
                        + ("…" if note.count > NOTE_EXAMPLES else ""),
                    ),
                ),
            )
        )
    frame = pd.DataFrame(out)
    if table.key is not None:
        key = frame[table.key]
        dup = key.duplicated(keep="first") & (key != "")
        if dup.any():
            first_pos = {v: i for i, v in reversed(list(enumerate(key)))}
            for i in _idx(dup.to_numpy()):
                log.add(
                    Issue(
                        "error",
                        "duplicate_id",
                        raw.label,
                        raw.rows[i],
                        header_of[table.key],
                        (
                            ("value", str(key.iat[i])),
                            ("first", str(raw.rows[first_pos[key.iat[i]]])),
                        ),
                    )
                )
    return TypedTable(frame, raw.label, np.asarray(raw.rows), header_of, raw.numeric)


def _check_refs(
    child: TypedTable, column: str, parent_ids: pd.Series, target: str, log: IssueLog
) -> None:
    values = child.frame[column]
    bad = ~values.isin(parent_ids) & (values != "")
    for i in _idx(bad.to_numpy()):
        log.add(
            Issue(
                "error",
                "unknown_reference",
                *child.where(i, column),
                (("target", target), ("value", str(values.iat[i]))),
            )
        )


def _check_positive(
    t: TypedTable, column: str, code: str, log: IssueLog, *, allow_zero: bool = False
) -> None:
    if column not in t.frame:
        return
    v = t.frame[column].to_numpy(dtype=float)
    bad = (v < 0) if allow_zero else (v <= 0)
    for i in _idx(bad & ~np.isnan(v)):
        log.add(Issue("error", code, *t.where(i, column), (("value", f"{v[i]:g}"),)))


def _check_coords(t: TypedTable, log: IssueLog) -> None:
    if "lon" not in t.frame or "lat" not in t.frame:
        return  # buildings may come without: fill_building_coords places them
    lon = t.frame["lon"].to_numpy(dtype=float)
    lat = t.frame["lat"].to_numpy(dtype=float)
    lo_lon, hi_lon = k.CHINA_LON_RANGE
    lo_lat, hi_lat = k.CHINA_LAT_RANGE
    ok = (lon >= lo_lon) & (lon <= hi_lon) & (lat >= lo_lat) & (lat <= hi_lat)
    swapped = (lat >= lo_lon) & (lat <= hi_lon) & (lon >= lo_lat) & (lon <= hi_lat)
    known = ~np.isnan(lon) & ~np.isnan(lat)
    for i in _idx(known & ~ok):
        code = "coords_swapped" if swapped[i] else "coords_outside_china"
        log.add(
            Issue(
                "error",
                code,
                *t.where(i, "lon" if swapped[i] else "lat"),
                (("lon", f"{lon[i]:.6f}"), ("lat", f"{lat[i]:.6f}")),
            )
        )


def check_far_points(
    t: TypedTable,
    lon: np.ndarray,
    lat: np.ndarray,
    centre: tuple[float, float],
    log: IssueLog,
) -> None:
    """Warn about points farther than `FAR_FROM_STREET_M` from the street centre."""
    dx = (lon - centre[0]) * 111_320.0 * np.cos(np.radians(centre[1]))
    dy = (lat - centre[1]) * 110_540.0
    dist = np.hypot(dx, dy)
    for i in _idx(dist > k.FAR_FROM_STREET_M):
        log.add(
            Issue(
                "warning",
                "far_from_street",
                *t.where(i, "lon"),
                (("km", f"{dist[i] / 1000:.1f}"),),
            )
        )


def _normalise_enum(
    t: TypedTable,
    column: str,
    accepted: dict[str, tuple[str, ...]],
    code: str,
    log: IssueLog,
) -> None:
    lookup = {
        alias.lower(): canon for canon, aliases in accepted.items() for alias in aliases
    }
    raw = t.frame[column].astype(str)
    mapped = raw.str.lower().map(lookup)
    for i in _idx(mapped.isna().to_numpy() & (raw != "").to_numpy()):
        log.add(
            Issue("error", code, *t.where(i, column), (("value", str(raw.iat[i])),))
        )
    t.frame[column] = mapped.fillna("").astype(object)


def _check_residents(res: TypedTable, log: IssueLog, day: dt.date) -> None:
    """Check ID numbers, phones and ages; each age against its ID number on `day`.

    An age more than a year off the one the birth date gives on `day` is a warning
    (the ages were counted at another time, or one of the two is mistyped).
    """
    # vectorised: a street's register has up to a few hundred thousand residents
    f = res.frame
    ids = f["id_number"].astype(str).str.upper()
    ages = f["age"].to_numpy(dtype=float)
    id_header = res.header_of.get("id_number", "")
    numeric = res.numeric.get(id_header, np.zeros(len(f), dtype=bool))
    as_number = numeric & (ids.str.len() != 18).to_numpy()
    for i in _idx(as_number):
        log.add(Issue("error", "id_number_numeric", *res.where(i, "id_number")))
    problems = id_number_problems(ids.where(~as_number, ""))
    for problem in ("format", "check"):
        for i in _idx(problems == problem):
            log.add(Issue("error", f"id_number_{problem}", *res.where(i, "id_number")))
    good = (ids != "").to_numpy() & ~as_number & (problems == "")
    born_y = pd.to_numeric(ids.str[6:10], errors="coerce").to_numpy(dtype=float)
    born_md = pd.to_numeric(ids.str[10:14], errors="coerce").to_numpy(dtype=float)
    day_md = day.month * 100 + day.day
    age_from_id = day.year - born_y - (day_md < born_md)
    mismatch = good & ~np.isnan(ages) & (np.abs(age_from_id - ages) > 1)
    for i in _idx(mismatch):
        log.add(
            Issue(
                "warning",
                "id_age_mismatch",
                *res.where(i, "age"),
                (("age", f"{ages[i]:g}"),),
            )
        )
    phones = f["phone"].astype(str)
    for i in _idx((phones != "").to_numpy() & ~phones_valid(phones)):
        log.add(Issue("error", "phone_invalid", *res.where(i, "phone")))
    bad_age = ~np.isnan(ages) & ((ages < 0) | (ages > 120))
    for i in _idx(bad_age):
        log.add(
            Issue(
                "error", "age_range", *res.where(i, "age"), (("value", f"{ages[i]:g}"),)
            )
        )


@dataclass(frozen=True)
class CheckedScenario:
    """Typed tables (canonical columns), the coordinate system, and all issues."""

    tables: dict[str, TypedTable]
    meta: dict[str, str]
    coordinate_system: str
    issues: list[Issue]
    every_issue: list[Issue] = field(default_factory=list)
    """All issues, without the per-kind cap of `issues` (for the marked workbook)."""

    @property
    def ok(self) -> bool:
        """Whether no error was found (warnings allowed)."""
        return not any(i.severity == "error" for i in self.issues)


def check_scenario(raw: RawScenario, *, day: dt.date | None = None) -> CheckedScenario:
    """Parse and check every table and the references between them.

    Parameters
    ----------
    raw
        Tables as read by :func:`planner.io.tables.read_scenario_tables`.
    day
        The screening day: residents' ages are held against the birth dates in
        their ID numbers as of this day. None: today.

    Returns
    -------
    CheckedScenario
        Typed tables and every problem found; callers decide whether errors stop.
    """
    log = IssueLog()
    for issue in raw.issues:
        log.add(issue)
    typed: dict[str, TypedTable] = {}
    if raw.tables and all(len(t.frame) == 0 for t in raw.tables.values()):
        # an untouched template (or a workbook of headers only): one clear message
        # instead of one "no data rows" per sheet
        log.add(
            Issue(
                "error",
                "no_data_yet",
                raw.source.name,
                params=(("examples", str(raw.example_rows)),),
            )
        )
        return CheckedScenario(typed, dict(raw.meta), "wgs84", log.finish(), log.every)
    for name, table in raw.tables.items():
        if name == "labs" and len(table.frame) == 0:
            continue  # the template's labs sheet left empty: today's single lab
        parsed = parse_table(table, log)
        if parsed is not None:
            typed[name] = parsed

    crs_raw = raw.meta.get("coordinate_system", "wgs84").strip().lower() or "wgs84"
    crs = next((c for c, al in COORDINATE_SYSTEMS.items() if crs_raw in al), "")
    if not crs:
        log.add(
            Issue(
                "error",
                "unknown_crs",
                "scenario",
                None,
                "coordinate_system",
                (("value", crs_raw),),
            )
        )
        crs = "wgs84"

    b, h, r = typed.get("buildings"), typed.get("households"), typed.get("residents")
    s, st, inv = typed.get("sites"), typed.get("staff"), typed.get("inventory")
    for t in (b, s):
        if t is not None:
            _check_coords(t, log)
    if h is not None:
        _check_positive(h, "size", "nonpositive", log)
        _check_pending(h, log)
        if b is not None:
            _check_refs(h, "building_id", b.frame["building_id"], "楼栋/building", log)
    if r is not None:
        _check_residents(r, log, day or dt.date.today())
        if h is not None:
            _check_refs(r, "household_id", h.frame["household_id"], "户/household", log)
            _reconcile_sizes(h, r, log)
    if s is not None:
        desks = s.frame["max_desks"].to_numpy(dtype=float)
        for i in _idx(~np.isnan(desks) & (desks < 1)):
            log.add(
                Issue(
                    "error",
                    "site_no_desks",
                    *s.where(i, "max_desks"),
                    (("value", f"{desks[i]:g}"),),
                )
            )
        if "open_from" in s.frame and "open_to" in s.frame:
            frm = s.frame["open_from"].to_numpy(dtype=float)
            to = s.frame["open_to"].to_numpy(dtype=float)
            for i in _idx(~np.isnan(frm) & ~np.isnan(to) & (to <= frm)):
                log.add(
                    Issue(
                        "error",
                        "open_window_bad",
                        *s.where(i, "open_to"),
                        (("frm", hhmm(frm[i])), ("to", hhmm(to[i]))),
                    )
                )
    if st is not None:
        _normalise_enum(st, "role", STAFF_ROLES, "unknown_role", log)
        if "phone" in st.frame:
            phones = st.frame["phone"].astype(str)
            for i in _idx((phones != "").to_numpy() & ~phones_valid(phones)):
                log.add(Issue("error", "phone_invalid", *st.where(i, "phone")))
    if inv is not None:
        _normalise_enum(inv, "holder", HOLDERS, "unknown_holder", log)
        _check_positive(inv, "on_hand", "negative", log, allow_zero=True)
    if b is not None and h is not None:
        has_households = b.frame["building_id"].isin(h.frame["building_id"]).to_numpy()
        for i in _idx(~has_households):
            log.add(Issue("warning", "building_empty", *b.where(i, "building_id")))
    return CheckedScenario(typed, dict(raw.meta), crs, log.finish(), log.every)


def _check_pending(h: TypedTable, log: IssueLog) -> None:
    """Warn where a household is both sealed and pool-positive pending review.

    Both are sampled at home; pending review wins for the tubes (one per person, the
    review needs each person's result), so the household is not pooled into one tube.
    """
    if "pending_review" not in h.frame or "sealed" not in h.frame:
        return
    both = h.frame["pending_review"].to_numpy(dtype=bool) & h.frame["sealed"].to_numpy(
        dtype=bool
    )
    for i in _idx(both):
        log.add(
            Issue("warning", "rules_pending_and_sealed", *h.where(i, "pending_review"))
        )


def _reconcile_sizes(h: TypedTable, r: TypedTable, log: IssueLog) -> None:
    """Warn where a household's size and its listed residents disagree; keep the larger.

    A register's household size and its person list are kept by different hands and
    drift apart; neither is dropped. Planning with the larger number never leaves a
    person without a slot, and the warning lists the household for the grid worker.
    """
    counts = r.frame["household_id"].value_counts()
    listed = h.frame["household_id"].map(counts).fillna(0).to_numpy(dtype=float)
    size = h.frame["size"].to_numpy(dtype=float)
    known = ~np.isnan(size) & (size > 0)
    for i in _idx(known & (listed == 0)):
        log.add(
            Issue(
                "warning",
                "residents_missing",
                *h.where(i, "size"),
                (("size", f"{size[i]:g}"),),
            )
        )
    for i in _idx(known & (listed > 0) & (listed != size)):
        log.add(
            Issue(
                "warning",
                "size_mismatch",
                *h.where(i, "size"),
                (
                    ("size", f"{size[i]:g}"),
                    ("count", f"{listed[i]:g}"),
                    ("planned", f"{max(size[i], listed[i]):g}"),
                ),
            )
        )
    h.frame["size"] = np.where(known, np.maximum(size, listed), size)


def fill_building_coords(
    b: TypedTable,
    lon: np.ndarray,
    lat: np.ndarray,
    areas: dict[str, dict[str, tuple[float, float]]],
    log: IssueLog,
) -> tuple[np.ndarray, np.ndarray]:
    """Give a building without coordinates its compound's point, else its grid's.

    The point is the mean of the compound's other buildings with coordinates, else
    the centre of the compound's outline (``compounds`` layer), else the same for the
    grid (its buildings, then its outline in the ``grids`` layer), else the
    community's buildings. Each such building gets a warning naming its file and
    row, so the office can check it on the map; one with no point at all is an error.

    Parameters
    ----------
    b
        The buildings table.
    lon, lat
        Its WGS-84 coordinates (NaN where not given).
    areas
        ``{"compound": {name: (lon, lat)}, "grid": {grid_id: (lon, lat)}}``: the
        centres of the optional outline layers.

    Returns
    -------
    tuple
        The coordinates with the gaps filled (a copy).
    """
    lon, lat = lon.astype(float).copy(), lat.astype(float).copy()
    missing = np.isnan(lon) | np.isnan(lat)
    if not missing.any():
        return lon, lat
    f = b.frame
    keys = {
        "compound": f["compound"].astype(str).to_numpy(),
        "grid": f["grid_id"].astype(str).to_numpy(),
        "community": f["community"].astype(str).to_numpy(),
    }
    known = ~missing
    column = "lon" if "lon" in b.header_of else "building_id"
    for i in _idx(missing):
        point: tuple[float, float] | None = None
        source = ""
        for level in ("compound", "grid", "community"):
            same = known & (keys[level] == keys[level][i])
            if level == "compound":  # a compound's name is only unique in its community
                same &= keys["community"] == keys["community"][i]
            if same.any():
                point = (float(lon[same].mean()), float(lat[same].mean()))
                source = f"{level}_buildings"
            elif keys[level][i] in areas.get(level, {}):
                point = areas[level][keys[level][i]]
                source = f"{level}_area"
            if point is not None:
                name = keys[level][i]
                break
        if point is None:
            log.add(Issue("error", "building_no_coords", *b.where(i, column)))
            continue
        lon[i], lat[i] = point
        log.add(
            Issue(
                "warning",
                f"coords_from_{source}",
                *b.where(i, column),
                (("building", str(f["building_id"].iat[i])), ("name", name)),
            )
        )
    return lon, lat
