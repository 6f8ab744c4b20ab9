"""/api/v1/imports: load a deal list (SIPRI trade register, CSV, NDJSON) in one request."""

from __future__ import annotations

import uuid
from typing import Any

import flask
import marshmallow as ma
from flask.views import MethodView

from .. import bulk
from ..db import request_session, rollback_only
from ..errors import problem
from ..importing import ImportFileError, read_rows
from ..schemas import (
    ImportListQuerySchema,
    ImportQuerySchema,
    ImportResultSchema,
    ImportRunSchema,
)
from ..services import imports
from .access import READ, WRITE, caller, requires
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
            session = request_session()
            report = bulk.run(session, rows, bulk.Report(format=chosen))
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
        holder = caller()
        run = None
        if committed:
            run = imports.record(
                session,
                actor=holder.name if holder else None,
                source=name,
                fmt=chosen,
                counts=report.summary(),
            )
        else:
            rollback_only()
        return {
            "id": run.id if run else None,
            "imported_by": holder.name if holder else None,
            "format": chosen,
            "committed": committed,
            **report.summary(),
            "rejected_rows": listed,
        }

    @requires(READ)
    @blp.arguments(
        ImportListQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE
    )
    @blp.response(200, ImportRunSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """The latest committed imports: what each did and which key ran it."""
        return imports.list_(request_session(), args["limit"])


@blp.route("/<uuid:import_id>")
class Import(MethodView):
    @requires(READ)
    @blp.response(200, ImportRunSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, import_id: uuid.UUID) -> Any:
        """One committed import."""
        return imports.get(request_session(), import_id)


def _messages(errors: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for field, messages in errors.items():
        items = messages if isinstance(messages, list) else [messages]
        out.extend(f"{field}: {m}" for m in items)
    return out
