"""/stats against independently written SQL, and autocomplete of parties and systems."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from service.db import get_db
from tests.api.dataset import ROWS, seed
from tests.api.helpers import assert_problem

STATS = "/api/v1/stats"


def _sql(app: Flask, statement: str) -> list[Any]:
    """Rows of hand-written SQL, in the test's transaction."""
    with get_db(app).sessionmaker() as session:
        return list(session.execute(text(statement)))


def _by_key(groups: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(g[k] for k in keys): g for g in groups}


@pytest.mark.parametrize(
    ("filters", "where"),
    [
        ("", "TRUE"),
        ("&category=aircraft", "category = 'aircraft'"),
        ("&status__in=contracted,delivered", "status IN ('contracted', 'delivered')"),
        ("&announced_on__gte=2024-01-01", "announced_on >= DATE '2024-01-01'"),
    ],
)
def test_stats_by_buyer_match_hand_written_sql(
    app: Flask, client: FlaskClient, filters: str, where: str
) -> None:
    seed(client)
    groups = client.get(f"{STATS}?group_by=buyer{filters}").get_json()
    expected = _sql(
        app,
        f"""
        SELECT buyer, count(*), coalesce(sum(coalesce(quantity_min, 0)), 0),
               coalesce(sum(quantity_max), 0), count(*) FILTER (WHERE quantity_max IS NULL)
        FROM procurement WHERE {where} GROUP BY buyer
        """,
    )
    got = _by_key(groups, "buyer")
    assert set(got) == {(row[0],) for row in expected}
    for buyer, n, low, high, unknown in expected:
        g = got[(buyer,)]
        measures = (g["count"], g["quantity_low"], g["quantity_high"], g["quantity_high_unknown"])
        assert measures == (n, low, high, unknown)


def test_stats_sum_values_per_currency(app: Flask, client: FlaskClient) -> None:
    seed(client)
    groups = client.get(f"{STATS}?group_by=seller").get_json()
    expected = _sql(
        app,
        "SELECT seller, value_currency, sum(value_amount) FROM procurement "
        "WHERE value_currency IS NOT NULL GROUP BY seller, value_currency",
    )
    got = _by_key(groups, "seller")
    for seller, currency, total in expected:
        assert Decimal(got[(seller,)][f"value_{currency}"]) == total
    assert got[("Sweden",)]["value_USD"] is None  # flat: every row has every column
    assert Decimal(got[("United States",)]["value_USD"]) == Decimal("7400000000.50")


def test_stats_two_keys_and_time_series(app: Flask, client: FlaskClient) -> None:
    seed(client)
    pairs = client.get(f"{STATS}?group_by=category,status").get_json()
    expected = _sql(app, "SELECT category, status, count(*) FROM procurement GROUP BY 1, 2")
    assert {(g["category"], g["status"], g["count"]) for g in pairs} == {
        tuple(row) for row in expected
    }
    years = client.get(f"{STATS}?group_by=year&order=year").get_json()
    assert [(g["year"], g["count"]) for g in years] == [
        (2022, 1),
        (2023, 1),
        (2024, 3),
        (2025, 2),
        (None, 2),
    ]
    months = client.get(f"{STATS}?group_by=month&order=-month&limit=2").get_json()
    assert [g["month"] for g in months] == ["2025-06", "2025-04"]


def test_stats_top_n_and_csv(client: FlaskClient) -> None:
    seed(client)
    top = client.get(f"{STATS}?group_by=seller&order=-quantity_low&limit=2").get_json()
    assert [(g["seller"], g["quantity_low"]) for g in top] == [
        ("Poland", 200),
        ("United States", 54),
    ]
    response = client.get(f"{STATS}?group_by=seller&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0])[:5] == [
        "seller",
        "count",
        "quantity_low",
        "quantity_high",
        "quantity_high_unknown",
    ]
    assert sum(int(r["count"]) for r in rows) == len(ROWS)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "group_by"),
        ("group_by=notes", "group_by"),
        ("group_by=buyer,seller,status,category", "group_by"),
        ("group_by=buyer&order=colour", "order"),
        ("group_by=buyer&limit=0", "limit"),
        ("group_by=buyer&colour=red", "colour"),
        ("group_by=buyer&quantity_min=x", "quantity_min"),
        ("group_by=buyer&format=xml", "format"),
    ],
)
def test_bad_stats_parameters_are_400(client: FlaskClient, query: str, parameter: str) -> None:
    assert_problem(client.get(f"{STATS}?{query}"), 400, parameter)


def test_party_autocomplete_knows_aliases_and_counts(client: FlaskClient) -> None:
    seed(client)
    found = client.get("/api/v1/parties?q=pol").get_json()
    assert found[0] == {"name": "Poland", "code": "PL", "kind": "country", "records": 2}
    us = client.get("/api/v1/parties?q=usa").get_json()
    assert us[0]["name"] == "United States" and us[0]["records"] == 3
    assert client.get("/api/v1/parties?q=zzzz").get_json() == []
    assert_problem(client.get("/api/v1/parties"), 400, "q")


def test_system_autocomplete_prefers_prefixes(client: FlaskClient) -> None:
    seed(client)
    assert client.get("/api/v1/systems?q=ra").get_json() == [{"name": "Rafale", "records": 1}]
    names = [s["name"] for s in client.get("/api/v1/systems?q=a").get_json()]
    assert set(names) == {"Rafale", "Leopard 2A8", "Patriot", "HIMARS", "F-35A"}
    assert client.get("/api/v1/systems?q=%25").get_json() == []  # % is a plain character
