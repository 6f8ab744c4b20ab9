"""Import speed and memory on a real SIPRI trade register (deal per row).

    DATABASE_URL=postgresql://... python bench/import_speed.py [FILE]

FILE defaults to ../shared/data/ColasDroin__SIPRI_arms_transfers_analysis/trade-register.csv
(SIPRI's data: a test fixture, never copied into the project). The database is
emptied of procurement records first. Prints the time of a first import into
the empty table, of a re-import of the same file (all unchanged), and the peak
memory of this process. Asserts nothing.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from sqlalchemy import text

from service import bulk
from service.config import Settings
from service.db import Database
from service.importing import read_rows
from service.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared/data/ColasDroin__SIPRI_arms_transfers_analysis/trade-register.csv"


def run(database: Database, path: Path) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    with database.session_scope() as session, path.open("rb") as handle:
        fmt, rows = read_rows(handle, None, path.name)
        report = bulk.run(session, rows, bulk.Report(format=fmt))
    return time.perf_counter() - start, report.summary()


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    database = Database(Settings.from_env())
    upgrade(database.engine)
    with database.session_scope() as session:
        session.execute(text("DELETE FROM procurement"))
    first, counts = run(database, path)
    print(f"first import ({path.stat().st_size / 1e6:.1f} MB): {first:.2f} s  {counts}")
    again, counts = run(database, path)
    print(f"re-import, unchanged: {again:.2f} s  {counts}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (validation helper process: {child:.0f} MB)")
    database.dispose()


if __name__ == "__main__":
    main()
