"""Access control: API keys, scopes on every route, 401 and 403 (checklist S2, S3, S14)."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from service.api.access import declared_scope
from service.cli import cli
from service.config import Settings
from service.services import keys
from tests.api.helpers import BASE, assert_problem, create
from tests.builders import record
from tests.conftest import make_key

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SAMPLE_ID = "0190a000-0000-7000-8000-000000000000"


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) of every route, with sample path arguments."""
    out = []
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<uuid:\w+>", SAMPLE_ID, rule.rule)
        url = re.sub(r"<path:\w+>", "x.js", url)
        for method in sorted((rule.methods or set()) - {"OPTIONS", "HEAD"}):
            out.append((method, url, rule.endpoint))
    return out


def test_every_route_declares_its_scope(app: Flask) -> None:
    missing = [
        f"{method} {url}"
        for method, url, endpoint in _routes(app)
        if declared_scope(app, endpoint, method) is None
    ]
    assert missing == []


def test_every_write_needs_the_write_or_admin_scope(app: Flask) -> None:
    scopes = {
        (method, url): declared_scope(app, endpoint, method)
        for method, url, endpoint in _routes(app)
    }
    writes = {k: v for k, v in scopes.items() if k[0] in WRITES}
    assert writes
    assert set(writes.values()) <= {"write", "admin"}
    assert scopes[("GET", "/api/v1/keys")] == "admin"


def test_a_route_without_a_declared_scope_needs_admin(app: Flask, anonymous: FlaskClient) -> None:
    @app.route("/undeclared")
    def undeclared() -> str:
        return "should not be served"

    assert_problem(anonymous.get("/undeclared"), 401)
    read_only = make_key(app, "reader", "write")
    response = anonymous.get("/undeclared", headers={"Authorization": f"Bearer {read_only}"})
    assert_problem(response, 403)


def test_writes_without_a_key_are_401_with_a_challenge_and_write_nothing(
    anonymous: FlaskClient, client: FlaskClient
) -> None:
    before = client.get(f"{BASE}?count=exact").get_json()["total"]
    for method, url, body in [
        ("POST", BASE, record()),
        ("POST", "/api/v1/procurements:batch", [record()]),
        ("PUT", f"{BASE}/{SAMPLE_ID}", record()),
        ("DELETE", f"{BASE}/{SAMPLE_ID}", None),
        ("POST", "/api/v1/articles", {"text": "Belgium buys Piorun from Poland."}),
        ("POST", "/api/v1/imports", None),
    ]:
        response = anonymous.open(url, method=method, json=body)
        problem = assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="procurement-tracker"'
        assert "write" in problem["detail"]
    assert client.get(f"{BASE}?count=exact").get_json()["total"] == before


def test_reads_are_public_by_default(anonymous: FlaskClient, client: FlaskClient) -> None:
    rid = create(client, record())["id"]
    assert anonymous.get(BASE).status_code == 200
    assert anonymous.get(f"{BASE}/{rid}").status_code == 200
    assert anonymous.get("/api/v1/stats?group_by=buyer").status_code == 200


def test_a_read_only_key_is_403_on_every_write(app: Flask, client: FlaskClient) -> None:
    rid = create(client, record())["id"]
    reader = {"Authorization": f"Bearer {make_key(app, 'reader', 'read')}"}
    tested = 0
    for method, url, endpoint in _routes(app):
        if method not in WRITES:
            continue
        url = url.replace(SAMPLE_ID, rid)
        response = client.open(url, method=method, json={}, headers=reader)
        problem = assert_problem(response, 403)
        assert "'reader'" in problem["detail"], endpoint
        tested += 1
    assert tested >= 9
    assert client.get(f"{BASE}/{rid}").get_json()["version"] == 1


