"""GraphML and GEXF (yEd, Gephi, Cytoscape), written by networkx.

Both formats hold scalar attributes only, so lists (aliases, evidence ids) are joined
with "; ", and absent values are left out rather than written empty. networkx builds
the graph in memory before writing: fine for a case; for a whole-graph export this is
the one format that does not stream."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx

from accountability.services.exports.base import (
    ClaimRecord,
    ExportMeta,
    NodeRecord,
    Writer,
    display_name,
    plain,
)

LIST_SEPARATOR = "; "


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(plain(v)) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return str(plain(value))
    return str(value)


def node_attributes(node: NodeRecord) -> dict[str, Any]:
    """A node's attributes: its type, a display label, and every property."""
    attrs: dict[str, Any] = {"label": display_name(node), "node_type": node.label.value}
    for key, value in sorted(node.properties.items()):
        if key in ("label", "node_type"):
            continue
        scalar = _scalar(value)
        if scalar is not None:
            attrs[key] = scalar
    return attrs


def edge_attributes(claim: ClaimRecord) -> dict[str, Any]:
    """A claim's attributes: id, type, dates, precision, confidence, evidence ids."""
    attrs: dict[str, Any] = {
        "claim_id": claim.id,
        "claim_type": claim.type.value,
        "label": claim.type.value.replace("_", " ").lower(),
        "date_precision": claim.date_precision.value,
        "confidence": claim.confidence.value,
        "evidence": LIST_SEPARATOR.join(claim.evidence),
        "evidence_count": len(claim.evidence),
        "retracted": claim.retraction is not None,
    }
    if claim.valid_from is not None:
        attrs["valid_from"] = claim.valid_from.isoformat()
    if claim.valid_to is not None:
        attrs["valid_to"] = claim.valid_to.isoformat()
    if claim.retraction is not None:
        attrs["retraction_reason"] = claim.retraction.reason
    for key, value in claim.properties.items():
        scalar = _scalar(value)
        if scalar is not None:
            attrs[key] = scalar
    return attrs


class GraphWriter(Writer):
    """Both files from one in-memory multigraph (several claims may join two nodes)."""

    files = ("graph.graphml", "graph.gexf")

    def __init__(self, folder: Path, meta: ExportMeta) -> None:
        super().__init__(folder, meta)
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(
            name=meta.title, profile=meta.profile, exported_at=meta.exported_at.isoformat()
        )

    def node(self, node: NodeRecord) -> None:
        self.graph.add_node(node.id, **node_attributes(node))

    def claim(self, claim: ClaimRecord) -> None:
        self.graph.add_edge(claim.from_id, claim.to_id, key=claim.id, **edge_attributes(claim))

    def close(self) -> None:
        nx.write_graphml(self.graph, self.folder / self.files[0], encoding="utf-8")
        nx.write_gexf(self.graph, self.folder / self.files[1], encoding="utf-8")
