"""Person ids that sort by creation time (the UUID version 7 layout, as 32 hex digits).

Random uuid4 keys land all over the primary-key B-tree, so a bulk load touches a different
page for nearly every row; ids that start with the time and count up within a batch are
appended at the right-hand edge instead.
"""

from __future__ import annotations

import secrets
import time

_VARIANT = 0b10 << 62


def time_ordered_ids(count: int, now_ms: int | None = None) -> list[str]:
    """``count`` new ids, increasing, unique with overwhelming probability.

    48 bits of Unix milliseconds, the version nibble 7, 12 random bits, then the variant bits
    and a 62-bit field that starts at a random value below 2**61 and counts up, so a batch
    of up to 2**61 ids never wraps."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    head = f"{ms & 0xFFFF_FFFF_FFFF:012x}7{secrets.randbits(12):03x}"
    start = _VARIANT | secrets.randbits(61)
    return [f"{head}{n:016x}" for n in range(start, start + count)]
