"""Small synthetic regions loaded through the real ingest (and linked), shared by tests."""

from __future__ import annotations

from pathlib import Path

from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.synth import generate_region


def ingest_region(platform: Platform, folder: Path, children: int, seed: int, las: int) -> None:
    """Generate a region into ``folder`` and ingest every feed, as `safeguard ingest` would."""
    generate_region(folder, children, seed=seed, las=las)
    for job in ingest_jobs(folder, None, None):
        submit_job(platform.ingest, job)


def linked_platform(folder: Path, children: int = 150, seed: int = 3, las: int = 1) -> Platform:
    """A SQLite platform holding a small region whose records have child references."""
    platform = bootstrap(Settings(database_url=f"sqlite:///{folder}/s.db", environment="test"))
    ingest_region(platform, folder / "region", children, seed, las)
    platform.identity.link(CLI_SUBMITTER.operator())
    return platform
