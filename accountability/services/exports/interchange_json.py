"""The interchange document (docs/design.md, "Interchange format"): re-importable, so
import(export) round-trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from accountability.domain.interchange import FORMAT, VERSION
from accountability.domain.nodes import utc_iso
from accountability.services.exports.base import (
    ClaimRecord,
    ExportMeta,
    NodeRecord,
    Writer,
    plain,
)


def node_document(node: NodeRecord) -> dict[str, Any]:
    """A node as an interchange record."""
    return {
        "id": node.id,
        "label": node.label.value,
        "properties": {k: plain(v) for k, v in sorted(node.properties.items()) if v is not None},
        "created_at": utc_iso(node.created_at) if node.created_at else None,
        "updated_at": utc_iso(node.updated_at) if node.updated_at else None,
    }


def claim_document(claim: ClaimRecord) -> dict[str, Any]:
    """A claim as an interchange record."""
    record: dict[str, Any] = {
        "id": claim.id,
        "type": claim.type.value,
        "from": claim.from_id,
        "to": claim.to_id,
        "valid_from": plain(claim.valid_from),
        "valid_to": plain(claim.valid_to),
        "date_precision": claim.date_precision.value,
        "confidence": claim.confidence.value,
        "evidence": list(claim.evidence),
        "properties": dict(claim.properties),
        "created_at": utc_iso(claim.created_at) if claim.created_at else None,
        "updated_at": utc_iso(claim.updated_at) if claim.updated_at else None,
    }
    if claim.retraction is not None:
        record["retraction"] = {
            "by": claim.retraction.by,
            "reason": claim.retraction.reason,
            "at": utc_iso(claim.retraction.at),
        }
    return record


class InterchangeWriter(Writer):
    """Streams the document: one record a line, so a large export never sits in memory."""

    files = ("case.json",)

    def __init__(self, folder: Path, meta: ExportMeta) -> None:
        super().__init__(folder, meta)
        self._out: IO[str] = (folder / self.files[0]).open("w", encoding="utf-8")
        self._out.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n"nodes": [')
        self._section = "nodes"
        self._first = True

    def _record(self, section: str, record: dict[str, Any]) -> None:
        if section != self._section:
            self._out.write('\n],\n"claims": [')
            self._section, self._first = section, True
        self._out.write(("\n" if self._first else ",\n") + json.dumps(record, ensure_ascii=False))
        self._first = False

    def node(self, node: NodeRecord) -> None:
        self._record("nodes", node_document(node))

    def claim(self, claim: ClaimRecord) -> None:
        self._record("claims", claim_document(claim))

    def close(self) -> None:
        if self._section == "nodes":
            self._out.write('\n],\n"claims": [')
        self._out.write("\n]}\n")
        self._out.close()
