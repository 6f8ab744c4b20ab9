"""Case-insensitive matching the fast way: lower-case patterns over lower-case text.

Python's re runs a pattern with re.IGNORECASE several times slower than the same
pattern in lower case over `text.lower()`. Offsets stay valid (see `lowered`), so
matches are cut from the original text by their span.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def lowered(text: str) -> str:
    """`text` in lower case with every offset unchanged.

    str.lower() turns a few characters into two ("İ"); those are left as they are.
    """
    low = text.lower()
    if len(low) == len(text):
        return low  # only expansions change the length: equal means one to one
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


_PATTERN_TOKENS = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[^\\(]+|\(")
"""Escapes and group names (kept as written), other text, and a lone parenthesis."""


def lower_pattern(pattern: str) -> str:
    """A case-insensitive pattern rewritten for lower-case text: letters outside escapes
    and group names in lower case ("\\bLOI\\b" -> "\\bloi\\b"; "\\W" stays); a leading
    "(?i)" is dropped."""
    tokens = _PATTERN_TOKENS.findall(pattern.removeprefix("(?i)"))
    return "".join(t if t[0] == "\\" or t.startswith("(?P") else t.lower() for t in tokens)


def compile_lower(pattern: str) -> re.Pattern[str]:
    """`pattern` (case-insensitive by intent) compiled for `lowered` text."""
    return re.compile(lower_pattern(pattern))


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_name(value: Any) -> str:
    """A name without case, accents, spaces or punctuation, for comparing spellings:
    "Scorpène" = "scorpene", "SAMP/T NG" = "samptng"."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NOT_ALNUM.sub("", plain)
