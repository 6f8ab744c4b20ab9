"""Procurement records: create, read, list, replace, delete, upsert.

Every function takes the session of the caller's transaction, flushes so that
database rules surface as exceptions here, and never commits.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import Table, bindparam, func, insert, select, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..exceptions import NotFound, PreconditionFailed, PreconditionRequired
from ..fieldnames import IMPORT_ONLY_FIELDS, WRITABLE_FIELDS
from ..ids import uuid7
from ..models import ROW_COLUMNS, ROW_NAMES, PartyKind, Procurement
from ..parties import parties

_DEFAULTS: dict[str, Any] = {
    "sources": [],
    "delivery_years": [],
    "quantity_estimated": False,
    "quantity_delivered_estimated": False,
    "order_year_estimated": False,
}


def _column_values(data: Mapping[str, Any], *, replace: bool) -> dict[str, Any]:
    """The columns the writable fields of `data` set. With `replace`, fields missing
    from `data` go back to their defaults (PUT). A party (name, alias, code, SIPRI
    notation) is stored as its canonical name, ISO code and kind."""
    values: dict[str, Any] = {}
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
            party = index.resolve(value)
            values[name] = party.name
            values[f"{name}_code"] = party.code
            values[f"{name}_kind"] = PartyKind(party.kind)
        else:
            values[name] = value
    return values


def _assign(record: Procurement, data: Mapping[str, Any], *, replace: bool) -> bool:
    """Copy writable fields onto `record`; return whether anything changed.

    Unchanged values are not assigned, so an identical write is no change and
    does not bump `version`.
    """
    changed = False
    for column, new in _column_values(data, replace=replace).items():
        if getattr(record, column) != new:
            setattr(record, column, new)
            changed = True
    return changed


def etag(record: Any) -> str:
    """The record's strong entity tag: it changes with every change (version)."""
    return _tag(record.id, record.version)


def _tag(record_id: uuid.UUID, version: int) -> str:
    return f'"{record_id.hex}.{version}"'


def check_if_match(record: Procurement, if_match: str | None, required: bool) -> None:
    """Raise PreconditionFailed unless `if_match` names the record's current ETag (or is
    "*"); PreconditionRequired when it is missing and `required`. The write that follows
    is compare-and-set too: its UPDATE/DELETE carries "AND version = <read version>", so
    of two writers holding the same ETag exactly one succeeds."""
    if if_match is None:
        if required:
            raise PreconditionRequired(
                "Send If-Match with the record's ETag (from GET): this server requires it."
            )
        return
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and etag(record) not in tags:
        raise PreconditionFailed(
            "The record has changed since the ETag you sent: read it again and retry."
        )


def create(session: Session, data: Mapping[str, Any]) -> Procurement:
    """Insert a record from validated writable fields."""
    record = Procurement()
    _assign(record, data, replace=True)
    session.add(record)
    session.flush()
    return record


def insert_row(session: Session, data: Mapping[str, Any]) -> Any:
    """Insert a record from validated writable fields and return it as a plain row of
    models.ROW_COLUMNS: one INSERT ... RETURNING, no ORM object (the path of POST).
    The same columns as create() (a test compares the two)."""
    values = _column_values(data, replace=True)
    values["id"] = uuid7()
    values["version"] = 1  # what the ORM's version counter starts at
    statement = insert(Procurement).values(values).returning(*ROW_COLUMNS)
    return session.connection().execute(statement).one()


_TABLE = Procurement.__table__
_BY_ID_SQL = str(
    select(*ROW_COLUMNS)
    .where(_TABLE.c.id == bindparam("record_id"))
    .compile(dialect=postgresql.psycopg.dialect())  # type: ignore[no-untyped-call]
)
"""SELECT <every column> FROM procurement WHERE id = %(record_id)s, rendered once."""
_ID, _VERSION = ROW_NAMES.index("id"), ROW_NAMES.index("version")


def get_row(session: Session, record_id: uuid.UUID) -> tuple[Any, ...]:
    """The record with `record_id` as a tuple in models.ROW_NAMES order: the read path
    of GET, the busiest of the service. The statement, rendered once, goes to the
    driver as a prepared statement on the session's own connection (in the session's
    transaction, if any), and the row comes back as the driver reads it: the values
    are those SQLAlchemy would give (enums read as text, JSON parsed by the
    connection's loader), without the result layer, which cost more than the query.
    A test holds the record it gives equal to the ORM's. Raise NotFound."""
    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    parameters = {"record_id": record_id}
    try:
        row: tuple[Any, ...] | None = driver.execute(
            _BY_ID_SQL, parameters, prepare=True
        ).fetchone()
    except psycopg.Error as error:
        if driver.broken or driver.closed:
            # A dead connection: SQLAlchemy's own execution detects it, invalidates
            # the pool and raises what the request's retry loop expects.
            connection.exec_driver_sql(_BY_ID_SQL, parameters)
        raise DBAPIError.instance(_BY_ID_SQL, parameters, error, psycopg.Error) from error
    if row is None:
        raise NotFound("procurement", record_id)
    return row


def row_etag(row: tuple[Any, ...]) -> str:
    """etag() of a get_row tuple."""
    return _tag(row[_ID], row[_VERSION])


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
    remove(session, get(session, record_id))


def remove(session: Session, record: Procurement) -> None:
    """Remove a record read in this transaction: DELETE ... AND version = the version
    read, so a record changed meanwhile is not deleted (StaleDataError)."""
    session.delete(record)
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


