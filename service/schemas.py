"""marshmallow schemas: the API's view of the models.

Column facts (types, lengths, nullability, enums) come from the model through
marshmallow-sqlalchemy; this module adds only API concerns: trimming, party
and currency resolution, cross-field rules, read-only and unknown fields.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, partial
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import marshmallow as ma
import pycountry
import sqlalchemy as sa
from marshmallow import fields, validate
from marshmallow_sqlalchemy import ModelConverter, SQLAlchemySchema, auto_field

from .fieldnames import READ_ONLY_FIELDS
from .models import (
    FIRST_YEAR,
    MAX_SOURCES,
    NOTES_LIMIT,
    QUANTITY_LIMIT,
    ROW_NAMES,
    TEXT_LIMIT,
    ApiKey,
    ImportRun,
    Procurement,
    Status,
)
from .parties import Party, UnknownParty, parties
from .services.query import (
    DEFAULT_SORT,
    DERIVED_FACETS,
    FIELDS,
    OPS,
    FieldSpec,
    Filter,
    Kind,
    RecordQuery,
    SortKey,
)
from .services.stats import MEASURES, StatsQuery

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise ma.ValidationError("Must not contain NUL characters.")
    if _CONTROL.search(value):
        raise ma.ValidationError("Must not contain control characters (tab and newlines may).")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ma.ValidationError("Must be valid Unicode text.") from None


class Text(fields.String):
    """A trimmed, non-empty string that PostgreSQL can store (no NUL, valid Unicode)."""

    default_error_messages = {"blank": "Must not be blank."}  # noqa: RUF012

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise self.make_error("blank")
        _check_text(text)
        # One spelling per text: "é" typed as one character or as "e" and an accent
        # are the same value (NFC), so they can never make two "different" records.
        return unicodedata.normalize("NFC", text)


class StrictInteger(fields.Integer):
    """A JSON integer: no strings, no floats, no booleans."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class DecimalString(fields.Field[Decimal]):
    """An exact decimal carried as a JSON string ("1250000.50"), never a float."""

    default_error_messages = {  # noqa: RUF012
        "invalid": 'Not a decimal number; send it as a string such as "1250000.50".',
        "range": "Must be between 0 and 10^18 with at most 6 decimal places.",
    }

    def __init__(self, places: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {})
        kwargs["metadata"].setdefault("type", "string")
        kwargs["metadata"].setdefault("format", "decimal")
        kwargs["metadata"].setdefault("pattern", r"^[0-9]{1,18}(\.[0-9]{1,6})?$")
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.make_error("invalid")
        text = str(value).strip()
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
            raise self.make_error("invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise self.make_error("invalid") from None
        whole, _, fraction = text.partition(".")
        if len(whole.lstrip("0")) > 18 or len(fraction) > 6:
            raise self.make_error("range")
        return number


class UTCDateTime(fields.DateTime):
    """Timestamps leave the service in UTC, ISO 8601 with a Z; one that comes in
    without an offset is taken as UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        stamp: datetime = value.astimezone(UTC)
        return stamp.isoformat().replace("+00:00", "Z")


class IsoDate(fields.Date):
    """A date that may already be stored as an ISO string (inside JSON columns)."""

    def _serialize(
        self, value: Any, attr: str | None, obj: Any, **kwargs: Any
    ) -> str | float | None:
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


class PartyName(Text):
    """A buyer or seller: canonical name, alias, ISO code or SIPRI notation ("...*" a
    non-state actor, "...**" an organisation) in; the party's notation out, which the
    service resolves and stores as canonical name, code and kind."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {})
        kwargs["metadata"].setdefault("format", "party")
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None or attr is None:
            return None
        kind = getattr(obj, f"{attr}_kind", "country")
        return Party(name=value, code=None, kind=str(kind)).notation

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parties().resolve(text).notation
        except UnknownParty as error:
            hint = f" Did you mean: {', '.join(error.suggestions)}?" if error.suggestions else ""
            raise ma.ValidationError(f"Unknown country or organisation {text!r}.{hint}") from None


def _year(year: int) -> None:
    this_year = date.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise ma.ValidationError(f"Must be a year from {FIRST_YEAR} to {this_year}.")


@cache
def _iso_4217() -> frozenset[str]:
    """Current ISO 4217 codes (pycountry) and withdrawn ones older deals are priced in."""
    current = {c.alpha_3 for c in pycountry.currencies}
    withdrawn = json.loads(
        resources.files("service").joinpath("data/currencies_withdrawn.json").read_text("utf-8")
    )["codes"]
    return frozenset(current | set(withdrawn))


NOT_MONEY = {"XXX", "XTS"}
"""ISO 4217's codes for "no currency" and for testing."""


def _currency(code: str) -> None:
    if code in NOT_MONEY:
        raise ma.ValidationError(f"{code!r} names no currency.")
    if code not in _iso_4217():
        raise ma.ValidationError(f"{code!r} is not an ISO 4217 currency code.")


def _enum_by_value(_converter: ModelConverter, data_type: sa.Enum) -> Any:
    assert data_type.enum_class is not None, "model enums are Python enums"
    return partial(fields.Enum, enum=data_type.enum_class, by_value=True)


class Converter(ModelConverter):
    """Map column types to the API's stricter fields."""

    SQLA_TYPE_MAPPING = {  # noqa: RUF012
        **ModelConverter.SQLA_TYPE_MAPPING,
        sa.Enum: _enum_by_value,
        sa.String: Text,
        sa.Text: Text,
        sa.Integer: StrictInteger,
        sa.Numeric: DecimalString,
    }


def _public_address(url: str) -> None:
    """Sources are public reports: an address on this machine or a private network
    (loopback, private, link-local and cloud metadata addresses) is refused. The
    service never fetches a source, but a client that follows the link might."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise ma.ValidationError("Must be a public address, not localhost.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: not resolved (the service fetches nothing)
    if not address.is_global:
        raise ma.ValidationError("Must be a public address, not a private or local one.")


class SourceSchema(ma.Schema):
    """One piece of evidence: where the deal was reported."""

    class Meta:
        unknown = ma.RAISE

    url = Text(
        allow_none=True,
        validate=[
            validate.Length(max=2000),
            validate.URL(schemes={"http", "https"}),
            _public_address,
        ],
        metadata={"format": "uri", "description": "http(s) address of the report"},
    )
    title = Text(allow_none=True, validate=validate.Length(max=500))
    published_on = IsoDate(allow_none=True)
    excerpt = Text(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "the sentence(s) that state the deal"},
    )

    @ma.validates_schema
    def _url_or_title(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("url") and not data.get("title"):
            raise ma.ValidationError("Give a url or a title.", "url")

    @ma.post_load
    def _as_stored(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Stored as JSON: every key present, the date as ISO 8601 text.
        published = data.get("published_on")
        return {
            "url": data.get("url"),
            "title": data.get("title"),
            "published_on": published.isoformat() if published else None,
            "excerpt": data.get("excerpt"),
        }


_QUANTITY = validate.Range(min=0, max=QUANTITY_LIMIT)


class ProcurementWriteSchema(SQLAlchemySchema[Any]):
    """The writable fields of a record (POST and PUT bodies; PATCH merges into it)."""

    class Meta:
        model = Procurement
        model_converter = Converter
        unknown = ma.RAISE
        ordered = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]

    def load(self, data: Any, **kwargs: Any) -> Any:
        many = kwargs.get("many")
        if (self.many if many is None else many) and not isinstance(data, list):
            raise ma.ValidationError({"_schema": ["Send a JSON array of records."]})
        # marshmallow-sqlalchemy's load (model instances, not used here) looks up the
        # installed marshmallow version on every call: plain marshmallow is 20x faster.
        return ma.Schema.load(self, data, **kwargs)

    buyer = auto_field(
        field_class=PartyName,
        metadata={"description": "Buying country or organisation: name, alias or ISO code."},
    )
    seller = auto_field(
        field_class=PartyName,
        metadata={"description": "Selling country or organisation: name, alias or ISO code."},
    )
    manufacturer = auto_field()
    system = auto_field()
    category = auto_field(metadata={"description": "Kind of weapon system."})
    quantity_min = auto_field(validate=_QUANTITY)
    quantity_max = auto_field(validate=_QUANTITY)
    quantity_unit = auto_field()
    quantity_estimated = auto_field(
        metadata={"description": "The quantity is an estimate (SIPRI's '?')."}
    )
    quantity_delivered = auto_field(
        validate=_QUANTITY, metadata={"description": "Units delivered so far."}
    )
    quantity_delivered_estimated = auto_field()
    order_year = auto_field(
        validate=lambda y: _year(y), metadata={"description": "Year of the order, 1900 to now."}
    )
    order_year_estimated = auto_field()
    delivery_years = fields.List(
        StrictInteger(validate=lambda y: _year(y)),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "Years in which units were delivered."},
    )
    condition = auto_field(metadata={"description": "New or second-hand equipment."})
    status = auto_field(metadata={"description": "Stage the deal has reached."})
    value_amount = auto_field(metadata={"description": "Exact decimal, as a string."})
    value_currency = auto_field(
        validate=_currency,
        metadata={"description": "ISO 4217 code, with value_amount.", "format": "iso-4217"},
    )
    announced_on = auto_field()
    notes = auto_field(validate=validate.Length(max=NOTES_LIMIT))
    sources = fields.List(
        fields.Nested(SourceSchema),
        load_default=list,
        allow_none=True,
        validate=validate.Length(max=MAX_SOURCES),
        metadata={"description": f"Reports of the deal, at most {MAX_SOURCES}; null means none."},
    )
    external_id = auto_field(
        metadata={"description": "Stable key from an outside source; unique when present."},
    )
    reason = Text(
        load_only=True,
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "Why the change is made; kept in the record's history "
            "(the X-Change-Reason header does the same)."
        },
    )

    @ma.pre_load
    def _set_aside_read_only(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in READ_ONLY_FIELDS}
            if isinstance(data.get("value_currency"), str):
                data["value_currency"] = data["value_currency"].strip().upper()
        return data

    @ma.post_load
    def _no_sources_is_empty(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "sources" in data and data["sources"] is None:
            data["sources"] = []
        if data.get("delivery_years"):
            data["delivery_years"] = sorted(set(data["delivery_years"]))
        return data

    @ma.validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cross_field_rules(
        self, data: dict[str, Any], original_data: Any, partial: Any = None, **_: Any
    ) -> None:
        errors: dict[str, list[str]] = {}
        if isinstance(original_data, dict):
            for name in READ_ONLY_FIELDS:
                if name in original_data:
                    errors[name] = ["Read-only field."]
        low, high = data.get("quantity_min"), data.get("quantity_max")
        if low is not None and high is not None and low > high:
            errors["quantity_max"] = ["Must be greater than or equal to quantity_min."]
        delivered = data.get("quantity_delivered")
        if delivered is not None and high is not None and delivered > high:
            errors["quantity_delivered"] = ["More delivered than ordered (quantity_max)."]

        if not partial and isinstance(original_data, dict):
            # Judged on what was sent, so that a malformed amount is not reported twice.
            sent_amount = original_data.get("value_amount") is not None
            sent_currency = original_data.get("value_currency") is not None
            if sent_amount and not sent_currency:
                errors["value_currency"] = ["Required when value_amount is given."]
            elif sent_currency and not sent_amount:
                errors["value_currency"] = ["Give value_currency only with value_amount."]
        if errors:
            raise ma.ValidationError(errors)


class ProcurementSchema(SQLAlchemySchema[Any]):
    """A record as the API returns it."""

    class Meta:
        model = Procurement
        model_converter = Converter
        ordered = True

    id = auto_field(dump_only=True)
    buyer = auto_field(dump_only=True)
    buyer_code = auto_field(dump_only=True, metadata={"description": "ISO 3166-1 alpha-2."})
    buyer_kind = auto_field(dump_only=True)
    buyer_original = auto_field(
        dump_only=True, metadata={"description": "The spelling of an imported source file."}
    )
    seller = auto_field(dump_only=True)
    seller_code = auto_field(dump_only=True, metadata={"description": "ISO 3166-1 alpha-2."})
    seller_kind = auto_field(dump_only=True)
    seller_original = auto_field(dump_only=True)
    manufacturer = auto_field(dump_only=True)
    system = auto_field(dump_only=True)
    category = auto_field(dump_only=True)
    quantity_min = auto_field(dump_only=True)
    quantity_max = auto_field(dump_only=True)
    quantity_unit = auto_field(dump_only=True)
    quantity_estimated = auto_field(dump_only=True)
    quantity_delivered = auto_field(dump_only=True)
    quantity_delivered_estimated = auto_field(dump_only=True)
    order_year = auto_field(dump_only=True)
    order_year_estimated = auto_field(dump_only=True)
    delivery_years = fields.List(fields.Integer(), dump_only=True, required=True)
    condition = auto_field(dump_only=True)
    status = auto_field(dump_only=True)
    value_amount = auto_field(dump_only=True)
    value_currency = auto_field(dump_only=True)
    announced_on = auto_field(dump_only=True)
    notes = auto_field(dump_only=True)
    sources = fields.List(fields.Nested(SourceSchema), dump_only=True, required=True)
    external_id = auto_field(dump_only=True)
    created_at = auto_field(field_class=UTCDateTime, dump_only=True)
    updated_at = auto_field(field_class=UTCDateTime, dump_only=True)
    version = auto_field(dump_only=True)
    created_by = auto_field(
        dump_only=True, metadata={"description": "The API key (by name) that created it."}
    )
    updated_by = auto_field(
        dump_only=True, metadata={"description": "The API key (by name) that last changed it."}
    )
    status_dates = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        dump_only=True,
        required=True,
        metadata={
            "description": "When the record (last) entered each status it has had: "
            '{"intent": "2026-06-02T10:00:00.000000Z", ...}.'
        },
    )


class FacetValueSchema(ma.Schema):
    value = fields.Raw(required=True, allow_none=True)
    count = fields.Integer(required=True)


class ProcurementPageSchema(ma.Schema):
    """A page of records, the link to the next one, and what was asked besides."""

    items = fields.List(fields.Nested(ProcurementSchema), required=True)
    next = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Path and query of the next page; null on the last page."},
    )
    total = fields.Integer(
        metadata={"description": "Records matching the filters (with `count=exact`)."}
    )
    facets = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(FacetValueSchema)),
        metadata={"description": "Per `facet=` field: its most frequent values with counts."},
    )


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class CommaList(fields.List):  # type: ignore[type-arg]
    """A comma-separated list in one query parameter ("Poland,Estonia")."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise ma.ValidationError("Give at least one value, separated by commas.")
        if len(items) > MAX_IN_VALUES:
            raise ma.ValidationError(f"At most {MAX_IN_VALUES} values.")
        return super()._deserialize(items, attr, data, **kwargs)


class Repeated(fields.List):  # type: ignore[type-arg]
    """A query parameter that may be given several times; errors name the parameter
    (not the position of the value)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        values = value if isinstance(value, list) else [value]
        result, messages = [], []
        for item in values:
            try:
                result.append(self.inner.deserialize(item, **kwargs))
            except ma.ValidationError as error:
                found = error.messages
                if isinstance(found, dict):
                    found = [m for ms in found.values() for m in ms]
                messages.extend(found if isinstance(found, list) else [found])
        if messages:
            raise ma.ValidationError(messages)
        return result


MAX_IN_VALUES = 100
OUTPUT_FORMATS = ("json", "csv", "ndjson", "sipri")


def _value_field(spec: FieldSpec, op: str) -> fields.Field[Any]:
    kind = spec.kind
    if op == "isnull":
        return fields.Boolean()
    if kind is Kind.PARTY and op in {"eq", "ne", "in"}:
        return PartyName()
    if kind in {Kind.TEXT, Kind.PARTY}:
        return Text(validate=validate.Length(max=TEXT_LIMIT))
    if kind is Kind.ENUM and spec.enum is not None:
        return fields.Enum(spec.enum, by_value=True)
    if kind in {Kind.INTEGER, Kind.YEARS}:
        return fields.Integer(validate=validate.Range(min=-(2**31), max=2**31 - 1))
    if kind is Kind.DECIMAL:
        return fields.Decimal(allow_nan=False)
    if kind is Kind.DATE:
        return fields.Date()
    if kind is Kind.DATETIME:
        return fields.AwareDateTime(default_timezone=UTC)
    if kind is Kind.BOOLEAN:
        return fields.Boolean()
    return fields.UUID()


_OP_WORDS = {
    "eq": "equals",
    "ne": "differs from (records without a value included)",
    "in": "is one of (comma-separated)",
    "gt": "is greater than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "contains": "contains (case-sensitive)",
    "icontains": "contains (any case)",
    "startswith": "starts with (case-sensitive)",
    "isnull": "is empty (true) or not (false)",
}


def _filter_fields() -> dict[str, fields.Field[Any]]:
    generated: dict[str, fields.Field[Any]] = {}
    for name, spec in FIELDS.items():
        for op in OPS[spec.kind]:
            param = name if op == "eq" else f"{name}__{op}"
            inner = _value_field(spec, op)
            value: fields.Field[Any] = CommaList(inner) if op == "in" else inner
            note = (
                " Text compares in any case."
                if spec.kind is Kind.TEXT
                and op
                in {
                    "eq",
                    "ne",
                    "in",
                }
                else ""
            )
            if spec.kind is Kind.PARTY and op in {"eq", "ne", "in"}:
                note = " Names, aliases and ISO codes are accepted."
            if spec.kind is Kind.YEARS:
                note = " (a delivery year)"
            generated[param] = Repeated(
                value,
                data_key=param,
                metadata={
                    "description": f"`{name}` {_OP_WORDS[op]}.{note} Repeat to AND conditions."
                },
            )
    return generated


def _split(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


class _FilterQueryBase(ma.Schema):
    """The filters shared by the list, its exports and the stats (README, "Querying")."""

    class Meta:
        unknown = ma.RAISE

    q = Text(
        validate=validate.Length(max=500),
        metadata={
            "description": "Full-text search over system, manufacturer, buyer, seller, notes "
            'and source titles and excerpts; web search syntax: "quoted phrase", OR, -word.'
        },
    )
    quantity_overlaps = Text(
        metadata={
            "description": "LOW-HIGH (or N): records whose quantity range overlaps it. An "
            "unknown minimum counts as 0, an unknown maximum as unbounded; records with no "
            "quantity never match.",
            "pattern": r"^[0-9]+(-[0-9]+)?$",
        }
    )

    status_entered = fields.Enum(
        Status,
        by_value=True,
        metadata={"description": "Records that entered this status (see status_dates)."},
    )
    status_entered_since = UTCDateTime(
        metadata={"description": "... at or after this time (with status_entered)."}
    )
    status_entered_before = UTCDateTime(
        metadata={"description": "... before this time (with status_entered)."}
    )

    @ma.validates_schema
    def _entered_needs_a_status(self, data: dict[str, Any], **_: Any) -> None:
        for name in ("status_entered_since", "status_entered_before"):
            if name in data and "status_entered" not in data:
                raise ma.ValidationError("Give status_entered with it.", name)

    @ma.pre_load
    def _plain(self, data: Any, **_: Any) -> Any:
        """Query arguments as a plain dict: a list for repeatable parameters, one value
        for the others (given twice: an error naming it); enum values in lower case."""
        if not hasattr(data, "getlist"):
            return data
        by_key = self._by_data_key()
        plain: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for key in dict.fromkeys(data):
            values = data.getlist(key)
            spec = FIELDS.get(key.split("__", 1)[0])
            if spec is not None and spec.kind is Kind.ENUM:
                values = [_lower(v) for v in values]
            if isinstance(by_key.get(key), fields.List):
                plain[key] = values
            elif len(values) > 1:
                errors[key] = ["Give this parameter once."]
            else:
                plain[key] = values[0]
        if errors:
            raise ma.ValidationError(errors)
        return plain

    def load(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        """Load with a schema narrowed to the parameters sent (plus the required ones
        and those with defaults): marshmallow visits every declared field on each load,
        and these schemas declare hundreds (one per filter and operator) while a
        request sends a handful. Same results and errors; about a tenth of the work."""
        narrowed = self._narrowed(data)
        if narrowed is not None:
            return narrowed.load(data, *args, **kwargs)
        return super().load(data, *args, **kwargs)

    _NARROWED_MAX = 256
    """Distinct parameter sets remembered per schema instance."""

    def _narrowed(self, data: Any) -> ma.Schema | None:
        if self.only is not None or not hasattr(data, "keys"):
            return None
        keys = frozenset(data.keys())
        cache: dict[frozenset[str], ma.Schema | None] = self.__dict__.setdefault("_narrow", {})
        if keys in cache:
            return cache[keys]
        by_key = self._by_data_key()
        if not keys <= by_key.keys() or len(cache) >= self._NARROWED_MAX:
            return None  # an unknown parameter: the full schema names it in its error
        wanted = {
            name
            for name, f in self.fields.items()
            if (f.data_key or name) in keys or f.required or f.load_default is not ma.missing
        }
        narrowed = type(self)(only=wanted)
        cache[keys] = narrowed
        return narrowed

    def _by_data_key(self) -> dict[str, fields.Field[Any]]:
        """Fields by parameter name, built once per schema instance (hundreds of them)."""
        cached: dict[str, fields.Field[Any]] | None = getattr(self, "_data_keys", None)
        if cached is None:
            cached = {f.data_key or name: f for name, f in self.fields.items()}
            self._data_keys = cached
        return cached

    @staticmethod
    def record_query(data: dict[str, Any], **extra: Any) -> RecordQuery:
        """The RecordQuery of loaded arguments (filters, overlap, search) and `extra`."""
        filters: list[Filter] = []
        for key, values in data.items():
            name, _sep, op = key.partition("__")
            if name in FIELDS and (op or name == key):
                filters.extend(Filter(name, op or "eq", v) for v in values)
        overlap: tuple[int, int] | None = None
        if "quantity_overlaps" in data:
            overlap = _quantity_range(data["quantity_overlaps"])
        entered = None
        if "status_entered" in data:
            entered = (
                data["status_entered"],
                data.get("status_entered_since"),
                data.get("status_entered_before"),
            )
        return RecordQuery(
            filters=tuple(filters),
            quantity_overlaps=overlap,
            q=data.get("q"),
            status_entered=entered,
            **extra,
        )


FilterQuerySchema = _FilterQueryBase
"""The base of every query schema with the shared filters (the parser gives them the
raw query arguments)."""

FACETABLE = (*(n for n, s in FIELDS.items() if s.facet), *DERIVED_FACETS)


class _ProcurementQueryBase(_FilterQueryBase):
    """Query parameters of the record list and its exports (README, "Querying")."""

    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=500),
        metadata={"description": "Page size, 1-500."},
    )
    cursor = Text(metadata={"description": "Opaque cursor from a page's `next` link."})
    sort = Repeated(
        Text(),
        metadata={
            "description": "Fields to sort by, comma-separated or repeated; `-field` for "
            "descending. Empty values sort last; ties are broken by id. Default: -created_at."
        },
    )
    fields_ = Repeated(
        Text(),
        data_key="fields",
        metadata={"description": "Return only these fields (comma-separated or repeated)."},
    )
    count = fields.String(
        validate=validate.OneOf(["exact"]),
        metadata={"description": "`exact` adds `total` to the body and an X-Total-Count header."},
    )
    facet = Repeated(
        Text(validate=validate.OneOf(FACETABLE)),
        metadata={
            "description": "Count the values of a field over the filtered records (repeat for "
            "several): a categorical field, `year` or `month` of announced_on."
        },
    )
    format = fields.String(
        validate=validate.OneOf(OUTPUT_FORMATS),
        metadata={
            "description": "json (default), csv, ndjson or sipri (SIPRI trade-register layout); "
            "the Accept header may choose csv or ndjson too."
        },
    )

    @ma.validates_schema
    def _check(self, data: dict[str, Any], **_: Any) -> None:
        for name in _split(data.get("sort", [])):
            field_name = name.removeprefix("-")
            spec = FIELDS.get(field_name)
            if spec is None or not spec.sortable:
                raise ma.ValidationError(f"Cannot sort by {field_name!r}.", "sort")
        known = set(ProcurementSchema._declared_fields)
        for name in _split(data.get("fields_", [])):
            if name not in known:
                raise ma.ValidationError(f"Unknown field {name!r}.", "fields")

    @ma.post_load
    def _to_query(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        sort = tuple(
            SortKey(n.removeprefix("-"), n.startswith("-")) for n in _split(data.get("sort", []))
        )
        if len({k.field for k in sort}) != len(sort):
            raise ma.ValidationError("A field may appear once in a sort.", "sort")
        after = decode_cursor(data["cursor"]) if "cursor" in data else None
        query = self.record_query(
            data,
            sort=sort or DEFAULT_SORT,
            limit=data["limit"],
            after=after,
            facets=tuple(dict.fromkeys(data.get("facet", []))),
        )
        return {
            "query": query,
            "fields": _split(data.get("fields_", [])) or None,
            "count": data.get("count") == "exact",
            "format": data.get("format"),
        }


class _StatsQueryBase(_FilterQueryBase):
    """Query parameters of /stats: the list's filters plus grouping and order."""

    group_by = Repeated(
        Text(),
        required=True,
        metadata={
            "description": "Up to 3 categorical fields, comma-separated (or `year`/`month` of "
            "announced_on for a time series): one result row per combination."
        },
    )
    order = Repeated(
        Text(),
        metadata={
            "description": "Sort the groups by a measure (count, quantity_low, quantity_high, "
            "quantity_high_unknown) or a group field; `-` for descending. Default: -count."
        },
    )
    limit = fields.Integer(
        load_default=100,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "At most this many groups (top-N with `order`), 1-1000."},
    )
    format = fields.String(
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "json (default; a flat array) or csv."},
    )

    @ma.post_load
    def _to_query(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        group_by = tuple(dict.fromkeys(_split(data["group_by"])))
        if not group_by or len(group_by) > 3:
            raise ma.ValidationError("Give one to three fields.", "group_by")
        for name in group_by:
            if name not in FACETABLE:
                raise ma.ValidationError(
                    f"Cannot group by {name!r}; one of: {', '.join(sorted(FACETABLE))}.",
                    "group_by",
                )
        order = []
        for name in _split(data.get("order", [])) or ["-count"]:
            key = name.removeprefix("-")
            if key not in MEASURES and key not in group_by:
                raise ma.ValidationError(
                    f"Cannot order by {key!r}: a measure or a group_by field.", "order"
                )
            order.append((key, name.startswith("-")))
        query = StatsQuery(
            records=self.record_query(data),
            group_by=group_by,
            order=tuple(order),
            limit=data["limit"],
        )
        return {"stats": query, "format": data.get("format") or "json"}


class SuggestQuerySchema(ma.Schema):
    """Autocomplete: what has been typed so far."""

    class Meta:
        unknown = ma.RAISE

    q = Text(
        required=True,
        validate=validate.Length(max=TEXT_LIMIT),
        metadata={"description": "Part of a name, alias or ISO code."},
    )
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PartySuggestionSchema(ma.Schema):
    name = fields.String(required=True)
    code = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, allow_none=True)
    records = fields.Integer(required=True, metadata={"description": "As buyer or seller."})


