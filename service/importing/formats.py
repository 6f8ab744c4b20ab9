"""Telling the formats apart and reading a file as a stream of rows.

Files are read line by line from a binary stream, never loaded whole: memory
stays flat whatever the size (the delivery-year register is grouped by deal
ID, so it holds one small entry per deal).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO

from . import native, sipri
from .types import ImportFileError, Row

FORMATS = ("sipri-deals", "sipri-deliveries", "csv", "ndjson")
_PREAMBLE_LINES = 40
SIPRI_SOURCE = "SIPRI Arms Transfers Database"
SIPRI_URL = "https://armstrade.sipri.org/"


def _decode_sipri(raw: bytes) -> str:
    # SIPRI's exports are Windows-1252 (a superset of Latin-1 in its printable range).
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _Lines:
    """Numbered, decoded lines of a binary stream, with a look-ahead buffer."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer: list[bytes] = []
        self.number = 0

    def peek(self, count: int) -> list[bytes]:
        while len(self.buffer) < count:
            line = self.stream.readline()
            if not line:
                break
            self.buffer.append(line)
        return self.buffer[:count]

    def raw(self) -> Iterator[tuple[int, bytes]]:
        while True:
            if self.buffer:
                line = self.buffer.pop(0)
            else:
                line = self.stream.readline()
                if not line:
                    return
            self.number += 1
            yield self.number, line


def detect_format(head: list[bytes]) -> str:
    """The format of a file from its first lines."""
    for line in head:
        text = _decode_sipri(line).strip()
        if text.startswith("Recipient,Supplier,Year of order"):
            return "sipri-deals"
        if text.startswith("SIPRI AT Database ID,"):
            return "sipri-deliveries"
    first = next((line.strip() for line in head if line.strip()), b"")
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    if first.startswith(b"{"):
        return "ndjson"
    if b"," in first or first:
        return "csv"
    raise ImportFileError("The file is empty.")


def read_rows(stream: IO[bytes], fmt: str | None, name: str) -> tuple[str, Iterator[Row]]:
    """(format, rows) of a file; `fmt` None detects it. Raise ImportFileError."""
    lines = _Lines(stream)
    head = lines.peek(_PREAMBLE_LINES)
    chosen = fmt or detect_format(head)
    if chosen not in FORMATS:
        raise ImportFileError(f"Unknown format {chosen!r}; one of {', '.join(FORMATS)}.")
    if chosen.startswith("sipri"):
        return chosen, _sipri(lines, chosen, name)
    return chosen, _native(lines, chosen)


def _sipri(lines: _Lines, fmt: str, name: str) -> Iterator[Row]:
    expected = sipri.DEAL_HEADER if fmt == "sipri-deals" else sipri.DELIVERY_HEADER
    raw = lines.raw()
    source = f"{SIPRI_SOURCE} (trade register {name})"
    for number, line in raw:
        if number > _PREAMBLE_LINES:
            break
        text = _decode_sipri(line).rstrip("\r\n")
        if text.startswith(expected[0] + ","):
            sipri.check_header(text.split(","), expected)
            decoded = ((n, _decode_sipri(b)) for n, b in raw)
            reader = sipri.deal_rows if fmt == "sipri-deals" else sipri.delivery_rows
            for row in reader(decoded, source):
                if row.data is not None:
                    for item in row.data["sources"]:
                        item["url"] = SIPRI_URL
                yield row
            return
    raise ImportFileError(f"No SIPRI header ({expected[0]},...) in the first lines.")


def _native(lines: _Lines, fmt: str) -> Iterator[Row]:
    bad: list[Row] = []

    def decoded() -> Iterator[tuple[int, str]]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        for number, line in lines.raw():
            try:
                yield number, decoder.decode(line)
            except UnicodeDecodeError as error:
                decoder.reset()
                bad.append(
                    Row(line=number, raw=line.decode("utf-8", "replace")).reject(
                        "row", f"Not UTF-8 text (byte {error.start})."
                    )
                )

    reader = native.csv_rows if fmt == "csv" else native.ndjson_rows
    for row in reader(decoded()):
        while bad:
            yield bad.pop(0)
        yield row
    yield from bad
