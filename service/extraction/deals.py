"""Stage 5b: sentence facts -> events -> deals (one per buyer and system).

Each sentence with a status cue yields an event per system it names
(anchored), or one event for "the drones" / "the contract" it refers to
(generic), which joins the deal the article is talking about. Sentences
without a cue can still add a quantity, value or maker to a deal they name or
refer to. Events of the same buyer and system merge into one deal: the most
advanced status wins (cancelled above all), the quantity and value come from the
most advanced stage that states them. A letter of intent or an approval that
names no system lifts the deals of its article to that stage.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .casing import compile_lower, lowered
from .cues import distractor, find_cues, strongest, trained_on
from .gazetteer import Gazetteer, with_systems
from .numbers import (
    find_money,
    find_quantities,
    find_totals,
    is_partial,
    parse_number,
    quantity_after,
    quantity_before,
    quantity_of_them,
    unit_category,
)
from .parties import (
    LIST_SEPARATOR,
    buyer_shares,
    find_buyer,
    find_seller,
    joint_buyers,
    joint_partners,
    listed_subjects,
    passive_buyers,
    purchasing_subject,
)
from .text import (
    article_mentions,
    find_mentions,
    noun_category,
    unknown_mentions,
    unknown_systems,
)
from .trie import trie_regex
from .types import Cue, Event, Mention, Money, Quantity, Sentence, status_rank

_DEAL_WORDS = (
    r"deal|contract|agreement|order|purchase|acquisition|sale|sales|shipment|batch|package|"
    r"approval|notification|decision|letter|transaction|procurement|programme|program"
)
_ANAPHOR_DEAL = re.compile(
    rf"(?i)\b(?:the|this|that|these|those|its|their|a|an)\s+(?:[\w$€£.,-]+\s+){{0,4}}?(?:{_DEAL_WORDS})\b"
)
_ANAPHOR_UNIT = re.compile(
    r"(?i)\b(?:the|these|those|its|their|all|every|first|final|last)\s+(?:[\w-]+\s+){0,3}?"
    r"(aircraft|jets|fighters|helicopters|helicopter|tanks|vehicles|drones|drone|missiles|"
    r"launchers|systems|batteries|howitzers|frigates|ships|vessels|submarines|rifles|shells|radars|"
    r"weapons|boats|air vehicles|units)\b"
)
_DEMONSTRATIVE = re.compile(
    r"(?i)\b(?:those|these)\s+(?:[\w-]+\s+)?(aircraft|jets|fighters|helicopters|tanks|vehicles|"
    r"drones|missiles|launchers|systems|batteries|howitzers|guns|frigates|ships|vessels|"
    r"submarines|rifles|radars|boats|trainers)\b"
)
"""Equipment the sentence before named: "Vietnam bought 36 of those fighters"."""
_DETERMINER = r"(?:the\s+|its\s+|their\s+)?"
_NOT_OBJECT = re.compile(
    r"(?i)(?:version|variant|derivative|successor|upgrade|development) (?:of|to)\s+"
    + _DETERMINER
    + r"(?:[\w'-]+\s+){0,3}$"
    # "citing long waiting times for additional US HIMARS systems": a reason, not a buy
    r"|\b(?:waiting times?|waits?|delays?|shortages?|backlogs?) (?:for|of|in|to)\s+"
    + _DETERMINER
    + r"(?:[\w'-]+\s+){0,3}$"
    r"|\b(?:replace|replaces|replacing|replaced|succeed|succeeds|take over from|"
    r"(?<!took )(?<!taken )(?<!takes )(?<!taking )(?<!handed )(?<!hands )(?<!handing )over|"
    r"(?<!more )(?<!less )(?<!fewer )than|beat|"
    r"beats|instead of|rather than|like|such as|replacement for|replacements for|"
    r"fill|fills|filling|plug|plugs|close|closes|closing)\s+"
    + _DETERMINER
    # "replace the air force's ageing F-16s"
    + r"(?:[\w'-]+\s+){0,3}$"
    # "will replace the last of the army's Marder vehicles"
    r"|\breplac(?:e|es|ed|ing)\s+(?:the\s+)?(?:last|rest|remainder|remaining)\s+(?:of\s+)?"
    r"(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+){0,3}$"
    # "has upgraded 83 of its F-16s": work on a fleet it has, not a purchase
    # ("Mitsubishi Heavy Industries' upgraded Mogami-class frigate" is a new version)
    r"|(?<!['’] )(?<!\bthe )(?<!\ban )(?<!\ba )"
    r"\b(?:upgrad|moderni[sz]|refurbish|overhaul|retrofitt?)(?:e|es|ed|ing|s)?\s+"
    r"(?:[\w'-]+\s+){0,3}$"
    r"|\b(?<!letter of )(?:offer|offers|offered|bid|bids|proposal|rival|rivals|competitor|"
    r"competitors|"
    r"rejecting|rejected|declining|declined|turning down|turned down)\b,?(?:\s+[\w'-]+){0,5}\s+$"
    # "chosen over the Finnish Patria vehicle and the Spanish-Austrian ASCOD": every rival
    # of the list; "compared the Rafale M with Boeing's F/A-18": the one it was compared with
    r"|(?:\b(?<!took )(?<!taken )(?<!takes )(?<!taking )(?<!handed )(?<!hands )over|\bahead of|"
    r"\binstead of|"
    r"\bsuch as|\blike|\breplac(?:e|es|ing|ed))\s+"
    # "replace the air force's 50-year-old F-5 and C-101 trainers"
    r"(?:the|a|an|its|their)\s+(?!(?:next|coming|past|last|first)\b)"
    r"(?:[\w'-]+\s+){0,4}(?:and|or)\s+" + _DETERMINER + r"(?:[\w'-]+\s+){0,2}$"
    r"|\bcompar(?:ed|ing|es)\b[^.;]{0,60}\b(?:with|against)\s+(?:[\w'-]+\s+){0,2}$"
    # "chosen over India's Tejas, the Chinese-Pakistani JF-17 and Turkey's Hurjet": a
    # list of rivals without a verb of its own
    # ("picked the German system over Israel's David's Sling and Norway's NASAMS")
    r"|\b(?:chosen|chose|selected|picked|preferred|favou?red)\s+(?:the\s+[\w-]+\s+[\w-]+\s+)?over\s+"
    r"(?:(?![\w-]+ed\b)[\w'’/-]+,?\s+){0,10}$"
    # "intends to fit the missiles to its Hobart-class destroyers and, later, to its
    # Virginia-class submarines": the platforms a weapon goes on
    r"|\b(?:fit|fits|fitted|fitting|install|installs|installed|integrate|integrated|mount|"
    r"mounted)\b[^.;]{0,80}\b(?:to|on|onto|into|aboard)\s+(?:its|their|the)\s+"
    r"(?:[\w'-]+\s+){0,3}$"
    # "The J-10C is armed with the PL-15": what a platform carries
    r"|\b(?:armed|equipped|fitted) with\s+(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+){0,2}$"
    # "ending a contest with Germany's Rheinmetall and its Lynx": the loser ("won the
    # competition with its Lynx" is the winner's)
    r"|(?<!won )(?<!wins )(?<!winning )(?<!won the )(?<!wins the )(?<!winning the )"
    r"\b(?:contest|competition)\s+(?:with|against)\s+[^.;]{0,60}$"
    # "relying on its ageing F-16s": what the buyer has, not what it buys
    r"|\b(?:rel(?:y|ies|ying|ied) on|depend(?:s|ing|ed)? on)\s+(?:its|their|the)\s+"
    r"(?:(?!(?:has|have|had|is|are|was|were|will|would|until|before|after|while|but|"
    r"[\w-]+ed)\b)[\w'/-]+,?\s+){0,6}$"
)
_NOT_OBJECT_WORDS = re.compile(
    r"(?i)\b(?:"
    + trie_regex(
        (
            "version variant derivative successor upgrad development replac succeed over than "
            "beat instead like such fill plug close moderni refurbish retrofit offer bid "
            "proposal rival competitor reject declin turn ahead compar rely relie relied depend "
            "armed equipped fit install integrat mount contest competition wait delay shortage "
            "backlog"
        ).split()
    )
    + ")"
)
"""A word one of which every _NOT_OBJECT phrase holds: most text has none, and this
one-pass check spares the costlier pattern."""


def _not_object(before: str) -> bool:
    """The words before a system make it something other than what is bought."""
    return _NOT_OBJECT_WORDS.search(before) is not None and _NOT_OBJECT.search(before) is not None


_CARRIES = re.compile(r"carrying|transporting|ferrying")
_CARRIER_AFTER = re.compile(
    r"(?i)[^.;,]{0,80}?\b(?:carrying|transporting|ferrying)\s+(?:the|a|an|its|their)\b"
)
_ON_CARRIER = re.compile(r"(?i)\b(?:on|onto|atop)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$")
_VEHICLE_AFTER = re.compile(
    r"(?i)(?:\s+[\w-]+){0,2}?\s+(?:vehicles?|chassis|trucks?|hulls?|platforms?|carriers?)\b"
)


def _carrier(text: str, mention: Mention) -> bool:
    """Whether the system is what carries another ("on Pandur vehicles")."""
    return (
        _ON_CARRIER.search(text, max(0, mention.start - 40), mention.start) is not None
        and _VEHICLE_AFTER.match(text, mention.end) is not None
    )


_FLEET_AFTER = re.compile(r"(?i)^[\w/-]*\s+(?:fleet|inventory)\b")
_DECADE = re.compile(r"(?i)\b(?:in|during|since) the (?:(?:early|mid|late)[ -])?(?:19|20)\d0s\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_COUNT = r"\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
"""A count in digits or a small number word, as the clause patterns below read it."""
_BOUGHT = r"(?:ordered|bought|purchased|acquired)"
"""The past tense of a purchase, as the clause patterns below read it."""
_PLANS = r"(?:plans|intends|wants|hopes|aims|expects|is planning|are planning)"
_AND_THEN = re.compile(r"(?i),?\s+and\s+")
_ELLIPTIC = re.compile(
    rf"(?i)\b(?:{_BOUGHT}|signed for|(?:agreed|decided|plans?|intends?)\s+(?:[\w-]+\s+){{0,2}}?"
    r"to\s+(?:buy|order|acquire|purchase))\s+"
    rf"(?P<n>{_COUNT})(?=\s*[,.;]|\s+(?:in|between|last|this|earlier|at|under|so|through|"
    r"during|before|after|of them|among them|from|for)\b)"
    # "Germany, the launch customer, has 19 on order"
    rf"|\b(?:has|have|had)\s+(?:(?:already|also|now)\s+)?(?P<held>{_COUNT})\s+on\s+order\b"
)
"""A purchase whose equipment is the one just named: "Hungary ordered two in 2020", "The
Netherlands and Austria agreed last year to buy nine between them"."""
_ELLIPTIC_SUBJECT_GAP = re.compile(
    r"(?i)(?:,\s+(?:the|a|an|its)\s+[^,.;]{1,40},)?\s+(?:[a-z]+\s+){0,3}"
)
"""Between a subject and its verb: adverbs, or an apposition (", the launch customer,")."""
_SHARE_BEFORE = re.compile(rf"(?i)(?<![\w.,-])(?P<n>{_COUNT})\s+$")
_SUBJECT_OPENING = re.compile(r"(?i)[\s,;]*(?:and\s+|but\s+|while\s+)?(?:the\s+)?")
_TYPE_ANAPHOR = re.compile(
    r"(?i)[^,.;]{0,50}?\b(?:the|that) (?:same )?(?:type|model|design|jet|aircraft|fighter|"
    r"helicopter|drone|tank|howitzer|gun|frigate|submarine|system)\b"
)
"""The equipment just named, as the object of the clause's cue: "signed a letter of intent
in June to explore acquiring the type"."""
_LATER = r"(?:(?:later|then|subsequently|also|in \d{4})\s+)*"
"""Adverbs a later clause may open on before its purchase ("and later added 12 more")."""
_FURTHER = re.compile(
    rf"(?i){_LATER}(?:(?:is|are|will)\s+(?:to\s+|also\s+)?(?:buy|order|acquire|get)\s+)?"
    r"(?:a\s+(?:further|additional)|another(?:\s+(?:further|additional))?)\s+"
    rf"(?P<n>{_COUNT})\b"
)
"""A later clause's further purchase: "ordered 24 Rafale jets in 2015, and a further 30
in 2021"."""
_ADDED_MORE = re.compile(
    rf"(?i){_LATER}(?:{_PLANS}\s+to\s+(?:order|buy|acquire|purchase)|added|ordered|bought|"
    r"followed(?:\s+(?:it|this|that))?(?:\s+up)?\s+with)"
    rf"\s+(?P<n>{_COUNT})\s+more\b"
)
"""A later clause's purchase of more: "ordered 523 Boxers in 2019, and added 100 more"."""
_NEW_BATCH_BEFORE = re.compile(
    r"(?i)\b(?:a|an)\s+(?:new|second|third|fresh|follow-on)\s+(?:batch|tranche|lot)\s+of\s+$"
)
"""A later purchase of a system named: "It later ordered a new batch of CAESAR Mk II guns"."""
_MORE_PASSIVE = re.compile(
    rf"(?i)[\s,;]*(?:and\s+)?(?P<n>{_COUNT})\s+more\s+(?:were|was|have been|had been)\s+"
    r"(?:ordered|bought|added|purchased)\b"
)
"""A later clause's further purchase in the passive: "; four more were ordered in 2022"."""
_NEXT_BATCH = re.compile(
    rf"(?i){_LATER}(?:(?:it|they|the\s+[a-z]+)\s+)?(?:{_LATER})(?:ordered|bought|signed\s+for|added|placed)\s+"
    r"(?:a|an)\s+(?:second|third|fourth|new|follow-on|further|additional)\s+"
    rf"(?:batch|tranche|order|lot)\s+(?:of|for)\s+(?P<n>{_COUNT})\b"
)
"""A later clause's next batch: "signed for eight in 2019, and in 2022 it ordered a second
batch of eight" (another contract, even of the same count)."""
_MORE_FROM = re.compile(
    rf"(?i)(?P<n>{_COUNT})\s+(?:more\b[^.;,]{{0,40}}?|(?:[\w-]+\s+){{0,2}}?)\bfrom\b"
)
"""A later clause's purchase of more of the system from another seller."""
_ONE_BEFORE = re.compile(r"(?i)\b(?P<n>a|an|one|a single)\s+(?:[\w-]+\s+)?$")
_VESSEL_AFTER = re.compile(
    r"(?i)\s+(?:[\w-]+\s+)?(?:frigate|corvette|destroyer|submarine|ship|vessel|carrier|"
    r"tanker|boat|warship)\b(?!s)"
    # "a French-built FREMM, the Tahya Misr, which it bought": the ship itself
    r"|,|\s+(?:which|that)\b"
)
"""Read with `match` at the end of the name (no "^": it would not anchor there)."""


def _one_vessel(body: str, mention: Mention) -> Quantity | None:
    """ "a FREMM frigate sold from the French Navy's own fleet": one ship (ships are
    counted one by one; "a" before other systems is not a count)."""
    found = _ONE_BEFORE.search(body, max(0, mention.start - 40), mention.start)
    last_word = " " + mention.text.split()[-1]  # "FREMM frigate" as the gazetteer spells it
    if found is None or not (
        _VESSEL_AFTER.match(body, mention.end) or _VESSEL_AFTER.match(last_word)
    ):
        return None
    return Quantity(1, 1, found.group("n"), None, found.start(), mention.end, "quantity:exact")


_EARLIER_DEAL = re.compile(
    r"(?i)\b(?:a|the|an) (?:first|earlier|previous|prior|initial) (?:executive )?"
    r"(?:contract|order)\b"
)
"""A contract before the one reported: "A first executive contract for 180 tanks"."""
_N_MORE = re.compile(
    rf"(?i)\b(?P<n>{_COUNT})\s+"
    r"(?:more|additional|further)\b"
)


def _count_of(found: re.Match[str] | None, phrase: int | str = "n") -> Quantity | None:
    """The exact count a clause pattern's `n` group reads ("10 more", "a further 30"),
    written as its `phrase` group says."""
    n = parse_number(found.group("n")) if found else None
    if found is None or n is None:
        return None
    start, end = found.span(phrase)
    return Quantity(n, n, found.group(phrase), None, start, end, "quantity:exact")


