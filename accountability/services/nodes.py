"""Reading and writing nodes."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from accountability.domain import naming, search
from accountability.domain.masking import MaskSet, ProtectedName
from accountability.domain.nodes import (
    DERIVED_PROPERTIES,
    PROPERTY_MODELS,
    SYSTEM_PROPERTIES,
    EvidenceProperties,
    NodeProperties,
    PersonProperties,
    storable,
    utc_iso,
)
from accountability.domain.redaction import SYSTEM, Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Problem,
    ProblemList,
    ValidationFailed,
    problems_from_validation,
)
from accountability.graph import values
from accountability.graph.catalog import CREATE_BY_LABEL, Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit, cursors
from accountability.services.permissions import require_write
from accountability.services.protection.clearance import (
    node_change_as_shown,
    protection_problem,
    protection_summary,
)
from accountability.services.protection.masks import (
    MaskService,
    client_props,
    node_rendition_props,
    protected_name,
)
from accountability.services.records import NodeRecord, Page, found_nodes
from accountability.services.resolution.redirects import resolve_merged

SORT_FIELDS = ("id", "name", "created_at", "updated_at")


def new_id(label: NodeLabel) -> str:
    return f"{label.value.lower()}-{uuid.uuid4().hex[:16]}"


def original_keys(props: NodeProperties) -> dict[str, Any]:
    """Search and sort keys of the stored originals, for cleared readers. Readers without
    clearance search and sort by the rendition's keys (domain/renditions.py)."""
    label, plain = NodeLabel(props_label(props)), props.model_dump()
    return {
        "search_text": search.search_text(naming.names(label, plain)),
        "sort_name": search.sort_key(naming.display_name(label, plain)),
    }


def node_row(
    node_id: str,
    props: NodeProperties,
    created_at: dt.datetime | None = None,
    updated_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """A node as the upsert statements take it (its rendition is added when written)."""
    return {
        "id": node_id,
        "label": props_label(props),
        "props": {**storable(props), **original_keys(props)},
        "created_at": utc_iso(created_at) if created_at else None,
        "updated_at": utc_iso(updated_at) if updated_at else None,
    }


def props_label(props: NodeProperties) -> str:
    return next(label.value for label, model in PROPERTY_MODELS.items() if type(props) is model)


def person_changes(rows: list[dict[str, Any]]) -> dict[str, ProtectedName | None]:
    """What these person rows make of the protected names."""
    return {
        row["id"]: protected_name(row["id"], row["props"])
        for row in rows
        if row["label"] == NodeLabel.PERSON.value
    }


def validate_properties(label: NodeLabel, raw: dict[str, Any], where: str) -> NodeProperties:
    """Properties checked against the label's model, or every problem with its place."""
    managed = sorted(k for k in raw if k in DERIVED_PROPERTIES or k in SYSTEM_PROPERTIES)
    if managed:
        raise ValidationFailed.of(
            [
                Problem(f"{where}.{k}", "is managed by the service and cannot be set")
                for k in managed
            ]
        )
    try:
        return PROPERTY_MODELS[label].model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed.of(problems_from_validation(exc, where)) from None


async def upsert_rows(
    tx: Tx,
    label: NodeLabel,
    rows: list[dict[str, Any]],
    now: str,
    masks: MaskSet,
    gen: int,
    stored: Container[str] | None = None,
) -> int:
    """Write validated node rows of one label, each with its rendition masked with
    ``masks`` (version ``gen``), in the same transaction. ``stored``: the ids among them
    this transaction found stored (None: every row is tried as an update first)."""
    if not rows:
        return 0
    # Masking is CPU work (a file of thousands of rows): off the event loop.
    rows = await asyncio.to_thread(_rendered, label, rows, masks, gen)
    # A row this transaction found free is not looked for again: the update statement
    # seeks every row it is given (a fifth of a second for the nodes of a large file).
    existing = rows if stored is None else [r for r in rows if r["id"] in stored]
    found = (
        {r["id"] for r in await tx.run(Q.UPDATE_NODES, rows=existing, now=now)}
        if existing
        else set()
    )
    new = [row for row in rows if row["id"] not in found]
    if new:
        # A concurrent create of the same id fails on the uniqueness constraint and the
        # transaction is retried, when it finds the node and updates it.
        await tx.run(CREATE_BY_LABEL[label], rows=new, now=now)
    return len(rows)


async def insert_rows(
    tx: Tx, label: NodeLabel, rows: list[dict[str, Any]], now: str, masks: MaskSet, gen: int
) -> int:
    """Create nodes whose ids this transaction found free. Never an upsert: should another
    writer's node of such an id commit meanwhile, the uniqueness constraint stops this
    write (retried, when the check finds the id in use) instead of it overwriting theirs."""
    rows = await asyncio.to_thread(_rendered, label, rows, masks, gen)
    await tx.run(CREATE_BY_LABEL[label], rows=rows, now=now)
    return len(rows)


def _rendered(
    label: NodeLabel, rows: list[dict[str, Any]], masks: MaskSet, gen: int
) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "props": {
                **row["props"],
                **node_rendition_props(label, client_props(row["props"]), masks, gen),
            },
        }
        for row in rows
    ]


