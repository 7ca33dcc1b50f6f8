"""timeliness: events' recording time, shares' recording time; referral outcomes

Revision ID: 0018
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "referral_updates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_updates_referral_id_referrals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_updates")),
    )
    op.create_index("ix_referral_updates_referral", "referral_updates", ["referral_id"])
    # A referral the rule raised was "open"; its lifecycle now starts at "received".
    op.execute("UPDATE referrals SET status = 'received' WHERE status = 'open'")


def downgrade() -> None:
    op.execute("UPDATE referrals SET status = 'open' WHERE status = 'received'")
    op.drop_index("ix_referral_updates_referral", table_name="referral_updates")
    op.drop_table("referral_updates")
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("recorded_at")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("recorded_at")
