"""Procurement extraction from news text: a pure pipeline (no Flask, no database).

gazetteer = load_gazetteer(Path("seeds/gazetteer"), countries)
for candidate in Extractor(gazetteer).extract(text):
    print(candidate.as_dict())
"""

from .gazetteer import Gazetteer, load_gazetteer
from .pipeline import Extractor
from .types import Candidate, Extraction

__all__ = ["Candidate", "Extraction", "Extractor", "Gazetteer", "load_gazetteer"]
