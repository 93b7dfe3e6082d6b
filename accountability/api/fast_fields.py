"""Lean resolvers for the fields a nested read resolves hundreds of times: the node at
each claim's other end, the evidence it cites, each node's claims; and a trace's: the
node of each step of a path, each link's person and evidence.

Strawberry wraps every resolver: it builds its own info object, converts the arguments
into Python values and runs the field's extensions, on every call — about half of the
Python time of a facility with its detainees and what they suffered. These fields need
none of it when the look-ahead reads (api/lookahead.py) have already read what they
serve, so their graphql-core resolver is replaced by one that serves that at once and
hands every other call to strawberry's own resolver, unchanged. What is served comes
from the same functions either way (``node_now``, ``typed_now``, ``evidence_now``,
``ClaimConnection.of``): only the wrapping differs. A field strawberry runs an extension
around (a permission, say) keeps strawberry's resolver."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    Undefined,
)
from strawberry.types.field import StrawberryField

from accountability.api.context import Context
from accountability.api.execution import NOW
from accountability.api.loaders import AheadKey
from accountability.api.lookahead import claim_spec
from accountability.api.types.graph import (
    ClaimConnection,
    Person,
    evidence_if_read,
    evidence_now,
    node_if_read,
    node_now,
    typed_now,
)

Resolver = Callable[..., Any]
RawInfo = GraphQLResolveInfo[Any]


# Each lean resolver has a short form (``NOW``, used by api/execution.py) that gives the
# value when the request has read it already and Undefined otherwise, with no awaitable
# made: the resolver itself is that, or the awaitable read.
# node_now and the others read only ``info.context``, which graphql-core's info has too.


def _edge_node(source: Any, info: RawInfo) -> Any:
    return node_now(info, source.other_id)  # type: ignore[arg-type]


def _edge_node_now(source: Any, info: RawInfo) -> Any:
    return node_if_read(info, source.other_id)  # type: ignore[arg-type]


def _edge_evidence(source: Any, info: RawInfo) -> Any:
    return evidence_now(info, source.claim.all_evidence_ids)  # type: ignore[arg-type]


def _edge_evidence_now(source: Any, info: RawInfo) -> Any:
    return evidence_if_read(info, source.claim.all_evidence_ids)  # type: ignore[arg-type]


def _step_node(source: Any, info: RawInfo) -> Any:
    return node_now(info, source.node_id)  # type: ignore[arg-type]


def _step_node_now(source: Any, info: RawInfo) -> Any:
    return node_if_read(info, source.node_id)  # type: ignore[arg-type]


def _link_person(source: Any, info: RawInfo) -> Any:
    return typed_now(info, source.person_id, Person)  # type: ignore[arg-type]


def _link_person_now(source: Any, info: RawInfo) -> Any:
    node = node_if_read(info, source.person_id)  # type: ignore[arg-type]
    # Anything but a person: the resolver's own check answers.
    return node if isinstance(node, Person) else Undefined


def _link_evidence(source: Any, info: RawInfo) -> Any:
    return evidence_now(info, source.evidence_ids)  # type: ignore[arg-type]


def _link_evidence_now(source: Any, info: RawInfo) -> Any:
    return evidence_if_read(info, source.evidence_ids)  # type: ignore[arg-type]


def _claims_now(source: Any, info: RawInfo) -> Any:
    """The page of claims read ahead for this field, or Undefined."""
    context: Context = info.context
    if not context.look_ahead:
        return Undefined
    try:
        spec = claim_spec(info, info.field_nodes)
    except Exception:
        return Undefined
    node_id = str(source.id)
    page = context.loaders.page_read(AheadKey(node_id, spec))
    return Undefined if page is None else ClaimConnection.of(page, node_id)


def _claims(strawberry_resolver: Resolver) -> Resolver:
    def claims(source: Any, info: RawInfo, **kwargs: Any) -> Any:
        served = _claims_now(source, info)
        return strawberry_resolver(source, info, **kwargs) if served is Undefined else served

    return claims


def _unguarded(field: GraphQLField) -> bool:
    """Whether strawberry runs nothing around this field's resolver (no extension, such
    as a permission): only such a field may be given a lean resolver."""
    definition = field.extensions.get("strawberry-definition")
    return isinstance(definition, StrawberryField) and not definition.extensions


def _lean(
    schema: GraphQLSchema,
    type_name: str,
    field_name: str,
    resolve: Resolver,
    now: Resolver | None = None,
) -> bool:
    """Give the field this lean resolver (and its short form), unless it is guarded: then
    it keeps strawberry's. Whether it was given."""
    kind = schema.get_type(type_name)
    if not isinstance(kind, GraphQLObjectType):
        raise RuntimeError(f"no object type {type_name} in the schema")
    field = kind.fields[field_name]
    if not _unguarded(field):
        return False
    field.resolve = resolve
    if now is not None:
        field.extensions = {**field.extensions, NOW: now}
    return True


def install(schema: GraphQLSchema) -> None:
    """Put the lean resolvers in place on the schema strawberry built."""
    _lean(schema, "ClaimEdge", "node", _edge_node, _edge_node_now)
    _lean(schema, "ClaimEdge", "evidence", _edge_evidence, _edge_evidence_now)
    _lean(schema, "PathStep", "node", _step_node, _step_node_now)
    _lean(schema, "LiabilityLink", "person", _link_person, _link_person_now)
    _lean(schema, "LiabilityLink", "evidence", _link_evidence, _link_evidence_now)
    node = schema.get_type("Node")
    assert isinstance(node, GraphQLInterfaceType)
    for implementation in schema.get_implementations(node).objects:
        field = implementation.fields["claims"]
        if field.resolve is not None and _unguarded(field):
            field.resolve = _claims(field.resolve)
            field.extensions = {**field.extensions, NOW: _claims_now}
