"""A regular expression from a trie of literal terms.

Python's `re` tries the alternatives of `a|b|c...` one by one at every
position; with thousands of gazetteer terms that is slow. Compiled from a trie,
the pattern branches on one character at a time, so a whole article is scanned
in one C-level pass, and greedy optional tails make the longest term win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def _build(terms: Iterable[str]) -> dict[str, object]:
    root: dict[str, object] = {}
    for term in terms:
        node = root
        for ch in term:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[_END] = {}
    return root


def _pattern(node: dict[str, object]) -> str:
    ends = _END in node
    branches = [re.escape(ch) + _pattern(child) for ch, child in sorted(node.items()) if ch]  # type: ignore[arg-type]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        # Greedy: the longer term is tried first, the shorter one is the fallback.
        return "(?:" + body + ")?"
    return body


def trie_regex(terms: Iterable[str]) -> str:
    """A pattern matching any of `terms`, preferring the longest."""
    return _pattern(_build(terms))
