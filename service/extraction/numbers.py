"""Stage 3: quantities ("between 200 and 300 missiles", "up to 48", "two dozen
jets", "several hundred") and money ("$1.2 billion", "932 million zloty",
"EUR 33.3 million", "€250m", "Rs 6,500 crore")."""

from __future__ import annotations

import re

from .casing import compile_lower, lowered
from .trie import trie_regex
from .types import Money, Quantity

_UNITS: dict[str, str | None] = {}
for _category, _nouns in {
    "aircraft": "aircraft jets jet fighters fighter planes airframes trainers tankers transports",
    "helicopter": "helicopters helicopter choppers rotorcraft",
    "armoured-vehicle": "tanks tank vehicles vehicle ifvs apcs carriers",
    "artillery": "howitzers howitzer guns launchers",
    "ship": (
        "ships warships warship frigates frigate corvettes corvette vessels destroyers "
        "destroyer boats opvs"
    ),
    "submarine": "submarines submarine",
    "drone": "drones drone uavs uas",
    "missile": "missiles missile rockets interceptors",
    "radar": "radars radar",
    "small-arms": "rifles carbines pistols",
    "ammunition": "shells rounds projectiles charges",
}.items():
    for _noun in _nouns.split():
        _UNITS[_noun] = _category
_ANY_KIND = ["systems", "system", "units", "unit", "batteries", "battery", "fire", "launch", "sets"]
for _noun in [*_ANY_KIND, "examples"]:
    _UNITS[_noun] = None  # counts any kind of equipment

UNIT_CATEGORIES: dict[str, frozenset[str]] = {
    "aircraft": frozenset({"aircraft", "drone"}),
    "missile": frozenset({"missile", "air-defence"}),
    "launchers": frozenset({"artillery", "missile", "air-defence"}),
    "vehicles": frozenset({"armoured-vehicle", "drone"}),
}

_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE = {"hundred": 100, "thousand": 1000, "dozen": 12, "million": 1_000_000}

_NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_NUM = (
    rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_NUM_WORD})"
    r"(?:[ -](?:hundred|thousand|dozen|million))?"
    r"|an? (?:hundred|thousand|dozen|million)|the dozen)"
)
# Words between a number and its unit ("ten K2 Black Panther main battle tanks"); a
# determiner, preposition or verb among them means the number counts something else
# ("two Baltic states chose the German system").
_NOT_MODIFIER = (
    r"(?!(?:the|a|an|and|or|of|to|for|in|on|at|with|by|from|that|which|who|its|their|"
    r"chose|chosen|picked|selected|said|says|is|are|was|were|has|have|had|will|would|"
    r"covered|covers|included|includes|bought|ordered|signed|received|sold|got|took)\b)"
)
_MOD = rf"(?:{_NOT_MODIFIER}[\w/-]+ ){{0,5}}?"
_UNIT_RE = r"(?P<unit>" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")"

