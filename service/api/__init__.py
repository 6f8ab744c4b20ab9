"""HTTP layer: flask-smorest blueprints; views parse, call services, serialise."""

from __future__ import annotations

import http
from typing import Any

import flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from ..errors import PROBLEM_JSON, http_problem
from ..schemas import ProblemSchema

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
RESPONSE_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": 'Bearer realm="procurement-tracker" (error="invalid_token" for a '
            "wrong key).",
            "schema": {"type": "string"},
        }
    },
    409: {
        "Retry-After": {
            "description": "With a request of the same Idempotency-Key still running.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    429: {
        **_RETRY_AFTER,
        "X-RateLimit-Limit": {"schema": {"type": "integer"}},
        "X-RateLimit-Remaining": {"schema": {"type": "integer"}},
        "X-RateLimit-Reset": {"schema": {"type": "integer"}},
    },
    503: _RETRY_AFTER,
}
"""Headers of the error responses (every operation refers to these components)."""


class ProblemApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, with every error documented and sent as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> flask.Response:
        return http_problem(error)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            if status in RESPONSE_HEADERS:
                response["headers"] = RESPONSE_HEADERS[status]
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def init_app(app: flask.Flask) -> ProblemApi:
    """Create the Api and register every blueprint."""
    from . import (
        access,
        articles,
        changes,
        docs,
        explorer,
        health,
        idempotency,
        imports,
        keys,
        procurements,
        ratelimit,
        stats,
    )

    access.init_app(app)
    ratelimit.init_app(app, app.extensions["settings"])
    idempotency.init_app(app)
    api = ProblemApi(app)
    api.spec.components.security_scheme(access.BEARER, access.SECURITY_SCHEME)
    api.register_blueprint(procurements.blp)
    api.register_blueprint(procurements.batch_blp)
    api.register_blueprint(articles.blp)
    api.register_blueprint(imports.blp)
    api.register_blueprint(stats.blp)
    api.register_blueprint(keys.blp)
    api.register_blueprint(changes.blp)
    api.register_blueprint(health.blp)
    api.register_blueprint(health.blp_v1)
    api.register_blueprint(health.metrics_blp)
    docs.init_app(app)
    app.register_blueprint(explorer.bp)
    return api
