"""Run the plan store's migrations on the connection the store hands to Alembic."""

from __future__ import annotations

from alembic import context

from planner.ops.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always passes one
    raise RuntimeError("planner.ops migrations run through planner.ops.store only")
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place: Alembic copies the table instead
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
