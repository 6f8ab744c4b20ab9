"""Request ids (taken, made, returned, in problem bodies) and JSON log lines."""

from __future__ import annotations

import json
import logging
import re

import flask
import pytest
from flask.testing import FlaskClient

from service.config import ConfigError, Settings
from service.observability import JsonFormatter
from tests.api.helpers import BASE


def test_a_request_id_is_made_when_none_is_sent(client: FlaskClient) -> None:
    response = client.get("/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert client.get("/health/live").headers["X-Request-ID"] != response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("abc-123_XYZ.7", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("has space", False),
        ('quote"injection', False),
        ("", False),
    ],
)
def test_a_sane_client_request_id_is_kept(client: FlaskClient, sent: str, kept: bool) -> None:
    returned = client.get("/health/live", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
    assert (returned == sent) is kept
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,128}", returned)


def test_problem_bodies_name_the_request_id(client: FlaskClient) -> None:
    response = client.get(f"{BASE}?colour=red", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 400
    assert response.get_json()["request_id"] == "trace-42" == response.headers["X-Request-ID"]


def test_log_lines_are_json_with_the_request_id(app: flask.Flask) -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord(
        "service.test", logging.WARNING, __file__, 1, "hello %s", ("x",), None
    )
    with app.test_request_context("/"):
        flask.g.request_id = "trace-7"
        line = json.loads(formatter.format(record))
    assert line["message"] == "hello x" and line["level"] == "WARNING"
    assert line["request_id"] == "trace-7"
    outside = json.loads(formatter.format(record))
    assert "request_id" not in outside


def test_log_format_is_checked() -> None:
    assert Settings.from_env({}).log_format == "json"
    assert Settings.from_env({"LOG_FORMAT": "text"}).log_format == "text"
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        Settings.from_env({"LOG_FORMAT": "xml"})


def test_the_sync_check_is_remembered_per_function_not_per_request(
    app: flask.Flask, client: FlaskClient
) -> None:
    """TransactionalFlask.ensure_sync keeps one answer per function: serving more
    requests adds nothing (a cache keyed by request objects would grow forever)."""
    for _ in range(5):
        assert client.get("/api/v1/procurements?limit=1").status_code == 200
        assert client.get("/health/live").status_code == 200
    known = dict(app._synchronous)  # type: ignore[attr-defined]
    assert known and all(known.values())  # every hook and view here is synchronous
    for _ in range(20):
        assert client.get("/api/v1/procurements?limit=1").status_code == 200
        assert client.get("/health/live").status_code == 200
    assert app._synchronous == known  # type: ignore[attr-defined]
