"""Query speed through the API under gunicorn, at several table sizes.

    DATABASE_URL=postgresql://.../bench_query python bench/query_speed.py \\
        [--sizes 10000,100000,1000000]

For each size: bench/generate.py fills the database (it is emptied first), the
service is started under gunicorn (2 sync workers, as `python -m service serve`),
and each scenario runs from one keep-alive client, so the figures are latencies:

- a filtered, sorted page of 50: `buyer=<a busy buyer>&sort=-announced_on`;
- keyset paging: page 1 and page 1,000 of `sort=-announced_on` (the last page for
  smaller tables), each fetched repeatedly;
- `stats?group_by=buyer` over every row;
- a CSV export of every row: rows per second and the workers' peak memory.

Prints medians and p99 per scenario and a growth table. Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from generate import load
from workers import worker_memory_mb

from service.config import Settings
from service.db import Database

ROOT = Path(__file__).resolve().parent.parent
PORT = 8767


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[float, bytes, int]:
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return time.perf_counter() - start, body, response.status


def _times(conn: http.client.HTTPConnection, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        seconds, _, status = _get(conn, path)
        assert status == 200, (path, status)
        out.append(seconds * 1000)
    return out


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered):7.1f} ms  p99 {p99:7.1f} ms"


def _workers_peak_mb(master: int) -> float:
    return max(worker_memory_mb(master, "VmHWM").values(), default=0.0)


def _serve(url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "DB_STATEMENT_TIMEOUT_MS": "120000",
        "RATE_LIMITS": "false",  # a benchmark is one client far past any per-address limit
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "serve",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--timeout",
            "600",
            "--no-seed",
            "--no-migrate",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/health/ready")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not become ready")


def run_size(url: str, rows: int) -> dict[str, float]:
    settings = Settings.from_env({"DATABASE_URL": url})
    database = Database(settings.with_overrides(db_statement_timeout_ms=0))
    generated = load(database, rows, seed=1)
    database.dispose()
    print(f"\n== {rows:,} records (generated in {generated:.1f} s)")
    server = _serve(url)
    figures: dict[str, float] = {}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        _, body, _ = _get(conn, "/api/v1/stats?group_by=buyer&limit=3")
        import json

        busy = json.loads(body)[1]["buyer"]
        page = f"/api/v1/procurements?buyer={urllib.parse.quote(busy)}&sort=-announced_on&limit=50"
        _times(conn, page, 20)  # warm up
        values = _times(conn, page, 300)
        figures["filtered page"] = statistics.median(values)
        print(f"filtered page of 50 ({busy}, newest first):  {_summary(values)}")

        walk = "/api/v1/procurements?sort=-announced_on&limit=50"
        first = _times(conn, walk, 100)
        target, path, number = min(1000, rows // 50), walk, 1
        while number < target:
            _, body, _ = _get(conn, path)
            nxt = json.loads(body)["next"]
            if nxt is None:
                break
            path, number = nxt, number + 1
        deep = _times(conn, path, 100)
        figures["page 1"] = statistics.median(first)
        figures[f"page {number}"] = statistics.median(deep)
        figures["deep page"] = statistics.median(deep)
        print(f"keyset page 1:                       {_summary(first)}")
        print(f"keyset page {number:<5}                   {_summary(deep)}")

        stats = _times(conn, "/api/v1/stats?group_by=buyer", 20)
        figures["stats"] = statistics.median(stats)
        print(f"stats?group_by=buyer, all rows:      {_summary(stats)}")

        before = _workers_peak_mb(server.pid)
        seconds, body, _ = _get(conn, "/api/v1/procurements?format=csv")
        exported = body.count(b"\n") - 1
        figures["csv rows/s"] = exported / seconds
        after = _workers_peak_mb(server.pid)
        print(
            f"CSV export of {exported:,} rows:      {seconds:.1f} s, "
            f"{exported / seconds:,.0f} rows/s; worker peak memory {before:.0f} -> {after:.0f} MB"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    results = {int(n): run_size(url, int(n)) for n in args.sizes.split(",")}
    print("\n== growth (medians, ms; CSV in rows/s)")
    print(f"{'records':>10} {'filtered':>9} {'page 1':>7} {'deep':>7} {'stats':>8} {'csv':>9}")
    for n, f in results.items():
        print(
            f"{n:>10,} {f['filtered page']:>9.1f} {f['page 1']:>7.1f} {f['deep page']:>7.1f} "
            f"{f['stats']:>8.1f} {f['csv rows/s']:>9,.0f}"
        )


if __name__ == "__main__":
    main()
