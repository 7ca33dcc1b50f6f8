"""Verifying the audit log's hash chain, its chained signed checkpoints and the signed head kept
outside the database. Pure: entries are fed in ``seq`` order in batches, so a log of millions is
checked in constant memory (except the set of recent hashes used to tell a reordering from a
deletion). Verification goes on past a break, so every kind of tampering is counted."""

from __future__ import annotations

import hmac
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping

from safeguard.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    Checkpoint,
    SignedHead,
    checkpoint_signature,
)
from safeguard.sharing.audit_findings import ChainProblem

#: How many recent hashes are remembered to recognise an entry that was moved.
_RECENT = 100_000
#: Problems kept with their detail (all are counted).
_KEEP = 1000

__all__ = ["ChainProblem", "ChainVerifier", "verify_chain"]


class ChainVerifier:
    def __init__(
        self,
        checkpoints: Iterable[Checkpoint],
        key: str,
        head: SignedHead | None = None,
    ) -> None:
        self.checkpoints: Mapping[int, Checkpoint] = {c.seq: c for c in checkpoints}
        self.key = key
        self.head = head
        self.last_seq = 0
        self.last_hash = GENESIS_HASH
        self.checked = 0
        self.problems: list[ChainProblem] = []
        self.counts: Counter[str] = Counter()
        # OrderedDict: popping a plain dict's oldest key rescans its deleted slots each time.
        self._recent: OrderedDict[str, int] = OrderedDict()
        self._check_checkpoints()
        self._check_head()

    @property
    def problem(self) -> ChainProblem | None:
        """The first problem found (the lowest place in the log where it breaks)."""
        return min(self.problems, key=lambda p: p.seq) if self.problems else None

    def _found(self, seq: int, kind: str, message: str, count: int = 1) -> None:
        self.counts[kind] += count
        if len(self.problems) < _KEEP:
            self.problems.append(ChainProblem(seq, kind, message))

    def _check_checkpoints(self) -> None:
        """Each checkpoint's signature, and that each signs the one before it."""
        prior, chained = "", False
        for seq in sorted(self.checkpoints):
            c = self.checkpoints[seq]
            expected = checkpoint_signature(self.key, c.seq, c.entry_hash, c.previous)
            if not hmac.compare_digest(expected, c.signature) or (c.previous is None and chained):
                self._found(
                    seq,
                    "forged_checkpoint",
                    f"the checkpoint at seq {seq} does not carry a valid signature: it was "
                    "altered or written without the secret key",
                )
            elif c.previous is not None and c.previous != prior:
                self._found(
                    seq,
                    "checkpoint_missing",
                    f"the checkpoint at seq {seq} signs a previous checkpoint that is no longer "
                    "in the database: signed checkpoints before it were deleted",
                )
            chained = chained or c.previous is not None
            prior = c.signature

    def _check_head(self) -> None:
        head = self.head
        if head is None:
            return
        if not head.valid(self.key):
            self._found(
                head.seq,
                "forged_head",
                f"the signed head kept outside the database (seq {head.seq}) does not carry a "
                "valid signature: the file was altered or the secret key changed",
            )
            self.head = None  # what it says cannot be trusted to compare the log with
            return
        row = self.checkpoints.get(head.seq)
        if row is None or row.signature != head.signature:
            self._found(
                head.seq,
                "checkpoint_missing",
                f"the latest signed checkpoint (seq {head.seq}, kept outside the database) is "
                "not in the database: checkpoint rows were deleted or replaced",
            )

    def feed(self, entries: Iterable[AuditEntry]) -> ChainProblem | None:
        """Check the next entries (in the order the store returns them, by seq)."""
        for e in entries:
            if self._check(e):
                self._remember(e)
        return self.problem

    def finish(self) -> ChainProblem | None:
        """After the last entry: a signed checkpoint or head beyond it means the tail was cut."""
        ends = [s for s in self.checkpoints if s > self.last_seq]
        if self.head is not None and self.head.seq > self.last_seq:
            ends.append(self.head.seq)
        if ends:
            self._found(
                self.last_seq + 1,
                "truncated",
                f"the log ends at seq {self.last_seq} but a signed checkpoint exists for "
                f"seq {max(ends)}: entries after seq {self.last_seq} were deleted",
                count=max(ends) - self.last_seq,
            )
        return self.problem

    def _check(self, e: AuditEntry) -> bool:
        """Record what is wrong with ``e``; False when it is to be skipped (a repeat)."""
        expected = self.last_seq + 1
        if e.seq < expected:
            self._found(
                e.seq,
                "duplicate",
                f"seq {e.seq} appears again after seq {self.last_seq}: "
                "an entry was duplicated or moved",
            )
            return False
        if e.seq > expected:
            gap = f"seq {expected}" if e.seq == expected + 1 else f"seqs {expected}-{e.seq - 1}"
            self._found(
                expected, "missing", f"{gap} missing: entries were deleted", e.seq - expected
            )
        elif e.prev_hash != self.last_hash:
            if e.prev_hash in self._recent:
                self._found(
                    e.seq,
                    "relinked",
                    f"seq {e.seq} was written after seq {self._recent[e.prev_hash]}, not after "
                    f"seq {self.last_seq}: an entry was inserted before it or the order changed",
                )
            else:
                self._found(
                    e.seq,
                    "chain_broken",
                    f"seq {e.seq} does not follow seq {self.last_seq}: an entry before it was "
                    "edited and re-hashed, replaced, moved or deleted and the rest renumbered",
                )
        if e.computed_hash() != e.entry_hash:
            self._found(
                e.seq, "edited", f"seq {e.seq} was edited: its content no longer matches its hash"
            )
        checkpoint = self.checkpoints.get(e.seq)
        if checkpoint is not None and checkpoint.entry_hash != e.entry_hash:
            self._found(
                e.seq,
                "checkpoint",
                f"seq {e.seq} differs from the signed checkpoint: the log up to it was rewritten",
            )
        head = self.head
        if head is not None and head.seq == e.seq and head.entry_hash != e.entry_hash:
            self._found(
                e.seq,
                "head_mismatch",
                f"seq {e.seq} differs from the signed head kept outside the database: the log "
                "up to it was rewritten",
            )
        return True

    def _remember(self, e: AuditEntry) -> None:
        self.last_seq, self.last_hash = e.seq, e.entry_hash
        self.checked += 1
        self._recent[e.entry_hash] = e.seq
        if len(self._recent) > _RECENT:
            self._recent.popitem(last=False)


def verify_chain(
    entries: Iterable[AuditEntry],
    checkpoints: Iterable[Checkpoint] = (),
    key: str = "",
    head: SignedHead | None = None,
) -> ChainProblem | None:
    """The first problem in a whole log, or None when it is intact."""
    verifier = ChainVerifier(checkpoints, key, head)
    verifier.feed(entries)
    return verifier.finish()
