"""The GraphQL schema, with limits on depth, size and aliases."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from accountability.api.errors import ShapeErrors
from accountability.api.mutations import Mutation
from accountability.api.queries import Query
from accountability.api.types.graph import CaseFile, Evidence, Facility, Incident, Person, Unit

MAX_DEPTH = 12
MAX_TOKENS = 5000
MAX_ALIASES = 30


def build_schema() -> strawberry.Schema:
    """The schema; its SDL is exported to ``schema/schema.graphql``."""
    # Factories, so that every request gets fresh extension state.
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        ShapeErrors,
    ]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Person, Unit, Facility, Incident, Evidence, CaseFile],
        extensions=extensions,
    )
