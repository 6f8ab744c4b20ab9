"""Typed declarative models. The database enforces the record rules too.

marshmallow is the first line of validation and PostgreSQL the last: every rule
of the record that a row can break on its own is a CHECK constraint here, with
a stable name (see NAMING_CONVENTION) that errors.py maps back to the field.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    FetchedValue,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    literal_column,
    text,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUANTITY_LIMIT = 1_000_000_000
FIRST_YEAR = 1900
LAST_YEAR = 2200  # the database's bound; input is checked against the current year
TEXT_LIMIT = 200
NOTES_LIMIT = 10_000
MAX_SOURCES = 50


class Category(enum.StrEnum):
    AIRCRAFT = "aircraft"
    HELICOPTER = "helicopter"
    AIR_DEFENCE = "air-defence"
    MISSILE = "missile"
    ARMOURED_VEHICLE = "armoured-vehicle"
    ARTILLERY = "artillery"
    SHIP = "ship"
    SUBMARINE = "submarine"
    DRONE = "drone"
    RADAR = "radar"
    SMALL_ARMS = "small-arms"
    AMMUNITION = "ammunition"
    OTHER = "other"


class PartyKind(enum.StrEnum):
    """What kind of party a buyer or seller is (SIPRI's registers have them all)."""

    COUNTRY = "country"
    ORGANISATION = "organisation"
    FORMER_STATE = "former-state"
    UNRECOGNISED_STATE = "unrecognised-state"
    NON_STATE_ACTOR = "non-state-actor"
    UNKNOWN = "unknown"


class Condition(enum.StrEnum):
    """Whether the equipment is new or second-hand."""

    NEW = "new"
    SECOND_HAND = "second-hand"
    SECOND_HAND_MODERNISED = "second-hand-modernised"


class Status(enum.StrEnum):
    """Stages of a deal, in the order a deal usually passes through them."""

    ANNOUNCED = "announced"
    INTENT = "intent"
    APPROVED = "approved"
    CONTRACTED = "contracted"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    # VARCHAR + CHECK rather than a native ENUM type: adding a value later is a
    # plain migration, and the same DDL runs on CockroachDB and YugabyteDB.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Procurement(Base):
    """One deal: one buyer acquires one weapon system from one seller."""

    __tablename__ = "procurement"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    buyer: Mapped[str] = mapped_column(String(TEXT_LIMIT))
    buyer_code: Mapped[str | None] = mapped_column(String(2))
    buyer_kind: Mapped[PartyKind] = mapped_column(
        _enum(PartyKind, "buyer_kind"), default=PartyKind.COUNTRY
    )
    buyer_original: Mapped[str | None] = mapped_column(String(TEXT_LIMIT))
    seller: Mapped[str] = mapped_column(String(TEXT_LIMIT))
    seller_code: Mapped[str | None] = mapped_column(String(2))
    seller_kind: Mapped[PartyKind] = mapped_column(
        _enum(PartyKind, "seller_kind"), default=PartyKind.COUNTRY
    )
    seller_original: Mapped[str | None] = mapped_column(String(TEXT_LIMIT))
    manufacturer: Mapped[str | None] = mapped_column(String(TEXT_LIMIT))
    system: Mapped[str] = mapped_column(String(TEXT_LIMIT))
    category: Mapped[Category] = mapped_column(_enum(Category, "category"))
    quantity_min: Mapped[int | None] = mapped_column(Integer)
    quantity_max: Mapped[int | None] = mapped_column(Integer)
    quantity_unit: Mapped[str | None] = mapped_column(String(TEXT_LIMIT))
    quantity_estimated: Mapped[bool] = mapped_column(default=False, server_default="false")
    quantity_delivered: Mapped[int | None] = mapped_column(Integer)
    quantity_delivered_estimated: Mapped[bool] = mapped_column(
        default=False, server_default="false"
    )
    order_year: Mapped[int | None] = mapped_column(Integer)
    order_year_estimated: Mapped[bool] = mapped_column(default=False, server_default="false")
    delivery_years: Mapped[list[int]] = mapped_column(
        ARRAY(Integer), default=list, server_default="{}"
    )
    condition: Mapped[Condition | None] = mapped_column(_enum(Condition, "condition"))
    status: Mapped[Status] = mapped_column(_enum(Status, "status"))
    value_amount: Mapped[Decimal | None] = mapped_column(Numeric)
    value_currency: Mapped[str | None] = mapped_column(String(3))
    announced_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    external_id: Mapped[str | None] = mapped_column(String(TEXT_LIMIT), unique=True)
    import_hash: Mapped[str | None] = mapped_column(String(64))
    """Digest of the imported row the record was last written from: a re-import of
    the same row is known unchanged without validating it again."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer)
    # Set by the database (trigger procurement_stamp, migration 0009), never by a client:
    created_by: Mapped[str | None] = mapped_column(
        String(64), server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    """The API key (by name) or command that created the record."""
    updated_by: Mapped[str | None] = mapped_column(
        String(64), server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    """The API key (by name) or command that last changed it."""
    status_dates: Mapped[dict[str, str]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb"), server_onupdate=FetchedValue()
    )
    """When the record (last) entered each status it has had: {status: timestamp}."""

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}  # noqa: RUF012

    __table_args__ = (
        CheckConstraint("char_length(btrim(buyer)) >= 1", "buyer_not_blank"),
        CheckConstraint("char_length(btrim(seller)) >= 1", "seller_not_blank"),
        CheckConstraint("char_length(btrim(system)) >= 1", "system_not_blank"),
        CheckConstraint("char_length(btrim(manufacturer)) >= 1", "manufacturer_not_blank"),
        CheckConstraint("buyer_code ~ '^[A-Z]{2}$'", "buyer_code_format"),
        CheckConstraint("seller_code ~ '^[A-Z]{2}$'", "seller_code_format"),
        CheckConstraint(f"quantity_min BETWEEN 0 AND {QUANTITY_LIMIT}", "quantity_min_range"),
        CheckConstraint(f"quantity_max BETWEEN 0 AND {QUANTITY_LIMIT}", "quantity_max_range"),
        CheckConstraint("quantity_min <= quantity_max", "quantity_order"),
        CheckConstraint("value_amount >= 0", "value_amount_non_negative"),
        CheckConstraint("value_currency ~ '^[A-Z]{3}$'", "value_currency_format"),
        CheckConstraint(
            "(value_amount IS NULL) = (value_currency IS NULL)", "value_currency_with_amount"
        ),
        CheckConstraint(f"char_length(notes) <= {NOTES_LIMIT}", "notes_length"),
        CheckConstraint(
            f"jsonb_typeof(sources) = 'array' AND jsonb_array_length(sources) <= {MAX_SOURCES}",
            "sources_array",
        ),
        CheckConstraint("version >= 1", "version_positive"),
        CheckConstraint(
            f"quantity_delivered BETWEEN 0 AND {QUANTITY_LIMIT}", "quantity_delivered_range"
        ),
        CheckConstraint("quantity_delivered <= quantity_max", "quantity_delivered_not_above_max"),
        CheckConstraint(f"order_year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}", "order_year_range"),
        CheckConstraint(
            f"cardinality(delivery_years) <= 200 AND {FIRST_YEAR} <= ALL(delivery_years) "
            f"AND {LAST_YEAR} >= ALL(delivery_years)",
            "delivery_years_range",
        ),
        # Newest first is the default list order; the keyset cursor walks this index.
        Index("ix_procurement_created_at_id", "created_at", "id"),
        Index("ix_procurement_buyer", "buyer"),
        Index("ix_procurement_seller", "seller"),
        Index("ix_procurement_buyer_original", "buyer_original"),
        Index("ix_procurement_seller_original", "seller_original"),
    )


Index("ix_procurement_system_lower", func.lower(Procurement.system))

# The list's common "newest announcement first" pages, alone and per buyer or seller:
# ORDER BY announced_on DESC NULLS LAST, id DESC walks these (see services/query.py).
for _name, _columns in {
    "ix_procurement_announced_on_id": (),
    "ix_procurement_buyer_announced_on_id": (Procurement.buyer,),
    "ix_procurement_seller_announced_on_id": (Procurement.seller,),
}.items():
    Index(
        _name,
        *_columns,
        Procurement.announced_on.desc().nulls_last(),
        Procurement.id.desc(),
    )


ROW_COLUMNS: tuple[Any, ...] = tuple(
    # Enums read as the plain strings PostgreSQL sends (their values): the hot reads
    # write them out as they are, without a round trip through the Enum class.
    type_coerce(c, String()).label(c.name) if isinstance(c.type, Enum) else c
    for c in Procurement.__table__.columns
)
"""Every column of a record, in table order, for the hot Core reads (a record by id,
list pages, exports): schemas.table_row_dumper reads rows of these by position."""
ROW_NAMES: tuple[str, ...] = tuple(c.name for c in Procurement.__table__.columns)
"""The names of ROW_COLUMNS, in order."""


def search_document() -> Any:
    """The full-text document of a record: system and maker weigh most, then the
    parties, then notes and the titles and excerpts of its sources. The GIN index
    below is on this very expression, so `search_document() @@ query` uses it."""
    # Constants are SQL literals, not bound parameters, so a query's expression is
    # the index's expression word for word (the planner matches them textually).
    english: Any = literal_column("'english'::regconfig")
    space: Any = literal_column("' '")
    empty: Any = literal_column("''")

    def vector(expression: Any, weight: str) -> Any:
        return func.setweight(func.to_tsvector(english, expression), literal_column(f"'{weight}'"))

    sources = func.jsonb_path_query_array(
        Procurement.sources, literal_column("'$[*].title'::jsonpath")
    ).op("||")(
        func.jsonb_path_query_array(Procurement.sources, literal_column("'$[*].excerpt'::jsonpath"))
    )
    return (
        vector(
            Procurement.system.op("||")(space).op("||")(
                func.coalesce(Procurement.manufacturer, empty)
            ),
            "A",
        )
        .op("||")(vector(Procurement.buyer.op("||")(space).op("||")(Procurement.seller), "B"))
        .op("||")(vector(func.coalesce(Procurement.notes, empty), "C"))
        .op("||")(vector(sources, "C"))
    )


# The expression starts with a literal regconfig, from which Index cannot tell the
# table: it is named.
Index(
    "ix_procurement_search",
    search_document(),
    postgresql_using="gin",
    _table=Procurement.__table__,  # type: ignore[arg-type]
)


ARTICLE_TEXT_LIMIT = 1024 * 1024

procurement_article = Table(
    "procurement_article",
    Base.metadata,
    Column(
        "procurement_id", Uuid, ForeignKey("procurement.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("article_id", Uuid, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_procurement_article_article_id", "article_id"),
)
"""Which articles reported which records (a record can have several)."""


class Article(Base):
    """A news report the service extracted records from."""

    __tablename__ = "article"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the text with white space folded: the same article posted twice is one row."""
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    published_on: Mapped[date | None]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    procurements: Mapped[list[Procurement]] = relationship(
        secondary=procurement_article, lazy="raise", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(f"char_length(text) BETWEEN 1 AND {ARTICLE_TEXT_LIMIT}", "text_length"),
    )


class ApiKey(Base):
    """An API key: its holder's name and scopes, and the SHA-256 of the secret.

    The secret itself is shown once, at creation, and never stored: a random
    256-bit value needs no slow hash (ASVS V6.5.2). `name` is what records, their
    history and imports keep as the author; among active keys it is unique."""

    __tablename__ = "api_key"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16))
    """The secret's first characters, to tell keys apart in lists and logs."""
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(16)))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'", "name_format"),
        CheckConstraint(
            "cardinality(scopes) >= 1 AND scopes <@ ARRAY['read','write','admin']::varchar[]",
            "scopes_known",
        ),
        Index(
            "uq_api_key_active_name",
            "name",
            unique=True,
            postgresql_where=literal_column("revoked_at IS NULL"),
        ),
    )


