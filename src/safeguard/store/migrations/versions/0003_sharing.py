"""sharing: shares, break-glass reviews, signed audit checkpoints; append-only audit log

Revision ID: 0003
Revises: 0001 (the lead slots identity's 0002 in between when merging)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_PG_REFUSE = """
CREATE OR REPLACE FUNCTION safeguard_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only: % is refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql
"""
_APPEND_ONLY = ("audit_log", "audit_checkpoints")


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("obligation_id", sa.String(length=60), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("from_agency", sa.String(length=40), nullable=False),
        sa.Column("event_local_id", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=True),
        sa.Column("to_agency", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_shares_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["from_agency"], ["agencies.code"], name=op.f("fk_shares_from_agency_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_shares_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
    )
    op.create_index("ix_shares_inbox", "shares", ["to_agency", "acknowledged_at"])
    op.create_index("ix_shares_person", "shares", ["person_id", "to_agency"])
    op.create_index("ix_shares_event", "shares", ["from_agency", "event_local_id", "obligation_id"])
    op.create_index("ix_shares_occurred", "shares", ["occurred_at"])
    op.create_table(
        "break_glass",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_break_glass_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass")),
    )
    op.create_index("ix_break_glass_review", "break_glass", ["reviewed_at"])
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoints")),
    )
    op.create_index(
        "ix_event_participants_person_event", "event_participants", ["person_id", "event_id"]
    )
    _refuse_changes_to_the_audit_log()


def _refuse_changes_to_the_audit_log() -> None:
    """Append-only in the store itself: UPDATE, DELETE (and TRUNCATE) raise."""
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(_PG_REFUSE)
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION safeguard_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION safeguard_refuse_change()"
            )
        elif dialect == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the {table} table is append-only: "
                    f"{action} is refused'); END"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS safeguard_refuse_change()")
    op.drop_index("ix_event_participants_person_event", table_name="event_participants")
    op.drop_table("audit_checkpoints")
    op.drop_index("ix_break_glass_review", table_name="break_glass")
    op.drop_table("break_glass")
    op.drop_index("ix_shares_occurred", table_name="shares")
    op.drop_index("ix_shares_event", table_name="shares")
    op.drop_index("ix_shares_person", table_name="shares")
    op.drop_index("ix_shares_inbox", table_name="shares")
    op.drop_table("shares")
