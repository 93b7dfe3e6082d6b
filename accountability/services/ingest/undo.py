"""Undoing an import: what it created is removed, what it changed is put back as it
was, from the before-images its transactions journaled (see docs/design.md, "Import
journal"). The undo is itself a run of the journal, one transaction a step, each
audited; cut short, it is finished by running it again."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from accountability.domain.imports import (
    Entry,
    ImportRun,
    ImportSource,
    RunKind,
    RunStatus,
    Step,
    decode_entries,
    expected_stamps,
)
from accountability.domain.masking import MaskSet, ProtectedName
from accountability.domain.nodes import PROPERTY_MODELS, storable
from accountability.domain.redaction import Role, Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import Conflict, Forbidden, NotFound, Problem
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit
from accountability.services.ingest.journal import ImportJournal
from accountability.services.protection.clearance import protection_problem
from accountability.services.protection.masks import (
    MaskService,
    claim_rendition_props,
    client_props,
    node_rendition_props,
    protected_name,
)
from accountability.services.records import found_nodes

Progress = Callable[[int], None]
#: Ids read per statement while checking for later writes.
READ_BATCH = 5000
#: Later writes named one by one in a refusal (all are counted).
NAMED = 20


@dataclass(frozen=True)
class UndoReport:
    #: The undo's own run in the journal.
    run_id: str
    #: The import undone, and the interrupted runs of the same file it completed.
    undone: tuple[str, ...]
    removed_nodes: int = 0
    removed_claims: int = 0
    restored_nodes: int = 0
    restored_claims: int = 0
    #: Records written since the import, put back anyway (``force``).
    overridden: tuple[str, ...] = ()
    #: Nodes the import created that later records depend on: kept (``force``).
    kept: tuple[str, ...] = field(default=())


@dataclass
class _Current:
    """Records as they stand now: of nodes, ``stamp`` and ``protected``; of claims,
    ``stamp``, ``from``, ``to`` and ``evidence`` (ingest/node_states, claim_states)."""

    nodes: dict[str, dict[str, Any]]
    claims: dict[str, dict[str, Any]]

    def stamp(self, entry: Entry) -> str | None:
        found = (self.nodes if entry.kind == "node" else self.claims).get(entry.id)
        return None if found is None else found["stamp"]

    def exists(self, entry: Entry) -> bool:
        return entry.id in (self.nodes if entry.kind == "node" else self.claims)


def require_undo(viewer: Viewer) -> None:
    """Undoing an import rewrites whatever the file touched: an admin's decision."""
    if viewer.role is not Role.ADMIN:
        raise Forbidden("only an admin may undo an import")


