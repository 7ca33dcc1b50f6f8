"""A standalone HTML compliance report (for `safeguard sharing report --format html`)."""

from __future__ import annotations

from html import escape

from safeguard.sharing.compliance import ComplianceRow
from safeguard.web.sharing_chart import compliance_svg


def report_html(rows: list[ComplianceRow], start: str | None, end: str | None) -> str:
    period = f"{start or 'the beginning'} to {end or 'today'}"
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                r.agency,
                r.obligation,
                r.due,
                r.on_time,
                r.late,
                r.not_shared,
                r.timing_unknown,
                r.never_made,
                "" if r.median_delay_hours is None else r.median_delay_hours,
            )
        )
        + "</tr>"
        for r in rows
    )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Sharing compliance</title></head><body>"
        f"<h1>Sharing compliance</h1><p>Events from {escape(period)}. Synthetic data only.</p>"
        f"{compliance_svg(rows)}"
        "<table><thead><tr><th>Agency</th><th>Obligation</th><th>Due</th><th>On time</th>"
        "<th>Late</th><th>Not shared</th><th>Timing unknown</th><th>Never made</th>"
        "<th>Median delay (hours)</th></tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n"
    )
