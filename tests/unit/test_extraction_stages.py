"""Each stage of the extraction pipeline on sentences of our own."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from service.extraction import Extractor
from service.extraction.casing import lower_pattern, lowered
from service.extraction.cues import find_cues, strongest
from service.extraction.deals import ANALYSED_SENTENCES
from service.extraction.numbers import find_money, find_quantities, parse_number, quantity_before
from service.extraction.text import find_mentions, split_sentences
from service.services.articles import extractor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return extractor(ROOT / "seeds" / "gazetteer")


# --- sentences ------------------------------------------------------------------------


def test_sentences_keep_offsets_headline_and_abbreviations() -> None:
    text = (
        "Oslo buys tanks\n\nOSLO, Dec. 3 - Norway's Lt. Gen. Eirik Kristoffersen spoke. "
        "The U.S. Army agreed. It cost $1.5 billion."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Oslo buys tanks",
        "OSLO, Dec. 3 - Norway's Lt. Gen. Eirik Kristoffersen spoke.",
        "The U.S. Army agreed.",
        "It cost $1.5 billion.",
    ]
    assert sentences[0].headline and not sentences[1].headline
    assert sentences[1].text[sentences[1].body_start :].startswith("Norway's")
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_initials_do_not_end_sentences() -> None:
    sentences = split_sentences("Minister S. Jaishankar met J. Smith. Then they left.")
    assert len(sentences) == 2


# --- mentions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Warsaw signed for K2PL tanks.", [("country", "Poland"), ("system", "K2 Black Panther")]),
        (
            "The Norwegian Defence Materiel Agency ordered NASAMS.",
            [("country", "Norway"), ("system", "NASAMS")],
        ),
        (
            "Seoul's Hanwha Aerospace will ship K9s.",
            [("country", "South Korea"), ("company", "Hanwha Aerospace"), ("system", "K9 Thunder")],
        ),
        ("The Pentagon cleared F-16V jets.", [("country", "United States"), ("system", "F-16")]),
        (
            "Ankara's Baykar sells TB2 drones.",
            [("country", "Turkey"), ("company", "Baykar"), ("system", "Bayraktar TB2")],
        ),
    ],
)
def test_mentions_resolve_countries_companies_and_systems(
    ex: Extractor, sentence: str, expected: list[tuple[str, str]]
) -> None:
    mentions = find_mentions(split_sentences(sentence)[0], ex.gazetteer)
    assert [(m.kind, m.name) for m in mentions] == expected


def test_company_name_wins_over_system_inside_it(ex: Extractor) -> None:
    mentions = find_mentions(split_sentences("It buys from BrahMos Aerospace.")[0], ex.gazetteer)
    assert [(m.kind, m.name) for m in mentions] == [("company", "BrahMos Aerospace")]


def test_dateline_city_is_not_a_party(ex: Extractor) -> None:
    sentence = split_sentences("Headline\nWASHINGTON, May 2 - Japan ordered Tomahawks.")[1]
    names = [m.name for m in find_mentions(sentence, ex.gazetteer) if m.kind == "country"]
    assert names == ["Japan"]


# --- quantities and money -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("buys 48 jets", 48, 48),
        ("buys forty-eight jets", 48, 48),
        ("buys two dozen jets", 24, 24),
        ("between 200 and 300 missiles", 200, 300),
        ("150-200 launchers", 150, 200),
        ("up to 48 helicopters", None, 48),
        ("as many as 400 cruise missiles", None, 400),
        ("more than 1,000 launchers", 1000, None),
        ("at least 12 frigates", 12, None),
        ("about 30 tanks", 30, 30),
        ("several hundred missiles", None, None),
        ("dozens of drones", None, None),
    ],
)
def test_quantities(text: str, low: int | None, high: int | None) -> None:
    found = find_quantities(text)
    assert (found[0].low, found[0].high) == (low, high)


def test_vague_quantity_keeps_its_text() -> None:
    assert find_quantities("ordered several hundred Piorun missiles")[0].text == (
        "several hundred Piorun missiles"
    )


def test_years_and_fleet_sizes_are_not_quantities() -> None:
    assert find_quantities("in 2024 tanks arrived") == []
    assert find_quantities("giving it a fleet of 122 tanks") == []


def test_count_right_before_a_name() -> None:
    text = "Baykar delivered the first six TB2s"
    q = quantity_before(text, text.index("TB2s"))
    assert q is not None and (q.low, q.high) == (6, 6)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("for $1.2 billion", 1_200_000_000, "USD"),
        ("worth 932 million zloty", 932_000_000, "PLN"),
        ("EUR 33.3 million", 33_300_000, "EUR"),
        ("a €250m deal", 250_000_000, "EUR"),
        ("Rs 6,500 crore", 65_000_000_000, "INR"),
        ("3.98 billion Czech crowns", 3_980_000_000, "CZK"),
        ("£241 million", 241_000_000, "GBP"),
        ("C$19 billion", 19_000_000_000, "CAD"),
    ],
)
def test_money_notations(text: str, amount: int, currency: str) -> None:
    money = find_money(text)
    assert (money[0].amount, money[0].currency) == (amount, currency)


def test_kroner_follow_the_country_named() -> None:
    assert find_money("2.1 billion kroner", ("Denmark",))[0].currency == "DKK"
    assert find_money("600 million kroner", ("Norway",))[0].currency == "NOK"


@pytest.mark.parametrize(("text", "value"), [("thirty-six", 36), ("1,300", 1300), ("a dozen", 12)])
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


# --- status cues ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Oslo plans to buy 10 jets.", "announced"),
        ("The government chose the jet.", "announced"),
        ("They signed a letter of intent.", "intent"),
        ("The two sides signed a memorandum of understanding.", "intent"),
        ("The State Department approved the possible sale.", "approved"),
        ("Parliament voted to fund the purchase.", "approved"),
        ("The ministry signed a contract for 12 guns.", "contracted"),
        ("Riga has 6 launchers on order.", "contracted"),
        ("The navy received its first frigate.", "delivering"),
        ("The army took delivery of the final batch.", "delivered"),
        ("The ministry called off the purchase.", "cancelled"),
        ("The deal was scrapped.", "cancelled"),
    ],
)
def test_status_cues(ex: Extractor, sentence: str, status: str) -> None:
    cue = strongest(find_cues(sentence, ex.gazetteer))
    assert cue is not None and cue.status == status


@pytest.mark.parametrize(
    "sentence",
    [
        "Romania has not yet signed a contract.",
        "A contract is to be signed next year.",
        "Officials hope to sign the contract soon.",
        "The purchase still needs parliament's approval.",
        "It does not mean a deal has been signed.",
    ],
)
def test_negated_or_future_cues_are_dropped(ex: Extractor, sentence: str) -> None:
    cues = [c for c in find_cues(sentence, ex.gazetteer) if c.status != "announced"]
    assert cues == []


# --- whole articles -------------------------------------------------------------------


KEY = ("buyer", "seller", "system", "status", "quantity_min", "quantity_max")


def _records(
    ex: Extractor, text: str, published: date | None = None, fields: tuple[str, ...] = KEY
) -> list[tuple[object, ...]]:
    return [tuple(c.fields[f] for f in fields) for c in ex.extract(text, published)]


def test_sale_to_buyer_and_fms_seller(ex: Extractor) -> None:
    text = (
        "US clears missile sale\n"
        "The State Department approved a possible sale of up to 60 AIM-9X missiles to Norway."
    )
    assert _records(ex, text) == [("Norway", "United States", "AIM-9X", "approved", None, 60)]


def test_company_stands_for_the_seller_country(ex: Extractor) -> None:
    text = "Deal\nEstonia signed a contract with Mesko for 100 Piorun launchers."
    assert _records(ex, text) == [("Estonia", "Poland", "Piorun", "contracted", 100, 100)]


def test_split_quantity_counts_missiles_for_a_missile(ex: Extractor) -> None:
    text = (
        "Javelins\nLatvia ordered 200 Javelin missiles and 20 Javelin launch units from the "
        "United States."
    )
    assert _records(ex, text) == [("Latvia", "United States", "Javelin", "contracted", 200, 200)]


def test_distractors_yield_nothing(ex: Extractor) -> None:
    text = (
        "Drills\n"
        "Polish and Dutch F-35A pilots trained together during an exercise over the Baltic. "
        "Germany donated 20 Gepard vehicles to Ukraine free of charge. "
        "Saab has delivered more than 280 Gripens since 1996. "
        "Analysts think Seoul should consider buying more F-35A jets."
    )
    assert _records(ex, text) == []


def test_cancellation_wins_over_earlier_stages(ex: Extractor) -> None:
    text = (
        "Deal off\nThe Swiss army had ordered 12 Hermes 900 drones. "
        "The ministry cancelled the order on Monday."
    )
    assert _records(ex, text)[0][3] == "cancelled"


def test_evidence_and_provenance_explain_each_record(ex: Extractor) -> None:
    text = "T\nBelgium is set to purchase between 200 and 300 Piorun systems."
    candidate = ex.extract(text)[0]
    evidence = candidate.evidence[0]
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert candidate.quantity_text == "between 200 and 300 Piorun systems"
    assert candidate.provenance["system"] == "gazetteer:systems/Piorun"
    assert candidate.provenance["seller"].startswith("seller:maker-country")
    assert 0 < candidate.confidence <= 1


# --- casing and work bounds -----------------------------------------------------------


def test_lowered_keeps_every_offset() -> None:
    text = "İzmir ordered 12 F-16 jets"  # "İ".lower() is two characters
    low = lowered(text)
    assert len(low) == len(text)
    assert low[low.index("f-16") : low.index("f-16") + 4] == "f-16"
    assert lowered("Poland ORDERED") == "poland ordered"


def test_lower_pattern_keeps_escapes_and_group_names() -> None:
    assert lower_pattern(r"(?i)\bLOI\b") == r"\bloi\b"
    assert lower_pattern(r"(?P<Unit>A\W)(?P=Unit)") == r"(?P<Unit>a\W)(?P=Unit)"


def test_quantity_and_money_keep_the_article_spelling() -> None:
    (quantity,) = find_quantities("Greece Ordered SIX More Rafale Jets.")
    assert (quantity.low, quantity.text, quantity.unit) == (6, "SIX More Rafale Jets", "jets")
    (money,) = find_money("a deal WORTH EUR 33.3 Million")
    assert (money.amount, money.currency, money.text) == (33_300_000, "EUR", "EUR 33.3 Million")


def _deal_sentences(n: int) -> str:
    buyers = ["Poland", "Norway", "Japan", "Brazil", "Estonia", "Greece", "Chile", "Canada"]
    return "News\n" + " ".join(
        f"{buyers[i % len(buyers)]} signed a contract for {i + 2} K9 Thunder howitzers "
        f"in {1990 + i % 30}, officials said in statement number {i}."
        for i in range(n)
    )


def test_work_budget_stops_early_and_says_where(ex: Extractor) -> None:
    text = _deal_sentences(ANALYSED_SENTENCES + 20)
    result = ex.run(text)
    assert result.truncated_at is not None
    first_left = text[result.truncated_at :].split(".")[0]
    assert f"contract for {ANALYSED_SENTENCES + 2} K9" in first_left  # the 251st sentence
    assert all(c.evidence[-1]["end"] <= result.truncated_at for c in result.records)
    assert ex.run(_deal_sentences(10)).truncated_at is None


def test_prose_and_repeats_do_not_use_up_the_budget(ex: Extractor) -> None:
    prose = "Rain is expected in Oslo tomorrow. " * (ANALYSED_SENTENCES * 2)
    deal = "Estonia signed a contract for 12 K9 Thunder howitzers. "
    result = ex.run("News\n" + prose + deal * (ANALYSED_SENTENCES * 2))
    assert result.truncated_at is None
    assert [(c.fields["buyer"], c.fields["quantity_max"]) for c in result.records] == [
        ("Estonia", 12)
    ]


def test_a_sentence_repeated_many_times_counts_as_three(ex: Extractor) -> None:
    deal = "Estonia signed a contract for 12 K9 Thunder howitzers. "
    many, three = ex.run("News\n" + deal * 50), ex.run("News\n" + deal * 3)
    assert [c.as_dict() for c in many.records] == [c.as_dict() for c in three.records]


# --- rules learnt from held-out batch 4 -------------------------------------------------


def test_money_before_a_name_is_no_count(ex: Extractor) -> None:
    text = "Deal off\nSpain cancelled a contract worth 285 million euros for Spike LR2 missiles."
    assert _records(ex, text) == [("Spain", "Israel", "Spike LR2", "cancelled", None, None)]


def test_count_after_of_which(ex: Extractor) -> None:
    text = "Jets\nRomania flies second-hand F-16s, of which it bought 32 from Norway in 2022."
    assert _records(ex, text) == [("Romania", "Norway", "F-16", "contracted", 32, 32)]


def test_an_upgrade_in_its_own_clause_takes_no_stage(ex: Extractor) -> None:
    text = (
        "Jets\nGreece ordered 24 Rafale fighters from France in 2024, and is upgrading 83 "
        "of its F-16s to the Viper standard."
    )
    assert [r[2] for r in _records(ex, text)] == ["Rafale"]


def test_a_sale_after_the_system_is_not_its_seller(ex: Extractor) -> None:
    text = (
        "Tanks\nThe Netherlands plans to buy 46 Leopard 2A8 tanks, years after the Dutch army "
        "sold its last tanks."
    )
    assert _records(ex, text) == [("Netherlands", "Germany", "Leopard 2A8", "announced", 46, 46)]


def test_will_also_buy_and_received_between_years(ex: Extractor) -> None:
    assert [c.status for c in find_cues("The Dutch will also buy CV90s.", ex.gazetteer)] == [
        "announced"
    ]
    cues = find_cues("the jets it received between 2015 and 2017", ex.gazetteer)
    assert [c.status for c in cues] == ["delivered"]
    assert parse_number("the dozen") == 12


def test_a_when_clause_in_the_past_states_a_fact(ex: Extractor) -> None:
    text = (
        "Helicopters\nWhen Norway walked away from its order for 14 NH90 helicopters in 2022, "
        "it asked for its money back."
    )
    assert _records(ex, text) == [("Norway", "France", "NH90", "cancelled", 14, 14)]
    # A condition stays a condition.
    assert find_cues("when the contract is signed next year", ex.gazetteer) == []


def test_the_system_a_purchase_replaces_is_not_bought(ex: Extractor) -> None:
    text = "Air defence\nFinland orders David's Sling to fill the Buk gap."
    assert [r[2] for r in _records(ex, text)] == ["David's Sling"]


def test_a_later_clause_gives_a_stage_the_first_mention_lacked(ex: Extractor) -> None:
    text = (
        "Jets\nEgypt signed a contract for 30 more Rafale fighters from France.\n"
        "It is Egypt's second Rafale order after the air force received 24 Rafale jets "
        "between 2015 and 2017."
    )
    assert sorted(_records(ex, text)) == [
        ("Egypt", "France", "Rafale", "contracted", 30, 30),
        ("Egypt", "France", "Rafale", "delivered", 24, 24),
    ]


def test_the_sellers_approval_of_an_export_joins_the_buyers_deal(ex: Extractor) -> None:
    text = (
        "Helicopters\nPoland will buy 96 AH-64E helicopters from the United States.\n"
        "The US Congress approved the sale of the AH-64E helicopters last month."
    )
    assert _records(ex, text) == [("Poland", "United States", "AH-64E", "approved", 96, 96)]


def test_received_counts_without_a_total_are_deliveries(ex: Extractor) -> None:
    def status(sentence: str) -> str | None:
        found = strongest(find_cues(sentence, ex.gazetteer))
        return found.status if found else None

    assert status("Chile has taken delivery of three C-390 aircraft.") == "delivered"
    assert status("Chile has received two more C-390 aircraft.") == "delivering"
    assert status("Chile has received about ten of them so far.") == "delivering"
    assert status("The first four of the jets arrived at the base on Monday.") == "delivering"


# --- rules learnt from blind batch 6 (sentences of our own, not the batch's) -----------


def test_a_currency_code_inside_a_word_is_no_money() -> None:
    # "covers 180" holds "rs 180" (rupees) only inside the word "covers".
    assert find_money("The order covers 180 trucks.") == []
    assert find_money("It costs Rs 180 crore.")[0].currency == "INR"


def test_a_count_does_not_reach_over_a_verb_or_determiner() -> None:
    assert find_quantities("The three Nordic states chose the Swedish radar.") == []
    (q,) = find_quantities("It ordered ten K9 self-propelled howitzers.")
    assert (q.low, q.unit) == (10, "howitzers")


def test_the_record_names_the_variant_the_article_writes(ex: Extractor) -> None:
    written = "Tanks\nRomania signed a contract for 54 Abrams tanks from the United States."
    assert _records(ex, written)[0][2] == "Abrams"  # not the gazetteer's "M1 Abrams"
    spelled = "Rockets\nEstonia ordered Guided Multiple Launch Rocket System munitions from the US."
    assert _records(ex, spelled)[0][2] == "GMLRS"  # a spelled-out name is no variant


def test_a_country_whose_ministry_placed_an_order_is_the_buyer(ex: Extractor) -> None:
    text = (
        "Radars\nLithuania has ordered Giraffe 4A radars from Saab.\n"
        "The purchase mirrors one by Latvia, whose armed forces placed an order for "
        "three Giraffe 4A radars in March."
    )
    assert ("Latvia", "Sweden", "Giraffe 4A", "contracted", 3, 3) in _records(ex, text)


def test_a_sentence_opening_on_the_contract_gives_its_count(ex: Extractor) -> None:
    text = (
        "Howitzers\nRomania signed its executive contract with Hanwha for K9 howitzers.\n"
        "That contract covers 54 guns, the first tranche under a framework agreement "
        "for up to 100 K9s."
    )
    assert sorted(_records(ex, text)) == [
        ("Romania", "South Korea", "K9", "contracted", 54, 54),
        ("Romania", "South Korea", "K9", "intent", None, 100),
    ]


def test_a_later_clause_counting_them_is_another_stage(ex: Extractor) -> None:
    text = (
        "Tanks\nA framework agreement lets Warsaw buy 500 K2 tanks from Hyundai Rotem; "
        "an executive contract for the first 90 of them was signed in May."
    )
    assert sorted(_records(ex, text)) == [
        ("Poland", "South Korea", "K2", "contracted", 90, 90),
        ("Poland", "South Korea", "K2", "intent", 500, 500),
    ]


def test_a_stage_of_several_deals_reaches_the_deals_named_next(ex: Extractor) -> None:
    text = (
        "Deals off\nThe Colombian government has scrapped two contracts with Israeli firms.\n"
        "One covered Spike missiles worth 40 million dollars.\n"
        "The other was for Hermes 900 drones."
    )
    assert sorted(_records(ex, text)) == [
        ("Colombia", "Israel", "Hermes 900", "cancelled", None, None),
        ("Colombia", "Israel", "Spike", "cancelled", None, None),
    ]


def test_the_document_also_covers_a_system_at_the_same_stage(ex: Extractor) -> None:
    text = (
        "Jets\nIndonesia signed a memorandum of understanding with France for 12 Rafale jets.\n"
        "The memorandum also covers Scorpene submarines."
    )
    assert sorted(_records(ex, text)) == [
        ("Indonesia", "France", "Rafale", "intent", 12, 12),
        ("Indonesia", "France", "Scorpène", "intent", None, None),
    ]


def test_an_upgrade_is_no_purchase_and_and_it_starts_a_clause(ex: Extractor) -> None:
    text = (
        "Fighters\nPortugal has modernised 20 of its F-16s, and it received the last of "
        "five KC-390 transports ordered from Brazil."
    )
    assert _records(ex, text) == [("Portugal", "Brazil", "KC-390", "delivered", 5, 5)]


def test_an_order_book_purchase_is_not_assumed_delivered(ex: Extractor) -> None:
    text = (
        "Order book\nThe Czech Republic signed for CV90 vehicles from Sweden.\n"
        "Its order book also holds 24 F-35A jets bought in 2019 from the United States."
    )
    assert ("Czechia", "United States", "F-35A", "contracted", 24, 24) in _records(ex, text)


# --- rules learnt from blind batch 7 (sentences of our own) ----------------------------


def test_every_country_listed_after_from_is_a_seller_side(ex: Extractor) -> None:
    text = (
        "Tanks\nChile has signed for 20 K2 tanks from South Korea.\n"
        "Until then the army will use Leopard 2A4 tanks bought from Germany and the Netherlands."
    )
    assert {(r[0], r[2]) for r in _records(ex, text)} == {("Chile", "K2"), ("Chile", "Leopard 2A4")}


def test_a_count_before_a_colon_counts_kinds(ex: Extractor) -> None:
    text = (
        "Air defence\nFinland has chosen two systems: the Israeli David's Sling and the "
        "Norwegian NASAMS."
    )
    assert sorted(_records(ex, text)) == [
        ("Finland", "Israel", "David's Sling", "announced", None, None),
        ("Finland", "Norway", "NASAMS", "announced", None, None),
    ]


def test_a_company_named_before_principal_contractor_makes_the_deal(ex: Extractor) -> None:
    text = (
        "Radars\nThe State Department approved a possible sale to Greece of four Sentinel A4 "
        "radars.\nLockheed Martin, the maker, is the prime contractor."
    )
    (candidate,) = ex.extract(text)
    assert candidate.fields["manufacturer"] == "Lockheed Martin"
    assert candidate.provenance["manufacturer"].startswith("manufacturer:principal-contractor")


def test_a_sale_notified_to_congress_is_bought_by_the_articles_buyer(ex: Extractor) -> None:
    text = (
        "Sales\nThe State Department approved a possible sale to Qatar of NASAMS units.\n"
        "The agency also notified Congress of a sale of AN/TPY-4 radars."
    )
    assert {(r[0], r[2]) for r in _records(ex, text)} == {
        ("Qatar", "NASAMS"),
        ("Qatar", "AN/TPY-4"),
    }


@pytest.mark.parametrize(
    ("sentence", "status", "count"),
    [
        ("Peru ordered 24 K2 tanks in 2019 and has so far received six of them.", "delivering", 24),
        (
            "Peru took delivery of the last of 24 K2 tanks ordered from South Korea.",
            "delivered",
            24,
        ),
        (
            "The first of 24 K2 tanks bought by Peru from South Korea arrived in May.",
            "delivering",
            24,
        ),
        ("Peru ordered 24 K2 tanks in 2015, with deliveries planned for 2027.", "contracted", 24),
    ],
)
def test_delivery_stages_and_totals(ex: Extractor, sentence: str, status: str, count: int) -> None:
    published = date(2025, 6, 1)
    (candidate,) = ex.extract("Tanks\n" + sentence, published)
    assert (candidate.fields["status"], candidate.fields["quantity_max"]) == (status, count)


# --- rules learnt from blind batch 8 (sentences of our own) ----------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jets\nChile is reviewing its 2022 contract for 12 F-35A jets.",
            [("Chile", "United States", "F-35A", "contracted", 12, 12)],
        ),
        (
            "Trainers\nKorea Aerospace Industries is already building 12 FA-50 jets for Peru.",
            [("Peru", "South Korea", "FA-50", "contracted", 12, 12)],
        ),
        (
            "Jets\nPeru signed a memorandum with Jordan to buy 10 used F-16 jets, but the plan "
            "was dropped in May.",
            [("Peru", "Jordan", "F-16", "cancelled", 10, 10)],
        ),
        (
            "Jets\nEgypt is awaiting the 30 Rafale jets it ordered from France in 2021.\n"
            "The first four of them were handed over in March.",
            [("Egypt", "France", "Rafale", "delivering", 30, 30)],
        ),
        (
            "Air defence\nFinland's air force took over the first David's Sling battery on Friday.",
            [("Finland", "Israel", "David's Sling", "delivering", None, None)],
        ),
        (
            "Jets\nBulgaria signed a letter of offer and acceptance for eight new F-16 Block 70 "
            "jets.",
            [("Bulgaria", "United States", "F-16", "contracted", 8, 8)],
        ),
        (
            "Sales\nIn 2023 Greece ordered 10 K9 howitzers from South Korea, and last year "
            "Washington approved the sale of AGM-88E missiles to Athens.",
            [
                ("Greece", "South Korea", "K9", "contracted", 10, 10),
                ("Greece", "United States", "AGM-88E", "approved", None, None),
            ],
        ),
        (
            "Tanks\nRomania received 20 M1A1 tanks in May, years before the 54 M1A2 tanks it "
            "ordered from the United States in 2023 are delivered.",
            [
                ("Romania", "United States", "M1A1", "delivered", 20, 20),
                ("Romania", "United States", "M1A2", "contracted", 54, 54),
            ],
        ),
        (
            "Jets\nThe Spanish air force flies EF-18 Hornets bought in the mid 1980s.",
            [("Spain", "United States", "EF-18", "delivered", None, None)],
        ),
    ],
)
def test_batch_8_phrasings(ex: Extractor, text: str, expected: list[tuple[object, ...]]) -> None:
    assert sorted(_records(ex, text), key=str) == sorted(expected, key=str)


def test_at_least_five_of_the_warships_is_a_count() -> None:
    (q,) = find_quantities("It will buy at least five of the anti-submarine warships.")
    assert (q.low, q.high, q.unit) == (5, None, "warships")


# --- rules learnt from blind batch 9 (sentences of our own) ----------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Guns\nSlovakia is receiving the last of 16 Caesar howitzers ordered from France.",
            [("Slovakia", "France", "CAESAR", "delivering", 16, 16)],
        ),
        (
            "Missiles\nThe State Department approved a sale to Spain of 50 Tomahawk Block V "
            "missiles and 10 Tomahawk Block IV missiles.",
            [("Spain", "United States", "Tomahawk", "approved", 60, 60)],
        ),
        (
            "Missiles\nThe State Department approved a sale of Tomahawk missiles to Spain.\n"
            "The Netherlands, which ordered 30 of the missiles last year, will follow.",
            [
                ("Spain", "United States", "Tomahawk", "approved", None, None),
                ("Netherlands", "United States", "Tomahawk", "contracted", 30, 30),
            ],
        ),
        (
            "Jets\nAlgeria has given up on its purchase of Su-57 jets from Russia.",
            [("Algeria", "Russia", "Su-57", "cancelled", None, None)],
        ),
        (
            "Jets\nThe last four of the 14 Gripen jets Hungary leased had already arrived.\n"
            "The final two of the 12 Rafale fighters Serbia bought from France landed on Monday.",
            [("Serbia", "France", "Rafale", "delivered", 12, 12)],
        ),
        (
            "Air defence\nNorway said it would also look at the German IRIS-T SLM, of which it "
            "ordered a first batch last year.",
            [("Norway", "Germany", "IRIS-T SLM", "contracted", None, None)],
        ),
        (
            "Frigates\nThe council approved the upgrade of the navy's six Type 26 frigates.",
            [],
        ),
        (
            "Missiles\nPeru bought Spike missiles from Israel for its Mi-35 helicopters, and it "
            "leases Hermes drones from Elbit.",
            [("Peru", "Israel", "Spike", "contracted", None, None)],
        ),
        (
            "Jets\nFrance is replacing the jets with new Rafales ordered from Dassault Aviation.",
            [("France", "France", "Rafale", "contracted", None, None)],
        ),
        (
            "Launchers\nThe purchase ends a debate over whether to buy more M270 launchers.",
            [],
        ),
    ],
)
def test_batch_9_phrasings(ex: Extractor, text: str, expected: list[tuple[object, ...]]) -> None:
    assert sorted(_records(ex, text), key=str) == sorted(expected, key=str)


# --- rules learnt from blind batch 10 (sentences of our own) ---------------------------


_BATCH_10: list[Any] = [
    (
        "Helicopters\nChile has shelved its plan to buy eight AW149 helicopters from Leonardo.",
        [("Chile", "Italy", "AW149", "cancelled", 8, 8)],
    ),
    (
        "Tanks\nPeru ordered 20 K2 tanks from South Korea.\nOther US arms on order include "
        "12 F-16 Block 70 fighters.",
        [
            ("Peru", "South Korea", "K2", "contracted", 20, 20),
            ("Peru", "United States", "F-16", "contracted", 12, 12),
        ],
    ),
    (
        "Jets\nChile has bought four C-390 transports from Brazil, all of which have been "
        "delivered, and in 2024 it ordered six AW149 helicopters to replace the Super Pumas "
        "whose contract it cancelled in 2021.",
        [
            ("Chile", "Brazil", "C-390", "delivered", 4, 4),
            ("Chile", "Italy", "AW149", "contracted", 6, 6),
        ],
    ),
    (
        "Air defence\nEgypt bought 10 HQ-9 systems from China in 2020, deliveries of which "
        "were completed that year.",
        [("Egypt", "China", "HQ-9", "delivered", 10, 10)],
    ),
    (
        "Jets\nSpain signed a contract for 25 more Eurofighter jets in December, after 20 "
        "ordered in 2022.",
        [("Spain", "Germany", "Eurofighter", "contracted", 25, 25)],
    ),
    (
        "Jets\nPeru signed a contract for 24 FA-50 jets in 2021.\nThe first eight were "
        "handed over last year.",
        [("Peru", "South Korea", "FA-50", "delivering", 24, 24)],
    ),
]


# --- rules learnt from blind batch 11 (sentences of our own) ---------------------------


_BATCH_11: list[Any] = [
    (
        "Peru signs its own Gripen deal\nPeru is holding talks with Sweden on Gripen jets.",
        [],
    ),
    (
        "Missiles\nVietnam plans to buy more BrahMos missiles, a year after the first of "
        "four batteries ordered from India was delivered.",
        [("Vietnam", "India", "BrahMos", "delivering", 4, 4)],
    ),
    (
        "Jets\nIndia signed a contract for 83 Tejas Mk1A jets in 2021, deliveries of which "
        "have been held up by late engines.",
        [("India", "India", "Tejas Mk1A", "contracted", 83, 83)],
    ),
]


# --- rules learnt from blind batch 12 (sentences of our own) ---------------------------


_BATCH_12: list[Any] = [
    (
        "Missiles\nThe State Department approved a possible sale to Kuwait of NASAMS.\n"
        "Kuwait had asked to buy 100 AIM-120C-8 missiles, among other items.",
        [
            ("Kuwait", "United States", "NASAMS", "approved", None, None),
            ("Kuwait", "United States", "AIM-120C-8", "approved", 100, 100),
        ],
    ),
    (
        "Vehicles\nAustralia has increased its order for Boxer vehicles by 50, bringing the "
        "total to 261.",
        [("Australia", "Germany", "Boxer", "contracted", 261, 261)],
    ),
    (
        "Jets\nIndonesia will buy 12 Rafale jets from France as part of a spending package.\n"
        "The package also includes 20 Caesar howitzers.",
        [
            ("Indonesia", "France", "Rafale", "announced", 12, 12),
            ("Indonesia", "France", "CAESAR", "announced", 20, 20),
        ],
    ),
    (
        "Guns\nThe Swiss army signed for 12 Archer guns from Sweden.\nThe first Archers "
        "built for it were delivered in May.",
        [("Switzerland", "Sweden", "Archer", "delivering", 12, 12)],
    ),
]


# --- rules learnt from blind batch 13 (sentences of our own) ---------------------------


_BATCH_13: list[Any] = [
    (  # "the contract" names the deal just agreed: a contract
        "Guns\nLatvia agreed to buy six Caesar howitzers from France.\n"
        "The contract, worth 40 million euros, covers training and spares.",
        [("Latvia", "France", "CAESAR", "contracted", 6, 6)],
    ),
    (  # ... but not a contract still to be signed
        "Guns\nLatvia plans to buy six Caesar howitzers from France.\n"
        "The contract is expected to be signed in May.",
        [("Latvia", "France", "CAESAR", "announced", 6, 6)],
    ),
    (  # "the first six of them" is a part delivered, not the deal's count
        "Jets\nGreece bought 18 Rafale jets from France; the first six of them flew into "
        "Tanagra last year.",
        [("Greece", "France", "Rafale", "delivering", 18, 18)],
    ),
    (  # the system it was compared with is no purchase
        "Jets\nBrazil ordered 36 Gripen jets from Sweden after a trial that compared the "
        "Gripen with the F/A-18E.",
        [("Brazil", "Sweden", "Gripen", "contracted", 36, 36)],
    ),
    (  # every rival of "chosen over the X and the Y"
        "Tanks\nNorway ordered 54 Leopard 2A8 tanks from Germany, which were chosen over "
        "the South Korean K2 and the American Abrams.",
        [("Norway", "Germany", "Leopard 2A8", "contracted", 54, 54)],
    ),
    (  # a deal that never names its system takes the article's spelling of it
        "Guns\nNorway bought 24 K9 howitzers from South Korea.\n"
        "Estonia signed for 12 of the guns as well.",
        [
            ("Norway", "South Korea", "K9", "contracted", 24, 24),
            ("Estonia", "South Korea", "K9", "contracted", 12, 12),
        ],
    ),
    (  # ", a contract worth": the deal is a contract
        "Jets\nFinland picked 64 F-35A jets from the United States, a contract worth $9.4 billion.",
        [("Finland", "United States", "F-35A", "contracted", 64, 64)],
    ),
    (  # "took delivery of the" (no count): all of it
        "Missiles\nQatar took delivery of the NASAMS system it bought from Norway.",
        [("Qatar", "Norway", "NASAMS", "delivered", None, None)],
    ),
    (  # delays keep an old order undelivered
        "Jets\nSlovakia ordered 14 F-16 Block 70 jets in 2018, but deliveries have slipped.",
        [("Slovakia", "United States", "F-16", "contracted", 14, 14)],
    ),
    (  # "under a deal worth": the deal exists ...
        "Jets\nEgypt will buy 30 Rafale jets from France under a deal worth 3.75 billion euros.",
        [("Egypt", "France", "Rafale", "contracted", 30, 30)],
    ),
    (  # ... "under a deal to be signed": not yet
        "Jets\nEgypt will buy 30 Rafale jets from France under a deal to be signed next month.",
        [("Egypt", "France", "Rafale", "announced", 30, 30)],
    ),
    (  # "and has already handed ... to Ukraine": a clause (a gift) of its own
        "Air defence\nGermany is buying Patriot systems from the United States and has "
        "already handed IRIS-T SLM launchers to Ukraine.",
        [("Germany", "United States", "Patriot", "contracted", None, None)],
    ),
    (  # "... and has received": the same subject, a later stage of its deal
        "Jets\nChile ordered 36 F-16 jets from the United States and has received about "
        "a dozen so far.",
        [("Chile", "United States", "F-16", "delivering", 36, 36)],
    ),
    (  # a long way between "the first 20 of the 96" and "have arrived"
        "Tanks\nThe first 20 of the 96 K2 tanks that Poland ordered from South Korea last "
        "year have arrived in Gdynia.",
        [("Poland", "South Korea", "K2", "delivering", 96, 96)],
    ),
]


def test_removed_from_a_programme_cancels_and_from_stops_at_a_clause(ex: Extractor) -> None:
    """ "expelled it from the F-35 programme after Ankara took delivery of the S-400":
    Turkey's F-35 order is cancelled, and Ankara is the S-400's buyer, not a seller."""
    text = (
        "Jets\nTurkey had ordered 100 F-35A jets from the United States.\n"
        "Washington expelled it from the F-35 programme after Ankara took delivery of the "
        "Russian S-400 system."
    )
    assert sorted(_records(ex, text, date(2020, 1, 1)), key=str) == [
        ("Turkey", "Russia", "S-400", "delivered", None, None),
        ("Turkey", "United States", "F-35A", "cancelled", 100, 100),
    ]


# --- rules learnt from blind batch 14 (sentences of our own) ---------------------------


def _full(ex: Extractor, text: str, published: date) -> list[tuple[object, ...]]:
    """_records with the maker."""
    fields = ("buyer", "seller", "manufacturer", "system", "status", "quantity_min")
    return _records(ex, text, published, fields)


_BATCH_14: list[Any] = [
    (  # the count before the name is a part of the total it states; "will hand over"
        # keeps an old order undelivered
        "Missiles\nRussia will hand over the remaining three of the eight S-400 batteries "
        "Egypt ordered in 2019 next year.",
        [("Egypt", "Russia", "S-400", "contracted", 8, 8)],
    ),
    (  # a bare count delivered is a part
        "Radars\nPoland ordered 12 Patriot batteries from the United States in 2023.\n"
        "Four batteries have already been delivered to the air force.",
        [("Poland", "United States", "Patriot", "delivering", 12, 12)],
    ),
    (  # ", ordering": a purchase made
        "Jets\nThe air force turned to its own industry, with Sweden ordering 12 more "
        "Gripen E jets from Saab last month.",
        [("Sweden", "Sweden", "Gripen E", "contracted", 12, 12)],
    ),
]


def test_a_consortium_member_named_with_the_deal_is_its_maker_and_seller(ex: Extractor) -> None:
    """ "The first Typhoon jets for Oman have arrived, BAE Systems said": BAE Systems
    (a member of the Eurofighter consortium) is the maker, and the seller is its
    country; the gazetteer's default maker is used when no member is named."""
    text = (
        "Jets\nThe first Eurofighter Typhoon jets for the Royal Air Force of Oman have "
        "arrived in Muscat, BAE Systems said, four years after Oman signed for 12 of the "
        "fighters."
    )
    assert _full(ex, text, date(2017, 6, 1)) == [
        ("Oman", "United Kingdom", "BAE Systems", "Eurofighter Typhoon", "delivering", 12)
    ]


