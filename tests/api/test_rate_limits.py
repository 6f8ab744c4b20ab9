"""Rate limits: writes and imports per key, reads per address, wrong keys per address;
429 problem+json with Retry-After; counters shared through Redis (checklist S6)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from service.app import create_app
from service.config import Settings
from service.db import get_db
from tests.api.helpers import BASE, assert_problem
from tests.builders import record
from tests.conftest import make_key

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
AppFactory = Callable[..., Flask]


@pytest.fixture
def limited(settings: Settings, engine: Engine) -> Iterator[AppFactory]:
    """Apps with rate limits on (and the given settings), in one rolled-back transaction."""
    with engine.connect() as connection:
        transaction = connection.begin()

        def build(**overrides: Any) -> Flask:
            app = create_app(replace(settings, rate_limits=True, **overrides))
            app.config["TESTING"] = True
            get_db(app).bind_to(connection)
            return app

        yield build
        transaction.rollback()


def _client(app: Flask, name: str, *scopes: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_key(app, name, *scopes)}"
    return client


def _assert_429(response: Any) -> None:
    body = assert_problem(response, 429)
    assert body["type"].endswith("rate-limited")
    assert int(response.headers["Retry-After"]) >= 1


def test_writes_are_limited_per_key(limited: AppFactory) -> None:
    app = limited(rate_limit_writes="3/minute")
    alice, bob = _client(app, "alice", "write"), _client(app, "bob", "write")
    for _ in range(3):
        assert alice.post(BASE, json=record()).status_code == 201
    refused = alice.post(BASE, json=record(external_id="refused"))
    _assert_429(refused)
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert bob.post(BASE, json=record()).status_code == 201  # another key, its own budget
    listed = alice.get(f"{BASE}?external_id=refused&count=exact").get_json()
    assert listed["total"] == 0  # the refused write wrote nothing
    assert alice.get(BASE).status_code == 200  # reads have their own budget


def test_reads_are_limited_per_address_and_spoofing_does_not_help(limited: AppFactory) -> None:
    app = limited(rate_limit_reads="5/minute")
    client = app.test_client()
    for n in range(5):
        response = client.get(BASE)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "5"
        assert response.headers["X-RateLimit-Remaining"] == str(4 - n)
    _assert_429(client.get(BASE))
    spoofed = client.get(BASE, headers={"X-Forwarded-For": "203.0.113.7"})
    _assert_429(spoofed)
    other = client.get(BASE, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert other.status_code == 200  # another address, its own budget
    for _ in range(10):  # probes and docs are never limited
        assert client.get("/health/ready").status_code == 200
        assert client.get("/api/v1/openapi.json").status_code == 200


def test_a_trusted_proxy_makes_the_forwarded_address_count(limited: AppFactory) -> None:
    app = limited(rate_limit_reads="2/minute", trusted_proxies=1)
    client = app.test_client()
    for _ in range(2):
        assert client.get(BASE, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
    _assert_429(client.get(BASE, headers={"X-Forwarded-For": "203.0.113.7"}))
    assert client.get(BASE, headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 200


def test_imports_have_their_own_smaller_limit(limited: AppFactory) -> None:
    app = limited(rate_limit_imports="1/minute")
    client = _client(app, "importer", "write")
    ndjson = (
        b'{"buyer": "Belgium", "seller": "Poland", "system": "Piorun", '
        b'"category": "air-defence", "status": "intent", "external_id": "rl:1"}\n'
    )
    first = client.post("/api/v1/imports", data=ndjson, content_type="application/x-ndjson")
    assert first.status_code == 200, first.get_json()
    _assert_429(client.post("/api/v1/imports", data=ndjson, content_type="application/x-ndjson"))
    assert client.post(BASE, json=record()).status_code == 201  # writes are counted apart


def test_wrong_keys_are_limited_per_address(limited: AppFactory) -> None:
    app = limited(rate_limit_auth_failures="3/minute")
    client = app.test_client()
    wrong = {"Authorization": "Bearer ptk_" + "x" * 49}
    for _ in range(3):
        assert_problem(client.post(BASE, json=record(), headers=wrong), 401)
    _assert_429(client.post(BASE, json=record(), headers=wrong))
    # The address is locked out for the window, whatever key it tries next.
    good = {"Authorization": f"Bearer {make_key(app, 'late', 'write')}"}
    _assert_429(client.post(BASE, json=record(), headers=good))
    elsewhere = client.post(
        BASE, json=record(), headers=good, environ_base={"REMOTE_ADDR": "198.51.100.9"}
    )
    assert elsewhere.status_code == 201


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis (REDIS_TEST_URL). CI must have it; elsewhere the test is
    skipped when no Redis answers."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Redis at {REDIS_URL} (REDIS_TEST_URL)")
        pytest.skip(f"no Redis at {REDIS_URL}")
    connection.flushdb()
    return REDIS_URL


def test_redis_shares_the_counters_between_workers(limited: AppFactory, redis_url: str) -> None:
    # Two apps stand for two gunicorn workers: with Redis they share one budget.
    limit = f"4/minute;{uuid.uuid4().int % 1000 + 5}/hour"  # a fresh limit: fresh keys
    first = limited(rate_limit_writes=limit, redis_url=redis_url)
    second = limited(rate_limit_writes=limit, redis_url=redis_url)
    key = make_key(first, "shared", "write")
    clients = [app.test_client() for app in (first, second)]
    for client in clients:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    statuses = [clients[n % 2].post(BASE, json=record()).status_code for n in range(6)]
    assert statuses == [201, 201, 201, 201, 429, 429]

    import redis

    stored = redis.Redis.from_url(redis_url).keys("LIMITS*")
    assert stored, "the counters live in Redis"


def test_without_redis_each_worker_counts_alone(limited: AppFactory) -> None:
    first = limited(rate_limit_writes="2/minute")
    second = limited(rate_limit_writes="2/minute")
    key = make_key(first, "separate", "write")
    statuses = []
    for app in (first, second):
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        statuses += [client.post(BASE, json=record()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429, 201, 201, 429]  # documented: a limit per worker


def test_rate_limit_settings_are_checked() -> None:
    from service.config import ConfigError

    with pytest.raises(ConfigError, match="RATE_LIMIT_WRITES"):
        Settings.from_env({"RATE_LIMIT_WRITES": "fast"})
    with pytest.raises(ConfigError, match="REDIS_URL"):
        Settings.from_env({"REDIS_URL": "http://cache"})
    assert Settings.from_env({"RATE_LIMITS": "false"}).rate_limits is False
