"""Security headers on every kind of response, and CORS only for configured origins."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.config import ConfigError, Settings
from service.db import get_db
from tests.api.helpers import BASE


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        (BASE, "default-src 'none'"),
        (f"{BASE}?colour=red", "default-src 'none'"),  # a problem response
        ("/nowhere", "default-src 'none'"),  # a 404
        ("/health/live", "default-src 'none'"),
        ("/", "default-src 'self'"),
        ("/explorer/explorer.js", "default-src 'self'"),
        ("/docs", "'unsafe-inline'"),
    ],
)
def test_every_response_is_hardened(client: FlaskClient, path: str, policy: str) -> None:
    response = client.get(path)
    response.close()  # static files are streamed from disk
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert policy in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in response.headers  # no CORS by default


@pytest.fixture
def cors_client(settings: Settings, app: Flask) -> FlaskClient:
    allowed = create_app(replace(settings, cors_origins=("https://dash.example.org",)))
    connection = get_db(app).bound_connection
    assert connection is not None
    get_db(allowed).bind_to(connection)  # the test's transaction
    return allowed.test_client()


def test_cors_answers_only_configured_origins(cors_client: FlaskClient) -> None:
    good = cors_client.get(BASE, headers={"Origin": "https://dash.example.org"})
    assert good.headers["Access-Control-Allow-Origin"] == "https://dash.example.org"
    assert "X-Total-Count" in good.headers["Access-Control-Expose-Headers"]
    bad = cors_client.get(BASE, headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    preflight = cors_client.options(
        BASE,
        headers={
            "Origin": "https://dash.example.org",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "If-Match, Content-Type",
        },
    )
    assert "PATCH" in preflight.headers["Access-Control-Allow-Methods"]
    assert "if-match" in preflight.headers["Access-Control-Allow-Headers"].lower()
    create = cors_client.options(
        BASE,
        headers={
            "Origin": "https://dash.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Idempotency-Key, Content-Type",
        },
    )
    assert "idempotency-key" in create.headers["Access-Control-Allow-Headers"].lower()


def test_cors_origins_must_be_exact_origins() -> None:
    assert Settings.from_env(
        {"CORS_ORIGINS": "https://a.org, http://b.org:8080/"}
    ).cors_origins == (
        "https://a.org",
        "http://b.org:8080",
    )
    with pytest.raises(ConfigError, match="CORS_ORIGINS"):
        Settings.from_env({"CORS_ORIGINS": "*"})
