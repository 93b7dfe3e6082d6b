"""Claims through GraphQL: add, nested connections with evidence, retraction, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accountability.domain.redaction import SYSTEM
from accountability.graph.database import Database
from accountability.services.container import Services
from tests.builders import document, make_evidence, make_node, make_person
from tests.conftest import GQL

ADD = """mutation($in: ClaimInput!) { addClaim(input: $in) {
  id type validFrom validTo datePrecision confidence evidenceIds retracted properties
  from { id } to { id } } }"""


async def seed(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(
        SYSTEM,
        document(
            [
                make_person(uid("p"), name="Fictional Commander"),
                make_node(uid("u"), "Unit", name="Fictional Branch Unit"),
                make_node(uid("f"), "Facility", name="Fictional Facility"),
                make_evidence(uid("e1"), source="Team A"),
                make_evidence(uid("e2"), source="Team B"),
            ],
            [],
        ),
    )


async def test_add_claim_and_read_it_nested(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await seed(services, uid)
    body = await gql(
        ADD,
        **{
            "in": {
                "id": uid("c1"),
                "type": "MEMBER_OF",
                "from": uid("p"),
                "to": uid("u"),
                "validFrom": "2011-03-01",
                "validTo": "2013-06-30",
                "datePrecision": "EXACT",
                "confidence": "HIGH",
                "evidence": [uid("e1"), uid("e2")],
                "properties": {"rank": "colonel"},
            }
        },
    )
    assert "errors" not in body, body
    claim = body["data"]["addClaim"]
    assert claim["from"]["id"] == uid("p") and claim["to"]["id"] == uid("u")
    assert claim["properties"] == {"rank": "colonel"}
    assert (claim["datePrecision"], claim["confidence"]) == ("EXACT", "HIGH")

    body = await gql(
        """query($id: ID!) { person(id: $id) { name
        claims(direction: OUT) { edges { direction validFrom validTo confidence retracted
          node { __typename ... on Unit { name } }
          evidence { id source }
          claim { type properties } } pageInfo { hasNextPage } } } }""",
        id=uid("p"),
    )
    edges = body["data"]["person"]["claims"]["edges"]
    assert len(edges) == 1
    edge = edges[0]
    assert edge["direction"] == "OUT" and edge["validFrom"] == "2011-03-01"
    assert edge["node"] == {"__typename": "Unit", "name": "Fictional Branch Unit"}
    assert {e["source"] for e in edge["evidence"]} == {"Team A", "Team B"}

    body = await gql(
        """query($id: ID!) { unit(id: $id) {
        claims(direction: IN) { edges { direction node { id } } } } }""",
        id=uid("u"),
    )
    assert body["data"]["unit"]["claims"]["edges"] == [
        {"direction": "IN", "node": {"id": uid("p")}}
    ]
    body = await gql(
        """query($id: ID!) { evidence(id: $id) {
        supports { edges { claim { id type } } } } }""",
        id=uid("e2"),
    )
    assert body["data"]["evidence"]["supports"]["edges"] == [
        {"claim": {"id": uid("c1"), "type": "MEMBER_OF"}}
    ]


async def test_invalid_claims_are_refused_and_leave_nothing(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await seed(services, uid)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"type": "COMMANDED", "from": uid("p"), "to": "nowhere"}, "input.to", "no node"),
        (
            {"type": "COMMANDED", "from": uid("u"), "to": uid("u")},
            "input.type",
            "cannot start at a Unit",
        ),
        (
            {
                "type": "COMMANDED",
                "from": uid("p"),
                "to": uid("u"),
                "validFrom": "2014-01-01",
                "validTo": "2013-01-01",
            },
            "input",
            "before valid_from",
        ),
        (
            {"type": "COMMANDED", "from": uid("p"), "to": uid("u"), "evidence": ["ghost"]},
            "input.evidence[0]",
            "no evidence item",
        ),
        (
            {"type": "COMMANDED", "from": uid("p"), "to": uid("u"), "evidence": [uid("u")]},
            "input.evidence[0]",
            "not Evidence",
        ),
    ]
    for i, (fields, where, message) in enumerate(cases):
        body = await gql(ADD, **{"in": {"id": uid(f"bad{i}"), **fields}})
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", body
        assert any(
            p["where"] == where and message in p["message"] for p in error["extensions"]["problems"]
        ), body
        found = await services.claims.get_many([uid(f"bad{i}")], SYSTEM)
        assert found == {}
    body = await gql(
        """query($id: ID!) { person(id: $id) { claims { edges { cursor } } } }""", id=uid("p")
    )
    assert body["data"]["person"]["claims"]["edges"] == []


async def test_retraction_keeps_the_claim_and_hides_it_by_default(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await seed(services, uid)
    await gql(
        ADD,
        **{
            "in": {
                "id": uid("c"),
                "type": "COMMANDED",
                "from": uid("p"),
                "to": uid("u"),
                "evidence": [uid("e1")],
            }
        },
    )
    body = await gql(
        """mutation($id: ID!) { retractClaim(id: $id, reason: "wrong unit") {
        retracted retraction { by reason at } } }""",
        id=uid("c"),
    )
    claim = body["data"]["retractClaim"]
    assert claim["retracted"] and claim["retraction"]["reason"] == "wrong unit"
    body = await gql(
        """mutation($id: ID!) { retractClaim(id: $id, reason: "again") { id } }""", id=uid("c")
    )
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    query = """query($id: ID!, $r: Boolean!) { person(id: $id) {
        claims(includeRetracted: $r) { edges { retracted claim { id } } } } }"""
    body = await gql(query, id=uid("p"), r=False)
    assert body["data"]["person"]["claims"]["edges"] == []
    body = await gql(query, id=uid("p"), r=True)
    assert body["data"]["person"]["claims"]["edges"] == [
        {"retracted": True, "claim": {"id": uid("c")}}
    ]
    body = await gql('mutation { retractClaim(id: "no-such-claim", reason: "x") { id } }')
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_attach_evidence_adds_without_duplicates(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await seed(services, uid)
    await gql(
        ADD,
        **{
            "in": {
                "id": uid("c"),
                "type": "OPERATED",
                "from": uid("u"),
                "to": uid("f"),
                "evidence": [uid("e1")],
            }
        },
    )
    mutation = """mutation($c: ID!, $e: [ID!]!) { attachEvidence(claimId: $c, evidenceIds: $e) {
        evidenceIds } }"""
    body = await gql(mutation, c=uid("c"), e=[uid("e1"), uid("e2")])
    assert body["data"]["attachEvidence"]["evidenceIds"] == [uid("e1"), uid("e2")]
    body = await gql(mutation, c=uid("c"), e=["ghost"])
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await gql(
        """query($id: ID!) { evidence(id: $id) { supports { edges {
        claim { id } } } } }""",
        id=uid("e2"),
    )
    assert body["data"]["evidence"]["supports"]["edges"] == [{"claim": {"id": uid("c")}}]


async def test_claim_pagination_and_type_filter(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await seed(services, uid)
    victims = [make_person(uid(f"v{i}"), name=f"Fictional Detainee {i}") for i in range(5)]
    claims = [
        {
            "id": uid(f"d{i}"),
            "type": "DETAINED_AT",
            "from": uid(f"v{i}"),
            "to": uid("f"),
            "evidence": [uid("e1")],
        }
        for i in range(5)
    ]
    claims.append(
        {
            "id": uid("op"),
            "type": "OPERATED",
            "from": uid("u"),
            "to": uid("f"),
            "evidence": [uid("e2")],
        }
    )
    await services.interchange.import_document(SYSTEM, document(victims, claims))
    query = """query($id: ID!, $after: String) { facility(id: $id) {
        claims(types: [DETAINED_AT], first: 2, after: $after) {
          edges { claim { id } } pageInfo { hasNextPage endCursor } } } }"""
    seen: list[str] = []
    after = None
    while True:
        body = await gql(query, id=uid("f"), after=after)
        conn = body["data"]["facility"]["claims"]
        seen += [e["claim"]["id"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == sorted(uid(f"d{i}") for i in range(5))


async def test_nested_lists_are_batched(
    db: Database, gql: GQL, services: Services, uid: Callable[[str], str], monkeypatch: Any
) -> None:
    await seed(services, uid)
    people = [make_person(uid(f"m{i}"), name=f"{uid('')[:9]} Member {i}") for i in range(6)]
    claims = [
        {
            "id": uid(f"mc{i}"),
            "type": "MEMBER_OF",
            "from": uid(f"m{i}"),
            "to": uid("u"),
            "evidence": [uid("e1")],
        }
        for i in range(6)
    ]
    await services.interchange.import_document(SYSTEM, document(people, claims))
    calls: list[str] = []
    original = db.read

    async def counting(query: Any, **params: Any) -> Any:
        calls.append(str(query))
        return await original(query, **params)

    monkeypatch.setattr(db, "read", counting)
    body = await gql(
        """query($s: String!) { persons(filter: {search: $s}) { edges { node {
        claims { edges { node { id } evidence { id } } } } } } }""",
        s=uid("")[:9],
    )
    assert len(body["data"]["persons"]["edges"]) == 6
    assert calls.count("node/list_nodes") == 1
    # Every person's claims with their ends and evidence: one statement (look-ahead).
    assert calls.count("ahead/claims_ahead") == 1
    assert calls.count("claim/list_node_claims") == calls.count("node/get_nodes") == 0
