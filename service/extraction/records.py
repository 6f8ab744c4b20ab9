"""Stage 6: a deal's events -> one candidate record with evidence and reasons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .casing import fold_name
from .deals import Assembler, Deal
from .gazetteer import Gazetteer
from .numbers import is_partial
from .types import Candidate, Event, status_rank


def _by_stage(events: list[Event]) -> list[Event]:
    """Most advanced stage first; inside a stage, anchored body sentences, then others."""
    return sorted(
        events,
        key=lambda e: (
            -status_rank(e.status),
            not e.anchored,
            e.sentence.headline,
            e.sentence.index,
        ),
    )


def _status(deal: Deal) -> tuple[str, Event]:
    ranked = _by_stage([e for e in (*deal.events, *deal.propagated) if e.status])
    guessed = [e for e in ranked if e.status == "delivered" and _guessed_delivered(e)]
    if guessed and any(e.status == "delivering" for e in ranked):
        # "ordered in 2022" guessed delivered, but the article reports deliveries under
        # way: the reported stage wins.
        ranked = [e for e in ranked if e not in guessed]
    return ranked[0].status or "announced", ranked[0]


def _guessed_delivered(event: Event) -> bool:
    """Delivered only by the old-purchase rule (its cue said bought or ordered)."""
    return event.cue is not None and event.cue.status == "contracted"


def _quantity(deal: Deal) -> Event | None:
    # The largest count an order stage gives: a smaller count delivered is a part of
    # it ("ordered 12 Patriot batteries" then "Four batteries have been delivered").
    ordered = max(
        (
            e.quantity.low
            for e in deal.events
            if e.quantity is not None
            and e.quantity.low is not None
            and e.status in {"intent", "approved", "contracted"}
        ),
        default=None,
    )
    with_quantity = [
        e
        for e in deal.events
        if e.quantity is not None
        and not (
            e.status == "delivering"
            and not e.quantity.rule.startswith("quantity:total")
            and (
                is_partial(e.sentence.text, e.quantity)
                or (
                    ordered is not None
                    and e.quantity.high is not None
                    and e.quantity.high < ordered
                    and not e.anchored
                )
            )
        )
    ]
    staged = [e for e in with_quantity if e.status]
    # The most advanced stage that states a count; counts from sentences without a
    # stage only when no stage gives one ("The Czech share is 77 tanks").
    ranked = _by_stage(staged) or sorted(
        with_quantity, key=lambda e: (not e.anchored, e.sentence.index)
    )
    precise = [e for e in ranked if e.quantity and e.quantity.rule != "quantity:vague"]
    if ranked and precise and status_rank(precise[0].status) == status_rank(ranked[0].status):
        return precise[0]
    return ranked[0] if ranked else None


def _seller(
    deal: Deal, assembler: Assembler, g: Gazetteer, maker_country: str | None
) -> tuple[str | None, str]:
    for event in _by_stage(deal.events):
        # a buyer's own company contracted is a domestic order (seller = buyer)
        domestic = "-company/" in (event.seller_rule or "")
        if event.status and event.seller and (event.seller != deal.buyer or domestic):
            return event.seller, event.seller_rule or "seller:sentence"
    # "signed for 18 Rafales from France ... and ordered six more": another batch of the
    # same buyer's names the seller
    family = g.systems[deal.system].family
    for other in assembler.deals:
        if other is deal or other.buyer != deal.buyer or g.systems[other.system].family != family:
            continue
        for event in _by_stage(other.events):
            if event.status and event.seller and event.seller != deal.buyer:
                return event.seller, "seller:other-batch"
    # a foreign military sale does not sell the buyer's own product ("South Korea's own
    # KF-21" in an article about an F-35 sale), nor another country's system unless the
    # deal itself is the sale (NASAMS approved by the State Department, not the NH90s
    # Norway cancelled in an article about its MH-60R purchase)
    if (
        assembler.fms
        and deal.buyer not in ("United States", maker_country)
        and (maker_country in (None, "United States") or assembler.sold_by_fms(deal))
    ):
        return "United States", "seller:foreign-military-sale"
    if (origin := assembler.origin_adjective(deal)) is not None:
        return origin, "seller:origin-adjective"  # "British CAMM missiles"
    if maker_country:
        return maker_country, "seller:maker-country"
    if not g.systems[deal.system].listed and (origin := assembler.origin_named(deal)):
        return origin, "seller:origin-of-kind"
    return None, "seller:unknown"


def _manufacturer(deal: Deal, assembler: Assembler, g: Gazetteer) -> tuple[str | None, str]:
    system = g.systems[deal.system]
    family = g.systems[system.family]
    makers = {system.maker, family.maker} - {None}
    # A consortium member is the maker when a sentence reporting the deal names it
    # ("the first Typhoons for Qatar have arrived, BAE Systems said"), not when it
    # turns up elsewhere in the article ("Airbus will assemble the jets").
    partners = makers | {*system.partners, *family.partners}
    if deal.contractor:
        return deal.contractor, f"manufacturer:principal-contractor/{deal.contractor}"
    for event in _by_stage(deal.events):
        if event.adjacent_company:
            return event.adjacent_company, f"manufacturer:next-to-system/{event.adjacent_company}"
    for event in _by_stage(deal.events):
        for company in event.companies:
            if company.name in (partners if event.status else makers):
                return company.name, f"manufacturer:gazetteer/{company.name}"
    # "built by L&T under licence from Hanwha": a licence builder of the buyer's own
    # country named in the article makes the buyer's units
    for name, _mention in assembler.article_companies.items():
        if name in partners - makers and g.companies[name].country == deal.buyer:
            return name, f"manufacturer:licence-builder-in-article/{name}"
    for name, _mention in assembler.article_companies.items():
        if name in makers:
            return name, f"manufacturer:named-in-article/{name}"
    for event in _by_stage(deal.events):
        before = event.sentence.text
        facts = assembler.facts_by_index.get(event.sentence.index)
        # "Typhoons ... alongside the Super Hornets it ordered from Boeing": the maker of
        # another system the sentence names is that system's partner
        others = {
            g.systems[m.name].maker
            for m in (facts.systems() if facts else [])
            if m.name != deal.system
        }
        mentions = facts.systems() if facts else []
        here = event.position or 0
        for company in event.companies:
            if company.name in others and company.name not in makers:
                continue
            if any(
                m.name != deal.system
                and min(here, company.start) < m.start < max(here, company.start)
                for m in mentions
            ):
                continue  # "... 24 AH-64E ..., and 36 CAESAR howitzers from France's KNDS"
            gap = before[max(0, company.start - 40) : company.start].lower()
            if any(w in gap.split() for w in ("with", "from", "by")):
                return company.name, f"manufacturer:contract-partner/{company.name}"
    return None, "manufacturer:not-named"


def _spelling(g: Gazetteer, written: str) -> str:
    """A written mention as its gazetteer spelling: "F-16s" -> "F-16"."""
    # "Su-35s" is the plural (not the "Su-35S" variant a case-folded lookup finds)
    plural = g.lookup(written) is None or (len(written) > 2 and written[-2].isdigit())
    if written.endswith("s") and plural and g.lookup(written[:-1]):
        return written[:-1]
    if written.endswith("ies") and g.lookup(written[:-3] + "y"):
        return written[:-3] + "y"  # "Sentries" -> "Sentry"
    return written


def _system_name(deal: Deal, g: Gazetteer, article: Sequence[str] = ()) -> tuple[str, str]:
    """The system as the article writes it, and the rule that chose it.

    The gazetteer's name when the article writes it; otherwise the deal's own
    mention, shortened to the designation it starts with ("AH-64E Apache Guardian"
    -> "AH-64E", "Attack-class submarine" -> "Attack-class") when the gazetteer
    lists that spelling for the same system. The record then names the variant
    the article reports, and "Abrams" rather than "M1 Abrams". A deal that never
    names its system ("Poland signed for 212 of the guns") takes the spelling of the
    `article`'s mentions of it (the system's written forms in reading order)."""
    name = deal.system
    own = [e.written for e in _by_stage(deal.events) if e.written]
    written = [
        _spelling(g, text)
        for text in (own or article)
        # a bare variant code ("have also ordered the 2A8") is no name of its own
        if not text[:1].isdigit() and (hit := g.lookup(_spelling(g, text))) and hit[1] == name
    ]
    if not written or any(fold_name(w) == fold_name(name) for w in written):
        return name, f"gazetteer:systems/{name}"
    text = written[0]
    prefixes = [
        text[:end]
        for end in range(1, len(text) + 1)
        if (end == len(text) or text[end] == " ")
        and (hit := g.lookup(text[:end])) is not None
        and hit[1] == name
    ]
    designations = [p for p in prefixes if any(ch.isdigit() for ch in p)]
    chosen = (designations or prefixes or [text])[0]
    # "Guided Multiple Launch Rocket System": a spelled-out name, not a variant ("Babur-
    # class" is a class of its own the article names, not a spelling of "Ada-class")
    if not designations and len(chosen) > len(name) and not chosen.endswith("-class"):
        return name, f"gazetteer:systems/{name}"
    if (
        not designations
        and any(ch.isdigit() for ch in name)
        and any(fold_name(_spelling(g, t)) == fold_name(name) for t in article)
    ):
        # a nickname ("the Wedgetail") where the article also writes the designation
        return name, f"gazetteer:systems/{name}"
    return chosen, f"gazetteer:systems/{name} as written ({text})"


def build(deal: Deal, assembler: Assembler, g: Gazetteer, published_on: date | None) -> Candidate:
    """The record a deal proposes."""
    system = g.systems[deal.system]
    status, status_event = _status(deal)
    system_name, system_rule = _system_name(
        deal, g, [m.text for _, m in assembler.system_mentions if m.name == deal.system]
    )
    if not system.listed:
        system_rule = f"designation-not-in-gazetteer/{system.name}"
    quantity_event = _quantity(deal)
    quantity = quantity_event.quantity if quantity_event else None
    manufacturer, manufacturer_rule = _manufacturer(deal, assembler, g)
    maker_name = manufacturer_rule.rsplit("/", 1)[-1] if "/" in manufacturer_rule else system.maker
    maker = g.companies.get(maker_name or "") or g.companies.get(system.maker or "")
    seller, seller_rule = _seller(deal, assembler, g, maker.country if maker else None)
    money_event = next((e for e in _by_stage(deal.events) if e.money), None)
    lede = status_event.sentence.headline or status_event.sentence.index <= 2
    buyer_event = next((e for e in deal.events if e.buyer_rule not in (None, "buyer:deal")), None)
    buyer_rule = buyer_event.buyer_rule if buyer_event else "buyer:deal"
    fields: dict[str, Any] = {
        "buyer": deal.buyer,
        "seller": seller,
        "manufacturer": manufacturer,
        "system": system_name,
        "category": system.category,
        "quantity_min": quantity.low if quantity else None,
        "quantity_max": quantity.high if quantity else None,
        "quantity_unit": (quantity.unit if quantity and quantity.unit else None),
        "status": status,
        "value_amount": str(money_event.money.amount)
        if money_event and money_event.money
        else None,
        "value_currency": money_event.money.currency if money_event and money_event.money else None,
        "announced_on": published_on.isoformat() if published_on and lede else None,
    }
    ordered = [*_by_stage(deal.events), *deal.propagated]
    if quantity_event is not None:
        ordered.remove(quantity_event)
        ordered.insert(0, quantity_event)
    evidence: list[dict[str, Any]] = []
    cited: set[int] = set()
    for event in sorted(ordered, key=lambda e: e.sentence.headline):
        s = event.sentence
        if s.start not in cited:
            cited.add(s.start)
            evidence.append({"text": s.text, "start": s.start, "end": s.end})
    confidence = 0.45
    confidence += 0.15 if status_event.anchored else 0.05
    confidence += 0.15 if buyer_rule not in ("buyer:article", "buyer:deal") else 0.0
    confidence += 0.1 if seller_rule.startswith(("seller:from", "seller:subject")) else 0.05
    confidence += 0.1 if quantity is not None else 0.0
    confidence += 0.05 if manufacturer else 0.0
    if all(e.sentence.headline for e in deal.events):
        confidence -= 0.2
    if not system.listed:
        confidence -= 0.1  # a designation the gazetteer does not know
    provenance: dict[str, str] = {
        "buyer": buyer_rule or "buyer:deal",
        "seller": seller_rule,
        "manufacturer": manufacturer_rule,
        "system": system_rule,
        "category": f"gazetteer:systems/{system.name}"
        if system.listed
        else f"noun-after-designation/{system.category}",
        "status": f"cue:{status}/{_cue_text(status_event)}",
        "quantity": quantity.rule if quantity else "quantity:not-stated",
        "value": "money:first-in-deal-sentences" if money_event else "money:not-stated",
    }
    return Candidate(
        fields=fields,
        evidence=evidence,
        quantity_text=quantity.text if quantity else None,
        confidence=round(max(0.05, min(confidence, 0.99)), 2),
        provenance=provenance,
    )


def _cue_text(event: Event) -> str:
    if event.cue is None:
        return "old purchase" if event.status == "delivered" else "none"
    return event.cue.text
