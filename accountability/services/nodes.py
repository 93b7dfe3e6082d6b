"""Reading and writing nodes."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from accountability.domain import search
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
from accountability.domain.redaction import (
    SYSTEM,
    WITHHELD_TITLE,
    Viewer,
    evidence_visible,
)
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import (
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
from accountability.services.records import NodeRecord, Page
from accountability.services.screening import ScreenService

SORT_FIELDS = ("id", "name", "created_at", "updated_at")


def new_id(label: NodeLabel) -> str:
    return f"{label.value.lower()}-{uuid.uuid4().hex[:16]}"


def derived(props: NodeProperties) -> dict[str, Any]:
    """Search and sort keys. A protected person is found and sorted by pseudonym only,
    protected evidence not by its title; the real names and titles go to a key that only
    cleared callers search."""
    if isinstance(props, PersonProperties) and props.protected:
        pseudonym = props.pseudonym or ""
        return {
            "search_text": search.search_text([pseudonym]),
            "search_text_protected": search.search_text(props.names()),
            "sort_name": search.sort_key(pseudonym),
        }
    if isinstance(props, EvidenceProperties) and props.classification == "protected":
        return {
            "search_text": "",
            "search_text_protected": search.search_text(props.names()),
            "sort_name": search.sort_key(WITHHELD_TITLE),
        }
    return {
        "search_text": search.search_text(props.names()),
        "search_text_protected": None,
        "sort_name": search.sort_key(props.display_name()),
    }


def node_row(
    node_id: str,
    props: NodeProperties,
    created_at: dt.datetime | None = None,
    updated_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """A node as the upsert statements take it."""
    return {
        "id": node_id,
        "props": {**storable(props), **derived(props)},
        "created_at": utc_iso(created_at) if created_at else None,
        "updated_at": utc_iso(updated_at) if updated_at else None,
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


async def upsert_rows(tx: Tx, label: NodeLabel, rows: list[dict[str, Any]], now: str) -> int:
    """Write validated node rows of one label."""
    if not rows:
        return 0
    found = {r["id"] for r in await tx.run(Q.UPDATE_NODES, rows=rows, now=now)}
    new = [row for row in rows if row["id"] not in found]
    if new:
        # A concurrent create of the same id fails on the uniqueness constraint and the
        # transaction is retried, when it finds the node and updates it.
        await tx.run(CREATE_BY_LABEL[label], rows=new, now=now)
    return len(rows)


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
        self, db: Database, max_page_size: int = 500, screening: ScreenService | None = None
    ) -> None:
        self.db = db
        self.max_page_size = max_page_size
        self.screening = screening or ScreenService(db)

    async def _names_protected_person(self, flt: NodeFilter, viewer: Viewer) -> bool:
        """A search that names a protected person finds nothing for a reader without
        clearance: a hit, even on a screened text, would confirm the name."""
        if viewer.cleared or not flt.search:
            return False
        return (await self.screening.current()).mentions(flt.search)

    async def get_many(self, ids: list[str], viewer: Viewer) -> dict[str, NodeRecord]:
        if not ids:
            return {}
        rows = await self.db.read(Q.GET_NODES, ids=list(dict.fromkeys(ids)))
        visible = [
            row
            for row in rows
            if row["label"] != NodeLabel.EVIDENCE.value or evidence_visible(row["props"], viewer)
        ]
        await self._audit_protected_reads(visible, viewer)
        return {row["id"]: NodeRecord.from_row(row, viewer) for row in visible}

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
        after_key = after_id = None
        if after is not None:
            after_key, after_id = cursors.decode(after, 2)
        if await self._names_protected_person(flt, viewer):
            return Page(items=[], cursors=[], has_next=False)
        rows = await self.db.read(
            Q.LIST_NODES,
            **self._filter_params(label, flt, viewer),
            sort=sort,
            after_key=after_key,
            after_id=after_id,
            limit=first + 1,
        )
        shown = rows[:first]
        await self._audit_protected_reads(shown, viewer)
        return Page(
            items=[NodeRecord.from_row(row, viewer) for row in shown],
            cursors=[cursors.encode(str(row["key"]), row["id"]) for row in shown],
            has_next=len(rows) > first,
        )

    async def count(self, label: NodeLabel, flt: NodeFilter, viewer: Viewer) -> int:
        if await self._names_protected_person(flt, viewer):
            return 0
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
        if await self.labels_of([node_id]) or await self._claim_exists(node_id):
            raise ValidationFailed.of([Problem("id", f"{node_id!r} is already in use")])

        async def work(tx: Tx) -> None:
            await upsert_rows(tx, label, [node_row(node_id, props)], now_iso())
            await audit.append(tx, viewer, "create_node", [node_id], f"created a {label.value}")

        await self.db.write(work)
        if label is NodeLabel.PERSON:
            self.db.changed(ScreenService.TOPIC)
        return await self.get(node_id, viewer)

    async def update(self, node_id: str, patch: dict[str, Any], viewer: Viewer) -> NodeRecord:
        """Change some properties (a null removes one); the result is validated whole."""
        require_write(viewer)
        current = await self.get(node_id, SYSTEM)
        merged = {k: v for k, v in {**current.properties, **patch}.items() if v is not None}
        props = validate_properties(current.label, values.to_native(merged), "properties")

        async def work(tx: Tx) -> None:
            await upsert_rows(
                tx, current.label, [node_row(node_id, props, current.created_at)], now_iso()
            )
            await audit.append(
                tx,
                viewer,
                "update_node",
                [node_id],
                f"changed {', '.join(sorted(patch)) or 'nothing'}",
            )

        await self.db.write(work)
        if current.label is NodeLabel.PERSON:
            self.db.changed(ScreenService.TOPIC)
        return await self.get(node_id, viewer)

    async def _claim_exists(self, claim_id: str) -> bool:
        return bool(await self.db.read(Q.GET_CLAIMS, ids=[claim_id]))
