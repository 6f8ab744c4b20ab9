"""Idempotency-Key for POSTs: a retried request replays the first response.

The same key (per route) with the same body replays the first response, status and
body, and writes nothing more; with another body it is refused (422); while the
first request is still running, a repeat is 409. Keys are kept 24 hours.
Exactly-once survives a crash: the stored response is written in the transaction
of the request's own effect, so a request that dies before its commit leaves
neither behind and its retry simply runs. Keys are scoped: the caller names the
route as "<API key id> <method> <path>", so clients never share keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Text, cast, delete, func, literal, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from ..exceptions import KeyInFlight, KeyReused
from ..models import IdempotencyKey

KEEP = timedelta(hours=24)


@dataclass(frozen=True)
class Stored:
    status: int
    body: Any
    headers: dict[str, str]


def request_hash(parts: Iterable[bytes]) -> str:
    """SHA-256 of the request (method, path and query, body), given in parts."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def claim(session: Session, route: str, key: str, digest: str) -> Stored | None:
    """The stored first response to replay, or None when this request is the first.

    Takes a transaction-scoped advisory lock on (route, key) without waiting: a
    repeat that arrives while the first request runs gets KeyInFlight."""
    locked = session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:name, 0))"),
        {"name": f"{route}\n{key}"},
    ).scalar_one()
    if not locked:
        raise KeyInFlight("A request with this Idempotency-Key is still running; retry shortly.")
    found = session.execute(
        select(
            IdempotencyKey.request_hash,
            IdempotencyKey.status,
            IdempotencyKey.body,
            IdempotencyKey.headers,
        ).where(
            IdempotencyKey.route == route,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at > func.now() - KEEP,
        )
    ).one_or_none()
    if found is None:
        return None
    if found.request_hash != digest:
        raise KeyReused("This Idempotency-Key was used for a different request.")
    return Stored(found.status, found.body, dict(found.headers))


def record(
    session: Session,
    route: str,
    key: str,
    digest: str,
    status: int,
    body_json: str,
    headers: dict[str, str],
) -> None:
    """Keep the first response (replacing an expired entry of the same key): one
    statement. The body goes in as the JSON text the client received (PostgreSQL
    parses it), not read back into objects and written out again."""
    values = {
        "request_hash": digest,
        "status": status,
        "body": cast(literal(body_json, Text()), JSONB),
        "headers": headers,
    }
    session.execute(
        insert(IdempotencyKey)
        .values(route=route, key=key, **values)
        .on_conflict_do_update(
            index_elements=[IdempotencyKey.route, IdempotencyKey.key],
            set_={**values, "created_at": func.now()},
        )
    )


def purge(session: Session) -> int:
    """Forget keys older than 24 hours; how many."""
    result = session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at <= func.now() - KEEP)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
