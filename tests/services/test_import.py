"""Bulk import: SIPRI registers (both layouts, every quirk), CSV, NDJSON; re-import."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service import bulk
from service.importing import ImportFileError, read_rows
from service.importing.sipri import category, comment_value
from service.models import Procurement

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def _import(session: Session, raw: bytes, fmt: str | None = None) -> bulk.Report:
    chosen, rows = read_rows(io.BytesIO(raw), fmt, "test")
    return bulk.run(session, rows, bulk.Report(format=chosen))


def _records(session: Session) -> dict[str, Procurement]:
    return {p.external_id or "": p for p in session.scalars(select(Procurement))}


def test_sipri_deal_register_with_every_quirk(session: Session) -> None:
    report = _import(session, (DATA / "sipri_deals.csv").read_bytes())
    assert report.format == "sipri-deals"
    assert report.summary() == {"created": 12, "updated": 0, "unchanged": 0, "rejected": 5}
    reasons = {r["line"]: r["errors"] for r in report.rejected}
    assert "quantity_delivered" in reasons[26]  # 14 delivered of 12 ordered
    assert "order_year" in reasons[27]  # ordered in the future
    assert "quantity_max" in reasons[28]  # text in a number column
    assert "row" in reasons[29]  # too few fields
    assert "order_year" in reasons[30]  # before 1900
    records = {(p.buyer, p.system): p for p in _records(session).values()}
    k2 = records[("Poland", "K2")]
    assert (k2.seller, k2.buyer_original, k2.category.value, k2.status.value) == (
        "South Korea",
        "Poland",
        "armoured-vehicle",
        "delivering",
    )
    assert (k2.quantity_min, k2.quantity_max, k2.quantity_delivered) == (180, 180, 120)
    assert k2.delivery_years == [2022, 2023, 2024]
    assert (k2.value_amount, k2.value_currency) == (3_400_000_000, "USD")
    assert k2.sources[0]["url"] == "https://armstrade.sipri.org/"
    f16 = records[("Turkey", "F-16V")]
    assert (f16.buyer_original, f16.quantity_estimated, f16.order_year_estimated) == (
        "Turkiye",
        True,
        True,
    )
    assert (f16.status.value, f16.value_currency) == ("contracted", "EUR")
    assert records[("Vietnam", "Kilo")].buyer_original == "Viet Nam"
    ship = records[("Ivory Coast", "Sjöormen")]  # Latin-1 text, trailing space trimmed
    assert ship.condition.value == "second-hand"
    assert ship.seller == "Czechia"
    assert records[("Hezbollah (Lebanon)", "Kornet")].buyer_kind.value == "non-state-actor"
    assert records[("NATO", "RQ-4 Global Hawk")].buyer_kind.value == "organisation"
    assert records[("Angola", "MiG-23")].seller_kind.value == "former-state"
    assert records[("Mali", "BTR-60")].seller_kind.value == "unknown"
    assert records[("Chile", "Hawk")].notes == "Comment broken at its end"
    assert records[("Peru", "Mistral")].quantity_max is None
    ghana = [p for p in _records(session).values() if p.buyer == "Ghana"]
    assert len(ghana) == 2  # identical rows are distinct deals


def test_reimport_changes_nothing_and_update_happens_in_place(session: Session) -> None:
    raw = (DATA / "sipri_deals.csv").read_bytes()
    _import(session, raw)
    again = _import(session, raw)
    assert again.summary() == {"created": 0, "updated": 0, "unchanged": 12, "rejected": 5}
    assert {p.version for p in _records(session).values()} == {1}
    changed = raw.replace(b"K2,tank,120,", b"K2,tank,150,")
    third = _import(session, changed)
    assert third.summary()["updated"] == 1
    assert third.summary()["created"] == 0
    k2 = next(p for p in _records(session).values() if p.system == "K2")
    assert (k2.quantity_delivered, k2.version) == (150, 2)


def test_sipri_delivery_register_groups_rows_by_deal(session: Session) -> None:
    report = _import(session, (DATA / "sipri_deliveries.csv").read_bytes())
    assert report.format == "sipri-deliveries"
    assert report.summary() == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 2}
    records = _records(session)
    jassm = records["sipri-at:50001"]
    assert (jassm.system, jassm.quantity_delivered, jassm.delivery_years) == (
        "AGM-158 JASSM",
        40,
        [2017, 2018],
    )
    assert jassm.category.value == "missile"
    pzh = records["sipri-at:50002"]
    assert (pzh.quantity_delivered, pzh.order_year_estimated) == (21, True)
    assert records["sipri-at:50004"].system == "Bayraktar TB2"
    assert records["sipri-at:50004"].seller == "Turkey"


def test_csv_in_the_service_field_names(session: Session) -> None:
    csv_text = (
        "external_id,buyer,seller,system,category,status,quantity_min,quantity_max,"
        "delivery_years,url,title\n"
        "mine:1,Norway,USA,F-35A,aircraft,delivered,52,52,2017; 2018,https://example.org/a,Note\n"
        'mine:2,Norway,DE,"Leopard 2A8",armoured-vehicle,contracted,54,54,,,\n'
        "mine:3,Atlantis,USA,F-35A,aircraft,delivered,1,1,,,\n"
        "mine:1,Norway,USA,F-35A,aircraft,delivered,52,52,,,\n"
        "mine:4,Norway,USA,F-35A,aircraft\n"
    )
    report = _import(session, csv_text.encode())
    assert report.format == "csv"
    assert report.summary() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 3}
    reasons = {r["line"]: r["errors"] for r in report.rejected}
    assert "buyer" in reasons[4]
    assert "external_id" in reasons[5]  # duplicate in the file
    assert "row" in reasons[6]
    f35 = _records(session)["mine:1"]
    assert (f35.seller, f35.delivery_years, f35.sources[0]["title"]) == (
        "United States",
        [2017, 2018],
        "Note",
    )


def test_ndjson_is_the_api_shape_and_ignores_read_only_fields(session: Session) -> None:
    good = {
        "buyer": "Japan",
        "seller": "US",
        "system": "Tomahawk",
        "category": "missile",
        "status": "approved",
        "quantity_max": 400,
        "external_id": "n:1",
        "id": "x",
        "version": 9,
        "created_at": "2020-01-01T00:00:00Z",
    }
    lines = [
        json.dumps(good),
        "{not json",
        "[1, 2]",
        json.dumps({**good, "external_id": "n:2", "status": "done"}),
    ]
    report = _import(session, ("\n".join(lines) + "\n").encode())
    assert report.format == "ndjson"
    assert report.summary() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 3}
    assert _records(session)["n:1"].version == 1


def test_wrong_encoding_is_a_row_error_not_a_crash(session: Session) -> None:
    raw = b"external_id,buyer,seller,system,category,status\n" + (
        b"e:1,Belgium,Poland,Piorun,air-defence,intent\n"
        b"e:2,Belgi\xe9,Poland,Piorun,air-defence,intent\n"
    )
    report = _import(session, raw)
    assert report.summary()["created"] == 1
    assert report.summary()["rejected"] == 1
    assert "UTF-8" in str(report.rejected[0]["errors"])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"colour,size\nred,2\n", "Unknown columns"),
        (b"Title\nRecipient,Supplier,Year of order\n", "Unknown header"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(
    session: Session, raw: bytes, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        _import(session, raw)


def test_forced_format_overrides_detection(session: Session) -> None:
    with pytest.raises(ImportFileError):
        _import(session, (DATA / "sipri_deals.csv").read_bytes(), "sipri-deliveries")


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("fighter aircraft", "aircraft"),
        ("anti-tank missile", "missile"),
        ("tank", "armoured-vehicle"),
        ("tank destroyer", "armoured-vehicle"),
        ("tank turret", "other"),
        ("portable SAM", "air-defence"),
        ("anti-submarine helicopter", "helicopter"),
        ("nuclear submarine", "submarine"),
        ("anti-submarine torpedo", "missile"),
        ("self-propelled gun", "artillery"),
        ("UAV", "drone"),
        ("fire control radar", "radar"),
        ("aircraft engine", "other"),
        ("frigate", "ship"),
        ("guided shell", "ammunition"),
        ("IFV", "armoured-vehicle"),
    ],
)
def test_sipri_descriptions_map_to_categories(description: str, expected: str) -> None:
    assert category(description) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("$427 m deal", ("427000000", "USD")),
        ("EUR195 m", ("195000000", "EUR")),
        ("Part of THB4b ($120 m) deal", ("4000000000", "THB")),
        ("FFR2 b deal", ("2000000000", "FRF")),
        ("no value here", None),
        ("XYZ5 m", None),
    ],
)
def test_values_in_comments(comment: str, expected: tuple[str, str] | None) -> None:
    found = comment_value(comment)
    assert (None if found is None else (str(found[0]), found[1])) == expected


@pytest.mark.parametrize(
    ("name", "rows", "known"),
    [
        (
            "ColasDroin__SIPRI_arms_transfers_analysis/trade-register.csv",
            29515,
            [
                ("Belgium", "F-35A Lightning-2", 34),
                ("Switzerland", "F-35A Lightning-2", 36),
                ("Poland", "K2 Black Panther", 180),
            ],
        ),
        (
            "Andrei-Teodor-Petre__InfoVizProject/trade-register.csv",
            13893,
            [],
        ),
    ],
)
def test_real_sipri_registers_import_whole(
    session: Session, name: str, rows: int, known: list[tuple[str, str, Any]]
) -> None:
    path = SHARED / name
    if not path.exists():  # the shared folder is beside the checkout in CI, not in a user's clone
        pytest.skip(f"{path} not present")
    with path.open("rb") as handle:
        fmt, parsed = read_rows(handle, None, name)
        report = bulk.run(session, parsed, bulk.Report(format=fmt))
    total = report.summary()["created"] + report.summary()["rejected"]
    assert total == rows
    assert report.summary()["rejected"] <= 3
    found: dict[tuple[str, str], set[int | None]] = {}
    for p in session.scalars(select(Procurement)):
        found.setdefault((p.buyer, p.system), set()).add(p.quantity_max)
    for buyer, system, quantity in known:
        assert quantity in found[(buyer, system)]
