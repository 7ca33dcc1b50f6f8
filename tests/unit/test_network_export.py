"""Exports read back: GraphML through igraph, CSV through the csv module."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import igraph as ig

from safeguard.network.export import EDGE_COLUMNS, NODE_COLUMNS, to_csv_zip, to_graphml

NODES = [
    {"id": "person:P-1", "kind": "person", "subtype": "member", "label": "P-1"},
    {"id": "object:phone:077", "kind": "object", "subtype": "phone", "label": "077"},
]
EDGES = [
    {
        "id": "e0",
        "source": "person:P-1",
        "target": "object:phone:077",
        "kind": "object",
        "date": "2024-01-02",
        "event_id": 7,
        "evidence": "POLICE-E23000011 · CR7 · crime",
    }
]


def test_graphml_reads_back_with_every_attribute(tmp_path: Path) -> None:
    path = tmp_path / "chart.graphml"
    path.write_bytes(to_graphml(NODES, EDGES))
    graph = ig.Graph.Read_GraphML(str(path))
    assert graph.vcount() == 2 and graph.ecount() == 1
    assert {"name", *NODE_COLUMNS[1:]} <= set(graph.vs.attributes())
    assert {"edge_id", *EDGE_COLUMNS[1:]} <= set(graph.es.attributes())
    assert graph.vs["name"] == ["person:P-1", "object:phone:077"]
    assert graph.es[0]["evidence"].startswith("POLICE-E23000011")


def test_csv_zip_holds_nodes_and_edges() -> None:
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(NODES, EDGES)))
    nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
    edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode())))
    assert [n["id"] for n in nodes] == ["person:P-1", "object:phone:077"]
    assert edges[0]["source"] == "person:P-1" and edges[0]["event_id"] == "7"


def test_one_person_has_one_pseudonym_in_networks_and_shares() -> None:
    from safeguard.domain.pseudonym import pseudonym
    from safeguard.network import service as network
    from safeguard.sharing.pseudonymise import pseudonymise_record

    shared = pseudonymise_record("key", {"person_id": "person-1", "first_name": "Ann"})
    assert (
        network.pseudonym("key", "person-1") == shared["person_id"] == pseudonym("key", "person-1")
    )
    assert shared["person_id"].startswith("P-") and "first_name" not in shared
    assert pseudonym("other key", "person-1") != shared["person_id"]
