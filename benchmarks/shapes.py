"""The nested reads front-ends make, each asked three ways for the same data: of this
service (GraphQL, with authentication, redaction and auditing as shipped), of the peer
(the Neo4j GraphQL Library over the same engine, benchmarks/peer/server.mjs) and of the
raw driver (one statement, ``cypher/bench/``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.graph.catalog import Q

Variables = dict[str, Any]


@dataclass(frozen=True)
class Shape:
    name: str
    #: GraphQL for the service and for the peer, and the raw driver's statement.
    service: str
    peer: str
    raw: Q
    #: The label whose ids the requests pick from (None: a request has no variables).
    label: NodeLabel | None
    #: The raw statement's parameters for those variables.
    raw_params: Callable[[Variables], Variables]
    #: The field of the response that holds the answer (null or empty: a failed request).
    service_field: str
    peer_field: str


_CLAIM = "fragment C on Claim { id valid_from valid_to date_precision confidence }"

PERSON = Shape(
    name="person + claims + other ends",
    service="""query($id: ID!) { person(id: $id) { id name
      claims(first: 50) { edges { claim { id type } direction validFrom validTo
        datePrecision confidence
        node { __typename id ... on Unit { name } ... on Facility { name }
               ... on Incident { kind startDate } } } } } }""",
    peer="""query($id: ID!) { people(where: {id: {eq: $id}}) { id name
      memberOfConnection { edges { properties { ...C } node { id name } } }
      commandedConnection { edges { properties { ...C } node { id name } } }
      postedAtConnection { edges { properties { ...C } node { id name } } }
      detainedAtConnection { edges { properties { ...C } node { id name } } }
      perpetratedConnection { edges { properties { ...C } node { id kind start_date } } }
      orderedConnection { edges { properties { ...C } node { id kind start_date } } }
      victimOfConnection { edges { properties { ...C } node { id kind start_date } } } } }
    """
    + _CLAIM,
    raw=Q.BENCH_PEER_PERSON,
    label=NodeLabel.PERSON,
    raw_params=lambda v: {**v, "types": [t.value for t in ClaimType]},
    service_field="person",
    peer_field="people",
)

FACILITY = Shape(
    name="facility + detainees + their incidents",
    service="""query($id: ID!) { facility(id: $id) { id name
      claims(direction: IN, types: [DETAINED_AT], first: 200) { edges {
        validFrom validTo confidence
        node { ... on Person { id name
          claims(direction: IN, types: [VICTIM]) { edges { confidence
            node { ... on Incident { id kind startDate } } } } } } } } } }""",
    peer="""query($id: ID!) { facilities(where: {id: {eq: $id}}) { id name
      detaineesConnection { edges { properties { valid_from valid_to confidence }
        node { id name victimOfConnection { edges { properties { confidence }
          node { id kind start_date } } } } } } } }""",
    raw=Q.BENCH_PEER_FACILITY,
    label=NodeLabel.FACILITY,
    raw_params=lambda v: v,
    service_field="facility",
    peer_field="facilities",
)

UNIT = Shape(
    name="unit + commanders + parent chain (3)",
    service="""query($id: ID!) { unit(id: $id) { id name
      commanders: claims(direction: IN, types: [COMMANDED]) { edges {
        validFrom validTo confidence node { ... on Person { id name } } } }
      parents: claims(direction: OUT, types: [SUBORDINATE_TO]) { edges { validFrom validTo
        node { ... on Unit { id name
          parents: claims(direction: OUT, types: [SUBORDINATE_TO]) { edges { validFrom validTo
            node { ... on Unit { id name
              parents: claims(direction: OUT, types: [SUBORDINATE_TO]) { edges {
                validFrom validTo node { ... on Unit { id name } } } } } } } } } } } } } }""",
    peer="""query($id: ID!) { units(where: {id: {eq: $id}}) { id name
      commandersConnection { edges { properties { valid_from valid_to confidence }
        node { id name } } }
      parentsConnection { edges { properties { valid_from valid_to } node { id name
        parentsConnection { edges { properties { valid_from valid_to } node { id name
          parentsConnection { edges { properties { valid_from valid_to }
            node { id name } } } } } } } } } } }""",
    raw=Q.BENCH_PEER_UNIT,
    label=NodeLabel.UNIT,
    raw_params=lambda v: v,
    service_field="unit",
    peer_field="units",
)

PERSON_PAGE = Shape(
    name="list: 50 persons + MEMBER_OF",
    service="""query { persons(first: 50, sort: ID) { edges { node { id name
      claims(direction: OUT, types: [MEMBER_OF]) { edges { validFrom validTo confidence
        node { ... on Unit { id name } } } } } }
      pageInfo { hasNextPage endCursor } } }""",
    peer="""query { peopleConnection(first: 50, sort: [{id: ASC}]) { edges { node { id name
      memberOfConnection { edges { properties { valid_from valid_to confidence }
        node { id name } } } } }
      pageInfo { hasNextPage endCursor } } }""",
    raw=Q.BENCH_PEER_PERSON_PAGE,
    label=None,
    raw_params=lambda v: {"limit": 50},
    service_field="persons",
    peer_field="peopleConnection",
)

INCIDENT = Shape(
    name="incident + victims, perpetrators, evidence",
    service="""query($id: ID!) { incident(id: $id) { id kind startDate
      victims: claims(direction: OUT, types: [VICTIM]) { edges { confidence validFrom
        node { ... on Person { id name } } evidence { id title source } } }
      perpetrators: claims(direction: IN, types: [PERPETRATED, ORDERED]) { edges {
        claim { type } confidence validFrom node { ... on Person { id name } }
        evidence { id title source } } } } }""",
    peer="""query($id: ID!) { incidents(where: {id: {eq: $id}}) { id kind start_date
      evidence { id title source }
      victimsConnection { edges { properties { confidence valid_from } node { id name } } }
      perpetratorsConnection { edges { properties { confidence valid_from }
        node { id name } } }
      orderedByConnection { edges { properties { confidence valid_from }
        node { id name } } } } }""",
    raw=Q.BENCH_PEER_INCIDENT,
    label=NodeLabel.INCIDENT,
    raw_params=lambda v: v,
    service_field="incident",
    peer_field="incidents",
)

SHAPES = [PERSON, FACILITY, UNIT, PERSON_PAGE, INCIDENT]