def test_a_write_key_cannot_manage_keys(app: Flask, anonymous: FlaskClient) -> None:
    writer = {"Authorization": f"Bearer {make_key(app, 'writer', 'write')}"}
    assert_problem(anonymous.get("/api/v1/keys", headers=writer), 403)
    body = {"name": "sneaky", "scopes": ["admin"]}
    assert_problem(anonymous.post("/api/v1/keys", json=body, headers=writer), 403)
    assert anonymous.post(BASE, json=record(), headers=writer).status_code == 201


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token {key}",
        "Bearer {key} ",
        "Bearer  {key}",
        "Bearer {key}x",
        "Bearer ptk_" + "A" * 49,  # right shape, wrong checksum
        "Bearer {unknown}",  # well-formed, never issued
    ],
)
def test_malformed_or_unknown_keys_are_401(app: Flask, anonymous: FlaskClient, header: str) -> None:
    key = make_key(app, "someone", "write")
    sent = header.format(key=key, unknown=keys.new_secret())
    response = anonymous.post(BASE, json=record(), headers={"Authorization": sent})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="procurement-tracker"')


def test_a_key_in_the_url_is_refused(app: Flask, anonymous: FlaskClient) -> None:
    key = make_key(app, "leaky", "read")
    for name in ("api_key", "access_token", "token"):
        response = anonymous.get(f"{BASE}?{name}={key}")
        problem = assert_problem(response, 401)
        assert "Authorization header" in problem["detail"]
        assert key not in response.get_data(as_text=True)


def test_a_bad_key_on_a_public_read_is_reported(anonymous: FlaskClient) -> None:
    response = anonymous.get(BASE, headers={"Authorization": f"Bearer {keys.new_secret()}"})
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_probes_ignore_keys(anonymous: FlaskClient) -> None:
    headers = {"Authorization": "Bearer nonsense"}
    assert anonymous.get("/health/live", headers=headers).status_code == 200
    assert anonymous.get("/health/ready", headers=headers).status_code == 200


def test_read_access_key_makes_every_read_need_a_key(
    app: Flask, settings: Settings, anonymous: FlaskClient
) -> None:
    app.extensions["settings"] = replace(settings, read_access="key")
    assert_problem(anonymous.get(BASE), 401)
    assert_problem(anonymous.get("/api/v1/stats?group_by=buyer"), 401)
    assert_problem(anonymous.get("/metrics"), 401)
    reader = {"Authorization": f"Bearer {make_key(app, 'reader', 'read')}"}
    assert anonymous.get(BASE, headers=reader).status_code == 200
    assert anonymous.get("/health/ready").status_code == 200  # probes stay public
    assert anonymous.get("/api/v1/openapi.json").status_code == 200


def test_keys_api_creates_lists_and_revokes_with_immediate_effect(
    client: FlaskClient, anonymous: FlaskClient
) -> None:
    response = client.post("/api/v1/keys", json={"name": "analyst-1", "scopes": ["write"]})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    secret = created["secret"]
    assert keys.well_formed(secret) and secret.startswith(created["prefix"])
    assert created["scopes"] == ["write"] and created["created_by"] == "test-admin"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Location"].endswith(created["id"])

    listed = client.get("/api/v1/keys").get_json()
    assert [k["name"] for k in listed] == ["test-admin", "analyst-1"]
    assert secret not in client.get("/api/v1/keys").get_data(as_text=True)
    assert "secret" not in client.get(f"/api/v1/keys/{created['id']}").get_json()

    auth = {"Authorization": f"Bearer {secret}"}
    assert anonymous.post(BASE, json=record(), headers=auth).status_code == 201

    revoked = client.delete(f"/api/v1/keys/{created['id']}")
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    response = anonymous.post(BASE, json=record(), headers=auth)
    assert "revoked" in assert_problem(response, 401)["detail"]
    assert [k["name"] for k in client.get("/api/v1/keys").get_json()] == ["test-admin"]
    everything = client.get("/api/v1/keys?include_revoked=true").get_json()
    assert [k["name"] for k in everything] == ["test-admin", "analyst-1"]


