"""Server-side SVG for the support accountability report (the CSP forbids inline scripts)."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from safeguard.support.report import SupportRow

_PARTS = (
    ("on_time", "made on time", "#00703c"),
    ("late", "late", "#f47738"),
    ("never_made", "never made", "#d4351c"),
    ("pending", "not yet due", "#b1b4b6"),
)


def timeliness_svg(rows: list[SupportRow], names: dict[str, str], width: int = 720) -> Markup:
    """One stacked horizontal bar per authority: offers made on time, late, never, not yet due.
    Drawn from the published counts only; a withheld count is left out and said so."""
    row_h, label_w = 26, 190
    chart_w = width - label_w - 20
    height = row_h * len(rows) + 50
    parts = [
        f'<svg class="support-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        "<title>Support offers per local authority: made on time, late, never made</title>",
    ]
    for i, r in enumerate(rows):
        y = 10 + i * row_h
        name = escape(names.get(r.la_code, r.la_code))
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{name}</text>')
        total = r.offers_due
        if not total:
            parts.append(f'<text x="{label_w}" y="{y + 15}" font-size="12">withheld</text>')
            continue
        x = float(label_w)
        for field, label, colour in _PARTS:
            n = getattr(r, field)
            if not n:
                continue
            w = n / total * chart_w
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}">'
                f"<title>{name}: {n} {label}</title></rect>"
            )
            x += w
    y = 10 + len(rows) * row_h + 8
    for j, (_, label, colour) in enumerate(_PARTS):
        x = label_w + j * 130
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 9}" font-size="11">{label}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


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
