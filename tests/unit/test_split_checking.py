"""A large file checked on two cores gives exactly what one process gives: the same records,
content hashes and row errors (same wording, same order), bad rows in either half and a local
id used in both halves included."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from benchmarks.ingest import make_files

from safeguard.domain.codes import load_code_lists
from safeguard.ingest.checking import RowChecker, check_rows
from safeguard.ingest.feeds import parse_feed
from safeguard.ingest.service import _dedupe

CODES = load_code_lists()
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
POLICE = "POLICE-E23000011"
ROWS = 400


def _spoil(content: bytes, seed: int) -> bytes:
    """Bad rows scattered over both halves, and the first half's local ids reused (some with
    the same content, some changed) in the second."""
    rng = random.Random(seed)
    lines = content.decode().splitlines()
    header, body = lines[0], lines[1:]
    for at in rng.sample(range(len(body)), 12):
        cells = body[at].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(["", "nope", "2099-01-01", "boss:P1", "ZZZ"])
        body[at] = ",".join(cells)
    for _ in range(6):
        early, late = rng.randrange(len(body) // 2), rng.randrange(len(body) // 2, len(body))
        same = body[early]
        cells = same.split(",")
        cells[2] = cells[2] if rng.random() < 0.5 else "2011-11-11"
        body[late] = ",".join(cells)
    return "\n".join([header, *body, ""]).encode()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", ["persons", "events"])
def test_two_processes_check_as_one(kind: str, seed: int) -> None:
    people, events = make_files(ROWS, seed=seed)
    feed = parse_feed(_spoil(people if kind == "persons" else events, seed), "csv")
    checker = RowChecker(kind, POLICE, "police", CODES, NOW, feed.storable)
    alone = check_rows(feed.rows, checker, split_above=10**9)
    split = check_rows(feed.rows, checker, split_above=10)
    assert split.records == alone.records
    assert split.hashes == alone.hashes == [rec.content_hash() for _, rec in alone.records]
    assert split.errors == alone.errors
    assert {e.row for e in alone.errors} & set(range(1, ROWS // 2))
    assert {e.row for e in alone.errors} & set(range(ROWS // 2 + 2, ROWS + 1))
    alone_errors, split_errors = list(alone.errors), list(split.errors)
    assert _dedupe(split.records, split.hashes, split_errors) == _dedupe(
        alone.records, alone.hashes, alone_errors
    )
    assert split_errors == alone_errors
    assert any("also used on row" in e.message for e in alone_errors)


def test_a_failed_worker_leaves_its_half_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import safeguard.ingest.checking as checking

    people, _ = make_files(50)
    feed = parse_feed(people, "csv")
    checker = RowChecker("persons", POLICE, "police", CODES, NOW, feed.storable)
    monkeypatch.setattr(checking, "_check_half", lambda *args: None)  # sends nothing
    assert check_rows(feed.rows, checker, split_above=10) == checker(feed.rows)
