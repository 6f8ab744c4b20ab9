"""API keys: create (the secret is returned once), list, revoke, authenticate.

A key reads `ptk_` + 43 base62 characters (256 random bits) + a 6-character
checksum (CRC-32), like GitHub's tokens: the prefix lets secret scanners find a
leaked key, the checksum lets a typo be told from a wrong key without a lookup.
Only the SHA-256 of the whole key is stored; a lookup by digest finds the row and
the digests are compared again in constant time. Revocation is a timestamp, and
takes effect on the next request: nothing is cached.

Scopes nest: `admin` includes `write`, and `write` includes `read`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..exceptions import Conflict, NotFound
from ..models import ApiKey

PREFIX = "ptk_"
SCOPES = ("read", "write", "admin")
_IMPLIES = {"read": {"read"}, "write": {"read", "write"}, "admin": {"read", "write", "admin"}}
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BODY = 43  # 62**43 > 2**256
_CHECK = 6  # 62**6 > 2**32
LENGTH = len(PREFIX) + _BODY + _CHECK


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode()), _CHECK)


def new_secret() -> str:
    """A fresh key: prefix, 256 random bits in base62, checksum."""
    body = _base62(secrets.randbits(256), _BODY)
    return PREFIX + body + _checksum(body)


def well_formed(secret: str) -> bool:
    """Whether `secret` has the shape of a key and a matching checksum."""
    if len(secret) != LENGTH or not secret.startswith(PREFIX):
        return False
    body, check = secret[len(PREFIX) : -_CHECK], secret[-_CHECK:]
    return all(c in _ALPHABET for c in body) and hmac.compare_digest(check, _checksum(body))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def granted(scopes: Iterable[str]) -> set[str]:
    """Every scope that `scopes` include (admin > write > read)."""
    out: set[str] = set()
    for scope in scopes:
        out |= _IMPLIES.get(scope, set())
    return out


@dataclass(frozen=True)
class Created:
    key: ApiKey
    secret: str


def create(
    session: Session, name: str, scopes: Sequence[str], *, created_by: str | None = None
) -> Created:
    """A new key for `name` with `scopes`; raise Conflict if an active key has that name."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"scopes must be among {', '.join(SCOPES)}")
    taken = session.scalar(
        select(func.count()).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
    )
    if taken:
        raise Conflict(f"An active key is already named {name!r}; revoke it first.", "name")
    secret = new_secret()
    key = ApiKey(
        name=name,
        prefix=secret[: len(PREFIX) + 8],
        digest=digest(secret),
        scopes=sorted(set(scopes), key=SCOPES.index),
        created_by=created_by,
    )
    session.add(key)
    session.flush()
    return Created(key, secret)


def list_(session: Session, *, include_revoked: bool = False) -> list[ApiKey]:
    statement = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)
    if not include_revoked:
        statement = statement.where(ApiKey.revoked_at.is_(None))
    return list(session.scalars(statement))


def get(session: Session, key_id: uuid.UUID) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("API key", key_id)
    return key


def revoke(session: Session, key: ApiKey) -> ApiKey:
    """Revoke `key` now (a revoked key stays listed for the record of who did what)."""
    if key.revoked_at is None:
        key.revoked_at = session.scalar(select(func.now()))
        session.flush()
    return key


def find_active(session: Session, name_or_id: str) -> ApiKey:
    """The active key with this name (or id); raise NotFound."""
    try:
        key_id: uuid.UUID | None = uuid.UUID(name_or_id)
    except ValueError:
        key_id = None
    condition = ApiKey.id == key_id if key_id else ApiKey.name == name_or_id
    key = session.scalars(
        select(ApiKey).where(condition, ApiKey.revoked_at.is_(None))
    ).one_or_none()
    if key is None:
        raise NotFound("active API key", name_or_id)
    return key


@dataclass(frozen=True)
class Credential:
    """What a request needs to know of the key it sent."""

    id: uuid.UUID
    name: str
    scopes: list[str]
    revoked_at: datetime | None


_BY_DIGEST = select(ApiKey.id, ApiKey.name, ApiKey.scopes, ApiKey.revoked_at, ApiKey.digest).where(
    ApiKey.digest == bindparam("digest")
)
"""Built once; a plain row, no ORM object (it runs before every keyed request)."""


def authenticate(session: Session, secret: str) -> Credential | None:
    """The key whose secret this is, active or revoked; None if there is none."""
    if not well_formed(secret):
        return None
    wanted = digest(secret)
    row = session.connection().execute(_BY_DIGEST, {"digest": wanted}).first()
    if row is None or not hmac.compare_digest(row.digest, wanted):
        return None
    return Credential(row.id, row.name, list(row.scopes), row.revoked_at)
