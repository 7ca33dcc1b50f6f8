"""Exports of a link chart for i2-style tools: GraphML (via igraph) and CSV (nodes, edges)."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Sequence
from typing import Any

import igraph as ig

from safeguard.domain.spreadsheet import csv_text

NODE_COLUMNS = ("id", "kind", "subtype", "label")
EDGE_COLUMNS = ("id", "source", "target", "kind", "date", "event_id", "evidence")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def to_graphml(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]]) -> bytes:
    """A GraphML document: every node and edge with the columns above as attributes."""
    if len({n["id"] for n in nodes}) != len(nodes):
        raise ValueError("node ids must be unique")
    index = {n["id"]: i for i, n in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[e["source"]], index[e["target"]]) for e in edges])
    # GraphML gives every node its own XML id, and igraph reads it back as "id": the chart's
    # node id travels as "name" (igraph's vertex name) and the edge id as "edge_id".
    graph.vs["name"] = [_text(n["id"]) for n in nodes]
    for column in NODE_COLUMNS[1:]:
        graph.vs[column] = [_text(n.get(column)) for n in nodes]
    graph.es["edge_id"] = [_text(e["id"]) for e in edges]
    for column in EDGE_COLUMNS[1:]:
        graph.es[column] = [_text(e.get(column)) for e in edges]
    handle, path = tempfile.mkstemp(suffix=".graphml")
    os.close(handle)
    try:
        graph.write_graphml(path)
        with open(path, "rb") as written:
            return written.read()
    finally:
        os.unlink(path)


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    return csv_text(columns, ([_text(row.get(c)) for c in columns] for row in rows))


def to_csv_zip(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]]) -> bytes:
    """A zip of nodes.csv and edges.csv (i2 Analyst's Notebook imports both as tables)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", _csv(nodes, NODE_COLUMNS))
        archive.writestr("edges.csv", _csv(edges, EDGE_COLUMNS))
    return buffer.getvalue()
