"""Stage 1 and 2: sentences with offsets, tokens, and gazetteer mentions."""

from __future__ import annotations

import itertools
import re

from .casing import lowered
from .gazetteer import MAKER_SUFFIXES, Gazetteer, System
from .types import Mention, Sentence

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr adm vice rear sgt st no nos fig jan feb mar
    apr jun jul aug sep sept oct nov dec inc ltd co corp bros est approx vs etc e.g i.e u.s
    u.k u.n rs mt govt dept sen rep gov pres""".split()
)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{2,}(?:,\s*[A-Z][\w.' -]{1,30}?)?"
    r"(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"
    r"|[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{2,},\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})\s*[-–—]+\s+"
)
_DIGIT = re.compile(r"\d")
_LEAD = "\"“‘'([{«"


MAX_SENTENCE = 1000
"""Longer "sentences" (tables, run-on text) are cut at white space: every later stage
then works on bounded pieces, so no input makes the pipeline slower than linear."""


def _bounded(line: str, start: int, end: int) -> list[tuple[int, int]]:
    chunks: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE:
        cut = line.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut <= start:
            cut = start + MAX_SENTENCE
        chunks.append((start, cut))
        start = cut
    chunks.append((start, end))
    return chunks


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets. Lines are hard boundaries; the first line is the headline,
    unless it opens on a dateline ("WARSAW - ..."): then the text has no headline.

    A full stop ends a sentence unless it follows a known abbreviation or a single
    capital initial ("S. Jaishankar", "U.S."). Linear in the length of the text.
    """
    sentences: list[Sentence] = []
    first_line = True
    for line in re.finditer(r"[^\n]+", text):
        line_text = line.group()
        if not line_text.strip():
            continue
        if first_line and _DATELINE.match(line_text.strip()):
            # "WARSAW - The defence ministry has signed...": a body without a headline
            first_line = False
        start = 0
        pieces: list[tuple[int, int]] = []
        for boundary in _BOUNDARY.finditer(line_text):
            before = line_text[start : boundary.start() + 1]
            last_word = before.rsplit(None, 1)[-1] if before.split() else ""
            word = last_word.rstrip(".").lstrip(_LEAD).lower()
            if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or "." in word.strip("."):
                continue
            pieces.append((start, boundary.start() + 1))
            start = boundary.end()
        pieces.append((start, len(line_text)))
        pieces = [chunk for piece in pieces for chunk in _bounded(line_text, *piece)]
        for number, (piece_start, piece_end) in enumerate(pieces):
            raw = line_text[piece_start:piece_end]
            stripped = raw.strip()
            if not stripped:
                continue
            offset = line.start() + piece_start + (len(raw) - len(raw.lstrip()))
            # A dateline can only open the first sentence of a body line.
            dateline = None if first_line or number else _DATELINE.match(stripped)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=offset,
                    end=offset + len(stripped),
                    text=stripped,
                    headline=first_line and number == 0,
                    body_start=dateline.end() if dateline else 0,
                )
            )
        first_line = False
    return sentences


def _lookup(gazetteer: Gazetteer, text: str) -> tuple[str, str, str] | None:
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    hit = gazetteer.lookup(text)
    if hit is None and text.endswith("s"):
        hit = gazetteer.lookup(text[:-1])
        if hit is not None and hit[0] == "country":
            return None  # "Swedes" is an adjective entry of its own; no guessing
    return hit


_COMPANY_WORD = re.compile(
    r"\s+(?:International|Ltd|Limited|Inc|Corp|Corporation|Group|Holdings?|GmbH|plc|LLC)\b"
)
"""A word that makes the name before it a company's."""


