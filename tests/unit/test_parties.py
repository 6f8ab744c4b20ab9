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
        ("North Atlantic Treaty Organization", Party("NATO", None)),
        ("EU", Party("European Union", None)),
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
