"""How revisions read in the API: one shape for a record's history and the feed."""

from __future__ import annotations

from typing import Any

from ..schemas import record_dumper
from ..services.history import Change


def revision_body(revision: Any) -> dict[str, Any]:
    return {
        "n": revision.n,
        "op": revision.op,
        "changed_at": revision.changed_at,
        "actor": revision.actor,
        "reason": revision.reason,
        "changes": [
            {"field": name, "old": old, "new": new}
            for name, (old, new) in sorted(revision.changes.items())
        ],
    }


def change_body(change: Change, *, with_ids: bool = False) -> dict[str, Any]:
    body = revision_body(change.revision)
    body["record"] = record_dumper()(change.record) if change.record is not None else None
    if with_ids:
        body = {"id": change.revision.id, "procurement_id": change.revision.procurement_id, **body}
    return body
