"""/api/v1/procurements: create, read, list, replace, merge-patch, delete."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode

import flask
import marshmallow as ma
from flask.views import MethodView
from werkzeug.exceptions import BadRequest

from .. import audit, exports
from ..db import get_db, request_session
from ..errors import problem, validation_problem
from ..exceptions import NotFound, PreconditionFailed, ReasonRequired
from ..schemas import (
    AsOfQuerySchema,
    BatchResultSchema,
    HistorySchema,
    ProcurementPageSchema,
    ProcurementPatchSchema,
    ProcurementQuerySchema,
    ProcurementSchema,
    ProcurementWriteSchema,
    RevisionDetailSchema,
    encode_cursor,
    record_dumper,
    table_row_dumper,
)
from ..services import history, procurements
from ..services import query as record_query
from .access import READ, WRITE, requires
from .blueprint import Blueprint
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import idempotent
from .revisions import change_body, revision_body

blp = Blueprint(
    "procurements",
    __name__,
    url_prefix="/api/v1/procurements",
    description="Procurement records: one buyer acquires one weapon system from one seller.",
)

MERGE_PATCH = "application/merge-patch+json"
MAX_BATCH = 10_000


@blp.before_request
def require_json_body() -> flask.Response | None:
    """Bodies must be JSON (415 otherwise), before anything tries to parse them."""
    request = flask.request
    if request.method not in {"POST", "PUT", "PATCH"}:
        return None
    if request.endpoint == "batch.Batch":
        request.max_content_length = flask.current_app.extensions["settings"].batch_max_bytes
    if not request.is_json:
        return problem(
            415,
            "Send the body as application/json"
            + (" or application/merge-patch+json." if request.method == "PATCH" else "."),
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in {"utf-8", "utf8"}:
        return problem(415, f"JSON bodies are UTF-8; charset={charset} is not accepted.")
    if not request.get_data(cache=True):  # reading enforces MAX_BODY_BYTES (413)
        return problem(400, "The request body is empty; send a JSON object.")
    try:
        request.get_json()  # parsed once, strictly (service/jsonio.py), and cached
    except BadRequest as error:
        return problem(400, f"The request body is not valid JSON: {_json_error(error)}.")
    return None


def _json_error(error: BaseException) -> str:
    """What the JSON parser said, found along the exception chain Flask re-raises."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ValueError):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return "malformed"


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7396) to `target`; neither argument is modified."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _next_link(next_key: list[str] | None) -> str | None:
    if next_key is None:
        return None
    params = [(k, v) for k, v in flask.request.args.items(multi=True) if k != "cursor"]
    params.append(("cursor", encode_cursor(next_key)))
    return f"{flask.request.path}?{urlencode(params)}"


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ndjson": ("application/x-ndjson", "ndjson"),
    "sipri": ("text/csv; charset=windows-1252", "csv"),  # SIPRI's own encoding
}


def _format(asked: str | None) -> str:
    """format= wins; else the Accept header may ask for CSV or NDJSON; else JSON."""
    if asked:
        return asked
    best = flask.request.accept_mimetypes.best_match(
        ["application/json", "text/csv", "application/x-ndjson"], default="application/json"
    )
    return {"text/csv": "csv", "application/x-ndjson": "ndjson"}.get(best or "", "json")


def _chunks(parts: Iterator[bytes]) -> Iterator[bytes]:
    """Rows joined into chunks of about 64 KiB: one write per row would cost more
    than the row itself."""
    chunk: list[bytes] = []
    size = 0
    for part in parts:
        chunk.append(part)
        size += len(part)
        if size >= 65536:
            yield b"".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield b"".join(chunk)


def _encoded(lines: Iterator[str], encoding: str) -> Iterator[bytes]:
    return (line.encode(encoding, errors="replace") for line in lines)


