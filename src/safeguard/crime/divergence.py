"""Divergence monitor: police-recorded CSAE crimes against children beside child-protection
plans with initial category sexual abuse, per local authority and year.

Each LA-year is a point on a funnel plot: p = crimes / (crimes + plans) against
n = crimes + plans, with control limits p0 ± z·sqrt(p0(1 - p0) / n) around the pooled p0 of
the same year. Outside the alarm limit (99.8%) the LA is flagged for a look, not a judgement:
either agency may be under-recording.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class DivergencePoint:
    la_code: str
    year: int
    crimes: int
    plans: int
    ratio: float | None  # crimes per plan
    share: float  # crimes / (crimes + plans)
    expected: float  # pooled share p0 of the year
    z: float
    flag: str  # "", "warning" or "alarm"


def divergence(
    crimes: Mapping[tuple[str, int], int],
    plans: Mapping[tuple[str, int], int],
    warning_z: float,
    alarm_z: float,
) -> list[DivergencePoint]:
    keys = sorted(set(crimes) | set(plans))
    by_year: dict[int, tuple[int, int]] = {}
    for la, year in keys:
        c, p = by_year.get(year, (0, 0))
        by_year[year] = (c + crimes.get((la, year), 0), p + plans.get((la, year), 0))
    out = []
    for la, year in keys:
        c, p = crimes.get((la, year), 0), plans.get((la, year), 0)
        n = c + p
        total_c, total_p = by_year[year]
        p0 = total_c / (total_c + total_p) if total_c + total_p else 0.0
        share = c / n if n else 0.0
        sd = math.sqrt(p0 * (1 - p0) / n) if n and 0 < p0 < 1 else 0.0
        z = (share - p0) / sd if sd else 0.0
        flag = "alarm" if abs(z) > alarm_z else "warning" if abs(z) > warning_z else ""
        out.append(DivergencePoint(la, year, c, p, c / p if p else None, share, p0, z, flag))
    return out


def count_by_la_year(rows: Iterable[tuple[str | None, int]]) -> dict[tuple[str, int], int]:
    out: dict[tuple[str, int], int] = {}
    for la, year in rows:
        key = (la or "unknown", year)
        out[key] = out.get(key, 0) + 1
    return out
