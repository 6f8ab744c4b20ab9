"""The Idempotency-Key header on POSTs (services/idempotency.py has the rules)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

import flask

from ..db import request_session
from ..errors import validation_problem
from ..services import idempotency

_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the draft RFC suggests
KEPT_HEADERS = ("Location", "ETag")

PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "A unique key of this request (a UUID, say). Sending it again with the "
    "same body replays the first response (Idempotent-Replayed: true) and writes nothing; "
    "with another body: 422; while the first is still running: 409 with Retry-After. "
    "Kept 24 hours.",
}


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make a POST view honour Idempotency-Key (outermost decorator of the view)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = flask.request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        if not _KEY.fullmatch(key):
            return validation_problem(
                {"Idempotency-Key": ["1 to 255 visible ASCII characters."]},
                status=400,
                what="headers",
            )
        request = flask.request
        route = f"{request.method} {request.url_rule.rule if request.url_rule else request.path}"
        digest = idempotency.request_hash(
            request.method, request.full_path, request.get_data(cache=True)
        )
        session = request_session()
        stored = idempotency.claim(session, route, key, digest)
        if stored is not None:
            return flask.Response(
                json.dumps(stored.body),
                status=stored.status,
                mimetype="application/json",
                headers={**stored.headers, "Idempotent-Replayed": "true"},
            )
        response = flask.make_response(view(*args, **kwargs))
        if response.status_code < 400 and response.is_json:
            kept = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
            idempotency.record(
                session,
                route,
                key,
                digest,
                idempotency.Stored(response.status_code, response.get_json(), kept),
            )
        return response

    return wrapper
