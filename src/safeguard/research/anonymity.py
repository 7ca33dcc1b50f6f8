"""k-anonymity and l-diversity: choose generalisation levels, suppress what cannot reach them.

The search is Datafly's (Sweeney 2002): while more than ``max_suppression`` of the records sit
in equivalence classes smaller than k (or with fewer than l distinct values of a sensitive
attribute), raise the level of the quasi-identifier with the most distinct values; then suppress
the records still failing. ``measure`` is the independent check of the result: the smallest
class and the smallest number of distinct sensitive values in any class (pycanon's definitions
of k and l, computed here because pycanon 1.3.x pins pandas 2.3 and numpy 2.0; see
docs/research.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from safeguard.research.hierarchy import Hierarchy


@dataclass
class Anonymised:
    """The released rows and what it took to make them."""

    frame: pd.DataFrame
    levels: dict[str, int]
    level_names: dict[str, str]
    total: int
    suppressed: int
    k: int
    l_diversity: int | None
    steps: list[str] = field(default_factory=list)

    @property
    def share_suppressed(self) -> float:
        return self.suppressed / self.total if self.total else 0.0


def failing(
    frame: pd.DataFrame, qis: list[str], k: int, sensitive: list[str], l_div: int
) -> pd.Series:
    """True for each record in a class smaller than k or with fewer than l sensitive values."""
    if frame.empty:
        return pd.Series(False, index=frame.index)
    if not qis:
        size = pd.Series(len(frame), index=frame.index)
        bad = size < k
        for s in sensitive:
            bad |= frame[s].nunique(dropna=False) < l_div
        return bad
    groups = frame.groupby(qis, sort=False, dropna=False)
    bad = groups[qis[0]].transform("size") < k
    for s in sensitive:
        bad |= groups[s].transform("nunique") < l_div
    return bad


def measure(frame: pd.DataFrame, qis: list[str], sensitive: list[str]) -> tuple[int, int | None]:
    """(k, l) the frame achieves: smallest class size, smallest distinct sensitive count."""
    if frame.empty:
        return 0, None
    if not qis:
        l_all = [int(frame[s].nunique(dropna=False)) for s in sensitive]
        return len(frame), (min(l_all) if l_all else None)
    groups = frame.groupby(qis, sort=False, dropna=False)
    k = int(groups.size().min())
    l_vals = [int(groups[s].nunique(dropna=False).min()) for s in sensitive]
    return k, (min(l_vals) if l_vals else None)


def anonymise(
    raw: pd.DataFrame,
    qis: list[str],
    sensitive: list[str],
    hierarchy: Hierarchy,
    *,
    k: int,
    l_div: int,
    max_suppression: float = 0.05,
) -> Anonymised:
    """Generalise ``raw``'s quasi-identifier columns and suppress the rest (see module doc)."""
    levels = {qi: 0 for qi in qis}
    steps: list[str] = []
    frame = raw.copy()
    for qi in qis:
        frame[qi] = hierarchy.generalise(qi, raw[qi], 0)
    while True:
        bad = failing(frame, qis, k, sensitive, l_div)
        share = float(bad.mean()) if len(frame) else 0.0
        open_qis = [q for q in qis if levels[q] < hierarchy.top(q)]
        if share <= max_suppression or not open_qis:
            break
        widest = max(open_qis, key=lambda q: (frame[q].nunique(), -qis.index(q)))
        levels[widest] += 1
        frame[widest] = hierarchy.generalise(widest, raw[widest], levels[widest])
        steps.append(
            f"{share:.1%} of records failed; {widest} raised to "
            f"{hierarchy.levels[widest][levels[widest]]}"
        )
    kept = frame[~bad].reset_index(drop=True)
    achieved_k, achieved_l = measure(kept, qis, sensitive)
    return Anonymised(
        frame=kept,
        levels=levels,
        level_names={q: hierarchy.levels[q][levels[q]] for q in qis},
        total=len(frame),
        suppressed=int(bad.sum()),
        k=achieved_k,
        l_diversity=achieved_l,
        steps=steps,
    )
