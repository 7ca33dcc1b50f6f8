"""The national return: every published table for a year, with charts, as HTML, CSV and ODS.

``build_national_return`` needs only an ``AnalyticsDB`` holding the extract (so the benchmark
can run it on generated Parquet); ``write_report`` writes the files.
"""

from __future__ import annotations

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
from safeguard.crime.census import Census
from safeguard.crime.charts import bar_chart, funnel_plot, line_chart
from safeguard.crime.divergence import DivergencePoint
from safeguard.crime.national import StatTable
from safeguard.crime.publish import (
    TOTAL,
    completeness_table,
    disproportionality,
    protect_counts,
    withheld_codes,
)
from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import CodeLists, read_data_csv


@dataclass
class NationalReturn:
    year: int
    tables: list[StatTable]
    charts: dict[str, str] = field(default_factory=dict)
    headline: dict[str, str] = field(default_factory=dict)


def _labels(codes: CodeLists) -> dict[str, str]:
    names = {a.la_code: a.la_name for a in codes.areas}
    names.update({a.force_code: a.force_name for a in codes.areas})
    names["unknown"] = "Not known"
    return names


def _counts_table(
    name: str,
    title: str,
    frame: pd.DataFrame,
    rules: CrimeRules,
    labels: dict[str, str],
    totals: bool = True,
    caveat: str = "",
    withhold: pd.DataFrame | None = None,
) -> StatTable:
    frame = frame.rename(index=lambda i: labels.get(str(i), str(i)))
    if withhold is not None:
        withhold = withhold.rename(index=lambda i: labels.get(str(i), str(i)))
    shown, _ = protect_counts(frame, rules, totals, withhold)
    return StatTable(name, title, "counts", shown, totals, caveat)


def _groups_withheld(
    groups: pd.DataFrame, detailed: pd.DataFrame, codes: CodeLists, rules: CrimeRules
) -> pd.DataFrame:
    """Withhold a high-level group's count wherever a code within it is withheld in the
    detailed rates table, so the two tables together cannot pin a detailed cell."""
    mask = pd.DataFrame(False, index=groups.index, columns=groups.columns)
    for column in groups.columns:
        if column not in detailed:
            continue
        counts = {str(k): int(v) for k, v in detailed[column].items()}
        for code in withheld_codes(counts, codes, rules):
            group = codes.ethnic_group(code)
            if group in mask.index:
                mask.loc[group, column] = True
    return mask


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def build_national_return(
    db: AnalyticsDB,
    year: int,
    codes: CodeLists,
    rules: CrimeRules,
    census: Census,
    divergence: Sequence[DivergencePoint] | None = None,
) -> NationalReturn:
    """Compute, protect and chart every table of the return for ``year``."""
    q.prepare(db, year)
    labels = _labels(codes)
    labels.update(rules.typologies)
    out = NationalReturn(year, [])
    t = out.tables
    t.append(
        _counts_table(
            "crimes_by_force",
            "CSAE crimes by police force and offence group",
            q.crimes_by(db, "force_code"),
            rules,
            labels,
        )
    )
    t.append(
        _counts_table(
            "crimes_by_la",
            "CSAE crimes by local authority and offence group",
            q.crimes_by(db, "la_code"),
            rules,
            labels,
        )
    )
    t.append(
        _counts_table(
            "crimes_by_flag",
            "CSAE crimes by flag (a crime may carry several)",
            q.by_flag(db),
            rules,
            labels,
            totals=False,
        )
    )
    t.append(
        _counts_table(
            "crimes_by_typology",
            "CSAE crimes by typology (a crime may have several)",
            q.by_typology(db),
            rules,
            labels,
            totals=False,
        )
    )
    t.append(
        _counts_table(
            "group_based_by_force",
            "Group-based CSAE crimes by force (flag derived from linked suspects)",
            q.group_based_by_force(db),
            rules,
            labels,
        )
    )
    t.append(
        _counts_table(
            "outcomes",
            "CSAE crimes by outcome (Home Office outcome type group) and offence group",
            q.by_outcome(db),
            rules,
            labels,
        )
    )
    t.append(
        _counts_table(
            "victims_by_age_sex",
            "Victims by age at the offence and sex",
            q.victims_by_age_sex(db),
            rules,
            labels,
        )
    )
    detailed = q.by_role(db, "ethnicity")
    groups = q.by_role(db, "ethnic_group")
    t.append(
        _counts_table(
            "ethnic_group",
            "Suspects and victims by ethnic group (high level)",
            groups,
            rules,
            labels,
            withhold=_groups_withheld(groups, detailed, codes, rules),
        )
    )
    t.append(
        _counts_table(
            "nationality",
            "Suspects and victims by nationality",
            q.by_role(db, "nationality_group"),
            rules,
            labels,
        )
    )
    las = sorted(
        set(db.frame("SELECT DISTINCT la_code FROM crime_cube")["la_code"]) & set(census.las())
    )
    for role, column, children in (("suspects", "Suspects", False), ("victims", "Victims", True)):
        counts = {str(k): int(v) for k, v in detailed[column].items()} if column in detailed else {}
        population = census.by_police_code(codes, las, children)
        frame, ns_share = disproportionality(counts, population, codes, rules)
        caveat = (
            f"Ethnicity was not stated for {ns_share:.0%} of {role} in {year}. Rates count "
            "stated ethnicity only; the bound columns show how far the not-stated records "
            "could move each figure. Denominators: Census 2021 "
            + (
                "residents aged 0-17 (split by all-age ethnic shares)"
                if children
                else "all usual residents"
            )
            + f" of the {len(las)} local authorities with crimes."
        )
        out.headline[f"{role}_not_stated"] = f"{ns_share:.0%}"
        t.append(
            StatTable(
                f"{role}_rates_by_ethnicity",
                f"{role.capitalize()}: rates per 100,000 and rate ratios by ethnicity",
                "rates",
                frame,
                False,
                caveat,
            )
        )
        out.charts[f"{role}_ratio"] = _ratio_chart(
            frame,
            rules,
            f"{role.capitalize()}: rate ratio vs {rules.reference_group} "
            "(95% CI; grey: not-stated range)",
        )
        groups_frame, _ = disproportionality(counts, population, codes, rules, high_level=True)
        t.append(
            StatTable(
                f"{role}_rates_by_ethnic_group",
                f"{role.capitalize()}: rates per 100,000 and rate ratios by high-level ethnic "
                "group",
                "rates",
                groups_frame,
                False,
                caveat,
            )
        )
    for by, name, title, y in (
        ("force_code", "completeness_by_force", "by force", year),
        ("la_code", "completeness_by_la", "by local authority", year),
        ("year", "completeness_over_time", "by year (all years)", None),
    ):
        long = q.completeness(db, by, y)
        long["row"] = long["row"].astype(str)
        frame = completeness_table(long, rules, labels)
        t.append(
            StatTable(
                name,
                f"Completeness: ethnicity and nationality stated, {title}",
                "percent",
                frame,
                False,
                "Share of victims and suspects (per crime) whose ethnicity or "
                "nationality is a value rather than 'not stated'.",
            )
        )
    out.charts["completeness_force"] = _completeness_chart(
        t[-3].frame, "Suspects: ethnicity stated (%) by force"
    )
    out.charts["completeness_time"] = _time_chart(t[-1].frame)
    force = t[0].frame
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
    if divergence is not None:
        _add_divergence(out, divergence, rules, labels)
    return out


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


