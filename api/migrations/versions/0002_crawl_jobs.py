"""Crawl jobs beside ingest jobs: a job's kind and the figures of its crawl.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingest_jobs") as table:
        table.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="ingest"))
        table.add_column(sa.Column("crawl", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ingest_jobs") as table:
        table.drop_column("crawl")
        table.drop_column("kind")
