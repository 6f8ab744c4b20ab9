"""Prometheus metrics at /metrics, added up across gunicorn's workers.

- `http_requests_total{method, route, status}`: requests served (route is the URL
  rule, such as /api/v1/procurements/<uuid:procurement_id>, never the raw path);
- `http_request_duration_seconds{method, route}`: a latency histogram;
- `db_pool_connections_in_use`: connections the workers have checked out of their
  pools (the sum over live workers).

Under `serve`, workers write their samples to PROMETHEUS_MULTIPROC_DIR (a fresh
temporary folder unless set) and any worker answers /metrics with the sum of all;
a dead worker's samples are dropped (gunicorn's child_exit). Without that folder
(the tests, a single process) the process's own registry is used.
"""

from __future__ import annotations

import os
import time

import flask
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("http_requests_total", "HTTP requests served.", ["method", "route", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to produce a response.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL_IN_USE = Gauge(
    "db_pool_connections_in_use",
    "Database connections checked out of the workers' pools.",
    multiprocess_mode="livesum",
)


def render() -> flask.Response:
    """The current samples in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return flask.Response(body, content_type=CONTENT_TYPE_LATEST)


def init_app(app: flask.Flask, pool_in_use: object) -> None:
    """Time and count every request; sample the pool after each."""

    @app.before_request
    def _start() -> None:
        flask.g.metrics_start = time.perf_counter()

    @app.after_request
    def _record(response: flask.Response) -> flask.Response:
        started = flask.g.pop("metrics_start", None)
        rule = flask.request.url_rule
        route = rule.rule if rule is not None else "unmatched"
        method = flask.request.method
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
        POOL_IN_USE.set(pool_in_use())  # type: ignore[operator]
        return response
