"""The compliance report, scored against the generator's true delays (issue 22's target: within
one day), on SQLite and PostgreSQL: a region is generated, ingested whole and compared."""

from __future__ import annotations

from pathlib import Path

from benchmarks.sharing_timeliness import compare

from safeguard.bootstrap import Platform
from safeguard.ingest.files import ingest_jobs, submit_job
from safeguard.synth import SynthParams, generate_region


def test_compliance_matches_the_true_delays_within_a_day(
    platform: Platform, tmp_path: Path
) -> None:
    region = tmp_path / "region"
    generate_region(region, 1200, 7, params=SynthParams(partner_receipts=True))
    for job in ingest_jobs(region, None, None):
        submit_job(platform.ingest, job)
    rows = compare(platform, region)
    measured = [c for c in rows if c.true_median is not None]
    assert len(measured) >= 5
    assert all(c.median_error is not None and c.median_error <= 24 for c in measured)
    assert sum(c.true_received for c in rows) == sum(c.report_on_time_or_late for c in rows)
    # The agencies that never share are found from their partners' silence.
    assert sum(c.true_never for c in rows) == sum(c.report_not_shared for c in rows) > 0
    # The old measure (load time) is wrong by years; the new one is not.
    assert all(c.load_time_median and c.load_time_median > 24 * 365 for c in measured)