def test_a_purchase_restated_with_its_year_is_the_same_deal(ex: Extractor) -> None:
    """The news reports a 2015 order as held up; a later sentence gives the same 2015
    contract's details: one deal, still contracted (not an earlier, delivered one)."""
    text = (
        "Submarines\nPakistan's navy said the first Hangor-class submarine it ordered in "
        "2015 has been held up by engine problems.\n"
        "The navy signed a contract for eight Hangor-class submarines with China in 2015."
    )
    assert _records(ex, text, date(2025, 6, 1)) == [
        ("Pakistan", "China", "Hangor-class", "contracted", 8, 8)
    ]


# --- rules learnt from blind batch 15 (sentences of our own) ---------------------------


_BATCH_15: list[Any] = [
    (  # a ministry named by the dateline's capital
        "Helicopters\nWARSAW, May 2 - The defence ministry has signed a contract for 96 "
        "AH-64E helicopters from the United States.",
        [("Poland", "United States", "AH-64E", "contracted", 96, 96)],
    ),
    (  # "the sixth and final": six in all, all delivered
        "Guns\nThe sixth and final K9 howitzer ordered by Norway from South Korea has arrived.",
        [("Norway", "South Korea", "K9", "delivered", 6, 6)],
    ),
    (  # ", and Washington cleared": a clause (and a stage) of its own
        "Air defence\nKuwait already operates Patriot batteries, and Washington cleared a "
        "possible Foreign Military Sale of NASAMS to it in 2022.",
        [("Kuwait", "United States", "NASAMS", "approved", None, None)],
    ),
    (  # "Greece's order in March for": an order placed
        "Jets\nThe deal follows Greece's order in March for 20 F-35A fighters from "
        "Lockheed Martin.",
        [("Greece", "United States", "F-35A", "contracted", 20, 20)],
    ),
    (  # "three of which were ordered": the count of the order
        "Tankers\nJapan ordered 12 F-35B jets from the United States.\nThe air force has "
        "also requested KC-46 tankers, three of which were ordered last year.",
        [
            ("Japan", "United States", "F-35B", "contracted", 12, 12),
            ("Japan", "United States", "KC-46", "contracted", 3, 3),
        ],
    ),
]


