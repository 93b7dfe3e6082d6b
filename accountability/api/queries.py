"""Read operations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

import strawberry

from accountability.api.context import Info
from accountability.api.lookahead import look_ahead_lookup, look_ahead_page, selects_any
from accountability.api.types.admin import AdminQuery
from accountability.api.types.audit import AuditConnection
from accountability.api.types.charts import CommandChart, FacilityChart
from accountability.api.types.consistency import ConsistencyReport
from accountability.api.types.duplicates import DuplicateCandidate
from accountability.api.types.elements import (
    CaseMatrix,
    Concentration,
    ElementAssessment,
    Notice,
    PatternRow,
)
from accountability.api.types.enums import Mode, NodeLabel, NodeSort, ProblemKind
from accountability.api.types.exports import ExportJob
from accountability.api.types.graph import (
    CaseFile,
    Claim,
    Evidence,
    Facility,
    Incident,
    Node,
    PageInfo,
    Person,
    Unit,
    node_of,
)
from accountability.api.types.imports import ImportRunConnection
from accountability.api.types.me import MeQuery
from accountability.api.types.profiles import FacilityTimeline, PersonProfile, VictimPath
from accountability.api.types.protection import ProtectionQuery
from accountability.api.types.trace import Explanation, Trace
from accountability.domain import vocabulary as v
from accountability.domain.patterns import PatternGroup
from accountability.services.nodes import NodeFilter
from accountability.services.resolution.duplicates import DuplicateService
from accountability.services.resolution.redirects import resolve_merged

N = TypeVar("N")
#: Fields of a trace that read the people and the nodes along the paths.
_TRACE_NODES = frozenset({"person", "node"})


@strawberry.input(description="Filters for a list of nodes; every one given must hold.")
class NodeFilterInput:
    search: str | None = strawberry.field(
        default=None,
        description="Part of a name or alias, any script; case, accents, Arabic letter "
        "variants and transliteration are ignored.",
    )
    kind: str | None = strawberry.field(
        default=None, description="The node's kind, e.g. torture for an incident."
    )
    date_from: dt.date | None = strawberry.field(
        default=None, description="Incidents ending on or after this date."
    )
    date_to: dt.date | None = strawberry.field(
        default=None, description="Incidents starting on or before this date."
    )

    def to_domain(self) -> NodeFilter:
        return NodeFilter(self.search, self.kind, self.date_from, self.date_to)


@strawberry.type
class NodeEdge(Generic[N]):
    # The page's cursors are encrypted when read: a list page that does not ask for
    # them (most front-ends use pageInfo) costs no encryption an edge.
    cursor: str = strawberry.field(resolver=lambda root: root.cursors[root.index])
    node: N
    cursors: strawberry.Private[Sequence[str]]
    index: strawberry.Private[int]


@strawberry.type(description="A page of nodes.")
class NodeConnection(Generic[N]):
    edges: list[NodeEdge[N]]
    page_info: PageInfo
    label: strawberry.Private[v.NodeLabel]
    node_filter: strawberry.Private[NodeFilter]

    @strawberry.field(description="How many nodes match the filter, over all pages.")
    async def total_count(self, info: Info) -> int:
        ctx = info.context
        return await ctx.services.nodes.count(self.label, self.node_filter, ctx.viewer)


async def _list(
    info: Info,
    label: v.NodeLabel,
    flt: NodeFilterInput | None,
    sort: NodeSort,
    first: int | None,
    after: str | None,
) -> NodeConnection[Node]:
    ctx = info.context
    node_filter = flt.to_domain() if flt else NodeFilter()
    page = await ctx.services.nodes.list(
        label,
        node_filter,
        sort.value,
        first if first is not None else ctx.settings.default_page_size,
        after,
        ctx.viewer,
    )
    for record in page.items:
        ctx.loaders.node.prime(record.id, record)
    await look_ahead_page(info, [r.id for r in page.items], label)
    return NodeConnection(
        edges=[
            NodeEdge(node=node_of(r), cursors=page.cursors, index=n)
            for n, r in enumerate(page.items)
        ],
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        label=label,
        node_filter=node_filter,
    )


def _list_field(label: v.NodeLabel, plural: str) -> Any:
    """A list field for one label; its GraphQL type comes from the class attribute's
    annotation, so the six lists share one resolver."""

    async def resolve(
        info: Info,
        filter: NodeFilterInput | None = None,
        sort: NodeSort = NodeSort.NAME,
        first: int | None = None,
        after: str | None = None,
    ) -> NodeConnection[Node]:
        return await _list(info, label, filter, sort, first, after)

    return strawberry.field(resolver=resolve, description=f"A page of {plural}.")


def _one_field(label: v.NodeLabel, name: str | None = None) -> Any:
    """A lookup by id for one label; the GraphQL type comes from the class attribute."""

    async def resolve(info: Info, id: strawberry.ID) -> Node | None:
        return await _one(info, str(id), label)

    return strawberry.field(
        resolver=resolve, name=name, description=f"A {label.value.lower()} by id."
    )


async def _one(info: Info, node_id: str, label: v.NodeLabel | None) -> Node | None:
    # The node with the claims its selection asks for, in one statement.
    await look_ahead_lookup(info, node_id, label)
    record = await info.context.loaders.node.load(node_id)
    if record is None and (moved := await resolve_merged(info.context.services.db, [node_id])):
        # The id of a person merged into another answers that person.
        await look_ahead_lookup(info, moved[node_id], label)
        record = await info.context.loaders.node.load(moved[node_id])
    if record is None or (label is not None and record.label is not label):
        return None
    return node_of(record)


@strawberry.type
class Query(ProtectionQuery, MeQuery, AdminQuery):
    @strawberry.field(description="Any node by id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await _one(info, str(id), None)

    @strawberry.field(description="Nodes by id, in the order asked; null where none exists.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        records = await info.context.loaders.node.load_many([str(i) for i in ids])
        return [node_of(r) if r else None for r in records]

    person: Person | None = _one_field(v.NodeLabel.PERSON)
    unit: Unit | None = _one_field(v.NodeLabel.UNIT)
    facility: Facility | None = _one_field(v.NodeLabel.FACILITY)
    incident: Incident | None = _one_field(v.NodeLabel.INCIDENT)
    evidence: Evidence | None = _one_field(v.NodeLabel.EVIDENCE)
    case_file: CaseFile | None = _one_field(v.NodeLabel.CASE, name="case")

    @strawberry.field(
        description="Every person linked to an incident, with the mode of liability, the "
        "path that links them and the evidence for every step. maxDepth bounds how far "
        "command chains are climbed (0 to 10)."
    )
    async def trace(self, info: Info, incident_id: strawberry.ID, max_depth: int = 6) -> Trace:
        ctx = info.context
        # The people and the nodes along the paths, when asked for, are read with the
        # trace's evidence, not in a read of their own: the links' fields then resolve
        # without awaiting.
        result = await ctx.services.tracing.trace(
            str(incident_id), max_depth, ctx.viewer, with_nodes=selects_any(info, _TRACE_NODES)
        )
        for record in (result.incident, *result.evidence.values(), *result.nodes.values()):
            ctx.loaders.node.prime(record.id, record)
        return Trace.of(result)

    @strawberry.field(
        description="Every path linking a person to an incident, even those that do not "
        "qualify, each with the reason it does or does not: what a lawyer needs to check "
        "the trace."
    )
    async def explain(
        self,
        info: Info,
        person_id: strawberry.ID,
        incident_id: strawberry.ID,
        max_depth: int = 6,
    ) -> Explanation:
        ctx = info.context
        result = await ctx.services.tracing.explain(
            str(person_id), str(incident_id), max_depth, ctx.viewer
        )
        for record in (result.incident, *result.evidence.values()):
            ctx.loaders.node.prime(record.id, record)
        return Explanation.of(str(person_id), result)

    @strawberry.field(
        description="What a person had reason to know before an incident: prior "
        "incidents under his command (each on its own dates, by the trace's rules) and "
        "notifications received before it ended."
    )
    async def notice(
        self, info: Info, person_id: strawberry.ID, incident_id: strawberry.ID, max_depth: int = 6
    ) -> Notice:
        ctx = info.context
        found = await ctx.services.notice.notice(
            str(person_id), str(incident_id), ctx.viewer, max_depth
        )
        return Notice.of(found)

    @strawberry.field(
        description="The elements of one link (person, incident, mode): for the mode, then "
        "for the crime, each with its status, basis, claims, evidence and a note."
    )
    async def liability_elements(
        self,
        info: Info,
        person_id: strawberry.ID,
        incident_id: strawberry.ID,
        mode: Mode,
        max_depth: int = 6,
    ) -> list[ElementAssessment]:
        ctx = info.context
        found = await ctx.services.elements.elements(
            str(person_id), str(incident_id), mode, ctx.viewer, max_depth
        )
        return [ElementAssessment.of(a) for a in found]

    @strawberry.field(
        description="A case's evidence matrix: every person of the case linked to an "
        "incident of the case, by mode, element by element; the gaps first."
    )
    async def case_matrix(
        self, info: Info, case_id: strawberry.ID, max_depth: int = 6
    ) -> CaseMatrix:
        ctx = info.context
        return CaseMatrix.of(
            await ctx.services.elements.matrix(str(case_id), ctx.viewer, max_depth)
        )

    @strawberry.field(
        description="Incidents begun in a period, with distinct victims and deaths, grouped "
        "by facility, operating unit, kind, month or year: the figures that show scale and "
        "regularity (the contextual element of a crime against humanity)."
    )
    async def patterns(
        self,
        info: Info,
        date_from: Annotated[dt.date, strawberry.argument(name="from")],
        date_to: Annotated[dt.date, strawberry.argument(name="to")],
        group_by: PatternGroup,
    ) -> list[PatternRow]:
        ctx = info.context
        rows = await ctx.services.patterns.patterns(date_from, date_to, group_by, ctx.viewer)
        return [PatternRow.of(r) for r in rows]

    @strawberry.field(
        description="The share of incidents, victims and deaths of a window (all time when "
        "not given) that a period holds: 'over 83% of them between May 2013 and October "
        "2015'."
    )
    async def concentration(
        self,
        info: Info,
        date_from: Annotated[dt.date, strawberry.argument(name="from")],
        date_to: Annotated[dt.date, strawberry.argument(name="to")],
        within_from: dt.date | None = None,
        within_to: dt.date | None = None,
    ) -> Concentration:
        found = await info.context.services.patterns.concentration(
            date_from, date_to, within_from, within_to
        )
        return Concentration.of(found)

    @strawberry.field(
        description="A person's posts, memberships and commands over time, and every "
        "incident they are linked to, by mode (the trace, inverted)."
    )
    async def person_profile(
        self, info: Info, person_id: strawberry.ID, max_depth: int = 6
    ) -> PersonProfile:
        ctx = info.context
        profile = await ctx.services.profiles.person_profile(str(person_id), max_depth, ctx.viewer)
        return PersonProfile.of(profile)

    @strawberry.field(
        description="A person's detention records in time order, the incidents they "
        "suffered, and their known fate."
    )
    async def victim_path(self, info: Info, person_id: strawberry.ID) -> VictimPath:
        ctx = info.context
        return VictimPath.of(await ctx.services.profiles.victim_path(str(person_id), ctx.viewer))

    @strawberry.field(
        description="Operators, posts and incidents at a facility between two dates, in "
        "time order, with detention counts by year."
    )
    async def facility_timeline(
        self,
        info: Info,
        facility_id: strawberry.ID,
        date_from: Annotated[dt.date, strawberry.argument(name="from")],
        date_to: Annotated[dt.date, strawberry.argument(name="to")],
    ) -> FacilityTimeline:
        ctx = info.context
        timeline = await ctx.services.profiles.facility_timeline(
            str(facility_id), date_from, date_to, ctx.viewer
        )
        return FacilityTimeline.of(timeline)

    @strawberry.field(
        description="A unit's commanders, parent and child units (with their commanders) "
        "and facilities, as claimed in force on a date."
    )
    async def command_chart(self, info: Info, unit_id: strawberry.ID, at: dt.date) -> CommandChart:
        ctx = info.context
        return CommandChart.of(await ctx.services.charts.unit_chart(str(unit_id), at, ctx.viewer))

    @strawberry.field(
        description="The units operating a facility (with their commanders) and the people "
        "posted there, as claimed in force on a date."
    )
    async def facility_chart(
        self, info: Info, facility_id: strawberry.ID, at: dt.date
    ) -> FacilityChart:
        ctx = info.context
        chart = await ctx.services.charts.facility_chart(str(facility_id), at, ctx.viewer)
        return FacilityChart.of(chart)

    @strawberry.field(
        description="Problems to resolve before a court sees the graph: subordination "
        "cycles, overlapping commands, evidence acquired before the fact it documents, "
        "claims about a person after their recorded death. Standing claims only; ids and "
        "dates, no names. Analysts and above."
    )
    async def consistency(
        self,
        info: Info,
        first: int | None = 200,
        kinds: Annotated[
            list[ProblemKind] | None,
            strawberry.argument(description="Only these kinds (all when left out)."),
        ] = None,
    ) -> ConsistencyReport:
        ctx = info.context
        report = await ctx.services.consistency.check(
            200 if first is None else first, ctx.viewer, kinds
        )
        return ConsistencyReport.of(report)

    @strawberry.field(
        description="Pairs of persons that may be one (other spellings, other scripts), "
        "best first, with a score and the reasons. Pairs judged different are left out; "
        "protected persons only for cleared roles. Analysts and above."
    )
    async def duplicate_candidates(self, info: Info, first: int = 50) -> list[DuplicateCandidate]:
        ctx = info.context
        service = DuplicateService(ctx.services.db, ctx.services.nodes)
        return [DuplicateCandidate.of(p) for p in await service.candidates(ctx.viewer, first)]

    @strawberry.field(description="The audit log, oldest first (admins only).")
    async def audit_log(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> AuditConnection:
        ctx = info.context
        entries, has_next = await ctx.services.audit.page(ctx.viewer, first, after)
        return AuditConnection.of(entries, has_next)

    @strawberry.field(
        description="The import journal, newest first (admins only): every import and "
        "undo, with its status; an interrupted one was cut short and may be completed by "
        "importing the same file again."
    )
    async def imports(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> ImportRunConnection:
        ctx = info.context
        runs, keys, has_next = await ctx.services.imports.page(ctx.viewer, first, after)
        return ImportRunConnection.of(runs, keys, has_next)

    @strawberry.field(
        description="An export started with startExport: its progress, and its download "
        "URL once done. Only the one who started it (or an admin) sees it."
    )
    async def export_job(self, info: Info, id: strawberry.ID) -> ExportJob:
        ctx = info.context
        return ExportJob.of(await ctx.services.export_jobs.get(ctx.viewer, str(id)))

    @strawberry.field(description="A claim by id.")
    async def claim(self, info: Info, id: strawberry.ID) -> Claim | None:
        ctx = info.context
        found = await ctx.services.claims.get_many([str(id)], ctx.viewer)
        record = found.get(str(id))
        return Claim.of(record) if record else None

    @strawberry.field(description="A page of nodes of one label, filtered and sorted.")
    async def search(
        self,
        info: Info,
        label: NodeLabel,
        filter: NodeFilterInput | None = None,
        sort: NodeSort = NodeSort.NAME,
        first: int | None = None,
        after: str | None = None,
    ) -> NodeConnection[Node]:
        return await _list(info, label, filter, sort, first, after)

    persons: NodeConnection[Person] = _list_field(v.NodeLabel.PERSON, "persons")
    units: NodeConnection[Unit] = _list_field(v.NodeLabel.UNIT, "units")
    facilities: NodeConnection[Facility] = _list_field(v.NodeLabel.FACILITY, "facilities")
    incidents: NodeConnection[Incident] = _list_field(v.NodeLabel.INCIDENT, "incidents")
    evidence_items: NodeConnection[Evidence] = _list_field(v.NodeLabel.EVIDENCE, "evidence items")
    cases: NodeConnection[CaseFile] = _list_field(v.NodeLabel.CASE, "case files")
