"""Write sampling records and lab results as registration systems and labs export them.

For the demo and tests: the same records in the forms :mod:`planner.io.records` must
read. ``quirks`` adds what real exports have: a title line (merged across the header
in a workbook), ID numbers with a space or a lower-case ``x``, full-width digits,
phones as number cells and times as Excel serial numbers (workbooks) or in a second
text form (CSV).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.io.records import (
    NEGATIVE_WORDS,
    PENDING_WORDS,
    POSITIVE_WORDS,
    RECORDS,
    RESULTS,
)

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")


def _headers(table_columns: list[str], zh: bool, table: object) -> list[str]:
    cols = {c.name: c for c in table.columns}  # type: ignore[attr-defined]
    return [cols[c].label_zh if zh else c for c in table_columns]


def _quirky_ids(ids: pd.Series, rng: np.random.Generator) -> pd.Series:
    out = ids.astype(str).copy()
    n = len(out)
    u = rng.random(n)
    lower = out.str.endswith("X") & (u < 0.5)
    out[lower] = out[lower].str[:-1] + "x"
    spaced = (u >= 0.5) & (u < 0.52) & (out.str.len() == 18)
    out[spaced] = (
        out[spaced].str[:6] + " " + out[spaced].str[6:14] + " " + out[spaced].str[14:]
    )
    wide = (u >= 0.52) & (u < 0.53)
    out[wide] = out[wide].str.translate(_FULL_WIDTH)
    return out


def write_records(
    records: pd.DataFrame,
    path: Path,
    *,
    zh: bool = True,
    encoding: str = "utf-8-sig",
    quirks: bool = True,
    seed: int = 0,
    title: str = "",
) -> Path:
    """Write records (canonical columns) to a CSV or ``.xlsx`` export.

    Parameters
    ----------
    records
        ``name``, ``id_number``, ``phone``, ``site``, ``desk``, ``sampled_at``,
        ``tube``, ``box``.
    path
        ``.csv`` or ``.xlsx``.
    zh
        Chinese headers (default) or the English names.
    encoding
        CSV encoding (``utf-8-sig``, ``utf-8`` or ``gbk``).
    quirks
        Add the quirks of real exports (see the module docstring).
    seed
        Seed of which cells get a quirk.
    title
        The title line above the header (quirks only).
    """
    cols = ["name", "id_number", "phone", "site", "desk", "sampled_at", "tube", "box"]
    frame = records[cols].copy()
    rng = np.random.default_rng(seed)
    times = frame["sampled_at"].to_numpy().astype("datetime64[s]")
    if quirks:
        frame["id_number"] = _quirky_ids(frame["id_number"], rng)
    heads = _headers(cols, zh, RECORDS)
    if path.suffix.lower() == ".csv":
        text = pd.Series(times).dt.strftime("%Y-%m-%d %H:%M:%S")
        if quirks:  # a second form: slashes, no seconds
            other = rng.random(len(text)) < 0.2
            text[other] = (
                pd.Series(times[other]).dt.strftime("%Y/%m/%d %H:%M").to_numpy()
            )
        frame["sampled_at"] = text.to_numpy()
        frame.columns = heads
        with path.open("w", encoding=encoding, newline="") as fh:
            if quirks and title:
                fh.write(title + "\n")
            frame.to_csv(fh, index=False)
        return path
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Sheet1")
    top = 0
    if quirks and title:
        ws.merge_range(0, 0, 0, len(cols) - 1, title, wb.add_format({"bold": True}))
        top = 1
    for c, h in enumerate(heads):
        ws.write_string(top, c, h)
    serial = (times - _EXCEL_EPOCH).astype(np.int64) / 86400.0
    values = frame.to_numpy(dtype=object)
    for i, row in enumerate(values):
        r = top + 1 + i
        for c, name in enumerate(cols):
            v = row[c]
            if name == "sampled_at":
                ws.write_number(r, c, float(serial[i]))
            elif name == "phone" and quirks and str(v).isdigit():
                ws.write_number(r, c, int(v))
            else:
                ws.write_string(r, c, "" if v is None else str(v))
    wb.close()
    return path


def write_results(results: pd.DataFrame, path: Path, *, zh: bool = True) -> Path:
    """Write lab results (``tube``, ``result``, ``reported_at``) as a lab's CSV."""
    # the lab's own words: the first of each list the reader accepts
    words = {
        "positive": POSITIVE_WORDS[0],
        "negative": NEGATIVE_WORDS[0],
        "pending": PENDING_WORDS[1],
    }
    frame = pd.DataFrame(
        {
            "tube": results["tube"].astype(str),
            "result": results["result"].map(words) if zh else results["result"],
            "reported_at": pd.Series(results["reported_at"]).dt.strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "lab": results.get("lab", ""),
        }
    )
    frame.columns = _headers(list(frame.columns), zh, RESULTS)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path
