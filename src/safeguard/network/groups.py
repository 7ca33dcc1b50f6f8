"""Candidate offending groups: the suspect projection of the POLE graph, Leiden, evidence rule.

Two suspects are linked when they were named in the same event (co-offending) or are each tied,
within a time window, to the same victim, object or location (rules in
data/network_rules.yaml). Links are weighted by their evidence; communities come from igraph's
Leiden (CPM on link weights); a community is reported only if it passes the minimum-evidence rule.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

import igraph as ig
import numpy as np
import pandas as pd

from safeguard.network.graph import IntArray, PoleGraph
from safeguard.network.rules import LINK_KINDS, NetworkRules

#: Feature names the projection and the groups are built from (tests check none is protected).
LINK_FEATURES = ("person", "item", "day", "event", "kind", "weight")


@dataclass(frozen=True)
class Group:
    """A candidate group: members and victims as person codes, with its evidence counts."""

    group_id: str
    members: tuple[int, ...]
    victims: tuple[int, ...]
    evidence_items: int
    sexual_offence_members: int
    links: int
    weight: float


@dataclass
class GroupResult:
    groups: list[Group]
    suspects: int
    linked_pairs: int
    community_of: dict[int, int] = field(default_factory=dict)


def _codes(g: PoleGraph, vocab_keys: object, wanted: frozenset[str]) -> IntArray:
    keys = np.asarray(vocab_keys, dtype=object)
    return np.flatnonzero(np.isin(keys, list(wanted))).astype(np.int64)


def offender_side(g: PoleGraph, rules: NetworkRules) -> np.ndarray:
    """Mask over person-in-event rows: is this person on the offending side of the event?"""
    roles = g.roles.keys()
    off = np.isin(g.p_role, _codes(g, roles, rules.offender_roles))
    for role, event_types in rules.offender_roles_in_events.items():
        in_role = np.isin(g.p_role, _codes(g, roles, frozenset({role})))
        types = _codes(g, g.event_types.keys(), event_types)
        off |= in_role & np.isin(g.ev_type[g.p_event], types)
    return np.asarray(off)


def victim_side(g: PoleGraph, rules: NetworkRules, off: np.ndarray) -> np.ndarray:
    return np.asarray(np.isin(g.p_role, _codes(g, g.roles.keys(), rules.victim_roles)) & ~off)


def offending_frames(
    g: PoleGraph, rules: NetworkRules, persons: IntArray | None = None
) -> dict[str, pd.DataFrame]:
    """Per link kind, rows (person, item, day, event) tying an offender-side person to an item.

    ``persons`` restricts the offenders (for a group's evidence); None means everyone.
    """
    off = offender_side(g, rules)
    if persons is not None:
        off &= np.isin(g.p_person, persons)
    vic = victim_side(g, rules, off)
    offenders = pd.DataFrame({"person": g.p_person[off], "event": g.p_event[off]})
    offenders["day"] = g.ev_day[offenders["event"].to_numpy()]
    victims = pd.DataFrame({"item": g.p_person[vic], "event": g.p_event[vic]})
    objects = pd.DataFrame({"item": g.o_object, "event": g.o_event})
    co = offenders.assign(item=offenders["event"])
    vpairs = offenders.merge(victims, on="event")
    vpairs = vpairs[vpairs["person"] != vpairs["item"]]
    opairs = offenders.merge(objects, on="event")
    loc = g.ev_location[offenders["event"].to_numpy()]
    lpairs = offenders.assign(item=loc)[loc >= 0]
    cols = ["person", "item", "day", "event"]
    return {
        "co_offending": co[cols],
        "shared_victim": vpairs[cols],
        "shared_object": opairs[cols],
        "shared_location": lpairs[cols],
    }


def _pairs(frame: pd.DataFrame, kind: str, rules: NetworkRules) -> pd.DataFrame:
    """Suspect pairs sharing an item within the kind's window, hubs left out."""
    if frame.empty:
        return pd.DataFrame({"a": [], "b": [], "kind": [], "item": []})
    spans = frame.groupby(["item", "person"], sort=False)["day"].agg(["min", "max"]).reset_index()
    size = spans.groupby("item")["person"].transform("size")
    spans = spans[(size >= 2) & (size <= rules.hub_limit)]
    both = spans.merge(spans, on="item", suffixes=("_a", "_b"))
    both = both[both["person_a"] < both["person_b"]]
    gap = np.maximum(both["min_a"], both["min_b"]) - np.minimum(both["max_a"], both["max_b"])
    both = both[gap <= rules.links[kind].window_days]
    return pd.DataFrame(
        {"a": both["person_a"], "b": both["person_b"], "kind": kind, "item": both["item"]}
    )


def suspect_links(
    g: PoleGraph, rules: NetworkRules, persons: IntArray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evidence items (a, b, kind, item) and weighted pairs (a, b, weight, items) that pass."""
    frames = offending_frames(g, rules, persons)
    items = pd.concat([_pairs(frames[k], k, rules) for k in LINK_KINDS], ignore_index=True)
    items = items.drop_duplicates(["a", "b", "kind", "item"])
    if items.empty:
        empty = pd.DataFrame({"a": [], "b": [], "weight": [], "items": []})
        return items, empty
    per_kind = items.groupby(["a", "b", "kind"]).size().rename("n").reset_index()
    weights = per_kind["kind"].map({k: r.weight for k, r in rules.links.items()})
    per_kind["w"] = weights * np.minimum(per_kind["n"], rules.max_items_per_kind)
    pairs = per_kind.groupby(["a", "b"]).agg(weight=("w", "sum"), items=("n", "sum"))
    pairs = pairs[pairs["weight"] >= rules.min_link_weight - 1e-9].reset_index()
    kept = items.merge(pairs[["a", "b"]], on=["a", "b"])
    return kept, pairs


def sexual_offence_suspects(g: PoleGraph, rules: NetworkRules) -> IntArray:
    """People named on the offending side of a crime whose offence is a sexual offence."""
    sexual = _codes(g, g.offences.keys(), frozenset(rules.harm_days))
    off = offender_side(g, rules)
    rows = off & np.isin(g.ev_offence[g.p_event], sexual)
    return np.unique(g.p_person[rows])


def _leiden(n: int, edges: np.ndarray, weights: np.ndarray, rules: NetworkRules) -> list[int]:
    graph = ig.Graph(n=n, edges=list(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), strict=True)))
    graph.es["weight"] = weights.tolist()
    ig.set_random_number_generator(random.Random(rules.leiden_seed))
    try:
        parts = graph.community_leiden(
            objective_function=rules.leiden_objective,
            weights="weight",
            resolution=rules.leiden_resolution,
            n_iterations=rules.leiden_iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    return list(parts.membership)


def group_id(person_keys: list[str]) -> str:
    """A short id from the sorted member ids: the same members give the same id."""
    digest = hashlib.sha256("\x1f".join(sorted(person_keys)).encode()).hexdigest()
    return f"G{digest[:8].upper()}"


def find_groups(g: PoleGraph, rules: NetworkRules) -> GroupResult:
    """Candidate groups of the whole graph, largest evidence first."""
    items, pairs = suspect_links(g, rules)
    suspects = int(len(np.unique(g.p_person[offender_side(g, rules)])))
    if pairs.empty:
        return GroupResult([], suspects, 0)
    nodes = np.unique(np.concatenate([pairs["a"].to_numpy(), pairs["b"].to_numpy()]))
    local = np.column_stack(
        [
            np.searchsorted(nodes, pairs["a"].to_numpy()),
            np.searchsorted(nodes, pairs["b"].to_numpy()),
        ]
    )
    membership = np.asarray(_leiden(len(nodes), local, pairs["weight"].to_numpy(), rules))
    comm = pd.Series(membership, index=nodes)
    items = items.assign(ca=comm.loc[items["a"]].to_numpy(), cb=comm.loc[items["b"]].to_numpy())
    inside = items[items["ca"] == items["cb"]]
    evidence = inside.drop_duplicates(["ca", "kind", "item"]).groupby("ca").size()
    pairs = pairs.assign(ca=comm.loc[pairs["a"]].to_numpy(), cb=comm.loc[pairs["b"]].to_numpy())
    inner_pairs = pairs[pairs["ca"] == pairs["cb"]]
    link_count = inner_pairs.groupby("ca").size()
    link_weight = inner_pairs.groupby("ca")["weight"].sum()
    sexual = set(sexual_offence_suspects(g, rules).tolist())
    victims = _victims_by_community(g, rules, comm)
    keys = g.persons.keys()
    groups: list[Group] = []
    by_community: dict[int, list[int]] = {}
    for node, community in zip(nodes.tolist(), membership.tolist(), strict=True):
        by_community.setdefault(int(community), []).append(int(node))
    for community, member_list in by_community.items():
        members = tuple(member_list)
        if len(members) < rules.min_members:
            continue
        n_evidence = int(evidence.get(community, 0))
        n_sexual = sum(1 for m in members if m in sexual)
        if n_evidence < rules.min_evidence_items and n_sexual < rules.min_sexual_offence_members:
            continue
        groups.append(
            Group(
                group_id=group_id([str(keys[m]) for m in members]),
                members=members,
                victims=victims.get(community, ()),
                evidence_items=n_evidence,
                sexual_offence_members=n_sexual,
                links=int(link_count.get(community, 0)),
                weight=float(link_weight.get(community, 0.0)),
            )
        )
    groups.sort(key=lambda x: (-x.evidence_items, -len(x.members), x.group_id))
    return GroupResult(
        groups,
        suspects,
        int(len(pairs)),
        dict(zip(nodes.tolist(), membership.tolist(), strict=True)),
    )


def _victims_by_community(
    g: PoleGraph, rules: NetworkRules, comm: pd.Series
) -> dict[int, tuple[int, ...]]:
    off = offender_side(g, rules)
    vic = victim_side(g, rules, off)
    offenders = pd.DataFrame({"person": g.p_person[off], "event": g.p_event[off]})
    offenders = offenders[offenders["person"].isin(comm.index)]
    victims = pd.DataFrame({"victim": g.p_person[vic], "event": g.p_event[vic]})
    both = offenders.merge(victims, on="event")
    both["c"] = comm.loc[both["person"]].to_numpy()
    found: dict[int, set[int]] = {}
    for c, v in zip(both["c"].tolist(), both["victim"].tolist(), strict=True):
        found.setdefault(int(c), set()).add(int(v))
    return {c: tuple(sorted(v)) for c, v in found.items()}
