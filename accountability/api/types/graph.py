"""Nodes and claims: the types of the graph, and the connections between them."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, TypeVar, cast

import strawberry
from graphql import Undefined
from graphql.pyutils import UndefinedType
from strawberry.scalars import JSON

from accountability.api.context import Info
from accountability.api.loaders import AheadKey, ClaimPageKey, EvidencePageKey
from accountability.api.lookahead import claim_spec
from accountability.api.types.custody import CustodyEvent
from accountability.api.types.enums import (
    ClaimType,
    Classification,
    Confidence,
    DatePrecision,
    Direction,
    EvidenceKind,
    IncidentKind,
    NodeLabel,
    PersonStatus,
)
from accountability.graph.values import parse_instant
from accountability.services import cursors
from accountability.services.reads import ClaimSpec
from accountability.services.records import ClaimRecord, NodeRecord, Page

N = TypeVar("N")


@strawberry.type(description="Where a page of a list ends.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Who withdrew a claim, why and when. A retracted claim is kept.")
class Retraction:
    by: str
    reason: str
    at: dt.datetime


def _default_first(info: Info, first: int | None) -> int:
    return first if first is not None else info.context.settings.default_page_size


@strawberry.interface(description="Anything in the graph with a stable id.")
class Node:
    id: strawberry.ID
    label: NodeLabel
    created_at: dt.datetime | None
    updated_at: dt.datetime | None

    @strawberry.field(description="Claims at this node, as a cursor-paginated connection.")
    def claims(
        self,
        info: Info,
        direction: Direction = Direction.BOTH,
        types: list[ClaimType] | None = None,
        include_retracted: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> ClaimConnection:
        if info.context.look_ahead:
            # The claims of every sibling, with the ends and evidence the selection
            # reads next (and the claims it selects on those ends), in one statement a
            # level (docs/design.md, "Look-ahead reads").
            try:
                spec = claim_spec(info._raw_info, info._raw_info.field_nodes)
            except Exception:
                # Arguments this could not work out from the document: read for them.
                spec = ClaimSpec(
                    direction=direction.value,
                    types=tuple(types) if types else None,
                    include_retracted=include_retracted,
                    first=_default_first(info, first),
                    after=after,
                )
            key = AheadKey(str(self.id), spec)
            page = info.context.loaders.page_read(key)
            if page is not None:
                # Read a level above (or by a sibling): at once, without a coroutine.
                return ClaimConnection.of(page, str(self.id))
            return cast(ClaimConnection, self._claims_ahead(info, key))
        return cast(
            ClaimConnection,
            self._claims_paged(info, direction, types, include_retracted, first, after),
        )

    async def _claims_ahead(self, info: Info, key: AheadKey) -> ClaimConnection:
        page = await info.context.loaders.claims_ahead.load(key)
        return ClaimConnection.of(page, str(self.id))

    async def _claims_paged(
        self,
        info: Info,
        direction: Direction,
        types: list[ClaimType] | None,
        include_retracted: bool,
        first: int | None,
        after: str | None,
    ) -> ClaimConnection:
        loaders = info.context.loaders
        key = ClaimPageKey(
            node_id=str(self.id),
            direction=direction.value,
            types=tuple(types) if types else None,
            include_retracted=include_retracted,
            first=_default_first(info, first),
            after=after,
        )
        page = await loaders.claim_page.load(key)
        return ClaimConnection.of(page, str(self.id))


@strawberry.type(description="A human: alleged perpetrator, victim or witness.")
class Person(Node):
    name: str = strawberry.field(
        description="The name; for a protected person without clearance, the pseudonym."
    )
    aliases: list[str]
    birth_year: int | None
    gender: str | None
    nationality: str | None
    status: PersonStatus | None
    protected: bool
    pseudonym: str | None


@strawberry.type(description="A state or armed body in a command structure.")
class Unit(Node):
    name: str
    aliases: list[str]
    kind: str | None
    parent_name_hint: str | None


@strawberry.type(description="A place of detention or abuse.")
class Facility(Node):
    name: str
    aliases: list[str]
    kind: str | None
    location: str | None
    lat: float | None
    lon: float | None


@strawberry.type(description="One alleged abuse event or pattern.")
class Incident(Node):
    kind: IncidentKind
    title: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    description: str | None


@strawberry.type(description="An item that supports claims.")
class Evidence(Node):
    kind: EvidenceKind
    title: str
    sha256: str | None
    source: str | None
    acquired_at: dt.datetime | None
    reliability: str | None = strawberry.field(description="Admiralty scale, A to F.")
    credibility: int | None = strawberry.field(description="Admiralty scale, 1 to 6.")
    classification: Classification

    @strawberry.field(description="Every claim this item supports.")
    async def supports(
        self,
        info: Info,
        include_retracted: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> ClaimConnection:
        key = EvidencePageKey(
            evidence_id=str(self.id),
            include_retracted=include_retracted,
            first=_default_first(info, first),
            after=after,
        )
        page = await info.context.loaders.evidence_page.load(key)
        return ClaimConnection.of(page, None)

    @strawberry.field(description="The item's chain of custody, oldest first.")
    async def custody(self, info: Info) -> list[CustodyEvent]:
        ctx = info.context
        events = await ctx.services.evidence_files.custody([str(self.id)], ctx.viewer)
        return [CustodyEvent.of(e) for e in events[str(self.id)]]


@strawberry.type(description="One page of a case file's entities, in id order.")
class CaseMembers:
    nodes: list[Node]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Entities of this label in the case.")


@strawberry.type(name="Case", description="A case file prosecutors build.")
class CaseFile(Node):
    title: str
    jurisdiction: str | None
    status: str | None

    @strawberry.field(description="The entities the case includes (removed ones left out), by id.")
    async def members(
        self,
        info: Info,
        label: NodeLabel | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> CaseMembers:
        ctx = info.context
        wanted = label
        ids, has_next = await ctx.services.cases.member_page(
            str(self.id), wanted, _default_first(info, first), after, ctx.viewer
        )
        counts = await ctx.services.cases.counts(str(self.id), ctx.viewer)
        records = await ctx.loaders.node.load_many(ids)
        nodes = [node_of(r) for r in records if r]
        return CaseMembers(
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=has_next,
                end_cursor=cursors.encode(ids[-1]) if ids else None,
            ),
            total_count=counts.get(wanted, 0) if wanted else sum(counts.values()),
        )


_TYPES: dict[str, type[Any]] = {
    "Person": Person,
    "Unit": Unit,
    "Facility": Facility,
    "Incident": Incident,
    "Evidence": Evidence,
    "Case": CaseFile,
}
_ENUM_FIELDS: dict[str, type[Any]] = {
    "status": PersonStatus,
    "kind": IncidentKind,
    "classification": Classification,
}


@functools.cache
def _property_fields(label: str) -> frozenset[str]:
    """The fields of a node type filled from its properties: those without a resolver."""
    fields = _TYPES[label].__strawberry_definition__.fields
    names = {f.python_name for f in fields if f.base_resolver is None}
    return frozenset(names - {"id", "label", "created_at", "updated_at"})


def node_of(record: NodeRecord) -> Node:
    """The GraphQL object for a node record, with only the fields its type declares."""
    cls = _TYPES[record.label.value]
    values: dict[str, Any] = {}
    for name in _property_fields(record.label.value):
        value = record.properties.get(name)
        if name == "aliases" and value is None:
            value = []
        values[name] = value
    if record.label.value == "Person":
        values["protected"] = bool(values.get("protected"))
    if record.label.value == "Evidence":
        values["kind"] = EvidenceKind(values["kind"])
        if isinstance(values.get("acquired_at"), str):  # stored as an ISO-8601 instant
            values["acquired_at"] = parse_instant(values["acquired_at"])
        values["classification"] = Classification(values.get("classification") or "confidential")
    elif record.label.value == "Incident":
        values["kind"] = IncidentKind(values["kind"])
    elif record.label.value == "Person" and values.get("status"):
        values["status"] = PersonStatus(values["status"])
    node: Node = cls(
        id=strawberry.ID(record.id),
        label=record.label,
        created_at=record.created_at,
        updated_at=record.updated_at,
        **values,
    )
    return node


@strawberry.type(description="A claim: a dated, weighed and sourced relationship.")
class Claim:
    id: strawberry.ID
    type: ClaimType
    valid_from: dt.date | None = strawberry.field(description="Null: start unknown.")
    valid_to: dt.date | None = strawberry.field(description="Null: open or end unknown.")
    date_precision: DatePrecision
    confidence: Confidence
    all_evidence_ids: strawberry.Private[list[str]]
    retracted: bool
    retraction: Retraction | None
    properties: JSON = strawberry.field(
        description="Type-specific properties: rank and title (MEMBER_OF), role and command "
        "(POSTED_AT), contribution (AIDED), how (NOTIFIED, EXERCISED_CONTROL, TOOK_MEASURES)."
    )
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]

    @classmethod
    def of(cls, r: ClaimRecord) -> Claim:
        retraction = (
            Retraction(by=r.retraction.by, reason=r.retraction.reason, at=r.retraction.at)
            if r.retraction
            else None
        )
        return cls(
            id=strawberry.ID(r.id),
            type=r.type,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            date_precision=r.date_precision,
            confidence=r.confidence,
            all_evidence_ids=list(r.evidence),
            retracted=r.retracted,
            retraction=retraction,
            properties=cast(JSON, r.properties),
            created_at=r.created_at,
            updated_at=r.updated_at,
            from_id=r.from_id,
            to_id=r.to_id,
        )

    @strawberry.field(name="from", description="Where the claim starts.")
    def from_(self, info: Info) -> Node | None:
        return node_now(info, self.from_id)

    @strawberry.field(description="Where the claim ends.")
    def to(self, info: Info) -> Node | None:
        return node_now(info, self.to_id)

    @strawberry.field(description="The evidence items that support this claim.")
    def evidence(self, info: Info) -> list[Evidence]:
        return evidence_now(info, self.all_evidence_ids)

    @strawberry.field(description="The ids of the evidence items the caller may see.")
    async def evidence_ids(self, info: Info) -> list[strawberry.ID]:
        return [e.id for e in await load_evidence(info, self.all_evidence_ids)]


async def load_evidence(info: Info, ids: list[str]) -> list[Evidence]:
    records = await info.context.loaders.node.load_many(ids)
    return [n for n in (node_for(info, r) for r in records if r) if isinstance(n, Evidence)]


async def load_typed(info: Info, node_id: str, cls: type[N]) -> N:
    """A node known to exist with this type (an incident of a trace, say)."""
    node = await load_node(info, node_id)
    assert isinstance(node, cls), (node_id, cls)
    return node


def node_for(info: Info, record: NodeRecord) -> Node:
    """``node_of`` the record, made once a request for each record: the same node is
    named in many places of one answer (the paths of a trace)."""
    made = info.context.node_objects
    known = made.get(id(record))
    if known is not None and known[0] is record:
        node: Node = known[1]
        return node
    node = node_of(record)
    made[id(record)] = (record, node)
    return node


async def load_node(info: Info, node_id: str) -> Node | None:
    record = await info.context.loaders.node.load(node_id)
    return node_for(info, record) if record else None


def _read_already(info: Info, node_id: str) -> tuple[bool, NodeRecord | None]:
    """(True, the record) when this request's node loader holds it already."""
    future = info.context.loaders.node.cache_map.get(node_id)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return False, None
    record: NodeRecord | None = future.result()
    return True, record


