"""Aggregates for dashboards and autocomplete, on the list's query language.

`stats` groups the records a RecordQuery matches (same filters, search and
quantity overlap as the list) and gives per group: how many records, the sum of
quantity minima (an unknown minimum counts as 0), the sum of known maxima with the
number of records whose maximum is unknown (when that number is 0, quantity_high
is a true upper bound), and the sum of values per currency (never converted).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, Text, func, literal_column, or_, select, text, true, union_all
from sqlalchemy import column as sa_column
from sqlalchemy.orm import Session

from ..models import Procurement
from ..parties import parties
from .query import RecordQuery, column, conditions, escape_like, json_value

MEASURES = ("count", "quantity_low", "quantity_high", "quantity_high_unknown")


@dataclass(frozen=True)
class StatsQuery:
    records: RecordQuery
    group_by: tuple[str, ...]
    order: tuple[tuple[str, bool], ...] = (("count", True),)
    """(measure or group key, descending)"""
    limit: int = 100


def stats(
    session: Session, query: StatsQuery, cache: StatsCache | None = None
) -> list[dict[str, Any]]:
    """One flat dict per group: the group keys, the MEASURES and `value_<CURRENCY>`.

    One pass over the matching records, grouped by the keys and the currency (or,
    with a cache, the cached groups plus what changed since: see StatsCache); the
    per-currency rows of a group are then added up here (a group has a handful),
    ordered and cut to the limit.
    """
    raw = cache.groups(session, query) if cache is not None else None
    if raw is None:
        raw = _accumulate({}, session.execute(_grouped(query, weighted=False)).all(), query)
    return _shape(raw, query)


def _grouped(query: StatsQuery, *, weighted: bool) -> Select[Any]:
    """The grouped measures of the matching records; `weighted`: over signed row images
    (a `sign` column of +1 for a row as it is now, -1 for a row as it was)."""
    keys = [column(name).label(name) for name in query.group_by]
    sign: Any = literal_column("sign") if weighted else None
    unknown = Procurement.quantity_max.is_(None)
    measures: list[Any] = (
        [
            func.sum(sign),
            func.sum(func.coalesce(Procurement.quantity_min, 0) * sign),
            func.sum(Procurement.quantity_max * sign),
            func.sum(sign).filter(unknown),
            func.sum(Procurement.value_amount * sign),
        ]
        if sign is not None
        else [
            func.count(),
            func.sum(func.coalesce(Procurement.quantity_min, 0)),
            func.sum(Procurement.quantity_max),
            func.count().filter(unknown),
            func.sum(Procurement.value_amount),
        ]
    )
    return (
        select(
            *keys, Procurement.value_currency, *[m.label(f"m{i}") for i, m in enumerate(measures)]
        )
        .where(*conditions(query.records))
        .group_by(*keys, Procurement.value_currency)
    )


Raw = dict[tuple[Any, ...], list[Any]]
"""(group keys..., currency) -> [count, quantity_low, quantity_high, unknown, value]"""


def _accumulate(raw: Raw, rows: Sequence[Any], query: StatsQuery) -> Raw:
    """Add grouped rows (or signed deltas) into `raw`; groups left empty are dropped."""
    width = len(query.group_by) + 1
    for row in rows:
        n = row[width]
        if n is None:
            continue  # the empty side of the snapshot join: no groups
        key = (*(json_value(v) for v in row[: width - 1]), row[width - 1])
        low, high, unknown, value = row[width + 1 :]
        current = raw.get(key)
        if current is None:
            current = raw[key] = [0, 0, 0, 0, None]
        current[0] += int(n)
        current[1] += int(low or 0)
        current[2] += int(high or 0)
        current[3] += int(unknown or 0)
        if value is not None:
            current[4] = value if current[4] is None else current[4] + value
        if current[0] == 0:
            del raw[key]
    return raw


def _shape(raw: Raw, query: StatsQuery) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    currencies: set[str] = set()
    for key, (n, low, high, unknown, value) in raw.items():
        group_key, currency = key[:-1], key[-1]
        group = groups.get(group_key)
        if group is None:
            group = dict(zip(query.group_by, group_key, strict=True))
            group.update(count=0, quantity_low=0, quantity_high=0, quantity_high_unknown=0)
            groups[group_key] = group
        group["count"] += n
        group["quantity_low"] += low
        group["quantity_high"] += high
        group["quantity_high_unknown"] += unknown
        if currency is not None:
            group[f"value_{currency}"] = _decimal_text(value) if value is not None else None
            currencies.add(currency)
    result = list(groups.values())
    for group in result:
        for currency in currencies:
            group.setdefault(f"value_{currency}", None)
    # Least significant first (stable sorts): the group keys, then the order asked.
    passes = [(name, False) for name in reversed(query.group_by)]
    passes += list(reversed(query.order))
    for name, descending in passes:
        present = [g for g in result if g[name] is not None]
        present.sort(key=lambda g: g[name], reverse=descending)
        result = present + [g for g in result if g[name] is None]  # empty values last
    return result[: query.limit]


_IMAGES = """
SELECT (jsonb_populate_record(NULL::procurement, d.image)).*, d.sign
FROM (
  SELECT r.snapshot AS image, 1 AS sign
  FROM procurement_revision r
  WHERE r.txid >= :xmin AND r.op <> 'delete'
    AND NOT pg_visible_in_snapshot(r.txid::text::xid8, CAST(:snap AS pg_snapshot))
  UNION ALL
  SELECT CASE WHEN r.op = 'delete' THEN r.snapshot ELSE r.snapshot || (
           SELECT coalesce(jsonb_object_agg(e.key, e.value -> 0), '{}'::jsonb)
           FROM jsonb_each(r.changes) AS e) END,
         -1
  FROM procurement_revision r
  WHERE r.txid >= :xmin AND r.op <> 'create'
    AND NOT pg_visible_in_snapshot(r.txid::text::xid8, CAST(:snap AS pg_snapshot))
) AS d
"""
"""Every record as it is now (+1) and as it was (-1), for each change committed after a
snapshot: from the history's revisions (migration 0009), whose `snapshot` is the row
after the change and whose `changes` hold the old value of every changed field."""

_UNTRACKED = frozenset({"updated_at", "updated_by", "version", "import_hash", "status_dates"})
"""Fields the history does not keep old values of: a query on them is not cached."""


class StatsCache:
    """Stats results of one process, kept exact by the change history.

    A result is stored with the database snapshot it was computed in. The next
    request for the same groups reads, in one statement (one snapshot), the grouped
    measures of the changes committed since then: each changed record as it is now
    counts +1, as it was counts -1 (the history keeps both, with the writing
    transaction's id, so a change committed late is never missed). Added to the
    stored result, that is exactly what a full recount would give, for the price of
    reading the changes instead of every record: a dashboard refreshing
    `stats?group_by=buyer` over a million records costs milliseconds, not a scan.

    Not cached (counted directly, always exact): queries on fields the history does
    not keep old values of (updated_at, updated_by, version, status_entered), any
    request inside a transaction that has written (the tests' rolled-back
    transactions), and engines without PostgreSQL's snapshot functions (13+).
    Writes that bypass the triggers (a COPY with triggers disabled, TRUNCATE) are
    not seen: restart the service after such maintenance.
    """

    MAX_GROUPS = 10_000
    """Results with more (group, currency) rows are not kept."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._store: OrderedDict[str, tuple[str, Raw]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers (THREADS > 1) share the store
        self._supported: bool | None = None
        self.outcomes: Counter[str] = Counter()
        """miss, delta (a stored result brought up to date), direct (not cacheable)."""

    def groups(self, session: Session, query: StatsQuery) -> Raw | None:
        """The raw groups of `query`, or None when it is not cacheable here."""
        key = _cache_key(query)
        if key is None or self.entries <= 0 or not self._supports(session):
            self.outcomes["direct"] += 1
            return None
        with self._lock:
            stored = self._store.get(key)
        if stored is None:
            rows, snapshot, clean = _with_snapshot(session, _grouped(query, weighted=False))
            raw = _accumulate({}, rows, query)
            outcome = "miss" if clean else "direct"
        else:
            since, previous = stored
            images = (
                text(_IMAGES)
                .bindparams(snap=since, xmin=int(since.split(":", 1)[0]))
                .columns(*(sa_column(c.name, c.type) for c in Procurement.__table__.columns))
                .cte("procurement")
            )
            delta = _grouped(query, weighted=True).add_cte(images)
            rows, snapshot, clean = _with_snapshot(session, delta)
            if not clean:
                self.outcomes["direct"] += 1
                return None
            raw = _accumulate({k: list(v) for k, v in previous.items()}, rows, query)
            outcome = "delta"
        with self._lock:
            self.outcomes[outcome] += 1
            if clean and len(raw) <= self.MAX_GROUPS:
                self._store[key] = (snapshot, raw)
                self._store.move_to_end(key)
                while len(self._store) > self.entries:
                    self._store.popitem(last=False)
            else:
                self._store.pop(key, None)
        return raw

    def _supports(self, session: Session) -> bool:
        if self._supported is None:
            version = session.execute(text("SELECT version()")).scalar_one()
            number = session.execute(text("SHOW server_version_num")).scalar_one()
            self._supported = "cockroach" not in version.lower() and int(number) >= 130000
        return self._supported


def _cache_key(query: StatsQuery) -> str | None:
    records = query.records
    fields = {f.field for f in records.filters} | set(query.group_by)
    if records.status_entered is not None or fields & _UNTRACKED:
        return None
    return repr((records.filters, records.quantity_overlaps, records.q, query.group_by))


def _with_snapshot(session: Session, grouped: Select[Any]) -> tuple[list[Any], str, bool]:
    """The rows of `grouped`, with the snapshot they were read in (one statement), and
    whether the session's transaction has written nothing (else nothing is kept)."""
    inner = grouped.subquery("g")
    state = select(
        func.pg_current_snapshot().cast(Text).label("snap"),
        func.pg_current_xact_id_if_assigned().is_(None).label("clean"),
    ).subquery("s")
    rows = session.execute(
        select(state.c.snap, state.c.clean, *inner.c).select_from(state.outerjoin(inner, true()))
    ).all()
    return [row[2:] for row in rows], rows[0][0], bool(rows[0][1])


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def value_columns(groups: Sequence[dict[str, Any]]) -> list[str]:
    """The value_<CURRENCY> columns of a stats result, sorted (for a CSV header)."""
    return sorted({k for g in groups for k in g if k.startswith("value_")})


def suggest_parties(session: Session, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Parties matching `text` (names, aliases, ISO codes; and the names stored on
    records, such as non-state actors), with how many records name each as buyer or
    seller; those with records first."""
    known = parties().search(text, limit=200)
    pattern = f"%{escape_like(text.strip())}%"
    stored = (
        select(Procurement.buyer.label("name"))
        .where(Procurement.buyer.ilike(pattern, escape="\\"))
        .union(select(Procurement.seller).where(Procurement.seller.ilike(pattern, escape="\\")))
    )
    names = {p.name: p for p in known}
    extra = [n for (n,) in session.execute(stored) if n not in names]
    all_names = list(names) + extra
    counts = _party_counts(session, all_names)
    rows: list[dict[str, Any]] = [
        {
            "name": name,
            "code": names[name].code if name in names else None,
            "kind": names[name].kind if name in names else None,
            "records": counts.get(name, 0),
        }
        for name in all_names
    ]
    order = {name: i for i, name in enumerate(all_names)}
    rows.sort(key=lambda r: (r["records"] == 0, -r["records"], order[r["name"]]))
    return rows[:limit]


def _party_counts(session: Session, names: Sequence[str]) -> dict[str, int]:
    if not names:
        return {}
    sides = union_all(
        select(Procurement.id, Procurement.buyer.label("name")).where(Procurement.buyer.in_(names)),
        select(Procurement.id, Procurement.seller.label("name")).where(
            Procurement.seller.in_(names), Procurement.seller != Procurement.buyer
        ),
    ).subquery()
    rows = session.execute(select(sides.c.name, func.count()).group_by(sides.c.name))
    return {str(name): int(n) for name, n in rows}


def suggest_systems(session: Session, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Systems named on records that start with or contain `text` (any case), with
    their record counts; prefix matches first, then the most recorded."""
    escaped = escape_like(text.strip())
    prefix = Procurement.system.ilike(f"{escaped}%", escape="\\")
    rows = session.execute(
        select(Procurement.system, func.count(), func.bool_or(prefix))
        .where(or_(prefix, Procurement.system.ilike(f"%{escaped}%", escape="\\")))
        .group_by(Procurement.system)
        .order_by(func.bool_or(prefix).desc(), func.count().desc(), Procurement.system)
        .limit(limit)
    )
    return [{"name": name, "records": n} for name, n, _ in rows]
