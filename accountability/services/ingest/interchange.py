"""Import and export of the interchange document (see docs/design.md, "Interchange format")."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError

from accountability.domain.claims import claim_row, endpoint_problem, same_node_problem
from accountability.domain.imports import (
    Entry,
    ImportRun,
    ImportSource,
    RunKind,
    chunk_digest,
    document_digest,
    planned_records,
)
from accountability.domain.interchange import (
    NODE_MODELS,
    Envelope,
    InterchangeClaim,
    InterchangeNode,
)
from accountability.domain.masking import MaskSet
from accountability.domain.nodes import storable, utc_iso
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import (
    Forbidden,
    Problem,
    ProblemList,
    ValidationFailed,
    problems_from_validation,
)
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.values import to_native
from accountability.services import audit
from accountability.services.claims import write_claims
from accountability.services.ingest.journal import (
    CLAIM_RENDITION,
    NODE_RENDITION,
    ImportJournal,
    before_image,
)
from accountability.services.nodes import (
    NodeService,
    node_row,
    original_keys,
    person_changes,
    upsert_rows,
    validate_properties,
)
from accountability.services.permissions import require_write
from accountability.services.protection.clearance import (
    claim_change_as_shown,
    node_change_as_shown,
    protection_problem,
    protection_summary,
)
from accountability.services.protection.masks import client_props
from accountability.services.records import NodeRecord, found_nodes
from accountability.services.resolution.merges import merged_properties
from accountability.services.resolution.redirects import resolve_merged

Progress = Callable[[int], None]
#: One write: what it writes (nodes, claims, retractions), of which label or type, rows.
_Step = tuple[str, str, list[dict[str, Any]]]
#: Claim fields that may not change once stated: a correction retracts and restates.
IMMUTABLE_CLAIM_FIELDS = (
    "type",
    "from",
    "to",
    "valid_from",
    "valid_to",
    "date_precision",
    "confidence",
)


@dataclass(frozen=True)
class ImportReport:
    nodes: int
    claims: int
    #: The run of the import journal that recorded it.
    run_id: str | None = None
    #: Records of parts an interrupted run of the same file had committed.
    skipped: int = 0


@dataclass
class _Plan:
    nodes: dict[NodeLabel, list[dict[str, Any]]]
    claims: dict[ClaimType, list[dict[str, Any]]]
    retractions: list[dict[str, Any]]
    node_count: int
    claim_count: int
    #: Where each node stands in the document, to name it in a problem.
    positions: dict[str, int] = dataclasses.field(default_factory=dict)
    #: Where each claim stands in the document.
    claim_positions: dict[str, int] = dataclasses.field(default_factory=dict)
    #: The ids of the document's nodes and claims that were stored when it was validated.
    stored: set[str] = dataclasses.field(default_factory=set)


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class InterchangeService:
    """Validates a whole document before writing any of it."""

    def __init__(
        self,
        db: Database,
        nodes: NodeService,
        batch_size: int = 2000,
        tx_records: int = 20_000,
        journal: ImportJournal | None = None,
    ) -> None:
        self.db = db
        self.nodes = nodes
        self.batch_size = batch_size
        self.tx_records = tx_records
        self.journal = journal or ImportJournal(db, nodes.masks)

    async def validate(self, document: Any) -> _Plan:
        """Every problem of the document, with its position, or a plan to write it."""
        problems = ProblemList()
        try:
            envelope = Envelope.model_validate(document)
        except ValidationError as exc:
            raise ValidationFailed.of(problems_from_validation(exc, "document")) from None

        node_labels: dict[str, NodeLabel] = {}
        plan = _Plan(defaultdict(list), defaultdict(list), [], 0, 0)
        for i, raw in enumerate(envelope.nodes):
            where = f"nodes[{i}]"
            model = NODE_MODELS.get(str(raw.get("label")))
            if model is None:
                known = ", ".join(NODE_MODELS)
                problems.add(f"{where}.label", f"unknown label {raw.get('label')!r} ({known})")
                continue
            try:
                node = cast(InterchangeNode, model.model_validate(raw))
            except ValidationError as exc:
                problems.items.extend(problems_from_validation(exc, where))
                continue
            if node.id in node_labels:
                problems.add(f"{where}.id", f"{node.id!r} appears twice in the document")
                continue
            label = NodeLabel(node.label)
            node_labels[node.id] = label
            plan.positions[node.id] = i
            plan.nodes[label].append(
                node_row(node.id, node.properties, node.created_at, node.updated_at)
            )

        claims: list[tuple[int, InterchangeClaim]] = []
        seen_claims: set[str] = set()
        #: Claims refused by their model, whose ends and evidence are still checked: a
        #: record's every problem is reported, not its first.
        refused: list[tuple[int, dict[str, Any]]] = []
        for i, raw in enumerate(envelope.claims):
            where = f"claims[{i}]"
            try:
                claim = InterchangeClaim.model_validate(raw)
            except ValidationError as exc:
                problems.items.extend(problems_from_validation(exc, where))
                refused.append((i, raw))
                continue
            if claim.id in seen_claims or claim.id in node_labels:
                problems.add(f"{where}.id", f"{claim.id!r} appears twice in the document")
                continue
            seen_claims.add(claim.id)
            claims.append((i, claim))

        claims = await self._through_merges(plan, node_labels, claims, problems)
        referenced = {c.from_id for _, c in claims} | {c.to_id for _, c in claims}
        referenced |= {e for _, c in claims for e in c.evidence}
        loose = [_references(raw) for _, raw in refused]
        referenced |= {r for ends, evidence in loose for r in [*ends.values(), *evidence]}
        stored_labels = await self._labels(list(referenced | set(node_labels)))
        for i, raw in enumerate(envelope.nodes):
            node_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(node_id, str) and node_id in stored_labels and node_id in node_labels:
                if stored_labels[node_id] is not node_labels[node_id]:
                    problems.add(
                        f"nodes[{i}].label",
                        f"{node_id!r} is stored as a {stored_labels[node_id].value}; "
                        "a node's label cannot change",
                    )
        labels = {**stored_labels, **node_labels}
        for (i, _), (ends, evidence) in zip(refused, loose, strict=True):
            for field, node_id in ends.items():
                if node_id not in labels:
                    problems.add(f"claims[{i}].{field}", f"no node with id {node_id!r}")
            for j, eid in enumerate(evidence):
                if labels.get(eid) is not NodeLabel.EVIDENCE:
                    problems.add(f"claims[{i}].evidence[{j}]", f"no evidence item with id {eid!r}")
        stored_claims = await self._claims([c.id for _, c in claims])
        plan.stored = (set(stored_labels) & set(node_labels)) | set(stored_claims)
        for node_id in set(node_labels) & set(stored_claims):
            problems.add("nodes", f"{node_id!r} is already the id of a claim")

        for i, claim in claims:
            where = f"claims[{i}]"
            missing = False
            for field, node_id in (("from", claim.from_id), ("to", claim.to_id)):
                if node_id not in labels:
                    problems.add(f"{where}.{field}", f"no node with id {node_id!r}")
                    missing = True
            if same := same_node_problem(claim):
                problems.add(f"{where}.to", same)
            if not missing:
                why = endpoint_problem(claim.type, labels[claim.from_id], labels[claim.to_id])
                if why:
                    problems.add(f"{where}.type", why)
            for j, eid in enumerate(claim.evidence):
                if labels.get(eid) is not NodeLabel.EVIDENCE:
                    problems.add(
                        f"{where}.evidence[{j}]",
                        f"no evidence item with id {eid!r}"
                        if eid not in labels
                        else f"{eid!r} is a {labels[eid].value}, not Evidence",
                    )
            if claim.id in labels:
                problems.add(f"{where}.id", f"{claim.id!r} is already the id of a node")
            row = claim_row(claim, claim.id)
            row["created_at"] = _iso(claim.created_at)
            row["updated_at"] = _iso(claim.updated_at)
            stored = stored_claims.get(claim.id)
            if stored is not None:
                changed = [
                    f for f in IMMUTABLE_CLAIM_FIELDS if stored[f] != _claim_view(row, claim)[f]
                ]
                if changed:
                    problems.add(
                        where,
                        f"claim {claim.id!r} is stored with other {', '.join(changed)}; "
                        "a claim is never overwritten: retract it and add a new one",
                    )
                row["props"]["evidence"] = list(
                    dict.fromkeys([*stored["evidence"], *claim.evidence])
                )
            plan.claims[claim.type].append(row)
            plan.claim_positions[claim.id] = i
            if claim.retraction is not None:
                plan.retractions.append(
                    {
                        "id": claim.id,
                        "by": claim.retraction.by,
                        "reason": claim.retraction.reason,
                        "at": utc_iso(claim.retraction.at),
                    }
                )
        problems.raise_if_any()
        plan.node_count = sum(len(v) for v in plan.nodes.values())
        plan.claim_count = len(claims)
        return plan

    async def _through_merges(
        self,
        plan: _Plan,
        node_labels: dict[str, NodeLabel],
        claims: list[tuple[int, InterchangeClaim]],
        problems: ProblemList,
    ) -> list[tuple[int, InterchangeClaim]]:
        """Ids of persons merged into others land on the kept person: a claim's end is
        moved to it, and a node record is folded into it as a merge folds a record
        (its names become aliases, its values fill what the kept person lacks). The
        claims, with their ends so moved."""
        ids = list(set(node_labels) | {e for _, c in claims for e in (c.from_id, c.to_id)})
        merged: dict[str, str] = {}
        for start in range(0, len(ids), self.batch_size * 5):
            merged.update(await resolve_merged(self.db, ids[start : start + self.batch_size * 5]))
        if not merged:
            return claims
        folded = [i for i in node_labels if i in merged]
        kept = await self.nodes.get_stored(
            list({merged[i] for i in folded if merged[i] not in node_labels})
        )
        for node_id in folded:
            target, where = merged[node_id], f"nodes[{plan.positions[node_id]}]"
            label = node_labels.pop(node_id)
            rows = plan.nodes[label]
            [row] = [r for r in rows if r["id"] == node_id]
            rows.remove(row)
            if label is not NodeLabel.PERSON:
                problems.add(f"{where}.label", f"{node_id!r} was a Person, merged into {target!r}")
                continue
            # Folded into the kept person's record of this document, or as it is stored.
            held = [r for r in rows if r["id"] == target]
            if held:
                base = client_props(held[0]["props"])
            elif target in kept:
                base = kept[target].properties
            else:
                problems.add(f"{where}.id", f"{node_id!r} was merged into {target!r}, not found")
                continue
            try:
                valid = validate_properties(
                    NodeLabel.PERSON, merged_properties(base, client_props(row["props"])), where
                )
            except ValidationFailed as exc:
                problems.items.extend(exc.problems)
                continue
            folded_row = node_row(target, valid)
            if held:
                rows.remove(held[0])
                folded_row.update(
                    created_at=held[0]["created_at"], updated_at=held[0]["updated_at"]
                )
            node_labels[target] = NodeLabel.PERSON
            plan.positions.setdefault(target, plan.positions[node_id])
            rows.append(folded_row)
        return [
            (
                i,
                c.model_copy(
                    update={
                        "from_id": merged.get(c.from_id, c.from_id),
                        "to_id": merged.get(c.to_id, c.to_id),
                    }
                ),
            )
            for i, c in claims
        ]

    async def _labels(self, ids: list[str]) -> dict[str, NodeLabel]:
        out: dict[str, NodeLabel] = {}
        for start in range(0, len(ids), self.batch_size * 5):
            out.update(await self.nodes.labels_of(ids[start : start + self.batch_size * 5]))
        return out

    async def _claims(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), self.batch_size * 5):
            rows = await self.db.read(
                Q.GET_CLAIMS, ids=ids[start : start + self.batch_size * 5], public_only=False
            )
            for row in rows:
                props = to_native(row["props"])
                out[row["id"]] = {
                    "type": row["type"],
                    "from": row["from"],
                    "to": row["to"],
                    "evidence": list(props.get("evidence") or []),
                    **{f: props.get(f) for f in IMMUTABLE_CLAIM_FIELDS[3:]},
                }
        return out

    @property
    def chunking(self) -> str:
        """How this service cuts a file into transactions: a resumed run skips the parts
        an earlier run committed only when both cut it the same way."""
        return f"{self.batch_size}/{self.tx_records}"

    async def import_document(
        self,
        viewer: Viewer,
        document: Any,
        progress: Progress | None = None,
        source: ImportSource | None = None,
        started: Callable[[ImportRun], None] | None = None,
    ) -> ImportReport:
        """Validate everything, then write it: one transaction for a file of up to
        ``tx_records`` records, chunks of that size beyond (an engine's transaction
        must fit in its memory). Nothing is written from a rejected file. Every import
        is a run of the journal, opened first; each transaction records its part and the
        before-images an undo needs. An import cut short is completed by running it
        again: the new run resumes the interrupted ones and skips the parts they
        committed. ``started`` hears of the run as soon as it is in the journal."""
        # Prosecutors change protection record by record (updateNode), never by file.
        require_write(viewer)
        source = source or ImportSource("document", document_digest(document))
        run = await self.journal.start(
            viewer, RunKind.IMPORT, source, planned_records(document), self.chunking
        )
        if started:
            started(run)
        wrote = False

        def committed() -> None:
            nonlocal wrote
            wrote = True

        try:
            return await self._import(viewer, document, progress, run, committed)
        except (ValidationFailed, Forbidden) as exc:
            if wrote:
                await self.journal.abandon(run.id)
            else:
                await self.journal.reject(run.id, max(1, len(exc.problems)))
            raise
        except BaseException:
            await self.journal.abandon(run.id)
            raise

    async def _import(
        self,
        viewer: Viewer,
        document: Any,
        progress: Progress | None,
        run: ImportRun,
        committed: Callable[[], None],
    ) -> ImportReport:
        plan = await self.validate(document)
        all_rows = [row for rows in plan.nodes.values() for row in rows]
        people = person_changes(all_rows)
        now = now_iso()
        step = progress or (lambda _n: None)
        chunks = self._chunks(plan)
        # Parts an interrupted run of the same file committed are not written again.
        done = await self._committed(run)
        todo: list[tuple[int, list[_Step], str]] = []
        skipped = 0
        for number, chunk in enumerate(chunks, start=1):
            digest = chunk_digest(row["id"] for _, _, rows in chunk for row in rows)
            if digest in done:
                skipped += _records(chunk)
            else:
                todo.append((number, chunk, digest))
        if todo and not viewer.cleared:
            # Before writing anything: a file must not lift a protection, nor replace a
            # text its writer is shown masked (again in each writing transaction). The
            # parts an interrupted run committed are its own writes, not judged again.
            pending = [item for _, chunk, _ in todo for item in chunk]
            node_rows = [r for kind, _, rows in pending if kind == "nodes" for r in rows]
            claim_rows = [r for kind, _, rows in pending if kind == "claims" for r in rows]
            await self.db.write(lambda tx: self._judge(tx, plan, node_rows, claim_rows))
        if skipped:
            # Said at once, so that a run cut short before its first part still tells how
            # much of the file is in.
            await self.db.write(lambda tx: self.journal.record_progress(tx, run.id, 0, skipped))
            step(skipped)
        bumped = False
        oldest: int | None = None  # the oldest mask version this import wrote with
        for index, (number, chunk, digest) in enumerate(todo):

            async def work(
                tx: Tx,
                chunk: list[_Step] = chunk,
                number: int = number,
                digest: str = digest,
                last: bool = index == len(todo) - 1,
            ) -> None:
                nonlocal bumped, oldest
                chunk_rows = [row for kind, _, rows in chunk if kind == "nodes" for row in rows]
                # Again inside the writing transaction (the state may have changed), and
                # for the audit entry, which says how the file touched protection, and
                # for the journal, which keeps what the rows replace.
                found = (
                    found_nodes(
                        await tx.run(
                            Q.GET_NODES,
                            ids=[r["id"] for r in chunk_rows],
                            cleared=True,
                            public_only=False,
                        )
                    )
                    if chunk_rows
                    else []
                )
                touched = _protection_notes(chunk, found)
                claim_ids = [
                    row["id"] for kind, _, rows in chunk if kind == "claims" for row in rows
                ]
                stored_claims = await _claims_before(tx, claim_ids)
                as_shown: dict[str, dict[str, Any]] = {}
                if not viewer.cleared:
                    # With the protected names the writer was shown, before this file's.
                    _, shown_with = await self.nodes.masks.current(tx)
                    chunk_claims = [r for kind, _, rows in chunk if kind == "claims" for r in rows]
                    as_shown = _as_shown(
                        plan, chunk_rows, found, chunk_claims, stored_claims, shown_with
                    )
                stored_nodes = {r["id"]: before_image(r["props"], NODE_RENDITION) for r in found}
                cited = {k: list(p.get("evidence") or []) for k, (_, p) in stored_claims.items()}
                # The protected names this file leaves behind mask everything it writes;
                # when it changes them, older renditions are held back from here on.
                gen, masks, changed = await self.nodes.masks.for_write(tx, people, now)
                bumped = bumped or changed
                oldest = gen if oldest is None else min(oldest, gen)
                retracted: list[str] = []
                for seq, (kind, key, rows) in enumerate(chunk, start=1):
                    entries: list[Entry]
                    if kind != "retractions":  # a retraction's row carries a claim's id too
                        rows = [as_shown.get(r["id"], r) for r in rows]
                    if kind == "nodes":
                        await upsert_rows(
                            tx, NodeLabel(key), rows, now, masks, gen, stored=stored_nodes
                        )
                        entries = [
                            Entry(
                                "node",
                                r["id"],
                                key,
                                stored_nodes.get(r["id"]),
                                r["updated_at"] or now,
                            )
                            for r in rows
                        ]
                    elif kind == "claims":
                        await write_claims(
                            tx, {ClaimType(key): rows}, now, masks, gen, stored=cited
                        )
                        entries = [
                            Entry(
                                "claim",
                                r["id"],
                                key,
                                stored_claims.get(r["id"], (key, None))[1],
                                r["updated_at"] or now,
                            )
                            for r in rows
                        ]
                    else:
                        before = await _claims_before(tx, [r["id"] for r in rows])
                        entries = []
                        done_now = await tx.run(
                            Q.RETRACT_CLAIMS,
                            ids=[r["id"] for r in rows],
                            rows={r["id"]: r for r in rows},
                        )
                        now_retracted = {d["id"] for d in done_now}
                        for r in rows:
                            if r["id"] in now_retracted:  # not retracted before: to undo
                                retracted.append(r["id"])
                                claim_type, props = before[r["id"]]
                                entries.append(Entry("claim", r["id"], claim_type, props, r["at"]))
                    await self.journal.record_step(tx, run.id, number, seq, kind, entries)
                if retracted:
                    await self.nodes.masks.render_claims(tx, retracted)  # with gen, as above
                await self.journal.record_progress(tx, run.id, _records(chunk), 0, [digest])
                if last:
                    await self.journal.complete(tx, run)
                ids = [row["id"] for kind, _, rows in chunk for row in rows]
                counts = {
                    k: sum(len(r) for kk, _, r in chunk if kk == k)
                    for k in ("nodes", "claims", "retractions")
                }
                part = f" (part {number} of {len(chunks)})" if len(chunks) > 1 else ""
                await audit.append(
                    tx,
                    viewer,
                    "import",
                    ids,
                    f"imported {counts['nodes']} nodes, {counts['claims']} "
                    f"claims, {counts['retractions']} retractions{part} as run {run.id}"
                    f"{touched}",
                )

            await self.db.write(work)
            committed()
            step(_records(chunk))
        if not todo:
            # Nothing left to write (an interrupted run had committed every part).
            await self.db.write(lambda tx: self.journal.complete(tx, run))
        if bumped or (oldest is not None and oldest < await self.nodes.masks.floor()):
            # Texts stored before this import may mention the persons it protects; or
            # another process changed the names while this one wrote with the old ones.
            await self.nodes.masks.remask()
        return ImportReport(
            nodes=plan.node_count, claims=plan.claim_count, run_id=run.id, skipped=skipped
        )

    async def _committed(self, run: ImportRun) -> set[str]:
        """The parts of this file that the runs this one resumes committed, when they
        cut the file as this one does."""
        earlier = await self.journal.get_many(run.resumes)
        return {d for r in earlier.values() if r.chunking == run.chunking for d in r.chunks_done}

    async def _judge(
        self,
        tx: Tx,
        plan: _Plan,
        node_rows: list[dict[str, Any]],
        claim_rows: list[dict[str, Any]],
    ) -> None:
        """Refuse the file, before any of it is written, when a writer without clearance
        may not write some of its rows."""
        # Only records stored when the file was validated are read here (a big file is
        # mostly new): one stored since is judged in its part's own transaction.
        node_ids = [r["id"] for r in node_rows if r["id"] in plan.stored]
        claim_ids = [r["id"] for r in claim_rows if r["id"] in plan.stored]
        step = self.batch_size * 5
        found = []
        for start in range(0, len(node_ids), step):
            found += found_nodes(
                await tx.run(
                    Q.GET_NODES, ids=node_ids[start : start + step], cleared=True, public_only=False
                )
            )
        stored_claims: dict[str, tuple[str, dict[str, Any]]] = {}
        for start in range(0, len(claim_ids), step):
            stored_claims.update(await _claims_before(tx, claim_ids[start : start + step]))
        _, masks = await self.nodes.masks.current(tx)
        _as_shown(plan, node_rows, found, claim_rows, stored_claims, masks)

    def _chunks(self, plan: _Plan) -> list[list[_Step]]:
        """Batches of rows, grouped into transactions of at most ``tx_records`` rows."""
        steps: list[_Step] = []
        for label, rows in plan.nodes.items():
            steps += [
                ("nodes", label.value, rows[i : i + self.batch_size])
                for i in range(0, len(rows), self.batch_size)
            ]
        for claim_type, rows in plan.claims.items():
            steps += [
                ("claims", claim_type.value, rows[i : i + self.batch_size])
                for i in range(0, len(rows), self.batch_size)
            ]
        if plan.retractions:
            steps.append(("retractions", "", plan.retractions))
        chunks: list[list[_Step]] = [[]]
        size = 0
        for item in steps:
            if chunks[-1] and size + len(item[2]) > self.tx_records:
                chunks.append([])
                size = 0
            chunks[-1].append(item)
            size += len(item[2])
        return [c for c in chunks if c]


def _references(raw: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The ends and evidence ids a claim its model refused still names (those that are
    strings: a malformed one is already a problem of its own)."""
    ends = {f: v for f in ("from", "to") if isinstance(v := raw.get(f), str)}
    evidence = raw.get("evidence")
    ids = [e for e in evidence if isinstance(e, str)] if isinstance(evidence, list) else []
    return ends, ids


