"""The migrations (0003 sharing included) and the table metadata agree, on both stores."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from safeguard.bootstrap import Platform
from safeguard.store.tables import metadata


def test_the_migrated_schema_matches_the_metadata(platform: Platform) -> None:
    with platform.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
