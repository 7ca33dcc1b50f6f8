"""Accountability: per local authority, what happened to the alerts raised, month by month."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from safeguard.domain.clock import utc

OPEN = ("raised", "assigned", "escalated", "reopened")


@dataclass
class LaReport:
    """One local authority's alerts: raised, decided on time or late, never decided."""

    la_code: str
    raised: int = 0
    on_time: int = 0
    late: int = 0
    open_in_time: int = 0
    never_decided: int = 0  # still open and past the deadline
    escalated: int = 0
    reopened: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    by_month: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def as_dict(self) -> dict[str, Any]:
        return {
            "la_code": self.la_code,
            "raised": self.raised,
            "decided_on_time": self.on_time,
            "decided_late": self.late,
            "open_in_time": self.open_in_time,
            "never_decided": self.never_decided,
            "escalated": self.escalated,
            "reopened": self.reopened,
            "outcomes": dict(sorted(self.outcomes.items())),
            "by_month": {m: dict(c) for m, c in sorted(self.by_month.items())},
        }


def build_report(alerts: Iterable[Any], now: datetime) -> list[LaReport]:
    """Alerts (rows of ``risk_alerts``) → one :class:`LaReport` per LA, in code order."""
    out: dict[str, LaReport] = {}
    for a in alerts:
        r = out.setdefault(a.la_code, LaReport(a.la_code))
        month = utc(a.raised_at).strftime("%Y-%m")
        r.raised += 1
        r.by_month[month]["raised"] += 1
        r.reopened += 1 if a.reopened else 0
        r.escalated += 1 if a.escalated_at is not None else 0
        if a.status == "decided":
            late = utc(a.decided_at) > utc(a.deadline_at)
            kind = "late" if late else "on_time"
            r.late += late
            r.on_time += not late
            r.outcomes[a.outcome] += 1
        elif utc(now) > utc(a.deadline_at):
            kind = "never_decided"
            r.never_decided += 1
        else:
            kind = "open_in_time"
            r.open_in_time += 1
        r.by_month[month][kind] += 1
    return [out[k] for k in sorted(out)]


_COLOURS = {"on_time": "#2e7d32", "late": "#ef6c00", "never_decided": "#c62828",
            "open_in_time": "#90a4ae"}  # fmt: skip


def chart_svg(report: LaReport, width: int = 640) -> str:
    """Stacked bars per month of alerts raised: decided on time, late, never decided, open."""
    months = sorted(report.by_month)
    height, base, left = 220, 180, 40
    top = max((report.by_month[m]["raised"] for m in months), default=1) or 1
    bar = max(4.0, (width - left - 20) / max(len(months), 1) - 4)
    parts = [
        f'<svg class="risk-chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>Alerts raised per month in {escape(report.la_code)} and what became of them"
        "</title>",
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#333"/>',
        f'<text x="4" y="20" font-size="11">{top}</text>',
    ]
    for i, m in enumerate(months):
        x = left + i * (bar + 4)
        y = float(base)
        for kind, colour in _COLOURS.items():
            n = report.by_month[m][kind]
            if not n:
                continue
            h = n / top * (base - 20)
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{m}: {n} {kind.replace("_", " ")}</title></rect>'
            )
        if len(months) <= 12 or i % 3 == 0:
            parts.append(f'<text x="{x:.1f}" y="{base + 14}" font-size="10">{m}</text>')
    for j, (kind, colour) in enumerate(_COLOURS.items()):
        x = left + j * 140
        parts.append(f'<rect x="{x}" y="{base + 24}" width="10" height="10" fill="{colour}"/>')
        label = kind.replace("_", " ")
        parts.append(f'<text x="{x + 14}" y="{base + 33}" font-size="11">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)
