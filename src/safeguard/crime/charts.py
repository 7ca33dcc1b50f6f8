"""Server-side SVG charts (no script, no CDN): bars with intervals, lines and a funnel plot."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

_FONT = 'font-family="sans-serif" font-size="11"'
_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f")


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {_FONT}>'
        f"<title>{escape(title)}</title>"
        f'<text x="4" y="14" font-weight="bold">{escape(title)}</text>' + "".join(body) + "</svg>"
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    intervals: Sequence[tuple[float, float] | None] | None = None,
    ranges: Sequence[tuple[float, float] | None] | None = None,
    reference: float | None = None,
) -> str:
    """Horizontal bars; ``None`` is a withheld value ([c]). ``intervals`` draw whiskers (a CI),
    ``ranges`` a pale band (how far not-stated records could move the figure)."""
    label_w, plot_w, row_h, top = 190, 360, 18, 24
    extents = [v for v in values if v is not None and math.isfinite(v)]
    # the scale follows values and intervals; a not-stated range beyond it is clipped
    extents += [x for p in intervals or [] if p for x in p if math.isfinite(x)]
    top_value = max(extents + [reference or 0.0, 1e-9])
    scale = plot_w / top_value
    body: list[str] = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_h
        body.append(
            f'<text x="{label_w - 4}" y="{y + 12}" text-anchor="end">{escape(label)}</text>'
        )
        band = ranges[i] if ranges else None
        if band:
            x0, x1 = (min(b, top_value) * scale for b in band)
            body.append(
                f'<rect class="range" x="{label_w + x0:.1f}" y="{y + 2}" '
                f'width="{max(x1 - x0, 1):.1f}" height="{row_h - 4}" fill="#b1b4b6"/>'
            )
        if value is None:
            body.append(f'<text x="{label_w + 2}" y="{y + 12}">[c]</text>')
            continue
        body.append(
            f'<rect class="bar" x="{label_w}" y="{y + 5}" width="{max(value * scale, 0.5):.1f}" '
            f'height="{row_h - 10}" fill="{_COLOURS[0]}"/>'
        )
        interval = intervals[i] if intervals else None
        if interval:
            x0, x1 = (min(b, top_value) * scale + label_w for b in interval)
            body.append(
                f'<line class="ci" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y + 9}" y2="{y + 9}" '
                'stroke="#0b0c0c" stroke-width="1.5"/>'
            )
        body.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + 12}">{value:,.1f}</text>'
            if not float(value).is_integer()
            else f'<text x="{label_w + plot_w + 6}" y="{y + 12}">{int(value):,}</text>'
        )
    if reference is not None:
        x = label_w + reference * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + len(labels) * row_h}" '
            'stroke="#d4351c" stroke-dasharray="3,2"/>'
        )
    return _svg(label_w + plot_w + 70, top + len(labels) * row_h + 8, title, body)


def line_chart(
    series: Mapping[str, Sequence[tuple[float, float]]], title: str, y_label: str = ""
) -> str:
    """Lines over years; each series its own colour with a legend."""
    width, height, left, top, bottom = 600, 240 + 14 * len(series), 60, 40 + 14 * len(series), 30
    points = [p for pts in series.values() for p in pts]
    if not points:
        return _svg(width, 60, title, ['<text x="4" y="40">No data.</text>'])
    xs = [p[0] for p in points]
    x_lo, x_hi = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y_hi = max(max(p[1] for p in points), 1e-9) * 1.1
    plot_w, plot_h = width - left - 20, height - top - bottom

    def sx(x: float) -> float:
        return left + (x - x_lo) / (x_hi - x_lo) * plot_w

    def sy(y: float) -> float:
        return top + plot_h - y / y_hi * plot_h

    body = [
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#505a5f"/>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#505a5f"/>',
        f'<text x="{left - 4}" y="{top - 8}" text-anchor="end">{escape(y_label)}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{y_hi:,.0f}</text>',
    ]
    for x in sorted(set(xs)):
        body.append(f'<text x="{sx(x):.1f}" y="{height - 10}" text-anchor="middle">{x:.0f}</text>')
    for k, (name, pts) in enumerate(series.items()):
        colour = _COLOURS[k % len(_COLOURS)]
        ordered = sorted(pts)
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in ordered)
        body.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="{colour}" '
            'stroke-width="2"/>'
        )
        body += [
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in ordered
        ]
        body.append(  # legend: one line per series under the title
            f'<text x="{left}" y="{30 + k * 14}" fill="{colour}">{escape(name)}</text>'
        )
    return _svg(width, height, title, body)


def funnel_plot(
    points: Sequence[tuple[float, float, str, bool]],
    p0: float,
    limits: Sequence[float],
    title: str,
) -> str:
    """Proportion against its denominator, with control limits p0 ± z·sqrt(p0(1-p0)/n)."""
    width, height, left, top, bottom = 560, 280, 50, 30, 30
    plot_w, plot_h = width - left - 20, height - top - bottom
    n_max = max([p[0] for p in points] + [10.0]) * 1.05

    def sx(n: float) -> float:
        return left + n / n_max * plot_w

    def sy(p: float) -> float:
        return top + plot_h - max(0.0, min(1.0, p)) * plot_h

    body = [
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#505a5f"/>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#505a5f"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">1.0</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
        f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end">'
        f"crimes + plans ({n_max:,.0f})</text>",
        f'<line class="target" x1="{left}" x2="{left + plot_w}" y1="{sy(p0):.1f}" '
        f'y2="{sy(p0):.1f}" stroke="#00703c"/>',
    ]
    for z in limits:
        for sign in (1, -1):
            pts = []
            for step in range(1, 101):
                n = n_max * step / 100
                pts.append(f"{sx(n):.1f},{sy(p0 + sign * z * math.sqrt(p0 * (1 - p0) / n)):.1f}")
            body.append(
                f'<polyline class="limit" points="{" ".join(pts)}" fill="none" '
                f'stroke="#505a5f" stroke-dasharray="{"4,2" if z < 3 else "1,0"}"/>'
            )
    for n, p, label, flagged in points:
        colour = "#d4351c" if flagged else "#1d70b8"
        body.append(
            f'<circle class="point" cx="{sx(n):.1f}" cy="{sy(p):.1f}" r="4" fill="{colour}">'
            f"<title>{escape(label)}</title></circle>"
        )
    return _svg(width, height, title, body)
