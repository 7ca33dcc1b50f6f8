"""The identity vocabulary shared by the capability and its storage: reviewer decisions,
queued pairs, saved models and the merge/split events that keep child references stable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

__all__ = ["ReferenceEvent", "ReviewDecision", "ReviewItem", "SavedModel"]


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's verdict on a pair of records: ``same`` (must-link) or ``not_same``."""

    record_id_l: str
    record_id_r: str
    decision: Literal["same", "not_same"]
    reason: str
    reviewer: str
    decided_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class ReviewItem:
    """A pair in the uncertain band, waiting for a person to decide."""

    record_id_l: str
    record_id_r: str
    match_probability: float
    match_weight: float


@dataclass(frozen=True)
class SavedModel:
    """A trained linkage model (Splink settings JSON) and its version number."""

    version: int
    model_json: str
    saved_at: datetime


@dataclass(frozen=True)
class ReferenceEvent:
    """A merge (``ref`` folded into ``into``) or split (``new_refs`` carved out of ``ref``)."""

    kind: Literal["merge", "split"]
    ref: str
    into: str | None
    new_refs: tuple[str, ...]
    evidence: dict[str, object] = field(default_factory=dict)
