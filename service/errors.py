"""The one place that turns any error into RFC 9457 application/problem+json.

Every response with status >= 400 has `type`, `title`, `status`, `detail` and
`instance`; validation problems add `errors`, mapping each field (or query
parameter) to its messages. Database and Python internals never reach a client.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

import flask
import marshmallow as ma
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .db import is_retryable
from .exceptions import (
    Conflict,
    Forbidden,
    Gone,
    InvalidHeader,
    InvalidQuery,
    KeyInFlight,
    KeyReused,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ReasonRequired,
    Unauthenticated,
)
from .observability import request_id

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "urn:procurement-tracker:problem:"
VALIDATION = PROBLEM_BASE + "validation"
REALM = "procurement-tracker"

# CHECK and UNIQUE constraints (named by models.NAMING_CONVENTION) -> the field they guard.
_CONSTRAINT_FIELDS = {
    "quantity_order": ("quantity_max", "Must be greater than or equal to quantity_min."),
    "quantity_min_range": ("quantity_min", "Out of range."),
    "quantity_max_range": ("quantity_max", "Out of range."),
    "value_amount_non_negative": ("value_amount", "Must be greater than or equal to 0."),
    "value_currency_with_amount": ("value_currency", "Give value_currency with value_amount."),
    "value_currency_format": ("value_currency", "Not an ISO 4217 code."),
    "notes_length": ("notes", "Too long."),
    "sources_array": ("sources", "Too many sources."),
}


def problem(
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    title: str | None = None,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> flask.Response:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": flask.request.path if flask.has_request_context() else None,
    }
    if errors is not None:
        body["errors"] = errors
    rid = request_id()
    if rid:
        body["request_id"] = rid  # the same id is in X-Request-ID and in the logs
    response = flask.current_app.response_class(
        flask.json.dumps(body), status=status, mimetype=PROBLEM_JSON
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages: Any) -> dict[str, Any]:
    """webargs nests errors under their location ('json', 'query'); clients want fields."""
    if not isinstance(messages, dict):
        return {"body": messages if isinstance(messages, list) else [str(messages)]}
    flat: dict[str, Any] = {}
    for key, value in messages.items():
        if key in {"json", "query", "path", "headers", "form"} and isinstance(value, dict):
            flat.update(_flatten(value))
        elif key == "_schema":
            flat.setdefault("body", []).extend(value if isinstance(value, list) else [value])
        else:
            flat[str(key)] = value
    return flat


def validation_problem(
    errors: dict[str, Any], *, status: int = 422, what: str | None = None
) -> flask.Response:
    """422 (or 400 for query parameters) naming every failing field at once."""
    names = ", ".join(sorted(errors))
    what = what or ("query parameters" if status == 400 else "fields")
    return problem(
        status,
        f"Invalid {what}: {names}.",
        type_=VALIDATION,
        title="Validation failed",
        errors=errors,
    )


def http_problem(error: HTTPException) -> flask.Response:
    """Render a werkzeug/webargs HTTPException, including webargs' 422 validation errors."""
    if error.response is not None:  # a response made for it already (rate limits)
        return error.response  # type: ignore[return-value]
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    messages = data.get("messages") or data.get("errors")
    if messages is not None:
        if status == 400 and "json" in messages:
            return problem(400, "The request body is not valid JSON.", headers=headers)
        # Query-string mistakes are malformed requests (400); body mistakes are 422.
        status = 400 if isinstance(messages, dict) and "query" in messages else status
        response = validation_problem(_flatten(messages), status=status)
        response.headers.update(headers)
        return response
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    return problem(status, str(detail), headers=headers)


def _integrity_problem(error: IntegrityError) -> flask.Response:
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None) or ""
    if constraint.startswith("uq_procurement_external_id"):
        return problem(
            409,
            "Another record already has this external_id.",
            type_=PROBLEM_BASE + "conflict",
            title="Conflict",
            errors={"external_id": ["Already used by another record."]},
        )
    name = re.sub(r"^ck_procurement_", "", constraint)
    field, message = _CONSTRAINT_FIELDS.get(name, ("body", "Breaks a rule of the record."))
    log.warning("integrity error passed validation: %s", constraint or error.orig)
    return validation_problem({field: [message]})


