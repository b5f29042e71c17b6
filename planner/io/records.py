"""Read the day's sampling records, the labs' results and the grid workers' filled lists.

The registration system's export comes as CSV (UTF-8 with or without a BOM, or GBK)
or a workbook, with Chinese or English headers and the quirks such exports have: a
merged title line above the header, ID numbers with spaces, a lower-case ``x`` or
full-width digits, phones written as numbers, times as Excel serial numbers or as
text in several forms. The sheet reading is the register's (:func:`table_from_grid`:
header found by its known names, title and blank lines left out); this module maps the
columns, normalises the values and collects every problem, with file, sheet, row and
column, before raising them together (:class:`planner.errors.InputError`).

Normalisation (vectorised, so 200,000 rows take about a second): NFKC (full-width
digits and letters become ASCII), every space removed from ID numbers, phones and
codes, ID numbers upper-cased, a trailing ``.0`` of a number cell dropped.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import InputError, Issue, reason_of
from planner.io.schema import Column, Table
from planner.io.tables import (
    WORKBOOK_SUFFIXES,
    RawTable,
    _open_workbook,
    _read_csv_grid,
    normalise_header,
    read_grid,
    table_from_grid,
)

SPACES = "[ \t\r\n\x0b\x0c]+"
"""Spaces removed from codes and names (after NFKC, which makes U+3000 a space); a
class of plain characters, so pyarrow runs it (``\\s`` falls back to Python's re)."""

RECORD_COLUMNS = ("name", "id_number", "phone", "site", "desk", "sampled_at", "tube")
"""Canonical columns of a record frame, then ``box``, ``source``, ``row``."""

TUBE_COLUMN = Column(
    "tube",
    "str",
    True,
    ("试管码", "试管编码", "试管条码", "管码", "tube_code", "tube_id", "barcode"),
    "试管码",
)
"""The tube code, the column the records and the labs' results are matched on."""

RECORDS = Table(
    "records",
    "采样记录",
    False,
    None,
    (
        Column("name", "str", False, ("姓名", "受检者姓名", "受检人"), "姓名", True),
        Column(
            "id_number",
            "str",
            False,
            ("证件号码", "身份证号", "身份证号码", "证件号", "id", "idnumber", "id_no"),
            "证件号码",
        ),
        Column(
            "phone",
            "str",
            False,
            ("手机号", "手机号码", "联系电话", "电话", "mobile", "tel"),
            "手机号",
        ),
        Column(
            "site",
            "str",
            True,
            ("采样点", "采样点名称", "采样点位", "site_id"),
            "采样点",
        ),
        Column("desk", "str", False, ("采样台", "采样台号", "采样台编号"), "采样台"),
        Column(
            "sampled_at",
            "str",
            True,
            ("采样时间", "登记时间", "time", "sampling_time", "sampled"),
            "采样时间",
        ),
        TUBE_COLUMN,
        Column(
            "box",
            "str",
            False,
            ("转运箱码", "转运箱编码", "转运箱号", "箱码", "box_code", "box_id"),
            "转运箱码",
        ),
    ),
)
"""The registration system's export (one row per swab)."""

RESULTS = Table(
    "lab_results",
    "检测结果",
    False,
    None,
    (
        TUBE_COLUMN,
        Column("result", "str", True, ("检测结果", "结果", "result_text"), "检测结果"),
        Column(
            "reported_at",
            "str",
            False,
            ("报告时间", "结果时间", "出结果时间", "report_time", "reported"),
            "报告时间",
        ),
        Column("lab", "str", False, ("检测机构", "实验室", "laboratory"), "检测机构"),
    ),
)
"""A lab's results (one row per tube)."""

REASON_LIST = Table(
    "reasons",
    "未检人员名单",
    False,
    None,
    (
        Column(
            "resident_id", "str", True, ("人员编号", "居民编号", "resident"), "人员编号"
        ),
        Column("reason", "str", False, ("未检原因", "原因", "reason_code"), "未检原因"),
        Column("note", "str", False, ("备注", "说明", "remark"), "备注"),
    ),
)
"""A grid worker's filled 未检人员名单 (the planner writes it; the reason comes back)."""

POSITIVE_WORDS = ("阳性", "positive", "pos", "+", "阳", "检出")
NEGATIVE_WORDS = ("阴性", "negative", "neg", "-", "阴", "未检出")
PENDING_WORDS = ("", "待出", "pending", "待检", "检测中")
"""Result words accepted (compared after NFKC and lower-casing)."""


@dataclass(frozen=True)
class LabResults:
    """Results by tube.

    Attributes
    ----------
    frame
        ``tube``, ``result`` (``positive``, ``negative`` or ``pending``),
        ``reported_at`` (datetime64, NaT when not given), ``lab``, ``source``, ``row``.
    """

    frame: pd.DataFrame

    @property
    def positive_tubes(self) -> list[str]:
        """The positive tubes, sorted."""
        f = self.frame
        return sorted(set(f.loc[f["result"] == "positive", "tube"].astype(str)))


def _columns(raw: RawTable) -> dict[str, str]:
    """Map canonical names to the file's headers (first match of each)."""
    wanted: dict[str, str] = {}
    for col in raw.table.columns:
        names = {normalise_header(a) for a in (col.name, *col.aliases)}
        for header in raw.frame.columns:
            if normalise_header(str(header).split("#")[0]) in names:
                wanted.setdefault(col.name, str(header))
                break
    return wanted


def _grids(
    path: Path, issues: list[Issue]
) -> list[
    tuple[
        str,
        str | None,
        list[list[object]],
        list[tuple[tuple[int, int], tuple[int, int]]],
    ]
]:
    """Return (label, sheet, cells, merges) of every sheet of `path` with data."""
    if not path.exists():
        issues.append(
            Issue("error", "file_unreadable", path.name, params=(("why", "not_found"),))
        )
        return []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid = _read_csv_grid(path, path.name, issues)
        return [] if grid is None else [(path.name, None, grid, [])]
    if suffix not in WORKBOOK_SUFFIXES:
        issues.append(
            Issue(
                "error", "file_unreadable", path.name, params=(("why", "not_scenario"),)
            )
        )
        return []
    wb = _open_workbook(path, path.name, issues)
    if wb is None:
        return []
    out = []
    try:
        for name in list(wb.sheet_names):
            if normalise_header(name) in ("说明", "填表说明", "readme"):
                continue
            try:
                grid, merged = read_grid(wb, name)
            except Exception as exc:  # calamine raises several types for damaged sheets
                issues.append(
                    Issue(
                        "error",
                        "file_unreadable",
                        f"{path.name}#{name}",
                        params=reason_of(exc),
                    )
                )
                continue
            if any(any(c not in (None, "") for c in row) for row in grid):
                out.append((f"{path.name}#{name}", name, _dates_as_text(grid), merged))
    finally:
        wb.close()
    return out


def _dates_as_text(grid: list[list[object]]) -> list[list[object]]:
    """Write date-time cells as ISO text (the register reader keeps only HH:MM)."""
    for row in grid:
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                row[c] = value.strftime("%Y-%m-%d %H:%M:%S")
    return grid


FAST_CSV_BYTES = 1_000_000
"""CSV files from this size are read by pandas' C parser (:func:`_fast_csv`)."""


def _fast_csv(path: Path, table: Table) -> RawTable | None:
    """Read a large CSV export with pandas' C parser, or None to take the general path.

    The general path (:func:`table_from_grid`) builds a Python list per row; for a
    200,000-row export that is most of the time. Here the header line is found the
    same way (in the first lines), the body is parsed in C as text, blank lines are
    dropped and row numbers kept as Excel would show them. A file this path cannot
    read (an encoding, a broken quote) goes the general way, which names the problem.
    """
    import csv
    import io

    from planner.io.tables import (
        HEADER_SEARCH_ROWS,
        SheetLayout,
        _find_header,
        _first_filled,
        _is_total,
    )

    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    if path.stat().st_size < FAST_CSV_BYTES:
        return None
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    head_lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    head = [list(r) for r in csv.reader(head_lines)]
    h = _find_header(head, table)
    if h is None or h >= len(head):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            skiprows=h,
            header=0,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, csv.Error):  # pandas' ParserError is a ValueError
        return None
    # as the general path: NFKC headers; pandas' names for blank headers dropped
    headers = [
        ""
        if str(c).startswith("Unnamed:")
        else unicodedata.normalize("NFKC", str(c)).strip()
        for c in frame.columns
    ]
    frame.columns = pd.Index(headers)
    frame = frame.loc[:, [c for c in frame.columns if c]]
    frame = frame.astype("str")
    for c in frame.columns:
        frame[c] = frame[c].str.strip()
    filled = np.array((frame != "").any(axis=1).to_numpy(dtype=bool))
    if len(frame.columns):  # a 合计 line at the end, as the general path drops
        first = _first_filled([frame[c] for c in frame.columns], len(frame))
        filled &= ~_is_total(first)
    rows = (np.flatnonzero(filled) + h + 2).tolist()
    frame = frame[filled].reset_index(drop=True)
    layout = SheetLayout(
        path, None, h + 1, {name: i for i, name in enumerate(frame.columns)}
    )
    return RawTable(table, path.name, frame, rows, layout)


