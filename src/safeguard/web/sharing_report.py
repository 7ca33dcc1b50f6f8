"""The sharing compliance report as one standalone HTML file (for `safeguard sharing report
--format html`), from a template like every page, so every value is escaped by Jinja."""

from __future__ import annotations

from safeguard.sharing.compliance import ComplianceRow
from safeguard.web.sharing_chart import compliance_svg
from safeguard.web.templating import templates


def report_html(rows: list[ComplianceRow], start: str | None, end: str | None) -> str:
    """The chart and the table of ``rows`` for events from ``start`` to ``end`` (either open)."""
    page = templates.env.get_template("sharing_report_file.html")
    return page.render(rows=rows, chart=compliance_svg(rows), start=start, end=end) + "\n"