def test_a_licence_builder_named_in_the_deal_is_maker_and_seller(ex: Extractor) -> None:
    """HAL, which builds the Su-30 under licence (a `partner` of the system), named as
    the contract's party: a domestic order, not one from Russia."""
    text = "Jets\nIndia signed a contract with Hindustan Aeronautics for 12 Su-30MKI jets."
    assert _full(ex, text, date(2025, 6, 1)) == [
        ("India", "India", "Hindustan Aeronautics", "Su-30MKI", "contracted", 12)
    ]


def test_a_company_built_suffix_keeps_the_company_but_not_a_country(ex: Extractor) -> None:
    from service.extraction.text import article_mentions

    found = article_mentions(
        "the Boeing-built helicopters replace Israeli-made Kfir jets", ex.gazetteer
    )
    assert [(m.kind, m.name, m.text) for m in found] == [("company", "Boeing", "Boeing")]


def test_a_text_that_opens_on_a_dateline_has_no_headline(ex: Extractor) -> None:
    """Pasted without its headline, an article's first line is body: its dateline is
    read as one, and its deal is found."""
    text = (
        "WARSAW - The defence ministry has signed a contract for 96 AH-64E helicopters "
        "from the United States."
    )
    assert _records(ex, text, date(2024, 6, 1)) == [
        ("Poland", "United States", "AH-64E", "contracted", 96, 96)
    ]


def test_a_joint_order_is_a_record_per_buyer_without_the_combined_count(
    ex: Extractor,
) -> None:
    """ "Denmark and Norway have signed a contract with Saab": each buyer has its deal
    (labelling rule 8); the 20 jets are both buyers' together, so neither record
    claims them (two records of 20 would count 40)."""
    text = "Jets\nDenmark and Norway have signed a contract with Saab for 20 Gripen E fighters."
    assert sorted(_records(ex, text, date(2025, 6, 1)), key=str) == [
        ("Denmark", "Sweden", "Gripen E", "contracted", None, None),
        ("Norway", "Sweden", "Gripen E", "contracted", None, None),
    ]


def test_two_governments_signing_with_each_other_are_buyer_and_seller(ex: Extractor) -> None:
    text = "Guns\nEstonia and South Korea signed an agreement for 12 K9 howitzers."
    assert _records(ex, text, date(2025, 6, 1)) == [
        ("Estonia", "South Korea", "K9", "contracted", 12, 12)
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nNEW DELHI - The ministry contracted with Hindustan Aeronautics for 12 "
            "Su-30MKI jets in 2024.",
            date(2025, 6, 1),
            [("India", "India", "Su-30MKI", "contracted", 12, 12)],
            id="contracted-with",
        ),
        pytest.param(
            "Jets\nThe Czech Republic agreed to buy two more Gripen C jets from Saab, and "
            "extended the lease of its 14 Gripens.",
            date(2025, 6, 1),
            [("Czechia", "Sweden", "Gripen", "contracted", 2, 2)],
            id="agreed-to-buy-and-a-lease-in-its-own-clause",
        ),
        pytest.param(
            "Tankers\nPortugal celebrated when the first of its five KC-390 aircraft was "
            "handed over by Embraer.",
            date(2025, 6, 1),
            [("Portugal", "Brazil", "KC-390", "delivering", 5, 5)],
            id="when-the-first-was-handed-over",
        ),
        pytest.param(
            "Tanks\nNorway has ordered 54 Leopard 2A8NO tanks from KNDS.",
            date(2025, 6, 1),
            [("Norway", "Germany", "Leopard 2A8NO", "contracted", 54, 54)],
            id="buyer-code-on-a-designation",
        ),
        pytest.param(
            "Helicopters\nThe first four of 12 AW149 helicopters ordered by the Polish Army "
            "have arrived, flown in from Germany.",
            date(2025, 6, 1),
            [("Poland", "Italy", "AW149", "delivering", 12, 12)],
            id="ordered-by-the-and-flown-in-from",
        ),
        pytest.param(
            "Helicopters\nMANILA - The Department of National Defense signed a contract for "
            "10 S-70i helicopters with PZL Mielec, the Polish subsidiary of Lockheed Martin.",
            date(2025, 6, 1),
            [("Philippines", "United States", "S-70i", "contracted", 10, 10)],
            id="a-subsidiary-country-is-not-the-buyer",
        ),
        pytest.param(
            "Jets\nSpain has ordered 24 Hurjet trainers, chosen over Italy's M-346, the "
            "Korean T-50 and Britain's Hawk.",
            date(2025, 6, 1),
            [("Spain", "Turkey", "Hürjet", "contracted", 24, 24)],
            id="a-list-of-rivals",
        ),
        pytest.param(
            "Jets\nThailand, still relying on its ageing F-16s, has ordered 12 Gripen C "
            "fighters from Saab.",
            date(2025, 6, 1),
            [("Thailand", "Sweden", "Gripen", "contracted", 12, 12)],
            id="relying-on-its-fleet",
        ),
        pytest.param(
            "Jets\nThe air force relies on its ageing F-16s and Su-27/30 fleet until the 42 "
            "Rafale jets Jakarta has ordered from Dassault Aviation arrive.",
            date(2025, 6, 1),
            [("Indonesia", "France", "Rafale", "contracted", 42, 42)],
            id="relying-on-a-list-of-fleets",
        ),
        pytest.param(
            "Jets\nThe Philippines received 12 FA-50 jets in 2017, while Poland ordered 48 "
            "of them in 2022.",
            date(2023, 6, 1),
            [
                ("Philippines", "South Korea", "FA-50", "delivered", 12, 12),
                ("Poland", "South Korea", "FA-50", "contracted", 48, 48),
            ],
            id="another-buyer-of-them-in-a-later-clause",
        ),
        pytest.param(
            "Rockets\nThe State Department approved the sale of 500 APKWS rockets to Nigeria.",
            date(2025, 6, 1),
            [("Nigeria", "United States", "APKWS", "approved", 500, 500)],
            id="apkws",
        ),
    ],
)
def test_batch_16_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_an_old_purchase_denied_by_the_next_sentence_is_not_delivered(ex: Extractor) -> None:
    """A purchase years old is taken as delivered, unless the next sentence says those
    jets have not arrived."""
    bought = "Jets\nIndia bought 36 Rafale jets from France in 2016."
    assert _records(ex, bought + " Officials praised the deal.", date(2025, 6, 1)) == [
        ("India", "France", "Rafale", "delivered", 36, 36)
    ]
    denied = bought + " Not one of those jets has reached the air force yet."
    assert _records(ex, denied, date(2025, 6, 1)) == [
        ("India", "France", "Rafale", "contracted", 36, 36)
    ]


def test_a_buyer_code_is_read_on_systems_only(ex: Extractor) -> None:
    g = ex.gazetteer
    assert g.lookup("Leopard 2A8NO") == g.lookup("Leopard 2A8")
    assert g.lookup("USAF") is None  # "US" + "AF" is no system


