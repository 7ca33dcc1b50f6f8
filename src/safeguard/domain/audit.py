"""Audit entries and their hash chain: each entry's hash covers its content and the previous hash,
so an edit, deletion, insertion or reordering breaks the chain where it happened."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

GENESIS_HASH = "0" * 64


class Actor(Protocol):
    """Whoever acts: a signed-in user or a system account."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def agency(self) -> str: ...


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


def checkpoint_signature(key: str, seq: int, entry_hash: str) -> str:
    """HMAC-SHA256 over a checkpoint's position and hash, keyed with the deployment secret, so
    an attacker who rewrites the log (and its hashes) cannot also rewrite the checkpoints."""
    message = f"safeguard-audit-checkpoint:{seq}:{entry_hash}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CheckpointPolicy:
    """Sign a checkpoint every ``every`` entries with ``key`` (SAFEGUARD_SECRET_KEY)."""

    key: str
    every: int = 1000
