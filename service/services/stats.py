"""Aggregates for dashboards and autocomplete, on the list's query language.

`stats` groups the records a RecordQuery matches (same filters, search and
quantity overlap as the list) and gives per group: how many records, the sum of
quantity minima (an unknown minimum counts as 0), the sum of known maxima with the
number of records whose maximum is unknown (when that number is 0, quantity_high
is a true upper bound), and the sum of values per currency (never converted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, union_all
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


def stats(session: Session, query: StatsQuery) -> list[dict[str, Any]]:
    """One flat dict per group: the group keys, the MEASURES and `value_<CURRENCY>`.

    One pass over the matching records, grouped by the keys and the currency; the
    per-currency rows of a group are then added up here (a group has a handful),
    ordered and cut to the limit.
    """
    keys = [column(name).label(name) for name in query.group_by]
    rows = session.execute(
        select(
            *keys,
            Procurement.value_currency,
            func.count(),
            func.sum(func.coalesce(Procurement.quantity_min, 0)),
            func.sum(Procurement.quantity_max),
            func.count().filter(Procurement.quantity_max.is_(None)),
            func.sum(Procurement.value_amount),
        )
        .where(*conditions(query.records))
        .group_by(*keys, Procurement.value_currency)
    ).all()
    width = len(keys)
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    currencies: set[str] = set()
    for row in rows:
        key = tuple(json_value(v) for v in row[:width])
        currency, n, low, high, unknown, value = row[width:]
        group = groups.get(key)
        if group is None:
            group = dict(zip(query.group_by, key, strict=True))
            group.update(count=0, quantity_low=0, quantity_high=0, quantity_high_unknown=0)
            groups[key] = group
        group["count"] += n
        group["quantity_low"] += int(low or 0)
        group["quantity_high"] += int(high or 0)
        group["quantity_high_unknown"] += unknown
        if currency is not None:
            group[f"value_{currency}"] = _decimal_text(value)
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
