"""The knowledge the pipeline uses, loaded from data files (seeds/gazetteer/).

Countries: the service's canonical names and aliases (handed in by the caller)
plus adjectives, capitals and agencies from countries.yaml. Companies with their
country from manufacturers.yaml. Systems with category, maker, family and
aliases from systems.yaml. Status cues and distractors from cues.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .types import STATUS_ORDER


@dataclass(frozen=True)
class System:
    name: str
    category: str
    maker: str | None
    family: str
    counts: str | None


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
    guards: re.Pattern[str] = re.compile(r"(?!)")
    guards_exempt: frozenset[str] = frozenset()
    distractors: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    training: list[str] = field(default_factory=list)
    max_words: int = 1

    def add(self, spelling: str, kind: str, name: str, source: str) -> None:
        spelling = spelling.strip()
        if not spelling:
            return
        self.terms.setdefault(spelling, (kind, name, source))
        words = spelling.split()
        self.max_words = max(self.max_words, len(words))
        # Case-insensitive only for designations ("f-35a", "mq-9b"): plain words in
        # lower case ("light combat aircraft") are descriptions, not names.
        if len(spelling) >= 4 and any(ch.isdigit() for ch in spelling):
            self.folded.setdefault(spelling.casefold(), (kind, name, source))

    def lookup(self, spelling: str) -> tuple[str, str, str] | None:
        return self.terms.get(spelling) or self.folded.get(spelling.casefold())


def _read(folder: Path, name: str) -> Any:
    with (folder / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_gazetteer(folder: Path, countries: Iterable[tuple[str, str]]) -> Gazetteer:
    """Build the gazetteer from the YAML files in `folder`.

    `countries` gives (spelling, canonical name) pairs for country names and
    aliases (the service passes its party table, so names agree with the API).
    """
    g = Gazetteer()
    # Systems first: a designation that is also a country code must stay a system.
    for entry in _read(folder, "systems.yaml"):
        system = System(
            name=entry["name"],
            category=entry["category"],
            maker=entry.get("maker"),
            family=entry.get("family", entry["name"]),
            counts=entry.get("counts"),
        )
        g.systems[system.name] = system
        for spelling in [system.name, *entry.get("aliases", [])]:
            g.add(spelling, "system", system.name, f"gazetteer:systems/{system.name}")
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
    cues = _read(folder, "cues.yaml")
    for status in ("cancelled", *reversed(STATUS_ORDER)):
        for pattern in cues["status"].get(status, []):
            g.status_cues.append((status, re.compile(pattern, re.IGNORECASE), pattern))
    g.guards = re.compile("|".join(f"(?:{p})" for p in cues["guards_before"]), re.IGNORECASE)
    g.guards_exempt = frozenset(cues.get("guards_exempt", []))
    for kind, patterns in cues["distractors"].items():
        if kind == "training":
            g.training = list(patterns)
        else:
            g.distractors[kind] = [re.compile(p, re.IGNORECASE) for p in patterns]
    return g
