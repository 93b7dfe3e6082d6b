"""The leak scan: protected identities and withheld evidence must not reach a role without
clearance in any answer — data, search hits, counts, traces, profiles, charts, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from accountability.domain.redaction import SYSTEM, Role
from accountability.services.container import Services
from tests.conftest import GQL
from tests.exporting import whole_graph
from tests.test_trace import scenario

UNCLEARED = (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR)
_LETTERS_ONLY = str.maketrans("0123456789abcdef", "ghijklmnopqrstuv")


def protected_graph(uid: Callable[[str], str]) -> tuple[dict[str, Any], set[str], set[str]]:
    """The trace scenario with protected people and evidence; returns the document, the
    strings only cleared roles may see, and those only the viewer may not see."""
    # Letters only: with digits, "Perpname1ead7b" has the name part "ead", which the
    # masker rightly finds in another test's "Conftitle3ead90" (a flaky collision).
    tag = uid("")[1:9].translate(_LETTERS_ONLY)
    doc = scenario(uid)
    protected = {
        f"Perpname{tag}",
        f"Perpalias{tag}",
        f"Cmdname{tag}",
        f"Victimname{tag}",
        f"Evtitle{tag}",
        f"Evsource{tag}",
    }
    confidential = {f"Conftitle{tag}"}
    for node in doc["nodes"]:
        if node["id"] == uid("perp"):
            node["properties"] = {
                "name": f"Perpname{tag}",
                "aliases": [f"Perpalias{tag}"],
                "protected": True,
                "pseudonym": "Witness L-1",
                "birth_year": 1961,
            }
        if node["id"] == uid("c_exact"):
            node["properties"] = {
                "name": f"Cmdname{tag}",
                "protected": True,
                "pseudonym": "Witness L-2",
            }
        if node["id"] == uid("i"):  # free text naming protected people
            node["properties"]["description"] = (
                f"Beaten by perpname{tag} (also called PERPALIAS{tag}) on orders of Cmdname{tag}."
            )
    for claim in doc["claims"]:
        if "retraction" in claim:
            claim["retraction"]["reason"] = f"misread: it was Cmdname{tag}"
    doc["nodes"] += [
        {
            "id": uid("epub"),
            "label": "Evidence",
            "properties": {
                "kind": "report",
                "title": f"Public report on the fate of Victimname{tag}",
                "classification": "public",
            },
        },
        {
            "id": uid("victim"),
            "label": "Person",
            "properties": {
                "name": f"Victimname{tag}",
                "protected": True,
                "pseudonym": "Victim L-3",
                "status": "disappeared",
            },
        },
        {
            "id": uid("eprot"),
            "label": "Evidence",
            "properties": {
                "kind": "testimony",
                "title": f"Evtitle{tag}",
                "source": f"Evsource{tag}",
                "classification": "protected",
            },
        },
        {
            "id": uid("econf"),
            "label": "Evidence",
            "properties": {
                "kind": "document",
                "title": f"Conftitle{tag}",
                "classification": "confidential",
            },
        },
    ]
    doc["claims"] += [
        {
            "id": uid("vic"),
            "type": "VICTIM",
            "from": uid("i"),
            "to": uid("victim"),
            "evidence": [uid("eprot"), uid("econf")],
        },
        {
            "id": uid("det"),
            "type": "DETAINED_AT",
            "from": uid("victim"),
            "to": uid("f"),
            "valid_from": "2013-05-01",
            "evidence": [uid("eprot")],
        },
        {
            "id": uid("perp2"),
            "type": "PERPETRATED",
            "from": uid("perp"),
            "to": uid("i"),
            "evidence": [uid("eprot"), uid("econf")],
        },
    ]
    return doc, protected, confidential


EVERYTHING = """
fragment P on Person { id name aliases birthYear pseudonym protected
  claims(includeRetracted: true) { edges { node { id ... on Person { name aliases } }
    evidence { id title source } claim { evidenceIds } } } }
