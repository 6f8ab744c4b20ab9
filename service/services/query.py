"""One query language for the record list, its exports, facets and stats.

A `RecordQuery` holds what a request asks for: filters (`field__op=value`, all
ANDed), a quantity range to overlap, full-text search, sort keys, the fields to
return and the facets to count. This module turns it into SQL. Every value reaches
SQL as a bound parameter, and every column comes from the FIELDS catalogue below,
so nothing a client sends is ever spliced into a statement.

Semantics a client can rely on (README, "Querying"):

- text `eq`/`ne`/`in` ignore case; `contains` and `startswith` match case, `icontains`
  does not; `%` and `_` are plain characters.
- `ne` keeps records where the field is empty (null is "not equal" to a value).
- comparisons (`gt`...) and `in` never match an empty field; `isnull=true` finds them.
- `quantity_overlaps=LO-HI`: records whose quantity range [quantity_min, quantity_max]
  overlaps [LO, HI]. An unknown minimum counts as 0 and an unknown maximum as
  unbounded; a record with neither bound known never matches.
- `status_entered=S` (with `status_entered_since`/`_before`): records that entered
  status S, at their last entry into it, within the given times.
- sort keys put empty values last in either direction; ties are broken by id, in the
  direction of the first key, so keyset paging is exact for every sort.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Text,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from ..exceptions import InvalidQuery
from ..models import (
    ROW_COLUMNS,
    Category,
    Condition,
    PartyKind,
    Procurement,
    Status,
    search_document,
)
from ..parties import parties


class Kind(enum.StrEnum):
    TEXT = "text"
    PARTY = "party"
    ENUM = "enum"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    UUID = "uuid"
    YEARS = "years"


OPS: dict[Kind, tuple[str, ...]] = {
    Kind.TEXT: ("eq", "ne", "in", "contains", "icontains", "startswith", "isnull"),
    Kind.PARTY: ("eq", "ne", "in", "contains", "icontains", "startswith", "isnull"),
    Kind.ENUM: ("eq", "ne", "in", "isnull"),
    Kind.INTEGER: ("eq", "ne", "in", "gt", "gte", "lt", "lte", "isnull"),
    Kind.DECIMAL: ("eq", "ne", "in", "gt", "gte", "lt", "lte", "isnull"),
    Kind.DATE: ("eq", "ne", "in", "gt", "gte", "lt", "lte", "isnull"),
    Kind.DATETIME: ("eq", "ne", "gt", "gte", "lt", "lte"),
    Kind.BOOLEAN: ("eq", "ne"),
    Kind.UUID: ("eq", "ne", "in"),
    Kind.YEARS: ("contains",),
}


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    enum: type[enum.StrEnum] | None = None
    sortable: bool = True
    facet: bool = False
    nullable: bool = True


FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(Kind.UUID, nullable=False),
    "buyer": FieldSpec(Kind.PARTY, facet=True, nullable=False),
    "buyer_code": FieldSpec(Kind.TEXT, facet=True),
    "buyer_kind": FieldSpec(Kind.ENUM, PartyKind, facet=True, nullable=False),
    "buyer_original": FieldSpec(Kind.TEXT),
    "seller": FieldSpec(Kind.PARTY, facet=True, nullable=False),
    "seller_code": FieldSpec(Kind.TEXT, facet=True),
    "seller_kind": FieldSpec(Kind.ENUM, PartyKind, facet=True, nullable=False),
    "seller_original": FieldSpec(Kind.TEXT),
    "manufacturer": FieldSpec(Kind.TEXT, facet=True),
    "system": FieldSpec(Kind.TEXT, facet=True, nullable=False),
    "category": FieldSpec(Kind.ENUM, Category, facet=True, nullable=False),
    "quantity_min": FieldSpec(Kind.INTEGER),
    "quantity_max": FieldSpec(Kind.INTEGER),
    "quantity_unit": FieldSpec(Kind.TEXT, facet=True),
    "quantity_estimated": FieldSpec(Kind.BOOLEAN, facet=True, nullable=False),
    "quantity_delivered": FieldSpec(Kind.INTEGER),
    "quantity_delivered_estimated": FieldSpec(Kind.BOOLEAN, facet=True, nullable=False),
    "order_year": FieldSpec(Kind.INTEGER, facet=True),
    "order_year_estimated": FieldSpec(Kind.BOOLEAN, facet=True, nullable=False),
    "delivery_years": FieldSpec(Kind.YEARS, sortable=False),
    "condition": FieldSpec(Kind.ENUM, Condition, facet=True),
    "status": FieldSpec(Kind.ENUM, Status, facet=True, nullable=False),
    "value_amount": FieldSpec(Kind.DECIMAL),
    "value_currency": FieldSpec(Kind.TEXT, facet=True),
    "announced_on": FieldSpec(Kind.DATE),
    "notes": FieldSpec(Kind.TEXT, sortable=False),
    "external_id": FieldSpec(Kind.TEXT),
    "created_at": FieldSpec(Kind.DATETIME, nullable=False),
    "updated_at": FieldSpec(Kind.DATETIME, nullable=False),
    "version": FieldSpec(Kind.INTEGER, nullable=False),
}
"""Every field a filter, sort or facet may name, and what it holds."""

DERIVED_FACETS = ("year", "month")
"""Facets and stats groups computed from announced_on."""
FACET_LIMIT = 50
"""Values listed per facet (the most frequent first)."""


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool


DEFAULT_SORT = (SortKey("created_at", True),)


@dataclass(frozen=True)
class RecordQuery:
    """What a list, export, facet or stats request asks for (validated values)."""

    filters: tuple[Filter, ...] = ()
    quantity_overlaps: tuple[int, int] | None = None
    q: str | None = None
    status_entered: tuple[Status, datetime | None, datetime | None] | None = None
    """Records that entered this status (at their last entry) within [since, before)."""
    sort: tuple[SortKey, ...] = DEFAULT_SORT
    limit: int = 50
    after: Sequence[Any] | None = None
    facets: tuple[str, ...] = ()


@dataclass
class Page:
    items: list[Any]
    """Plain rows (attribute access by field name), not ORM objects: a page is read,
    never changed, and hydrating objects would cost more than the query."""
    next_key: list[Any] | None
    total: int | None = None
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def column(name: str) -> Any:
    """The SQL expression of a catalogued field or derived facet."""
    if name == "year":
        return func.extract("year", Procurement.announced_on).cast(Integer)
    if name == "month":
        return func.to_char(Procurement.announced_on, literal_column("'YYYY-MM'"))
    if name not in FIELDS:
        raise InvalidQuery(name, f"Unknown field {name!r}.")
    return getattr(Procurement, name)


def escape_like(value: str) -> str:
    """`value` as literal text inside a LIKE pattern (with ESCAPE '\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _party(value: str) -> str:
    return parties().resolve(value).name


def _condition(f: Filter) -> Any:
    spec = FIELDS[f.field]
    col = column(f.field)
    value = f.value
    if f.op == "isnull":
        return col.is_(None) if value else col.is_not(None)
    if spec.kind is Kind.YEARS:
        return col.contains([value])  # delivery_years @> ARRAY[value]
    if spec.kind is Kind.PARTY and f.op in {"eq", "ne", "in"}:
        value = [_party(v) for v in value] if f.op == "in" else _party(value)
    if spec.kind is Kind.ENUM:
        # Plain strings (the stored values): the same statement then also runs through
        # COPY, where psycopg binds the values itself (copy_csv).
        value = [v.value for v in value] if f.op == "in" else value.value
    text = spec.kind in {Kind.TEXT, Kind.PARTY}
    if f.op in {"contains", "icontains", "startswith"}:
        pattern = escape_like(value)
        pattern = f"{pattern}%" if f.op == "startswith" else f"%{pattern}%"
        if f.op == "icontains":
            return col.ilike(pattern, escape="\\")
        return col.like(pattern, escape="\\")
    if text and spec.kind is Kind.TEXT:
        col = func.lower(col)
        value = [v.lower() for v in value] if f.op == "in" else value.lower()
    if f.op == "eq":
        return col == value
    if f.op == "ne":
        return col.is_distinct_from(value)
    if f.op == "in":
        return col.in_(value)
    comparisons = {"gt": col > value, "gte": col >= value, "lt": col < value, "lte": col <= value}
    return comparisons[f.op]


def conditions(query: RecordQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a query's filters, overlap and search (no paging)."""
    where = [_condition(f) for f in query.filters]
    if query.quantity_overlaps is not None:
        low, high = query.quantity_overlaps
        where.append(
            and_(
                or_(Procurement.quantity_min.is_not(None), Procurement.quantity_max.is_not(None)),
                func.coalesce(Procurement.quantity_min, 0) <= high,
                or_(Procurement.quantity_max.is_(None), Procurement.quantity_max >= low),
            )
        )
    if query.q:
        where.append(search_document().op("@@")(func.websearch_to_tsquery("english", query.q)))
    if query.status_entered is not None:
        status, since, before = query.status_entered
        where.append(Procurement.status_dates.has_key(status.value))
        entered = Procurement.status_dates[status.value].astext.cast(DateTime(timezone=True))
        if since is not None:
            where.append(entered >= since)
        if before is not None:
            where.append(entered < before)
    return where


# --- sorting and keyset paging ---------------------------------------------------------


def _order_by(sort: Sequence[SortKey]) -> list[Any]:
    order: list[Any] = []
    for key in sort:
        col = column(key.field)
        ordered = col.desc() if key.descending else col.asc()
        # Empty values last in both directions (NULLS LAST, which an index declared
        # the same way serves); a column that is never empty keeps the plain order.
        order.append(ordered.nulls_last() if FIELDS[key.field].nullable else ordered)
    order.append(Procurement.id.desc() if sort[0].descending else Procurement.id.asc())
    return order


def sort_signature(sort: Sequence[SortKey]) -> str:
    """Identifies a sort inside cursors: a cursor only fits the sort that made it."""
    return ",".join(("-" if k.descending else "") + k.field for k in sort)


def _cursor_value(spec: FieldSpec, raw: Any) -> Any:
    if raw is None:
        return None
    if spec.kind is Kind.DATE:
        return date.fromisoformat(raw)
    if spec.kind is Kind.DATETIME:
        return datetime.fromisoformat(raw)
    if spec.kind is Kind.DECIMAL:
        return Decimal(raw)
    if spec.kind is Kind.UUID:
        return uuid.UUID(raw)
    if spec.kind is Kind.ENUM and spec.enum is not None:
        return spec.enum(raw)
    return raw


def json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime, Decimal, uuid.UUID)):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return value


