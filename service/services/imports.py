"""Import runs: what each committed import did, and who ran it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exceptions import NotFound
from ..models import ImportRun


def record(
    session: Session, *, actor: str | None, source: str, fmt: str, counts: Mapping[str, int]
) -> ImportRun:
    """Keep a committed import (call it in the import's own transaction)."""
    run = ImportRun(
        actor=actor,
        source=source[:200],
        format=fmt,
        created=counts.get("created", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
        rejected=counts.get("rejected", 0),
    )
    session.add(run)
    session.flush()
    return run


def list_(session: Session, limit: int) -> list[ImportRun]:
    """The newest imports first."""
    statement = select(ImportRun).order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
    return list(session.scalars(statement.limit(limit)))


def get(session: Session, run_id: uuid.UUID) -> ImportRun:
    run = session.get(ImportRun, run_id)
    if run is None:
        raise NotFound("import", run_id)
    return run
