"""History: revisions, attribution, reasons, status dates, as-of reads, tombstones."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from service.db import get_db
from tests.api.helpers import BASE, assert_problem, create
from tests.builders import record
from tests.conftest import make_key

PATCH = "application/merge-patch+json"


def _patch(client: FlaskClient, rid: str, body: dict[str, Any], **headers: str):  # type: ignore[no-untyped-def]
    return client.patch(f"{BASE}/{rid}", json=body, content_type=PATCH, headers=headers)


def _history(client: FlaskClient, rid: str) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/{rid}/history")
    assert response.status_code == 200, response.get_json()
    items: list[dict[str, Any]] = response.get_json()["items"]
    return items


def _changed(revision: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["old"], c["new"]) for c in revision["changes"]}


def test_a_created_record_names_its_author_and_has_one_revision(client: FlaskClient) -> None:
    created = create(client, record())
    assert created["created_by"] == created["updated_by"] == "test-admin"
    assert set(created["status_dates"]) == {"intent"}
    (first,) = _history(client, created["id"])
    assert (first["n"], first["op"], first["actor"]) == (1, "create", "test-admin")
    changed = _changed(first)
    assert changed["system"] == (None, "Piorun")
    assert changed["quantity_max"] == (None, 300)
    assert "version" not in changed and "updated_at" not in changed


def test_an_update_records_old_and_new_values_who_and_why(app: Flask, client: FlaskClient) -> None:
    rid = create(client, record())["id"]
    editor = {"Authorization": f"Bearer {make_key(app, 'editor', 'write')}"}
    response = _patch(
        client,
        rid,
        {"quantity_max": 250, "notes": "revised"},
        **editor,
        **{"X-Change-Reason": "Ministry figure"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["created_by"], body["updated_by"]) == ("test-admin", "editor")
    revisions = _history(client, rid)
    assert [r["n"] for r in revisions] == [1, 2]
    second = revisions[1]
    assert (second["op"], second["actor"], second["reason"]) == (
        "update",
        "editor",
        "Ministry figure",
    )
    assert _changed(second) == {"quantity_max": (300, 250), "notes": (None, "revised")}


def test_an_identical_write_adds_no_revision(client: FlaskClient) -> None:
    rid = create(client, record())["id"]
    assert client.put(f"{BASE}/{rid}", json=record()).status_code == 200
    assert len(_history(client, rid)) == 1


def test_status_dates_and_backwards_moves_need_a_reason(client: FlaskClient) -> None:
    rid = create(client, record(status="intent"))["id"]
    moved = _patch(client, rid, {"status": "contracted"}).get_json()
    assert set(moved["status_dates"]) == {"intent", "contracted"}
    assert moved["status_dates"]["contracted"] >= moved["status_dates"]["intent"]
    refused = _patch(client, rid, {"status": "intent"})
    problem = assert_problem(refused, 422, "status")
    assert "reason" in problem["errors"]["status"][0]
    assert client.get(f"{BASE}/{rid}").get_json()["status"] == "contracted"
    back = _patch(client, rid, {"status": "intent", "reason": "The contract was misreported"})
    assert back.status_code == 200, back.get_json()
    last = _history(client, rid)[-1]
    assert last["reason"] == "The contract was misreported"
    assert _changed(last) == {"status": ("contracted", "intent")}
    # cancelled -> anything is a revival: a reason is needed too
    _patch(client, rid, {"status": "cancelled"})
    assert_problem(client.put(f"{BASE}/{rid}", json=record(status="approved")), 422, "status")
    revived = client.put(
        f"{BASE}/{rid}",
        json=record(status="approved"),
        headers={"X-Change-Reason": "Deal revived"},
    )
    assert revived.status_code == 200


def test_list_filters_by_when_a_status_was_entered(client: FlaskClient) -> None:
    rid = create(client, record(status="intent", external_id="entered:1"))["id"]
    create(client, record(status="intent", external_id="entered:2"))
    _patch(client, rid, {"status": "contracted"})

    def ids(query: str) -> set[str]:
        response = client.get(f"{BASE}?limit=500&{query}")
        assert response.status_code == 200, response.get_json()
        return {item["external_id"] for item in response.get_json()["items"]}

    assert ids("status_entered=contracted&external_id__startswith=entered:") == {"entered:1"}
    since = "status_entered_since=2000-01-01T00:00:00Z"
    assert ids(f"status_entered=intent&{since}&external_id__startswith=entered:") == {
        "entered:1",
        "entered:2",
    }
    assert ids("status_entered=contracted&status_entered_before=2000-01-01T00:00:00Z") == set()
    assert ids("status_entered=intent&status_entered_since=2999-01-01T00:00:00Z") == set()
    assert_problem(client.get(f"{BASE}?status_entered_since=2020-01-01"), 400)
    assert_problem(client.get(f"{BASE}?status_entered=sold"), 400)


def test_delete_leaves_a_tombstone_and_as_of_reads_the_past(
    app: Flask, client: FlaskClient
) -> None:
    rid = create(client, record(quantity_max=300))["id"]
    # Revisions are stamped with their transaction's start: in this test all requests
    # share one transaction, so the times are set apart by hand.
    _patch(client, rid, {"quantity_max": 280})
    assert (
        client.delete(f"{BASE}/{rid}", headers={"X-Change-Reason": "duplicate"}).status_code == 204
    )
    with get_db(app).sessionmaker() as session:
        session.execute(
            text(
                "UPDATE procurement_revision SET changed_at = ('2026-01-0' || n "
                "|| ' 12:00Z')::timestamptz WHERE procurement_id = :id"
            ),
            {"id": rid},
        )
        session.commit()
    assert_problem(client.get(f"{BASE}/{rid}"), 404)
    revisions = _history(client, rid)
    assert [r["op"] for r in revisions] == ["create", "update", "delete"]
    assert revisions[-1]["reason"] == "duplicate" and revisions[-1]["changes"] == []

    def as_of(moment: str):  # type: ignore[no-untyped-def]
        return client.get(f"{BASE}/{rid}?as_of={moment}")

    assert as_of("2026-01-01T13:00:00Z").get_json()["quantity_max"] == 300
    assert as_of("2026-01-02T13:00:00").get_json()["quantity_max"] == 280  # no offset: UTC
    assert_problem(as_of("2026-01-03T13:00:00Z"), 410)
    assert_problem(as_of("2025-12-31T00:00:00Z"), 404)
    assert_problem(as_of("yesterday"), 400, "as_of")

    entry = client.get(f"{BASE}/{rid}/history/2").get_json()
    assert _changed(entry) == {"quantity_max": (300, 280)}
    assert entry["record"]["quantity_max"] == 280 and entry["record"]["id"] == rid
    assert client.get(f"{BASE}/{rid}/history/3").get_json()["record"] is None
    assert_problem(client.get(f"{BASE}/{rid}/history/9"), 404)


def test_as_of_now_equals_the_current_record(client: FlaskClient) -> None:
    created = create(client, record(value_amount="1234567890.12", value_currency="EUR"))
    time.sleep(0.01)
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    past = client.get(f"{BASE}/{created['id']}?as_of={now}").get_json()
    current = client.get(f"{BASE}/{created['id']}").get_json()
    assert past == current
    assert past["value_amount"] == "1234567890.12"


def test_imports_and_batches_leave_attributed_revisions(client: FlaskClient) -> None:
    items = [record(external_id="hist:1"), record(external_id="hist:2")]
    response = client.post(f"{BASE}:batch", json=items, headers={"X-Change-Reason": "weekly sync"})
    assert response.status_code == 200, response.get_json()
    rid = response.get_json()["items"][0]["id"]
    (first,) = _history(client, rid)
    assert (first["actor"], first["reason"]) == ("test-admin", "weekly sync")
    items[0]["quantity_max"] = 310
    client.post(f"{BASE}:batch", json=items)
    revisions = _history(client, rid)
    assert [r["op"] for r in revisions] == ["create", "update"]
    assert _changed(revisions[1]) == {"quantity_max": (300, 310)}
    with_reason = [record(external_id="hist:3", reason="mine")]
    assert_problem(client.post(f"{BASE}:batch", json=with_reason), 422, "0")


def test_bad_reasons_are_refused(client: FlaskClient) -> None:
    rid = create(client, record())["id"]
    assert_problem(_patch(client, rid, {"notes": "x"}, **{"X-Change-Reason": "x" * 501}), 400)
    assert_problem(_patch(client, rid, {"notes": "x", "reason": ""}), 422, "reason")
    assert len(_history(client, rid)) == 1


def test_imports_are_kept_with_the_key_that_ran_them(app: Flask, client: FlaskClient) -> None:
    ndjson = (
        b'{"buyer": "Belgium", "seller": "Poland", "system": "Piorun", '
        b'"category": "air-defence", "status": "intent", "external_id": "run:1"}\n'
    )
    importer = {"Authorization": f"Bearer {make_key(app, 'importer', 'write')}"}
    dry = client.post(
        "/api/v1/imports?dry_run=true",
        data=ndjson,
        content_type="application/x-ndjson",
        headers=importer,
    ).get_json()
    assert dry["id"] is None and dry["committed"] is False
    done = client.post(
        "/api/v1/imports", data=ndjson, content_type="application/x-ndjson", headers=importer
    ).get_json()
    assert done["imported_by"] == "importer" and done["created"] == 1
    runs = client.get("/api/v1/imports").get_json()
    assert [(r["id"], r["actor"], r["created"]) for r in runs] == [(done["id"], "importer", 1)]
    one = client.get(f"/api/v1/imports/{done['id']}").get_json()
    assert one["format"] == "ndjson" and one["source"] == "upload"
    rid = client.get(f"{BASE}?external_id=run:1").get_json()["items"][0]["id"]
    assert _history(client, rid)[0]["actor"] == "importer"
    assert_problem(client.get("/api/v1/imports/0190a000-0000-7000-8000-000000000000"), 404)


def test_command_line_writes_name_the_command(
    database_url: str, engine: Any, tmp_path: Any
) -> None:
    from click.testing import CliRunner

    from service.cli import cli

    data = tmp_path / "deals.ndjson"
    data.write_text(
        '{"buyer": "Norway", "seller": "Germany", "system": "Leopard 2A8", '
        '"category": "armoured-vehicle", "status": "contracted", "external_id": "cli-run:1"}\n'
    )
    result = CliRunner().invoke(cli, ["import", str(data)], env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    with engine.begin() as conn:
        who = conn.execute(
            text("SELECT created_by FROM procurement WHERE external_id = 'cli-run:1'")
        ).scalar_one()
        run = conn.execute(
            text("SELECT actor, created FROM import_run WHERE source = 'deals.ndjson'")
        ).one()
        revision = conn.execute(
            text(
                "SELECT r.actor FROM procurement_revision r JOIN procurement p "
                "ON p.id = r.procurement_id WHERE p.external_id = 'cli-run:1'"
            )
        ).scalar_one()
        conn.execute(text("DELETE FROM procurement WHERE external_id = 'cli-run:1'"))
        conn.execute(text("DELETE FROM import_run WHERE source = 'deals.ndjson'"))
    assert (who, tuple(run), revision) == ("cli:import", ("cli:import", 1), "cli:import")
