"""Turn aggregates into publishable tables: disclosure control, rounding and caveats.

Nothing leaves the platform except through these functions. A count table gets its totals and
primary plus secondary suppression (``sdc.protect``); every figure derived from a withheld
count (a rate, a ratio, a bound, a percentage) is withheld too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from safeguard.crime.rates import not_stated_bounds, rate, rate_ratio
from safeguard.crime.rules import CrimeRules
from safeguard.crime.sdc import ProtectedTable, protect
from safeguard.domain.codes import NOT_STATED, CodeLists

TOTAL = "Total"


def protect_counts(
    frame: pd.DataFrame,
    rules: CrimeRules,
    totals: bool = True,
    withhold: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, ProtectedTable]:
    """The published frame (``[c]`` for withheld cells) and the protection applied.

    ``withhold`` (booleans, same labels as ``frame``) forces cells to be withheld.
    """
    marker = rules.disclosure.marker
    if frame.empty:
        empty = ProtectedTable(np.zeros((0, 0), np.int64), np.zeros((0, 0), bool), False, False)
        return pd.DataFrame(), empty
    mask = None
    if withhold is not None:
        aligned = withhold.reindex(index=frame.index, columns=frame.columns, fill_value=False)
        mask = aligned.to_numpy(dtype=bool)
    table = protect(frame.to_numpy(dtype=np.int64), rules.disclosure.threshold, totals, mask)
    index = [str(i) for i in frame.index] + ([TOTAL] if table.col_totals else [])
    columns = [str(c) for c in frame.columns] + ([TOTAL] if table.row_totals else [])
    cells = [[marker if v is None else v for v in row] for row in table.published()]
    return pd.DataFrame(cells, index=index, columns=columns, dtype=object), table


def _fmt(value: float | None, decimals: int, marker: str, hidden: bool) -> Any:
    if hidden:
        return marker
    if value is None:
        return ""
    if np.isinf(value):
        return "inf"
    return round(float(value), decimals)


def withheld_codes(counts: Mapping[str, int], codes: CodeLists, rules: CrimeRules) -> set[str]:
    """The police 18+1 codes (and NS) whose counts the detailed table withholds."""
    ordered = [c for c in codes.ethnicity_police.codes() if c != NOT_STATED] + [NOT_STATED]
    column = pd.DataFrame({"People": [int(counts.get(c, 0)) for c in ordered]}, index=ordered)
    _, table = protect_counts(column, rules, totals=True)
    return {code for i, code in enumerate(ordered) if table.suppressed[i, 0]}


def disproportionality(
    counts: Mapping[str, int],
    population: Mapping[str, float],
    codes: CodeLists,
    rules: CrimeRules,
    high_level: bool = False,
) -> tuple[pd.DataFrame, float]:
    """Rates per 100,000 by police 18+1 code (or, with ``high_level``, by the five high-level
    groups, against the reference code's group) with rate ratios, CIs and not-stated bounds.

    Returns the published frame and the share of people whose ethnicity was not stated.
    """
    marker, per, z = rules.disclosure.marker, rules.per, rules.z
    detailed = [c for c in codes.ethnicity_police.codes() if c != NOT_STATED]
    ref = rules.reference_group
    label_of = dict(codes.ethnicity_police.descriptions)
    withhold = None
    if high_level:
        group_of = {c: codes.ethnic_group(c) for c in detailed}
        # a group whose detailed codes are withheld elsewhere is withheld here, or publishing
        # it would pin them
        hidden_groups = {group_of[c] for c in withheld_codes(counts, codes, rules) if c in group_of}
        groups = list(dict.fromkeys(group_of.values()))
        summed_counts: dict[str, int] = {g: 0 for g in groups}
        summed_pop: dict[str, float] = {g: 0.0 for g in groups}
        for code, group in group_of.items():
            summed_counts[group] += int(counts.get(code, 0))
            summed_pop[group] += float(population.get(code, 0.0))
        summed_counts[NOT_STATED] = int(counts.get(NOT_STATED, 0))
        counts, population, ref = summed_counts, summed_pop, group_of[ref]
        label_of.update({g: g for g in groups})
        withhold = pd.DataFrame({"People": [g in hidden_groups for g in groups]}, index=groups)
    else:
        groups = detailed
    ordered = groups + [NOT_STATED]
    column = pd.DataFrame({"People": [int(counts.get(c, 0)) for c in ordered]}, index=ordered)
    shown, table = protect_counts(column, rules, totals=True, withhold=withhold)
    hidden = {code: bool(table.suppressed[i, 0]) for i, code in enumerate(ordered)}
    ns = int(counts.get(NOT_STATED, 0))
    total = sum(int(counts.get(c, 0)) for c in ordered)
    b, pop_b = int(counts.get(ref, 0)), float(population.get(ref, 0.0))
    rd = rules.disclosure.rate_decimals
    rows = []
    for code in ordered:
        a, pop_a = int(counts.get(code, 0)), float(population.get(code, 0.0))
        label = label_of[code]
        group = codes.ethnic_group(code) if code in codes.ethnicity_police else code
        if code == NOT_STATED:
            rows.append([code, group, label, shown.loc[code, "People"]] + [""] * 10)
            continue
        h = hidden[code]
        ratio_hidden = h or hidden[ref]
        rr = rate_ratio(a, pop_a, b, pop_b, z)
        bounds = not_stated_bounds(a, pop_a, b, pop_b, ns, per)
        rows.append(
            [
                code,
                group,
                label,
                shown.loc[code, "People"],
                round(pop_a),
                _fmt(rate(a, pop_a, per), rd, marker, h),
                _fmt(bounds.rate_high, rd, marker, h),
                _fmt(rr.ratio, 2, marker, ratio_hidden),
                _fmt(rr.low, 2, marker, ratio_hidden),
                _fmt(rr.high, 2, marker, ratio_hidden),
                marker if ratio_hidden else rr.method,
                _fmt(bounds.ratio_low, 2, marker, ratio_hidden),
                _fmt(bounds.ratio_high, 2, marker, ratio_hidden),
                "reference" if code == ref else "",
            ]
        )
    rows.append([TOTAL, "", "All", shown.loc[TOTAL, "People"]] + [""] * 10)
    frame = pd.DataFrame(
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
    return frame, (ns / total if total else 0.0)


def _percent(part: int, whole: int, decimals: int) -> float | int:
    value = round(100 * part / whole, decimals)
    return int(value) if decimals == 0 else value


def completeness_table(
    long: pd.DataFrame, rules: CrimeRules, labels: Mapping[str, str]
) -> pd.DataFrame:
    """Per row: suspects and victims, and the share with ethnicity and nationality stated."""
    marker, pd_ = rules.disclosure.marker, rules.disclosure.percent_decimals
    if long.empty:
        return pd.DataFrame()
    n = long.pivot_table(index="row", columns="role", values="n", aggfunc="sum", fill_value=0)
    n = n.reindex(columns=["suspect", "victim"], fill_value=0).astype("int64")
    shown, table = protect_counts(n, rules, totals=True)
    out = pd.DataFrame(index=[str(labels.get(str(i), i)) for i in shown.index])
    for j, role in enumerate(["suspect", "victim"]):
        title = "Suspects" if role == "suspect" else "Victims"
        out[title] = list(shown.iloc[:, j])
        for measure, name in (
            ("ethnicity_stated", "ethnicity"),
            ("nationality_stated", "nationality"),
        ):
            sub = long[long["role"] == role].groupby("row")[[measure, "n"]].sum()
            stated = sub[measure].reindex(n.index, fill_value=0).tolist() + [
                int(sub[measure].sum())
            ]
            counts = n[role].tolist() + [int(n[role].sum())]
            values: list[Any] = []
            for i, (s, c) in enumerate(zip(stated, counts, strict=True)):
                withheld = bool(table.suppressed[i, j]) or c < rules.disclosure.threshold
                values.append(marker if withheld else _percent(s, c, pd_) if c else "")
            out[f"{title}: {name} stated (%)"] = values
    return out
