"""flask-smorest's Blueprint, parsing JSON bodies with the app's strict JSON reader."""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from ..schemas import FilterQuerySchema


class StrictParser(FlaskParser):
    """webargs' Flask parser reading bodies through `request.get_json()`: the app's
    strict JSON provider (service/jsonio.py), parsed once and cached."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        return req.get_json()

    def load_querystring(self, req: flask.Request, schema: ma.Schema) -> Any:
        # The filter schemas read repeated parameters themselves (getlist, in their
        # pre_load): webargs' proxy, which visits every declared field on each
        # request to learn which are lists, is not needed for them.
        if isinstance(schema, FilterQuerySchema):
            return req.args
        return super().load_querystring(req, schema)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = StrictParser()
