"""POST /api/v1/imports (raw body or multipart) and POST /api/v1/procurements:batch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import BASE, assert_problem, count
from tests.builders import record

DATA = Path(__file__).resolve().parents[1] / "data"
IMPORTS = "/api/v1/imports"
BATCH = f"{BASE}:batch"


def test_import_raw_body_reports_counts_and_rejected_rows(client: FlaskClient) -> None:
    before = count(client)
    response = client.post(
        IMPORTS, data=(DATA / "sipri_deals.csv").read_bytes(), content_type="text/csv"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["format"], body["committed"]) == ("sipri-deals", True)
    assert (body["created"], body["rejected"]) == (12, 5)
    assert {r["line"] for r in body["rejected_rows"]} == {26, 27, 28, 29, 30}
    assert count(client) == before + 12
    listed = client.get(f"{BASE}?buyer=Hezbollah (Lebanon)*").get_json()["items"]
    assert listed[0]["buyer_kind"] == "non-state-actor"


def test_import_multipart_file(client: FlaskClient) -> None:
    data = {"file": (io.BytesIO((DATA / "sipri_deliveries.csv").read_bytes()), "reg.csv")}
    response = client.post(f"{IMPORTS}?format=sipri-deliveries", data=data)
    assert response.status_code == 200
    assert response.get_json()["created"] == 4


def test_import_dry_run_writes_nothing(client: FlaskClient) -> None:
    before = count(client)
    response = client.post(f"{IMPORTS}?dry_run=true", data=(DATA / "sipri_deals.csv").read_bytes())
    assert response.status_code == 200
    assert response.get_json()["created"] == 12
    assert response.get_json()["committed"] is False
    assert count(client) == before


def test_atomic_import_with_a_rejected_row_is_422_and_writes_nothing(client: FlaskClient) -> None:
    before = count(client)
    response = client.post(f"{IMPORTS}?atomic=true", data=(DATA / "sipri_deals.csv").read_bytes())
    body = assert_problem(response, 422)
    assert "line 28" in body["errors"]
    assert count(client) == before


@pytest.mark.parametrize(
    ("query", "raw", "status"),
    [
        ("", b"colour,size\nred,2\n", 400),
        ("", b"", 400),
        ("?format=xml", b"a,b\n", 400),
        ("?atomic=perhaps", b"a\n", 400),
    ],
)
def test_bad_imports(client: FlaskClient, query: str, raw: bytes, status: int) -> None:
    before = count(client)
    assert_problem(client.post(f"{IMPORTS}{query}", data=raw, content_type="text/csv"), status)
    assert count(client) == before


def test_batch_creates_and_updates_by_external_id(client: FlaskClient) -> None:
    items = [record(external_id="b:1"), record(external_id="b:2", system="Grom")]
    first = client.post(BATCH, json=items)
    assert first.status_code == 200
    assert first.get_json()["created"] == 2
    items[1]["quantity_max"] = 400
    second = client.post(BATCH, json=items).get_json()
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 1, 1)
    updated = next(i for i in second["items"] if i["external_id"] == "b:2")
    assert client.get(f"{BASE}/{updated['id']}").get_json()["version"] == 2


def test_batch_is_all_or_nothing_with_errors_per_item(client: FlaskClient) -> None:
    before = count(client)
    items = [
        record(external_id="c:1"),
        record(external_id="c:2", buyer="Atlantis"),
        record(external_id="c:1"),
    ]
    response = client.post(BATCH, json=items)
    body = assert_problem(response, 422)
    assert "1" in body["errors"]
    assert count(client) == before
    duplicate = client.post(BATCH, json=[record(external_id="d:1"), record(external_id="d:1")])
    assert "1" in assert_problem(duplicate, 422)["errors"]


def test_batch_over_the_limit_is_413(client: FlaskClient) -> None:
    items = [record(external_id=f"e:{i}", sources=[]) for i in range(10_001)]
    response = client.post(BATCH, data=json.dumps(items), content_type="application/json")
    assert_problem(response, 413)
