"""PostgreSQL is the last line: rows that skip the API's validation are still refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.models import Category, Procurement, Status


def _row(**overrides: Any) -> Procurement:
    values: dict[str, Any] = {
        "buyer": "Belgium",
        "buyer_code": "BE",
        "seller": "Poland",
        "seller_code": "PL",
        "system": "Piorun",
        "category": Category.AIR_DEFENCE,
        "status": Status.INTENT,
        "sources": [],
    }
    values.update(overrides)
    return Procurement(**values)


def test_valid_row_is_accepted(session: Session) -> None:
    session.add(
        _row(quantity_min=1, quantity_max=1, value_amount=Decimal("1"), value_currency="EUR")
    )
    session.flush()


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"system": "  "}, "ck_procurement_system_not_blank"),
        ({"buyer": ""}, "ck_procurement_buyer_not_blank"),
        ({"manufacturer": " "}, "ck_procurement_manufacturer_not_blank"),
        ({"buyer_code": "be"}, "ck_procurement_buyer_code_format"),
        ({"quantity_min": -1}, "ck_procurement_quantity_min_range"),
        ({"quantity_max": 1_000_000_001}, "ck_procurement_quantity_max_range"),
        ({"quantity_min": 5, "quantity_max": 4}, "ck_procurement_quantity_order"),
        (
            {"value_amount": Decimal("-1"), "value_currency": "EUR"},
            "ck_procurement_value_amount_non_negative",
        ),
        ({"value_amount": Decimal("1")}, "ck_procurement_value_currency_with_amount"),
        ({"value_currency": "EUR"}, "ck_procurement_value_currency_with_amount"),
        (
            {"value_amount": Decimal("1"), "value_currency": "eu"},
            "ck_procurement_value_currency_format",
        ),
        ({"notes": "n" * 10_001}, "ck_procurement_notes_length"),
        ({"sources": {"url": "x"}}, "ck_procurement_sources_array"),
        ({"sources": [{}] * 51}, "ck_procurement_sources_array"),
    ],
)
def test_database_refuses_rows_breaking_rules(
    session: Session, overrides: dict[str, Any], constraint: str
) -> None:
    session.add(_row(**overrides))
    with pytest.raises(IntegrityError) as excinfo:
        session.flush()
    assert excinfo.value.orig.diag.constraint_name == constraint  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("category", "tank", "ck_procurement_category"),
        ("status", "signed", "ck_procurement_status"),
        ("version", 0, "ck_procurement_version_positive"),
    ],
)
def test_database_refuses_values_the_mapper_would_not_write(
    session: Session, column: str, value: object, constraint: str
) -> None:
    session.add(_row())
    session.flush()
    with pytest.raises(IntegrityError) as excinfo:
        # Raw SQL: the mapper itself refuses these values before PostgreSQL sees them.
        session.execute(text(f"UPDATE procurement SET {column} = :value"), {"value": value})
    assert excinfo.value.orig.diag.constraint_name == constraint  # type: ignore[union-attr]


def test_database_refuses_duplicate_external_id(session: Session) -> None:
    session.add(_row(external_id="x:1"))
    session.flush()
    session.add(_row(external_id="x:1"))
    with pytest.raises(IntegrityError) as excinfo:
        session.flush()
    assert excinfo.value.orig.diag.constraint_name == "uq_procurement_external_id"  # type: ignore[union-attr]
