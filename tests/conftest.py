"""Fixtures: a real PostgreSQL (TEST_DATABASE_URL, else an embedded pgserver), one
throwaway database per test session, and one rolled-back transaction per test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from service.app import create_app
from service.config import Settings
from service.db import get_db, sqlalchemy_url
from service.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server the tests may create databases on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


class Databases:
    """Creates throwaway databases on the test server and drops them at the end."""

    def __init__(self, server_url: str) -> None:
        self.admin = create_engine(sqlalchemy_url(server_url), isolation_level="AUTOCOMMIT")
        self.base = make_url(server_url)
        self.names: list[str] = []

    def create(self) -> str:
        name = f"procurement_test_{secrets.token_hex(6)}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(server_url: str) -> Iterator[Databases]:
    dbs = Databases(server_url)
    yield dbs
    dbs.drop_all()


def migrated_database(databases: Databases) -> str:
    """A new database on the test server, migrated to the newest revision."""
    url = databases.create()
    engine = create_engine(sqlalchemy_url(url))
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(databases: Databases) -> str:
    """The session's database, migrated to the newest revision."""
    return migrated_database(databases)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = create_engine(sqlalchemy_url(database_url))
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        pgdata=tmp_path_factory.mktemp("unused-pgdata"),
        seeds_dir=ROOT / "seeds",
        log_level="WARNING",
        rate_limits=False,  # tests/api/test_rate_limits.py turns them on
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[Flask]:
    """The app, its sessions joined to one transaction rolled back after the test."""
    application = create_app(settings)
    application.config["TESTING"] = True
    with engine.connect() as connection:
        transaction = connection.begin()
        get_db(application).bind_to(connection)
        yield application
        if transaction.is_active:
            transaction.rollback()


def make_key(app: Flask, name: str, *scopes: str) -> str:
    """A new API key (its secret) in the test's transaction."""
    from service.services import keys

    with app.app_context(), get_db().sessionmaker() as session:
        created = keys.create(session, name, list(scopes))
        session.commit()
    return created.secret


@pytest.fixture
def admin_key(app: Flask) -> str:
    return make_key(app, "test-admin", "admin")


@pytest.fixture
def client(app: Flask, admin_key: str) -> FlaskClient:
    """A test client that sends an admin key with every request."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {admin_key}"
    return test_client


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    """A test client that sends no key."""
    return app.test_client()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session in a transaction rolled back after the test (services tests)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
            yield s
        transaction.rollback()
