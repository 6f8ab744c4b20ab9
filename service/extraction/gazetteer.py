"""The knowledge the pipeline uses, loaded from data files (seeds/gazetteer/).

Countries: the service's canonical names and aliases (handed in by the caller)
plus adjectives, capitals and agencies from countries.yaml. Companies with their
country from manufacturers.yaml. Systems with category, maker, family and
aliases from systems.yaml. Status cues and distractors from cues.yaml.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .casing import lower_pattern
from .trie import trie_regex
from .types import STATUS_ORDER


@dataclass(frozen=True)
class System:
    name: str
    category: str
    maker: str | None
    family: str
    counts: str | None
    partners: tuple[str, ...] = ()
    """Other companies that build and sell it (a consortium's members: BAE Systems
    for the Eurofighter): named in an article, one of them is the maker."""
    listed: bool = True
    """False for a designation an article gives that the gazetteer does not list (its
    category then comes from the noun after it: "two HDC-3100 warships")."""


@dataclass(frozen=True)
class Company:
    name: str
    country: str


@dataclass
class Gazetteer:
    """Lookup tables keyed by exact spelling (and a case-folded table for long names)."""

    terms: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """spelling -> (kind, canonical name, source)"""
    folded: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    """agency spelling -> country (seller side in foreign military sales)"""
    status_cues: list[tuple[str, re.Pattern[str], str]] = field(default_factory=list)
    """(status, pattern, source). This and the guard and distractor patterns are compiled
    for lower-case text (see lower_pattern): search `lowered(text)`, not `text`."""
    cue_triggers: list[frozenset[str]] = field(default_factory=list)
    """Per cue: lower-case words one of which any match contains (cheap prefilter)."""
    trigger_matcher: re.Pattern[str] = re.compile(r"(?!)")
    cues_by_trigger: dict[str, tuple[int, ...]] = field(default_factory=dict)
    cues_always: tuple[int, ...] = ()
    trigger_prefixes: dict[str, frozenset[str]] = field(default_factory=dict)

    def candidate_cues(self, lowered: str) -> list[int]:
        """Indexes of the cue patterns that may match a lower-case sentence, in order."""
        chosen = set(self.cues_always)
        for word in self.triggers_in(lowered):
            chosen.update(self.cues_by_trigger[word])
        return sorted(chosen)

    def triggers_in(self, lowered: str) -> set[str]:
        """Every trigger word that occurs in a lower-case sentence (one C-level pass)."""
        found: set[str] = set()
        for word in self.trigger_matcher.findall(lowered):
            found |= self.trigger_prefixes[word]
        return found

    any_undecided: re.Pattern[str] = re.compile(r"(?!)")
    guards: re.Pattern[str] = re.compile(r"(?!)")
    guards_exempt: frozenset[str] = frozenset()
    distractors: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    distractor_triggers: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """Per distractor kind: its trigger words; a sentence without one is not searched."""
    training: list[str] = field(default_factory=list)

    def add(self, spelling: str, kind: str, name: str, source: str) -> None:
        spelling = spelling.strip()
        if not spelling:
            return
        self.terms.setdefault(spelling, (kind, name, source))
        # Case-insensitive only for designations ("f-35a", "mq-9b"): plain words in
        # lower case ("light combat aircraft") are descriptions, not names.
        if len(spelling) >= 4 and any(ch.isdigit() for ch in spelling):
            self.folded.setdefault(spelling.casefold(), (kind, name, source))

    def lookup(self, spelling: str) -> tuple[str, str, str] | None:
        hit = self.terms.get(spelling) or self.folded.get(spelling.casefold())
        if hit is None and _NATIONAL_SUFFIX.search(spelling):
            # "Leopard 2A7HU", "K9NO": a buyer's code on a known designation
            base = spelling[:-2]
            hit = self.terms.get(base) or self.folded.get(base.casefold())
            if hit is not None and hit[0] != "system":
                return None
        return hit

    matcher: re.Pattern[str] = re.compile(r"(?!)")
    folded_matcher: re.Pattern[str] = re.compile(r"(?!)")

    def compile(self) -> None:
        """Build the one-pass matchers over all spellings (after every add)."""
        edge_before = r"(?<![\w/&-])"
        suffixes = "|".join(re.escape(s) for s in MAKER_SUFFIXES)
        edge_after = rf"(?:s|['’]s|{suffixes})?(?![\w-])"
        # A designation may carry a buyer's two-letter code ("Leopard 2A7HU", "K9NO"),
        # in the exact-case matcher only (lookup keeps it for systems alone).
        coded = rf"(?:(?<=[0-9A-Z])[A-Z]{{2}})?{edge_after}"
        self.matcher = re.compile(edge_before + "(?:" + trie_regex(self.terms) + ")" + coded)
        # Over lowered(text): a lower-case pattern runs faster than re.IGNORECASE.
        spellings = {spelling.lower() for spelling in self.folded}
        self.folded_matcher = re.compile(
            edge_before + "(?:" + trie_regex(spellings) + ")" + lower_pattern(edge_after)
        )


def with_systems(gazetteer: Gazetteer, extra: dict[str, System]) -> Gazetteer:
    """The gazetteer as one article sees it: its systems and the article's own
    designations the gazetteer does not list (the shared gazetteer is not changed)."""
    return dataclasses.replace(gazetteer, systems={**gazetteer.systems, **extra})


_NATIONAL_SUFFIX = re.compile(r"[0-9A-Z][A-Z]{2}$")
"""A designation followed by a buyer's two-letter code: "2A7HU", "K9NO", "FA-50PL"."""

