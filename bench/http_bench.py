"""HTTP throughput of the service under gunicorn, against a minimal baseline, with wrk.

    make bench                       # 1,000,000 records, every scenario, 3 rounds
    DATABASE_URL=postgresql://.../bench python bench/http_bench.py \\
        [--rows 1000000] [--growth 10000,100000] [--seconds 10] [--rounds 3] \\
        [--connections 16] [--workers 4] [--soak 300] [--only by_id,list]

The database named by DATABASE_URL (default: database `bench` on the local
PostgreSQL, created when missing) is filled by bench/generate.py, then the service
(`python -m service serve`) and the baseline (bench/baseline.py: the smallest correct
Flask + psycopg handlers for the two reads) are started under gunicorn with the same
settings (sync workers, `--workers`, the service's max-requests). Each scenario runs
wrk for `--seconds` at `--connections` keep-alive connections, service and baseline
interleaved, `--rounds` times; the medians are printed with the ratio to the
baseline measured in the same round. The machine is shared and noisy, so ratios are
the figures to trust, not absolute rates.

Scenarios (the paths are printed): GET by id; a buyer's 50 newest records; page
1,000 of a keyset walk (and page 1 of it); a filter combining status, category and
a date range; full-text `q=`; `stats?group_by=buyer`; a CSV export of 100,000 rows
(one client, rows/s); POST create with validation, history and an Idempotency-Key;
PATCH with If-Match; a dashboard mix (70% lists and filters, 15% by id, 10% stats,
5% creates). Every request of a scenario must succeed: wrk's non-2xx and socket
errors are printed as errors.

Memory: the workers' resident size is sampled twice a second during each run; the
peak is printed. `--soak N` then runs a read-heavy mix (lists, filters, reads by
id, 5% creates; no stats, which would hold the rate far below 100,000 requests) for
N seconds against a fresh service with worker recycling off, and prints each
worker's resident size after a warm-up and at the end.
`--growth` repeats by id, list and stats at smaller sizes for a growth table.

Prints figures; asserts nothing. Needs wrk (Debian package `wrk`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from generate import load
from workers import worker_memory_mb

from service.config import Settings
from service.db import Database

ROOT = Path(__file__).resolve().parent.parent
SERVICE_PORT, BASELINE_PORT = 8771, 8772
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench"


# --- servers --------------------------------------------------------------------------


def _wait_ready(port: int, path: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server on port {port} did not become ready")


def start_service(url: str, workers: int, max_requests: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "RATE_LIMITS": "false",  # one client far past any per-address limit
        "MAX_REQUESTS": str(max_requests),
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "service", "serve"),
            *("--bind", f"127.0.0.1:{SERVICE_PORT}", "--workers", str(workers)),
            *("--no-seed", "--no-migrate"),
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    _wait_ready(SERVICE_PORT, "/health/ready", process)
    return process


def start_baseline(url: str, workers: int, max_requests: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "bench")),
            *("--bind", f"127.0.0.1:{BASELINE_PORT}", "--workers", str(workers)),
            *("--max-requests", str(max_requests)),
            *("--max-requests-jitter", str(max_requests // 10)),
            *(("--control-socket-disable",) if _gunicorn_has_control_socket() else ()),
            "baseline:app",
        ],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    _wait_ready(BASELINE_PORT, "/procurements/x", process)
    return process


def _gunicorn_has_control_socket() -> bool:
    out = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=False
    ).stdout
    return "--control-socket-disable" in out


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_rss_mb(master: int) -> dict[int, float]:
    """Resident size of each worker (child) of a gunicorn master, in MB."""
    return worker_memory_mb(master)


class MemorySampler:
    """Peak worker RSS while a block runs (sampled every half second)."""

    def __init__(self, master: int) -> None:
        self.master, self.peak = master, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = worker_rss_mb(self.master)
            if sizes:
                self.peak = max(self.peak, max(sizes.values()))
            self._stop.wait(0.5)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# --- wrk ------------------------------------------------------------------------------


@dataclass
class Result:
    rps: float
    p50: float  # ms
    p99: float  # ms
    errors: int
    requests: int
    peak_mb: float = 0.0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    assert match, text
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(out: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return Result(rps, p50, p99, errors, requests)


def wrk(port: int, script: Path, seconds: int, connections: int, threads: int = 2) -> str:
    """wrk's report of one run of `script` against the server on `port`."""
    return subprocess.run(
        [
            *("wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"),
            *("--timeout", "10s", "--latency", "-s", str(script)),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def run_wrk(port: int, script: Path, seconds: int, connections: int, master: int) -> Result:
    with MemorySampler(master) as memory:
        out = wrk(port, script, seconds, connections)
    result = parse_wrk(out)
    result.peak_mb = memory.peak
    return result


def _lua_list(values: list[str]) -> str:
    return "{" + ",".join(json.dumps(v) for v in values) + "}"


_LUA_COMMON = """
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", __THREADS__)
  __THREADS__ = __THREADS__ + 1
end
function init(args)
  thread_id = tid
  math.randomseed(1000 + tid)
end
function pick(list) return list[math.random(#list)] end
"""


def lua_script(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.lua"
    common = _LUA_COMMON.replace("__THREADS__", "_G.threads_made")
    path.write_text("_G.threads_made = 0\n" + common + body)
    return path


# --- scenarios ------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    title: str
    service: Path
    baseline: Path | None = None
    results: list[Result] = field(default_factory=list)
    base_results: list[Result] = field(default_factory=list)


def _sample(url: str) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        ids = [
            str(r[0])
            for r in conn.execute("SELECT id FROM procurement TABLESAMPLE SYSTEM (1) LIMIT 2000")
        ]
        if len(ids) < 200:
            ids = [str(r[0]) for r in conn.execute("SELECT id FROM procurement LIMIT 2000")]
        buyers = [
            r[0]
            for r in conn.execute(
                "SELECT buyer FROM procurement GROUP BY buyer ORDER BY count(*) DESC LIMIT 20"
            )
        ]
        patch_rows = conn.execute(
            "SELECT id, version FROM procurement ORDER BY id DESC LIMIT 4000"
        ).fetchall()
    return {"ids": ids, "buyers": buyers, "patch": [(str(i), v) for i, v in patch_rows]}


def _keyset_path(port: int, base: str, page: int) -> tuple[str, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    path, number = base, 1
    while number < page:
        conn.request("GET", path)
        body = json.loads(conn.getresponse().read())
        if body["next"] is None:
            break
        path, number = body["next"], number + 1
    return path, number


def _create_key() -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "service",
            "keys",
            "create",
            "--name",
            f"bench-{time.time_ns()}",
            "--scope",
            "write",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    match = re.search(r"ptk_\w+", out)
    assert match, out
    return match.group(0)


CREATE_BODY = {
    "buyer": "Poland",
    "seller": "South Korea",
    "manufacturer": "Hyundai Rotem",
    "system": "K2 Black Panther",
    "category": "armoured-vehicle",
    "quantity_min": 180,
    "quantity_max": 180,
    "status": "contracted",
    "announced_on": "2025-08-01",
    "sources": [{"url": "https://example.org/bench", "title": "Benchmark record"}],
}
FILTER = (
    "/api/v1/procurements?status=contracted&category=aircraft"
    "&announced_on__gte=2010-01-01&announced_on__lt=2020-01-01&sort=-announced_on"
)


# Request builders every script shares (wrk's Lua): one per kind of request.
_LUA_REQUESTS = """
function by_id() return wrk.format("GET", "/api/v1/procurements/" .. pick(ids)) end
function by_buyer()
  return wrk.format("GET", "/api/v1/procurements?buyer=" .. pick(buyers) ..
    "&sort=-announced_on&limit=50")
end
function get(path) return wrk.format("GET", path) end
function create()
  counter = counter + 1
  local key = "bench-" .. thread_id .. "-" .. counter .. "-" .. os.time()
  return wrk.format("POST", "/api/v1/procurements", {["Content-Type"] = "application/json",
    ["Authorization"] = auth, ["Idempotency-Key"] = key}, body)
end
local n = 0
local versions = {}
function patch()
  local rows = (thread_id % 2 == 0) and patch0 or patch1
  n = n + 1
  local row = rows[(n - 1) % #rows + 1]
  local v = versions[row[1]] or row[2]
  versions[row[1]] = v + 1
  local tag = '"' .. string.gsub(row[1], "-", "") .. "." .. v .. '"'
  return wrk.format("PATCH", "/api/v1/procurements/" .. row[1], {["Authorization"] = auth,
    ["Content-Type"] = "application/merge-patch+json", ["If-Match"] = tag},
    '{"notes": "bench ' .. n .. '"}')
end
function soak_mix()
  local r = math.random(100)
  if r <= 40 then return by_buyer() end
  if r <= 70 then return get(filter) end
  if r <= 95 then return by_id() end
  return create()
end
function mixed()
  local r = math.random(100)
  if r <= 35 then return by_buyer() end
  if r <= 70 then return get(filter) end
  if r <= 85 then return by_id() end
  if r <= 95 then return get("/api/v1/stats?group_by=buyer") end
  return create()
end
"""

WORDS = ["Leopard", "Patriot", "F-16", "frigate", "Rheinmetall", "howitzer"]


def scenarios(
    folder: Path, sample: dict[str, Any], key: str, walk: str, deep: str
) -> list[Scenario]:
    """The scenarios and their wrk scripts (written to `folder`)."""
    patch = sample["patch"]
    half = len(patch) // 2
    data = "".join(
        [
            f"ids = {_lua_list(sample['ids'])}\n",
            f"buyers = {_lua_list([urllib.parse.quote(b) for b in sample['buyers']])}\n",
            f"words = {_lua_list(WORDS)}\n",
            f'auth = "Bearer {key}"\n',
            f"body = {json.dumps(json.dumps(CREATE_BODY))}\n",
            f"filter = {json.dumps(FILTER)}\n",
            *(
                f"patch{part} = {{" + ",".join(f'{{"{i}",{v}}}' for i, v in rows) + "}\n"
                for part, rows in enumerate((patch[:half], patch[half:]))
            ),
            _LUA_REQUESTS,
        ]
    )

    def script(name: str, call: str) -> Path:
        return lua_script(folder, name, data + f"function request() return {call} end\n")

    return [
        Scenario(
            "by_id",
            "GET by id",
            script("by_id", "by_id()"),
            script("by_id_base", 'get("/procurements/" .. pick(ids))'),
        ),
        Scenario(
            "list",
            "a buyer's 50 newest",
            script("list", "by_buyer()"),
            script("list_base", 'get("/procurements?buyer=" .. pick(buyers))'),
        ),
        Scenario("page1", "keyset walk, page 1", script("page1", f"get({json.dumps(walk)})")),
        Scenario(
            "page1000", "keyset walk, page 1,000", script("page1000", f"get({json.dumps(deep)})")
        ),
        Scenario("filter", "status + category + date range", script("filter", "get(filter)")),
        Scenario(
            "search",
            "full text q=",
            script("search", 'get("/api/v1/procurements?q=" .. pick(words))'),
        ),
        Scenario(
            "stats", "stats?group_by=buyer", script("stats", 'get("/api/v1/stats?group_by=buyer")')
        ),
        Scenario("create", "POST create (+ Idempotency-Key)", script("create", "create()")),
        Scenario("patch", "PATCH with If-Match", script("patch", "patch()")),
        Scenario("mixed", "dashboard mix 70/15/10/5", script("mixed", "mixed()")),
        Scenario("soak", "soak mix (no stats)", script("soak", "soak_mix()")),
    ]


def csv_export(url: str, target: int = 100_000) -> tuple[int, float, float]:
    """One CSV export of the buyer whose record count is nearest `target`:
    (rows, seconds, rows/s)."""
    with psycopg.connect(url, autocommit=True) as conn:
        buyer = conn.execute(
            "SELECT buyer FROM procurement GROUP BY buyer ORDER BY abs(count(*) - %s) LIMIT 1",
            (target,),
        ).fetchone()[0]  # type: ignore[index]
    conn_http = http.client.HTTPConnection("127.0.0.1", SERVICE_PORT, timeout=600)
    started = time.perf_counter()
    conn_http.request("GET", f"/api/v1/procurements?format=csv&buyer={urllib.parse.quote(buyer)}")
    response = conn_http.getresponse()
    assert response.status == 200, response.status
    lines = 0
    while chunk := response.read(1 << 16):
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    return lines - 1, seconds, (lines - 1) / seconds


def soak(args: argparse.Namespace, url: str, mix: Scenario, folder: Path) -> None:
    """A read-heavy mix (lists, filters, reads by id, 5% creates) for args.soak
    seconds against a service that never recycles its workers: each worker's resident
    size after a warm-up and at the end."""
    service = start_service(url, args.workers, 0, folder / "soak.log")
    try:
        print(f"   soak: {args.soak} s, worker recycling off", flush=True)
        run_wrk(SERVICE_PORT, mix.service, 10, args.connections, service.pid)  # warm up
        start = worker_rss_mb(service.pid)
        result = run_wrk(SERVICE_PORT, mix.service, args.soak, args.connections, service.pid)
        end = worker_rss_mb(service.pid)
    finally:
        stop(service)
    print(
        f"   soak: {result.requests:,} requests, {result.rps:.0f} req/s, p99 {result.p99:.1f} ms, "
        f"errors {result.errors}, worker peak {result.peak_mb:.0f} MB",
        flush=True,
    )
    for pid in sorted(set(start) | set(end)):
        before = f"{start[pid]:.1f}" if pid in start else "-"
        after = f"{end[pid]:.1f}" if pid in end else "-"
        print(f"   soak: worker {pid}: {before} MB -> {after} MB", flush=True)


# --- reporting ------------------------------------------------------------------------


def _median(results: list[Result], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in results)


def report(items: list[Scenario]) -> None:
    print(
        f"\n{'scenario':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'peak MB':>8} {'baseline req/s':>15} {'ratio':>6}"
    )
    for sc in items:
        if not sc.results:
            continue
        line = (
            f"{sc.title:34} {_median(sc.results, 'rps'):8.0f} {_median(sc.results, 'p50'):8.1f} "
            f"{_median(sc.results, 'p99'):8.1f} {sum(r.errors for r in sc.results):7d} "
            f"{max(r.peak_mb for r in sc.results):8.0f}"
        )
        if sc.base_results:
            ratios = [a.rps / b.rps for a, b in zip(sc.results, sc.base_results, strict=True)]
            base_rps, base_p99 = _median(sc.base_results, "rps"), _median(sc.base_results, "p99")
            line += f" {base_rps:10.0f} (p99 {base_p99:.1f}) {statistics.median(ratios):5.2f}x"
        print(line, flush=True)


def ensure_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(url: str, rows: int) -> None:
    settings = Settings.from_env({"DATABASE_URL": url})
    database = Database(settings.with_overrides(db_statement_timeout_ms=0))
    with database.engine.connect() as connection:
        from sqlalchemy import text

        try:
            have = connection.execute(text("SELECT count(*) FROM procurement")).scalar_one()
        except Exception:
            have = -1
    if have == rows:
        print(f"== {rows:,} records already loaded", flush=True)
    else:
        seconds = load(database, rows, seed=1)
        print(f"== {rows:,} records generated in {seconds:.1f} s", flush=True)
    database.dispose()


def run_size(args: argparse.Namespace, url: str, rows: int, names: set[str]) -> list[Scenario]:
    fill(url, rows)
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    service = start_service(url, args.workers, args.max_requests, folder / "service.log")
    baseline = start_baseline(url, args.workers, args.max_requests, folder / "baseline.log")
    try:
        os.environ["DATABASE_URL"] = url
        key = _create_key()
        walk = "/api/v1/procurements?sort=-announced_on&limit=50"
        deep, number = _keyset_path(SERVICE_PORT, walk, 1000)
        items = scenarios(folder, _sample(url), key, walk, deep)
        all_items = items
        items = [sc for sc in items if sc.name in names]
        for sc in items:
            if sc.name == "page1000":
                sc.title = f"keyset walk, page {number:,}"
        print(f"   scratch files in {folder}", flush=True)
        for round_ in range(args.rounds):
            for sc in items:
                # Warm up caches and connections before the first measured run.
                if round_ == 0:
                    run_wrk(SERVICE_PORT, sc.service, 2, args.connections, service.pid)
                if sc.name == "patch":  # the ETags it sends name the current versions
                    scenarios(folder, _sample(url), key, walk, deep)
                sc.results.append(
                    run_wrk(SERVICE_PORT, sc.service, args.seconds, args.connections, service.pid)
                )
                if sc.baseline is not None:
                    if round_ == 0:
                        run_wrk(BASELINE_PORT, sc.baseline, 2, args.connections, baseline.pid)
                    sc.base_results.append(
                        run_wrk(
                            BASELINE_PORT, sc.baseline, args.seconds, args.connections, baseline.pid
                        )
                    )
                r = sc.results[-1]
                print(
                    f"   round {round_ + 1} {sc.name:9} {r.rps:8.0f} req/s  p99 {r.p99:7.1f} ms  "
                    f"errors {r.errors}",
                    flush=True,
                )
        if "csv" in names:
            with MemorySampler(service.pid) as memory:
                exported, seconds, rate = csv_export(url)
            print(
                f"   CSV export of {exported:,} rows: {seconds:.1f} s, {rate:,.0f} rows/s, "
                f"worker peak {memory.peak:.0f} MB",
                flush=True,
            )
    finally:
        stop(service)
        stop(baseline)
    if args.soak:
        soak(args, url, next(sc for sc in all_items if sc.name == "soak"), folder)
    return items


ALL = "by_id,list,page1,page1000,filter,search,stats,csv,create,patch,mixed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--growth", default="", help="smaller sizes for the growth table")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=Settings().max_requests)
    parser.add_argument("--soak", type=int, default=0, help="seconds of the dashboard mix")
    parser.add_argument("--only", default=ALL)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores · {args.workers} sync workers "
        f"· {args.connections} connections · {args.seconds} s x {args.rounds} rounds",
        flush=True,
    )
    names = set(args.only.split(","))
    growth = [int(n) for n in args.growth.split(",") if n]
    by_size: dict[int, list[Scenario]] = {}
    for rows in growth:
        soak_seconds, args.soak = args.soak, 0
        by_size[rows] = run_size(args, url, rows, names & {"by_id", "list", "stats"})
        args.soak = soak_seconds
    by_size[args.rows] = run_size(args, url, args.rows, names)
    for rows, items in by_size.items():
        print(f"\n== {rows:,} records, medians of {args.rounds} rounds")
        report(items)
    if growth:
        print("\n== growth: median latency (p50 ms) by table size")
        sizes = sorted(by_size)
        print(f"{'scenario':22}" + "".join(f"{n:>12,}" for n in sizes) + f"{'ratio':>8}")
        for name in ("by_id", "list", "stats"):
            p50 = []
            for n in sizes:
                found = [sc for sc in by_size[n] if sc.name == name and sc.results]
                p50.append(_median(found[0].results, "p50") if found else float("nan"))
            print(f"{name:22}" + "".join(f"{v:12.2f}" for v in p50) + f"{p50[-1] / p50[0]:8.2f}x")


if __name__ == "__main__":
    main()
