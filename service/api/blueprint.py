"""flask-smorest's Blueprint, parsing JSON bodies with the app's strict JSON reader."""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class StrictParser(FlaskParser):
    """webargs' Flask parser reading bodies through `request.get_json()`: the app's
    strict JSON provider (service/jsonio.py), parsed once and cached."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        return req.get_json()


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = StrictParser()