class SystemSuggestionSchema(ma.Schema):
    name = fields.String(required=True)
    records = fields.Integer(required=True)


class StatsGroupSchema(ma.Schema):
    """One group: its field values, then the measures; `value_<CURRENCY>` per currency."""

    class Meta:
        unknown = ma.INCLUDE

    count = fields.Integer(required=True)
    quantity_low = fields.Integer(
        required=True, metadata={"description": "Sum of quantity minima (unknown counts as 0)."}
    )
    quantity_high = fields.Integer(
        required=True, metadata={"description": "Sum of the known quantity maxima."}
    )
    quantity_high_unknown = fields.Integer(
        required=True,
        metadata={"description": "Records whose maximum is unknown (0: quantity_high is exact)."},
    )


def _quantity_range(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"([0-9]{1,10})(?:-([0-9]{1,10}))?", text)
    if match is None:
        raise ma.ValidationError(
            "Write LOW-HIGH, e.g. 150-250, or a single number.", "quantity_overlaps"
        )
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if low > high:
        raise ma.ValidationError("LOW must not exceed HIGH.", "quantity_overlaps")
    return low, high


ProcurementQuerySchema = type(
    "ProcurementQuerySchema",
    (_ProcurementQueryBase,),
    {"__doc__": _ProcurementQueryBase.__doc__, **_filter_fields()},
)
StatsQuerySchema = type(
    "StatsQuerySchema",
    (_StatsQueryBase,),
    {"__doc__": _StatsQueryBase.__doc__, **_filter_fields()},
)


