"""The screening day: plan store, access codes, site reports, status and re-plans.

Needs the ``ops`` extra (FastAPI, uvicorn, SQLAlchemy, Alembic, psycopg).
"""
