"""Stable child references across re-links: a reference is issued once and never silently changes.

Given the previous assignment (record → reference) and a new clustering (record → cluster key),
``reassign`` produces the new assignment. Every earlier reference either still names a cluster or
was merged into one and resolves to it; each merge and split is recorded as an event with its
evidence, so nobody is renumbered without trace.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from safeguard.domain.child_ref import child_ref_serial
from safeguard.domain.identity import ReferenceEvent


@dataclass(frozen=True)
class Reassignment:
    """The outcome of one re-link: the new assignment, the events and new aliases."""

    assignment: dict[str, str]
    events: list[ReferenceEvent]
    aliases: dict[str, str]
    issued: list[str]


def resolve_ref(ref: str, aliases: Mapping[str, str]) -> str:
    """Follow merge aliases (old → survivor) to the reference that is live now."""
    seen = {ref}
    while ref in aliases:
        ref = aliases[ref]
        if ref in seen:
            raise ValueError(f"alias cycle at {ref}")
        seen.add(ref)
    return ref


def reassign(
    previous: Mapping[str, str],
    clusters: Mapping[str, Hashable],
    issue: Callable[[], str],
    aliases: Mapping[str, str] | None = None,
) -> Reassignment:
    """Carry references over to a new clustering, issuing new ones only for new children.

    A cluster inherits the reference held by most of its records (ties: the oldest reference).
    When one old reference is wanted by several clusters (a split), the cluster holding most of
    its records keeps it and the others take their next choice or a new reference. A reference
    held by no cluster afterwards was merged: it resolves to where most of its records went.
    """
    aliases = dict(aliases or {})
    members: dict[Hashable, list[str]] = defaultdict(list)
    for record_id, key in clusters.items():
        members[key].append(record_id)
    holders: dict[str, Counter[Hashable]] = defaultdict(Counter)
    wants: dict[Hashable, list[tuple[int, int, str]]] = {}
    for key, records in members.items():
        counts = Counter(resolve_ref(previous[r], aliases) for r in records if r in previous)
        for ref, n in counts.items():
            holders[ref][key] = n
        wants[key] = sorted((-n, child_ref_serial(ref), ref) for ref, n in counts.items())

    # Largest claims first, so the biggest part of a split keeps the reference.
    claims = sorted(
        (neg, serial, ref, _key_order(key), key)
        for key, prefs in wants.items()
        for neg, serial, ref in prefs
    )
    owner: dict[str, Hashable] = {}
    chosen: dict[Hashable, str] = {}
    for _neg, _serial, ref, _order, key in claims:
        if key in chosen or ref in owner:
            continue
        owner[ref] = key
        chosen[key] = ref
    issued: list[str] = []
    for key in sorted(members, key=_key_order):
        if key not in chosen:
            chosen[key] = issue()
            issued.append(chosen[key])

    assignment = {r: chosen[key] for key, records in members.items() for r in records}
    events: list[ReferenceEvent] = []
    new_aliases: dict[str, str] = {}
    for ref, by_cluster in sorted(holders.items()):
        targets = {chosen[key] for key in by_cluster}
        if ref not in owner:
            key = max(by_cluster, key=lambda k: (by_cluster[k], -_serial_of(chosen[k])))
            survivor = chosen[key]
            new_aliases[ref] = survivor
            events.append(
                ReferenceEvent(
                    "merge", ref, survivor, (), _evidence(ref, previous, aliases, assignment)
                )
            )
        elif len(targets) > 1:
            others = tuple(sorted(t for t in targets if t != ref))
            events.append(
                ReferenceEvent(
                    "split", ref, None, others, _evidence(ref, previous, aliases, assignment)
                )
            )
    return Reassignment(assignment, events, new_aliases, issued)


def _evidence(
    ref: str, previous: Mapping[str, str], aliases: Mapping[str, str], assignment: Mapping[str, str]
) -> dict[str, object]:
    moved: dict[str, list[str]] = defaultdict(list)
    for record_id, old in previous.items():
        if resolve_ref(old, aliases) == ref and record_id in assignment:
            moved[assignment[record_id]].append(record_id)
    return {"records_by_new_ref": {k: sorted(v) for k, v in sorted(moved.items())}}


def _serial_of(ref: str) -> int:
    return child_ref_serial(ref)


def _key_order(key: Hashable) -> str:
    return f"{type(key).__name__}:{key}"
