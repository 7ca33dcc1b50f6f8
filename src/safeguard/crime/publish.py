"""Turn aggregates into publishable tables: disclosure control, rounding and caveats.

Nothing leaves the platform except through these functions. They take the protected counts
(``protected.ProtectedCube``) and compute every figure from published counts only; a figure
that depends on a withheld count (a rate, a ratio, a bound) is withheld too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from safeguard.crime.rates import not_stated_bounds, rate, rate_ratio
from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import NOT_STATED, CodeLists

TOTAL = "Total"


def _fmt(value: float | None, decimals: int, marker: str, hidden: bool) -> Any:
    if hidden:
        return marker
    if value is None:
        return ""
    if np.isinf(value):
        return "inf"
    return round(float(value), decimals)


def disproportionality(
    published: Mapping[str, int | None],
    population: Mapping[str, float],
    codes: CodeLists,
    rules: CrimeRules,
    high_level: bool = False,
) -> pd.DataFrame:
    """Rates per 100,000 by police 18+1 code (or, with ``high_level``, by the five high-level
    groups, against the reference code's group) with rate ratios, CIs and not-stated bounds.

    ``published`` holds the protected counts (None: withheld) by code or group, with NS and
    Total. Every derived figure is computed from published counts only, and is withheld when
    any count it depends on is withheld (the reference, or NS for the bounds).
    """
    marker, per, z = rules.disclosure.marker, rules.per, rules.z
    ref = rules.reference_group
    label_of = dict(codes.ethnicity_police.descriptions)
    if high_level:
        groups = list(dict.fromkeys(codes.ethnic_group(c) for c in codes.ethnicity_police.codes()))
        groups = [g for g in groups if g != codes.ethnic_group(NOT_STATED)]
        summed_pop: dict[str, float] = {g: 0.0 for g in groups}
        for code in codes.ethnicity_police.codes():
            if code != NOT_STATED:
                summed_pop[codes.ethnic_group(code)] += float(population.get(code, 0.0))
        population, ref = summed_pop, codes.ethnic_group(ref)
        label_of.update({g: g for g in groups})
        ns_key = codes.ethnic_group(NOT_STATED)
    else:
        groups = [c for c in codes.ethnicity_police.codes() if c != NOT_STATED]
        ns_key = NOT_STATED
    ns, b = published.get(ns_key), published.get(ref)
    pop_b = float(population.get(ref, 0.0))
    rd = rules.disclosure.rate_decimals

    def shown(v: int | None) -> object:
        return marker if v is None else v

    rows: list[list[object]] = []
    for code in groups:
        a, pop_a = published.get(code), float(population.get(code, 0.0))
        group = codes.ethnic_group(code) if code in codes.ethnicity_police else code
        row: list[object] = [code, group, label_of[code], shown(a), round(pop_a)]
        if a is None:
            rows.append(row + [marker] * 8 + ["reference" if code == ref else ""])
            continue
        rr = rate_ratio(a, pop_a, b, pop_b, z) if b is not None else None
        bounds = not_stated_bounds(a, pop_a, b or 0, pop_b, ns or 0, per)
        no_ns = ns is None
        no_rr = rr is None
        no_bounds = no_ns or b is None
        row += [
            _fmt(rate(a, pop_a, per), rd, marker, False),
            _fmt(bounds.rate_high, rd, marker, no_ns),
            _fmt(rr.ratio if rr else None, 2, marker, no_rr),
            _fmt(rr.low if rr else None, 2, marker, no_rr),
            _fmt(rr.high if rr else None, 2, marker, no_rr),
            marker if rr is None else rr.method,
            _fmt(bounds.ratio_low, 2, marker, no_bounds),
            _fmt(bounds.ratio_high, 2, marker, no_bounds),
            "reference" if code == ref else "",
        ]
        rows.append(row)
    rows.append([ns_key, ns_key, "Not stated", shown(ns)] + [""] * 10)
    rows.append([TOTAL, "", "All", shown(published.get(TOTAL))] + [""] * 10)
    return pd.DataFrame(
        rows,
        columns=[
            "Code",
            "Group",
            "Ethnic group" if high_level else "Ethnicity (police 18+1)",
            "People",
            "Population (Census 2021)",
            "Rate per 100,000 (stated only)",
            "Rate if all not stated were this group",
            f"Rate ratio vs {ref}",
            "95% CI low",
            "95% CI high",
            "CI method",
            f"Ratio if all not stated were {ref}",
            "Ratio if all not stated were this group",
            "Note",
        ],
    )


def _percent(part: int, whole: int, decimals: int) -> float | int:
    value = round(100 * part / whole, decimals)
    return int(value) if decimals == 0 else value


def completeness_table(
    counts: Mapping[str, Mapping[str, int | None]],
    stated: Mapping[str, Mapping[str, Mapping[str, int | None]]],
    rules: CrimeRules,
    labels: Mapping[str, str],
) -> pd.DataFrame:
    """Per row: suspects and victims (published, protected counts) and the share with
    ethnicity and nationality stated, computed from the published stated count; withheld
    where the base or the stated or not-stated count is withheld.

    ``counts[role][row]`` (with a Total row) and ``stated[role][measure][row]`` are published
    counts, None when withheld.
    """
    marker, decimals = rules.disclosure.marker, rules.disclosure.percent_decimals
    rows = list(counts.get("suspect", {}))
    if not rows:
        return pd.DataFrame()
    out = pd.DataFrame(index=[str(labels.get(r, r)) for r in rows])
    for role in ("suspect", "victim"):
        title = "Suspects" if role == "suspect" else "Victims"
        column = counts.get(role, {})
        out[title] = [marker if column.get(r) is None else column[r] for r in rows]
        for measure, name in (
            ("ethnicity_stated", "ethnicity"),
            ("nationality_stated", "nationality"),
        ):
            values: list[Any] = []
            for r in rows:
                n, s = column.get(r), stated.get(role, {}).get(measure, {}).get(r)
                values.append(
                    "" if n == 0 else marker if n is None or s is None else _percent(s, n, decimals)
                )
            out[f"{title}: {name} stated (%)"] = values
    return out