_FIRST_BATCH = re.compile(
    rf"(?i)\bthe\s+(?:first|initial)\s+(?P<n>{_COUNT}),?\s+{_BOUGHT}\s+in\s+(?:19|20)\d\d\b"
)
"""An earlier batch a later clause dates: "the first four, ordered in 2018, were delivered"."""
_WERE_DELIVERED = re.compile(
    r"(?i)\b(?:were|have been|had been) (?:all )?(?:delivered|handed over)\b"
)
_BOUGHT_AFTER = re.compile(rf"(?i),?\s+{_BOUGHT}\b")
_ALL_N = re.compile(
    rf"(?i)[\s,;]*(?:and\s+)?\ball\s+(?P<n>{_COUNT})\s+(?:of them\s+)?(?:were|have|had|are)\b"
)
_FIRST_OPENING = re.compile(r"(?i)[\s,;]*(?:and\s+)?the\s+(?:first|initial)\s+(?!of\b)")
_BARE_PART = re.compile(rf"(?i)[\s,;]*(?:{_COUNT})\s+(?:of them\s+)?(?:have|has|were|was|are|is)\b")
_FLEET_OF = re.compile(r"(?i)\bfleet of\s+(?:about\s+|some\s+|around\s+|nearly\s+)?$")
_NOUN_AFTER = re.compile(r"(?:\s+[a-z-]+){1,3}")
"""The noun a demonym qualifies: "Chinese combat drones"."""
_PHASE_OF = re.compile(
    r"(?i)\b(?:first|initial|second)\s+(?:phase|batch|tranche|stage|part)\s+of\s+(?:the\s+|its\s+|"
    r"their\s+|the\s+country['’]s\s+)?(?:[$€£\w.,-]+\s+){0,3}?(?:purchase|order|contract|deal)\s+"
    r"(?:of|for)\s+(?:[\w,-]+\s+){0,2}$"
)
"""A count that is a phase of the one that follows: "the first phase of the country's $3
billion purchase of 48 FA-50 jets"."""
_BOTH = re.compile(r"(?i)\b(?:of|for) both\b|\bboth (?:of them|have|were|are)\b")
_DOCUMENTED = frozenset({"intent", "approved", "contracted"})
_CLAUSE_OPENING = re.compile(r"(?i)[\s,;]*(?:and\s+|while\s+|but\s+)?")
"""The joint words a clause starts with, before its subject."""
_PARTITIVE = re.compile(r"(?i)\S+\s+of\s+(?:the|them|these|those|its|their)\b")
"""A count of equipment already named, or a part of it: "16 of the jets", "four of the
boats"."""
_BOUGHT_BEFORE = re.compile(rf"(?i)\b(?:{_BOUGHT}|procured|signed for|orders? for)\s+$")
_REVISION_WORDS = re.compile(r"(?i)\b(?:rather|instead|from)\b")
_REVISED = re.compile(
    rf"(?i)\b(?:rather than|instead of|(?:down|cut|reduced|lowered|trimmed) from)\s+"
    rf"(?:the\s+|its\s+)?(?P<n>{_COUNT})\b"
)
"""A count a deal no longer has: "three rather than the five it ordered"."""
_NEGOTIATED_WORDS = re.compile(r"(?i)negotiat|yet to be|not yet")
_STILL_NEGOTIATED = re.compile(
    r"(?i)\b(?:is|are) (?:still )?(?:being negotiated|under negotiation)\b"
    r"|\byet to be (?:signed|finali[sz]ed|agreed)\b|\bnot yet (?:been )?signed\b"
)
"""A purchase not concluded, in a clause of its own that names the system."""
_CUT_TO = re.compile(
    r"(?i)\b(?:cut|cuts|reduce|reduced|reduces|lower|lowers|lowered|trim|trims|trimmed|"
    r"scale back|scales back|scaled back|raise|raises|raised|increase|increases|increased)\s+"
    r"(?:the|its|their|that)\s+(?:order|purchase|buy|contract|requirement)"
    # "reduce its order for Hunter-class frigates from nine to six ships"
    r"(?:\s+for\s+[^,.;]{1,60}?)?"
    rf"\s+(?:from\s+(?:{_COUNT})\s+)?to\s+(?:only\s+|just\s+)?(?P<n>{_COUNT})\b"
)
"""A later count of the same order: "in 2022 it cut the order to three"."""
_CUT_WORDS = re.compile(r"(?i)\b(?:cut|reduc|lower|trim|scale|raise|increase)")
_OWN_COUNT = re.compile(r"(?i)\b(?:its|their)\s+(?:own\s+)?(?:first\s+|initial\s+)?$")
"""A count the subject owns: "its first 12 K9s"."""
_FIRST_OF_N = re.compile(
    rf"(?i)\bthe\s+(?:first|last|second|third|fourth)\s+(?:\w+\s+)?of\s+(?:the\s+)?(?P<n>{_COUNT})\b"
    r"(?!\s+of\b)"
)
"""A total after the system: "received its first two UH-60Ms, the first of four ordered"."""
_BOUGHT_FLEET = re.compile(
    r"(?i)\w*(?:\s+[a-z]+){0,2}?,?\s+(?:(?:that|which)\s+(?:[\w-]+\s+){0,3}?)?"
    rf"(?:{_BOUGHT}|(?:all\s+)?(?:delivered|received))\b"
)
"""A fleet that is a purchase: "a fleet of 40 F-35As that Seoul bought in 2014", "flies a
dozen FA-50s bought in 2014", "operates 36 Rafale jets, acquired under a 2016 contract"."""
_BUYING_N = re.compile(
    r"(?i),\s+(?:ordering|buying|purchasing|acquiring|signing for)\s+"
    rf"(?P<n>{_COUNT})(?=\s+(?:in|last|this|earlier|at)\b|\s*[,.;]|$)"
)
"""A count after the system's own clause: "the KC-390 transport, ordering five in 2019"."""
_BUY_N_OF_THEM = re.compile(
    r"(?i)\b(?:buy|buys|buying|order|orders|ordering|acquire|acquires|acquiring|purchase|"
    rf"purchases|purchasing|procure|procures|procuring|make|build|produce|deliver|supply)\s+"
    rf"(?:about\s+|around\s+|some\s+)?(?P<n>{_COUNT})\s+of\s+(?:them|these)\b"
)
"""A count the system's own clause gives later: "chosen the Redback ... and will buy
129 of them", "AK-203 rifles from a joint venture that is to make about 600,000 of them"."""


_WHICH_WERE = re.compile(
    r",\s+(?:which|that|all of which|most of which)\s+(?:were|was|have been|has been|had been)\s+"
    r"[^.;,]{0,60}"
)


def _continued(body: str, span: tuple[int, int]) -> tuple[int, int]:
    """A relative clause's span with the clause that goes on about the same units ("boats
    it bought from Daewoo, which were delivered between 2017 and 2021")."""
    more = _WHICH_WERE.match(body, span[1])
    return (span[0], more.end()) if more is not None else span


def _count_more(body: str, low: int, high: int) -> Quantity | None:
    """ "and Saudi Arabia signed for 10 more": a count of its own in a later clause."""
    return _count_of(_N_MORE.search(body, low, high), 0)


_BARE_COUNT = re.compile(
    rf"(?i)\s+(?P<n>{_COUNT})\b(?!\s*(?:%|per\s*cent|years?|months?|weeks?|days?|billion|million|"
    r"thousand|bn|m)\b)"
)
"""A count right after a purchase cue: "and Denmark signed for 16 on Piranha V vehicles"."""


_SINCE_YEAR = re.compile(
    r"\bsince\s+(?!(?:19|20)\d\d)[^,;.]{1,60}?\b(?:19|20)\d\d\b"
    # "to replace the Alpha Jets, which were retired in 2018"
    r"|\b(?:retired|withdrawn|decommissioned|phased out|grounded|founded)\b[^,;.]{0,30}?"
    r"\b(?:19|20)\d\d\b"
    # "has ordered 45 Eurofighters in two batches since 2022": orders after that year
    r"|\b(?:ordered|bought|signed|acquired|purchased)\b[^,;.]{0,50}?\bsince\s+(?:19|20)\d\d\b"
)
_SINCE_WORDS = re.compile(r"since|retired|withdrawn|decommissioned|phased out|grounded|founded")
"""A year a "since" phrase dates something else by ("since the two countries
normalised relations in 2020"; not "has flown them since 2011")."""
_PART_OF = re.compile(r"(?i)(?!half\b)[\w,]+ of (?:the |its |their )?\d")
"""A part of a stated total: "six of the 24" (not "the fifth and last")."""
_COUNTRY_SELLER = frozenset({"seller:from", "seller:contract-with"})


def _other_country_seller(deal: Deal, event: Event) -> bool:
    """The event names a selling country, and the deal's stages name another."""
    if event.seller is None or event.seller_rule not in _COUNTRY_SELLER or not event.anchored:
        return False
    return any(
        e.seller is not None and e.seller != event.seller and e.seller_rule in _COUNTRY_SELLER
        for e in deal.events
    )


def _another_seller(event: Event, deal: Deal, g: Gazetteer) -> bool:
    """Whether a sentence naming no system buys from a seller it names that is neither
    the deal's known seller nor its maker's country (`_other_country_seller` above asks
    the same of a sentence that names the system)."""
    if event.seller is None or event.seller_rule not in _COUNTRY_SELLER:
        return False
    maker = g.systems[deal.system].maker
    sellers = {e.seller for e in deal.events if e.seller}
    if maker is not None and maker in g.companies:
        sellers.add(g.companies[maker].country)
    return bool(sellers) and event.seller not in sellers


_ON_ORDER = re.compile(
    r"(?i)\b(?:on order|order book|yet to (?:be delivered|arrive)|awaiting|waiting for|"
    r"deliver(?:y|ies) (?:\w+ )?(?:planned|expected|scheduled|due|delayed)|delay(?:ed|s)?|"
    r"will (?:arrive|be delivered|cost|hand over|deliver|ship|supply|transfer)|(?:is|are) due|"
    r"held up|slipped|slipping|behind schedule|"
    r"running late|postponed|pushed back|"
    r"(?:is|are) (?:still |also |now |currently )?(?:building|constructing|assembling|producing)|"
    # "the remaining 172 are being assembled in Hungary"
    r"(?:is|are) (?:still )?being (?:built|assembled|produced|manufactured|made))\b"
)
"""A purchase not delivered yet, however old: "ordered in 2022, with deliveries
planned between 2027 and 2028"."""
_NOT_ARRIVED = re.compile(
    r"(?i)\b(?:not one|none|neither) of (?:those|these|them|the|which)\b|"
    r"\b(?:they|those|these)\b[^.;]{0,40}\b(?:yet to|not yet|still not)\b|"
    # "The first Griffons are due next year."
    r"\bfirst\b[^.;]{0,40}\b(?:is|are) (?:now |still )?(?:due|expected|scheduled) "
    r"(?:to (?:arrive|enter service|be delivered) )?"
    r"(?:next year|later|in (?:19|20)\d\d|by (?:19|20)\d\d)\b|"
    # "Deliveries are due to start in 2027."
    r"\bdeliveries (?:are|were) (?:now |still )?(?:due|expected|scheduled|planned|set) to "
    r"(?:start|begin)\b|"
    # "The rest of the first batch is due by the end of next year."
    r"\b(?:the rest|the remainder|the remaining)\b[^.;]{0,40}\b(?:is|are) (?:now |still )?"
    r"(?:due|expected|scheduled)\b"
)
"""A purchase reported as not delivered: "Not one of those jets has yet reached"."""
_DELAYED = re.compile(
    r"(?i)\b(?:pushed (?:\w+ ){0,2}back|originally (?:due|planned|scheduled|expected)|"
    r"delay(?:ed|s)|behind schedule|slipped|postponed)\b"
)
"""A purchase reported as late: "The first aircraft was originally due in 2023"."""
_FLIES_BEFORE = re.compile(
    r"(?i)\b(?:flies|fly|operates|operate|fields)\s+(?:some\s+|about\s+|around\s+)?"
    rf"(?:{_COUNT}|[a-z]+ty)\s+"
    r"(?:[\w'-]+\s+){0,2}$"
)
"""A purchase the buyer flies: "The Philippine Air Force flies 12 FA-50PH light fighters
bought from South Korea" (in service, so delivered)."""
_IN_SERVICE = re.compile(
    r"(?i)\b(?:in service|already (?:flies|fly|operates|operate|fields|uses|has)|now in service|"
    r"have been in service|has been in service|entered service)\b"
)
_COMPANY_SUBJECT = re.compile(r"^(?:The\s+)?$")
_BUILDS_AFTER = re.compile(
    r"(?i)\s+(?:is|are|was|were|has been|have been)?\s*(?:already\s+|now\s+|also\s+|currently\s+)?"
    r"(?:building|builds|constructing|producing|assembling)\b"
)
_COMPANY_ANAPHOR = re.compile(
    r"(?i)the\s+(?:shipbuilder|shipyard|company|manufacturer|firm|group|contractor|maker)\b"
)
_PRONOUN_SUBJECT = re.compile(r"(?:It|They)\s")
_GENERIC_SUBJECT = re.compile(
    r"(?i)^(?:the\s+)?(?:government|ministry|defen[cs]e ministry|army|navy|air force|military|"
    r"armed forces|cabinet|it|they|officials|country|nation|fleet|"
    r"(?:department|ministry) of (?:national\s+)?defen[cs]e|defen[cs]e department)\b"
)
_FMS = re.compile(
    r"(?i)foreign military sales?|\bDSCA\b|Defense Security Cooperation Agency|State Department|"
    r"Department of State"
)
_LINKED_COMPANY = re.compile(r"(?i)\b(?:from|with|by|to|and)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$")

_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:after|before|while|but|although|though|whereas|when|since|as)\b|\s+(?:after|before|but|whereas)\s+"
    # ", arguing that the money was better spent on the KAAN": the speaker's reasons
    r"|,\s+(?=(?:arguing|saying|adding|noting|explaining|insisting|claiming)\s+that\b)"
    # ", and is upgrading its F-16s", ", and later with the F-35": a verb or adverb after
    # ", and" starts a clause of its own.
    r"|,\s+and\s+(?=(?:is|are|was|were|has|have|had|will|would|later|then|now|also|it|they|"
    r"last|this|next|earlier|since|in\s+(?:19|20)\d\d)\b)"
    # "is receiving HIMARS and will start taking delivery of Chunmoo launchers": a
    # stage of its own
    r"|\s+and\s+(?=will\s+(?:start|begin)\s+(?:taking delivery|receiving|to receive)\b)"
    # "had signed for 22 Skyranger systems and would order 46 Leopard 2A8 tanks": a plan
    # ("and will buy 129 of them" goes on with the equipment just named)
    r"|\s+and\s+(?=(?:would|will)\s+(?:also\s+)?(?:order|buy|acquire|purchase|sign)\b"
    r"(?![^.;,]{0,24}\bof\s+(?:them|these|those)\b))"
    # "12 used Typhoons from Qatar and 12 from Oman": another seller's batch
    rf"|\s+and\s+(?=(?:{_COUNT})\s+(?:more\s+)?from\s)"
    # "..., and a further 30 in 2021": another purchase
    r"|,\s+and\s+(?=(?:a|another)\s+(?:further|additional)\s+\d)"
    # "Germany, which ordered 38 Eurofighters in 2020, plans to order 20 more": the main
    # clause after the buyer's relative one
    rf"|,\s+(?={_PLANS}\s+to\s+(?:order|buy|acquire|purchase)\s+(?:{_COUNT})\s+more\b)"
    # "..., and the agency has ordered a light armed helicopter": a subject of its own
    r"|,\s+and\s+(?=(?:the|its)\s+[a-z]+\s+(?:has|have|had)\s+(?:also\s+)?(?:[a-z]+ed|bought|sold)\b)"
    # "ordered six CAESAR howitzers from France last year and bought 12 second-hand Rafale
    # jets": another purchase with a count of its own
    rf"|\s+and\s+(?=(?:also\s+)?(?:bought|ordered|purchased|acquired|signed\s+for)\s+(?:{_COUNT})\s)"
    # "ordered eight of the jets in 2019 and added a second batch of eight in 2022"
    r"|\s+and\s+(?=(?:later\s+|then\s+)?(?:added|ordered|bought|signed\s+for|placed)\s+(?:a|an)\s+"
    r"(?:second|third|new|further|follow-on|additional)\s+(?:batch|tranche|order|lot)\b)"
    # "ordered eight P-8Is in 2009, ..., and followed up with four more": another purchase
    rf"|,?\s+and\s+(?=(?:later\s+|then\s+)?(?:added|followed|ordered|bought)\b[^.;,]{{0,20}}?"
    rf"\b(?:{_COUNT})\s+more\b)"
    # "bought 17 F-16s from Portugal, and 32 more from Norway": another purchase
    r"|,\s+and\s+(?=(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+more\b)"
    # ", and the first of 32 F-16s arrived": a new subject after ", and"
    r"|,\s+and\s+(?=the\s+(?:first|last|rest|remaining|final)\b)"
    # "already operates Patriot batteries, and Washington cleared NASAMS": a named
    # subject and its own verb
    r"|,\s+and\s+(?=(?:the\s+)?(?:[A-Z][\w-]+\s+){1,3}"
    # ", and Germany and the Netherlands have donated launchers"
    r"(?:and\s+(?:the\s+)?(?:[A-Z][\w-]+\s+){1,3})?(?:has\s+|have\s+|had\s+)?(?:also\s+)?"
    r"(?:[a-z]+ed|sold|bought|signed)\b)"
    # "after the UAE ordered 10 batteries in 2022 and Saudi Arabia signed for 10 more"
    r"|\s+and\s+(?<=\d and )(?=(?:the\s+)?(?:[A-Z][\w-]+\s+){1,3}(?:has\s+|have\s+|had\s+)?"
    r"(?:also\s+)?(?:signed|ordered|bought|purchased|acquired)\b)"
    # "..., and Sweden, South Korea and the Czech Republic have also ordered it"
    r"|,\s+and\s+(?=[A-Z][^.;]{0,60}?\b(?:has|have|had)\s+(?:also\s+|already\s+)?"
    r"(?:ordered|bought|signed|selected|chosen|purchased|acquired)\b)"
    # "ordered 12 Rafale jets, the last of which arrived, and bought Bradley vehicles"
    r"|,\s+and\s+(?=(?:bought|ordered|signed|purchased|acquired|received|cancelled|leased|added)\s)"
    # "agreed to buy four more Gripen jets, and extended the lease of the fleet": a
    # past-tense verb and its object after ", and" is a clause of the same subject
    r"|,\s+and\s+(?=[a-z]+ed\s+(?:the|a|an|its|their)\s)"
    # "received the first 38 of 108 Abrams, and the navy is waiting for Harpoons"
    r"|,\s+and\s+(?=the\s+(?:navy|army|air force|government|ministry|cabinet|parliament)\s)"
    # "bought NASAMS earlier and has not joined the IRIS-T project": a negated verb
    # after "and" is a clause of its own, comma or not.
    r"|\s+and\s+(?=(?:is|are|was|were|has|have|had|does|do|did)\s+(?:not|never)\b)"
    # "plans to buy 300 ATAGS howitzers and is testing guns offered by Indian firms"
    r"|\s+and\s+(?=(?:is|are)\s+(?:now\s+|also\s+|still\s+)?(?:[a-z]+ing|in\s+talks|"
    r"in\s+negotiations|in\s+discussions)\b)"
    # "is buying more Patriot systems and has already handed IRIS-T launchers to Ukraine":
    # a second verb with its own auxiliary is a clause of its own.
    r"|\s+and\s+(?=(?:has|have|had)\s+(?:already\s+|also\s+|since\s+)?[a-z]+ed\b)"
)
_CONTRACTOR = re.compile(
    r"(?i)\b(?:principal|prime|main|lead) contractor "
    r"(?:would be|will be|is|was|being)\s+(?:the\s+)?$"
)
_CONTRACTOR_AFTER = re.compile(
    r"(?i)^(?:,[^,]{0,40},)?\s+(?:would be|will be|is|was) (?:the )?(?:principal|prime|main|lead) "
    r"contractor\b"
)
""""RTX, formerly Raytheon, is the principal contractor"."""


