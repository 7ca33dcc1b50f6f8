"""Verifying the audit log's hash chain and its signed checkpoints. Pure: entries are fed in
``seq`` order in batches, so a log of millions is checked in constant memory (except the set of
recent hashes used to tell a reordering from a deletion)."""

from __future__ import annotations

import hmac
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safeguard.domain.audit import GENESIS_HASH, AuditEntry, checkpoint_signature

#: How many recent hashes are remembered to recognise an entry that was moved.
_RECENT = 100_000


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain first breaks and what kind of tampering that looks like."""

    seq: int
    #: edited, missing, duplicate, relinked, chain_broken, checkpoint, forged_checkpoint, truncated
    kind: str
    message: str


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    entry_hash: str
    signature: str


class ChainVerifier:
    def __init__(self, checkpoints: Iterable[Checkpoint], key: str) -> None:
        self.checkpoints: Mapping[int, Checkpoint] = {c.seq: c for c in checkpoints}
        self.key = key
        self.last_seq = 0
        self.last_hash = GENESIS_HASH
        self.checked = 0
        # OrderedDict: popping a plain dict's oldest key rescans its deleted slots each time.
        self._recent: OrderedDict[str, int] = OrderedDict()
        self.problem: ChainProblem | None = self._forged()

    def _forged(self) -> ChainProblem | None:
        for seq in sorted(self.checkpoints):
            c = self.checkpoints[seq]
            expected = checkpoint_signature(self.key, c.seq, c.entry_hash)
            if not hmac.compare_digest(expected, c.signature):
                return ChainProblem(
                    seq,
                    "forged_checkpoint",
                    f"the checkpoint at seq {seq} does not carry a valid signature: it was "
                    "altered or written without the secret key",
                )
        return None

    def feed(self, entries: Iterable[AuditEntry]) -> ChainProblem | None:
        """Check the next entries (in the order the store returns them, by seq)."""
        if self.problem is not None:
            return self.problem
        for e in entries:
            problem = self._check(e)
            if problem is not None:
                self.problem = problem
                return problem
            self._remember(e)
        return None

    def finish(self) -> ChainProblem | None:
        """After the last entry: a signed checkpoint beyond it means the tail was removed."""
        if self.problem is None:
            beyond = [s for s in self.checkpoints if s > self.last_seq]
            if beyond:
                self.problem = ChainProblem(
                    self.last_seq + 1,
                    "truncated",
                    f"the log ends at seq {self.last_seq} but a signed checkpoint exists for "
                    f"seq {max(beyond)}: entries after seq {self.last_seq} were deleted",
                )
        return self.problem

    def _check(self, e: AuditEntry) -> ChainProblem | None:
        expected = self.last_seq + 1
        if e.seq < expected:
            return ChainProblem(
                e.seq,
                "duplicate",
                f"seq {e.seq} appears again after seq {self.last_seq}: "
                "an entry was duplicated or moved",
            )
        if e.seq > expected:
            gap = f"seq {expected}" if e.seq == expected + 1 else f"seqs {expected}-{e.seq - 1}"
            return ChainProblem(expected, "missing", f"{gap} missing: entries were deleted")
        if e.prev_hash != self.last_hash:
            if e.prev_hash in self._recent:
                return ChainProblem(
                    e.seq,
                    "relinked",
                    f"seq {e.seq} was written after seq {self._recent[e.prev_hash]}, not after "
                    f"seq {self.last_seq}: an entry was inserted before it or the order changed",
                )
            return ChainProblem(
                e.seq,
                "chain_broken",
                f"seq {e.seq} does not follow seq {self.last_seq}: an entry before it was "
                "edited and re-hashed, replaced, moved or deleted and the rest renumbered",
            )
        if e.computed_hash() != e.entry_hash:
            return ChainProblem(
                e.seq, "edited", f"seq {e.seq} was edited: its content no longer matches its hash"
            )
        checkpoint = self.checkpoints.get(e.seq)
        if checkpoint is not None and checkpoint.entry_hash != e.entry_hash:
            return ChainProblem(
                e.seq,
                "checkpoint",
                f"seq {e.seq} differs from the signed checkpoint: the log up to it was rewritten",
            )
        return None

    def _remember(self, e: AuditEntry) -> None:
        self.last_seq, self.last_hash = e.seq, e.entry_hash
        self.checked += 1
        self._recent[e.entry_hash] = e.seq
        if len(self._recent) > _RECENT:
            self._recent.popitem(last=False)


def verify_chain(
    entries: Iterable[AuditEntry], checkpoints: Iterable[Checkpoint] = (), key: str = ""
) -> ChainProblem | None:
    """The first problem in a whole log, or None when it is intact."""
    verifier = ChainVerifier(checkpoints, key)
    verifier.feed(entries)
    return verifier.finish()
