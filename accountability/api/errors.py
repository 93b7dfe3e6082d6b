"""Errors in GraphQL responses: ours keep their message and carry ``extensions.code``;
anything else is masked so internals never reach a client."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from accountability.errors import AccountabilityError

log = logging.getLogger("accountability.api")
MASKED_MESSAGE = "Unexpected error."


def shaped(error: GraphQLError) -> dict[str, Any]:
    """One error as the client sees it."""
    original = error.original_error
    formatted: dict[str, Any] = dict(error.formatted)
    if original is None:
        formatted["extensions"] = {"code": "GRAPHQL_VALIDATION_FAILED", **(error.extensions or {})}
    elif isinstance(original, AccountabilityError):
        formatted["message"] = original.message
        formatted["extensions"] = original.extensions()
    else:
        formatted["message"] = MASKED_MESSAGE
        formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return formatted


class Schema(strawberry.Schema):
    """Logs only unexpected errors: a refused input is the client's news, not ours."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, AccountabilityError):
                log.error("unexpected error at %s", error.path, exc_info=original)
