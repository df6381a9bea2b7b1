"""Alembic environment: runs on the connection handed over by ``api.migrations.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from api.db import ApiBase
from api.migrations import VERSION_TABLE

connection = context.config.attributes["connection"]
if connection.dialect.name == "postgresql":
    # Workers starting together must not create the same tables at once.
    connection.execute(text("SELECT pg_advisory_xact_lock(4711)"))
context.configure(connection=connection, target_metadata=ApiBase.metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
