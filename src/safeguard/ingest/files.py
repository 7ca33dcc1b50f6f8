"""Turning a path on disk into ingest jobs: one file, or a region folder of agency folders."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from safeguard.domain.actors import Account
from safeguard.ingest.feeds import Kind
from safeguard.ingest.service import IngestService, SubmissionResult

_SUFFIXES = (".csv", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class IngestJob:
    path: Path
    agency: str
    kind: Kind | None


@dataclass(frozen=True)
class _CliSubmitter:
    """The operator running the CLI on the server submits as the agency's system."""

    def for_agency(self, agency: str) -> Account:
        return Account(f"cli:{getpass.getuser()}", "agency_system", agency)

    def operator(self, role: str = "admin") -> Account:
        """The server operator acting for the platform itself (audited as such)."""
        return Account(f"cli:{getpass.getuser()}", role, "PLATFORM")


CLI_SUBMITTER = _CliSubmitter()


def ingest_jobs(path: Path, agency: str | None, kind: str | None) -> list[IngestJob]:
    """A file needs --agency; a folder holds one sub-folder per agency, persons before events."""
    if kind not in (None, "persons", "events"):
        raise ValueError(f"--kind must be persons or events, not {kind!r}")
    if not path.exists():
        raise ValueError(f"{path} does not exist")
    if path.is_file():
        if not agency:
            raise ValueError(f"say which agency sent {path.name} with --agency CODE")
        return [IngestJob(path, agency, cast(Kind | None, kind))]
    jobs: list[IngestJob] = []
    for folder in sorted(p for p in path.iterdir() if p.is_dir() and p.name != "truth"):
        files = sorted(f for f in folder.iterdir() if f.suffix in _SUFFIXES)
        files.sort(key=lambda f: (0 if f.stem.startswith("person") else 1, f.name))
        jobs += [IngestJob(f, folder.name, None) for f in files]
    if not jobs:
        raise ValueError(f"{path} holds no agency folders with .csv or .jsonl files")
    return jobs


def submit_job(ingest: IngestService, job: IngestJob) -> SubmissionResult:
    """Send one job's file as `safeguard ingest` does: as the agency's own system."""
    return ingest.submit(
        job.path.read_bytes(),
        str(job.path),
        job.agency,
        CLI_SUBMITTER.for_agency(job.agency),
        job.kind,
    )