def _parse_cursor(sort: Sequence[SortKey], key: Sequence[Any]) -> tuple[list[Any], uuid.UUID]:
    """The sort values and the id inside a cursor key; InvalidQuery if it does not fit."""
    if len(key) != len(sort) + 2 or key[0] != sort_signature(sort):
        raise InvalidQuery("cursor", "This cursor belongs to another sort order.")
    try:
        values = [
            _cursor_value(FIELDS[k.field], raw) for k, raw in zip(sort, key[1:], strict=False)
        ]
        return values, uuid.UUID(key[-1])
    except (ValueError, TypeError):
        raise InvalidQuery("cursor", "Not a cursor from this API.") from None


def _after(sort: Sequence[SortKey], values: list[Any], last_id: uuid.UUID) -> ColumnElement[bool]:
    """Rows strictly after the cursor (sort values, id) in the order of `sort` (then id)."""
    descending = sort[0].descending
    simple = all(not FIELDS[k.field].nullable and k.descending == descending for k in sort)
    if simple:
        # One row-value comparison: the form an index on (fields..., id) serves.
        row = tuple_(*(column(k.field) for k in sort), Procurement.id)
        bound = tuple_(
            *(literal(v, column(k.field).type) for k, v in zip(sort, values, strict=True)),
            literal(last_id),
        )
        return row < bound if descending else row > bound
    branches: list[ColumnElement[bool]] = []
    equal: list[ColumnElement[bool]] = []
    for k, value in zip(sort, values, strict=True):
        col = column(k.field)
        if value is None:
            # Empty values come last: nothing but other empty values follows them.
            equal.append(col.is_(None))
            continue
        beyond = col < value if k.descending else col > value
        if FIELDS[k.field].nullable:
            beyond = or_(beyond, col.is_(None))
        branches.append(and_(*equal, beyond))
        equal.append(col == value)
    id_after = Procurement.id < last_id if descending else Procurement.id > last_id
    branches.append(and_(*equal, id_after))
    return or_(*branches)


