"""reporting schema: read-only views for BI tools that speak SQL only

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

reporting.deals             one row per record, flat (first source only)
reporting.totals_by_party   per party and role (buyer or seller): deals and quantities
reporting.totals_by_year    per year (announced, else ordered): deals and quantities

`python -m service reporting-role` creates a login role that may read these views
and nothing else (README, "Dashboards").
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DEALS = """
CREATE VIEW reporting.deals AS
SELECT
    id, buyer, buyer_code, buyer_kind, seller, seller_code, seller_kind,
    manufacturer, system, category, status,
    quantity_min, quantity_max, quantity_unit, quantity_estimated, quantity_delivered,
    order_year, announced_on,
    coalesce(CAST(extract(year FROM announced_on) AS integer), order_year) AS year,
    value_amount, value_currency, condition,
    sources -> 0 ->> 'url' AS source_url,
    sources -> 0 ->> 'title' AS source_title,
    jsonb_array_length(sources) AS source_count,
    created_at, updated_at
FROM public.procurement
"""

BY_PARTY = """
CREATE VIEW reporting.totals_by_party AS
SELECT party, role, count(*) AS deals,
       sum(coalesce(quantity_min, 0)) AS quantity_low,
       sum(quantity_max) AS quantity_high,
       count(*) FILTER (WHERE quantity_max IS NULL) AS quantity_high_unknown
FROM (
    SELECT buyer AS party, 'buyer' AS role, quantity_min, quantity_max FROM public.procurement
    UNION ALL
    SELECT seller, 'seller', quantity_min, quantity_max FROM public.procurement
) AS sides
GROUP BY party, role
"""

BY_YEAR = """
CREATE VIEW reporting.totals_by_year AS
SELECT year, count(*) AS deals,
       sum(coalesce(quantity_min, 0)) AS quantity_low,
       sum(quantity_max) AS quantity_high,
       count(*) FILTER (WHERE quantity_max IS NULL) AS quantity_high_unknown
FROM reporting.deals
WHERE year IS NOT NULL
GROUP BY year
"""


def upgrade() -> None:
    op.execute("CREATE SCHEMA reporting")
    op.execute(DEALS)
    op.execute(BY_PARTY)
    op.execute(BY_YEAR)


def downgrade() -> None:
    op.execute("DROP SCHEMA reporting CASCADE")