def encode_cursor(values: list[Any]) -> str:
    """An opaque, URL-safe cursor carrying the sort key of the last row shown."""
    raw = json.dumps({"k": values}, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """The sort key inside a cursor; ValidationError naming `cursor` if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)["k"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise ma.ValidationError("Not a cursor from this API.", "cursor") from None
    if not isinstance(values, list):
        raise ma.ValidationError("Not a cursor from this API.", "cursor")
    return values


class ProcurementPatchSchema(ProcurementWriteSchema):
    """A JSON Merge Patch (RFC 7396) of the writable fields: every field optional."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(**kwargs)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation of every error response)."""

    type = fields.String(metadata={"description": "URI identifying the kind of problem."})
    title = fields.String(metadata={"description": "Short summary of the kind of problem."})
    status = fields.Integer(metadata={"description": "HTTP status code."})
    detail = fields.String(metadata={"description": "What went wrong in this request."})
    instance = fields.String(allow_none=True, metadata={"description": "Path of the request."})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Field or parameter name -> messages (validation only)."},
    )
    request_id = fields.String(
        metadata={"description": "The request's id, as in X-Request-ID and the logs."}
    )


class HealthSchema(ma.Schema):
    """Health of the process and its database."""

    status = fields.String(required=True, metadata={"description": "ok or unavailable."})
    checks = fields.Dict(keys=fields.String(), values=fields.String())


