"""A Cypher script that recreates the exported subgraph in an empty Neo4j 5 database (it
runs on the embedded ArcadeDB as well): ``cypher-shell -f case.cypher``.

Values are written as literals by :mod:`accountability.domain.cypher_literals`; labels and
relationship types come from the vocabulary enums, never from the data. Every statement
ends with ``;`` at the end of a line and no literal spans lines, so splitting the script
on lines that end in ``;`` yields its statements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Any

from accountability.domain.cypher_literals import cypher_literal
from accountability.domain.nodes import utc_iso
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.services.exports.base import ClaimRecord, ExportMeta, NodeRecord, Writer

#: Rows per UNWIND statement: large enough to load quickly, small enough for any server.
BATCH_ROWS = 500

CONSTRAINT = "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"


def _value(value: Any) -> Any:
    """A property value as the script stores it: instants as ISO-8601 UTC strings, the form
    the service stores them in; dates stay dates."""
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def _properties(pairs: dict[str, Any]) -> dict[str, Any]:
    # Neo4j does not store nulls: a null in ``SET n = row`` would only be dropped.
    return {k: _value(v) for k, v in pairs.items() if v is not None}


def node_row(node: NodeRecord) -> dict[str, Any]:
    """A node's properties as its script row: its properties plus id and timestamps."""
    row: dict[str, Any] = {"id": node.id, **node.properties}
    row.update(id=node.id, created_at=node.created_at, updated_at=node.updated_at)
    return _properties(row)


def claim_row(claim: ClaimRecord) -> dict[str, Any]:
    """A claim as its script row: the endpoints' ids and the relationship's properties."""
    props: dict[str, Any] = {"id": claim.id, **claim.properties}
    props.update(
        id=claim.id,
        valid_from=claim.valid_from,
        valid_to=claim.valid_to,
        date_precision=claim.date_precision.value,
        confidence=claim.confidence.value,
        evidence=list(claim.evidence),
        created_at=claim.created_at,
        updated_at=claim.updated_at,
    )
    if claim.retraction is not None:
        props.update(
            retracted_at=claim.retraction.at,
            retracted_by=claim.retraction.by,
            retraction_reason=claim.retraction.reason,
        )
    return {"from": claim.from_id, "to": claim.to_id, "props": _properties(props)}


def _unwind(rows: list[str], body: str) -> str:
    return "UNWIND [\n  " + ",\n  ".join(rows) + "\n] AS row\n" + body + "\n"


def node_statement(label: NodeLabel, rows: list[str]) -> str:
    """One statement creating a batch of nodes of one label."""
    # A static label: ArcadeDB silently ignores labels set dynamically.
    return _unwind(rows, f"CREATE (n:Entity:{NodeLabel(label).value})\nSET n = row;")


def claim_statement(claim_type: ClaimType, rows: list[str]) -> str:
    """One statement creating a batch of claims of one type between existing nodes."""
    return _unwind(
        rows,
        "MATCH (a:Entity {id: row.from})\nMATCH (b:Entity {id: row.to})\n"
        f"CREATE (a)-[r:{ClaimType(claim_type).value}]->(b)\nSET r = row.props;",
    )


def header(meta: ExportMeta) -> str:
    """The comment at the top of the script: what it is, which export, how to run it."""
    # Every value from the export is written as a quoted literal, so that none can end
    # the comment line and become a statement.
    facts = [
        ("scope", meta.scope),
        ("subject", meta.subject_id),
        ("title", meta.title),
        ("profile", meta.profile),
        ("exported at", utc_iso(meta.exported_at)),
        ("tool version", meta.tool_version),
    ]
    lines = [
        "// Accountability graph export: a Cypher script that recreates the exported",
        "// nodes and claims (relationships) in an empty Neo4j 5 database.",
        "//",
        *(f"// {name}: {cypher_literal(value)}" for name, value in facts),
        "//",
        "// Run it with: cypher-shell -a <bolt-url> -u <user> -d <database> -f case.cypher",
        "// Run it once, on an empty database: node ids are unique, so a second run stops",
        "// at its first node. To load the export back into the service, import case.json.",
        "// Each statement ends with ';' at the end of a line.",
        "",
    ]
    return "\n".join(lines) + "\n"


class CypherScriptWriter(Writer):
    """Streams the script, a batch of up to ``BATCH_ROWS`` rows per label or type."""

    files = ("case.cypher",)

    def __init__(self, folder: Path, meta: ExportMeta) -> None:
        super().__init__(folder, meta)
        self._out: IO[str] = (folder / self.files[0]).open("w", encoding="utf-8", newline="\n")
        self._out.write(header(meta))
        self._out.write(CONSTRAINT + "\n")
        self._nodes: dict[NodeLabel, list[str]] = {}
        self._claims: dict[ClaimType, list[str]] = {}
        self._claims_started = False
        self.node_count = 0
        self.claim_count = 0

    def _write(self, statement: str) -> None:
        self._out.write("\n" + statement)

    def node(self, node: NodeRecord) -> None:
        if self._claims_started:
            # A claim's MATCH must find both of its nodes already created.
            raise RuntimeError("the Cypher script needs every node before the first claim")
        rows = self._nodes.setdefault(node.label, [])
        rows.append(cypher_literal(node_row(node)))
        self.node_count += 1
        if len(rows) >= BATCH_ROWS:
            self._write(node_statement(node.label, rows))
            rows.clear()

    def _flush_nodes(self) -> None:
        for label, rows in self._nodes.items():
            if rows:
                self._write(node_statement(label, rows))
        self._nodes.clear()

    def claim(self, claim: ClaimRecord) -> None:
        if not self._claims_started:
            self._flush_nodes()
            self._claims_started = True
        rows = self._claims.setdefault(claim.type, [])
        rows.append(cypher_literal(claim_row(claim)))
        self.claim_count += 1
        if len(rows) >= BATCH_ROWS:
            self._write(claim_statement(claim.type, rows))
            rows.clear()

    def close(self) -> None:
        self._flush_nodes()
        for claim_type, rows in self._claims.items():
            if rows:
                self._write(claim_statement(claim_type, rows))
        self._claims.clear()
        self._out.write(
            f"\n// End of script (nodes: {self.node_count}, claims: {self.claim_count}).\n"
        )
        self._out.close()
