"""Stage 1 and 2: sentences with offsets, tokens, and gazetteer mentions."""

from __future__ import annotations

import re

from .gazetteer import Gazetteer
from .types import Mention, Sentence, Token

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr adm vice rear sgt st no nos fig jan feb mar
    apr jun jul aug sep sept oct nov dec inc ltd co corp bros est approx vs etc e.g i.e u.s
    u.k u.n rs mt govt dept sen rep gov pres""".split()  # noqa: SIM905
)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{2,}(?:,\s*[A-Z][\w.' -]{1,30}?)?"
    r"(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"
    r"|[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{2,},\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})\s*[-–—]+\s+"
)
_TOKEN = re.compile(r"\S+")
_LEAD = "\"“‘'([{«"
_TRAIL = "\"”’'.,;:!?)]}»"


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets. Lines are hard boundaries; the first line is the headline.

    A full stop ends a sentence unless it follows a known abbreviation or a single
    capital initial ("S. Jaishankar", "U.S."). Linear in the length of the text.
    """
    sentences: list[Sentence] = []
    first_line = True
    for line in re.finditer(r"[^\n]+", text):
        line_text = line.group()
        if not line_text.strip():
            continue
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
                    headline=first_line,
                    body_start=dateline.end() if dateline else 0,
                )
            )
        first_line = False
    return sentences


def tokens(sentence: Sentence) -> list[Token]:
    """Whitespace tokens with surrounding punctuation and possessives removed."""
    result: list[Token] = []
    for match in _TOKEN.finditer(sentence.text):
        word, start = match.group(), match.start()
        while word and word[0] in _LEAD:
            word, start = word[1:], start + 1
        while word and word[-1] in _TRAIL:
            word = word[:-1]
        for suffix in ("'s", "’s"):
            if word.endswith(suffix):
                word = word[: -len(suffix)]
        if word:
            result.append(Token(word, start, start + len(word)))
    return result


def find_mentions(sentence: Sentence, gazetteer: Gazetteer) -> list[Mention]:
    """Longest gazetteer matches over token n-grams, left to right (plural -s allowed).

    The dateline ("PRAGUE - ") is skipped: a city there is where the report was
    filed, not a party to the deal.
    """
    toks = [t for t in tokens(sentence) if t.start >= sentence.body_start]
    mentions: list[Mention] = []
    i = 0
    while i < len(toks):
        found = None
        for n in range(min(gazetteer.max_words, len(toks) - i), 0, -1):
            first, last = toks[i], toks[i + n - 1]
            spelling = sentence.text[first.start : last.end]
            hit = gazetteer.lookup(spelling)
            if hit is None and spelling.endswith("s") and len(spelling) >= 3:
                hit = gazetteer.lookup(spelling[:-1])
                if hit is not None and hit[0] == "country":
                    hit = None  # "Swedes" is an adjective entry of its own; no guessing
            if hit is not None:
                kind, name, source = hit
                found = Mention(kind, name, spelling, first.start, last.end, source)
                i += n
                break
        if found is None:
            i += 1
        else:
            mentions.append(found)
    return mentions
