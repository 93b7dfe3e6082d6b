"""One person, one node: merging two records of one person, and undoing the merge (see
docs/import.md, "One person, one node: merging").

A merge moves every claim of the dropped person to the kept one (ids, dates, evidence,
retractions and renditions unchanged), makes the dropped names aliases of the kept
person, keeps the stricter protection, moves the evidence index edges, removes the
dropped node and leaves a ``PersonMerge`` record through which the dropped id keeps
resolving to the kept person. Everything, the record with the before-images its undo
needs included, is one write transaction whose checks run inside it, after the two
persons are locked: a merge is all or nothing, and a crash leaves nothing half-written.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from accountability.domain.nodes import PROPERTY_MODELS, storable
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import Conflict, Forbidden, NotFound, Problem, ValidationFailed
from accountability.graph.catalog import (
    CREATE_BY_LABEL,
    MOVE_IN_BY_CLAIM_TYPE,
    MOVE_OUT_BY_CLAIM_TYPE,
    Q,
)
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.values import to_native
from accountability.services import audit
from accountability.services.ingest.journal import NODE_RENDITION, before_image
from accountability.services.nodes import NodeService, node_row, upsert_rows, validate_properties
from accountability.services.permissions import require_write
from accountability.services.protection.masks import (
    MaskService,
    client_props,
    node_rendition_props,
    protected_name,
)
from accountability.services.records import NodeRecord, found_nodes
from accountability.services.resolution.duplicates import Verdict, pair_id
from accountability.services.resolution.redirects import resolve_merged

#: Claims one merge may move: it is one transaction, which must fit the engine's memory
#: (one of ~400k records exhausts a 512 MB heap) and each statement the time-out (8,000
#: claims: 8 s to merge, 14 s to undo). A person with more is refused.
MAX_CLAIMS = 10_000
#: Claims named one by one in a refusal (all are counted).
NAMED = 10
_FILLED = ("birth_year", "gender", "nationality", "status")


@dataclass(frozen=True)
class MergeReport:
    merge_id: str
    keep_id: str
    drop_id: str
    moved_claims: int
    moved_links: int
    #: The kept person, as the caller is served it after the merge.
    person: NodeRecord


@dataclass(frozen=True)
class UnmergeReport:
    merge_id: str
    keep_id: str
    drop_id: str
    moved_claims: int
    #: Claims written since the merge (retracted, evidence added), moved back with those
    #: later changes.
    changed_since: tuple[str, ...]


def merged_properties(keep: dict[str, Any], drop: dict[str, Any]) -> dict[str, Any]:
    """The kept person's client properties after the merge: its own, the dropped names
    as aliases (its name first, no form twice), the dropped values where the kept
    record has none, and the stricter protection (with the protected record's
    pseudonym)."""
    out = {k: v for k, v in keep.items() if v is not None}
    names = [keep.get("name"), *(keep.get("aliases") or [])]
    aliases = list(keep.get("aliases") or [])
    for name in [drop.get("name"), *(drop.get("aliases") or [])]:
        if name and name not in names:
            aliases.append(name)
            names.append(name)
    if aliases:
        out["aliases"] = aliases
    for key in _FILLED:
        if out.get(key) is None and drop.get(key) is not None:
            out[key] = drop[key]
    if keep.get("protected") or drop.get("protected"):
        out["protected"] = True
        source = keep if keep.get("protected") else drop
        out["pseudonym"] = source.get("pseudonym") or out.get("pseudonym")
    elif out.get("pseudonym") is None and drop.get("pseudonym"):
        out["pseudonym"] = drop["pseudonym"]
    return out


def _as_written(stored: dict[str, Any]) -> dict[str, Any]:
    """A person's client properties in the shape the write path masks them."""
    props = client_props(stored)
    try:
        return storable(PROPERTY_MODELS[NodeLabel.PERSON].model_validate(props))
    except ValidationError:  # stored before a rule it breaks: masked as it stands
        return props


def _new_merge_id() -> str:
    return f"merge-{uuid.uuid4().hex[:16]}"


