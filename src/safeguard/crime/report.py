"""The national return: every published table for a year, with charts, as HTML, CSV and ODS.

``build_national_return`` needs only an ``AnalyticsDB`` holding the extract (so the benchmark
can run it on generated Parquet); ``write_report`` writes the files.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from safeguard.analytics import AnalyticsDB
from safeguard.crime import national as q
from safeguard.crime.audit import MANIFEST
from safeguard.crime.census import Census
from safeguard.crime.charts import bar_chart, funnel_plot, line_chart
from safeguard.crime.cube import Key
from safeguard.crime.divergence import DivergencePoint
from safeguard.crime.divergence import divergence as funnel_points
from safeguard.crime.errors import NoDataError
from safeguard.crime.joint import Equation
from safeguard.crime.national import StatTable
from safeguard.crime.protected import (
    TOTAL,
    CountTable,
    ProtectedCube,
    count_table,
    protect_tables,
    published_frame,
)
from safeguard.crime.publish import completeness_table, disproportionality
from safeguard.crime.rules import CrimeRules, load_crime_rules
from safeguard.domain.codes import NOT_STATED, CodeLists, read_data_csv


@dataclass
class NationalReturn:
    """Every published table, with the layout of its count cells (for the audit's manifest),
    the charts and the headline, all computed from ``cube``'s published cells."""

    year: int
    tables: list[StatTable]
    charts: dict[str, str] = field(default_factory=dict)
    headline: dict[str, str] = field(default_factory=dict)
    cube: ProtectedCube | None = None
    layouts: dict[str, CountTable] = field(default_factory=dict)
    headline_cells: dict[str, tuple[Key, Key, float | None]] = field(default_factory=dict)
    threshold: int = 10
    rules: CrimeRules | None = None

    def add(self, counts: CountTable, table: StatTable) -> None:
        self.tables.append(table)
        self.layouts[table.name] = counts


def _labels(codes: CodeLists) -> dict[str, str]:
    names = {a.la_code: a.la_name for a in codes.areas}
    names.update({a.force_code: a.force_name for a in codes.areas})
    names["unknown"] = "Not known"
    return names


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


ROLE_COLS = {"Suspects": "suspect", "Victims": "victim"}


def _count_tables(
    db: AnalyticsDB, year: int, codes: CodeLists, rules: CrimeRules, labels: dict[str, str]
) -> tuple[list[CountTable], list[Equation]]:
    """Every count table (those named _… feed derived figures and are not published
    themselves) and the equations linking stated + not stated to their base."""
    links: list[Equation] = []
    y = {"year": str(year)}
    ct = count_table
    detailed = q.by_role(db, "ethnicity")
    ordered = codes.ethnicity_police.codes()
    groups = list(dict.fromkeys(codes.ethnic_group(c) for c in ordered))
    tables = [
        ct(
            "crimes_by_force",
            "CSAE crimes by police force and offence group",
            q.crimes_by(db, "force_code"),
            "crimes",
            "force",
            "offence_group",
            fixed=y,
            labels=labels,
        ),
        ct(
            "crimes_by_la",
            "CSAE crimes by local authority and offence group",
            q.crimes_by(db, "la_code"),
            "crimes",
            "la",
            "offence_group",
            fixed=y,
            labels=labels,
        ),
        ct(
            "crimes_by_flag",
            "CSAE crimes by flag (a crime may carry several)",
            q.by_flag(db),
            "crime_flags",
            "flag",
            None,
            fixed=y,
            totals=False,
        ),
        ct(
            "crimes_by_typology",
            "CSAE crimes by typology (a crime may have several)",
            q.by_typology(db),
            "crime_typologies",
            "typology",
            None,
            fixed=y,
            totals=False,
            labels=labels,
        ),
        ct(
            "group_based_by_force",
            "Group-based CSAE crimes by force (flag derived from linked suspects)",
            q.group_based_by_force(db),
            "crimes",
            "force",
            "group_based",
            fixed=y,
            labels=labels,
        ),
        ct(
            "outcomes",
            "CSAE crimes by outcome (Home Office outcome type group) and offence group",
            q.by_outcome(db),
            "crimes",
            "outcome_group",
            "offence_group",
            fixed=y,
        ),
        ct(
            "victims_by_age_sex",
            "Victims by age at the offence and sex",
            q.victims_by_age_sex(db),
            "persons",
            "age_band",
            "sex",
            fixed={**y, "role": "victim"},
        ),
        ct(
            "suspects_by_age_sex",
            "Suspects by age at their first offence of the year and sex",
            q.suspects_by_age_sex(db),
            "persons",
            "suspect_age_band",
            "sex",
            fixed={**y, "role": "suspect"},
        ),
        ct(
            "ethnic_group",
            "Suspects and victims by ethnic group (high level; Not stated shown)",
            q.by_role(db, "ethnic_group").reindex(groups).dropna(how="all").astype("int64")
            if not detailed.empty
            else detailed,
            "persons",
            "ethnic_group",
            "role",
            fixed=y,
            col_keys=ROLE_COLS,
        ),
        ct(
            "nationality",
            "Suspects and victims by nationality (Not stated shown)",
            q.by_role(db, "nationality_group"),
            "persons",
            "nationality",
            "role",
            fixed=y,
            col_keys=ROLE_COLS,
        ),
        ct(
            "repeat_suspects",
            "Suspects by the number of the year's crimes they are linked to",
            q.repeat_suspects(db),
            "persons",
            "crimes_band",
            None,
            fixed={**y, "role": "suspect"},
        ),
        ct(
            "suspects_by_typology",
            "Suspects by typology and group-based flag (a suspect may be counted under several)",
            q.suspects_by_typology(db),
            "suspect_typologies",
            "typology",
            "group_based",
            fixed=y,
            totals=False,
            labels=labels,
        ),
    ]
    for column, role in (("Suspects", "suspect"), ("Victims", "victim")):
        raw = detailed[column] if column in detailed else pd.Series(dtype="int64")
        by_code = pd.DataFrame({"People": [int(raw.get(c, 0)) for c in ordered]}, index=ordered)
        tables.append(
            ct(
                f"_{role}s_by_code",
                "",
                by_code,
                "persons",
                "ethnicity",
                None,
                fixed={**y, "role": role},
            )
        )
        by_group = pd.DataFrame(
            {
                "People": [
                    int(
                        by_code.loc[
                            [c for c in ordered if codes.ethnic_group(c) == g], "People"
                        ].sum()
                    )
                    for g in groups
                ]
            },
            index=groups,
        )
        tables.append(
            ct(
                f"_{role}s_by_group",
                "",
                by_group,
                "persons",
                "ethnic_group",
                None,
                fixed={**y, "role": role},
            )
        )
    for by, name, title, fixed in (
        ("force_code", "completeness_by_force", "by force", y),
        ("la_code", "completeness_by_la", "by local authority", y),
        ("year", "completeness_over_time", "by year (all years)", {}),
    ):
        long = q.completeness(db, by, year if fixed else None)
        long["row"] = long["row"].astype(str)
        n = (
            long.pivot_table(index="row", columns="role", values="n", aggfunc="sum", fill_value=0)
            if not long.empty
            else pd.DataFrame()
        )
        n = n.reindex(columns=["suspect", "victim"], fill_value=0).astype("int64")
        table = ct(
            name,
            f"Completeness: ethnicity and nationality stated, {title}",
            n,
            "person_crimes",
            by.removesuffix("_code"),
            "role",
            fixed=fixed,
            labels=labels,
        )
        table.layout = dataclasses.replace(table.layout, row_totals=False)
        tables.append(table)
        # the stated and not-stated counts behind each percentage are cells of the cube too
        # (treated as published exactly wherever a percentage is shown)
        for measure in ("ethnicity_stated", "nationality_stated"):
            stated = (
                long.pivot_table(
                    index="row", columns="role", values=measure, aggfunc="sum", fill_value=0
                )
                if not long.empty
                else pd.DataFrame()
            )
            stated = stated.reindex(index=n.index, columns=n.columns, fill_value=0)
            stated = stated.astype("int64")
            pair = []
            for suffix, frame in (("", stated), ("_not", n - stated)):
                part = ct(
                    f"_{name}_{measure}{suffix}",
                    "",
                    frame,
                    f"person_crimes:{measure}{suffix}",
                    by.removesuffix("_code"),
                    "role",
                    fixed=fixed,
                )
                part.layout = dataclasses.replace(part.layout, row_totals=False)
                tables.append(part)
                pair.append(part.layout.grid())
            whole = table.layout.grid()
            links += [
                ([a, b], t)
                for la, lb, lt in zip(pair[0], pair[1], whole, strict=True)
                for a, b, t in zip(la, lb, lt, strict=True)
            ]
    return tables, links


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
    tables, links = _count_tables(db, year, codes, rules, labels)
    div_table = _divergence_table(divergence or [], labels) if divergence is not None else None
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
        out.charts[f"{role}s_ratio"] = _ratio_chart(
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
    out.charts["completeness_force"] = _completeness_chart(
        tables_by["completeness_by_force"].frame, "Suspects: ethnicity stated (%) by force"
    )
    out.charts["completeness_time"] = _time_chart(tables_by["completeness_over_time"].frame)
    force = tables_by["crimes_by_force"].frame
    if TOTAL in force.index:
        totals = force.loc[TOTAL].drop(TOTAL, errors="ignore")
        out.charts["offence_groups"] = bar_chart(
            [str(i) for i in totals.index],
            [_number(v) for v in totals],
            f"CSAE crimes by offence group, {year}",
        )
        by_force = (
            force.drop(TOTAL)[TOTAL] if TOTAL in force.columns else force.drop(TOTAL).iloc[:, 0]
        )
        out.charts["forces"] = bar_chart(
            [str(i) for i in by_force.index],
            [_number(v) for v in by_force],
            f"CSAE crimes by force, {year}",
        )
    if div_table is not None:
        _add_divergence(out, div_table, cube, rules)
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


def _ratio_chart(frame: pd.DataFrame, rules: CrimeRules, title: str) -> str:
    rows = frame[~frame["Code"].isin(["NS", TOTAL])]
    ratio = rows.columns[7]
    values = [_number(v) for v in rows[ratio]]
    ci = [
        (lo, hi) if (lo := _number(a)) is not None and (hi := _number(b)) is not None else None
        for a, b in zip(rows["95% CI low"], rows["95% CI high"], strict=True)
    ]
    bounds = [
        (lo, hi) if (lo := _number(a)) is not None and (hi := _number(b)) is not None else None
        for a, b in zip(rows[rows.columns[11]], rows[rows.columns[12]], strict=True)
    ]
    return bar_chart(
        list(rows["Code"] + " " + rows[rows.columns[2]])
        if rows.columns[2] != "Ethnic group"
        else list(rows["Code"]),
        values,
        title,
        intervals=ci,
        ranges=bounds,
        reference=1.0,
    )


def _completeness_chart(frame: pd.DataFrame, title: str) -> str:
    if frame.empty:
        return bar_chart([], [], title)
    column = "Suspects: ethnicity stated (%)"
    return bar_chart([str(i) for i in frame.index], [_number(v) for v in frame[column]], title)


def _time_chart(frame: pd.DataFrame) -> str:
    series: dict[str, list[tuple[float, float]]] = {}
    rows = frame.drop(TOTAL, errors="ignore")
    for column in (
        "Suspects: ethnicity stated (%)",
        "Victims: ethnicity stated (%)",
        "Suspects: nationality stated (%)",
    ):
        if column in rows:
            series[column.replace(" (%)", "")] = [
                (float(str(i)), v)
                for i, raw in rows[column].items()
                if (v := _number(raw)) is not None
            ]
    return line_chart(series, "Completeness over time (%)", "% stated")


def _divergence_table(points: Sequence[DivergencePoint], labels: dict[str, str]) -> CountTable:
    keys = [f"{p.la_code} {p.year}" for p in points]
    frame = pd.DataFrame(
        [[p.crimes, p.plans] for p in points],
        index=keys,
        columns=["Crimes against children", "CP plans (sexual abuse)"],
    ).astype("int64")
    names = {
        f"{p.la_code} {p.year}": f"{labels.get(p.la_code, p.la_code)} {p.year}" for p in points
    }
    table = count_table(
        "divergence",
        "Divergence: police CSAE crimes against children beside child-protection plans for "
        "sexual abuse, by LA and year",
        frame,
        "divergence",
        "la_year",
        "measure",
        col_keys={"Crimes against children": "crimes", "CP plans (sexual abuse)": "plans"},
        labels=names,
        caveat="A flag asks for a look at both agencies' recording; it is not a finding. "
        "Flags and the funnel use published counts only (p0 from the year's published rows).",
    )  # no crimes + plans column: a sum of two different things, and one more margin to protect
    table.layout = dataclasses.replace(table.layout, row_totals=False)
    return table


def _add_divergence(
    out: NationalReturn, table: CountTable, cube: ProtectedCube, rules: CrimeRules
) -> None:
    """Table, funnel and the region's series from the published (protected) cells only."""
    marker = rules.disclosure.marker
    shown = published_frame(table, cube, marker)
    grid = table.layout.grid()
    pub: list[tuple[str, int, str, int | None, int | None]] = []
    for key, line in zip(table.layout.rows, grid, strict=False):
        la, year = key.rsplit(" ", 1)
        pub.append(
            (la, int(year), table.row_labels[key], cube.published(line[0]), cube.published(line[1]))
        )
    points = funnel_points(
        {(la, y): c for la, y, _, c, p in pub if c is not None and p is not None},
        {(la, y): p for la, y, _, c, p in pub if c is not None and p is not None},
        rules.warning_z,
        rules.alarm_z,
    )
    by_key = {(p.la_code, p.year): p for p in points}
    ratios: list[Any] = []
    flags: list[Any] = []
    for la, y, *_ in pub:
        point = by_key.get((la, y))
        ratios.append(
            marker if point is None else "" if point.ratio is None else round(point.ratio, 2)
        )
        flags.append(marker if point is None else point.flag)
    shown["Crimes per plan"] = ratios + [""]
    shown["Funnel flag (99.8%: alarm)"] = flags + [""]
    out.add(table, StatTable("divergence", table.title, "counts", shown, True, table.caveat))
    this_year = [p for p in points if p.year == out.year]
    name_of = {(la, y): label for la, y, label, _, _ in pub}
    p0 = this_year[0].expected if this_year else 0.0
    out.charts["funnel"] = funnel_plot(
        [
            (
                p.crimes + p.plans,
                p.share,
                f"{name_of[(p.la_code, p.year)].rsplit(' ', 1)[0]}: {p.crimes} crimes, "
                f"{p.plans} plans",
                p.flag == "alarm",
            )
            for p in this_year
            if p.crimes + p.plans
        ],
        p0,
        [rules.warning_z, rules.alarm_z],
        f"Share of crimes in crimes + plans by LA, {out.year} (funnel 95% / 99.8%; "
        "LAs with withheld counts not drawn)",
    )
    # a year's total is drawn only when every LA cell of that year is published
    synthetic_c: dict[int, int | None] = {}
    synthetic_p: dict[int, int | None] = {}
    for _, y, _, c, p in pub:
        before_c, before_p = synthetic_c.get(y, 0), synthetic_p.get(y, 0)
        synthetic_c[y] = None if c is None or before_c is None else before_c + c
        synthetic_p[y] = None if p is None or before_p is None else before_p + p
    reference: dict[str, list[tuple[float, float]]] = {}
    for row in read_data_csv("national_reference.csv"):
        reference.setdefault(row["series"], []).append((float(row["year"]), float(row["value"])))
    # two charts: the series differ fortyfold in scale
    out.charts["reference_plans"] = line_chart(
        {
            "England: CP plans, initial category sexual abuse (DfE)": reference[
                "cp_plans_sexual_abuse"
            ]
        },
        "National reference: child-protection plans, sexual abuse (year ending March)",
        "plans",
    )
    out.charts["reference_crimes"] = line_chart(
        {"England and Wales: police-recorded CSAE crimes (VKPP)": reference["police_csae_crimes"]},
        "National reference: police-recorded CSAE crimes (2024 approximate)",
        "crimes",
    )
    out.charts["synthetic"] = line_chart(
        {
            "Region: crimes against children": [
                (float(y), float(v)) for y, v in synthetic_c.items() if v is not None
            ],
            "Region: CP plans, sexual abuse": [
                (float(y), float(v)) for y, v in synthetic_p.items() if v is not None
            ],
        },
        "This platform's data (synthetic; years with a withheld LA cell not drawn)",
        "count",
    )


def table_html(table: StatTable) -> Markup:
    """The table as HTML without pandas' inline style (the pages' CSP forbids inline style)."""
    html = table.frame.to_html(index=table.kind != "rates", classes="stats", na_rep="", border=0)
    return Markup(html.replace(' style="text-align: right;"', ""))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", name.lower())


def manifest(ret: NationalReturn) -> dict[str, object]:
    """Where every count cell of every CSV sits (table, row and column codes), the settings
    and the headline's cells: what an auditor needs to read the CSVs as constraints."""
    from safeguard.crime.protected import ethnic_children
    from safeguard.domain.codes import load_code_lists

    rules = ret.rules or load_crime_rules()
    tables = []
    for t in ret.tables:
        counts = ret.layouts[t.name]
        lay = counts.layout
        width = (len(lay.cols) if lay.col_dim else 1) + (1 if lay.has_row_totals() else 0)
        entry: dict[str, object] = {
            "name": t.name,
            "file": f"{_slug(t.name)}.csv",
            "kind": t.kind,
            "layout": lay.to_json(),
        }
        if t.kind == "percent":
            entry["count_columns"] = ["Suspects", "Victims"]
        elif t.kind == "rates":
            entry["key_column"] = "Code"
            entry["count_columns"] = ["People"]
            entry["reference"] = str(t.frame.loc[t.frame["Note"] == "reference", "Code"].iloc[0])
            entry["not_stated"] = lay.rows[-1]
        else:
            entry["count_columns"] = [str(c) for c in t.frame.columns[:width]]
        tables.append(entry)
    return {
        "year": ret.year,
        "threshold": ret.threshold,
        "marker": rules.disclosure.marker,
        "rate_decimals": rules.disclosure.rate_decimals,
        "percent_decimals": rules.disclosure.percent_decimals,
        "per": rules.per,
        "ethnic_children": ethnic_children(load_code_lists()),
        "tables": tables,
        "headline": {
            name: {"part": list(part), "whole": list(whole), "percent": pct}
            for name, (part, whole, pct) in ret.headline_cells.items()
        },
    }


def write_report(ret: NationalReturn, out_dir: Path) -> list[Path]:
    """index.html (tables, charts, caveats), one CSV per table and one ODS workbook."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in ret.tables:
        path = out_dir / f"{_slug(table.name)}.csv"
        table.frame.to_csv(path, index=table.kind != "rates")
        written.append(path)
    (out_dir / MANIFEST).write_text(json.dumps(manifest(ret), indent=1), encoding="utf-8")
    written.append(out_dir / MANIFEST)
    ods = out_dir / f"national-return-{ret.year}.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        for table in ret.tables:
            frame = table.frame if not table.frame.empty else pd.DataFrame({"": ["No data"]})
            frame.to_excel(writer, sheet_name=table.name[:31], index=table.kind != "rates")
    written.append(ods)
    env = Environment(
        loader=PackageLoader("safeguard.crime", "templates"), autoescape=select_autoescape()
    )
    html = env.get_template("national_return.html").render(
        ret=ret,
        charts={k: Markup(v) for k, v in ret.charts.items()},
        tables=[
            (
                t,
                table_html(t),
            )
            for t in ret.tables
        ],
        ods=ods.name,
    )
    index = out_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    css = out_dir / "report.css"
    css.write_text(_CSS, encoding="utf-8")
    return [index, css, *written]


_CSS = """body{font-family:sans-serif;margin:2rem;max-width:72rem;color:#0b0c0c}
table.stats{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.85rem}
table.stats td,table.stats th{border:1px solid #b1b4b6;padding:.2rem .4rem;text-align:right}
.caveat{background:#fff7bf;padding:.4rem .6rem;border-left:4px solid #ffdd00}
.charts{display:flex;flex-wrap:wrap;gap:1rem}"""
