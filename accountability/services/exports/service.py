"""Exports of a case, a trace or the whole graph: gather, apply the profile, write every
format, bundle with a manifest, audit."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from accountability import __version__
from accountability.domain import phrasing
from accountability.domain.export_profiles import (
    ExportPolicy,
    ExportProfile,
    effective_profile,
    policy_for,
)
from accountability.domain.liability import Mode
from accountability.domain.redaction import SYSTEM, Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import Conflict, Forbidden, NotFound, ProblemList
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services import audit
from accountability.services.cases import CaseService
from accountability.services.evidence_files import ContentStore
from accountability.services.exports import brief as briefs
from accountability.services.exports import bundle, chart, matrix_csv
from accountability.services.exports.base import ClaimRecord, ExportMeta, NodeRecord
from accountability.services.exports.snapshot import Redactor, graph_rows, subgraph_rows
from accountability.services.exports.writer_process import LocalWriters, Writers, writers_for
from accountability.services.liability.elements import CaseMatrix, ElementService
from accountability.services.liability.trace import TraceResult, TraceService
from accountability.services.permissions import require_graph_export
from accountability.services.records import found_nodes
from accountability.services.signing.keys import KeyRing

#: (records written, records in all, or None while unknown)
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Scope:
    """What to export: a case file, the subgraph of one incident's trace, or everything."""

    kind: Literal["case", "trace", "graph"]
    subject: str | None = None
    max_depth: int = 6
    include_leads: bool = False
    #: Court bundles of a case or trace only: the evidence originals from the store.
    with_originals: bool = False


@dataclass
class _Fed:
    nodes: dict[str, NodeRecord]
    claims: list[ClaimRecord]
    node_count: int
    claim_count: int


@dataclass(frozen=True)
class ExportResult:
    path: Path
    meta: ExportMeta
    requested: ExportProfile
    nodes: int
    claims: int
    manifest_sha256: str | None


def _check_originals(
    scope: Scope, requested: ExportProfile, profile: ExportProfile, out: Path
) -> None:
    """Originals go only into court bundles of a case or a trace: they are the evidence
    itself, unredacted, and a partner or public reader must never receive them."""
    problems = ProblemList()
    if requested is not ExportProfile.COURT:
        problems.add(
            "withOriginals", f"originals go only into court bundles, not {requested.value}"
        )
    if scope.kind == "graph":
        problems.add("withOriginals", "originals go only into a case's or a trace's bundle")
    if out.suffix.lower() != ".zip":
        problems.add("withOriginals", "originals need a bundle (.zip)")
    problems.raise_if_any()
    if profile is not ExportProfile.COURT:
        raise Forbidden(
            f"originals need a court export, and this role's exports are {profile.value}"
        )


