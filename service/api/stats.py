"""/api/v1/stats, /api/v1/parties, /api/v1/systems: aggregates and autocomplete.

Results are flat JSON arrays (one object per group or name), the shape Grafana's
Infinity data source and pandas read as a table without transformation; stats
also come as CSV (`format=csv`) for `pandas.read_csv(url)`.
"""

from __future__ import annotations

from typing import Any

import flask
import marshmallow as ma
from flask.views import MethodView

from .. import exports
from ..db import get_db, request_session
from ..schemas import (
    PartySuggestionSchema,
    StatsGroupSchema,
    StatsQuerySchema,
    SuggestQuerySchema,
    SystemSuggestionSchema,
)
from ..services import stats
from .access import READ, requires
from .blueprint import Blueprint

blp = Blueprint(
    "stats",
    __name__,
    url_prefix="/api/v1",
    description="Aggregates for dashboards, and autocomplete of parties and systems.",
)


@blp.route("/stats")
class Stats(MethodView):
    @requires(READ)
    @blp.arguments(StatsQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE)
    @blp.response(200, StatsGroupSchema(many=True))
    @blp.doc(
        responses={
            "200": {
                "description": "One flat object (or CSV row) per group.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/StatsGroup"},
                        }
                    },
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    )
    def get(self, args: dict[str, Any]) -> flask.Response:
        """Count records and sum quantities and values per group, with the list's filters."""
        query: stats.StatsQuery = args["stats"]
        groups = stats.stats(request_session(), query, _cache())
        if args["format"] == "csv":
            columns = [*query.group_by, *stats.MEASURES, *stats.value_columns(groups)]
            text = "".join(exports.csv_lines(columns, groups))
            return flask.Response(text, content_type="text/csv; charset=utf-8")
        return flask.jsonify(groups)


def _cache() -> stats.StatsCache:
    """The app's stats cache (one per worker process; STATS_CACHE entries, 0: off)."""
    extensions = flask.current_app.extensions
    cache: stats.StatsCache | None = extensions.get("stats_cache")
    if cache is None:
        cache = extensions["stats_cache"] = stats.StatsCache(get_db().settings.stats_cache)
    return cache


@blp.route("/parties")
class Parties(MethodView):
    @requires(READ)
    @blp.arguments(SuggestQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE)
    @blp.response(200, PartySuggestionSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """Autocomplete buyers and sellers: names, aliases and codes, with record counts."""
        return stats.suggest_parties(request_session(), args["q"], args["limit"])


@blp.route("/systems")
class Systems(MethodView):
    @requires(READ)
    @blp.arguments(SuggestQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE)
    @blp.response(200, SystemSuggestionSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """Autocomplete systems named on records, with record counts."""
        return stats.suggest_systems(request_session(), args["q"], args["limit"])
