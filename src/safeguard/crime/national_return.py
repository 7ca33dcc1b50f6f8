"""One call from the store to the national return's files (what `safeguard stats report` runs)."""

from __future__ import annotations

from pathlib import Path

from safeguard.crime.census import load_census
from safeguard.crime.report import NationalReturn, build_national_return, write_report
from safeguard.crime.service import CrimeService


def national_return(crime: CrimeService, year: int) -> NationalReturn:
    """Refresh derived flags, extract, and build every protected table for ``year``."""
    crime.refresh()
    with crime.analytics() as db:
        return build_national_return(
            db, year, crime.codes, crime.rules, load_census(), crime.divergence(db)
        )


def national_return_files(crime: CrimeService, year: int, out: Path) -> list[Path]:
    return write_report(national_return(crime, year), out)