_BOUNDS = (
    rf"(?:between (?P<lo>{_NUM}) and (?P<hi>{_NUM})"
    rf"|(?P<lo2>{_NUM}) ?(?:to|–) ?(?P<hi2>{_NUM})"
    r"|(?P<lo3>\d{1,3}(?:,\d{3})+|\d+)-(?P<hi3>\d{1,3}(?:,\d{3})+|\d+)"
    rf"|(?P<upto>up to|as many as|a maximum of|no more than) (?P<max>{_NUM})"
    rf"|(?P<atleast>at least|more than|over|in excess of|a minimum of) (?P<min>{_NUM})"
    rf"|(?P<approx>about|around|some|nearly|roughly|approximately|almost|close to) (?P<n2>{_NUM})"
    rf"|(?:all )?(?P<n>{_NUM}))"
)
_QUANTITY = compile_lower(
    rf"(?i)(?<![\w/.-])(?P<phrase>{_BOUNDS}"
    r"(?: (?:more|additional|new|further|extra|of (?:its|the|their|his|her|these|those)))?"
    rf" {_MOD}{_UNIT_RE}\b)"
)
_BEFORE_MENTION = compile_lower(
    rf"(?i)(?<![\w/.-])(?P<phrase>{_BOUNDS}"
    r"(?: (?:more|additional|new|further|extra|of (?:its|the|their|his|her|these|those)))?"
    rf"(?: {_NOT_MODIFIER}[\w/-]+){{0,3}} ?)$"
)
_VAGUE = compile_lower(
    r"(?i)\b(?P<phrase>(?:several|many|a few|hundreds|thousands|dozens|scores|an unspecified number"
    r"|an undisclosed number|a number|a batch|a small number|a large number)"
    r"(?: (?:hundred|thousand|dozen))?(?: of)? (?:[\w/-]+ ){0,4}?" + _UNIT_RE + r")\b"
)
_TOTAL = re.compile(
    r"(?i)(?:\b(?:batch|tranche|shipment|instalment|installment|part|portion)s? of "
    r"(?:the |an order (?:for|of) )?"
    rf"(?P<a>{_NUM})\b(?!\.\d)|(?<![\w/.-])(?:(?P<d>{_NUM})|half) of (?:the |its |their )?"
    # "eight of the 36"; not a calibre ("72,400 of the 7.62mm rifles" counts them all)
    rf"(?:(?P<b>{_NUM})\b(?! of)(?!\.\d|\s*mm\b)|(?P<calibre>\d+(?:\.\d+)?\s*mm\b))"
    # "increased its order by 100, bringing the total to 623"
    rf"|\b(?:bringing|taking|raising) (?:the|its|their) (?:total|order|fleet) to (?P<c>{_NUM})\b)"
)
_PARTIAL_BEFORE = re.compile(
    r"(?i)\b(?:first|second|third|another|latest|next|further|final|last|initial)\s+"
    r"(?:(?!of\b)[\w-]+\s+)?$"
)
"""A part of a deal ("its first 38"), not "the first of 32", which is the whole."""
_PARTIAL_AFTER = re.compile(r"(?i)^\s*(?:more|further|additional)\b")
_PARTIAL_PHRASE = re.compile(
    r"(?i)^(?:the |its |their )?(?:first|second|third|next|latest|initial)\s+(?!of\b)\S+\s+of\b"
)
"""A phrase that is itself a part: "the first six of them"."""
_FLEET = re.compile(
    # (an option exercised is a purchase: "has exercised an option for 24 more K9s")
    r"(?i)\b(?:fleet|inventory|total) of\s*$"
    r"|(?<!exercised an )(?<!exercised the )(?<!exercised its )(?<!exercises an )"
    r"(?<!exercising an )\boption (?:for|on) (?:a further |another |up to )?$"
    # "Finland, which operates 96 K9s": what a country has, not what it bought
    r"|\b(?:operates|operated|operating|flies|fields|fielded)\s+(?:some\s+|about\s+)?$"
)


_FLEET_BOUGHT = re.compile(
    r",?\s+(?:(?:that|which)\s+(?:[\w-]+\s+){0,3}?)?(?:ordered|bought|purchased|acquired)\b"
)
"""A fleet that is a purchase: "the army's fleet of about 350 vehicles, ordered in 2009"."""


