"""The execution short paths (api/execution.py) answer exactly as strawberry's own
execution does: the same data in the same order, the same errors at the same paths."""

from __future__ import annotations

import asyncio
import enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from accountability.api import fast_fields
from accountability.api.execution import (
    NOW,
    ExecutionContext,
    _Composite,
    _our_types,
    _plan,
    index_enums,
)
from accountability.api.fast_fields import _lean
from accountability.api.schema import build_schema


@strawberry.enum
class Shade(enum.Enum):
    PALE = "pale"
    DARK = "dark"
    ALSO_PALE = "pale"  # noqa: PIE796 (an alias: strawberry names it by the first value it matches)


@strawberry.interface
class Thing:
    id: strawberry.ID


@strawberry.type
class Item(Thing):
    name: str
    note: str | None
    shade: Shade
    maybe_shade: Shade | None
    count: int

    @strawberry.field
    def loud(self) -> str:
        return self.name.upper()


@strawberry.type
class Plain(Thing):
    note: str

    @strawberry.field
    async def later_note(self) -> str:
        # A subfield that completes later: its object, and its list, complete later too.
        await asyncio.sleep(0)
        return self.note.upper()


@strawberry.type
class Loose:
    """Of no type a Thing may be."""

    id: strawberry.ID


@strawberry.type
class Box(Thing):
    """Fields of objects, lists of them and of an interface: completed in place."""

    item: Item
    maybe_item: Item | None
    items: list[Item]
    maybe_items: list[Item | None] | None
    thing: Thing
    things: list[Thing]
    nullable_things: list[Thing | None]

    @strawberry.field
    def fails(self) -> str:
        # Before the fields of objects in a selection: the box is nulled, and their
        # errors are not met.
        raise ValueError("fails")


def _item(key: str, name: Any = "one", shade: Any = Shade.PALE) -> Item:
    return Item(id=strawberry.ID(key), name=name, note=None, shade=shade,
                maybe_shade=None, count=1)  # fmt: skip


def _boxes() -> list[Box]:
    good = _item("g")
    bad = _item("x", name=None)  # a null where Item.name may not hold one
    plain = Plain(id=strawberry.ID("p"), note="plain")
    return [
        Box(id=strawberry.ID("b1"), item=good, maybe_item=None, items=[good, good],
            maybe_items=[good, None], thing=plain, things=[plain, good],  # type: ignore[list-item]
            nullable_things=[None, plain]),
        Box(id=strawberry.ID("b2"), item=bad, maybe_item=bad, items=[good, bad],
            maybe_items=[bad, good], thing=good, things=[plain],  # type: ignore[arg-type]
            nullable_things=[plain, None]),
        # Values graphql-core refuses: a plain object where an Item goes, a string where
        # a list goes, None in a list of non-null items, an object cast to another type.
        Box(id=strawberry.ID("b3"), item=plain, maybe_item=plain,  # type: ignore[arg-type]
            items="not a list", maybe_items=[good],  # type: ignore[arg-type]
            thing=strawberry.cast(Plain, _item("c")), things=[None],  # type: ignore[list-item]
            nullable_things=[Loose(id=strawberry.ID("l"))]),  # type: ignore[list-item]
    ]  # fmt: skip