class ArticleInputSchema(ma.Schema):
    """An article to extract from: its text and where it appeared."""

    class Meta:
        unknown = ma.RAISE

    text = Text(
        required=True,
        validate=validate.Length(max=1024 * 1024),
        metadata={"description": "The article, plain text, at most 1 MiB."},
    )
    url = Text(
        allow_none=True,
        validate=[
            validate.Length(max=2000),
            validate.URL(schemes={"http", "https"}),
            _public_address,
        ],
        metadata={"format": "uri"},
    )
    title = Text(allow_none=True, validate=validate.Length(max=500))
    published_on = fields.Date(allow_none=True)


class EvidenceSchema(ma.Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True, metadata={"description": "Offset in the article."})
    end = fields.Integer(required=True)


class CandidateSchema(ma.Schema):
    """A proposed record: the record fields plus why the extractor proposes them."""

    buyer = fields.String(required=True, allow_none=True)
    seller = fields.String(required=True, allow_none=True)
    manufacturer = fields.String(required=True, allow_none=True)
    system = fields.String(required=True)
    category = fields.String(required=True)
    quantity_min = fields.Integer(required=True, allow_none=True)
    quantity_max = fields.Integer(required=True, allow_none=True)
    quantity_unit = fields.String(required=True, allow_none=True)
    quantity_text = fields.String(
        required=True, allow_none=True, metadata={"description": "The quantity as written."}
    )
    status = fields.String(required=True)
    value_amount = fields.String(required=True, allow_none=True)
    value_currency = fields.String(required=True, allow_none=True)
    announced_on = fields.String(required=True, allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
    confidence = fields.Float(required=True, metadata={"description": "0 to 1."})
    provenance = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Field -> the rule or gazetteer entry that produced it."},
    )


