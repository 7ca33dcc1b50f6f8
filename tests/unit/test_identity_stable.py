"""References survive re-links: merges and splits are events, never silent renumbering."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.domain.child_ref import format_child_ref, is_valid_child_ref
from safeguard.identity.stable import reassign, resolve_ref


class Issuer:
    def __init__(self, start: int = 0) -> None:
        self.serials = itertools.count(start + 1)

    def __call__(self) -> str:
        return format_child_ref(next(self.serials))


def test_first_link_issues_one_reference_per_cluster() -> None:
    out = reassign({}, {"a": 1, "b": 1, "c": 2}, Issuer())
    assert out.assignment["a"] == out.assignment["b"] != out.assignment["c"]
    assert out.events == [] and len(out.issued) == 2


def test_unchanged_clustering_keeps_every_reference() -> None:
    first = reassign({}, {"a": 1, "b": 1, "c": 2}, Issuer())
    again = reassign(first.assignment, {"a": "x", "b": "x", "c": "y"}, Issuer(10))
    assert again.assignment == first.assignment and again.issued == [] and again.events == []


def test_merge_keeps_the_majority_reference_and_records_an_event() -> None:
    r1, r2 = format_child_ref(1), format_child_ref(2)
    previous = {"a": r1, "b": r2, "c": r2}
    out = reassign(previous, {"a": 0, "b": 0, "c": 0}, Issuer(2))
    assert set(out.assignment.values()) == {r2}
    assert out.aliases == {r1: r2}
    [event] = out.events
    assert event.kind == "merge" and event.ref == r1 and event.into == r2
    assert event.evidence["records_by_new_ref"] == {r2: ["a"]}


def test_merge_tie_keeps_the_oldest_reference() -> None:
    r1, r2 = format_child_ref(1), format_child_ref(2)
    out = reassign({"a": r2, "b": r1}, {"a": 0, "b": 0}, Issuer(2))
    assert set(out.assignment.values()) == {r1} and out.aliases == {r2: r1}


def test_split_gives_the_largest_part_the_old_reference() -> None:
    r1 = format_child_ref(1)
    previous = {"a": r1, "b": r1, "c": r1}
    out = reassign(previous, {"a": 0, "b": 0, "c": 1}, Issuer(1))
    assert out.assignment["a"] == out.assignment["b"] == r1
    assert out.assignment["c"] == out.issued[0] != r1
    [event] = out.events
    assert event.kind == "split" and event.ref == r1 and event.new_refs == (out.issued[0],)


def test_aliases_resolve_through_chains() -> None:
    assert resolve_ref("a", {"a": "b", "b": "c"}) == "c"
    assert resolve_ref("z", {"a": "b"}) == "z"


@st.composite
def relink_runs(draw: st.DrawFn) -> list[list[int]]:
    """The same records clustered differently on two to four successive re-links."""
    n = draw(st.integers(min_value=1, max_value=25))
    labels = st.lists(st.integers(min_value=0, max_value=5), min_size=n, max_size=n)
    return draw(st.lists(labels, min_size=2, max_size=4))


@settings(max_examples=200, deadline=None)
@given(relink_runs())
def test_relinks_never_lose_or_reuse_a_reference(runs: list[list[int]]) -> None:
    issue = Issuer()
    assignment: dict[str, str] = {}
    aliases: dict[str, str] = {}
    ever: set[str] = set()
    for labels in runs:
        clusters = {f"r{i}": label for i, label in enumerate(labels)}
        out = reassign(assignment, clusters, issue, aliases)
        live = set(out.assignment.values())
        assert not set(out.issued) & ever, "a reference was issued twice"
        assert all(is_valid_child_ref(ref) for ref in live)
        assert len(live) == len(set(clusters.values()))
        aliases.update(out.aliases)
        ever |= live
        # Every reference ever issued still names a child, directly or through merges.
        assert all(resolve_ref(ref, aliases) in live for ref in ever)
        # A cluster with exactly the same records as before keeps its reference.
        for key in set(labels):
            members = {r for r, k in clusters.items() if k == key}
            olds = {assignment.get(r) for r in members}
            if len(olds) == 1 and None not in olds:
                before = {r for r, ref in assignment.items() if ref in olds}
                if before == members:
                    assert {out.assignment[r] for r in members} == olds
        assignment = out.assignment
