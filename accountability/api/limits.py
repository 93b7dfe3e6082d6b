"""Request limits (tokens, depth, aliases) with parsing and validation cached across
requests, in one extension: each extension costs every request a round of hooks."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, parse
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

CACHE_SIZE = 256
_parse = lru_cache(maxsize=CACHE_SIZE)(parse)
# Keyed by (schema, document, rules): documents come from the parse cache and the rules
# are built once, so a repeated query is validated once.
_validate = lru_cache(maxsize=CACHE_SIZE)(validate_document)


def limit_rules(max_depth: int, max_aliases: int) -> tuple[type[ASTValidationRule], ...]:
    """The validation rules of the limits, built once for the life of the schema."""
    return (
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    )


class RequestLimits(SchemaExtension):
    """Refuse documents over the token, depth or alias limits; parse and validate each
    distinct document once."""

    def __init__(self, rules: tuple[type[ASTValidationRule], ...], max_tokens: int) -> None:
        self.rules = rules
        self.max_tokens = max_tokens

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
        ctx.pre_execution_errors = _validate(
            ctx.schema._schema, ctx.graphql_document, tuple(ctx.validation_rules)
        )
        yield