def parse_number(text: str) -> int | None:
    """Digits with separators, words ("thirty-six", "two dozen") and scales."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    if words == ["the", "dozen"]:
        return 12  # "the dozen FA-50s it received"
    if not words:
        return None
    total = 0.0
    current = 0.0
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word in _WORDS:
            current += _WORDS[word]
        elif word in _SCALE:
            current = (current or 1) * _SCALE[word]
            if _SCALE[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
    value = total + current
    return int(value) if value == int(value) else None


def _bounds(g: dict[str, str | None]) -> tuple[int | None, int | None, str] | None:
    """Bounds and rule from a match of _BOUNDS; None when it is no count."""
    if g["lo"] or g["lo2"] or g["lo3"]:
        low = parse_number(g["lo"] or g["lo2"] or g["lo3"] or "")
        high = parse_number(g["hi"] or g["hi2"] or g["hi3"] or "")
        if low is None or high is None or low > high:
            return None
        return low, high, "quantity:range"
    if g["upto"]:
        return None, parse_number(g["max"] or ""), "quantity:up-to"
    if g["atleast"]:
        return parse_number(g["min"] or ""), None, "quantity:at-least"
    if g["approx"]:
        n = parse_number(g["n2"] or "")
        return n, n, "quantity:approximate"
    word = (g["n"] or "").lower()
    # "a"/"an" and four-digit years are no counts.
    if word in {"a", "an"} or re.fullmatch(r"(?:19|20)\d\d", word):
        return None
    n = parse_number(word)
    return n, n, "quantity:exact"


def _usable(bounds: tuple[int | None, int | None, str] | None) -> bool:
    if bounds is None or (bounds[0] is None and bounds[1] is None):
        return False
    return max(b for b in bounds[:2] if b is not None) <= 1_000_000_000


def quantity_before(text: str, start: int, fleet: bool = False) -> Quantity | None:
    """A count standing right before a system name: "the first six TB2s", "14 Leopard 2A4".

    A fleet's size ("its fleet of 48 F-16s") counts only when `fleet` says the fleet is
    what was bought ("a fleet of 40 F-35As that Seoul bought in 2014")."""
    window = text[max(0, start - 80) : start]
    match = _BEFORE_MENTION.search(lowered(window))
    if match is None:
        return None
    if not fleet and _FLEET.search(
        text[max(0, start - 80 + match.start() - 30) : max(0, start - 80) + match.start()]
    ):
        return None
    bounds = _bounds(match.groupdict())
    if not _usable(bounds) or bounds is None:
        return None
    offset = max(0, start - 80)
    phrase = window[match.start("phrase") : match.end("phrase")].strip()
    return Quantity(
        bounds[0],
        bounds[1],
        phrase,
        None,
        offset + match.start(),
        start,
        bounds[2] + "-before-name",
    )


_OF_WHICH = compile_lower(
    r"^(?:s|['’]s)?,?\s+of which\s+(?:it|they|the [\w-]+|[\w-]+)\s+(?:has\s+|had\s+|have\s+)?"
    rf"(?:bought|ordered|purchased|acquired|received)\s+(?P<phrase>(?P<n>{_NUM}))\b"
    # "the Apache, six of which were delivered", "Rafale jets from France, 24 of which
    # were delivered": the count of what was delivered; "requested KC-46 tankers, four
    # of which were ordered": of what was ordered
    r"|^(?:s|['’]s)?(?:\s+[\w-]+){0,3}?,\s+"
    rf"(?P<phrase2>(?P<n2>{_NUM})) of which\s+(?:were|was|have been|had been)\s+"
    r"(?:delivered|handed over|received|ordered|bought|purchased)\b"
    # "a small fleet of C295 transports, eight of which it bought between 2012 and 2019"
    r"|^(?:s|['’]s)?(?:\s+[\w-]+){0,3}?,\s+"
    rf"(?P<phrase3>(?P<n3>{_NUM})) of which\s+(?:it|they)\s+(?:has\s+|had\s+|have\s+)?"
    r"(?:bought|ordered|purchased|acquired|received)\b"
)


def quantity_after(text: str, end: int) -> Quantity | None:
    """A count right after a system name in "F-16s, of which it bought 32 from Norway" or
    "the Apache, six of which were delivered"."""
    window = text[end : end + 80]
    match = _OF_WHICH.match(lowered(window))
    if match is None:
        return None
    group = next(g for g in ("n", "n2", "n3") if match.group(g))
    phrase = {"n": "phrase", "n2": "phrase2", "n3": "phrase3"}[group]
    n = parse_number(match.group(group))
    if n is None or re.fullmatch(r"(?:19|20)\d\d", match.group(group)):
        return None
    start = end + match.start(phrase)
    return Quantity(
        n,
        n,
        text[start : end + match.end(phrase)],
        None,
        start,
        end + match.end(),
        "quantity:of-which",
    )


_MAY_COUNT = compile_lower(
    r"(?i)\d|\b(?:"
    + trie_regex(
        (
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
            "seventy eighty ninety dozen hundred thousand several many few number batch "
            "scores"
        ).split()
    )
    + ")"
)
_HAS_UNIT = compile_lower(r"(?i)\b(?:" + trie_regex(_UNITS) + r")\b")
_MAY_COST = compile_lower(
    r"(?i)[$€£¥₹₩]|zł|\b(?:"
    + trie_regex(
        (
            "usd eur gbp aud cad jpy inr krw pln chf sek nok dkk czk try ils rs dollar euro "
            "pound sterling zlot yen won rupee crown koruna kronor krona kroner krone franc "
            "lira shekel ruble rouble yuan reais real riyal dirham lei leu forint peso crore "
            "lakh"
        ).split()
    )
    + ")"
)


_QUOTE_MARKS = frozenset('"“”')


def find_quantities(text: str) -> list[Quantity]:
    """Every counted amount in a sentence, with its bounds, phrase and unit noun."""
    if '"' in text or "”" in text:
        # "would order "up to 200 more" vehicles": a quoted count still counts them
        keep = [i for i, ch in enumerate(text) if ch not in _QUOTE_MARKS]
        found = _find_quantities("".join(text[i] for i in keep))
        return [
            q._replace(start=keep[q.start], end=keep[q.end - 1] + 1) if q.end > q.start else q
            for q in found
        ]
    return _find_quantities(text)


def _find_quantities(text: str) -> list[Quantity]:
    low = lowered(text)
    if not _MAY_COUNT.search(low) or not _HAS_UNIT.search(low):
        return []
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _QUANTITY.finditer(low):
        if _FLEET.search(text[max(0, match.start() - 30) : match.start()]) and not (
            _FLEET_BOUGHT.match(low, match.end())
        ):
            continue
        bounds = _bounds(match.groupdict())
        if not _usable(bounds) or bounds is None:
            continue
        found.append(
            Quantity(
                bounds[0],
                bounds[1],
                text[match.start("phrase") : match.end("phrase")],
                match.group("unit"),
                match.start(),
                match.end(),
                bounds[2],
            )
        )
        taken.append((match.start(), match.end()))
    for match in _VAGUE.finditer(low):
        if any(s <= match.start() < e for s, e in taken):
            continue
        found.append(
            Quantity(
                None,
                None,
                text[match.start("phrase") : match.end("phrase")],
                match.group("unit"),
                match.start(),
                match.end(),
                "quantity:vague",
            )
        )
    return sorted(found, key=lambda q: q.start)


_ORDINALS = {
    word: n
    for n, word in enumerate(
        "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split(),
        start=2,
    )
}
_LAST_OF = re.compile(
    r"(?i)\b(?P<n>" + "|".join(_ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th)) and (?:final|last)\b"
)
"""The last unit of a deal by its ordinal: "the fifth and final P-8A" (five in all)."""


def find_totals(text: str) -> list[Quantity]:
    """Totals of a deal stated beside a part of it: "eight of the 36", "first batch of
    108", "the fifth and final"."""
    found = []
    low = lowered(text)
    for match in _LAST_OF.finditer(text) if " and final" in low or " and last" in low else ():
        word = match.group("n").lower()
        last = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        found.append(
            Quantity(last, last, match.group(), None, match.start(), match.end(), "quantity:total")
        )
    # every total is "... of N" or "... to N": most sentences have neither
    for match in _TOTAL.finditer(text) if " of " in low or " to " in low else ():
        raw = match.group("a") or match.group("b") or match.group("c")
        if match.group("calibre"):
            raw = match.group("d")
        n = parse_number(raw) if raw else None
        if n is None or re.fullmatch(r"(?:19|20)\d\d", raw or ""):
            continue
        found.append(
            Quantity(n, n, match.group(), None, match.start(), match.end(), "quantity:total")
        )
    return found


