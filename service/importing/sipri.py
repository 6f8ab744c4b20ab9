"""SIPRI Arms Transfers Database trade registers, as SIPRI exports them.

Two layouts:
- deal per row ("Recipient,Supplier,Year of order, ,Number ordered, ,..."): an
  11-line preamble, Latin-1, no quoting, three columns named " " holding `?`
  uncertainty flags, and Comments cells sometimes broken over two lines (the
  continuation starts with a comma);
- delivery year per row ("SIPRI AT Database ID,Supplier,Recipient,..."): rows
  sharing an ID are one deal; flags are Yes/No words.

Mapping (see README, "Bulk import"): Recipient -> buyer, Supplier -> seller
(SIPRI's spelling kept in buyer_original/seller_original), designation ->
system, description -> category (service/data/sipri_categories.json), number
ordered -> quantity (a `?` sets quantity_estimated), year of order ->
order_year (+ order_year_estimated), number delivered and delivery years kept,
status derived (nothing delivered: contracted; some: delivering; all:
delivered), condition from SIPRI's status column, a value in Comments fills
value_amount/value_currency, Comments -> notes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from .types import ImportFileError, Row

DEAL_HEADER = (
    "Recipient",
    "Supplier",
    "Year of order",
    " ",
    "Number ordered",
    " ",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    " ",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
)
DELIVERY_HEADER = (
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
)
CONDITIONS = {
    "new": "new",
    "second hand": "second-hand",
    "second hand but modernized": "second-hand-modernised",
    "second hand but modernised": "second-hand-modernised",
}
_VALUE = re.compile(
    r"(?<![A-Za-z])(?P<cur>\$|EUR|GBP|£|€|[A-Z]{3})\s?(?P<num>\d+(?:\.\d+)?)\s?(?P<scale>m|b|bn|k)\b"
)
_SCALE = {"k": 10**3, "m": 10**6, "b": 10**9, "bn": 10**9}
_SYMBOL = {"$": "USD", "£": "GBP", "€": "EUR"}
# SIPRI's own abbreviations of currencies -> ISO 4217 (withdrawn codes included).
_SIPRI_CURRENCY = {
    "FFR": "FRF",
    "DKR": "DKK",
    "BFR": "BEF",
    "HFL": "NLG",
    "ASH": "ATS",
    "NTD": "TWD",
    "SFR": "CHF",
    "NKR": "NOK",
    "SKR": "SEK",
    "DM": "DEM",
    "AUS": "AUD",
    "RUR": "RUB",
    "ITL": "ITL",
    "PTS": "ESP",
}


@cache
def _categories() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str]]:
    raw = resources.files("service").joinpath("data/sipri_categories.json").read_text("utf-8")
    data = json.loads(raw)
    return [(re.compile(p), c) for p, c in data["rules"]], data["armament"]


def category(description: str, armament: str | None = None) -> str:
    """The record category of a SIPRI description (or armament category)."""
    rules, armament_map = _categories()
    text = description.strip().lower()
    for pattern, name in rules:
        if pattern.search(text):
            return name
    return armament_map.get((armament or "").strip().lower(), "other")


def comment_value(comment: str) -> tuple[Decimal, str] | None:
    """A deal value SIPRI noted in Comments ("$427 m", "EUR195 m", "THB4b")."""
    match = _VALUE.search(comment)
    if match is None:
        return None
    code = match.group("cur")
    currency = _SYMBOL.get(code) or _SIPRI_CURRENCY.get(code, code)
    if currency not in known_currencies():
        return None  # an abbreviation we cannot map for sure: the value stays in notes
    amount = Decimal(match.group("num")) * _SCALE[match.group("scale")]
    return amount.quantize(Decimal(1)), currency


@cache
def known_currencies() -> frozenset[str]:
    current = {c.alpha_3 for c in pycountry.currencies}
    raw = resources.files("service").joinpath("data/currencies_withdrawn.json").read_text("utf-8")
    return frozenset(current | set(json.loads(raw)["codes"]))


def _year(text: str, row: Row, name: str, *, required: bool) -> int | None:
    text = text.strip()
    if not text:
        if required:
            row.reject(name, "Missing.")
        return None
    if not re.fullmatch(r"\d{4}", text):
        row.reject(name, f"Not a year: {text!r}.")
        return None
    year = int(text)
    if not 1900 <= year <= date.today().year:
        row.reject(name, f"Year {year} is before 1900 or in the future.")
    return year


def _count(text: str, row: Row, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,10}", text):
        row.reject(name, f"Not a whole number: {text!r}.")
        return None
    return int(text)


def _clean_designation(text: str) -> str:
    return re.sub(r"\s+-+$", "", text.strip())  # delivery-year exports add " -", " --"


def _status(ordered: int | None, delivered: int | None) -> str:
    if not delivered:
        return "contracted"
    if ordered is not None and delivered >= ordered:
        return "delivered"
    return "delivering"


def logical_lines(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Join a Comments cell broken over two lines: a line starting with "," continues
    the one before it. Yields (first line number, text)."""
    pending: tuple[int, str] | None = None
    for number, text in lines:
        text = text.rstrip("\r\n").rstrip("\r")
        if pending is not None and text.startswith(","):
            pending = (pending[0], pending[1] + text)
            continue
        if pending is not None:
            yield pending
        pending = (number, text)
    if pending is not None:
        yield pending


