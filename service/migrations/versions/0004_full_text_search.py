"""full-text search index over system, maker, parties, notes and source titles and excerpts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The same expression as models.search_document(): queries match it word for word.
DOCUMENT = (
    "((setweight(to_tsvector('english'::regconfig, (system || ' ') || "
    "coalesce(manufacturer, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, (buyer || ' ') || seller), 'B')) || "
    "setweight(to_tsvector('english'::regconfig, coalesce(notes, '')), 'C')) || "
    "setweight(to_tsvector('english'::regconfig, "
    "jsonb_path_query_array(sources, '$[*].title'::jsonpath) || "
    "jsonb_path_query_array(sources, '$[*].excerpt'::jsonpath)), 'C')"
)


def upgrade() -> None:
    op.execute(f"CREATE INDEX ix_procurement_search ON procurement USING gin (({DOCUMENT}))")


def downgrade() -> None:
    op.drop_index("ix_procurement_search", table_name="procurement")
