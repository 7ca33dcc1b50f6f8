"""The standalone compliance report (`safeguard sharing report --format html`) comes from a
template: every value escaped, a withheld count written [c], the chart inside."""

from __future__ import annotations

from safeguard.sharing.compliance import ComplianceRow
from safeguard.web.sharing_report import report_html


def test_values_are_escaped_and_withheld_counts_written_c() -> None:
    rows = [
        ComplianceRow("<b>POLICE</b>", "police-csc-crime", 10, 6, 2, 1, 5.0, 1, 0),
        ComplianceRow("EDU", "edu-mash", 3, 1, 1, 1, None, withheld=frozenset({"on_time"})),
    ]
    html = report_html(rows, None, "2026-01-31")
    assert "<b>POLICE</b>" not in html and "&lt;b&gt;POLICE&lt;/b&gt;" in html
    assert "<tr><td>EDU</td><td>edu-mash</td><td>3</td><td>[c]</td><td>1</td>" in html
    assert "Events from the beginning to 2026-01-31." in html
    assert '<svg class="chart"' in html and "<title>on time: 6</title>" in html
