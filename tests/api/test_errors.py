"""Every bad request: its status, a problem+json body naming what is wrong, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from service.api.access import PUBLIC, requires
from tests.api.helpers import BASE, assert_problem, count, create
from tests.builders import OMIT, record

BAD_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"buyer": OMIT}, "buyer"),
    ({"buyer": "Atlantis"}, "buyer"),
    ({"buyer": 42}, "buyer"),
    ({"buyer": None}, "buyer"),
    ({"seller": "Narnia"}, "seller"),
    ({"system": OMIT}, "system"),
    ({"system": "   "}, "system"),
    ({"system": "x" * 201}, "system"),
    ({"system": "Pio\u0000run"}, "system"),
    ({"system": "\ud800"}, "system"),
    ({"manufacturer": ""}, "manufacturer"),
    ({"manufacturer": "m" * 201}, "manufacturer"),
    ({"category": "tank"}, "category"),
    ({"category": OMIT}, "category"),
    ({"status": "signed"}, "status"),
    ({"status": "INTENT"}, "status"),
    ({"quantity_min": -1}, "quantity_min"),
    ({"quantity_max": 1_000_000_001}, "quantity_max"),
    ({"quantity_min": "200"}, "quantity_min"),
    ({"quantity_min": 2.5}, "quantity_min"),
    ({"quantity_min": True}, "quantity_min"),
    ({"quantity_min": 301}, "quantity_max"),
    ({"value_amount": "12", "value_currency": OMIT}, "value_currency"),
    ({"value_currency": "EUR"}, "value_currency"),
    ({"value_amount": "-1", "value_currency": "EUR"}, "value_amount"),
    ({"value_amount": 1.5, "value_currency": "EUR"}, "value_amount"),
    ({"value_amount": "1e9", "value_currency": "EUR"}, "value_amount"),
    ({"value_amount": "NaN", "value_currency": "EUR"}, "value_amount"),
    ({"value_amount": "1.1234567", "value_currency": "EUR"}, "value_amount"),
    ({"value_amount": "1" * 19, "value_currency": "EUR"}, "value_amount"),
    ({"value_amount": "10", "value_currency": "ZZZ"}, "value_currency"),
    ({"value_amount": "10", "value_currency": "euro"}, "value_currency"),
    ({"announced_on": "2025-13-01"}, "announced_on"),
    ({"announced_on": "yesterday"}, "announced_on"),
    ({"notes": "n" * 10_001}, "notes"),
    ({"sources": [{"url": "https://example.org/x"}] * 51}, "sources"),
    ({"sources": [{"url": "ftp://example.org/x"}]}, "sources"),
    ({"sources": [{"url": "javascript:alert(1)"}]}, "sources"),
    ({"sources": [{"title": "t", "excerpt": "e" * 2001}]}, "sources"),
    ({"sources": [{"excerpt": "no url, no title"}]}, "sources"),
    ({"sources": [{"url": "https://example.org/x", "author": "x"}]}, "sources"),
    ({"sources": "https://example.org/x"}, "sources"),
    ({"external_id": ""}, "external_id"),
    ({"id": "00000000-0000-0000-0000-000000000000"}, "id"),
    ({"buyer_code": "BE"}, "buyer_code"),
    ({"version": 3}, "version"),
    ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ({"updated_at": "2020-01-01T00:00:00Z"}, "updated_at"),
    ({"price": 10}, "price"),
]


@pytest.mark.parametrize(("change", "field"), BAD_FIELDS)
def test_invalid_field_is_422_naming_it_and_writes_nothing(
    client: FlaskClient, change: dict[str, Any], field: str
) -> None:
    before = count(client)
    assert_problem(client.post(BASE, json=record(**change)), 422, field)
    assert count(client) == before


def test_every_failing_field_is_listed_at_once(client: FlaskClient) -> None:
    body = record(
        buyer="Belgum",
        system="",
        category="tank",
        quantity_min=5,
        quantity_max=2,
        value_amount="12",
        id="x",
        colour="red",
    )
    problem = assert_problem(
        client.post(BASE, json=body),
        422,
        "buyer",
        "system",
        "category",
        "quantity_max",
        "value_currency",
        "id",
        "colour",
    )
    assert "Belgium" in problem["errors"]["buyer"][0]
    assert problem["errors"]["id"] == ["Read-only field."]
    assert problem["errors"]["colour"] == ["Unknown field."]


def test_unknown_party_suggests_close_names(client: FlaskClient) -> None:
    problem = assert_problem(client.post(BASE, json=record(seller="Polnd")), 422, "seller")
    assert "Poland" in problem["errors"]["seller"][0]


@pytest.mark.parametrize("body", [b"{bad json", b'{"buyer": "Belgium",}', b"\xff\xfe{}", b""])
def test_malformed_json_is_400(client: FlaskClient, body: bytes) -> None:
    before = count(client)
    response = client.post(BASE, data=body, content_type="application/json")
    assert_problem(response, 400)
    assert count(client) == before


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null"])
def test_json_that_is_not_an_object_is_422(client: FlaskClient, body: bytes) -> None:
    assert_problem(client.post(BASE, data=body, content_type="application/json"), 422)


@pytest.mark.parametrize(
    ("method", "content_type"),
    [
        ("post", "text/plain"),
        ("post", "application/x-www-form-urlencoded"),
        ("post", None),
        ("put", "text/csv"),
        ("patch", "application/xml"),
    ],
)
def test_body_that_is_not_json_is_415(
    client: FlaskClient, method: str, content_type: str | None
) -> None:
    created = create(client, record())
    url = BASE if method == "post" else f"{BASE}/{created['id']}"
    before = count(client)
    kwargs: dict[str, Any] = {"data": "buyer=Belgium"}
    if content_type:
        kwargs["content_type"] = content_type
    assert_problem(getattr(client, method)(url, **kwargs), 415)
    assert count(client) == before
    assert client.get(f"{BASE}/{created['id']}").get_json() == created


def test_body_over_one_mebibyte_is_413(client: FlaskClient) -> None:
    before = count(client)
    big = b'{"notes": "' + b"a" * (1024 * 1024) + b'"}'
    assert_problem(client.post(BASE, data=big, content_type="application/json"), 413)
    assert count(client) == before


def test_unknown_route_is_404_problem(client: FlaskClient) -> None:
    assert_problem(client.get("/api/v1/nothing-here"), 404)


def test_wrong_method_is_405_problem_with_allow(client: FlaskClient) -> None:
    response = client.delete(BASE)
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_server_error_is_500_problem_without_internals(app: Any) -> None:
    @app.route("/boom")
    @requires(PUBLIC)
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["detail"] == "The server could not complete the request."
