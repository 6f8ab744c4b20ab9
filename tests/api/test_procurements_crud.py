"""Create, read, replace, merge-patch and delete over HTTP."""

from __future__ import annotations

import uuid

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import BASE, assert_problem, count, create
from tests.builders import OMIT, record


def test_create_returns_201_with_location_and_record(client: FlaskClient) -> None:
    response = client.post(BASE, json=record())
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"{BASE}/{body['id']}"
    assert uuid.UUID(body["id"])
    assert body["buyer"] == "Belgium"
    assert body["buyer_code"] == "BE"
    assert body["seller_code"] == "PL"
    assert (body["quantity_min"], body["quantity_max"]) == (200, 300)
    assert body["version"] == 1
    assert body["created_at"].endswith("Z")
    assert body["created_at"] == body["updated_at"]
    assert body["sources"][0]["published_on"] == "2025-06-02"


def test_create_defaults_optional_fields_to_null(client: FlaskClient) -> None:
    body = create(
        client,
        {
            "buyer": "NATO",
            "seller": "US",
            "system": "E-7",
            "category": "aircraft",
            "status": "announced",
        },
    )
    assert body["buyer_code"] is None
    for field in ("manufacturer", "quantity_min", "quantity_max", "value_amount", "notes"):
        assert body[field] is None
    assert body["sources"] == []


@pytest.mark.parametrize(
    ("given", "name", "code"),
    [
        ("USA", "United States", "US"),
        ("u.s.", "United States", "US"),
        ("usa", "United States", "US"),
        ("United States of America", "United States", "US"),
        ("UK", "United Kingdom", "GB"),
        ("gbr", "United Kingdom", "GB"),
        ("Republic of Korea", "South Korea", "KR"),
        ("KOR", "South Korea", "KR"),
        ("kr", "South Korea", "KR"),
        ("  belgium ", "Belgium", "BE"),
        ("nato", "NATO", None),
    ],
)
def test_create_resolves_party_aliases_and_codes(
    client: FlaskClient, given: str, name: str, code: str | None
) -> None:
    body = create(client, record(buyer=given))
    assert (body["buyer"], body["buyer_code"]) == (name, code)


def test_value_amount_is_exact_decimal_string(client: FlaskClient) -> None:
    body = create(client, record(value_amount="123456789012345678.123456", value_currency="eur"))
    assert body["value_amount"] == "123456789012345678.123456"
    assert body["value_currency"] == "EUR"
    again = client.get(f"{BASE}/{body['id']}").get_json()
    assert again["value_amount"] == "123456789012345678.123456"


def test_get_returns_the_record(client: FlaskClient) -> None:
    created = create(client, record())
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 200
    assert response.get_json() == created


@pytest.mark.parametrize("path", [str(uuid.uuid4()), "not-a-uuid", "1", "%00"])
def test_get_unknown_or_malformed_id_is_404(client: FlaskClient, path: str) -> None:
    assert_problem(client.get(f"{BASE}/{path}"), 404)


def test_put_replaces_every_writable_field(client: FlaskClient) -> None:
    created = create(client, record(notes="first", value_amount="10", value_currency="PLN"))
    replacement = record(status="contracted", quantity_min=250, quantity_max=250, notes=OMIT)
    response = client.put(f"{BASE}/{created['id']}", json=replacement)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "contracted"
    assert (body["quantity_min"], body["quantity_max"]) == (250, 250)
    assert body["notes"] is None  # omitted in a PUT means cleared
    assert body["value_amount"] is None
    assert body["version"] == 2
    assert body["created_at"] == created["created_at"]


def test_put_with_identical_body_is_no_change(client: FlaskClient) -> None:
    created = create(client, record())
    body = client.put(f"{BASE}/{created['id']}", json=record()).get_json()
    assert body["version"] == 1


def test_put_unknown_id_is_404(client: FlaskClient) -> None:
    assert_problem(client.put(f"{BASE}/{uuid.uuid4()}", json=record()), 404)


def test_put_validates_like_create(client: FlaskClient) -> None:
    created = create(client, record())
    response = client.put(f"{BASE}/{created['id']}", json=record(system=OMIT, status="done"))
    assert_problem(response, 422, "system", "status")
    assert client.get(f"{BASE}/{created['id']}").get_json() == created


@pytest.mark.parametrize("content_type", ["application/merge-patch+json", "application/json"])
def test_patch_merges_fields(client: FlaskClient, content_type: str) -> None:
    created = create(client, record(notes="keep me"))
    response = client.patch(
        f"{BASE}/{created['id']}",
        json={"status": "contracted", "quantity_min": 250, "quantity_unit": None},
        content_type=content_type,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "contracted"
    assert body["quantity_min"] == 250
    assert body["quantity_max"] == 300
    assert body["quantity_unit"] is None  # null clears
    assert body["notes"] == "keep me"  # absent means untouched
    assert body["version"] == 2


def test_patch_null_sources_clears_them(client: FlaskClient) -> None:
    created = create(client, record())
    body = client.patch(f"{BASE}/{created['id']}", json={"sources": None}).get_json()
    assert body["sources"] == []


def test_patch_validates_the_merged_record(client: FlaskClient) -> None:
    created = create(client, record())  # 200..300
    response = client.patch(f"{BASE}/{created['id']}", json={"quantity_min": 400})
    assert_problem(response, 422, "quantity_max")
    response = client.patch(f"{BASE}/{created['id']}", json={"value_amount": "5"})
    assert_problem(response, 422, "value_currency")
    assert client.get(f"{BASE}/{created['id']}").get_json() == created


def test_patch_removing_currency_but_keeping_amount_is_422(client: FlaskClient) -> None:
    created = create(client, record(value_amount="5", value_currency="USD"))
    response = client.patch(f"{BASE}/{created['id']}", json={"value_currency": None})
    assert_problem(response, 422, "value_currency")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"system": None}, "system"),
        ({"buyer": "Atlantis"}, "buyer"),
        ({"colour": "red"}, "colour"),
        ({"version": 7}, "version"),
        ({"id": "x"}, "id"),
        ({"quantity_max": -1}, "quantity_max"),
    ],
)
def test_patch_rejects_bad_fields(
    client: FlaskClient, patch: dict[str, object], field: str
) -> None:
    created = create(client, record())
    assert_problem(client.patch(f"{BASE}/{created['id']}", json=patch), 422, field)
    assert client.get(f"{BASE}/{created['id']}").get_json() == created


def test_patch_unknown_id_is_404(client: FlaskClient) -> None:
    assert_problem(client.patch(f"{BASE}/{uuid.uuid4()}", json={"notes": "x"}), 404)


def test_delete_then_get_is_404(client: FlaskClient) -> None:
    created = create(client, record())
    response = client.delete(f"{BASE}/{created['id']}")
    assert response.status_code == 204
    assert response.data == b""
    assert_problem(client.get(f"{BASE}/{created['id']}"), 404)
    assert_problem(client.delete(f"{BASE}/{created['id']}"), 404)


def test_external_id_is_unique(client: FlaskClient) -> None:
    create(client, record(external_id="sipri:1"))
    before = count(client)
    assert_problem(client.post(BASE, json=record(external_id="sipri:1")), 409, "external_id")
    assert count(client) == before