@strawberry.type
class Query:
    @strawberry.field
    def boxes(self) -> list[Box | None]:
        return _boxes()  # type: ignore[return-value]

    @strawberry.field
    def box(self) -> Box:
        return _boxes()[0]

    @strawberry.field
    def items(self) -> list[Item]:
        return [
            Item(id=strawberry.ID("a"), name="one", note=None, shade=Shade.PALE,
                 maybe_shade=None, count=1),
            Item(id=strawberry.ID("b"), name="two", note="x", shade=Shade.DARK,
                 maybe_shade=Shade.ALSO_PALE, count=2),
        ]  # fmt: skip

    @strawberry.field
    def broken(self) -> list[Item | None]:
        # Non-null fields holding what they must not: graphql-core's errors.
        return [
            Item(id=strawberry.ID("c"), name=None, note="y", shade="no such shade",  # type: ignore[arg-type]
                 maybe_shade=Shade.DARK, count="three"),  # type: ignore[arg-type]
        ]  # fmt: skip

    @strawberry.field
    async def later(self) -> list[Item]:
        await asyncio.sleep(0)
        return self.items()

    @strawberry.field
    async def first(self) -> Item:
        # An object of ours, returned through a coroutine: awaited all the same.
        await asyncio.sleep(0)
        return self.items()[0]

    @strawberry.field
    def waiting(self) -> Waiting:
        return Waiting(id=strawberry.ID("w"))


@strawberry.type
class Waiting:
    """A type whose values could be awaited: never taken for a plain value."""

    id: strawberry.ID

    def __await__(self) -> Any:
        return asyncio.sleep(0, result=self).__await__()


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(
        query=Query,
        types=[Plain, Loose],
        execution_context_class=StrawberryGraphQLCoreExecutionContext,
    )
    fast = strawberry.Schema(
        query=Query, types=[Plain, Loose], execution_context_class=ExecutionContext
    )
    index_enums(fast._schema)
    return plain, fast


QUERIES = [
    "{ items { id name note shade maybeShade count } }",
    "{ items { b: count a: id loud __typename n: name shade } }",
    "{ items { ...F note } } fragment F on Item { shade id }",
    "query($s: Boolean!) { items { id name @skip(if: $s) maybeShade @include(if: $s) } }",
    "{ later { id loud shade note } items { maybeShade } }",
    "{ first { id loud } items { id } }",
    "{ broken { id name } items { id } }",
    "{ broken { count note } }",
    "{ broken { maybeShade shade } }",
    "{ box { id item { id name } items { id shade } maybeItem { id } maybeItems { id } } }",
    "{ box { thing { id ... on Plain { note laterNote } ... on Item { name } } } }",
    "{ box { things { __typename id ... on Plain { laterNote } } nullableThings { id } } }",
    "{ box { maybeItems { ...F } items { ...F } } } fragment F on Item { id loud }",
    "{ boxes { id item { id name } } }",
    "{ boxes { id maybeItem { id name } maybeItems { id name } } }",
    "{ boxes { id items { id name } } }",
    "{ boxes { id thing { id ... on Item { name } ... on Plain { laterNote } } } }",
    "{ boxes { id things { id } nullableThings { id ... on Plain { laterNote } } } }",
    "{ boxes { a: items { name } b: items { id } maybeItems { name laterShade: shade } } }",
    "{ boxes { fails item { name } maybeItems { name } } }",
    "{ boxes { item { name } fails maybeItems { name } } }",
]


def _answer(result: Any) -> tuple[Any, list[tuple[str, Any]]]:
    # In order: the errors met, and the positions nulled, in graphql-core's order.
    return result.data, [(e.message, e.path) for e in result.errors or []]


@pytest.mark.parametrize("query", QUERIES)
def test_the_short_paths_answer_as_strawberry_does(query: str) -> None:
    plain, fast = _schemas()

    async def both() -> tuple[Any, Any]:
        variables = {"s": True}
        return (
            _answer(await plain.execute(query, variable_values=variables)),
            _answer(await fast.execute(query, variable_values=variables)),
        )

    expected, got = asyncio.run(both())
    assert got == expected
    # Key order too: a client may rely on the selection's order.
    assert repr(got) == repr(expected)


