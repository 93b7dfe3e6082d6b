"""Small builders for test data: fictional people only."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def make_person(node_id: str, **overrides: Any) -> dict[str, Any]:
    props = {"name": "Fictional Person", **overrides}
    return {"id": node_id, "label": "Person", "properties": props}


def make_node(node_id: str, label: str, **props: Any) -> dict[str, Any]:
    return {"id": node_id, "label": label, "properties": props}


def make_evidence(node_id: str, **overrides: Any) -> dict[str, Any]:
    props = {"kind": "testimony", "title": f"Statement {node_id}", "source": "Team A", **overrides}
    return {"id": node_id, "label": "Evidence", "properties": props}


def make_claim(claim_id: str, claim_type: str, frm: str, to: str, **fields: Any) -> dict[str, Any]:
    return {"id": claim_id, "type": claim_type, "from": frm, "to": to, **fields}


def document(nodes: list[dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": claims}


REPO = Path(__file__).resolve().parents[1]