def _read_tables(
    paths: Sequence[Path], table: Table, issues: list[Issue]
) -> list[tuple[RawTable, dict[str, str]]]:
    """Read every file/sheet of `paths` as `table`; note missing required columns."""
    out = []
    for path in paths:
        fast = _fast_csv(Path(path), table)
        tables = (
            [fast]
            if fast is not None
            else [
                table_from_grid(grid, merged, table, label, Path(path), sheet, issues)[
                    0
                ]
                for label, sheet, grid, merged in _grids(Path(path), issues)
            ]
        )
        for raw in tables:
            cols = _columns(raw)
            missing = [
                c.label_zh for c in table.columns if c.required and c.name not in cols
            ]
            if (
                table is RECORDS
                and "id_number" not in cols
                and not ("name" in cols and "phone" in cols)
            ):
                missing.append(RECORDS.column("id_number").label_zh)
            if missing:
                issues.append(
                    Issue(
                        "error",
                        "closure_columns_missing",
                        raw.label,
                        row=raw.header_row,
                        params=(("columns", ", ".join(missing)),),
                    )
                )
                continue
            out.append((raw, cols))
    return out


def _nfkc(values: pd.Series) -> pd.Series:
    """NFKC only where a cell has a non-ASCII character (most have none: fast)."""
    v = values.astype("str")
    wide = v.str.contains(r"[^\x00-\x7f]", regex=True).to_numpy(dtype=bool)
    if wide.any():
        v = v.copy()
        v[wide] = v[wide].str.normalize("NFKC")
    return v


