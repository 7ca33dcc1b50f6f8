"""Disclosure control: small cells withheld, and no withheld cell recoverable from the rest."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.crime.sdc import ProtectedTable, protect, round_rate


def attack(table: ProtectedTable) -> list[tuple[int, int]]:
    """Try to recover every withheld cell by linear algebra from what was published.

    Independent of the implementation: the published layout's row and column sums give
    equations; a withheld cell is recovered when its unit vector lies in the row space of the
    equations restricted to withheld cells (rank test), or trivially when it is the only
    withheld cell of an equation.
    """
    published = table.published()
    rows, cols = len(published), len(published[0])
    eqs: list[list[tuple[int, int, float]]] = []
    if table.row_totals:
        eqs += [[(i, j, 1.0) for j in range(cols - 1)] + [(i, cols - 1, -1.0)] for i in range(rows)]
    if table.col_totals:
        eqs += [[(i, j, 1.0) for i in range(rows - 1)] + [(rows - 1, j, -1.0)] for j in range(cols)]
    hidden = [(i, j) for i in range(rows) for j in range(cols) if published[i][j] is None]
    if not hidden or not eqs:
        return []
    index = {cell: k for k, cell in enumerate(hidden)}
    a = np.zeros((len(eqs), len(hidden)))
    for r, eq in enumerate(eqs):
        for i, j, coef in eq:
            if (i, j) in index:
                a[r, index[(i, j)]] = coef
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, k in index.items():
        unit = np.zeros((1, len(hidden)))
        unit[0, k] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    for r in range(a.shape[0]):  # the trivial attack, as a cross-check of the rank test
        nz = np.flatnonzero(a[r])
        if nz.size == 1:
            assert hidden[int(nz[0])] in found
    return found


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
