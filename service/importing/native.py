"""The service's own formats: CSV with the record's field names, and NDJSON with one
record object per line (the API's record shape; read-only fields are ignored)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..fieldnames import IMPORT_ONLY_FIELDS, READ_ONLY_FIELDS, WRITABLE_FIELDS
from .types import ImportFileError, Row

IMPORT_ONLY = frozenset(IMPORT_ONLY_FIELDS)
READ_ONLY = frozenset(READ_ONLY_FIELDS) - IMPORT_ONLY
FIELDS = frozenset(WRITABLE_FIELDS)
SOURCE_COLUMNS = ("url", "title", "published_on", "excerpt")
INTEGERS = frozenset({"quantity_min", "quantity_max", "quantity_delivered", "order_year"})
BOOLEANS = frozenset({"quantity_estimated", "quantity_delivered_estimated", "order_year_estimated"})
_TRUE = {"true", "1", "yes", "y", "?"}
_FALSE = {"false", "0", "no", "n", ""}


def _cell(name: str, text: str, row: Row) -> Any:
    text = text.strip()
    if name in BOOLEANS:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        row.reject(name, f"Not true or false: {text!r}.")
        return None
    if text == "":
        return None
    if name in INTEGERS:
        if not re.fullmatch(r"-?\d{1,12}", text):
            row.reject(name, f"Not a whole number: {text!r}.")
            return None
        return int(text)
    if name == "delivery_years":
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                row.reject(name, "Not a JSON list.")
                return None
        years = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
        if not all(re.fullmatch(r"\d{4}", y) for y in years):
            row.reject(name, f"Not a list of years: {text!r}.")
            return None
        return [int(y) for y in years]
    if name == "sources":
        try:
            return json.loads(text)
        except ValueError:
            row.reject(name, "Not JSON (a list of {url, title, published_on, excerpt}).")
            return None
    return text


def csv_rows(lines: Iterable[tuple[int, str]]) -> Iterator[Row]:
    """Rows of a CSV file in the service's field names (first line: the header).

    Sources come either as a JSON `sources` column or as url/title/published_on/
    excerpt columns (one source). Quoted cells may span lines.
    """
    numbered = iter(lines)
    line_of: dict[int, int] = {}

    def texts() -> Iterator[str]:
        for i, (number, text) in enumerate(numbered):
            line_of[i + 1] = number
            yield text

    reader = csv.reader(texts())
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    unknown = [h for h in header if h not in FIELDS | READ_ONLY | IMPORT_ONLY | set(SOURCE_COLUMNS)]
    if unknown:
        raise ImportFileError(f"Unknown columns: {', '.join(unknown)}.")
    if "buyer" not in header or "system" not in header:
        raise ImportFileError("The header must name the record's fields (buyer, system, ...).")
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(line=line_of.get(start, start), raw="").reject("row", f"Not CSV: {error}.")
            continue
        raw = ",".join(cells)
        row = Row(line=line_of.get(start, start), raw=raw)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield row.reject("row", f"Has {len(cells)} fields; the header has {len(header)}.")
            continue
        data: dict[str, Any] = {}
        source: dict[str, Any] = {}
        for name, text in zip(header, cells, strict=True):
            if name in READ_ONLY:
                continue
            if name in SOURCE_COLUMNS:
                if text.strip():
                    source[name] = text.strip()
                continue
            value = _cell(name, text, row)
            if value is not None or name in BOOLEANS:
                data[name] = value
        if source and "sources" not in data:
            data["sources"] = [source]
        if row.errors:
            yield row
            continue
        row.data = data
        yield row


def ndjson_rows(lines: Iterable[tuple[int, str]]) -> Iterator[Row]:
    """One record object per line, the API's shape (read-only fields are ignored)."""
    for number, text in lines:
        if not text.strip():
            continue
        row = Row(line=number, raw=text.rstrip("\n"))
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield row.reject("row", f"Not JSON: {error.msg} (column {error.colno}).")
            continue
        except ValueError:
            yield row.reject("row", "Not JSON.")
            continue
        if not isinstance(value, dict):
            yield row.reject("row", "Not a JSON object.")
            continue
        row.data = {k: v for k, v in value.items() if k not in READ_ONLY}
        yield row
