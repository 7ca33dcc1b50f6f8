"""The storage port of the identity capability, and an in-memory implementation for tests.

The SQL store implements ``IdentityRepository`` with the same behaviour; services only ever
talk to this protocol, so they are tested in milliseconds against ``InMemoryIdentityRepository``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

import pandas as pd

from safeguard.domain.child_ref import format_child_ref
from safeguard.domain.identity import ReferenceEvent, ReviewDecision, ReviewItem, SavedModel
from safeguard.identity.stable import resolve_ref


class IdentityRepository(Protocol):
    """What the identity services need from storage."""

    def load_records(self) -> pd.DataFrame:
        """Person records as the cluster input (``record_id``, names, ``dob`` … columns)."""
        ...

    def load_assignments(self, record_ids: Sequence[str] | None = None) -> dict[str, str]:
        """The current record_id → child reference assignment (only ``record_ids`` when
        given: real time reads its candidates' references, never the whole map)."""
        ...

    def save_assignments(self, assignment: dict[str, str]) -> None:
        """Replace the current assignment (earlier ones are kept by the events)."""
        ...

    def next_child_ref(self) -> str:
        """Issue a never-used child reference (serials only go up)."""
        ...

    def next_child_refs(self, count: int) -> list[str]:
        """Issue ``count`` never-used child references at once, in serial order."""
        ...

    def load_aliases(self) -> dict[str, str]:
        """Merged-away reference → the reference it was merged into."""
        ...

    def add_aliases(self, aliases: dict[str, str]) -> None: ...

    def add_events(self, events: list[ReferenceEvent]) -> None:
        """Append merge/split events; they are never edited or removed."""
        ...

    def load_events(self) -> list[ReferenceEvent]: ...

    def add_decision(self, decision: ReviewDecision) -> None:
        """Record a reviewer's decision; a later decision on the same pair overrides."""
        ...

    def load_decisions(self) -> list[ReviewDecision]: ...

    def queue_for_review(self, items: list[ReviewItem]) -> None: ...

    def load_review_queue(self) -> list[ReviewItem]: ...

    def save_model(self, model_json: str) -> int:
        """Store a trained model; returns its new version number (1, 2, …)."""
        ...

    def load_model(self, version: int | None = None) -> SavedModel | None:
        """The given version, or the latest when ``version`` is None; None if none saved."""
        ...


class InMemoryIdentityRepository:
    """``IdentityRepository`` kept in Python objects, for tests and one-off CLI runs."""

    def __init__(self, records: pd.DataFrame | None = None) -> None:
        self.records = records if records is not None else pd.DataFrame()
        self.assignment: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.events: list[ReferenceEvent] = []
        self.decisions: list[ReviewDecision] = []
        self.queue: list[ReviewItem] = []
        self.models: list[SavedModel] = []
        self._serial = 0

    def load_records(self) -> pd.DataFrame:
        return self.records.copy()

    def load_assignments(self, record_ids: Sequence[str] | None = None) -> dict[str, str]:
        if record_ids is None:
            return dict(self.assignment)
        return {r: self.assignment[r] for r in record_ids if r in self.assignment}

    def save_assignments(self, assignment: dict[str, str]) -> None:
        self.assignment = dict(assignment)

    def next_child_ref(self) -> str:
        return self.next_child_refs(1)[0]

    def next_child_refs(self, count: int) -> list[str]:
        first, self._serial = self._serial + 1, self._serial + count
        return [format_child_ref(n) for n in range(first, self._serial + 1)]

    def load_aliases(self) -> dict[str, str]:
        return dict(self.aliases)

    def add_aliases(self, aliases: dict[str, str]) -> None:
        self.aliases.update(aliases)

    def add_events(self, events: list[ReferenceEvent]) -> None:
        self.events.extend(events)

    def load_events(self) -> list[ReferenceEvent]:
        return list(self.events)

    def add_decision(self, decision: ReviewDecision) -> None:
        self.decisions.append(decision)
        pair = {decision.record_id_l, decision.record_id_r}
        self.queue = [q for q in self.queue if {q.record_id_l, q.record_id_r} != pair]

    def load_decisions(self) -> list[ReviewDecision]:
        return list(self.decisions)

    def queue_for_review(self, items: list[ReviewItem]) -> None:
        known = {frozenset((q.record_id_l, q.record_id_r)) for q in self.queue}
        decided = {frozenset((d.record_id_l, d.record_id_r)) for d in self.decisions}
        for item in items:
            pair = frozenset((item.record_id_l, item.record_id_r))
            if pair not in known and pair not in decided:
                self.queue.append(item)
                known.add(pair)

    def load_review_queue(self) -> list[ReviewItem]:
        return list(self.queue)

    def save_model(self, model_json: str) -> int:
        version = len(self.models) + 1
        self.models.append(SavedModel(version, model_json, datetime.now(UTC)))
        return version

    def load_model(self, version: int | None = None) -> SavedModel | None:
        if not self.models:
            return None
        if version is None:
            return self.models[-1]
        return next((m for m in self.models if m.version == version), None)

    def resolve(self, ref: str) -> str:
        """The live reference an old one now resolves to."""
        return resolve_ref(ref, self.aliases)
