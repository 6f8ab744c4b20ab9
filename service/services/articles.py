"""Articles: extract candidate records, store an article and upsert its records.

The extractor is built once per gazetteer folder (seeds/gazetteer) with the
party table of the service, so extracted buyers and sellers are the API's
canonical names. Records stored from an article get an external_id derived
from the article and the deal, so posting the same article again changes
nothing; the article is linked to every record it yielded.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exceptions import NotFound
from ..extraction import Candidate, Extraction, Extractor, load_gazetteer
from ..fieldnames import WRITABLE_FIELDS
from ..models import Article, Category, Procurement, Status, procurement_article
from ..parties import parties
from . import procurements

REQUIRED = ("buyer", "seller", "system", "category", "status")


@cache
def extractor(gazetteer_dir: Path) -> Extractor:
    """The extractor for a gazetteer folder (loaded once per process)."""
    spellings = [(spelling, party.name) for spelling, party in parties().spellings]
    return Extractor(load_gazetteer(gazetteer_dir, spellings))


def extract(text: str, gazetteer_dir: Path, published_on: date | None = None) -> list[Candidate]:
    """Candidate records of an article; nothing is stored."""
    return extractor(gazetteer_dir).extract(text, published_on)


def run(text: str, gazetteer_dir: Path, published_on: date | None = None) -> Extraction:
    """Candidate records of an article and where analysis stopped early, if it did."""
    return extractor(gazetteer_dir).run(text, published_on)


def content_hash(text: str) -> str:
    """Identity of an article's text: white space and Unicode form do not matter."""
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _slug(value: str | None) -> str:
    folded = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "none"


def deal_key(prefix: str, candidate: Candidate) -> str:
    """external_id of a candidate: the article's key, then buyer, seller and system."""
    f = candidate.fields
    return ":".join([prefix, _slug(f["buyer"]), _slug(f["seller"]), _slug(f["system"])])


def record_data(
    candidate: Candidate,
    external_id: str,
    *,
    url: str | None,
    title: str | None,
    published_on: date | None,
) -> dict[str, Any] | None:
    """Writable record fields for a candidate, or None when a required field is missing."""
    f = candidate.fields
    if any(not f.get(name) for name in REQUIRED):
        return None
    excerpt = candidate.evidence[0]["text"][:2000] if candidate.evidence else None
    data = {key: f[key] for key in WRITABLE_FIELDS if key in f}
    data.update(
        external_id=external_id,
        sources=[
            {
                "url": url,
                "title": title or (None if url else "Article"),
                "published_on": published_on.isoformat() if published_on else None,
                "excerpt": excerpt,
            }
        ],
        notes=None,
    )
    # The same Python types the API's schema produces, so that an unchanged deal
    # compares equal to what is stored and is left alone.
    if data.get("value_amount") is not None:
        data["value_amount"] = Decimal(data["value_amount"])
    if data.get("announced_on"):
        data["announced_on"] = date.fromisoformat(data["announced_on"])
    data["category"] = Category(data["category"])
    data["status"] = Status(data["status"])
    return data


@dataclass(frozen=True)
class StoredRecord:
    id: str
    external_id: str
    outcome: str


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    created: bool
    records: list[StoredRecord]
    skipped: list[dict[str, Any]]
    truncated_at: int | None = None


def _link(session: Session, record: Procurement, article: Article) -> None:
    exists = session.execute(
        select(procurement_article.c.article_id).where(
            procurement_article.c.procurement_id == record.id,
            procurement_article.c.article_id == article.id,
        )
    ).first()
    if exists is None:
        session.execute(
            procurement_article.insert().values(procurement_id=record.id, article_id=article.id)
        )


def store(
    session: Session,
    text: str,
    gazetteer_dir: Path,
    *,
    url: str | None = None,
    title: str | None = None,
    published_on: date | None = None,
    key_prefix: str | None = None,
) -> StoredArticle:
    """Store an article (once per text) and upsert the records it yields."""
    digest = content_hash(text)
    article = session.scalars(select(Article).where(Article.content_hash == digest)).one_or_none()
    created = article is None
    if article is None:
        article = Article(
            content_hash=digest, text=text, url=url, title=title, published_on=published_on
        )
        session.add(article)
        session.flush()
    prefix = key_prefix or f"article:{digest[:16]}"
    stored: list[StoredRecord] = []
    skipped: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    extraction = run(text, gazetteer_dir, published_on)
    for candidate in extraction.records:
        external_id = deal_key(prefix, candidate)
        # Two deals of one article with the same parties and system (an earlier batch,
        # a framework and its first contract) are told apart by their order.
        seen[external_id] = seen.get(external_id, 0) + 1
        if seen[external_id] > 1:
            external_id += f":{seen[external_id]}"
        data = record_data(candidate, external_id, url=url, title=title, published_on=published_on)
        if data is None:
            missing = [name for name in REQUIRED if not candidate.fields.get(name)]
            skipped.append({"candidate": candidate.as_dict(), "missing": missing})
            continue
        record, outcome = procurements.upsert(session, data)
        _link(session, record, article)
        stored.append(StoredRecord(str(record.id), external_id, outcome))
    session.flush()
    return StoredArticle(article, created, stored, skipped, extraction.truncated_at)


def get(session: Session, article_id: Any) -> tuple[Article, list[str]]:
    """An article and the ids of the records it yielded; raise NotFound."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound("article", article_id)
    ids = session.scalars(
        select(procurement_article.c.procurement_id).where(
            procurement_article.c.article_id == article.id
        )
    ).all()
    return article, sorted(str(i) for i in ids)


@dataclass(frozen=True)
class SeedArticle:
    path: Path
    text: str
    title: str | None
    url: str | None
    published_on: date | None


def seed_articles(seeds_dir: Path) -> list[SeedArticle]:
    """The articles of seeds/articles with the metadata beside each (`NNNN-slug.json`)."""
    found: list[SeedArticle] = []
    for path in sorted((seeds_dir / "articles").glob("*.txt")):
        meta_path = path.with_suffix(".json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        published = meta.get("published_on") or meta.get("published")
        found.append(
            SeedArticle(
                path=path,
                text=path.read_text(encoding="utf-8"),
                title=meta.get("title"),
                url=meta.get("url"),
                published_on=date.fromisoformat(published) if published else None,
            )
        )
    return found


def seed(session: Session, seeds_dir: Path) -> dict[str, int]:
    """Extract every seed article and upsert its records; count the outcomes."""
    counts: dict[str, int] = {}
    # Last file first: the founding article (0001) yields the newest records, so the
    # first page of the list ("newest first") opens with the founding deal.
    for article in reversed(seed_articles(seeds_dir)):
        result = store(
            session,
            article.text,
            seeds_dir / "gazetteer",
            url=article.url,
            title=article.title,
            published_on=article.published_on,
            key_prefix=f"seed:{article.path.stem}",
        )
        for record in result.records:
            counts[record.outcome] = counts.get(record.outcome, 0) + 1
        if result.skipped:
            counts["skipped"] = counts.get("skipped", 0) + len(result.skipped)
    return counts
