"""Small national returns built straight from generated extracts (no store), for the audit
tests: the benchmark's generator at a few sizes and seeds."""

from __future__ import annotations

from pathlib import Path

from benchmarks.stats import generate

from safeguard.analytics import AnalyticsDB
from safeguard.crime.census import load_census
from safeguard.crime.divergence import divergence
from safeguard.crime.national import crimes_against_children_by_la_year
from safeguard.crime.report import NationalReturn, build_national_return
from safeguard.crime.rules import load_crime_rules
from safeguard.domain.codes import load_code_lists


def build(folder: Path, crimes: int, seed: int, year: int = 2024) -> NationalReturn:
    """Generate ``crimes`` crimes into ``folder`` and build the year's return, with
    synthetic plans (a tenth of the crimes, at least 1) for the divergence table."""
    codes, rules, census = load_code_lists(), load_crime_rules(), load_census()
    folder.mkdir(parents=True, exist_ok=True)
    generate(folder, crimes, year, seed)
    with AnalyticsDB(threads=1) as db:
        for name in ("crimes", "typology", "people"):
            db.register_parquet(name, folder / f"{name}.parquet")
        frame = crimes_against_children_by_la_year(db)
        counts = {(str(a), int(y)): int(c) for a, y, c in frame.itertuples(index=False, name=None)}
        plans = {k: max(1, v // 10) for k, v in counts.items()}
        points = divergence(counts, plans, rules.warning_z, rules.alarm_z)
        return build_national_return(db, year, codes, rules, census, points)
