"""Generalisation hierarchies for the quasi-identifiers, read from data/research_hierarchy.yaml.

Each quasi-identifier has levels, 0 the most detailed; ``generalise`` gives a column's labels at
a level, vectorised, so raising a level on a million rows costs one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from safeguard.domain.codes import CodeLists

#: The quasi-identifiers an extract may carry, in the order they are reported.
QUASI_IDENTIFIERS = ("age_band", "sex", "local_authority", "month")
_KEY = {"age_band": "age", "sex": "sex", "local_authority": "local_authority", "month": "month"}


@dataclass(frozen=True)
class Hierarchy:
    """The level names of each quasi-identifier, and the age bands' lower bounds per level."""

    levels: dict[str, tuple[str, ...]]
    age_bounds: tuple[tuple[int, ...], ...]
    force_of_la: dict[str, str]

    def top(self, qi: str) -> int:
        return len(self.levels[qi]) - 1

    def generalise(self, qi: str, raw: pd.Series, level: int) -> pd.Series:
        """``raw`` (ages as integers, LA codes, YYYY-MM months, sex codes) at ``level``."""
        if qi == "age_band":
            return _age_labels(raw, self.age_bounds[level])
        if qi == "local_authority":
            if level == 0:
                return raw
            if level == 1:
                return raw.map(self.force_of_la).fillna("unknown")
            return pd.Series("England", index=raw.index)
        if qi == "month":
            if level == 0:
                return raw
            years = raw.str.slice(0, 4)
            if level == 1:
                quarter = (raw.str.slice(5, 7).astype(int) - 1) // 3 + 1
                return years + "-Q" + quarter.astype(str)
            return years
        if qi == "sex":
            return raw if level == 0 else pd.Series("*", index=raw.index)
        raise KeyError(qi)


def _age_labels(ages: pd.Series, bounds: tuple[int, ...]) -> pd.Series:
    edges = np.array([*bounds, 18])
    labels = [
        str(lo) if hi - lo == 1 else f"{lo}-{hi - 1}"
        for lo, hi in zip(edges, edges[1:], strict=False)
    ]
    index = np.searchsorted(edges, ages.to_numpy(), side="right") - 1
    index = np.clip(index, 0, len(labels) - 1)
    return pd.Series(np.asarray(labels, dtype=object)[index], index=ages.index)


def load_hierarchy(codes: CodeLists) -> Hierarchy:
    """Read the packaged hierarchy; the LA → police force area step comes from data/areas.csv."""
    text = resources.files("safeguard.data").joinpath("research_hierarchy.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    levels = {qi: tuple(str(lvl["name"]) for lvl in raw[key]) for qi, key in _KEY.items()}
    bounds = tuple(tuple(int(b) for b in lvl["bounds"]) for lvl in raw["age"])
    for b in bounds:
        if not b or b[0] != 0 or list(b) != sorted(set(b)) or b[-1] >= 18:
            raise ValueError(
                "research_hierarchy.yaml: age bounds must rise from 0 and stay under 18"
            )
    force = {a.la_code: a.force_code for a in codes.areas}
    return Hierarchy(levels, bounds, force)