class ExportService:
    def __init__(
        self,
        db: Database,
        cases: CaseService,
        tracing: TraceService,
        keys: KeyRing,
        store: ContentStore,
        elements: ElementService | None = None,
    ) -> None:
        self.db = db
        self.elements = elements
        self.cases = cases
        self.tracing = tracing
        self.keys = keys
        self.store = store
        self.masks = tracing.nodes.masks

    async def check(self, viewer: Viewer, scope: Scope) -> NodeRecord | None:
        """Refuse what the caller may not export, or what does not exist; the case or
        incident exported, in full."""
        if scope.kind == "graph":
            require_graph_export(viewer)
            return None
        if scope.subject is None:
            raise NotFound(f"a {scope.kind} export needs an id")
        if scope.kind == "case":
            await self.cases.require_case(scope.subject)
        found = await self.tracing.nodes.get_many([scope.subject], viewer)
        record = found.get(scope.subject)
        if record is None or (scope.kind == "trace" and record.label is not NodeLabel.INCIDENT):
            raise NotFound(
                f"no {'incident' if scope.kind == 'trace' else 'case'} with id {scope.subject!r}"
            )
        return record

    async def export(
        self,
        viewer: Viewer,
        scope: Scope,
        requested: ExportProfile,
        out: Path,
        progress: Progress | None = None,
    ) -> ExportResult:
        """Write the export: a .zip bundle (every format and a manifest) when ``out``
        ends in .zip, else the one format given (the interchange JSON by default)."""
        await self.check(viewer, scope)
        profile = effective_profile(requested, viewer)
        if scope.with_originals:
            _check_originals(scope, requested, profile, out)
        # Every rendition masked with the current protected names before any is read.
        await self.masks.remask()
        rows = await self.db.read(Q.PSEUDONYMS)
        policy = policy_for(profile, [str(r["pseudonym"]) for r in rows])
        redactor = Redactor(policy, await self.masks.floor())
        subject = None
        if scope.subject is not None:
            subject = (await self.tracing.nodes.get_many([scope.subject], policy.reader)).get(
                scope.subject
            )
        as_bundle = out.suffix.lower() == ".zip"
        out.parent.mkdir(parents=True, exist_ok=True)
        work = _work_folder(out)
        try:
            title = _title(scope, subject, policy)
            meta = ExportMeta(
                scope=scope.kind,
                subject_id=scope.subject,
                title=title,
                profile=profile.value,
                exported_by=viewer.name,
                role=viewer.role.value,
                exported_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
                tool_version=__version__,
            )
            # A bundle's formats are written by a process of their own (writer_process.py).
            writers = await writers_for(work, meta, None if as_bundle else ["InterchangeWriter"])
            made_matrix = None
            try:
                async with writers:
                    if (
                        as_bundle
                        and scope.kind == "case"
                        and scope.subject
                        and self.elements is not None
                    ):
                        # The matrix (and the traces of the case's incidents, which the
                        # brief tells too) is made while the formats are written: the
                        # engine walks command chains and this process weighs them while
                        # the writers' process writes files. As the profile's reader sees
                        # it: renditions below court.
                        made_matrix = asyncio.create_task(
                            self.elements.matrix_and_traces(
                                scope.subject, policy.reader, scope.max_depth
                            )
                        )
                    fed = await self._feed(scope, redactor, writers, progress)
                    files = await writers.close()
            except BaseException:
                if made_matrix is not None:
                    made_matrix.cancel()
                    await asyncio.gather(made_matrix, return_exceptions=True)
                raise
            if as_bundle and scope.kind != "graph":
                matrix, traced = await made_matrix if made_matrix else (None, {})
                brief = await self._brief(scope, meta, policy, fed, matrix, traced)
                await asyncio.to_thread(briefs.write, work, brief)
                files.append(briefs.FILE)
                if matrix is not None:
                    await asyncio.to_thread(matrix_csv.write, work, brief.matrix)
                    files.append(matrix_csv.FILE)
            if scope.with_originals:
                files += await asyncio.to_thread(self._originals, work, fed)
            manifest_sha = None
            signed_by = None
            made = work / files[0]
            if as_bundle:
                made = work / ".bundle.zip"
                signer = await asyncio.to_thread(self.keys.signer)
                signed_by = signer.public.fingerprint
                manifest_sha = await asyncio.to_thread(
                    bundle.write,
                    work,
                    files,
                    made,
                    meta,
                    requested.value,
                    fed.node_count,
                    fed.claim_count,
                    signer,
                )
            # Every read is done: had the protected names changed since the floor this
            # export judged renditions by was read, a rendition it served may have been
            # made with the older names, and no such file is made.
            if await self.masks.floor() != redactor.floor:
                raise Conflict(
                    "the protected names changed while the export was being made; "
                    "nothing was written: export again"
                )
            # Audited before the file appears: an export that cannot be logged is not made.
            await self._audit(
                viewer, scope, requested, profile, redactor, fed, manifest_sha, signed_by
            )
            await asyncio.to_thread(shutil.move, made, out)
        finally:
            await asyncio.to_thread(shutil.rmtree, work, True)
        return ExportResult(out, meta, requested, fed.node_count, fed.claim_count, manifest_sha)

    def _originals(self, work: Path, fed: _Fed) -> list[str]:
        """Copy the originals of the exported evidence into ``originals/sha256/``, each
        hashed as it is copied (a chunk at a time: a bundle of a few GB never sits in
        memory) and checked against the hash its Evidence item records."""
        wanted = sorted(
            {
                str(n.properties["sha256"])
                for n in fed.nodes.values()
                if n.label is NodeLabel.EVIDENCE and n.properties.get("sha256")
            }
        )
        files = []
        for sha in wanted:
            source = self.store.path_of(sha)
            if not source.is_file():
                continue  # a hash recorded for a file this store never received
            name = f"{bundle.ORIGINALS}/{sha}"
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with source.open("rb") as src, target.open("wb") as dst:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != sha:
                raise Conflict(
                    f"the stored original {sha} no longer matches its hash; run "
                    "'accountability evidence verify' before exporting originals"
                )
            files.append(name)
        return files

    async def _feed(
        self,
        scope: Scope,
        redactor: Redactor,
        writers: Writers | LocalWriters,
        progress: Progress | None,
    ) -> _Fed:
        """Every record through the redactor to every writer. A subgraph's kept records
        come back for the brief; a whole graph's are only counted, never held."""
        step = progress or (lambda _d, _t: None)
        fed = _Fed({}, [], 0, 0)
        keep = scope.kind != "graph"
        node_rows: AsyncIterator[dict[str, Any]] | list[dict[str, Any]]
        claim_rows: AsyncIterator[dict[str, Any]] | list[dict[str, Any]]
        total: int | None = None
        if scope.kind == "graph":
            node_rows, claim_rows = graph_rows(self.db)
        else:
            ids = await self._subgraph_ids(scope)
            node_rows, claim_rows = await subgraph_rows(
                self.db, ids, scope.subject if scope.kind == "case" else None
            )
            total = len(node_rows) + len(claim_rows)
        done = 0
        async for row in _rows(node_rows):
            done += 1
            record = redactor.node(row)
            if record is not None:
                fed.node_count += 1
                if keep:
                    fed.nodes[record.id] = record
                await writers.node(record)
            if done % 1000 == 0:
                step(done, total)
        async for row in _rows(claim_rows):
            done += 1
            claim = redactor.claim(row)
            if claim is not None:
                fed.claim_count += 1
                if keep:
                    fed.claims.append(claim)
                await writers.claim(claim)
            if done % 1000 == 0:
                step(done, total)
        step(done, done)
        return fed

    async def _subgraph_ids(self, scope: Scope) -> list[str]:
        assert scope.subject is not None
        if scope.kind == "case":
            return [scope.subject, *(m.id for m in await self.cases.members(scope.subject))]
        return await self.cases.trace_entities(
            SYSTEM, scope.subject, scope.max_depth, scope.include_leads
        )

    async def _audit(
        self,
        viewer: Viewer,
        scope: Scope,
        requested: ExportProfile,
        profile: ExportProfile,
        redactor: Redactor,
        fed: _Fed,
        manifest_sha: str | None,
        signed_by: str | None = None,
    ) -> None:
        """One entry per export; it names the protected persons a court export revealed
        (ids only) and the bundle's manifest hash, so a bundle can be traced back."""
        subject = scope.subject or "whole graph"
        summary = (
            f"exported {scope.kind} under the {profile.value} profile "
            f"(asked: {requested.value}): {fed.node_count} nodes, {fed.claim_count} claims"
        )
        if redactor.protected_shown:
            summary += f", {len(redactor.protected_shown)} protected identities"
        if manifest_sha:
            summary += f"; manifest sha256 {manifest_sha}"
        if signed_by:
            summary += f"; signed by key {signed_by}"
        targets = [subject, *redactor.protected_shown]
        await self.db.write(lambda tx: audit.append(tx, viewer, "export", targets, summary))

    async def _brief(
        self,
        scope: Scope,
        meta: ExportMeta,
        policy: ExportPolicy,
        fed: _Fed,
        matrix: CaseMatrix | None = None,
        traced: dict[str, TraceResult] | None = None,
    ) -> briefs.Brief:
        """Traces of the export's incidents, told for the persons in the export (those
        in ``traced``, made for the same reader and depth, are not traced again)."""
        incidents = sorted(
            (n for n in fed.nodes.values() if n.label is NodeLabel.INCIDENT),
            key=lambda n: (str(n.properties.get("start_date") or ""), n.id),
        )
        found = dict(traced or {})
        untraced = [i.id for i in incidents if i.id not in found]
        found.update(await self.tracing.trace_in_rounds(untraced, scope.max_depth, policy.reader))
        traces = [found[i.id] for i in incidents]
        named = await self._named(fed, policy, traces)
        # Seconds of Python for a large case: in a thread, so that the service's loop
        # answers other requests meanwhile.
        return await asyncio.to_thread(
            self._compose, scope, meta, policy, fed, matrix, incidents, traces, named
        )

    def _compose(
        self,
        scope: Scope,
        meta: ExportMeta,
        policy: ExportPolicy,
        fed: _Fed,
        matrix: CaseMatrix | None,
        incidents: list[NodeRecord],
        traces: list[TraceResult],
        named: _Named,
    ) -> briefs.Brief:
        """The brief, told from the traces under the profile's names."""
        names = named.names
        persons: dict[str, briefs.BriefPerson] = {}
        for incident, result in zip(incidents, traces, strict=True):
            for link in result.links:
                person = fed.nodes.get(link.person_id)
                if person is None or (link.mode is Mode.PRESENT and not scope.include_leads):
                    continue
                if any(n not in names for n in link.path.nodes):
                    continue  # the path runs through someone this profile leaves out
                clauses = [
                    phrasing.sentence(
                        c.type,
                        names[c.from_id],
                        names[c.to_id],
                        c.valid_from,
                        c.valid_to,
                        c.date_precision,
                        policy.text(c.props),
                        act=incident.id in (c.from_id, c.to_id),
                    )
                    for c in link.path.claims
                ]
                entry = persons.setdefault(
                    person.id,
                    briefs.BriefPerson(
                        person.id,
                        names[person.id],
                        bool(person.properties.get("protected")) and not policy.full,
                    ),
                )
                entry.links.append(
                    briefs.BriefLink(
                        incident.id,
                        names[incident.id],
                        link.mode.value.replace("_", " ").lower(),
                        link.path.certainty.value.lower(),
                        link.path.weakest_confidence.value,
                        link.path.corroborated,
                        phrasing.path_words(clauses),
                        [e for e in link.path.evidence if e in named.evidence],
                    )
                )
        outgoing: dict[str, list[ClaimRecord]] = {}
        for c in fed.claims:
            if c.retraction is None:
                outgoing.setdefault(c.from_id, []).append(c)
        places = [
            (
                next(
                    (
                        names[c.to_id]
                        for c in outgoing.get(i.id, [])
                        if c.type is ClaimType.OCCURRED_AT
                    ),
                    "facility not recorded",
                ),
                _day(i.properties.get("start_date")),
            )
            for i in incidents
        ]
        return briefs.Brief(
            meta=meta,
            case=self._case_rows(scope, fed),
            incidents=[self._incident(i, outgoing.get(i.id, []), names) for i in incidents],
            persons=sorted(persons.values(), key=lambda p: (p.name.casefold(), p.id)),
            evidence=[_evidence_row(named.evidence[e]) for e in sorted(named.evidence)],
            notes=_profile_notes(policy),
            matrix=_matrix_cells(matrix, names, named.evidence, policy) if matrix else [],
            chart=chart.incidents_by_year(places),
        )

    async def _named(self, fed: _Fed, policy: ExportPolicy, traces: list[Any]) -> _Named:
        """Display names of everything the brief mentions, under the profile; nodes on
        a path but outside the export are read and redacted the same way."""
        records = dict(fed.nodes)
        wanted = {
            n
            for result in traces
            for link in result.links
            for n in (*link.path.nodes, *link.path.evidence)
        }
        missing = sorted(wanted - set(records))
        redactor = Redactor(policy, await self.masks.floor())
        for start in range(0, len(missing), 2000):
            rows = await self.db.read(
                Q.GET_NODES, ids=missing[start : start + 2000], cleared=True, public_only=False
            )
            for row in found_nodes(rows):
                record = redactor.node(row)
                if record is not None:
                    records[record.id] = record
        evidence = {
            i: r
            for i, r in records.items()
            if r.label is NodeLabel.EVIDENCE and (i in fed.nodes or i in wanted)
        }
        return _Named({i: r.display_name for i, r in records.items()}, evidence)

    @staticmethod
    def _case_rows(scope: Scope, fed: _Fed) -> dict[str, str]:
        if scope.kind != "case" or scope.subject not in fed.nodes:
            return {}
        p = fed.nodes[scope.subject].properties
        return {
            "Case": str(p.get("title") or scope.subject),
            "Jurisdiction": str(p.get("jurisdiction") or "not given"),
            "Status": str(p.get("status") or "not given"),
        }

    @staticmethod
    def _incident(
        incident: NodeRecord, mine: list[ClaimRecord], names: dict[str, str]
    ) -> briefs.BriefIncident:
        p = incident.properties
        places = [names[c.to_id] for c in mine if c.type is ClaimType.OCCURRED_AT]
        victims = [names[c.to_id] for c in mine if c.type is ClaimType.VICTIM]
        start, end = p.get("start_date"), p.get("end_date")
        when = "date unknown" if start is None else str(start)
        if end is not None and end != start:
            when += f" to {end}"
        return briefs.BriefIncident(
            id=incident.id,
            name=names[incident.id],
            kind=str(p.get("kind") or "").replace("_", " "),
            when=when,
            place=", ".join(places) or "not recorded",
            victims=victims,
            description=str(p.get("description") or ""),
        )


