"""A mapping import: files read through a mapping into one interchange document, then
imported by the interchange import (journaled, undoable, masked, audited as any)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accountability.domain.imports import ImportRun, ImportSource
from accountability.domain.mapping.compile import Compiled, Origin, Table, compile_tables
from accountability.domain.mapping.spec import FileSpec, Mapping
from accountability.domain.nodes import PROPERTY_MODELS, storable
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import Problem, ValidationFailed, problems_from_validation
from accountability.graph.catalog import Q
from accountability.services.ingest.interchange import ImportReport, InterchangeService
from accountability.services.ingest.mapping.tables import InputFile, read_tables
from accountability.services.permissions import require_write
from accountability.services.protection.masks import client_props
from accountability.services.records import found_nodes

Progress = Callable[[int], None]
Transform = Callable[[list[tuple[FileSpec, Table]]], list[tuple[FileSpec, Table]]]
_RECORD = re.compile(r"^(nodes|claims)\[(\d+)\](.*)$")


def load_mapping(text: str, name: str) -> Mapping:
    """A mapping from its YAML text; its problems are named after the mapping file."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise ValidationFailed.of([Problem(where, f"not YAML: {exc}")]) from None
    try:
        return Mapping.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed.of(problems_from_validation(exc, name)) from None


@dataclass(frozen=True)
class Prepared:
    """Files compiled through a mapping, checked, ready to import."""

    compiled: Compiled
    source: ImportSource

    @property
    def records(self) -> int:
        doc = self.compiled.document
        return len(doc["nodes"]) + len(doc["claims"])


@dataclass
class DryRun:
    """What an import would do, counted: nothing is written to find it out."""

    rows: int
    new_nodes: Counter[str] = field(default_factory=Counter)
    changed_nodes: Counter[str] = field(default_factory=Counter)
    same_nodes: Counter[str] = field(default_factory=Counter)
    new_claims: Counter[str] = field(default_factory=Counter)
    known_claims: Counter[str] = field(default_factory=Counter)
    skipped: dict[str, int] = field(default_factory=dict)


class MappingImport:
    """Reads, checks and imports files by a mapping."""

    def __init__(self, interchange: InterchangeService) -> None:
        self.interchange = interchange
        self.db = interchange.db

    async def prepare(
        self,
        mapping: Mapping,
        mapping_bytes: bytes,
        files: list[InputFile],
        label: str,
        transform: Transform | None = None,
    ) -> Prepared:
        """Read every file and check every row; every problem at once, by file, row and
        column. Nodes named by key that no row makes must already be stored. ``transform``
        adds what a format needs and a mapping cannot say (SFM's columns)."""
        tables, problems = read_tables(mapping, files)
        if transform is not None:
            tables = transform(tables)
        compiled, found = compile_tables(mapping, tables)
        problems += found
        refs = compiled.references
        stored = await self.interchange.nodes.labels_of(list(refs)) if refs else {}
        for node_id, (want, origin) in refs.items():
            have = stored.get(node_id)
            if have is None and want is NodeLabel.EVIDENCE:
                problems.append(Problem(str(origin), f"no evidence item with id {node_id!r}"))
            elif have is None:
                problems.append(Problem(str(origin), f"no {want.value} has this key ({node_id})"))
            elif have is not want:
                problems.append(Problem(str(origin), f"{node_id} is a {have.value}, not {want}"))
        if problems:
            raise ValidationFailed.of(problems)
        digest = hashlib.sha256(hashlib.sha256(mapping_bytes).digest())
        for file in files:
            digest.update(bytes.fromhex(file.sha256))
        return Prepared(compiled, ImportSource(label, digest.hexdigest()))

    async def dry_run(self, prepared: Prepared) -> DryRun:
        """What the import would create and change, after every check the import makes
        (the interchange's too): its problems are raised as the import would raise them."""
        try:
            await self.interchange.validate(prepared.compiled.document)
        except ValidationFailed as exc:
            raise _located(exc, prepared.compiled) from None
        doc = prepared.compiled.document
        out = DryRun(rows=prepared.compiled.rows, skipped=prepared.compiled.skipped)
        ids = [n["id"] for n in doc["nodes"]]
        found = {
            r["id"]: client_props(r["props"])
            for start in range(0, len(ids), 5000)
            for r in found_nodes(
                await self.db.read(
                    Q.GET_NODES, ids=ids[start : start + 5000], cleared=True, public_only=False
                )
            )
        }
        for node in doc["nodes"]:
            label = node["label"]
            stored = found.get(node["id"])
            if stored is None:
                out.new_nodes[label] += 1
                continue
            model = PROPERTY_MODELS[NodeLabel(label)].model_validate(node["properties"])
            after = storable(model)
            if any(stored.get(k) != v for k, v in after.items()):
                out.changed_nodes[label] += 1
            else:
                out.same_nodes[label] += 1
        claim_ids = [c["id"] for c in doc["claims"]]
        known: set[str] = set()
        for start in range(0, len(claim_ids), 5000):
            rows = await self.db.read(
                Q.GET_CLAIMS, ids=claim_ids[start : start + 5000], public_only=False
            )
            known |= {r["id"] for r in rows}
        for claim in doc["claims"]:
            (out.known_claims if claim["id"] in known else out.new_claims)[claim["type"]] += 1
        return out

    async def run(
        self,
        viewer: Viewer,
        prepared: Prepared,
        progress: Progress | None = None,
        started: Callable[[ImportRun], None] | None = None,
    ) -> ImportReport:
        """Import the compiled document as one journaled import."""
        require_write(viewer)
        try:
            return await self.interchange.import_document(
                viewer,
                prepared.compiled.document,
                progress,
                source=prepared.source,
                started=started,
            )
        except ValidationFailed as exc:
            raise _located(exc, prepared.compiled) from None


def _located(exc: ValidationFailed, compiled: Compiled) -> ValidationFailed:
    """The interchange's problems (``claims[12].evidence[0]``) said by file, row and
    column of the row that made the record."""
    doc = compiled.document
    out: list[Problem] = []
    for p in exc.problems:
        m = _RECORD.match(p.where)
        if m is None:
            out.append(p)
            continue
        section, index, rest = m.group(1), int(m.group(2)), m.group(3)
        records = doc[section]
        if index >= len(records):
            out.append(p)
            continue
        record_id = records[index]["id"]
        origins = compiled.node_origins if section == "nodes" else compiled.claim_origins
        origin = origins.get(record_id)
        if origin is None:  # the dataset item: made by the mapping, not by a row
            out.append(Problem(f"{record_id}{rest}", p.message))
            continue
        out.append(
            Problem(str(Origin(origin.file, origin.row)), f"{rest.lstrip('.')}: {p.message}")
        )
    return ValidationFailed.of(out)


def read_inputs(paths: list[Path]) -> list[InputFile]:
    """The files given, folders expanded to the spreadsheets in them (sorted: the same
    folder, the same order, the same import)."""
    out: list[InputFile] = []
    for path in paths:
        if path.is_dir():
            out += [
                InputFile.read(p)
                for p in sorted(path.iterdir())
                if p.is_file() and p.suffix.lower() in (".csv", ".xlsx")
            ]
        else:
            out.append(InputFile.read(path))
    return out


def describe(value: Any) -> str:
    """A count by kind, for the dry run ("Person 3, Unit 2")."""
    return ", ".join(f"{k} {n}" for k, n in sorted(value.items())) or "none"