def _export(query: record_query.RecordQuery, fmt: str, only: list[str] | None) -> flask.Response:
    """The whole filtered, sorted set, streamed (paging parameters do not apply). The
    row count goes out first, in X-Total-Count, from the same snapshot as the rows,
    so a client can tell a cut-off download from a complete one."""
    session = get_db().snapshot_session()
    try:
        total = record_query.count(session, query)
    except BaseException:
        session.close()
        raise
    columns = (None if fmt == "sipri" else only) or list(ProcurementSchema._declared_fields)
    if fmt == "csv":
        body = record_query.copy_csv(session, query, columns)  # PostgreSQL writes the CSV
    else:
        dump = table_row_dumper(columns)
        records = (dump(row) for row in record_query.stream_rows(session, query))
        if fmt == "ndjson":
            body = _encoded(exports.ndjson_lines(records), "utf-8")
        else:
            # SIPRI's files are Windows-1252: characters it lacks become "?", as theirs.
            body = _encoded(exports.sipri_lines(records, date.today()), "cp1252")

    def generate() -> Iterator[bytes]:
        try:
            yield from _chunks(body)
        finally:
            session.close()  # ends the read-only transaction

    mimetype, extension = EXPORTS[fmt]
    response = flask.Response(flask.stream_with_context(generate()), content_type=mimetype)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Content-Disposition"] = f'attachment; filename="procurements.{extension}"'
    return response


_ONE = "#/paths/~1api~1v1~1procurements~1{procurement_id}"
_RECORD_LINKS = {
    # What a client can do next with the record it created (OpenAPI links: tools
    # such as schemathesis follow them, create -> read -> change -> delete).
    "GetProcurement": {
        "operationRef": f"{_ONE}/get",
        "parameters": {"procurement_id": "$response.body#/id"},
    },
    "ReplaceProcurement": {
        "operationRef": f"{_ONE}/put",
        "parameters": {
            "procurement_id": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    },
    "PatchProcurement": {
        "operationRef": f"{_ONE}/patch",
        "parameters": {
            "procurement_id": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    },
    "DeleteProcurement": {
        "operationRef": f"{_ONE}/delete",
        "parameters": {"procurement_id": "$response.body#/id"},
    },
    "GetHistory": {
        "operationRef": f"{_ONE}~1history/get",
        "parameters": {"procurement_id": "$response.body#/id"},
    },
}


@blp.route("")
class Procurements(MethodView):
    @requires(READ)
    @blp.arguments(
        ProcurementQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE
    )
    @blp.response(200, ProcurementPageSchema)
    @blp.doc(
        responses={
            "200": {
                "description": "A page (JSON), or the whole filtered set (CSV, NDJSON, SIPRI).",
                "headers": {
                    "X-Total-Count": {
                        "description": "Matching records: with count=exact, and always on "
                        "exports (sent before the rows: a cut-off download can be detected).",
                        "schema": {"type": "integer"},
                    }
                },
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/ProcurementPage"}
                    },
                    "text/csv": {
                        "schema": {"type": "string"},
                        "example": "id,buyer,...\r\n",
                    },
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            }
        }
    )
    def get(self, args: dict[str, Any]) -> flask.Response:
        """List, filter, search and sort records, one page at a time, or export them all."""
        query = args["query"]
        fmt = _format(args["format"])
        if fmt != "json":
            return _export(query, fmt, args["fields"])
        page = record_query.list_(request_session(), query, total=args["count"])
        only = args["fields"]
        dump = table_row_dumper(only)
        items = [dump(row) for row in page.items]
        body: dict[str, Any] = {"items": items, "next": _next_link(page.next_key)}
        if page.total is not None:
            body["total"] = page.total
        if query.facets:
            body["facets"] = page.facets
        response = flask.jsonify(body)
        if page.total is not None:
            response.headers["X-Total-Count"] = str(page.total)
        return response

    @requires(WRITE)
    @idempotent
    @blp.arguments(ProcurementWriteSchema())
    @blp.response(201, ProcurementSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.doc(parameters=[IDEMPOTENCY_KEY], responses={201: {"links": _RECORD_LINKS}})
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, data: dict[str, Any]) -> flask.Response:
        """Create a record."""
        _reason(data)
        # A plain row back from INSERT ... RETURNING, written out by the fast dumper
        # (no ORM object, no marshmallow dump: see procurements.insert_row).
        row = procurements.insert_row(request_session(), data)
        response = flask.jsonify(_DUMP(row))
        response.status_code = 201
        response.headers["Location"] = flask.url_for(".Procurement", procurement_id=row.id)
        response.headers["ETag"] = procurements.etag(row)
        return response


batch_blp = Blueprint(
    "batch",
    __name__,
    url_prefix="/api/v1",
    description="Many records in one all-or-nothing request.",
)
batch_blp.before_request(require_json_body)


@batch_blp.route("/procurements:batch")
class Batch(MethodView):
    @requires(WRITE)
    @idempotent
    @batch_blp.arguments(ProcurementWriteSchema(many=True))
    @batch_blp.response(200, BatchResultSchema)
    @batch_blp.doc(parameters=[IDEMPOTENCY_KEY])
    @batch_blp.alt_response(409, response="CONFLICT")
    @batch_blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @batch_blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @batch_blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, items: list[dict[str, Any]]) -> Any:
        """Create or update up to 10,000 records by external_id, all or nothing."""
        if len(items) > MAX_BATCH:
            return problem(413, f"{len(items)} records; a batch takes at most {MAX_BATCH}.")
        errors: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if "reason" in item:
                errors[str(index)] = {"reason": ["Give a batch's reason in X-Change-Reason."]}
                continue
            key = item.get("external_id")
            if key and key in seen:
                errors[str(index)] = {"external_id": [f"Same as item {seen[key]}."]}
            elif key:
                seen[key] = index
        if errors:
            return validation_problem(errors)
        outcomes = procurements.bulk_upsert(request_session(), [(i, None) for i in items])
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        listed = []
        for item, (record_id, outcome) in zip(items, outcomes, strict=True):
            counts[outcome] += 1
            listed.append(
                {"id": record_id, "external_id": item.get("external_id"), "outcome": outcome}
            )
        return {**counts, "items": listed}