def test_keys_api_refuses_bad_input(client: FlaskClient) -> None:
    assert_problem(client.post("/api/v1/keys", json={"name": "x", "scopes": []}), 422, "scopes")
    assert_problem(
        client.post("/api/v1/keys", json={"name": "x", "scopes": ["root"]}), 422, "scopes"
    )
    assert_problem(
        client.post("/api/v1/keys", json={"name": " bad name", "scopes": ["read"]}), 422, "name"
    )
    assert_problem(
        client.post("/api/v1/keys", json={"name": "x", "scopes": ["read"], "secret": "mine"}),
        422,
        "secret",
    )
    assert client.post("/api/v1/keys", json={"name": "dup", "scopes": ["read"]}).status_code == 201
    assert_problem(client.post("/api/v1/keys", json={"name": "dup", "scopes": ["read"]}), 409)
    assert_problem(client.delete(f"/api/v1/keys/{SAMPLE_ID}"), 404)


def test_the_database_holds_only_a_digest(app: Flask, engine: Engine, client: FlaskClient) -> None:
    secret = client.post("/api/v1/keys", json={"name": "hashed", "scopes": ["read"]}).get_json()[
        "secret"
    ]
    from service.db import get_db

    with app.app_context(), get_db().sessionmaker() as session:
        rows = session.execute(text("SELECT * FROM api_key WHERE name = 'hashed'")).mappings().all()
    assert len(rows) == 1
    stored = " ".join(str(v) for v in rows[0].values())
    assert secret not in stored
    assert secret[12:] not in stored  # not even the part after the shown prefix
    assert rows[0]["digest"] == hashlib.sha256(secret.encode()).hexdigest()


def test_keys_and_authorization_values_never_reach_the_logs(
    app: Flask, anonymous: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    key = make_key(app, "logged", "read")
    with caplog.at_level(logging.DEBUG):
        anonymous.get(BASE, headers={"Authorization": f"Bearer {key}"})
        anonymous.post(BASE, json=record(), headers={"Authorization": f"Bearer {key}"})
        anonymous.get(f"{BASE}?api_key={key}")
        anonymous.get(BASE, headers={"Authorization": f"Bearer {key}x"})
    assert key not in caplog.text


def test_the_access_log_redacts_keys_in_urls() -> None:
    from service.observability import redact

    assert redact("cursor=abc&api_key=ptk_secret&x=1") == "cursor=abc&api_key=[redacted]&x=1"
    assert redact("GET /x?access_token=ptk_s HTTP/1.1") == "GET /x?access_token=[redacted] HTTP/1.1"
    assert redact("status=intent") == "status=intent"


def test_keys_cli_creates_lists_and_revokes(database_url: str, engine: Engine) -> None:
    env = {"DATABASE_URL": database_url}
    runner = CliRunner()
    created = runner.invoke(
        cli, ["keys", "create", "--name", "cli-user", "--scope", "write"], env=env
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert keys.well_formed(secret)
    listed = runner.invoke(cli, ["keys", "list"], env=env)
    assert "cli-user" in listed.output and "write" in listed.output
    assert secret not in listed.output
    again = runner.invoke(cli, ["keys", "create", "--name", "cli-user", "--scope", "read"], env=env)
    assert again.exit_code != 0 and "already named" in again.output
    revoked = runner.invoke(cli, ["keys", "revoke", "cli-user"], env=env)
    assert revoked.exit_code == 0, revoked.output
    with engine.begin() as conn:
        row: Any = conn.execute(
            text("SELECT revoked_at FROM api_key WHERE digest = :d"), {"d": keys.digest(secret)}
        ).one()
        assert row.revoked_at is not None
        conn.execute(text("DELETE FROM api_key WHERE name = 'cli-user'"))
    missing = runner.invoke(cli, ["keys", "revoke", "cli-user"], env=env)
    assert missing.exit_code != 0


def test_key_format_has_prefix_entropy_and_checksum() -> None:
    made = {keys.new_secret() for _ in range(200)}
    assert len(made) == 200
    for secret in made:
        assert secret.startswith("ptk_") and len(secret) == keys.LENGTH
        assert keys.well_formed(secret)
    one = next(iter(made))
    flipped = one[:10] + ("A" if one[10] != "A" else "B") + one[11:]
    assert not keys.well_formed(flipped)
    assert keys.granted(["write"]) == {"read", "write"}
    assert keys.granted(["admin"]) == {"read", "write", "admin"}
