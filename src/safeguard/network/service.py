"""The network service: what the API, pages and CLI call. Reads the store, keeps the graph.

The POLE graph is held in memory and extended with the events that arrived since the last
read (``refresh``); it is rebuilt only when events were replaced by new versions, or when the
identity capability re-clusters records into persons (it calls ``invalidate``).

Access (kept simple): analysts, and practitioners of a police force, may read networks. Every
person appears as a pseudonym (a keyed hash of the person id); a police practitioner also sees
the names their own force recorded. Every read, allowed or not, is written to the audit log as
``network.read``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from safeguard.domain.actors import AccessDenied, User
from safeguard.domain.codes import CodeLists
from safeguard.domain.pseudonym import pseudonym
from safeguard.network.charts import Chart, build_chart, events_of
from safeguard.network.export import to_csv_zip, to_graphml
from safeguard.network.graph import EventBatch, PoleGraph
from safeguard.network.groups import Group, GroupResult, find_groups, suspect_links
from safeguard.network.harm import GroupHarm, HarmEntry, rank_groups, rank_offenders, rank_victims
from safeguard.network.rules import NetworkRules, load_rules
from safeguard.store.uow import UnitOfWork

NETWORK_ROLES = ("analyst", "practitioner")


class NetworkNotFound(LookupError):
    """No group or person with that id in the network."""


@dataclass(frozen=True)
class Viewer:
    user: User
    names_agency: str | None
    basis: str


@dataclass
class Analysis:
    """Groups and rankings of one state of the graph."""

    result: GroupResult
    offenders: list[HarmEntry]
    victims: list[HarmEntry]
    groups: list[GroupHarm]
    harm: dict[int, HarmEntry] = field(default_factory=dict)
    by_id: dict[str, GroupHarm] = field(default_factory=dict)
    group_of: dict[int, str] = field(default_factory=dict)


def cli_analyst() -> User:
    """The operator running the CLI on the server reads networks as a (pseudonymised) analyst."""
    import getpass

    return User(f"cli:{getpass.getuser()}", "CLI", ("analyst",))


class NetworkService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        secret_key: str,
        rules: NetworkRules | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.secret = secret_key
        self.rules = rules or load_rules()
        self._lock = threading.RLock()
        self.graph = PoleGraph()
        self._loaded_to = 0
        self._retired = 0
        self._analysis: Analysis | None = None
        self._refs: dict[int, str] = {}
        self._by_ref: dict[str, int] = {}

    # -- keeping the graph current ---------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the graph; the next read rebuilds it (after persons are re-clustered)."""
        with self._lock:
            self.graph, self._loaded_to, self._retired = PoleGraph(), 0, 0
            self._analysis, self._refs, self._by_ref = None, {}, {}

    def add_events(self, batch: EventBatch) -> int:
        """Extend the in-memory graph with new events (no rebuild)."""
        with self._lock:
            added = self.graph.add_events(batch)
            if added:
                self._analysis = None
            return added

    def refresh(self) -> int:
        """Bring the graph up to date with the store; returns how many events were added."""
        with self._lock, self.uow_factory() as uow:
            top, retired = uow.events.network_fingerprint()
            if retired != self._retired:
                self.invalidate()
                self._retired = retired
            if top <= self._loaded_to:
                return 0
            events, participants, objects = uow.events.network_rows(self._loaded_to)
            self._loaded_to = top
            return self.add_events(EventBatch.from_rows(events, participants, objects))

    def analysis(self) -> Analysis:
        with self._lock:
            self.refresh()
            if self._analysis is None:
                result = find_groups(self.graph, self.rules)
                offenders = rank_offenders(self.graph, self.rules)
                ranked = rank_groups(result.groups, offenders)
                analysis = Analysis(result, offenders, rank_victims(self.graph, self.rules), ranked)
                analysis.harm = {e.person: e for e in offenders}
                analysis.by_id = {g.group.group_id: g for g in ranked}
                analysis.group_of = {m: g.group.group_id for g in ranked for m in g.group.members}
                self._analysis = analysis
            return self._analysis

    # -- who may look, and how people are named ---------------------------------------------

    def _open(self, user: User, reason: str, subject: str, detail: dict[str, Any]) -> Viewer:
        agency = self.codes.agencies.get(user.agency)
        police = agency is not None and agency.kind == "police"
        if user.has("analyst"):
            viewer = Viewer(user, None, "analyst: pseudonymised network")
        elif user.has("practitioner") and police:
            viewer = Viewer(user, user.agency, "police practitioner: own force's names")
        else:
            viewer = None
        with self.uow_factory() as uow:
            uow.audit.record(
                user,
                reason=reason,
                action="network.read",
                subject=subject,
                outcome="allowed" if viewer else "denied",
                detail={**detail, "basis": viewer.basis if viewer else "role"},
            )
        if viewer is None:
            raise AccessDenied(
                f"role {user.role} may not read offender networks (analysts and police "
                "practitioners may)"
            )
        return viewer

    def ref(self, code: int) -> str:
        found = self._refs.get(code)
        if found is None:
            found = pseudonym(self.secret, str(self.graph.persons.keys()[code]))
            self._refs[code] = found
            self._by_ref[found] = code
        return found

    def code_of(self, ref_or_id: str) -> int:
        """A person code from a pseudonym or a person id."""
        with self._lock:
            if not self._by_ref or len(self._by_ref) < len(self.graph.persons):
                for code in range(len(self.graph.persons)):
                    self.ref(code)
            found = self._by_ref.get(ref_or_id)
            code = int(self.graph.persons.lookup([ref_or_id])[0]) if found is None else found
            if code < 0:
                raise NetworkNotFound(f"no person {ref_or_id!r} in the network")
            return code

    def _labels(self, viewer: Viewer, codes: list[int]) -> dict[int, str]:
        labels = {c: self.ref(c) for c in codes}
        if viewer.names_agency and codes:
            keys = self.graph.persons.keys()
            ids = {str(keys[c]): c for c in codes}
            with self.uow_factory() as uow:
                names = uow.records.names_held_by(list(ids), viewer.names_agency)
            for pid, (first, last) in names.items():
                labels[ids[pid]] = f"{first} {last} ({labels[ids[pid]]})"
        return labels

    # -- reads --------------------------------------------------------------------------------

    def overview(self, user: User, reason: str = "network analysis") -> dict[str, Any]:
        """Every candidate group with its harm, and the graph's size."""
        viewer = self._open(user, reason, "network:groups", {"view": "groups"})
        a = self.analysis()
        tops = [g.top_member for g in a.groups]
        labels = self._labels(viewer, tops)
        return {
            "events": self.graph.n_events,
            "persons": len(self.graph.persons),
            "suspects": a.result.suspects,
            "linked_pairs": a.result.linked_pairs,
            "groups": [self._group_summary(g, labels[g.top_member]) for g in a.groups],
        }

    def _group_summary(self, g: GroupHarm, top_label: str) -> dict[str, Any]:
        grp = g.group
        return {
            "group_id": grp.group_id,
            "members": len(grp.members),
            "victims": len(grp.victims),
            "evidence_items": grp.evidence_items,
            "sexual_offence_members": grp.sexual_offence_members,
            "links": grp.links,
            "harm": g.score,
            "top_member": top_label,
        }

    def harm(self, user: User, reason: str = "harm ranking", limit: int = 100) -> dict[str, Any]:
        """Most harmful offenders and most harmed victims, each explained, and the groups."""
        viewer = self._open(user, reason, "network:harm", {"view": "harm", "limit": limit})
        a = self.analysis()
        offenders, victims = a.offenders[:limit], a.victims[:limit]
        labels = self._labels(viewer, [e.person for e in offenders + victims])
        return {
            "offenders": [self._harm_row(e, labels, a) for e in offenders],
            "victims": [self._harm_row(e, labels, a) for e in victims],
            "groups": [self._group_summary(g, self.ref(g.top_member)) for g in a.groups[:limit]],
        }

    def _harm_row(self, e: HarmEntry, labels: dict[int, str], a: Analysis) -> dict[str, Any]:
        return {
            "rank": e.rank,
            "ref": self.ref(e.person),
            "label": labels.get(e.person, self.ref(e.person)),
            "score": e.score,
            "crimes": e.crimes,
            "linked_people": e.victims,
            "harm_days": e.harm_days,
            "recency_weighted_days": e.recency_weighted_days,
            "intelligence_events": e.intelligence_events,
            "latest": e.latest,
            "top_offence": e.top_offence,
            "group_id": a.group_of.get(e.person),
            "explanation": e.explanation(),
        }

    def group(self, user: User, group_id: str, reason: str = "network analysis") -> dict[str, Any]:
        """One group: members with harm, victims, links with their evidence, and its chart."""
        viewer = self._open(user, reason, f"group:{group_id}", {"view": "group"})
        a = self.analysis()
        found = a.by_id.get(group_id)
        if found is None:
            raise NetworkNotFound(f"no group {group_id!r}; groups change as data arrives")
        grp = found.group
        members = np.asarray(grp.members, dtype=np.int64)
        chart = build_chart(
            self.graph,
            self.rules,
            events_of(self.graph, self.rules, members, True),
            set(grp.members),
        )
        out = self._chart_view(viewer, chart, a)
        labels = {n["ref"]: n["label"] for n in out["nodes"] if n["kind"] == "person"}
        items, pairs = suspect_links(self.graph, self.rules, members)
        return {
            **self._group_summary(found, labels.get(self.ref(found.top_member), "")),
            "member_list": [
                self._harm_row(a.harm[m], {m: labels.get(self.ref(m), self.ref(m))}, a)
                for m in sorted(grp.members, key=lambda m: a.harm[m].rank)
            ],
            "victim_list": [
                {"ref": self.ref(v), "label": labels.get(self.ref(v), self.ref(v))}
                for v in grp.victims
            ],
            "link_list": self._links(items, pairs, labels),
            "chart": out,
        }

    def _links(self, items: Any, pairs: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
        g = self.graph
        object_keys, location_keys = g.objects.keys(), g.locations.keys()

        def describe(kind: str, item: int) -> str:
            if kind == "co_offending":
                return f"named together in event {int(g.ev_id[item])}"
            if kind == "shared_victim":
                return f"same victim {labels.get(self.ref(item), self.ref(item))}"
            if kind == "shared_object":
                return f"same {str(object_keys[item]).replace(':', ' ', 1)}"
            return f"same place {location_keys[item]}"

        evidence: dict[tuple[int, int], list[dict[str, str]]] = {}
        for a, b, kind, item in zip(items.a, items.b, items.kind, items.item, strict=True):
            evidence.setdefault((int(a), int(b)), []).append(
                {"kind": str(kind), "item": describe(str(kind), int(item))}
            )
        return [
            {
                "a": labels.get(self.ref(int(a)), self.ref(int(a))),
                "b": labels.get(self.ref(int(b)), self.ref(int(b))),
                "weight": round(float(w), 2),
                "evidence": evidence.get((int(a), int(b)), []),
            }
            for a, b, w in zip(pairs.a, pairs.b, pairs.weight, strict=True)
        ]

    def person(self, user: User, ref: str, reason: str = "network analysis") -> dict[str, Any]:
        """One person's network: every event they are in and what those events name."""
        viewer = self._open(user, reason, f"network-person:{ref}", {"view": "person"})
        a = self.analysis()
        code = self.code_of(ref)
        rows = events_of(self.graph, self.rules, np.asarray([code], dtype=np.int64), False)
        out = self._chart_view(viewer, build_chart(self.graph, self.rules, rows, {code}), a)
        label = next((n["label"] for n in out["nodes"] if n.get("ref") == self.ref(code)), "")
        entry = a.harm.get(code)
        return {
            "ref": self.ref(code),
            "label": label or self.ref(code),
            "group_id": a.group_of.get(code),
            "harm": self._harm_row(entry, {code: label}, a) if entry else None,
            "chart": out,
        }

    def _chart_view(self, viewer: Viewer, chart: Chart, a: Analysis) -> dict[str, Any]:
        """Replace person codes with pseudonyms (or names) and attach each edge's evidence."""
        codes = [int(n["person"]) for n in chart.nodes if n["kind"] == "person"]
        labels = self._labels(viewer, codes)
        rename: dict[str, str] = {}
        nodes = []
        for n in chart.nodes:
            if n["kind"] == "person":
                code = int(n["person"])
                ref = self.ref(code)
                rename[n["id"]] = f"person:{ref}"
                harm = a.harm.get(code)
                nodes.append(
                    {
                        "id": f"person:{ref}",
                        "kind": "person",
                        "subtype": n["subtype"],
                        "label": labels[code],
                        "ref": ref,
                        "detail": harm.explanation() if harm else "",
                    }
                )
            else:
                nodes.append({**n, "ref": "", "detail": ""})
        with self.uow_factory() as uow:
            sources = uow.events.sources(chart.event_ids())
        edges = []
        for e in chart.edges:
            src = sources.get(int(e["event_id"]), {})
            evidence = " · ".join(
                str(x)
                for x in (
                    src.get("agency_code"),
                    src.get("local_id"),
                    str(src.get("event_type", "")).replace("_", " "),
                    f"offence {src['offence_code']}" if src.get("offence_code") else None,
                    src.get("place_type"),
                    src.get("postcode"),
                    e["date"],
                )
                if x
            )
            edges.append(
                {
                    **e,
                    "source": rename.get(e["source"], e["source"]),
                    "target": rename.get(e["target"], e["target"]),
                    "evidence": evidence,
                }
            )
        return {"nodes": nodes, "edges": edges}

    def export(
        self, user: User, fmt: str, group_id: str | None = None, person: str | None = None
    ) -> bytes:
        """A group's or a person's chart as GraphML or a zip of nodes.csv and edges.csv."""
        if fmt not in ("graphml", "csv"):
            raise ValueError(f"unknown export format {fmt!r}; use graphml or csv")
        if group_id is not None:
            chart = self.group(user, group_id, f"export {fmt}")["chart"]
        elif person is not None:
            chart = self.person(user, person, f"export {fmt}")["chart"]
        else:
            raise ValueError("name a group or a person to export")
        make = to_graphml if fmt == "graphml" else to_csv_zip
        return make(chart["nodes"], chart["edges"])


__all__ = ["Group", "NetworkNotFound", "NetworkService", "cli_analyst", "pseudonym"]
