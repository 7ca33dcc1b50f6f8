"""crime: derived group-based flags and immigration-enforcement referrals

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-26 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crime_group_flags",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("group_based", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suspects", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("derived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_crime_group_flags_event_id_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_crime_group_flags")),
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("crime_local_id", sa.String(length=100), nullable=False),
        sa.Column("suspect_local_id", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("offence_code", sa.String(length=6), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("immigration_status", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_referrals_agency_code_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_referrals_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_referrals_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("event_id", "person_id", "rule", name="uq_referrals_event_person_rule"),
    )


def downgrade() -> None:
    op.drop_table("referrals")
    op.drop_table("crime_group_flags")
