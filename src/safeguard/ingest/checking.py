"""Validating and content-hashing a parsed file's rows, on both cores when the file is large.

Validation and hashing read nothing but the row and the code lists, so for a large file a
forked worker process checks the second half of the rows while this process checks the first,
and the two answers are joined in row order: the records, hashes and row errors are exactly
those one process would give. The worker never touches the database or the engine; it sends
back plain records and errors. When fork is unavailable, other threads are running (a forked
copy of a multi-threaded process can inherit a lock held by a thread that does not exist in
it), the file is small, or the worker fails, this process checks every row itself.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from safeguard.domain.codes import CodeLists
from safeguard.domain.records import EventRecord, PersonRecord
from safeguard.ingest.errors import RowError
from safeguard.ingest.quick import QuickEvents, QuickPersons
from safeguard.ingest.validation import validate_event, validate_person

#: Files with more rows than this are split between two processes; below it the fork and the
#: return of the records cost more than half the checking saves.
SPLIT_ABOVE = 20_000

Rows = Sequence[tuple[int, dict[str, Any]]]


@dataclass
class CheckedRows:
    """The valid rows' records (with their row numbers), each one's content hash in the same
    order, and the errors of the rest, in row order."""

    records: list[tuple[int, PersonRecord | EventRecord]] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class RowChecker:
    """Checks rows of one submission: the quick path for clean rows, the validator (which
    alone words errors) for any row it declines, and the content hash of each record."""

    kind: str
    agency: str
    agency_kind: str
    codes: CodeLists
    now: datetime
    storable: bool

    def __call__(self, rows: Rows) -> CheckedRows:
        out = CheckedRows()
        records, errors = out.records, out.errors
        rec: PersonRecord | EventRecord | None
        if self.kind == "persons":
            today = self.now.date()
            quick_person = QuickPersons(self.agency, self.codes, today, self.storable)
            for number, raw in rows:
                rec = quick_person(raw) or validate_person(
                    number, raw, self.agency, self.codes, today, errors
                )
                if rec is not None:
                    records.append((number, rec))
        else:
            quick_event = QuickEvents(
                self.agency, self.agency_kind, self.codes, self.now, self.storable
            )
            for number, raw in rows:
                rec = quick_event(raw) or validate_event(
                    number, raw, self.agency, self.agency_kind, self.codes, self.now, errors
                )
                if rec is not None:
                    records.append((number, rec))
        out.hashes = [rec.content_hash() for _, rec in records]
        return out


def check_rows(rows: Rows, checker: RowChecker, split_above: int = SPLIT_ABOVE) -> CheckedRows:
    """Every row checked, by one process or (a large file) two; the same answer either way."""
    if len(rows) <= split_above or not _can_fork():
        return checker(rows)
    middle = len(rows) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_check_half, args=(checker, rows, middle, send), daemon=True)
    # The child starts with the collector off: collecting the parent's garbage there could
    # finalise a copy of a database connection and close the parent's session with it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        worker.start()
    finally:
        if collecting:
            gc.enable()
    send.close()
    second: object = None
    try:
        first = checker(rows[:middle])
        try:
            second = receive.recv()
        except (EOFError, OSError):
            second = None
    finally:
        receive.close()
        worker.join(timeout=5)
        if worker.is_alive():
            worker.kill()
            worker.join()
    if not isinstance(second, CheckedRows):
        second = checker(rows[middle:])  # the worker failed: check its half here
    first.records += second.records
    first.hashes += second.hashes
    first.errors += second.errors
    return first


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _check_half(checker: RowChecker, rows: Rows, start: int, send: Any) -> None:
    """In the forked worker: check rows from ``start`` on and send the answer (None when the
    checking itself failed, so the parent checks those rows and raises as it would alone)."""
    try:
        result: CheckedRows | None = checker(rows[start:])
    except BaseException:  # reported to the parent as "check these rows yourself"
        result = None
    send.send(result)
    send.close()