def _as_shown(
    plan: _Plan,
    node_rows: list[dict[str, Any]],
    found: list[dict[str, Any]],
    claim_rows: list[dict[str, Any]],
    stored_claims: dict[str, tuple[str, dict[str, Any]]],
    masks: MaskSet,
) -> dict[str, dict[str, Any]]:
    """The rows of stored records as a writer without clearance may write them, judged
    against what that writer is shown (``protection/clearance.py``): a text sent back as
    it was shown, masked, keeps its original. Refused, every problem with its record's
    place, when a row would lift a protection or replace a masked text."""
    stored = {r["id"]: NodeRecord.from_row(r) for r in found}
    problems: list[Problem] = []
    out: dict[str, dict[str, Any]] = {}
    for row in node_rows:
        current = stored.get(row["id"])
        if current is None:
            continue
        where = f"nodes[{plan.positions.get(row['id'], 0)}]"
        sent = client_props(row["props"])
        judged = node_change_as_shown(current.label, current.properties, sent, masks)
        problems += judged.problems(where)
        if judged.patch != sent and not problems:
            props = validate_properties(current.label, judged.patch, f"{where}.properties")
            out[row["id"]] = {**row, "props": {**storable(props), **original_keys(props)}}
    for row in claim_rows:
        before = stored_claims.get(row["id"])
        if before is None:
            continue
        where = f"claims[{plan.claim_positions.get(row['id'], 0)}]"
        judged = claim_change_as_shown(ClaimType(before[0]), before[1], row["props"], masks)
        problems += judged.problems(where)
        if judged.patch != row["props"]:
            out[row["id"]] = {**row, "props": judged.patch}
    if problems:
        raise Forbidden(f"{problems[0].where}: {problems[0].message}", problems)
    return out


