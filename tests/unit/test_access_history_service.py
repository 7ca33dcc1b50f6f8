"""Who saw this child, on the in-memory unit of work (no database): the auditor's own look is
in the answer, a refusal is kept although it raises, an unknown child writes nothing."""

from __future__ import annotations

import pytest

from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.audit import GENESIS_HASH
from safeguard.sharing.access_history import AccessHistoryService
from safeguard.sharing.service import ChildNotFound
from tests.fakes import Child, InMemoryStore, InMemoryUnitOfWork

AUDITOR = User("dpo", "LA-E08000018", ("auditor",))
PRACTITIONER = User("sam", "CSC-E08000018", ("practitioner",))
OTHER = User("kim", "POLICE-E23000011", ("police",))


def service_on(store: InMemoryStore) -> AccessHistoryService:
    return AccessHistoryService(lambda: InMemoryUnitOfWork(store))


def looked(store: InMemoryStore, user: User, subject: str, outcome: str = "allowed") -> None:
    with InMemoryUnitOfWork(store) as uow:
        uow.audit.record(user, reason="case", action="read", subject=subject, outcome=outcome)


@pytest.fixture
def store() -> InMemoryStore:
    store = InMemoryStore()
    store.children.children["CR-1"] = Child("p1", "CR-1")
    store.alerts.about["p1"] = [7]
    looked(store, PRACTITIONER, "person:p1")
    looked(store, OTHER, "person:p1", outcome="denied")
    looked(store, OTHER, "alert:7")
    looked(store, OTHER, "person:p2")  # another child: not in this answer
    return store


def test_an_auditor_sees_every_look_at_the_child_and_their_own(store: InMemoryStore) -> None:
    history = service_on(store).who_saw(AUDITOR, "CR-1", "complaint 12")
    subjects = [(e.user_name, e.subject, e.outcome) for e in history.entries]
    assert subjects == [
        ("sam", "person:p1", "allowed"),
        ("kim", "person:p1", "denied"),
        ("kim", "alert:7", "allowed"),
        ("dpo", "person:p1", "allowed"),
    ]
    assert (history.people, history.refused, history.child_ref) == (3, 1, "CR-1")
    assert store.audit[-1].action == "audit.access_history"
    chain = [GENESIS_HASH] + [e.entry_hash for e in store.audit]
    assert [e.prev_hash for e in store.audit] == chain[:-1]


def test_a_refusal_is_on_record_although_it_raises(store: InMemoryStore) -> None:
    before = len(store.audit)
    with pytest.raises(AccessDenied, match="auditors and data-protection officers"):
        service_on(store).who_saw(PRACTITIONER, "CR-1", "curious")
    assert len(store.audit) == before + 1
    refusal = store.audit[-1]
    assert (refusal.user_name, refusal.subject, refusal.outcome) == ("sam", "child:CR-1", "denied")


def test_an_unknown_child_writes_nothing(store: InMemoryStore) -> None:
    before = list(store.audit)
    with pytest.raises(ChildNotFound):
        service_on(store).who_saw(AUDITOR, "CR-404", "complaint 13")
    assert store.audit == before