def register(app: flask.Flask) -> None:
    """Install handlers so that every error leaves as problem+json."""

    @app.errorhandler(ma.ValidationError)
    def _validation(error: ma.ValidationError) -> flask.Response:
        messages = error.messages if isinstance(error.messages, dict) else {"body": error.messages}
        return validation_problem(_flatten(messages))

    @app.errorhandler(NotFound)
    def _not_found(error: NotFound) -> flask.Response:
        return problem(404, str(error))

    @app.errorhandler(Gone)
    def _gone(error: Gone) -> flask.Response:
        return problem(410, str(error))

    @app.errorhandler(ReasonRequired)
    def _reason_required(error: ReasonRequired) -> flask.Response:
        return validation_problem({error.field: [str(error)]})

    @app.errorhandler(InvalidQuery)
    def _invalid_query(error: InvalidQuery) -> flask.Response:
        what = "headers" if isinstance(error, InvalidHeader) else None
        return validation_problem({error.parameter: [str(error)]}, status=400, what=what)

    @app.errorhandler(Conflict)
    def _conflict(error: Conflict) -> flask.Response:
        errors = {error.field: [str(error)]} if error.field else None
        return problem(409, str(error), type_=PROBLEM_BASE + "conflict", errors=errors)

    @app.errorhandler(Unauthenticated)
    def _unauthenticated(error: Unauthenticated) -> flask.Response:
        challenge = f'Bearer realm="{REALM}"'
        if error.invalid:
            challenge += ', error="invalid_token"'  # RFC 6750 section 3.1
        return problem(
            401,
            str(error),
            type_=PROBLEM_BASE + "unauthenticated",
            headers={"WWW-Authenticate": challenge, "Cache-Control": "no-store"},
        )

    @app.errorhandler(Forbidden)
    def _forbidden(error: Forbidden) -> flask.Response:
        return problem(403, str(error), type_=PROBLEM_BASE + "forbidden")

    @app.errorhandler(KeyInFlight)
    def _key_in_flight(error: KeyInFlight) -> flask.Response:
        return problem(
            409,
            str(error),
            type_=PROBLEM_BASE + "idempotency-in-flight",
            headers={"Retry-After": "1"},
        )

    @app.errorhandler(KeyReused)
    def _key_reused(error: KeyReused) -> flask.Response:
        return validation_problem({"Idempotency-Key": [str(error)]})

    @app.errorhandler(PreconditionFailed)
    def _precondition_failed(error: PreconditionFailed) -> flask.Response:
        return problem(412, str(error), type_=PROBLEM_BASE + "precondition-failed")

    @app.errorhandler(PreconditionRequired)
    def _precondition_required(error: PreconditionRequired) -> flask.Response:
        return problem(428, str(error), type_=PROBLEM_BASE + "precondition-required")

    @app.errorhandler(StaleDataError)
    def _stale(error: StaleDataError) -> flask.Response:
        # Another request changed or deleted the record between our read and our
        # write (the UPDATE ... WHERE version = the one read matched no row).
        return problem(
            412,
            "The record was changed by another request; read it again and retry.",
            type_=PROBLEM_BASE + "precondition-failed",
        )

    @app.errorhandler(IntegrityError)
    def _integrity(error: IntegrityError) -> flask.Response:
        return _integrity_problem(error)

    @app.errorhandler(OperationalError)
    def _database_down(error: OperationalError) -> flask.Response:
        if is_retryable(error):
            log.warning("transaction gave up after its retries: %s", error.orig)
            return problem(
                503,
                "Concurrent changes kept this request from completing; retry shortly.",
                headers={"Retry-After": "1"},
            )
        log.error("database unavailable: %s", error.orig)
        return problem(
            503,
            "The database is unavailable; try again shortly.",
            headers={"Retry-After": "5"},
        )

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> flask.Response:
        log.exception("database error", exc_info=error)
        return problem(500, "The server could not complete the request.")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> flask.Response:
        if isinstance(error, HTTPException):
            return http_problem(error)
        log.exception("unhandled error", exc_info=error)
        return problem(500, "The server could not complete the request.")
