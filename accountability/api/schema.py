"""The GraphQL schema, with limits on depth, size and aliases."""

from __future__ import annotations

from accountability.api.errors import Schema
from accountability.api.limits import RequestLimits, limit_rules
from accountability.api.mutations import Mutation
from accountability.api.queries import Query
from accountability.api.types.graph import CaseFile, Evidence, Facility, Incident, Person, Unit

MAX_DEPTH = 12
MAX_TOKENS = 5000
MAX_ALIASES = 30


def build_schema() -> Schema:
    """The schema; its SDL is exported to ``schema/schema.graphql``."""
    rules = limit_rules(MAX_DEPTH, MAX_ALIASES)
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[Person, Unit, Facility, Incident, Evidence, CaseFile],
        # A factory: every request gets a fresh extension, sharing the built rules.
        extensions=[lambda: RequestLimits(rules, MAX_TOKENS)],
    )
