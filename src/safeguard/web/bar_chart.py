"""The one horizontal bar chart, drawn on the server as SVG (the CSP forbids inline scripts).

Every chart names itself twice for screen readers (a title and a description), writes each
row's label (one or two lines, cut to fit with the whole text as a tooltip), draws the row's
bar as one or more coloured segments each with its own tooltip, and may link a row, write a
note after its bar, draw a legend, or write a withheld row's reason in place of its bar (so no
withheld number reaches the markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

TEXT, TRACK, LINK = "#0b0c0c", "#f3f2f1", "#1d70b8"


@dataclass(frozen=True)
class Segment:
    """A part of a bar: its value, colour and tooltip."""

    value: float
    colour: str
    tooltip: str


@dataclass(frozen=True)
class BarRow:
    """One row: a label (and a second line), the bar's segments and what fills its width.

    ``total`` is the value that fills the whole width (a share of a whole); ``None`` scales the
    row against the largest row of the chart. ``withheld`` is written instead of the bar.
    """

    label: str
    segments: tuple[Segment, ...] = ()
    detail: str = ""
    total: float | None = None
    href: str | None = None
    note: str = ""
    withheld: str = ""


@dataclass(frozen=True)
class BarChart:
    """What to draw and how: ``fits`` cuts each label line to that many characters (0: no
    cut), ``track`` draws the full width behind each bar, ``axis`` is a caption over the bars."""

    css_class: str
    title: str
    desc: str
    rows: Sequence[BarRow]
    legend: tuple[tuple[str, str], ...] = ()
    empty: str = "Nothing to show."
    axis: str = ""
    width: int = 640
    label_width: int = 120
    note_width: int = 60
    bar_height: int = 18
    gap: int = 8
    fits: int = 0
    track: bool = False


def _cut(text: str, fits: int) -> str:
    return text if not fits or len(text) <= fits else text[: fits - 1] + "…"


def _label(chart: BarChart, row: BarRow, y: int) -> str:
    linked = f' fill="{LINK}" text-decoration="underline"' if row.href else f' fill="{TEXT}"'
    label, detail = _cut(row.label, chart.fits), _cut(row.detail, chart.fits)
    if detail:
        text = (
            f'<text x="0" y="{y + 8}" font-size="11" font-weight="bold"{linked}>'
            f"{escape(label)}</text>"
            f'<text x="0" y="{y + 22}" font-size="11" fill="{TEXT}">{escape(detail)}</text>'
        )
    else:
        baseline = y + chart.bar_height // 2 + 5
        text = f'<text x="0" y="{baseline}" font-size="12"{linked}>{escape(label)}</text>'
    if not chart.fits:
        return text
    whole = " · ".join(t for t in (row.label, row.detail) if t)
    return f"<g><title>{escape(whole)}</title>{text}</g>"


def _bar(chart: BarChart, row: BarRow, y: int, largest: float) -> str:
    left, room = chart.label_width, chart.width - chart.label_width - chart.note_width
    baseline = y + chart.bar_height // 2 + 5
    if row.withheld:
        return (
            f'<text x="{left}" y="{baseline}" font-size="11" fill="{TEXT}">'
            f"{escape(row.withheld)}</text>"
        )
    parts = []
    if chart.track:
        parts.append(
            f'<rect x="{left}" y="{y}" width="{room}" height="{chart.bar_height}" fill="{TRACK}"/>'
        )
    scale = largest if row.total is None else row.total
    x = float(left)
    for s in row.segments if scale else ():
        w = s.value / scale * room
        if w <= 0:
            continue
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1.0):.1f}" height="{chart.bar_height}" '
            f'fill="{s.colour}"><title>{escape(s.tooltip)}</title></rect>'
        )
        x += w
    if row.note:
        parts.append(
            f'<text x="{left + room + 8}" y="{baseline}" font-size="12" fill="{TEXT}">'
            f"{escape(row.note)}</text>"
        )
    return "".join(parts)


def bar_chart_svg(chart: BarChart) -> Markup:
    """The chart as SVG markup that scales with the page (every text in it is escaped)."""
    top = 24 if chart.axis else 10
    row_h = chart.bar_height + chart.gap
    legend_h = 28 if chart.legend else 0
    height = top + max(len(chart.rows), 1) * row_h + legend_h + 6
    largest = max((sum(s.value for s in r.segments) for r in chart.rows), default=0.0)
    ids = f"{chart.css_class}-title", f"{chart.css_class}-desc"
    parts = [
        f'<svg class="{chart.css_class}" role="img" viewBox="0 0 {chart.width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" aria-labelledby="{ids[0]}" '
        f'aria-describedby="{ids[1]}">',
        f'<title id="{ids[0]}">{escape(chart.title)}</title>',
        f'<desc id="{ids[1]}">{escape(chart.desc)}</desc>',
    ]
    if chart.axis:
        parts.append(
            f'<text x="{chart.label_width}" y="14" font-size="12" fill="#505a5f">'
            f"{escape(chart.axis)}</text>"
        )
    for i, row in enumerate(chart.rows):
        y = top + i * row_h
        drawn = _label(chart, row, y) + _bar(chart, row, y, largest)
        parts.append(f'<a href="{escape(row.href)}">{drawn}</a>' if row.href else drawn)
    if not chart.rows:
        parts.append(
            f'<text x="0" y="{top + 15}" font-size="12" fill="{TEXT}">{escape(chart.empty)}</text>'
        )
    y = top + max(len(chart.rows), 1) * row_h + 8
    step = min(130, chart.width // max(len(chart.legend), 1))
    for j, (label, colour) in enumerate(chart.legend):
        x = j * step
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 9}" font-size="11" fill="{TEXT}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
