"""Group commit for audit entries: concurrent readers' entries are appended in one transaction
and one disk flush, and each caller returns only once its own entry is durable.

Every read of a child's data appends an entry under the chain's lock; committing one entry per
transaction puts a disk flush inside that lock and caps reads at a few hundred a second. The
first caller to find no flush under way becomes the leader and writes every pending entry
(its own included); the others wait for it and the next leader takes what arrived meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from safeguard.store.uow import UnitOfWork


@dataclass
class _Pending:
    fields: dict[str, Any]
    done: bool = False
    error: BaseException | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class AuditBatcher:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self.uow_factory = uow_factory
        self._cond = threading.Condition()
        self._pending: list[_Pending] = []
        self._flushing = False

    def append(self, **fields: Any) -> None:
        """Append one entry; returns when it is committed (raises if the write failed)."""
        item = _Pending(fields)
        with self._cond:
            self._pending.append(item)
            while not item.done:
                if self._flushing:
                    self._cond.wait()
                    continue
                self._flushing = True
                batch, self._pending = self._pending, []
                self._cond.release()
                try:
                    self._write(batch)
                finally:
                    self._cond.acquire()
                    self._flushing = False
                    self._cond.notify_all()
        if item.error is not None:
            raise item.error

    def _write(self, batch: list[_Pending]) -> None:
        error: BaseException | None = None
        try:
            with self.uow_factory() as uow:
                uow.audit.append_many([item.fields for item in batch])
        except BaseException as exc:  # every waiter must learn its entry was not written
            error = exc
        for item in batch:
            item.error = error
            item.done = True
