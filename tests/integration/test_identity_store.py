"""Child references on the operational store (SQLite and PostgreSQL, the same bodies)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from safeguard.bootstrap import Platform
from safeguard.domain.actors import Account
from safeguard.domain.child_ref import is_valid_child_ref
from safeguard.identity.linking import IdentityError
from safeguard.ingest.files import CLI_SUBMITTER
from safeguard.store.identity_repository import SqlIdentityRepository
from safeguard.store.tables import event_participants, events, source_records
from tests.regions import ingest_region

OPERATOR = CLI_SUBMITTER.operator()
#: The platform's own reviewer (the server's command line) reviews every area; a hub's reviewer
#: only pairs with a record in its area (test_identity_need_to_know.py).
REVIEWER = CLI_SUBMITTER.operator("mash")
HUB_REVIEWER = Account("reviewer", "mash", "MASH-E08000018")


def load_region(platform: Platform, folder: Path) -> None:
    ingest_region(platform, folder, 120, seed=7, las=2)


def assignments(platform: Platform) -> dict[str, str]:
    with platform.uow() as uow:
        return SqlIdentityRepository(uow.connection).load_assignments()


def test_link_gives_every_record_a_stable_reference_and_respects_reviewers(
    platform: Platform, tmp_path: Path
) -> None:
    load_region(platform, tmp_path / "region")
    first = platform.identity.link(OPERATOR)
    refs = assignments(platform)
    with platform.uow() as uow:
        records = len(
            uow.connection.execute(
                select(source_records.c.id).where(source_records.c.is_current.is_(True))
            ).all()
        )
    assert len(refs) == records == first.records
    assert all(is_valid_child_ref(r) for r in refs.values())
    assert first.references == len(set(refs.values())) < records

    # Re-linking the same records keeps every reference.
    again = platform.identity.link(OPERATOR)
    assert assignments(platform) == refs and again.issued == 0

    # Events follow their people: every participation points at its record's person.
    with platform.uow() as uow:
        rows = uow.connection.execute(
            select(event_participants.c.person_id, source_records.c.person_id)
            .join(events, events.c.id == event_participants.c.event_id)
            .join(
                source_records,
                (source_records.c.local_id == event_participants.c.record_local_id)
                & (source_records.c.agency_code == events.c.agency_code)
                & source_records.c.is_current.is_(True),
            )
        ).all()
    assert rows and all(a == b for a, b in rows)

    # A reviewer says two records of one reference are not the same child: the next re-link
    # splits them, the larger part keeps the reference, and the split is recorded.
    by_ref: dict[str, list[str]] = {}
    for rid, ref in refs.items():
        by_ref.setdefault(ref, []).append(rid)
    ref, members = next((r, sorted(m)) for r, m in sorted(by_ref.items()) if len(m) >= 2)
    platform.identity.record_decision(
        REVIEWER, members[0], members[1], "not_same", "different school year"
    )
    platform.identity.link(OPERATOR)
    after = assignments(platform)
    assert after[members[0]] != after[members[1]]
    assert ref in {after[members[0]], after[members[1]]}
    with platform.uow() as uow:
        ref_events = SqlIdentityRepository(uow.connection).load_events()
    assert any(e.kind == "split" and e.ref == ref for e in ref_events)


def test_only_reviewers_decide_and_a_reason_is_required(platform: Platform) -> None:
    with pytest.raises(IdentityError, match="may not review"):
        platform.identity.review_queue(OPERATOR)
    with pytest.raises(IdentityError, match="say why"):
        platform.identity.record_decision(REVIEWER, "A/1", "B/2", "same", " ")
    # Found by the API fuzz: a verdict about records that do not exist was stored.
    with pytest.raises(IdentityError, match="no current record 'A/1'"):
        platform.identity.record_decision(REVIEWER, "A/1", "B/2", "same", "same school and dob")
    # A hub's reviewer learns nothing of records outside its area, not even whether they exist.
    with pytest.raises(IdentityError, match="none of these records is in your hub's area"):
        platform.identity.record_decision(HUB_REVIEWER, "A/1", "B/2", "same", "same school")
    with pytest.raises(IdentityError, match="two different records"):
        platform.identity.record_decision(REVIEWER, "A/1", "A/1", "same", "same school and dob")
    with pytest.raises(IdentityError, match="no person records"):
        platform.identity.link(OPERATOR)


def test_references_are_issued_in_blocks_without_reuse(platform: Platform) -> None:
    """A re-link reserves references a block at a time; whatever it leaves unused is never
    issued later, and one-at-a-time issue carries on above the block."""
    with platform.uow() as uow:
        repo = SqlIdentityRepository(uow.connection)
        block = repo.next_child_refs(1000)
        single = repo.next_child_ref()
        again = repo.next_child_refs(3)
    issued = [*block, single, *again]
    assert len(set(issued)) == len(issued) == 1004
    assert all(is_valid_child_ref(r) for r in issued)
    serials = [int(r[3:-1]) for r in issued]
    assert serials == list(range(serials[0], serials[0] + 1004))


def test_a_reference_merged_away_still_finds_the_child(platform: Platform, tmp_path: Path) -> None:
    load_region(platform, tmp_path / "region")
    platform.identity.link(OPERATOR)
    refs = assignments(platform)
    by_ref: dict[str, list[str]] = {}
    for rid, ref in refs.items():
        by_ref.setdefault(ref, []).append(rid)
    ref, members = next((r, sorted(m)) for r, m in sorted(by_ref.items()) if len(m) >= 2)
    platform.identity.record_decision(REVIEWER, members[0], members[1], "not_same", "checking")
    platform.identity.link(OPERATOR)
    split = assignments(platform)
    old = next(r for r in (split[members[0]], split[members[1]]) if r != ref)
    # The reviewer finds they were one child after all: the next re-link merges them and one
    # of the two references lives on; the other, in old case notes, must still find the child.
    platform.identity.record_decision(REVIEWER, members[0], members[1], "same", "checked")
    platform.identity.link(OPERATOR)
    merged = assignments(platform)
    live = merged[members[0]]
    assert merged[members[1]] == live and live in {ref, old}
    gone = ({ref, old} - {live}).pop()
    with platform.uow() as uow:
        person = uow.chronology.find_child(gone)
        assert person is not None and person.child_ref == live
        assert uow.chronology.find_child("SG-00000000-0") is None