def _add_divergence(
    out: NationalReturn,
    points: Sequence[DivergencePoint],
    rules: CrimeRules,
    labels: dict[str, str],
) -> None:
    frame = pd.DataFrame(
        [[p.crimes, p.plans] for p in points],
        index=[f"{labels.get(p.la_code, p.la_code)} {p.year}" for p in points],
        columns=["Crimes against children", "CP plans (sexual abuse)"],
    )
    shown, table = protect_counts(frame, rules, totals=True)
    marker = rules.disclosure.marker
    ratios: list[Any] = []
    flags: list[Any] = []
    for i, p in enumerate(points):
        hidden = bool(table.suppressed[i, :2].any())
        ratios.append(marker if hidden else "" if p.ratio is None else round(p.ratio, 2))
        flags.append(p.flag)
    shown["Crimes per plan"] = ratios + [""]
    shown["Funnel flag (99.8%: alarm)"] = flags + [""]
    out.tables.append(
        StatTable(
            "divergence",
            "Divergence: police CSAE crimes against children "
            "beside child-protection plans for sexual abuse, by LA and year",
            "counts",
            shown,
            True,
            "A flag asks for a look at both agencies' recording; it is not a finding.",
        )
    )
    this_year = [p for p in points if p.year == out.year]
    p0 = this_year[0].expected if this_year else 0.0
    out.charts["funnel"] = funnel_plot(
        [
            (
                p.crimes + p.plans,
                p.share,
                f"{labels.get(p.la_code, p.la_code)}: {p.crimes} crimes, {p.plans} plans",
                p.flag == "alarm",
            )
            for p in this_year
            if p.crimes + p.plans
        ],
        p0,
        [rules.warning_z, rules.alarm_z],
        f"Share of crimes in crimes + plans by LA, {out.year} (funnel 95% / 99.8%)",
    )
    synthetic_c: dict[int, int] = {}
    synthetic_p: dict[int, int] = {}
    for p in points:
        synthetic_c[p.year] = synthetic_c.get(p.year, 0) + p.crimes
        synthetic_p[p.year] = synthetic_p.get(p.year, 0) + p.plans
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
                (float(y), float(v)) for y, v in synthetic_c.items()
            ],
            "Region: CP plans, sexual abuse": [
                (float(y), float(v)) for y, v in synthetic_p.items()
            ],
        },
        "This platform's data (synthetic)",
        "count",
    )


def table_html(table: StatTable) -> Markup:
    """The table as HTML without pandas' inline style (the pages' CSP forbids inline style)."""
    html = table.frame.to_html(index=table.kind != "rates", classes="stats", na_rep="", border=0)
    return Markup(html.replace(' style="text-align: right;"', ""))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", name.lower())


def write_report(ret: NationalReturn, out_dir: Path) -> list[Path]:
    """index.html (tables, charts, caveats), one CSV per table and one ODS workbook."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in ret.tables:
        path = out_dir / f"{_slug(table.name)}.csv"
        table.frame.to_csv(path, index=table.kind != "rates")
        written.append(path)
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
