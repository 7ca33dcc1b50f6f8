"""Comparing found groups with a known truth: group precision/recall and adjusted Rand index.

Pure functions over sets of true person ids; used by benchmarks/network.py on synthetic regions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import comb


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass(frozen=True)
class GroupMatch:
    precision: float
    recall: float
    matched_found: int
    matched_true: int


def match_groups(
    found: Sequence[set[str]], truth: Sequence[set[str]], threshold: float = 0.5
) -> GroupMatch:
    """A found group matches a true group when their Jaccard index is at least ``threshold``."""

    def hits(left: Sequence[set[str]], right: Sequence[set[str]]) -> int:
        # only groups that share a member can reach the threshold: index right by member
        by_member: dict[str, list[int]] = {}
        for i, group in enumerate(right):
            for member in group:
                by_member.setdefault(member, []).append(i)
        count = 0
        for group in left:
            candidates = {i for m in group for i in by_member.get(m, ())}
            count += any(jaccard(group, right[i]) >= threshold for i in candidates)
        return count

    hit_found, hit_true = hits(found, truth), hits(truth, found)
    return GroupMatch(
        precision=hit_found / len(found) if found else 0.0,
        recall=hit_true / len(truth) if truth else 0.0,
        matched_found=hit_found,
        matched_true=hit_true,
    )


def adjusted_rand_index(labels_true: Sequence[str], labels_found: Sequence[str]) -> float:
    """Hubert and Arabie's ARI of two labellings of the same items (1 = identical, ~0 = chance)."""
    if len(labels_true) != len(labels_found):
        raise ValueError("the two labellings must cover the same items")
    n = len(labels_true)
    if n < 2:
        return 1.0
    cells: dict[tuple[str, str], int] = {}
    rows: dict[str, int] = {}
    cols: dict[str, int] = {}
    for t, f in zip(labels_true, labels_found, strict=True):
        cells[(t, f)] = cells.get((t, f), 0) + 1
        rows[t] = rows.get(t, 0) + 1
        cols[f] = cols.get(f, 0) + 1
    index = sum(comb(c, 2) for c in cells.values())
    sum_rows = sum(comb(c, 2) for c in rows.values())
    sum_cols = sum(comb(c, 2) for c in cols.values())
    expected = sum_rows * sum_cols / comb(n, 2)
    maximum = (sum_rows + sum_cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
