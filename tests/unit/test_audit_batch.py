"""Group commit: every caller learns whether its own entry was written; the spine's access
shim still answers from the records held."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

import pytest

from safeguard.domain.actors import User
from safeguard.domain.codes import load_code_lists
from safeguard.sharing.access import may_read_person
from safeguard.sharing.audit_batch import AuditBatcher


class FakeAudit:
    def __init__(self, log: list[dict[str, Any]], fail: bool) -> None:
        self.log, self.fail = log, fail

    def append_many(self, items: list[dict[str, Any]]) -> None:
        if self.fail:
            raise RuntimeError("store unavailable")
        self.log.extend(items)


class FakeUow:
    def __init__(self, log: list[dict[str, Any]], fail: bool) -> None:
        self.audit = FakeAudit(log, fail)

    def __enter__(self) -> FakeUow:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


def test_concurrent_appends_all_land_once() -> None:
    log: list[dict[str, Any]] = []
    batcher = AuditBatcher(lambda: FakeUow(log, False))  # type: ignore[arg-type,return-value]
    threads = [
        threading.Thread(target=lambda n=n: [batcher.append(n=n, i=i) for i in range(50)])
        for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted((e["n"], e["i"]) for e in log) == [(n, i) for n in range(8) for i in range(50)]


def test_a_failed_write_raises_in_the_caller() -> None:
    batcher = AuditBatcher(lambda: FakeUow([], True))  # type: ignore[arg-type,return-value]
    with pytest.raises(RuntimeError, match="store unavailable"):
        batcher.append(n=1)


def test_the_spine_shim_decides_from_records_held() -> None:
    codes = load_code_lists()
    hub = User("hub", "MASH-E08000018", ("mash",))
    assert may_read_person(hub, {"POLICE-E23000011"}, codes).allowed
    assert not may_read_person(
        User("x", "CSC-E08000035", ("practitioner",)), {"POLICE-E23000011"}, codes
    ).allowed
