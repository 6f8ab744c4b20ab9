"""Prometheus metrics: per-route counts, latency and pool use, summed over gunicorn
workers (a real `serve` with two workers)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flask.testing import FlaskClient

from tests.conftest import ROOT


def _sample(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_count_requests_by_route_and_status(client: FlaskClient) -> None:
    client.get("/api/v1/procurements?limit=1")
    client.get("/api/v1/procurements/01a2b3c4-0000-7000-8000-000000000000")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    route = "/api/v1/procurements/<uuid:procurement_id>"
    assert _sample(text, "http_requests_total", route=route, status="404") >= 1
    assert _sample(text, "http_requests_total", route="/api/v1/procurements", status="200") >= 1
    assert "http_request_duration_seconds_bucket" in text
    assert "db_pool_connections_in_use" in text
    assert "01a2b3c4" not in text  # routes, never raw paths


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_metrics_add_up_across_gunicorn_workers(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-seed",
            "--no-migrate",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/live", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(40):  # sync workers close each connection: both workers serve
            urllib.request.urlopen(f"{base}/health/live", timeout=5).read()
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
            text = response.read().decode()
            assert not re.search(r"\d", response.headers.get("Server", ""))  # no version
        served = _sample(text, "http_requests_total", route="/health/live", status="200")
        assert served >= 41
        files = {p.name for p in tmp_path.glob("*.db")}
        pids = {re.search(r"_(\d+)\.db$", name).group(1) for name in files}  # type: ignore[union-attr]
        assert len(pids) >= 2  # several workers wrote samples; one answer sums them
    finally:
        server.terminate()
        server.wait(timeout=30)