def deal_rows(lines: Iterable[tuple[int, str]], source: str) -> Iterator[Row]:
    """Rows of a deal-per-row register (lines after the header)."""
    seen: dict[str, int] = {}
    for number, text in logical_lines(lines):
        if not text.strip():
            continue
        row = Row(line=number, raw=text)
        cells = text.split(",")
        if len(cells) != len(DEAL_HEADER):
            yield row.reject(
                "row", f"Has {len(cells)} fields; the register has {len(DEAL_HEADER)}."
            )
            continue
        (
            recipient,
            supplier,
            order_year,
            order_flag,
            ordered,
            ordered_flag,
            designation,
            description,
            delivered,
            delivered_flag,
            years,
            condition,
            comments,
            *_tiv,
        ) = cells
        year = _year(order_year, row, "order_year", required=True)
        quantity = _count(ordered, row, "quantity_max")
        delivered_count = _count(delivered, row, "quantity_delivered")
        delivery_years: list[int] = []
        for piece in filter(None, (p.strip() for p in years.split(";"))):
            y = _year(piece, row, "delivery_years", required=False)
            if y is not None:
                delivery_years.append(y)
        if row.errors:
            yield row
            continue
        system = designation.strip()
        # A stable key: the deal's identity, then its place among identical deals in
        # the file (SIPRI lists some identical rows that are distinct deals).
        identity = "|".join(
            (recipient.strip(), supplier.strip(), order_year.strip(), system.lower())
        )
        digest = hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()[:16]
        seen[digest] = seen.get(digest, 0) + 1
        value = comment_value(comments)
        data: dict[str, Any] = {
            "buyer": recipient.strip(),
            "seller": supplier.strip(),
            "buyer_original": recipient.strip(),
            "seller_original": supplier.strip(),
            "system": system,
            "category": category(description),
            "quantity_min": quantity,
            "quantity_max": quantity,
            "quantity_unit": None,
            "quantity_estimated": ordered_flag.strip() == "?",
            "quantity_delivered": delivered_count,
            "quantity_delivered_estimated": delivered_flag.strip() == "?",
            "order_year": year,
            "order_year_estimated": order_flag.strip() == "?",
            "delivery_years": sorted(set(delivery_years)),
            "condition": CONDITIONS.get(condition.strip().lower()),
            "status": _status(quantity, delivered_count),
            "value_amount": str(value[0]) if value else None,
            "value_currency": value[1] if value else None,
            "notes": comments.strip() or None,
            "sources": [{"url": None, "title": source, "published_on": None, "excerpt": None}],
            "external_id": f"sipri:{digest}:{seen[digest]}",
        }
        row.data = data
        yield row


