"""One call from the store to the national return's files (what `safeguard stats report` runs).

The return is written to a scratch folder beside ``out``, attacked there by the audit
(``crime.audit``), and moved into place only when no withheld cell can be narrowed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from safeguard.crime.audit import AuditResult, audit_return
from safeguard.crime.census import load_census
from safeguard.crime.report import NationalReturn, build_national_return, write_report
from safeguard.crime.service import CrimeService


class DisclosureRisk(ValueError):
    """The audit narrowed a withheld cell: the return is not written."""

    def __init__(self, result: AuditResult) -> None:
        first = result.findings[0].sentence(result.threshold)
        super().__init__(
            f"the return was not written: {len(result.findings)} withheld figure(s) can be "
            f"worked out from what it publishes, e.g. {first}"
        )
        self.result = result


def national_return(crime: CrimeService, year: int) -> NationalReturn:
    """Refresh derived flags, extract, and build every protected table for ``year``."""
    crime.refresh()
    with crime.analytics() as db:
        return build_national_return(
            db, year, crime.codes, crime.rules, load_census(), crime.divergence(db)
        )


def write_audited(ret: NationalReturn, out: Path) -> list[Path]:
    """Write, audit, and only then publish into ``out`` (raises ``DisclosureRisk``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".return-") as tmp:
        scratch = Path(tmp) / "return"
        files = write_report(ret, scratch)
        result = audit_return(scratch)
        if not result.ok:
            raise DisclosureRisk(result)
        out.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.move(str(f), out / f.name)
    return [out / f.name for f in files]


def national_return_files(crime: CrimeService, year: int, out: Path) -> list[Path]:
    return write_audited(national_return(crime, year), out)
