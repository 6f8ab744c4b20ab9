"""The application factory: settings -> database -> API -> error handlers."""

from __future__ import annotations

import flask

from . import __version__, db, errors, metrics, observability, security
from .api import docs
from .api import init_app as init_api
from .config import Settings


def create_app(settings: Settings | None = None) -> flask.Flask:
    """Build the Flask app. Nothing connects to the database until a request needs it."""
    settings = settings or Settings.from_env()
    observability.configure_logging(settings.log_level, settings.log_format)
    app = db.TransactionalFlask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        TRUSTED_HOSTS=list(settings.trusted_hosts) or None,
        API_TITLE="Procurement Tracker API",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="api/v1/openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=docs.ASSETS_URL,
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Defence procurement deals (who buys which weapon system from whom, "
                    "how many, at what stage, on what evidence). Errors are RFC 9457 "
                    "application/problem+json."
                ),
                "license": {"name": "Apache-2.0"},
            },
        },
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["settings"] = settings
    observability.init_app(app)
    database = db.Database(settings)
    db.init_app(app, database)
    metrics.init_app(app, database.connections_in_use)
    security.init_app(app, settings.cors_origins)
    init_api(app)
    errors.register(app)
    return app
