"""article table and its link to procurement records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_article_content_hash")),
        sa.CheckConstraint(
            "char_length(text) BETWEEN 1 AND 1048576", name=op.f("ck_article_text_length")
        ),
    )
    op.create_table(
        "procurement_article",
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["procurement_id"],
            ["procurement.id"],
            name=op.f("fk_procurement_article_procurement_id_procurement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_procurement_article_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("procurement_id", "article_id", name=op.f("pk_procurement_article")),
    )
    op.create_index("ix_procurement_article_article_id", "procurement_article", ["article_id"])


def downgrade() -> None:
    op.drop_table("procurement_article")
    op.drop_table("article")