_CONDITIONAL = [
    {
        "in": "header",
        "name": "If-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": "The record's ETag (from GET) or *: the write happens only if the record "
        "has not changed since (412 otherwise); required when REQUIRE_IF_MATCH is on (428).",
    }
]
_ETAG = {"ETag": {"description": "The record's strong entity tag.", "schema": {"type": "string"}}}


def _for_write(procurement_id: uuid.UUID) -> Any:
    """The record a PUT, PATCH or DELETE changes, after checking If-Match (RFC 9110:
    a condition on a record that no longer exists fails: 412, not 404)."""
    session = request_session()
    if_match = flask.request.headers.get("If-Match")
    try:
        record = procurements.get(session, procurement_id)
    except NotFound:
        if if_match is not None:
            raise PreconditionFailed("The record no longer exists.") from None
        raise
    required = flask.current_app.extensions["settings"].require_if_match
    procurements.check_if_match(record, if_match, required)
    return record


def _reason(data: dict[str, Any]) -> str | None:
    """The change's reason: the body's `reason` member (taken out of the data) or the
    X-Change-Reason header; handed to the transaction for the history."""
    reason = data.pop("reason", None)
    if reason is not None:
        audit.set_reason(request_session(), reason)
    found: str | None = flask.g.get("change_reason")
    return found


def _change(record: Any, data: dict[str, Any]) -> Any:
    """Replace a record's fields; a status that moves back needs a reason."""
    reason = _reason(data)
    new_status = data.get("status")
    if new_status is not None and history.is_backwards(record.status, new_status) and not reason:
        raise ReasonRequired(
            f"Moving a deal back from {record.status.value} to {new_status.value} needs a "
            "reason: send X-Change-Reason or a `reason` member.",
            "status",
        )
    return procurements.replace(request_session(), record, data)


