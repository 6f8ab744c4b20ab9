"""Liveness and readiness probes, at /health/* and /api/v1/health/*."""

from __future__ import annotations

from typing import Any

from .. import metrics
from ..db import request_session
from ..schemas import HealthSchema
from ..services import health
from .access import PUBLIC, READ, requires
from .blueprint import Blueprint


def _blueprint(name: str, prefix: str) -> Blueprint:
    blp = Blueprint(name, __name__, url_prefix=prefix, description="Probes for orchestrators.")

    @blp.route("/live")
    @requires(PUBLIC)
    @blp.response(200, HealthSchema)
    def live() -> dict[str, Any]:
        """The process is up."""
        return {"status": "ok", "checks": {}}

    @blp.route("/ready")
    @requires(PUBLIC)
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="Not ready")
    def ready() -> tuple[dict[str, Any], int]:
        """The database is reachable and migrated."""
        ok, checks = health.readiness(request_session())
        return {"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503

    return blp


blp = _blueprint("health", "/health")
blp_v1 = _blueprint("health_v1", "/api/v1/health")


metrics_blp = Blueprint(
    "metrics", __name__, url_prefix="/metrics", description="Prometheus metrics."
)


@metrics_blp.route("")
@metrics_blp.doc(
    responses={
        "200": {
            "description": "Prometheus text format: requests by route and status, latency "
            "histogram, database pool use; summed over all workers.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    }
)
@requires(READ)
def metrics_view() -> Any:
    """Prometheus metrics of every worker."""
    return metrics.render()
