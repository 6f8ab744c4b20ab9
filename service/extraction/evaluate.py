"""Scoring extraction against labelled articles (`NN-slug.txt` + `NN-slug.json`).

A predicted record matches a gold record when buyer, seller and system match:
countries through the caller's normaliser (aliases, codes), systems without case,
accents, spaces, hyphens and underscores, against the gold's value or any of its
`buyer_aliases`, `seller_aliases` and `system_aliases` (as the field's scorer
reads them). Matching is one-to-one; among
records sharing a key the pairing that agrees on most fields wins. Field
accuracy is over matched records; `qty_acc` needs both bounds right.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .casing import fold_name

FIELDS = ("quantity_min", "quantity_max", "status", "manufacturer", "category")


def norm_system(value: Any) -> str:
    return fold_name(value or "")


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def same_manufacturer(predicted: Any, gold: Any, aliases: Iterable[str] = ()) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    p = _fold(predicted)
    return any(p and g and (p in g or g in p) for g in map(_fold, [gold, *aliases]))


def field_agrees(name: str, predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    if name == "manufacturer":
        return same_manufacturer(
            predicted.get(name), gold.get(name), gold.get("manufacturer_aliases", [])
        )
    return predicted.get(name) == gold.get(name)


@dataclass
class Score:
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*FIELDS, "qty"), 0))

    def add(self, other: Score) -> None:
        self.true_positive += other.true_positive
        self.predicted += other.predicted
        self.gold += other.gold
        for key, value in other.agree.items():
            self.agree[key] += value

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.agree[name] / self.true_positive if self.true_positive else 1.0


def score_article(
    predicted: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    country: Callable[[Any], str],
) -> Score:
    """Match one article's predictions to its gold records and count agreements."""

    def keys(record: dict[str, Any], with_aliases: bool) -> set[tuple[str, str, str]]:
        systems = [record.get("system")]
        buyers, sellers = [record.get("buyer")], [record.get("seller")]
        if with_aliases:  # the gold's accepted spellings (as the field's scorer reads them)
            systems += record.get("system_aliases", [])
            buyers += record.get("buyer_aliases", [])
            sellers += record.get("seller_aliases", [])
        return {
            (country(b), country(s), norm_system(y))
            for b in buyers
            for s in sellers
            for y in systems
        }

    pairs: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        gold_keys = keys(g, True)
        for pi, p in enumerate(predicted):
            if keys(p, False) & gold_keys:
                agreement = sum(field_agrees(f, p, g) for f in FIELDS)
                pairs.append((-agreement, gi, pi))
    score = Score(predicted=len(predicted), gold=len(gold))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, gi, pi in sorted(pairs):
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        score.true_positive += 1
        for name in FIELDS:
            score.agree[name] += field_agrees(name, predicted[pi], gold[gi])
        score.agree["qty"] += field_agrees("quantity_min", predicted[pi], gold[gi]) and (
            field_agrees("quantity_max", predicted[pi], gold[gi])
        )
    return score


def gold_articles(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """(article path, gold document) for every `*.txt` that has a `.json` beside it."""
    found = []
    for text_path in sorted(folder.glob("*.txt")):
        json_path = text_path.with_suffix(".json")
        if json_path.exists():
            found.append((text_path, json.loads(json_path.read_text(encoding="utf-8"))))
    return found


def summary_line(total: Score) -> str:
    return (
        f"F1={total.f1:.3f} precision={total.precision:.3f} recall={total.recall:.3f} "
        f"status_acc={total.accuracy('status'):.3f} qty_acc={total.accuracy('qty'):.3f}"
    )
