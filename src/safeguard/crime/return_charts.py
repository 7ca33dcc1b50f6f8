"""Charts of the national return, drawn from the published (protected) tables only."""

from typing import Any

import pandas as pd

from safeguard.crime.charts import bar_chart, funnel_plot, line_chart
from safeguard.crime.divergence import divergence as funnel_points
from safeguard.crime.national import StatTable
from safeguard.crime.protected import (
    TOTAL,
    CountTable,
    ProtectedCube,
    published_frame,
)
from safeguard.crime.return_model import NationalReturn
from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import read_data_csv


def chart_number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _pair(a: object, b: object) -> tuple[float, float] | None:
    lo, hi = chart_number(a), chart_number(b)
    return None if lo is None or hi is None else (lo, hi)


def ratio_chart(frame: pd.DataFrame, rules: CrimeRules, title: str) -> str:
    rows = frame[~frame["Code"].isin(["NS", TOTAL])]
    ratio = rows.columns[7]
    values = [chart_number(v) for v in rows[ratio]]
    ci = [_pair(a, b) for a, b in zip(rows["95% CI low"], rows["95% CI high"], strict=True)]
    bounds = [
        _pair(a, b) for a, b in zip(rows[rows.columns[11]], rows[rows.columns[12]], strict=True)
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


def completeness_chart(frame: pd.DataFrame, title: str) -> str:
    if frame.empty:
        return bar_chart([], [], title)
    column = "Suspects: ethnicity stated (%)"
    return bar_chart([str(i) for i in frame.index], [chart_number(v) for v in frame[column]], title)


def time_chart(frame: pd.DataFrame) -> str:
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
                if (v := chart_number(raw)) is not None
            ]
    return line_chart(series, "Completeness over time (%)", "% stated")


def add_divergence(
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
