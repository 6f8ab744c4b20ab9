"""The change feed, against a served app on its own database (changes must really
commit to be listed)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from service.db import sqlalchemy_url
from service.services import procurements
from tests.builders import record
from tests.conftest import Databases
from tests.live import bearer, live_server, migrated_database

BASE = "/api/v1/procurements"


class Live:
    def __init__(self, base: str, url: str, auth: dict[str, str]) -> None:
        self.base, self.url, self.auth = base, url, auth

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        content = (
            {
                "Content-Type": "application/merge-patch+json"
                if method == "PATCH"
                else "application/json"
            }
            if data
            else {}
        )
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={**self.auth, **content, **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def feed(self, link: str) -> tuple[list[dict[str, Any]], str]:
        status, page = self.call("GET", link)
        assert status == 200, page
        return page["items"], page["next"]


@pytest.fixture(scope="module")
def live(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    url = migrated_database(databases)
    auth = bearer(url)
    with live_server(url, tmp_path_factory.mktemp("unused")) as (base, _):
        yield Live(base, url, auth)


def _drain(live: Live, link: str) -> tuple[list[dict[str, Any]], str]:
    seen: list[dict[str, Any]] = []
    while True:
        items, following = live.feed(link)
        if not items:
            assert following == link  # nothing new: the same position to ask again
            return seen, link
        seen.extend(items)
        link = following


def test_the_feed_lists_every_change_in_order_and_resumes(live: Live) -> None:
    _, start = _drain(live, "/api/v1/changes?limit=2")
    status, a = live.call("POST", BASE, record(external_id="feed:a"))
    assert status == 201
    live.call("PATCH", f"{BASE}/{a['id']}", {"quantity_max": 250})
    live.call("DELETE", f"{BASE}/{a['id']}")
    status, b = live.call("POST", BASE, record(external_id="feed:b"))
    seen, end = _drain(live, start)
    assert [(c["procurement_id"], c["op"]) for c in seen] == [
        (a["id"], "create"),
        (a["id"], "update"),
        (a["id"], "delete"),
        (b["id"], "create"),
    ]
    assert seen[1]["record"]["quantity_max"] == 250
    assert {"field": "quantity_max", "old": 300, "new": 250} in seen[1]["changes"]
    assert seen[2]["record"] is None  # the mirror learns of the deletion
    assert seen[3]["record"]["external_id"] == "feed:b"
    assert all(c["actor"] == "live-admin" for c in seen)
    ids = [c["id"] for c in seen]
    assert ids == sorted(ids)
    assert live.feed(end)[0] == []


def test_a_late_commit_is_never_skipped(live: Live) -> None:
    _, start = _drain(live, "/api/v1/changes")
    engine = create_engine(sqlalchemy_url(live.url))
    try:
        with Session(engine) as slow:
            early = procurements.create(slow, record(external_id="feed:slow", sources=[]))
            # While `slow` is open, a later transaction commits...
            status, fast = live.call("POST", BASE, record(external_id="feed:fast"))
            assert status == 201
            # ...and is held back: listing it now would let `slow` commit behind the cursor.
            assert live.feed(start)[0] == []
            slow.commit()
            early_id = str(early.id)
    finally:
        engine.dispose()
    seen, _ = _drain(live, start)
    assert [c["procurement_id"] for c in seen] == [early_id, fast["id"]]


def test_bad_cursors_are_400(live: Live) -> None:
    for bad in ("abc", "1", "1.2.3", "-1.5", "9" * 30 + ".1"):
        status, body = live.call("GET", f"/api/v1/changes?since={bad}")
        assert status == 400, (bad, body)
        assert "since" in body["errors"]
    status, body = live.call("GET", "/api/v1/changes?limit=0")
    assert status == 400
