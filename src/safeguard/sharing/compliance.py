"""Compliance with sharing obligations, per submitting agency and obligation. Pure.

The clock starts when the submitting agency *recorded* the event (the feed's ``recorded_at``)
and stops when the partner *received* it (the partner's own record of receipt, see
``receipts``). Load time is neither: a back-filled feed is loaded long after both.

- *on time*: received within the duty's hours of recording; *late*: received after that;
- *not shared* (inferred): the partner records receipts, the duty's time has passed and the
  partner's records hold none for this event — the sender knew (its own feed holds the event)
  and the partner never heard;
- *timing unknown*: the feed gave no recording time, or the partner records no receipts, or the
  duty's time has not yet passed;
- *never made*: the event matched a duty but no share could be made (child not identified, age
  or area unknown) or it was withheld.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from safeguard.domain.clock import utc
from safeguard.domain.spreadsheet import csv_text
from safeguard.sharing.receipts import Receipts
from safeguard.sharing.rules import NEVER_MADE

ON_TIME, LATE, NOT_SHARED, UNKNOWN = "on_time", "late", "not_shared", "timing_unknown"


@dataclass(frozen=True)
class ComplianceRow:
    agency: str
    obligation: str
    due: int
    on_time: int
    late: int
    never_made: int
    median_delay_hours: float | None
    not_shared: int = 0
    timing_unknown: int = 0
    #: Counts withheld by disclosure control (``compliance_protect``): shown as ``[c]``, never
    #: as the number this row still holds for its own arithmetic.
    withheld: frozenset[str] = frozenset()

    @property
    def on_time_rate(self) -> float | None:
        known = self.on_time + self.late + self.not_shared
        return None if known == 0 else self.on_time / known

    def as_dict(self) -> dict[str, Any]:
        return {k: None if k in self.withheld else v for k, v in self._values().items()}

    def _values(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "obligation": self.obligation,
            "due": self.due,
            "on_time": self.on_time,
            "late": self.late,
            "not_shared": self.not_shared,
            "timing_unknown": self.timing_unknown,
            "never_made": self.never_made,
            "median_delay_hours": self.median_delay_hours,
        }


def is_late(due_at: datetime, received_at: datetime) -> bool:
    return utc(received_at) > utc(due_at)


def delay_hours(recorded_at: datetime, received_at: datetime) -> float:
    return (utc(received_at) - utc(recorded_at)).total_seconds() / 3600


def timeliness(
    share: Any, receipts: Receipts, within_hours: int, now: datetime
) -> tuple[str, float | None]:
    """One made share's verdict and its delay in hours (recording to receipt) when known."""
    if share.recorded_at is None or share.to_agency is None:
        return UNKNOWN, None
    received = receipts.of(share.to_agency, share.from_agency, share.event_local_id)
    due = utc(share.recorded_at) + timedelta(hours=within_hours)
    if received is not None:
        verdict = LATE if is_late(due, received) else ON_TIME
        return verdict, delay_hours(share.recorded_at, received)
    if share.to_agency in receipts.reporting and utc(now) > due:
        return NOT_SHARED, None
    return UNKNOWN, None


def compliance(
    shares: Iterable[Any],
    receipts: Receipts,
    within_hours: Mapping[str, int],
    now: datetime,
) -> list[ComplianceRow]:
    """Rows with ``from_agency, obligation_id, status, to_agency, event_local_id,
    recorded_at``; ``within_hours`` per obligation id (a share of a duty since removed from
    the file counts its timing as unknown)."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for share in shares:
        groups.setdefault((share.from_agency, share.obligation_id), []).append(share)
    rows = []
    for (agency, obligation), items in sorted(groups.items()):
        counts = dict.fromkeys((ON_TIME, LATE, NOT_SHARED, UNKNOWN), 0)
        delays: list[float] = []
        never = 0
        hours = within_hours.get(obligation)
        for share in items:
            if share.status == NEVER_MADE:
                never += 1
                continue
            if hours is None:
                counts[UNKNOWN] += 1
                continue
            verdict, delay = timeliness(share, receipts, hours, now)
            counts[verdict] += 1
            if delay is not None:
                delays.append(delay)
        rows.append(
            ComplianceRow(
                agency,
                obligation,
                due=len(items),
                on_time=counts[ON_TIME],
                late=counts[LATE],
                never_made=never,
                median_delay_hours=round(statistics.median(delays), 1) if delays else None,
                not_shared=counts[NOT_SHARED],
                timing_unknown=counts[UNKNOWN],
            )
        )
    return rows


def to_csv(rows: list[ComplianceRow]) -> str:
    """Withheld counts are written ``[c]``, as in the published statistics."""
    header = ["agency", "obligation", "due", "on_time", "late", "not_shared", "timing_unknown",
              "never_made", "median_delay_hours"]  # fmt: skip
    return csv_text(
        header,
        (["[c]" if k in r.withheld else ("" if v is None else v) for k, v in r.as_dict().items()]
         for r in rows),
    )  # fmt: skip
