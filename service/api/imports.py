"""/api/v1/imports: load a deal list (SIPRI trade register, CSV, NDJSON) in one request."""

from __future__ import annotations

from typing import Any

import flask
from flask.views import MethodView

from .. import bulk
from ..db import request_session, rollback_only
from ..errors import problem
from ..importing import ImportFileError, read_rows
from ..schemas import ImportQuerySchema, ImportResultSchema
from .access import WRITE, requires
from .blueprint import Blueprint
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import idempotent

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1/imports",
    description="Bulk import of deal lists, with a per-row report.",
)

MAX_LISTED = 1000
_FILE_TYPES = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
    },
}


@blp.before_request
def allow_large_files() -> None:
    """Files may be larger than other bodies (IMPORT_MAX_BYTES, 413 past it)."""
    flask.request.max_content_length = flask.current_app.extensions["settings"].import_max_bytes


@blp.route("")
class Imports(MethodView):
    @requires(WRITE)
    @idempotent
    @blp.arguments(ImportQuerySchema(), location="query", error_status_code=400)
    @blp.response(200, ImportResultSchema)
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @blp.doc(requestBody={"required": True, "content": _FILE_TYPES}, parameters=[IDEMPOTENCY_KEY])
    @blp.alt_response(409, response="CONFLICT")
    def post(self, args: dict[str, Any]) -> Any:
        """Import a file: the body itself, or the `file` part of a multipart form."""
        request = flask.request
        if request.mimetype == "multipart/form-data":
            upload = request.files.get("file")
            if upload is None:
                return problem(400, "Send the file as the `file` part of the form.")
            stream, name = upload.stream, upload.filename or "upload"
        else:
            stream, name = request.stream, "upload"
        fmt = None if args["format"] == "auto" else args["format"]
        try:
            chosen, rows = read_rows(stream, fmt, name)
            report = bulk.run(request_session(), rows, bulk.Report(format=chosen))
        except ImportFileError as error:
            return problem(400, str(error))
        listed = [
            {"line": r["line"], "raw": r["raw"][:2000], "errors": r["errors"]}
            for r in report.rejected[:MAX_LISTED]
        ]
        if args["atomic"] and report.rejected_count:
            rollback_only()
            return problem(
                422,
                f"{report.rejected_count} rows rejected; nothing was written (atomic import).",
                type_="urn:procurement-tracker:problem:import-rejected",
                errors={f"line {r['line']}": _messages(r["errors"]) for r in listed},
            )
        committed = not args["dry_run"]
        if not committed:
            rollback_only()
        return {
            "format": chosen,
            "committed": committed,
            **report.summary(),
            "rejected_rows": listed,
        }


def _messages(errors: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for field, messages in errors.items():
        items = messages if isinstance(messages, list) else [messages]
        out.extend(f"{field}: {m}" for m in items)
    return out