def _norm_code(values: pd.Series, *, upper: bool = False) -> pd.Series:
    """NFKC, every space removed, a number cell's ``.0`` dropped (and upper-cased)."""
    v = _nfkc(values).str.replace(SPACES, "", regex=True)
    # a number cell written as text by another tool: ``13812345678.0``
    point = v.str.endswith(".0").to_numpy(dtype=bool)
    if point.any():
        cut = v[point].str.slice(0, -2)
        digits = cut.str.fullmatch(r"[0-9]+").to_numpy(dtype=bool)
        idx = np.flatnonzero(point)[digits]
        v = v.copy()
        v.iloc[idx] = cut[digits].to_numpy()  # type: ignore[call-overload]
    return v.str.upper() if upper else v


def normalise_id_numbers(values: pd.Series) -> pd.Series:
    """Return ID numbers as compared: NFKC, no spaces, upper case (``x`` → ``X``)."""
    return _norm_code(values, upper=True)


def normalise_phones(values: pd.Series) -> pd.Series:
    """Return phones as compared: NFKC, digits only (``+86`` and dashes dropped)."""
    v = _norm_code(values).str.replace(r"[^0-9]", "", regex=True)
    cc = (v.str.len() == 13) & v.str.startswith("861")
    if cc.any():
        v = v.copy()
        v[cc] = v[cc].str.slice(2)
    return v


