"""GraphQL execution with a short path for plain leaf fields.

A nested read completes hundreds of fields that only read an attribute and serialise
it (``id``, ``name``, ``validFrom``, ``confidence`` …). graphql-core spends most of its
time on each of them outside the value itself: a path entry, a resolve-info object,
strawberry's wrapper around the attribute read, and a recursion through the field's
wrapping types. For a field strawberry resolves by the attribute alone (no resolver,
no field extension: ``_is_default``), with no arguments, whose type is a scalar or an
enum (nullable or not), this reads the attribute with strawberry's own default
resolver and coerces it with the type's own ``coerce_output_value`` — the two steps
graphql-core would take — and writes the result in place.

Whatever is not the plain, successful case goes the whole way, unchanged: a null for a
non-null field, an attribute that is missing or raises, a coercion that fails, any
field with a resolver or an argument, ``__typename``, and every field when a middleware
is installed. So errors, their paths and their messages are graphql-core's own, and an
answer is the same byte for byte (tests/test_execution.py compares them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeGuard, cast

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.types.field import StrawberryField

#: The key under which strawberry keeps its field on a graphql-core field.
_DEFINITION = "strawberry-definition"


@dataclass(frozen=True, slots=True)
class _Leaf:
    """How to complete one plain leaf field."""

    read: Callable[[Any, str], Any]
    python_name: str
    coerce: Callable[[Any], Any]
    non_null: bool


#: Where a type keeps its plan: in its own ``extensions`` (graphql-core's place for what
#: a server attaches to a type), so that it lives and goes with its schema.
_PLAN = "accountability-leaf-plan"


def _leaf(field: GraphQLField) -> _Leaf | None:
    definition = field.extensions.get(_DEFINITION)
    resolve = field.resolve
    if not isinstance(definition, StrawberryField) or field.args:
        return None
    if resolve is None or not getattr(resolve, "_is_default", False):
        return None
    if definition.base_resolver is not None or definition.extensions:
        return None
    kind = field.type
    non_null = isinstance(kind, GraphQLNonNull)
    if non_null:
        kind = cast(GraphQLNonNull[Any], kind).of_type
    if not isinstance(kind, GraphQLScalarType | GraphQLEnumType):
        return None
    return _Leaf(
        read=definition.default_resolver,
        python_name=definition.python_name,
        coerce=kind.coerce_output_value,
        non_null=non_null,
    )


def _plan(parent_type: GraphQLObjectType) -> dict[str, _Leaf]:
    """The plain leaf fields of a type (worked out once a type: a schema's types are
    built once and never change)."""
    plan: dict[str, _Leaf] | None = parent_type.extensions.get(_PLAN)
    if plan is None:
        plan = {}
        for name, field in parent_type.fields.items():
            leaf = _leaf(field)
            if leaf is not None:
                plan[name] = leaf
        parent_type.extensions[_PLAN] = plan
    return plan


def index_enums(schema: GraphQLSchema) -> None:
    """Give strawberry's enum types a lookup by member for their output.

    Strawberry serialises an enum member by scanning the type's values and comparing
    each value's ``value`` (an enum property, slow to read) — 12 µs a call for the
    larger enums, a tenth of a facility page's Python time. The same answer comes from
    a dict built once: for each member, the first value whose ``value`` it matches, in
    the order of the scan. Anything that is not a member found there (a raw value, a
    member of no value) goes to strawberry's own method, unchanged."""
    for kind in schema.type_map.values():
        if not isinstance(kind, CustomGraphQLEnumType):
            continue
        members: list[Any] = list(kind.wrapped_cls)
        names: dict[Any, str] = {}
        for name, value in kind.values.items():
            for member in members:
                if member.value == value.value:
                    names.setdefault(member, name)
        faster = _by_member(kind.wrapped_cls, names, kind.coerce_output_value)
        setattr(kind, "coerce_output_value", faster)  # noqa: B010 (an instance's method)


def _by_member(
    wrapped: type[Any], names: dict[Any, str], scan: Callable[[Any], str]
) -> Callable[[Any], str]:
    def coerce_output_value(output_value: Any) -> str:
        if isinstance(output_value, wrapped):
            name = names.get(output_value)
            if name is not None:
                return name
        return scan(output_value)

    return coerce_output_value


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing plain leaf fields in place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = _awaitable_unless_ours(self.is_awaitable, _our_types(self.schema))

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        plan = _plan(parent_type)
        middleware = self.middleware_manager
        if not plan or (middleware is not None and middleware.middlewares):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        done: dict[str, Any] = {}
        rest: GroupedFieldSet = {}
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            leaf = plan.get(node.name.value)
            if leaf is None or node.arguments:
                completed = Undefined
            else:
                completed = _complete(leaf, source_value)
            if completed is Undefined:
                rest[response_name] = field_details_list
            else:
                done[response_name] = completed
        if not rest:
            return done
        others = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if not done:
            return others
        order = list(grouped_field_set)
        if self.is_awaitable(others):
            return _merged_later(order, done, cast(Awaitable[dict[str, Any]], others))
        return _merged(order, done, cast(dict[str, Any], others))


#: Where a schema keeps the classes of its object types (see ``_our_types``).
_OURS = "accountability-object-classes"


def _our_types(schema: GraphQLSchema) -> frozenset[type]:
    """The classes strawberry made this schema's object types from, but any that can be
    awaited: the values most resolvers return (worked out once a schema)."""
    ours: frozenset[type] | None = schema.extensions.get(_OURS)
    if ours is None:
        classes = set()
        for kind in schema.type_map.values():
            definition = kind.extensions.get("strawberry-definition")
            origin = getattr(definition, "origin", None)
            if isinstance(kind, GraphQLObjectType) and isinstance(origin, type):
                if not hasattr(origin, "__await__"):
                    classes.add(origin)
        ours = frozenset(classes)
        schema.extensions[_OURS] = ours
    return ours


def _awaitable_unless_ours(
    is_awaitable: Callable[[Any], TypeGuard[Awaitable[Any]]], ours: frozenset[type]
) -> Callable[[Any], TypeGuard[Awaitable[Any]]]:
    """Strawberry's check, told first of the classes no value of which is awaitable:
    graphql-core asks of every value a resolver returns, and for an object of ours
    strawberry's check falls through its fast path to three slower tests."""

    def check(value: Any) -> TypeGuard[Awaitable[Any]]:
        return False if type(value) in ours else is_awaitable(value)

    return check


def _complete(leaf: _Leaf, source: Any) -> Any:
    """The completed value of a plain leaf field, or Undefined for anything but the
    plain, successful case (graphql-core then completes it, with its own errors)."""
    try:
        value = leaf.read(source, leaf.python_name)
        if value is None:
            # A null for a non-null field is graphql-core's error to make.
            return Undefined if leaf.non_null else None
        coerced = leaf.coerce(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced


def _merged(order: list[str], done: dict[str, Any], others: dict[str, Any]) -> dict[str, Any]:
    # In the order of the selection, as graphql-core answers (a field it left out, it
    # left out: graphql-core omits a field the type does not have).
    return {
        name: done[name] if name in done else others[name]
        for name in order
        if name in done or name in others
    }


async def _merged_later(
    order: list[str], done: dict[str, Any], others: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(order, done, await others)
