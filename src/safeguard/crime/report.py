"""The national return: every published table for a year, with charts, as HTML, CSV and ODS.

``build_national_return`` needs only an ``AnalyticsDB`` holding the extract (so the benchmark
can run it on generated Parquet); ``write_report`` writes the files.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from safeguard.analytics import AnalyticsDB
from safeguard.crime import national as q
from safeguard.crime.census import Census
from safeguard.crime.charts import bar_chart
from safeguard.crime.divergence import DivergencePoint
from safeguard.crime.errors import NoDataError
from safeguard.crime.national import StatTable
from safeguard.crime.protected import (
    TOTAL,
    CountTable,
    ProtectedCube,
    protect_tables,
    published_frame,
)
from safeguard.crime.publish import completeness_table, disproportionality
from safeguard.crime.return_charts import (
    add_divergence,
    chart_number,
    completeness_chart,
    ratio_chart,
    time_chart,
)
from safeguard.crime.return_files import table_html, write_report
from safeguard.crime.return_model import NationalReturn
from safeguard.crime.return_tables import count_tables, divergence_table
from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import NOT_STATED, CodeLists

__all__ = ["NationalReturn", "build_national_return", "table_html", "write_report"]


def _labels(codes: CodeLists) -> dict[str, str]:
    names = {a.la_code: a.la_name for a in codes.areas}
    names.update({a.force_code: a.force_name for a in codes.areas})
    names["unknown"] = "Not known"
    return names


def build_national_return(
    db: AnalyticsDB,
    year: int,
    codes: CodeLists,
    rules: CrimeRules,
    census: Census,
    divergence: Sequence[DivergencePoint] | None = None,
) -> NationalReturn:
    """Compute every count table, protect them together as one cube, and derive every
    published figure (rates, percentages, headline, charts) from the protected cells only."""
    if year not in q.years(db):
        raise NoDataError(
            f"there are no CSAE crimes recorded in {year}, so there is no return "
            f"for {year}; choose a year with data ({_years(db)})"
        )
    q.prepare(db, year)
    labels = _labels(codes)
    labels.update(rules.typologies)
    marker, threshold = rules.disclosure.marker, rules.disclosure.threshold
    tables, links = count_tables(db, year, codes, rules, labels)
    div_table = divergence_table(divergence or [], labels) if divergence is not None else None
    cube = protect_tables(
        tables + ([div_table] if div_table else []),
        codes,
        threshold,
        links,
        rules.disclosure.percent_decimals,
    )
    out = NationalReturn(year, [], cube=cube, threshold=threshold, rules=rules)
    by_name = {t.layout.name: t for t in tables}
    for t in tables:
        if t.layout.name.startswith("_") or t.layout.name.startswith("completeness"):
            continue
        out.add(
            t,
            StatTable(
                t.layout.name,
                t.title,
                "counts",
                published_frame(t, cube, marker),
                t.layout.col_totals,
                t.caveat,
            ),
        )
    las = sorted(
        set(db.frame("SELECT DISTINCT la_code FROM crime_cube")["la_code"]) & set(census.las())
    )
    for role, children in (("suspect", False), ("victim", True)):
        population = census.by_police_code(codes, las, children)
        codes_t, groups_t = by_name[f"_{role}s_by_code"], by_name[f"_{role}s_by_group"]
        detailed_pub = _column(codes_t, cube)
        groups_pub = _column(groups_t, cube)
        ns, total = detailed_pub.get(NOT_STATED), detailed_pub.get(TOTAL)
        headline = _headline(ns, total, f"{role}s")
        out.headline[f"{role}s_not_stated"] = headline
        grid = codes_t.layout.grid()
        out.headline_cells[f"{role}s_not_stated"] = (
            grid[codes_t.layout.rows.index(NOT_STATED)][0],
            grid[-1][0],
            None if ns is None or not total else round(100 * ns / total),
        )
        caveat = (
            f"Completeness: {headline} in {year}. Rates count stated ethnicity only; the bound "
            "columns show how far the not-stated records could move each figure. "
            "Denominators: Census 2021 "
            + (
                "residents aged 0-17 (split by all-age ethnic shares)"
                if children
                else "all usual residents"
            )
            + f" of the {len(las)} local authorities with crimes."
        )
        frame = disproportionality(detailed_pub, population, codes, rules)
        out.add(
            codes_t,
            StatTable(
                f"{role}s_rates_by_ethnicity",
                f"{role.capitalize()}s: rates per 100,000 and rate ratios by ethnicity",
                "rates",
                frame,
                False,
                caveat,
            ),
        )
        out.charts[f"{role}s_ratio"] = ratio_chart(
            frame,
            rules,
            f"{role.capitalize()}s: rate ratio vs {rules.reference_group} "
            "(95% CI; grey: not-stated range)",
        )
        groups_frame = disproportionality(groups_pub, population, codes, rules, high_level=True)
        out.add(
            groups_t,
            StatTable(
                f"{role}s_rates_by_ethnic_group",
                f"{role.capitalize()}s: rates per 100,000 and rate ratios by high-level "
                "ethnic group",
                "rates",
                groups_frame,
                False,
                caveat,
            ),
        )
    for name in ("completeness_by_force", "completeness_by_la", "completeness_over_time"):
        t = by_name[name]
        out.add(
            t,
            StatTable(
                name,
                t.title,
                "percent",
                _completeness(t, by_name, cube, rules, labels),
                False,
                "Share of victims and suspects (per crime) whose ethnicity or "
                "nationality is a value rather than 'not stated'; base: the "
                "Suspects and Victims columns. " + out.headline["suspects_not_stated"] + ".",
            ),
        )
    tables_by = {t.name: t for t in out.tables}
    out.charts["completeness_force"] = completeness_chart(
        tables_by["completeness_by_force"].frame, "Suspects: ethnicity stated (%) by force"
    )
    out.charts["completeness_time"] = time_chart(tables_by["completeness_over_time"].frame)
    force = tables_by["crimes_by_force"].frame
    if TOTAL in force.index:
        totals = force.loc[TOTAL].drop(TOTAL, errors="ignore")
        out.charts["offence_groups"] = bar_chart(
            [str(i) for i in totals.index],
            [chart_number(v) for v in totals],
            f"CSAE crimes by offence group, {year}",
        )
        by_force = (
            force.drop(TOTAL)[TOTAL] if TOTAL in force.columns else force.drop(TOTAL).iloc[:, 0]
        )
        out.charts["forces"] = bar_chart(
            [str(i) for i in by_force.index],
            [chart_number(v) for v in by_force],
            f"CSAE crimes by force, {year}",
        )
    if div_table is not None:
        add_divergence(out, div_table, cube, rules)
    return out


def _years(db: AnalyticsDB) -> str:
    known = q.years(db)
    return ", ".join(str(y) for y in known) if known else "none has any"


def _column(table: CountTable, cube: ProtectedCube) -> dict[str, int | None]:
    """A one-column table's published counts by code, with Total."""
    grid = table.layout.grid()
    keys = [*table.layout.rows, TOTAL]
    return {k: cube.published(line[0]) for k, line in zip(keys, grid, strict=True)}


