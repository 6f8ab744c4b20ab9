"""Rate limits (flask-limiter): reads per client address, writes and imports per API
key, wrong keys per client address. Every rejection is 429 problem+json with
Retry-After; responses carry X-RateLimit-Limit, -Remaining and -Reset.

Counters live in Redis when REDIS_URL is set, shared by every gunicorn worker and
replica; without it each process counts on its own, so a limit holds per worker
(N workers accept up to N times the limit). If Redis stops answering, requests go
on under per-process counters (fail open, logged) rather than failing.

The client address is the peer's, unless TRUSTED_PROXIES says how many proxies in
front may be believed about X-Forwarded-For: a spoofed header changes nothing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import flask
from flask_limiter import Limit, Limiter, RequestLimit
from limits import parse
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import Settings
from ..errors import problem
from .access import PUBLIC, READ, caller

log = logging.getLogger(__name__)

IMPORT_ENDPOINTS = {"imports.Imports"}


def _category() -> str | None:
    """read, write, import, or None (not limited: probes, docs, preflights, 404s).
    The scope is the one access.authorize found for the request (it runs first)."""
    scope = flask.g.get("required_scope")
    if scope is None or scope == PUBLIC:
        return None
    if flask.request.endpoint in IMPORT_ENDPOINTS and flask.request.method == "POST":
        return "import"
    return "read" if scope == READ else "write"


def client_address() -> str:
    return flask.request.remote_addr or "unknown"


def _key_or_address() -> str:
    found = caller()
    return f"key:{found.id}" if found else f"address:{client_address()}"


def _retry_after(reset_at: float) -> str:
    return str(max(1, int(reset_at - time.time()) + 1))


def _rejected(limit: RequestLimit) -> flask.Response:
    return problem(
        429,
        f"Too many requests: the limit is {limit.limit}. Retry after the time in Retry-After.",
        type_="urn:procurement-tracker:problem:rate-limited",
        headers={"Retry-After": _retry_after(limit.reset_at)},
    )


class AuthFailures:
    """Counts requests with a wrong key per client address (brute-force guard)."""

    def __init__(self, limiter: Limiter, limit: str) -> None:
        self.limiter = limiter
        self.item = parse(limit)

    def _strategy(self) -> Any:
        return self.limiter.limiter

    def check(self) -> flask.Response | None:
        """429 when this address has used up its wrong-key allowance."""
        address = client_address()
        try:
            if self._strategy().test(self.item, "auth-failures", address):
                return None
            reset, _remaining = self._strategy().get_window_stats(
                self.item, "auth-failures", address
            )
        except Exception:  # storage down: fail open, as the limiter does
            log.warning("rate-limit storage unavailable", exc_info=True)
            return None
        return problem(
            429,
            "Too many requests with a wrong API key from this address.",
            type_="urn:procurement-tracker:problem:rate-limited",
            headers={"Retry-After": _retry_after(reset)},
        )

    def record(self) -> None:
        try:
            self._strategy().hit(self.item, "auth-failures", client_address())
        except Exception:
            log.warning("rate-limit storage unavailable", exc_info=True)


def init_app(app: flask.Flask, settings: Settings) -> None:
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    if not settings.rate_limits:
        return

    def per(limit: str, key_function: Any, category: str) -> Limit:
        # One shared budget per category, applied only to requests of that category.
        return Limit(
            limit,
            key_function=key_function,
            scope=category,
            shared=True,
            exempt_when=lambda: _category() != category,
        )

    limiter = Limiter(
        client_address,
        app=app,
        default_limits=[
            per(settings.rate_limit_reads, client_address, "read"),
            per(settings.rate_limit_writes, _key_or_address, "write"),
            per(settings.rate_limit_imports, _key_or_address, "import"),
        ],
        storage_uri=settings.redis_url or "memory://",
        strategy="moving-window",
        headers_enabled=True,
        swallow_errors=True,
        in_memory_fallback_enabled=bool(settings.redis_url),
        on_breach=_rejected,
        key_prefix="procurement-tracker",
    )
    app.extensions["auth_failures"] = AuthFailures(limiter, settings.rate_limit_auth_failures)
