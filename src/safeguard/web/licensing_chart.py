"""Server-side SVG for the licensing compliance page (the CSP forbids inline scripts)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from safeguard.web.bar_chart import LINK, BarChart, BarRow, Segment, bar_chart_svg


def share_checked_svg(rows: list[dict[str, Any]], width: int = 640) -> Markup:
    """One horizontal bar per authority: the share of decided applications checked."""
    bars = [
        BarRow(
            label=r["authority"],
            segments=(
                Segment(
                    r["checked"],
                    LINK,
                    f"{r['authority']}: {r['checked']} of {r['applications']}",
                ),
            ),
            total=r["applications"],
            note=f"{r['checked'] / r['applications']:.0%}",
        )
        for r in rows
        if r["applications"]
    ]
    return bar_chart_svg(
        BarChart(
            css_class="licensing-chart",
            title="Share of licence applications checked against the register",
            desc="One bar per licensing authority, the full width being all its decided "
            "applications; the share checked is written after the bar.",
            rows=bars,
            empty="No applications decided yet.",
            width=width,
            note_width=60,
            gap=6,
            track=True,
        )
    )