def _title(scope: Scope, subject: NodeRecord | None, policy: ExportPolicy) -> str:
    if subject is None:
        return "The whole graph"
    name = policy.words(subject.display_name)
    return name if scope.kind == "case" else f"Trace of {name}"


def _work_folder(out: Path) -> Path:
    """A private folder (0700) beside the target, so the final move is a rename; the
    system's temporary folder when the target's folder is not writable (/dev/null)."""
    try:
        return Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="accountability-export-"))


@dataclass(frozen=True)
class _Named:
    names: dict[str, str]
    evidence: dict[str, NodeRecord]


#: Rows of a list fed to the writers between two turns of the event loop.
YIELD_EVERY = 250


async def _rows(
    rows: AsyncIterator[dict[str, Any]] | list[dict[str, Any]],
) -> AsyncIterator[dict[str, Any]]:
    if isinstance(rows, list):
        for i, row in enumerate(rows):
            if i and i % YIELD_EVERY == 0:
                # A case's rows are read at once, then written without an await: give
                # the loop a turn now and then, or the service's other requests wait for
                # the whole feed (seconds for a large case).
                await asyncio.sleep(0)
            yield row
    else:
        async for row in rows:
            yield row


def _day(value: Any) -> dt.date | None:
    """An incident's start date as read (a date, or its ISO text)."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _matrix_cells(
    matrix: CaseMatrix, names: dict[str, str], evidence: dict[str, NodeRecord], policy: ExportPolicy
) -> list[matrix_csv.MatrixCell]:
    """The matrix under the profile: links of persons and incidents it shows, evidence
    it carries, text with pseudonyms withheld where it withholds them."""
    cells = []
    words = policy.words
    for r in matrix.rows:
        if r.person_id not in names or r.incident_id not in names:
            continue
        link = (r.person_id, names[r.person_id], r.incident_id, names[r.incident_id])
        mode = r.mode.value
        cells += [
            matrix_csv.MatrixCell(
                *link,
                mode,
                a.part.value,
                a.element,
                a.status.value,
                a.basis,
                [c.id for c in a.claims],
                [e for e in a.evidence if e in evidence],
                words(a.note),
            )
            for a in r.elements
        ]
    return cells


def _evidence_row(record: NodeRecord) -> briefs.BriefEvidence:
    p = record.properties
    grading = "".join(str(p.get(k) or "") for k in ("reliability", "credibility"))
    return briefs.BriefEvidence(
        id=record.id,
        kind=str(p.get("kind") or ""),
        title=str(p.get("title") or ""),
        source=str(p.get("source") or ""),
        acquired_at=str(p.get("acquired_at") or ""),
        grading=grading or "not graded",
        classification=str(p.get("classification") or ""),
        sha256=str(p.get("sha256") or "none recorded"),
    )


def _profile_notes(policy: ExportPolicy) -> list[str]:
    if policy.profile is ExportProfile.COURT:
        return [
            "Court profile: complete, including protected identities and every evidence "
            "item. Handle under the court's protective measures."
        ]
    if policy.profile is ExportProfile.PARTNER:
        return [
            "Partner profile: protected persons appear under pseudonyms; titles and sources "
            "of non-public evidence are withheld; retracted claims are left out."
        ]
    return [
        "Public profile: public evidence only; protected persons and every claim about "
        "them are left out; retracted claims are left out."
    ]