class Revision(Base):
    """One change of a record, written by the database's triggers (migration 0009):
    never by the application, never updated, never deleted with the record.

    `changes` maps each changed field to [old, new]; `snapshot` is the whole row
    after the change (before it, for a delete: the tombstone keeps the last state).
    `txid` is the writing transaction's id: the change feed lists only changes whose
    transactions have all ended, so its cursor never skips a late commit."""

    __tablename__ = "procurement_revision"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    procurement_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    n: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(8))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    txid: Mapped[int] = mapped_column(
        BigInteger, server_default=text("(pg_current_xact_id()::text::bigint)")
    )

    __table_args__ = (
        CheckConstraint("op IN ('create', 'update', 'delete')", "op_known"),
        UniqueConstraint("procurement_id", "n"),
        Index("ix_procurement_revision_txid_id", "txid", "id"),
        Index("ix_procurement_revision_changed_at", "changed_at"),
    )


class ImportRun(Base):
    """One committed import: what it was, what it did, and which key (by name) ran it."""

    __tablename__ = "import_run"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    actor: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(TEXT_LIMIT))
    format: Mapped[str] = mapped_column(String(32))
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_import_run_created_at", "created_at"),)


class IdempotencyKey(Base):
    """The first response to a POST sent with an Idempotency-Key, replayed to repeats.

    Written in the same transaction as the POST's own effect: a request that dies
    before committing leaves neither, and its retry runs anew."""

    __tablename__ = "idempotency_key"

    route: Mapped[str] = mapped_column(String(TEXT_LIMIT), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[Any] = mapped_column(JSONB)
    headers: Mapped[dict[str, str]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_idempotency_key_created_at", "created_at"),)
