"""The extractor: article text -> candidate procurement records.

Stages, each a plain function over frozen data: sentences (text.py) ->
gazetteer mentions (text.py) -> quantities and money (numbers.py) -> status
cues and distractors (cues.py) -> buyer and seller (parties.py) -> deals
(deals.py) -> records with evidence (records.py). Deterministic, no network,
linear in the length of the article.
"""

from __future__ import annotations

from datetime import date

from .deals import assemble
from .gazetteer import Gazetteer
from .records import build
from .text import split_sentences
from .types import Candidate


class Extractor:
    """Proposes the procurement records an article reports."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def extract(self, text: str, published_on: date | None = None) -> list[Candidate]:
        """Candidates in the order their deals first appear in the article."""
        sentences = split_sentences(text)
        deals, assembler = assemble(
            sentences, self.gazetteer, published_on.year if published_on else None
        )
        candidates = [build(d, assembler, self.gazetteer, published_on) for d in deals]
        return sorted(candidates, key=lambda c: c.evidence[0]["start"] if c.evidence else 0)