def delivery_rows(lines: Iterable[tuple[int, str]], source: str) -> Iterator[Row]:
    """Deals of a delivery-year-per-row register: rows sharing an ID are one deal.

    The whole file is grouped in memory by ID (about 300 bytes a deal): the rows of
    one deal need not be next to each other.
    """
    deals: dict[str, dict[str, Any]] = {}
    broken: list[Row] = []
    for number, text in lines:
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        cells = text.split(",")
        row = Row(line=number, raw=text)
        if len(cells) != len(DELIVERY_HEADER):
            broken.append(
                row.reject(
                    "row", f"Has {len(cells)} fields; the register has {len(DELIVERY_HEADER)}."
                )
            )
            continue
        (
            deal_id,
            supplier,
            recipient,
            designation,
            description,
            armament,
            order_date,
            order_estimate,
            delivered,
            delivered_estimate,
            year,
            _year_estimate,
            condition,
            *_rest,
        ) = cells
        count = _count(delivered, row, "quantity_delivered")
        delivery_year = _year(year, row, "delivery_years", required=False)
        order_year = _year(order_date, row, "order_year", required=True)
        if not deal_id.strip().isdigit():
            row.reject("external_id", f"Not a SIPRI deal ID: {deal_id!r}.")
        if row.errors:
            broken.append(row)
            continue
        deal = deals.setdefault(
            deal_id.strip(),
            {
                "line": number,
                "raw": [],
                "supplier": supplier.strip(),
                "recipient": recipient.strip(),
                "designation": _clean_designation(designation),
                "description": description,
                "armament": armament,
                "order_year": order_year,
                "order_estimate": order_estimate.strip().lower() == "yes",
                "delivered": 0,
                "delivered_estimate": False,
                "years": set(),
                "condition": condition,
            },
        )
        deal["raw"].append(text)
        deal["delivered"] += count or 0
        deal["delivered_estimate"] |= delivered_estimate.strip().lower() == "yes"
        if delivery_year is not None:
            deal["years"].add(delivery_year)
    yield from broken
    this_year = date.today().year
    for deal_id, deal in deals.items():
        years = sorted(deal["years"])
        # The export gives deliveries, not the number ordered: at least what was
        # delivered; done when the last delivery is more than a year old.
        finished = bool(years) and years[-1] < this_year - 1
        row = Row(line=deal["line"], raw="\n".join(deal["raw"]))
        row.data = {
            "buyer": deal["recipient"],
            "seller": deal["supplier"],
            "buyer_original": deal["recipient"],
            "seller_original": deal["supplier"],
            "system": deal["designation"],
            "category": category(deal["description"], deal["armament"]),
            "quantity_min": deal["delivered"] or None,
            "quantity_max": None,
            "quantity_unit": None,
            "quantity_estimated": deal["delivered_estimate"],
            "quantity_delivered": deal["delivered"],
            "quantity_delivered_estimated": deal["delivered_estimate"],
            "order_year": deal["order_year"],
            "order_year_estimated": deal["order_estimate"],
            "delivery_years": years,
            "condition": CONDITIONS.get(deal["condition"].strip().lower()),
            "status": ("delivered" if finished else "delivering") if years else "contracted",
            "value_amount": None,
            "value_currency": None,
            "notes": None,
            "sources": [{"url": None, "title": source, "published_on": None, "excerpt": None}],
            "external_id": f"sipri-at:{deal_id}",
        }
        yield row


def check_header(cells: list[str], expected: tuple[str, ...]) -> None:
    if tuple(c.strip() for c in cells) != tuple(c.strip() for c in expected):
        raise ImportFileError(f"Unknown header: {','.join(cells)[:200]!r}.")
