"""Request limits (tokens, depth, aliases) with parsing and validation cached across
requests, and admission of heavy operations, in one extension: each extension costs every
request a round of hooks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
)
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

CACHE_SIZE = 256
_parse = lru_cache(maxsize=CACHE_SIZE)(parse)


@lru_cache(maxsize=CACHE_SIZE)
def _validated(
    schema: GraphQLSchema,
    query: str | None,
    options: tuple[tuple[str, Any], ...],
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    """The errors of the document parsed from this text (the parse cache's, so the one
    executed) under these rules. Keyed by the text: hashing a parsed document walks the
    whole tree (12-14 µs a nested read's, every request), a string's is one pass in C."""
    return validate_document(schema, _parse(query, **dict(options)), rules)


#: Root fields whose answer walks a graph (command chains, every claim of a person or a
#: case) rather than reading a node and its claims: each costs tens to hundreds of times a
#: lookup's work. At most ``graphql_heavy_concurrency`` operations that ask for one run at
#: a time in a process; the others wait for a turn without costing anything, so that
#: lookups and lists keep their latency when many clients ask for traces at once.
HEAVY_FIELDS = frozenset(
    {
        "trace",
        "explain",
        "notice",
        "liabilityElements",
        "caseMatrix",
        "patterns",
        "concentration",
        "personProfile",
        "victimPath",
        "facilityTimeline",
        "commandChart",
        "facilityChart",
        "duplicateCandidates",
        "auditVerification",
    }
)


@lru_cache(maxsize=CACHE_SIZE)
def _heavy_query(query: str, operation_name: str | None) -> bool:
    # Keyed by the query's text: hashing a parsed document walks the whole tree (about
    # 20 µs a request), a string's hash is one pass in C.
    return is_heavy(parse(query), operation_name)


def is_heavy(document: DocumentNode, operation_name: str | None) -> bool:
    """Whether the operation run from this document asks for a heavy root field
    (fragments at the root are not followed: a heavy field hidden in one runs
    unthrottled, which costs latency, never an answer)."""
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name is not None and (
            definition.name is None or definition.name.value != operation_name
        ):
            continue
        for selection in definition.selection_set.selections:
            if isinstance(selection, FieldNode) and selection.name.value in HEAVY_FIELDS:
                return True
    return False


def limit_rules(max_depth: int, max_aliases: int) -> tuple[type[ASTValidationRule], ...]:
    """The validation rules of the limits, built once for the life of the schema."""
    return (
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    )


class RequestLimits(SchemaExtension):
    """Refuse documents over the token, depth or alias limits; parse and validate each
    distinct document once."""

    def __init__(
        self,
        rules: tuple[type[ASTValidationRule], ...],
        max_tokens: int,
        heavy: asyncio.Semaphore,
    ) -> None:
        self.rules = rules
        self.max_tokens = max_tokens
        self.heavy = heavy

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        ctx.parse_options["max_tokens"] = self.max_tokens
        ctx.validation_rules = (*ctx.validation_rules, *self.rules)
        yield

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        options: dict[str, Any] = dict(ctx.parse_options)
        ctx.graphql_document = _parse(ctx.query, **options)
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        # The same private handle strawberry's own ValidationCache validates against.
        # on_parse parsed this text with these options: the same cached document.
        options = tuple(sorted(ctx.parse_options.items()))
        ctx.pre_execution_errors = _validated(
            ctx.schema._schema, ctx.query, options, tuple(ctx.validation_rules)
        )
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.query is not None and _heavy_query(ctx.query, ctx.operation_name):
            async with self.heavy:
                yield
        else:
            yield