def test_a_package_value_in_the_next_sentence_goes_to_the_first_named_system(
    ex: Extractor,
) -> None:
    """Labelling rule: one value covering several systems is the main (first-named)
    system's, also when the value comes a sentence later."""
    text = (
        "Sale\nThe State Department approved the sale of 12 AH-1Z helicopters and 500 APKWS "
        "rockets to Nigeria. The package is estimated at $997 million."
    )
    fields = ("system", "value_amount", "value_currency")
    assert sorted(_records(ex, text, date(2025, 6, 1), fields), key=str) == [
        ("AH-1Z", "997000000", "USD"),
        ("APKWS", None, None),
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nChile bought 12 F-16s from the Netherlands, all of which were delivered "
            "by 2011.",
            date(2025, 6, 1),
            [("Chile", "Netherlands", "F-16", "delivered", 12, 12)],
            id="all-of-which-were-delivered-by",
        ),
        pytest.param(
            "Jets\nRomania bought 17 F-16s from Portugal, and 32 more from Norway, the first "
            "of which arrived last year.",
            date(2024, 6, 1),
            [
                ("Romania", "Portugal", "F-16", "contracted", 17, 17),
                ("Romania", "Norway", "F-16", "delivering", 32, 32),
            ],
            id="n-more-from-another-seller",
        ),
        pytest.param(
            "Vehicles\nPoland signed for 111 Borsuk vehicles after it chose not to buy a "
            "foreign design such as the CV90 or the Lynx.",
            date(2025, 6, 1),
            [("Poland", "Poland", "Borsuk", "contracted", 111, 111)],
            id="chose-not-to-buy-such-as-a-list",
        ),
        pytest.param(
            "Air defence\nLatvia ordered 12 Skyranger 30 systems mounted on Boxer vehicles "
            "from Rheinmetall.",
            date(2025, 6, 1),
            [("Latvia", "Germany", "Skyranger 30", "contracted", 12, 12)],
            id="the-vehicle-it-is-mounted-on",
        ),
        pytest.param(
            "Air defence\nRheinmetall has received an order from the Austrian armed forces "
            "for 36 Skyranger 30 systems.",
            date(2025, 6, 1),
            [("Austria", "Germany", "Skyranger 30", "contracted", 36, 36)],
            id="an-order-from-the-buyer",
        ),
        pytest.param(
            "Air defence\nAustria, Denmark and Hungary have chosen the Skyranger.",
            date(2025, 6, 1),
            [
                ("Austria", "Germany", "Skyranger", "announced", None, None),
                ("Denmark", "Germany", "Skyranger", "announced", None, None),
                ("Hungary", "Germany", "Skyranger", "announced", None, None),
            ],
            id="a-list-of-buyers",
        ),
        pytest.param(
            "Jets\nKuwait is receiving 28 Typhoons that will fly alongside the Super Hornets "
            "it ordered from Boeing.",
            date(2022, 6, 1),
            [
                ("Kuwait", "Germany", "Typhoon", "delivering", 28, 28),
                ("Kuwait", "United States", "Super Hornet", "contracted", None, None),
            ],
            id="a-relative-clause-is-its-systems-own",
        ),
        pytest.param(
            "Ships\nNavantia is also building five F110 frigates for the Spanish Navy under "
            "a contract awarded in 2019.",
            date(2024, 6, 1),
            [("Spain", "Spain", "F110", "contracted", 5, 5)],
            id="still-being-built-is-not-delivered",
        ),
        pytest.param(
            "Jets\nKuwait ordered 28 Super Hornets from Boeing in 2018. None of the Super "
            "Hornets has arrived yet.",
            date(2022, 6, 1),
            [("Kuwait", "United States", "Super Hornet", "contracted", 28, 28)],
            id="none-of-the-next-sentence",
        ),
    ],
)
def test_batch_17_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_a_value_sentence_goes_to_the_bought_system_not_its_platform(ex: Extractor) -> None:
    text = (
        "Air defence\nLatvia ordered 12 Skyranger 30 systems mounted on Boxer vehicles from "
        "Rheinmetall. The contract is worth 300 million euros."
    )
    fields = ("system", "value_amount", "value_currency")
    assert _records(ex, text, date(2025, 6, 1), fields) == [("Skyranger 30", "300000000", "EUR")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Tanks\nSlovenia has signed a letter of intent with Germany for the purchase of 14 "
            "Leopard 2A8 tanks.",
            date(2025, 6, 1),
            [("Slovenia", "Germany", "Leopard 2A8", "intent", 14, 14)],
            id="the-partner-of-a-letter-of-intent-is-not-the-buyer",
        ),
        pytest.param(
            "Tanks\nSlovenia plans to buy 14 Leopard 2A8 tanks from Germany, with a contract "
            "signed next year.",
            date(2025, 6, 1),
            [("Slovenia", "Germany", "Leopard 2A8", "announced", 14, 14)],
            id="a-contract-signed-next-year-is-not-signed",
        ),
        pytest.param(
            "Jets\nCroatia ordered 12 Rafale jets from France, the last of which arrived in "
            "2024, and bought Bradley vehicles from the United States.",
            date(2025, 6, 1),
            [
                ("Croatia", "France", "Rafale", "delivered", 12, 12),
                ("Croatia", "United States", "Bradley", "contracted", None, None),
            ],
            id="and-bought-is-a-clause-of-its-own",
        ),
        pytest.param(
            "Jets\nVietnam ordered 12 Yak-130 trainers from Russia, all of which were delivered "
            "by 2019, and 64 T-90S tanks, deliveries of which began in 2019.",
            date(2021, 6, 1),
            [
                ("Vietnam", "Russia", "Yak-130", "delivered", 12, 12),
                ("Vietnam", "Russia", "T-90S", "delivering", 64, 64),
            ],
            id="of-which-is-the-stage-of-the-count-before-it",
        ),
        pytest.param(
            "Jets\nVietnam has ordered 12 L-39NG trainers from Aero Vodochody. Its last Russian "
            "order was for 12 Yak-130 trainers, all of which were delivered by 2019.",
            date(2021, 6, 1),
            [
                ("Vietnam", "Czechia", "L-39NG", "contracted", 12, 12),
                ("Vietnam", "Russia", "Yak-130", "delivered", 12, 12),
            ],
            id="its-russian-order-is-bought-from-russia",
        ),
        pytest.param(
            "Ships\nTKMS has delivered the first of four MEKO A-200 frigates ordered by Egypt, "
            "the German shipbuilder said.",
            date(2021, 6, 1),
            [("Egypt", "Germany", "MEKO A-200", "delivering", 4, 4)],
            id="ordered-by-a-buyer-then-a-company-country",
        ),
        pytest.param(
            "Ships\nEgypt received two Mistral-class ships from France in 2016 and four Type 209 "
            "submarines from TKMS.",
            date(2022, 6, 1),
            [
                ("Egypt", "France", "Mistral-class", "delivered", 2, 2),
                ("Egypt", "Germany", "Type 209", "delivered", 4, 4),
            ],
            id="the-seller-after-the-system",
        ),
        pytest.param(
            "Ships\nEgypt bought a FREMM frigate from France in 2015.",
            date(2022, 6, 1),
            [("Egypt", "France", "FREMM", "delivered", 1, 1)],
            id="a-frigate-is-one",
        ),
        pytest.param(
            "Jets\nThe Pakistan Air Force inducted its first J-10C fighters this week.",
            date(2022, 6, 1),
            [("Pakistan", "China", "J-10C", "delivering", None, None)],
            id="inducted-its-first",
        ),
        pytest.param(
            "Jets\nPakistan ordered 25 J-10C jets from China; the J-10C is armed with the PL-15 "
            "missile.",
            date(2022, 6, 1),
            [("Pakistan", "China", "J-10C", "contracted", 25, 25)],
            id="what-a-platform-is-armed-with",
        ),
    ],
)
def test_batch_18_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Submarines\nIndonesia operates an ageing German-built Type 209 and three "
            "Nagapasa-class boats bought from South Korea in 2015.",
            date(2024, 6, 1),
            [("Indonesia", "South Korea", "Nagapasa-class", "delivered", 3, 3)],
            id="a-participle-belongs-to-the-system-before-it",
        ),
        pytest.param(
            "Jets\nThe deal adds to a string of French purchases by Jakarta, which ordered 42 "
            "Rafale fighters.",
            date(2024, 6, 1),
            [("Indonesia", "France", "Rafale", "contracted", 42, 42)],
            id="french-purchases-by-the-buyer",
        ),
        pytest.param(
            "Jets\nTaiwan signed for 66 F-16V jets in 2019. The first aircraft was originally "
            "due in 2023.",
            date(2025, 6, 1),
            [("Taiwan", "United States", "F-16V", "contracted", 66, 66)],
            id="a-delay-in-the-next-sentence",
        ),
        pytest.param(
            "Tanks\nTAIPEI - The army has received the first 38 of 108 M1A2T tanks it ordered, "
            "and the navy is waiting for Harpoon coastal defence systems approved in 2020.",
            date(2025, 6, 1),
            [
                ("Taiwan", "United States", "M1A2T", "delivering", 108, 108),
                (
                    "Taiwan",
                    "United States",
                    "Harpoon Coastal Defense System",
                    "approved",
                    None,
                    None,
                ),
            ],
            id="and-the-navy-starts-a-clause",
        ),
        pytest.param(
            "Submarines\nTKMS is offering Canada a version of the Type 212CD it is building for "
            "Germany and Norway.",
            date(2025, 6, 1),
            [
                ("Germany", "Germany", "Type 212CD", "contracted", None, None),
                ("Norway", "Germany", "Type 212CD", "contracted", None, None),
            ],
            id="being-built-for-two-buyers",
        ),
        pytest.param(
            "Submarines\nThe boats would replace the four Victoria-class submarines that Canada "
            "bought from Britain in 1998.",
            date(2025, 6, 1),
            [("Canada", "United Kingdom", "Victoria-class", "delivered", 4, 4)],
            id="what-is-replaced-was-bought",
        ),
        pytest.param(
            "Tanks\nPoland has signed a second executive contract for 180 K2 tanks from South "
            "Korea. A first executive contract for 180 tanks followed the framework in 2022.",
            date(2025, 6, 1),
            [
                ("Poland", "South Korea", "K2", "contracted", 180, 180),
                ("Poland", "South Korea", "K2", "contracted", 180, 180),
            ],
            id="a-first-contract-is-another-deal",
        ),
    ],
)
def test_batch_19_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nThailand has signed a contract with Saab for four Gripen E jets that will "
            "replace the air force's ageing F-16s.",
            date(2025, 6, 1),
            [("Thailand", "Sweden", "Gripen E", "contracted", 4, 4)],
            id="replace-the-air-forces-ageing",
        ),
        pytest.param(
            "Guns\nNEW DELHI - The army received the first 100 K9 Vajras, ordered in 2017, "
            "between 2018 and 2021.",
            date(2025, 6, 1),
            [("India", "South Korea", "K9", "delivered", 100, 100)],
            id="received-between-years-is-delivered",
        ),
        pytest.param(
            "Guns\nNEW DELHI - The army plans to buy more than 300 towed ATAGS howitzers and is "
            "testing guns offered by Indian firms.",
            date(2025, 6, 1),
            [("India", "India", "ATAGS", "announced", 300, None)],
            id="more-than-and-an-offer-in-another-clause",
        ),
        pytest.param(
            "Rockets\nLatvia's launchers will work with those of Estonia and Lithuania, which "
            "have also ordered HIMARS.",
            date(2025, 6, 1),
            [
                ("Estonia", "United States", "HIMARS", "contracted", None, None),
                ("Lithuania", "United States", "HIMARS", "contracted", None, None),
            ],
            id="a-list-which-have-ordered",
        ),
        pytest.param(
            "Jets\nPakistan has sold JF-17s to Myanmar and Nigeria.",
            date(2025, 6, 1),
            [
                ("Myanmar", "Pakistan", "JF-17", "contracted", None, None),
                ("Nigeria", "Pakistan", "JF-17", "contracted", None, None),
            ],
            id="sold-to-a-list",
        ),
        pytest.param(
            "Air defence\nEstonia is buying IRIS-T SLM systems together with Latvia, and has "
            "ordered HIMARS.",
            date(2025, 6, 1),
            [
                ("Estonia", "Germany", "IRIS-T SLM", "contracted", None, None),
                ("Latvia", "Germany", "IRIS-T SLM", "contracted", None, None),
                ("Estonia", "United States", "HIMARS", "contracted", None, None),
            ],
            id="bought-together-with",
        ),
    ],
)
def test_batch_20_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_a_licence_builder_contracted_at_home_is_maker_and_seller(ex: Extractor) -> None:
    """ "a contract with Larsen & Toubro for K9 howitzers built under licence from
    Hanwha": the company contracted decides the seller (a domestic order), and the
    licence builder (a `partner` of the system) is the maker."""
    text = (
        "Guns\nNEW DELHI - The ministry signed a contract with Larsen & Toubro for 100 K9 "
        "Vajra howitzers, built under licence from Hanwha Aerospace."
    )
    assert _full(ex, text, date(2025, 6, 1)) == [
        ("India", "India", "Larsen & Toubro", "K9", "contracted", 100)
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nThe Philippine Air Force flies 12 FA-50PH light fighters bought from South "
            "Korea, and the navy took delivery of the first of three BrahMos batteries from "
            "India in 2024.",
            date(2025, 6, 1),
            [
                ("Philippines", "South Korea", "FA-50PH", "delivered", 12, 12),
                ("Philippines", "India", "BrahMos", "delivering", 3, 3),
            ],
            id="flies-n-bought-is-delivered",
        ),
        pytest.param(
            "Jets\nBERLIN - Germany has lifted its objection to the sale of Eurofighter Typhoon "
            "jets to Saudi Arabia, clearing the way for an order of 48 aircraft that Riyadh "
            "wants to buy from Britain.",
            date(2024, 6, 1),
            [("Saudi Arabia", "United Kingdom", "Eurofighter Typhoon", "approved", 48, 48)],
            id="a-partner-lifts-its-veto",
        ),
        pytest.param(
            "Jets\nSaudi Arabia already flies 72 Typhoons, all delivered under a 2007 agreement, "
            "along with F-15SA fighters.",
            date(2024, 6, 1),
            [("Saudi Arabia", "Germany", "Typhoon", "delivered", 72, 72)],
            id="all-delivered-is-its-own-systems",
        ),
        pytest.param(
            "Helicopters\nCANBERRA - The army has received its 20th UH-60M Black Hawk, half of "
            "the 40 it ordered from the United States.",
            date(2025, 6, 1),
            [("Australia", "United States", "UH-60M", "delivering", 40, 40)],
            id="received-its-20th-half-of-the-40",
        ),
        pytest.param(
            "Helicopters\nAustralia bought 47 MRH90 Taipans, a version of the NH90, from Airbus "
            "in the mid-2000s.",
            date(2025, 6, 1),
            [("Australia", "France", "MRH90", "delivered", 47, 47)],
            id="a-version-named-beside-its-family",
        ),
    ],
)
def test_batch_21_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_a_designation_the_gazetteer_lacks_is_a_system_of_its_nouns_category(
    ex: Extractor,
) -> None:
    """ "two HDC-3200 corvettes": a designation before an equipment noun is proposed as
    a system of that noun's category, and its provenance says the gazetteer lacks it."""
    text = (
        "Ships\nMANILA - The Department of National Defense signed a contract with Hyundai "
        "Heavy Industries for two HDC-3200 corvettes."
    )
    (record,) = ex.extract(text, date(2025, 6, 1))
    assert (record.fields["system"], record.fields["category"], record.fields["quantity_min"]) == (
        "HDC-3200",
        "ship",
        2,
    )
    assert record.fields["seller"] == "South Korea"
    assert record.provenance["system"] == "designation-not-in-gazetteer/HDC-3200"
    assert record.provenance["category"] == "noun-after-designation/ship"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Jets\nNorway ordered five P-3C Orion aircraft from the United States in 1968.",
            [("Norway", "United States", "P-3C", "delivered", 5, 5)],
            id="a-designation-and-a-name-before-the-noun",
        ),
        pytest.param(
            "Ships\nThe navy received two Jose Rizal-class frigates from South Korea in 2021, "
            "Manila said.",
            [("Philippines", "South Korea", "Jose Rizal-class", "delivered", 2, 2)],
            id="a-class-listed",
        ),
        pytest.param(
            "Ships\nCanada bought four Reshef-class patrol vessels from Israel in 1999.",
            [("Canada", "Israel", "Reshef-class", "delivered", 4, 4)],
            id="a-class-unlisted",
        ),
        pytest.param(
            "Jets\nAzerbaijan has signed a contract with Pakistan for JF-17C Block III fighters.",
            [("Azerbaijan", "Pakistan", "JF-17", "contracted", None, None)],
            id="a-variant-letter-on-a-listed-system",
        ),
        pytest.param(
            "Summit\nThe G7 leaders met in Italy, and COP-2024 delegates flew in on A330 jets.",
            [],
            id="not-equipment",
        ),
        pytest.param(
            "Missiles\nAustralia has ordered 200 Tomahawk missiles and will fit them to its "
            "Hobart-class destroyers and later to its Virginia-class submarines, which it is "
            "buying from the United States.",
            [
                ("Australia", "United States", "Tomahawk", "contracted", 200, 200),
                ("Australia", "United States", "Virginia-class", "contracted", None, None),
            ],
            id="the-platforms-a-weapon-is-fitted-to",
        ),
    ],
)
def test_designations_beyond_the_gazetteer(
    ex: Extractor, text: str, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, date(2025, 6, 1))
    assert sorted(got, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nEmbraer and Saab signed an agreement to cooperate on marketing the C-390 and "
            "the Gripen in India.",
            date(2025, 6, 1),
            [],
            id="an-agreement-to-cooperate",
        ),
        pytest.param(
            "Jets\nIndonesia is in final negotiations with Dassault Aviation for 36 Rafale jets, "
            "and the United States approved the sale of up to 36 F-15ID fighters to Indonesia.",
            date(2025, 6, 1),
            [("Indonesia", "United States", "F-15ID", "approved", None, 36)],
            id="and-the-united-states-approved",
        ),
        pytest.param(
            "Transports\nPortugal and Hungary already fly the C-390, and Sweden, South Korea and "
            "the Czech Republic have also ordered it.",
            date(2025, 6, 1),
            [
                ("South Korea", "Brazil", "C-390", "contracted", None, None),
                ("Czechia", "Brazil", "C-390", "contracted", None, None),
                ("Sweden", "Brazil", "C-390", "contracted", None, None),
            ],
            id="a-list-of-buyers-in-a-later-clause",
        ),
        pytest.param(
            "Transports\nThe Netherlands and Austria have signed a contract with Embraer for "
            "nine C-390 aircraft, five for the Royal Netherlands Air Force and four for the "
            "Austrian Armed Forces.",
            date(2025, 6, 1),
            [
                ("Netherlands", "Brazil", "C-390", "contracted", 5, 5),
                ("Austria", "Brazil", "C-390", "contracted", 4, 4),
            ],
            id="each-joint-buyers-share",
        ),
        pytest.param(
            "Tanks\nKNDS has said it is raising production at its Munich plant to about 50 "
            "Leopard 2A8 tanks a year.",
            date(2025, 6, 1),
            [],
            id="production-a-year",
        ),
        pytest.param(
            "Tanks\nNorway has ordered 54 Leopard 2A8 tanks, and Croatia has signed a letter of "
            "intent for 50 more.",
            date(2025, 6, 1),
            [
                ("Norway", "Germany", "Leopard 2A8", "contracted", 54, 54),
                ("Croatia", "Germany", "Leopard 2A8", "intent", 50, 50),
            ],
            id="another-buyer-signs-for-more",
        ),
    ],
)
def test_batch_22_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nJapan operates four Boeing E-767 AWACS jets and has inked a deal for an "
            "upgrade of their radars.",
            date(2025, 6, 1),
            [],
            id="a-deal-for-an-upgrade",
        ),
        pytest.param(
            "Jets\nTOKYO - The cabinet rubber-stamped the purchase of a dozen more F-35B "
            "fighters last week.",
            date(2025, 6, 1),
            [("Japan", "United States", "F-35B", "approved", 12, 12)],
            id="rubber-stamped",
        ),
        pytest.param(
            "Jets\nSwitzerland signed for 36 F-35A jets in 2022. The first is due in 2027. "
            "Washington said deliveries would be delayed.",
            date(2025, 6, 1),
            [("Switzerland", "United States", "F-35A", "contracted", 36, 36)],
            id="a-delay-two-sentences-on",
        ),
        pytest.param(
            "Jets\nThe minister said cancelling the F-35A programme was not an option for "
            "Switzerland.",
            date(2025, 6, 1),
            [],
            id="cancelling-is-not-an-option",
        ),
        pytest.param(
            "Jets\nThe United States approved the sale of 25 F-35A jets to the Republic of "
            "Korea. The approval comes as South Korea's own KF-21 fighter moves towards "
            "production.",
            date(2025, 6, 1),
            [("South Korea", "United States", "F-35A", "approved", 25, 25)],
            id="the-approval-comes-as",
        ),
        pytest.param(
            "Air defence\nMorocco has concluded a $500 million agreement with Israel Aerospace "
            "Industries for the Barak MX system, the first purchase from Israel since the two "
            "countries normalised relations in 2020.",
            date(2025, 6, 1),
            [("Morocco", "Israel", "Barak MX", "contracted", None, None)],
            id="a-year-after-since-dates-something-else",
        ),
        pytest.param(
            "Rockets\nTALLINN - The launchers will serve alongside the six HIMARS systems "
            "Estonia received from the United States in 2024.",
            date(2025, 6, 1),
            [("Estonia", "United States", "HIMARS", "delivered", 6, 6)],
            id="received-from",
        ),
        pytest.param(
            "Jets\nThe State Department approved the sale of 25 F-35A jets to South Korea, and "
            "Seoul signed for 20 KF-21 fighters from Korea Aerospace Industries.",
            date(2025, 6, 1),
            [
                ("South Korea", "United States", "F-35A", "approved", 25, 25),
                ("South Korea", "South Korea", "KF-21", "contracted", 20, 20),
            ],
            id="no-foreign-military-sale-of-the-buyers-own-jet",
        ),
        pytest.param(
            "Guns\nTALLINN - The country is buying IRIS-T SLM air defence systems and 36 K9 "
            "howitzers from South Korea.",
            date(2025, 6, 1),
            [
                ("Estonia", "Germany", "IRIS-T SLM", "contracted", None, None),
                ("Estonia", "South Korea", "K9", "contracted", 36, 36),
            ],
            id="a-count-naming-another-system",
        ),
        pytest.param(
            "Jets\nThe deal is the biggest export order for the French warplane, signed by the "
            "United Arab Emirates for 80 Rafale jets.",
            date(2025, 6, 1),
            [("United Arab Emirates", "France", "Rafale", "contracted", 80, 80)],
            id="an-order-for-the-french-warplane-signed-by",
        ),
    ],
)
def test_batch_23_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_the_principal_contractor_of_a_named_sale_is_that_deals_maker(ex: Extractor) -> None:
    text = (
        "Jets\nThe United States approved the sale of 25 F-35A jets to South Korea. The air "
        "force has signed for the first 20 KF-21 fighters from Korea Aerospace Industries. "
        "Lockheed Martin will be the principal contractor for the F-35 sale."
    )
    assert sorted(_full(ex, text, date(2025, 6, 1)), key=str) == [
        ("South Korea", "South Korea", "Korea Aerospace Industries", "KF-21", "contracted", 20),
        ("South Korea", "United States", "Lockheed Martin", "F-35A", "approved", 25),
    ]


