"""ingest: drop the participants' person_id index the (person_id, event_id) index covers

Every lookup of a person's participations filters on person_id, which the leading column of
ix_event_participants_person_event already serves; the narrower index only cost each
participant written a further B-tree insert.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 19:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index("ix_event_participants_person")


def downgrade() -> None:
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index("ix_event_participants_person", ["person_id"], unique=False)
