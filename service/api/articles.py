"""/api/v1/articles: extract records from news text, store articles and their records."""

from __future__ import annotations

import uuid
from typing import Any

import flask
from flask.views import MethodView

from ..db import request_session
from ..schemas import ArticleInputSchema, ArticleSchema, ArticleStoredSchema, ExtractResultSchema
from ..services import articles
from .access import READ, WRITE, requires
from .blueprint import Blueprint
from .procurements import require_json_body

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/api/v1/articles",
    description="News articles: propose the procurement records they report, with evidence.",
)
blp.before_request(require_json_body)


def _gazetteer() -> Any:
    return flask.current_app.extensions["settings"].seeds_dir / "gazetteer"


def _article_body(article: Any, record_ids: list[str]) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "published_on": article.published_on,
        "created_at": article.created_at,
        "record_ids": record_ids,
    }


@blp.route("/extract")
class Extract(MethodView):
    @requires(WRITE)
    @blp.arguments(ArticleInputSchema())
    @blp.response(200, ExtractResultSchema)
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Propose the records an article reports; nothing is stored."""
        result = articles.run(data["text"], _gazetteer(), data.get("published_on"))
        return {
            "records": [c.as_dict() for c in result.records],
            "truncated_at": result.truncated_at,
        }


@blp.route("")
class Articles(MethodView):
    @requires(WRITE)
    @blp.arguments(ArticleInputSchema())
    @blp.response(201, ArticleStoredSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Store an article and upsert its records (posting it again changes nothing)."""
        result = articles.store(
            request_session(),
            data["text"],
            _gazetteer(),
            url=data.get("url"),
            title=data.get("title"),
            published_on=data.get("published_on"),
        )
        body = {
            "article": _article_body(result.article, [r.id for r in result.records]),
            "created": result.created,
            "records": [vars(r) for r in result.records],
            "skipped": result.skipped,
            "truncated_at": result.truncated_at,
        }
        location = flask.url_for(".Article", article_id=result.article.id)
        return body, 201, {"Location": location}


@blp.route("/<uuid:article_id>")
class Article(MethodView):
    @requires(READ)
    @blp.response(200, ArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID) -> dict[str, Any]:
        """Read a stored article's metadata and the ids of its records."""
        article, record_ids = articles.get(request_session(), article_id)
        return _article_body(article, record_ids)
