"""Probes, the served OpenAPI document and the offline interactive docs."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from service.db import request_session


@pytest.mark.parametrize("prefix", ["/health", "/api/v1/health"])
def test_live_is_200(client: FlaskClient, prefix: str) -> None:
    response = client.get(f"{prefix}/live")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


@pytest.mark.parametrize("prefix", ["/health", "/api/v1/health"])
def test_ready_is_200_when_migrated(client: FlaskClient, prefix: str) -> None:
    response = client.get(f"{prefix}/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "schema": "ok"}}


def test_ready_is_503_when_schema_is_behind(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        session = request_session()
        session.execute(text("UPDATE alembic_version SET version_num = 'old'"))
        session.commit()  # commits the test's savepoint only; the test rolls back
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert "python -m service db upgrade" in body["checks"]["schema"]


def test_openapi_json_is_served(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/procurements/{procurement_id}" in spec["paths"]


def test_docs_page_uses_only_local_assets(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert "http://" not in html
    assert "https://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        response = client.get(f"/docs/assets/{asset}")
        assert response.status_code == 200
        assert len(response.data) > 1000
        response.close()