def _records(chunk: list[_Step]) -> int:
    """Records (nodes and claims) a part of a file holds: retractions restate claims."""
    return sum(len(rows) for kind, _, rows in chunk if kind != "retractions")


async def _claims_before(tx: Tx, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The stored claims of these ids, inside ``tx``: their type and before-image."""
    if not ids:
        return {}
    rows = await tx.run(Q.GET_CLAIMS, ids=ids, public_only=False)
    return {r["id"]: (r["type"], before_image(r["props"], CLAIM_RENDITION)) for r in rows}


def _claim_view(row: dict[str, Any], claim: InterchangeClaim) -> dict[str, Any]:
    props = row["props"]
    return {
        "type": claim.type.value,
        "from": claim.from_id,
        "to": claim.to_id,
        **{f: props.get(f) for f in IMMUTABLE_CLAIM_FIELDS[3:]},
    }


#: How many records an import's audit entry names one by one for their protection.
_NOTED = 50


def _protection_notes(chunk: list[_Step], found: list[dict[str, Any]]) -> str:
    """How the rows of one import transaction touched protection, for its audit entry:
    ids with flags and classes (protected persons and evidence that is not public, new
    or changed), never values."""
    stored = {r["id"]: NodeRecord.from_row(r) for r in found}
    notes: list[str] = []
    for kind, key, rows in chunk:
        if kind != "nodes" or key not in (NodeLabel.PERSON.value, NodeLabel.EVIDENCE.value):
            continue
        label = NodeLabel(key)
        for row in rows:
            after = client_props(row["props"])
            current = stored.get(row["id"])
            if current is None:
                # created as it is: a class to note, nothing lifted
                classification = after.get("classification") or "confidential"
                if label is NodeLabel.PERSON and after.get("protected"):
                    notes.append(f"new {row['id']} (protected)")
                elif label is NodeLabel.EVIDENCE and classification != "public":
                    notes.append(f"new {row['id']} (classification {classification})")
            elif protection_problem(current.label, current.properties, after):
                summary = protection_summary(current.label, current.properties, after)
                notes.append(f"{row['id']}{summary}")
    if not notes:
        return ""
    more = f"; and {len(notes) - _NOTED} more" if len(notes) > _NOTED else ""
    return "; protection: " + "; ".join(notes[:_NOTED]) + more