# --- bulk writes (imports and the batch endpoint) -------------------------------------

_BULK_COLUMNS = (
    *WRITABLE_FIELDS,
    "buyer_code",
    "buyer_kind",
    "seller_code",
    "seller_kind",
    *IMPORT_ONLY_FIELDS,
)


def _row_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of a new or replaced record (PUT semantics) from validated data."""
    values: dict[str, Any] = {}
    for name in (*WRITABLE_FIELDS, *IMPORT_ONLY_FIELDS):
        default = _DEFAULTS.get(name)
        values[name] = data.get(name, list(default) if isinstance(default, list) else default)
    index = parties()
    for side in ("buyer", "seller"):
        party = index.resolve(values[side])
        values[side] = party.name
        values[f"{side}_code"] = party.code
        values[f"{side}_kind"] = PartyKind(party.kind)
    return values


def known_hashes(session: Session, external_ids: Sequence[str]) -> dict[str, str | None]:
    """external_id -> import_hash of the records that have one of `external_ids`."""
    if not external_ids:
        return {}
    rows = session.execute(
        select(Procurement.external_id, Procurement.import_hash).where(
            Procurement.external_id.in_(external_ids)
        )
    )
    return {external_id: digest for external_id, digest in rows if external_id}


_STAGE = "procurement_import_stage"
SERVER_MANAGED = {"created_at", "updated_at", "created_by", "updated_by", "status_dates"}
"""Columns the database sets (defaults and the stamp trigger), never copied in."""


def _stage_table() -> Table:
    from sqlalchemy import Column, MetaData

    source = Procurement.__table__
    columns = [c for c in source.columns if c.name not in SERVER_MANAGED]
    return Table(_STAGE, MetaData(), *(Column(c.name, c.type) for c in columns))


def bulk_upsert(
    session: Session, items: Sequence[tuple[Mapping[str, Any], str | None]]
) -> list[tuple[uuid.UUID, str]]:
    """Create or replace records by external_id: COPY into a temporary table, then one
    INSERT ... SELECT ... ON CONFLICT DO UPDATE.

    `items` are (validated data, import hash); data without an external_id is
    created. Returns (id, "created" | "updated" | "unchanged") in input order. An
    update bumps version and updated_at only when a value really changes. (The
    created/updated split reads PostgreSQL's xmax: PostgreSQL only.)
    """
    from psycopg.types.json import Jsonb
    from sqlalchemy import literal_column, text
    from sqlalchemy.dialects.postgresql import insert

    if not items:
        return []
    table: Table = Procurement.__table__  # type: ignore[assignment]
    stage = _stage_table()
    names = [c.name for c in stage.columns]
    rows = []
    for data, digest in items:
        values = _row_values(data)
        values.update(id=uuid7(), import_hash=digest, version=1)
        rows.append(values)
    session.execute(
        text(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} "
            "(LIKE procurement INCLUDING DEFAULTS) ON COMMIT DROP"
        )
    )
    session.execute(text(f"TRUNCATE {_STAGE}"))
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {_STAGE} ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for values in rows:
            copy.write_row(
                [
                    Jsonb(values[n])
                    if n == "sources"
                    else (str(values[n]) if isinstance(values[n], enum.Enum) else values[n])
                    for n in names
                ]
            )
    base = insert(table).from_select(names, select(*stage.columns))
    excluded = base.excluded
    compared = [c for c in _BULK_COLUMNS if c != "external_id"]
    statement = base.on_conflict_do_update(
        index_elements=[table.c.external_id],
        set_={
            **{c: excluded[c] for c in compared},
            "import_hash": excluded.import_hash,
            "version": table.c.version + 1,
            "updated_at": func.now(),
        },
        where=tuple_(*(table.c[c] for c in compared)).is_distinct_from(
            tuple_(*(excluded[c] for c in compared))
        ),
    ).returning(table.c.id, table.c.external_id, literal_column("xmax = 0").label("inserted"))
    # Results are matched by external_id (or, for a row without one, the id it was
    # inserted with): the order they come back in does not matter.
    written = {row.external_id or str(row.id): row for row in session.execute(statement)}
    unchanged_keys = [
        r["external_id"] for r in rows if r["external_id"] and r["external_id"] not in written
    ]
    ids: dict[str, uuid.UUID] = {}
    if unchanged_keys:
        found = session.execute(
            select(Procurement.external_id, Procurement.id).where(
                Procurement.external_id.in_(unchanged_keys)
            )
        )
        ids = {key: record_id for key, record_id in found if key}
    outcomes: list[tuple[uuid.UUID, str]] = []
    for values in rows:
        key = values["external_id"] or str(values["id"])
        row = written.get(key)
        if row is None:
            outcomes.append((ids[values["external_id"]], "unchanged"))
        else:
            outcomes.append((row.id, "created" if row.inserted else "updated"))
    return outcomes


def touch_import_hashes(session: Session, hashes: Mapping[str, str]) -> None:
    """Record the import hash of rows found unchanged by comparison (first re-import)."""
    if hashes:
        table: Table = Procurement.__table__  # type: ignore[assignment]
        session.execute(
            table.update()
            .where(Procurement.external_id == bindparam("key"))
            .values(import_hash=bindparam("digest")),
            [{"key": k, "digest": v} for k, v in hashes.items()],
        )
