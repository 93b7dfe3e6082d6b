"""Case files through GraphQL: create, add by hand and from a trace, list, remove; and
exports started through the API, downloaded with the same token."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from accountability.domain.redaction import SYSTEM, Role
from accountability.services.container import Services
from accountability.services.exports import bundle
from tests.conftest import GQL
from tests.test_trace import scenario

MEMBERS = """query($id: ID!, $label: NodeLabel, $after: String) {
  node(id: $id) { ... on Case { title members(label: $label, first: 3, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id label } } } } }"""


async def test_case_file_lifecycle(
    gql: GQL,
    gql_as: Callable[[Role], GQL],
    services: Services,
    uid: Callable[[str], str],
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    body = await gql(
        'mutation($id: ID!) { createCase(id: $id, title: "Fictional case", '
        'jurisdiction: "Fictional court") { id title jurisdiction } }',
        id=uid("case"),
    )
    assert body["data"]["createCase"]["title"] == "Fictional case", body

    body = await gql(
        "mutation($c: ID!, $i: ID!) { addTraceToCase(caseId: $c, incidentId: $i) "
        "{ changed unchanged case { members { totalCount } } } }",
        c=uid("case"),
        i=uid("i"),
    )
    added = body["data"]["addTraceToCase"]
    for name in ("i", "f", "perp", "ord", "c_exact", "u", "u5", "e1", "e2", "director"):
        assert uid(name) in added["changed"], name
    for name in ("c_ended", "c_after", "c_retracted", "guard", "c_below"):
        assert uid(name) not in added["changed"], name  # no link, or only a lead
    assert added["case"]["members"]["totalCount"] == len(added["changed"])

    # By hand: a node, and a claim (which brings both its ends); again changes nothing.
    body = await gql(
        "mutation($c: ID!, $ids: [ID!]!) { addToCase(caseId: $c, ids: $ids) "
        "{ changed unchanged } }",
        c=uid("case"),
        ids=[uid("c_ended"), uid("c8")],  # c8: OPERATED by the other unit
    )
    assert set(body["data"]["addToCase"]["changed"]) == {uid("c_ended"), uid("other")}
    body = await gql(
        "mutation($c: ID!, $ids: [ID!]!) { addToCase(caseId: $c, ids: $ids) { changed } }",
        c=uid("case"),
        ids=[uid("c_ended")],
    )
    assert body["data"]["addToCase"]["changed"] == []

    # Listing pages by id, filtered by label.
    persons: list[str] = []
    after = None
    while True:
        page = (await gql(MEMBERS, id=uid("case"), label="PERSON", after=after))["data"]
        members = page["node"]["members"]
        persons += [n["id"] for n in members["nodes"]]
        assert all(n["label"] == "PERSON" for n in members["nodes"])
        if not members["pageInfo"]["hasNextPage"]:
            break
        after = members["pageInfo"]["endCursor"]
    assert persons == sorted(persons) and uid("c_ended") in persons
    assert len(persons) == members["totalCount"]

    # A reader of public data only does not learn of the case's confidential evidence.
    page = (await gql(MEMBERS, id=uid("case"), label="EVIDENCE"))["data"]
    assert page["node"]["members"]["totalCount"] == 2
    page = (await gql_as(Role.VIEWER)(MEMBERS, id=uid("case"), label="EVIDENCE"))["data"]
    assert page["node"]["members"]["totalCount"] == 0 and page["node"]["members"]["nodes"] == []

    # Removing retracts the inclusion, with who and why; the claim is kept.
    body = await gql(
        "mutation($c: ID!, $ids: [ID!]!) { removeFromCase(caseId: $c, ids: $ids, "
        'reason: "not linked to the incident") { changed unchanged } }',
        c=uid("case"),
        ids=[uid("c_ended"), uid("nobody")],
    )
    assert body["data"]["removeFromCase"] == {
        "changed": [uid("c_ended")],
        "unchanged": [uid("nobody")],
    }
    body = await gql(
        "query($c: ID!) { node(id: $c) { claims(direction: OUT, includeRetracted: true, "
        "first: 200) { edges { node { id } claim { retraction { by reason } } } } } }",
        c=uid("case"),
    )
    edges = body["data"]["node"]["claims"]["edges"]
    [gone] = [e for e in edges if e["node"]["id"] == uid("c_ended")]
    assert gone["claim"]["retraction"]["reason"] == "not linked to the incident"

    # Clear errors, and nothing written.
    body = await gql(
        "mutation($c: ID!, $ids: [ID!]!) { addToCase(caseId: $c, ids: $ids) { changed } }",
        c=uid("case"),
        ids=[uid("u"), uid("nobody")],
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["problems"][0]["where"] == "ids[1]"
    body = await gql(
        'mutation($c: ID!) { addToCase(caseId: $c, ids: ["x"]) { changed } }', c=uid("none")
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql(
        'mutation($c: ID!) { addToCase(caseId: $c, ids: ["x"]) { changed } }', c=uid("u")
    )
    assert "is a Unit, not a Case" in body["errors"][0]["message"]
    body = await gql_as(Role.ANALYST)(
        "mutation($c: ID!, $ids: [ID!]!) { addToCase(caseId: $c, ids: $ids) { changed } }",
        c=uid("case"),
        ids=[uid("u")],
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


START = """mutation($c: ID, $i: ID, $p: ExportProfile!) {
  startExport(caseId: $c, incidentId: $i, profile: $p) { id status profile requestedProfile } }"""
JOB = """query($id: ID!) { exportJob(id: $id) { status profile recordsDone nodeCount
  claimCount manifestSha256 downloadUrl error errorCode } }"""


async def _finished(gql: GQL, job_id: str) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = (await gql(JOB, id=job_id))["data"]["exportJob"]
        if job["status"] != "RUNNING":
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("the export did not finish")


async def test_export_through_the_api(
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    gql_as: Callable[[Role], GQL],
    services: Services,
    uid: Callable[[str], str],
    tmp_path: Path,
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    prosecutor, analyst = gql_as(Role.PROSECUTOR), gql_as(Role.ANALYST)

    body = await analyst(START, i=uid("i"), p="COURT")
    started = body["data"]["startExport"]
    assert started["requestedProfile"] == "COURT" and started["profile"] == "PARTNER"
    body = await prosecutor(START, i=uid("i"), p="COURT")
    job = await _finished(prosecutor, body["data"]["startExport"]["id"])
    assert job["status"] == "DONE" and job["profile"] == "COURT", job
    assert job["nodeCount"] > 10 and job["claimCount"] > 10

    url = job["downloadUrl"]
    auth = {"Authorization": f"Bearer {tokens[Role.PROSECUTOR]}"}
    response = await client.get(url, headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    path = tmp_path / "download.zip"
    path.write_bytes(response.content)
    check = bundle.verify(path)
    assert check.ok and check.manifest_sha256 == job["manifestSha256"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert "brief.html" in z.namelist()

    # Only its owner (or an admin) sees or fetches it; without a token, nobody.
    other = await client.get(url, headers={"Authorization": f"Bearer {tokens[Role.ANALYST]}"})
    assert other.status_code == 404 and other.json()["errors"][0]["extensions"]["code"]
    # Names are not unique: a second prosecutor token under the same name is someone else.
    _, namesake = await services.tokens.create(Role.PROSECUTOR, "test prosecutor", SYSTEM)
    other = await client.get(url, headers={"Authorization": f"Bearer {namesake}"})
    assert other.status_code == 404
    admin = {"Authorization": f"Bearer {tokens[Role.ADMIN]}"}
    assert (await client.get(url, headers=admin)).status_code == 200
    assert (await client.get(url)).status_code == 401
    body = await analyst(JOB, id=started["id"])
    assert body["data"]["exportJob"]["status"] in ("RUNNING", "DONE")
    body = await gql_as(Role.INVESTIGATOR)(JOB, id=started["id"])
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # Refused at once, with the reason: the whole graph is for admins.
    body = await prosecutor(START, p="COURT")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await prosecutor(START, c=uid("nocase"), p="COURT")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