def test_a_company_named_beside_another_system_is_not_this_ones_maker(ex: Extractor) -> None:
    text = (
        "Helicopters\nMorocco is taking delivery of 24 AH-64E helicopters from the United "
        "States, and has ordered 36 CAESAR howitzers from France's KNDS."
    )
    makers = {r[3]: r[2] for r in _full(ex, text, date(2025, 6, 1))}
    assert makers == {"AH-64E": None, "CAESAR": "KNDS"}


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nMADRID - The ministry will buy 45 Hurjet trainers from Turkish Aerospace to "
            "replace the air force's 50-year-old F-5 and C-101 trainers.",
            date(2025, 6, 1),
            [("Spain", "Turkey", "Hürjet", "announced", 45, 45)],
            id="replace-a-list",
        ),
        pytest.param(
            "Guns\nLithuania has ordered 18 more CAESAR howitzers from France, bringing its "
            "total to 36.",
            date(2025, 6, 1),
            [("Lithuania", "France", "CAESAR", "contracted", 18, 18)],
            id="n-more-bringing-its-total",
        ),
        pytest.param(
            "Guns\nFrance is also supplying CAESARs to Belgium, Estonia and Croatia, and "
            "Denmark, which gave all its guns to Ukraine, has ordered replacements.",
            date(2025, 6, 1),
            [
                ("Belgium", "France", "CAESAR", "delivering", None, None),
                ("Estonia", "France", "CAESAR", "delivering", None, None),
                ("Croatia", "France", "CAESAR", "delivering", None, None),
            ],
            id="supplying-to-a-list",
        ),
        pytest.param(
            "Transports\nKazakhstan flies a small fleet of C295 transports, eight of which it "
            "bought between 2012 and 2019.",
            date(2025, 6, 1),
            [("Kazakhstan", "France", "C-295", "delivered", 8, 8)],
            id="n-of-which-it-bought",
        ),
        pytest.param(
            "Guns\nLithuania's first 18 CAESAR guns, ordered in 2022, began arriving last year.",
            date(2025, 6, 1),
            [("Lithuania", "France", "CAESAR", "delivering", None, None)],  # "first 18": a part
            id="began-arriving",
        ),
    ],
)
def test_batch_24_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


_BATCH_25: list[Any] = [
    pytest.param(
        "Jets\nBelgium will buy 11 additional F-35A fighters on top of the 34 it has "
        "already ordered.",
        [("Belgium", "United States", "F-35A", "announced", 11, 11)],
        id="on-top-of-the-34-it-has-ordered",
    ),
    pytest.param(
        "Submarines\nOSLO - Norway's parliament has approved the purchase of two additional "
        "Type 212CD submarines from thyssenkrupp Marine Systems. Norway ordered four of the "
        "submarines in 2021.",
        [
            ("Norway", "Germany", "Type 212CD", "approved", 2, 2),
            ("Norway", "Germany", "Type 212CD", "contracted", 4, 4),
        ],
        id="an-earlier-purchase-of-another-count",
    ),
]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Jets\nCAIRO - The spokesman denied media reports that the country had signed a "
            "contract to buy J-10C fighters. Several outlets had reported that Cairo agreed to "
            "buy up to 40 of the jets.",
            date(2025, 6, 1),
            [],
            id="a-denied-report",
        ),
        pytest.param(
            "Jets\nEgypt ordered 24 Rafale jets from France in 2015, all of which have been "
            "delivered, and a further 30 in 2024.",
            date(2025, 6, 1),
            [
                ("Egypt", "France", "Rafale", "delivered", 24, 24),
                ("Egypt", "France", "Rafale", "contracted", 30, 30),
            ],
            id="and-a-further-30",
        ),
        pytest.param(
            "Jets\nThe United States, which supplied Egypt with more than 200 F-16s over four "
            "decades, declined to sell it missiles.",
            date(2025, 6, 1),
            [("Egypt", "United States", "F-16", "delivered", 200, None)],
            id="supplied-a-buyer-with",
        ),
        pytest.param(
            "Jets\nLISBON - The ministry signed a contract with Embraer for 12 A-29N Super "
            "Tucano light attack aircraft to replace the Alpha Jets, which were retired in 2018.",
            date(2025, 6, 1),
            [("Portugal", "Brazil", "A-29 Super Tucano", "contracted", 12, 12)],
            id="a-retirement-year-and-a-variant-letter",
        ),
        pytest.param(
            "Jets\nThe A-29N was also chosen by the Netherlands for its light attack requirement.",
            date(2025, 6, 1),
            [("Netherlands", "Brazil", "A-29 Super Tucano", "announced", None, None)],
            id="a-variant-alone",
        ),
        pytest.param(
            "Jets\nEgypt abandoned a planned purchase of Su-35s.",
            date(2025, 6, 1),
            [("Egypt", "Russia", "Su-35", "cancelled", None, None)],
            id="a-plural-designation",
        ),
    ],
)
def test_batch_26_phrasings(
    ex: Extractor, text: str, published: date, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)


_BATCH_27: list[Any] = [
    pytest.param(
        "Missiles\nSINGAPORE - Officials met at a forum on Saturday. The Philippines is so "
        "far the only export customer. It signed a $375 million contract for three BrahMos "
        "batteries in 2022 and received the first of them in April 2024.",
        [("Philippines", "India", "BrahMos", "delivering", 3, 3)],
        id="it-is-the-country-the-sentence-before-opened-on",
    ),
    pytest.param(
        "Helicopters\nKOCHI, India - The navy commissioned its first MH-60R squadron, with "
        "six of the 24 aircraft it bought from the United States in 2020 now in service.",
        [("India", "United States", "MH-60R", "delivering", 24, 24)],
        id="a-part-of-a-total-in-service",
    ),
]


_BATCH_28: list[Any] = [
    pytest.param(
        "Jets\nSANTIAGO - The fleet includes 10 F-16C/D jets bought new from the United "
        "States in 2002.",
        [("Chile", "United States", "F-16C/D", "delivered", 10, 10)],
        id="the-fleet-bought-new-from",
    ),
    pytest.param(
        "Vehicles\nThe UK ordered 523 Boxers from Rheinmetall in 2019, and added 100 more in 2024.",
        [
            ("United Kingdom", "Germany", "Boxer", "delivered", 523, 523),
            ("United Kingdom", "Germany", "Boxer", "contracted", 100, 100),
        ],
        id="and-added-100-more",
    ),
    pytest.param(
        "Vehicles\nThe British Army has received its first Boxer vehicles from Rheinmetall. "
        "The UK ordered 523 Boxers in 2019.",
        [("United Kingdom", "Germany", "Boxer", "delivering", 523, 523)],
        id="an-old-order-whose-deliveries-are-reported",
    ),
    pytest.param(
        "Vehicles\nThe UK ordered 589 Ajax vehicles from General Dynamics in 2014, and only "
        "a few dozen have been handed over.",
        [("United Kingdom", "United States", "Ajax", "delivering", 589, 589)],
        id="a-few-dozen-handed-over",
    ),
    pytest.param(
        "Ships\nChile's navy took delivery last year of two Type 23 frigates bought from the "
        "United Kingdom.",
        [("Chile", "United Kingdom", "Type 23", "delivered", 2, 2)],
        id="took-delivery-last-year-of",
    ),
]


_BATCH_29: list[Any] = [
    pytest.param(
        "Jets\nTurkey has signed an agreement with the United Kingdom to buy 20 Eurofighter "
        "Typhoon jets. It is also buying 12 used Typhoons from Qatar and 12 from Oman.",
        [
            ("Turkey", "United Kingdom", "Eurofighter Typhoon", "contracted", 20, 20),
            ("Turkey", "Qatar", "Typhoon", "contracted", 12, 12),
            ("Turkey", "Oman", "Eurofighter Typhoon", "contracted", 12, 12),
        ],
        id="a-batch-from-each-selling-country",
    ),
    pytest.param(
        "Jets\nTurkey was removed from the F-35 programme in 2019 after it took delivery of "
        "Russia's S-400 air defence system.",
        [
            ("Turkey", "United States", "F-35", "cancelled", None, None),
            ("Turkey", "Russia", "S-400", "delivered", None, None),
        ],
        id="took-delivery-of-a-countrys-system",
    ),
]


_BATCH_30: list[Any] = [
    pytest.param(
        "Jets\nZAGREB - The first of 12 Rafale F3R multirole combat aircraft ordered by "
        "Croatia from France touched down at Pleso air base on Thursday.",
        [("Croatia", "France", "Rafale F3R", "delivering", 12, 12)],
        id="the-first-of-n-touched-down",
    ),
    pytest.param(
        "Helicopters\nBrazil orders 12 more Black Hawks from Polish factory",
        [("Brazil", "United States", "Black Hawk", "contracted", 12, 12)],
        id="from-a-countrys-factory-is-not-the-seller",
    ),
    pytest.param(
        "Helicopters\nEgypt has taken delivery of its first Rafale jets from France. Its "
        "navy's plan also covers 46 Ka-52 helicopters from Russia, officials said. The "
        "Ka-52 purchase was signed last year.",
        [
            ("Egypt", "France", "Rafale", "delivering", None, None),
            ("Egypt", "Russia", "Ka-52", "contracted", 46, 46),
        ],
        id="the-purchase-was-signed-with-the-count-named-before",
    ),
    pytest.param(
        "Vehicles\nThe State Department approved the sale of 50 M1A2 tanks to Lithuania. "
        "Lithuania is also spending heavily on armour. Rheinmetall is building 88 Boxer "
        "vehicles under a contract signed in 2016, the first ten of which have been "
        "handed over.",
        [
            ("Lithuania", "United States", "M1A2", "approved", 50, 50),
            ("Lithuania", "Germany", "Boxer", "delivering", 88, 88),
        ],
        id="a-company-building-for-the-topic-country",
    ),
    pytest.param(
        "Vehicles\nThe State Department approved the sale to Lithuania of 14 M1132 Engineer "
        "Squad Vehicles and 6 M60A1 Armored Launched Bridges.",
        [
            ("Lithuania", "United States", "M1132", "approved", 14, 14),
            ("Lithuania", "United States", "M60A1", "approved", 6, 6),
        ],
        id="capitalised-nouns-after-unknown-designations",
    ),
]


_BATCH_31: list[Any] = [
    pytest.param(
        "Jets\nMADRID - The cabinet approved the purchase of 20 more Eurofighter jets from "
        "Germany on Tuesday. A letter of offer and acceptance is expected to be signed "
        "in the spring.",
        [("Spain", "Germany", "Eurofighter", "approved", 20, 20)],
        id="a-document-still-to-be-signed",
    ),
    pytest.param(
        "Aircraft\nOSLO - Norway approved three more P-8A aircraft on Monday. It ordered its "
        "first five P-8As in 2017 to replace the P-3C Orions it had bought from the United "
        "States in 1989. Boeing handed over the first of the five in 2021.",
        [
            ("Norway", "United States", "P-8A", "approved", 3, 3),
            ("Norway", "United States", "P-8A", "delivering", 5, 5),
            ("Norway", "United States", "P-3C", "delivered", None, None),
        ],
        id="the-first-of-the-five-goes-with-the-earlier-order",
    ),
    pytest.param(
        "Ships\nMorocco already operates a French-built FREMM, the Mohammed VI, which it "
        "bought from France in 2008.",
        [("Morocco", "France", "FREMM", "delivered", 1, 1)],
        id="a-ship-named-by-its-class-alone",
    ),
    pytest.param(
        "Vehicles\nCANBERRA - Australia has chosen the Redback as its new infantry fighting "
        "vehicle and will buy 129 of them, ending a contest with Germany's Rheinmetall and "
        "its Lynx.",
        [("Australia", "South Korea", "Redback", "announced", 129, 129)],
        id="buy-n-of-them-and-the-loser-of-a-contest",
    ),
]


