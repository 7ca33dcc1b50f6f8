"""Role × relationship: who may read a child's chronology, in what form, and proof that every
attempt — allowed or refused — is in the audit log. Break-glass is recorded and flagged."""

from __future__ import annotations

import pytest

from safeguard.domain.actors import AccessDenied, Account, User
from safeguard.sharing.access import Relationships, decide_access
from tests.conftest import Clocked
from tests.samples import CRIME, CSC, OTHER_CSC, POLICE, TWO_CHILDREN

ROLES = (
    "practitioner",
    "mash",
    "licensing_officer",
    "analyst",
    "statistician",
    "auditor",
    "admin",
    "agency_system",
)
RELATIONSHIPS = ("own agency", "share received", "alert assigned", "break-glass", "none")
REASON = "child reported at immediate risk tonight, no partner reachable"


def expected(role: str, relationship: str) -> str | None:
    """The view the role gets through the relationship, or None for a refusal."""
    if role in ("practitioner", "mash", "licensing_officer") and relationship != "none":
        return "identified"
    if role == "analyst" and relationship not in ("none", "break-glass"):
        return "pseudonymised"
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("relationship", RELATIONSHIPS)
def test_the_pure_decision(role: str, relationship: str) -> None:
    facts = Relationships(
        own_agency_holds_record=relationship == "own agency",
        share_received=relationship == "share received",
        alert_assigned=relationship == "alert assigned",
    )
    reason = REASON if relationship == "break-glass" else None
    decision = decide_access(User("u", POLICE, (role,)), facts, reason)
    want = expected(role, relationship)
    assert decision.allowed is (want is not None), decision.basis
    if want is not None:
        assert decision.view == want
        assert decision.break_glass is (relationship == "break-glass")


@pytest.mark.parametrize("role", ROLES)
def test_no_unauthorised_read_and_every_attempt_audited(clocked: Clocked, role: str) -> None:
    plat = clocked.platform
    system = Account("police-rms", "agency_system", POLICE)
    plat.ingest.submit(TWO_CHILDREN, "p.csv", POLICE, system)
    plat.ingest.submit(CRIME, "e.csv", POLICE, system)  # shares C1 about P1 with CSC Rotherham
    with plat.uow() as uow:
        child = uow.records.history(POLICE, "P1")[0].person_id
    agency_of = {
        "own agency": POLICE,
        "share received": CSC,
        "alert assigned": OTHER_CSC,
        "break-glass": OTHER_CSC,
        "none": OTHER_CSC,
    }
    for n, relationship in enumerate(RELATIONSHIPS):
        name = f"{role}-{n}"
        token = plat.accounts.add_user(name, agency_of[relationship], [role])
        user = plat.accounts.authenticate(token)
        assert user is not None
        if relationship == "alert assigned":
            clocked.alerts.pairs.add((name, child))
        glass = REASON if relationship == "break-glass" else None
        with plat.uow() as uow:
            before = uow.audit.count()
        want = expected(role, relationship)
        try:
            chronology = plat.sharing.chronology(user, child, "case work", glass)
        except AccessDenied:
            assert want is None, (role, relationship)
            outcome = "denied"
        else:
            assert want == chronology.view, (role, relationship)
            outcome = "allowed"
            text = repr(chronology)
            if want == "pseudonymised":
                assert child not in text and "Hartley" not in text and "S60 1AA" not in text
            assert [e["local_id"] for e in chronology.events][:1] != []
        with plat.uow() as uow:
            entries = uow.audit.entries(after_seq=0)
            flagged = uow.break_glass.awaiting_review()
        new = [e for e in entries[before:] if e.action == "chronology.read"]
        assert len(new) == 1, (role, relationship)
        entry = new[0]
        assert (entry.user_name, entry.role, entry.agency_code, entry.outcome) == (
            name,
            role,
            agency_of[relationship],
            outcome,
        )
        assert entry.subject == f"person:{child}"
        if relationship == "break-glass" and want is not None:
            assert '"break_glass": true' in entry.detail and entry.reason == REASON
            assert [(f.user_name, f.reason) for f in flagged] == [(name, REASON)]
    assert plat.audit.verify().intact