class ImportUndo:
    """Undoes the runs of one import of a file, newest step first."""

    def __init__(self, db: Database, masks: MaskService, journal: ImportJournal) -> None:
        self.db = db
        self.masks = masks
        self.journal = journal

    async def undo(
        self,
        viewer: Viewer,
        run_id: str,
        force: bool = False,
        progress: Progress | None = None,
    ) -> UndoReport:
        """Undo import ``run_id`` (with the interrupted runs it completed). Refused,
        naming them, when records it wrote were written again since, or when nodes it
        created have gained claims or custody events since; ``force`` puts the records
        back anyway and keeps those nodes."""
        require_undo(viewer)
        run = await self._target(run_id)
        chain = await self.journal.chain(run)
        steps = await self._steps(chain)
        undo = await self.journal.start(
            viewer,
            RunKind.UNDO,
            ImportSource(run.file, run.sha256),
            sum(s.records for s in steps),
            "step",
            target=run.id,
        )
        started = False
        try:
            entries = await self._payloads(steps)
            current = await self._current_of(steps, entries)
            later, kept = await self._later_writes(steps, entries, current)
            if later and not force:
                raise Conflict(_refusal(run, later), later)
            if not viewer.cleared:
                await self._check_clearance(steps, entries, current)
            report = UndoReport(
                undo.id,
                tuple(r.id for r in chain),
                overridden=tuple(p.where for p in later if p.where not in kept),
                kept=tuple(sorted(kept)),
            )
            started = True
            return await self._apply(
                viewer, run, chain, undo, steps, entries, kept, force, current, report, progress
            )
        except (Conflict, Forbidden) as exc:
            if started:
                await self.journal.abandon(undo.id)
            else:
                await self.journal.reject(undo.id, max(1, len(exc.problems)))
            raise
        except BaseException:
            await self.journal.abandon(undo.id)
            raise

    async def _target(self, run_id: str) -> ImportRun:
        run = (await self.journal.get_many([run_id])).get(run_id)
        if run is None or run.kind is not RunKind.IMPORT:
            raise NotFound(f"no import with id {run_id!r} in the journal")
        match run.status:
            case RunStatus.RUNNING:
                raise Conflict(
                    f"import {run_id} is still running (process {run.process.pid} on "
                    f"{run.process.host}); wait for it to end"
                )
            case RunStatus.REJECTED:
                raise Conflict(f"import {run_id} was rejected and wrote nothing")
            case RunStatus.RESUMED:
                raise Conflict(
                    f"import {run_id} was completed by {run.resumed_by}: undo "
                    f"{run.resumed_by}, which undoes both"
                )
            case RunStatus.UNDONE:
                raise Conflict(f"import {run_id} was already undone (by {run.undone_by})")
        return run

    async def _steps(self, chain: Sequence[ImportRun]) -> list[Step]:
        """The steps still to undo, oldest first (runs in the order they started)."""
        order = {r.id: i for i, r in enumerate(chain)}
        rows = await self.db.read(Q.IMPORT_LIST_STEPS, runs=list(order))
        steps = [Step.from_row(r) for r in rows]
        return sorted(
            (s for s in steps if not s.undone), key=lambda s: (order[s.run], s.chunk, s.seq)
        )

    async def _payloads(self, steps: Sequence[Step]) -> dict[str, list[Entry]]:
        out = {}
        for s in steps:
            rows = await self.db.read(Q.IMPORT_READ_STEP, id=s.id)
            out[s.id] = await asyncio.to_thread(decode_entries, rows[0]["payload"])
        return out

    async def _current(self, nodes: Sequence[str], claims: Sequence[str]) -> _Current:
        found = _Current({}, {})
        for i in range(0, len(nodes), READ_BATCH):
            rows = await self.db.read(Q.IMPORT_NODE_STATES, ids=list(nodes[i : i + READ_BATCH]))
            found.nodes.update((r["id"], r) for r in rows)
        for i in range(0, len(claims), READ_BATCH):
            rows = await self.db.read(Q.IMPORT_CLAIM_STATES, ids=list(claims[i : i + READ_BATCH]))
            found.claims.update((r["id"], r) for r in rows)
        return found

    async def _stored(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Nodes' client properties as stored, for the checks of protection."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), READ_BATCH):
            rows = await self.db.read(
                Q.GET_NODES, ids=list(ids[i : i + READ_BATCH]), cleared=True, public_only=False
            )
            out.update((r["id"], client_props(r["props"])) for r in found_nodes(rows))
        return out

    async def _current_of(self, steps: Sequence[Step], entries: dict[str, list[Entry]]) -> _Current:
        """Every record the steps wrote, as it stands now."""
        ids = {(e.kind, e.id) for s in steps for e in entries[s.id]}
        return await self._current(
            [i for k, i in ids if k == "node"], [i for k, i in ids if k == "claim"]
        )

    async def _later_writes(
        self, steps: Sequence[Step], entries: dict[str, list[Entry]], current: _Current
    ) -> tuple[list[Problem], set[str]]:
        """What was written since the import, over the records it wrote: each record
        whose ``updated_at`` is not the one the import left (or that is gone), and each
        node it created that other records now depend on (kept under ``force``)."""
        ordered = [entries[s.id] for s in steps]
        expected = expected_stamps(ordered)
        created: dict[str, Entry] = {}
        for group in ordered:
            for e in group:
                created.setdefault(f"{e.kind}:{e.id}", e)
        problems: list[Problem] = []
        for (kind, record_id), stamp in expected.items():
            probe = Entry(kind, record_id, "", None, None)
            if not current.exists(probe):
                problems.append(Problem(record_id, f"the {kind} was removed since the import"))
            elif current.stamp(probe) != stamp:
                problems.append(
                    Problem(
                        record_id,
                        f"the {kind} was written since the import "
                        f"(updated at {current.stamp(probe)})",
                    )
                )
        # Nodes the import created: anything linked to them since would be lost with
        # them. Relationships are counted and compared with what the import's own
        # claims account for; only nodes that differ are looked at one by one.
        doomed = [
            e.id
            for e in created.values()
            if e.kind == "node" and e.before is None and e.id in current.nodes
        ]
        ours = {i for k, i in expected if k == "claim"}
        own_links: Counter[str] = Counter()
        for claim_id in ours:
            row = current.claims.get(claim_id)
            if row is None:
                continue
            own_links[row["from"]] += 1
            own_links[row["to"]] += 1
            for evidence in row["evidence"] or []:
                own_links[evidence] += 1
                own_links[row["from"]] += 1
        kept: set[str] = set()
        suspects: list[str] = []
        for i in range(0, len(doomed), READ_BATCH):
            rows = await self.db.read(Q.IMPORT_COUNT_LINKS, ids=doomed[i : i + READ_BATCH])
            for row in rows:
                if row["custody"]:
                    kept.add(row["id"])
                    problems.append(
                        Problem(row["id"], "custody events were recorded for it since the import")
                    )
                elif row["links"] != own_links[row["id"]]:
                    suspects.append(row["id"])
        for i in range(0, len(suspects), READ_BATCH):
            foreign: dict[str, list[str]] = defaultdict(list)
            rows = await self.db.read(Q.IMPORT_LIST_LINKS, ids=suspects[i : i + READ_BATCH])
            for row in rows:
                claim = row["claim"] if row["type"] != "SUPPORTS" else row["supports"]
                if claim not in ours:
                    foreign[row["id"]].append(str(claim or row["type"]))
            for node_id, claims in sorted(foreign.items()):
                kept.add(node_id)
                listed = ", ".join(sorted(set(claims))[:5])
                problems.append(Problem(node_id, f"claims added since depend on it ({listed})"))
        return problems, kept

    async def _check_clearance(
        self, steps: Sequence[Step], entries: dict[str, list[Entry]], current: _Current
    ) -> None:
        """Without clearance, an undo may not change protection any more than an import
        may: restoring a record whose protection differs now, or removing a protected
        person (whose name would no longer be masked anywhere)."""
        # What the undo finally puts back is what the earliest step found.
        earliest: dict[str, Entry] = {}
        for s in steps:
            for e in entries[s.id]:
                if e.kind == "node":
                    earliest.setdefault(e.id, e)
        nodes = list(earliest.values())
        stored = await self._stored([e.id for e in nodes if _guarded(e)])
        for e in nodes:
            if why := _protection_change(e, current.nodes.get(e.id), stored.get(e.id)):
                raise Forbidden(f"{e.id}: {why}", [Problem(e.id, why)])

    async def _apply(
        self,
        viewer: Viewer,
        run: ImportRun,
        chain: Sequence[ImportRun],
        undo: ImportRun,
        steps: Sequence[Step],
        entries: dict[str, list[Entry]],
        kept: set[str],
        force: bool,
        current: _Current,
        report: UndoReport,
        progress: Progress | None,
    ) -> UndoReport:
        counts: Counter[str] = Counter()
        bumped = False
        oldest: int | None = None
        # Claims as they stand before each step is undone: as checked first, then as
        # each step left them. Statements that change a claim check it still is so.
        claims_now = dict(current.claims)
        todo = list(reversed(steps))
        for index, step in enumerate(todo):
            last = index == len(todo) - 1

            async def work(
                tx: Tx, step: Step = step, number: int = index + 1, last: bool = last
            ) -> tuple[Counter[str], dict[str, dict[str, Any] | None]]:
                nonlocal bumped, oldest
                group = entries[step.id]
                done: Counter[str] = Counter()
                nodes = [e for e in group if e.kind == "node"]
                claims = [e for e in group if e.kind == "claim"]
                current = await _current_in(tx, nodes, [])
                if not force:
                    moved = [e.id for e in nodes if current.stamp(e) != e.after]
                    if moved:
                        raise Conflict(
                            f"{len(moved)} records were written meanwhile "
                            f"({', '.join(moved[:NAMED])}); nothing more was undone"
                        )
                if not viewer.cleared:
                    guarded = [e.id for e in nodes if _guarded(e)]
                    rows = (
                        await tx.run(Q.GET_NODES, ids=guarded, cleared=True, public_only=False)
                        if guarded
                        else []
                    )
                    stored = {r["id"]: client_props(r["props"]) for r in found_nodes(rows)}
                    for e in nodes:
                        why = _protection_change(e, current.nodes.get(e.id), stored.get(e.id))
                        if why:
                            raise Forbidden(f"{e.id}: {why}", [Problem(e.id, why)])
                changes: dict[str, ProtectedName | None] = {
                    e.id: None if e.before is None else protected_name(e.id, e.before)
                    for e in nodes
                    if e.key == NodeLabel.PERSON.value and e.id not in kept
                }
                now = now_iso()
                gen, masks, changed = await self.masks.for_write(tx, changes, now)
                bumped = bumped or changed
                oldest = gen if oldest is None else min(oldest, gen)
                left: dict[str, dict[str, Any] | None] = {}
                if claims:
                    undone, left = await _undo_claims(tx, claims, claims_now, masks, gen, force)
                    done += undone
                if nodes:
                    done += await _undo_nodes(tx, nodes, current, kept, masks, gen, force)
                if not await tx.run(Q.IMPORT_STEP_UNDONE, id=step.id):
                    raise Conflict(f"step {step.id} of import {run.id} was undone meanwhile")
                await self.journal.record_progress(tx, undo.id, len(group))
                if last:
                    await self.journal.complete(tx, undo)
                    await tx.run(Q.IMPORT_MARK_UNDONE, ids=[r.id for r in chain], by=undo.id)
                await audit.append(
                    tx,
                    viewer,
                    "undo_import",
                    [e.id for e in group],
                    f"undid part {number} of {len(todo)} of import {run.id} as run {undo.id}: "
                    f"removed {done['removed_nodes']} nodes and {done['removed_claims']} "
                    f"claims, restored {done['restored_nodes']} nodes and "
                    f"{done['restored_claims']} claims"
                    + (
                        f", kept {done['kept']} nodes later claims depend on"
                        if done["kept"]
                        else ""
                    )
                    + (", forced over later writes" if force else ""),
                )
                return done, left

            done, left = await self.db.write(work)
            counts.update(done)
            for claim_id, state in left.items():
                if state is None:
                    claims_now.pop(claim_id, None)
                else:
                    claims_now[claim_id] = state
            if progress:
                progress(step.records)
        if not todo:

            async def close(tx: Tx) -> None:
                await self.journal.complete(tx, undo)
                await tx.run(Q.IMPORT_MARK_UNDONE, ids=[r.id for r in chain], by=undo.id)
                await audit.append(
                    tx,
                    viewer,
                    "undo_import",
                    [r.id for r in chain],
                    f"undid import {run.id} as run {undo.id}: it had written nothing",
                )

            await self.db.write(close)
        if bumped or (oldest is not None and oldest < await self.masks.floor()):
            # The protected names changed (a protected person removed or put back):
            # every rendition is made again, as after any change of them.
            await self.masks.remask()
        return UndoReport(
            report.run_id,
            report.undone,
            removed_nodes=counts["removed_nodes"],
            removed_claims=counts["removed_claims"],
            restored_nodes=counts["restored_nodes"],
            restored_claims=counts["restored_claims"],
            overridden=report.overridden,
            kept=report.kept,
        )


def _refusal(run: ImportRun, later: Sequence[Problem]) -> str:
    named = ", ".join(p.where for p in later[:NAMED])
    more = f" and {len(later) - NAMED} more" if len(later) > NAMED else ""
    return (
        f"import {run.id} was not undone: {len(later)} of its records were written since "
        f"({named}{more}); undo with --force to put them back anyway"
    )


def _guarded(entry: Entry) -> bool:
    """Whether putting this node back could change protection (the only labels whose
    changes need clearance)."""
    return entry.before is not None and entry.key in (
        NodeLabel.PERSON.value,
        NodeLabel.EVIDENCE.value,
    )


def _protection_change(
    entry: Entry, state: dict[str, Any] | None, stored: dict[str, Any] | None
) -> str | None:
    """Why undoing this entry needs clearance, or None."""
    if state is None:
        return None  # gone: nothing to change
    if entry.before is None:
        if state["protected"]:
            return "removing a protected person needs clearance (prosecutor or admin)"
        return None
    if stored is None:
        return None
    before = client_props(entry.before)
    patch = {k: before.get(k) for k in {*stored, *before}}
    return protection_problem(NodeLabel(entry.key), stored, patch)


def _as_written(label: NodeLabel, stored: dict[str, Any]) -> dict[str, Any]:
    """A node's client properties in the shape the write path masks them (every field
    of its model, unset ones as None), so a restored rendition is the one the write made."""
    props = client_props(stored)
    try:
        return storable(PROPERTY_MODELS[label].model_validate(props))
    except ValidationError:  # stored before a rule it breaks: masked as it stands
        return props


async def _current_in(tx: Tx, nodes: Sequence[Entry], claims: Sequence[Entry]) -> _Current:
    found = _Current({}, {})
    if nodes:
        rows = await tx.run(Q.IMPORT_NODE_STATES, ids=[e.id for e in nodes])
        found.nodes = {r["id"]: r for r in rows}
    if claims:
        rows = await tx.run(Q.IMPORT_CLAIM_STATES, ids=[e.id for e in claims])
        found.claims = {r["id"]: r for r in rows}
    return found


async def _undo_claims(
    tx: Tx,
    claims: Sequence[Entry],
    now: dict[str, dict[str, Any]],
    masks: MaskSet,
    gen: int,
    force: bool,
) -> tuple[Counter[str], dict[str, dict[str, Any] | None]]:
    """Remove the claims the step created, put back those it changed; and how each
    then stands (None: removed). Each statement matches a claim only while it still
    carries the ``updated_at`` the step left (unless forced): one written meanwhile
    makes the counts fall short, and the step is rolled back."""
    done: Counter[str] = Counter()
    left: dict[str, dict[str, Any] | None] = {}
    unlink: list[dict[str, str]] = []
    remove: list[dict[str, Any]] = []
    restore: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    for e in claims:
        state = now.get(e.id)
        if state is None:
            continue  # gone already (only under force)
        before_evidence = set() if e.before is None else set(e.before.get("evidence") or [])
        unlink += [
            {"claim": e.id, "from": state["from"], "evidence": ev}
            for ev in state["evidence"] or []
            if ev not in before_evidence
        ]
        stamp = None if force else e.after
        if e.before is None:
            remove.append({"id": e.id, "stamp": stamp})
            left[e.id] = None
            continue
        rendition = claim_rendition_props(ClaimType(e.key), e.before, masks, gen)
        restore.append({"id": e.id, "props": {**e.before, **rendition}, "stamp": stamp})
        keys.append(
            {
                "id": e.id,
                "type": e.key,
                "from": state["from"],
                "m_gen": rendition["m_gen"],
                "review_open": rendition["review_open"],
            }
        )
        left[e.id] = {
            **state,
            "evidence": list(e.before.get("evidence") or []),
            "stamp": e.before.get("updated_at"),
        }
    if unlink:
        await tx.run(Q.IMPORT_UNLINK_SUPPORT, rows=unlink)
    removed = restored = 0
    if remove:
        removed = int(
            (
                await tx.run(
                    Q.IMPORT_DELETE_CLAIMS,
                    ids=[r["id"] for r in remove],
                    stamps={r["id"]: r["stamp"] for r in remove},
                )
            )[0]["deleted"]
        )
    if restore:
        restored = int(
            (
                await tx.run(
                    Q.IMPORT_RESTORE_CLAIMS,
                    ids=[r["id"] for r in restore],
                    rows={r["id"]: r for r in restore},
                )
            )[0]["restored"]
        )
        await tx.run(Q.REGISTER_CLAIM_KEYS, rows=keys)
    if not force and (removed, restored) != (len(remove), len(restore)):
        raise Conflict(
            f"{len(remove) + len(restore) - removed - restored} claims were written "
            "meanwhile; nothing more was undone"
        )
    done["removed_claims"] = removed
    done["restored_claims"] = restored
    return done, left


async def _undo_nodes(
    tx: Tx,
    nodes: Sequence[Entry],
    current: _Current,
    kept: set[str],
    masks: MaskSet,
    gen: int,
    force: bool,
) -> Counter[str]:
    done: Counter[str] = Counter()
    remove = [e.id for e in nodes if e.before is None and e.id in current.nodes]
    held = [i for i in remove if i in kept]
    remove = [i for i in remove if i not in kept]
    if remove:
        # Everything the import linked to them went in later steps (undone first):
        # a link left now was made by someone else meanwhile.
        rows = await tx.run(Q.IMPORT_COUNT_LINKS, ids=remove)
        linked = [r["id"] for r in rows if r["links"] or r["custody"]]
        if linked and force:
            held += linked
            remove = [i for i in remove if i not in linked]
        elif linked:
            raise Conflict(
                f"{len(linked)} nodes gained links meanwhile ({', '.join(linked[:NAMED])}); "
                "nothing more was undone"
            )
        if remove:
            await tx.run(Q.IMPORT_DELETE_NODES, ids=remove)

    def rendered() -> list[dict[str, Any]]:
        out = []
        for e in nodes:
            if e.before is None or e.id not in current.nodes:
                continue
            label = NodeLabel(e.key)
            rendition = node_rendition_props(label, _as_written(label, e.before), masks, gen)
            out.append({"id": e.id, "props": {**e.before, **rendition}})
        return out

    # Masking is CPU work: off the event loop.
    restore = await asyncio.to_thread(rendered)
    if restore:
        await tx.run(Q.IMPORT_RESTORE_NODES, rows=restore)
    done["removed_nodes"] = len(remove)
    done["restored_nodes"] = len(restore)
    done["kept"] = len(held)
    return done
