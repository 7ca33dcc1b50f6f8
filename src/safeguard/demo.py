"""`safeguard demo`: a synthetic region built, ingested and ready to browse (embedded store),
with a user for every role and a line saying where each capability shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safeguard.bootstrap import Platform
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.ingest.service import SubmissionResult
from safeguard.synth import RegionSummary, generate_region
from safeguard.synth.region import DEMO_CHILDREN, DEMO_SEED, demo_params

#: Users the demo signs in as: one per role, in the first area of the region.
DEMO_USERS = (
    ("demo-mash", "MASH-{la}", "mash"),
    ("demo-police", "POLICE-{force}", "practitioner"),
    ("demo-social-worker", "CSC-{la}", "practitioner"),
    ("demo-analyst", "POLICE-{force}", "analyst"),
    ("demo-statistician", "POLICE-{force}", "statistician"),
    ("demo-licensing", "LIC-{la}", "licensing_officer"),
    ("demo-referrals", "POLICE-{force}", "referral_officer"),
    ("demo-immigration", "IE-HO", "immigration_enforcement"),
    ("demo-auditor", "MASH-{la}", "auditor"),
    ("demo-police-rms", "POLICE-{force}", "agency_system"),
)

#: Where each capability shows, for the demo's closing lines (page, and who may open it).
WHERE_TO_LOOK = (
    ("one child across agencies", "/search, then a person and its chronology", "demo-mash"),
    ("alerts that need a decision", "/risk/alerts and /risk/report", "demo-mash"),
    ("identity pairs to decide", "/identity/review", "demo-mash"),
    ("shares to acknowledge", "/sharing/inbox", "demo-social-worker"),
    ("offending groups and link charts", "/network", "demo-analyst"),
    ("the national return", "/stats (and `safeguard stats report`)", "demo-statistician"),
    ("the taxi licensing register", "/licensing", "demo-licensing"),
    ("immigration referrals", "/referrals", "demo-referrals"),
    ("a referral's progress to record", "/referrals, then a referral", "demo-immigration"),
    ("who saw which child", "`safeguard audit sar SG-…` and /risk/report", "demo-auditor"),
)


@dataclass
class DemoResult:
    region: RegionSummary
    submissions: list[SubmissionResult]
    tokens: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def run_demo(
    platform: Platform,
    out_dir: Path,
    step: Callable[[str], None] = lambda _: None,
    children: int = DEMO_CHILDREN,
) -> DemoResult:
    """Generate the demo region, ingest every feed, link, score, derive and issue tokens."""
    step("generating the synthetic region")
    region = generate_region(out_dir, children, DEMO_SEED, params=demo_params())
    jobs = ingest_jobs(out_dir, None, None)
    results = []
    for job in jobs:
        step(f"ingesting {job.agency}/{job.path.name}")
        results.append(submit_job(platform.ingest, job))
    step("linking records into children (trains the model on this region)")
    link = platform.identity.link(CLI_SUBMITTER.operator(), progress=step)
    step("scoring exploitation risk across agencies and raising alerts")
    platform.risk.run()
    step("deriving group-based flags and referrals")
    crime = platform.crime.refresh()
    step("adding licensing decisions to the register and raising notices")
    platform.licensing.sync(CLI_SUBMITTER.operator())
    platform.licensing.raise_notices(CLI_SUBMITTER.operator())
    area = platform.codes.areas[0]
    tokens = {
        name: platform.accounts.ensure_user(
            name, agency.format(la=area.la_code, force=area.force_code), [role]
        )
        for name, agency, role in DEMO_USERS
    }
    # the hub's named manager: alerts left undecided past their deadline reach their inbox
    platform.risk.inbox.name_manager(f"MASH-{area.la_code}", "demo-mash")
    with platform.uow() as uow:
        counts = {
            "source records": uow.records.count(),
            "events": uow.events.count(),
            "people resolved": uow.records.count_people(),
        }
        counts["child references"] = link.references
        counts["pairs awaiting review"] = link.queued
        counts["risk alerts"] = len(uow.risk.alerts())
    counts["CSAE crimes"] = crime.crimes
    counts["group-based crimes"] = crime.group_based
    counts["licensing register entries"] = len(platform.licensing.entries())
    counts["licensing notices"] = len(platform.licensing.notices())
    return DemoResult(region, results, tokens, counts)
