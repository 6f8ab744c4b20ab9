"""The record's field names, shared by the API, the services and the importers."""

from __future__ import annotations

WRITABLE_FIELDS = (
    "buyer",
    "seller",
    "manufacturer",
    "system",
    "category",
    "quantity_min",
    "quantity_max",
    "quantity_unit",
    "quantity_estimated",
    "quantity_delivered",
    "quantity_delivered_estimated",
    "order_year",
    "order_year_estimated",
    "delivery_years",
    "condition",
    "status",
    "value_amount",
    "value_currency",
    "announced_on",
    "notes",
    "sources",
    "external_id",
)
IMPORT_ONLY_FIELDS = ("buyer_original", "seller_original")
"""Set by imports (the spelling of the source file), kept by API writes."""
READ_ONLY_FIELDS = (
    "id",
    "buyer_code",
    "seller_code",
    "buyer_kind",
    "seller_kind",
    *IMPORT_ONLY_FIELDS,
    "created_at",
    "updated_at",
    "version",
    "created_by",
    "updated_by",
    "status_dates",
)
