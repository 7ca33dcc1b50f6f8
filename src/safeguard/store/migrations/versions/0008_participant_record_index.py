"""identity: index event participants by the record that names them

A re-link moves each record that changes person together with its event participations,
found by (record_local_id, owning agency's events). Without an index on record_local_id every
move scanned the participants table, so the first link of a large store was quadratic (a
100,000-children store had not finished after 27 minutes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 18:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(
            "ix_event_participants_record", ["record_local_id", "event_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index("ix_event_participants_record")
