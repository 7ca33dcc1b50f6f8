"""The cyclic garbage collector held off while a submission is checked and stored.

A large file keeps hundreds of thousands of rows, records and insert tuples alive at once, and
CPython's collector, triggered by allocations, walks all of them again and again: about a
quarter of an events file's time. What a submission makes is freed by reference counting; the
few cycles it leaves are collected once the collector is back on. Concurrent submissions share
one count, so the collector comes back when the last of them ends, and only if it was on when
the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (nested and concurrent uses are counted)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