_BATCH_32: list[Any] = [
    pytest.param(
        "Boats\nTHE HAGUE - The Dutch government has chosen Naval Group to build four "
        "submarines. The boats will be based on the Barracuda design. The navy is also "
        "buying two new frigates, for which a contract with Damen was signed last year.",
        [("Netherlands", "France", "Barracuda", "announced", 4, 4)],
        id="frigates-are-no-submarines",
    ),
    pytest.param(
        "Jets\nSEOUL - South Korea flies a fleet of 40 F-35As that it bought in 2014. "
        "Finland, which operates 96 F/A-18 Hornets, is replacing them.",
        [("South Korea", "United States", "F-35A", "delivered", 40, 40)],
        id="a-fleet-that-was-bought-and-one-that-is-only-flown",
    ),
    pytest.param(
        "Jets\nSouth Korea is also developing its own KF-21 fighter, and the first 20 "
        "production jets were ordered from Korea Aerospace Industries in June.",
        [("South Korea", "South Korea", "KF-21", "contracted", 20, 20)],
        id="the-next-clause-about-the-same-equipment",
    ),
    pytest.param(
        "Jets\nATHENS - The last of Greece's 24 Rafale fighters landed on Tuesday. Athens "
        "signed for 18 Rafales from France in 2021 and ordered six more in 2022.",
        [
            ("Greece", "France", "Rafale", "delivered", 18, 18),
            ("Greece", "France", "Rafale", "delivered", 6, 6),
        ],
        id="a-total-that-is-the-sum-of-its-batches",
    ),
    pytest.param(
        "Guns\nTALLINN - Estonia bought its first 12 K9s from South Korea in 2018 together "
        "with Finland, and later added 12 more and then another six; all 30 of those guns "
        "have been delivered.",
        [
            ("Estonia", "South Korea", "K9", "delivered", 12, 12),
            ("Estonia", "South Korea", "K9", "delivered", 12, 12),
            ("Estonia", "South Korea", "K9", "delivered", 6, 6),
            ("Finland", "South Korea", "K9", "delivered", None, None),
        ],
        id="one-batch-after-another-and-its-own-count-of-a-joint-purchase",
    ),
    pytest.param(
        "Launchers\nEstonia is also receiving six HIMARS launchers from the United States "
        "and will start taking delivery of Chunmoo launchers from South Korea next year.",
        [
            ("Estonia", "United States", "HIMARS", "delivering", 6, 6),
            ("Estonia", "South Korea", "Chunmoo", "contracted", None, None),
        ],
        id="will-start-taking-delivery",
    ),
    pytest.param(
        "Aircraft\nIndia ordered eight P-8Is from the United States in 2009, all of which "
        "were delivered by 2015, and followed up with four more in 2016.",
        [
            ("India", "United States", "P-8I", "delivered", 8, 8),
            ("India", "United States", "P-8I", "delivered", 4, 4),
        ],
        id="followed-up-with-four-more",
    ),
]


_BATCH_33: list[Any] = [
    pytest.param(
        "Jets\nLONDON - Britain will buy only three E-7 Wedgetail aircraft rather than the "
        "five it ordered. The RAF signed a contract with Boeing for five of the aircraft in "
        "2019. Lawmakers urged the government to restore the two cancelled aircraft.",
        [("United Kingdom", "United States", "E-7 Wedgetail", "contracted", 3, 3)],
        id="an-order-cut-is-one-deal-at-its-latest-count",
    ),
    pytest.param(
        "Jets\nBritain had bought seven Sentries from Boeing in 1987.",
        [("United Kingdom", "United States", "Sentry", "delivered", 7, 7)],
        id="a-plural-in-ies",
    ),
    pytest.param(
        "Boats\nThe first of eight Hangor-class submarines ordered by Pakistan from China "
        "was launched on Friday. Under the deal signed in 2015, four of the boats are being "
        "built in China.",
        [("Pakistan", "China", "Hangor-class", "contracted", 8, 8)],
        id="four-of-the-boats-is-a-part",
    ),
    pytest.param(
        "Ships\nPakistan's navy is building six Babur-class corvettes under a deal with "
        "Turkey's ASFAT, the first of which entered service last year.",
        [("Pakistan", "Turkey", "Babur-class", "delivering", 6, 6)],
        id="the-first-of-which-entered-service",
    ),
    pytest.param(
        "Vehicles\nBelgium bought 382 Griffon vehicles from France in 2018. The first "
        "Griffons are due next year.",
        [("Belgium", "France", "Griffon", "contracted", 382, 382)],
        id="the-first-are-due-next-year",
    ),
    pytest.param(
        "Guns\nBelgium has ordered nine CAESAR howitzers from France, and is to buy a "
        "further 19. Luxembourg has also joined the programme and is buying 80 of its own "
        "vehicles.",
        [
            ("Belgium", "France", "CAESAR", "contracted", 9, 9),
            ("Belgium", "France", "CAESAR", "announced", 19, 19),
        ],
        id="is-to-buy-a-further-19-and-another-countrys-unnamed-purchase",
    ),
]


_BATCH_34: list[Any] = [
    pytest.param(
        "Launchers\nTAIPEI - The ministry said Taiwan would buy more HIMARS launchers, "
        "adding to the 11 HIMARS it signed for last year.",
        [
            ("Taiwan", "United States", "HIMARS", "announced", None, None),
            ("Taiwan", "United States", "HIMARS", "contracted", 11, 11),
        ],
        id="a-second-batch-with-its-own-stage-in-one-sentence",
    ),
    pytest.param(
        "Jets\nCroatia's plan includes 12 Rafale fighters it bought from France, all of "
        "which have been delivered, and eight HIMARS launchers that Zagreb has requested "
        "from the United States.",
        [("Croatia", "France", "Rafale", "delivered", 12, 12)],
        id="a-request-is-no-stage-and-the-others-stage-is-not-its-own",
    ),
    pytest.param(
        "Jets\nOTTAWA - The government signed in January for 88 F-35A fighters.",
        [("Canada", "United States", "F-35A", "contracted", 88, 88)],
        id="signed-in-january-for",
    ),
    pytest.param(
        "Ships\nThe first of four Tamandaré-class frigates ordered by Brazil from Germany "
        "was launched on Friday.",
        [("Brazil", "Germany", "Tamandaré-class", "contracted", 4, 4)],
        id="an-accented-class-name",
    ),
    pytest.param(
        "Boats\nBrazil is building four Riachuelo-class submarines with France's Naval Group "
        "under a 2009 agreement; three have entered service so far.",
        [("Brazil", "France", "Riachuelo-class", "delivering", 4, 4)],
        id="three-have-entered-service",
    ),
]


_BATCH_35: list[Any] = [
    pytest.param(
        "Jets\nJERUSALEM - Israel has signed a letter of offer and acceptance for 25 more "
        "F-35I fighters. It has so far received 36 of the 50 F-35Is it bought in earlier "
        "contracts.",
        [
            ("Israel", "United States", "F-35I", "contracted", 25, 25),
            ("Israel", "United States", "F-35I", "delivering", 50, 50),
        ],
        id="bought-in-earlier-contracts-needs-no-year",
    ),
    pytest.param(
        "Vehicles\nBERLIN - The German army will get 50 more Puma infantry fighting "
        "vehicles after the procurement office signed a contract with PSM on Wednesday. "
        "They will replace the last of the army's Marder vehicles. The army's fleet of about "
        "350 vehicles, ordered in 2009, was hit by breakdowns last year.",
        [
            ("Germany", "Germany", "Puma IFV", "contracted", 50, 50),
            ("Germany", "Germany", "Puma IFV", "delivered", 350, 350),
        ],
        id="after-the-office-signed-a-fleet-that-was-ordered-the-last-of-what-it-replaces",
    ),
    pytest.param(
        "Vehicles\nRIGA - Latvia ordered about 200 Patria 6x6 vehicles from Finland in 2021; "
        "the first of those were handed over last year. Latvia, Lithuania and Estonia have "
        "all bought or plan to buy HIMARS.",
        [("Latvia", "Finland", "Patria 6x6", "delivering", 200, 200)],
        id="the-first-of-those-after-a-semicolon-and-bought-or-plan-to-buy",
    ),
    pytest.param(
        "Drones\nBELGRADE - Six Chinese Y-20 transport planes landed on Saturday carrying "
        "the FK-3 system that Serbia bought from China in 2019. In 2020 it became the first "
        "European country to operate Chinese combat drones, after taking delivery of six "
        "CH-92A drones.",
        [
            ("Serbia", "China", "FK-3", "delivered", None, None),
            ("Serbia", "China", "CH-92A", "delivered", 6, 6),
        ],
        id="carrier-planes-and-after-taking-delivery-of-and-the-origin-of-a-kind",
    ),
    pytest.param(
        "Boats\nJAKARTA - The navy operates four submarines: an ageing German-built Type 209 "
        "and three Nagapasa-class boats it bought from South Korea, which were delivered "
        "between 2017 and 2021.",
        [("Indonesia", "South Korea", "Nagapasa-class", "delivered", 3, 3)],
        id="which-were-delivered-goes-on-about-the-boats-it-bought",
    ),
    pytest.param(
        "Drones\nTHE HAGUE - The Netherlands will buy four more MQ-9A Reaper drones. The "
        "extra aircraft will double the number of Reapers in Dutch service; the first four, "
        "ordered in 2018, were delivered last year.",
        [
            ("Netherlands", "United States", "MQ-9A", "announced", 4, 4),
            ("Netherlands", "United States", "MQ-9A", "delivered", 4, 4),
        ],
        id="the-first-four-ordered-in-2018",
    ),
]


_BATCH_36: list[Any] = [
    pytest.param(
        "Norway orders Seahawk helicopters to replace cancelled NH90s\nOSLO - Norway has "
        "signed an agreement with the United States to buy six MH-60R helicopters through "
        "the Foreign Military Sales programme, a year after it cancelled its NH90 contract.",
        [
            ("Norway", "United States", "Seahawk", "contracted", 6, 6),
            ("Norway", "France", "NH90", "cancelled", None, None),
        ],
        id="a-foreign-military-sale-sells-its-own-deal-and-a-cancelled-adjective",
    ),
    pytest.param(
        "Jets\nWARSAW - The last of the 12 FA-50GF jets that Poland ordered from South Korea "
        "landed on Thursday, completing the first phase of the $3 billion purchase of 48 "
        "FA-50 jets.",
        [("Poland", "South Korea", "FA-50GF", "delivering", 48, 48)],
        id="the-last-of-a-first-phase-of-the-purchase",
    ),
    pytest.param(
        "Vehicles\nPoland also ordered 180 K2 tanks and 212 K9 howitzers from South Korea "
        "last year. Deliveries of both began in December.",
        [
            ("Poland", "South Korea", "K2", "delivering", 180, 180),
            ("Poland", "South Korea", "K9", "delivering", 212, 212),
        ],
        id="deliveries-of-both",
    ),
    pytest.param(
        "Jets\nGermany, which ordered 38 Eurofighters in 2020, plans to order 20 more.",
        [
            ("Germany", "Germany", "Eurofighter", "delivered", 38, 38),
            ("Germany", "Germany", "Eurofighter", "announced", 20, 20),
        ],
        id="plans-to-order-20-more-after-the-buyers-relative-clause",
    ),
]


_BATCH_37: list[Any] = [
    pytest.param(
        "Missiles\nWASHINGTON - The US Army has awarded Lockheed Martin a $4.5 billion "
        "contract for 870 PAC-3 MSE interceptors.",
        [("United States", "United States", "PAC-3", "contracted", 870, 870)],
        id="awarded-a-company-a-contract",
    ),
    pytest.param(
        "Missiles\nSeveral countries that have bought Patriot, including Poland and Sweden, "
        "are also ordering PAC-3 MSE missiles, and Germany and the Netherlands have donated "
        "launchers to Ukraine.",
        [
            ("Poland", "United States", "Patriot", "contracted", None, None),
            ("Poland", "United States", "PAC-3 MSE", "contracted", None, None),
            ("Sweden", "United States", "Patriot", "contracted", None, None),
            ("Sweden", "United States", "PAC-3 MSE", "contracted", None, None),
        ],
        id="countries-including-a-list-and-a-donation-clause-of-its-own",
    ),
    pytest.param(
        "Jets\nBRUSSELS - Belgium will buy 11 more F-35A jets. The first of the 34 jets "
        "ordered in 2018, in a deal worth about 3.8 billion euros, were handed over in 2023.",
        [
            ("Belgium", "United States", "F-35A", "announced", 11, 11),
            ("Belgium", "United States", "F-35A", "delivering", 34, 34),
        ],
        id="the-first-of-the-34-across-a-decimal-point",
    ),
    pytest.param(
        "Aircraft\nThe Netherlands and Austria, which are buying nine C-390s between them, "
        "and Portugal and Sweden have also chosen the Brazilian aircraft.",
        [
            ("Netherlands", "Brazil", "C-390", "contracted", None, None),
            ("Austria", "Brazil", "C-390", "contracted", None, None),
            ("Portugal", "Brazil", "C-390", "announced", None, None),
            ("Sweden", "Brazil", "C-390", "announced", None, None),
        ],
        id="two-lists-of-buyers-at-their-own-stages",
    ),
]


_BATCH_38: list[Any] = [
    pytest.param(
        "Ships\nCADIZ - Navantia delivered the fifth and last of five Avante 2200 corvettes "
        "to Saudi Arabia on Monday. Saudi Arabia is also buying four surface combatants "
        "from the United States.",
        [("Saudi Arabia", "Spain", "Avante 2200", "delivered", 5, 5)],
        id="delivered-the-last-and-an-unnamed-purchase-from-another-seller",
    ),
    pytest.param(
        "Ships\nThe Type 26 design has also been chosen by Australia, and Canada, which is "
        "building 15 River-class destroyers based on it.",
        [
            ("Australia", "United Kingdom", "Type 26", "announced", None, None),
            ("Canada", None, "River-class", "announced", 15, 15),
        ],
        id="the-country-whose-relative-clause-names-the-system",
    ),
    pytest.param(
        "Frigates\nCanberra has chosen Mitsubishi Heavy Industries' upgraded Mogami-class "
        "frigate. The losing bid, the MEKO A-200, was offered by TKMS.",
        [("Australia", "Japan", "Mogami-class", "announced", None, None)],
        id="an-upgraded-version-is-bought-and-the-losing-bid-is-not",
    ),
    pytest.param(
        "Ships\nMalaysia will buy five littoral combat ships instead of the six it ordered "
        "from Boustead Naval Shipyard. The first ship, based on Naval Group's Gowind design, "
        "is due in 2026.",
        [("Malaysia", "Malaysia", "Gowind", "contracted", 5, 5)],
        id="a-domestic-yard-building-a-foreign-design",
    ),
]


_BATCH_39: list[Any] = [
    pytest.param(
        "Helicopters\nSEOUL - The State Department has approved the sale of 36 AH-64E "
        "helicopters to South Korea. It would be the second Apache purchase for Seoul, which "
        "bought 36 AH-64Es in 2013; all of those were delivered by 2017.",
        [
            ("South Korea", "United States", "AH-64E", "approved", 36, 36),
            ("South Korea", "United States", "AH-64E", "delivered", 36, 36),
        ],
        id="the-count-by-a-later-mention-of-an-earlier-purchase",
    ),
    pytest.param(
        "Helicopters\nSouth Korea's army also flies the KUH-1 Surion utility helicopter, "
        "and the agency has ordered a light armed helicopter from Korea Aerospace Industries.",
        [],
        id="a-clause-with-a-subject-of-its-own",
    ),
    pytest.param(
        "Jets\nThe L-39NG will replace Vietnam's old L-39C Albatros trainers, which it "
        "received from Czechoslovakia in the 1980s.",
        [("Vietnam", "Czechoslovakia", "L-39C", "delivered", None, None)],
        id="which-it-received-from",
    ),
]


_BATCH_40: list[Any] = [
    pytest.param(
        "Aircraft\nDUBLIN - The Irish Air Corps has taken delivery of the second of two C295 "
        "maritime patrol aircraft ordered from Airbus in 2019.",
        [("Ireland", "France", "C-295", "delivered", 2, 2)],
        id="the-second-of-two-is-the-last",
    ),
    pytest.param(
        "Jets\nABUJA - Nigeria received 12 A-29 Super Tucanos from the United States in "
        "2021. Pakistan has supplied JF-17 Thunder fighters.",
        [
            ("Nigeria", "United States", "A-29 Super Tucano", "delivered", 12, 12),
            ("Nigeria", "Pakistan", "JF-17", "delivered", None, None),
        ],
        id="has-supplied",
    ),
    pytest.param(
        "Jets\nMADRID - Spain has also ordered 45 Eurofighters in two batches since 2022.",
        [("Spain", "Germany", "Eurofighter", "contracted", 45, 45)],
        id="ordered-since-a-year-is-no-old-purchase",
    ),
    pytest.param(
        "Helicopters\nVILNIUS - Lithuania received its first two UH-60M Black Hawk helicopters "
        "on Wednesday, the first of four ordered from the United States in 2020.",
        [("Lithuania", "United States", "UH-60M", "delivering", 4, 4)],
        id="the-first-of-four-after-the-first-two",
    ),
]


