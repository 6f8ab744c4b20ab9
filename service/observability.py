"""Request ids and JSON logs.

Every request gets an id: the client's `X-Request-ID` when it is a sane token
(1-128 characters of letters, digits, `.`, `_`, `-`), else a new random one. It is
returned in `X-Request-ID`, written in every problem body (`request_id`) and in
every log line of the request, so one failing call can be found in the logs.

Logs are one JSON object per line by default (`LOG_FORMAT=json`: time, level,
logger, message, request_id, and the exception when there is one), or classic
text (`LOG_FORMAT=text`).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

import flask
import orjson
from gunicorn import glogging

_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,128}")
HEADER = "X-Request-ID"


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    if not flask.has_request_context():
        return None
    rid: str | None = flask.g.get("request_id")
    return rid


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id()
        if rid:
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, fmt: str) -> None:
    """Root logging: JSON lines (or text) on stderr at `level`."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_procurement", False):
            root.removeHandler(existing)
    handler._procurement = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic logs its context for every readiness probe and command at INFO.
    logging.getLogger("alembic.runtime").setLevel(logging.WARNING)


ACCESS_LOG_FORMAT = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)
"""gunicorn's access log as JSON lines (the request id is the response header's);
AccessLogger writes these lines itself, with the same fields."""

_SECRET_PARAMETER = re.compile(r"(?i)\b((?:api_?key|access_token|token)=)[^&\s]*")


def redact(text: str) -> str:
    """`text` with the values of key-like query parameters replaced: a key sent in a
    URL is refused (401), and must not be kept in the logs either."""
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


class AccessLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's logger, with secrets taken out of the request line and query.

    In JSON mode the line is built directly from the few fields it holds (a third of
    the CPU a cheap request costs went to gunicorn's generic atoms); the text format
    stays gunicorn's own."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        if self.cfg.access_log_format != ACCESS_LOG_FORMAT:
            super().access(resp, req, environ, request_time)
            return
        status = str(resp.status or "").split(None, 1)[0]
        rid = next((v for k, v in resp.headers if k.lower() == "x-request-id"), None)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD", "-"),
            "path": environ.get("PATH_INFO", ""),
            "query": redact(environ.get("QUERY_STRING", "")),
            "status": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", 0),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": rid,
        }
        try:
            self.access_log.info(orjson.dumps(entry).decode())
        except Exception:
            self.error(traceback.format_exc())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        found: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for name in ("q", "r"):
            if isinstance(found.get(name), str):
                found[name] = redact(found[name])
        return found


def init_app(app: flask.Flask) -> None:
    """Give every request an id and return it."""

    @app.before_request
    def _assign() -> None:
        asked = flask.request.headers.get(HEADER, "")
        flask.g.request_id = asked if _TOKEN.fullmatch(asked) else uuid.uuid4().hex

    @app.after_request
    def _return(response: flask.Response) -> flask.Response:
        rid = request_id()
        if rid:
            response.headers[HEADER] = rid
        return response
