"""Keep uploaded sampling records and lab results in the plan store, each batch once.

A batch and its rows go in one transaction, so a batch is either all there or not at
all (a killed service loses nothing acknowledged, and half a file is never counted);
``(kind, digest)`` is unique, so the same file or phone batch sent twice is stored
once and the second upload gets the first batch back.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from planner.io.records import RECORD_COLUMNS, LabResults, empty_records
from planner.ops import records_tables as rt
from planner.ops.store import Store, iso, utc_now

_RECORD_COLUMNS = (*RECORD_COLUMNS, "box", "source", "row")
_RESULT_COLUMNS = ("tube", "result", "reported_at", "lab", "source", "row")


def _batch(store: Store, kind: str, digest: str) -> dict[str, Any] | None:
    b = rt.record_batches.c
    with store.engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(rt.record_batches).where(b.kind == kind, b.digest == digest)
            )
            .mappings()
            .first()
        )
    return None if row is None else dict(row)


def _time_text(values: pd.Series) -> list[str]:
    t = pd.to_datetime(values)
    return ["" if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M:%S") for v in t]


def add_batch(
    store: Store,
    kind: str,
    frame: pd.DataFrame,
    *,
    scope: str,
    digest: str,
    filename: str,
    code_id: int | None,
) -> tuple[bool, dict[str, Any]]:
    """Store a batch of records (``kind="records"``) or results once.

    Parameters
    ----------
    store
        The plan store.
    kind
        ``records`` or ``results``.
    frame
        From :func:`planner.io.records.read_records` or ``read_results(...).frame``.
    scope
        The uploading code's site id, or ``command``.
    digest
        What makes two uploads the same batch (a file's SHA-256).
    filename
        The file's name as sent.
    code_id
        The access code that sent it.

    Returns
    -------
    tuple
        ``(created, batch)``; False and the first batch when it was stored before.
    """
    table, cols = (
        (rt.sample_records, _RECORD_COLUMNS)
        if kind == "records"
        else (rt.lab_results, _RESULT_COLUMNS)
    )
    rows = frame.reindex(columns=list(cols)).copy()
    time_col = "sampled_at" if kind == "records" else "reported_at"
    rows[time_col] = _time_text(rows[time_col])
    for c in cols:
        if c == "row":
            rows[c] = rows[c].fillna(0).astype(int)
        elif c != time_col:
            rows[c] = rows[c].astype(object).where(rows[c].notna(), "").astype(str)
    try:
        with store._tx() as conn:
            batch_id = conn.execute(
                sa.insert(rt.record_batches)
                .values(
                    kind=kind,
                    scope=scope,
                    digest=digest,
                    filename=filename,
                    rows=len(rows),
                    received_at=iso(utc_now()),
                    code_id=code_id,
                )
                .returning(rt.record_batches.c.id)
            ).scalar_one()
            data: list[dict[str, Any]] = [
                {str(k): v for k, v in r.items()}
                for r in rows.assign(batch_id=batch_id).to_dict("records")
            ]
            for start in range(0, len(data), 5000):
                conn.execute(sa.insert(table), data[start : start + 5000])
        created = True
    except IntegrityError:
        created = False
    batch = _batch(store, kind, digest)
    assert batch is not None
    return created, batch


def batches(store: Store) -> list[dict[str, Any]]:
    """Return every stored batch, oldest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(rt.record_batches).order_by(rt.record_batches.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def stored_records(store: Store) -> pd.DataFrame:
    """Return every stored record as a record frame (as :func:`read_records` gives)."""
    with store.engine.connect() as conn:
        frame = pd.read_sql(
            sa.select(*(rt.sample_records.c[c] for c in _RECORD_COLUMNS)).order_by(
                rt.sample_records.c.id
            ),
            conn,
        )
    if not len(frame):
        return empty_records()
    frame["sampled_at"] = (
        pd.to_datetime(frame["sampled_at"]).to_numpy().astype("datetime64[s]")
    )
    for c in _RECORD_COLUMNS:
        if c not in ("sampled_at", "row"):
            frame[c] = frame[c].astype("str")
    frame["row"] = frame["row"].astype(np.int64)
    return frame


def stored_results(store: Store) -> LabResults:
    """Return the stored results, the latest word on each tube."""
    with store.engine.connect() as conn:
        frame = pd.read_sql(
            sa.select(*(rt.lab_results.c[c] for c in _RESULT_COLUMNS)).order_by(
                rt.lab_results.c.id
            ),
            conn,
        )
    frame["reported_at"] = pd.to_datetime(frame["reported_at"].replace("", None))
    frame = frame.assign(
        _p=(frame["result"] == "pending").astype(int), _i=range(len(frame))
    )
    # the newest non-pending result of a tube wins
    frame = frame.sort_values(["tube", "_p", "_i"], ascending=[True, True, False])
    frame = frame.drop_duplicates("tube").drop(columns=["_p", "_i"])
    return LabResults(frame.reset_index(drop=True))


def record_count(store: Store) -> int:
    """Return the number of stored records."""
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).select_from(rt.sample_records)
            ).scalar_one()
        )