def node_now(info: Info, node_id: str) -> Node | None:
    """What ``load_node`` gives: at once when the request has read the node already
    (look-ahead reads), else an awaitable, which graphql-core awaits. A resolver that
    returns a value costs no coroutine and no task, and nested reads resolve hundreds."""
    served = node_if_read(info, node_id)
    if served is Undefined:
        return cast("Node | None", load_node(info, node_id))
    return cast("Node | None", served)


def node_if_read(info: Info, node_id: str) -> Node | UndefinedType | None:
    """What ``load_node`` gives when the request has read the node already, else
    Undefined (no read is started)."""
    known, record = _read_already(info, node_id)
    if not known:
        return Undefined
    return node_for(info, record) if record else None


def evidence_if_read(info: Info, ids: list[str]) -> list[Evidence] | UndefinedType:
    """What ``load_evidence`` gives when the request has read every item, else
    Undefined."""
    records = []
    for evidence_id in ids:
        known, record = _read_already(info, evidence_id)
        if not known:
            return Undefined
        records.append(record)
    return [n for n in (node_for(info, r) for r in records if r) if isinstance(n, Evidence)]


def typed_now(info: Info, node_id: str, cls: type[N]) -> N:
    """What ``load_typed`` gives: at once when the request has read the node already."""
    node = node_if_read(info, node_id)
    if node is Undefined:
        return cast(N, load_typed(info, node_id, cls))
    assert isinstance(node, cls), (node_id, cls)
    return node


