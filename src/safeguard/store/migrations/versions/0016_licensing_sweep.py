"""licensing sweep: the evidence behind a notice

A notice raised by the licensing sweep (a licence granted after a refusal, suspension or
revocation elsewhere) carries the register entry and the match evidence as JSON.

Revision ID: 0016
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("licensing_notices") as batch:
        batch.add_column(sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("licensing_notices") as batch:
        batch.drop_column("evidence")
