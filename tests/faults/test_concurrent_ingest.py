"""Concurrent submissions on PostgreSQL: overlapping records from two agencies, and one agency
sending twice, at the same moment. Never two references for one child, never two current
versions of one record, never a hang."""

from __future__ import annotations

import csv
import random
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select, true

from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER
from safeguard.store.tables import persons, source_records
from tests.faults import forked
from tests.faults.big import FIRST, SURNAMES, nhs_numbers
from tests.regions import ingest_region

pytestmark = pytest.mark.postgres
CSC, HEALTH = "CSC-E08000018", "HEALTH-E08000018"


def _children_file(
    path: Path, prefix: str, children: list[list[str]], which: list[int] | None = None
) -> Path:
    with path.open("w", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["local_id", "first_name", "surname", "dob", "sex", "postcode",
                      "nhs_number", "ethnicity", "nationality"])  # fmt: skip
        for i in range(len(children)) if which is None else which:
            out.writerow([f"{prefix}{i}", *children[i], "13", "GBR"])
    return path


def refs_by_nhs(platform: Platform) -> dict[str, set[str | None]]:
    query = select(source_records.c.nhs_number, persons.c.child_ref).join(
        persons, persons.c.id == source_records.c.person_id
    )
    found: dict[str, set[str | None]] = defaultdict(set)
    with platform.engine.connect() as conn:
        for nhs, ref in conn.execute(query.where(source_records.c.is_current == true())):
            if nhs:
                found[nhs].add(ref)
    return found


def test_overlapping_concurrent_ingests_give_one_reference_per_child(
    postgres_url: str, tmp_path: Path
) -> None:
    started = time.perf_counter()
    platform = bootstrap(Settings(database_url=postgres_url, environment="test"))
    try:
        ingest_region(platform, tmp_path / "region", 60, seed=5, las=1)
        platform.identity.link(CLI_SUBMITTER.operator())  # a model, so real time resolves
        rng = random.Random(11)
        children = [
            [rng.choice(FIRST), rng.choice(SURNAMES), f"2012-0{rng.randint(1, 9)}-1{i % 10}",
             rng.choice("MF"), "S61 2AB", nhs_numbers(rng)]
            for i in range(30)
        ]  # fmt: skip
        social_care = _children_file(tmp_path / "csc.csv", "C", children)
        health = _children_file(tmp_path / "health.csv", "H", children)
        overlap = _children_file(tmp_path / "csc2.csv", "C", children, [*range(10, 30), 0, 1])
        barrier = forked.CONTEXT.Barrier(4)
        workers = [
            forked.start(forked.ingest, postgres_url, str(path), agency, barrier)
            for path, agency in (
                (social_care, CSC),
                (social_care, CSC),  # the same file twice at once
                (overlap, CSC),  # an overlapping file from the same agency
                (health, HEALTH),  # the same children from another agency
            )
        ]
        outcomes = [w.finish(timeout=180) for w in workers]
        assert sum("duplicate=True" in o[-1] for o in outcomes[:2]) == 1, outcomes

        refs = refs_by_nhs(platform)
        for *_, nhs in children:
            assert len(refs[nhs]) == 1 and None not in refs[nhs], (nhs, refs[nhs])
        with platform.engine.connect() as conn:
            current = conn.execute(
                select(source_records.c.agency_code, source_records.c.local_id).where(
                    source_records.c.is_current == true()
                )
            ).all()
        assert len(current) == len(set(current))
        assert platform.audit.verify().problem is None
    finally:
        platform.close()
    print(f"concurrent ingests: {time.perf_counter() - started:.1f} s")  # noqa: T201
