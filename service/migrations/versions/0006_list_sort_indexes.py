"""indexes for the list's newest-announcement-first pages, alone and per buyer or seller

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_procurement_announced_on_id": "",
    "ix_procurement_buyer_announced_on_id": "buyer, ",
    "ix_procurement_seller_announced_on_id": "seller, ",
}


def upgrade() -> None:
    for name, leading in INDEXES.items():
        op.execute(
            f"CREATE INDEX {name} ON procurement ({leading}announced_on DESC NULLS LAST, id DESC)"
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="procurement")
