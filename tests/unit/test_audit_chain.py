"""The audit chain: an untampered log always verifies; any edit, deletion, insertion or
reordering is always detected, and the first broken seq is named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.domain.audit import GENESIS_HASH, AuditEntry, checkpoint_signature
from safeguard.sharing.audit_chain import Checkpoint, verify_chain

KEY = "test-secret"
START = datetime(2026, 1, 1, tzinfo=UTC)


def rehash(entry: AuditEntry) -> AuditEntry:
    return dataclasses.replace(entry, entry_hash=entry.computed_hash())


def build_log(n: int, seed: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        entry = rehash(
            AuditEntry(
                seq=i,
                at=START + timedelta(seconds=i),
                user_name=f"user{(seed + i) % 5}",
                role="practitioner",
                agency_code="CSC-E08000018",
                reason="case work",
                action="person.read",
                subject=f"person:{(seed * i) % 7}",
                outcome="allowed",
                detail="{}",
                prev_hash=prev,
            )
        )
        entries.append(entry)
        prev = entry.entry_hash
    return entries


def sign(entries: list[AuditEntry], every: int) -> list[Checkpoint]:
    """Checkpoints every ``every`` entries plus one on the tail (``safeguard audit checkpoint``)."""
    marks = {e.seq for e in entries if e.seq % every == 0} | {entries[-1].seq}
    return [
        Checkpoint(e.seq, e.entry_hash, checkpoint_signature(KEY, e.seq, e.entry_hash))
        for e in entries
        if e.seq in marks
    ]


logs = st.tuples(st.integers(2, 40), st.integers(0, 1000), st.integers(1, 10))


@given(logs)
def test_an_untampered_log_always_verifies(params: tuple[int, int, int]) -> None:
    n, seed, every = params
    entries = build_log(n, seed)
    assert verify_chain(entries, sign(entries, every), KEY) is None


FIELDS = ("user_name", "role", "agency_code", "reason", "action", "subject", "outcome", "detail")


@st.composite
def tampered(draw: st.DrawFn) -> tuple[list[AuditEntry], list[Checkpoint], str, int]:
    """A random log, its checkpoints, then one random tampering as the store would show it
    (rows read back ordered by seq). Returns the log, checkpoints, kind and first bad seq."""
    n, seed, every = draw(logs)
    entries = build_log(n, seed)
    checkpoints = sign(entries, every)
    kind = draw(st.sampled_from(["edit", "rehash", "rewrite_tail", "delete", "insert", "swap"]))
    p = draw(st.integers(0, n - 1))
    if kind in ("edit", "rehash", "rewrite_tail"):
        name = draw(st.sampled_from(FIELDS))
        edited = dataclasses.replace(entries[p], **{name: getattr(entries[p], name) + "x"})
        entries[p] = rehash(edited) if kind != "edit" else edited
        if kind == "rewrite_tail":  # a careful attacker re-hashes everything after it too
            for i in range(p + 1, n):
                entries[i] = rehash(
                    dataclasses.replace(entries[i], prev_hash=entries[i - 1].entry_hash)
                )
    elif kind == "delete":
        del entries[p]
    elif kind == "insert":  # a forged entry slotted in; later rows renumbered to make room
        forged = rehash(dataclasses.replace(entries[p], reason="forged", entry_hash=""))
        entries = (
            entries[:p] + [forged] + [dataclasses.replace(e, seq=e.seq + 1) for e in entries[p:]]
        )
    else:  # swap: two rows exchange their seq values
        q = draw(st.integers(0, n - 1).filter(lambda q: q != p))
        a, b = entries[p], entries[q]
        entries[p], entries[q] = (
            dataclasses.replace(b, seq=a.seq),
            dataclasses.replace(a, seq=b.seq),
        )
        p = min(p, q)
    return entries, checkpoints, kind, p + 1


@settings(max_examples=300)
@given(tampered())
def test_any_tampering_is_detected_where_it_happened(
    case: tuple[list[AuditEntry], list[Checkpoint], str, int],
) -> None:
    entries, checkpoints, kind, first_bad = case
    problem = verify_chain(entries, checkpoints, KEY)
    assert problem is not None, kind
    if kind in ("edit", "delete", "swap"):
        assert problem.seq == first_bad, (kind, problem)
    else:  # a re-hashed entry is caught at the next link or the next signed checkpoint
        assert problem.seq >= first_bad, (kind, problem)


def test_the_kinds_are_named() -> None:
    entries = build_log(10, 3)
    checkpoints = sign(entries, 5)
    edited = list(entries)
    edited[3] = dataclasses.replace(edited[3], reason="nothing to see")
    assert verify_chain(edited, checkpoints, KEY).kind == "edited"  # type: ignore[union-attr]
    gap = entries[:3] + entries[4:]
    problem = verify_chain(gap, checkpoints, KEY)
    assert problem is not None and (problem.kind, problem.seq) == ("missing", 4)
    truncated = verify_chain(entries[:7], checkpoints, KEY)
    assert truncated is not None and (truncated.kind, truncated.seq) == ("truncated", 8)
    forged = [dataclasses.replace(checkpoints[0], signature="0" * 64), *checkpoints[1:]]
    assert verify_chain(entries, forged, KEY).kind == "forged_checkpoint"  # type: ignore[union-attr]
    assert verify_chain(entries, checkpoints, "another key").kind == "forged_checkpoint"  # type: ignore[union-attr]