_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y%m%d%H%M%S",
)


def parse_times(
    text: pd.Series, numbers: np.ndarray | None, day: dt.date | None
) -> pd.Series:
    """Return datetimes (NaT where unreadable) from text or Excel serial numbers.

    Parameters
    ----------
    text
        The cells as text (``2026-12-07 08:15:30``, ``2026/12/7 8:15``, ``08:15``).
    numbers
        The cells as numbers where they were numbers (Excel serial days; NaN
        elsewhere), or None.
    day
        The date of a time-only cell (``08:15``); None leaves those unreadable.
    """
    v = _nfkc(text).str.strip()
    out = pd.Series(pd.NaT, index=v.index, dtype="datetime64[s]")
    todo = np.array((v != "").to_numpy(dtype=bool))
    numbers = np.full(len(v), np.nan) if numbers is None else np.array(numbers)
    # an Excel serial written out as text by another tool (``46363.5``)
    as_serial = np.array(v.str.fullmatch(r"[0-9]{5}([.][0-9]+)?").to_numpy(dtype=bool))
    as_serial &= ~np.isfinite(numbers)
    if as_serial.any():
        numbers[as_serial] = v[as_serial].astype(float).to_numpy()
    serial = np.isfinite(numbers) & (numbers > 1) & (numbers < 2958466)
    if serial.any():
        secs = np.rint(numbers[serial] * 86400).astype(np.int64)
        out[serial] = _EXCEL_EPOCH + secs.astype("timedelta64[s]")
        todo &= ~serial
    for fmt in _TIME_FORMATS:
        if not todo.any():
            break
        got = pd.to_datetime(v[todo], format=fmt, errors="coerce")
        ok = got.notna().to_numpy(dtype=bool)
        idx = np.flatnonzero(todo)[ok]
        out.iloc[idx] = got[ok].to_numpy().astype("datetime64[s]")
        todo[idx] = False
    if todo.any():
        # ``2026-12-7 8:15`` without zero padding, and other forms pandas reads
        got = pd.to_datetime(v[todo], errors="coerce", format="mixed")
        ok = got.notna().to_numpy(dtype=bool)
        idx = np.flatnonzero(todo)[ok]
        out.iloc[idx] = got[ok].to_numpy().astype("datetime64[s]")
        todo[idx] = False
    if todo.any() and day is not None:
        clock = v[todo].str.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?")
        ok = clock.to_numpy(dtype=bool)
        idx = np.flatnonzero(todo)[ok]
        parts = v.iloc[idx].str.split(":", expand=True).astype(int)
        secs = parts[0] * 3600 + parts[1] * 60 + parts.get(2, 0)
        base = np.datetime64(day.isoformat() + "T00:00:00", "s")
        out.iloc[idx] = base + secs.to_numpy().astype("timedelta64[s]")
    return out


def _first_bad(
    issues: list[Issue], raw: RawTable, header: str, bad: np.ndarray, code: str
) -> None:
    """Add one error per bad cell (at most 20 per column, then a count)."""
    where = np.flatnonzero(bad)
    for i in where[:20]:
        issues.append(
            Issue(
                "error",
                code,
                raw.label,
                row=raw.rows[int(i)],
                column=header,
                params=(("value", str(raw.frame[header].iloc[int(i)])[:30]),),
            )
        )
    if len(where) > 20:
        issues.append(
            Issue(
                "error",
                code + "_more",
                raw.label,
                column=header,
                params=(("n", str(len(where) - 20)),),
            )
        )


