"""ETags, If-None-Match, If-Match (412), REQUIRE_IF_MATCH (428), and compare-and-set
under a race: of 20 writers holding one ETag exactly one wins (checklist C1)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.config import Settings
from tests.api.helpers import BASE, assert_problem, create
from tests.builders import record
from tests.conftest import Databases
from tests.live import bearer, live_server, migrated_database

PATCH = "application/merge-patch+json"


def _patch(client: FlaskClient, rid: str, body: dict[str, object], **headers: str):  # type: ignore[no-untyped-def]
    return client.patch(f"{BASE}/{rid}", data=json.dumps(body), content_type=PATCH, headers=headers)


def test_reads_carry_an_etag_and_if_none_match_gives_304(client: FlaskClient) -> None:
    created = client.post(BASE, json=record())
    rid, tag = created.get_json()["id"], created.headers["ETag"]
    read = client.get(f"{BASE}/{rid}")
    assert read.headers["ETag"] == tag and tag.startswith('"')
    cached = client.get(f"{BASE}/{rid}", headers={"If-None-Match": f'"other", {tag}'})
    assert (cached.status_code, cached.get_data(), cached.headers["ETag"]) == (304, b"", tag)
    changed = _patch(client, rid, {"status": "contracted"})
    assert changed.headers["ETag"] != tag
    assert client.get(f"{BASE}/{rid}", headers={"If-None-Match": tag}).status_code == 200


def test_if_match_guards_put_patch_and_delete(client: FlaskClient) -> None:
    rid = create(client, record())["id"]
    old = client.get(f"{BASE}/{rid}").headers["ETag"]
    ok = _patch(client, rid, {"status": "contracted"}, **{"If-Match": old})
    assert ok.status_code == 200
    new = ok.headers["ETag"]
    stale = _patch(client, rid, {"status": "cancelled"}, **{"If-Match": old})
    assert_problem(stale, 412)
    assert client.get(f"{BASE}/{rid}").get_json()["status"] == "contracted"  # nothing written
    body = record(status="delivered")
    assert_problem(client.put(f"{BASE}/{rid}", json=body, headers={"If-Match": old}), 412)
    assert_problem(client.delete(f"{BASE}/{rid}", headers={"If-Match": old}), 412)
    assert client.get(f"{BASE}/{rid}").status_code == 200
    assert client.put(f"{BASE}/{rid}", json=body, headers={"If-Match": "*"}).status_code == 200
    latest = client.get(f"{BASE}/{rid}").headers["ETag"]
    assert new != latest
    assert client.delete(f"{BASE}/{rid}", headers={"If-Match": latest}).status_code == 204


@pytest.fixture
def strict_client(settings: Settings, app: Flask, client: FlaskClient) -> FlaskClient:
    """A client of an app with REQUIRE_IF_MATCH on, in the same test transaction."""
    app.extensions["settings"] = replace(settings, require_if_match=True)
    return client


def test_require_if_match_makes_writes_without_it_428(strict_client: FlaskClient) -> None:
    rid = create(strict_client, record())["id"]  # creating needs no If-Match
    tag = strict_client.get(f"{BASE}/{rid}").headers["ETag"]
    assert_problem(_patch(strict_client, rid, {"status": "contracted"}), 428)
    assert_problem(strict_client.put(f"{BASE}/{rid}", json=record()), 428)
    assert_problem(strict_client.delete(f"{BASE}/{rid}"), 428)
    assert _patch(strict_client, rid, {"notes": "x"}, **{"If-Match": tag}).status_code == 200


@pytest.fixture(scope="module")
def live(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on its own database, served by a threaded server: real concurrency."""
    url = migrated_database(databases)
    AUTH.update(bearer(url))
    with live_server(url, tmp_path_factory.mktemp("unused"), db_pool_size=25) as (base, _):
        yield base


AUTH: dict[str, str] = {}


def _call(url: str, method: str, body: dict[str, object] | None = None, **headers: str):  # type: ignore[no-untyped-def]
    headers = {**AUTH, **headers}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_twenty_racing_writers_with_one_etag_one_wins(live: str, method: str) -> None:
    for round_ in range(3):  # every time, not once
        status, headers, body = _call(
            f"{live}{BASE}", "POST", record(), **{"Content-Type": "application/json"}
        )
        assert status == 201
        url = f"{live}{BASE}/{json.loads(body)['id']}"
        tag = headers["ETag"]
        barrier = threading.Barrier(20)
        results: list[int] = []

        def write(
            n: int, url: str = url, tag: str = tag, barrier: threading.Barrier = barrier
        ) -> None:
            barrier.wait()
            if method == "PATCH":
                outcome = _call(
                    url,
                    "PATCH",
                    {"notes": f"writer {n}"},
                    **{"Content-Type": PATCH, "If-Match": tag},
                )
            elif method == "PUT":
                outcome = _call(
                    url,
                    "PUT",
                    record(notes=f"writer {n}"),
                    **{"Content-Type": "application/json", "If-Match": tag},
                )
            else:
                outcome = _call(url, "DELETE", **{"If-Match": tag})
            results.append(outcome[0])  # noqa: B023 (the list is read after join)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winner = 204 if method == "DELETE" else 200
        assert sorted(results) == [winner] + [412] * 19, (round_, results)
        if method != "DELETE":
            status, headers, body = _call(url, "GET")
            assert json.loads(body)["version"] == 2  # one write, not two
