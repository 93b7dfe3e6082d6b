"""Look-ahead reads (docs/design.md, "Look-ahead reads"), from the document: what a
``claims`` field's selection reads beyond the claims (the nodes at their other ends, the
evidence they cite), so that claims, ends and evidence come in one statement; and, for a
lookup by id, the ``claims`` fields of the node, so that the node comes in it too.

Nothing here decides what is served: it chooses what to read together and puts it where
the resolvers look (the request's loaders). A loader key it works out differently from a
resolver is a read wasted, never a wrong answer: the resolver then reads for itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLResolveInfo,
    InlineFragmentNode,
)
from graphql.execution.values import VariableValues, get_argument_values

from accountability.api.context import Context, Info
from accountability.api.types.enums import Direction
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.services.reads import ClaimSpec

RawInfo = GraphQLResolveInfo[Any]
#: Fields of an edge (ClaimEdge) or a claim (Claim) that read the nodes at its ends.
_ENDS = frozenset({"node", "from", "to"})
#: Fields that read the evidence items a claim cites.
_EVIDENCE = frozenset({"evidence", "evidenceIds"})


def _fields(raw: RawInfo, nodes: Iterable[FieldNode]) -> Iterator[FieldNode]:
    """The fields selected under these fields, through fragments of every kind."""
    for node in nodes:
        if node.selection_set is not None:
            yield from _flatten(raw, node.selection_set.selections)


def _flatten(raw: RawInfo, selections: Iterable[object]) -> Iterator[FieldNode]:
    for selection in selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _flatten(raw, selection.selection_set.selections)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _flatten(raw, fragment.selection_set.selections)


def selects_any(info: Info, names: frozenset[str]) -> bool:
    """Whether any field named in ``names`` is selected anywhere under this field."""
    raw = info._raw_info
    pending = list(_fields(raw, raw.field_nodes))
    while pending:
        field = pending.pop()
        if field.name.value in names:
            return True
        pending.extend(_fields(raw, [field]))
    return False


def _reads_beyond(raw: RawInfo, field_nodes: list[FieldNode]) -> tuple[bool, bool]:
    key = id(field_nodes[0])
    context: Context = raw.context
    known = context.reads_beyond.get(key)
    if known is not None:
        return known
    ends = evidence = False
    for edges in _fields(raw, field_nodes):
        if edges.name.value != "edges":
            continue
        for edge_field in _fields(raw, [edges]):
            name = edge_field.name.value
            ends = ends or name in _ENDS
            evidence = evidence or name in _EVIDENCE
            if name == "claim":
                for claim_field in _fields(raw, [edge_field]):
                    ends = ends or claim_field.name.value in _ENDS
                    evidence = evidence or claim_field.name.value in _EVIDENCE
    context.reads_beyond[key] = (ends, evidence)
    return ends, evidence


def _claims_fields_on(
    raw: RawInfo, selections: Iterable[object], on: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], FieldNode]]:
    """The ``claims`` fields selected on a node, each with the types of the fragments
    it is under, outermost first (through inline fragments and named ones)."""
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == "claims":
                yield on, selection
            continue
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            body = selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is None:
                continue
            condition, body = fragment.type_condition, fragment.selection_set
        else:
            continue
        inner = on if condition is None else (*on, condition.name.value)
        yield from _claims_fields_on(raw, body.selections, inner)


def _variables(raw: RawInfo) -> VariableValues:
    # Strawberry hands resolvers the coerced values alone; graphql-core wants them in its
    # container (their sources matter to fragment variables only).
    given: Any = raw.variable_values
    return given if isinstance(given, VariableValues) else VariableValues({}, given)


def claim_spec(raw: RawInfo, field_nodes: list[FieldNode]) -> ClaimSpec:
    """What a ``claims`` field asks for, worked out from the document alone (its
    arguments, what its selection reads beyond the claims, the ``claims`` fields on the
    nodes at their other ends, and theirs): the resolver and a look-ahead made a level
    above find the same spec for the same field, so the read made ahead is the one the
    resolver looks for. Raises when the arguments cannot be worked out."""
    key = id(field_nodes[0])
    context: Context = raw.context
    known = context.claim_specs.get(key)
    if known is not None:
        return known
    interface = raw.schema.get_type("Node")
    assert isinstance(interface, GraphQLInterfaceType)
    args = get_argument_values(interface.fields["claims"], field_nodes[0], _variables(raw))
    first = args.get("first")
    types_asked = args.get("types")
    ends, evidence = _reads_beyond(raw, field_nodes)
    then: list[tuple[frozenset[NodeLabel] | None, ClaimSpec]] = []
    if ends:
        for edges in _fields(raw, field_nodes):
            if edges.name.value != "edges":
                continue
            for node in _fields(raw, [edges]):
                if node.name.value != "node" or node.selection_set is None:
                    continue
                for on, nested in _claims_fields_on(raw, node.selection_set.selections):
                    labels = _labels(on[-1] if on else None)
                    if labels is None or labels:
                        then.append((labels, claim_spec(raw, [nested])))
    spec = ClaimSpec(
        direction=Direction(args.get("direction", Direction.BOTH)).value,
        types=tuple(ClaimType(t) for t in types_asked) if types_asked else None,
        include_retracted=bool(args.get("includeRetracted", False)),
        first=context.settings.default_page_size if first is None else int(first),
        after=args.get("after"),
        ends=ends,
        evidence=evidence,
        then=tuple(dict.fromkeys(then)),
    )
    context.claim_specs[key] = spec
    return spec


def _labels(type_name: str | None) -> frozenset[NodeLabel] | None:
    """The labels a fragment's type stands for: None for any node, none for a type that
    is no node label (nothing to read ahead)."""
    if type_name is None or type_name == "Node":
        return None
    try:
        # GraphQL's node types are named as the labels.
        return frozenset({NodeLabel(type_name)})
    except ValueError:
        return frozenset()


def _claims_fields(
    raw: RawInfo, selections: Iterable[object], types: frozenset[str]
) -> Iterator[FieldNode]:
    """The ``claims`` fields selected on a node whose GraphQL type is one of ``types``
    (through fragments on those types or on the Node interface)."""
    for on, field in _claims_fields_on(raw, selections):
        if all(t in types for t in on):
            yield field


def _specs(raw: RawInfo, fields: Iterable[FieldNode]) -> list[ClaimSpec]:
    """The specs of these ``claims`` fields, but those whose arguments the resolver will
    refuse with its own error (or that this could not work out): those read for
    themselves."""
    specs: list[ClaimSpec] = []
    for field in fields:
        try:
            specs.append(claim_spec(raw, [field]))
        except Exception:
            continue
    return list(dict.fromkeys(specs))


async def look_ahead_lookup(info: Info, node_id: str, label: NodeLabel | None) -> None:
    """Before a lookup by id (``person(id)``, ``node(id)`` …) reads its node: read the
    node, the claims its selection asks for on it, and what those read next, in one
    statement, into the request's loaders. Claims under a fragment on one node type
    are left to their resolver when the lookup's label is not known."""
    ctx = info.context
    if not ctx.look_ahead or ctx.loaders.node.cache_map.get(node_id) is not None:
        return
    raw = info._raw_info
    # GraphQL's node types are named as the labels.
    types = frozenset({"Node", label.value if label else "Node"})
    specs = _specs(
        raw,
        (
            field
            for node in raw.field_nodes
            if node.selection_set is not None
            for field in _claims_fields(raw, node.selection_set.selections, types)
        ),
    )
    if specs:
        asks = [(node_id, spec) for spec in specs]
        reads = ctx.loaders.reads
        ctx.loaders.prime_ahead(
            await reads.claims_ahead(asks, ctx.viewer, lookup=[node_id], label=label)
        )


async def look_ahead_page(info: Info, ids: list[str], label: NodeLabel) -> None:
    """After a list field (``persons`` …) read a page of nodes of one label: read the
    claims its selection asks for on them (``edges { node { claims … } }``), and what
    those read next, for the whole page in one statement, so that the nodes' fields
    resolve without a read of their own."""
    ctx = info.context
    if not ctx.look_ahead or not ids:
        return
    raw = info._raw_info
    types = frozenset({"Node", label.value})
    specs = _specs(
        raw,
        (
            field
            for edges in _fields(raw, raw.field_nodes)
            if edges.name.value == "edges"
            for node in _fields(raw, [edges])
            if node.name.value == "node" and node.selection_set is not None
            for field in _claims_fields(raw, node.selection_set.selections, types)
        ),
    )
    if specs:
        asks = [(node_id, spec) for spec in specs for node_id in ids]
        ctx.loaders.prime_ahead(await ctx.loaders.reads.claims_ahead(asks, ctx.viewer))
