"""Who made a change, and why: handed to the database with each write transaction.

The history triggers (migration 0009) read two transaction-local settings:
`procurement.actor`, the name of the API key (or `cli:<command>` for the command
line), and `procurement.reason`, the reason the client gave (`X-Change-Reason`
header or a `reason` member). Every session sets them when its transaction
begins, so a transaction run again after a serialization failure carries them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import flask
from sqlalchemy import event, text
from sqlalchemy.orm import Session

_cli_actor: ContextVar[str | None] = ContextVar("cli_actor", default=None)
_SET = text(
    "SELECT set_config('procurement.actor', :actor, true), "
    "set_config('procurement.reason', :reason, true)"
)
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute the writes of a command-line run to `actor`."""
    token = _cli_actor.set(actor)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def current() -> tuple[str | None, str | None]:
    """(actor, reason) of the current request or command."""
    if flask.has_request_context():
        found = flask.g.get("caller")
        return (found.name if found is not None else None), flask.g.get("change_reason")
    return _cli_actor.get(), None


def set_reason(session: Session, reason: str | None) -> None:
    """Give the current request's changes a reason (a `reason` member of the body)."""
    if reason:
        flask.g.change_reason = reason
        apply(session)


def _parameters() -> dict[str, str]:
    actor, reason = current()
    return {"actor": actor or "", "reason": reason or ""}


def apply(session: Session) -> None:
    """Hand actor and reason to the session's current transaction."""
    session.execute(_SET, _parameters())


def _needed() -> bool:
    if flask.has_request_context():
        return flask.request.method in WRITES
    return _cli_actor.get() is not None


@event.listens_for(Session, "after_begin")
def _on_begin(session: Session, _transaction: Any, connection: Any) -> None:
    # An autocommit connection (the short read that checks an API key) writes nothing,
    # and a transaction-local setting would not outlive its statement anyway.
    autocommit = connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    if not autocommit and _needed():
        connection.execute(_SET, _parameters())
