"""With the database gone the service answers at once and says so: liveness stays
up, readiness is 503, requests are 503 problem+json with Retry-After, never 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from service.app import create_app
from service.config import Settings
from service.db import get_db, sqlalchemy_url
from service.services import keys
from tests.builders import record
from tests.conftest import Databases, make_key, migrated_database


@pytest.fixture
def down(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """The app pointed at a port where no PostgreSQL listens."""
    settings = Settings(
        database_url="postgresql://postgres@127.0.0.1:9/absent",
        pgdata=tmp_path_factory.mktemp("unused"),
        log_level="CRITICAL",
    )
    app = create_app(settings)
    client = app.test_client()
    # A well-formed key: checking it needs the database, so writes fail as 503 too.
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {keys.new_secret()}"
    yield client
    get_db(app).dispose()


def test_liveness_does_not_touch_the_database(down: FlaskClient) -> None:
    assert down.get("/health/live").status_code == 200


def test_readiness_reports_the_outage(down: FlaskClient) -> None:
    response = down.get("/health/ready")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "unreachable"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/procurements", None),
        ("GET", "/api/v1/procurements?format=csv", None),
        ("GET", "/api/v1/stats?group_by=buyer", None),
        ("POST", "/api/v1/procurements", record()),
        ("GET", "/api/v1/procurements/01a2b3c4-0000-7000-8000-000000000000", None),
    ],
)
def test_requests_fail_fast_as_503(down: FlaskClient, method: str, path: str, body: object) -> None:
    response = down.open(path, method=method, json=body)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    assert "unavailable" in response.get_json()["detail"]


def test_connections_killed_while_pooled_cost_no_failed_request(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No ping before each use: a pooled connection found dead is replaced and the
    request runs again (reads, the key lookup and writes alike)."""
    url = migrated_database(databases)
    app = create_app(
        Settings(
            database_url=url,
            pgdata=tmp_path_factory.mktemp("unused"),
            log_level="CRITICAL",
            rate_limits=False,
        )
    )
    admin = create_engine(sqlalchemy_url(url), isolation_level="AUTOCOMMIT")
    try:
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, 'writer', 'write')}"
        created = client.post("/api/v1/procurements", json=record())
        assert created.status_code == 201
        path = created.headers["Location"]
        assert client.get(path).status_code == 200

        def kill_pooled() -> int:
            with admin.connect() as conn:
                return len(
                    conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                            "AND application_name = 'procurement-tracker'"
                        )
                    ).all()
                )

        assert kill_pooled() >= 1
        assert client.get(path).status_code == 200
        # A read without a key: the record's own query is the first to meet the dead
        # connection (GET by id goes to the driver directly).
        anonymous = app.test_client()
        assert anonymous.get(path).status_code == 200
        assert kill_pooled() >= 1
        assert anonymous.get(path).status_code == 200
        assert kill_pooled() >= 1
        again = client.post("/api/v1/procurements", json=record(system="Grom"))
        assert again.status_code == 201
        assert client.get("/api/v1/procurements?count=exact").get_json()["total"] == 2
    finally:
        get_db(app).dispose()
        admin.dispose()