_OF_THEM = compile_lower(
    rf"(?i)(?<![\w/.-])(?P<phrase>(?:the )?(?:first |initial |remaining )?(?P<n>{_NUM}) of "
    r"(?:them|these|those|the total)\b"
    # "the first of three batteries ordered ... was delivered": three in all
    rf"|the (?:first|last) of (?P<total>{_NUM})\b)"
)


_SHARE = re.compile(r"(?i)\b(?:first|initial|remaining)\b")


def quantity_of_them(text: str, start: int = 0, end: int | None = None) -> Quantity | None:
    """A count of a system named earlier in the sentence: "a contract for the first 212
    of them" (the executive share of a framework's total), "the first of three
    batteries ... was delivered" (three in all)."""
    match = _OF_THEM.search(lowered(text), start, len(text) if end is None else end)
    if match is None:
        return None
    raw = match.group("n") or match.group("total")
    n = parse_number(raw)
    if n is None or re.fullmatch(r"(?:19|20)\d\d", raw):
        return None
    share = match.group("n") is not None and _SHARE.search(match.group("phrase")) is not None
    return Quantity(
        n,
        n,
        text[match.start("phrase") : match.end("phrase")],
        None,
        match.start(),
        match.end(),
        # "the first six of them": a share (of a delivery, or an executive contract);
        # "the first of three", "all 12 of them": the whole.
        "quantity:share-of-them" if share else "quantity:total-of-them",
    )


def is_partial(text: str, quantity: Quantity) -> bool:
    """A count of one delivery or batch ("its first 38", "two more"), not of the deal."""
    before = text[max(0, quantity.start - 25) : quantity.start]
    phrase_words = quantity.text.split()
    return (
        bool(_PARTIAL_BEFORE.search(before))
        or bool(len(phrase_words) > 1 and _PARTIAL_AFTER.match(" " + " ".join(phrase_words[1:])))
        or bool(_PARTIAL_PHRASE.match(quantity.text))
    )


def unit_category(unit: str | None) -> str | None:
    """The kind of equipment a unit noun counts (None: any kind)."""
    return _UNITS.get(unit.lower()) if unit else None