def read_records(paths: Sequence[Path], *, day: dt.date | None = None) -> pd.DataFrame:
    """Read registration exports into one record frame.

    Parameters
    ----------
    paths
        CSV or workbook files (every sheet with data is read).
    day
        The date of time-only cells.

    Returns
    -------
    pandas.DataFrame
        One row per record: ``name``, ``id_number``, ``phone`` (normalised),
        ``site``, ``desk``, ``tube``, ``box`` (text), ``sampled_at`` (datetime64[s]),
        ``source`` (file and sheet) and ``row`` (the Excel row).

    Raises
    ------
    InputError
        Every problem found (unreadable file, missing column, unreadable time, no
        tube code), each with file, sheet, row and column.
    """
    issues: list[Issue] = []
    frames = []
    for raw, cols in _read_tables(paths, RECORDS, issues):
        f = raw.frame
        n = len(f)
        empty = pd.Series([""] * n, dtype="str")

        def col(
            name: str,
            f: pd.DataFrame = f,
            cols: dict[str, str] = cols,
            empty: pd.Series = empty,
        ) -> pd.Series:
            return f[cols[name]].astype("str") if name in cols else empty

        out = pd.DataFrame(
            {
                "name": col("name").str.strip().str.replace(SPACES, "", regex=True),
                "id_number": normalise_id_numbers(col("id_number")),
                "phone": normalise_phones(col("phone")),
                "site": _nfkc(col("site")).str.strip(),
                "desk": _norm_code(col("desk")),
                "tube": _norm_code(col("tube"), upper=True),
                "box": _norm_code(col("box"), upper=True),
            }
        )
        times = parse_times(col("sampled_at"), raw.numbers.get(cols["sampled_at"]), day)
        out["sampled_at"] = times.to_numpy()
        bad_time = times.isna().to_numpy()
        _first_bad(issues, raw, cols["sampled_at"], bad_time, "closure_bad_time")
        no_tube = (out["tube"] == "").to_numpy()
        _first_bad(issues, raw, cols["tube"], no_tube, "closure_no_tube")
        nobody = (
            (out["id_number"] == "") & ((out["name"] == "") | (out["phone"] == ""))
        ).to_numpy()
        header = cols.get("id_number") or cols.get("name", "")
        _first_bad(issues, raw, header, nobody, "closure_no_person")
        out["source"] = raw.label
        out["row"] = np.asarray(raw.rows, dtype=np.int64)
        frames.append(out)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    if not frames:
        return empty_records()
    return pd.concat(frames, ignore_index=True)


