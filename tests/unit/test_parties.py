"""Party resolution: canonical names, aliases, codes, suggestions."""

from __future__ import annotations

import pytest

from service.parties import Party, PartyIndex, UnknownParty, parties


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Belgium", Party("Belgium", "BE")),
        ("BEL", Party("Belgium", "BE")),
        ("be", Party("Belgium", "BE")),
        ("U.S.", Party("United States", "US")),
        ("U.S.A.", Party("United States", "US")),
        ("united  states", Party("United States", "US")),
        ("Korea, Republic of", Party("South Korea", "KR")),
        ("Republic of Korea", Party("South Korea", "KR")),
        ("Turkiye", Party("Turkey", "TR")),
        ("Viet Nam", Party("Vietnam", "VN")),
        ("Cote d'Ivoire", Party("Ivory Coast", "CI")),
        ("Czech Republic", Party("Czechia", "CZ")),
        ("Russian Federation", Party("Russia", "RU")),
        ("North Atlantic Treaty Organization", Party("NATO", None, "organisation")),
        ("EU", Party("European Union", None, "organisation")),
        ("AU", Party("Australia", "AU")),
    ],
)
def test_resolve_names_aliases_and_codes(text: str, expected: Party) -> None:
    assert parties().resolve(text) == expected


@pytest.mark.parametrize(("text", "suggestion"), [("Belgum", "Belgium"), ("Polnd", "Poland")])
def test_unknown_names_come_with_suggestions(text: str, suggestion: str) -> None:
    with pytest.raises(UnknownParty) as excinfo:
        parties().resolve(text)
    assert suggestion in excinfo.value.suggestions


def test_nonsense_has_no_suggestions() -> None:
    with pytest.raises(UnknownParty) as excinfo:
        parties().resolve("zzqxj")
    assert excinfo.value.suggestions == []


def test_aliases_are_data() -> None:
    index = PartyIndex({"countries": {"BE": {"aliases": ["Belgica"]}}, "organisations": []})
    assert index.resolve("belgica") == Party("Belgium", "BE")


def test_every_canonical_name_resolves_to_itself() -> None:
    index = parties()
    for name in index.canonical_names:
        assert index.resolve(name).name == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hezbollah (Lebanon)*", Party("Hezbollah (Lebanon)", None, "non-state-actor")),
        ("NATO**", Party("NATO", None, "organisation")),
        ("OSCE**", Party("OSCE", None, "organisation")),
        ("Some Alliance**", Party("Some Alliance", None, "organisation")),
        ("Soviet Union", Party("Soviet Union", None, "former-state")),
        ("East Germany (GDR)", Party("East Germany", None, "former-state")),
        ("Yugoslavia", Party("Yugoslavia", None, "former-state")),
        ("Kosovo", Party("Kosovo", None, "unrecognised-state")),
        ("unknown supplier(s)", Party("Unknown", None, "unknown")),
        ("unknown recipient(s)", Party("Unknown", None, "unknown")),
        ("Turkiye", Party("Turkey", "TR")),
        ("Viet Nam", Party("Vietnam", "VN")),
        ("Czechia", Party("Czechia", "CZ")),
    ],
)
def test_sipri_spellings_and_notation(text: str, expected: Party) -> None:
    assert parties().resolve(text) == expected


@pytest.mark.parametrize(
    ("party", "notation"),
    [
        (Party("Hezbollah (Lebanon)", None, "non-state-actor"), "Hezbollah (Lebanon)*"),
        (Party("Some Alliance", None, "organisation"), "Some Alliance**"),
        (Party("Belgium", "BE"), "Belgium"),
    ],
)
def test_notation_resolves_back_to_the_party(party: Party, notation: str) -> None:
    assert party.notation == notation
    assert parties().resolve(notation) == party
