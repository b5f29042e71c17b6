"""Create the plan store: versions, their sites and households, codes, reports.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "ops_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("plan_versions.id")),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("summary_json", sa.Text, nullable=False),
        sa.Column("extra_json", sa.Text, nullable=False),
    )
    op.create_table(
        "version_sites",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("plan_versions.id"),
            primary_key=True,
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
    op.create_table(
        "version_assignments",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("plan_versions.id"),
            primary_key=True,
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
    op.create_table(
        "access_codes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32)),
    )
    op.create_table(
        "reports",
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
    op.create_index("ix_reports_site", "reports", ["site_id", "id"])


def downgrade() -> None:
    """Drop every table of the first schema."""
    op.drop_index("ix_reports_site", table_name="reports")
    for name in (
        "reports",
        "access_codes",
        "version_assignments",
        "version_sites",
        "plan_versions",
        "ops_meta",
    ):
        op.drop_table(name)
