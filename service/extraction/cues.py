"""Stage 4: status cues and distractors of a sentence."""

from __future__ import annotations

import re
from functools import lru_cache

from .casing import lowered
from .gazetteer import Gazetteer
from .types import Cue, status_rank

_SELECTION = re.compile(
    r"(?i)\b(?:chose|chosen|choose|chooses|selected|selects|picked|picks|opted)\b"
)
_GUARD_WINDOW = 6
_MAX_MATCHES = 3
_CLAUSE_SPLIT = re.compile(
    r"[;:,(]|\b(?:and|but|while|whereas)\b"
)  # words before a cue in which a negation or condition cancels it


_TEMPORAL = {"when", "once"}
_WHETHER = re.compile(r"\bwhether\b")
_WAITING = {"awaiting", "awaits", "awaited", "await", "pending", "before", "until"}
_RELATIVE = re.compile(r"\b(?:it|they|which|that|who)\b")
_PAST_END = re.compile(r"\b(?:was|were) (?:[a-z]+ed|handed over)$|\b(?:arrived|landed|reached)$")
"""A cue ending on a past event ("when the first of its two aircraft was handed over")."""
_OF_WHICH = re.compile(r",\s+(?:\S+\s+of\s+)?which\s+(?:were|was|had been|have been)?\s*$")
_PAST_VERB = re.compile(r"^[a-z]+ed\b|^(?:tore|took|bought|made|paid|gave|won|chose)\b")


def _guarded(gazetteer: Gazetteer, low: str, match: re.Match[str]) -> bool:
    """`low`: the sentence in lower case; `match`: a cue found in it.

    "When Australia walked away from the contract" states a fact: a "when" or "once"
    clause whose cue is a verb in the past tense is not a condition.
    """
    if gazetteer.guards.search(match.group()):
        return True
    before = low[max(0, match.start() - 120) : match.start()]
    clause = _CLAUSE_SPLIT.split(before)[-1]
    window = " ".join(clause.split()[-_GUARD_WINDOW:])
    found = list(gazetteer.guards.finditer(window))
    hits = {m.group() for m in found}
    if (
        hits
        and hits <= _TEMPORAL
        and (_PAST_VERB.match(match.group()) or _PAST_END.search(match.group()))
    ):
        return False
    if (
        hits
        and _OF_WHICH.search(before[-40:])
        and (_PAST_VERB.match(match.group()) or _PAST_END.search(match.group()))
    ):
        # "the decision would allow it to focus on its new AH-64Es, 29 of which were
        # ordered in 2021": a relative clause states a fact
        return False
    if hits and hits <= _WAITING and _RELATIVE.search(window, found[-1].end()):
        # "is awaiting the 42 Rafale jets it ordered", "before the tanks it ordered
        # arrive": the cue is in a relative clause that states a fact.
        return False
    return bool(hits)


_FOR_SERVICE = re.compile(
    r"\s+(?:for|on|covering)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:upgrad|moderni[sz]|overhaul|"
    r"refurbish|maintenan|sustainment|servic|repair)"
)
_NOT_AN_OPTION = re.compile(
    r"[^.;,]{0,40}?\b(?:is|was|were|would be|remains?)\s+"
    r"(?:not|never|no longer|ruled out|off the table)\b"
)
_STILL_TO_COME = re.compile(
    r"\s+(?:(?:is|are)\s+)?(?:(?:expected|due|set|scheduled|likely|yet)\s+to|will|would|"
    r"could|should|may|might)\s+(?:only\s+|now\s+)?be\s+(?:signed|concluded|placed|issued)\b"
)
"""A document still to come ("A letter of offer and acceptance is expected to be signed
before the end of the year": no contract yet)."""
_OR_PLAN = re.compile(
    r"\s+or\s+(?:are\s+|is\s+)?(?:plan|plans|planning|intend|intends|want|wants|hope|hopes|"
    r"expect|expects)\s+to\b"
)
_BOUGHT_OR = re.compile(r"\b(?:bought|ordered|purchased|acquired)\s+or\s+(?:[a-z]+\s+){0,2}$")
_COUNTED_BEFORE = re.compile(
    r"\b(?:the|its|their)\s+(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve)\s+$"
)
_ON_TOP_OF = re.compile(
    r"\b(?:on top of|in addition to|besides)\s+(?:the\s+)?(?:\d[\d,]*|[a-z]+)\s+(?:[\w-]+\s+)?"
    r"(?:(?:it|they|that|which)\s+)?(?:has\s+|have\s+|had\s+)?(?:already\s+)?$"
)
"""An earlier deal named beside the one reported ("on top of the 34 it has already")."""
_LOCAL_BREAK = re.compile(
    r";|,\s+(?:though|although|but|while|whereas)\b|\s+(?:but|though|although)\s+|"
    r"\s+and\s+(?:is|are|was|were|has|have)\s+(?!(?:not|no|been)\b)"
)
"""Where a clause of its own starts ("plans to buy 300 ATAGS and is testing guns offered
by Indian firms": the offer is the testing clause's)."""


