"""Why two records are (or are not) the same child: the match weight of every comparison.

The JSON here feeds the waterfall chart on the person page; the same call serves the API.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import pandas as pd

from safeguard.analytics.linkage_engine import LinkageEngine

MAX_PAIRS_PER_REFERENCE = 200


def _num(value: Any) -> float:
    number = float(value)
    return 0.0 if math.isnan(number) else round(number, 4)


def pair_explanations(
    scored: pd.DataFrame, labels: Mapping[str, Mapping[int, str]]
) -> list[dict[str, Any]]:
    """Turn scored pairs (Splink ``mw_``/``gamma_`` columns) into waterfall-ready JSON."""
    out = []
    for row in scored.to_dict("records"):
        steps: list[dict[str, Any]] = []
        total = 0.0
        for name, levels in labels.items():
            gamma = int(row[f"gamma_{name}"])
            steps.append(
                {
                    "comparison": name,
                    "level": levels.get(gamma, str(gamma)),
                    "left": _text(row.get(f"{name}_l")),
                    "right": _text(row.get(f"{name}_r")),
                    "match_weight": _num(row.get(f"mw_{name}", 0.0)),
                    "term_frequency_adjustment": _num(row.get(f"mw_tf_adj_{name}", 0.0)),
                }
            )
            total += _num(row.get(f"mw_{name}", 0.0)) + _num(row.get(f"mw_tf_adj_{name}", 0.0))
        out.append(
            {
                "record_id_l": row["record_id_l"],
                "record_id_r": row["record_id_r"],
                "match_weight": _num(row["match_weight"]),
                "match_probability": _num(row["match_probability"]),
                "prior_match_weight": round(_num(row["match_weight"]) - total, 4),
                "comparisons": steps,
            }
        )
    return out


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def explain_pair(engine: LinkageEngine, left: str, right: str) -> dict[str, Any]:
    """Every comparison's level and match weight for one pair of records."""
    return pair_explanations(engine.explain_pairs([(left, right)]), engine.level_labels())[0]


def explain_reference(
    engine: LinkageEngine, assignment: Mapping[str, str], child_ref: str
) -> dict[str, Any]:
    """The pairs inside one child reference, each explained (at most 200 pairs)."""
    records = sorted(r for r, ref in assignment.items() if ref == child_ref)
    pairs: Iterable[tuple[str, str]] = list(combinations(records, 2))[:MAX_PAIRS_PER_REFERENCE]
    scored = engine.explain_pairs(list(pairs))
    return {
        "child_ref": child_ref,
        "records": records,
        "pairs": pair_explanations(scored, engine.level_labels()) if len(scored) else [],
    }
