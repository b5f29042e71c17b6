"""Declare the closing's tables: uploaded batches, sampling records, lab results.

On the plan store's ``metadata`` (:mod:`planner.ops.tables`); created by the migration
``0033_closure``. A batch is stored once per ``(kind, digest)``: the same file or the
same phone batch sent twice is one batch (the second upload is answered with the
first).
"""

from __future__ import annotations

import sqlalchemy as sa

from planner.ops.tables import metadata

record_batches = sa.Table(
    "record_batches",
    metadata,
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
"""One row per upload: ``kind`` is ``records`` or ``results``; ``scope`` the site id
of the uploading code or ``command``; ``digest`` the SHA-256 of the file or of the
phone batch id within its site."""

sample_records = sa.Table(
    "sample_records",
    metadata,
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
"""Sampling records as read (normalised); ``sampled_at`` is ``YYYY-MM-DD HH:MM:SS``."""

lab_results = sa.Table(
    "lab_results",
    metadata,
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
"""Lab results by tube, ``result`` ``positive``/``negative``/``pending``."""
