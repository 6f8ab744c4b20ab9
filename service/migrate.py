"""Alembic, driven from code: the schema is managed by service/migrations."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for our scripts; with `connection`, migrations run on it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None when never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


MIGRATION_LOCK = 7_301_946_318_455_529_061
"""The advisory lock every migration run holds: one runner at a time."""
LOCK_WAIT = "120s"


def _serialised(connection: Connection) -> None:
    """Wait (at most LOCK_WAIT) for other runners, then hold the lock until commit.
    Alembic has no lock of its own: without this, replicas starting together would
    all try to create the same tables. Migrations may run long (indexes on big
    tables): the session's statement timeout does not apply to them."""
    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
    connection.execute(text("SET LOCAL statement_timeout = 0"))
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision` in one transaction, one runner at a time."""
    with engine.begin() as connection:
        _serialised(connection)
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` in one transaction."""
    with engine.begin() as connection:
        _serialised(connection)
        command.downgrade(alembic_config(connection), revision)
