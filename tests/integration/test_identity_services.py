"""Re-linking through the repository port: references kept, reviewers obeyed, pairs explained."""

from __future__ import annotations

import json

import pytest

from safeguard.analytics.linkage_engine import LinkageEngine
from safeguard.domain.identity import ReviewDecision
from safeguard.domain.records import PROTECTED_FIELDS
from safeguard.identity.explain import explain_pair, explain_reference
from safeguard.identity.ports import InMemoryIdentityRepository
from safeguard.identity.resolve import decide
from safeguard.identity.service import relink
from tests.noisy_records import noisy_children


@pytest.fixture(scope="module")
def linked() -> tuple[InMemoryIdentityRepository, LinkageEngine]:
    data = noisy_children(120, seed=11, nhs_rate=0.3)
    repo = InMemoryIdentityRepository(data.records)
    engine = LinkageEngine()
    relink(repo, engine)
    return repo, engine


def largest_cluster(
    repo: InMemoryIdentityRepository, avoid: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    by_ref: dict[str, list[str]] = {}
    for record_id, ref in repo.assignment.items():
        by_ref.setdefault(ref, []).append(record_id)
    clean = [members for members in by_ref.values() if not avoid & set(members)]
    return sorted(max(clean, key=len))


def test_relink_keeps_references_and_obeys_reviewers(
    linked: tuple[InMemoryIdentityRepository, LinkageEngine],
) -> None:
    repo, _ = linked
    assert repo.load_model() is not None and repo.load_model(1) is not None
    first = repo.load_assignments()
    members = largest_cluster(repo)
    ref = first[members[0]]
    other_ref = next(r for r in first.values() if r != ref)
    other = next(r for r, x in first.items() if x == other_ref)

    # A reviewer splits one record out and joins another in.
    repo.add_decision(ReviewDecision(members[0], members[1], "not_same", "twins", "rev"))
    repo.add_decision(ReviewDecision(members[1], other, "same", "same GP record", "rev"))
    relink(repo, LinkageEngine())
    second = repo.load_assignments()
    assert second[members[0]] != second[members[1]]
    assert second[members[1]] == second[other]
    assert len(repo.models) == 2
    # Every earlier reference still names a child (itself or the survivor of a merge).
    live = set(second.values())
    assert all(repo.resolve(r) in live for r in first.values())
    assert any(e.kind in {"merge", "split"} for e in repo.load_events())
    unchanged = [r for r in first if r not in set(members) | {other}]
    kept = sum(first[r] == second[r] for r in unchanged)
    assert kept / len(unchanged) > 0.95


def test_trained_model_json_has_no_protected_fields(
    linked: tuple[InMemoryIdentityRepository, LinkageEngine],
) -> None:
    repo, _ = linked
    saved = repo.load_model()
    assert saved is not None
    text = saved.model_json.lower()
    assert json.loads(saved.model_json)["comparisons"]
    assert not [f for f in PROTECTED_FIELDS if f in text]


def test_explanations_add_up(linked: tuple[InMemoryIdentityRepository, LinkageEngine]) -> None:
    repo, engine = linked
    members = largest_cluster(repo)
    pair = explain_pair(engine, members[0], members[1])
    names = [c["comparison"] for c in pair["comparisons"]]
    assert names[:3] == ["first_name", "middle_name", "surname"] and "nhs_number" in names
    total = pair["prior_match_weight"] + sum(
        c["match_weight"] + c["term_frequency_adjustment"] for c in pair["comparisons"]
    )
    assert total == pytest.approx(pair["match_weight"], abs=1e-3)
    ref = repo.assignment[members[0]]
    whole = explain_reference(engine, repo.assignment, ref)
    assert len(whole["pairs"]) == len(whole["records"]) * (len(whole["records"]) - 1) // 2


def test_a_new_copy_of_a_known_record_joins_its_child(
    linked: tuple[InMemoryIdentityRepository, LinkageEngine],
) -> None:
    repo, engine = linked
    engine.enable_realtime()
    # A child no reviewer has split or joined (an earlier test in this module records both).
    decided = {r for d in repo.load_decisions() for r in (d.record_id_l, d.record_id_r)}
    members = largest_cluster(repo, avoid=decided)
    record = repo.records.set_index("record_id").loc[members[0]].to_dict()
    scores = engine.score_new_record({**record, "record_id": "new-1"})
    outcome = decide("new-1", scores, repo.assignment, repo.next_child_ref)
    assert outcome.decision == "join"
    assert outcome.child_ref == repo.assignment[members[0]]


def test_compiled_scorer_gives_splinks_weights(
    linked: tuple[InMemoryIdentityRepository, LinkageEngine],
) -> None:
    repo, engine = linked
    engine.enable_realtime()
    for record_id in largest_cluster(repo)[:2]:
        record = repo.records.set_index("record_id").loc[record_id].to_dict()
        record = {**record, "record_id": f"new-{record_id}", "first_name": "Jon"}
        splink = engine.score_new_record(record).set_index("record_id_l").sort_index()
        fast = engine.score_new_record_fast(record).set_index("record_id_l").sort_index()
        assert list(fast.index) == list(splink.index)
        diff = (fast["match_weight"] - splink["match_weight"]).abs().max()
        assert diff < 1e-6
        for column in [c for c in splink.columns if c.startswith("gamma_")]:
            assert (fast[column] == splink[column]).all(), column
