"""The return as one cube of linked count cells, and the attacker's tightest interval of each.

Every count table of the return is a ``Layout``: its cells are aggregates of one population
(crimes, distinct persons, person-crime rows …) identified by their coordinates, e.g.
``persons {role: suspect, ethnic_group: Asian}``. The same aggregate published in two tables
(the suspects' total in the ethnic-group table, the nationality table, the age table and the
rates table) is one variable, so every table's margins bind every other table: that is how an
attacker reads them. A high-level ethnic group is the sum of its 18+1 codes (public code list).

``intervals`` solves, with HiGHS (``scipy.optimize.milp``), for the smallest and largest
non-negative integer value of each unknown cell consistent with everything published.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

Key = tuple[str, tuple[tuple[str, str], ...]]
BIG = 1e9  # "no upper bound" for the solver


def key(population: str, coords: Mapping[str, str]) -> Key:
    return population, tuple(sorted((k, str(v)) for k, v in coords.items()))


@dataclass(frozen=True)
class Layout:
    """Where each cell of a published count table sits in the cube.

    ``rows``/``cols`` are codes (the CSV shows labels); a table with ``col_dim`` None has one
    count column. A non-additive table (a crime may carry several flags) has no totals and its
    own population, so nothing links to it.
    """

    name: str
    population: str
    row_dim: str
    rows: list[str]
    col_dim: str | None = None
    cols: list[str] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)
    row_totals: bool = True
    col_totals: bool = True

    def has_row_totals(self) -> bool:
        return self.row_totals and self.col_dim is not None and len(self.cols) > 1

    def grid(self) -> list[list[Key]]:
        """Keys in the published layout: interior, row-total column, column-total row."""
        cols: list[str | None] = list(self.cols) if self.col_dim else [None]
        if self.has_row_totals():
            cols.append(None)
        rows: list[str | None] = list(self.rows) + ([None] if self.col_totals else [])
        out = []
        for r in rows:
            line = []
            for c in cols:
                coords = dict(self.fixed)
                if r is not None:
                    coords[self.row_dim] = r
                if c is not None and self.col_dim:
                    coords[self.col_dim] = c
                line.append(key(self.population, coords))
            out.append(line)
        return out

    def equations(self) -> list[tuple[list[Key], Key]]:
        """(parts, total) for every margin of the table."""
        g = self.grid()
        n_rows = len(self.rows)
        n_cols = len(self.cols) if self.col_dim else 1
        eqs: list[tuple[list[Key], Key]] = []
        if self.has_row_totals():
            eqs += [(g[i][:n_cols], g[i][n_cols]) for i in range(len(g))]
        if self.col_totals:
            width = len(g[0])
            eqs += [([g[i][j] for i in range(n_rows)], g[n_rows][j]) for j in range(width)]
        return eqs

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "population": self.population,
            "row_dim": self.row_dim,
            "rows": self.rows,
            "col_dim": self.col_dim,
            "cols": self.cols,
            "fixed": self.fixed,
            "row_totals": self.row_totals,
            "col_totals": self.col_totals,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Layout:
        return cls(
            name=str(data["name"]),
            population=str(data["population"]),
            row_dim=str(data["row_dim"]),
            rows=[str(r) for r in data["rows"]],  # type: ignore[attr-defined]
            col_dim=None if data["col_dim"] is None else str(data["col_dim"]),
            cols=[str(c) for c in data["cols"]],  # type: ignore[attr-defined]
            fixed={str(k): str(v) for k, v in data["fixed"].items()},  # type: ignore[attr-defined]
            row_totals=bool(data["row_totals"]),
            col_totals=bool(data["col_totals"]),
        )


def hierarchy_equations(
    keys: Iterable[Key], parent_dim: str, child_dim: str, children: Mapping[str, list[str]]
) -> list[tuple[list[Key], Key]]:
    """A parent cell (e.g. ethnic group) equals the sum of its children (its 18+1 codes)
    wherever every child cell is in the cube."""
    known = set(keys)
    eqs = []
    for pop, coords in known:
        d = dict(coords)
        parent = d.pop(parent_dim, None)
        if parent is None or parent not in children:
            continue
        parts = [key(pop, {**d, child_dim: c}) for c in children[parent]]
        if all(p in known for p in parts):
            eqs.append((parts, (pop, coords)))
    return eqs


@dataclass
class System:
    """Unknown counts, what is known of each, and linear constraints between them."""

    index: dict[Key, int] = field(default_factory=dict)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[dict[int, float]] = field(default_factory=list)
    row_lo: list[float] = field(default_factory=list)
    row_hi: list[float] = field(default_factory=list)
    _cache: _Reduced | None = None

    def var(self, k: Key) -> int:
        if k not in self.index:
            self.index[k] = len(self.lower)
            self.lower.append(0.0)
            self.upper.append(BIG)
        return self.index[k]

    def fix(self, k: Key, value: float) -> None:
        i = self.var(k)
        self._cache = None
        self.lower[i] = max(self.lower[i], value)
        self.upper[i] = min(self.upper[i], value)

    def add(self, terms: Mapping[Key, float], lo: float, hi: float) -> None:
        self._cache = None
        row: dict[int, float] = {}
        for k, coef in terms.items():
            i = self.var(k)
            row[i] = row.get(i, 0.0) + coef
        self.rows.append(row)
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def add_sum(self, parts: Sequence[Key], total: Key) -> None:
        terms: dict[Key, float] = {}
        for p in parts:
            terms[p] = terms.get(p, 0.0) + 1.0
        terms[total] = terms.get(total, 0.0) - 1.0
        self.add(terms, 0.0, 0.0)

    def _reduce(self) -> _Reduced:
        """Substitute every known (fixed) count into the constraints and split the unknowns
        into connected components, so each interval is solved on its own small component."""
        fixed = [lo == hi for lo, hi in zip(self.lower, self.upper, strict=True)]
        parent = list(range(len(self.lower)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        rows: list[tuple[dict[int, float], float, float]] = []
        for row, lo, hi in zip(self.rows, self.row_lo, self.row_hi, strict=True):
            const = sum(c * self.lower[j] for j, c in row.items() if fixed[j])
            free = {j: c for j, c in row.items() if not fixed[j] and c != 0.0}
            if not free:
                if const < lo - 1e-6 or const > hi + 1e-6:
                    raise ValueError("the published figures are inconsistent with each other")
                continue
            rows.append((free, lo - const, hi - const))
            first = find(next(iter(free)))
            for j in free:
                parent[find(j)] = first
        by_root: dict[int, list[int]] = {}
        for r, (free, _, _) in enumerate(rows):
            by_root.setdefault(find(next(iter(free))), []).append(r)
        return _Reduced(fixed, find, rows, by_root)

    def interval(self, target: Mapping[Key, float]) -> tuple[float, float]:
        """Smallest and largest integer value of a linear expression of the unknowns."""
        if self._cache is None:
            self._cache = self._reduce()
        red = self._cache
        const = 0.0
        coefs: dict[int, float] = {}
        for k, coef in target.items():
            i = self.index[k]
            if red.fixed[i]:
                const += coef * self.lower[i]
            else:
                coefs[i] = coef
        if not coefs:
            return const, const
        roots = {red.find(i) for i in coefs}
        row_ids = sorted(r for root in roots for r in red.by_root.get(root, []))
        cols = sorted({j for r in row_ids for j in red.rows[r][0]} | set(coefs))
        pos = {j: n for n, j in enumerate(cols)}
        c = np.zeros(len(cols))
        for i, coef in coefs.items():
            c[pos[i]] = coef
        cons = []
        if row_ids:
            r_idx, c_idx, val = [], [], []
            for n, r in enumerate(row_ids):
                for j, v in red.rows[r][0].items():
                    r_idx.append(n)
                    c_idx.append(pos[j])
                    val.append(v)
            a = coo_array((val, (r_idx, c_idx)), shape=(len(row_ids), len(cols))).tocsr()
            lo = [red.rows[r][1] for r in row_ids]
            hi = [red.rows[r][2] for r in row_ids]
            cons.append(LinearConstraint(a, lo, hi))
        bounds = Bounds(
            np.array([self.lower[j] for j in cols]), np.array([self.upper[j] for j in cols])
        )
        out = []
        for sign in (1.0, -1.0):
            res = milp(sign * c, constraints=cons, integrality=np.ones(len(cols)), bounds=bounds)
            if res.status != 0 or res.x is None:
                raise ValueError(f"the published figures are inconsistent ({res.message})")
            out.append(const + float(c @ np.round(res.x)))
        lo_v, hi_v = out
        return lo_v, (math.inf if hi_v - const >= BIG / 2 else hi_v)


@dataclass
class _Reduced:
    fixed: list[bool]
    find: Callable[[int], int]
    rows: list[tuple[dict[int, float], float, float]]
    by_root: dict[int, list[int]]


def protected_enough(lo: float, hi: float, threshold: int) -> bool:
    """A cell the attacker cannot rule out being 1..threshold-1 must stay open over
    [0, threshold]; a cell pinned away from the small values (0, or >= threshold) is safe."""
    could_be_small = lo <= threshold - 1 and hi >= 1
    return not could_be_small or (lo <= 0 and hi >= threshold)
