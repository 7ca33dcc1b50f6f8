"""risk: alerts to the MASH and their lifecycle history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("mash_code", sa.String(length=40), nullable=False),
        sa.Column("la_code", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rules", sa.String(length=200), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_key", sa.String(length=64), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_to", sa.String(length=100), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mash_code"], ["agencies.code"], name=op.f("fk_risk_alerts_mash_code_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_risk_alerts_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_alerts")),
    )
    op.create_index("ix_risk_alerts_person_id", "risk_alerts", ["person_id"])
    op.create_index("ix_risk_alerts_mash_code_status", "risk_alerts", ["mash_code", "status"])
    op.create_table(
        "risk_alert_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["risk_alerts.id"],
            name=op.f("fk_risk_alert_history_alert_id_risk_alerts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_alert_history")),
    )
    op.create_index("ix_risk_alert_history_alert_id", "risk_alert_history", ["alert_id"])


def downgrade() -> None:
    op.drop_index("ix_risk_alert_history_alert_id", table_name="risk_alert_history")
    op.drop_table("risk_alert_history")
    op.drop_index("ix_risk_alerts_mash_code_status", table_name="risk_alerts")
    op.drop_index("ix_risk_alerts_person_id", table_name="risk_alerts")
    op.drop_table("risk_alerts")
