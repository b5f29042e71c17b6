"""Add the closing's tables: uploaded batches, sampling records, lab results.

Revision ID: 0033_closure
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_closure"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the batches, records and results tables."""
    op.create_table(
        "record_batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("code_id", sa.Integer, sa.ForeignKey("access_codes.id")),
        sa.UniqueConstraint("kind", "digest", name="uq_record_batches_kind_digest"),
    )
    op.create_table(
        "sample_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "batch_id", sa.Integer, sa.ForeignKey("record_batches.id"), nullable=False
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("id_number", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("site", sa.String(64), nullable=False),
        sa.Column("desk", sa.String(16), nullable=False),
        sa.Column("sampled_at", sa.String(19), nullable=False),
        sa.Column("tube", sa.String(64), nullable=False),
        sa.Column("box", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
    )
    op.create_index("ix_sample_records_batch", "sample_records", ["batch_id"])
    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "batch_id", sa.Integer, sa.ForeignKey("record_batches.id"), nullable=False
        ),
        sa.Column("tube", sa.String(64), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("reported_at", sa.String(19), nullable=False),
        sa.Column("lab", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("lab_results")
    op.drop_index("ix_sample_records_batch", "sample_records")
    op.drop_table("sample_records")
    op.drop_table("record_batches")
