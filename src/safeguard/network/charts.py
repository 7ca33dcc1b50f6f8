"""Link charts: the people, objects and places around a group or a person, one edge per event.

Pure: reads the POLE graph and returns plain node and edge records. Every edge is one event's
evidence (its id and date), so a chart can be filtered by date and link type and each edge
traced to the agency record behind it. People are returned by person code; the service turns
codes into pseudonyms or names according to who is looking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from safeguard.network.graph import IntArray, PoleGraph, from_day
from safeguard.network.groups import offender_side, victim_side
from safeguard.network.rules import NetworkRules

#: Link types a chart can show (and filter on).
CHART_LINK_TYPES = ("co_offending", "victim", "object", "location")


@dataclass
class Chart:
    """Nodes and edges; person nodes carry ``person`` (a code) until the service replaces it."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def event_ids(self) -> list[int]:
        return sorted({int(e["event_id"]) for e in self.edges})


def events_of(g: PoleGraph, rules: NetworkRules, persons: IntArray, offending: bool) -> IntArray:
    """Event rows naming these people (on the offending side only, when ``offending``)."""
    mask = np.isin(g.p_person, persons)
    if offending:
        mask &= offender_side(g, rules)
    return np.unique(g.p_event[mask])


def build_chart(
    g: PoleGraph, rules: NetworkRules, event_rows: IntArray, members: set[int]
) -> Chart:
    """Everything the given events name, linked from each offending-side participant."""
    chart = Chart()
    seen: dict[str, int] = {}
    off_all = offender_side(g, rules)
    vic_all = victim_side(g, rules, off_all)
    pick = np.isin(g.p_event, event_rows)
    p_rows = np.flatnonzero(pick)
    o_pick = np.isin(g.o_event, event_rows)
    objects_by_event: dict[int, list[int]] = {}
    for ev, obj in zip(g.o_event[o_pick].tolist(), g.o_object[o_pick].tolist(), strict=True):
        objects_by_event.setdefault(ev, []).append(obj)
    people_by_event: dict[int, list[tuple[int, str]]] = {}
    for i in p_rows.tolist():
        side = "offender" if off_all[i] else ("victim" if vic_all[i] else "other")
        people_by_event.setdefault(int(g.p_event[i]), []).append((int(g.p_person[i]), side))
    object_keys, location_keys = g.objects.keys(), g.locations.keys()
    offender_people = {p for plist in people_by_event.values() for p, s in plist if s == "offender"}

    def person_node(code: int) -> str:
        node_id = f"person:{code}"
        if node_id not in seen:
            seen[node_id] = len(chart.nodes)
            if code in members:
                role = "member"
            elif code in offender_people:
                role = "offender"
            else:
                role = "victim"
            chart.nodes.append({"id": node_id, "kind": "person", "subtype": role, "person": code})
        return node_id

    def other_node(kind: str, key: str, label: str, subtype: str) -> str:
        node_id = f"{kind}:{key}"
        if node_id not in seen:
            seen[node_id] = len(chart.nodes)
            chart.nodes.append({"id": node_id, "kind": kind, "label": label, "subtype": subtype})
        return node_id

    for row in event_rows.tolist():
        people = people_by_event.get(row, [])
        offenders = [p for p, s in people if s == "offender"]
        others = [p for p, s in people if s != "offender"]
        anchors = offenders or others[:1]
        day = from_day(int(g.ev_day[row])).isoformat()
        event_id = int(g.ev_id[row])

        def edge(a: str, b: str, kind: str, day: str = day, event_id: int = event_id) -> None:
            chart.edges.append(
                {
                    "id": f"e{len(chart.edges)}",
                    "source": a,
                    "target": b,
                    "kind": kind,
                    "date": day,
                    "event_id": event_id,
                }
            )

        for i, a in enumerate(offenders):
            for b in offenders[i + 1 :]:
                edge(person_node(a), person_node(b), "co_offending")
        for a in offenders:
            for v in others:
                edge(person_node(a), person_node(v), "victim")
        for a in anchors:
            for obj in objects_by_event.get(row, []):
                key = str(object_keys[obj])
                kind, value = key.split(":", 1)
                edge(person_node(a), other_node("object", key, value, kind), "object")
            loc = int(g.ev_location[row])
            if loc >= 0:
                postcode = str(location_keys[loc])
                edge(
                    person_node(a),
                    other_node("location", postcode, postcode, "postcode"),
                    "location",
                )
    return chart
