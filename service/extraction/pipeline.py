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
from .types import Candidate, Extraction


class Extractor:
    """Proposes the procurement records an article reports."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def run(self, text: str, published_on: date | None = None) -> Extraction:
        """Candidates in the order their deals first appear in the article, and where
        analysis stopped if the work budget (deals.ANALYSED_SENTENCES) ran out."""
        sentences = split_sentences(text)
        deals, assembler, truncated_at = assemble(
            sentences, self.gazetteer, published_on.year if published_on else None
        )
        candidates = [build(d, assembler, assembler.g, published_on) for d in deals]
        candidates.sort(key=lambda c: c.evidence[0]["start"] if c.evidence else 0)
        return Extraction(candidates, truncated_at)

    def extract(self, text: str, published_on: date | None = None) -> list[Candidate]:
        """Candidates in the order their deals first appear in the article."""
        return self.run(text, published_on).records
