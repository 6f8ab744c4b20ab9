"""Liveness and readiness probes, at /health/* and /api/v1/health/*."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from ..db import request_session
from ..schemas import HealthSchema
from ..services import health


def _blueprint(name: str, prefix: str) -> Blueprint:
    blp = Blueprint(name, __name__, url_prefix=prefix, description="Probes for orchestrators.")

    @blp.route("/live")
    @blp.response(200, HealthSchema)
    def live() -> dict[str, Any]:
        """The process is up."""
        return {"status": "ok", "checks": {}}

    @blp.route("/ready")
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="Not ready")
    def ready() -> tuple[dict[str, Any], int]:
        """The database is reachable and migrated."""
        ok, checks = health.readiness(request_session())
        return {"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503

    return blp


blp = _blueprint("health", "/health")
blp_v1 = _blueprint("health_v1", "/api/v1/health")
