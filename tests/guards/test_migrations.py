"""Migrations create exactly what the models describe, and run down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from service.db import sqlalchemy_url
from service.migrate import current_revision, downgrade, head_revision, upgrade
from service.models import Base
from tests.conftest import Databases


def test_migrated_schema_matches_models(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_run_down_and_up(databases: Databases) -> None:
    eng = create_engine(sqlalchemy_url(databases.create()))
    try:
        upgrade(eng)
        with eng.connect() as connection:
            assert current_revision(connection) == head_revision()
        downgrade(eng, "base")
        with eng.connect() as connection:
            assert "procurement" not in inspect(connection).get_table_names()
            assert current_revision(connection) is None
        upgrade(eng)
        with eng.connect() as connection:
            assert "procurement" in inspect(connection).get_table_names()
    finally:
        eng.dispose()
