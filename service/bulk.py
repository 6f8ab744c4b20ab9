"""Bulk writes: imports of whole files and the batch endpoint.

Rows are validated by the API's own schema (the same rules as one POST), then
written in batches with one INSERT ... ON CONFLICT per batch. The caller owns the
transaction: a rejected row is never written; with `atomic`, one rejected row
rolls everything back; with `dry_run`, everything is rolled back after counting.
A row whose import hash matches the stored one is unchanged without validation,
which keeps re-imports of a large, unchanged file fast.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from .importing import Row
from .schemas import ProcurementWriteSchema
from .services import procurements

BATCH = 1000
IMPORT_ONLY = ("buyer_original", "seller_original")


@dataclass
class Report:
    """What an import or batch did: counts, and every rejected row with its reasons."""

    format: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return self.counts["rejected"]

    def summary(self) -> dict[str, int]:
        return {key: self.counts[key] for key in ("created", "updated", "unchanged", "rejected")}


def row_hash(data: dict[str, Any]) -> str:
    """A digest of what a row says (field order and JSON spacing do not matter)."""
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _derive_external_id(data: dict[str, Any], seen: Counter[str]) -> str:
    """A stable key for a row that has none: its parties, system and dates, then its
    place among rows with the same key in the file."""
    identity = "|".join(
        str(data.get(k) or "").strip().casefold()
        for k in ("buyer", "seller", "system", "order_year", "announced_on")
    )
    digest = hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()[:16]
    seen[digest] += 1
    return f"row:{digest}:{seen[digest]}"


class _Reject(Exception):
    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = errors


def _validate(schema: ProcurementWriteSchema, data: dict[str, Any]) -> dict[str, Any]:
    originals = {k: data.pop(k) for k in IMPORT_ONLY if k in data}
    try:
        valid: dict[str, Any] = schema.load(data)
    except ma.ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"row": error.messages}
        raise _Reject(messages) from None
    valid.update({k: v for k, v in originals.items() if isinstance(v, str) and v.strip()})
    return valid


def run(
    session: Session,
    rows: Iterable[Row],
    report: Report,
    *,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Validate and write `rows`; rejected rows go to `report.rejected`. Never commits.

    Batches go through a small pipeline: while one batch is written, the next one
    is validated in a helper process (validation is the costliest step and a second
    core can do it), or a thread where processes cannot be started.
    """
    first_line: dict[str, int] = {}
    derived: Counter[str] = Counter()
    done = 0
    pool: Executor | None = None
    try:
        waiting: tuple[Future[_Checked], int] | None = None
        for batch in _batches(rows, BATCH):
            pending = _keyed(batch, report, first_line, derived)
            keys = [str(data["external_id"]) for _, data, _ in pending]
            stored = procurements.known_hashes(session, keys)
            future: Future[_Checked]
            if all(stored.get(str(d["external_id"])) == h for _, d, h in pending):
                future = Future()  # nothing to validate (an unchanged re-import)
                future.set_result(_check(pending, stored))
            else:
                pool = pool or _validator_pool()
                future = pool.submit(_check, pending, stored)
            if waiting is not None:
                _store(session, waiting[0].result(), report)
                if progress is not None:
                    progress(waiting[1])
            done += len(batch)
            waiting = (future, done)
        if waiting is not None:
            _store(session, waiting[0].result(), report)
            if progress is not None:
                progress(waiting[1])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.rejected.sort(key=lambda item: item["line"])
    return report


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _reject(report: Report, row: Row, errors: dict[str, Any]) -> None:
    report.counts["rejected"] += 1
    report.rejected.append({"line": row.line, "raw": row.raw, "errors": errors})


@dataclass
class _Checked:
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    valid: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    rejected: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


def _keyed(
    batch: list[Row], report: Report, first_line: dict[str, int], derived: Counter[str]
) -> list[tuple[Row, dict[str, Any], str]]:
    """Rows with their external_id (derived when missing) and hash; duplicates rejected."""
    pending: list[tuple[Row, dict[str, Any], str]] = []
    for row in batch:
        if row.data is None:
            _reject(report, row, row.errors)
            continue
        data = dict(row.data)
        if not data.get("external_id"):
            data["external_id"] = _derive_external_id(data, derived)
        key = str(data["external_id"])
        if key in first_line:
            message = f"Duplicate in this file (first at line {first_line[key]})."
            _reject(report, row, {"external_id": [message]})
            continue
        first_line[key] = row.line
        pending.append((row, data, row_hash(data)))
    return pending


_SCHEMA: ProcurementWriteSchema | None = None


def _validator_pool() -> Executor:
    """A one-worker process pool (spawned: no inherited database connections)."""
    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
    except (OSError, NotImplementedError):  # pragma: no cover - no processes here
        return ThreadPoolExecutor(max_workers=1)


def _check(
    pending: list[tuple[Row, dict[str, Any], str]], stored: dict[str, str | None]
) -> _Checked:
    """Validate a batch (in the helper): pure Python, no database."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = ProcurementWriteSchema()
    schema = _SCHEMA
    checked = _Checked()
    for row, data, digest in pending:
        if stored.get(str(data["external_id"])) == digest:
            checked.unchanged.append(data)
            continue
        try:
            checked.valid.append((_validate(schema, data), digest))
        except _Reject as rejection:
            checked.rejected.append((row, rejection.errors))
    return checked


def _store(session: Session, checked: _Checked, report: Report) -> None:
    for row, errors in checked.rejected:
        _reject(report, row, errors)
    report.counts["unchanged"] += len(checked.unchanged)
    outcomes = procurements.bulk_upsert(session, checked.valid)
    refresh: dict[str, str] = {}
    for (data, digest), (_, outcome) in zip(checked.valid, outcomes, strict=True):
        report.counts[outcome] += 1
        if outcome == "unchanged":
            refresh[str(data["external_id"])] = digest
    procurements.touch_import_hashes(session, refresh)
