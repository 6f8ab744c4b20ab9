"""/api/v1/articles: extraction without storing, storing idempotently, bad input."""

from __future__ import annotations

import uuid

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import BASE, assert_problem, count

ARTICLES = "/api/v1/articles"
TEXT = (
    "Estonia orders K9 howitzers\n"
    "TALLINN - Estonia's defence investment centre signed a contract with South Korea's "
    "Hanwha Aerospace on Tuesday for 12 more K9 Thunder howitzers, worth EUR 46 million. "
    "Estonian and Finnish crews trained together on the guns during an exercise last year."
)


def test_extract_proposes_records_and_stores_nothing(client: FlaskClient) -> None:
    before = count(client)
    response = client.post(f"{ARTICLES}/extract", json={"text": TEXT, "published_on": "2024-05-07"})
    assert response.status_code == 200
    records = response.get_json()["records"]
    assert len(records) == 1
    k9 = records[0]
    assert (k9["buyer"], k9["seller"], k9["system"], k9["status"]) == (
        "Estonia",
        "South Korea",
        "K9 Thunder",
        "contracted",
    )
    assert (k9["quantity_min"], k9["quantity_max"], k9["quantity_text"]) == (
        12,
        12,
        "12 more K9 Thunder howitzers",
    )
    assert (k9["value_amount"], k9["value_currency"]) == ("46000000", "EUR")
    assert k9["manufacturer"] == "Hanwha Aerospace"
    assert k9["announced_on"] == "2024-05-07"
    evidence = k9["evidence"][0]
    assert TEXT[evidence["start"] : evidence["end"]] == evidence["text"]
    assert k9["provenance"]["buyer"].startswith("buyer:")
    assert count(client) == before


def test_text_without_a_deal_gives_an_empty_list(client: FlaskClient) -> None:
    response = client.post(f"{ARTICLES}/extract", json={"text": "Rain is expected in Oslo."})
    assert response.status_code == 200
    assert response.get_json() == {"records": [], "truncated_at": None}


def test_store_creates_records_linked_to_the_article(client: FlaskClient) -> None:
    response = client.post(
        ARTICLES, json={"text": TEXT, "url": "https://example.org/k9", "title": "K9 order"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["created"] is True
    assert [r["outcome"] for r in body["records"]] == ["created"]
    record = client.get(f"{BASE}/{body['records'][0]['id']}").get_json()
    assert record["system"] == "K9 Thunder"
    assert record["sources"][0]["url"] == "https://example.org/k9"
    assert "12 more K9 Thunder howitzers" in record["sources"][0]["excerpt"]
    assert record["external_id"].startswith("article:")
    article = client.get(response.headers["Location"]).get_json()
    assert article["record_ids"] == [record["id"]]
    assert article["title"] == "K9 order"


def test_posting_the_same_article_twice_changes_nothing(client: FlaskClient) -> None:
    first = client.post(ARTICLES, json={"text": TEXT}).get_json()
    before = count(client)
    second = client.post(ARTICLES, json={"text": TEXT + "\n"}).get_json()
    assert second["created"] is False
    assert second["article"]["id"] == first["article"]["id"]
    assert [r["outcome"] for r in second["records"]] == ["unchanged"]
    assert count(client) == before
    record = client.get(f"{BASE}/{first['records'][0]['id']}").get_json()
    assert record["version"] == 1


@pytest.mark.parametrize("route", [f"{ARTICLES}/extract", ARTICLES])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "x", "url": "ftp://x"}, "url"),
        ({"text": "x", "colour": 1}, "colour"),
    ],
)
def test_bad_article_fields_are_422(
    client: FlaskClient, route: str, body: dict[str, object], field: str
) -> None:
    before = count(client)
    assert_problem(client.post(route, json=body), 422, field)
    assert count(client) == before


@pytest.mark.parametrize("route", [f"{ARTICLES}/extract", ARTICLES])
def test_text_over_one_mebibyte_is_413(client: FlaskClient, route: str) -> None:
    body = b'{"text": "' + b"a" * (1024 * 1024 + 1) + b'"}'
    assert_problem(client.post(route, data=body, content_type="application/json"), 413)


@pytest.mark.parametrize("route", [f"{ARTICLES}/extract", ARTICLES])
def test_body_that_is_not_utf8_json_is_400(client: FlaskClient, route: str) -> None:
    response = client.post(route, data=b'{"text": "\xff\xfe"}', content_type="application/json")
    assert_problem(response, 400)


def test_unknown_article_is_404(client: FlaskClient) -> None:
    assert_problem(client.get(f"{ARTICLES}/{uuid.uuid4()}"), 404)


def test_extraction_says_where_a_very_long_text_stopped(client: FlaskClient) -> None:
    sentence = "Chile signed a contract for {n} K9 Thunder howitzers in statement {n}. "
    text = "News\n" + "".join(sentence.format(n=n) for n in range(2, 400))
    body = client.post(f"{ARTICLES}/extract", json={"text": text}).get_json()
    assert isinstance(body["truncated_at"], int)
    assert text[body["truncated_at"] :].startswith("Chile signed a contract for")
    assert body["records"]  # what was analysed is still proposed
