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

KINDS = (
    "country",
    "organisation",
    "former-state",
    "unrecognised-state",
    "non-state-actor",
    "unknown",
)


@dataclass(frozen=True)
class Party:
    """A buyer or seller as stored: canonical name, ISO alpha-2 (countries only), kind."""

    name: str
    code: str | None
    kind: str = "country"

    @property
    def notation(self) -> str:
        """The name as input accepts it back: SIPRI's "*" for a non-state actor, "**"
        for an organisation not in the table."""
        return self.name + {"non-state-actor": "*", "organisation": "**"}.get(self.kind, "")


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
        groups = [
            ("organisation", organisations),
            ("former-state", data.get("former_states", [])),
            ("unrecognised-state", data.get("unrecognised_states", [])),
        ]
        unknown = data.get("unknown")
        if isinstance(unknown, dict):
            groups.append(("unknown", [unknown]))
        listed: list[tuple[str, Party]] = []
        for kind, entries in groups:
            assert isinstance(entries, list)
            for entry in entries:
                party = Party(name=entry["name"], code=None, kind=kind)
                for spelling in [entry["name"], *entry.get("aliases", [])]:
                    self._by_key.setdefault(_key(spelling), party)
                    listed.append((spelling, party))
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
        self.spellings.extend(listed)

    def resolve(self, text: str) -> Party:
        """The party `text` names; raise UnknownParty with suggestions otherwise.

        SIPRI's notation is understood: "Hezbollah (Lebanon)*" is a non-state actor,
        "OSCE**" an organisation (listed or not).
        """
        party = self._by_key.get(_key(text))
        if party is not None:
            return party
        stripped = text.strip()
        if stripped.endswith("**") and len(stripped) > 2:
            name = stripped[:-2].strip()
            listed = self._by_key.get(_key(name))
            if listed is not None and listed.kind == "organisation":
                return listed
            return Party(name=name, code=None, kind="organisation")
        if stripped.endswith("*") and len(stripped) > 1:
            return Party(name=stripped[:-1].strip(), code=None, kind="non-state-actor")
        raise UnknownParty(text, self.suggest(text))

    def search(self, text: str, limit: int = 20) -> list[Party]:
        """Parties a spelling of which equals, starts with or contains `text` (in that
        order; case, dots and spaces as in `resolve`): autocomplete."""
        wanted = _key(text)
        if not wanted:
            return []
        ranked: dict[Party, int] = {}
        for key, party in self._by_key.items():
            rank = 0 if key == wanted else 1 if key.startswith(wanted) else 2
            if rank < 2 or wanted in key:
                ranked[party] = min(rank, ranked.get(party, rank))
        found = sorted(ranked, key=lambda p: (ranked[p], p.name))
        return found[:limit]

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
