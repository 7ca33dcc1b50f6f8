"""support: offers of support to child victims, their events, school rolls and school leads

Revision ID: 0015
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0018"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "support_offers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("la_code", sa.String(length=12), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("situation", sa.String(length=40), nullable=False),
        sa.Column("trigger", sa.String(length=200), nullable=False),
        sa.Column("responsible_agency", sa.String(length=40), nullable=False),
        _when("identified_at", False),
        _when("due_at", False),
        sa.Column("status", sa.String(length=20), nullable=False),
        _when("first_contact_at"),
        _when("accepted_at"),
        _when("last_action_at"),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        _when("escalated_at"),
        sa.Column("escalated_to", sa.String(length=100), nullable=True),
        _when("created_at", False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_support_offers_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_offers")),
        sa.UniqueConstraint("person_id", "service", "trigger", name="uq_support_offers_trigger"),
    )
    op.create_index("ix_support_offers_la_code", "support_offers", ["la_code"])
    op.create_index("ix_support_offers_status_due", "support_offers", ["status", "due_at"])
    op.create_table(
        "support_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        _when("at", False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["support_offers.id"],
            name=op.f("fk_support_events_offer_id_support_offers"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_support_events_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_events")),
    )
    op.create_index("ix_support_events_person_id", "support_events", ["person_id"])
    op.create_index("ix_support_events_offer_id", "support_events", ["offer_id"])
    op.create_table(
        "support_pupils",
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("school_urn", sa.String(length=12), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("record_local_id", sa.String(length=100), nullable=False),
        _when("since", False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_support_pupils_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_support_pupils")),
    )
    op.create_index("ix_support_pupils_school_urn", "support_pupils", ["school_urn"])
    op.create_table(
        "support_school_leads",
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("school_urn", sa.String(length=12), nullable=False),
        _when("assigned_at", False),
        sa.PrimaryKeyConstraint("user_name", name=op.f("pk_support_school_leads")),
    )


def downgrade() -> None:
    op.drop_table("support_school_leads")
    op.drop_index("ix_support_pupils_school_urn", table_name="support_pupils")
    op.drop_table("support_pupils")
    op.drop_index("ix_support_events_offer_id", table_name="support_events")
    op.drop_index("ix_support_events_person_id", table_name="support_events")
    op.drop_table("support_events")
    op.drop_index("ix_support_offers_status_due", table_name="support_offers")
    op.drop_index("ix_support_offers_la_code", table_name="support_offers")
    op.drop_table("support_offers")