def _truncated_at() -> fields.Integer:
    return fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "Null when the whole article was analysed. Otherwise the offset of "
            "the first sentence left unanalysed: an article gets the full analysis for at most "
            "250 sentences that may report a deal (send longer reports in parts)."
        },
    )


class ExtractResultSchema(ma.Schema):
    records = fields.List(fields.Nested(CandidateSchema), required=True)
    truncated_at = _truncated_at()


class StoredRecordSchema(ma.Schema):
    id = fields.UUID(required=True)
    external_id = fields.String(required=True)
    outcome = fields.String(
        required=True, metadata={"description": "created, updated or unchanged."}
    )


class ArticleSchema(ma.Schema):
    """A stored article and the records it yielded."""

    id = fields.UUID(required=True)
    title = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, allow_none=True)
    published_on = fields.Date(required=True, allow_none=True)
    created_at = UTCDateTime(required=True)
    record_ids = fields.List(fields.UUID(), required=True)


class ArticleStoredSchema(ma.Schema):
    article = fields.Nested(ArticleSchema, required=True)
    created = fields.Boolean(
        required=True, metadata={"description": "False when the same text was posted before."}
    )
    records = fields.List(fields.Nested(StoredRecordSchema), required=True)
    skipped = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "Candidates not stored, with the required fields they lack."},
    )
    truncated_at = _truncated_at()


