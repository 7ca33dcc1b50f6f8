"""Charts drawn on the server as SVG, so pages need no script and no outside library."""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from safeguard.web.bar_chart import LINK, BarChart, BarRow, Segment, bar_chart_svg


def waterfall_svg(pair: dict[str, Any], width: int = 820) -> Markup:
    """A match-weight waterfall: the prior, then each comparison's weight, then the total.

    Bars to the right are evidence for "same child", to the left against; the final bar is the
    match weight, with the probability beside it.
    """
    steps = [("prior", "", float(pair["prior_match_weight"]))]
    for c in pair["comparisons"]:
        weight = float(c["match_weight"]) + float(c.get("term_frequency_adjustment", 0.0))
        shown = f"{c['left'] or '∅'} | {c['right'] or '∅'}"
        steps.append((c["comparison"], f"{c['level']}: {shown}", weight))
    total = float(pair["match_weight"])
    running, points = 0.0, [0.0]
    for _, _, weight in steps:
        running += weight
        points.append(running)
    low, high = min(*points, total, 0.0), max(*points, total, 0.0)
    span = (high - low) or 1.0
    row, label_w, chart_w = 26, 360, width - 360 - 130
    height = row * (len(steps) + 1) + 30

    def x(value: float) -> float:
        return label_w + (value - low) / span * chart_w

    parts = [
        f'<svg class="waterfall" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>Match weight of {escape(pair['record_id_l'])} and "
        f"{escape(pair['record_id_r'])}</title>",
        f'<line x1="{x(0):.1f}" y1="0" x2="{x(0):.1f}" y2="{height - 20}" class="axis"/>',
    ]
    running = 0.0
    for i, (name, detail, weight) in enumerate(steps):
        start, end = running, running + weight
        running = end
        y = i * row + 4
        cls = "for" if weight >= 0 else "against"
        left, right = sorted((x(start), x(end)))
        parts.append(
            f'<text x="4" y="{y + 15}" class="label">{escape(name)}'
            f'<tspan class="detail"> {escape(detail[:44])}</tspan></text>'
            f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1):.1f}" height="{row - 8}" '
            f'class="{cls}"><title>{escape(name)} {weight:+.2f}</title></rect>'
            f'<text x="{right + 4:.1f}" y="{y + 14}" class="value">{weight:+.2f}</text>'
        )
    y = len(steps) * row + 4
    left, right = sorted((x(0), x(total)))
    parts.append(
        f'<text x="4" y="{y + 15}" class="label total">match weight</text>'
        f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1):.1f}" height="{row - 8}" '
        f'class="total"/><text x="{right + 4:.1f}" y="{y + 14}" class="value">{total:+.2f} '
        f"(p = {float(pair['match_probability']):.3f})</text></svg>"
    )
    return Markup("".join(parts))


def groups_svg(groups: list[dict[str, Any]], width: int = 720) -> Markup:
    """Candidate groups side by side: one row per group, a bar for its harm score, and its
    members, victims and evidence items written beside it, so an analyst sees at a glance which
    group to open first. Each bar links to the group's page."""
    shown = sorted(groups, key=lambda g: -float(g["harm"]))[:15]
    rows = [
        BarRow(
            label=str(g["group_id"]),
            segments=(
                Segment(float(g["harm"]), LINK, f"{g['group_id']}: harm {float(g['harm']):,.0f}"),
            ),
            href=f"/network/groups/{g['group_id']}",
            note=f"{float(g['harm']):,.0f} · {g['members']} members · {g['victims']} victims · "
            f"{g['evidence_items']} items",
        )
        for g in shown
    ]
    return bar_chart_svg(
        BarChart(
            css_class="groups-chart",
            title="Candidate groups by harm score, with members, victims and evidence items",
            desc="One bar per group, longest for the highest harm score; each links to the group.",
            rows=rows,
            empty="No group passes the evidence rule.",
            axis="harm score →",
            width=width,
            label_width=130,
            note_width=250,
            bar_height=20,
            gap=10,
        )
    )
