"""Serialization failures and deadlocks (SQLSTATE 40001, 40P01) re-run the whole
transaction a bounded number of times, then answer 503 (checklist C11). Faults are
injected by a trigger that fails while a sequence (not rolled back) is low."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from service.db import MAX_ATTEMPTS, sqlalchemy_url
from tests.api.helpers import BASE
from tests.builders import record
from tests.conftest import Databases
from tests.live import bearer, live_server, migrated_database


@pytest.fixture(scope="module")
def server(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    url = migrated_database(databases)
    AUTH.update(bearer(url))
    admin = create_engine(sqlalchemy_url(url), isolation_level="AUTOCOMMIT")
    with live_server(url, tmp_path_factory.mktemp("unused")) as (base, _):
        yield base, admin
    admin.dispose()


def _inject(admin: Engine, failures: int, sqlstate: str) -> None:
    """The next `failures` inserts into procurement fail with `sqlstate`."""
    with admin.connect() as conn:
        conn.execute(text("DROP SEQUENCE IF EXISTS fault_seq"))
        conn.execute(text("CREATE SEQUENCE fault_seq"))
        conn.execute(
            text(
                f"""
                CREATE OR REPLACE FUNCTION inject_fault() RETURNS trigger AS $$
                BEGIN
                  IF nextval('fault_seq') <= {failures} THEN
                    RAISE EXCEPTION 'injected fault' USING ERRCODE = '{sqlstate}';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql
                """
            )
        )
        conn.execute(text("DROP TRIGGER IF EXISTS inject_fault ON procurement"))
        conn.execute(
            text(
                "CREATE TRIGGER inject_fault BEFORE INSERT ON procurement "
                "FOR EACH ROW EXECUTE FUNCTION inject_fault()"
            )
        )


AUTH: dict[str, str] = {}


def _post(base: str, body: dict[str, object]) -> tuple[int, dict[str, object], dict[str, str]]:
    request = urllib.request.Request(
        f"{base}{BASE}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **AUTH},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def _count(admin: Engine, external_id: str) -> int:
    with admin.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM procurement WHERE external_id = :e"), {"e": external_id}
            ).scalar_one()
        )


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_transient_conflict_is_retried_and_written_once(
    server: tuple[str, Engine], sqlstate: str
) -> None:
    base, admin = server
    _inject(admin, MAX_ATTEMPTS - 1, sqlstate)
    status, body, _ = _post(base, record(external_id=f"retry:{sqlstate}"))
    assert status == 201, body
    assert _count(admin, f"retry:{sqlstate}") == 1


def test_a_conflict_that_persists_is_503_with_retry_after(server: tuple[str, Engine]) -> None:
    base, admin = server
    _inject(admin, MAX_ATTEMPTS, "40001")
    status, body, headers = _post(base, record(external_id="retry:gives-up"))
    assert status == 503
    assert headers["Retry-After"] == "1"
    assert body["status"] == 503 and "retry" in str(body["detail"]).lower()
    assert _count(admin, "retry:gives-up") == 0
    with admin.connect() as conn:  # it tried exactly MAX_ATTEMPTS times
        assert conn.execute(text("SELECT last_value FROM fault_seq")).scalar_one() == MAX_ATTEMPTS
