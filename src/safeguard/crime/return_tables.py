"""Every count table of the national return, raw, with its place in the cube (``Layout``).

Tables named ``_…`` are not published themselves: they feed derived figures (the rates
tables' counts by code and group, the stated and not-stated counts behind percentages).
"""

import dataclasses
from collections.abc import Sequence

import pandas as pd

from safeguard.analytics import AnalyticsDB
from safeguard.crime import national as q
from safeguard.crime.divergence import DivergencePoint
from safeguard.crime.joint import Equation
from safeguard.crime.protected import (
    CountTable,
    count_table,
)
from safeguard.crime.rules import CrimeRules
from safeguard.domain.codes import CodeLists

ROLE_COLS = {"Suspects": "suspect", "Victims": "victim"}


def count_tables(
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


def divergence_table(points: Sequence[DivergencePoint], labels: dict[str, str]) -> CountTable:
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
