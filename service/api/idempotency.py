"""The Idempotency-Key header on POSTs (services/idempotency.py has the rules)."""

from __future__ import annotations

import functools
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import flask

from ..db import request_session
from ..errors import validation_problem
from ..services import idempotency
from .access import caller

_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the draft RFC suggests
KEPT_HEADERS = ("Location", "ETag")
SPOOL_IN_MEMORY = 8 * 1024 * 1024

PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "A unique key of this request (a UUID, say). Sending it again with the "
    "same body replays the first response (Idempotent-Replayed: true) and writes nothing; "
    "with another body: 422; while the first is still running: 409 with Retry-After. "
    "Kept 24 hours, per API key and route.",
}


def _body_digest(request: flask.Request) -> str:
    """The request's fingerprint. A JSON body is read (it is small and parsed next
    anyway); a multipart upload is fingerprinted by its file (werkzeug spools it to
    disk); a raw file body is spooled to a temporary file as it is hashed (memory
    stays flat) and the view reads the spooled copy."""
    head = f"{request.method} {request.full_path}\n".encode()
    if request.is_json:
        return idempotency.request_hash([head, request.get_data(cache=True)])
    if request.mimetype == "multipart/form-data":
        # The file, not the form: a client's retry uses a new random boundary.
        upload = request.files.get("file")
        if upload is None:
            return idempotency.request_hash([head])
        digest = idempotency.request_hash([head, *iter(lambda: upload.stream.read(65536), b"")])
        upload.stream.seek(0)
        return digest
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    flask.g.idempotency_spool = spool  # closed at teardown

    def chunks() -> Iterator[bytes]:
        yield head
        while chunk := request.stream.read(65536):
            spool.write(chunk)
            yield chunk

    digest = idempotency.request_hash(chunks())
    spool.seek(0)
    request.__dict__["stream"] = spool  # werkzeug's cached stream: the view reads this
    return digest


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make a POST view honour Idempotency-Key (outermost decorator of the view).

    Keys belong to the API key that sent them and to the route: two clients, or
    two routes, never see each other's keys."""

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
        holder = caller()
        rule = request.url_rule.rule if request.url_rule else request.path
        route = f"{holder.id if holder else 'anonymous'} {request.method} {rule}"
        digest = flask.g.get("idempotency_digest") or _body_digest(request)
        flask.g.idempotency_digest = digest  # a retried transaction does not re-read
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
                session, route, key, digest, response.status_code, response.get_data(True), kept
            )
        return response

    return wrapper


def init_app(app: flask.Flask) -> None:
    @app.teardown_request
    def _close_spool(_exc: BaseException | None) -> None:
        spool = flask.g.pop("idempotency_spool", None)
        if spool is not None:
            spool.close()
