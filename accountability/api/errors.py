"""Errors in GraphQL responses: ours keep their message and carry ``extensions.code``;
anything else is masked so internals never reach a client."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from accountability.errors import AccountabilityError

log = logging.getLogger("accountability.api")
MASKED_MESSAGE = "Unexpected error."


def _shaped(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:
        ext = dict(error.extensions or {})
        ext.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        error.extensions = ext
        return error
    if isinstance(original, AccountabilityError):
        return GraphQLError(
            original.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=original.extensions(),
        )
    log.error("unexpected error in %s", error.path, exc_info=original)
    return GraphQLError(
        MASKED_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


class ShapeErrors(SchemaExtension):
    """Give every error a code, and mask the ones that are not ours."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_shaped(e) for e in result.errors]
