"""The partners' own records of receiving what an agency shared. Pure.

A partner that records a receipt sends a ``referral`` event whose details name the sender and
the sender's reference (``source_agency``, ``source_event``); its ``occurred_at`` is the moment
of receipt. These records are the evidence compliance measures against: the platform's own
routing happens when a feed is loaded, which for a back-filled feed says nothing about when the
partner knew (docs/sharing.md, "Timeliness").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from safeguard.domain.clock import utc
from safeguard.domain.shares import Receipt

#: Event types a partner records a receipt as.
RECEIPT_EVENT_TYPES = ("referral",)


@dataclass(frozen=True)
class Receipts:
    """Earliest receipt per (kind of partner, sending agency, sender's event), and the partners
    that record receipts at all (only their silence is evidence that nothing was shared). The
    partner's kind, not the partner itself: when the platform resolves the child's area from a
    stale address, the receipt of the authority that really had the child still counts."""

    received: dict[tuple[str, str, str], datetime] = field(default_factory=dict)
    reporting: frozenset[str] = frozenset()

    def of(self, partner: str, sender: str, event_local_id: str) -> datetime | None:
        return self.received.get((partner_kind(partner), sender, event_local_id))


def partner_kind(agency_code: str) -> str:
    """``CSC-E08000018`` → ``CSC`` (agency codes are ``KIND-AREA``)."""
    return agency_code.split("-", 1)[0]


def partner_receipts(rows: Iterable[Receipt]) -> Receipts:
    """From partners' receipt events (``details`` JSON text naming the share's source)."""
    received: dict[tuple[str, str, str], datetime] = {}
    reporting: set[str] = set()
    for row in rows:
        reporting.add(str(row.agency_code))
        try:
            details = json.loads(row.details or "{}")
        except ValueError:
            continue
        sender, event = details.get("source_agency"), details.get("source_event")
        if not isinstance(sender, str) or not isinstance(event, str):
            continue
        key = (partner_kind(str(row.agency_code)), sender, event)
        when = utc(row.occurred_at)
        if key not in received or when < received[key]:
            received[key] = when
    return Receipts(received, frozenset(reporting))
