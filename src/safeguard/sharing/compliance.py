"""Compliance with sharing obligations, per submitting agency and obligation. Pure.

A share is *on time* when it was made by its due time (the event's time plus the obligation's
hours), *late* when made after it, and *never made* when the event matched an obligation but
the share could not be created (child not identified, age or area unknown) or was withheld.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safeguard.domain.spreadsheet import csv_text
from safeguard.sharing.rules import MADE, NEVER_MADE, utc


@dataclass(frozen=True)
class ComplianceRow:
    agency: str
    obligation: str
    due: int
    on_time: int
    late: int
    never_made: int
    median_delay_hours: float | None

    @property
    def on_time_rate(self) -> float | None:
        return None if self.due == 0 else self.on_time / self.due

    def as_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "obligation": self.obligation,
            "due": self.due,
            "on_time": self.on_time,
            "late": self.late,
            "never_made": self.never_made,
            "median_delay_hours": self.median_delay_hours,
        }


def is_late(due_at: datetime, shared_at: datetime) -> bool:
    return utc(shared_at) > utc(due_at)


def delay_hours(occurred_at: datetime, shared_at: datetime) -> float:
    return (utc(shared_at) - utc(occurred_at)).total_seconds() / 3600


def compliance(shares: Iterable[Any]) -> list[ComplianceRow]:
    """Rows with ``from_agency, obligation_id, status, occurred_at, due_at, shared_at``."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for share in shares:
        groups.setdefault((share.from_agency, share.obligation_id), []).append(share)
    rows = []
    for (agency, obligation), items in sorted(groups.items()):
        made = [s for s in items if s.status == MADE and s.shared_at is not None]
        late = sum(is_late(s.due_at, s.shared_at) for s in made)
        never = sum(s.status == NEVER_MADE for s in items)
        delays = [delay_hours(s.occurred_at, s.shared_at) for s in made]
        rows.append(
            ComplianceRow(
                agency,
                obligation,
                due=len(items),
                on_time=len(made) - late,
                late=late,
                never_made=never,
                median_delay_hours=round(statistics.median(delays), 1) if delays else None,
            )
        )
    return rows


def chart_svg(rows: list[ComplianceRow], width: int = 640) -> str:
    """A stacked horizontal bar per row (on time, late, never made) as inline-free SVG markup."""
    bar_h, gap, label_w = 18, 8, 260
    height = max(1, len(rows)) * (bar_h + gap) + 40
    scale = width - label_w - 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" role="img" aria-label="Shares on time, late and never made">'
    ]
    colours = (("on time", "#2e7d32"), ("late", "#f9a825"), ("never made", "#c62828"))
    for n, row in enumerate(rows):
        y = 10 + n * (bar_h + gap)
        label = _escape(f"{row.agency} · {row.obligation}")[:60]
        parts.append(f'<text x="0" y="{y + 13}" font-size="11">{label}</text>')
        x = float(label_w)
        for (name, colour), count in zip(
            colours, (row.on_time, row.late, row.never_made), strict=True
        ):
            w = scale * count / row.due if row.due else 0
            if w:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                    f"<title>{name}: {count}</title></rect>"
                )
            x += w
    y = height - 14
    for i, (name, colour) in enumerate(colours):
        parts.append(
            f'<rect x="{label_w + i * 110}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(f'<text x="{label_w + i * 110 + 16}" y="{y}" font-size="11">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_csv(rows: list[ComplianceRow]) -> str:
    header = ["agency", "obligation", "due", "on_time", "late", "never_made", "median_delay_hours"]
    return csv_text(
        header,
        ([r.agency, r.obligation, r.due, r.on_time, r.late, r.never_made,
          "" if r.median_delay_hours is None else r.median_delay_hours] for r in rows),
    )  # fmt: skip
