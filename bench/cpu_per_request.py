"""CPU time per request: the service against the baseline, read from /proc.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python bench/cpu_per_request.py
        [--seconds 10] [--rounds 3]

Throughput on a 2-core machine is bounded by the CPU one request costs, spent in
three places: the gunicorn worker (Python), PostgreSQL, and the load generator. This
runs the service and the baseline (bench/baseline.py) with one gunicorn worker each
and drives them with one wrk connection, the two interleaved, for a record by id and
for a buyer's 50 newest records, and prints per request the worker's CPU time (user
+ system, from /proc/<pid>/stat) and that of all PostgreSQL processes, medians of
the rounds. It explains the gaps of bench/http_bench.py: what the service costs
beyond the smallest correct handler, and where.

The database must hold data (bench/generate.py); nothing is written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_bench as hb  # bench/ is not a package: imported by path
from workers import worker_memory_mb

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(master: int) -> list[int]:
    """The worker processes of a gunicorn master."""
    return list(worker_memory_mb(master))


def postgres_cpu() -> float:
    """CPU time so far of every PostgreSQL process on the machine."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                continue
            total += cpu_seconds(int(pid))
        except OSError:
            continue
    return total


def measure(port: int, script: Path, seconds: int, worker: int) -> tuple[float, float, float]:
    """(requests/s, worker ms CPU per request, PostgreSQL ms CPU per request)."""
    before_worker, before_pg = cpu_seconds(worker), postgres_cpu()
    out = hb.wrk(port, script, seconds, connections=1, threads=1)
    result = hb.parse_wrk(out)
    if result.errors:
        raise SystemExit(f"{result.errors} failed requests on port {port}:\n{out}")
    requests = result.requests
    worker_ms = 1000 * (cpu_seconds(worker) - before_worker) / requests
    pg_ms = 1000 * (postgres_cpu() - before_pg) / requests
    return result.rps, worker_ms, pg_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", hb.DEFAULT_URL)
    folder = Path(tempfile.mkdtemp(prefix="bench-cpu-"))
    sample = hb._sample(url)
    if not sample["ids"]:
        raise SystemExit("the database holds no records: run bench/generate.py first")
    items = hb.scenarios(folder, sample, "unused", "/api/v1/procurements", "/api/v1/procurements")
    chosen = [s for s in items if s.name in {"by_id", "list"}]
    service = hb.start_service(url, 1, 1_000_000, folder / "service.log")
    baseline = hb.start_baseline(url, 1, 1_000_000, folder / "baseline.log")
    try:
        (service_worker,) = children(service.pid)
        (baseline_worker,) = children(baseline.pid)
        rows: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for scenario in chosen:  # warm both up: caches, prepared statements
            assert scenario.baseline is not None
            measure(hb.SERVICE_PORT, scenario.service, 2, service_worker)
            measure(hb.BASELINE_PORT, scenario.baseline, 2, baseline_worker)
        for number in range(1, args.rounds + 1):
            for scenario in chosen:
                assert scenario.baseline is not None
                for who, port, script, worker in (
                    ("service", hb.SERVICE_PORT, scenario.service, service_worker),
                    ("baseline", hb.BASELINE_PORT, scenario.baseline, baseline_worker),
                ):
                    got = measure(port, script, args.seconds, worker)
                    rows.setdefault((scenario.title, who), []).append(got)
                    print(
                        f"   round {number} {scenario.name:8} {who:8} {got[0]:7.0f} req/s  "
                        f"worker {got[1]:.3f} ms  PostgreSQL {got[2]:.3f} ms per request",
                        flush=True,
                    )
                    time.sleep(0.5)
    finally:
        hb.stop(service)
        hb.stop(baseline)
    print(f"\n== CPU per request, one worker, one connection, medians of {args.rounds} rounds\n")
    print(f"{'scenario':28} {'server':9} {'req/s':>7} {'worker ms':>10} {'PostgreSQL ms':>14}")
    for (title, who), runs in rows.items():
        rps = statistics.median(r[0] for r in runs)
        worker_ms = statistics.median(r[1] for r in runs)
        pg_ms = statistics.median(r[2] for r in runs)
        print(f"{title:28} {who:9} {rps:7.0f} {worker_ms:10.3f} {pg_ms:14.3f}")


if __name__ == "__main__":
    main()