def _key_of(record: Any, sort: Sequence[SortKey]) -> list[Any]:
    return [
        sort_signature(sort),
        *(json_value(getattr(record, k.field)) for k in sort),
        str(record.id),
    ]


def list_(session: Session, query: RecordQuery, *, total: bool = False) -> Page:
    """One page in the query's sort order after its cursor key, with the facets asked
    for (over the whole filtered set) and, with `total`, how many records match."""
    where = conditions(query)
    rows = _page(session, where, query.sort, query.after, query.limit + 1)
    next_key = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        next_key = _key_of(rows[-1], query.sort)
    page = Page(items=rows, next_key=next_key)
    if total:
        page.total = count(session, query)
    for name in query.facets:
        page.facets[name] = facet(session, query, name)
    return page


def _page(
    session: Session,
    where: list[ColumnElement[bool]],
    sort: Sequence[SortKey],
    after: Sequence[Any] | None,
    limit: int,
) -> list[Any]:
    """Up to `limit` records after the cursor key, in sort order.

    One nullable sort key with a cursor among the non-empty values is read in two
    index range scans: the values after the cursor ((value, id) compared as a row),
    then, if the page is not full, the empty values. Every page then costs what the
    first does, however deep the walk (an OR of both would scan from the start).
    """

    def fetch(*extra: ColumnElement[bool], order: list[Any], n: int) -> list[Any]:
        statement = select(*ROW_COLUMNS).where(*where, *extra).order_by(*order).limit(n)
        # Core rows straight from the connection: the ORM's result layer costs more
        # than the query on a hot page (a plain select of columns has nothing to map).
        return list(session.connection().execute(statement).all())

    order = _order_by(sort)
    if after is None:
        return fetch(order=order, n=limit)
    values, last_id = _parse_cursor(sort, after)
    if len(sort) > 1 or not FIELDS[sort[0].field].nullable or values[0] is None:
        return fetch(_after(sort, values, last_id), order=order, n=limit)
    key = sort[0]
    col = column(key.field)
    value = values[0]
    row = tuple_(col, Procurement.id)
    bound = tuple_(literal(value, col.type), literal(last_id))
    beyond = row < bound if key.descending else row > bound
    rows = fetch(beyond, order=order, n=limit)
    if len(rows) < limit:
        id_order = Procurement.id.desc() if key.descending else Procurement.id.asc()
        rows += fetch(col.is_(None), order=[id_order], n=limit - len(rows))
    return rows