def _clause(low: str, match: re.Match[str]) -> tuple[int, int]:
    start, end = 0, len(low)
    for found in _LOCAL_BREAK.finditer(low):
        if found.end() <= match.start():
            start = found.end()
        elif found.start() >= match.end():
            end = found.start()
            break
    return start, end


def find_cues(text: str, gazetteer: Gazetteer) -> list[Cue]:
    """Status cues of a sentence that are not negated, future or conditional."""
    cues: list[Cue] = []
    undecided: bool | None = None
    low = lowered(text)
    for index in gazetteer.candidate_cues(low):
        status, pattern, source = gazetteer.status_cues[index]
        for count, match in enumerate(pattern.finditer(low)):
            if count == _MAX_MATCHES:
                break  # a sentence repeating a phrase says no more for it
            if status not in gazetteer.guards_exempt and _guarded(gazetteer, low, match):
                continue
            if status in gazetteer.guards_exempt and _WHETHER.search(
                low, max(0, match.start() - 40), match.start()
            ):
                continue  # "a debate over whether to buy M270s": no plan yet
            start, end = match.span()
            if status == "contracted" and _FOR_SERVICE.match(low, end):
                continue  # "inked a deal for an upgrade of their radars": not a purchase
            if status in {"contracted", "delivered"} and _ON_TOP_OF.search(
                low, max(0, start - 60), start
            ):
                continue  # "will buy 11 more on top of the 34 it has already ordered"
            if status in {"contracted", "intent"} and _STILL_TO_COME.match(low, end):
                continue
            if status == "announced" and _BOUGHT_OR.search(low, max(0, start - 30), start):
                continue
            if status in {"contracted", "delivered"} and _OR_PLAN.match(low, end):
                continue  # "have all bought or plan to buy HIMARS": which of them, unsaid
            if status == "cancelled" and _COUNTED_BEFORE.search(low, max(0, start - 30), start):
                continue  # "the option for the two cancelled aircraft": a cut, not a deal
            if status == "cancelled" and _NOT_AN_OPTION.match(low, end):
                continue  # "cancelling the programme was not an option"
            if status == "announced" and not _SELECTION.search(match.group()):
                if undecided is None:
                    undecided = bool(gazetteer.any_undecided.search(low))
                if undecided and gazetteer.any_undecided.search(low, *_clause(low, match)):
                    continue  # talks, bids and offers without a chosen supplier
            cues.append(Cue(status, text[start:end], start, end, source))
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
    low = lowered(text)
    for kind in ("donation", "denial", "production", "industrial"):
        triggers = gazetteer.distractor_triggers.get(kind)
        if triggers is not None and not triggers.search(low):
            continue
        for pattern in gazetteer.distractors.get(kind, []):
            match = pattern.search(low)
            if match is None:
                continue
            if kind == "denial":
                return kind  # "denied reports that it had signed": nothing is reported
            if kind == "donation":
                # A cancelled purchase may mention a donation ("after donating the guns").
                if cue is None or cue.status != "cancelled":
                    return kind
                continue
            # the cue is part of it: "signed an agreement to cooperate"
            if cue is None or (cue.start < match.end() and match.start() < cue.end):
                return kind
    return None


_TRAINING_WORDS = re.compile(r"(?i)train|exercis|drill|simulator")


@lru_cache(maxsize=1024)
def _training_pattern(templates: tuple[str, ...], system_text: str) -> re.Pattern[str]:
    escaped = re.escape(system_text)
    return re.compile("|".join(f"(?:{t.replace('{system}', escaped)})" for t in templates), re.I)


def trained_on(text: str, system_text: str, gazetteer: Gazetteer) -> bool:
    """The sentence is about training or exercising with this system, not buying it."""
    if not _TRAINING_WORDS.search(text):
        return False
    return bool(_training_pattern(tuple(gazetteer.training), system_text).search(text))
