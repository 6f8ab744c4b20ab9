"""history: an immutable revision per create, update and delete, written by triggers;
who made each record and change; when a record entered each status

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# When a status was entered, as the API writes timestamps: UTC, ISO 8601, Z.
NOW_UTC = """to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""

# Columns a revision's `changes` leave out: bookkeeping, not content.
IGNORED = "ARRAY['updated_at','version','import_hash','updated_by','status_dates','created_by','created_at']"

STAMP = f"""
CREATE FUNCTION procurement_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  who text := nullif(current_setting('procurement.actor', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.created_by := who;
    NEW.updated_by := who;
    NEW.status_dates := jsonb_build_object(NEW.status, {NOW_UTC});
  ELSE
    NEW.created_by := OLD.created_by;
    IF NEW.version IS DISTINCT FROM OLD.version THEN
      NEW.updated_by := who;
    ELSE
      NEW.updated_by := OLD.updated_by;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
      NEW.status_dates := OLD.status_dates || jsonb_build_object(NEW.status, {NOW_UTC});
    ELSE
      NEW.status_dates := OLD.status_dates;
    END IF;
  END IF;
  RETURN NEW;
END $$
"""

REVISE = f"""
CREATE FUNCTION procurement_revise() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_doc jsonb;
  new_doc jsonb;
  diff jsonb := '{{}}';
  record_id uuid;
  next_n integer;
BEGIN
  -- value_amount goes in as text: JSON numbers lose digits in most clients.
  IF TG_OP <> 'INSERT' THEN
    old_doc := (to_jsonb(OLD) - {IGNORED})
      || jsonb_build_object('value_amount', OLD.value_amount::text);
    record_id := OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_doc := (to_jsonb(NEW) - {IGNORED})
      || jsonb_build_object('value_amount', NEW.value_amount::text);
    record_id := NEW.id;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT coalesce(jsonb_object_agg(key, jsonb_build_array(old_doc -> key, value)), '{{}}')
      INTO diff FROM jsonb_each(new_doc) WHERE value IS DISTINCT FROM old_doc -> key;
    IF diff = '{{}}' THEN
      RETURN NULL;  -- bookkeeping only (import_hash): no change of content
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT coalesce(jsonb_object_agg(key, jsonb_build_array(NULL::jsonb, value)), '{{}}')
      INTO diff FROM jsonb_each(new_doc) WHERE value <> 'null'::jsonb;
  END IF;
  SELECT coalesce(max(n), 0) + 1 INTO next_n
    FROM procurement_revision WHERE procurement_id = record_id;
  INSERT INTO procurement_revision (procurement_id, n, op, actor, reason, changes, snapshot)
  VALUES (
    record_id,
    next_n,
    CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
    nullif(current_setting('procurement.actor', true), ''),
    nullif(current_setting('procurement.reason', true), ''),
    diff,
    CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END
  );
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.add_column("procurement", sa.Column("created_by", sa.String(64), nullable=True))
    op.add_column("procurement", sa.Column("updated_by", sa.String(64), nullable=True))
    op.add_column(
        "procurement",
        sa.Column(
            "status_dates",
            postgresql.JSONB(),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    # Records from before history began entered their status when they were created.
    op.execute(
        "UPDATE procurement SET status_dates = jsonb_build_object(status, "
        + NOW_UTC.replace("now()", "created_at")
        + ")"
    )
    op.create_table(
        "procurement_revision",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", postgresql.JSONB(), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(), nullable=False),
        sa.Column(
            "txid",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text::bigint)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "op IN ('create', 'update', 'delete')", name=op.f("ck_procurement_revision_op_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procurement_revision")),
        sa.UniqueConstraint(
            "procurement_id", "n", name=op.f("uq_procurement_revision_procurement_id_n")
        ),
    )
    op.create_index("ix_procurement_revision_txid_id", "procurement_revision", ["txid", "id"])
    op.create_index("ix_procurement_revision_changed_at", "procurement_revision", ["changed_at"])
    # Existing records get their creation as revision 1, so every record has a history.
    op.execute(
        f"""
        INSERT INTO procurement_revision (procurement_id, n, op, changed_at, changes, snapshot)
        SELECT id, 1, 'create', created_at,
          (SELECT coalesce(jsonb_object_agg(key, jsonb_build_array(NULL::jsonb, value)), '{{}}')
             FROM jsonb_each((to_jsonb(p) - {IGNORED})
                  || jsonb_build_object('value_amount', p.value_amount::text))
            WHERE value <> 'null'::jsonb),
          to_jsonb(p)
        FROM procurement p ORDER BY id
        """
    )
    op.execute(STAMP)
    op.execute(REVISE)
    op.execute(
        "CREATE TRIGGER procurement_stamp BEFORE INSERT OR UPDATE ON procurement "
        "FOR EACH ROW EXECUTE FUNCTION procurement_stamp()"
    )
    op.execute(
        "CREATE TRIGGER procurement_revise AFTER INSERT OR UPDATE OR DELETE ON procurement "
        "FOR EACH ROW EXECUTE FUNCTION procurement_revise()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER procurement_revise ON procurement")
    op.execute("DROP TRIGGER procurement_stamp ON procurement")
    op.execute("DROP FUNCTION procurement_revise()")
    op.execute("DROP FUNCTION procurement_stamp()")
    op.drop_table("procurement_revision")
    op.drop_column("procurement", "status_dates")
    op.drop_column("procurement", "updated_by")
    op.drop_column("procurement", "created_by")
