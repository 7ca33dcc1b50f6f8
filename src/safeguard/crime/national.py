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
SUSPECT_AGE_BAND = """CASE WHEN age IS NULL THEN 'Not known' WHEN age < 18 THEN 'Under 18'
    WHEN age < 25 THEN '18-24' WHEN age < 35 THEN '25-34' WHEN age < 45 THEN '35-44'
    WHEN age < 55 THEN '45-54' ELSE '55 and over' END"""
SUSPECT_AGE_ORDER = ["Under 18", "18-24", "25-34", "35-44", "45-54", "55 and over", "Not known"]
CRIMES_BAND = """CASE WHEN crimes = 1 THEN '1 crime' WHEN crimes = 2 THEN '2 crimes'
    WHEN crimes <= 4 THEN '3-4 crimes' ELSE '5 or more crimes' END"""
CRIMES_ORDER = ["1 crime", "2 crimes", "3-4 crimes", "5 or more crimes"]


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
    """Aggregate the year once into small cubes that every table then reads.

    ``crime_cube``: crimes by every published crime dimension (one scan of the crimes).
    ``person_cube``: distinct victims and suspects of the year (age: the youngest recorded in
    the year, i.e. at the first offence) by every published person dimension.
    ``people_cube``: victim and suspect rows (per crime) by area, year and what was stated,
    for completeness, over all years.
    """
    db.view("crimes_y", f"SELECT * FROM crimes WHERE year = {int(year)}")
    db.materialise(
        "crime_cube",
        """SELECT force_code, la_code, offence_group, outcome_group, group_based, csa, cse,
                  online, count(*) AS n
           FROM crimes_y GROUP BY ALL""",
    )
    db.materialise(
        "person_cube",
        f"""SELECT role, ethnicity, ethnic_group, nationality_group, {AGE_BAND} AS age_band,
                   {SUSPECT_AGE_BAND} AS suspect_age_band, {CRIMES_BAND} AS crimes_band, sex,
                   count(*) AS n
            FROM (SELECT role, person_key, min(age) AS age, any_value(sex) AS sex,
                         count(DISTINCT crime_id) AS crimes,
                         any_value(ethnicity) AS ethnicity, any_value(ethnic_group) AS ethnic_group,
                         any_value(nationality_group) AS nationality_group
                  FROM people WHERE year = ? GROUP BY role, person_key)
            GROUP BY ALL""",
        [year],
    )
    db.materialise(
        "people_cube",
        """SELECT year, force_code, la_code, role, ethnicity <> 'NS' AS ethnicity_stated,
                  nationality_group <> 'Not stated' AS nationality_stated, count(*) AS n
           FROM people GROUP BY ALL""",
    )


def crimes_by(db: AnalyticsDB, row: str) -> pd.DataFrame:
    return _pivot(
        db,
        f"SELECT {row} AS row, offence_group AS col, sum(n) AS n FROM crime_cube GROUP BY 1, 2",
        [],
    )


def group_based_by_force(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT force_code AS row,
                  CASE WHEN group_based THEN 'Group-based' ELSE 'Not group-based' END AS col,
                  sum(n) AS n FROM crime_cube GROUP BY 1, 2""",
        [],
    )


def by_typology(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT t.typology AS row, 'Crimes' AS col, count(*) AS n
           FROM typology t SEMI JOIN crimes_y c ON t.crime_id = c.crime_id GROUP BY 1, 2""",
        [],
    )


def by_flag(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT flag AS row, 'Crimes' AS col, sum(n) AS n FROM (
             SELECT 'Child sexual abuse (CSA)' AS flag, n FROM crime_cube WHERE csa
             UNION ALL SELECT 'Child sexual exploitation (CSE)', n FROM crime_cube WHERE cse
             UNION ALL SELECT 'Online-initiated', n FROM crime_cube WHERE online) GROUP BY 1, 2""",
        [],
    )


def by_outcome(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT outcome_group AS row, offence_group AS col, sum(n) AS n
           FROM crime_cube GROUP BY 1, 2""",
        [],
    )


def victims_by_age_sex(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT age_band AS row,
                  CASE sex WHEN 'F' THEN 'Female' WHEN 'M' THEN 'Male' ELSE 'Other or not known'
                  END AS col, sum(n) AS n
           FROM person_cube WHERE role = 'victim' GROUP BY 1, 2""",
        [],
        AGE_ORDER,
    )


def suspects_by_age_sex(db: AnalyticsDB) -> pd.DataFrame:
    return _pivot(
        db,
        """SELECT suspect_age_band AS row,
                  CASE sex WHEN 'F' THEN 'Female' WHEN 'M' THEN 'Male' ELSE 'Other or not known'
                  END AS col, sum(n) AS n
           FROM person_cube WHERE role = 'suspect' GROUP BY 1, 2""",
        [],
        SUSPECT_AGE_ORDER,
    )


def repeat_suspects(db: AnalyticsDB) -> pd.DataFrame:
    """Distinct suspects of the year by how many of the year's crimes they are linked to."""
    return _pivot(
        db,
        """SELECT crimes_band AS row, 'Suspects' AS col, sum(n) AS n
           FROM person_cube WHERE role = 'suspect' GROUP BY 1, 2""",
        [],
        CRIMES_ORDER,
    )


def suspects_by_typology(db: AnalyticsDB) -> pd.DataFrame:
    """Distinct suspects per typology, split by whether the crime was group-based (a suspect
    may appear under several typologies and in both columns: no totals)."""
    return _pivot(
        db,
        """SELECT t.typology AS row,
                  CASE WHEN c.group_based THEN 'Group-based' ELSE 'Not group-based' END AS col,
                  count(DISTINCT p.person_key) AS n
           FROM people p JOIN crimes_y c ON p.crime_id = c.crime_id
           JOIN typology t ON t.crime_id = c.crime_id
           WHERE p.role = 'suspect' GROUP BY 1, 2""",
        [],
    )


def by_role(db: AnalyticsDB, column: str) -> pd.DataFrame:
    """Distinct suspects and victims by ``column`` (ethnicity, ethnic_group, nationality_group)."""
    return _pivot(
        db,
        f"""SELECT {column} AS row,
                   CASE role WHEN 'suspect' THEN 'Suspects' ELSE 'Victims' END AS col,
                   sum(n) AS n FROM person_cube GROUP BY 1, 2""",
        [],
    )


def completeness(db: AnalyticsDB, by: str, year: int | None) -> pd.DataFrame:
    """Per ``by`` (force_code, la_code or year): victims and suspects, and how many of each
    have ethnicity and nationality stated (counted per crime and person)."""
    where = f"WHERE year = {int(year)}" if year is not None else ""
    return db.frame(
        f"""SELECT {by} AS row, role,
                   sum(n) AS n,
                   coalesce(sum(n) FILTER (WHERE ethnicity_stated), 0) AS ethnicity_stated,
                   coalesce(sum(n) FILTER (WHERE nationality_stated), 0) AS nationality_stated
            FROM people_cube {where} GROUP BY 1, 2 ORDER BY 1, 2"""
    )


def crimes_against_children_by_la_year(db: AnalyticsDB) -> pd.DataFrame:
    """CSAE crimes with at least one victim under 18, per LA and year (divergence monitor)."""
    return db.frame(
        """SELECT la_code, year, count(DISTINCT crime_id) AS crimes FROM people
           WHERE role = 'victim' AND age < 18 GROUP BY 1, 2 ORDER BY 1, 2"""
    )


def years(db: AnalyticsDB) -> list[int]:
    return [int(y) for y in db.frame("SELECT DISTINCT year FROM crimes ORDER BY 1")["year"]]
