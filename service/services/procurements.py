"""Procurement records: create, read, list, replace, delete, upsert.

Every function takes the session of the caller's transaction, flushes so that
database rules surface as exceptions here, and never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from ..exceptions import InvalidQuery, NotFound
from ..models import Category, PartyKind, Procurement, Status
from ..parties import parties

WRITABLE_FIELDS = (
    "buyer",
    "seller",
    "manufacturer",
    "system",
    "category",
    "quantity_min",
    "quantity_max",
    "quantity_unit",
    "quantity_estimated",
    "quantity_delivered",
    "quantity_delivered_estimated",
    "order_year",
    "order_year_estimated",
    "delivery_years",
    "condition",
    "status",
    "value_amount",
    "value_currency",
    "announced_on",
    "notes",
    "sources",
    "external_id",
)
IMPORT_ONLY_FIELDS = ("buyer_original", "seller_original")
"""Set by imports (the spelling of the source file), kept by API writes."""
_DEFAULTS: dict[str, Any] = {
    "sources": [],
    "delivery_years": [],
    "quantity_estimated": False,
    "quantity_delivered_estimated": False,
    "order_year_estimated": False,
}


@dataclass(frozen=True)
class ListQuery:
    """What a list request asks for. Party names are canonical (already resolved)."""

    limit: int = 50
    after: Sequence[Any] | None = None
    buyer: str | None = None
    seller: str | None = None
    system: str | None = None
    status: Status | None = None
    category: Category | None = None


@dataclass(frozen=True)
class Page:
    items: list[Procurement]
    next_key: list[str] | None


def _assign(record: Procurement, data: Mapping[str, Any], *, replace: bool) -> bool:
    """Copy writable fields onto `record`; return whether anything changed.

    With `replace`, fields missing from `data` go back to their defaults (PUT).
    Unchanged values are not assigned, so an identical write is no change and
    does not bump `version`.
    """
    changed = False
    index = parties()
    for name in (*WRITABLE_FIELDS, *IMPORT_ONLY_FIELDS):
        if name in data:
            value = data[name]
        elif replace and name in WRITABLE_FIELDS:
            default = _DEFAULTS.get(name)
            value = list(default) if isinstance(default, list) else default
        else:
            continue
        if name in {"buyer", "seller"}:
            # Input names a party (name, alias, code, SIPRI notation): store its
            # canonical name, ISO code and kind.
            party = index.resolve(value)
            values = {
                name: party.name,
                f"{name}_code": party.code,
                f"{name}_kind": PartyKind(party.kind),
            }
        else:
            values = {name: value}
        for column, new in values.items():
            if getattr(record, column) != new:
                setattr(record, column, new)
                changed = True
    return changed


def create(session: Session, data: Mapping[str, Any]) -> Procurement:
    """Insert a record from validated writable fields."""
    record = Procurement()
    _assign(record, data, replace=True)
    session.add(record)
    session.flush()
    return record


def get(session: Session, record_id: uuid.UUID) -> Procurement:
    """The record with `record_id`; raise NotFound."""
    record = session.get(Procurement, record_id)
    if record is None:
        raise NotFound("procurement", record_id)
    return record


def replace(session: Session, record: Procurement, data: Mapping[str, Any]) -> Procurement:
    """Set every writable field from `data` (PUT semantics: missing means default)."""
    if _assign(record, data, replace=True):
        session.flush()
    return record


def delete(session: Session, record_id: uuid.UUID) -> None:
    """Remove the record; raise NotFound."""
    session.delete(get(session, record_id))
    session.flush()


def upsert(session: Session, data: Mapping[str, Any]) -> tuple[Procurement, str]:
    """Create or update the record with data's external_id.

    Returns the record and what happened: "created", "updated" or "unchanged".
    """
    external_id = data.get("external_id")
    if not external_id:
        raise ValueError("upsert needs an external_id")
    record = session.scalars(
        select(Procurement).where(Procurement.external_id == external_id)
    ).one_or_none()
    if record is None:
        return create(session, data), "created"
    if _assign(record, data, replace=True):
        session.flush()
        return record, "updated"
    return record, "unchanged"


def _parse_key(after: Sequence[Any]) -> tuple[datetime, uuid.UUID]:
    try:
        stamp, key = after
        created = datetime.fromisoformat(stamp)
        if created.tzinfo is None:
            raise ValueError("naive timestamp")
        return created, uuid.UUID(key)
    except (TypeError, ValueError):
        raise InvalidQuery("cursor", "Not a cursor from this API.") from None


def list_(session: Session, query: ListQuery) -> Page:
    """One page, newest first (created_at, then id, descending), after the cursor key."""
    conditions: list[ColumnElement[bool]] = []
    if query.buyer is not None:
        conditions.append(Procurement.buyer == query.buyer)
    if query.seller is not None:
        conditions.append(Procurement.seller == query.seller)
    if query.system is not None:
        conditions.append(func.lower(Procurement.system) == query.system.lower())
    if query.status is not None:
        conditions.append(Procurement.status == query.status)
    if query.category is not None:
        conditions.append(Procurement.category == query.category)
    if query.after is not None:
        created, key = _parse_key(query.after)
        conditions.append(tuple_(Procurement.created_at, Procurement.id) < tuple_(created, key))
    rows = list(
        session.scalars(
            select(Procurement)
            .where(*conditions)
            .order_by(Procurement.created_at.desc(), Procurement.id.desc())
            .limit(query.limit + 1)
        )
    )
    next_key = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        last = rows[-1]
        next_key = [last.created_at.isoformat(), str(last.id)]
    return Page(items=rows, next_key=next_key)


def count(session: Session) -> int:
    """How many records there are."""
    return session.scalar(select(func.count()).select_from(Procurement)) or 0
