"""The list: newest first, keyset pages, exact-match filters, bad parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import BASE, assert_problem, create
from tests.builders import record


def test_list_is_newest_first(client: FlaskClient) -> None:
    ids = [create(client, record(system=f"S-{i}"))["id"] for i in range(3)]
    page = client.get(BASE).get_json()
    listed = [item["id"] for item in page["items"]]
    # One transaction gives the three the same created_at: the id breaks the tie, descending.
    expected = sorted(ids, reverse=True)
    assert [i for i in listed if i in ids] == expected


def test_keyset_pages_cover_every_record_once(client: FlaskClient) -> None:
    created = {create(client, record(system=f"P-{i}"))["id"] for i in range(7)}
    seen: list[str] = []
    url: str | None = f"{BASE}?limit=3&category=air-defence"
    pages = 0
    while url:
        page = client.get(url).get_json()
        assert len(page["items"]) <= 3
        seen.extend(item["id"] for item in page["items"])
        url = page["next"]
        pages += 1
        if url:
            assert parse_qs(urlsplit(url).query)["category"] == ["air-defence"]
    assert len(seen) == len(set(seen))
    assert created <= set(seen)
    assert pages >= 3


def test_last_page_has_null_next(client: FlaskClient) -> None:
    create(client, record())
    page = client.get(f"{BASE}?limit=500").get_json()
    assert page["next"] is None


@pytest.mark.parametrize(
    ("query", "expected_systems"),
    [
        ("buyer=Belgium", {"Piorun", "K9"}),
        ("buyer=BEL", {"Piorun", "K9"}),
        ("buyer=be", {"Piorun", "K9"}),
        ("seller=Republic%20of%20Korea", {"K9"}),
        ("seller=usa", {"F-35A"}),
        ("system=piorun", {"Piorun"}),
        ("system=F-35a", {"F-35A"}),
        ("status=CONTRACTED", {"K9", "F-35A"}),
        ("category=Artillery", {"K9"}),
        ("buyer=Belgium&status=contracted", {"K9"}),
        (
            "buyer=Belgium&seller=Poland&system=Piorun&status=intent&category=air-defence",
            {"Piorun"},
        ),
        ("buyer=Norway", set()),
    ],
)
def test_list_filters_exact_match(
    client: FlaskClient, query: str, expected_systems: set[str]
) -> None:
    create(client, record())
    create(
        client,
        record(
            seller="KR",
            system="K9",
            category="artillery",
            status="contracted",
            manufacturer="Hanwha",
        ),
    )
    create(
        client,
        record(
            buyer="Poland",
            seller="US",
            system="F-35A",
            category="aircraft",
            status="contracted",
            manufacturer="Lockheed Martin",
        ),
    )
    items = client.get(f"{BASE}?{query}&limit=500").get_json()["items"]
    assert {item["system"] for item in items} == expected_systems


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("limit=1.5", "limit"),
        ("status=signed", "status"),
        ("category=tank", "category"),
        ("buyer=Atlantis", "buyer"),
        ("colour=red", "colour"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=eyJrIjogWzEsIDJdfQ", "cursor"),
        ("system=%00", "system"),
    ],
)
def test_bad_list_parameters_are_400_naming_them(
    client: FlaskClient, query: str, parameter: str
) -> None:
    assert_problem(client.get(f"{BASE}?{query}"), 400, parameter)


def test_unknown_buyer_filter_suggests_names(client: FlaskClient) -> None:
    body = assert_problem(client.get(f"{BASE}?buyer=Belgum"), 400, "buyer")
    assert "Belgium" in body["errors"]["buyer"][0]