def article_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Longest gazetteer matches in a whole text, left to right, in one pass.

    Exact spellings first; designations with digits also match in any case
    ("f-35a"). Offsets are into `text`.
    """
    found: dict[int, Mention] = {}
    memo: dict[str, tuple[tuple[str, str, str] | None, str]] = {}
    # Every case-folded spelling is a designation with a digit: no digit, no search.
    matches = gazetteer.matcher.finditer(text)
    if _DIGIT.search(text):
        # The folded matcher runs over the lower-case text; offsets are the same.
        matches = itertools.chain(matches, gazetteer.folded_matcher.finditer(lowered(text)))
    for match in matches:
        raw = text[match.start() : match.end()]
        if raw not in memo:
            spelling, looked_up = raw, raw
            for suffix in ("'s", "’s"):
                if spelling.endswith(suffix):
                    spelling = spelling[: -len(suffix)]
            for suffix in MAKER_SUFFIXES:  # "the Boeing-built jets": Boeing
                if spelling.endswith(suffix):
                    spelling = looked_up = spelling[: -len(suffix)]
            hit = _lookup(gazetteer, looked_up)
            if looked_up is not raw and hit is not None and hit[0] != "company":
                hit = None  # "Israeli-made Kfir jets": an origin, not a party
            memo[raw] = (hit, spelling)
        hit, spelling = memo[raw]
        if hit is None:
            continue
        kind, name, source = hit
        if kind == "system" and _COMPANY_WORD.match(text, match.start() + len(spelling)):
            continue  # "Excalibur International": a company named like a system
        mention = Mention(
            kind, name, spelling, match.start(), match.start() + len(spelling), source
        )
        current = found.get(match.start())
        if current is None or current.end < mention.end:
            found[match.start()] = mention
    result: list[Mention] = []
    last_end = -1
    for start in sorted(found):
        mention = found[start]
        if start >= last_end:
            result.append(mention)
            last_end = mention.end
    return result


def find_mentions(sentence: Sentence, gazetteer: Gazetteer) -> list[Mention]:
    """Gazetteer mentions of one sentence on its own (offsets relative to it)."""
    body = sentence.text
    return [m for m in article_mentions(body, gazetteer) if m.start >= sentence.body_start]


# -- designations the gazetteer does not know ------------------------------------------

_NOUN_CATEGORY = {
    "fighter": "aircraft",
    "jet": "aircraft",
    "plane": "aircraft",
    "aircraft": "aircraft",
    "trainer": "aircraft",
    "transport": "aircraft",
    "helicopter": "helicopter",
    "tank": "armoured-vehicle",
    "vehicle": "armoured-vehicle",
    "bridge": "armoured-vehicle",  # "M1074 Joint Assault Bridges", bridge-laying vehicles
    "howitzer": "artillery",
    "drone": "drone",
    "radar": "radar",
    "corvette": "ship",
    "frigate": "ship",
    "destroyer": "ship",
    "warship": "ship",
    "ship": "ship",
    "vessel": "ship",
    "submarine": "submarine",
    "missile": "missile",
    "rifle": "small-arms",
}


def noun_category(noun: str) -> str | None:
    """The category a plain equipment noun names ("drones" -> "drone")."""
    word = noun.lower()
    return _NOUN_CATEGORY.get(word) or _NOUN_CATEGORY.get(word.removesuffix("s"))


_SHIP_NOUNS = "corvettes?|frigates?|destroyers?|warships?|ships?|vessels?|submarines?|boats?"
_UNKNOWN_DESIGNATION = re.compile(
    r"(?<![\w/&-])(?P<name>"
    # "HDC-3100", "P-3C", "C-130H", "Type 093"
    r"(?-i:[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Za-z0-9]{0,4}|Type \d{2,3}[A-Z]{0,2})"
    # "29 M1150 Assault Breacher Vehicles": the noun may be capitalised in a name
    r"(?=\s+(?:[A-Za-z-]+\s+){0,2}?(?P<noun>"
    + "|".join(
        f"[{noun[0]}{noun[0].upper()}]{noun[1:]}s?" for noun in _NOUN_CATEGORY if noun != "aircraft"
    )
    + r"|[aA]ircraft)\b)"
    # "Jose Rizal-class frigates", "Victoria-class submarines"
    r"|(?-i:[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)?-class)(?=\s+(?:[a-z-]+\s+){0,1}?(?P<ship>"
    + _SHIP_NOUNS
    + r")\b))"
)
_CANDIDATE = re.compile(
    r"(?<![\w/&-])(?:[A-Z][A-Za-z]{0,3}-?\d|Type \d|[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)?-class)"
)
"""Where a designation may start (a cheap scan; the full pattern is tried there only)."""
_VARIANT = re.compile(r"(?<![\w/&-])[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Za-z]{1,3}(?![\w-])")
_NOT_DESIGNATIONS = frozenset(
    {"World-class", "First-class", "Top-class", "High-class", "Business-class"}
)


_TRIED_WINDOW = 64  # characters from a candidate that decide what it is (name and noun)


def unknown_systems(text: str, gazetteer: Gazetteer) -> dict[str, System]:
    """Designations an article gives for equipment the gazetteer does not list
    ("two HDC-3100 warships", "the Jose Rizal-class frigates"): each becomes a system
    of the category its noun names, with no maker, so that a deal about it is still
    proposed (its provenance says the system is not in the gazetteer)."""
    found: dict[str, System] = {}
    if not any(ch.isdigit() for ch in text) and "-class" not in text:
        return found
    tried: set[str] = set()
    for candidate in _CANDIDATE.finditer(text):
        # the same words at another place say nothing new (a designation repeated)
        window = text[candidate.start() : candidate.start() + _TRIED_WINDOW]
        if window in tried:
            continue
        tried.add(window)
        # "12 A-29N Super Tucano aircraft", "The A-29N was chosen": a letter on a listed
        # designation is that system, noun or not
        lettered = _VARIANT.match(text, candidate.start())
        if lettered is not None and lettered.group() not in found:
            name = lettered.group()
            if _lookup(gazetteer, name) is None:
                known = _lookup(gazetteer, re.sub(r"[A-Za-z]{1,3}$", "", name))
                if known is not None and known[0] == "system":
                    found[name] = gazetteer.systems[known[1]]
                    continue
        match = _UNKNOWN_DESIGNATION.match(text, candidate.start())
        if match is None:
            continue
        name = match.group("name")
        if name in found or name in _NOT_DESIGNATIONS or _lookup(gazetteer, name) is not None:
            continue
        if re.fullmatch(r"[A-Z]{1,4}-?(?:19|20)\d\d", name):
            continue  # "COP-2024", a year
        base = re.sub(r"[A-Za-z]{1,3}$", "", name)
        known = _lookup(gazetteer, base) if base != name else None
        if known is not None:
            if known[0] == "system":
                found[name] = gazetteer.systems[known[1]]  # "JF-17C": a variant of JF-17
            continue
        noun = (match.group("noun") or match.group("ship") or "").lower().rstrip("s")
        category = (
            "submarine"
            if noun in {"boat"} and "-class" in name
            else _NOUN_CATEGORY.get(noun, "ship" if noun == "boat" else None)
        )
        if category is None:
            continue
        found[name] = System(name, category, None, name, None, listed=False)
    return found


def unknown_mentions(
    sentence: Sentence, known: list[Mention], systems: dict[str, System]
) -> list[Mention]:
    """The mentions of a sentence with its designations unknown to the gazetteer added."""
    if not systems or not any(name in sentence.text for name in systems):
        return known
    extra: list[Mention] = []
    spans = [
        (m.group("name"), *m.span("name")) for m in _UNKNOWN_DESIGNATION.finditer(sentence.text)
    ]
    spans += [(m.group(), *m.span()) for m in _VARIANT.finditer(sentence.text)]
    for name, start, end in spans:
        if name not in systems or start < sentence.body_start:
            continue
        if any(m.start < end and start < m.end for m in [*known, *extra]):
            continue
        system = systems[name]
        source = (
            f"gazetteer:systems/{system.name} as variant {name}"
            if system.listed
            else f"unknown-designation/{name}"
        )
        extra.append(Mention("system", system.name, name, start, end, source))
    return sorted([*known, *extra], key=lambda m: m.start) if extra else known
