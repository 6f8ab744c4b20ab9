"""The `reporting` role: a login that reads the reporting views and nothing else.

BI tools that speak SQL only (Metabase, Superset, Grafana's PostgreSQL source)
connect as this role. It may use schema `reporting` and SELECT its views (created
by migration 0005); it has no privilege on the tables behind them (views run with
their owner's rights), and its sessions are read-only by default.
"""

from __future__ import annotations

from psycopg import sql
from sqlalchemy.orm import Session

REPORTING_SCHEMA = "reporting"
VIEWS = ("deals", "totals_by_party", "totals_by_year")


def ensure_role(session: Session, name: str, password: str) -> bool:
    """Create the role (or reset its password) and grant it the views; True if created.

    Also revokes CREATE on schema public from PUBLIC (PostgreSQL's default since
    version 15), so the role cannot create tables there on older servers either.
    """
    raw = session.connection().connection.driver_connection
    assert raw is not None
    role = sql.Identifier(name)
    with raw.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
        created = cursor.fetchone() is None
        verb = "CREATE" if created else "ALTER"
        cursor.execute(
            sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                sql.SQL(verb), role, sql.Literal(password)
            )
        )
        cursor.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role))
        cursor.execute("SELECT current_database()")
        row = cursor.fetchone()
        assert row is not None
        cursor.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(row[0]), role)
        )
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        schema = sql.Identifier(REPORTING_SCHEMA)
        cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, role))
        cursor.execute(
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema, role)
        )
    return created
