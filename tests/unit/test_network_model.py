"""The network model on a small hand-made network: groups, spurious links, harm, increments."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from safeguard.domain.records import PROTECTED_FIELDS
from safeguard.network import export
from safeguard.network import graph as graph_module
from safeguard.network.charts import build_chart
from safeguard.network.graph import PoleGraph
from safeguard.network.groups import LINK_FEATURES, Group, find_groups, suspect_links
from safeguard.network.harm import HARM_FEATURES, HarmEntry, rank_groups, rank_offenders
from safeguard.network.rules import NetworkRulesError, load_rules, parse_rules
from tests.network_samples import EVENTS, OBJECTS, PARTICIPANTS, RING_A, RING_B, batch


def built(*batches: Any) -> PoleGraph:
    g = PoleGraph()
    for b in batches or (batch(),):
        g.add_events(b)
    return g


def named_groups(g: PoleGraph) -> list[set[str]]:
    keys = g.persons.keys()
    return [{str(keys[m]) for m in grp.members} for grp in find_groups(g, load_rules()).groups]


def test_both_rings_are_found_and_nothing_else() -> None:
    groups = named_groups(built())
    assert sorted(groups, key=sorted) == [RING_A, RING_B]


def test_a_weak_bridge_does_not_merge_the_rings() -> None:
    g = built()
    _, pairs = suspect_links(g, load_rules())
    keys = g.persons.keys()
    linked = {
        frozenset((str(keys[a]), str(keys[b]))) for a, b in zip(pairs.a, pairs.b, strict=True)
    }
    assert frozenset(("a1", "b2")) in linked  # the shared phone is a real link ...
    assert frozenset(("a3", "b1")) not in linked  # ... one shared park is not
    assert RING_A not in [RING_A | RING_B] and len(named_groups(g)) == 2


def test_one_shared_phone_is_not_a_group() -> None:
    assert not any("c1" in grp for grp in named_groups(built()))


def test_a_hub_item_links_nobody() -> None:
    # every item in the sample is shared by two or three suspects: all are hubs at limit 1
    rules = dataclasses.replace(load_rules(), hub_limit=1)
    g = built()
    _, pairs = suspect_links(g, rules)
    assert pairs.empty and find_groups(g, rules).groups == []
    _, pairs = suspect_links(g, dataclasses.replace(load_rules(), hub_limit=2))
    keys = g.persons.keys()
    # the phone of the pair is shared by two, so it still links them
    assert {(str(keys[a]), str(keys[b])) for a, b in zip(pairs.a, pairs.b, strict=True)} >= {
        ("c1", "c2")
    }


def test_a_location_outside_its_window_is_not_shared() -> None:
    strong = dict(load_rules().links)
    strong["shared_location"] = dataclasses.replace(strong["shared_location"], weight=1.0)
    near = dataclasses.replace(load_rules(), links=strong)
    far_links = dict(strong)
    far_links["shared_location"] = dataclasses.replace(strong["shared_location"], window_days=0)
    far = dataclasses.replace(load_rules(), links=far_links)
    g = built()
    keys = list(map(str, g.persons.keys()))
    a3, b1 = keys.index("a3"), keys.index("b1")

    def linked(rules: Any) -> bool:
        _, pairs = suspect_links(g, rules)
        return bool(((pairs.a == min(a3, b1)) & (pairs.b == max(a3, b1))).any())

    assert linked(near) and not linked(far)


def test_adding_events_incrementally_gives_the_same_groups_and_ranking() -> None:
    early = [e for e in EVENTS if e[0] < 20]
    late = [e for e in EVENTS if e[0] >= 20]
    ids = {e[0] for e in early}

    def part(rows: list[Any], want: bool) -> list[Any]:
        return [r for r in rows if (r[0] in ids) == want]

    g = built(batch(early, part(PARTICIPANTS, True), part(OBJECTS, True)))
    assert g.n_events == len(early)
    g.add_events(batch(late, part(PARTICIPANTS, False), part(OBJECTS, False)))
    whole = built()
    assert named_groups(g) == named_groups(whole)
    keys, whole_keys = g.persons.keys(), whole.persons.keys()
    rules = load_rules()
    assert [(keys[e.person], e.score) for e in rank_offenders(g, rules)] == [
        (whole_keys[e.person], e.score) for e in rank_offenders(whole, rules)
    ]


def test_events_naming_an_event_outside_the_batch_are_refused() -> None:
    with pytest.raises(ValueError, match="not in the batch"):
        built(batch(EVENTS[:1], [(99, "x", "suspect")], []))


def test_harm_ranks_the_rape_of_a_young_child_first_and_explains_it() -> None:
    g = built()
    ranking = rank_offenders(g, load_rules())
    keys = g.persons.keys()
    assert str(keys[ranking[0].person]) == "b1"
    assert "19E" in ranking[0].explanation()
    groups = rank_groups(find_groups(g, load_rules()).groups, ranking)
    assert {str(keys[m]) for m in groups[0].group.members} == RING_B


def test_no_protected_field_enters_the_graph_the_links_or_the_ranking() -> None:
    names = set(
        graph_module.EVENT_COLUMNS
        + graph_module.PARTICIPANT_COLUMNS
        + graph_module.OBJECT_COLUMNS
        + graph_module.NODE_ATTRIBUTES
        + graph_module.EDGE_ATTRIBUTES
        + LINK_FEATURES
        + HARM_FEATURES
        + export.NODE_COLUMNS
        + export.EDGE_COLUMNS
    )
    names |= {f.name for f in dataclasses.fields(HarmEntry)}
    names |= {f.name for f in dataclasses.fields(Group)}
    names |= {f.name for f in dataclasses.fields(graph_module.EventBatch)}
    g = built()
    sub = g.to_igraph()
    names |= set(sub.vs.attributes()) | set(sub.es.attributes())
    chart = build_chart(g, load_rules(), np.arange(g.n_events), {0})
    names |= {k for n in chart.nodes for k in n} | {k for e in chart.edges for k in e}
    assert not names & PROTECTED_FIELDS


def test_a_rule_file_naming_a_protected_field_is_refused() -> None:
    with pytest.raises(NetworkRulesError, match="protected"):
        parse_rules({"offender_roles": ["suspect"], "weight_by": "nationality"}, {})


def test_materialised_graph_is_typed_and_dated() -> None:
    sub = built().subgraph([0])
    assert set(sub.vs["kind"]) <= {"person", "object", "location", "event"}
    assert all(len(d) == 10 for d in sub.es["date"])
    assert set(sub.es["kind"]) <= {"participant", "object", "location"}


def test_parents_named_in_social_care_events_are_not_offenders() -> None:
    events = [
        (1, "2024-01-01", "referral", "", "S1 1AA", "home"),
        (2, "2024-02-01", "strategy_discussion", "", "S1 1AA", "home"),
    ]
    people = [
        (1, "child", "subject"),
        (1, "mum", "associate"),
        (1, "dad", "associate"),
        (2, "child", "subject"),
        (2, "mum", "associate"),
        (2, "dad", "associate"),
    ]
    g = built(batch(events, people, []))
    assert find_groups(g, load_rules()).suspects == 0
    assert rank_offenders(g, load_rules()) == []
