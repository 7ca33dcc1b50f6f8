"""The national return's tables, computed by the DuckDB adapter from the crime extract.

Every function takes an ``AnalyticsDB`` holding ``crimes``, ``typology`` and ``people`` and
returns unprotected aggregates; ``publish`` applies disclosure control before anything leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from safeguard.analytics import AnalyticsDB

Kind = Literal["counts", "rates", "percent"]

AGE_BAND = """CASE WHEN age IS NULL THEN 'Not known' WHEN age < 5 THEN '0-4'
    WHEN age < 10 THEN '5-9' WHEN age < 13 THEN '10-12' WHEN age < 16 THEN '13-15'
    WHEN age < 18 THEN '16-17' ELSE '18 and over' END"""
AGE_ORDER = ["0-4", "5-9", "10-12", "13-15", "16-17", "18 and over", "Not known"]


@dataclass
class StatTable:
    """One published table: counts (additive with totals, or not), rates or percentages."""

    name: str
    title: str
    kind: Kind
    frame: pd.DataFrame
    totals: bool = True
    caveat: str = ""
    notes: list[str] = field(default_factory=list)


def _pivot(
    db: AnalyticsDB, sql: str, params: list[object], order: list[str] | None = None
) -> pd.DataFrame:
    """``sql`` returns (row, col, n); pivot to rows x cols with zeros where nothing was counted."""
    long = db.frame(sql, params)
    if long.empty:
        return pd.DataFrame()
    wide = long.pivot_table(index="row", columns="col", values="n", aggfunc="sum", fill_value=0)
    wide = wide.astype("int64")
    wide.index.name = None
    wide.columns.name = None
    if order:
        wide = wide.reindex([r for r in order if r in wide.index])
    return wide


def prepare(db: AnalyticsDB, year: int) -> None:
    """The year's crimes (a view: each query reads only the columns it needs) and one row per
    distinct victim or suspect (age: the youngest recorded in the year, i.e. at the first
    offence)."""
    db.view("crimes_y", f"SELECT * FROM crimes WHERE year = {int(year)}")
    db.materialise(
        "persons_y",
        """SELECT role, person_key, min(age) AS age, any_value(sex) AS sex,
                  any_value(ethnicity) AS ethnicity, any_value(ethnic_group) AS ethnic_group,
                  any_value(nationality_group) AS nationality_group
           FROM people WHERE year = ? GROUP BY role, person_key""",
        [year],
    )


def crimes_by(db: AnalyticsDB, row: str) -> pd.DataFrame:
    return _pivot(
        db,
        f"SELECT {row} AS row, offence_group AS col, count(*) AS n FROM crimes_y GROUP BY 1, 2",
        [],
    )


def group_based_by_force(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT force_code AS row,
                  CASE WHEN group_based THEN 'Group-based' ELSE 'Not group-based' END AS col,
                  count(*) AS n FROM crimes_y GROUP BY 1, 2""",
        [],
    )


def by_typology(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT t.typology AS row, 'Crimes' AS col, count(DISTINCT t.crime_id) AS n
           FROM typology t JOIN crimes_y c USING (crime_id) GROUP BY 1, 2""",
        [],
    )


def by_flag(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT flag AS row, 'Crimes' AS col, count(*) AS n FROM (
             SELECT 'Child sexual abuse (CSA)' AS flag FROM crimes_y WHERE csa
             UNION ALL SELECT 'Child sexual exploitation (CSE)' FROM crimes_y WHERE cse
             UNION ALL SELECT 'Online-initiated' FROM crimes_y WHERE online) GROUP BY 1, 2""",
        [],
    )


def by_outcome(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT outcome_group AS row, offence_group AS col, count(*) AS n
           FROM crimes_y GROUP BY 1, 2""",
        [],
    )


def victims_by_age_sex(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        f"""SELECT {AGE_BAND} AS row,
                   CASE sex WHEN 'F' THEN 'Female' WHEN 'M' THEN 'Male' ELSE 'Other or not known'
                   END AS col, count(*) AS n
            FROM persons_y WHERE role = 'victim' GROUP BY 1, 2""",
        [],
        AGE_ORDER,
    )


def by_role(db: AnalyticsDB, column: str) -> pd.DataFrame:
    """Distinct suspects and victims by ``column`` (ethnicity, ethnic_group, nationality_group)."""
    return _pivot(
        db,
        f"""SELECT {column} AS row,
                   CASE role WHEN 'suspect' THEN 'Suspects' ELSE 'Victims' END AS col,
                   count(*) AS n FROM persons_y GROUP BY 1, 2""",
        [],
    )


def completeness(db: AnalyticsDB, by: str, year: int | None) -> pd.DataFrame:
    """Per ``by`` (force_code, la_code or year): victims and suspects, and how many of each
    have ethnicity and nationality stated (counted per crime and person)."""
    where = "WHERE year = ?" if year is not None else ""
    return db.frame(
        f"""SELECT {by} AS row, role,
                   count(*) AS n,
                   count(*) FILTER (WHERE ethnicity <> 'NS') AS ethnicity_stated,
                   count(*) FILTER (WHERE nationality_group <> 'Not stated') AS nationality_stated
            FROM people {where} GROUP BY 1, 2 ORDER BY 1, 2""",
        [year] if year is not None else [],
    )


def crimes_against_children_by_la_year(db: AnalyticsDB) -> pd.DataFrame:
    """CSAE crimes with at least one victim under 18, per LA and year (divergence monitor)."""
    return db.frame(
        """SELECT c.la_code, c.year, count(*) AS crimes FROM crimes c
           WHERE EXISTS (SELECT 1 FROM people p WHERE p.crime_id = c.crime_id
                         AND p.role = 'victim' AND p.age < 18)
           GROUP BY 1, 2 ORDER BY 1, 2"""
    )


def years(db: AnalyticsDB) -> list[int]:
    return [int(y) for y in db.frame("SELECT DISTINCT year FROM crimes ORDER BY 1")["year"]]
