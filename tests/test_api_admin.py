"""The API's 'me', token and audit-check fields: what a front-end needs to adapt to its
user and to administer the service without the command line."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from accountability.domain.redaction import Role
from accountability.services.container import Services
from accountability.services.tokens import digest
from tests.conftest import GQL

ME = "{ me { name role canWrite cleared isAdmin exportProfile } }"


async def test_me_says_who_the_caller_is_and_what_they_may_do(
    gql_as: Callable[[Role], GQL],
) -> None:
    seen = {role: (await gql_as(role)(ME))["data"]["me"] for role in Role}
    assert seen[Role.VIEWER] == {
        "name": "test viewer",
        "role": "VIEWER",
        "canWrite": False,
        "cleared": False,
        "isAdmin": False,
        "exportProfile": "PUBLIC",
    }
    assert [r for r in Role if seen[r]["canWrite"]] == [Role.INVESTIGATOR, Role.ADMIN]
    assert [r for r in Role if seen[r]["cleared"]] == [Role.PROSECUTOR, Role.ADMIN]
    assert [seen[r]["exportProfile"] for r in Role] == [
        "PUBLIC",
        "PARTNER",
        "PARTNER",
        "COURT",
        "COURT",
    ]


async def test_me_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": ME})
    assert response.status_code == 401


async def test_an_admin_creates_lists_and_revokes_tokens(
    client: httpx.AsyncClient, gql_as: Callable[[Role], GQL], services: Services
) -> None:
    admin = gql_as(Role.ADMIN)
    made = await admin(
        "mutation($n: String!) { createToken(role: ANALYST, name: $n) { id role name token } }",
        n="  Fictional Analyst for the token test ",
    )
    created = made["data"]["createToken"]
    assert created["name"] == "Fictional Analyst for the token test"
    assert created["role"] == "ANALYST" and created["token"].startswith("acc_")
    headers = {"Authorization": f"Bearer {created['token']}"}
    me = await client.post("/graphql", json={"query": ME}, headers=headers)
    assert me.json()["data"]["me"]["role"] == "ANALYST"

    listed = (await admin("{ tokens { id name role revokedAt } }"))["data"]["tokens"]
    row = next(t for t in listed if t["id"] == created["id"])
    assert row["revokedAt"] is None and "token" not in row
    assert all("acc_" not in str(t) for t in listed)  # secrets are never listed

    revoked = await admin("mutation($id: ID!) { revokeToken(id: $id) }", id=created["id"])
    assert revoked["data"]["revokeToken"] is True
    listed = (await admin("{ tokens { id revokedAt } }"))["data"]["tokens"]
    assert next(t for t in listed if t["id"] == created["id"])["revokedAt"]
    again = await admin("mutation($id: ID!) { revokeToken(id: $id) }", id=created["id"])
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # Both the creation and the revocation are in the audit log, by the admin, with the
    # token's id and role: never its secret nor its hash.
    logged = [e async for e in services.audit.entries() if created["id"] in e["targets"]]
    assert [(e["action"], e["actor"], e["role"]) for e in logged] == [
        ("create_token", "test admin", "admin"),
        ("revoke_token", "test admin", "admin"),
    ]
    assert logged[0]["summary"] == "created a token, role analyst"
    secret = created["token"]
    assert all(secret not in str(e) and digest(secret) not in str(e) for e in logged)

    empty = await admin('mutation { createToken(role: VIEWER, name: "  ") { id } }')
    assert empty["errors"][0]["extensions"]["problems"] == [
        {"where": "name", "message": "name the token's holder"}
    ]


async def test_only_an_admin_administers(gql_as: Callable[[Role], GQL]) -> None:
    for role in (Role.VIEWER, Role.INVESTIGATOR, Role.PROSECUTOR):
        for query in (
            "{ tokens { id } }",
            "{ auditVerification { intact } }",
            'mutation { createToken(role: ADMIN, name: "Fictional") { token } }',
            'mutation { revokeToken(id: "x") }',
        ):
            body = await gql_as(role)(query)
            assert body["data"] is None, (role, query)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, query)


async def test_an_admin_verifies_the_audit_chain(gql_as: Callable[[Role], GQL]) -> None:
    body = await gql_as(Role.ADMIN)(
        "{ auditVerification { checked intact brokenAt reason headSeq headHash } }"
    )
    check = body["data"]["auditVerification"]
    assert check["intact"] and check["brokenAt"] is None and check["reason"] is None
    assert check["checked"] >= 0 and len(check["headHash"]) == 64
