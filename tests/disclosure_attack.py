"""An attacker's attempt to recover withheld cells of a published table (used by SDC tests)."""

from __future__ import annotations

import numpy as np

from safeguard.crime.sdc import ProtectedTable


def recover_from_grid(
    published: list[list[int | None]], row_totals: bool, col_totals: bool
) -> list[tuple[int, int]]:
    """Withheld cells (None) pinned by the row and column sums of the published layout."""
    table = ProtectedTable(
        np.zeros((len(published), len(published[0])), np.int64),
        np.array([[v is None for v in row] for row in published]),
        row_totals,
        col_totals,
    )
    return attack(table, published)


def attack(
    table: ProtectedTable, published: list[list[int | None]] | None = None
) -> list[tuple[int, int]]:
    """Try to recover every withheld cell by linear algebra from what was published.

    Independent of the implementation: the published layout's row and column sums give
    equations; a withheld cell is recovered when its unit vector lies in the row space of the
    equations restricted to withheld cells (rank test), or trivially when it is the only
    withheld cell of an equation.
    """
    published = published if published is not None else table.published()
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
