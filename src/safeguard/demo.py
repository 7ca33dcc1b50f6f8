"""`safeguard demo`: a synthetic region built, ingested and ready to browse (embedded store)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safeguard.bootstrap import Platform
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.ingest.service import SubmissionResult
from safeguard.synth import RegionSummary, demo_region

#: Users the demo signs in as: one per kind of reader, in the first area of the region.
DEMO_USERS = (
    ("demo-mash", "MASH-{la}", "mash"),
    ("demo-police", "POLICE-{force}", "practitioner"),
    ("demo-police-rms", "POLICE-{force}", "agency_system"),
)


@dataclass
class DemoResult:
    region: RegionSummary
    submissions: list[SubmissionResult]
    tokens: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def run_demo(
    platform: Platform, out_dir: Path, step: Callable[[str], None] = lambda _: None
) -> DemoResult:
    """Generate the demo region, ingest every feed, and issue demo tokens."""
    step("generating the synthetic region")
    region = demo_region(out_dir)
    jobs = ingest_jobs(out_dir, None, None)
    results = []
    for job in jobs:
        step(f"ingesting {job.agency}/{job.path.name}")
        results.append(submit_job(platform.ingest, job))
    step("linking records into children (trains the model on this region)")
    link = platform.identity.link(CLI_SUBMITTER.operator(), progress=step)
    step("scoring exploitation risk across agencies and raising alerts")
    platform.risk.run()
    area = platform.codes.areas[0]
    tokens = {
        name: platform.accounts.ensure_user(
            name, agency.format(la=area.la_code, force=area.force_code), [role]
        )
        for name, agency, role in DEMO_USERS
    }
    with platform.uow() as uow:
        counts = {
            "source records": uow.records.count(),
            "events": uow.events.count(),
            "people resolved": uow.records.count_people(),
        }
        counts["child references"] = link.references
        counts["pairs awaiting review"] = link.queued
        counts["risk alerts"] = len(uow.risk.alerts())
    return DemoResult(region, results, tokens, counts)
