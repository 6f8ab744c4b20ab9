"""Stage 4: status cues and distractors of a sentence."""

from __future__ import annotations

import re

from .gazetteer import Gazetteer
from .types import Cue, status_rank

_GUARD_WINDOW = 6  # words before a cue in which a negation or condition cancels it


def _guarded(gazetteer: Gazetteer, text: str, match: re.Match[str]) -> bool:
    clause = re.split(r"[;:,(]|\b(?:and|but|while|whereas)\b", text[: match.start()])[-1]
    window = " ".join(clause.split()[-_GUARD_WINDOW:])
    return bool(gazetteer.guards.search(window) or gazetteer.guards.search(match.group()))


def find_cues(text: str, gazetteer: Gazetteer) -> list[Cue]:
    """Status cues of a sentence that are not negated, future or conditional."""
    undecided = any(p.search(text) for p in gazetteer.distractors.get("undecided", []))
    cues: list[Cue] = []
    for status, pattern, source in gazetteer.status_cues:
        for match in pattern.finditer(text):
            if status not in gazetteer.guards_exempt and _guarded(gazetteer, text, match):
                continue
            if status == "announced" and undecided:
                continue
            cues.append(Cue(status, match.group(), match.start(), match.end(), source))
    # "a framework agreement that X and Y concluded" is an umbrella, not a contract.
    intents = [c for c in cues if c.status == "intent"]
    return [
        c
        for c in cues
        if c.status != "contracted" or not any(i.start < c.end and c.start < i.end for i in intents)
    ]


def strongest(cues: list[Cue]) -> Cue | None:
    """The most advanced cue (cancelled ranks highest); the earliest among equals."""
    if not cues:
        return None
    return max(cues, key=lambda c: (status_rank(c.status), -c.start))


def distractor(text: str, gazetteer: Gazetteer, cue: Cue | None) -> str | None:
    """Why a sentence reports no procurement (donation, production...), or None.

    A donation spoils the whole sentence. Production figures and industrial deals
    only do when the sentence's status cue is part of them (or there is none):
    "has 60 on order, and can turn out 20 a year" still reports the order.
    """
    for kind in ("donation", "production", "industrial"):
        for pattern in gazetteer.distractors.get(kind, []):
            match = pattern.search(text)
            if match is None:
                continue
            if kind == "donation":
                # A cancelled purchase may mention a donation ("after donating the guns").
                if cue is None or cue.status != "cancelled":
                    return kind
                continue
            if cue is None or match.start() <= cue.start < match.end():
                return kind
    return None


def trained_on(text: str, system_text: str, gazetteer: Gazetteer) -> bool:
    """The sentence is about training or exercising with this system, not buying it."""
    escaped = re.escape(system_text)
    return any(
        re.search(p.replace("{system}", escaped), text, re.IGNORECASE) for p in gazetteer.training
    )
