"""Alembic migrations of the plan store (run by :meth:`planner.ops.store.Store.open`)."""
