"""Interactive API docs at /docs, served with Swagger UI assets from a package (no CDN)."""

from __future__ import annotations

import flask
from swagger_ui_bundle import swagger_ui_path

from .access import PUBLIC, requires

ASSETS_URL = "/docs/assets/"


def init_app(app: flask.Flask) -> None:
    """Serve Swagger UI's files under /docs/assets/."""

    @requires(PUBLIC)
    def swagger_assets(filename: str) -> flask.Response:
        return flask.send_from_directory(swagger_ui_path, filename, max_age=86400)

    app.add_url_rule(ASSETS_URL + "<path:filename>", "swagger_assets", swagger_assets)
