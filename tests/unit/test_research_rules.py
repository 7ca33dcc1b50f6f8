"""Pure research rules: k/l suppression (property-checked), output checks, formula-safe CSV."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.domain.codes import load_code_lists
from safeguard.domain.spreadsheet import safe_cell, write_csv
from safeguard.research.anonymity import anonymise
from safeguard.research.extract import pseudonym
from safeguard.research.hierarchy import load_hierarchy
from safeguard.research.output_check import (
    OutputError,
    check_differencing,
    check_outputs,
    check_table,
    read_table,
)

HIERARCHY = load_hierarchy(load_code_lists())
LAS = sorted(HIERARCHY.force_of_la)[:4]

people = st.lists(
    st.tuples(
        st.integers(0, 17), st.sampled_from("MF"), st.sampled_from(LAS), st.sampled_from("ABC")
    ),
    min_size=0,
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(people, st.integers(2, 12), st.integers(1, 3))
def test_every_released_class_has_k_records_and_l_values(
    rows: list[tuple[int, str, str, str]], k: int, l_div: int
) -> None:
    raw = pd.DataFrame(rows, columns=["age_band", "sex", "local_authority", "ethnicity"])
    raw["age_band"] = raw["age_band"].astype(int)
    qis = ["age_band", "sex", "local_authority"]
    result = anonymise(raw, qis, ["ethnicity"], HIERARCHY, k=k, l_div=l_div)
    released = result.frame
    classes = Counter(map(tuple, released[qis].itertuples(index=False)))  # brute force
    assert all(n >= k for n in classes.values())
    for key in classes:
        mask = (released[qis] == pd.Series(key, index=qis)).all(axis=1)
        assert released.loc[mask, "ethnicity"].nunique() >= l_div
    assert result.suppressed + len(released) == len(raw)
    assert result.k == (min(classes.values()) if classes else 0)


def test_generalisation_follows_the_hierarchy() -> None:
    ages = pd.Series([0, 4, 9, 14, 17])
    assert list(HIERARCHY.generalise("age_band", ages, 2)) == [
        "0-4",
        "0-4",
        "5-9",
        "10-14",
        "15-17",
    ]
    assert list(HIERARCHY.generalise("age_band", ages, 3)) == ["0-17"] * 5
    months = pd.Series(["2024-01", "2024-11"])
    assert list(HIERARCHY.generalise("month", months, 1)) == ["2024-Q1", "2024-Q4"]
    assert HIERARCHY.generalise("local_authority", pd.Series(["E08000018"]), 1)[0] == "E23000011"


def test_pseudonyms_are_keyed() -> None:
    assert pseudonym(b"a" * 32, "C1") == pseudonym(b"a" * 32, "C1")
    assert pseudonym(b"a" * 32, "C1") != pseudonym(b"b" * 32, "C1")


def test_single_table_rules() -> None:
    t = read_table("t.csv", "area,count,total,top1,top2\nA,12,100,80,15\nB,0,0,0,0\nC,4,50,10,9\n")
    found = {(f.rule, f.where, f.verdict) for f in check_table(t)}
    assert found == {
        ("dominance", "area=A", "refuse"),
        ("zeros", "area=B", "review"),
        ("threshold", "area=C", "refuse"),
    }


def test_differencing_on_shared_categories_and_totals() -> None:
    a = read_table("a.csv", "area,sex,count\nX,M,20\nX,F,25\n")
    b = read_table("b.csv", "area,count\nX,40\n")  # 45 - 40 = 5 children between them
    assert [f.where for f in check_differencing(a, b)] == ["area=X"]
    c = read_table("c.csv", "sex,count\nM,20\nF,25\n")
    assert check_differencing(a, c) == []
    d = read_table("d.csv", "age,count\n10,30\n11,18\n")  # totals 45 and 48
    assert [f.where for f in check_outputs([a, d])["d.csv"]] == ["the totals"]


@pytest.mark.parametrize(
    "text,problem",
    [("area,n\nA,1\n", "no `count` column"), ("area,count\nA,ten\n", "line 2, column count")],
)
def test_unreadable_tables_say_what_to_fix(text: str, problem: str) -> None:
    with pytest.raises(OutputError, match=problem):
        read_table("x.csv", text)


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    # numbers written as text (+4, -2) stay numbers: only what a spreadsheet would run changes
    assert [safe_cell(v) for v in ("=1+1", "+4", "-2", "@SUM", "-A1", "ok", 3)] == [
        "'=1+1", "+4", "-2", "'@SUM", "'-A1", "ok", 3,
    ]  # fmt: skip
    write_csv(tmp_path / "f.csv", ["a"], [["=HYPERLINK()"]])
    assert (tmp_path / "f.csv").read_text().splitlines() == ["a", "'=HYPERLINK()"]
