"""Idempotency-Key on POST create and batch: replay, mismatch, in flight, expiry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from service.db import get_db
from tests.api.helpers import BASE, assert_problem, count
from tests.builders import record
from tests.conftest import make_key

DATA = Path(__file__).resolve().parents[1] / "data"


def _post(client: FlaskClient, body: object, key: str, path: str = BASE):  # type: ignore[no-untyped-def]
    return client.post(path, json=body, headers={"Idempotency-Key": key})


def test_a_repeat_replays_the_first_response_and_writes_nothing(client: FlaskClient) -> None:
    before = count(client)
    first = _post(client, record(), "key-1")
    again = _post(client, record(), "key-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count(client) == before + 1
    other = _post(client, record(), "key-2")  # another key: another record
    assert other.get_json()["id"] != first.get_json()["id"]


def test_the_same_key_with_another_body_is_422(client: FlaskClient) -> None:
    assert _post(client, record(), "key-3").status_code == 201
    body = assert_problem(_post(client, record(system="Grom"), "key-3"), 422, "Idempotency-Key")
    assert "different request" in body["errors"]["Idempotency-Key"][0]


def test_batch_is_idempotent_too(client: FlaskClient) -> None:
    items = [record(external_id="idem:1"), record(external_id="idem:2")]
    first = _post(client, items, "batch-1", f"{BASE}:batch")
    again = _post(client, items, "batch-1", f"{BASE}:batch")
    assert first.get_json()["created"] == 2
    assert again.get_json() == first.get_json()  # "created": 2 again, nothing written
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_key_still_in_flight_is_409(engine: Engine, client: FlaskClient) -> None:
    # Another connection holds the key's lock, as the first request does while it runs.
    holder = client.get("/api/v1/keys").get_json()[0]["id"]
    with engine.connect() as other, other.begin():
        other.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:n, 0))"),
            {"n": f"{holder} POST /api/v1/procurements\nkey-busy"},
        )
        response = _post(client, record(), "key-busy")
    assert_problem(response, 409)
    assert response.headers["Retry-After"] == "1"


def test_failed_requests_are_not_kept(client: FlaskClient) -> None:
    assert_problem(_post(client, record(buyer="Atlantis"), "key-4"), 422, "buyer")
    assert _post(client, record(), "key-4").status_code == 201  # the key is still free


def test_keys_expire_after_a_day(app: Flask, client: FlaskClient) -> None:
    first = _post(client, record(), "key-old")
    with get_db(app).sessionmaker() as session:
        session.execute(text("UPDATE idempotency_key SET created_at = now() - interval '25 hours'"))
        session.commit()
    again = _post(client, record(), "key-old")
    assert again.status_code == 201
    assert again.get_json()["id"] != first.get_json()["id"]
    assert "Idempotent-Replayed" not in again.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "tab\there"])
def test_a_malformed_key_is_400(client: FlaskClient, key: str) -> None:
    assert_problem(
        client.post(
            BASE,
            data=json.dumps(record()),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        ),
        400,
        "Idempotency-Key",
    )


def test_keys_belong_to_the_api_key_that_sent_them(app: Flask, client: FlaskClient) -> None:
    other = {"Authorization": f"Bearer {make_key(app, 'other-client', 'write')}"}
    mine = _post(client, record(), "shared-key")
    theirs = client.post(BASE, json=record(), headers={"Idempotency-Key": "shared-key", **other})
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


def test_the_same_key_on_another_route_is_independent(client: FlaskClient) -> None:
    single = _post(client, record(), "route-key")
    batch = _post(client, [record(external_id="idem:route")], "route-key", f"{BASE}:batch")
    assert (single.status_code, batch.status_code) == (201, 200)
    assert batch.get_json()["created"] == 1


def _import(client: FlaskClient, raw: bytes, key: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/imports",
        data=raw,
        content_type="text/csv",
        headers={"Idempotency-Key": key},
        **kwargs,
    )


def test_imports_replay_the_first_report_and_write_once(client: FlaskClient) -> None:
    raw = (DATA / "sipri_deals.csv").read_bytes()
    before = count(client)
    first = _import(client, raw, "import-1")
    assert first.status_code == 200, first.get_json()
    written = count(client)
    assert written > before
    again = _import(client, raw, "import-1")
    assert again.get_json() == first.get_json()  # the first report, "created" and all
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(client) == written
    changed = raw.replace(b"Piorun", b"Grom", 1) if b"Piorun" in raw else raw + b"\n"
    assert_problem(_import(client, changed, "import-1"), 422, "Idempotency-Key")


def test_multipart_imports_are_idempotent_too(client: FlaskClient) -> None:
    import io

    raw = (DATA / "sipri_deals.csv").read_bytes()

    def send():  # type: ignore[no-untyped-def]
        return client.post(
            "/api/v1/imports",
            data={"file": (io.BytesIO(raw), "deals.csv")},
            content_type="multipart/form-data; boundary=fixed-boundary-for-the-test",
            headers={"Idempotency-Key": "import-multipart"},
        )

    first = send()
    assert first.status_code == 200, first.get_json()
    written = count(client)
    again = send()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert count(client) == written
