"""Time-ordered person ids: valid UUID version 7 text, increasing, unique across batches."""

from __future__ import annotations

import uuid

from safeguard.domain.ids import time_ordered_ids


def test_ids_are_uuid7_hex_in_creation_order() -> None:
    first = time_ordered_ids(1000, now_ms=1_700_000_000_000)
    later = time_ordered_ids(10, now_ms=1_700_000_000_001)
    for text in first + later:
        assert len(text) == 32
        parsed = uuid.UUID(hex=text)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert first == sorted(first)
    assert max(first) < min(later)
    assert int(first[0][:12], 16) == 1_700_000_000_000


def test_batches_in_the_same_millisecond_do_not_collide() -> None:
    seen: set[str] = set()
    for _ in range(200):
        batch = time_ordered_ids(500, now_ms=1_700_000_000_000)
        assert seen.isdisjoint(batch)
        seen.update(batch)
    assert len(seen) == 200 * 500