def count(session: Session, query: RecordQuery) -> int:
    """How many records match the query's filters."""
    statement = select(func.count()).select_from(Procurement).where(*conditions(query))
    return session.scalar(statement) or 0


def facet(session: Session, query: RecordQuery, name: str) -> list[dict[str, Any]]:
    """The most frequent values of a field among the matching records, with counts
    (empty values counted as null), most frequent first."""
    col = column(name).label("value")
    rows = session.execute(
        select(col, func.count().label("count"))
        .where(*conditions(query))
        .group_by(col)
        .order_by(func.count().desc(), col.asc().nulls_last())
        .limit(FACET_LIMIT)
    )
    return [{"value": json_value(value), "count": n} for value, n in rows]


def stream_rows(session: Session, query: RecordQuery, batch: int = 2000) -> Iterator[Any]:
    """Every matching record in the query's sort order as a plain row (attribute access
    by field name, no ORM object), fetched in batches from a server-side cursor:
    memory stays flat whatever the size of the result."""
    statement = (
        select(*ROW_COLUMNS)
        .where(*conditions(query))
        .order_by(*_order_by(query.sort))
        .execution_options(yield_per=batch)
    )
    yield from session.execute(statement)


__all__ = [
    "DEFAULT_SORT",
    "FIELDS",
    "OPS",
    "FieldSpec",
    "Filter",
    "Kind",
    "Page",
    "RecordQuery",
    "SortKey",
    "column",
    "count",
    "facet",
    "list_",
    "stream_rows",
]


# --- CSV by COPY -------------------------------------------------------------------------

_TEXT_KINDS = {Kind.TEXT, Kind.PARTY}
_FORMULA = "^[-=+@\t\r]"


def _csv_expression(name: str) -> Any:
    """A column as its CSV text, formatted by PostgreSQL the way the API writes it."""
    col = column(name) if name in FIELDS else getattr(Procurement, name)
    spec = FIELDS.get(name)
    kind = spec.kind if spec else None
    if name == "sources":
        return Procurement.sources.cast(Text)
    if kind is Kind.YEARS:
        return func.array_to_string(col, literal_column("';'"))
    if kind is Kind.DATETIME:
        # As Python's isoformat in UTC with a Z: microseconds only when there are some.
        utc = func.timezone(literal_column("'UTC'"), col)
        whole = func.to_char(utc, literal_column('\'YYYY-MM-DD"T"HH24:MI:SS"Z"\''))
        fraction = func.to_char(utc, literal_column('\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\''))
        return case((func.extract("microseconds", col) % 1_000_000 == 0, whole), else_=fraction)
    if kind is Kind.BOOLEAN:
        return case((col, literal_column("'true'")), else_=literal_column("'false'"))
    if kind in _TEXT_KINDS:
        # Spreadsheet formula injection: a cell starting with = + - @ tab CR gets a '.
        return case(
            (col.op("~")(literal_column(f"E'{_FORMULA}'")), literal_column("''''").op("||")(col)),
            else_=col,
        )
    return col.cast(Text)


def copy_csv(session: Session, query: RecordQuery, columns: Sequence[str]) -> Iterator[bytes]:
    """Every matching record as CSV (header row first), formatted by PostgreSQL's COPY
    and streamed as it comes (a block per row): tens of thousands of rows a second
    at flat memory. Values are bound client-side by psycopg (COPY takes no server
    parameters), escaped like any literal."""
    statement = (
        select(*(_csv_expression(name).label(name) for name in columns))
        .where(*conditions(query))
        .order_by(*_order_by(query.sort))
    )
    compiled = statement.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    raw = session.connection().connection.driver_connection
    assert raw is not None
    sql = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv, HEADER)"
    with raw.cursor() as cursor, cursor.copy(sql, compiled.params) as copy:
        for block in copy:
            yield bytes(block)
