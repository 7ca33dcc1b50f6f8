"""The return's count tables as one protected cube: raw counts in, published cells out.

Each count table is a raw frame (codes as index and columns) with its ``Layout``. All tables
are protected together (``joint.protect_jointly``); what leaves is ``published(key)``: the
count, or None when withheld. Every derived figure (rates, ratios, percentages, headline,
charts) is computed from these published cells only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from safeguard.crime.cube import Key, Layout, hierarchy_equations
from safeguard.crime.joint import Equation, protect_jointly
from safeguard.domain.codes import CodeLists

TOTAL = "Total"


@dataclass
class CountTable:
    """A raw count table: ``frame`` rows and columns in the layout's order (codes)."""

    layout: Layout
    title: str
    frame: pd.DataFrame
    row_labels: dict[str, str] = field(default_factory=dict)
    col_labels: dict[str, str] = field(default_factory=dict)
    caveat: str = ""

    def values(self) -> dict[Key, int]:
        grid = self.layout.grid()
        raw = self.frame.to_numpy(dtype="int64") if not self.frame.empty else None
        n_rows, n_cols = len(self.layout.rows), max(len(self.layout.cols), 1)
        out: dict[Key, int] = {}
        for i, line in enumerate(grid):
            for j, k in enumerate(line):
                if raw is None:
                    value = 0
                elif i < n_rows and j < n_cols:
                    value = int(raw[i, j])
                elif i < n_rows:
                    value = int(raw[i].sum())
                elif j < n_cols:
                    value = int(raw[:, j].sum())
                else:
                    value = int(raw.sum())
                out[k] = value
        return out

    def totals(self) -> set[Key]:
        grid = self.layout.grid()
        n_rows, n_cols = len(self.layout.rows), max(len(self.layout.cols), 1)
        return {
            k
            for i, line in enumerate(grid)
            for j, k in enumerate(line)
            if i >= n_rows or j >= n_cols
        }


def count_table(
    name: str,
    title: str,
    frame: pd.DataFrame,
    population: str,
    row_dim: str,
    col_dim: str | None,
    *,
    fixed: Mapping[str, str] | None = None,
    totals: bool = True,
    col_keys: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    caveat: str = "",
) -> CountTable:
    """A raw pivot (rows x columns of counts) as a CountTable; ``col_keys`` maps column
    labels to codes (e.g. "Suspects" -> suspect)."""
    col_keys = dict(col_keys or {})
    rows = [str(r) for r in frame.index]
    cols = [col_keys.get(str(c), str(c)) for c in frame.columns] if col_dim else []
    layout = Layout(
        name,
        population if totals else f"{population}:{name}",
        row_dim,
        rows,
        col_dim,
        cols,
        dict(fixed or {}),
        row_totals=totals,
        col_totals=totals,
    )
    return CountTable(
        layout,
        title,
        frame,
        {r: (labels or {}).get(r, r) for r in rows},
        {col_keys.get(str(c), str(c)): str(c) for c in frame.columns},
        caveat,
    )


@dataclass
class ProtectedCube:
    values: dict[Key, int]
    withheld: set[Key]
    equations: list[Equation]

    def published(self, k: Key) -> int | None:
        return None if k in self.withheld else self.values[k]


def protect_tables(
    tables: list[CountTable],
    codes: CodeLists,
    threshold: int,
    links: list[Equation] | None = None,
    percent_decimals: int = 0,
) -> ProtectedCube:
    """Primary and secondary suppression over every table at once."""
    values: dict[Key, int] = {}
    totals: set[Key] = set()
    equations: list[Equation] = []
    for t in tables:
        for k, v in t.values().items():
            if k in values and values[k] != v:
                raise ValueError(f"{t.layout.name}: {k} is {v} here but {values[k]} elsewhere")
            values[k] = v
        totals |= t.totals()
        equations += t.layout.equations()
    equations += links or []
    equations += hierarchy_equations(values, "ethnic_group", "ethnicity", ethnic_children(codes))
    # stated and not-stated counts are published only as rounded percentages of their base
    bands = {k: (base, percent_decimals) for parts, base in links or [] for k in parts}
    withheld = protect_jointly(values, equations, threshold, totals, links or [], bands)
    return ProtectedCube(values, withheld, equations)


def ethnic_children(codes: CodeLists) -> dict[str, list[str]]:
    """Each high-level ethnic group (and Not stated) with its police 18+1 codes."""
    out: dict[str, list[str]] = {}
    for code in codes.ethnicity_police.codes():
        out.setdefault(codes.ethnic_group(code), []).append(code)
    return out


def published_frame(table: CountTable, cube: ProtectedCube, marker: str) -> pd.DataFrame:
    """The table as published: labels, totals, and the marker for every withheld cell."""
    lay = table.layout
    grid = lay.grid()
    index = [table.row_labels.get(r, r) for r in lay.rows] + ([TOTAL] if lay.col_totals else [])
    cols = [table.col_labels.get(c, c) for c in lay.cols] if lay.col_dim else ["Count"]
    if not lay.col_dim and not table.frame.empty:
        cols = [str(table.frame.columns[0])]
    if lay.has_row_totals():
        cols.append(TOTAL)
    cells = [[marker if (v := cube.published(k)) is None else v for k in line] for line in grid]
    return pd.DataFrame(cells, index=index, columns=cols, dtype=object)