_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "sterling": "GBP",
    "zloty": "PLN",
    "zlotys": "PLN",
    "yen": "JPY",
    "won": "KRW",
    "rupees": "INR",
    "crowns": "CZK",
    "koruna": "CZK",
    "kronor": "SEK",
    "krona": "SEK",
    "kroner": "DKK",
    "krone": "DKK",
    "francs": "CHF",
    "lira": "TRY",
    "liras": "TRY",
    "shekels": "ILS",
    "rubles": "RUB",
    "roubles": "RUB",
    "yuan": "CNY",
    "reais": "BRL",
    "real": "BRL",
    "riyals": "SAR",
    "dirhams": "AED",
    "lei": "RON",
    "leu": "RON",
    "forints": "HUF",
    "forint": "HUF",
    "pesos": "ARS",
}
_QUALIFIED = {
    "czech crowns": "CZK",
    "czech koruna": "CZK",
    "swedish kronor": "SEK",
    "swedish crowns": "SEK",
    "danish kroner": "DKK",
    "danish crowns": "DKK",
    "norwegian kroner": "NOK",
    "norwegian crowns": "NOK",
    "swiss francs": "CHF",
    "australian dollars": "AUD",
    "canadian dollars": "CAD",
    "new zealand dollars": "NZD",
    "singapore dollars": "SGD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "hong kong dollars": "HKD",
    "turkish lira": "TRY",
    "indian rupees": "INR",
    "south korean won": "KRW",
    "polish zloty": "PLN",
    "romanian lei": "RON",
    "brazilian reais": "BRL",
}
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "a$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "cad": "CAD",
    "nz$": "NZD",
    "s$": "SGD",
    "¥": "JPY",
    "jpy": "JPY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "₩": "KRW",
    "krw": "KRW",
    "pln": "PLN",
    "chf": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "czk": "CZK",
    "try": "TRY",
    "ils": "ILS",
    "r$": "BRL",
    "zł": "PLN",
}
_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "crore": 10**7,
    "lakh": 10**5,
}
_AMOUNT = r"(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE_RE = (
    r"(?:[ -]?(?P<scale>thousand|million|billion|trillion|crore|lakh|bn|mn|mln|tn|m|b|k)\b)?"
)
_SYMBOL_RE = (
    r"(?<![a-z0-9])(?P<symbol>US\$|A\$|C\$|NZ\$|S\$|R\$|\$|€|£|¥|₹|₩|zł|"
    r"(?:USD|EUR|GBP|AUD|CAD|JPY|INR|KRW|PLN|CHF|SEK|NOK|DKK|CZK|TRY|ILS|Rs\.?)\s?)"
)
_WORD_RE = (
    r"(?P<word>"
    + "|".join(sorted(map(re.escape, [*_QUALIFIED, *_CURRENCY_WORDS]), key=len, reverse=True))
    + r")\b"
)


def _compile_money() -> re.Pattern[str]:
    first = rf"{_SYMBOL_RE}{_AMOUNT}{_SCALE_RE}"
    second = _AMOUNT.replace("amount", "amount2") + _SCALE_RE.replace("scale", "scale2")
    second += r"[ -]?(?:of )?" + _WORD_RE
    return compile_lower(rf"(?:{first}|{second})")


_MONEY = _compile_money()
_KRONER = {"Denmark": "DKK", "Norway": "NOK", "Sweden": "SEK", "Iceland": "ISK"}


def find_money(text: str, countries: tuple[str, ...] = ()) -> list[Money]:
    """Amounts with an ISO 4217 currency; "kroner"/"crowns" follow the countries named."""
    low = lowered(text)
    if not _MAY_COST.search(low):
        return []
    found: list[Money] = []
    for match in _MONEY.finditer(low):
        g = match.groupdict()
        raw_amount = g["amount"] or g["amount2"]
        scale = (g["scale"] or g["scale2"] or "").lower()
        if g["symbol"]:
            currency = _SYMBOLS.get(g["symbol"].strip().lower())
            if scale == "" and g["symbol"].strip().lower() in {"rs", "rs.", "₹"}:
                tail = low[match.end() : match.end() + 8]
                scale = "crore" if "crore" in tail else "lakh" if "lakh" in tail else ""
        else:
            word = g["word"].lower()
            currency = _QUALIFIED.get(word) or _CURRENCY_WORDS.get(word)
            if word in {"kroner", "krone", "crowns"}:
                currency = next((_KRONER[c] for c in countries if c in _KRONER), currency)
        if currency is None:
            continue
        if g["symbol"] and not scale and re.fullmatch(r"(?:19|20)\d\d", raw_amount):
            continue
        amount = float(raw_amount.replace(",", "")) * _SCALES.get(scale, 1)
        start, end = match.span()
        found.append(Money(round(amount), currency, text[start:end], start, end))
    return found