MAKER_SUFFIXES = ("-built", "-made", "-designed", "-developed")
"""Suffixes after a company's name that keep it a mention: "Boeing-built" (the
matchers allow them; text.article_mentions keeps only companies so suffixed)."""


def literal_words(pattern: str) -> tuple[str, ...]:
    """Words of three or more letters written literally in a cue pattern.

    Every path through a cue pattern spells at least one of them, so a sentence
    (in lower case) that contains none cannot match and is not searched.
    """
    plain = re.sub(r"\\[a-zA-Z]", " ", pattern)  # \b, \w, \d...
    plain = re.sub(r"\[[^\]]*\]", " ", plain)  # character classes
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", plain)} - _OPTIONAL_WORDS
    return tuple(sorted(words))


def cue_entry(entry: str | Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """A status cue of cues.yaml: a pattern, or {pattern, needs} where `needs` lists
    words one of which every match contains. The sentences searched for the pattern
    are then those with one of these words, not those with any word it spells (a
    pattern whose literal words are common, such as number words or "before" in a
    guard, would otherwise run on most sentences)."""
    if isinstance(entry, str):
        return entry, ()
    return str(entry["pattern"]), tuple(str(w).lower() for w in entry.get("needs", ()))


# Words that only ever stand in optional parts of cue patterns: no use as triggers.
_OPTIONAL_WORDS = frozenset(
    (
        "the its their ing and for was were has have had been with from any are his her "
        "our off out yet all who that this which"
    ).split()
)


def _read(folder: Path, name: str) -> Any:
    with (folder / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_gazetteer(folder: Path, countries: Iterable[tuple[str, str]]) -> Gazetteer:
    """Build the gazetteer from the YAML files in `folder`.

    `countries` gives (spelling, canonical name) pairs for country names and
    aliases (the service passes its party table, so names agree with the API).
    """
    g = Gazetteer()
    # "ANKA", "GRIPEN": a one-word name in capitals, added last (a company's or a
    # country's own spelling comes first)
    shouted: list[tuple[str, str]] = []
    # Systems first: a designation that is also a country code must stay a system.
    for entry in _read(folder, "systems.yaml"):
        system = System(
            name=entry["name"],
            category=entry["category"],
            maker=entry.get("maker"),
            family=entry.get("family", entry["name"]),
            counts=entry.get("counts"),
            partners=tuple(entry.get("partners", ())),
        )
        g.systems[system.name] = system
        for spelling in [system.name, *entry.get("aliases", [])]:
            g.add(spelling, "system", system.name, f"gazetteer:systems/{system.name}")
            if spelling.isalpha() and len(spelling) >= 4 and not spelling.isupper():
                shouted.append((spelling.upper(), system.name))
    for entry in _read(folder, "manufacturers.yaml"):
        company = Company(entry["name"], entry["country"])
        g.companies[company.name] = company
        for spelling in [company.name, *entry.get("aliases", [])]:
            g.add(spelling, "company", company.name, f"gazetteer:manufacturers/{company.name}")
    extra: Mapping[str, Mapping[str, list[str]]] = _read(folder, "countries.yaml")
    for country, forms in extra.items():
        for group in ("adjectives", "capitals", "agencies"):
            for spelling in forms.get(group, []):
                g.add(spelling, "country", country, f"gazetteer:countries/{country}/{group}")
                if group == "agencies":
                    g.agencies[spelling] = country
    for spelling, country in countries:
        g.add(spelling, "country", country, f"parties:{country}")
    for spelling, name in shouted:
        g.add(spelling, "system", name, f"gazetteer:systems/{name}")
    g.compile()
    cues = _read(folder, "cues.yaml")
    g.cue_triggers = []
    for status in ("cancelled", *reversed(STATUS_ORDER)):
        for entry in cues["status"].get(status, []):
            pattern, needs = cue_entry(entry)
            g.status_cues.append((status, re.compile(lower_pattern(pattern)), pattern))
            g.cue_triggers.append(frozenset(needs or literal_words(pattern)))
    words = sorted(set().union(*g.cue_triggers))
    # At every position the longest trigger matches; the shorter ones it starts with
    # ("contract" in "contractor") are added from trigger_prefixes.
    g.trigger_matcher = re.compile("(?=(" + trie_regex(words) + "))")
    g.trigger_prefixes = {w: frozenset(v for v in words if w.startswith(v)) for w in words}
    g.cues_by_trigger = {w: tuple(i for i, t in enumerate(g.cue_triggers) if w in t) for w in words}
    g.cues_always = tuple(i for i, t in enumerate(g.cue_triggers) if not t)
    g.guards = re.compile("|".join(f"(?:{lower_pattern(p)})" for p in cues["guards_before"]))
    g.guards_exempt = frozenset(cues.get("guards_exempt", []))
    for kind, patterns in cues["distractors"].items():
        if kind == "training":
            g.training = list(patterns)
        else:
            # One pattern per kind: a sentence is searched once for each kind.
            entries = [cue_entry(p) for p in patterns]
            joined = "|".join(f"(?:{lower_pattern(p)})" for p, _ in entries)
            g.distractors[kind] = [re.compile(joined)]
            triggers = [needs or literal_words(p) for p, needs in entries]
            # Only when every pattern has a trigger word can the kind be skipped safely.
            if all(triggers):
                words = sorted(frozenset().union(*triggers))
                g.distractor_triggers[kind] = re.compile(trie_regex(words))
    g.any_undecided = g.distractors.get("undecided", [re.compile(r"(?!)")])[0]
    return g
