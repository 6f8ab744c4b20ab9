"""The query language of the list: filters, quantity overlap, search, sort and keyset
paging, fields, counts, facets, and its errors (injection included)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.api.dataset import ROWS
from tests.api.dataset import seed as _seed
from tests.api.helpers import BASE, assert_problem, count


def _systems(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"{BASE}?limit=500&{query}")
    assert response.status_code == 200, response.get_json()
    return [item["system"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("buyer=Estonia", {"K9 Thunder", "HIMARS"}),
        ("buyer=EE", {"K9 Thunder", "HIMARS"}),  # ISO code, as input accepts
        ("seller=USA", {"HIMARS", "F-35A", "Patriot"}),  # alias
        ("seller__ne=United States", {r[0] for r in ROWS} - {"HIMARS", "F-35A", "Patriot"}),
        ("buyer__in=Estonia,Serbia", {"K9 Thunder", "HIMARS", "Rafale"}),
        ("buyer__in=Estonia&buyer__in=Serbia", set()),  # repeated parameters AND
        ("system=piorun", {"Piorun"}),  # text equality ignores case
        ("system__contains=A", {"HIMARS", "Leopard 2A8", "F-35A"}),
        ("system__contains=a", {"Rafale", "Leopard 2A8", "Patriot"}),
        ("system__icontains=a", {"HIMARS", "Leopard 2A8", "F-35A", "Rafale", "Patriot"}),
        ("system__startswith=K9", {"K9 Thunder"}),
        ("manufacturer__isnull=true", {"K9 Thunder", "HIMARS", "F-35A", "Patriot"}),
        ("manufacturer__ne=Mesko", {r[0] for r in ROWS} - {"Piorun"}),  # empty kept
        ("status=CONTRACTED", {"K9 Thunder", "Leopard 2A8", "Rafale", "Patriot"}),
        ("status__in=announced,intent", {"Gripen", "CV90", "Piorun"}),
        ("category=aircraft&status__ne=announced", {"Rafale", "F-35A"}),
        ("quantity_min__gte=44", {"Piorun", "Leopard 2A8", "Patriot"}),
        ("quantity_max__lt=13", {"K9 Thunder", "HIMARS", "Rafale"}),
        ("quantity_max__isnull=true", {"Patriot", "Gripen", "CV90"}),
        ("announced_on__gte=2024-06-01&announced_on__lt=2025-05-01", {"Rafale", "F-35A", "Gripen"}),
        ("announced_on__isnull=true", {"Leopard 2A8", "CV90"}),
        ("notes__contains=100%25_", {"HIMARS"}),  # % and _ are plain characters
        ("notes__contains=100%25x", set()),
    ],
)
def test_filters(client: FlaskClient, query: str, expected: set[str]) -> None:
    _seed(client)
    assert set(_systems(client, query)) == expected


@pytest.mark.parametrize(
    ("overlap", "expected"),
    [
        # [min, max]; unknown min = 0, unknown max = unbounded; no quantity never matches
        ("150-250", {"Piorun", "Patriot"}),
        ("1-6", {"HIMARS", "F-35A"}),
        ("12", {"K9 Thunder", "Rafale", "F-35A"}),
        ("33-47", {"Leopard 2A8"}),
        ("1000-2000", {"Patriot"}),
    ],
)
def test_quantity_overlaps(client: FlaskClient, overlap: str, expected: set[str]) -> None:
    _seed(client)
    assert set(_systems(client, f"quantity_overlaps={overlap}")) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("piorun", {"Piorun"}),
        ("Sweden", {"Gripen", "CV90"}),  # parties are searched
        ("Dassault", {"Rafale"}),  # manufacturer
        ("coastal missiles", {"Patriot"}),  # a source's excerpt
        ('"moves on Rafale"', {"Rafale"}),  # a phrase
        ("gripen OR himars", {"Gripen", "HIMARS"}),
        ("Sweden -gripen", {"CV90"}),
        ("note", {"HIMARS"}),  # notes
    ],
)
def test_full_text_search(client: FlaskClient, q: str, expected: set[str]) -> None:
    _seed(client)
    assert set(_systems(client, f"q={quote(q)}")) == expected


def _walk(client: FlaskClient, query: str, limit: int) -> list[str]:
    seen, url = [], f"{BASE}?limit={limit}&{query}"
    while url:
        body = client.get(url).get_json()
        seen.extend(item["system"] for item in body["items"])
        url = body["next"]
    return seen


@pytest.mark.parametrize(
    "sort",
    [
        "buyer",
        "-buyer",
        "quantity_max",
        "-quantity_max",
        "announced_on,system",
        "-announced_on",
        "status,-quantity_min",
        "category,-announced_on,buyer",
        "-created_at",
        "manufacturer",
    ],
)
def test_keyset_pages_follow_every_sort(client: FlaskClient, sort: str) -> None:
    _seed(client)
    whole = _systems(client, f"sort={sort}")
    assert sorted(whole) == sorted(r[0] for r in ROWS)
    for limit in (1, 2, 4):
        assert _walk(client, f"sort={sort}", limit) == whole


def test_sort_orders_values_and_puts_empty_ones_last(client: FlaskClient) -> None:
    _seed(client)
    ascending = _systems(client, "sort=quantity_max,system")
    assert ascending == [
        "HIMARS",
        "K9 Thunder",
        "Rafale",
        "F-35A",
        "Leopard 2A8",
        "Piorun",
        "CV90",
        "Gripen",
        "Patriot",
    ]
    descending = _systems(client, "sort=-quantity_max,system")
    assert descending[:6] == ["Piorun", "Leopard 2A8", "F-35A", "K9 Thunder", "Rafale", "HIMARS"]
    assert descending[6:] == ["CV90", "Gripen", "Patriot"]  # empty still last


def test_a_cursor_only_fits_its_sort(client: FlaskClient) -> None:
    _seed(client)
    page = client.get(f"{BASE}?limit=2&sort=buyer").get_json()
    cursor = page["next"].split("cursor=")[1]
    assert_problem(client.get(f"{BASE}?limit=2&sort=system&cursor={cursor}"), 400, "cursor")


def test_fields_count_and_facets(client: FlaskClient) -> None:
    _seed(client)
    response = client.get(
        f"{BASE}?category=aircraft&fields=system,buyer&count=exact&facet=status&facet=year"
        "&facet=month"
    )
    body = response.get_json()
    assert response.headers["X-Total-Count"] == "3"
    assert body["total"] == 3
    assert all(set(item) == {"system", "buyer"} for item in body["items"])
    assert body["facets"]["status"] == [
        {"value": "announced", "count": 1},
        {"value": "approved", "count": 1},
        {"value": "contracted", "count": 1},
    ]
    assert body["facets"]["year"] == [
        {"value": 2024, "count": 2},
        {"value": 2025, "count": 1},
    ]
    assert {v["value"] for v in body["facets"]["month"]} == {"2024-08", "2024-09", "2025-04"}


def test_facets_count_the_filtered_set_not_the_page(client: FlaskClient) -> None:
    _seed(client)
    body = client.get(f"{BASE}?limit=1&facet=seller").get_json()
    assert len(body["items"]) == 1
    assert body["facets"]["seller"][0] == {"value": "United States", "count": 3}
    assert sum(v["count"] for v in body["facets"]["seller"]) == len(ROWS)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("colour=red", "colour"),
        ("buyer__like=Pol", "buyer__like"),
        ("status__gt=intent", "status__gt"),
        ("quantity_min=many", "quantity_min"),
        ("quantity_min__in=1,x", "quantity_min__in"),
        ("announced_on__gte=yesterday", "announced_on__gte"),
        ("status=signed", "status"),
        ("buyer=Atlantis", "buyer"),
        ("quantity_overlaps=300-200", "quantity_overlaps"),
        ("quantity_overlaps=lots", "quantity_overlaps"),
        ("sort=colour", "sort"),
        ("sort=notes", "sort"),
        ("sort=buyer,-buyer", "sort"),
        ("fields=colour", "fields"),
        ("facet=notes", "facet"),
        ("count=estimate", "count"),
        ("format=xml", "format"),
        ("limit=2&limit=3", "limit"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("manufacturer__isnull=maybe", "manufacturer__isnull"),
    ],
)
def test_bad_parameters_are_400_naming_them(
    client: FlaskClient, query: str, parameter: str
) -> None:
    assert_problem(client.get(f"{BASE}?{query}"), 400, parameter)


INJECTIONS = [
    "'; DROP TABLE procurement; --",
    "1 OR 1=1",
    "Poland' OR '1'='1",
    "%",
    "_",
    '") ; SELECT pg_sleep(1) --',
]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    "parameter",
    [
        "buyer",
        "system",
        "system__contains",
        "system__icontains",
        "manufacturer__startswith",
        "notes__in",
        "q",
        "sort",
        "fields",
        "facet",
        "quantity_min",
        "announced_on__lt",
        "status",
        "cursor",
        "quantity_overlaps",
    ],
)
def test_injection_through_any_parameter_changes_nothing(
    client: FlaskClient, parameter: str, value: str
) -> None:
    _seed(client)
    response = client.get(f"{BASE}?{parameter}={quote(value)}")
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        items = response.get_json()["items"]
        if parameter.startswith(("system", "manufacturer", "notes")) and value not in "%_":
            assert items == []  # the value is matched as text, never run as SQL
    assert count(client) == len(ROWS)


def test_no_parameter_of_list_or_stats_turns_injection_into_an_error_500(
    client: FlaskClient,
) -> None:
    """Every documented parameter of the list and of /stats, with every injection."""
    from service.schemas import ProcurementQuerySchema, StatsQuerySchema

    _seed(client)
    for route, schema, extra in (
        (BASE, ProcurementQuerySchema(), ""),
        ("/api/v1/stats", StatsQuerySchema(), "group_by=buyer&"),
    ):
        names = [f.data_key or name for name, f in schema.fields.items()]
        assert len(names) > 150  # the generated filters are all there
        for name in names:
            for value in INJECTIONS:
                response = client.get(f"{route}?{extra}{name}={quote(value)}")
                assert response.status_code in {200, 400}, (route, name, value)
    assert count(client) == len(ROWS)
