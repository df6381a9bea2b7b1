"""Alembic migrations of the API's tables (feedback, ingest jobs), run at startup and by ``kis db upgrade``.

Configured in code rather than an ``alembic.ini``: the database URL comes from Settings like
everything else. The version table has its own name so other components may use Alembic too.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

VERSION_TABLE = "api_alembic_version"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the API tables to ``revision``; a no-op when they are there already."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
