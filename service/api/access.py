"""Who may call what: API keys in `Authorization: Bearer`, a scope on every route.

Every view declares the scope it needs with `@requires(...)`:

- `public`: no key needed (probes, docs, the explorer's files);
- `read`: no key needed while READ_ACCESS=public (the default), a key with `read`
  when READ_ACCESS=key;
- `write`: creating, changing, deleting and importing records;
- `admin`: managing keys.

Deny by default: a route that declares nothing needs `admin` (and a guard test
walks the URL map and fails on any such route). Keys are accepted only in the
Authorization header: a key-like query parameter is refused (401) so that it
stops being sent in URLs, which end up in logs and browser histories. A key sent
with a read is checked even while reads are public (a wrong credential is
reported, not ignored); public routes ignore keys, so probes never touch the
database.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import flask
from flask_smorest import Blueprint

from ..db import read_with_retry
from ..exceptions import Forbidden, InvalidHeader, Unauthenticated
from ..services import keys

log = logging.getLogger(__name__)

PUBLIC, READ, WRITE, ADMIN = "public", "read", "write", "admin"
SCOPES = (PUBLIC, READ, WRITE, ADMIN)
REASON = re.compile(r"[\x20-\x7e]{1,500}")
URL_KEY_PARAMETERS = ("api_key", "apikey", "access_token", "token")

# Routes registered by libraries, which cannot carry the decorator.
LIBRARY_ROUTES = {
    "static": PUBLIC,
    "api-docs.openapi_json": PUBLIC,
    "api-docs.openapi_swagger_ui": PUBLIC,
    "explorer.static": PUBLIC,
}

View = TypeVar("View", bound=Callable[..., Any])


def requires(scope: str) -> Callable[[View], View]:
    """Declare the scope a view (function or MethodView method) needs."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def mark(view: View) -> View:
        documented: Any = Blueprint.doc(**_openapi(scope))(view)
        documented.required_scope = scope
        return documented  # type: ignore[no-any-return]

    return mark


BEARER = "bearerAuth"
CHANGE_REASON = {
    "in": "header",
    "name": "X-Change-Reason",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "^[ -~]+$"},
    "description": "Why the change is made (printable ASCII; a `reason` body member takes "
    "any text): kept in the history of every record it changes. Moving a deal's status "
    "back along its lifecycle needs one.",
}
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API key (`ptk_...`) from `python -m service keys create` or "
    "POST /api/v1/keys, sent as `Authorization: Bearer <key>`. Scopes nest: admin > write "
    "> read; each operation names the one it needs in x-required-scope.",
}


def _openapi(scope: str) -> dict[str, Any]:
    """What an operation needing `scope` documents: security, scope, 401 and 403."""
    if scope == PUBLIC:
        return {"security": [], "x-required-scope": PUBLIC}
    doc: dict[str, Any] = {
        "x-required-scope": scope,
        # 429: past a rate limit (Retry-After); 503: the database is unavailable or
        # concurrent changes kept the request from completing (Retry-After).
        "responses": {
            "400": "BAD_REQUEST",
            "401": "UNAUTHORIZED",
            "429": "TOO_MANY_REQUESTS",
            "503": "SERVICE_UNAVAILABLE",
        },
    }
    if scope == READ:
        # Optional while READ_ACCESS=public; a key that is sent must be valid.
        doc["security"] = [{}, {BEARER: []}]
    else:
        doc["security"] = [{BEARER: []}]
        doc["responses"]["403"] = "FORBIDDEN"
        if scope == WRITE:
            doc["parameters"] = [CHANGE_REASON]
    return doc


def declared_scope(app: flask.Flask, endpoint: str, method: str) -> str | None:
    """The scope declared for `method` on `endpoint`, or None when there is none."""
    if endpoint in LIBRARY_ROUTES:
        return LIBRARY_ROUTES[endpoint]
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, "get" if method == "HEAD" else method.lower(), None)
        return getattr(handler, "required_scope", None)
    return getattr(view, "required_scope", None)


@dataclass(frozen=True)
class Caller:
    """The key a request came with."""

    id: uuid.UUID
    name: str
    scopes: frozenset[str]


def caller() -> Caller | None:
    """The key that made this request (None: anonymous)."""
    found: Caller | None = flask.g.get("caller")
    return found


def _bearer(header: str) -> str:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated(
            "Send the key as `Authorization: Bearer <key>`.", invalid=bool(header.strip())
        )
    if token != token.strip() or " " in token:
        raise Unauthenticated("The key in the Authorization header is malformed.", invalid=True)
    return token


def authorize() -> flask.Response | None:
    """before_request: authenticate the key, if any, and check the route's scope."""
    request = flask.request
    if request.method == "OPTIONS" or request.url_rule is None:
        return None  # CORS preflights and unknown URLs (404) need no key
    if any(name in request.args for name in URL_KEY_PARAMETERS):
        raise Unauthenticated(
            "API keys are accepted only in the Authorization header, never in the URL; "
            "revoke a key that was sent in one.",
            invalid=True,
        )
    reason = request.headers.get("X-Change-Reason")
    if reason is not None:
        if not REASON.fullmatch(reason):
            raise InvalidHeader(
                "X-Change-Reason",
                "1 to 500 printable ASCII characters (for other text, "
                "send a `reason` member in the body).",
            )
        flask.g.change_reason = reason
    endpoint = request.endpoint or ""
    needed = declared_scope(flask.current_app, endpoint, request.method)
    if needed is None:
        log.error("route %s %s declares no scope: admin required", request.method, endpoint)
        needed = ADMIN
    flask.g.required_scope = needed  # the rate limits classify the request by it
    if needed == PUBLIC:
        return None  # probes, docs and static files never look at keys (nor the database)
    header = request.headers.get("Authorization")
    if header is None:
        if needed == READ and flask.current_app.extensions["settings"].read_access == "public":
            return None
        raise Unauthenticated(f"This request needs an API key with the {needed!r} scope.")
    failures = flask.current_app.extensions.get("auth_failures")
    if failures is not None and (refused := failures.check()) is not None:
        return refused  # type: ignore[no-any-return]
    # Its own short read, run again once if the pooled connection was found dead.
    secret = _bearer(header)
    key = read_with_retry(lambda session: keys.authenticate(session, secret))
    if key is None or key.revoked_at is not None:
        if failures is not None:
            failures.record()
        if key is None:
            raise Unauthenticated("The API key is not valid.", invalid=True)
        raise Unauthenticated("The API key was revoked.", invalid=True)
    flask.g.caller = Caller(key.id, key.name, frozenset(keys.granted(key.scopes)))
    if needed not in flask.g.caller.scopes:
        raise Forbidden(f"The key {key.name!r} lacks the {needed!r} scope this request needs.")
    return None


def init_app(app: flask.Flask) -> None:
    app.before_request(authorize)
