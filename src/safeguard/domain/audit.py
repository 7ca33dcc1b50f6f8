"""Audit entries and their hash chain: each entry's hash covers its content and the previous hash,
so an edit, deletion, insertion or reordering breaks the chain where it happened."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Checkpoint:
    """A signed checkpoint: the chain's hash at ``seq``, signed with the secret key."""

    seq: int
    entry_hash: str
    signature: str
    #: the previous checkpoint's signature this one signs; None if signed before chaining
    previous: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to which subject, why, and whether it was allowed."""

    seq: int
    at: datetime
    user_name: str
    role: str
    agency_code: str
    reason: str
    action: str
    subject: str
    outcome: str
    detail: str
    prev_hash: str
    entry_hash: str = ""

    def payload(self) -> str:
        body = {
            "seq": self.seq,
            "at": _utc_text(self.at),
            "user": self.user_name,
            "role": self.role,
            "agency": self.agency_code,
            "reason": self.reason,
            "action": self.action,
            "subject": self.subject,
            "outcome": self.outcome,
            "detail": self.detail,
            "prev": self.prev_hash,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    def computed_hash(self) -> str:
        return hashlib.sha256(self.payload().encode("utf-8")).hexdigest()


def _utc_text(moment: datetime) -> str:
    """The same text whether the store hands the time back with its zone (PostgreSQL) or
    without it (SQLite keeps UTC without a zone)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")


def checkpoint_signature(key: str, seq: int, entry_hash: str, previous: str | None = None) -> str:
    """HMAC-SHA256 keyed with the deployment secret over a checkpoint's entry count (its
    ``seq``: the chain has no gaps), the head hash there and the previous checkpoint's signature
    (``previous``; "" for the first), so an attacker who rewrites the log and its hashes can
    neither sign new checkpoints nor drop one from the middle of the chain unseen.

    ``previous=None`` is the unchained form written before checkpoints were chained (0019)."""
    if previous is None:
        message = f"safeguard-audit-checkpoint:{seq}:{entry_hash}"
    else:
        message = f"safeguard-audit-checkpoint-v2:{seq}:{entry_hash}:{previous}"
    return hmac.new(key.encode("utf-8"), message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedHead:
    """The latest checkpoint as kept outside the database: entry count, head hash, signature
    and the signature of the checkpoint before it (which that signature covers)."""

    seq: int
    entry_hash: str
    signature: str
    previous: str

    def valid(self, key: str) -> bool:
        expected = checkpoint_signature(key, self.seq, self.entry_hash, self.previous)
        return hmac.compare_digest(expected, self.signature)


@dataclass
class CheckpointPolicy:
    """When to sign a checkpoint with ``key`` (SAFEGUARD_SECRET_KEY): every ``every`` entries,
    and on the first append once ``minutes`` have passed since this process last signed one
    (``last_signed``, a monotonic time). ``head`` writes the latest one outside the database."""

    key: str
    every: int = 100
    minutes: float = 10.0
    head: HeadWriter | None = None
    last_signed: float = field(default_factory=time.monotonic)

    def due(self, seq: int, now: float) -> bool:
        return seq % self.every == 0 or now - self.last_signed >= self.minutes * 60


class HeadWriter(Protocol):
    """Keeps the latest signed head somewhere the database's owner cannot reach."""

    def read(self) -> SignedHead | None: ...

    def write(self, head: SignedHead, *, replace: bool = False) -> None: ...
