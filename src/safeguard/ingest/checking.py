"""Validating and content-hashing a parsed file's rows: the quick path for clean rows, the
validator for the rest, and each record's content hash, in row order.

(Checking half of a large file in a forked worker was tried, commit 666b9ed, and measured
slower: unpickling the worker's 50,000 records took 0.6-0.8 s here, about what checking them
here takes.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from safeguard.domain.codes import CodeLists
from safeguard.domain.records import EventRecord, PersonRecord
from safeguard.ingest.errors import RowError
from safeguard.ingest.quick import QuickEvents, QuickPersons
from safeguard.ingest.validation import validate_event, validate_person

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
