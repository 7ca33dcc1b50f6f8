"""Statistical disclosure checks on a researcher's tables before they leave the platform.

The rules are the ones UK trusted research environments apply (the SDAP handbook, "Safe
Researcher" training; the same rules the ``acro`` package implements, which could not be used
here because it pins pandas ≤ 2.3.3 and pulls statsmodels and matplotlib):

- **threshold**: every non-zero cell counts at least ``threshold`` (10) people;
- **dominance**: in a magnitude table (``total`` with ``top1``/``top2`` contributions) the two
  largest contributors make at most 90 % of the total (N-K rule, N=2, K=90), and the rest make
  at least 10 % of the largest (p % rule, p=10);
- **zeros**: a zero cell can reveal that no one in a group has a trait; it is not refused, but
  flagged for the output checker to review;
- **differencing**: any two tables (this submission and the project's already approved outputs),
  summed to the categories they share, must not differ by fewer than ``threshold`` in any cell:
  subtracting them would reveal the small group between them.

A table is a CSV with category columns and a ``count`` column (people), and optionally ``total``,
``top1`` and ``top2`` for magnitude tables.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from itertools import combinations

import pandas as pd

THRESHOLD = 10
NK_SHARE = 0.9
P_PERCENT = 0.10
_MEASURES = ("count", "total", "top1", "top2")


class OutputError(ValueError):
    """A table that cannot be read as one; the message says which file and what to fix."""


@dataclass(frozen=True)
class Finding:
    file: str
    rule: str
    verdict: str  # "refuse" or "review"
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Table:
    name: str
    frame: pd.DataFrame

    @property
    def keys(self) -> list[str]:
        return [c for c in self.frame.columns if c not in _MEASURES]


def read_table(name: str, text: str) -> Table:
    """Parse one CSV table, or raise ``OutputError`` saying what is wrong with it."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise OutputError(f"{name}: not a readable CSV table ({exc})") from None
    if "count" not in frame.columns:
        raise OutputError(f"{name}: no `count` column; add the number of people in each cell")
    for col in _MEASURES:
        if col in frame.columns:
            numbers = pd.to_numeric(frame[col], errors="coerce")
            bad = numbers.isna() | (numbers < 0)
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0]) + 2
                raise OutputError(
                    f"{name}: line {row}, column {col}: {frame[col].iloc[row - 2]!r} is not a "
                    "non-negative number"
                )
            frame[col] = numbers
    return Table(name, frame)


def _where(table: Table, i: int) -> str:
    row = table.frame.iloc[i]
    return ", ".join(f"{k}={row[k]}" for k in table.keys) or "the total"


def check_table(table: Table, threshold: int = THRESHOLD) -> list[Finding]:
    """The single-table rules: threshold, dominance, zeros."""
    found: list[Finding] = []
    f = table.frame
    for i, n in enumerate(f["count"]):
        if n == 0:
            found.append(
                Finding(
                    table.name,
                    "zeros",
                    "review",
                    _where(table, i),
                    "a zero cell: confirm it is structural or reveals nothing about a group",
                )
            )
        elif n < threshold:
            found.append(
                Finding(
                    table.name,
                    "threshold",
                    "refuse",
                    _where(table, i),
                    f"{n:g} people in a cell; the minimum is {threshold}",
                )
            )
    if {"total", "top1", "top2"} <= set(f.columns):
        for i, (total, t1, t2) in enumerate(zip(f["total"], f["top1"], f["top2"], strict=True)):
            if total <= 0:
                continue
            if t1 + t2 > NK_SHARE * total:
                found.append(
                    Finding(
                        table.name,
                        "dominance",
                        "refuse",
                        _where(table, i),
                        f"the two largest contributors make {(t1 + t2) / total:.0%} of the "
                        f"total (at most {NK_SHARE:.0%})",
                    )
                )
            elif total - t1 - t2 < P_PERCENT * t1:
                found.append(
                    Finding(
                        table.name,
                        "dominance",
                        "refuse",
                        _where(table, i),
                        "the others' contributions would let the second largest estimate "
                        f"the largest within {P_PERCENT:.0%}",
                    )
                )
    return found


def check_differencing(a: Table, b: Table, threshold: int = THRESHOLD) -> list[Finding]:
    """Sum both tables to their shared categories; a small non-zero difference is refused."""
    shared = [k for k in a.keys if k in b.keys]
    if shared:
        left = a.frame.groupby(shared)["count"].sum()
        right = b.frame.groupby(shared)["count"].sum()
        both = pd.concat([left, right], axis=1, keys=["a", "b"]).dropna()
    else:
        both = pd.DataFrame({"a": [a.frame["count"].sum()], "b": [b.frame["count"].sum()]})
    found = []
    for where, row in both.iterrows():
        diff = abs(float(row["a"]) - float(row["b"]))
        if 0 < diff < threshold:
            label = (
                ", ".join(
                    f"{k}={v}"
                    for k, v in zip(
                        shared, where if isinstance(where, tuple) else (where,), strict=False
                    )
                )
                if shared
                else "the totals"
            )
            found.append(
                Finding(
                    b.name,
                    "differencing",
                    "refuse",
                    label,
                    f"differs from {a.name} by {diff:g}, fewer than {threshold}: subtracting "
                    "the tables would reveal that small group",
                )
            )
    return found


def check_outputs(
    new: list[Table], released: list[Table] | None = None, threshold: int = THRESHOLD
) -> dict[str, list[Finding]]:
    """Findings per new table: its own rules, then differencing against every other table."""
    found = {t.name: check_table(t, threshold) for t in new}
    for a, b in combinations(new, 2):
        found[b.name] += check_differencing(a, b, threshold)
    for old in released or []:
        for t in new:
            found[t.name] += check_differencing(old, t, threshold)
    return found
