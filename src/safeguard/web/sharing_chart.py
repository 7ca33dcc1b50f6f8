"""Server-side SVG for the sharing compliance report (the CSP forbids inline scripts)."""

from __future__ import annotations

from markupsafe import Markup

from safeguard.sharing.compliance import ComplianceRow
from safeguard.web.bar_chart import BarChart, BarRow, Segment, bar_chart_svg

_PARTS = (
    ("on time", "#2e7d32"),
    ("late", "#f9a825"),
    ("not shared", "#6a1b9a"),
    ("unknown", "#9e9e9e"),
    ("never made", "#c62828"),
)


def compliance_svg(rows: list[ComplianceRow], width: int = 640) -> Markup:
    """A stacked horizontal bar per agency and duty: on time, late, not shared, timing unknown,
    never made. A row with a withheld count is written "[c]", not drawn, so no withheld number
    reaches a tooltip."""
    bars = []
    for row in rows:
        counts = (row.on_time, row.late, row.not_shared, row.timing_unknown, row.never_made)
        withheld = bool(row.withheld - {"median_delay_hours"})
        bars.append(
            BarRow(
                label=row.agency,
                detail=row.obligation,
                segments=()
                if withheld
                else tuple(
                    Segment(n, colour, f"{name}: {n}")
                    for (name, colour), n in zip(_PARTS, counts, strict=True)
                ),
                total=row.due,
                withheld="[c] withheld: small numbers" if withheld else "",
            )
        )
    # Two lines of label per row (the agency, then the duty), each cut to what fits at 11 px
    # with the whole text in a tooltip: one 60-character line ran under the bars.
    return bar_chart_svg(
        BarChart(
            css_class="chart",
            title="Shares on time, late, not shared, timing unknown and never made",
            desc="One bar per submitting agency and sharing duty, the full width being the "
            "shares due; a row with small numbers is withheld, not drawn.",
            rows=bars,
            legend=_PARTS,
            empty="No shares were due in this period.",
            width=width,
            label_width=300,
            note_width=20,
            gap=18,
            fits=48,
        )
    )
