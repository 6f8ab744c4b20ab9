"""What the stats cache buys: a recount against a kept result brought up to date.

    DATABASE_URL=postgresql://.../bench python bench/stats_cache.py [--rounds 20]

On the database named by DATABASE_URL (fill it first with bench/generate.py), in
process through the service layer (services/stats.py) with the service's connection
settings, for a few dashboard queries:

- recount: the grouped query over every matching record (STATS_CACHE=0);
- kept, nothing changed: a kept result and the (empty) changes since its snapshot;
- kept, after a write: one record changed (buyer, quantity) and committed between
  requests, then the kept result brought up to date; the write is undone at the end.

Each kept answer is compared with a recount at the same moment; a difference is
printed as an error. Prints medians in milliseconds. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from service.config import Settings
from service.db import Database
from service.schemas import StatsQuerySchema
from service.services.stats import StatsCache, StatsQuery, stats

QUERIES = {
    "group_by=buyer": [("group_by", "buyer")],
    "group_by=year,status": [("group_by", "year"), ("group_by", "status")],
    "group_by=seller&category=air-defence": [("group_by", "seller"), ("category", "air-defence")],
}


def _query(pairs: list[tuple[str, str]]) -> StatsQuery:
    loaded: dict[str, Any] = StatsQuerySchema().load(MultiDict([*pairs, ("limit", "1000")]))
    query: StatsQuery = loaded["stats"]
    return query


def _ms(
    session: Session, query: StatsQuery, cache: StatsCache | None
) -> tuple[float, list[dict[str, Any]]]:
    start = time.perf_counter()
    result = stats(session, query, cache)
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
    database = Database(Settings.from_env({"DATABASE_URL": url}))
    engine = database.engine  # the service's own connection settings
    reads = engine.execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        records = connection.execute(text("SELECT count(*) FROM procurement")).scalar_one()
        record_id, buyer, quantity = connection.execute(
            text("SELECT id, buyer, quantity_max FROM procurement ORDER BY id LIMIT 1")
        ).one()
    print(f"{records:,} records; medians of {args.rounds} requests, ms")
    print(f"{'query':40} {'recount':>9} {'kept':>9} {'after a write':>14} {'errors':>7}")
    try:
        for name, pairs in QUERIES.items():
            query = _query(pairs)
            cache = StatsCache(entries=8)
            recount, kept, written, errors = [], [], [], 0
            with Session(reads) as session:
                stats(session, query, cache)  # the first request keeps the result
                for round_ in range(args.rounds):
                    took, fresh = _ms(session, query, None)
                    recount.append(took)
                    took, answer = _ms(session, query, cache)
                    kept.append(took)
                    errors += answer != fresh
                    with engine.begin() as connection:
                        connection.execute(
                            text(
                                "UPDATE procurement SET buyer = :buyer, quantity_max = :q "
                                "WHERE id = :id"
                            ),
                            {
                                "buyer": "France" if round_ % 2 == 0 else buyer,
                                "q": (quantity or 0) + round_,
                                "id": record_id,
                            },
                        )
                    took, answer = _ms(session, query, cache)
                    written.append(took)
                    errors += answer != stats(session, query, None)
            print(
                f"{name:40} {statistics.median(recount):9.1f} {statistics.median(kept):9.1f} "
                f"{statistics.median(written):14.1f} {errors:7d}",
                flush=True,
            )
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE procurement SET buyer = :buyer, quantity_max = :q WHERE id = :id"),
                {"buyer": buyer, "q": quantity, "id": record_id},
            )
        database.dispose()


if __name__ == "__main__":
    main()
