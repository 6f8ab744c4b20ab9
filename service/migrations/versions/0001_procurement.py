"""procurement table

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

CATEGORIES = (
    "aircraft", "helicopter", "air-defence", "missile", "armoured-vehicle", "artillery",
    "ship", "submarine", "drone", "radar", "small-arms", "ammunition", "other",
)
STATUSES = (
    "announced", "intent", "approved", "contracted", "delivering", "delivered", "cancelled",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "procurement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("buyer", sa.String(200), nullable=False),
        sa.Column("buyer_code", sa.String(2), nullable=True),
        sa.Column("seller", sa.String(200), nullable=False),
        sa.Column("seller_code", sa.String(2), nullable=True),
        sa.Column("manufacturer", sa.String(200), nullable=True),
        sa.Column("system", sa.String(200), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("quantity_min", sa.Integer(), nullable=True),
        sa.Column("quantity_max", sa.Integer(), nullable=True),
        sa.Column("quantity_unit", sa.String(200), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("value_amount", sa.Numeric(), nullable=True),
        sa.Column("value_currency", sa.String(3), nullable=True),
        sa.Column("announced_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "sources", postgresql.JSONB(), server_default=sa.text("'[]'"), nullable=False
        ),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procurement")),
        sa.UniqueConstraint("external_id", name=op.f("uq_procurement_external_id")),
        sa.CheckConstraint("char_length(btrim(buyer)) >= 1", name=op.f("ck_procurement_buyer_not_blank")),
        sa.CheckConstraint("char_length(btrim(seller)) >= 1", name=op.f("ck_procurement_seller_not_blank")),
        sa.CheckConstraint("char_length(btrim(system)) >= 1", name=op.f("ck_procurement_system_not_blank")),
        sa.CheckConstraint(
            "char_length(btrim(manufacturer)) >= 1", name=op.f("ck_procurement_manufacturer_not_blank")
        ),
        sa.CheckConstraint("buyer_code ~ '^[A-Z]{2}$'", name=op.f("ck_procurement_buyer_code_format")),
        sa.CheckConstraint("seller_code ~ '^[A-Z]{2}$'", name=op.f("ck_procurement_seller_code_format")),
        sa.CheckConstraint(
            "quantity_min BETWEEN 0 AND 1000000000", name=op.f("ck_procurement_quantity_min_range")
        ),
        sa.CheckConstraint(
            "quantity_max BETWEEN 0 AND 1000000000", name=op.f("ck_procurement_quantity_max_range")
        ),
        sa.CheckConstraint("quantity_min <= quantity_max", name=op.f("ck_procurement_quantity_order")),
        sa.CheckConstraint("value_amount >= 0", name=op.f("ck_procurement_value_amount_non_negative")),
        sa.CheckConstraint(
            "value_currency ~ '^[A-Z]{3}$'", name=op.f("ck_procurement_value_currency_format")
        ),
        sa.CheckConstraint(
            "(value_amount IS NULL) = (value_currency IS NULL)",
            name=op.f("ck_procurement_value_currency_with_amount"),
        ),
        sa.CheckConstraint("char_length(notes) <= 10000", name=op.f("ck_procurement_notes_length")),
        sa.CheckConstraint(
            "jsonb_typeof(sources) = 'array' AND jsonb_array_length(sources) <= 50",
            name=op.f("ck_procurement_sources_array"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_procurement_version_positive")),
        sa.CheckConstraint(_in("category", CATEGORIES), name=op.f("ck_procurement_category")),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f("ck_procurement_status")),
    )
    op.create_index("ix_procurement_created_at_id", "procurement", ["created_at", "id"])
    op.create_index("ix_procurement_buyer", "procurement", ["buyer"])
    op.create_index("ix_procurement_seller", "procurement", ["seller"])
    op.create_index(
        "ix_procurement_system_lower", "procurement", [sa.text("lower(system)")]
    )


def downgrade() -> None:
    op.drop_table("procurement")
