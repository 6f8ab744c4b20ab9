"""Frozen dataclasses passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

STATUS_ORDER = ("announced", "intent", "approved", "contracted", "delivering", "delivered")
"""Stages from least to most advanced; `cancelled` ranks above them all."""


_RANK = {status: i for i, status in enumerate(STATUS_ORDER)} | {"cancelled": len(STATUS_ORDER)}


def status_rank(status: str | None) -> int:
    """Rank of a status: -1 for none, cancelled highest."""
    return -1 if status is None else _RANK[status]


@dataclass(frozen=True)
class Sentence:
    """A sentence with its character offsets in the article; `headline` for the first line."""

    index: int
    start: int
    end: int
    text: str
    headline: bool = False
    body_start: int = 0
    """Offset inside `text` where the body starts (after a dateline such as "PRAGUE - ")."""


class Mention(NamedTuple):
    """A gazetteer hit: kind is country, company or system; `name` is canonical."""

    kind: str
    name: str
    text: str
    start: int
    end: int
    source: str
    """Which gazetteer entry produced it, e.g. "gazetteer:systems/Piorun"."""


class Quantity(NamedTuple):
    """A counted amount as written: bounds, the phrase, and the unit noun."""

    low: int | None
    high: int | None
    text: str
    unit: str | None
    start: int
    end: int
    rule: str


class Money(NamedTuple):
    amount: int
    currency: str
    text: str
    start: int
    end: int


class Cue(NamedTuple):
    status: str
    text: str
    start: int
    end: int
    pattern: str


@dataclass
class Event:
    """What one sentence says about one deal."""

    sentence: Sentence
    status: str | None
    cue: Cue | None
    system: str | None
    anchored: bool
    """The sentence names the system (not only "the drones" or "the deal")."""
    buyer: str | None = None
    buyer_rule: str | None = None
    seller: str | None = None
    seller_rule: str | None = None
    companies: list[Mention] = field(default_factory=list)
    adjacent_company: str | None = None
    written: str | None = None
    position: int | None = None
    """Where the sentence names the system."""
    """The system's name as the sentence writes it ("AH-64E Apache Guardians")."""
    quantity: Quantity | None = None
    money: Money | None = None
    category_hint: str | None = None
    generic: bool = False
    """Refers to a deal ("the contract") without naming a system or a kind of equipment."""
    floating: bool = False
    separate: bool = False
    """Another deal of the same buyer and system ("17 F-16s from Portugal, and 32 more
    from Norway"): never merged into the deal before it."""
    enumerates: int = 0
    """A stage of several deals the next sentences name ("cancelled two contracts"): how
    many (8 when the article does not say)."""
    """Names neither a system nor a deal (an intent or approval of the whole article)."""


@dataclass(frozen=True)
class Extraction:
    """The candidates of an article, and where analysis stopped if it stopped early."""

    records: list[Candidate]
    truncated_at: int | None = None
    """Offset of the first sentence left unanalysed (the work budget ran out), or None."""


@dataclass(frozen=True)
class Candidate:
    """One proposed record, with the evidence and the reasons behind each field."""

    fields: dict[str, Any]
    evidence: list[dict[str, Any]]
    quantity_text: str | None
    confidence: float
    provenance: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.fields,
            "quantity_text": self.quantity_text,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "provenance": self.provenance,
        }
