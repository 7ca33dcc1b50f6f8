"""Server-side SVG for the licensing compliance page (the CSP forbids inline scripts)."""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup


def share_checked_svg(rows: list[dict[str, Any]], width: int = 640) -> Markup:
    """One horizontal bar per authority: the share of decided applications checked."""
    shown = [r for r in rows if r["applications"]]
    row_h, label_w = 24, 120
    chart_w = width - label_w - 60
    height = row_h * len(shown) + 30
    parts = [
        f'<svg class="licensing-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        "<title>Share of licence applications checked against the register</title>",
    ]
    for i, r in enumerate(shown):
        share = r["checked"] / r["applications"]
        y = 10 + i * row_h
        bar = share * chart_w
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="12">{escape(r["authority"])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{chart_w}" height="{row_h - 6}" fill="#f3f2f1"/>'
            f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{row_h - 6}" fill="#1d70b8">'
            f"<title>{escape(r['authority'])}: {r['checked']} of {r['applications']}</title></rect>"
            f'<text x="{label_w + chart_w + 6}" y="{y + 15}" font-size="12">{share:.0%}</text>'
        )
    if not shown:
        parts.append('<text x="0" y="20" font-size="12">No applications decided yet.</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
