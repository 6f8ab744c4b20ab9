"""CPU time per request in process: the WSGI app called directly, no HTTP server.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python bench/wsgi_cpu.py
        [--kind id|list|live|create] [--requests 3000] [--profile]

Isolates the service's own Python cost from gunicorn, the network and the load
generator: how profiling changes to the read and write paths were measured (run
the old and the new version alternately: the machine's speed drifts). `live` is
the floor every route pays (Flask and the hooks); `create` posts a record with an
Idempotency-Key under a key made for the run (it writes to the database).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_bench as hb  # bench/ is not a package: imported by path

os.environ.setdefault("DATABASE_URL", hb.DEFAULT_URL)
os.environ.setdefault("RATE_LIMITS", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from service.app import create_app  # imported after the environment it reads is set


def environ(path: str, query: str = "", method: str = "GET", body: bytes = b"") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", choices=("id", "list", "live", "create"), default="id")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 30")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    sample = hb._sample(url)
    app = create_app()
    body = json.dumps(hb.CREATE_BODY).encode()
    key = ""
    if args.kind == "create":
        out = subprocess.run(
            [sys.executable, "-m", "service", "keys", "create", "--name",
             f"wsgi-{time.time_ns()}", "--scope", "write"],
            capture_output=True, text=True, check=True, cwd=hb.ROOT,
        ).stdout  # fmt: skip
        found = re.search(r"ptk_\w+", out)
        assert found, out
        key = found.group()

    def one(i: int) -> None:
        if args.kind == "id":
            env = environ(f"/api/v1/procurements/{sample['ids'][i % len(sample['ids'])]}")
        elif args.kind == "list":
            buyer = sample["buyers"][i % len(sample["buyers"])]
            query = urllib.parse.urlencode({"buyer": buyer, "sort": "-announced_on"})
            env = environ("/api/v1/procurements", query + "&limit=50")
        elif args.kind == "live":
            env = environ("/health/live")
        else:
            env = environ("/api/v1/procurements", method="POST", body=body)
            env["CONTENT_TYPE"] = "application/json"
            env["HTTP_AUTHORIZATION"] = f"Bearer {key}"
            env["HTTP_IDEMPOTENCY_KEY"] = uuid.uuid4().hex
        statuses: list[str] = []
        b"".join(app(env, lambda status, headers, *_: statuses.append(status)))
        assert statuses[0][:1] == "2", statuses

    for i in range(300):  # warm up: pool, prepared statements, caches
        one(i)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(args.requests):
        one(i)
    n = args.requests
    print(
        f"{args.kind}: {1000 * (time.process_time() - cpu) / n:.3f} ms CPU, "
        f"{1000 * (time.perf_counter() - wall) / n:.3f} ms wall per request ({n} requests)"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for i in range(n):
            one(i)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
