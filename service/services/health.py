"""Readiness: the database answers and its schema is at the code's revision."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..migrate import current_revision, head_revision


def readiness(session: Session) -> tuple[bool, dict[str, str]]:
    """Whether the service can serve requests, and what each check found."""
    try:
        session.execute(text("SELECT 1"))
        revision = current_revision(session.connection())
    except SQLAlchemyError:
        return False, {"database": "unreachable"}
    head = head_revision()
    if revision != head:
        return False, {
            "database": "ok",
            "schema": (
                f"at {revision or 'nothing'}, code needs {head}; run: python -m service db upgrade"
            ),
        }
    return True, {"database": "ok", "schema": "ok"}
