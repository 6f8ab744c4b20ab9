"""Domain exceptions raised by services; errors.py turns them into problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a client can cause and correct."""


class NotFound(DomainError):
    """No record with that key."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"No {kind} with id {key}.")
        self.kind = kind
        self.key = key


class Conflict(DomainError):
    """The change would break a uniqueness rule; `field` names the field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidQuery(DomainError):
    """A query parameter that passed parsing carries a value the query cannot use."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class PreconditionFailed(DomainError):
    """If-Match named a version that is no longer the record's (or another writer won)."""


class PreconditionRequired(DomainError):
    """REQUIRE_IF_MATCH is on and a write came without If-Match."""


class KeyInFlight(DomainError):
    """The first request with this Idempotency-Key has not finished."""


class KeyReused(DomainError):
    """The Idempotency-Key was used for a request with another body."""


class Unauthenticated(DomainError):
    """No usable API key: missing, malformed, unknown or revoked (401)."""

    def __init__(self, message: str, *, invalid: bool = False) -> None:
        super().__init__(message)
        self.invalid = invalid


class Forbidden(DomainError):
    """The API key lacks the scope the route needs (403)."""


class InvalidHeader(InvalidQuery):
    """A request header carries a value the service cannot use (400)."""


class Gone(DomainError):
    """The record existed but was deleted (410)."""


class ReasonRequired(DomainError):
    """A change that needs a reason (a backwards status move) came without one."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field