def empty_records() -> pd.DataFrame:
    """Return a record frame with no rows (a day without records)."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in RECORD_COLUMNS})
    frame["sampled_at"] = pd.Series([], dtype="datetime64[s]")
    frame["box"] = pd.Series([], dtype="str")
    frame["source"] = pd.Series([], dtype="str")
    frame["row"] = pd.Series([], dtype=np.int64)
    return frame


def _result_code(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    v = values.astype("str").str.normalize("NFKC").str.strip().str.lower()
    code = np.full(len(v), "", dtype=object)
    for words, name in (
        (POSITIVE_WORDS, "positive"),
        (NEGATIVE_WORDS, "negative"),
        (PENDING_WORDS, "pending"),
    ):
        code[v.isin([w.lower() for w in words]).to_numpy(dtype=bool)] = name
    return code, code == ""


def read_results(paths: Sequence[Path], *, day: dt.date | None = None) -> LabResults:
    """Read labs' results (tube code → positive, negative or pending).

    Raises
    ------
    InputError
        Every unreadable file, missing column, unknown result word and a tube with two
        different results, with file, row and column.
    """
    issues: list[Issue] = []
    frames = []
    for raw, cols in _read_tables(paths, RESULTS, issues):
        f = raw.frame
        code, bad = _result_code(f[cols["result"]])
        _first_bad(issues, raw, cols["result"], bad, "closure_bad_result")
        tube = _norm_code(f[cols["tube"]], upper=True)
        _first_bad(
            issues, raw, cols["tube"], (tube == "").to_numpy(), "closure_no_tube"
        )
        if "reported_at" in cols:
            text = f[cols["reported_at"]].astype("str")
            at = parse_times(text, raw.numbers.get(cols["reported_at"]), day)
            unread = (at.isna() & (text.str.strip() != "")).to_numpy()
            _first_bad(issues, raw, cols["reported_at"], unread, "closure_bad_time")
        else:
            at = pd.Series(pd.NaT, index=f.index, dtype="datetime64[s]")
        frames.append(
            pd.DataFrame(
                {
                    "tube": tube,
                    "result": code,
                    "reported_at": at.to_numpy(),
                    "lab": f[cols["lab"]].astype("str") if "lab" in cols else "",
                    "source": raw.label,
                    "row": np.asarray(raw.rows, dtype=np.int64),
                }
            )
        )
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(
            {
                "tube": pd.Series([], dtype="str"),
                "result": pd.Series([], dtype="str"),
                "reported_at": pd.Series([], dtype="datetime64[s]"),
                "lab": pd.Series([], dtype="str"),
                "source": pd.Series([], dtype="str"),
                "row": pd.Series([], dtype=np.int64),
            }
        )
    )
    if len(frame):
        known = frame[frame["result"] != "pending"]
        _clashes(known, "tube", "result", issues, "closure_result_clash", "tube")
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    # the last word on a tube counts (a pending row, then its result)
    frame = frame.assign(_p=(frame["result"] == "pending").astype(int))
    frame = frame.sort_values(["tube", "_p"], kind="stable").drop_duplicates("tube")
    return LabResults(frame.drop(columns="_p").reset_index(drop=True))


def _clashes(
    frame: pd.DataFrame,
    key: str,
    value: str,
    issues: list[Issue],
    code: str,
    param: str,
) -> None:
    """Report each `key` (the first 20) given two different `value`s, at its last row.

    The issue `code` names the key in its parameter `param`.
    """
    counts = frame.groupby(key)[value].nunique()
    for k in counts[counts > 1].index[:20]:
        last = frame[frame[key] == k].iloc[-1]
        issues.append(
            Issue(
                "error",
                code,
                str(last["source"]),
                row=int(last["row"]),
                params=((param, str(k)),),
            )
        )


def read_reason_lists(
    paths: Sequence[Path], words: dict[str, str], known_ids: set[str]
) -> pd.DataFrame:
    """Read filled 未检人员名单 back: resident id → reason code and note.

    Parameters
    ----------
    paths
        The lists the grid workers filled (workbooks or CSV).
    words
        Accepted reason word (NFKC, lower case) → reason code.
    known_ids
        The register's resident ids.

    Returns
    -------
    pandas.DataFrame
        ``resident_id``, ``reason`` (a code; rows left blank are dropped), ``note``,
        ``source``, ``row``.

    Raises
    ------
    InputError
        An unknown reason, an unknown resident, or one resident given two reasons.
    """
    issues: list[Issue] = []
    frames = []
    for raw, cols in _read_tables(paths, REASON_LIST, issues):
        f = raw.frame
        rid = f[cols["resident_id"]].astype("str").str.normalize("NFKC").str.strip()
        text = (
            f[cols["reason"]]
            .astype("str")
            .str.normalize("NFKC")
            .str.strip()
            .str.lower()
            if "reason" in cols
            else pd.Series([""] * len(f), dtype="str")
        )
        code = text.map(words).fillna("").to_numpy(dtype=object)
        filled = (text != "").to_numpy()
        if "reason" in cols:
            _first_bad(
                issues, raw, cols["reason"], filled & (code == ""), "closure_bad_reason"
            )
        unknown = filled & ~rid.isin(known_ids).to_numpy()
        _first_bad(
            issues, raw, cols["resident_id"], unknown, "closure_unknown_resident"
        )
        note = f[cols["note"]].astype("str") if "note" in cols else ""
        frames.append(
            pd.DataFrame(
                {
                    "resident_id": rid,
                    "reason": code,
                    "note": note,
                    "source": raw.label,
                    "row": np.asarray(raw.rows, dtype=np.int64),
                }
            )[filled]
        )
    out = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["resident_id", "reason", "note", "source", "row"])
    )
    _clashes(out, "resident_id", "reason", issues, "closure_reason_clash", "resident")
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return out.drop_duplicates("resident_id", keep="last").reset_index(drop=True)
