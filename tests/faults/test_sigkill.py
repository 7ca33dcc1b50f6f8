"""SIGKILL at seeded random moments of a large ingest and of a re-link, on each store; then
restart, re-send, and prove nothing was lost, duplicated or half-written and no child
reference changed."""

from __future__ import annotations

import random
import time
from pathlib import Path

from sqlalchemy import func, select, true

from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER
from safeguard.store.identity_repository import SqlIdentityRepository
from safeguard.store.tables import event_participants, events, source_records, submissions
from tests.faults import forked
from tests.faults.big import AGENCY, write_big_feeds
from tests.regions import ingest_region

PEOPLE = 3000


def assert_whole(platform: Platform) -> tuple[int, int]:
    """Every submission's rows all there (none partial), no duplicates, participants
    resolved, the audit chain intact. Returns (records, events) of the big feed."""
    with platform.engine.connect() as conn:
        for sub in conn.execute(select(submissions)).all():
            table = source_records if sub.kind == "persons" else events
            stored = conn.execute(
                select(func.count()).where(table.c.submission_id == sub.id)
            ).scalar_one()
            assert stored == sub.new_records + sub.new_versions, sub
        current = select(source_records.c.local_id).where(
            source_records.c.agency_code == AGENCY, source_records.c.is_current == true()
        )
        ids = conn.execute(current).scalars().all()
        assert len(ids) == len(set(ids)) and len(ids) in (0, PEOPLE)
        event_ids = (
            conn.execute(select(events.c.local_id).where(events.c.agency_code == AGENCY))
            .scalars()
            .all()
        )
        assert len(event_ids) == len(set(event_ids)) and len(event_ids) in (0, PEOPLE)
        participants = conn.execute(select(func.count()).select_from(event_participants))
        assert participants.scalar_one() == len(event_ids)
        misfiled = conn.execute(
            select(func.count())
            .select_from(event_participants.join(events))
            .join(
                source_records,
                (source_records.c.agency_code == events.c.agency_code)
                & (source_records.c.local_id == event_participants.c.record_local_id)
                & (source_records.c.is_current == true()),
            )
            .where(source_records.c.person_id != event_participants.c.person_id)
        ).scalar_one()
        assert misfiled == 0
    assert platform.audit.verify().problem is None
    return len(ids), len(event_ids)


def test_sigkill_during_a_large_ingest_loses_and_duplicates_nothing(
    store_url: str, tmp_path: Path
) -> None:
    started = time.perf_counter()
    persons, events_file = write_big_feeds(tmp_path, PEOPLE)
    platform = bootstrap(Settings(database_url=store_url, environment="test"))
    rng = random.Random(20261126)
    mid_work = kills = 0
    try:
        for path in (persons, events_file):
            for _ in range(2):
                worker = forked.start(forked.ingest, store_url, str(path), AGENCY, None)
                worker.wait_for("validated")
                time.sleep(rng.uniform(0.0, 0.15))
                kills += worker.kill()
                mid_work += not any(s.startswith("stored") for s in worker.stages)
                assert_whole(platform)
            stages = forked.start(forked.ingest, store_url, str(path), AGENCY, None).finish()
            again = forked.start(forked.ingest, store_url, str(path), AGENCY, None).finish()
            assert "duplicate=True" in again[-1], (stages, again)
        assert assert_whole(platform) == (PEOPLE, PEOPLE)
    finally:
        platform.close()
    assert mid_work >= 1, f"no kill landed while the ingest was writing ({kills} kills)"
    print(f"sigkill ingest: {kills} kills, {mid_work} mid-write, "  # noqa: T201
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip


def test_sigkill_during_a_relink_changes_no_reference(store_url: str, tmp_path: Path) -> None:
    started = time.perf_counter()
    platform = bootstrap(Settings(database_url=store_url, environment="test"))
    rng = random.Random(7)
    mid_work = 0
    try:
        ingest_region(platform, tmp_path / "region", 60, seed=9, las=1)
        platform.identity.link(CLI_SUBMITTER.operator())
        with platform.uow() as uow:
            before = SqlIdentityRepository(uow.connection).load_assignments()
        for _ in range(2):
            worker = forked.start(forked.link, store_url)
            worker.wait_for("linking")
            time.sleep(rng.uniform(0.2, 1.5))
            worker.kill()
            mid_work += not any(s.startswith("done") for s in worker.stages)
            with platform.uow() as uow:
                assert SqlIdentityRepository(uow.connection).load_assignments() == before
            assert platform.audit.verify().problem is None
        forked.start(forked.link, store_url).finish()
        with platform.uow() as uow:
            after = SqlIdentityRepository(uow.connection).load_assignments()
        assert after == before
        assert platform.audit.verify().problem is None
    finally:
        platform.close()
    assert mid_work >= 1
    print(f"sigkill relink: {mid_work} mid-link, {time.perf_counter() - started:.1f} s")  # noqa: T201
