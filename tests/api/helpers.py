"""Small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

BASE = "/api/v1/procurements"


def create(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(BASE, json=body)
    assert response.status_code == 201, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def count(client: FlaskClient) -> int:
    """How many records the API lists (walking every page)."""
    total, url = 0, f"{BASE}?limit=500"
    while url:
        page = client.get(url).get_json()
        total += len(page["items"])
        url = page["next"]
    return total


def assert_problem(response: TestResponse, status: int, *fields: str) -> dict[str, Any]:
    """The response is problem+json with `status`, naming each of `fields` in errors."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"]
    assert body["title"]
    assert body["detail"]
    for field in fields:
        assert field in body["errors"], body
    return body
