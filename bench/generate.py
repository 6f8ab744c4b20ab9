"""Fill the service's own schema with N synthetic, realistic procurement records.

    DATABASE_URL=postgresql://... python bench/generate.py --rows 1000000

Migrates first, empties `procurement`, then COPYs the rows in. Distributions are
skewed the way the field is: a few buyers and sellers account for most deals
(Zipf-like weights over real countries), systems come from seeds/gazetteer with
their category and maker, quantities are exact, ranges, "up to" or unknown,
about a third of deals have a value, some have no announcement date, and every
record has a source. The rows carry no history (the revision trigger is off during
the load; it would write a second million rows). Secondary indexes are dropped
during the load and rebuilt after it (from their own definitions), then the table
is analysed. Prints the time taken. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import text

from service.config import Settings
from service.db import Database
from service.migrate import upgrade
from service.parties import parties

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = (
    "United States,Russia,France,Germany,China,Italy,United Kingdom,Spain,Israel,South Korea,"
    "Turkey,Sweden,Netherlands,Ukraine,Switzerland,Poland,India,Saudi Arabia,Qatar,Egypt,"
    "Japan,Australia,Pakistan,United Arab Emirates,Greece,Norway,Brazil,Canada,Algeria,"
    "Singapore,Indonesia,Vietnam,Taiwan,Romania,Finland,Denmark,Belgium,Czechia,Hungary,"
    "Lithuania,Estonia,Latvia,Morocco,Philippines,Thailand,Chile,Colombia,Peru,Mexico,Serbia"
).split(",")
STATUSES = [
    ("contracted", 40),
    ("delivered", 25),
    ("delivering", 12),
    ("announced", 8),
    ("approved", 6),
    ("intent", 5),
    ("cancelled", 4),
]
COLUMNS = (
    "id buyer buyer_code buyer_kind seller seller_code seller_kind manufacturer system "
    "category quantity_min quantity_max quantity_unit quantity_estimated "
    "quantity_delivered_estimated order_year order_year_estimated delivery_years status "
    "value_amount value_currency announced_on notes sources external_id created_at "
    "updated_at version"
).split()


def _weights(n: int) -> list[float]:
    return [1 / (rank + 1) ** 1.1 for rank in range(n)]


def rows(count: int, seed: int) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    index = parties()
    countries = [index.resolve(name) for name in COUNTRIES]
    buyers = rng.sample(countries, len(countries))
    sellers = countries[:]  # the big exporters first: most skewed
    systems = yaml.safe_load((ROOT / "seeds/gazetteer/systems.yaml").read_text(encoding="utf-8"))
    rng.shuffle(systems)
    buyer_w, seller_w = _weights(len(buyers)), _weights(len(sellers))
    system_w = _weights(len(systems))
    statuses = [s for s, _ in STATUSES]
    status_w = [w for _, w in STATUSES]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    picked_buyers = rng.choices(buyers, buyer_w, k=count)
    picked_sellers = rng.choices(sellers, seller_w, k=count)
    picked_systems = rng.choices(systems, system_w, k=count)
    picked_status = rng.choices(statuses, status_w, k=count)
    out = []
    for i in range(count):
        buyer, seller, system = picked_buyers[i], picked_sellers[i], picked_systems[i]
        if seller == buyer:
            seller = sellers[(sellers.index(seller) + 1) % len(sellers)]
        shape = rng.random()
        n = int(rng.paretovariate(1.2) * 4)
        low, high = (
            (n, n)
            if shape < 0.55
            else (n, n * 2)
            if shape < 0.7
            else (None, n)
            if shape < 0.8
            else (None, None)
        )
        announced = date(2000, 1, 1) + timedelta(days=rng.randrange(26 * 365))
        valued = rng.random() < 0.35
        created = start + timedelta(seconds=i * 300 + rng.randrange(300))
        source = {
            "url": f"https://example.org/news/{i}",
            "title": f"{buyer.name} and the {system['name']}",
            "published_on": announced.isoformat(),
            "excerpt": f"{buyer.name} signed for the {system['name']} from {seller.name}.",
        }
        out.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                buyer.name,
                buyer.code,
                "country",
                seller.name,
                seller.code,
                "country",
                system.get("maker"),
                system["name"],
                system["category"],
                low,
                high,
                None,
                False,
                False,
                announced.year if rng.random() < 0.7 else None,
                False,
                "{}",
                picked_status[i],
                str(rng.randrange(1, 5000) * 1_000_000) if valued else None,
                rng.choice(("USD", "USD", "EUR", "GBP")) if valued else None,
                announced if rng.random() < 0.85 else None,
                "Synthetic record for benchmarks." if rng.random() < 0.1 else None,
                json.dumps([source]),
                f"bench:{i}",
                created,
                created,
                1,
            )
        )
    return out


def load(database: Database, count: int, seed: int) -> float:
    """Empty the table and load `count` rows; seconds taken."""
    started = time.perf_counter()
    upgrade(database.engine)
    data = rows(count, seed)
    with database.session_scope() as session:
        session.execute(text("TRUNCATE procurement, procurement_revision CASCADE"))
        # Synthetic rows carry no history: the revision trigger would write a second
        # million rows (the stamp trigger still sets created_by and status_dates).
        session.execute(text("ALTER TABLE procurement DISABLE TRIGGER procurement_revise"))
        indexes = session.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'procurement' "
                "AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_%'"
            )
        ).all()
        for name, _ in indexes:
            session.execute(text(f'DROP INDEX "{name}"'))
        raw = session.connection().connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY procurement ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("ALTER TABLE procurement ENABLE TRIGGER procurement_revise")
    with database.engine.connect() as connection:
        connection.execute(text("ANALYZE procurement"))
        connection.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # A load of a million rows runs longer than the service's statement timeout.
    database = Database(Settings.from_env().with_overrides(db_statement_timeout_ms=0))
    seconds = load(database, args.rows, args.seed)
    print(f"generated {args.rows:,} records in {seconds:.1f} s")
    database.dispose()


if __name__ == "__main__":
    main()
