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

from accountability.api.context import Info
from accountability.api.loaders import AheadKey
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


def reads_beyond(info: Info) -> tuple[bool, bool]:
    """Whether this ``claims`` field's selection reads (the claims' other ends, the
    evidence they cite). Directives are not evaluated: a field under ``@skip`` counts,
    which costs a read, never a wrong answer."""
    raw = info._raw_info
    return _reads_beyond(info, raw, raw.field_nodes)


def _reads_beyond(info: Info, raw: RawInfo, field_nodes: list[FieldNode]) -> tuple[bool, bool]:
    key = id(field_nodes[0])
    known = info.context.reads_beyond.get(key)
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
    info.context.reads_beyond[key] = (ends, evidence)
    return ends, evidence


def _claims_fields(
    raw: RawInfo, selections: Iterable[object], types: frozenset[str]
) -> Iterator[FieldNode]:
    """The ``claims`` fields selected on a node whose GraphQL type is one of ``types``
    (through fragments on those types or on the Node interface)."""
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == "claims":
                yield selection
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
        if condition is None or condition.name.value in types:
            yield from _claims_fields(raw, body.selections, types)


async def look_ahead_lookup(info: Info, node_id: str, label: NodeLabel | None) -> None:
    """Before a lookup by id (``person(id)``, ``node(id)`` …) reads its node: read the
    node, the claims its selection asks for on it, and what those read next, in one
    statement, into the request's loaders. Claims under a fragment on one node type
    are left to their resolver when the lookup's label is not known."""
    ctx = info.context
    if not ctx.look_ahead or ctx.loaders.node.cache_map.get(node_id) is not None:
        return
    raw = info._raw_info
    interface = raw.schema.get_type("Node")
    assert isinstance(interface, GraphQLInterfaceType)
    field_def = interface.fields["claims"]
    # GraphQL's node types are named as the labels.
    types = frozenset({"Node", label.value if label else "Node"})
    # Strawberry hands resolvers the coerced values alone; graphql-core wants them in its
    # container (their sources matter to fragment variables only).
    given: Any = raw.variable_values
    variables = given if isinstance(given, VariableValues) else VariableValues({}, given)
    specs: list[ClaimSpec] = []
    for node in raw.field_nodes:
        if node.selection_set is None:
            continue
        for field in _claims_fields(raw, node.selection_set.selections, types):
            try:
                args = get_argument_values(field_def, field, variables)
                first = args.get("first")
                types_asked = args.get("types")
                ends, evidence = _reads_beyond(info, raw, [field])
                specs.append(
                    ClaimSpec(
                        direction=Direction(args.get("direction", Direction.BOTH)).value,
                        types=tuple(ClaimType(t) for t in types_asked) if types_asked else None,
                        include_retracted=bool(args.get("includeRetracted", False)),
                        first=ctx.settings.default_page_size if first is None else int(first),
                        after=args.get("after"),
                        ends=ends,
                        evidence=evidence,
                    )
                )
            except Exception:
                # Arguments the resolver will refuse with its own error (or that this
                # could not work out): the resolver reads for itself.
                continue
    if not specs:
        return
    loaders = ctx.loaders
    asks = [(node_id, spec) for spec in specs]
    ahead = await loaders.reads.claims_ahead(asks, ctx.viewer, lookup=[node_id], label=label)
    loaders.node.prime_many(ahead.nodes)
    loaders.claims_ahead.prime_many(
        {AheadKey(owner, spec): page for (owner, spec), page in ahead.pages.items()}
    )
