"""Rows of spreadsheets, read through a mapping, as one interchange document.

Every row is read; every problem is kept with its file, row and column, and reported
together. What comes out is an ordinary interchange document, imported by the same
journaled path as a JSON file (so undo, masking of protected names, the audit log and
the checks of the interchange import apply unchanged)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from accountability.domain.claims import endpoint_problem
from accountability.domain.interchange import FORMAT, VERSION
from accountability.domain.mapping.cells import (
    CellError,
    Day,
    clean,
    fold,
    holds,
    read_date,
    read_value,
)
from accountability.domain.mapping.spec import (
    ClaimSpec,
    DateSpec,
    EndSpec,
    EntitySpec,
    FileSpec,
    Mapping,
)
from accountability.domain.nodes import PROPERTY_MODELS
from accountability.domain.vocabulary import (
    CLAIM_EXTRA_PROPERTIES,
    ClaimType,
    Confidence,
    DatePrecision,
    NodeLabel,
)
from accountability.errors import Problem

#: Weakest first: a claim read from several confidence columns takes the weakest.
_STRENGTH = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


@dataclass(frozen=True)
class Table:
    """One sheet of one input file: its rows as text by column name."""

    file: str
    sha256: str
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    #: The spreadsheet row number of ``rows[0]`` (the header is the row before).
    first_row: int = 2


@dataclass(frozen=True)
class Origin:
    """Where a value was read: file, spreadsheet row, column."""

    file: str
    row: int
    column: str = ""

    def at(self, column: str) -> Origin:
        return Origin(self.file, self.row, column)

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}" if self.column else f"{self.file}:{self.row}"


@dataclass
class _Node:
    id: str
    label: NodeLabel
    origin: Origin
    props: dict[str, Any] = field(default_factory=dict)
    #: Where each property was first read.
    where: dict[str, Origin] = field(default_factory=dict)
    #: The column each property is read from (to name an empty one).
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Compiled:
    """The document, and where each of its records came from."""

    document: dict[str, Any]
    node_origins: dict[str, Origin]
    claim_origins: dict[str, Origin]
    #: Nodes that rows name by key or as evidence but no row makes: they must already be
    #: stored (evidence as Evidence).
    references: dict[str, tuple[NodeLabel, Origin]]
    rows: int
    #: Per claim block ("file block n, claim m: TYPE"), rows that made no claim because
    #: an end's key was empty.
    skipped: dict[str, int]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def dataset_id(namespace: str, sha256: str) -> str:
    """The id of the Evidence item made for a file: the same file, the same item."""
    return f"{namespace}-dataset-{sha256[:16]}"


class _Compiler:
    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.labels = mapping.labels()
        self.id_specs = {
            e.name: e.id for block in mapping.files for e in block.entities if e.id is not None
        }
        self.problems: list[Problem] = []
        self.nodes: dict[str, _Node] = {}
        self.claims: dict[str, dict[str, Any]] = {}
        self.claim_origins: dict[str, Origin] = {}
        self.references: dict[str, tuple[NodeLabel, Origin]] = {}
        self.skipped: dict[str, int] = defaultdict(int)
        self.rows = 0

    def problem(self, where: Origin, message: str) -> None:
        self.problems.append(Problem(str(where), message))

    # --- ids ----------------------------------------------------------------------

    def node_id(self, entity: str, values: list[str]) -> str:
        spec = self.id_specs.get(entity)
        if spec is not None:
            return f"{spec.prefix}{values[0]}"
        ns = self.mapping.namespace
        return f"{ns}-{entity}-{_digest(ns, entity, *values)[:16]}"

    def key_values(
        self, columns: Iterable[str], row: dict[str, str], origin: Origin
    ) -> list[str] | None:
        """The key on this row; None when it is empty (the row names no such node). A
        key only partly given is a problem."""
        values = [clean(row.get(c)) for c in columns]
        if not any(values):
            return None
        for column, value in zip(columns, values, strict=True):
            if not value:
                self.problem(origin.at(column), "part of a key is empty")
                return None
            if any(ch.isspace() for ch in value) and column in self._id_columns:
                self.problem(origin.at(column), f"{value!r} has spaces: not an id")
                return None
        return values

    @property
    def _id_columns(self) -> set[str]:
        return {s.column for s in self.id_specs.values()}

    # --- rows ---------------------------------------------------------------------

    def read(self, block: FileSpec, number: int, table: Table) -> None:
        for i, row in enumerate(table.rows):
            self.rows += 1
            origin = Origin(table.file, table.first_row + i)
            made: dict[str, str] = {}
            for entity in block.entities:
                node_id = self.entity(entity, row, origin)
                if node_id is not None:
                    made[entity.name] = node_id
            for j, claim in enumerate(block.claims):
                if holds(claim.when, row):
                    self.claim(claim, f"{block.match} claim {j + 1}", row, origin, made, table)

    def entity(self, spec: EntitySpec, row: dict[str, str], origin: Origin) -> str | None:
        if not holds(spec.when, row):
            return None
        columns = [spec.id.column] if spec.id else spec.key
        values = self.key_values(columns, row, origin)
        if values is None:
            return None
        node_id = self.node_id(spec.name, values)
        node = self.nodes.get(node_id)
        if node is None:
            node = self.nodes[node_id] = _Node(node_id, spec.label, origin.at(columns[0]))
            node.columns = {k: v.column for k, v in spec.properties.items() if v.column}
        for prop, value_spec in spec.properties.items():
            where = origin.at(value_spec.column or "")
            try:
                value = read_value(value_spec, row)
            except CellError as exc:
                self.problem(where, str(exc))
                continue
            self.merge(node, prop, value, where)
        return node_id

    def merge(self, node: _Node, prop: str, value: Any, where: Origin) -> None:
        """Rows with the same key make one node: lists gather, a value given twice must
        agree (two rows naming one person differently is a mistake to see, not to pick)."""
        if value is None or value == []:
            return
        current = node.props.get(prop)
        if current is None:
            node.props[prop] = value
            node.where[prop] = where
        elif isinstance(current, list) and isinstance(value, list):
            node.props[prop] = list(dict.fromkeys([*current, *value]))
        elif current != value:
            self.problem(
                where,
                f"{value!r} differs from {current!r} given for {node.id} at {node.where[prop]}",
            )

    def end(
        self, end: EndSpec, row: dict[str, str], origin: Origin, made: dict[str, str]
    ) -> tuple[str | None, str]:
        """A claim's end on this row: the node's id (None when its key is empty) and the
        column that named it."""
        if not end.key:
            columns = self._entity_columns(end.entity)
            return made.get(end.entity), columns[0]
        values = self.key_values(end.key, row, origin)
        if values is None:
            return None, end.key[0]
        node_id = self.node_id(end.entity, values)
        self.references.setdefault(node_id, (self.labels[end.entity], origin.at(end.key[0])))
        return node_id, end.key[0]

    def _entity_columns(self, entity: str) -> list[str]:
        for block in self.mapping.files:
            for e in block.entities:
                if e.name == entity:
                    return [e.id.column] if e.id else e.key
        return [""]

    def claim(
        self,
        spec: ClaimSpec,
        block: str,
        row: dict[str, str],
        origin: Origin,
        made: dict[str, str],
        table: Table,
    ) -> None:
        from_id, from_col = self.end(spec.from_, row, origin, made)
        to_id, to_col = self.end(spec.to, row, origin, made)
        claim_type = self.claim_type(spec, row, origin)
        if from_id is None or to_id is None:
            self.skipped[f"{block} ({claim_type or '?'})"] += 1
            return
        # Every problem of the row is found, not the first: a bad type does not hide
        # a bad date.
        ok = claim_type is not None
        if from_id == to_id:
            self.problem(origin.at(to_col), "a claim cannot join a node to itself")
            ok = False
        why = claim_type and endpoint_problem(
            claim_type, self.labels[spec.from_.entity], self.labels[spec.to.entity]
        )
        if why:
            self.problem(origin.at(from_col), why)
            ok = False
        start = self.date(spec.valid_from, row, origin, end=False)
        end = self.date(spec.valid_to, row, origin, end=True)
        valid_from = start.first if isinstance(start, Day) else None
        valid_to = end.last if isinstance(end, Day) else None
        if start is False or end is False:
            ok = False
        elif valid_from and valid_to and valid_to < valid_from:
            assert spec.valid_to is not None and spec.valid_from is not None
            self.problem(
                origin.at(spec.valid_to.column),
                f"{valid_to} is before the start {valid_from} ({spec.valid_from.column})",
            )
            ok = False
        precision = spec.precision.value
        if spec.precision.exact_when:
            exact = any(holds(c, row) for c in spec.precision.exact_when)
            precision = DatePrecision.EXACT if exact else DatePrecision.APPROXIMATE
        if any(isinstance(d, Day) and d.partial for d in (start, end)):
            precision = DatePrecision.APPROXIMATE  # a month or a year cannot be every day
        confidence = self.confidence(spec, row, origin)
        evidence: list[str] = []
        if spec.evidence.column:
            cell = clean(row.get(spec.evidence.column))
            parts = cell.split(spec.evidence.split) if spec.evidence.split else [cell]
            for part in (clean(p) for p in parts):
                if not part:
                    continue
                if any(ch.isspace() for ch in part):
                    self.problem(origin.at(spec.evidence.column), f"{part!r} is not an id")
                    ok = False
                evidence_id = f"{spec.evidence.prefix}{part}"
                evidence.append(evidence_id)
                where = origin.at(spec.evidence.column)
                self.references.setdefault(evidence_id, (NodeLabel.EVIDENCE, where))
        if spec.evidence.dataset and self.mapping.dataset is not None:
            evidence.append(dataset_id(self.mapping.namespace, table.sha256))
        properties: dict[str, Any] = {}
        allowed = CLAIM_EXTRA_PROPERTIES.get(claim_type, {}) if claim_type else {}
        for prop, value_spec in spec.properties.items():
            where = origin.at(value_spec.column or "")
            if claim_type is None or (prop not in allowed and not isinstance(spec.type, ClaimType)):
                continue  # a type read from a column: rank and title are for MEMBER_OF only
            if prop not in allowed:
                names = ", ".join(sorted(allowed)) or "none"
                self.problem(where, f"{prop!r} is not a property of {claim_type} ({names})")
                ok = False
                continue
            try:
                value = read_value(value_spec, row)
            except CellError as exc:
                self.problem(where, str(exc))
                ok = False
                continue
            if value is not None and not isinstance(value, allowed[prop]):
                self.problem(where, f"{prop!r} must be a {allowed[prop].__name__}")
                ok = False
                continue
            properties[prop] = value
        if confidence is None or claim_type is None or not ok:
            return
        if spec.id is not None:
            cell = clean(row.get(spec.id.column))
            if not cell or any(ch.isspace() for ch in cell):
                self.problem(origin.at(spec.id.column), f"{cell!r} is not an id")
                return
            claim_id = f"{spec.id.prefix}{cell}"
        else:
            # The same link over the same dates, stated on several rows, is one claim.
            claim_id = "{}-c-{}".format(
                self.mapping.namespace,
                _digest(
                    self.mapping.namespace,
                    claim_type.value,
                    from_id,
                    to_id,
                    str(valid_from or ""),
                    str(valid_to or ""),
                )[:20],
            )
        record = {
            "id": claim_id,
            "type": claim_type.value,
            "from": from_id,
            "to": to_id,
            "valid_from": valid_from.isoformat() if valid_from else None,
            "valid_to": valid_to.isoformat() if valid_to else None,
            "date_precision": precision.value,
            "confidence": confidence.value,
            "evidence": list(dict.fromkeys(evidence)),
            "properties": {k: v for k, v in properties.items() if v is not None},
        }
        self.add_claim(record, origin)

    def add_claim(self, record: dict[str, Any], origin: Origin) -> None:
        stored = self.claims.get(record["id"])
        if stored is None:
            self.claims[record["id"]] = record
            self.claim_origins[record["id"]] = origin
            return
        differ = [
            k for k in ("date_precision", "confidence", "properties") if stored[k] != record[k]
        ]
        if differ:
            self.problem(
                origin,
                f"the same {record['type']} is stated at {self.claim_origins[record['id']]} "
                f"with another {', '.join(differ)}",
            )
            return
        stored["evidence"] = list(dict.fromkeys([*stored["evidence"], *record["evidence"]]))

    def claim_type(self, spec: ClaimSpec, row: dict[str, str], origin: Origin) -> ClaimType | None:
        if isinstance(spec.type, ClaimType):
            return spec.type
        text = clean(row.get(spec.type.column))
        table = {fold(k): v for k, v in spec.type.map.items()}
        if fold(text) in table:
            return table[fold(text)]
        if spec.type.default is not None:
            return spec.type.default
        known = ", ".join(repr(k) for k in spec.type.map)
        self.problem(origin.at(spec.type.column), f"{text!r} is not in the vocabulary ({known})")
        return None

    def date(
        self, spec: DateSpec | None, row: dict[str, str], origin: Origin, end: bool
    ) -> Day | bool | None:
        """The date of a row (None: none given, or open-ended; False: a problem)."""
        if spec is None:
            return None
        if end and holds(spec.open_when, row) and spec.open_when is not None:
            return None
        text = clean(row.get(spec.column))
        if not text:
            return None
        try:
            return read_date(text, spec.formats)
        except CellError as exc:
            self.problem(origin.at(spec.column), str(exc))
            return False

    def confidence(self, spec: ClaimSpec, row: dict[str, str], origin: Origin) -> Confidence | None:
        c = spec.confidence
        if c.value is not None:
            return c.value
        if not c.columns:
            return Confidence.LOW
        table = {fold(k): v for k, v in c.map.items()}
        table.update({v.value: v for v in Confidence if v.value not in table})
        found: list[Confidence] = []
        for column in c.columns:
            text = fold(row.get(column, ""))
            if not text:
                continue
            if text not in table:
                known = ", ".join(repr(k) for k in table)
                self.problem(origin.at(column), f"{text!r} is not a confidence ({known})")
                return None
            found.append(table[text])
        if not found:
            return c.default
        return min(found, key=lambda v: _STRENGTH[v])

    # --- the document -------------------------------------------------------------

    def finish(self, tables: list[Table]) -> Compiled:
        nodes: list[dict[str, Any]] = []
        if self.mapping.dataset is not None:
            d = self.mapping.dataset
            for table in {t.sha256: t for t in tables}.values():
                props: dict[str, Any] = {
                    "kind": d.kind.value,
                    "title": f"{d.title}: {table.file}"[:500],
                    "sha256": table.sha256,
                    "classification": d.classification.value,
                }
                for key in ("source", "reliability", "credibility"):
                    if getattr(d, key) is not None:
                        props[key] = getattr(d, key)
                node_id = dataset_id(self.mapping.namespace, table.sha256)
                nodes.append({"id": node_id, "label": "Evidence", "properties": props})
                self.nodes.pop(node_id, None)
        node_origins: dict[str, Origin] = {}
        for node in self.nodes.values():
            try:
                PROPERTY_MODELS[node.label].model_validate(node.props)
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    prop = str(err["loc"][0]) if err["loc"] else ""
                    where = node.where.get(prop) or node.origin.at(node.columns.get(prop, prop))
                    message = err["msg"].removeprefix("Value error, ")
                    if err["type"] == "missing":
                        message = f"{node.label.value} {prop!r} is empty"
                    self.problem(where, message)
                continue
            nodes.append({"id": node.id, "label": node.label.value, "properties": node.props})
            node_origins[node.id] = node.origin
        references = {k: v for k, v in self.references.items() if k not in self.nodes}
        for node_id, (label, origin) in self.references.items():
            made = self.nodes.get(node_id)
            if made is not None and made.label is not label:
                self.problem(origin, f"{node_id!r} is a {made.label.value}, not a {label.value}")
        return Compiled(
            document={
                "format": FORMAT,
                "version": VERSION,
                "nodes": nodes,
                "claims": list(self.claims.values()),
            },
            node_origins=node_origins,
            claim_origins=self.claim_origins,
            references=references,
            rows=self.rows,
            skipped=dict(self.skipped),
        )


def compile_tables(
    mapping: Mapping, tables: list[tuple[FileSpec, Table]]
) -> tuple[Compiled, list[Problem]]:
    """The interchange document these tables make, and every problem found on the way
    (the document is only to be imported when there are none)."""
    compiler = _Compiler(mapping)
    for number, (block, table) in enumerate(tables):
        missing = [c for c in _columns(block) if c not in table.columns]
        for column in missing:
            compiler.problem(
                Origin(table.file, table.first_row - 1, column), "no such column in the header"
            )
        if missing:
            continue
        compiler.read(block, number, table)
    compiled = compiler.finish([t for _, t in tables])
    return compiled, compiler.problems


def _columns(block: FileSpec) -> list[str]:
    """Every column a block reads, to check the header once instead of every row."""
    out: list[str] = []
    for entity in block.entities:
        out += [entity.id.column] if entity.id else entity.key
        out += [v.column for v in entity.properties.values() if v.column]
        if entity.when:
            out.append(entity.when.column)
    for claim in block.claims:
        out += claim.from_.key + claim.to.key
        if not isinstance(claim.type, ClaimType):
            out.append(claim.type.column)
        for d in (claim.valid_from, claim.valid_to):
            if d is not None:
                out.append(d.column)
                if d.open_when:
                    out.append(d.open_when.column)
        out += [c.column for c in claim.precision.exact_when]
        # Confidence columns may be absent (SFM's downloads carry them on request).
        if claim.evidence.column:
            out.append(claim.evidence.column)
        out += [v.column for v in claim.properties.values() if v.column]
        if claim.id:
            out.append(claim.id.column)
        if claim.when:
            out.append(claim.when.column)
    return list(dict.fromkeys(out))