@dataclass(frozen=True)
class NodeFilter:
    """Filters for a list of nodes; unset fields do not filter."""

    search: str | None = None
    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class NodeService:
    """Nodes: lookup, lists, creation and update."""

    def __init__(
        self, db: Database, max_page_size: int = 500, masks: MaskService | None = None
    ) -> None:
        self.db = db
        self.max_page_size = max_page_size
        self.masks = masks or MaskService(db)

    async def get_many(self, ids: list[str], viewer: Viewer) -> dict[str, NodeRecord]:
        """The nodes of these ids that the viewer may know of, as they are served to them."""
        if not ids:
            return {}
        found, _ = await self.get_many_at_floor(ids, viewer)
        return found

    async def get_many_at_floor(
        self, ids: list[str], viewer: Viewer
    ) -> tuple[dict[str, NodeRecord], int]:
        """``get_many``, with the rendition floor read after the nodes (for a caller
        that serves claims it read before: the floor is then read after them too)."""
        if not ids:
            return {}, await self.masks.floor()
        rows = await self.db.read(
            Q.GET_NODES,
            ids=list(dict.fromkeys(ids)),
            cleared=viewer.cleared,
            public_only=viewer.public_only,
        )
        found = found_nodes(rows)
        await self._audit_protected_reads(found, viewer)
        out = {}
        for row in found:
            record = NodeRecord.served(row, viewer)
            if record is not None:
                out[row["id"]] = record
        floor = int(rows[0]["floor"]) if rows else await self.masks.floor()
        missing = [i for i in ids if i not in out]
        if missing and (merged := await resolve_merged(self.db, missing)):
            # The id of a person merged into another answers that person.
            kept = await self.get_many(list(dict.fromkeys(merged.values())), viewer)
            out.update({i: kept[k] for i, k in merged.items() if k in kept})
        return out, floor

    async def get_stored(self, ids: list[str]) -> dict[str, NodeRecord]:
        """Nodes as stored, originals included: for the service's own checks, never to
        be shown to a reader without clearance."""
        return await self.get_many(ids, SYSTEM)

    async def _audit_protected_reads(self, rows: list[dict[str, Any]], viewer: Viewer) -> None:
        """A cleared person reading protected identities leaves an audit entry."""
        if not viewer.cleared or viewer is SYSTEM:
            return
        seen = [
            row["id"]
            for row in rows
            if row["props"].get("protected") or row["props"].get("classification") == "protected"
        ]
        if seen:
            await self.db.write(
                lambda tx: audit.append(
                    tx, viewer, "read_protected", seen, f"read {len(seen)} protected records"
                )
            )

    async def get(self, node_id: str, viewer: Viewer) -> NodeRecord:
        found = await self.get_many([node_id], viewer)
        if node_id not in found:
            raise NotFound(f"no node with id {node_id!r}")
        return found[node_id]

    async def labels_of(self, ids: list[str]) -> dict[str, NodeLabel]:
        """The label of each of these ids that exists."""
        if not ids:
            return {}
        rows = await self.db.read(Q.GET_NODE_LABELS, ids=list(dict.fromkeys(ids)))
        return {row["id"]: NodeLabel(row["label"]) for row in rows}

    def _filter_params(self, label: NodeLabel, flt: NodeFilter, viewer: Viewer) -> dict[str, Any]:
        problems = ProblemList()
        if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
            problems.add("filter.dateTo", f"{flt.date_to} is before dateFrom {flt.date_from}")
        needles = search.needles(flt.search) if flt.search else None
        if flt.search is not None and not needles:
            problems.add("filter.search", "has no letters or digits to search for")
        problems.raise_if_any()
        return {
            "label": label.value,
            "needles": needles,
            "cleared": viewer.cleared,
            "public_only": viewer.public_only,
            "kind": flt.kind,
            "from": flt.date_from,
            "to": flt.date_to,
        }

    async def list(
        self,
        label: NodeLabel,
        flt: NodeFilter,
        sort: str,
        first: int,
        after: str | None,
        viewer: Viewer,
    ) -> Page[NodeRecord]:
        """One page of nodes of a label, in (sort key, id) order."""
        if sort not in SORT_FIELDS:
            raise ValidationFailed.of([Problem("sort", f"must be one of {', '.join(SORT_FIELDS)}")])
        cursors.check_page_size(first, self.max_page_size)
        params = self._filter_params(label, flt, viewer)
        # A cursor is good only for the list, order and clearance it was made for.
        scope = f"{label.value}:{sort}:{'cleared' if viewer.cleared else 'masked'}"
        after_key = after_id = None
        if after is not None:
            after_key, after_id = cursors.decode(after, 2, scope=scope)
        rows = await self.db.read(
            Q.LIST_NODES,
            **params,
            sort=sort,
            after_key=after_key,
            after_id=after_id,
            limit=first + 1,
        )
        shown = rows[:first]
        await self._audit_protected_reads(shown, viewer)
        items: list[NodeRecord] = []
        keys: list[tuple[str, ...]] = []
        for row in shown:
            record = NodeRecord.served(row, viewer)
            if record is not None:
                items.append(record)
                keys.append((str(row["key"]), row["id"]))
        return Page(
            items=items, cursors=cursors.Lazy(keys, scope=scope), has_next=len(rows) > first
        )

    async def count(self, label: NodeLabel, flt: NodeFilter, viewer: Viewer) -> int:
        rows = await self.db.read(Q.COUNT_NODES, **self._filter_params(label, flt, viewer))
        return int(rows[0]["total"]) if rows else 0

    async def create(
        self,
        label: NodeLabel,
        properties: dict[str, Any],
        viewer: Viewer,
        node_id: str | None = None,
    ) -> NodeRecord:
        """Create a node; its id must not be in use by anything."""
        require_write(viewer)
        props = validate_properties(label, properties, "properties")
        node_id = node_id or new_id(label)
        row = node_row(node_id, props)
        bumped = False
        used = 0

        async def work(tx: Tx) -> None:
            nonlocal bumped, used
            # Checked inside the writing transaction, and the node created, not upserted:
            # a create of the same id by another writer, in any process, either is seen
            # here or stops this write at commit, whose retry then sees it.
            if await tx.run(Q.GET_NODE_LABELS, ids=[node_id]) or await tx.run(
                Q.GET_CLAIMS, ids=[node_id], public_only=False
            ):
                in_use = f"{node_id!r} is already in use"
                raise Conflict(in_use, [Problem("id", in_use)])
            now = now_iso()
            gen, masks, bumped = await self.masks.for_write(tx, person_changes([row]), now)
            used = gen
            await insert_rows(tx, label, [row], now, masks, gen)
            await audit.append(
                tx, viewer, "create_node", [node_id], f"created a {label.value}{_classed(props)}"
            )

        await self.db.write(work)
        await self.masks.catch_up(used, bumped)
        return await self.get(node_id, viewer)

    async def _as_shown(self, tx: Tx, current: NodeRecord, patch: dict[str, Any]) -> dict[str, Any]:
        """The change a writer without clearance may make, judged against what they are
        shown with the current protected names (read in the writing transaction), or
        their refusal. A text shown masked, sent back as shown, keeps its original."""
        _, masks = await self.masks.current(tx)
        judged = node_change_as_shown(current.label, current.properties, patch, masks)
        if judged.protection:
            raise Forbidden(judged.protection)
        if judged.withheld:
            problems = judged.problems("")
            raise Forbidden(f"{problems[0].where}: {problems[0].message}", problems)
        return judged.patch

    async def update(self, node_id: str, patch: dict[str, Any], viewer: Viewer) -> NodeRecord:
        """Change some properties (a null removes one); the result is validated whole.
        Changing who is protected, or anything of a protected person or of evidence that
        is not public, needs clearance (prosecutor or admin). A prosecutor, who otherwise
        does not write, may make exactly those changes: protection is theirs to decide."""
        if not viewer.cleared:
            require_write(viewer)
        bumped = False
        used = 0

        async def work(tx: Tx) -> None:
            nonlocal bumped, used
            # Locked, then read, checked and written in one transaction: the patch merges
            # onto the record as it stands, so neither a concurrent update's fields nor a
            # protection set meanwhile by someone else are undone by this write.
            await tx.run(Q.LOCK_NODE, id=node_id, now=now_iso())
            found = found_nodes(
                await tx.run(Q.GET_NODES, ids=[node_id], cleared=True, public_only=False)
            )
            current = NodeRecord.from_row(found[0]) if found else None
            if current is None or (
                viewer.public_only
                and current.label is NodeLabel.EVIDENCE
                and current.properties.get("classification") != "public"
            ):
                raise NotFound(f"no node with id {node_id!r}")
            change = patch if viewer.cleared else await self._as_shown(tx, current, patch)
            if not viewer.can_write and not protection_problem(
                current.label, current.properties, change
            ):
                require_write(viewer)
            merged = {k: v for k, v in {**current.properties, **change}.items() if v is not None}
            props = validate_properties(current.label, values.to_native(merged), "properties")
            row = node_row(node_id, props, current.created_at)
            now = now_iso()
            gen, masks, bumped = await self.masks.for_write(tx, person_changes([row]), now)
            used = gen
            await upsert_rows(tx, current.label, [row], now, masks, gen)
            await audit.append(
                tx,
                viewer,
                "update_node",
                [node_id],
                f"changed {', '.join(sorted(patch)) or 'nothing'}"
                + protection_summary(current.label, current.properties, storable(props)),
            )

        await self.db.write(work)
        await self.masks.catch_up(used, bumped)
        return await self.get(node_id, viewer)


def _classed(props: NodeProperties) -> str:
    """How a new node is protected, for the audit log (a flag, never a value)."""
    if isinstance(props, PersonProperties) and props.protected:
        return " (protected)"
    if isinstance(props, EvidenceProperties):
        return f" (classification {props.classification.value})"
    return ""