def test_fields_of_objects_complete_in_place() -> None:
    # The answers above could match because neither took the short path: this one must.
    _, fast = _schemas()
    calls: list[str] = []
    complete = ExecutionContext._complete_composite

    def counted(self: ExecutionContext, step: Any, *args: Any) -> Any:
        completed = complete(self, step, *args)
        calls.append(completed is not Undefined)
        return completed

    query = "{ box { id item { id } items { id } thing { id } nullableThings { id } } }"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ExecutionContext, "_complete_composite", counted)
        result = asyncio.run(fast.execute(query))
    assert result.errors is None
    assert calls == [True] * 4


def test_an_aliased_enum_member_is_named_as_strawberry_names_it() -> None:
    _, fast = _schemas()
    result = asyncio.run(fast.execute("{ items { maybeShade } }"))
    assert result.data is not None
    assert [i["maybeShade"] for i in result.data["items"]] == [None, "PALE"]


def test_a_null_in_a_non_null_field_is_graphql_cores_error() -> None:
    _, fast = _schemas()
    result = asyncio.run(fast.execute("{ broken { id name } }"))
    assert result.data == {"broken": [None]}
    assert result.errors is not None
    assert [(e.message, e.path) for e in result.errors] == [
        ("Cannot return null for non-nullable field Item.name.", ["broken", 0, "name"])
    ]


def test_only_classes_that_cannot_be_awaited_are_told_apart() -> None:
    _, fast = _schemas()
    ours = _our_types(fast._schema)
    assert Item in ours
    assert Query in ours
    assert Waiting not in ours


class _Refuse(strawberry.permission.BasePermission):
    message = "refused"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Guarded:
    @strawberry.field
    def open(self) -> str:
        return "open"

    @strawberry.field(permission_classes=[_Refuse])
    def shut(self) -> str:
        return "shut"


@strawberry.type
class GuardedQuery:
    @strawberry.field
    def guarded(self) -> Guarded:
        return Guarded()


def test_a_lean_resolver_is_given_only_where_strawberry_runs_nothing_around_it() -> None:
    guarded_schema = strawberry.Schema(query=GuardedQuery)
    schema = guarded_schema._schema

    def lean(source: Any, info: Any) -> str:
        return "lean"

    assert _lean(schema, "Guarded", "open", lean)
    assert not _lean(schema, "Guarded", "shut", lean)
    # The guarded field still runs its permission; the other is served by the lean one.
    result = asyncio.run(guarded_schema.execute("{ guarded { open shut } }"))
    assert result.data is None
    assert [e.message for e in result.errors or []] == ["refused"]
    result = asyncio.run(guarded_schema.execute("{ guarded { open } }"))
    assert result.data == {"guarded": {"open": "lean"}}


def test_the_services_schema_has_its_lean_resolvers() -> None:
    schema = build_schema()._schema
    expected = {
        ("ClaimEdge", "node"): (fast_fields._edge_node, fast_fields._edge_node_now),
        ("ClaimEdge", "evidence"): (fast_fields._edge_evidence, fast_fields._edge_evidence_now),
        ("PathStep", "node"): (fast_fields._step_node, fast_fields._step_node_now),
        ("LiabilityLink", "person"): (fast_fields._link_person, fast_fields._link_person_now),
        ("LiabilityLink", "evidence"): (
            fast_fields._link_evidence,
            fast_fields._link_evidence_now,
        ),
    }
    for (type_name, field_name), (resolve, now) in expected.items():
        field = schema.get_type(type_name).fields[field_name]  # type: ignore[union-attr]
        assert field.resolve is resolve
        assert field.extensions[NOW] is now
    for type_name in ("Person", "Unit", "Facility", "Incident", "Evidence", "Case"):
        claims = schema.get_type(type_name).fields["claims"]  # type: ignore[union-attr]
        assert claims.extensions[NOW] is fast_fields._claims_now
    # And the fields of objects the nested reads complete in place.
    edge = schema.get_type("ClaimEdge")
    assert isinstance(edge, GraphQLObjectType)
    plan = _plan(schema, edge)
    assert {"node", "evidence", "claim"} <= {n for n, s in plan.items() if type(s) is _Composite}
