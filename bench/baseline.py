"""The baseline: the smallest correct Flask + psycopg handlers for the two reads the
service is compared with, on the same database and indexes.

    DATABASE_URL=postgresql://... gunicorn --workers 4 --chdir bench baseline:app

- `GET /procurements/<id>`: one record, 404 when there is none;
- `GET /procurements?buyer=...`: the buyer's 50 newest records (announced_on
  descending, empty dates last, ties by id), the order the service's
  (buyer, announced_on, id) index serves.

One connection per worker process, opened on first use, in autocommit mode; rows
go out as JSON with every column. No validation beyond what makes the handlers
correct (a malformed id is a 404), no auth, no ETags, no history: the floor any
Python service on this stack pays. bench/http_bench.py reports the service's
figures as ratios to these, measured in the same run.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import psycopg
from flask import Flask, Response, abort, request
from psycopg.rows import dict_row

app = Flask(__name__)
_connection: psycopg.Connection[dict[str, Any]] | None = None


def _conn() -> psycopg.Connection[dict[str, Any]]:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, row_factory=dict_row
        )
    return _connection


def _json(body: object) -> Response:
    return Response(json.dumps(body, default=str), mimetype="application/json")


@app.get("/procurements/<raw_id>")
def one(raw_id: str) -> Response:
    try:
        procurement_id = uuid.UUID(raw_id)
    except ValueError:
        abort(404)
    row = _conn().execute("SELECT * FROM procurement WHERE id = %s", (procurement_id,)).fetchone()
    if row is None:
        abort(404)
    return _json(row)


@app.get("/procurements")
def page() -> Response:
    buyer = request.args.get("buyer")
    if not buyer:
        abort(400)
    rows = (
        _conn()
        .execute(
            "SELECT * FROM procurement WHERE buyer = %s "
            "ORDER BY announced_on DESC NULLS LAST, id DESC LIMIT 50",
            (buyer,),
        )
        .fetchall()
    )
    return _json({"items": rows})
