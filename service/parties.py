"""Buyers and sellers: canonical names, ISO codes and the aliases that reach them.

Countries come from pycountry (ISO 3166-1); `data/parties.json` names the
canonical English short form where ISO's is awkward ("South Korea", not
"Korea, Republic of"), adds common aliases and lists organisations, which have
no ISO code. Lookup ignores case, dots and repeated spaces, so "U.S.", "usa",
"US" and "United States of America" all reach "United States".
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry


@dataclass(frozen=True)
class Party:
    """A buyer or seller as stored: canonical name and ISO alpha-2 (None for organisations)."""

    name: str
    code: str | None


class UnknownParty(LookupError):
    """No party matches a name; `suggestions` holds close canonical names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        super().__init__(text)
        self.text = text
        self.suggestions = suggestions


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(".", " ").replace("\u2019", "'")).strip().casefold()


class PartyIndex:
    """Resolves names, aliases and ISO codes to canonical parties."""

    def __init__(self, data: dict[str, object]) -> None:
        self._by_key: dict[str, Party] = {}
        overrides = data.get("countries", {})
        assert isinstance(overrides, dict)
        for country in pycountry.countries:
            extra = overrides.get(country.alpha_2, {})
            name = extra.get("name") or getattr(country, "common_name", None) or country.name
            party = Party(name=name, code=country.alpha_2)
            spellings = [
                name,
                country.name,
                country.alpha_2,
                country.alpha_3,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
                *extra.get("aliases", []),
            ]
            for spelling in spellings:
                if spelling:
                    self._by_key.setdefault(_key(spelling), party)
        organisations = data.get("organisations", [])
        assert isinstance(organisations, list)
        for org in organisations:
            party = Party(name=org["name"], code=None)
            for spelling in [org["name"], *org.get("aliases", [])]:
                self._by_key.setdefault(_key(spelling), party)
        self.canonical_names = sorted({p.name for p in self._by_key.values()})
        # Spellings as written (for finding parties in text): names and aliases, no codes.
        self.spellings: list[tuple[str, Party]] = []
        for country in pycountry.countries:
            extra = overrides.get(country.alpha_2, {})
            party = self._by_key[_key(country.alpha_2)]
            for spelling in [
                party.name,
                country.name,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
                *extra.get("aliases", []),
            ]:
                if spelling:
                    self.spellings.append((spelling, party))
        for org in organisations:
            for spelling in [org["name"], *org.get("aliases", [])]:
                self.spellings.append((spelling, self._by_key[_key(org["name"])]))

    def resolve(self, text: str) -> Party:
        """The party `text` names; raise UnknownParty with suggestions otherwise."""
        party = self._by_key.get(_key(text))
        if party is None:
            raise UnknownParty(text, self.suggest(text))
        return party

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Canonical names of the parties whose spellings are closest to `text`."""
        matches = difflib.get_close_matches(_key(text), self._by_key.keys(), n=10, cutoff=0.75)
        names: list[str] = []
        for match in matches:
            name = self._by_key[match].name
            if name not in names:
                names.append(name)
        return names[:limit]


@cache
def parties() -> PartyIndex:
    """The index built from pycountry and the packaged data file (built once)."""
    raw = resources.files("service").joinpath("data/parties.json").read_text(encoding="utf-8")
    return PartyIndex(json.loads(raw))
