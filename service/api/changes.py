"""/api/v1/changes: every create, update and delete, in order, with a cursor to resume."""

from __future__ import annotations

from typing import Any

import flask
import marshmallow as ma
from flask.views import MethodView

from ..db import request_session
from ..schemas import ChangesPageSchema, ChangesQuerySchema
from ..services import history
from .access import READ, requires
from .blueprint import Blueprint
from .revisions import change_body

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/api/v1/changes",
    description="The change feed: sync a mirror or a dashboard incrementally, deletions included.",
)


@blp.route("")
class Changes(MethodView):
    @requires(READ)
    @blp.arguments(ChangesQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE)
    @blp.response(200, ChangesPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Changes after `since`, oldest first, each with the record as it then stood.

        Changes come in transaction order, those of one transaction together, and only
        once their transaction has ended: a cursor never skips a change that commits
        late. An empty page means nothing new: ask the same `next` again later."""
        since = args.get("since")
        after: tuple[int, int] | None = None
        if since:
            txid, _dot, last = since.partition(".")
            after = (int(txid), int(last))
        listed, position = history.changes(request_session(), after, args["limit"])
        position = position or after
        cursor = f"{position[0]}.{position[1]}" if position else None
        query = {"limit": args["limit"], **({"since": cursor} if cursor else {})}
        return {
            "items": [change_body(change, with_ids=True) for change in listed],
            "next": flask.url_for(".Changes", **query),
        }
