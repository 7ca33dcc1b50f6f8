"""What `audit verify` found, as sentences a data-protection officer can act on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain breaks and what kind of tampering that looks like."""

    seq: int
    #: edited, missing, duplicate, relinked, chain_broken, checkpoint, forged_checkpoint,
    #: checkpoint_missing, truncated, head_mismatch, forged_head, head_missing, head_unreadable
    kind: str
    message: str


def _n(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


#: One sentence per kind, in the order they are reported.
_SENTENCES: dict[str, Callable[[int], str]] = {
    "edited": lambda n: (
        f"{_n(n, 'entry was', 'entries were')} edited: the content no longer matches the hash."
    ),
    "missing": lambda n: f"{_n(n, 'entry is', 'entries are')} missing from inside the log.",
    "duplicate": lambda n: f"{_n(n, 'entry appears', 'entries appear')} twice or out of place.",
    "relinked": lambda n: f"{_n(n, 'entry was', 'entries were')} inserted or moved.",
    "chain_broken": lambda n: (
        f"{_n(n, 'link in the chain is', 'links in the chain are')} "
        "broken: an entry before each was edited and re-hashed, replaced or deleted."
    ),
    "checkpoint": lambda n: (
        f"{_n(n, 'signed checkpoint', 'signed checkpoints')} no longer "
        "match the log: it was rewritten and re-hashed up to them."
    ),
    "head_mismatch": lambda n: (
        "The signed head kept outside the database no longer matches the "
        "log: it was rewritten and re-hashed."
    ),
    "forged_checkpoint": lambda n: (
        f"{_n(n, 'checkpoint carries', 'checkpoints carry')} no "
        "valid signature: altered, or written without the secret key."
    ),
    "checkpoint_missing": lambda n: (
        f"{_n(n, 'gap was', 'gaps were')} found in the chain of "
        "signed checkpoints: checkpoint rows were deleted."
    ),
    "truncated": lambda n: (
        f"The log is {_n(n, 'entry', 'entries')} shorter than its latest "
        "signed checkpoint: its tail was deleted."
    ),
    "forged_head": lambda n: (
        "The signed head kept outside the database does not carry a valid "
        "signature: the file was altered, or the secret key changed."
    ),
    "head_missing": lambda n: (
        "The signed head kept outside the database is missing although the "
        "database holds chained checkpoints: the file was deleted or the data directory changed."
    ),
    "head_unreadable": lambda n: "The signed head kept outside the database cannot be read.",
}


def tamper_sentences(counts: Mapping[str, int]) -> list[str]:
    """One sentence per kind of tampering found, with its count."""
    return [_SENTENCES[kind](counts[kind]) for kind in _SENTENCES if counts.get(kind)]