class MergeService:
    """Merges two persons into one and undoes merges."""

    def __init__(self, db: Database, nodes: NodeService, masks: MaskService) -> None:
        self.db = db
        self.nodes = nodes
        self.masks = masks

    async def resolve(self, ids: Sequence[str]) -> dict[str, str]:
        """For each of these ids that a standing merge dropped, the person it now is."""
        return await resolve_merged(self.db, ids)

    async def merge(self, viewer: Viewer, keep_id: str, drop_id: str, reason: str) -> MergeReport:
        """Merge person ``drop_id`` into ``keep_id``, in one transaction."""
        require_write(viewer)
        problems = []
        if not reason.strip():
            problems.append(Problem("reason", "must say why the two are one person"))
        if keep_id == drop_id:
            problems.append(Problem("dropId", "is keepId: a person cannot be merged into itself"))
        if problems:
            raise ValidationFailed.of(problems)
        merge_id = _new_merge_id()
        bumped = False
        used = 0
        counts: dict[str, int] = {}

        async def work(tx: Tx) -> None:
            nonlocal bumped, used
            now = now_iso()
            locked = {
                r["id"]: r
                for r in await tx.run(Q.MERGE_LOCK_PERSONS, ids=[keep_id, drop_id], now=now)
            }
            # An id of another label is answered as an unknown one: no person by it. An
            # id merged already says into whom (ids only: no name is named).
            given = {"keepId": keep_id, "dropId": drop_id}
            missing = {
                field: node_id
                for field, node_id in given.items()
                if locked.get(node_id, {}).get("label") != NodeLabel.PERSON.value
            }
            if missing:
                rows = await tx.run(Q.MERGE_RESOLVE_IDS, ids=list(missing.values()))
                merged = {r["id"]: r for r in rows}
                unknown = []
                for field, node_id in missing.items():
                    message = f"no person with id {node_id!r}"
                    if (r := merged.get(node_id)) is not None:
                        message += f": it was merged into {r['keep']!r} ({r['merge']})"
                    unknown.append(Problem(field, message))
                raise NotFound(unknown[0].message, unknown)
            judged = await tx.run(Q.MERGE_JUDGEMENT, id=pair_id(keep_id, drop_id))
            if judged and judged[0]["verdict"] == Verdict.DIFFERENT.value:
                message = (
                    f"{keep_id} and {drop_id} were judged different by {judged[0]['by']}; "
                    "judge the pair same (judge-duplicates) before merging them"
                )
                raise Conflict(message, [Problem("dropId", message)])
            rows = await tx.run(
                Q.GET_NODES, ids=[keep_id, drop_id], cleared=True, public_only=False
            )
            stored = {r["id"]: to_native(r["props"]) for r in found_nodes(rows)}
            keep, drop = stored[keep_id], stored[drop_id]
            if not viewer.cleared and (keep.get("protected") or drop.get("protected")):
                raise Forbidden("merging a protected person needs clearance (prosecutor or admin)")
            claims = await tx.run(Q.MERGE_NODE_CLAIMS, id=drop_id)
            if len(claims) > MAX_CLAIMS:
                raise Conflict(
                    f"{drop_id} has {len(claims)} claims, more than one merge moves "
                    f"({MAX_CLAIMS}); nothing was merged"
                )
            joined = sorted(c["id"] for c in claims if keep_id in (c["from"], c["to"]))
            if joined:
                message = (
                    f"claims join the two persons ({', '.join(joined[:NAMED])}): merged, "
                    "they would join a node to itself; retract them first"
                )
                raise Conflict(message, [Problem("dropId", message)])
            # Before-images: the stored properties without the rendition, with the
            # updated_at each had before the lock.
            keep_before = {
                **before_image(keep, NODE_RENDITION),
                "updated_at": locked[keep_id]["was"],
            }
            drop_before = {
                **before_image(drop, NODE_RENDITION),
                "updated_at": locked[drop_id]["was"],
            }
            props = validate_properties(
                NodeLabel.PERSON,
                merged_properties(client_props(keep), client_props(drop)),
                "keepId",
            )
            row = node_row(keep_id, props)
            row["created_at"] = keep.get("created_at")
            changes = {keep_id: protected_name(keep_id, storable(props)), drop_id: None}
            gen, masks, bumped = await self.masks.for_write(tx, changes, now)
            used = gen
            await upsert_rows(tx, NodeLabel.PERSON, [row], now, masks, gen)
            moves = [
                {
                    "id": c["id"],
                    "type": c["type"],
                    "was_from": c["from"],
                    "was_to": c["to"],
                    "from": keep_id if c["from"] == drop_id else c["from"],
                    "to": keep_id if c["to"] == drop_id else c["to"],
                }
                for c in claims
            ]
            await _move(tx, moves, drop_id, keep_id)
            links = (
                await tx.run(Q.MERGE_MOVE_SUPPORTS, **{"from": drop_id}, to=keep_id, claims=None)
            )[0]
            deleted = await tx.run(Q.MERGE_DELETE_PERSON, id=drop_id)
            if not deleted or int(deleted[0]["deleted"]) != 1:
                raise Conflict(
                    f"{drop_id} still has links a merge does not move; nothing was merged"
                )
            payload = {
                "keep": keep_before,
                "drop": drop_before,
                "claims": [
                    {
                        "id": c["id"],
                        "type": c["type"],
                        "from": c["from"],
                        "to": c["to"],
                        "stamp": c["stamp"],
                    }
                    for c in claims
                ],
                "supports": sorted(links["claims"] or []),
            }
            await tx.run(
                Q.MERGE_RECORD,
                id=merge_id,
                keep=keep_id,
                drop=drop_id,
                by=viewer.name,
                role=viewer.role.value,
                at=now,
                reason=reason,
                moved=len(claims),
                payload=json.dumps(payload, sort_keys=True, default=str),
                keep_stamp=now,
            )
            counts["claims"], counts["links"] = len(claims), int(links["moved"])
            was, is_now = bool(keep.get("protected")), bool(props.model_dump().get("protected"))
            protection = (
                f"; protected {str(was).lower()} -> {str(is_now).lower()}"
                if was != is_now
                else ("; protected person" if was else "")
            )
            await audit.append(
                tx,
                viewer,
                "merge_persons",
                [merge_id, keep_id, drop_id, *(c["id"] for c in claims)],
                f"merged {drop_id} into {keep_id} as {merge_id}: moved {len(claims)} claims "
                f"and {links['moved']} evidence links; the dropped names became aliases"
                + protection
                + (" (over an earlier judgement)" if judged else ""),
            )

        await self.db.write(work)
        await self.masks.catch_up(used, bumped)
        return MergeReport(
            merge_id,
            keep_id,
            drop_id,
            counts["claims"],
            counts["links"],
            await self.nodes.get(keep_id, viewer),
        )

    async def unmerge(self, viewer: Viewer, merge_id: str) -> UnmergeReport:
        """Undo merge ``merge_id`` exactly: the dropped person back with its own
        properties, each moved claim back at its old end with its id, the kept person's
        names, aliases and protection as before. Refused, naming why, when that can no
        longer be exact: the kept person written since (undo later changes, or later
        merges into it, first), a moved claim gone or no longer at the kept person, or
        the dropped id in use again."""
        require_write(viewer)
        bumped = False
        used = 0
        result: dict[str, Any] = {}

        async def work(tx: Tx) -> None:
            nonlocal bumped, used
            rows = await tx.run(Q.MERGE_GET, id=merge_id)
            if not rows:
                message = f"no merge with id {merge_id!r}"
                raise NotFound(message, [Problem("mergeId", message)])
            m = rows[0]
            if m["status"] != "merged":
                message = f"merge {merge_id} was already undone (by {m['undone_by']})"
                raise Conflict(message, [Problem("mergeId", message)])
            keep_id, drop_id = str(m["keep"]), str(m["drop"])
            payload = json.loads(m["payload"])
            now = now_iso()
            locked = await tx.run(Q.MERGE_LOCK_PERSONS, ids=[keep_id], now=now)
            if not locked:
                later = await tx.run(Q.MERGE_RESOLVE_IDS, ids=[keep_id])
                why = (
                    f"{keep_id} was merged into {later[0]['keep']} since ({later[0]['merge']}): "
                    f"undo {later[0]['merge']} first"
                    if later
                    else f"{keep_id} is no longer in the graph"
                )
                raise Conflict(
                    f"merge {merge_id} cannot be undone exactly: {why}", [Problem("mergeId", why)]
                )
            problems: list[Problem] = []
            if locked[0]["was"] != m["keep_stamp"]:
                problems.append(
                    Problem(
                        keep_id,
                        f"the kept person was written since the merge (updated at "
                        f"{locked[0]['was']}); undo that change, or the later merge into it, "
                        "first",
                    )
                )
            if await tx.run(Q.GET_NODE_LABELS, ids=[drop_id]) or await tx.run(
                Q.GET_CLAIMS, ids=[drop_id], public_only=False
            ):
                problems.append(Problem(drop_id, "the dropped id is in use again"))
            claims = payload["claims"]
            # The kept person's claims as they stand, in one expansion of it (a claim
            # read by its key expands its start node: for thousands, a square).
            states = {r["id"]: r for r in await tx.run(Q.MERGE_NODE_CLAIMS, id=keep_id)}
            changed: list[str] = []
            moves = []
            for c in claims:
                moved_from = keep_id if c["from"] == drop_id else c["from"]
                moved_to = keep_id if c["to"] == drop_id else c["to"]
                state = states.get(c["id"])
                if state is None:
                    problems.append(
                        Problem(c["id"], "the claim was removed, or moved off the kept person")
                    )
                    continue
                if (state["from"], state["to"]) != (moved_from, moved_to):
                    problems.append(
                        Problem(c["id"], "the claim no longer joins the nodes the merge left")
                    )
                    continue
                if state["stamp"] != c["stamp"]:
                    changed.append(c["id"])
                moves.append(
                    {
                        "id": c["id"],
                        "type": c["type"],
                        "was_from": moved_from,
                        "was_to": moved_to,
                        "from": c["from"],
                        "to": c["to"],
                    }
                )
            if problems:
                named = ", ".join(p.where for p in problems[:NAMED])
                raise Conflict(
                    f"merge {merge_id} cannot be undone exactly: {len(problems)} records "
                    f"changed since ({named}); nothing was undone",
                    problems,
                )
            keep_before, drop_before = payload["keep"], payload["drop"]
            current = found_nodes(
                await tx.run(Q.GET_NODES, ids=[keep_id], cleared=True, public_only=False)
            )
            keep_now = to_native(current[0]["props"])
            if not viewer.cleared and (
                keep_now.get("protected")
                or keep_before.get("protected")
                or drop_before.get("protected")
            ):
                raise Forbidden(
                    "undoing a merge of a protected person needs clearance (prosecutor or admin)"
                )
            changes = {
                keep_id: protected_name(keep_id, keep_before),
                drop_id: protected_name(drop_id, drop_before),
            }
            gen, masks, bumped = await self.masks.for_write(tx, changes, now)
            used = gen
            person = NodeLabel.PERSON
            await tx.run(
                CREATE_BY_LABEL[person],
                rows=[
                    {
                        "id": drop_id,
                        "props": {
                            **drop_before,
                            **node_rendition_props(person, _as_written(drop_before), masks, gen),
                        },
                        "created_at": drop_before.get("created_at"),
                        "updated_at": drop_before.get("updated_at"),
                    }
                ],
                now=now,
            )
            await tx.run(
                Q.IMPORT_RESTORE_NODES,
                rows=[
                    {
                        "id": keep_id,
                        "props": {
                            **keep_before,
                            **node_rendition_props(person, _as_written(keep_before), masks, gen),
                        },
                    }
                ],
            )
            await _move(tx, moves, keep_id, drop_id)
            # The index edges of the claims that start at the dropped person again, those
            # of evidence added to them since included.
            starting = [c["id"] for c in claims if c["from"] == drop_id]
            if starting:
                await tx.run(
                    Q.MERGE_MOVE_SUPPORTS, **{"from": keep_id}, to=drop_id, claims=starting
                )
            if not await tx.run(Q.MERGE_MARK_UNMERGED, id=merge_id, by=viewer.name, at=now):
                raise Conflict(f"merge {merge_id} was undone meanwhile")
            await audit.append(
                tx,
                viewer,
                "unmerge_persons",
                [merge_id, keep_id, drop_id, *(c["id"] for c in moves)],
                f"undid merge {merge_id}: {drop_id} restored, {len(moves)} claims moved back"
                + (f" ({len(changed)} with changes made since)" if changed else ""),
            )
            result.update(keep=keep_id, drop=drop_id, moved=len(moves), changed=tuple(changed))

        await self.db.write(work)
        await self.masks.catch_up(used, bumped)
        return UnmergeReport(
            merge_id, result["keep"], result["drop"], result["moved"], result["changed"]
        )


async def _move(tx: Tx, moves: list[dict[str, Any]], node: str, into: str) -> None:
    """Move claims of ``node`` to ``into``: one statement per type and direction, each a
    single expansion of ``node``; every claim must be found where it was (else the
    transaction is rolled back). Then their keys name their start nodes again."""
    groups: dict[tuple[ClaimType, bool], list[str]] = defaultdict(list)
    for m in moves:
        groups[(ClaimType(m["type"]), m["was_from"] == node)].append(m["id"])
    for (claim_type, out), ids in sorted(groups.items()):
        query = (MOVE_OUT_BY_CLAIM_TYPE if out else MOVE_IN_BY_CLAIM_TYPE)[claim_type]
        done = await tx.run(query, node=node, into=into, ids=ids)
        moved = int(done[0]["moved"]) if done else 0
        if moved != len(ids):
            raise Conflict(
                f"{len(ids) - moved} {claim_type.value} claims changed meanwhile; "
                "nothing was written"
            )
    if moves:
        await tx.run(
            Q.MERGE_SET_CLAIM_KEYS, rows=[{"id": m["id"], "from": m["from"]} for m in moves]
        )
