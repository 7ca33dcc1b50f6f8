"""Linkage training that falls back to no EM prepares the records again; Splink refused the
second registration of the same table name, so linking such a region failed outright (found on
a small region with partners' receipts, issue 22)."""

from __future__ import annotations

from pathlib import Path

from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.synth import SynthParams, generate_region


def test_a_region_whose_training_falls_back_still_links(tmp_path: Path) -> None:
    platform = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/s.db", environment="test"))
    try:
        region = tmp_path / "region"
        generate_region(region, 150, 5, las=1, params=SynthParams(partner_receipts=True))
        for job in ingest_jobs(region, None, None):
            submit_job(platform.ingest, job)
        platform.identity.link(CLI_SUBMITTER.operator())  # raised ValueError before the fix
        with platform.uow() as uow:
            refs = uow.connection.exec_driver_sql("SELECT count(child_ref) FROM persons").scalar()
        assert refs and refs > 100  # the 150 children (and no adult) have references
    finally:
        platform.close()
