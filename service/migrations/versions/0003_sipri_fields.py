"""party kinds, original spellings, estimates, order and delivery facts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

KINDS = (
    "country", "organisation", "former-state", "unrecognised-state", "non-state-actor", "unknown",
)
CONDITIONS = ("new", "second-hand", "second-hand-modernised")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    for side in ("buyer", "seller"):
        op.add_column("procurement", sa.Column(f"{side}_kind", sa.String(32), nullable=True))
        op.execute(
            f"UPDATE procurement SET {side}_kind = "
            f"CASE WHEN {side}_code IS NULL THEN 'organisation' ELSE 'country' END"
        )
        op.alter_column("procurement", f"{side}_kind", nullable=False)
        op.create_check_constraint(
            op.f(f"ck_procurement_{side}_kind"), "procurement", _in(f"{side}_kind", KINDS)
        )
        op.add_column("procurement", sa.Column(f"{side}_original", sa.String(200), nullable=True))
    for column in ("quantity_estimated", "quantity_delivered_estimated", "order_year_estimated"):
        op.add_column(
            "procurement",
            sa.Column(column, sa.Boolean(), server_default=sa.text("false"), nullable=False),
        )
    op.add_column("procurement", sa.Column("quantity_delivered", sa.Integer(), nullable=True))
    op.add_column("procurement", sa.Column("order_year", sa.Integer(), nullable=True))
    op.add_column(
        "procurement",
        sa.Column(
            "delivery_years",
            postgresql.ARRAY(sa.Integer()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.add_column("procurement", sa.Column("condition", sa.String(32), nullable=True))
    op.create_check_constraint(
        op.f("ck_procurement_condition"), "procurement", _in("condition", CONDITIONS)
    )
    op.create_check_constraint(
        op.f("ck_procurement_quantity_delivered_range"),
        "procurement",
        "quantity_delivered BETWEEN 0 AND 1000000000",
    )
    op.create_check_constraint(
        op.f("ck_procurement_quantity_delivered_not_above_max"),
        "procurement",
        "quantity_delivered <= quantity_max",
    )
    op.create_check_constraint(
        op.f("ck_procurement_order_year_range"), "procurement", "order_year BETWEEN 1900 AND 2200"
    )
    op.create_check_constraint(
        op.f("ck_procurement_delivery_years_range"),
        "procurement",
        "cardinality(delivery_years) <= 200 AND 1900 <= ALL(delivery_years) "
        "AND 2200 >= ALL(delivery_years)",
    )
    op.add_column("procurement", sa.Column("import_hash", sa.String(64), nullable=True))
    op.create_index("ix_procurement_buyer_original", "procurement", ["buyer_original"])
    op.create_index("ix_procurement_seller_original", "procurement", ["seller_original"])


def downgrade() -> None:
    op.drop_index("ix_procurement_seller_original", "procurement")
    op.drop_index("ix_procurement_buyer_original", "procurement")
    for name in (
        "condition", "delivery_years", "order_year", "quantity_delivered",
        "quantity_estimated", "quantity_delivered_estimated", "order_year_estimated",
        "buyer_kind", "buyer_original", "seller_kind", "seller_original", "import_hash",
    ):
        op.drop_column("procurement", name)
