"""Strict JSON in: I-JSON (RFC 7493) rules that Python's parser does not apply.

- a key repeated in one object is refused (Python would keep the last silently);
- nesting too deep for the parser, or integers longer than Python converts, are
  malformed input (a 400), not a server error.

NaN, Infinity and numbers that overflow to infinity parse, and every field that
takes a number refuses them (422), so they never reach the database.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


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


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with strict_loads."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)
