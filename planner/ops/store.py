"""Keep every plan version, the access codes and the sites' reports in one database.

The default is a SQLite file in the plan folder (``PLAN_DIR/ops.sqlite3``, WAL mode,
``synchronous=FULL`` so an acknowledged report survives a killed process); a
``postgresql://`` URL runs the same code on PostgreSQL through psycopg 3. The schema
is created and upgraded by Alembic (:mod:`planner.ops.migrations`) when the store
opens, never by DDL in this module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from planner.model.plan_tables import (
    CHANGE_COLUMNS,
    PlanTables,
    canonical,
    decode_tables,
    encode_tables,
)
from planner.model.policy import Policy
from planner.ops import tables as t

DEFAULT_DB_NAME = "ops.sqlite3"
"""File name of the embedded store inside the plan folder."""

VERSION_KINDS = ("draft", "replan", "round")
"""What a plan version is: the first plan, a re-plan on the day, a campaign round."""

_ASSIGNMENT_COLUMNS = [
    "household_id",
    "building_id",
    "grid_id",
    "mode",
    "site_id",
    "slot_start",
    "slot_end",
    "people",
    "tube_mode",
    "walk_m",
]
_SITE_COLUMNS = [
    "site_id",
    "name",
    "open",
    "desks",
    "people",
    "work_units",
    "first_slot",
    "last_slot",
    "fixed",
    "indoor",
    "lon",
    "lat",
]
_LEGACY_TABLES = ("unassigned", "home_visits", "slots")
"""The small tables a version stored before every table was kept (schema 1)."""


def utc_now() -> dt.datetime:
    """Return the current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    """Return `moment` as a sortable ISO-8601 UTC string (seconds)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def database_url(plan_dir: Path, url: str | None = None) -> str:
    """Return the SQLAlchemy URL of the store.

    Parameters
    ----------
    plan_dir
        The plan folder; the embedded SQLite file lives there.
    url
        ``sqlite:///PATH`` or ``postgresql://user@host:port/db``; by default the
        SQLite file ``PLAN_DIR/ops.sqlite3``. A plain ``postgresql://`` URL is
        served by psycopg 3.
    """
    if not url:
        return f"sqlite:///{(plan_dir / DEFAULT_DB_NAME).resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the status page read while reports are written; FULL makes every
    # acknowledged commit durable on disk before the 201 goes out
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600), or make it so.

    The store holds every report and the codes' hashes; SQLite gives its ``-wal``
    and ``-shm`` files the database file's mode.
    """
    if path.parent.is_dir():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        path.chmod(0o600)


