"""ingest: drop the (agency, local id, is_current) indexes the unique version key covers

Every current-version lookup filters on agency and local id, which the unique
(agency_code, local_id, version) index already serves; the extra index only cost ingest a
second B-tree write per row on source_records and on events.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 16:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_records", schema=None) as batch_op:
        batch_op.drop_index("ix_source_records_current")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_current")


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_events_current", ["agency_code", "local_id", "is_current"], unique=False
        )
    with op.batch_alter_table("source_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_source_records_current", ["agency_code", "local_id", "is_current"], unique=False
        )
