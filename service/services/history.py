"""History: revisions of a record, the record as of a time, the change feed.

The database writes the revisions (triggers of migration 0009), so every write
path (API, batch, imports, articles, the command line) leaves one; this module only
reads them. Status lifecycle rules live here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, column, exists, func, literal_column, select, true
from sqlalchemy.orm import Session

from ..exceptions import Gone, NotFound
from ..models import Procurement, Revision, Status

LIFECYCLE = (
    Status.ANNOUNCED,
    Status.INTENT,
    Status.APPROVED,
    Status.CONTRACTED,
    Status.DELIVERING,
    Status.DELIVERED,
)
"""The order a deal moves through; `cancelled` may follow any of them."""


def is_backwards(old: Status, new: Status) -> bool:
    """Whether moving from `old` to `new` goes back along the lifecycle (a correction,
    or a revived deal): delivered -> intent, cancelled -> anything."""
    if old == new or new == Status.CANCELLED:
        return False
    if old == Status.CANCELLED:
        return True
    return LIFECYCLE.index(new) < LIFECYCLE.index(old)


def _typed_snapshot() -> Any:
    """The revision's snapshot as a typed procurement row (a lateral function call),
    so that the API's row dumper serves it like a live record."""
    table = Procurement.__table__
    return (
        func.jsonb_populate_record(literal_column("NULL::procurement"), Revision.snapshot)
        .table_valued(*(column(c.name, c.type) for c in table.columns), name="snapshot_row")
        .lateral()
    )


@dataclass(frozen=True)
class Change:
    """A revision and, unless it is a delete, the record as it stood after it."""

    revision: Revision
    record: Any


def _with_records(session: Session, where: Sequence[Any], limit: int | None = None) -> list[Change]:
    snapshot = _typed_snapshot()
    statement = (
        select(Revision, *snapshot.c)
        .join(snapshot, true())
        .where(*where)
        .order_by(Revision.txid, Revision.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    out = []
    for row in session.execute(statement):
        revision = row[0]
        out.append(Change(revision, None if revision.op == "delete" else _RowView(row)))
    return out


class _RowView:
    """A joined row read as the snapshot's columns (attribute and _mapping access)."""

    def __init__(self, row: Row[Any]) -> None:
        self._mapping = {k: v for k, v in row._mapping.items() if isinstance(k, str)}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._mapping[name]
        except KeyError:
            raise AttributeError(name) from None


def history(session: Session, record_id: uuid.UUID) -> list[Revision]:
    """Every revision of a record, oldest first; NotFound if it never existed."""
    revisions = list(
        session.scalars(
            select(Revision).where(Revision.procurement_id == record_id).order_by(Revision.n)
        )
    )
    if not revisions:
        raise NotFound("procurement", record_id)
    return revisions


def revision(session: Session, record_id: uuid.UUID, n: int) -> Change:
    """Revision `n` of a record, with the record as it stood after it."""
    found = _with_records(session, [Revision.procurement_id == record_id, Revision.n == n])
    if not found:
        raise NotFound(f"revision {n} of procurement", record_id)
    return found[0]


def as_of(session: Session, record_id: uuid.UUID, when: datetime) -> Any:
    """The record as it stood at `when` (a deleted record included): a typed row.
    NotFound if it did not exist yet, Gone if it had been deleted by then."""
    snapshot = _typed_snapshot()
    row = session.execute(
        select(Revision.op, Revision.changed_at, *snapshot.c)
        .join(snapshot, true())
        .where(Revision.procurement_id == record_id, Revision.changed_at <= when)
        .order_by(Revision.n.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        existed = session.scalar(select(exists().where(Revision.procurement_id == record_id)))
        raise NotFound("procurement (at that time)" if existed else "procurement", record_id)
    if row.op == "delete":
        raise Gone(f"The record was deleted at {row.changed_at.isoformat()}.")
    return _RowView(row)


def visible_horizon(session: Session) -> int:
    """Every transaction with an id below this one has ended: their changes are final
    and no change can appear below it later."""
    return int(
        session.execute(
            select(literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))
        ).scalar_one()
    )


def changes(
    session: Session, after: tuple[int, int] | None, limit: int
) -> tuple[list[Change], tuple[int, int] | None]:
    """Up to `limit` changes after the position `after` (txid, revision id), in
    transaction order, and the position to resume from (None: nothing was listed).

    Only changes of transactions that have all ended are listed: one still running
    could otherwise commit a change behind a cursor already handed out."""
    where: list[Any] = [Revision.txid < visible_horizon(session)]
    if after is not None:
        txid, last = after
        where.append((Revision.txid > txid) | ((Revision.txid == txid) & (Revision.id > last)))
    listed = _with_records(session, where, limit)
    if not listed:
        return [], None
    final = listed[-1].revision
    return listed, (final.txid, final.id)