fragment E on Evidence { id title source supports { edges { claim { id } } } }
query($ids: [ID!]!, $i: ID!, $perp: ID!, $cmd: ID!, $victim: ID!, $u: ID!, $f: ID!,
      $e: ID!, $c: ID!) {
  nodes(ids: $ids) { ...P ...E }
  deep: nodes(ids: $ids) { id claims { edges { node { id ... on Person { name aliases }
    claims(includeRetracted: true) { edges { node { id ... on Person { name aliases pseudonym } }
      claim { properties } } } } } } }
  persons(first: 200) { edges { node { ...P } } }
  evidenceItems(first: 200) { totalCount edges { node { ...E } } }
  unit(id: $u) { claims(includeRetracted: true) { edges { claim { retraction { reason } } } } }
  incident(id: $i) { description }
  trace(incidentId: $i) { incident { description } links { person { ...P } path { node { __typename
    ... on Person { name aliases } } claim { id } } evidence { ...E }
    otherPaths { edges { node { path { node { ... on Person { name } } } evidence { ...E } } } } } }
  explain(personId: $perp, incidentId: $i) { person { name } paths { reasons
    path { node { ... on Person { name } } } evidence { ...E } } }
  personProfile(personId: $cmd) { person { ...P } incidents { evidence { ...E } } }
  victimPath(personId: $victim) { person { ...P } detentions { claim { evidence { ...E } } } }
  commandChart(unitId: $u, at: "2013-06-11") { commanders { node { ...P } evidence { ...E } } }
  facilityChart(facilityId: $f, at: "2013-06-11") { operators { commanders { node { ...P } } }
    commandPosts { node { ...P } } }
  facilityTimeline(facilityId: $f, from: "2013-01-01", to: "2013-12-31") {
    events { node { ... on Person { ...P } } claim { evidence { ...E } } } }
  evidence(id: $e) { ...E }
  claim(id: $c) { evidence { ...E } from { ... on Person { name } } }
}"""


@pytest.fixture
async def graph(services: Services, uid: Callable[[str], str]) -> tuple[set[str], set[str]]:
    doc, protected, confidential = protected_graph(uid)
    await services.interchange.import_document(SYSTEM, doc)
    return protected, confidential


async def _everything(gql: GQL, uid: Callable[[str], str]) -> str:
    ids = [uid(n) for n in ("perp", "c_exact", "victim", "eprot", "econf", "epub")]
    body = await gql(
        EVERYTHING,
        ids=ids,
        i=uid("i"),
        perp=uid("perp"),
        cmd=uid("c_exact"),
        victim=uid("victim"),
        u=uid("u"),
        f=uid("f"),
        e=uid("eprot"),
        c=uid("perp2"),
    )
    assert "errors" not in body, body["errors"]
    return json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("role", list(Role))
async def test_every_query_for_every_role(
    role: Role,
    graph: tuple[set[str], set[str]],
    gql_as: Callable[[Role], GQL],
    uid: Callable[[str], str],
    services: Services,
) -> None:
    protected, confidential = graph
    # Other tests change the protected names as they go; until texts are masked again
    # they are held back ("[being re-masked]"), so let the job finish first.
    await services.masks.remask()
    text = await _everything(gql_as(role), uid)
    leaked = {s for s in protected if s in text}
    if role in UNCLEARED:
        assert leaked == set(), f"{role.value} saw {leaked}"
    else:
        assert leaked == protected  # the battery does reach every protected string
    shown_confidential = {s for s in confidential if s in text}
    assert shown_confidential == (set() if role is Role.VIEWER else confidential)
    if role in UNCLEARED:  # free text screened: the pseudonyms stand in the names' place
        # Each mention is masked (by pseudonym, or withheld where the match is uncertain).
        assert "Beaten by " in text and "on orders of " in text
        assert "Public report on the fate of " in text


@pytest.mark.parametrize("role", UNCLEARED)
async def test_search_and_counts_reveal_nothing(
    role: Role,
    graph: tuple[set[str], set[str]],
    gql_as: Callable[[Role], GQL],
) -> None:
    protected, _ = graph
    gql = gql_as(role)
    for secret in sorted(protected):
        for field in ("persons", "evidenceItems"):
            body = await gql(
                f"""query($s: String!) {{ {field}(filter: {{search: $s}}) {{
                totalCount edges {{ node {{ id }} }} }} }}""",
                s=secret,
            )
            assert body["data"][field] == {"totalCount": 0, "edges": []}, (role, secret)


async def test_errors_do_not_name_protected_people(
    graph: tuple[set[str], set[str]],
    gql_as: Callable[[Role], GQL],
    uid: Callable[[str], str],
) -> None:
    protected, _ = graph
    gql = gql_as(Role.INVESTIGATOR)
    answers = [
        await gql(
            "mutation($id: ID!) { updateNode(id: $id, properties: {birth_year: 1700}) { id } }",
            id=uid("perp"),
        ),
        await gql(
            "mutation($id: ID!) { createNode(label: PERSON, id: $id, properties: "
            '{name: "x"}) { id } }',
            id=uid("perp"),
        ),
        await gql(
            'mutation($id: ID!) { updateNode(id: $id, properties: {name: "Renamed"}) '
            "{ ... on Person { name } } }",
            id=uid("perp"),
        ),
        await gql(
            "mutation($id: ID!) { addClaim(input: {type: COMMANDED, from: $id, to: $id}) { id } }",
            id=uid("perp"),
        ),
    ]
    text = json.dumps(answers, ensure_ascii=False)
    assert "errors" in answers[0] and "errors" in answers[1] and "errors" in answers[3]
    # Renaming a protected person needs clearance: the writer could not read the name.
    assert answers[2]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not {s for s in protected if s in text}


async def test_viewer_and_analyst_cannot_write_or_export(
    gql_as: Callable[[Role], GQL],
    services: Services,
) -> None:
    from accountability.domain.redaction import Viewer
    from accountability.errors import Forbidden

    for role in (Role.VIEWER, Role.ANALYST, Role.PROSECUTOR):
        body = await gql_as(role)(
            'mutation { createNode(label: UNIT, properties: {name: "Fictional"}) { id } }'
        )
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for role in (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR, Role.PROSECUTOR):
        with pytest.raises(Forbidden):
            await whole_graph(services, Viewer("x", role))
