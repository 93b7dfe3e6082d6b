"""The GraphQL schema, with limits on depth, size and aliases."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from accountability.api import fast_fields
from accountability.api.errors import Schema
from accountability.api.execution import ExecutionContext, index_enums
from accountability.api.limits import RequestLimits, limit_rules
from accountability.api.mutations import Mutation
from accountability.api.queries import Query
from accountability.api.types.graph import CaseFile, Evidence, Facility, Incident, Person, Unit
from accountability.settings import Settings


def build_schema(settings: Settings | None = None) -> Schema:
    """The schema under the settings' limits; its SDL is exported to ``schema/``."""
    s = settings or Settings()
    rules = limit_rules(s.graphql_max_depth, s.graphql_max_aliases)
    if not s.introspection:
        rules = (*rules, NoSchemaIntrospectionCustomRule)
    # One gate for the heavy operations of the process's requests (the schema is built
    # once a process).
    heavy = asyncio.Semaphore(s.graphql_heavy_concurrency)
    # A factory: every request gets a fresh extension, sharing the rules built once.
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: RequestLimits(rules, s.graphql_max_tokens, heavy)
    ]
    schema = Schema(
        query=Query,
        mutation=Mutation,
        types=[Person, Unit, Facility, Incident, Evidence, CaseFile],
        extensions=extensions,
        execution_context_class=ExecutionContext,
    )
    # The same graphql-core schema strawberry executes against (limits.py validates
    # against it too).
    fast_fields.install(schema._schema)
    index_enums(schema._schema)
    return schema
