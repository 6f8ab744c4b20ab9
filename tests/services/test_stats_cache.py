"""The stats cache: a kept result brought up to date from the change history must equal
a recount, whatever was written, deleted or committed late in between."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from service.db import sqlalchemy_url
from service.models import Category, Status
from service.schemas import StatsQuerySchema
from service.services import procurements
from service.services.stats import StatsCache, StatsQuery, stats
from tests.conftest import Databases, migrated_database

BUYERS = ("Belgium", "Poland", "France", "Germany", "India")
SELLERS = ("United States", "South Korea", "Sweden")
CURRENCIES = (None, "USD", "EUR")


def _query(*pairs: tuple[str, str]) -> StatsQuery:
    loaded: dict[str, Any] = StatsQuerySchema().load(MultiDict([*pairs, ("limit", "1000")]))
    query: StatsQuery = loaded["stats"]
    return query


QUERIES = [
    _query(("group_by", "buyer")),
    _query(("group_by", "buyer"), ("group_by", "status")),
    _query(("group_by", "seller"), ("status", "contracted")),
    _query(("group_by", "category"), ("quantity_overlaps", "10-100")),
    _query(("group_by", "year"), ("q", "missile")),
    _query(("group_by", "status"), ("buyer__in", "Belgium,France"), ("value_amount__gte", "5")),
]


@pytest.fixture(scope="module")
def engine(databases: Databases) -> Iterator[Engine]:
    eng = create_engine(sqlalchemy_url(migrated_database(databases)))
    yield eng
    eng.dispose()


def _data(rng: random.Random, n: int) -> dict[str, Any]:
    low = rng.choice((None, 5, 20, 60))
    currency = rng.choice(CURRENCIES)
    return {
        "external_id": f"cache:{n}",
        "buyer": rng.choice(BUYERS),
        "seller": rng.choice(SELLERS),
        "system": rng.choice(("Piorun", "K9", "Patriot missile")),
        "category": rng.choice((Category.AIR_DEFENCE, Category.ARTILLERY, Category.MISSILE)),
        "status": rng.choice((Status.INTENT, Status.CONTRACTED, Status.DELIVERED)),
        "quantity_min": low,
        "quantity_max": rng.choice((None, (low or 0) + 10)),
        "value_amount": Decimal(rng.choice(("1.5", "10", "250"))) if currency else None,
        "value_currency": currency,
        "announced_on": rng.choice((None, "2021-03-01", "2024-07-15")),
    }


def _read(engine: Engine, query: StatsQuery, cache: StatsCache | None) -> list[dict[str, Any]]:
    with Session(engine.execution_options(isolation_level="AUTOCOMMIT")) as session:
        return stats(session, query, cache)


def _check(engine: Engine, cache: StatsCache) -> None:
    for query in QUERIES:
        assert _read(engine, query, cache) == _read(engine, query, None), query


def test_a_kept_result_brought_up_to_date_equals_a_recount(engine: Engine) -> None:
    rng = random.Random(7)
    cache = StatsCache(entries=32)
    ids: list[uuid.UUID] = []
    _check(engine, cache)  # empty: every query is a miss
    for step in range(40):
        with Session(engine) as session:
            action = rng.random()
            if action < 0.5 or len(ids) < 3:
                for n in range(rng.choice((1, 1, 3))):
                    ids.append(procurements.create(session, _data(rng, step * 10 + n)).id)
            elif action < 0.85:
                record = procurements.get(session, rng.choice(ids))
                procurements.replace(session, record, _data(rng, step * 10))
            else:
                procurements.delete(session, ids.pop(rng.randrange(len(ids))))
            session.commit()
        _check(engine, cache)
    assert cache.outcomes["miss"] == len(QUERIES)
    assert cache.outcomes["delta"] == 40 * len(QUERIES)


def test_a_change_committed_after_the_kept_snapshot_is_counted(engine: Engine) -> None:
    cache = StatsCache(entries=4)
    query = QUERIES[0]
    with Session(engine) as slow:
        procurements.create(slow, _data(random.Random(1), 10_001))
        slow.flush()
        kept = _read(engine, query, cache)  # the snapshot sees `slow` in progress
        assert kept == _read(engine, query, None)
        slow.commit()
    assert _read(engine, query, cache) == _read(engine, query, None) != kept
    assert cache.outcomes == {"miss": 1, "delta": 1}


def test_untracked_fields_and_written_transactions_are_counted_directly(
    engine: Engine,
) -> None:
    cache = StatsCache(entries=4)
    for query in (
        _query(("group_by", "buyer"), ("updated_at__gte", "2000-01-01T00:00:00Z")),
        _query(("group_by", "buyer"), ("status_entered", "contracted")),
    ):
        assert _read(engine, query, cache) == _read(engine, query, None)
    assert cache.outcomes == {"direct": 2}
    # Inside a transaction that has written, the result holds uncommitted rows: not kept.
    with Session(engine) as session:
        procurements.create(session, _data(random.Random(2), 10_002))
        session.flush()
        assert stats(session, QUERIES[0], cache) == stats(session, QUERIES[0], None)
        session.rollback()
    assert cache.outcomes["direct"] == 3
    assert _read(engine, QUERIES[0], cache) == _read(engine, QUERIES[0], None)
    assert cache.outcomes["miss"] == 1
