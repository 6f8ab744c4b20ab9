"""The service layer with a real session: upsert outcomes and versioning."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from service.models import Category, Status
from service.services import procurements, query
from service.services.query import RecordQuery


def _data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "buyer": "Belgium",
        "seller": "Poland",
        "system": "Piorun",
        "category": Category.AIR_DEFENCE,
        "status": Status.INTENT,
        "external_id": "test:piorun",
    }
    data.update(overrides)
    return data


def test_upsert_creates_then_leaves_unchanged_then_updates(session: Session) -> None:
    record, outcome = procurements.upsert(session, _data())
    assert outcome == "created"
    assert (record.buyer_code, record.seller_code, record.version) == ("BE", "PL", 1)
    again, outcome = procurements.upsert(session, _data())
    assert (outcome, again.id, again.version) == ("unchanged", record.id, 1)
    changed, outcome = procurements.upsert(session, _data(status=Status.CONTRACTED))
    assert (outcome, changed.id, changed.version) == ("updated", record.id, 2)


def test_upsert_needs_external_id(session: Session) -> None:
    with pytest.raises(ValueError, match="external_id"):
        procurements.upsert(session, _data(external_id=None))


def test_replace_recomputes_party_codes(session: Session) -> None:
    record = procurements.create(session, _data())
    procurements.replace(session, record, _data(buyer="NATO"))
    assert (record.buyer, record.buyer_code) == ("NATO", None)


def test_list_pages_with_keys(session: Session) -> None:
    for i in range(5):
        procurements.create(session, _data(external_id=f"k:{i}", system=f"S{i}"))
    first = query.list_(session, RecordQuery(limit=2))
    assert len(first.items) == 2
    assert first.next_key is not None
    second = query.list_(session, RecordQuery(limit=2, after=first.next_key))
    assert {r.id for r in first.items}.isdisjoint({r.id for r in second.items})


def test_fast_dumpers_write_what_the_schema_writes(session: Session) -> None:
    from decimal import Decimal

    from sqlalchemy import select

    from service.models import ROW_COLUMNS, Procurement
    from service.schemas import ProcurementSchema, record_dumper, table_row_dumper

    full, _ = procurements.upsert(
        session,
        _data(
            external_id="test:full",
            manufacturer="Mesko",
            quantity_min=200,
            quantity_max=300,
            value_amount=Decimal("1250000.50"),
            value_currency="EUR",
            notes="Zażółć — ünïcode",
            sources=[{"url": "https://example.org/a", "title": "A", "published_on": "2025-06-02"}],
        ),
    )
    sparse, _ = procurements.upsert(session, _data(external_id="test:sparse", seller="Belgium"))
    table = Procurement.__table__
    for record in (full, sparse):
        expected = ProcurementSchema().dump(record)
        row = session.execute(select(*table.columns).where(table.c.id == record.id)).one()
        assert record_dumper()(row) == expected
        hot = session.execute(select(*ROW_COLUMNS).where(table.c.id == record.id)).one()
        assert table_row_dumper()(hot) == expected
        assert list(table_row_dumper()(hot)) == list(expected)  # same field order
        # Enums arrive as their plain values (no Enum objects reach the JSON writer).
        assert type(table_row_dumper()(hot)["status"]) is str
        only = ["id", "value_amount", "created_at", "status"]
        assert table_row_dumper(only)(hot) == {k: expected[k] for k in only}
        # GET's read through the driver gives the same record and ETag.
        raw = procurements.get_row(session, record.id)
        assert table_row_dumper()(raw) == expected
        assert procurements.row_etag(raw) == procurements.etag(record)


def test_insert_row_stores_what_create_stores(session: Session) -> None:
    """POST's Core insert and the ORM's create give the same record, field for field
    (apart from the id and the clock), with the same history."""
    from decimal import Decimal

    from sqlalchemy import func, select

    from service.models import Revision
    from service.schemas import ProcurementSchema, table_row_dumper

    data = _data(
        buyer="POL",  # a code: stored as the canonical name, with code and kind
        seller="NATO",
        quantity_min=200,
        quantity_max=300,
        value_amount=Decimal("12.50"),
        value_currency="EUR",
        delivery_years=[2026, 2027],
        sources=[{"url": "https://example.org/b", "title": "B"}],
    )
    row = procurements.insert_row(session, {**data, "external_id": "test:core"})
    record = procurements.create(session, {**data, "external_id": "test:orm"})
    session.flush()
    fast = table_row_dumper()(row)
    slow = ProcurementSchema().dump(record)
    varying = {"id", "external_id", "created_at", "updated_at"}
    assert {k: v for k, v in fast.items() if k not in varying} == {
        k: v for k, v in slow.items() if k not in varying
    }
    assert (fast["buyer"], fast["buyer_code"], fast["seller_kind"]) == (
        "Poland",
        "PL",
        "organisation",
    )
    assert fast["version"] == 1
    revisions = session.scalar(
        select(func.count()).select_from(Revision).where(Revision.procurement_id == row.id)
    )
    assert revisions == 1  # the history trigger saw the Core insert too
