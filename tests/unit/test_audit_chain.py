"""The audit chain: an untampered log always verifies; any edit, deletion, insertion or
reordering is always detected, and the first broken seq is named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    Checkpoint,
    SignedHead,
    checkpoint_signature,
)
from safeguard.sharing.audit_chain import verify_chain

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


def chain_signed(entries: list[AuditEntry], every: int) -> list[Checkpoint]:
    """Chained checkpoints as the store now signs them: each signs the one before it."""
    marks = sorted({e.seq for e in entries if e.seq % every == 0} | {entries[-1].seq})
    signed, previous = [], ""
    for seq in marks:
        e = entries[seq - 1]
        signature = checkpoint_signature(KEY, seq, e.entry_hash, previous)
        signed.append(Checkpoint(seq, e.entry_hash, signature, previous))
        previous = signature
    return signed


@given(st.integers(4, 40), st.integers(0, 1000), st.integers(1, 3), st.data())
def test_deleting_any_chained_checkpoint_is_detected_with_the_head(
    n: int, seed: int, every: int, data: st.DataObject
) -> None:
    entries = build_log(n, seed)
    signed = chain_signed(entries, every)
    last = signed[-1]
    head = SignedHead(last.seq, last.entry_hash, last.signature, last.previous or "")
    assert verify_chain(entries, signed, KEY, head) is None
    gone = data.draw(st.integers(0, len(signed) - 1))
    problem = verify_chain(entries, signed[:gone] + signed[gone + 1 :], KEY, head)
    assert problem is not None and problem.kind == "checkpoint_missing"


def test_legacy_checkpoints_verify_only_before_the_chained_ones() -> None:
    entries = build_log(12, 1)
    legacy = sign(entries[:6], 3)  # 3 and 6: unchained, signed before migration 0019
    nine = entries[8].entry_hash
    first = Checkpoint(9, nine, checkpoint_signature(KEY, 9, nine, legacy[-1].signature),
                       legacy[-1].signature)  # fmt: skip
    assert verify_chain(entries, [*legacy, first], KEY) is None
    late_legacy = sign(entries, 12)[-1]  # unchained, after a chained one: not accepted
    assert late_legacy.seq == 12
    problem = verify_chain(entries, [*legacy, first, late_legacy], KEY)
    assert problem is not None and (problem.kind, problem.seq) == ("forged_checkpoint", 12)
