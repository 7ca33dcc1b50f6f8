"""Statistical disclosure control for published count tables.

* Primary suppression: every count from 1 to ``threshold - 1`` (interior cells and totals).
* Secondary suppression: a suppressed cell must not be recoverable from the published totals
  and the other cells. The table with its totals is a set of linear equations (each row and
  column sums to its total); a suppressed cell is recoverable exactly when every solution of
  those equations gives it the same value, i.e. when the null space of the equations,
  restricted to the suppressed cells, is zero at that cell. While any suppressed cell is
  recoverable, the smallest published cell sharing an equation with it (interior before totals,
  non-zero before zero) is suppressed too, and the test repeats until none is.

Only linear recovery within one table is prevented; docs/statistics.md lists what is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntGrid = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ProtectedTable:
    """A count table with its totals and which cells are withheld.

    ``values`` and ``suppressed`` have the published layout: the interior, then a row-total
    column (when there is more than one column) and a column-total row (when ``totals``).
    """

    values: IntGrid
    suppressed: Mask
    row_totals: bool
    col_totals: bool

    def published(self) -> list[list[int | None]]:
        return [
            [None if s else int(v) for v, s in zip(row, srow, strict=True)]
            for row, srow in zip(self.values, self.suppressed, strict=True)
        ]


def with_totals(counts: IntGrid, totals: bool = True) -> tuple[IntGrid, bool, bool]:
    """Add a row-total column (more than one column) and a column-total row (``totals``)."""
    grid = np.asarray(counts, dtype=np.int64)
    row_totals = totals and grid.shape[1] > 1
    col_totals = totals
    if row_totals:
        grid = np.hstack([grid, grid.sum(axis=1, keepdims=True)])
    if col_totals:
        grid = np.vstack([grid, grid.sum(axis=0, keepdims=True)])
    return grid, row_totals, col_totals


def equations(shape: tuple[int, int], row_totals: bool, col_totals: bool) -> list[list[int]]:
    """Each additive constraint as +1 cells then the total cell last (flat indices)."""
    rows, cols = shape
    out: list[list[int]] = []
    if row_totals:
        for i in range(rows):
            out.append([i * cols + j for j in range(cols)])
    if col_totals:
        for j in range(cols):
            out.append([i * cols + j for i in range(rows)])
    return out


def _matrix(eqs: list[list[int]], n_cells: int) -> npt.NDArray[np.float64]:
    a = np.zeros((len(eqs), n_cells))
    for k, cells in enumerate(eqs):
        a[k, cells[:-1]] = 1.0
        a[k, cells[-1]] = -1.0
    return a


def recoverable(
    shape: tuple[int, int], suppressed: Mask, row_totals: bool, col_totals: bool
) -> list[int]:
    """Flat indices of suppressed cells that the published cells and totals pin down."""
    hidden = np.flatnonzero(suppressed.ravel())
    eqs = equations(shape, row_totals, col_totals)
    if hidden.size == 0:
        return []
    if not eqs:
        return []
    a = _matrix(eqs, shape[0] * shape[1])[:, hidden]
    # null space of a: right singular vectors beyond the rank
    _, sing, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((sing > 1e-9).sum())
    null = vt[rank:].T  # (hidden, nullity)
    pinned = np.all(np.abs(null) < 1e-9, axis=1) if null.size else np.ones(hidden.size, bool)
    return [int(hidden[k]) for k in np.flatnonzero(pinned)]


def protect(
    counts: IntGrid, threshold: int, totals: bool = True, withhold: Mask | None = None
) -> ProtectedTable:
    """Primary then secondary suppression of a count table (see module docstring).

    ``withhold`` marks interior cells to withhold whatever their size, e.g. an aggregate whose
    parts another table withholds (publishing it would pin them).
    """
    grid, row_totals, col_totals = with_totals(counts, totals)
    shape = (int(grid.shape[0]), int(grid.shape[1]))
    flat = grid.ravel()
    suppressed = ((flat > 0) & (flat < threshold)).reshape(shape)
    if withhold is not None:
        rows, cols = np.asarray(withhold).shape
        suppressed[:rows, :cols] |= np.asarray(withhold, dtype=bool)
    is_total = np.zeros(shape, dtype=bool)
    if row_totals:
        is_total[:, -1] = True
    if col_totals:
        is_total[-1, :] = True
    eqs = equations(shape, row_totals, col_totals)
    while True:
        pinned = recoverable(shape, suppressed, row_totals, col_totals)
        if not pinned:
            break
        cell = pinned[0]
        near = {c for eq in eqs if cell in eq for c in eq}
        candidates = [c for c in near if not suppressed.flat[c]] or [
            c for c in range(flat.size) if not suppressed.flat[c]
        ]
        if not candidates:
            break  # everything withheld: nothing left to recover from
        choice = min(candidates, key=lambda c: (is_total.flat[c], flat[c] == 0, flat[c], c))
        suppressed.flat[choice] = True
    return ProtectedTable(grid, suppressed, row_totals, col_totals)


def round_rate(value: float | None, decimals: int) -> float | None:
    """Rates are published rounded (per 100,000 to ``decimals`` places)."""
    return None if value is None else round(value, decimals)