def _headline(ns: int | None, total: int | None, who: str) -> str:
    """'ethnicity not stated for 12 % of suspects (120 of 1,000)', from published counts."""
    if ns is None or total is None or total == 0:
        return f"ethnicity not stated for a withheld share of {who} (counts withheld [c])"
    return f"ethnicity not stated for {100 * ns / total:.0f}% of {who} ({ns:,} of {total:,})"


def _completeness(
    t: CountTable,
    parts: dict[str, CountTable],
    cube: ProtectedCube,
    rules: CrimeRules,
    labels: dict[str, str],
) -> pd.DataFrame:
    grid = t.layout.grid()
    rows = [*t.layout.rows, TOTAL]
    counts: dict[str, dict[str, int | None]] = {"suspect": {}, "victim": {}}
    for r, line in zip(rows, grid, strict=True):
        for role, k in zip(t.layout.cols, line, strict=False):
            counts[role][r] = cube.published(k)
    stated: dict[str, dict[str, dict[str, int | None]]] = {}
    for measure in ("ethnicity_stated", "nationality_stated"):
        yes = parts[f"_{t.layout.name}_{measure}"].layout.grid()
        no = parts[f"_{t.layout.name}_{measure}_not"].layout.grid()
        for r, ly, ln in zip(rows, yes, no, strict=True):
            for role, ky, kn in zip(t.layout.cols, ly, ln, strict=True):
                s, ns = cube.published(ky), cube.published(kn)
                per_role = stated.setdefault(role, {}).setdefault(measure, {})
                per_role[r] = None if s is None or ns is None else s
    return completeness_table(counts, stated, rules, labels)