def evidence_now(info: Info, ids: list[str]) -> list[Evidence]:
    """What ``load_evidence`` gives: at once when the request has read every item."""
    served = evidence_if_read(info, ids)
    if served is Undefined:
        return cast("list[Evidence]", load_evidence(info, ids))
    return cast("list[Evidence]", served)


@strawberry.type(description="A claim seen from one of its nodes.")
class ClaimEdge:
    # The shortcuts are plain fields, copied from the claim, not resolvers: nested lists
    # serve hundreds of edges, and a resolver costs several times a plain field.
    cursors: strawberry.Private[Sequence[str]]
    index: strawberry.Private[int]
    claim: Claim = strawberry.field(description="The claim, with all its properties.")
    direction: Direction | None = strawberry.field(
        description="OUT when the claim starts at the node the list belongs to."
    )
    other_id: strawberry.Private[str]
    valid_from: dt.date | None = strawberry.field(description="Shortcut for claim.validFrom.")
    valid_to: dt.date | None = strawberry.field(description="Shortcut for claim.validTo.")
    date_precision: DatePrecision = strawberry.field(
        description="Shortcut for claim.datePrecision."
    )
    confidence: Confidence = strawberry.field(description="Shortcut for claim.confidence.")
    retracted: bool = strawberry.field(description="Shortcut for claim.retracted.")

    @strawberry.field
    def cursor(self) -> str:
        # Encrypted when asked for (services/cursors.py, Lazy).
        return self.cursors[self.index]

    @strawberry.field(description="The node at the other end of the claim.")
    def node(self, info: Info) -> Node | None:
        return node_now(info, self.other_id)

    @strawberry.field(description="Shortcut for claim.evidence.")
    def evidence(self, info: Info) -> list[Evidence]:
        return evidence_now(info, self.claim.all_evidence_ids)


@strawberry.type(description="A page of claims.")
class ClaimConnection:
    edges: list[ClaimEdge]
    page: strawberry.Private[Page[ClaimRecord]]

    @strawberry.field
    def page_info(self) -> PageInfo:
        # Made when asked for: its end cursor is encrypted.
        return PageInfo(has_next_page=self.page.has_next, end_cursor=self.page.end_cursor)

    @classmethod
    def of(cls, page: Page[ClaimRecord], owner: str | None) -> ClaimConnection:
        edges = []
        for index, record in enumerate(page.items):
            outgoing = record.from_id == owner
            direction = None if owner is None else (Direction.OUT if outgoing else Direction.IN)
            other = record.to_id if owner is None or outgoing else record.from_id
            claim = Claim.of(record)
            edges.append(
                ClaimEdge(
                    cursors=page.cursors,
                    index=index,
                    claim=claim,
                    direction=direction,
                    other_id=other,
                    valid_from=claim.valid_from,
                    valid_to=claim.valid_to,
                    date_precision=claim.date_precision,
                    confidence=claim.confidence,
                    retracted=claim.retracted,
                )
            )
        return cls(edges=edges, page=page)
