"""No exported cell runs as a spreadsheet formula (CSV injection): the one writer's rules."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from safeguard.domain.spreadsheet import FORMULA_START, csv_text, safe_cell, safe_frame


@given(st.text())
def test_no_safe_text_starts_a_formula_unless_it_is_a_number(text: str) -> None:
    out = safe_cell(text)
    if out.startswith(FORMULA_START):
        float(out.strip())  # only numbers such as -1.5 keep their sign


def test_the_probes_payloads_are_made_inert() -> None:
    payload = '=HYPERLINK("http://evil.example","click")'
    assert safe_cell(payload) == "'" + payload
    for text in ("+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text).startswith("'")
    assert safe_cell("-12.5") == "-12.5" and safe_cell(7) == 7 and safe_cell("Amelia") == "Amelia"
    assert csv_text(["=a"], [["=b", 3]]) == "'=a\n'=b,3\n"
    frame = safe_frame(pd.DataFrame({"=x": ["=1+1", "ok"]}, index=["@i", "j"]))
    assert list(frame.columns) == ["'=x"] and list(frame["'=x"]) == ["'=1+1", "ok"]
    assert list(frame.index) == ["'@i", "j"]