class ImportQuerySchema(ma.Schema):
    """How to read an uploaded file."""

    class Meta:
        unknown = ma.RAISE

    format = fields.String(
        load_default="auto",
        validate=validate.OneOf(["auto", "sipri-deals", "sipri-deliveries", "csv", "ndjson"]),
        metadata={"description": "File format; auto detects it from the content."},
    )
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Write nothing."})
    atomic = fields.Boolean(
        load_default=False, metadata={"description": "All or nothing: any rejected row, no write."}
    )


class RejectedRowSchema(ma.Schema):
    line = fields.Integer(required=True, metadata={"description": "First line of the row."})
    raw = fields.String(required=True)
    errors = fields.Dict(required=True, metadata={"description": "Field -> reasons."})


class ImportRunSchema(SQLAlchemySchema[Any]):
    """A committed import, as kept."""

    class Meta:
        model = ImportRun
        model_converter = Converter
        ordered = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]

    id = auto_field(dump_only=True)
    actor = auto_field(
        dump_only=True, metadata={"description": "The API key (by name) or command that ran it."}
    )
    source = auto_field(dump_only=True)
    format = auto_field(dump_only=True)
    created = auto_field(dump_only=True)
    updated = auto_field(dump_only=True)
    unchanged = auto_field(dump_only=True)
    rejected = auto_field(dump_only=True)
    created_at = auto_field(field_class=UTCDateTime, dump_only=True)


class ImportListQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class ImportResultSchema(ma.Schema):
    """What an import did."""

    id = fields.UUID(
        required=True,
        allow_none=True,
        metadata={
            "description": "The kept import (GET /api/v1/imports/{id}); null: nothing "
            "was committed (dry run)."
        },
    )
    imported_by = fields.String(required=True, allow_none=True)
    format = fields.String(required=True)
    committed = fields.Boolean(required=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    rejected = fields.Integer(required=True)
    rejected_rows = fields.List(
        fields.Nested(RejectedRowSchema),
        required=True,
        metadata={"description": "The first 1,000 rejected rows; `rejected` counts them all."},
    )


class BatchItemSchema(ma.Schema):
    id = fields.UUID(required=True)
    external_id = fields.String(required=True, allow_none=True)
    outcome = fields.String(
        required=True, metadata={"description": "created, updated or unchanged."}
    )


class BatchResultSchema(ma.Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    items = fields.List(fields.Nested(BatchItemSchema), required=True)


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _converter(name: str, enums_as_text: bool = False) -> Callable[[Any], Any] | None:
    """How a column's database value becomes its JSON value (None: as it is).
    `enums_as_text`: the row holds enum values as strings (models.ROW_COLUMNS)."""
    kind = type(Procurement.__table__.columns[name].type)
    if kind is sa.Uuid:
        return str
    if kind is sa.Enum:
        return None if enums_as_text else (lambda v: v.value)
    if kind is sa.Numeric:
        return lambda v: format(v, "f")
    if kind is sa.DateTime:
        return _utc_text
    if kind is sa.Date:
        return date.isoformat
    return None  # str, int, bool, lists and JSON go out as they are


def record_dumper(only: list[str] | None = None) -> Callable[[Any], dict[str, Any]]:
    """A fast ProcurementSchema dump for lists and exports: plain rows (as
    services.query yields them) to the dicts the JSON API returns, field for field (a
    test compares the two), at a fraction of marshmallow's cost per row. Each
    column's conversion is chosen once, from its type."""
    names = only or list(ProcurementSchema._declared_fields)
    plan = [(name, _converter(name)) for name in names]
    plain = [name for name, convert in plan if convert is None]
    converted = [(name, convert) for name, convert in plan if convert is not None]

    def dump(row: Any) -> dict[str, Any]:
        mapping = row._mapping
        out = {name: mapping[name] for name in plain}
        for name, convert in converted:
            value = mapping[name]
            out[name] = None if value is None else convert(value)
        return {name: out[name] for name in names}

    return dump


TABLE_ROW = ROW_NAMES
"""The column order of `select(*models.ROW_COLUMNS)`."""


def table_row_dumper(only: list[str] | None = None) -> Callable[[Any], dict[str, Any]]:
    """record_dumper for rows of models.ROW_COLUMNS (a page, a record by id, an
    export): values are taken by position, several times faster per row than by
    name. A test holds its output equal to record_dumper's."""
    position = {name: index for index, name in enumerate(TABLE_ROW)}
    names = only or list(ProcurementSchema._declared_fields)
    plan = [(name, position[name], _converter(name, enums_as_text=True)) for name in names]

    def dump(row: Any) -> dict[str, Any]:
        out = {}
        for name, index, convert in plan:
            value = row[index]
            out[name] = value if convert is None or value is None else convert(value)
        return out

    return dump


class ApiKeySchema(SQLAlchemySchema[Any]):
    """An API key as listed: never its secret."""

    class Meta:
        model = ApiKey
        model_converter = Converter
        ordered = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]

    id = auto_field(dump_only=True)
    name = auto_field(dump_only=True)
    prefix = auto_field(
        dump_only=True, metadata={"description": "The first characters of the secret."}
    )
    scopes = fields.List(fields.String(), dump_only=True, required=True)
    created_at = auto_field(field_class=UTCDateTime, dump_only=True)
    created_by = auto_field(dump_only=True)
    revoked_at = auto_field(field_class=UTCDateTime, dump_only=True)


class ApiKeyCreateSchema(ma.Schema):
    """A new key: who holds it and what it may do."""

    class Meta:
        unknown = ma.RAISE

    name = Text(
        required=True,
        validate=validate.Regexp(
            r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$",
            error="1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.",
        ),
        metadata={"description": "Who holds the key; records and history keep this name."},
    )
    scopes = fields.List(
        fields.String(validate=validate.OneOf(["read", "write", "admin"])),
        required=True,
        validate=validate.Length(min=1, max=3),
        metadata={"description": "admin includes write, write includes read."},
    )


class ApiKeyCreatedSchema(ApiKeySchema):
    secret = fields.String(
        dump_only=True,
        required=True,
        metadata={"description": "The key itself: shown this once, stored only as a hash."},
    )


class ApiKeyQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    include_revoked = fields.Boolean(load_default=False)


class FieldChangeSchema(ma.Schema):
    field = fields.String(required=True)
    old = fields.Raw(required=True, allow_none=True)
    new = fields.Raw(required=True, allow_none=True)


class RevisionSchema(ma.Schema):
    """One change of a record: when, by whom, why, and old and new value per field."""

    n = fields.Integer(required=True, metadata={"description": "1 for the creation, then 2, 3..."})
    op = fields.String(required=True, metadata={"enum": ["create", "update", "delete"]})
    changed_at = UTCDateTime(required=True)
    actor = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The API key (by name) or cli:<command> that made it."},
    )
    reason = fields.String(allow_none=True, required=True)
    changes = fields.List(fields.Nested(FieldChangeSchema), required=True)


