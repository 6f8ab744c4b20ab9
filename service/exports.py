"""Rows as CSV, NDJSON or a SIPRI-register layout, one line at a time.

Pure formatting (no Flask, no database): the caller streams dicts in (the records
as the API returns them, or stats groups) and sends the lines out as they come, so
memory stays flat whatever the size of the export. (The record list's CSV export
is written by PostgreSQL itself: services/query.copy_csv, with the same rules.)

CSV: a header row, UTF-8, one row per dict. A text cell that starts with =, +, -,
@, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it
instead of running it as a formula (OWASP, CSV injection).

SIPRI: the deal-per-row trade-register layout (preamble, header, no quoting), so our
records line up with SIPRI's and import back through `import --format sipri-deals`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from .importing.sipri import comment_value
from .parties import Party

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SIPRI_DESCRIPTIONS = {
    "aircraft": "aircraft",
    "helicopter": "helicopter",
    "air-defence": "SAM system",
    "missile": "missile",
    "armoured-vehicle": "armoured vehicle",
    "artillery": "artillery gun",
    "ship": "ship",
    "submarine": "submarine",
    "drone": "UAV",
    "radar": "radar",
    "small-arms": "other",
    "ammunition": "guided shell",
    "other": "other",
}
"""A SIPRI weapon description per category, each one the importer maps back to it
(SIPRI's register has no small arms: they leave as "other")."""

SIPRI_CONDITIONS = {
    "new": "New",
    "second-hand": "Second hand",
    "second-hand-modernised": "Second hand but modernized",
}


def neutralise(value: str) -> str:
    """A text cell a spreadsheet will show, never evaluate."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def csv_lines(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The header row, then one row per record (RFC 4180 quoting, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield flush()
    for record in records:
        writer.writerow([_cell(record.get(c)) for c in columns])
        yield flush()


def ndjson_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


_SIPRI_HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)


def _party(r: dict[str, Any], side: str) -> str:
    """SIPRI's own spelling kept from an import, else the name in SIPRI's notation
    ("*" a non-state actor, "**" an organisation)."""
    original = r.get(f"{side}_original")
    if original:
        return _plain(original)
    kind = r.get(f"{side}_kind") or "country"
    return _plain(Party(name=r[side], code=None, kind=kind).notation)


def _plain(value: Any) -> str:
    """A cell of the unquoted SIPRI layout: no commas, no line breaks."""
    return " ".join(str(value).replace(",", ";").split()) if value is not None else ""


def _sipri_value(amount: str | None, currency: str | None) -> str:
    """A value the importer reads back from Comments ("USD1234.567 k")."""
    if not amount or not currency:
        return ""
    thousands = format(float(amount) / 1000, ".3f").rstrip("0").rstrip(".")
    return f"{currency}{thousands} k"


def sipri_lines(records: Iterable[dict[str, Any]], today: date) -> Iterator[str]:
    """The deal-per-row register: an 11-line preamble, the header, one deal per line.

    Year of order is order_year, else the year of announced_on (a record with neither
    leaves it empty, which SIPRI's layout does not allow: the importer rejects that
    row). Number ordered is quantity_max, else quantity_min. The value goes into
    Comments after the notes. TIV columns stay empty (SIPRI's own measure).
    """
    preamble = [
        "Transfers of major weapons: Deals exported from procurement-tracker",
        "Note: the layout of the SIPRI Arms Transfers Database trade register; not SIPRI data.",
        "A '?' marks an uncertain value.",
        "",
        "",
        "",
        "",
        "",
        "Source: procurement-tracker",
        f"Data generated: {today.strftime('%d %b %Y')}",
        "",
    ]
    for line in preamble:
        yield line + "\n"
    yield _SIPRI_HEADER + "\n"
    for r in records:
        year = r.get("order_year") or (r["announced_on"][:4] if r.get("announced_on") else "")
        ordered = r["quantity_max"] if r.get("quantity_max") is not None else r.get("quantity_min")
        comments = _plain(r.get("notes"))
        value = _sipri_value(r.get("value_amount"), r.get("value_currency"))
        if value and comment_value(comments) != comment_value(value):
            comments = f"{comments} {value}".strip()  # notes that state the value keep it
        cells = [
            _party(r, "buyer"),
            _party(r, "seller"),
            str(year),
            "?" if r.get("order_year_estimated") else "",
            "" if ordered is None else str(ordered),
            "?" if r.get("quantity_estimated") else "",
            _plain(r["system"]),
            SIPRI_DESCRIPTIONS[r["category"]],
            "" if r.get("quantity_delivered") is None else str(r["quantity_delivered"]),
            "?" if r.get("quantity_delivered_estimated") else "",
            "; ".join(str(y) for y in r.get("delivery_years") or []),
            SIPRI_CONDITIONS.get(r.get("condition") or "", ""),
            comments,
            "",
            "",
            "",
        ]
        yield ",".join(cells) + "\n"
