"""Stage 5a: who buys and who sells, from one sentence.

Buyer, strongest rule first: the country a sale goes *to* ("sale of Javelins to
Romania", "supply India with"); the country that *buys* ("Kyiv acquire",
"Prague plans to purchase"); the first other country named. Seller: the country
or company the equipment comes *from*; the country that *sells* ("Denmark is
selling", "The United States will supply"); a "US-made" adjective. Countries
that only locate a company ("Germany's Rheinmetall", "Turkish manufacturer
Baykar") or come after by/with/against are never the buyer.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .gazetteer import Gazetteer
from .numbers import parse_number
from .types import Mention, Quantity, Sentence

_SALE_TO = re.compile(
    r"(?i)\b(?:sale|sales|sell|sells|selling|sold|supply|supplies|supplying|supplied|deliver\w*|"
    r"export\w*|ship|ships|shipped|shipping|shipment|approv\w*|clear\w*)\b"
    r"(?:(?!\b(?:donat\w*|gift\w*|pledg\w*|give|given|gave|handed)\b)[^.;]){0,120}?\b(?:to|for)\s+"
    r"(?:the\s+)?$"
)
_MAX_COUNTRIES = 12  # a sentence naming more is a list; its first ones decide
_ENDS_TO = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")  # "to the Republic of Korea"
_SUPPLY_WITH = re.compile(
    r"(?i)\b(?:supply|supplies|supplying|supplied|provide|provides|providing|provided|equip|equips|"
    r"equipping|equipped)\s+$"
)
_BUYS_AFTER = re.compile(
    r"(?i)^(?:['’]s?)?(?:\s+(?!to\b|from\b|and\b|or\b)[\w-]+){0,5}?\s+(?:buy|buys|bought|buying|"
    r"purchase|purchases|purchased|purchasing|acquire|acquires|acquired|acquiring|"
    r"(?<!on )order|(?<!on )orders|(?<!on )ordering|"
    r"ordered|receive|receives|received|receiving|procure|procures|procured|procuring|"
    r"obtain|obtains|obtained|chose|chosen|selected|inducted|inducts|"
    r"picked|picks|chooses|selects|signs for|signed for|took delivery|takes delivery|"
    r"(?:has|have|had)\s+(?:[\w-]+\s+){0,5}on order)\b"
)
_WHOSE_PURCHASE = re.compile(
    # "Myanmar and Nigeria, which both bought JF-17s"
    r"(?i)^,\s+(?:whose\s+(?:[\w-]+\s+){0,3}?|which\s+(?:has\s+|had\s+|have\s+|also\s+|already\s+|"
    r"both\s+|all\s+|each\s+)*)"
    r"(?:placed|signed|ordered|bought|purchased|acquired|selected|chose|received|took delivery)\b"
    # "The Netherlands and Austria, which are buying nine C-390s between them"
    r"|^,\s+which\s+(?:is|are)\s+(?:also\s+|jointly\s+)?(?:buying|acquiring|purchasing|ordering)\b"
)
"""\"Latvia, whose defence ministry placed its own order\", \"Japan, which ordered 400\": the
country named buys."""
_FROM = re.compile(
    r"(?i)(?<!help )(?<!support )(?<!assistance )(?<!funding )(?<!flying )(?<!operating )"
    r"(?<!based )(?<!flown )(?<!flown in )(?<!flew in )(?<!ferried )"
    # "drawing criticism from the European Union": who objects sells nothing
    r"(?<!criticism )(?<!pressure )(?<!objections )(?<!protests )(?<!complaints )"
    r"(?<!warnings )(?<!condemnation )"
    # "expelled it from the F-35 programme after Ankara": a clause word ends the phrase
    r"\bfrom\s+(?:the\s+)?(?:(?!(?:after|before|when|while|but|since|because|as)\s)[\w-]+\s+){0,3}$"
)
_RIVAL_FROM = re.compile(
    r"(?i)\b(?:over|beat|beating|against|ahead of)\s+(?:[\w-]+\s+){0,3}?(?:bids?|offers?|"
    r"rivals?|competitors?|proposals?|designs?|competition)\s+from\s+(?:the\s+)?"
    # "over offers from France and Germany": each of the listed bidders
    r"(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?:,\s+|,?\s+and\s+|,?\s+or\s+)(?:the\s+)?){0,4}$"
)
_WITH = re.compile(
    r"(?i)\b(?:contract|agreement|deal|order|accord|memorandum|letter of intent)s?\s+"
    r"(?:[\w$€£.,-]+\s+){0,4}?with\s+(?:the\s+)?$"
)
_SPEAKER_NOUN = re.compile(
    r"(?i)^\s+(?:[\w-]+\s+)?(?:officials?|sources?|analysts?|experts?|media|press|newspapers?|"
    r"observers?|diplomats?|counterparts?|commentators?|reports?)\b"
)
_ORIGIN_NOUN = re.compile(
    r"(?i)^(?:[’']s)?\s+(?:[\w-]+\s+)?(?:guns?|jets?|tanks?|missiles?|fighters?|aircraft|systems?|"
    r"weapons?|helicopters?|howitzers?|warplanes?|drones?|submarines?|frigates?|equipment|arms|"
    r"design|technology|rockets?)\b"
)
_SELLS_AFTER = re.compile(
    r"(?i)^(?:\s+[\w-]+){0,3}?\s+(?:is|are|was|were|has|have|had|will|would)?\s*(?:be\s+)?"
    r"(?:sell|sells|sold|selling|supply|supplies|supplied|supplying|deliver|delivers|delivering|"
    r"ship|ships|shipped|shipping|export|exports|exported|exporting)\b"
)
_NOT_BUYER_BEFORE = re.compile(
    r"(?i)\b(?:from|by|with|against|over|at|in|into|near|along|than|between|versus|vs)\s+"
    r"(?:the\s+)?$"
)
_FMS_AFTER = re.compile(r"(?i)^\s+(?:Foreign Military Sales?|FMS)\b")
_BY_BUYERS = re.compile(r"(?i)\b(?:purchases?|orders?|acquisitions?|buys)\s+by\s+(?:the\s+)?$")
_LIST_GAP = re.compile(r"(?i)\s*(?:,|,?\s*and|,?\s*or|,?\s*as well as)\s*(?:the\s+)?")
_COMPANY_NOUN = re.compile(
    # "German-made", not "the Royal Air Force made its maiden flight"
    r"(?i)^(?:['’]s)?\s*(?:-?(?:made|built|designed|manufactured|developed|based|produced)\b"
    r"(?!\s+(?:its|their|the|a|an|his|her|it|them|use|up)\b)|"
    r"(?:[\w-]+\s+){0,2}(?:manufacturer|company|firm|group|maker|contractor|shipyard|"
    r"shipbuilder|consortium|joint venture|industry|industries|subsidiary|division|affiliate)\b)"
)
_PURCHASES_BY = re.compile(
    r"(?i)^\s+(?:[\w-]+\s+)?(?:purchases?|orders?|acquisitions?|buys)\s+(?:by|for|from)\b"
)
_OWNED_BEFORE = re.compile(r"(?i)\b(?:its|their)\s+(?:[\w-]+\s+){0,2}$")
_MADE = re.compile(r"(?i)^-(?:made|built|designed|manufactured)\b")
# "32 more Black Hawks from Polish plant": where the units are built, not who sells them
_PLACE_NOUN = re.compile(
    r"(?i)^(?:['’]s)?\s+(?:[\w-]+\s+)?(?:plant|factory|assembly line|production line|works)\b"
)


def _from(before: str) -> bool:
    """`_FROM` on the text before a mention (most have no "from": no search then)."""
    return ("from" in before or "From" in before) and _FROM.search(before) is not None


def _with(before: str) -> bool:
    """`_WITH` on the text before a mention, searched only when it has "with"."""
    return ("with" in before or "With" in before) and _WITH.search(before) is not None


def _before(sentence: Sentence, mention: Mention) -> str:
    return sentence.text[max(0, mention.start - 160) : mention.start]


def _after(sentence: Sentence, mention: Mention) -> str:
    return sentence.text[mention.end : mention.end + 80]


def _locates_company(sentence: Sentence, mention: Mention, following: Mention | None) -> bool:
    after = _after(sentence, mention)
    if _COMPANY_NOUN.match(after):
        return True
    # "Germany's Rheinmetall", "Turkish Baykar": a company right after the country.
    return (
        following is not None
        and following.kind == "company"
        and mention.end <= following.start <= mention.end + 4
    )


_ORDER_FROM = re.compile(
    r"(?i)\b(?:order|orders|contract|contracts)\s+(?:(?!for\s)[\w$€£.,-]+\s+){0,3}?from\s+(?:the\s+)?$"
)
""""Rheinmetall has received an order from the German armed forces": who orders buys (not
"an order for CH-4 drones from China": what the order is for comes from there)."""


def find_buyer(
    sentence: Sentence, mentions: list[Mention], gazetteer: Gazetteer, seller: str | None
) -> tuple[str, str] | None:
    """(country, rule) of the buyer a sentence names, or None."""
    countries = [m for m in mentions if m.kind == "country"][:_MAX_COUNTRIES]
    for m in countries:
        before = _before(sentence, m)
        if m.text != m.name and _ORIGIN_NOUN.match(_after(sentence, m)):
            continue  # "an export order for the French warplane": where it comes from
        if _ENDS_TO.search(before[-16:]) and _SALE_TO.search(before):
            return m.name, "buyer:sale-to"
        if _SUPPLY_WITH.search(before[-20:]):
            return m.name, "buyer:supply-with"
        if before.endswith(("from ", "from the ")) and _ORDER_FROM.search(before):
            return m.name, "buyer:order-from"
    for m in countries:
        before = _before(sentence, m)
        if (
            _BUYS_AFTER.match(_after(sentence, m))
            and not _from(before)
            # "signed a letter of intent with Germany for the purchase of": the partner
            and not _with(before)
            and not (m.text != m.name and _OWNED_BEFORE.search(before[-60:]))
            # "a string of French purchases by Jakarta": where the purchases came from
            and not (m.text != m.name and _PURCHASES_BY.match(_after(sentence, m)))
        ):
            return m.name, "buyer:subject-of-purchase"
        if _WHOSE_PURCHASE.match(_after(sentence, m)):
            return m.name, "buyer:whose-purchase"
    following = {id(m): nxt for m, nxt in pairwise(mentions)}
    fallback: list[Mention] = []
    excluded: Mention | None = None
    for m in countries:
        listed = excluded is not None and _LIST_GAP.fullmatch(sentence.text[excluded.end : m.start])
        if m.name == seller or listed or _NOT_BUYER_BEFORE.search(_before(sentence, m)[-24:]):
            excluded = m  # "from Portugal and Norway": Norway too comes after "from"
            continue
        excluded = None
        if _locates_company(sentence, m, following.get(id(m))) or _SELLS_AFTER.match(
            _after(sentence, m)
        ):
            continue
        if m.text != m.name and _ORIGIN_NOUN.match(_after(sentence, m)):
            continue  # "the French guns": where the equipment comes from
        after = following.get(id(m))
        if (
            m.text != m.name
            and after is not None
            and after.kind == "system"
            and after.start - m.end <= 2
        ):
            continue  # "the French Mistral 3": where the system comes from
        if _FMS_AFTER.match(_after(sentence, m)):
            continue  # "through the US Foreign Military Sales programme": the seller's
        if m.text != m.name and _SPEAKER_NOUN.match(_after(sentence, m)):
            continue  # "Swedish officials estimate": who speaks, not who buys
        if m.text != m.name and _OWNED_BEFORE.search(_before(sentence, m)[-60:]):
            continue  # "its last large Russian order": where its purchase came from
        fallback.append(m)
    plain = [m for m in fallback if m.text not in gazetteer.agencies]
    if plain:
        return plain[0].name, "buyer:first-country"
    if fallback:
        return fallback[0].name, "buyer:agency"
    return None


def purchasing_subject(
    sentence: Sentence, mentions: list[Mention], low: int, high: int
) -> str | None:
    """The country that buys in the clause `low`..`high` of a sentence ("..., while Poland
    ordered 48 of them"), or None."""
    for m in mentions:
        if m.kind == "country" and low <= m.start < high:
            after = _after(sentence, m)
            if _BUYS_AFTER.match(after) or _SIGNED_AFTER.match(after):
                return m.name
    return None


_SIGNED_AFTER = re.compile(
    r"(?i)^\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|already\s+)?(?:signed|concluded|agreed)\b"
)


_PASSIVE_BY = re.compile(
    r"(?i)\b(?:(?:bought|ordered|purchased|acquired|selected|chosen|operated|adopted|signed)\s+by|"
    # "has previously sold JF-17s to Myanmar and Nigeria", "has sold the FA-50 and its
    # trainer variant to Indonesia, Iraq and Poland"
    r"(?:sold|sells|exported|supplying|supplies|supplied|delivering|delivers)\s+"
    r"(?:[\w'-]+\s+){0,7}?to|"
    r"(?:is|are)\s+(?:now\s+|also\s+|already\s+)?(?:building|producing|making)\s+for)\s+"
    r"(?:the\s+)?$"
)


_JOINT_OPENING = re.compile(r"\s*(?:and|&)\s+(?:the\s+)?$")
_JOINT_VERB = re.compile(
    r"(?i)^\s+(?:have|has|had|will|are|were)?\s*(?:jointly\s+|together\s+)?"
    r"(?:signed|ordered|bought|placed|agreed|awarded|concluded)\b"
    r"(?P<rest>[^.;]{0,80}?)\bwith\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$"
)


def joint_buyers(sentence: Sentence, mentions: list[Mention]) -> list[str]:
    """ "Norway and Germany have signed a contract with thyssenkrupp Marine Systems for
    six submarines": two governments opening the sentence that contract together with
    a company are buyers of a deal each (labelling rule 8). Two governments signing
    with each other ("Belgium and Poland signed a letter of intent") are not."""
    countries = [m for m in mentions if m.kind == "country"]
    companies = [m for m in mentions if m.kind == "company"]
    if len(countries) < 2 or not companies:
        return []
    first, second = countries[0], countries[1]
    opening = sentence.text[sentence.body_start : first.start]
    if opening.strip() not in {"", "The", "the"}:
        return []
    if not _JOINT_OPENING.fullmatch(sentence.text[first.end : second.start]):
        return []
    if first.name == second.name:
        return []
    company = companies[0]
    if company.start < second.end or not _JOINT_VERB.match(
        sentence.text[second.end : company.start]
    ):
        return []
    return [first.name, second.name]


_INCLUDING = re.compile(r"(?i)\b(?:including|such as|among them)\s+(?:the\s+)?$")
LIST_SEPARATOR = re.compile(r"\s*(?:,|,?\s*and|,?\s*as well as)\s*(?:the\s+)?")
"""What stands between the countries of a list ("Estonia, Latvia and the Netherlands")."""


def listed_subjects(sentence: Sentence, mentions: list[Mention]) -> list[str]:
    """ "Austria, Denmark and Hungary had also chosen the Skyranger": a list of countries
    that together are the subject of a purchase verb; each is a buyer of its own deal
    (labelling rule 8), and a count the sentence gives is none of theirs alone."""
    countries = [m for m in mentions if m.kind == "country"]
    if len(countries) < 2:
        return []
    i = 0
    while i < len(countries) - 1:
        first = countries[i]
        names, end, j = [first.name], first.end, i + 1
        while (
            j < len(countries)
            and LIST_SEPARATOR.fullmatch(sentence.text[end : countries[j].start])
            and not _COMPANY_NOUN.match(_after(sentence, countries[j]))
        ):
            names.append(countries[j].name)
            end = countries[j].end
            j += 1
        before = _before(sentence, first)
        after = sentence.text[end : end + 80]
        # "Several countries that have bought Patriot, including Poland, Sweden and
        # Switzerland, are also ordering PAC-3 MSE missiles"
        found = _INCLUDING.search(before)
        including = found is not None and (
            _BUYS_AFTER.match(after.lstrip(",")) is not None
            or _BUYS_AFTER.match(" " + before[: found.start()].split(" that ")[-1]) is not None
        )
        if (
            len(set(names)) >= 2
            # "Estonia and Lithuania, which have also ordered HIMARS"
            and (_BUYS_AFTER.match(after) or _WHOSE_PURCHASE.match(after) or including)
            and not _from(before)
            # ("similar purchases by Estonia and Lithuania, which both ordered" names them)
            and not (_NOT_BUYER_BEFORE.search(before[-24:]) and not _BY_BUYERS.search(before[-40:]))
        ):
            return list(dict.fromkeys(names))
        i = j
    return []


_SHARE_FOR = re.compile(
    r"(?i)(?<![\w.,-])(?P<n>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve)\s+(?:of them\s+|of the [\w-]+\s+)?for\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}$"
)


def buyer_shares(sentence: Sentence, mentions: list[Mention]) -> dict[str, Quantity]:
    """Each joint buyer's share where a sentence states it: "five for the Royal
    Netherlands Air Force and four for the Austrian Armed Forces"."""
    shares: dict[str, Quantity] = {}
    for m in mentions:
        if m.kind != "country" or m.name in shares:
            continue
        found = _SHARE_FOR.search(_before(sentence, m))
        if found is None:
            continue
        n = parse_number(found.group("n"))
        if n is None:
            continue
        offset = max(0, m.start - 160)
        shares[m.name] = Quantity(
            n,
            n,
            found.group("n"),
            None,
            offset + found.start(),
            offset + found.end(),
            "quantity:share-for-buyer",
        )
    return shares


_OWN_SUBJECT = re.compile(r"(?i)^\s*,\s+(?:which|who)\b|^\s+(?:has|have|had|is|are|was|were)\b")
_TOGETHER_WITH = re.compile(r"(?i)\b(?:together|jointly)\s+with\s+(?:the\s+)?$")


def joint_partners(
    sentence: Sentence, mentions: list[Mention], after: int, buyer: str | None
) -> list[str]:
    """Countries a purchase is made "together with" or "jointly with" after a system
    ("which it is acquiring together with Estonia"): buyers of the same deal."""
    if buyer is None or "with" not in sentence.text:
        return []
    systems = [m.start for m in mentions if m.kind == "system"]
    return [
        m.name
        for m in mentions
        if m.kind == "country"
        and m.start > after
        and m.name != buyer
        and _TOGETHER_WITH.search(_before(sentence, m))
        # the nearest system before the partner is the one bought together
        and not any(after <= start < m.start for start in systems)
    ]


def passive_buyers(sentence: Sentence, mentions: list[Mention]) -> list[str]:
    """Countries listed after "bought by" ("bought by Belgium, the Czech Republic and
    Lithuania"): each is a buyer of its own deal."""
    countries = [m for m in mentions if m.kind == "country"]
    for i, m in enumerate(countries):
        if _PASSIVE_BY.search(_before(sentence, m)):
            names = [m.name]
            end = m.end
            for nxt in countries[i + 1 :]:
                gap = sentence.text[end : nxt.start]
                if not LIST_SEPARATOR.fullmatch(gap) or _COMPANY_NOUN.match(_after(sentence, nxt)):
                    break  # "ordered by Egypt, the German shipbuilder said": not a buyer
                if _OWN_SUBJECT.match(_after(sentence, nxt)):
                    break  # "..., and Denmark, which gave its CAESARs away, has ordered"
                names.append(nxt.name)
                end = nxt.end
            return list(dict.fromkeys(names))
    return []


def find_seller(
    sentence: Sentence, mentions: list[Mention], gazetteer: Gazetteer, anchor: int | None = None
) -> tuple[str, str] | None:
    """(country, rule) of the seller a sentence names, or None.

    "from X" and "a contract with X" are the strongest evidence; when a sentence
    names several, the one nearest the system (`anchor`) wins.
    """
    strong: list[tuple[tuple[int, int, int], str, str]] = []
    systems = [m for m in mentions if m.kind == "system"]
    anchored = next((m for m in systems if m.start == anchor), None)
    for m in mentions:
        if m.kind not in {"country", "company"}:
            continue
        before = _before(sentence, m)
        if before.endswith(("from ", "from the ")) and _ORDER_FROM.search(before):
            continue  # the customer an order comes from, not a seller
        if m.kind == "country" and _PLACE_NOUN.match(_after(sentence, m)):
            continue
        rule = "from" if _from(before) else "contract-with" if _with(before) else None
        if rule is None:
            continue
        if rule == "from" and _RIVAL_FROM.search(before):
            continue  # "the British design over bids from France": a losing bidder
        if anchored is not None and any(
            min(anchored.start, m.start) < s.start < max(anchored.start, m.start)
            and s.name != anchored.name
            for s in systems
        ):
            # "Typhoons will serve alongside Super Hornets that Kuwait ordered from
            # Boeing": the seller is that of the system it follows
            continue
        if m.kind == "company":
            country, name = gazetteer.companies[m.name].country, f"seller:{rule}-company/{m.name}"
        else:
            country, name = m.name, f"seller:{rule}"
        # nearest to the system, a seller after it first ("four Type 209 submarines
        # from TKMS" even when "from France" of the system before is nearer)
        # the company contracted decides ("a contract with L&T for K9 howitzers built
        # under licence from Hanwha": India)
        distance = (
            (int(rule != "contract-with"), int(m.start < anchor), abs(m.start - anchor))
            if anchor is not None
            else (int(rule != "contract-with"), 0, m.start)
        )
        strong.append((distance, country, name))
    if strong:
        _, country, rule = min(strong)
        return country, rule
    for m in mentions:
        # The seller sells what follows it: in "The Netherlands plans to buy 46 Leopard
        # 2A8 tanks, ... years after the Dutch army sold its last tanks" the sale is
        # of something else.
        if anchor is not None and m.start > anchor:
            continue
        if m.kind == "country" and _SELLS_AFTER.match(_after(sentence, m)):
            return m.name, "seller:subject-of-sale"
    for m in mentions:
        if m.kind == "country" and _MADE.match(_after(sentence, m)):
            return m.name, "seller:made-in"
    return None
