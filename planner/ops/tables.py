"""Declare the plan store's tables (the schema Alembic's migrations create).

The migrations under :mod:`planner.ops.migrations` are the only code that creates or
alters these tables; this module only names them so queries are typed and portable
between SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

meta = sa.Table(
    "ops_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""Key/value facts of the store: the scenario path, the code hashing salt."""

plan_versions = sa.Table(
    "plan_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("author", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("plan_versions.id")),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("summary_json", sa.Text, nullable=False),
    sa.Column("extra_json", sa.Text, nullable=False),
)
"""One row per plan version: the draft, each re-plan, each campaign round.

``created_at`` is an ISO-8601 UTC timestamp; ``kind`` is ``draft``, ``replan`` or
``round``; ``summary_json`` is ``plan.json``; ``extra_json`` holds every table of the
plan as :func:`planner.model.plan_tables.encode_tables` writes them (a version stored
before that holds only unassigned, home visits and slots, as columns and rows).
"""

version_sites = sa.Table(
    "version_sites",
    metadata,
    sa.Column(
        "version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), primary_key=True
    ),
    sa.Column("site_id", sa.String(64), primary_key=True),
    sa.Column("pos", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("open", sa.Boolean, nullable=False),
    sa.Column("desks", sa.Integer, nullable=False),
    sa.Column("people", sa.Integer, nullable=False),
    sa.Column("work_units", sa.Float, nullable=False),
    sa.Column("first_slot", sa.String(5), nullable=False),
    sa.Column("last_slot", sa.String(5), nullable=False),
    sa.Column("fixed", sa.Boolean, nullable=False),
    sa.Column("indoor", sa.Boolean, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
)
"""The sites of a version (WGS-84 ``lon``/``lat``)."""

version_assignments = sa.Table(
    "version_assignments",
    metadata,
    sa.Column(
        "version_id", sa.Integer, sa.ForeignKey("plan_versions.id"), primary_key=True
    ),
    sa.Column("household_id", sa.String(64), primary_key=True),
    sa.Column("pos", sa.Integer, nullable=False),
    sa.Column("building_id", sa.String(64), nullable=False),
    sa.Column("grid_id", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("slot_start", sa.String(5), nullable=False),
    sa.Column("slot_end", sa.String(5), nullable=False),
    sa.Column("people", sa.Integer, nullable=False),
    sa.Column("tube_mode", sa.String(16), nullable=False),
    sa.Column("walk_m", sa.Integer, nullable=False),
)
"""Every household of a version: mode, site and slot (the columns of assignments.csv)."""

access_codes = sa.Table(
    "access_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("issued_at", sa.String(32), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32)),
)
"""Access codes by their SHA-256 hash only; ``site_id`` is ``command`` for the centre."""

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("report_id", sa.String(64), nullable=False),
    sa.Column("at", sa.String(5), nullable=False),
    sa.Column("sampled", sa.Integer, nullable=False),
    sa.Column("queue_people", sa.Integer, nullable=False),
    sa.Column("tubes", sa.Integer, nullable=False),
    sa.Column("problem", sa.String(32)),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("code_id", sa.Integer, sa.ForeignKey("access_codes.id")),
    sa.UniqueConstraint("site_id", "report_id", name="uq_reports_site_report"),
)
"""Site leads' reports; ``(site_id, report_id)`` is unique, so a resend is stored once."""
