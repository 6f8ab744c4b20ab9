"""/api/v1/keys: create, list, read and revoke API keys (scope admin)."""

from __future__ import annotations

import uuid
from typing import Any

import flask
import marshmallow as ma
from flask.views import MethodView

from ..db import request_session
from ..schemas import ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeyQuerySchema, ApiKeySchema
from ..services import keys
from .access import ADMIN, caller, requires
from .blueprint import Blueprint
from .procurements import require_json_body

blp = Blueprint(
    "keys",
    __name__,
    url_prefix="/api/v1/keys",
    description="API keys (admin scope). A key's secret is shown once, when it is created.",
)
blp.before_request(require_json_body)


def _name() -> str | None:
    found = caller()
    return found.name if found else None


@blp.route("")
class Keys(MethodView):
    @requires(ADMIN)
    @blp.arguments(ApiKeyQuerySchema(), location="query", error_status_code=400, unknown=ma.RAISE)
    @blp.response(200, ApiKeySchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """List keys (active ones; revoked too with include_revoked=true)."""
        return keys.list_(request_session(), include_revoked=args["include_revoked"])

    @requires(ADMIN)
    @blp.arguments(ApiKeyCreateSchema())
    @blp.response(201, ApiKeyCreatedSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a key; the response holds its secret, which is never shown again."""
        created = keys.create(request_session(), data["name"], data["scopes"], created_by=_name())
        key = created.key
        body = {name: getattr(key, name) for name in ApiKeySchema._declared_fields}
        body["secret"] = created.secret
        location = flask.url_for(".Key", key_id=key.id)
        return body, 201, {"Location": location, "Cache-Control": "no-store"}


@blp.route("/<uuid:key_id>")
class Key(MethodView):
    @requires(ADMIN)
    @blp.response(200, ApiKeySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, key_id: uuid.UUID) -> Any:
        """Read a key's name, scopes and state."""
        return keys.get(request_session(), key_id)

    @requires(ADMIN)
    @blp.response(200, ApiKeySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, key_id: uuid.UUID) -> Any:
        """Revoke a key: every later request with it is refused (401)."""
        session = request_session()
        return keys.revoke(session, keys.get(session, key_id))
