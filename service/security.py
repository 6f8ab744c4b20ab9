"""Hardened responses: security headers on every route, CORS only for the origins
configured (CORS_ORIGINS), nothing for anyone else.

Content-Security-Policy: the explorer may load only its own files and call only
this server; the docs page (Swagger UI, which starts itself with an inline script)
gets the same plus inline scripts and styles; every other response — JSON, CSV —
may load nothing at all.
"""

from __future__ import annotations

import flask
from flask_cors import CORS

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-site",
}
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = PAGE_POLICY + "; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"

EXPOSED = [
    "ETag",
    "Idempotent-Replayed",
    "Location",
    "Retry-After",
    "X-Request-ID",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-Total-Count",
]
ALLOWED = [
    "Authorization",
    "Content-Type",
    "X-Change-Reason",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Request-ID",
]


def _policy(path: str) -> str:
    if path == "/" or path.startswith("/explorer/"):
        return PAGE_POLICY
    if path == "/docs" or path.startswith("/docs/"):
        return DOCS_POLICY
    return API_POLICY


def init_app(app: flask.Flask, cors_origins: tuple[str, ...]) -> None:
    """Add the headers to every response; allow cross-origin calls from
    `cors_origins` only (exact origins such as https://dashboards.example.org)."""
    if cors_origins:
        CORS(
            app,
            resources={r"/api/*": {"origins": list(cors_origins)}},
            expose_headers=EXPOSED,
            allow_headers=ALLOWED,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            max_age=600,
        )

    @app.before_request
    def _no_compressed_bodies() -> flask.Response | None:
        # A compressed body would be read as garbage, or inflate past the size
        # limits after they were checked: refused.
        encoding = flask.request.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in {"", "identity"}:
            from .errors import problem

            return problem(
                415, f"Content-Encoding {encoding} is not accepted; send the body as is."
            )
        return None

    common = list(COMMON.items())
    names = {name.lower() for name in COMMON} | {"content-security-policy"}

    @app.after_request
    def _headers(response: flask.Response) -> flask.Response:
        headers = response.headers
        if any(name.lower() in names for name, _ in headers.items()):
            for name, value in common:  # a view set one of them: keep its value
                headers.setdefault(name, value)
            headers.setdefault("Content-Security-Policy", _policy(flask.request.path))
        else:  # the usual case: one pass instead of a search per header
            headers.extend(common)
            headers.add("Content-Security-Policy", _policy(flask.request.path))
        return response
