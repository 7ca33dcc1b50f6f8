"""The one horizontal bar chart: named for screen readers, scaled per row or to the largest,
escaped, linked, and a withheld row drawn as words with no number in it."""

from __future__ import annotations

import re

from safeguard.web.bar_chart import BarChart, BarRow, Segment, bar_chart_svg


def _widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="[0-9.]+" y="\d+" width="([0-9.]+)"', svg)]


def test_named_by_title_and_description() -> None:
    svg = bar_chart_svg(BarChart("demo", "Demo title", "Demo description", [BarRow("a")]))
    assert 'role="img"' in svg and 'aria-labelledby="demo-title"' in svg
    assert '<title id="demo-title">Demo title</title>' in svg
    assert 'aria-describedby="demo-desc"' in svg and '<desc id="demo-desc">' in svg


def test_rows_scale_to_the_largest_or_to_their_own_total() -> None:
    rows = [BarRow("a", (Segment(10, "#000", "a: 10"),)), BarRow("b", (Segment(5, "#000", "b"),))]
    chart = BarChart("c", "t", "d", rows, width=300, label_width=100, note_width=0)
    assert _widths(bar_chart_svg(chart)) == [200.0, 100.0]
    share = BarRow("a", (Segment(1, "#000", "1 of 4"), Segment(1, "#111", "x")), total=4)
    wide = BarChart("c", "t", "d", [share], width=300, label_width=100, note_width=0)
    assert _widths(bar_chart_svg(wide)) == [50.0, 50.0]


def test_text_is_escaped_and_links_wrap_the_row() -> None:
    row = BarRow("<b>", (Segment(1, "#000", "a & b"),), href="/groups/G-1", note="<i>")
    svg = bar_chart_svg(BarChart("c", "t", "d", [row]))
    assert "<b>" not in svg and "<i>" not in svg and "&lt;b&gt;" in svg
    assert "<title>a &amp; b</title>" in svg
    assert re.search(r'<a href="/groups/G-1"><text[^>]*>&lt;b&gt;</text><rect', svg)


def test_a_withheld_row_draws_no_bar_and_no_number() -> None:
    row = BarRow("LA", (Segment(3, "#000", "LA: 3 late"),), total=7, withheld="[c] withheld")
    svg = bar_chart_svg(BarChart("c", "t", "d", [row]))
    assert "[c] withheld" in svg and "3 late" not in svg and "<rect" not in svg


def test_long_labels_are_cut_with_the_whole_label_as_a_tooltip() -> None:
    row = BarRow("agency", detail="a-very-long-duty-name-indeed")
    svg = bar_chart_svg(BarChart("c", "t", "d", [row], fits=10))
    assert "a-very-lo…" in svg and "<title>agency · a-very-long-duty-name-indeed</title>" in svg


def test_an_empty_chart_says_so() -> None:
    svg = bar_chart_svg(BarChart("c", "t", "d", [], empty="Nothing decided yet."))
    assert "Nothing decided yet." in svg