def _with_etag(record: Any, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    return record, status, {"ETag": procurements.etag(record)}


_DUMP = table_row_dumper()


@blp.route("/<uuid:procurement_id>")
class Procurement(MethodView):
    @requires(READ)
    @blp.arguments(AsOfQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE)
    @blp.response(200, ProcurementSchema, headers=_ETAG)
    @blp.alt_response(410, response="GONE")
    @blp.alt_response(304, description="Not Modified: If-None-Match named the current ETag.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(
        parameters=[
            {
                "in": "header",
                "name": "If-None-Match",
                "required": False,
                "schema": {"type": "string"},
                "description": "ETags you hold: 304 without a body if one is current.",
            }
        ]
    )
    def get(self, args: dict[str, Any], procurement_id: uuid.UUID) -> Any:
        """Read one record, as it is now or, with as_of, as it stood then."""
        if "as_of" in args:
            past = history.as_of(request_session(), procurement_id, args["as_of"])
            return flask.jsonify(record_dumper()(past))
        # The hot read: a plain row and the fast dumper (a test holds its output equal
        # to the schema's), written out as JSON directly.
        row = procurements.get_row(request_session(), procurement_id)
        tag = procurements.row_etag(row)
        held = {t.strip() for t in flask.request.headers.get("If-None-Match", "").split(",")}
        if tag in held or "*" in held:
            return flask.Response(status=304, headers={"ETag": tag})
        response = flask.jsonify(_DUMP(row))
        response.headers["ETag"] = tag
        return response

    @requires(WRITE)
    @blp.arguments(ProcurementWriteSchema())
    @blp.response(200, ProcurementSchema, headers=_ETAG)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    @blp.doc(parameters=_CONDITIONAL)
    def put(self, data: dict[str, Any], procurement_id: uuid.UUID) -> Any:
        """Replace every writable field of a record."""
        record = _for_write(procurement_id)
        return _with_etag(_change(record, data))

    @requires(WRITE)
    @blp.arguments(ProcurementPatchSchema(), content_type=MERGE_PATCH)
    @blp.response(200, ProcurementSchema, headers=_ETAG)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    @blp.doc(parameters=_CONDITIONAL)
    def patch(self, _patch: dict[str, Any], procurement_id: uuid.UUID) -> Any:
        """Change some fields (JSON Merge Patch; null clears a field)."""
        record = _for_write(procurement_id)
        schema = ProcurementWriteSchema()
        merged = merge_patch(schema.dump(record), flask.request.get_json())
        return _with_etag(_change(record, schema.load(merged)))

    @requires(WRITE)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    @blp.doc(parameters=_CONDITIONAL)
    def delete(self, procurement_id: uuid.UUID) -> None:
        """Delete a record."""
        procurements.remove(request_session(), _for_write(procurement_id))


@blp.route("/<uuid:procurement_id>/history")
class History(MethodView):
    @requires(READ)
    @blp.response(200, HistorySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, procurement_id: uuid.UUID) -> Any:
        """Every change of a record, oldest first: when, by which key, why, old and new
        values per field. A deleted record keeps its history, ending in a tombstone."""
        revisions = history.history(request_session(), procurement_id)
        return {"id": procurement_id, "items": [revision_body(r) for r in revisions]}


@blp.route("/<uuid:procurement_id>/history/<int(min=1, max=2147483647):n>")
class HistoryEntry(MethodView):
    @requires(READ)
    @blp.response(200, RevisionDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, procurement_id: uuid.UUID, n: int) -> Any:
        """One change (its diff) and the record as it stood right after it."""
        return change_body(history.revision(request_session(), procurement_id, n))
