"""The checklist's bad inputs (reliability checklist, section b): each gets its
documented status as problem+json, writes nothing, and is never a 500."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.config import Settings
from tests.api.helpers import BASE, assert_problem, count, create
from tests.builders import record

GOOD = json.dumps(record())


def _with(old: str, new: str) -> bytes:
    assert old in GOOD
    return GOOD.replace(old, new, 1).encode()


def _body(**fields: Any) -> bytes:
    return json.dumps(record(**fields)).encode()


FRAMING = {
    "empty body": (b"", 400),
    "truncated": (b'{"buyer":', 400),
    "trailing garbage": (b"{}x", 400),
    "5,000-deep array": (b"[" * 5000 + b"]" * 5000, 400),
    "3,000-deep object": (b'{"a":' * 3000 + b"1" + b"}" * 3000, 400),
    "5,000-digit integer": (_with('"quantity_min": 200', '"quantity_min": ' + "9" * 5000), 400),
    "duplicate key": (_with('"seller": "Poland"', '"seller": "Poland", "seller": "Czechia"'), 400),
    "UTF-8 BOM": (b"\xef\xbb\xbf" + GOOD.encode(), 400),
    "invalid UTF-8": (b'{"buyer": "\xc3\x28"}', 400),
    "UTF-16": (GOOD.encode("utf-16"), 400),
    "null": (b"null", 422),
    "array": (b"[]", 422),
    "number": (b"123", 422),
    "string": (b'"str"', 422),
}

VALUES = {
    "NaN": (_with('"quantity_min": 200', '"quantity_min": NaN'), "quantity_min"),
    "Infinity": (_with('"quantity_min": 200', '"quantity_min": -Infinity'), "quantity_min"),
    "1e309 amount": (
        GOOD[:-1].encode() + b', "value_amount": 1e309, "value_currency": "EUR"}',
        "value_amount",
    ),
    "2^53+1": (_with('"quantity_min": 200', '"quantity_min": 9007199254740993'), "quantity_min"),
    "-0.0": (_with('"quantity_min": 200', '"quantity_min": -0.0'), "quantity_min"),
    "1e-400": (_with('"quantity_min": 200', '"quantity_min": 1e-400'), "quantity_min"),
    "10.5 for an integer": (_with('"quantity_min": 200', '"quantity_min": 10.5'), "quantity_min"),
    '"10" for an integer': (_with('"quantity_min": 200', '"quantity_min": "10"'), "quantity_min"),
    "true for an integer": (_with('"quantity_min": 200', '"quantity_min": true'), "quantity_min"),
    "negative quantity": (_body(quantity_min=-1), "quantity_min"),
    "amount beyond precision": (
        _body(value_amount="1" + "0" * 40, value_currency="EUR"),
        "value_amount",
    ),
    "amount as a float": (_body(value_amount=10.5, value_currency="EUR"), "value_amount"),
    "NUL": (_with("Piorun", "Pio\\u0000run"), "system"),
    "lone surrogate": (_with("Piorun", "Pio\\ud800run"), "system"),
    "control character": (_body(system="Pio\x07run"), "system"),
    "blank name": (_body(system="   "), "system"),
    "too long": (_body(system="x" * 201), "system"),
    "currency symbol": (_body(value_amount="10", value_currency="€"), "value_currency"),
    "no-currency code": (_body(value_amount="10", value_currency="XXX"), "value_currency"),
    "four letters": (_body(value_amount="10", value_currency="EURO"), "value_currency"),
    "30 February": (_body(announced_on="2024-02-30"), "announced_on"),
    "month 13": (_body(announced_on="2024-13-01"), "announced_on"),
    "year 0": (_body(announced_on="0000-01-01"), "announced_on"),
    "epoch integer": (_body(announced_on=1700000000), "announced_on"),
    "server-owned id": (_body(id="0190a000-0000-7000-8000-000000000000"), "id"),
    "server-owned version": (_body(version=7), "version"),
    "server-owned created_by": (_body(created_by="someone"), "created_by"),
    "unknown field": (_body(debug=True), "debug"),
    "40-deep extra object": (
        GOOD[:-1].encode() + b', "extra": ' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"}",
        "extra",
    ),
}

URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "http://127.0.0.1/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.8/report",
    "http://localhost:8000/x",
    "http://example.org/" + "a" * 3000,
]


@pytest.mark.parametrize("name", list(FRAMING))
def test_malformed_bodies(client: FlaskClient, name: str) -> None:
    raw, status = FRAMING[name]
    before = count(client)
    response = client.post(BASE, data=raw, content_type="application/json")
    body = assert_problem(response, status)
    if status == 400 and raw:
        assert "not valid JSON" in body["detail"]
    assert count(client) == before


def test_duplicate_keys_are_named(client: FlaskClient) -> None:
    raw, _ = FRAMING["duplicate key"]
    body = assert_problem(client.post(BASE, data=raw, content_type="application/json"), 400)
    assert "'seller' appears twice" in body["detail"]


@pytest.mark.parametrize("name", list(VALUES))
def test_bad_values_are_422_naming_the_field(client: FlaskClient, name: str) -> None:
    raw, field = VALUES[name]
    before = count(client)
    response = client.post(BASE, data=raw, content_type="application/json")
    assert_problem(response, 422, field)
    assert count(client) == before


@pytest.mark.parametrize("url", URLS)
def test_unsafe_source_urls_are_422(client: FlaskClient, url: str) -> None:
    response = client.post(BASE, json=record(sources=[{"url": url}]))
    body = assert_problem(response, 422, "sources")
    assert "url" in json.dumps(body["errors"]["sources"])


def test_a_public_source_url_is_fine(client: FlaskClient) -> None:
    assert client.post(BASE, json=record(sources=[{"url": "https://93.184.215.14/x"}])).status_code
    assert create(client, record(sources=[{"url": "https://news.example.org/a?b=c"}]))


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
        "application/json; charset=latin-1",
        "application/xml",
    ],
)
def test_other_media_types_are_415(client: FlaskClient, content_type: str) -> None:
    response = client.post(BASE, data=GOOD, content_type=content_type)
    assert_problem(response, 415)


def test_compressed_bodies_are_415(client: FlaskClient) -> None:
    import gzip

    for path in (BASE, "/api/v1/imports"):
        response = client.post(
            path,
            data=gzip.compress(GOOD.encode()),
            content_type="application/json",
            headers={"Content-Encoding": "gzip"},
        )
        assert_problem(response, 415)


def test_equivalent_unicode_is_stored_once(client: FlaskClient) -> None:
    composed = create(client, record(system="Caf\u00e9", external_id="nfc:1"))
    assert composed["system"] == "Caf\u00e9"
    decomposed = client.post(BASE, json=record(system="Cafe\u0301", external_id="nfc:1"))
    assert_problem(decomposed, 409)  # the same external_id: NFD text was made NFC too
    stored = client.post(BASE, json=record(system="Cafe\u0301")).get_json()
    assert stored["system"] == "Caf\u00e9"


def test_script_is_stored_as_text_and_served_as_json(client: FlaskClient) -> None:
    created = create(client, record(notes="<script>alert(1)</script>"))
    response = client.get(f"{BASE}/{created['id']}")
    assert response.get_json()["notes"] == "<script>alert(1)</script>"
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [
        ("If-Match", 'W/"weak"', 412),
        ("If-Match", "not-quoted", 412),
        ("If-Match", '"a", "b"', 412),
        ("Idempotency-Key", "", 400),
        ("Idempotency-Key", "k" * 256, 400),
        ("Idempotency-Key", "clé", 400),
        ("X-Change-Reason", "x" * 501, 400),
        ("X-Change-Reason", "tab\there", 400),
    ],
)
def test_header_abuse(client: FlaskClient, header: str, value: str, status: int) -> None:
    rid = create(client, record())["id"]
    if header == "Idempotency-Key":
        response = client.post(BASE, json=record(), headers={header: value})
    else:
        response = client.put(f"{BASE}/{rid}", json=record(notes="x"), headers={header: value})
    assert_problem(response, status)
    assert client.get(f"{BASE}/{rid}").get_json()["version"] == 1


def test_if_match_star_on_a_missing_record_is_412(client: FlaskClient) -> None:
    missing = f"{BASE}/0190a000-0000-7000-8000-000000000000"
    assert_problem(client.put(missing, json=record(), headers={"If-Match": "*"}), 412)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=-1",
        "limit=501",
        "limit=1e3",
        "limit=abc",
        "limit=9223372036854775808",
        "cursor=abc",
        "cursor=eyJ4IjoxfQ",
        "sort=-",
        "sort=title;",
        "sort=system desc; DROP TABLE procurement",
        "sort=" + ",".join(["system"] * 50),
        "sort=system&sort=system",
        "debug=1",
        "status=sold",
        "as_of=2026",
    ],
)
def test_bad_query_parameters_are_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"{BASE}?{query}")
    assert_problem(response, 400)


@pytest.mark.parametrize(
    "value", ["' OR 1=1 --", "%", "_", "\\", "1) UNION SELECT NULL--", "x" * 10_000]
)
def test_sql_looking_filter_values_are_literal_text(client: FlaskClient, value: str) -> None:
    create(client, record(system="Piorun"))
    response = client.get(BASE, query_string={"system": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.get_json()["items"] == []


def test_methods_not_declared_are_405_with_allow(client: FlaskClient) -> None:
    for method, path in [
        ("TRACE", BASE),
        ("PATCH", BASE),
        ("DELETE", BASE),
        ("PUT", "/api/v1/imports"),
    ]:
        response = client.open(path, method=method)
        assert_problem(response, 405)
        assert response.headers["Allow"]


def test_an_unknown_host_is_400_when_trusted_hosts_is_set(app: Flask, settings: Settings) -> None:
    from service.app import create_app

    strict = create_app(replace(settings, trusted_hosts=("tracker.example.org",)))
    client = strict.test_client()
    assert_problem(client.get("/health/live", headers={"Host": "evil.example"}), 400)
    assert client.get("/health/live", headers={"Host": "tracker.example.org"}).status_code == 200