class RevisionDetailSchema(RevisionSchema):
    record = fields.Dict(
        allow_none=True,
        required=True,
        metadata={"description": "The record as it stood after the change (null: deleted)."},
    )


class HistorySchema(ma.Schema):
    id = fields.UUID(required=True)
    items = fields.List(fields.Nested(RevisionSchema), required=True)


class ChangeSchema(RevisionDetailSchema):
    id = fields.Integer(required=True, metadata={"description": "The revision's id."})
    procurement_id = fields.UUID(required=True)


class ChangesPageSchema(ma.Schema):
    items = fields.List(fields.Nested(ChangeSchema), required=True)
    next = fields.String(
        required=True,
        metadata={
            "description": "Where to ask next: after the last change listed (or, when none "
            "was, the same position). Poll it to stay in sync."
        },
    )


class AsOfQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    as_of = UTCDateTime(
        metadata={
            "description": "A past moment (ISO 8601; UTC when no offset is given): the "
            "record as it stood then, a since-deleted record included."
        }
    )


CHANGES_CURSOR = re.compile(r"^[0-9]{1,19}\.[0-9]{1,19}$")


class ChangesQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    since = Text(
        validate=validate.Regexp(CHANGES_CURSOR, error="Not a cursor from this feed."),
        metadata={"description": "A cursor from a previous page's `next`; omit to start."},
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
