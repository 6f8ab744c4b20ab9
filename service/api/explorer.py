"""The explorer page at `/`: a page for people over the public API (README, "Explorer").

Static files only (HTML, CSS and JavaScript in service/explorer/): the page calls the
same endpoints any client would, and loads nothing from the internet.
"""

from __future__ import annotations

from pathlib import Path

import flask

from .access import PUBLIC, requires

FILES = Path(__file__).resolve().parent.parent / "explorer"

bp = flask.Blueprint("explorer", __name__, static_folder=str(FILES), static_url_path="/explorer")


@bp.get("/")
@requires(PUBLIC)
def index() -> flask.Response:
    """The explorer page."""
    response = flask.send_from_directory(FILES, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
