"""The compliance chart's labels fit beside their bars: two lines, cut with a tooltip."""

from __future__ import annotations

import re

from safeguard.sharing.compliance import ComplianceRow
from safeguard.web.sharing_chart import compliance_svg


def test_long_labels_are_cut_to_fit_and_whole_in_the_tooltip() -> None:
    duty = "education-mash-exclusion-of-a-pupil-at-risk-of-exploitation-and-more"
    svg = compliance_svg([ComplianceRow("EDU-E08000018", duty, 10, 6, 2, 1, 5.0, 1, 0)])
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "EDU-E08000018" in texts
    assert any(t.endswith("…") and duty.startswith(t[:-1]) for t in texts)
    assert all(len(t) <= 48 for t in texts)
    assert f"<title>EDU-E08000018 · {duty}</title>" in svg
    assert 'viewBox="0 0 640' in svg and 'width="100%"' in svg


def test_bars_start_right_of_the_labels() -> None:
    svg = compliance_svg([ComplianceRow("POLICE-E23000011", "police-csc-crime", 4, 4, 0, 0, 1.0)])
    xs = [float(x) for x in re.findall(r'<rect x="([0-9.]+)" y="10"', svg)]
    assert xs and min(xs) >= 300
