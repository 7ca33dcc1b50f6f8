"""Disclosure control: small cells withheld, and no withheld cell recoverable from the rest."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.crime.sdc import protect, round_rate
from tests.disclosure_attack import attack

tables = st.integers(1, 7).flatmap(
    lambda r: st.integers(1, 6).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=c, max_size=c),
            min_size=r,
            max_size=r,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(2, 10), st.booleans())
def test_no_suppressed_cell_can_be_recovered(
    counts: list[list[int]], threshold: int, totals: bool
) -> None:
    table = protect(np.array(counts), threshold, totals)
    assert attack(table) == []
    published = table.published()
    for row, true_row in zip(published, table.values, strict=True):
        for shown, true in zip(row, true_row, strict=True):
            assert shown is None or shown == true  # nothing invented
            if 0 < true < threshold:
                assert shown is None  # every small cell withheld


def test_a_single_small_cell_in_a_row_takes_a_partner() -> None:
    table = protect(np.array([[2, 10, 20], [30, 40, 50]]), threshold=5)
    published = table.published()
    assert published[0][0] is None
    assert sum(v is None for v in published[0]) >= 2
    assert sum(row[0] is None for row in published) >= 2
    assert attack(table) == []


def test_a_table_without_small_cells_is_published_whole() -> None:
    table = protect(np.array([[5, 10], [0, 40]]), threshold=5)
    assert table.published() == [[5, 10, 15], [0, 40, 40], [5, 50, 55]]


def test_rates_are_rounded() -> None:
    assert round_rate(12.3456, 1) == 12.3
    assert round_rate(None, 1) is None