def make_engine(url: str) -> Engine:
    """Create the engine for `url` (SQLite gets WAL and a busy timeout)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(__file__).resolve().parent / "migrations")
    )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One plan version's header.

    Attributes
    ----------
    id
        Version number, 1 for the first.
    created_at
        ISO-8601 UTC time it was stored.
    author
        Who made it.
    kind
        ``draft``, ``replan`` or ``round``.
    parent_id
        The version it was made from, or None.
    note
        Free text (what the re-plan answered).
    """

    id: int
    created_at: str
    author: str
    kind: str
    parent_id: int | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        """Return the header as JSON-ready values."""
        return {
            "id": self.id,
            "created_at": self.created_at,
            "author": self.author,
            "kind": self.kind,
            "parent_id": self.parent_id,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class CodeRow:
    """A stored access code (hash only).

    Attributes
    ----------
    id
        Row id.
    site_id
        The site it opens, or ``command``.
    expires_at, revoked_at
        ISO-8601 UTC times; `revoked_at` is None while the code is valid.
    """

    id: int
    site_id: str
    expires_at: str
    revoked_at: str | None


class Store:
    """The plan store on one database.

    Parameters
    ----------
    engine
        An engine whose schema is at the newest revision (see :meth:`open`).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, plan_dir: Path, url: str | None = None) -> Store:
        """Open (and create or upgrade) the store of a plan folder.

        Parameters
        ----------
        plan_dir
            The plan folder.
        url
            Database URL; the SQLite file in `plan_dir` by default.
        """
        full = database_url(plan_dir, url)
        if full.startswith("sqlite:///"):
            _private_file(Path(full.removeprefix("sqlite:///")))
        engine = make_engine(full)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # --- meta ------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Return a stored fact, or None."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(t.meta.c.value).where(t.meta.c.key == key)
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Store a fact, replacing an older value."""
        with self._tx() as conn:
            conn.execute(sa.delete(t.meta).where(t.meta.c.key == key))
            conn.execute(sa.insert(t.meta).values(key=key, value=value))

    def meta_default(self, key: str, make: str) -> str:
        """Return the stored fact, storing `make` first when there is none.

        Two processes racing here both end up with the first value written.
        """
        try:
            with self._tx() as conn:
                conn.execute(sa.insert(t.meta).values(key=key, value=make))
        except IntegrityError:
            pass
        value = self.get_meta(key)
        assert value is not None
        return value

    # --- plan versions -----------------------------------------------------------

    def add_version(
        self,
        files: PlanTables,
        *,
        author: str,
        kind: str,
        parent_id: int | None = None,
        note: str = "",
        created_at: dt.datetime | None = None,
    ) -> int:
        """Store a whole plan, every table of it, as a new version; return its number.

        Parameters
        ----------
        files
            The plan's tables and ``plan.json`` summary, what a round adds (staff,
            supplies) included; kept through :func:`encode_tables`, so
            :meth:`plan_tables` gives back equal tables.
        author
            Who made it (a person's name, or ``command`` for the command centre).
        kind
            One of :data:`VERSION_KINDS`.
        parent_id
            The version it was made from.
        note
            Free text.
        created_at
            When; now by default.
        """
        if kind not in VERSION_KINDS:
            raise ValueError(f"Version kind {kind!r} not understood.")
        # sites and assignments are also kept as typed rows, for the queries
        # between versions (:meth:`changes`); the tables read back come from the codec
        sites = _typed_sites(files.sites)
        assignments = _typed_assignments(files.assignments)
        with self._tx() as conn:
            res = conn.execute(
                sa.insert(t.plan_versions).values(
                    created_at=iso(created_at or utc_now()),
                    author=author,
                    kind=kind,
                    parent_id=parent_id,
                    note=note,
                    summary_json=json.dumps(
                        files.summary, ensure_ascii=False, default=float
                    ),
                    extra_json=json.dumps(encode_tables(files), ensure_ascii=False),
                )
            )
            key = res.inserted_primary_key
            assert key is not None
            vid = int(key[0])
            conn.execute(
                sa.insert(t.version_sites),
                [{"version_id": vid, "pos": k, **r} for k, r in enumerate(sites)],
            )
            conn.execute(
                sa.insert(t.version_assignments),
                [{"version_id": vid, "pos": k, **r} for k, r in enumerate(assignments)],
            )
        return vid

    def versions(self) -> list[VersionInfo]:
        """Return every version's header, oldest first."""
        v = t.plan_versions.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    v.id, v.created_at, v.author, v.kind, v.parent_id, v.note
                ).order_by(v.id)
            ).all()
        return [
            VersionInfo(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], str(r[5]))
            for r in rows
        ]

    def latest_version(self) -> int | None:
        """Return the newest version's number, or None when the store is empty."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(sa.func.max(t.plan_versions.c.id))).scalar()
        return None if value is None else int(value)

    def plan_tables(self, version_id: int) -> PlanTables:
        """Return a version as the typed tables a plan folder reads back as.

        Raises
        ------
        KeyError
            When there is no such version.
        """
        v = t.plan_versions.c
        with self.engine.connect() as conn:
            head = conn.execute(
                sa.select(v.summary_json, v.extra_json).where(v.id == version_id)
            ).one_or_none()
            if head is None:
                raise KeyError(version_id)
            summary = json.loads(head[0])
            stored = json.loads(head[1])
            if "sites" in stored:
                return decode_tables(stored, summary, source="plan store")
            # a version stored before every table was kept: sites and assignments
            # from their rows, the three small tables from the old payload
            sites = pd.read_sql(
                sa.select(*[t.version_sites.c[c] for c in _SITE_COLUMNS])
                .where(t.version_sites.c.version_id == version_id)
                .order_by(t.version_sites.c.pos),
                conn,
            )
            assignments = self._assignments(conn, version_id)
        for col in ("open", "fixed", "indoor"):
            sites[col] = sites[col].astype(bool)
        return PlanTables(
            summary=summary,
            policy=Policy.from_dict(summary.get("policy", {}), source="plan store"),
            sites=canonical(sites),
            assignments=canonical(assignments),
            **{name: _frame(stored[name]) for name in _LEGACY_TABLES},
        )

    def _assignments(self, conn: Connection, version_id: int) -> pd.DataFrame:
        a = t.version_assignments.c
        return pd.read_sql(
            sa.select(*[a[c] for c in _ASSIGNMENT_COLUMNS])
            .where(a.version_id == version_id)
            .order_by(a.pos),
            conn,
        )

    def changes(self, old_id: int, new_id: int) -> pd.DataFrame:
        """Return the buildings whose households got a new site, slot or mode.

        Parameters
        ----------
        old_id, new_id
            The two versions to compare.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`CHANGE_COLUMNS`, one row per building, sorted by id;
            slots are written ``HH:MM-HH:MM`` over the building's households.
        """
        with self.engine.connect() as conn:
            old = self._assignments(conn, old_id)
            new = self._assignments(conn, new_id)
        both = old.merge(new, on="household_id", suffixes=("_old", "_new"))
        changed = both[
            (both["site_id_old"] != both["site_id_new"])
            | (both["slot_start_old"] != both["slot_start_new"])
            | (both["mode_old"] != both["mode_new"])
        ]
        rows = []
        for bid, grp in changed.groupby("building_id_new", sort=True):
            rows.append(
                {
                    "building_id": str(bid),
                    "grid_id": str(grp["grid_id_new"].iloc[0]),
                    "households": len(grp),
                    "people": int(grp["people_new"].sum()),
                    "old_site_id": _joined(grp["site_id_old"]),
                    "old_slots": _span(grp["slot_start_old"], grp["slot_end_old"]),
                    "new_site_id": _joined(grp["site_id_new"]),
                    "new_slots": _span(grp["slot_start_new"], grp["slot_end_new"]),
                    "new_mode": _joined(grp["mode_new"]),
                    "reason": "",
                }
            )
        return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))

    # --- access codes --------------------------------------------------------------

    def add_codes(
        self, hashes: Sequence[tuple[str, str]], *, issued_at: str, expires_at: str
    ) -> None:
        """Store ``(site_id, code_hash)`` pairs valid until `expires_at`."""
        with self._tx() as conn:
            conn.execute(
                sa.insert(t.access_codes),
                [
                    {
                        "site_id": site,
                        "code_hash": digest,
                        "issued_at": issued_at,
                        "expires_at": expires_at,
                    }
                    for site, digest in hashes
                ],
            )

    def find_code(self, code_hash: str) -> CodeRow | None:
        """Return the stored code with this hash, valid or not, or None."""
        c = t.access_codes.c
        with self.engine.connect() as conn:
            r = conn.execute(
                sa.select(c.id, c.site_id, c.expires_at, c.revoked_at).where(
                    c.code_hash == code_hash
                )
            ).one_or_none()
        return None if r is None else CodeRow(int(r[0]), str(r[1]), str(r[2]), r[3])

    def revoke_codes(self, site_id: str | None = None, *, at: str) -> int:
        """Revoke the valid codes of one site (or `command`), or all when None.

        Returns
        -------
        int
            Codes revoked.
        """
        c = t.access_codes.c
        cond: sa.ColumnElement[bool] = c.revoked_at.is_(None)
        if site_id is not None:
            cond = sa.and_(cond, c.site_id == site_id)
        with self._tx() as conn:
            res = conn.execute(
                sa.update(t.access_codes).where(cond).values(revoked_at=at)
            )
        return int(res.rowcount)

    def active_code_sites(self, now: str) -> list[str]:
        """Return the sites (and ``command``) holding a valid code at `now`."""
        c = t.access_codes.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(c.site_id)
                .where(c.revoked_at.is_(None) & (c.expires_at > now))
                .distinct()
                .order_by(c.site_id)
            ).all()
        return [str(r[0]) for r in rows]

    # --- reports -------------------------------------------------------------------

    def add_report(
        self, site_id: str, report: Mapping[str, Any], *, code_id: int | None
    ) -> tuple[bool, dict[str, Any]]:
        """Store a report once per ``(site_id, report_id)``.

        Parameters
        ----------
        site_id
            The site reporting.
        report
            ``at``, ``sampled``, ``queue_people``, ``tubes``, ``problem``, ``note``,
            ``report_id``.
        code_id
            The access code that sent it.

        Returns
        -------
        tuple
            ``(created, stored)``: False and the first stored copy when the report
            id was seen before (the resend is not stored again).
        """
        row = {
            "site_id": site_id,
            "report_id": str(report["report_id"]),
            "at": str(report["at"]),
            "sampled": int(report["sampled"]),
            "queue_people": int(report["queue_people"]),
            "tubes": int(report["tubes"]),
            "problem": report.get("problem"),
            "note": str(report.get("note", "")),
            "received_at": iso(utc_now()),
            "code_id": code_id,
        }
        try:
            with self._tx() as conn:
                conn.execute(sa.insert(t.reports).values(**row))
            created = True
        except IntegrityError:
            created = False
        stored = self._report(site_id, str(report["report_id"]))
        assert stored is not None
        return created, stored

    def _report(self, site_id: str, report_id: str) -> dict[str, Any] | None:
        r = t.reports.c
        with self.engine.connect() as conn:
            got = (
                conn.execute(
                    sa.select(*_REPORT_COLS).where(
                        (r.site_id == site_id) & (r.report_id == report_id)
                    )
                )
                .mappings()
                .one_or_none()
            )
        return None if got is None else dict(got)

    def reports(self, site_id: str | None = None) -> list[dict[str, Any]]:
        """Return the stored reports of one site (or all), oldest first.

        Oldest means by the reported clock time ``at``, then by arrival.
        """
        r = t.reports.c
        q = sa.select(*_REPORT_COLS).order_by(r.at, r.id)
        if site_id is not None:
            q = q.where(r.site_id == site_id)
        with self.engine.connect() as conn:
            return [dict(m) for m in conn.execute(q).mappings().all()]

    def report_stamp(self) -> tuple[int, int]:
        """Return ``(reports, newest row id)``: changes whenever a report arrives."""
        r = t.reports.c
        with self.engine.connect() as conn:
            n, top = conn.execute(
                sa.select(sa.func.count(r.id), sa.func.max(r.id))
            ).one()
        return int(n), int(top or 0)


_REPORT_COLS = [
    t.reports.c[c]
    for c in (
        "site_id",
        "report_id",
        "at",
        "sampled",
        "queue_people",
        "tubes",
        "problem",
        "note",
        "received_at",
    )
]


def _frame(stored: dict[str, Any]) -> pd.DataFrame:
    """Rebuild a small table of an old version (``{"columns", "rows"}``), text as str."""
    frame = pd.DataFrame(stored["rows"], columns=stored["columns"])
    if frame.empty:
        frame = frame.astype(str)
    return canonical(frame)


def _typed_sites(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.to_dict("records"):
        out.append(
            {
                "site_id": str(r["site_id"]),
                "name": str(r["name"]),
                "open": bool(r["open"]),
                "desks": int(float(r["desks"] or 0)),
                "people": int(float(r["people"] or 0)),
                "work_units": float(r["work_units"] or 0),
                "first_slot": str(r["first_slot"] or ""),
                "last_slot": str(r["last_slot"] or ""),
                "fixed": bool(r["fixed"]),
                "indoor": bool(r["indoor"]),
                "lon": float(r["lon"]),
                "lat": float(r["lat"]),
            }
        )
    return out


def _typed_assignments(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.to_dict("records"):
        out.append(
            {
                "household_id": str(r["household_id"]),
                "building_id": str(r["building_id"]),
                "grid_id": str(r["grid_id"]),
                "mode": str(r["mode"]),
                "site_id": "" if pd.isna(r["site_id"]) else str(r["site_id"]),
                "slot_start": "" if pd.isna(r["slot_start"]) else str(r["slot_start"]),
                "slot_end": "" if pd.isna(r["slot_end"]) else str(r["slot_end"]),
                "people": int(float(r["people"])),
                "tube_mode": str(r["tube_mode"]),
                "walk_m": int(float(r["walk_m"] if str(r["walk_m"]) else -1)),
            }
        )
    return out


def _joined(values: pd.Series) -> str:
    return "/".join(sorted({str(v) for v in values if str(v)}))


def _span(starts: pd.Series, ends: pd.Series) -> str:
    lo = sorted(str(v) for v in starts if str(v))
    hi = sorted(str(v) for v in ends if str(v))
    return f"{lo[0]}-{hi[-1]}" if lo and hi else ""
