"""Exports of the list query: CSV, NDJSON and the SIPRI register layout."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.exports import SIPRI_DESCRIPTIONS, neutralise
from service.importing.sipri import category
from tests.api.helpers import BASE, create
from tests.builders import record

DATA = Path(__file__).resolve().parents[1] / "data"


def _seed(client: FlaskClient) -> None:
    create(client, record())
    create(
        client,
        record(
            buyer="Estonia",
            seller="South Korea",
            system='=HYPERLINK("http://x")',
            category="artillery",
            notes='+1 launcher, says "sources"; Tallinn',
            delivery_years=[2024, 2025],
            quantity_delivered=12,
            quantity_min=24,
            quantity_max=24,
            status="delivering",
        ),
    )
    create(client, record(buyer="Latvia", system="Łoś", manufacturer="-Mesko", status="contracted"))


def _csv(response_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response_text)))


def test_csv_export_has_a_header_every_row_and_the_count(client: FlaskClient) -> None:
    _seed(client)
    response = client.get(f"{BASE}?format=csv&sort=buyer")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = _csv(response.get_data(as_text=True))
    assert response.headers["X-Total-Count"] == str(len(rows)) == "3"
    assert [r["buyer"] for r in rows] == ["Belgium", "Estonia", "Latvia"]
    api = client.get(f"{BASE}?sort=buyer").get_json()["items"]
    assert list(rows[0]) == list(api[0])  # the API's fields, in its order
    assert rows[0]["quantity_min"] == "200" and rows[0]["announced_on"] == ""
    assert rows[1]["delivery_years"] == "2024;2025"
    assert json.loads(rows[0]["sources"]) == api[0]["sources"]
    assert rows[2]["system"] == "Łoś"  # UTF-8


def test_csv_cells_cannot_run_as_formulas(client: FlaskClient) -> None:
    _seed(client)
    rows = _csv(client.get(f"{BASE}?format=csv&sort=buyer").get_data(as_text=True))
    assert rows[1]["system"] == '\'=HYPERLINK("http://x")'
    assert rows[1]["notes"].startswith("'+1 launcher")
    assert rows[2]["manufacturer"] == "'-Mesko"
    assert [neutralise(v) for v in ("@SUM(A1)", "\tx", "ok", "1-2")] == [
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "1-2",
    ]


def test_accept_header_chooses_the_format_and_filters_apply(client: FlaskClient) -> None:
    _seed(client)
    response = client.get(f"{BASE}?buyer=Estonia", headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    assert [r["buyer"] for r in _csv(response.get_data(as_text=True))] == ["Estonia"]
    ndjson = client.get(f"{BASE}?status=intent", headers={"Accept": "application/x-ndjson"})
    assert ndjson.mimetype == "application/x-ndjson"
    assert [json.loads(line)["buyer"] for line in ndjson.get_data(as_text=True).splitlines()] == [
        "Belgium"
    ]


def test_ndjson_lines_are_the_api_records(client: FlaskClient) -> None:
    _seed(client)
    create(
        client,
        record(
            buyer="NATO",
            seller="Hezbollah (Lebanon)*",
            value_amount="1250000.50",
            value_currency="EUR",
            condition="second-hand",
            announced_on="2024-02-29",
            order_year=2023,
            quantity_estimated=True,
        ),
    )
    response = client.get(f"{BASE}?format=ndjson&sort=system")
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert response.headers["X-Total-Count"] == "4"
    assert lines == client.get(f"{BASE}?sort=system").get_json()["items"]
    assert {line["seller_kind"] for line in lines} >= {"non-state-actor"}
    # ... and what reading each record alone returns (another serialiser).
    assert lines == [client.get(f"{BASE}/{line['id']}").get_json() for line in lines]


def test_exports_take_fields_and_ignore_paging(client: FlaskClient) -> None:
    _seed(client)
    text = client.get(f"{BASE}?format=csv&fields=buyer,system&limit=1").get_data(as_text=True)
    rows = _csv(text)
    assert len(rows) == 3
    assert all(list(r) == ["buyer", "system"] for r in rows)


def test_sipri_layout_round_trips_through_the_importer(client: FlaskClient) -> None:
    imported = client.post(
        "/api/v1/imports", data=(DATA / "sipri_deals.csv").read_bytes(), content_type="text/csv"
    ).get_json()
    assert imported["created"] == 12
    export = client.get(f"{BASE}?format=sipri&sort=created_at")
    assert export.status_code == 200
    assert export.headers["Content-Type"] == "text/csv; charset=windows-1252"
    raw = export.get_data()
    lines = raw.decode("cp1252").splitlines()
    assert lines[11].startswith("Recipient,Supplier,Year of order")
    assert len(lines) == 12 + 12
    again = client.post("/api/v1/imports?format=sipri-deals", data=raw)
    body = again.get_json()
    assert again.status_code == 200, body
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, 12)


@pytest.mark.parametrize("name", sorted(SIPRI_DESCRIPTIONS))
def test_sipri_descriptions_map_back_to_their_category(name: str) -> None:
    expected = "other" if name == "small-arms" else name
    assert category(SIPRI_DESCRIPTIONS[name]) == expected
