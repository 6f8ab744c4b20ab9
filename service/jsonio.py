"""Strict JSON in: I-JSON (RFC 7493) rules that Python's parser does not apply.

- a key repeated in one object is refused (Python would keep the last silently);
- nesting too deep for the parser, or integers longer than Python converts, are
  malformed input (a 400), not a server error.

NaN, Infinity and numbers that overflow to infinity parse, and every field that
takes a number refuses them (422), so they never reach the database.

JSON out is written by orjson (several times faster than the standard library on
record pages), with Flask's conversions for what orjson does not know (dates as
Flask writes them, Decimal as a string); the rare value orjson refuses (an integer
beyond 64 bits, a lone surrogate echoed from bad input) falls back to the standard
library.
"""

from __future__ import annotations

import json
from typing import Any

import flask
import orjson
from flask.json.provider import DefaultJSONProvider

_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


class MalformedJSON(ValueError):
    """The body is not JSON this service accepts."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise MalformedJSON(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def strict_loads(data: str | bytes) -> Any:
    """Parse JSON text; raise MalformedJSON (a ValueError) for anything refused.
    Bytes must be UTF-8 without a byte order mark (RFC 8259 section 8.1): no guessing
    at UTF-16 or UTF-32."""
    try:
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        return json.loads(data, object_pairs_hook=_unique)
    except RecursionError:
        raise MalformedJSON("nested too deeply") from None
    except MalformedJSON:
        raise
    except UnicodeDecodeError:
        raise MalformedJSON("not UTF-8") from None
    except ValueError as error:  # JSONDecodeError, and the 4,300-digit integer limit
        raise MalformedJSON(str(error).split(":")[0]) from None


def fast_dumps(obj: Any) -> bytes:
    """`obj` as compact UTF-8 JSON, as Flask's provider would write it."""
    try:
        return orjson.dumps(obj, default=DefaultJSONProvider.default, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a lone surrogate
        # ASCII with \u escapes: a lone surrogate (echoed from bad input) stays writable.
        return json.dumps(obj, default=DefaultJSONProvider.default, separators=(",", ":")).encode()


def json_column_loads(data: str | bytes) -> Any:
    """The reader of JSON columns (psycopg): orjson, or the standard library for what
    orjson refuses (an integer beyond 64 bits)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with strict_loads and writing with orjson."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            return super().dumps(obj, **kwargs)
        return fast_dumps(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> flask.Response:
        obj = self._prepare_response_obj(args, kwargs)
        return flask.current_app.response_class(fast_dumps(obj), mimetype=self.mimetype)