_BATCH_41: list[Any] = [
    pytest.param(
        "Jets\nGREENVILLE - Lockheed Martin handed over the first F-16 Block 70 to the Royal "
        "Bahraini Air Force on Wednesday. Bahrain ordered 16 of the jets in 2018, and they will "
        "join the 20 older F-16C/D aircraft it bought in the 1990s.",
        [
            ("Bahrain", "United States", "F-16", "delivering", 16, 16),
            ("Bahrain", "United States", "F-16C/D", "delivered", 20, 20),
        ],
        id="handed-over-an-unnamed-count-of-the-jets-and-an-older-variant",
    ),
    pytest.param(
        "Missiles\nWARSAW - Poland signed for 48 Patriot launchers on Tuesday. Poland is also "
        "buying British CAMM missiles.",
        [
            ("Poland", "United States", "Patriot", "contracted", 48, 48),
            ("Poland", "United Kingdom", "CAMM", "contracted", None, None),
        ],
        id="a-demonym-before-the-system-names-its-origin",
    ),
    pytest.param(
        "Indonesia signs agreement for 24 F-15EX fighters\nJAKARTA - Indonesia has signed a "
        "memorandum of understanding with Boeing to buy 24 F-15EX fighter jets.",
        [("Indonesia", "United States", "F-15EX", "intent", 24, 24)],
        id="the-bodys-memorandum-over-the-headlines-agreement",
    ),
]


_BATCH_42: list[Any] = [
    pytest.param(
        "Tanks\nBERLIN - Germany has ordered 105 Leopard 2A8 tanks from KNDS. They come on top "
        "of 18 Leopard 2A8s ordered last year. Several other countries, including Norway and the "
        "Netherlands, have also ordered the 2A8.",
        [
            ("Germany", "Germany", "Leopard 2A8", "contracted", 105, 105),
            ("Germany", "Germany", "Leopard 2A8", "contracted", 18, 18),
            ("Norway", "Germany", "Leopard 2A8", "contracted", None, None),
            ("Netherlands", "Germany", "Leopard 2A8", "contracted", None, None),
        ],
        id="ordered-last-year-and-a-bare-variant-code",
    ),
    pytest.param(
        "Helicopters\nCANBERRA - The army and navy bought 47 of the helicopters, a version of "
        "the NH90, from Airbus in 2006. Marles said the decision would allow the army to focus "
        "on the Black Hawks and on its new AH-64E Apaches, 29 of which were ordered in 2021.",
        [
            ("Australia", "France", "NH90", "delivered", 47, 47),
            ("Australia", "United States", "AH-64E", "delivered", 29, 29),
        ],
        id="a-count-of-the-helicopters-beside-a-version-and-a-relative-fact-after-would",
    ),
]


_BATCH_43: list[Any] = [
    pytest.param(
        "Jets\nCOPENHAGEN - The first four F-35A fighters for the Danish air force landed on "
        "Thursday. Denmark ordered 27 F-35As from the United States in 2016. Last year the "
        "government said it would buy four more F-35s.",
        [
            ("Denmark", "United States", "F-35A", "delivering", 27, 27),
            ("Denmark", "United States", "F-35", "announced", 4, 4),
        ],
        id="four-more-than-the-deal-reported-and-the-plural-of-a-variant",
    ),
    pytest.param(
        "Guns\nCAIRO - Egypt's army has received the first K9 howitzers from Hanwha Aerospace. "
        "Egypt signed the contract in 2022 for 216 of the guns and 39 K10 ammunition vehicles.",
        [
            ("Egypt", "South Korea", "K9", "delivering", 216, 216),
            ("Egypt", "South Korea", "K10", "contracted", 39, 39),
        ],
        id="a-count-of-the-guns-before-the-next-system",
    ),
    pytest.param(
        "Air defence\nBERN - Switzerland signed a contract with Diehl Defence for five IRIS-T "
        "SLM fire units, after the Federal Council picked the German system over Israel's "
        "David's Sling and Norway's NASAMS.",
        [("Switzerland", "Germany", "IRIS-T SLM", "contracted", 5, 5)],
        id="picked-the-system-over-its-rivals",
    ),
]


_BATCH_44: list[Any] = [
    pytest.param(
        "Shield\nBERLIN - The German government signed a firm commitment with Israel "
        "Aerospace Industries on Monday for the Arrow 3 system.",
        [
            ("Germany", "Israel", "Arrow 3", "contracted", None, None),
        ],
        id="a-signed-commitment-is-a-contract",
    ),
    pytest.param(
        "Jets\nWARSAW - The Polish air force already flies F-16 fighters and bought 32 "
        "F-35A jets from Lockheed Martin this year.",
        [
            ("Poland", "United States", "F-35A", "contracted", 32, 32),
        ],
        id="what-it-flies-then-what-it-bought",
    ),
    pytest.param(
        "Drones\nOTTAWA - Canada said a contract for MQ-9B drones from General Atomics "
        "is expected later this year.",
        [
            ("Canada", "United States", "MQ-9B", "announced", None, None),
        ],
        id="a-contract-expected-is-a-plan",
    ),
    pytest.param(
        "Jets\nSEOUL - Korea Aerospace Industries has exported the FA-50 jet and its "
        "trainer version to Iraq, the Philippines and Thailand.",
        [
            ("Iraq", "South Korea", "FA-50", "contracted", None, None),
            ("Philippines", "South Korea", "FA-50", "contracted", None, None),
            ("Thailand", "South Korea", "FA-50", "contracted", None, None),
        ],
        id="exported-to-a-list-of-buyers",
    ),
    pytest.param(
        "Transports\nLISBON - Portugal ordered five C-390 aircraft from Embraer in "
        "2019. Hungary bought two in 2020.",
        [
            ("Portugal", "Brazil", "C-390", "delivered", 5, 5),
            ("Hungary", "Brazil", "C-390", "delivered", 2, 2),
        ],
        id="another-country-buys-a-bare-count",
    ),
    pytest.param(
        "Transports\nLISBON - Portugal ordered five C-390 aircraft from Embraer in "
        "2019. Denmark and Norway then agreed to buy seven between them, four Danish "
        "and three Norwegian.",
        [
            ("Portugal", "Brazil", "C-390", "delivered", 5, 5),
            ("Denmark", "Brazil", "C-390", "contracted", 4, 4),
            ("Norway", "Brazil", "C-390", "contracted", 3, 3),
        ],
        id="two-countries-and-their-shares",
    ),
    pytest.param(
        "Transports\nLISBON - Portugal ordered five C-390 aircraft from Embraer in "
        "2019. Slovakia signed a memorandum of understanding in May to acquire the "
        "same type.",
        [
            ("Portugal", "Brazil", "C-390", "delivered", 5, 5),
            ("Slovakia", "Brazil", "C-390", "intent", None, None),
        ],
        id="another-country-and-the-same-type",
    ),
    pytest.param(
        "Tanks\nWARSAW - Poland ordered 250 M1A2 Abrams tanks in 2022; the Polish army "
        "has received 28 so far.",
        [
            ("Poland", "United States", "M1A2", "delivering", 250, 250),
        ],
        id="the-buyers-own-clause-of-deliveries",
    ),
    pytest.param(
        "Guns\nOSLO - Norway agreed this year to buy 24 K9 howitzers from Hanwha Aerospace.",
        [
            ("Norway", "South Korea", "K9", "contracted", 24, 24),
        ],
        id="agreed-this-year-to-buy",
    ),
    pytest.param(
        "Guns\nTALLINN - Estonia ordered 12 K9 howitzers from Hanwha Aerospace in 2021 "
        "and took its first in 2023.",
        [
            ("Estonia", "South Korea", "K9", "delivering", 12, 12),
        ],
        id="took-its-first",
    ),
]

_BATCH_45: list[Any] = [
    pytest.param(
        "Jets\nDOHA - Qatar signed a contract with Excalibur International for 12 Rafale fighters.",
        [
            ("Qatar", "France", "Rafale", "contracted", 12, 12),
        ],
        id="a-company-named-like-a-system",
    ),
    pytest.param(
        "Jets\nZAGREB - Croatia has taken delivery of all 12 Rafale fighters it "
        "bought from France.",
        [
            ("Croatia", "France", "Rafale", "delivered", 12, 12),
        ],
        id="taken-delivery-of-all",
    ),
    pytest.param(
        "Launchers\nYEREVAN - Armenia has already received Pinaka rocket launchers from India.",
        [
            ("Armenia", "India", "Pinaka", "delivered", None, None),
        ],
        id="has-already-received-equipment",
    ),
    pytest.param(
        "Helicopters\nCANBERRA - The army has received 12 of the 40 UH-60M "
        "helicopters Australia ordered from the United States.",
        [
            ("Australia", "United States", "UH-60M", "delivering", 40, 40),
        ],
        id="received-a-part-of-the-order",
    ),
    pytest.param(
        "Helicopters\nCANBERRA - Australia has received an order confirmation for 40 "
        "UH-60M helicopters from the United States.",
        [
            ("Australia", "United States", "UH-60M", "contracted", 40, 40),
        ],
        id="received-a-document-is-no-delivery",
    ),
]

_BATCH_46: list[Any] = [
    pytest.param(
        "Radar planes\nLONDON - The first E-7 Wedgetail for the Royal Air Force made "
        "its maiden flight on Thursday. The Ministry of Defence signed a contract "
        "with Boeing in 2019 for five of the aircraft, but in 2022 it cut the order "
        "to three. The first aircraft is now expected to enter service next year, "
        "replacing the E-3D Sentry.",
        [
            ("United Kingdom", "United States", "E-7 Wedgetail", "contracted", 3, 3),
        ],
        id="an-order-cut-to-a-later-count-for-the-air-force-named-before",
    ),
    pytest.param(
        "Helicopters\nLONDON - In July the Royal Air Force signed a deal for 14 "
        "H-47ER Chinook helicopters through the US Foreign Military Sales programme.",
        [
            ("United Kingdom", "United States", "H-47ER", "contracted", 14, 14),
        ],
        id="the-fms-programme-country-is-the-seller",
    ),
    pytest.param(
        "Drones\nTOKYO - Japan has taken delivery of its second and final MQ-9B "
        "drone from the United States.",
        [
            ("Japan", "United States", "MQ-9B", "delivered", 2, 2),
        ],
        id="its-second-and-final",
    ),
    pytest.param(
        "Frigates\nCAIRO - The Egyptian Navy has commissioned the last of four MEKO "
        "A-200 frigates ordered from Germany.",
        [
            ("Egypt", "Germany", "MEKO A-200", "delivered", 4, 4),
        ],
        id="commissioned-the-last-of-four",
    ),
    pytest.param(
        "Jets\nTOKYO - Japan is buying 42 F-35B fighters from Lockheed Martin. The "
        "first F-35Bs arrived at Nyutabaru in August.",
        [
            ("Japan", "United States", "F-35B", "delivering", 42, 42),
        ],
        id="the-first-designations-arrived",
    ),
]

_BATCH_47: list[Any] = [
    pytest.param(
        "Frigates\nOSLO - Norway selected the Type 26 frigate, picking the British "
        "design over offers from France and Germany.",
        [
            ("Norway", "United Kingdom", "Type 26", "announced", None, None),
        ],
        id="losing-bids-from-other-countries-sell-nothing",
    ),
    pytest.param(
        "Frigates\nLONDON - The Royal Navy is already building eight Type 26 frigates of its own.",
        [
            ("United Kingdom", "United Kingdom", "Type 26", "contracted", 8, 8),
        ],
        id="building-of-its-own",
    ),
    pytest.param(
        "Carriers\nBUCHAREST - The army has received most of the 227 Piranha 5 "
        "vehicles it ordered in 2018 from General Dynamics.",
        [
            ("Romania", "United States", "Piranha 5", "delivering", 227, 227),
        ],
        id="received-most-of-them",
    ),
    pytest.param(
        "Guns\nVIENNA - Austria ordered 36 Skyranger 30 systems on Pandur vehicles, "
        "and Denmark signed for 16 on Piranha V vehicles later that year.",
        [
            ("Austria", "Germany", "Skyranger 30", "contracted", 36, 36),
            ("Denmark", "Germany", "Skyranger 30", "contracted", 16, 16),
        ],
        id="a-carrier-and-a-bare-count-of-the-next-buyer",
    ),
    pytest.param(
        "Guns\nVIENNA - Austria ordered 36 Skyranger 30 systems from Rheinmetall. "
        "Germany, the launch customer, has 19 on order.",
        [
            ("Austria", "Germany", "Skyranger 30", "contracted", 36, 36),
            ("Germany", "Germany", "Skyranger 30", "contracted", 19, 19),
        ],
        id="an-apposition-and-a-count-on-order",
    ),
    pytest.param(
        "Tanks\nWARSAW - Poland signed a second executive contract for 180 K2 tanks "
        "on Friday. The first executive contract, for 180 tanks, followed in 2022; "
        "most of those have already arrived.",
        [
            ("Poland", "South Korea", "K2", "contracted", 180, 180),
            ("Poland", "South Korea", "K2", "delivering", 180, 180),
        ],
        id="the-first-contract-and-its-deliveries-beside-the-second",
    ),
]

_BATCH_48: list[Any] = [
    pytest.param(
        "Drones\nJAKARTA - Indonesia signed a contract with Turkish Aerospace for 12 ANKA drones.",
        [
            ("Indonesia", "Turkey", "Anka", "contracted", 12, 12),
        ],
        id="a-name-in-capitals",
    ),
    pytest.param(
        "Drones\nJAKARTA - The deal follows Indonesia's earlier order for CH-4 "
        "drones from China, which entered service in 2019.",
        [
            ("Indonesia", "China", "CH-4", "delivered", None, None),
        ],
        id="its-earlier-order-for",
    ),
    pytest.param(
        "Jets\nANKARA - Turkey has decided not to go ahead with the purchase of 40 "
        "F-16 Block 70 fighters from the United States, arguing that the money was "
        "better spent on the KAAN fighter.",
        [
            ("Turkey", "United States", "F-16", "cancelled", 40, 40),
        ],
        id="decided-not-to-go-ahead-and-the-reasons-given",
    ),
    pytest.param(
        "Jets\nNEW DELHI - The air force waits for the 83 Tejas Mk1A fighters "
        "ordered from HAL in 2021, none of which has been delivered.",
        [
            ("India", "India", "Tejas Mk1A", "contracted", 83, 83),
        ],
        id="none-of-which-has-been-delivered",
    ),
    pytest.param(
        "Jets\nBAKU - Azerbaijan signed for 40 JF-17 fighters from Pakistan. It is "
        "the third foreign operator after Myanmar and Nigeria, which both bought "
        "JF-17s from Pakistan. Iraq also signed a contract for the jet in 2015 but "
        "never took delivery, and later dropped the plan.",
        [
            ("Azerbaijan", "Pakistan", "JF-17", "contracted", 40, 40),
            ("Myanmar", "Pakistan", "JF-17", "contracted", None, None),
            ("Nigeria", "Pakistan", "JF-17", "contracted", None, None),
            ("Iraq", "Pakistan", "JF-17", "cancelled", None, None),
        ],
        id="which-both-bought-and-another-buyer-of-the-jet-dropped-it",
    ),
]

