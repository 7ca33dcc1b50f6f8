"""risk: the named manager of each MASH and the notifications escalation sends them

Revision ID: 0017
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_managers",
        sa.Column("mash_code", sa.String(length=40), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("named_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mash_code"], ["agencies.code"], name=op.f("fk_risk_managers_mash_code_agencies")
        ),
        sa.PrimaryKeyConstraint("mash_code", name=op.f("pk_risk_managers")),
    )
    op.create_table(
        "risk_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=40), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["risk_alerts.id"],
            name=op.f("fk_risk_notifications_alert_id_risk_alerts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_notifications")),
    )
    op.create_index(
        "ix_risk_notifications_user_name", "risk_notifications", ["user_name"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_risk_notifications_user_name", table_name="risk_notifications")
    op.drop_table("risk_notifications")
    op.drop_table("risk_managers")
