"""Server-side SVG for the support accountability report (the CSP forbids inline scripts)."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from safeguard.support.report import SupportRow
from safeguard.web.bar_chart import BarChart, BarRow, Segment, bar_chart_svg

_PARTS = (
    ("on_time", "made on time", "#00703c"),
    ("late", "late", "#f47738"),
    ("never_made", "never made", "#d4351c"),
    ("pending", "not yet due", "#b1b4b6"),
)


def timeliness_svg(rows: list[SupportRow], names: dict[str, str], width: int = 720) -> Markup:
    """One stacked horizontal bar per authority: offers made on time, late, never, not yet due.
    Drawn from the published counts only; a withheld count is left out and said so."""
    bars = []
    for r in rows:
        name = names.get(r.la_code, r.la_code)
        counts = [(getattr(r, field), label, colour) for field, label, colour in _PARTS]
        bars.append(
            BarRow(
                label=name,
                segments=tuple(
                    Segment(n, colour, f"{name}: {n} {label}") for n, label, colour in counts if n
                ),
                total=r.offers_due or 0,
                withheld="" if r.offers_due else "withheld",
            )  # fmt: skip
        )
    return bar_chart_svg(
        BarChart(
            css_class="support-chart",
            title="Support offers per local authority: made on time, late, never made",
            desc="One bar per local authority, the full width being the offers due; a withheld "
            "count is not drawn.",
            rows=bars,
            legend=tuple((label, colour) for _, label, colour in _PARTS),
            empty="No support offers in this period.",
            width=width,
            label_width=190,
            note_width=20,
        )
    )


def report_html(
    rows: list[SupportRow], names: dict[str, str], start: str | None, end: str | None
) -> str:
    """A standalone HTML report (for `safeguard support report --format html`)."""
    period = f"{start or 'the beginning'} to {end or 'today'}"
    fields = ("victims", "offers_due", "on_time", "late", "never_made", "pending", "accepted",
              "declined")  # fmt: skip
    body = "".join(
        f"<tr><td>{escape(names.get(r.la_code, r.la_code))}</td>"
        + "".join(f"<td>{'[c]' if getattr(r, f) is None else getattr(r, f)}</td>" for f in fields)
        + f"<td>{'' if r.uptake_percent is None else f'{r.uptake_percent}%'}</td>"
        + f"<td>{'' if r.median_days_to_contact is None else r.median_days_to_contact}</td></tr>"
        for r in rows
    )
    caveat = (
        " Counts are under disclosure control: [c] is withheld."
        if any(r.protected for r in rows)
        else " Unprotected counts: for the MASH only."
    )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Support for child victims</title></head><body>"
        f"<h1>Support for child victims</h1><p>Situations from {escape(period)}.{caveat} "
        "Synthetic data only.</p>"
        f"{timeliness_svg(rows, names)}"
        "<table><thead><tr><th>LA</th><th>Victims</th><th>Offers due</th><th>On time</th>"
        "<th>Late</th><th>Never made</th><th>Not yet due</th><th>Accepted</th><th>Declined</th>"
        "<th>Uptake</th><th>Median days to first contact</th></tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n"
    )
