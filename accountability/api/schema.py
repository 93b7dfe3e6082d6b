"""The GraphQL schema, with limits on depth, size and aliases."""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from accountability.api.errors import Schema
from accountability.api.mutations import Mutation
from accountability.api.queries import Query
from accountability.api.types.graph import CaseFile, Evidence, Facility, Incident, Person, Unit

MAX_DEPTH = 12
MAX_TOKENS = 5000
MAX_ALIASES = 30


def build_schema() -> Schema:
    """The schema; its SDL is exported to ``schema/schema.graphql``."""
    # Factories, so that every request gets fresh extension state. The limit rules
    # are built once: the validation cache is keyed by the rules, so a new rule class per
    # request would never hit it.
    rules = [
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    ]
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        # Clients repeat the same few documents: parse and validate each once.
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[Person, Unit, Facility, Incident, Evidence, CaseFile],
        extensions=extensions,
    )