_HAS_THEN_BOUGHT = re.compile(
    r"(?i)\b(?:operates|operate|flies|fly|fields|uses)\s[^.;,]{1,40}?(\s+and\s+)"
    r"(?=(?:also\s+)?(?:ordered|bought|purchased|signed|acquired)\s)"
)
_HAS_WORDS = re.compile(r"operate|flies|fly |fields|uses")
"""What a country has, then what it bought: "already operates Patriot batteries and
ordered six IRIS-T SLM fire units" (two clauses without a comma)."""


@functools.lru_cache(maxsize=512)
def _breaks(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the clause breaks of a sentence (asked for many times per sentence)."""
    spans = [match.span() for match in _CLAUSE_BREAK.finditer(text)]
    if " and " in text and _HAS_WORDS.search(text):
        spans += [match.span(1) for match in _HAS_THEN_BOUGHT.finditer(text)]
        spans.sort()
    return tuple(spans)


def clause_of(text: str, position: int) -> tuple[int, int]:
    """Bounds of the clause around `position` (split at ";", ", after", " but "...)."""
    start, end = 0, len(text)
    for low, high in _breaks(text):
        if high <= position:
            start = high
        elif low > position:
            end = low
            break
    return start, end


def clauses(text: str) -> list[tuple[int, int]]:
    """Every clause of a sentence, in order (the bounds clause_of gives)."""
    bounds, start = [], 0
    for low, high in _breaks(text):
        bounds.append((start, low))
        start = high
    bounds.append((start, len(text)))
    return bounds


_LEADING_ANAPHOR = re.compile(
    r"(?i)^(?:that|this|the) (?:[\w-]+ )?(?P<noun>contract|deal|order|agreement|purchase|"
    r"document|letter|memorandum|declaration|package)\b"
)
"""A sentence opening on the deal just reported: "That contract ... covers 180 tanks"."""
_BROUGHT_TO = re.compile(r"(?i)(?:bringing|taking|raising)\b")
_REQUEST = re.compile(r"(?i)\b(?:asked|requested|request(?:s|ing)?) to (?:buy|purchase|acquire)\b")
"""A buyer's request that a US foreign military sale notification describes."""
_DOC_NOUN = re.compile(
    r"(?i)\b(?:package|letter|agreement|deal|contract|memorandum|document|sale|declaration)\b"
)
_COVERS = re.compile(
    r"(?i)\b(?:covers|covered|includes|included|comprises|comprised|foresees|provides for|"
    r"extends to|(?:is|was) for)\b"
)
"""What the deal a sentence opens on also takes in: "The document also covers SAMP/T"."""
_ENUMERATED = re.compile(
    r"(?i)\b(?P<n>two|three|four|five|both|several|the|its|their|all)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:contracts|deals|orders|agreements|purchases)\b"
)
"""A stage reported of several deals at once ("cancelled two contracts"); the
sentences after it name them."""
_ENUMERATION_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
_ENUMERATION_REACH = 4  # sentences after the stage in which the deals are named
_WHOSE_STAGE = re.compile(
    r"(?i)s?,?\s+whose\s+(?:[\w-]+\s+){0,2}?(?:contract|order|purchase|deal|delivery|deliveries)"
    r"\b[^.;,]{0,60}"
)
_OWN_RELATIVE = re.compile(
    r"(?i)s?(?:\s+[a-z][\w-]*)?\s+(?:that\s+|which\s+)?(?:it|they|(?-i:[A-Z][\w-]+))\s+"
    r"(?:has\s+|had\s+|have\s+)?"
    r"(?:ordered|bought|purchased|acquired|signed for|received|requested|asked for)\b[^.;,]{0,60}"
    # "12 Yak-130 trainers, all of which were delivered by 2019, and 64 T-90S tanks,
    # deliveries of which began in 2019": each count's own stage
    r"|s?(?:\s+[a-z][\w-]*){0,3},\s+(?:all|most|some|none|the first|the last|deliveries|delivery|"
    r"\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+of\s+which\b[^.;,]{0,60}"
    # "its Virginia-class submarines, which it is buying from the United States"
    r"|s?(?:\s+[a-z][\w-]*){0,2},\s+which\s+(?:it|they)\s+(?:is\s+|are\s+|has\s+|have\s+|had\s+)?"
    r"(?:buying|bought|ordered|acquiring|purchasing|acquired|purchased|received)\b[^.;,]{0,60}"
    # "72 Typhoons, all delivered under a 2007 agreement, along with F-15SA fighters"
    r"|s?(?:\s+[a-z][\w-]*){0,3},\s+all\s+(?:of them\s+|of which\s+)?(?:were\s+|have been\s+)?"
    r"delivered\b[^.;,]{0,60}"
    # "three Nagapasa-class boats bought from South Korea's DSME", "75 F-16s, bought
    # from the United States": a participle right after its system
    r"|s?(?:\s+[a-z][\w-]*){0,2},?\s+(?:bought|ordered|purchased|acquired)\s+"
    r"(?:new\s+|second-hand\s+|used\s+|directly\s+)?(?:from|by|in)\b"
    r"[^.;,]{0,60}"
    # "the Type 212CD it is building for Germany and Norway"
    r"|s?\s+(?:that\s+|which\s+)?(?:it|they)\s+(?:is|are)\s+(?:now\s+|also\s+|already\s+)?"
    r"(?:building|producing|making)\s+for\b[^.;,]{0,60}"
)
"""A relative clause right after a system: "the Super Hornets it ordered from Boeing"."""
"""A relative clause giving a system's own stage: "the NH90s whose contract it cancelled"."""
_PRONOUN = re.compile(
    r"(?i)\b(?:of (?:them|these|those|both)|they|these|those)\b"
    r"|\bthe (?:first|last|final|remaining|other) (?:of the )?(?:\d[\d,]*|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|dozen)\b"
)
"""The equipment of the deal just reported, as a pronoun."""
_FOR_PLATFORM = re.compile(
    # ("to focus on the Black Hawks and on its new AH-64Es" is no platform)
    r"(?i)\b(?:(?:for|(?<!and )on|to arm) (?:its|their)|"
    r"(?:mounted|fitted|installed|integrated|carried) (?:on|to|into|by)(?: the| its| their)?) "
    r"(?:[\w'-]+\s+){0,2}$"
)
"""The platform a bought weapon is for, named after the weapon."""
_STRONG_BUYER = frozenset(
    {
        "buyer:sale-to",
        "buyer:supply-with",
        "buyer:subject-of-purchase",
        "buyer:whose-purchase",
        "buyer:order-from",
    }
)
_VARIANT_GAP = re.compile(r"(?i)\s*(?:[\w-]+\s+){0,2}?(?:and|plus|as well as)\s+")
"""Between the counts of two variants: "200 Tomahawk Block V missiles and 20 ..."."""
_SHARED_SUBJECT = re.compile(
    r"(?i)(?:has|have|had)\s+(?:already\s+|also\s+|since\s+)?[a-z]+ed\b"
    # "..., which it calls Vilkas, and bought them in 2016"
    r"|(?:bought|ordered|purchased|acquired|received|cancelled)\s+(?:them|it)\b"
    # "ordered 36 F-16s and is receiving the first"
    r"|(?:is|are)\s+(?:now\s+|also\s+|still\s+)?[a-z]+ing\b"
)
"""A clause that goes on with the first one's subject: "ordered 36 of the aircraft in
2014 and has received about a dozen so far"."""
_ITS_DEAL = re.compile(
    r"(?i)\b(?:its|their|the|this|that) (?:order|deal|contract|purchase|plan|acquisition|sale)\b"
)
"""A later clause speaking of the deal the first reported: "..., when its order was
cancelled", "..., but the plan was dropped"."""


_COUNTED = {
    "missiles": {"missile"},
    "launchers": {"artillery", ""},
    "vehicles": {"drone", "aircraft"},
}
"""What a system's `counts` (systems.yaml) counts, as unit kinds, when a deal gives two
counts ("168 launchers and some 1,680 missiles")."""

_MAX_SYSTEMS = 8  # distinct systems one sentence can report deals for
_ADD_ON = re.compile(r"(?i)\b(?:more|additional|further|extra|another)\b")
_EARLIER_DEALS = re.compile(
    r"(?i)\b(?:earlier|previous|prior|past) (?:contracts?|orders?|deals?|purchases?|batch(?:es)?)\b"
)
_LAST_YEAR = re.compile(rf"(?i)\b{_BOUGHT}\s+last\s+year\b")
_EARLIER = re.compile(r"(?i)\b(?:first|initial|original|earlier|older|previous)\b")
_TOTAL_MARK = re.compile(r"(?i)(?:\ball\s+|\btotal of\s+|\b(?:its|their|the)\s+|['’]s\s+)$")
"""Words that make a count a fleet's total: "all 30 of those guns", "Greece's 24 Rafales"."""
_MAX_BATCHES = 6  # deals of one system and buyer whose sums are tried against a total
_LOOKBACK = 40  # sentences: how far "the deal" or an unnamed approval can refer

# Unit nouns -> categories of equipment they can count.
_COMPATIBLE = {
    "aircraft": {"aircraft", "drone", "helicopter"},
    "helicopter": {"helicopter"},
    "armoured-vehicle": {"armoured-vehicle"},
    "artillery": {"artillery", "air-defence", "missile"},
    "ship": {"ship", "submarine"},
    "surface-ship": {"ship"},  # "two new frigates" are no submarines
    "submarine": {"submarine"},
    "drone": {"drone"},
    "missile": {"missile", "air-defence"},
    "radar": {"radar", "air-defence"},
    "small-arms": {"small-arms"},
    "ammunition": {"ammunition", "artillery"},
}
_UNIT_ALIASES = {
    "weapons": None,
    "units": None,
    "air vehicles": "drone",
    "vehicles": None,
    "launchers": "artillery",
    **dict.fromkeys(
        "frigate frigates corvette corvettes destroyer destroyers".split(), "surface-ship"
    ),
}


def _unit_kind(noun: str) -> str | None:
    noun = noun.lower()
    if noun in _UNIT_ALIASES:
        return _UNIT_ALIASES[noun]
    return unit_category(noun)


def compatible(unit_kind: str | None, category: str) -> bool:
    """Whether a unit noun of this kind can count equipment of this category."""
    return unit_kind is None or category in _COMPATIBLE.get(unit_kind, {unit_kind})


@dataclass
class Facts:
    """Everything stages 2-4 found in one sentence."""

    sentence: Sentence
    mentions: list[Mention]
    quantities: list[Quantity]
    money: list[Money]
    cue: Cue | None
    cues: list[Cue]
    distractor: str | None

    @property
    def status(self) -> str | None:
        return self.cue.status if self.cue else None

    @property
    def body(self) -> str:
        return self.sentence.text

    @cached_property
    def totals(self) -> list[Quantity]:
        """Totals stated beside a part ("eight of the 36"), read once per sentence."""
        return find_totals(self.body)

    def systems(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "system"]

    def companies(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "company"]


# Stems of the words without which a sentence cannot report a deal (as a trie: one
# cheap pass, where an alternation would try every word at every position).
_RELEVANT = compile_lower(
    r"(?i)\b(?:"
    + trie_regex(
        [w.lower() for w in _DEAL_WORDS.split("|")]
        + (
            "aircraft jet fighter helicopter tank vehicle drone missile launcher system "
            "batter howitzer frigate ship vessel submarine rifle shell radar weapon boat unit "
            "intent memorand mou loi framework approv clear notif nod green light green-light "
            "authori ratified deliver handed arriv receiv cancel scrap gun signed signs bought "
            "buy ordered"
        ).split()
    )
    + ")"
)


ANALYSED_SENTENCES = 250
"""Work budget of one article: at most this many sentences that may report a deal get
the full analysis (prose and repeated sentences cost next to nothing and do not count).
A news article has a few dozen; the budget bounds the time any input can take (a
1 MiB wall of deal sentences would otherwise take seconds). Where it runs out, the
extraction reports the offset it stopped at (`Extraction.truncated_at`)."""


_REPEATS = 3
"""Occurrences of one sentence in an article that count (boilerplate, adversarial input)."""


def may_report_deal(sentence: Sentence, mentions: list[Mention]) -> bool:
    """A system is named, or a deal, equipment or approval word is used."""
    return any(m.kind == "system" for m in mentions) or bool(
        _RELEVANT.search(lowered(sentence.text))
    )


def sentence_facts(
    sentence: Sentence,
    gazetteer: Gazetteer,
    mentions: list[Mention] | None = None,
    relevant: bool | None = None,
) -> Facts:
    """Stages 3 and 4 for one sentence, skipped for sentences that cannot report a deal
    (no system named, no deal, equipment or approval word): they cost a single search.
    `relevant` is may_report_deal's answer when the caller knows it."""
    if mentions is None:
        mentions = find_mentions(sentence, gazetteer)
    text = sentence.text
    if relevant is None:
        relevant = may_report_deal(sentence, mentions)
    if not relevant:
        return Facts(sentence, mentions, [], [], None, [], None)
    countries = tuple(m.name for m in mentions if m.kind == "country")
    cues = find_cues(text, gazetteer)
    cue = strongest(cues)
    money = find_money(text, countries)
    # Not counts: a designation's digits ("F-16"), an amount of money ("285 million euros").
    spans = [(m.start, m.end) for m in mentions if m.kind == "system"]
    spans += [(m.start, m.end) for m in money]
    quantities = [q for q in find_quantities(text) if not any(s <= q.start < e for s, e in spans)]
    return Facts(
        sentence=sentence,
        mentions=mentions,
        quantities=quantities,
        money=money,
        cue=cue,
        cues=cues,
        distractor=distractor(text, gazetteer, cue),
    )


@dataclass
class Deal:
    buyer: str | None
    system: str
    events: list[Event] = field(default_factory=list)
    propagated: list[Event] = field(default_factory=list)
    contractor: str | None = None

    @property
    def last_sentence(self) -> int:
        return self.events[-1].sentence.index if self.events else -1


class Assembler:
    """Builds deals from the facts of an article's sentences, in reading order."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        facts: list[Facts],
        fms: bool | None = None,
        sentences: Sequence[Sentence] = (),
    ) -> None:
        self.g = gazetteer
        self.facts = facts
        self.sentence_texts = {s.index: s.text for s in sentences}
        self.denied = {m.name for f in facts if f.distractor == "denial" for m in f.systems()}
        self.deals: list[Deal] = []
        self.unanchored: list[Event] = []
        # A US foreign military sale anywhere in the article (assemble reads every
        # sentence for it, kept or not).
        self.fms = any(_FMS.search(f.body) for f in facts) if fms is None else fms
        self.primary_buyer: str | None = None
        self.article_companies = {m.name: m for f in facts for m in f.companies()}
        # "NEW DELHI, March 26 - The defence ministry signed...": the country of the
        # dateline, for a government subject that names no country.
        opening = next((f.sentence for f in facts if f.sentence.body_start > 0), None)
        self.dateline_country = next(
            (
                m.name
                for m in article_mentions(opening.text[: opening.body_start].title(), gazetteer)
                if m.kind == "country"
            )
            if opening is not None
            else iter(()),
            None,
        )
        self.system_mentions = [(f.sentence.index, m) for f in facts for m in f.systems()]
        self._buyers: dict[tuple[int, str | None], tuple[str | None, str | None]] = {}
        self.by_family: dict[str, list[Deal]] = {}
        self.facts_by_index = {f.sentence.index: f for f in facts}
        self.enumeration: Event | None = None
        self.enumeration_left = 0
        self.touched: list[Deal] = []
        # The last count a sentence gave a system it merely named, by family: "a deal
        # for 16 Mi-17s from Russia" before "The Mi-17 purchase had been signed".
        self.named: dict[str, Event] = {}
        self.named_buyers: dict[str, str] = {}  # family -> the buyer a mention names

        """Deals in the order they received events (a deal may repeat)."""

    # -- events ------------------------------------------------------------------------

    def _seller(self, f: Facts, anchor: int | None = None) -> tuple[str | None, str | None]:
        if anchor is not None:
            # The seller of a system is named in its own clause when the sentence has
            # several: "ordered K9s from South Korea, and last year Washington approved
            # the sale of AGM-88Es".
            low, high = clause_of(f.body, anchor)
            if (low, high) != (0, len(f.body)):
                own = [m for m in f.mentions if low <= m.start < high]
                found = find_seller(f.sentence, own, self.g, anchor)
                if found:
                    return found
                if any(m.kind in {"country", "company"} for m in f.mentions if m not in own):
                    return None, None
        found = find_seller(f.sentence, f.mentions, self.g, anchor)
        if found is None and _COMPANY_ANAPHOR.match(f.body, f.sentence.body_start):
            found = self._company_before(f)
        return found if found else (None, None)

    def _company_before(self, f: Facts) -> tuple[str, str] | None:
        """ "The shipbuilder is also building six HDP-2200 vessels for Manila": the
        company the sentences just before named sells."""
        for index in range(f.sentence.index - 1, max(-1, f.sentence.index - 4), -1):
            before = self.facts_by_index.get(index)
            companies = before.companies() if before is not None else []
            if companies:
                name = companies[-1].name
                return self.g.companies[name].country, f"seller:company-anaphor/{name}"
        return None

    def _buyer(self, f: Facts, seller: str | None) -> tuple[str | None, str | None]:
        key = (f.sentence.index, seller)
        if key not in self._buyers:
            found = find_buyer(f.sentence, f.mentions, self.g, seller)
            self._buyers[key] = found if found else (None, None)
        return self._buyers[key]

    def _quantity_for(self, f: Facts, mention: Mention, taken: set[int]) -> Quantity | None:
        totals = f.totals if f.quantities or f.status else []
        brought = [q for q in totals if _BROUGHT_TO.match(q.text)]
        if brought and not _N_MORE.search(f.body, 0, mention.start):
            # "increased its order by 100, bringing the total to 623" is the deal's
            # count; "ordered 18 more ..., bringing its total to 36" is a contract for 18
            return brought[0]
        low, high = clause_of(f.body, mention.start)
        own_totals = [t for t in totals if low <= t.start < high]
        if f.status in {"delivering", "delivered"} and own_totals:
            return own_totals[0]  # "eight of the 36": the deal is 36
        system = self.g.systems[mention.name]
        before = quantity_before(f.body, mention.start)
        if before is not None and any(m.start <= before.start < m.end for m in f.money):
            before = None  # "worth 285 million euros for Spike missiles": money, not a count

        def whole(q: Quantity) -> Quantity:
            # "the remaining two of the five S-400 squadrons India ordered": a count
            # that is a part of the total the sentence states counts the total
            return next((t for t in totals if t.start <= q.start < t.end), q)

        if before is None and _BOUGHT_FLEET.match(f.body, mention.end):
            before = quantity_before(f.body, mention.start, fleet=True)
        before = whole(before) if before is not None else None
        if before is None:
            # "the fifth and final P-8A": a total just before the name
            before = next((t for t in totals if 0 <= mention.start - t.end <= 3), None)
        containing = [whole(q) for q in f.quantities if q.start <= mention.start < q.end + 1]
        # Split quantities ("263 missiles and 26 launch units"): the designation decides.
        same_name = [
            q for q in f.quantities if mention.text.split()[0] in q.text and q.start not in taken
        ]
        if system.counts and len(same_name) > 1:
            wanted = _COUNTED[system.counts]
            for q in same_name:
                if (_unit_kind(q.unit or "") or "") in wanted:
                    return q
        if containing and containing[0].start not in taken:
            if is_partial(f.body, containing[0]) and f.status in {"delivering", "delivered"}:
                # "its first two UH-60Ms on Wednesday, the first of four ordered": the deal's
                of_total = _count_of(_FIRST_OF_N.search(f.body, mention.end, high))
                if of_total is not None:
                    return of_total
            return containing[0]
        if before is not None:
            return before
        after = quantity_after(f.body, mention.end)
        if after is not None:
            return after
        if (of_them := _count_of(_BUY_N_OF_THEM.search(f.body, mention.end, high), 0)) is not None:
            return of_them
        if (bare := _count_of(_BUYING_N.search(f.body, mention.end, high))) is not None:
            return bare
        if (every := _count_of(_ALL_N.search(f.body, mention.end, high))) is not None:
            return every  # "ordered those CAESARs in 2017, and all 19 were delivered"
        for q in f.quantities:
            if q.start in taken or (q.rule == "quantity:vague" and q.start < mention.start - 60):
                continue
            if f.body[q.end : q.end + 2].startswith(":"):
                continue  # "selected three systems: A, B and C" counts kinds, not units
            if any(q.start <= m.start < q.end for m in f.systems() if m.name != mention.name):
                continue  # "36 K9 howitzers" counts the K9s, not the IRIS-T named before
            if compatible(_unit_kind(q.unit or ""), system.category):
                return whole(q)  # "six of the 24 aircraft it bought": the deal's 24
        if system.category in {"ship", "submarine"}:
            return _one_vessel(f.body, mention)
        return None

    def _counted(self, system: str, f: Facts, chosen: Quantity | None) -> Quantity | None:
        """Of a sentence's counts, the one the deal's system is counted in (split
        quantities in a sentence that names no system: "168 launchers and 1,680 missiles")."""
        counts = self.g.systems[system].counts
        if chosen is None or counts is None or len(f.quantities) < 2:
            return chosen
        for q in f.quantities:
            if q.rule != "quantity:vague" and (_unit_kind(q.unit or "") or "") in _COUNTED[counts]:
                return q
        return chosen

    def _event(
        self,
        f: Facts,
        system: str | None,
        anchored: bool,
        anchor: int | None = None,
        **extra: object,
    ) -> Event:
        seller, seller_rule = self._seller(f, anchor)
        buyer, buyer_rule = self._buyer(f, seller)
        event = Event(
            sentence=f.sentence,
            status=f.status,
            cue=f.cue,
            system=system,
            anchored=anchored,
            buyer=buyer,
            buyer_rule=buyer_rule,
            seller=seller,
            seller_rule=seller_rule,
            companies=f.companies(),
            money=f.money[0] if f.money else None,
        )
        for key, value in extra.items():
            setattr(event, key, value)
        if seller is None and (builder := self._builder(f)) is not None:
            # "BAE Systems Australia is building the ships under a 2018 contract"
            event.seller = self.g.companies[builder].country
            event.seller_rule = f"seller:builder-company/{builder}"
            event.adjacent_company = event.adjacent_company or builder
        if buyer is None and seller_rule and "-company/" in seller_rule:
            # "France is replacing them with new Rafales ordered from Dassault": the
            # sentence's subject buys from a company of its own country.
            subject = next((m for m in f.mentions if m.kind == "country"), None)
            body = f.body[f.sentence.body_start :]
            if subject is not None and subject.name == seller and body.startswith(subject.text):
                event.buyer, event.buyer_rule = seller, "buyer:domestic"
        return event

    @staticmethod
    def _builder(f: Facts) -> str | None:
        """The company opening the sentence as the builder of what it reports."""
        first = next((m for m in f.mentions if m.kind == "company"), None)
        if first is None or not _COMPANY_SUBJECT.match(f.body[f.sentence.body_start : first.start]):
            return None
        return first.name if _BUILDS_AFTER.match(f.body, first.end) else None

    def _adjacent_company(self, f: Facts, mention: Mention) -> str | None:
        for c in f.companies():
            gap = f.body[c.end : mention.start]
            if 0 <= mention.start - c.end <= 4 and re.fullmatch(r"(?:['’]s)?\s*", gap):
                return c.name
            gap_after = f.body[mention.end : c.start]
            if 0 <= c.start - mention.end <= 25 and re.fullmatch(
                r",?\s*(?:made|built|developed|designed|produced)?\s*(?:by|from)\s+", gap_after
            ):
                return c.name
        return None

    def _spoiled(self, f: Facts, position: int) -> bool:
        """Whether the clause around `position` is a donation, lease, production figure
        or industrial deal ("bought Spike missiles from Israel, and it leases Heron
        drones": only the lease is spoiled)."""
        low, high = clause_of(f.body, position)
        cue = strongest([c for c in f.cues if low <= c.start < high])
        if cue is not None:
            cue = cue._replace(start=cue.start - low, end=cue.end - low)
        return distractor(f.body[low:high], self.g, cue) is not None

    def events_of(self, f: Facts) -> list[Event]:
        """Events a sentence reports (possibly without status), with the count a later
        clause revises the order to ("for five of the aircraft, but in 2022 it cut the
        order to three": three)."""
        events = self._events_of(f)
        if events and _NEGOTIATED_WORDS.search(f.body):
            # "... and 486 HIMARS launchers, though the HIMARS order is still being
            # negotiated": no purchase of it yet
            for low, high in clauses(f.body):
                if _STILL_NEGOTIATED.search(f.body, low, high):
                    named = {m.name for m in f.systems() if low <= m.start < high}
                    events = [
                        e
                        for e in events
                        if e.system not in named
                        or e.status not in {"contracted", "delivering", "delivered"}
                        or e.position is None
                        or low <= e.position < high  # its own clause says more
                    ]
        cut = _CUT_TO.search(f.body) if events and _CUT_WORDS.search(f.body) else None
        if cut is not None:
            n = parse_number(cut.group("n"))
            for event in events:
                if (event.quantity is not None and event.quantity.end <= cut.start()) or (
                    event.quantity is None and (event.position or len(f.body)) < cut.end()
                ):
                    event.quantity = Quantity(
                        n,
                        n,
                        cut.group(),
                        event.quantity.unit if event.quantity else None,
                        *cut.span(),
                        "quantity:revised",
                    )
        return events

    def _events_of(self, f: Facts) -> list[Event]:
        """Events a sentence reports (possibly without status)."""
        if f.distractor and (not f.systems() or clause_of(f.body, 0) == (0, len(f.body))):
            return []
        events: list[Event] = []
        seen: set[str] = set()
        recounted: set[str] = set()
        taken: set[int] = set()
        rejected = False
        passive: list[str | None] | None = None  # "bought by X, Y and Z": once a sentence
        joint: list[str] = []
        # "to replace the NH90s whose contract it cancelled in 2022": the relative
        # clause is that system's stage, not the other systems' of the sentence.
        owned = {
            m.start: found
            for m in f.systems()
            if (found := _WHOSE_STAGE.match(f.body, m.end) or _OWN_RELATIVE.match(f.body, m.end))
            is not None
        }
        relatives = [r.span() for r in _WHOSE_STAGE.finditer(f.body)] if " whose " in f.body else []
        relatives += [_continued(f.body, found.span()) for found in owned.values()]
        lead = self._leading_anaphor(f)
        if lead is not None:
            events.append(lead)
            if lead.quantity is not None:
                taken.add(lead.quantity.start)
        for mention in f.systems():
            if f.distractor and self._spoiled(f, mention.start):
                rejected = True
                continue
            second_batch = False
            if mention.name in seen:
                first = next(e for e in events if e.system == mention.name)
                self._add_variant(f, mention, first, taken)
                # "to buy more HIMARS launchers, adding to the 11 HIMARS it signed for in
                # 2020": a batch with a stage and count of its own is a deal of its own
                second_batch = self._own_batch(f, mention, first, owned)
                self._phase_of_total(f, mention, first)
                if first.quantity is None and not second_batch and mention.name not in recounted:
                    # "the second Apache purchase for Seoul, which bought 36 AH-64Es": the
                    # count stands by the later mention (asked once per system: a list of
                    # repeated designations is no sentence about deals)
                    recounted.add(mention.name)
                    counted = self._quantity_for(f, mention, taken)
                    if counted is not None:
                        first.quantity, first.written = counted, mention.text
                        taken.add(counted.start)
                # "its second Rafale purchase after the air force received 36 Rafale
                # jets": a later clause of the sentence gives the stage the first lacked.
                if not second_batch and (first.status is not None or len(events) > _MAX_SYSTEMS):
                    continue
                low, high = clause_of(f.body, mention.start)
                if not second_batch:
                    if not any(low <= c.start < high for c in f.cues):
                        continue
                    events = [e for e in events if e.system != mention.name]
                    seen.discard(mention.name)
            if len(seen) == _MAX_SYSTEMS:
                break  # a list of designations, not a sentence about deals
            if mention.start not in owned and _not_object(
                f.body[max(0, mention.start - 90) : mention.start]
            ):
                rejected = True
                continue
            if _CARRIES.search(f.body) and _CARRIER_AFTER.match(f.body, mention.end):
                rejected = True
                continue  # "Y-20 transport planes landed carrying the FK-3": the carrier
            if seen and _carrier(f.body, mention):
                rejected = True
                continue  # "36 Skyranger 30 systems on Pandur vehicles": what carries them
            if _FLEET_AFTER.match(f.body[mention.end : mention.end + 30]):
                rejected = True
                continue  # "its ageing F/A-18 Hornet fleet": what the buyer already has
            if seen and _FOR_PLATFORM.search(f.body[max(0, mention.start - 40) : mention.start]):
                rejected = True
                continue  # "bought Spike missiles for its AH-64 helicopters": the platform
            if trained_on(f.body, mention.text, self.g):
                rejected = True
                continue
            seen.add(mention.name)
            quantity = self._quantity_for(f, mention, taken)
            if quantity is not None:
                taken.add(quantity.start)
            # The stage of a named system is what its own clause says: in "plans to build
            # ships armed with SM-6, after abandoning Aegis Ashore" nothing cancels SM-6.
            low, high = clause_of(f.body, mention.start)
            relative = False
            if mention.start in owned:
                found = owned[mention.start]
                if found.re is _OWN_RELATIVE:
                    # "is receiving Typhoons ... alongside the Super Hornets it ordered":
                    # a stage before the system, with another system between, is that
                    # system's; "is receiving the last of 16 Caesar howitzers ordered
                    # from France" and "the first 20 of the 96 K2 tanks that Poland
                    # ordered have arrived" are this one's
                    relative = True
                else:
                    low, high = found.span()
            own = owned[mention.start].start() if mention.start in owned else None
            spans = [span for span in relatives if span[0] != own]
            cue = strongest(
                [
                    c
                    for c in f.cues
                    if low <= c.start < high
                    and not any(a <= c.start < b for a, b in spans)
                    # "orders Seahawks to replace cancelled NH90s": another's adjective
                    and not (
                        c.status == "cancelled"
                        and " " not in c.text
                        and any(
                            0 <= m.start - c.end <= 1 and m.name != mention.name
                            for m in f.systems()
                        )
                    )
                    and not (
                        relative
                        and c.end <= mention.start
                        and any(
                            c.end <= m.start < mention.start
                            # "12 Rafales ..., all of which have now been delivered, and
                            # eight HIMARS that Zagreb has requested": the other's stage
                            or (low <= m.start and m.end <= c.start and m.name != mention.name)
                            for m in f.systems()
                        )
                    )
                ]
            )
            if cue is None and (later := self._anaphoric_clause(f, mention, high)) is not None:
                # "is developing its own KF-21 fighter, and the first 20 production jets
                # were ordered from KAI": the next clause's stage and count are its own
                cue, counted = later
                if quantity is None and counted is not None and counted.start not in taken:
                    quantity = counted
                    taken.add(counted.start)
            if passive is None:
                joint = joint_buyers(f.sentence, f.mentions) or listed_subjects(
                    f.sentence, f.mentions
                )
                passive = [*(passive_buyers(f.sentence, f.mentions) or joint)] or [None]
            buyers: list[str | None] = passive
            # A count of a joint order is all the buyers' together: no buyer's own
            # (as a combined value is no buyer's value), and never counted twice.
            shared = quantity if not joint else None
            # "nine C-390s, five for the Royal Netherlands Air Force and four for the
            # Austrian Armed Forces": each joint buyer's own share
            shares = buyer_shares(f.sentence, f.mentions) if joint else {}
            for buyer in buyers:
                event = self._event(
                    f,
                    mention.name,
                    True,
                    mention.start,
                    quantity=shared,
                    adjacent_company=self._adjacent_company(f, mention),
                    written=mention.text,
                    position=mention.start,
                    status=cue.status if cue else None,
                    cue=cue,
                    # "It later ordered a new batch of CAESAR Mk II guns": another purchase
                    separate=second_batch
                    or _NEW_BATCH_BEFORE.search(f.body, max(0, mention.start - 40), mention.start)
                    is not None,
                )
                owner = _relative_owner(f, mention)
                if owner is not None and owner not in buyers:
                    # "chosen by Australia, ..., and Canada, which is building 15
                    # River-class destroyers": the country whose clause names it
                    event.buyer, event.buyer_rule = owner, "buyer:relative-owner"
                elif buyer is not None:
                    event.buyer, event.buyer_rule = buyer, "buyer:passive-by"
                    if buyer in shares:
                        event.quantity = shares[buyer]
                if lead is not None and lead.money is not None:
                    event.money = None  # the money is the contract's the sentence opens on
                if (
                    cue is None
                    and mention.start not in owned  # "HIMARS that Zagreb has requested"
                    and self._opens_on_deal(f, mention.start)
                ):
                    # "The document also covers the SAMP/T system": another system of
                    # the deal just reported, at its stage.
                    previous = self.touched[-1]
                    # the stage the document itself was reported at ("a spending package"
                    # announced), not a later delivery of the deal's first system
                    documented = [
                        e for e in previous.events if e.status and _DOC_NOUN.search(e.sentence.text)
                    ]
                    stage = _by_rank(documented or [*previous.events, *previous.propagated])
                    if stage is not None:
                        event.status, event.cue = stage.status, stage.cue
                        event.buyer, event.buyer_rule = previous.buyer, "buyer:deal"
                events.append(event)
                for partner in joint_partners(f.sentence, f.mentions, mention.end, event.buyer):
                    # "IRIS-T SLM systems, which it is acquiring together with Estonia":
                    # a joint purchase, a deal per buyer and no buyer's count ("bought
                    # its first 12 K9s ... together with Finland": the subject's own)
                    counted = event.quantity
                    owns = counted is not None and _OWN_COUNT.search(
                        f.body, max(0, counted.start - 20), counted.start
                    )
                    if not owns:
                        event.quantity = None
                    shared_event = dataclasses.replace(event, buyer_rule="buyer:together-with")
                    shared_event.buyer, shared_event.quantity = partner, None
                    events.append(shared_event)
                events.extend(self._later_clause(f, mention, event, high, taken))
        if events:
            lead_clause = self._unnamed_lead_clause(f, taken)
            return [lead_clause, *events] if lead_clause is not None else events
        if f.distractor or (
            rejected
            # "bought 47 of the helicopters, a version of the NH90": a count of equipment
            # already reported is no count of the system set aside
            and not (f.quantities and _PARTITIVE.match(f.quantities[0].text))
        ):
            # "approved the upgrade of the navy's four MEKO frigates": the count is the
            # rejected system's, not a deal's
            return []
        elliptic = self._elliptic_purchases(f)
        if elliptic:
            return elliptic
        if f.cue is None and not f.quantities and not f.money and not f.companies():
            return []  # nothing a deal could take from this sentence
        enumerated = _ENUMERATED.search(f.body)
        if enumerated and f.status and not f.quantities:
            count = _ENUMERATION_COUNTS.get(enumerated.group("n").lower(), 0)
            return [self._event(f, None, False, enumerates=count or _MAX_SYSTEMS)]
        anaphor = _ANAPHOR_UNIT.search(f.body)
        deal_word = _ANAPHOR_DEAL.search(f.body)
        totals = f.totals
        quantity = (
            totals[0]
            if totals
            # not "the first eight jets are to be assembled": a part of the purchase
            else next(
                (
                    q
                    for q in f.quantities
                    if q.rule != "quantity:vague"
                    and not (
                        f.status
                        and is_partial(f.body, q)
                        # "The first four aircraft, ordered in 2020": a purchase of its own
                        and not _BOUGHT_AFTER.match(f.body, q.end)
                    )
                ),
                None,
            )
        )
        if anaphor or quantity is not None:
            kind = _unit_kind(anaphor.group(1)) if anaphor else _unit_kind(quantity.unit or "")  # type: ignore[union-attr]
            first = self._event(f, None, False, quantity=quantity, category_hint=kind)
            return [first, *self._next_batches(f, first)]
        if deal_word or (f.status and _PRONOUN.search(f.body)):
            # "the contract", or "The first three of them were handed over"
            event = self._event(f, None, False, quantity=quantity, generic=True)
            if event.status is None and (named := _contract_named(f)) is not None:
                event.status, event.cue = "contracted", named
            return [event]
        if f.status in {"intent", "approved"}:
            # Names neither a system nor a deal: may lift the article's deals (see finish).
            return [self._event(f, None, False, floating=True)]
        return []

    @staticmethod
    def _opens_on_buyer(f: Facts, low: int, high: int, buyer: str | None) -> bool:
        """Whether the clause `low`-`high` opens on the buyer itself ("the Portuguese air
        force has received two so far")."""
        if buyer is None:
            return False
        first = next((m for m in f.mentions if low <= m.start < high), None)
        return (
            first is not None
            and first.kind == "country"
            and first.name == buyer
            and _SUBJECT_OPENING.fullmatch(f.body[low : first.start]) is not None
        )

    def _next_batches(self, f: Facts, first: Event) -> list[Event]:
        """ "Bulgaria signed for eight of the jets in 2019, and in 2022 it ordered a second
        batch of eight worth $1.3 billion": a later clause's own purchase of the equipment
        a sentence naming no system reports (another contract, labelling rule 7)."""
        batches: list[Event] = []
        for low, high in clauses(f.body)[1:]:
            found = _NEXT_BATCH.match(f.body, low, high) or _ADDED_MORE.match(f.body, low, high)
            if found is None:
                continue
            cue = strongest([c for c in f.cues if low <= c.start < high]) or first.cue
            money = next((m for m in f.money if low <= m.start < high), None)
            batches.append(
                dataclasses.replace(
                    first,
                    status=cue.status if cue else first.status,
                    cue=cue,
                    quantity=_count_of(found),
                    money=money,
                    position=low,
                    separate=True,
                )
            )
            if first.money is not None and money is first.money:
                first.money = None
        return batches

    def _elliptic_purchases(self, f: Facts) -> list[Event]:
        """ "Portugal signed for five C-390s in 2019. Hungary ordered two in 2020": a
        country opening a clause buys a bare count of the equipment the sentence before
        named ("ordered two"), or "the type", a deal of its own. Several countries
        opening it ("The Netherlands and Austria agreed to buy nine between them, five
        Dutch and four Austrian") are a deal each, with the share the sentence gives
        each."""
        if f.cue is None or not self.touched:
            return []
        previous = self.touched[-1]
        if previous.last_sentence < f.sentence.index - 2:
            return []
        events: list[Event] = []
        bounds = clauses(f.body)
        for index, (low, high) in enumerate(bounds):
            cue = strongest([c for c in f.cues if low <= c.start < high])
            if cue is None:
                continue
            found = _ELLIPTIC.search(f.body, low, high)
            verb = found.start() if found is not None else cue.start
            if found is None and _TYPE_ANAPHOR.match(f.body, cue.end, high) is None:
                continue
            buyers = self._clause_subjects(f, low, verb)
            if not buyers or previous.buyer in buyers:
                continue  # the same buyer's purchase is the deal itself (see _target)
            for later_low, later_high in bounds[index + 1 :]:
                if any(later_low <= m.start < later_high for m in f.mentions):
                    break
                # "Iraq signed a contract for the jet in 2015 but never took delivery,
                # and later dropped the plan": the same subject's later stage
                later = [c for c in f.cues if later_low <= c.start < later_high]
                cue = strongest([cue, *later]) or cue
            for name in buyers:
                quantity = None
                if found is not None and len(buyers) == 1:
                    group = "n" if found.group("n") else "held"
                    n = parse_number(found.group(group))
                    quantity = Quantity(
                        n, n, found.group(group), None, *found.span(group), "quantity:elliptic"
                    )
                elif found is not None:
                    quantity = self._share_of(f, name, found.end(), high)
                event = self._event(
                    f, previous.system, True, quantity=quantity, status=cue.status, cue=cue
                )
                event.buyer, event.buyer_rule = name, "buyer:subject-of-elliptic-purchase"
                event.position = low
                events.append(event)
        return events

    @staticmethod
    def _clause_subjects(f: Facts, low: int, verb: int) -> list[str]:
        """The countries opening the clause `low`.. as the subject of the verb at `verb`
        ("The Netherlands and Austria agreed ...")."""
        countries = [m for m in f.mentions if m.kind == "country" and low <= m.start < verb]
        if not countries or not _SUBJECT_OPENING.fullmatch(f.body[low : countries[0].start]):
            return []
        subjects = [countries[0]]
        for m in countries[1:]:
            if not LIST_SEPARATOR.fullmatch(f.body[subjects[-1].end : m.start]):
                return []
            subjects.append(m)
        if not _ELLIPTIC_SUBJECT_GAP.fullmatch(f.body[subjects[-1].end : verb]):
            return []
        return list(dict.fromkeys(m.name for m in subjects))

    @staticmethod
    def _share_of(f: Facts, name: str, low: int, high: int) -> Quantity | None:
        """A joint buyer's share written as a count before its demonym ("five Dutch")."""
        for m in f.mentions:
            if m.kind != "country" or m.name != name or not low < m.start < high:
                continue
            share = _SHARE_BEFORE.search(f.body, max(0, m.start - 12), m.start)
            if share is not None:
                n = parse_number(share.group("n"))
                return Quantity(n, n, share.group("n"), None, *share.span("n"), "quantity:share")
        return None

    def _previous_pair(self, f: Facts) -> list[Deal] | None:
        """The two deals the sentence just before reported, if it reported two."""
        index = f.sentence.index - 1
        pair: list[Deal] = []
        for deal in reversed(self.touched[-_LOOKBACK:]):
            if any(e.sentence.index == index for e in deal.events) and deal not in pair:
                pair.append(deal)
        return pair[:2][::-1] if len(pair) >= 2 else None

    def _phase_of_total(self, f: Facts, mention: Mention, first: Event) -> None:
        """ "The last of the 12 FA-50GF jets ... landed, completing the first phase of the
        $3 billion purchase of 48 FA-50 jets": the first count is a phase of the second,
        the deal's, whose deliveries are under way (labelling rule 5)."""
        counted = first.quantity
        if counted is None or counted.low is None or first.position is None:
            return
        gap = f.body[first.position : mention.start]
        if _PHASE_OF.search(gap) is None:
            return
        total = quantity_before(f.body, mention.start)
        if total is None or total.low is None or total.low <= counted.low:
            return
        first.quantity = total
        if first.status == "delivered":
            first.status = "delivering"

    def _own_batch(
        self, f: Facts, mention: Mention, first: Event, owned: dict[int, re.Match[str]]
    ) -> bool:
        """Whether a second mention of a system in the sentence is a batch of its own: a
        relative clause gives it its own stage and it has a count of its own."""
        if mention.start not in owned or first.status is None:
            return False
        if not any(
            owned[mention.start].start() <= c.start < owned[mention.start].end() for c in f.cues
        ):
            return False
        counted = quantity_before(f.body, mention.start)
        if counted is None or counted.low is None:
            return False
        return first.quantity is None or (first.quantity.low, first.quantity.high) != (
            counted.low,
            counted.high,
        )

    def _unnamed_lead_clause(self, f: Facts, taken: set[int]) -> Event | None:
        """ "Bahrain ordered 16 of the jets in 2018 ..., and they will join the 20 older
        F-16C/D aircraft it bought in the 1990s": the opening clause reports a purchase of
        the equipment already reported, by an anaphor and a count, naming no system."""
        systems = f.systems()
        if not systems or not self.touched or f.cue is None:
            return None
        # the opening clause, up to the first system it may name ("signed the contract
        # for 216 of the guns and 39 K10 vehicles")
        low, high = clause_of(f.body, 0)
        high = min(high, systems[0].start)
        counted = next(
            (
                q
                for q in f.quantities
                if low <= q.start < high and q.start not in taken and q.low is not None
            ),
            None,
        )
        cue = strongest([c for c in f.cues if low <= c.start < high])
        if counted is None or cue is None or not _PARTITIVE.match(counted.text):
            return None
        taken.add(counted.start)
        event = self._event(f, None, False, quantity=counted, generic=True)
        event.status, event.cue = cue.status, cue
        return event

    def _anaphoric_clause(
        self, f: Facts, mention: Mention, high: int
    ) -> tuple[Cue, Quantity | None] | None:
        """The cue and count of the clause after the system's own when that clause names
        no system and opens on the equipment ("..., and the first 20 production jets
        were ordered")."""
        if high >= len(f.body) or not f.cues:
            return None
        found = next(((a, b) for a, b in _breaks(f.body) if a >= high), None)
        if found is None:
            return None
        low = found[1]
        end = clause_of(f.body, low)[1]
        if any(low <= m.start < end for m in f.systems()):
            return None
        if "after" in f.body[found[0] : found[1]].lower():
            # "will get 50 more Pumas after the procurement office signed a contract":
            # the document the purchase follows from
            signed = strongest(
                [c for c in f.cues if low <= c.start < end and c.status in _DOCUMENTED]
            )
            return (signed, None) if signed is not None else None
        opening = _CLAUSE_OPENING.match(f.body, low)
        if opening is None:
            return None
        anaphor = _ANAPHOR_UNIT.match(f.body, opening.end())
        category = self.g.systems[mention.name].category
        if anaphor is None or not compatible(_unit_kind(anaphor.group(1)), category):
            return None
        cue = strongest([c for c in f.cues if anaphor.end() <= c.start < end])
        if cue is None:
            return None
        counted = next(
            (q for q in f.quantities if low <= q.start < anaphor.end() and q.low is not None),
            None,
        )
        return cue, counted

    def _add_variant(self, f: Facts, mention: Mention, first: Event, taken: set[int]) -> None:
        """ "200 Tomahawk Block V missiles and 20 Tomahawk Block IV missiles": variants of
        one system counted side by side are one deal of their total (labelling rule 5)."""
        counted = first.quantity
        if counted is None or counted.low is None or first.written == mention.text:
            return
        second = quantity_before(f.body, mention.start)
        if second is None or second.low is None or second.start in taken:
            return
        gap = f.body[counted.end : second.start]
        if not _VARIANT_GAP.fullmatch(gap):
            return
        taken.add(second.start)
        first.quantity = Quantity(
            counted.low + second.low,
            None if counted.high is None or second.high is None else counted.high + second.high,
            f.body[counted.start : mention.end],
            counted.unit,
            counted.start,
            mention.end,
            "quantity:sum-of-variants",
        )

    def _opens_on_deal(self, f: Facts, position: int) -> bool:
        body = f.body[f.sentence.body_start :]
        return (
            bool(self.touched)
            and _LEADING_ANAPHOR.match(body) is not None
            and _COVERS.search(f.body, 0, position) is not None
        )

    def _leading_anaphor(self, f: Facts) -> Event | None:
        """ "That contract, worth $3.37 billion, covers 180 tanks..., the first batch under
        a framework for 1,000 K2s": the count and money before the first named system
        belong to the deal the sentence opens on."""
        if not self.touched or not _LEADING_ANAPHOR.match(f.body[f.sentence.body_start :]):
            return None
        first = min((m.start for m in f.systems()), default=len(f.body))
        quantity = next(
            (q for q in f.quantities if q.end <= first and q.rule != "quantity:vague"), None
        )
        if quantity is None or not _COVERS.search(f.body, 0, quantity.start):
            return None  # "The order follows the Halcon I contract for 20": another deal
        money = next((m for m in f.money if m.end <= first), None)
        cue = strongest([c for c in f.cues if c.start < quantity.start])
        event = self._event(f, None, False, quantity=quantity, generic=True)
        event.status, event.cue, event.money = (cue.status if cue else None), cue, money
        if cue is None:
            # "That contract covers 54 guns": the count of the contract it names, at
            # that deal's stage but no further than the contract (a count of the order
            # is no count of what has been delivered). A deal "agreed" in the sentence
            # before is a contract once this one calls it "the contract".
            stage = _by_rank([*self.touched[-1].events, *self.touched[-1].propagated])
            named = _contract_named(f)
            if named is not None and (
                stage is None or status_rank(stage.status) < status_rank("contracted")
            ):
                stage = Event(f.sentence, "contracted", named, None, False)
            if stage is not None and status_rank(stage.status) <= status_rank("contracted"):
                event.status, event.cue = stage.status, stage.cue
            elif stage is not None:
                event.status = "contracted"
        return event

    def _later_clause(
        self, f: Facts, mention: Mention, event: Event, clause_end: int, taken: set[int]
    ) -> list[Event]:
        """ "...set out the purchase of 672 K9s; a contract for the first 212 of them
        followed, and the first 24 guns arrived": a later clause that names no system
        but counts "them" (an executive contract under the umbrella the first clause
        reports) or speaks of "its order" or "the plan" ("..., but the plan was
        dropped") and reports a stage of its own is another stage of the system."""
        extra: list[Event] = []
        new_batch = (
            _NEW_BATCH_BEFORE.search(f.body, max(0, mention.start - 40), mention.start) is not None
        )
        for low, high in clauses(f.body):
            if low < clause_end:
                continue
            if any(low <= m.start < high and not _carrier(f.body, m) for m in f.systems()):
                break
            cue = strongest([c for c in f.cues if low <= c.start < high])
            if cue is not None and f.distractor and self._spoiled(f, cue.start):
                continue  # "and has signed a memorandum on defence industry cooperation"
            in_clause = [m for m in f.mentions if low <= m.start < high]
            # "..., and Sweden, South Korea and the Czech Republic have also ordered it"
            listed = [b for b in listed_subjects(f.sentence, in_clause) if b != event.buyer]
            other_buyer = (
                listed[0] if listed else purchasing_subject(f.sentence, f.mentions, low, high)
            )
            if other_buyer == event.buyer:
                other_buyer = None
            start, bought_more = low, False
            while (
                more := _MORE_FROM.match(f.body, start, high)
                or _FURTHER.match(f.body, start, high)
                or _ADDED_MORE.match(f.body, start, high)
                or _NEXT_BATCH.match(f.body, start, high)
                or _MORE_PASSIVE.match(f.body, start, high)
            ) is not None:
                # "..., and 32 more from Norway, the first of which arrived": a purchase
                # of its own, from the seller its clause names
                counted = next((q for q in f.quantities if start <= q.start < more.end()), None)
                if counted is None:
                    counted = _count_of(more)
                # with no stage of its own, the purchase verb's ("ordered 24 Rafale
                # jets, all of which have been delivered, and a further 30"), not the
                # first batch's deliveries
                bought = next((c for c in f.cues if c.status == "contracted"), None)
                own = cue or bought or event.cue
                later = dataclasses.replace(
                    event,
                    status=own.status if own else event.status,
                    cue=own,
                    quantity=counted,
                    position=start,
                    written=None,
                    separate=True,
                )
                later.money = None
                later.seller, later.seller_rule = self._seller(f, start)
                if counted is not None:
                    taken.add(counted.start)
                extra.append(later)
                event, bought_more = later, True
                # "added 12 more and then another six": one purchase after another
                chained = _AND_THEN.match(f.body, more.end(), high)
                if chained is None:
                    break
                start = chained.end()
            if bought_more:
                continue
            if cue is None or (cue.status == event.status and other_buyer is None):
                continue
            quantity = quantity_of_them(f.body, low, high)
            # ", and all 19 were delivered by 2022": the whole count, delivered
            every = _ALL_N.match(f.body, low, high)
            if quantity is None and every is not None:
                quantity = _count_of(every)
            if quantity is None and other_buyer is not None:
                # "..., and Saudi Arabia signed for 10 more": its own count
                quantity = (
                    next(
                        (q for q in f.quantities if low <= q.start < high and q.start not in taken),
                        None,
                    )
                    or _count_more(f.body, low, high)
                    or _count_of(_BARE_COUNT.match(f.body, cue.end, high))
                )
            batch = _FIRST_BATCH.search(f.body, low, high)
            if batch is not None and cue.status in {"delivering", "delivered"}:
                # "will double its fleet; the first four, ordered in 2018, were delivered
                # last year": an earlier purchase of its own, with its own stage
                counted = _count_of(batch)
                extra.append(
                    dataclasses.replace(
                        event,
                        # the batch itself has arrived, or is arriving
                        status="delivered"
                        if _WERE_DELIVERED.search(f.body, batch.end(), high)
                        else cue.status,
                        cue=cue,
                        quantity=counted,
                        position=low,
                        written=None,
                        separate=True,
                        money=None,
                    )
                )
                continue
            shared = _SHARED_SUBJECT.match(f.body, low) is not None
            # "..., and the first 24 guns arrived": a part of it delivered
            part = cue.status in {"delivering", "delivered"} and (
                (
                    f.body[max(0, low - 6) : low].rstrip().endswith((", and", ";"))
                    and _PRONOUN.search(f.body, low, high) is not None
                )
                # "; three have entered service so far": a count of them, as its subject
                or _BARE_PART.match(f.body, low, high) is not None
                or every is not None
                # "; the Portuguese air force has received two so far": the buyer's own
                or self._opens_on_buyer(f, low, high, event.buyer)
                # ", and the first battery was declared operational in 2025"
                or _FIRST_OPENING.match(f.body, low, high) is not None
            )
            if (
                quantity is None
                and not shared
                and not part
                and other_buyer is None
                and _ITS_DEAL.search(f.body, low, high) is None
            ):
                continue  # neither "212 of them" nor "its order", "the plan": not this deal
            if quantity is not None:
                taken.add(quantity.start)
            # "the first 46 were built in Germany and delivered in 2022": a part delivered
            # is a delivery under way
            first_part = _FIRST_OPENING.match(f.body, low, high) is not None
            stage = "delivering" if first_part and cue.status == "delivered" else cue.status
            later = dataclasses.replace(event, status=stage, cue=cue, quantity=quantity)
            if new_batch:
                # the same deal's later stage ("ordered a new batch of CAESAR Mk II guns,
                # but cancelled that order"): not another batch again
                later.separate = False
            later.money = None
            buyer = other_buyer
            if buyer is not None:
                # "..., while Poland ordered 48 of them": the same system, another buyer
                later.buyer, later.buyer_rule = buyer, "buyer:subject-of-purchase"
                later.seller, later.seller_rule = self._seller(f, low)
                # its own clause dates it; the first clause's variant is not its own
                later.position, later.written = low, None
            extra.append(later)
            for also in listed[1:]:
                each = dataclasses.replace(later, quantity=None)
                each.buyer = also
                extra.append(each)
            if listed[1:]:
                later.quantity = None  # a count of several buyers is none of theirs
            if not part:
                event = later  # the next clause may go on with this stage's deal
        return extra

    # -- dates -------------------------------------------------------------------------

    reference_year: int | None = None

    def past_year(
        self, f: Facts, bounds: tuple[int, int] | None = None, near: int | None = None
    ) -> int | None:
        """A year before the article's own in this sentence, or in its clause `bounds`
        (the article's year: its publication date, else the latest year it mentions):
        the earliest, or with `near` the one nearest that position ("ordered six
        MH-60Rs in 2023 to replace the NH90s it cancelled in 2022": 2023)."""
        text = f.body
        for m in f.systems():  # "PzH 2000" is no year
            text = text[: m.start] + " " * (m.end - m.start) + text[m.end :]
        if _SINCE_WORDS.search(text):  # "since the two countries normalised relations in 2020"
            text = _SINCE_YEAR.sub(lambda found: " " * len(found.group()), text)
        low, high = bounds if bounds is not None else (0, len(text))
        found = [
            (match.start(), int(match.group()))
            for match in _YEAR.finditer(text, low, high)
            if self.reference_year is not None and int(match.group()) < self.reference_year
        ]
        if not found:
            return None
        if near is not None:
            return min(found, key=lambda item: abs(item[0] - near))[1]
        return min(year for _, year in found)

    def is_old_purchase(self, f: Facts, position: int | None = None) -> bool:
        """A purchase made years ago that is now in service: delivered. With the
        system's `position`, only its clause counts ("signed for 25 more Eurofighters,
        after 20 ordered in 2022": the 2022 order is not this one)."""
        bounds = clause_of(f.body, position) if position is not None else (0, len(f.body))
        text = f.body[bounds[0] : bounds[1]]
        if _ON_ORDER.search(f.body):
            return False  # "an order book that includes 32 F-35As bought in 2020"
        if _NOT_ARRIVED.search(f.body, position or 0):
            return False  # "83 Tejas ordered in 2021, none of which has been delivered"
        flown = (
            position is not None
            # within its own clause ("operates 48 Archers and ordered 48 more": the order
            # is not the fleet it flies)
            and _FLIES_BEFORE.search(f.body, max(0, position - 60, bounds[0]), position) is not None
        )
        if _DECADE.search(text) or _IN_SERVICE.search(text) or flown:
            return True
        year = self.past_year(f, bounds, position)
        old = (
            year is not None and self.reference_year is not None and year <= self.reference_year - 3
        )
        return old and not self._denied_next(f)

    def _denied_next(self, f: Facts) -> bool:
        """ "...the 83 Tejas the ministry contracted in 2021. Not one of those jets has
        yet reached the air force": the next sentence, before it names another system,
        says the purchase is not delivered."""
        own = {m.name for m in f.systems()}
        for index in (f.sentence.index + 1, f.sentence.index + 2):
            following = self.facts_by_index.get(index)
            if following is not None:
                others = [m.start for m in following.systems() if m.name not in own]
                text = following.body[: others[0]] if others else following.body
                if others and not (_NOT_ARRIVED.search(text) or _DELAYED.search(text)):
                    # about another system from here on (but "The first aircraft is
                    # expected next year, replacing the E-3D fleet" is about its own)
                    return False
            else:
                # a sentence kept out of the facts names no system, cue or count
                text = self.sentence_texts.get(index, "")
            if _NOT_ARRIVED.search(text) is not None or _DELAYED.search(text) is not None:
                return True
        return False

    # -- deals -------------------------------------------------------------------------

    def _reported_undelivered(self, f: Facts, event: Event) -> bool:
        """ "...the S26T submarine the navy ordered in 2017, ending a dispute that has
        held up the boat" then "The navy signed a contract for one S26T in 2017": the
        article has already reported this purchase (same buyer, system and year) as not
        delivered, so its year alone does not make it delivered."""
        assert event.system is not None
        year = self.past_year(f, clause_of(f.body, event.position or 0), event.position)
        deal = self._find_deal(event.buyer or self.primary_buyer, event.system)
        if year is None or deal is None:
            return False
        return any(
            e.status in {"contracted", "approved", "intent"}
            and str(year) in e.sentence.text
            and _ON_ORDER.search(e.sentence.text) is not None
            for e in deal.events
        )

    def _family(self, system: str) -> str:
        return self.g.systems[system].family

    def _find_deal(self, buyer: str | None, system: str) -> Deal | None:
        family = self._family(system)
        same_family = self.by_family.get(family, [])
        exact = [
            d for d in same_family if d.system == system and (buyer is None or d.buyer == buyer)
        ]
        if exact:
            return exact[-1]
        related = [d for d in same_family if buyer is None or d.buyer == buyer]
        if not related:
            return None
        deal = max(related, key=lambda d: d.last_sentence)
        # A variant named after its family: the deal is about the variant.
        if system != family and deal.system == family:
            deal.system = system
        if system == family or deal.system == system:
            return deal
        return None

    def _target_for_generic(self, event: Event) -> Deal | None:
        kind = event.category_hint
        pointed = self._demonstrative_system(event)
        if pointed is not None:
            # "...pilots for the Su-30MK2 fighters. Vietnam bought 36 of those fighters":
            # the equipment the sentence before named, not the deal it reported
            buyer = event.buyer or self.primary_buyer
            return self._find_deal(buyer, pointed) or self._new_deal(buyer, pointed)
        if event.money is not None and event.quantity is None and self.touched:
            # "...12 AH-1Z helicopters, 28 engines and 2,000 APKWS rockets. The package is
            # estimated at $997 million": the value of the deal the last sentence
            # reported is its first-named (main) system's.
            index = self.touched[-1].events[-1].sentence.index
            for deal in self.touched[-_LOOKBACK:]:
                if deal.events[-1].sentence.index == index:
                    if event.generic or compatible(kind, self.g.systems[deal.system].category):
                        return deal
                    break
        # "The drones", "the contract": the deal most recently reported (looking back a
        # bounded way, so that long texts stay linear); "Boeing handed over the first of
        # the five": first the recent deal whose maker the sentence names.
        recent = list(reversed(self.touched[-_LOOKBACK:]))
        named_makers = {c.name for c in event.companies}
        if named_makers:
            recent.sort(key=lambda deal: self.g.systems[deal.system].maker not in named_makers)
        for deal in recent:
            if event.generic or compatible(kind, self.g.systems[deal.system].category):
                return deal
        # Nothing yet: the system may be named later in the article ("The aircraft on
        # offer was the Seahawk"); prefer one made by a company this sentence names.
        if event.generic and event.status not in {
            "cancelled",
            "contracted",
            "delivered",
            "delivering",
        }:
            return None
        named = {c.name for c in event.companies}
        best: tuple[int, int, int, int, str] | None = None
        for index, m in self.system_mentions:
            system = self.g.systems[m.name]
            if not event.generic and not compatible(kind, system.category):
                continue
            by_maker = 0 if system.maker in named else 1
            # nearest sentence, then the first named in it
            score = (by_maker, abs(index - event.sentence.index), index, m.start, m.name)
            if best is None or score < best:
                best = score
        if best is None:
            return None
        buyer = event.buyer or self.primary_buyer or self.named_buyers.get(self._family(best[-1]))
        deal = self._new_deal(buyer, best[-1])
        counted = self.named.get(self._family(best[-1]))
        if event.quantity is None and counted is not None and counted.buyer in (None, buyer):
            # "... for its 36 F-35A fighters. Switzerland signed the purchase agreement":
            # the count a sentence naming the system gave it
            self._attach(deal, counted)
        return deal

    def _older_purchase(self, f: Facts, deal: Deal, event: Event) -> bool:
        """Whether a contract or delivery dated years back, of another count, is a
        purchase before the deal the article reports as only planned or approved."""
        counted = event.quantity
        if (
            event.status not in {"contracted", "delivering", "delivered"}
            or counted is None
            or counted.low is None
            or not _only_planned(deal)
        ):
            return False
        year = self.past_year(f, near=event.position)
        if year is None or self.reference_year is None or year > self.reference_year - 3:
            return False
        return any(
            e.anchored and e.quantity is not None and e.quantity.low not in (None, counted.low)
            for e in deal.events
        )

    def _demonstrative_system(self, event: Event) -> str | None:
        """The system "those fighters" points to: the last one of the unit's kind the
        sentence before names, when no deal of it was reported yet."""
        found = _DEMONSTRATIVE.search(event.sentence.text)
        before = self.facts_by_index.get(event.sentence.index - 1)
        if found is None or before is None:
            return None
        kind = _unit_kind(found.group(1))
        named = [
            m.name for m in before.systems() if compatible(kind, self.g.systems[m.name].category)
        ]
        if not named or any(d.system == named[-1] for d in self.touched[-_LOOKBACK:]):
            return None
        return named[-1]

    def _new_deal(self, buyer: str | None, system: str) -> Deal:
        deal = Deal(buyer=buyer, system=system)
        self.deals.append(deal)
        self.by_family.setdefault(self._family(system), []).append(deal)
        return deal

    def _attach(self, deal: Deal, event: Event) -> None:
        deal.events.append(event)
        self.touched.append(deal)

    def _previous_subject(self, f: Facts) -> str | None:
        """The country the sentence just before opens on, when this one opens on "It"
        or "They" (and names no country itself)."""
        if not _PRONOUN_SUBJECT.match(f.body, f.sentence.body_start):
            return None
        return self._previous_opening(f)

    @functools.cached_property
    def revised(self) -> set[int]:
        """Counts the article says a deal no longer has ("three rather than the five it
        ordered", "cut from 12 to eight"): the earlier figure of the same deal."""
        return {
            n
            for f in self.facts
            if _REVISION_WORDS.search(f.body)
            for found in _REVISED.finditer(f.body)
            if (n := parse_number(found.group("n"))) is not None
        }

    @functools.cached_property
    def fms_unnamed(self) -> bool:
        """Whether a sentence naming no system speaks of a foreign military sale ("The
        purchase, made through the Foreign Military Sales programme")."""
        return self.fms and any(_FMS.search(f.body) and not f.systems() for f in self.facts)

    def sold_by_fms(self, deal: Deal) -> bool:
        """Whether the deal is itself a foreign military sale: approved (by the State
        Department, in an article about one), or reported in a sentence naming the
        programme ("The purchase, made through the Foreign Military Sales programme")."""
        events = (*deal.events, *deal.propagated)
        for e in events:
            text = e.sentence.text
            low, high = clause_of(text, e.position) if e.position is not None else (0, len(text))
            if e.status == "approved" or _FMS.search(text, low, high):
                return True
        # "Latvia orders Naval Strike Missile coastal system" ... "The purchase, made
        # through the Foreign Military Sales programme": the headline's deal is the sale
        return any(e.sentence.headline for e in deal.events) and self.fms_unnamed

    def origin_adjective(self, deal: Deal) -> str | None:
        """The country of a demonym right before the system in the deal's own sentences
        ("Poland is also buying British CAMM missiles"), unless it is the buyer's own."""
        for event in deal.events:
            f = self.facts_by_index.get(event.sentence.index)
            if f is None or event.position is None:
                continue
            for m in f.mentions:
                if (
                    m.kind == "country"
                    and m.text != m.name
                    and m.name != deal.buyer
                    and f.body[m.end : event.position] == " "
                ):
                    return m.name
        return None

    def origin_named(self, deal: Deal) -> str | None:
        """The country of a demonym that qualifies the deal's kind of equipment in its own
        sentences ("to operate Chinese combat drones, after taking delivery of six CH-92A
        drones"), for a system the gazetteer does not know the maker of."""
        category = self.g.systems[deal.system].category
        for event in deal.events:
            f = self.facts_by_index.get(event.sentence.index)
            if f is None:
                continue
            for m in f.mentions:
                if m.kind != "country" or m.text == m.name:
                    continue
                words = _NOUN_AFTER.match(f.body, m.end)
                if words is not None and any(
                    noun_category(word) == category for word in words.group().split()
                ):
                    return m.name
        return None

    def _opens_on_country(self, f: Facts, country: str | None) -> bool:
        """Whether the sentence opens on this country ("Luxembourg has also joined")."""
        first = f.mentions[0] if f.mentions else None
        opening = f.body[f.sentence.body_start : first.start] if first is not None else ""
        return (
            first is not None
            and first.kind == "country"
            and first.name == country
            and opening.strip() in {"", "The", "the"}
        )

    def _previous_opening(self, f: Facts) -> str | None:
        """The country the sentence just before opens on ("Australia is also spending
        heavily on armoured vehicles.")."""
        before = self.facts_by_index.get(f.sentence.index - 1)
        if before is None or not before.mentions:
            return None
        first = before.mentions[0]
        opening = before.body[before.sentence.body_start : first.start]
        if first.kind != "country" or opening.strip() not in {"", "The", "the"}:
            return None
        return first.name

    def _buyer_or_fallback(self, event: Event, f: Facts) -> bool:
        """Fill a missing buyer from the article; False when the sentence is company news."""
        weak = event.buyer_rule in {"buyer:first-country", "buyer:agency"}
        if weak and self.primary_buyer and _GENERIC_SUBJECT.match(f.body[f.sentence.body_start :]):
            # "The government intends to acquire...": the article's buyer, whatever
            # other country the sentence names.
            event.buyer, event.buyer_rule = self.primary_buyer, "buyer:article-subject"
            return True
        if (
            weak
            and self.fms
            and event.buyer == "United States"
            and self.primary_buyer not in (None, "United States")
        ):
            # "The agency also notified Congress of a sale of radars": the US sells.
            event.buyer, event.buyer_rule = self.primary_buyer, "buyer:article"
            return True
        if event.buyer is not None:
            return True
        previous = self._previous_subject(f)
        if previous is not None:
            # "The Philippines is so far the only export customer. It signed a $375
            # million contract ...": "it" is the country the sentence before opened on
            event.buyer, event.buyer_rule = previous, "buyer:previous-subject"
            return True
        if (
            self.primary_buyer is None
            and self.dateline_country is not None
            and _GENERIC_SUBJECT.match(f.body[f.sentence.body_start :])
        ):
            event.buyer, event.buyer_rule = self.dateline_country, "buyer:dateline"
            return True
        first = f.mentions[0] if f.mentions else None
        starts_with_company = (
            first is not None
            and first.kind == "company"
            and _COMPANY_SUBJECT.match(f.body[f.sentence.body_start : first.start])
        )
        if starts_with_company:
            if (
                event.status
                and self.primary_buyer
                and self._previous_opening(f) == self.primary_buyer
            ):
                # "Australia is also spending on armoured vehicles. Rheinmetall is
                # building 211 Boxers under a contract signed in 2018, ...": the topic
                # the sentence before set
                event.buyer, event.buyer_rule = self.primary_buyer, "buyer:previous-subject"
                if event.seller is None and first is not None:
                    # the company building them is the contracted one: its country sells
                    event.seller = self.g.companies[first.name].country
                    event.seller_rule = f"seller:builder-company/{first.name}"
                return True
            return False
        event.buyer, event.buyer_rule = self.primary_buyer, "buyer:article"
        return event.buyer is not None

    def _export_approval(self, event: Event) -> Deal | None:
        """ "The US Congress approved the transfer of the Virginia-class boats": an
        approval by the country that sells this system to another buyer in the article
        is its export approval of that deal, not a purchase of its own."""
        if event.seller not in {None, event.buyer}:
            return None
        for deal in reversed(self.by_family.get(self._family(event.system or ""), [])):
            sellers = {e.seller for e in deal.events if e.seller}
            if deal.buyer != event.buyer and event.buyer in sellers:
                event.buyer, event.buyer_rule = deal.buyer, "buyer:export-approval"
                event.seller = next(iter(sellers))
                return deal
        return None

    def _earlier_purchase(self, f: Facts, event: Event, deal: Deal) -> bool:
        """ "Parliament has approved two more Type 212CD submarines." then "Norway ordered
        four of the submarines in 2021": a purchase dated years before, of another count
        than the deal just reported, is a deal of its own (labelling rule 7)."""
        if event.status not in {"contracted", "delivering", "delivered"} or event.quantity is None:
            return False
        year = self.past_year(f)
        if year is None:
            return False
        if event.quantity.low in self.revised:
            return False  # "will buy only three rather than the five it ordered": one deal
        if _PARTITIVE.match(event.quantity.text) and not _BOUGHT_BEFORE.search(
            f.body, max(0, event.quantity.start - 30), event.quantity.start
        ):
            # "four of the boats are being built in China": a part of it ("Norway ordered
            # four of the submarines in 2021" is a purchase)
            return False
        if _only_planned(deal) and _adds_to_earlier(deal):
            # "plans to buy additional BrahMos batteries" then "Manila signed a contract
            # in January 2022 for three batteries": the purchase the plan adds to
            return True
        counts = {
            e.quantity.low
            for e in deal.events
            if e.anchored
            and e.quantity is not None
            and e.status in {"intent", "approved", "contracted"}
        }
        return (
            bool(counts)
            and event.quantity.low not in counts
            and not any(str(year) in e.sentence.text for e in deal.events)
        )

    def _contractor(self, f: Facts) -> None:
        """ "The principal contractor would be X": X makes the deal just reported."""
        for company in f.companies():
            if _CONTRACTOR.search(
                f.body[max(0, company.start - 60) : company.start]
            ) or _CONTRACTOR_AFTER.match(f.body[company.end : company.end + 80]):
                # "Lockheed Martin will be the principal contractor for the F-35 sale":
                # the deal of the system the sentence names, else the one just reported
                named = {m.name for m in f.systems()}
                target = next(
                    (
                        d
                        for d in reversed(self.touched)
                        if d.system in named or self._family(d.system) in named
                    ),
                    self.touched[-1] if self.touched else None,
                )
                if target is not None:
                    target.contractor = company.name
                return

    def _enumerated(self, f: Facts) -> Event | None:
        """The stage of several deals reported just before this sentence, while some of
        those deals are still to be named."""
        event = self.enumeration
        if event is None or self.enumeration_left <= 0:
            return None
        if f.sentence.index - event.sentence.index > _ENUMERATION_REACH:
            return None
        return event

    denied: set[str]

    def add(self, f: Facts) -> None:
        self._contractor(f)
        for event in self.events_of(f):
            if event.enumerates:
                self.enumeration, self.enumeration_left = event, event.enumerates
                if self.primary_buyer is None and event.buyer is not None:
                    self.primary_buyer = event.buyer
                continue
            if event.system is None and event.status and _BOTH.search(f.body):
                # "180 K2 tanks and 212 K9 howitzers ... Deliveries of both began in
                # December": each deal the sentence before reported
                pair = self._previous_pair(f)
                if pair is not None:
                    for each in pair:
                        both = dataclasses.replace(event, quantity=None, money=None)
                        both.buyer, both.buyer_rule = each.buyer, "buyer:deal"
                        self._attach(each, both)
                    continue
            if event.system is None:
                if event.buyer is None and event.status and not self.touched:
                    # "CANBERRA - ... The army and navy bought 47 of the helicopters": the
                    # first deal of the article may be one no sentence has named yet
                    self._buyer_or_fallback(event, f)
                untouched = not self.touched
                deal = None if event.floating else self._target_for_generic(event)
                if deal is not None and (event.separate or _more_than_reported(deal, event)):
                    # a later batch of it; "would order up to 200 more vehicles"
                    deal = self._new_deal(deal.buyer, deal.system)
                if deal is None:
                    if event.status in {"intent", "approved"}:
                        self.unanchored.append(event)
                    continue
                if _another_seller(event, deal, self.g):
                    # "Saudi Arabia is also buying four surface combatants from the United
                    # States" after its Spanish corvettes: another purchase, unnamed
                    continue
                if self.primary_buyer is None and event.status:
                    self.primary_buyer = deal.buyer
                if (
                    _EARLIER_DEAL.search(f.body)
                    # "The first executive contract, for 180 tanks, followed; most of
                    # those have already arrived": that contract and its deliveries
                    and event.status in {"contracted", "delivering", "delivered"}
                    and any(e.status == "contracted" and e.anchored for e in deal.events)
                ) or self._earlier_purchase(f, event, deal):
                    # "A first executive contract for 180 tanks followed": another
                    # contract for the system than the one reported (labelling rule 7)
                    deal = self._new_deal(deal.buyer, deal.system)
                    counted = event.quantity
                    if (
                        event.status == "contracted"
                        and counted is not None
                        and _FLEET_OF.search(f.body, max(0, counted.start - 30), counted.start)
                        and self.is_old_purchase(f)
                    ):
                        # "The army's fleet of about 350 vehicles, ordered in 2009": a
                        # fleet bought years ago is in service
                        event.status = "delivered"
                if (
                    event.buyer not in (None, deal.buyer)
                    and event.buyer_rule not in _STRONG_BUYER
                    and not event.generic
                    and self._opens_on_country(f, event.buyer)
                ):
                    # "Luxembourg has also joined the programme and is buying 80 of its own
                    # reconnaissance vehicles": another country's purchase of equipment
                    # the sentence does not name
                    continue
                if event.buyer_rule in _STRONG_BUYER and event.buyer not in (None, deal.buyer):
                    # "Japan, which ordered 400 of the missiles": the same system, bought
                    # by another buyer the sentence names firmly.
                    buyer, system = event.buyer, deal.system
                    deal = self._find_deal(buyer, system) or self._new_deal(buyer, system)
                else:
                    event.buyer, event.buyer_rule = deal.buyer, "buyer:deal"
                event.quantity = self._counted(deal.system, f, event.quantity)
                if (
                    untouched
                    and not deal.events
                    and event.status == "contracted"
                    and self.is_old_purchase(f)
                ):
                    # "The army and navy bought 47 of the helicopters ... in 2006": the first
                    # word of a deal, bought years ago, is of one in service
                    event.status = "delivered"
                self._attach(deal, event)
                continue
            if (
                self.fms
                and event.status == "announced"
                and event.cue is not None
                and _REQUEST.search(f.body)
            ):
                # "Qatar had asked to buy 215 AMRAAMs": the request the approval answers
                event.status = "approved"
            if (
                event.status == "contracted"
                and not any(
                    c.status == "delivering"
                    and clause_of(f.body, c.start) == clause_of(f.body, event.position or 0)
                    for c in f.cues
                )
                and self.is_old_purchase(f, event.position)
                and not self._reported_undelivered(f, event)
            ):
                event.status = "delivered"  # bought years ago and in service
                known = self._find_deal(event.buyer or self.primary_buyer, event.system or "")
                delivering = [e for e in known.events if e.status == "delivering"] if known else []
                if delivering and not _other_variant(event, delivering):
                    # "has received its first Boxers" then "ordered 523 Boxers in 2019":
                    # the deliveries the article reports are under way
                    event.status = "delivering"
                if (
                    event.quantity is not None
                    and event.quantity.rule == "quantity:total"
                    and _PART_OF.match(event.quantity.text)
                ):
                    # "with six of the 24 aircraft it bought now in service": a part of it
                    event.status = "delivering"
            if not self._buyer_or_fallback(event, f):
                continue
            if self.primary_buyer is None and event.status and event.buyer_rule != "buyer:article":
                self.primary_buyer = event.buyer
            deal = None if event.separate else self._find_deal(event.buyer, event.system)
            if deal is not None and _more_than_reported(deal, event):
                # "Denmark ordered 27 F-35As in 2016 ... it would buy four more F-35s"
                deal = None
            if deal is not None and self._older_purchase(f, deal, event):
                # "three additional Scorpene submarines" approved, then "the six
                # Kalvari-class submarines built under a 2005 contract": another purchase
                deal = None
            if deal is not None and _other_country_seller(deal, event):
                # "buying 20 new Typhoons from Britain ... 12 used Typhoons from Qatar":
                # a purchase from another country is a deal of its own
                deal = None
            if deal is None and event.status == "approved":
                deal = self._export_approval(event)
            enumerated = self._enumerated(f)
            if deal is None and event.status is None:
                deal = self._find_deal(None, event.system)
                if deal is None and enumerated is None:
                    if event.quantity is not None:
                        self.named[self._family(event.system)] = event
                    if event.buyer is not None:
                        # "The first E-7 for the Royal Air Force flew": whose it is
                        self.named_buyers.setdefault(self._family(event.system), event.buyer)
                    continue  # a system merely named: no deal
            if deal is None:
                deal = self._new_deal(event.buyer, event.system)
                named = self.named.get(self._family(event.system))
                if (
                    event.quantity is None
                    and named is not None
                    and named.buyer in (None, deal.buyer)
                    and f.sentence.index - named.sentence.index <= 2
                ):
                    self._attach(deal, named)  # the count the sentence before gave it
                if enumerated is not None and enumerated.buyer in (None, deal.buyer):
                    # "cancelled two contracts. The larger covered SILAM...": one of them
                    deal.propagated.append(enumerated)
                    self.enumeration_left -= 1
            self._attach(deal, event)

    def add_headline(self, f: Facts) -> None:
        """Headlines repeat the story in few words: they join the deals the body found."""
        for event in self.events_of(f):
            if event.system is None:
                if event.status in {"intent", "approved"}:
                    self.unanchored.append(event)
                continue
            family = self._family(event.system)
            related = self.by_family.get(family, [])
            if related:
                same = [d for d in related if _top_status(d) == event.status]
                target = (same or related)[0]
                if (
                    event.status == "contracted"
                    and event.cue is not None
                    and "agreement" in event.cue.text.lower()
                    and any(e.status == "intent" for e in target.events)
                ):
                    # "Indonesia signs agreement for 24 F-15EX" over a body that calls it
                    # a memorandum of understanding: the body's word is the exact one
                    event.status, event.cue = None, None
                target.events.append(event)
            elif event.status:
                if self._only_talked_about(event.system):
                    continue  # "... signs its own Gripen deal" over "holding talks on Gripens"
                if not self._buyer_or_fallback(event, f):
                    continue
                self._new_deal(event.buyer, event.system).events.append(event)

    def _only_talked_about(self, system: str) -> bool:
        """The body names the system only in talks, offers or competitions."""
        sentences = [self.facts_by_index[i] for i, m in self.system_mentions if m.name == system]
        body = [f for f in sentences if not f.sentence.headline]
        return bool(body) and all(self.g.any_undecided.search(lowered(f.body)) for f in body)

    def _split(self, deal: Deal) -> list[Deal]:
        """Separate records hiding in one deal (labelling rule 7).

        An earlier purchase the article mentions beside the news ("the 24 K9s it
        bought in 2017") is a deal of its own; so is a framework agreement or letter
        of intent whose quantity differs from the executive contract under it.
        """
        facts = self.facts_by_index
        extra: list[Deal] = []
        # The news the earlier purchase stands beside: a stage of the named system in
        # another body sentence (a headline repeats the story; "the original contract"
        # refers back to the same deal).
        staged = {
            e.sentence.index
            for e in deal.events
            if e.status and e.anchored and not e.sentence.headline
        }
        # The year each news stage gives its own purchase ("the S26T the navy ordered in
        # 2017, ... held up"): a sentence on a purchase of that year restates it.
        news_years = {
            e.sentence.index: self.past_year(
                facts[e.sentence.index], clause_of(facts[e.sentence.index].body, pos), pos
            )
            for e in deal.events
            if e.sentence.index in staged and (pos := e.position) is not None
        }
        earlier: list[Event] = []
        add_on = any(
            e.quantity is not None and _ADD_ON.search(e.quantity.text) for e in deal.events
        )
        for event in deal.events:
            facts_of = facts[event.sentence.index]
            if not any(c.status in {"contracted", "delivered"} for c in facts_of.cues):
                continue  # an earlier purchase says it was ordered, bought or received
            if not event.anchored and not (add_on and _EARLIER.search(event.sentence.text)):
                continue
            if event.quantity is None:
                continue  # "the CAESAR contract signed in 2017": this deal's own history
            if (
                self.past_year(facts[event.sentence.index]) is None
                and not _EARLIER_DEALS.search(event.sentence.text)
                and not _DECADE.search(event.sentence.text)  # "it bought in the 1990s"
                and not _LAST_YEAR.search(event.sentence.text)  # "18 ordered last year"
            ):
                continue  # "the 50 F-35Is it bought in earlier contracts" needs no year
            own = event.position
            others = {y for i, y in news_years.items() if i != event.sentence.index} - {None}
            if (
                own is not None
                and self.past_year(facts_of, clause_of(facts_of.body, own), own) in others
            ):
                continue  # the news's own purchase, restated with its year
            news = [
                e
                for e in deal.events
                if e.sentence.index in staged and e.sentence.index != event.sentence.index
            ]
            if (
                news
                and all(
                    e.status == "delivering"
                    # "The first four F-35A fighters ... landed": a part, no count of its own
                    and (e.quantity is None or is_partial(e.sentence.text, e.quantity))
                    for e in news
                )
                and not _other_variant(event, news)
            ):
                continue  # "has received its first Boxers" is this order being delivered
            if staged - {event.sentence.index}:
                earlier.append(event)
        if earlier:
            # "Berlin ordered its first five P-8As in 2021 ... Boeing handed over the first
            # of the five last month": the sentences right after an earlier purchase that
            # name no system go with it
            groups: dict[int, list[Event]] = {}
            current: list[Event] | None = None
            for e in deal.events:
                if any(e is x for x in earlier):
                    current = groups.setdefault(id(e), [e])
                elif current is not None and not e.sentence.headline:
                    later = not e.anchored and e.sentence.index > current[-1].sentence.index
                    # "...; the last of those was delivered in 2022": its own sentence's
                    # clause about the same units
                    same = e.sentence.index == current[0].sentence.index and e.quantity is None
                    if later or same:
                        current.append(e)
                else:
                    current = None
            moved = {id(e) for group in groups.values() for e in group}
            deal.events = [e for e in deal.events if id(e) not in moved]
            # "the 11 older Gripen C/D jets it bought in 2008": the earlier batch keeps
            # the designation its own sentence gives.
            extra.extend(
                Deal(buyer=deal.buyer, system=e.system or deal.system, events=groups[id(e)])
                for e in earlier
            )

        def counted(e: Event) -> bool:
            return e.quantity is not None and e.quantity.rule != "quantity:vague"

        umbrella = [e for e in deal.events if e.status == "intent" and counted(e)]
        executive = [
            e
            for e in deal.events
            if e.status in {"contracted", "delivering", "delivered"} and counted(e)
        ]
        if umbrella and executive:
            a, b = umbrella[0].quantity, executive[0].quantity
            if a is not None and b is not None and (a.low, a.high) != (b.low, b.high):
                moved = {id(e) for e in umbrella}
                deal.events = [e for e in deal.events if id(e) not in moved]
                extra.append(Deal(buyer=deal.buyer, system=deal.system, events=umbrella))
        return extra

    def _sum_of_batches(self) -> None:
        """ "The last of Greece's 24 Rafales landed, completing deliveries under two
        contracts" beside "signed for 18 Rafales ... and ordered six more": a total that is
        the sum of the batches the article reports is no deal of its own; its completed
        deliveries are theirs."""
        groups: dict[tuple[str | None, str], list[Deal]] = {}
        for deal in self.deals:
            groups.setdefault((deal.buyer, self._family(deal.system)), []).append(deal)
        for group in groups.values():
            if len(group) < 3:
                continue
            counts = {id(deal): _exact_count(deal) for deal in group}
            for total in group:
                n = counts[id(total)]
                others = [d for d in group if d is not total and counts[id(d)]]
                if n is None or len(others) < 2 or len(others) > _MAX_BATCHES:
                    continue
                if not any(
                    e.quantity is not None
                    and _TOTAL_MARK.search(
                        e.sentence.text, max(0, e.quantity.start - 20), e.quantity.start
                    )
                    for e in total.events
                ):
                    continue  # "ordered 12" is a batch, "all 30" or "Greece's 24" a total
                index = total.events[0].sentence.index
                # the batches nearest the total's sentence that add up to it
                summing = [
                    combo
                    for size in range(len(others), 1, -1)
                    for combo in itertools.combinations(others, size)
                    if sum(counts[id(d)] or 0 for d in combo) == n
                ]
                if not summing:
                    continue
                parts = min(
                    summing,
                    key=lambda combo: sum(abs(d.events[0].sentence.index - index) for d in combo),
                )
                top = _by_rank(total.events)
                if top is not None and top.status == "delivered":
                    done = dataclasses.replace(top, quantity=None, money=None)
                    for part in parts:
                        part.propagated.append(done)
                self.deals.remove(total)
                break

    def finish(self) -> list[Deal]:
        """Split, apply unanchored intents and approvals, drop deals nothing advanced."""
        for deal in list(self.deals):
            self.deals.extend(self._split(deal))
        self._sum_of_batches()
        ranks = {id(deal): status_rank(_top_status(deal)) for deal in self.deals}
        for event in self.unanchored:
            rank = status_rank(event.status)
            for deal in self.deals:
                if abs(deal.events[0].sentence.index - event.sentence.index) > _LOOKBACK:
                    continue  # a letter of intent speaks of the deals around it
                parties = event.buyer in (None, deal.buyer) or deal.buyer in _names(event)
                if ranks[id(deal)] < rank and parties:
                    deal.propagated.append(event)
                    ranks[id(deal)] = rank
        return [
            d
            for d in self.deals
            if d.buyer
            and ranks[id(d)] >= 0
            # "Cairo denied reports that it had signed for J-10C fighters": only
            # the report of it remains (sentences not naming the system)
            and not (d.system in self.denied and not any(e.anchored for e in d.events))
            and not self._aid_received(d)
        ]

    @functools.cached_property
    def aid(self) -> frozenset[tuple[str, str]]:
        """(recipient, family) of the aid the article reports ("four IRIS-T SLM fire
        units that will go to Ukraine as military aid")."""
        given: set[tuple[str, str]] = set()
        for f in self.facts:
            if f.distractor != "donation" or not f.systems():
                continue
            families = {self._family(m.name) for m in f.systems()}
            for m in f.mentions:
                if m.kind == "country" and _TO_RECIPIENT.search(
                    f.body, max(0, m.start - 20), m.start
                ):
                    given.update((m.name, family) for family in families)
        return frozenset(given)

    def _aid_received(self, deal: Deal) -> bool:
        """ "Ukraine has received more than a dozen IRIS-T launchers from Germany": what
        the recipient of the article's aid receives of it, with no purchase reported."""
        return (deal.buyer or "", self._family(deal.system)) in self.aid and all(
            e.status in (None, "delivering", "delivered") for e in deal.events
        )


_TO_RECIPIENT = re.compile(r"(?i)\b(?:to|for)\s+(?:the\s+)?$")
_NOT_YET = re.compile(
    r"(?i)\b(?:to be|will|would|could|may|might|expected|planned|due|yet|not|if|once|"
    r"draft|proposed|future|negotiat\w*)\b"
)


def _contract_named(f: Facts) -> Cue | None:
    """ "The contract, worth 40 million euros, covers training": a sentence that opens
    on the deal just reported and calls it a contract (or order), saying nothing of
    one still to come, reports that the deal is contracted."""
    opening = _LEADING_ANAPHOR.match(f.body[f.sentence.body_start :])
    if opening is None or opening.group("noun").lower() not in {"contract", "order"}:
        return None
    if _NOT_YET.search(f.body):
        return None
    start = f.sentence.body_start + opening.start()
    return Cue("contracted", opening.group(), start, start + len(opening.group()), "contract named")


_OWNER_RELATIVE = re.compile(
    r"(?i),\s+which\s+(?:also\s+)?(?:(?:is|are)\s+(?:also\s+)?(?:buying|building|acquiring|ordering)|"
    r"(?:has|have|had)\s+(?:also\s+)?(?:ordered|bought|acquired|chosen|selected)|"
    r"(?:plans|intends|wants)\s+to\s+(?:build|buy|acquire|order))\b[^,;.]*$"
)


def _relative_owner(f: Facts, mention: Mention) -> str | None:
    """The country whose relative clause names the system ("Canada, which is building 15
    River-class destroyers")."""
    countries = [m for m in f.mentions if m.kind == "country" and m.end <= mention.start]
    if not countries:
        return None
    last = countries[-1]
    if _OWNER_RELATIVE.match(f.body, last.end, mention.start) is None:
        return None
    return last.name


_ADDITIONAL_BEFORE = re.compile(r"(?i)\b(?:additional|more|further|another)\s+(?:[\w-]+\s+)?$")


def _adds_to_earlier(deal: Deal) -> bool:
    """Whether the deal is a purchase of "additional" units of the system (so an earlier
    purchase of it the article reports is another deal)."""
    return any(
        e.anchored
        and e.position is not None
        and _ADDITIONAL_BEFORE.search(e.sentence.text, max(0, e.position - 30), e.position)
        for e in deal.events
    )


def _only_planned(deal: Deal) -> bool:
    """Whether a deal has reached no contract yet (only plans, intents, approvals)."""
    return all(e.status in (None, "announced", "intent", "approved") for e in deal.events)


def _more_than_reported(deal: Deal, event: Event) -> bool:
    """Whether an event buys more of a system than a deal already reported with a count
    of its own ("four more F-35s" after "ordered 27 F-35As")."""
    counted = event.quantity
    if counted is None or counted.high is None or not _N_MORE.search(counted.text):
        return False
    return any(
        e.anchored and e.quantity is not None and e.quantity.high not in (None, counted.high)
        for e in deal.events
    )


def _other_variant(event: Event, news: list[Event]) -> bool:
    """Whether an earlier purchase names a variant other than the news's ("the 20 older
    F-16C/D aircraft" beside "the first F-16 Block 70")."""

    def spelled(text: str | None) -> str:
        return (text or "").removesuffix("s")  # "F-35As" is the plural of "F-35A"

    written = spelled(event.written)
    return any(ch.isdigit() for ch in written) and all(
        spelled(e.written) not in ("", written) and any(ch.isdigit() for ch in spelled(e.written))
        for e in news
    )


def _names(event: Event) -> set[str]:
    return {n for n in (event.buyer, event.seller) if n}


def _by_rank(events: list[Event]) -> Event | None:
    """The event of the most advanced stage."""
    staged = [e for e in events if e.status]
    return max(staged, key=lambda e: status_rank(e.status)) if staged else None


def _exact_count(deal: Deal) -> int | None:
    """The exact count of a deal's most advanced stage that states one."""
    staged = sorted(
        (e for e in deal.events if e.status and e.quantity is not None),
        key=lambda e: -status_rank(e.status),
    )
    for event in staged:
        q = event.quantity
        if q is not None and q.low is not None and q.low == q.high:
            return q.low
    return None


def _top_status(deal: Deal) -> str | None:
    top = _by_rank([*deal.events, *deal.propagated])
    return top.status if top else None


def assemble(
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    published_year: int | None = None,
    budget: int = ANALYSED_SENTENCES,
) -> tuple[list[Deal], Assembler, int | None]:
    """Deals of an article (body first, then the headline joins them), and the offset
    where analysis stopped when the work budget ran out (else None)."""
    facts = []
    truncated_at: int | None = None
    analysed = 0
    # A sentence repeated in an article (boilerplate, a table, adversarial input) is
    # analysed once: its facts depend on its text alone. Past its third occurrence it
    # says nothing new and is passed over.
    seen: dict[tuple[str, int], Facts] = {}
    occurrences: dict[tuple[str, int], int] = {}
    # The deal words are found in one pass over the whole text (sentences joined by
    # line breaks, which no word spans), then looked up per sentence.
    whole = "\n".join(s.text for s in sentences)
    # Designations the gazetteer does not list ("two HDC-3100 warships") are systems of
    # this article only.
    unknown = unknown_systems(whole, gazetteer)
    unlisted = {name: system for name, system in unknown.items() if not system.listed}
    if unlisted:
        gazetteer = with_systems(gazetteer, unlisted)
    starts = list(itertools.accumulate((len(s.text) + 1 for s in sentences), initial=0))
    words = [m.start() for m in _RELEVANT.finditer(lowered(whole))]
    read = len(sentences)
    for number, sentence in enumerate(sentences):
        key = (sentence.text, sentence.body_start)
        known = seen.get(key)
        if known is None:
            mentions = unknown_mentions(sentence, find_mentions(sentence, gazetteer), unknown)
            at = bisect.bisect_left(words, starts[number])
            relevant = any(m.kind == "system" for m in mentions) or (
                at < len(words) and words[at] < starts[number + 1]
            )
            if relevant:
                if analysed == budget:
                    truncated_at, read = sentence.start, number
                    break
                analysed += 1
            current = sentence_facts(sentence, gazetteer, mentions, relevant)
            seen[key] = current
        else:
            occurrences[key] = occurrences.get(key, 1) + 1
            if occurrences[key] > _REPEATS:
                continue
            current = known
        # Most sentences of long prose name no system, use no deal word and name no
        # company: nothing later can take anything from them, so they are not kept.
        if (
            current.mentions
            or current.cues
            or current.quantities
            or current.money
            or sentence.headline
        ):
            if current.sentence is not sentence:
                current = dataclasses.replace(current, sentence=sentence)
            facts.append(current)
    # Whole-article facts read every sentence, kept or not (one pass over the text).
    whole = whole[: starts[read]]
    assembler = Assembler(
        gazetteer, facts, fms=bool(_FMS.search(whole)), sentences=sentences[:read]
    )
    years = [int(y) for y in _YEAR.findall(whole)]
    assembler.reference_year = published_year or (max(years) if years else None)
    for f in facts:
        if f.sentence.headline:
            # A headline that names its buyer firmly ("Colombia picks Gripen") sets the
            # article's buyer until the body names one.
            found = find_buyer(f.sentence, f.mentions, gazetteer, None)
            if found and found[1] in {
                "buyer:sale-to",
                "buyer:supply-with",
                "buyer:subject-of-purchase",
            }:
                assembler.primary_buyer = found[0]
    for f in facts:
        if not f.sentence.headline:
            assembler.add(f)
    for f in facts:
        if f.sentence.headline:
            assembler.add_headline(f)
    return assembler.finish(), assembler, truncated_at
