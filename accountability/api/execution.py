"""GraphQL execution with short paths for plain leaf fields and for fields of objects.

A nested read completes hundreds of fields that only read an attribute and serialise
it (``id``, ``name``, ``validFrom``, ``confidence`` …). graphql-core spends most of its
time on each of them outside the value itself: a path entry, a resolve-info object,
strawberry's wrapper around the attribute read, and a recursion through the field's
wrapping types. For a field strawberry resolves by the attribute alone (no resolver,
no field extension: ``_is_default``), with no arguments, whose type is a scalar or an
enum (nullable or not), this reads the attribute with strawberry's own default
resolver and coerces it with the type's own ``coerce_output_value`` — the two steps
graphql-core would take — and writes the result in place.

Fields of objects — a claim edge's node, a connection's edges, a node's claims read
ahead — go the same way when strawberry reads them by the attribute, or when a lean
resolver (api/fast_fields.py) has the value at once: the value, or each item of a list
of them, is completed as the object type of its class (the type strawberry resolves for
an instance of one of our classes that is not cast to another), and its own fields go
back through this short path. That skips graphql-core's dispatch over the wrapping
types, its abstract-type resolution through strawberry and its per-item bookkeeping:
about a third of a facility page's Python time, a sixth of a person's.

Whatever is not the plain, successful case goes the whole way, unchanged: a null for a
non-null field, an attribute that is missing or raises, a coercion that fails, any
field with a resolver or an argument (but the lean resolvers' short forms), a value of
a class that is not its type's own, ``__typename``, and every field when a middleware is
installed. A field of objects is checked for all of that before any of its subfields
runs; an error in a subfield is then handled where graphql-core handles it (the item of
a list of nullable items, else the field). So errors, their paths and their messages
are graphql-core's own, and an answer is the same byte for byte (tests/test_execution.py
compares them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar, cast

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, gather_with_cancel
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


#: Where a lean resolver (api/fast_fields.py) keeps its short form: called with the
#: source and the resolve info, it gives the value when it has it at once, and Undefined
#: otherwise (graphql-core then calls the resolver itself).
NOW = "accountability-now"

Now = Callable[[Any, GraphQLResolveInfo[Any]], Any]


@dataclass(frozen=True, slots=True)
class _Composite:
    """How to complete one field of object values (or a list of them) in place."""

    field: GraphQLField
    now: Now
    non_null: bool
    #: For a list, whether its items are non-null; None for a single value.
    item_non_null: bool | None
    item_type: GraphQLOutputType
    #: The object type of a value, by its class: the types the field's type may be.
    runtime: dict[type, GraphQLObjectType]


def _attribute(read: Callable[[Any, str], Any], python_name: str) -> Now:
    def now(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return read(source, python_name)

    return now


def _composite(schema: GraphQLSchema, field: GraphQLField) -> _Composite | None:
    definition = field.extensions.get(_DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    now: Now | None = field.extensions.get(NOW)
    if now is None:
        resolve = field.resolve
        if field.args or resolve is None or not getattr(resolve, "_is_default", False):
            return None
        if definition.base_resolver is not None:
            return None
        now = _attribute(definition.default_resolver, definition.python_name)
    kind: Any = field.type
    non_null = isinstance(kind, GraphQLNonNull)
    if non_null:
        kind = kind.of_type
    item_non_null: bool | None = None
    item_type: Any = kind
    if isinstance(kind, GraphQLList):
        item_type = kind.of_type
        item_non_null = isinstance(item_type, GraphQLNonNull)
        kind = item_type.of_type if item_non_null else item_type
    if isinstance(kind, GraphQLObjectType):
        possible: list[GraphQLObjectType] = [kind]
    elif isinstance(kind, GraphQLInterfaceType | GraphQLUnionType):
        possible = list(schema.get_possible_types(kind))
    else:
        return None
    runtime: dict[type, GraphQLObjectType] = {}
    for object_type in possible:
        origin = getattr(object_type.extensions.get(_DEFINITION), "origin", None)
        if isinstance(origin, type) and not hasattr(origin, "__await__"):
            runtime[origin] = object_type
    if not runtime:
        return None
    return _Composite(field, now, non_null, item_non_null, item_type, runtime)


def _plan(schema: GraphQLSchema, parent_type: GraphQLObjectType) -> dict[str, _Leaf | _Composite]:
    """The plain leaf fields of a type, and its fields of objects that complete in place
    (worked out once a type: a schema's types are built once and never change)."""
    plan: dict[str, _Leaf | _Composite] | None = parent_type.extensions.get(_PLAN)
    if plan is None:
        plan = {}
        for name, field in parent_type.fields.items():
            step = _leaf(field) or _composite(schema, field)
            if step is not None:
                plan[name] = step
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
    """Strawberry's execution context, completing plain leaf fields and fields of objects
    in place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = _awaitable_unless_ours(self.is_awaitable, _our_types(self.schema))
        # Fields of objects complete in place only where no result is delivered in parts
        # (@defer and @stream are not in the schema).
        self.in_place = (
            self.schema.get_directive("defer") is None
            and self.schema.get_directive("stream") is None
        )

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        plan = _plan(self.schema, parent_type)
        middleware = self.middleware_manager
        if not plan or (middleware is not None and middleware.middlewares):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        # graphql-core's loop (Executor.execute_fields), field by field in the
        # selection's order, with the short paths tried first: errors are met, and
        # positions nulled, in the order graphql-core meets them.
        in_place = position_context is None and self.in_place
        is_awaitable = self.is_awaitable
        results: dict[str, Any] = {}
        awaiting: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                step = plan.get(node.name.value)
                if type(step) is _Leaf and not node.arguments:
                    result = _complete(step, source_value)
                    if result is not Undefined:
                        results[response_name] = result
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result = Undefined
                if type(step) is _Composite and in_place:
                    result = self._complete_composite(
                        step, parent_type, source_value, field_path, field_details_list
                    )
                if result is Undefined:
                    result = self.execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
                    )
                    if result is Undefined:
                        continue
                results[response_name] = result
                if is_awaitable(result):
                    awaiting.append(response_name)
        except Exception:
            if awaiting:
                self.settle_in_background([results[name] for name in awaiting])
            raise
        if not awaiting:
            return results
        return _awaited(results, awaiting)

    def _object_plan(
        self,
        step: _Composite,
        value: Any,
        info: GraphQLResolveInfo[Any],
        field_details_list: FieldDetailsList,
    ) -> tuple[GraphQLObjectType, GroupedFieldSet] | None:
        """The object type a value completes as and the fields to complete, or None.
        The type is the one strawberry would resolve for an instance of one of our classes
        that is not cast to another (strawberry.cast): the class's own."""
        kind = step.runtime.get(type(value))
        if kind is None or getattr(value, "__as_strawberry_type__", None) is not None:
            return None
        is_type_of = kind.is_type_of
        if is_type_of is not None and is_type_of(value, info) is not True:
            return None
        grouped, defer_usages, _ = self.collect_subfields(kind, field_details_list)
        return None if defer_usages else (kind, grouped)

    def _complete_composite(
        self,
        step: _Composite,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path,
        field_details_list: FieldDetailsList,
    ) -> Any:
        """The completed value of a field of objects, or Undefined when it is not the
        plain case (graphql-core then does the whole field). Everything graphql-core
        could refuse is checked before any subfield runs; a subfield's error is then
        handled where graphql-core handles it: at the item of a list with nullable
        items, else at this field."""
        info = self.build_resolve_info(
            step.field, [d.node for d in field_details_list], parent_type, path
        )
        try:
            value = step.now(source, info)
        except Exception:
            return Undefined
        if value is Undefined:
            return Undefined
        if value is None:
            return Undefined if step.non_null else None
        if step.item_non_null is None:
            single = self._object_plan(step, value, info, field_details_list)
            if single is None:
                return Undefined
            return self._object_fields(single, value, path, step.field.type, field_details_list)
        if type(value) is not list and type(value) is not tuple:
            return Undefined
        plans: list[tuple[GraphQLObjectType, GroupedFieldSet] | None] = []
        for item in value:
            if item is None:
                if step.item_non_null:
                    return Undefined
                plans.append(None)
                continue
            plan = self._object_plan(step, item, info, field_details_list)
            if plan is None:
                return Undefined
            plans.append(plan)
        results: list[Any] = []
        waiting: list[int] = []
        try:
            for index, (item, plan) in enumerate(zip(value, plans, strict=True)):
                if plan is None:
                    results.append(None)
                    continue
                # An item's error raises again when the items are non-null: the list fails.
                completed = self._object_fields(
                    plan, item, Path(path, index, None), step.item_type, field_details_list
                )
                if type(completed) is not dict and self.is_awaitable(completed):
                    waiting.append(index)
                results.append(completed)
        except Exception as error:
            if waiting:
                self.settle_in_background([results[i] for i in waiting])
            self.handle_field_error(error, step.field.type, field_details_list, path)
            return None
        if not waiting:
            return results
        return self._field_later(
            _awaited(results, waiting), step.field.type, field_details_list, path
        )

    def _object_fields(
        self,
        plan: tuple[GraphQLObjectType, GroupedFieldSet],
        value: Any,
        path: Path,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
    ) -> Any:
        """An object value's fields completed as this plan says; its error handled as
        graphql-core handles one at ``path`` (null there, or raised again when the place
        is non-null); an awaitable when a field completes later."""
        try:
            completed = self.execute_fields(plan[0], value, path, plan[1], None)
        except Exception as error:
            self.handle_field_error(error, return_type, field_details_list, path)
            return None
        if type(completed) is not dict and self.is_awaitable(completed):
            return self._field_later(completed, return_type, field_details_list, path)
        return completed

    async def _field_later(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as error:
            self.handle_field_error(error, return_type, field_details_list, path)
            return None


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


Completed = TypeVar("Completed", dict[str, Any], list[Any])


async def _awaited(values: Completed, waiting: list[Any]) -> Completed:
    """The values, with those at the keys (or indexes) waiting awaited in place, at
    once, as graphql-core awaits a selection's fields and a list's items."""
    if len(waiting) == 1:
        values[waiting[0]] = await values[waiting[0]]
    else:
        awaited = await gather_with_cancel(*(values[key] for key in waiting))
        for key, value in zip(waiting, awaited, strict=True):
            values[key] = value
    return values


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
