"""Run the plan store's migrations on the connection the store hands to Alembic."""

from __future__ import annotations

from alembic import context

from planner.ops.tables import metadata


def run_migrations() -> None:
    """Migrate the connection in ``config.attributes["connection"]`` to the target."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("planner.ops migrations run through planner.ops.store only")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place: Alembic copies the table instead
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file as a script; imported anywhere else it only defines
if getattr(context, "config", None) is not None:
    run_migrations()