_BATCH_49: list[Any] = [
    pytest.param(
        "Rifles\nNEW DELHI - India ordered 73,000 SIG716 rifles from SIG Sauer this "
        "year. The army bought 72,400 of the 7.62mm rifles in 2019; all of them were "
        "delivered by 2020.",
        [
            ("India", "United States", "SIG716", "contracted", 73000, 73000),
            ("India", "United States", "SIG716", "delivered", 72400, 72400),
        ],
        id="a-count-of-rifles-by-their-calibre",
    ),
    pytest.param(
        "Rifles\nNEW DELHI - The Indian Army continues to receive AK-203 rifles from "
        "a joint venture that is to make about 600,000 of them.",
        [
            ("India", "Russia", "AK-203", "delivering", 600000, 600000),
        ],
        id="continues-to-receive-and-a-count-to-make",
    ),
    pytest.param(
        "Ships\nULSAN - The Philippine Navy took delivery of BRP Miguel Malvar, the "
        "first of two HDC-3100 corvettes ordered from Hyundai Heavy Industries.",
        [
            ("Philippines", "South Korea", "HDC-3100", "delivering", 2, 2),
        ],
        id="a-named-ship-the-first-of-two",
    ),
    pytest.param(
        "Ships\nULSAN - Hyundai Heavy Industries delivered two corvettes to Manila "
        "last year. The shipbuilder is also building six HDP-2200 patrol vessels for "
        "the Philippines under a 2022 contract.",
        [
            ("Philippines", "South Korea", "HDP-2200", "contracted", 6, 6),
        ],
        id="the-shipbuilder-named-before-sells",
    ),
    pytest.param(
        "Ships\nMANILA - Hyundai Heavy Industries delivered the navy's two Jose "
        "Rizal-class frigates to the Philippines in 2021.",
        [
            ("Philippines", "South Korea", "Jose Rizal-class", "delivered", 2, 2),
        ],
        id="delivered-the-equipment",
    ),
    pytest.param(
        "Radars\nMANILA - The Philippines agreed in 2024 to buy Japanese radars and "
        "is in talks with Sweden about Gripen fighters.",
        [],
        id="talks-are-a-clause-of-their-own",
    ),
    pytest.param(
        "Air defence\nRIGA - Latvia's NASAMS battery, bought from Norway and "
        "delivered in the spring, took part in the exercise.",
        [
            ("Latvia", "Norway", "NASAMS", "delivered", None, None),
        ],
        id="bought-and-delivered-in-the-spring",
    ),
]

_BATCH_50: list[Any] = [
    pytest.param(
        "Frigates\nCANBERRA - The government will reduce its order for Hunter-class "
        "frigates from nine to six ships. BAE Systems Australia is building the "
        "ships at Osborne under a contract signed in 2018.",
        [
            ("Australia", "United Kingdom", "Type 26", "contracted", 6, 6),
        ],
        id="reduce-its-order-from-nine-to-six-and-the-builder-sells",
    ),
    pytest.param(
        "Jets\nSOFIA - The first F-16 Block 70 fighter for Bulgaria landed on "
        "Thursday. Bulgaria signed for eight of the Lockheed Martin jets in 2019, "
        "and in 2022 it ordered a second batch of eight. The rest of the first batch "
        "is due next year.",
        [
            ("Bulgaria", "United States", "F-16", "delivering", 8, 8),
            ("Bulgaria", "United States", "F-16", "contracted", 8, 8),
        ],
        id="a-second-batch-of-the-same-count",
    ),
    pytest.param(
        "Transports\nLISBON - Portugal was the first European customer for the "
        "KC-390 transport, ordering five in 2019. The air force has since taken "
        "delivery of three of them.",
        [
            ("Portugal", "Brazil", "KC-390", "delivering", 5, 5),
        ],
        id="ordering-five-and-three-of-them-delivered",
    ),
    pytest.param(
        "Trainers\nHANOI - The Yak-130 is used to train pilots for the Su-30MK2 "
        "fighters of Vietnam. Vietnam bought 36 of those fighters from Russia "
        "between 2004 and 2015.",
        [
            ("Vietnam", "Russia", "Su-30MK2", "delivered", 36, 36),
        ],
        id="those-fighters-the-sentence-before-named",
    ),
    pytest.param(
        "Jets\nHANOI - Vietnam has discussed buying F-16s from the United States and "
        "has signed a memorandum with India on defence industry cooperation.",
        [],
        id="a-memorandum-on-industrial-cooperation",
    ),
    pytest.param(
        "Trainers\nLISBON - Portugal signed a contract for 12 A-29N Super Tucano "
        "aircraft from Embraer. The first aircraft should be delivered in 2026.",
        [
            ("Portugal", "Brazil", "A-29 Super Tucano", "contracted", 12, 12),
        ],
        id="should-be-delivered-is-no-delivery",
    ),
]

_BATCH_51: list[Any] = [
    pytest.param(
        "Drones\nBELGRADE - Serbia has received CH-92A armed drones in recent years, "
        "drawing criticism from the European Union.",
        [
            ("Serbia", "China", "CH-92A", "delivered", None, None),
        ],
        id="criticism-from-is-no-seller",
    ),
    pytest.param(
        "Tanks\nTHE HAGUE - The ministry said it had signed for 22 Skyranger 30 "
        "systems last month and would order 46 Leopard 2A8 tanks before the end of "
        "the year.",
        [
            ("Netherlands", "Germany", "Skyranger 30", "contracted", 22, 22),
            ("Netherlands", "Germany", "Leopard 2A8", "announced", 46, 46),
        ],
        id="signed-for-one-and-would-order-another",
    ),
    pytest.param(
        "Ships\nCAIRO - Egypt has diversified its arms purchases, buying Rafale jets "
        "from France and FREMM frigates from Italy.",
        [
            ("Egypt", "France", "Rafale", "contracted", None, None),
            ("Egypt", "Italy", "FREMM", "contracted", None, None),
        ],
        id="buying-in-a-participle-clause",
    ),
    pytest.param(
        "Air defence\nRIYADH - Saudi Arabia agreed to buy seven THAAD batteries in "
        "2017, and the first battery was declared operational in 2025.",
        [
            ("Saudi Arabia", "United States", "THAAD", "delivering", 7, 7),
        ],
        id="the-first-battery-declared-operational",
    ),
]

_BATCH_52: list[Any] = [
    pytest.param(
        "Submarines\nNEW DELHI - The Defence Acquisition Council accorded Acceptance "
        "of Necessity for three additional Scorpene submarines. The new boats would "
        "follow the six Kalvari-class submarines built under a 2005 contract, the "
        "last of which was commissioned in January.",
        [
            ("India", "France", "Scorpène", "approved", 3, 3),
            ("India", "France", "Kalvari-class", "delivered", 6, 6),
        ],
        id="acceptance-of-necessity-and-an-older-contract",
    ),
    pytest.param(
        "Helicopters\nATHENS - The navy has received the last of the seven MH-60R "
        "helicopters Greece ordered from the United States in 2019. In 2021 Athens "
        "added three more MH-60Rs to its order, and those are due to arrive by the "
        "end of next year.",
        [
            ("Greece", "United States", "MH-60R", "delivered", 7, 7),
            ("Greece", "United States", "MH-60R", "contracted", 3, 3),
        ],
        id="added-three-more-to-its-order",
    ),
    pytest.param(
        "Air defence\nBERLIN - Germany has ordered four IRIS-T SLM fire units that "
        "will go to Ukraine as military aid. Ukraine has received more than a dozen "
        "IRIS-T launchers from Germany since 2022.",
        [],
        id="what-the-aid-recipient-receives",
    ),
]

_BATCH_53: list[Any] = [
    pytest.param(
        "Vehicles\nMADRID - Spain signed a contract for 348 Dragon 8x8 vehicles with "
        'Tess Defence in 2020. The ministry said in March that it would order "up to '
        '200 more" vehicles in a second phase.',
        [
            ("Spain", "Spain", "Dragon 8x8", "delivered", 348, 348),
            ("Spain", "Spain", "Dragon 8x8", "announced", None, 200),
        ],
        id="a-quoted-count-of-more-is-a-plan-of-its-own",
    ),
    pytest.param(
        "Air defence\nRIGA - Latvia ordered Piorun missiles from Mesko. The deal "
        "follows similar purchases by Estonia and Lithuania, which both ordered "
        "Piorun systems from Mesko in 2023.",
        [
            ("Latvia", "Poland", "Piorun", "contracted", None, None),
            ("Estonia", "Poland", "Piorun", "contracted", None, None),
            ("Lithuania", "Poland", "Piorun", "contracted", None, None),
        ],
        id="purchases-by-a-list-of-buyers",
    ),
]

_BATCH_54: list[Any] = [
    pytest.param(
        "Vehicles\nBUDAPEST - Hungary ordered 218 Lynx vehicles from Rheinmetall in "
        "2020; the first 46 were built in Germany and delivered in 2022, and the "
        "remaining 172 are being assembled in Hungary.",
        [
            ("Hungary", "Germany", "Lynx", "delivering", 218, 218),
        ],
        id="the-first-part-delivered-and-the-rest-being-assembled",
    ),
    pytest.param(
        "Guns\nBUDAPEST - Hungary also bought 44 Leopard 2A7 tanks and 24 PzH 2000 "
        "howitzers from Germany, all of which are now in service.",
        [
            ("Hungary", "Germany", "Leopard 2A7", "delivered", 44, 44),
            ("Hungary", "Germany", "PzH 2000", "delivered", 24, 24),
        ],
        id="all-of-which-are-now-in-service",
    ),
    pytest.param(
        "Jets\nBRASILIA - The Brazilian Air Force received its tenth F-39 Gripen "
        "fighter on Wednesday. Brazil ordered 36 of the jets from Saab in 2014.",
        [
            ("Brazil", "Sweden", "F-39", "delivering", 36, 36),
        ],
        id="a-buyers-designation-of-a-listed-system",
    ),
]

_BATCH_55: list[Any] = [
    pytest.param(
        "Guns\nSTOCKHOLM - Sweden's army operates 48 Archers and ordered 48 more in 2023.",
        [
            ("Sweden", "United Kingdom", "Archer", "contracted", 48, 48),
        ],
        id="operates-some-and-ordered-more",
    ),
    pytest.param(
        "Guns\nCOPENHAGEN - Denmark had ordered CAESAR guns from Nexter in 2017, and "
        "all 19 were delivered by 2022. It later ordered a new batch of CAESAR Mk II "
        "guns from France, but cancelled that order last year.",
        [
            ("Denmark", "France", "CAESAR", "delivered", 19, 19),
            ("Denmark", "France", "CAESAR", "cancelled", None, None),
        ],
        id="a-new-batch-of-it-and-its-cancellation",
    ),
    pytest.param(
        "Missiles\nMANILA - The Philippines plans to buy additional BrahMos missile "
        "batteries from India. Manila signed a contract with BrahMos Aerospace in "
        "January 2022 for three batteries.",
        [
            ("Philippines", "India", "BrahMos", "announced", None, None),
            ("Philippines", "India", "BrahMos", "contracted", 3, 3),
        ],
        id="additional-units-beside-the-purchase-they-add-to",
    ),
]

_BATCH_56: list[Any] = [
    pytest.param(
        "Tanks\nWARSAW - Poland has also bought 250 M1A2 Abrams tanks and 486 HIMARS "
        "launchers from the United States, though the HIMARS order is still being "
        "negotiated.",
        [
            ("Poland", "United States", "M1A2", "contracted", 250, 250),
        ],
        id="an-order-still-being-negotiated",
    ),
    pytest.param(
        "Launchers\nTALLINN - Estonia will buy six Chunmoo launchers from Hanwha "
        "Aerospace, citing long waiting times for additional HIMARS systems.",
        [
            ("Estonia", "South Korea", "Chunmoo", "announced", 6, 6),
        ],
        id="waiting-times-for-another-system",
    ),
    pytest.param(
        "Jets\nJAKARTA - Indonesia signed an agreement last year for 24 F-15EX jets "
        "from Boeing that has yet to become a firm contract.",
        [
            ("Indonesia", "United States", "F-15EX", "intent", 24, 24),
        ],
        id="an-agreement-not-yet-a-firm-contract",
    ),
    pytest.param(
        "Guns\nOSLO - The agency has exercised an option for 24 more K9 howitzers "
        "from Hanwha Aerospace for Norway. Norway bought its first 24 K9s in 2017 "
        "and all of them have been delivered; four more were ordered in 2022.",
        [
            ("Norway", "South Korea", "K9", "contracted", 24, 24),
            ("Norway", "South Korea", "K9", "delivered", 4, 4),
            ("Norway", "South Korea", "K9", "delivered", 24, 24),
        ],
        id="an-option-exercised-and-four-more-were-ordered",
    ),
]

_BATCH_57: list[Any] = [
    pytest.param(
        "Jets\nBERN - Switzerland will have to pay more for its 36 F-35A fighters. "
        "Switzerland signed the purchase agreement with the US government in 2022, "
        "and the first eight jets are to be assembled in the United States. "
        "Deliveries are due to start in 2027.",
        [
            ("Switzerland", "United States", "F-35A", "contracted", 36, 36),
        ],
        id="a-count-named-before-and-deliveries-due-to-start",
    ),
    pytest.param(
        "Jets\nCAIRO - Egypt denies buying Chinese J-10C fighters. The reports had "
        "said Cairo would buy 40 of the jets.",
        [],
        id="denies-buying",
    ),
]

_BATCH_58: list[Any] = [
    pytest.param(
        "Guns\nZAGREB - Croatia also ordered six CAESAR howitzers from France last "
        "year and bought 12 second-hand Rafale jets from France in 2021, all of "
        "which have now been delivered.",
        [
            ("Croatia", "France", "CAESAR", "contracted", 6, 6),
            ("Croatia", "France", "Rafale", "delivered", 12, 12),
        ],
        id="ordered-one-and-bought-another-with-its-own-stage",
    ),
    pytest.param(
        "Planes\nWARSAW - Poland bought two ASC 890 planes from Sweden in 2023.",
        [
            ("Poland", "Sweden", "ASC 890", "contracted", 2, 2),
        ],
        id="planes-after-a-designation",
    ),
]

# Blind batches whose phrasings share one shape: each case is a sentence of our own
# and the records it must yield, for an article published on the batch's date.
_BATCHES: dict[int, tuple[date, list[Any]]] = {
    10: (date(2025, 6, 1), _BATCH_10),
    11: (date(2025, 6, 1), _BATCH_11),
    12: (date(2025, 6, 1), _BATCH_12),
    13: (date(2024, 6, 1), _BATCH_13),
    14: (date(2025, 6, 1), _BATCH_14),
    15: (date(2025, 6, 1), _BATCH_15),
    25: (date(2025, 6, 1), _BATCH_25),
    27: (date(2024, 6, 1), _BATCH_27),
    28: (date(2025, 6, 1), _BATCH_28),
    29: (date(2025, 6, 1), _BATCH_29),
    30: (date(2024, 6, 1), _BATCH_30),
    31: (date(2024, 6, 1), _BATCH_31),
    32: (date(2024, 6, 1), _BATCH_32),
    33: (date(2024, 6, 1), _BATCH_33),
    34: (date(2024, 6, 1), _BATCH_34),
    35: (date(2024, 6, 1), _BATCH_35),
    36: (date(2024, 6, 1), _BATCH_36),
    37: (date(2024, 6, 1), _BATCH_37),
    38: (date(2024, 6, 1), _BATCH_38),
    39: (date(2024, 6, 1), _BATCH_39),
    40: (date(2025, 9, 1), _BATCH_40),
    41: (date(2024, 6, 1), _BATCH_41),
    42: (date(2025, 6, 1), _BATCH_42),
    43: (date(2024, 6, 1), _BATCH_43),
    44: (date(2024, 6, 1), _BATCH_44),
    45: (date(2024, 6, 1), _BATCH_45),
    46: (date(2024, 6, 1), _BATCH_46),
    47: (date(2025, 6, 1), _BATCH_47),
    48: (date(2024, 6, 1), _BATCH_48),
    49: (date(2024, 6, 1), _BATCH_49),
    50: (date(2024, 6, 1), _BATCH_50),
    51: (date(2025, 6, 1), _BATCH_51),
    52: (date(2025, 6, 1), _BATCH_52),
    53: (date(2025, 6, 1), _BATCH_53),
    54: (date(2024, 6, 1), _BATCH_54),
    55: (date(2025, 6, 1), _BATCH_55),
    56: (date(2025, 6, 1), _BATCH_56),
    57: (date(2025, 6, 1), _BATCH_57),
    58: (date(2025, 6, 1), _BATCH_58),
}


def _batch_case(batch: int, published: date, index: int, case: Any) -> Any:
    """A case of a batch (a pytest.param with an id, or a plain pair) as a param of the
    table-driven test below, its id naming the batch."""
    values, name = (case.values, case.id) if hasattr(case, "values") else (case, str(index))
    return pytest.param(published, *values, id=f"batch-{batch}-{name}")


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        _batch_case(batch, published, index, case)
        for batch, (published, cases) in _BATCHES.items()
        for index, case in enumerate(cases)
    ],
)
def test_blind_batch_phrasings(
    ex: Extractor, published: date, text: str, expected: list[tuple[object, ...]]
) -> None:
    got = _records(ex, text, published)
    assert sorted(got, key=str) == sorted(expected, key=str)
