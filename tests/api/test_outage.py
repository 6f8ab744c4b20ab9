"""With the database gone the service answers at once and says so: liveness stays
up, readiness is 503, requests are 503 problem+json with Retry-After, never 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.config import Settings
from service.db import get_db
from service.services import keys
from tests.builders import record


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
