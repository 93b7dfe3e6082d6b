"""The mention test: free text naming a protected person — in full, by one part of the
name, with an honorific, as a possessive, in another transliteration, in Arabic script
(with clitics), or by an alias — is masked for readers without clearance in GraphQL,
search, cursors, sort order and every file of partner and public bundles; shown in full
to prosecutors and admins (so the test is known to reach the strings); and masked again
when someone becomes protected later or gains an alias. All names are invented."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import html
import json
import os
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from accountability.domain import search
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.masking import WITHHELD
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.domain.renditions import PENDING
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import Conflict, Forbidden
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.exports.service import Scope
from accountability.services.nodes import NodeService
from accountability.services.protection.masks import MaskService
from accountability.settings import Settings
from tests.conftest import GQL, make_gql

UNCLEARED = (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR)
CLEARED = (Role.PROSECUTOR, Role.ADMIN)

NAME = "Zubaida Qarmoush"
ALIAS = "Umm Fadwan"
PSEUDONYM = "Witness MZ-4"
#: Every form a mention takes; True where the masker is sure whom it names (so the
#: pseudonym stands in its place), False where it may only withhold it.
FORMS: dict[str, tuple[str, bool]] = {
    "full": ("Zubaida Qarmoush", True),
    "given": ("Zubaida", True),
    "surname": ("Qarmoush", True),
    "capitals": ("ZUBAIDA QARMOUSH", True),
    "ms": ("Ms Qarmoush", True),
    "dr": ("Dr. Qarmoush", True),
    "possessive": ("Qarmoush's", True),
    "karmoush": ("Karmoush", False),
    "qarmush": ("Qarmush", False),
    "arabic": ("زبيدة قرموش", False),
    "arabic_surname": ("قرموش", False),
    "arabic_wa": ("وقرموش", False),
    "arabic_al": ("القرموش", False),
    "alias": ("Umm Fadwan", True),
    "alias_part": ("Fadwan", True),
}
#: What no answer to a reader without clearance may hold, in any case (folded).
SECRETS = ("zubaida", "qarmoush", "karmoush", "qarmush", "fadwan", "قرموش", "زبيد")
#: What a search for a part of the name must look like: nothing at all.
NONSENSE = "Vexlqorbith"
NEEDLES = (
    "Zubaida",
    "Qarmoush",
    "Karmoush",
    "Qarmush",
    "Fadwan",
    "Zubaida Qarmoush",
    "Umm Fadwan",
    "قرموش",
    "زبيدة",
)
#: Titles whose order changes once masked: the name sorts last, its pseudonym third.
SORT_TITLES = ("Beatings near {m}", "Transfer from {m}", NAME + " at {m}", "Yard of {m}")
SORTED_MASKED = [0, 1, 2, 3]
SORTED_CLEAR = [0, 1, 3, 2]
#: Letters only: digits would make name parts that collide with other tests' names.
#: (The invented names here were also checked against the words of the other tests,
#: the demo and the docs: they stay protected for the whole session, and a word that
#: shares a phonetic key with one would be withheld in other tests' texts.)
_LETTERS_ONLY = str.maketrans("0123456789abcdef", "ghijklmnopqrstuv")
_U_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")

INVESTIGATOR = Viewer("Fictional investigator", Role.INVESTIGATOR)
ADMIN = Viewer("Fictional admin", Role.ADMIN)


def leaks(text: str, secrets: tuple[str, ...] = SECRETS) -> set[str]:
    folded = text.casefold()
    return {s for s in secrets if s in folded}


def _where(value: Any, path: str = "", secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """Where in an answer a secret stands, for the failure message."""
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in _where(v, f"{path}.{k}", secrets)]
    if isinstance(value, list):
        return [w for i, v in enumerate(value) for w in _where(v, f"{path}[{i}]", secrets)]
    return [f"{path}={value!r}"] if isinstance(value, str) and leaks(value, secrets) else []


def dump(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


def _tag() -> str:
    return uuid.uuid4().hex[:8].translate(_LETTERS_ONLY)


@dataclass(frozen=True)
class World:
    """The ids and words of the main scenario."""

    tag: str
    marker: str  # a word every text of the scenario holds
    sort_marker: str  # a word the sort set's titles hold
    person: str
    guard: str
    facility: str
    incidents: dict[str, str]  # form key -> incident id
    api_incident: str  # written and then changed through GraphQL by an investigator
    evidence: dict[str, str]  # form key -> evidence id
    aided: str
    retracted: str
    case: str
    sort_incidents: list[str]
    sort_evidence: list[str]
    sort_cases: list[str]


def _texts(form: str, marker: str) -> dict[str, str]:
    return {
        "title": f"{form} seen at {marker}",
        "description": f"Guards at {marker} beat {form} in the yard.",
        "ev_title": f"Statement about {form} from {marker}",
        "ev_source": f"Interview with {form}",
    }


CASE_TITLE = "Guards of {m}: the case of Zubaida Qarmoush (قرموش), called Umm Fadwan"
RETRACTION = "wrong night, per Dr. Qarmoush and وقرموش; see Fadwan's account"
CONTRIBUTION = "drove Qarmoush's van to {m}; Umm Fadwan saw it"
LOCATION = "behind Qarmoush's house, {m}"
CASE_STATUS = "waiting for Zubaida's statement"
CUSTODY = {
    "fromParty": "Zubaida Qarmoush",
    "toParty": "Umm Fadwan",
    "note": "handed over by Ms Qarmoush's brother in القرموش",
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(services: Services, client: httpx.AsyncClient, tokens: dict[Role, str]) -> World:
    tag = _tag()
    pre = f"mention-{tag}"
    marker, sort_marker = f"Tarsheeh{tag}", f"Sortmark{tag}"
    w = World(
        tag=tag,
        marker=marker,
        sort_marker=sort_marker,
        person=f"{pre}-p",
        guard=f"{pre}-guard",
        facility=f"{pre}-f",
        # Ids by number: an id is no text, and must not hold the forms themselves.
        incidents={k: f"{pre}-i-{n}" for n, k in enumerate(FORMS)},
        evidence={k: f"{pre}-e-{n}" for n, k in enumerate(FORMS)},
        api_incident=f"{pre}-i-api",
        aided=f"{pre}-c-aided",
        retracted=f"{pre}-c-perp",
        case=f"{pre}-case",
        sort_incidents=[f"{pre}-si-{n}" for n in range(len(SORT_TITLES))],
        sort_evidence=[f"{pre}-se-{n}" for n in range(len(SORT_TITLES))],
        sort_cases=[f"{pre}-sc-{n}" for n in range(len(SORT_TITLES))],
    )
    nodes: list[dict[str, Any]] = [
        {
            "id": w.person,
            "label": "Person",
            "properties": {
                "name": NAME,
                "aliases": [ALIAS],
                "protected": True,
                "pseudonym": PSEUDONYM,
                "birth_year": 1979,
                "status": "disappeared",
            },
        },
        {"id": w.guard, "label": "Person", "properties": {"name": "Fictional guard"}},
        {
            "id": w.facility,
            "label": "Facility",
            "properties": {"name": "Fictional farm", "location": LOCATION.format(m=marker)},
        },
    ]
    claims: list[dict[str, Any]] = []
    for key, (form, _) in FORMS.items():
        t = _texts(form, marker)
        nodes += [
            {
                "id": w.incidents[key],
                "label": "Incident",
                "properties": {
                    "kind": "torture",
                    "title": t["title"],
                    "description": t["description"],
                    "start_date": "2014-03-02",
                },
            },
            {
                "id": w.evidence[key],
                "label": "Evidence",
                "properties": {
                    "kind": "testimony",
                    "title": t["ev_title"],
                    "source": t["ev_source"],
                    "classification": "public",
                },
            },
        ]
        claims.append(
            {
                "id": f"{w.incidents[key]}-victim",
                "type": "VICTIM",
                "from": w.incidents[key],
                "to": w.person,
                "evidence": [w.evidence[key]],
            }
        )
    claims += [
        {
            "id": w.aided,
            "type": "AIDED",
            "from": w.guard,
            "to": w.incidents["full"],
            "evidence": [w.evidence["full"]],
            "properties": {"contribution": CONTRIBUTION.format(m=marker)},
        },
        {
            "id": f"{w.facility}-at",
            "type": "OCCURRED_AT",
            "from": w.incidents["full"],
            "to": w.facility,
            "evidence": [w.evidence["full"]],
        },
        {
            "id": w.retracted,
            "type": "PERPETRATED",
            "from": w.guard,
            "to": w.incidents["surname"],
            "evidence": [w.evidence["surname"]],
        },
    ]
    for n, title in enumerate(SORT_TITLES):
        text = title.format(m=sort_marker)
        nodes += [
            {
                "id": w.sort_incidents[n],
                "label": "Incident",
                "properties": {"kind": "torture", "title": text},
            },
            {
                "id": w.sort_evidence[n],
                "label": "Evidence",
                "properties": {"kind": "document", "title": text, "classification": "public"},
            },
            {"id": w.sort_cases[n], "label": "Case", "properties": {"title": text}},
        ]
    document = {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": claims}
    await services.interchange.import_document(SYSTEM, document)

    # The rest through the API, as an investigator writes it.
    gql = make_gql(client, tokens[Role.INVESTIGATOR])
    every_form = "; ".join(form for form, _ in FORMS.values())
    answers = [
        await gql(
            """mutation($id: ID!, $p: JSON!) { createNode(label: INCIDENT, id: $id, properties: $p)
            { id ... on Incident { title description } } }""",
            id=w.api_incident,
            p={"kind": "torture", "title": f"Every form at {marker}", "description": "Draft"},
        ),
        await gql(
            """mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p)
            { id ... on Incident { title description } } }""",
            id=w.api_incident,
            p={"description": f"Again, at {marker}: {every_form}"},
        ),
        await gql(
            """mutation($id: ID!, $r: String!) {
            retractClaim(id: $id, reason: $r) { id retraction { reason } } }""",
            id=w.retracted,
            r=RETRACTION,
        ),
        await gql(
            """mutation($e: ID!, $f: String, $t: String, $n: String) {
            recordCustody(evidenceId: $e, action: "transferred", fromParty: $f, toParty: $t,
                          note: $n) { id } }""",
            e=w.evidence["full"],
            f=CUSTODY["fromParty"],
            t=CUSTODY["toParty"],
            n=CUSTODY["note"],
        ),
        await gql(
            """mutation($id: ID!, $t: String!, $s: String!) {
            createCase(id: $id, title: $t, jurisdiction: "Fictional court", status: $s) {
              id title status } }""",
            id=w.case,
            t=CASE_TITLE.format(m=marker),
            s=CASE_STATUS,
        ),
        await gql(
            """mutation($c: ID!, $ids: [ID!]!) {
            addToCase(caseId: $c, ids: $ids) { changed case { title status } } }""",
            c=w.case,
            ids=[
                w.person,
                w.guard,
                w.facility,
                w.aided,
                *w.incidents.values(),
                w.api_incident,
                *w.evidence.values(),
            ],
        ),
    ]
    for answer in answers:
        assert "errors" not in answer, answer
    # What a write answers an uncleared writer is read back as they may read it: masked
    # (custody parties and notes excepted: recordCustody echoes what was just given).
    echoed = [answers[0], answers[1], answers[2], answers[4], answers[5]]
    assert not leaks(dump(echoed)), _where(echoed)
    assert PSEUDONYM in answers[1]["data"]["updateNode"]["description"]
    return w


# --- GraphQL reads ------------------------------------------------------------------

INCIDENT = """fragment I on Incident { id title description
  claims(includeRetracted: true, first: 100) { edges { claim { id properties
    retraction { reason } } node { id ... on Person { name aliases pseudonym } } } } }"""
EVIDENCE = """fragment E on Evidence { id evTitle: title source
  custody { fromParty toParty note by }
  supports(includeRetracted: true) { edges { claim { id retraction { reason } } } } }"""
PERSON = """fragment P on Person { id name aliases pseudonym protected birthYear
  claims(includeRetracted: true, first: 100) { edges { claim { id properties
    retraction { reason } } node { id ... on Incident { title description } } } } }"""
READ_ALL = (
    INCIDENT
    + EVIDENCE
    + PERSON
    + """
query($ids: [ID!]!, $i: ID!, $i2: ID!, $e: ID!, $p: ID!, $case: ID!, $c: ID!, $aided: ID!,
      $f: ID!, $m: String!) {
  nodes(ids: $ids) { __typename ...I ...E ...P ... on Case { caseTitle: title jurisdiction } }
  node(id: $i) { ...I }
  incident(id: $i2) { ...I }
  evidence(id: $e) { ...E }
  person(id: $p) { ...P }
  case(id: $case) { title jurisdiction status
    members(first: 200) { nodes { id ...I ...E ... on Person { name aliases }
      ... on Facility { name location } } } }
  facility(id: $f) { name location }
  claim(id: $c) { properties retraction { reason by } from { id } }
  aided: claim(id: $aided) { properties }
  incidents(filter: {search: $m}, first: 100) { totalCount
    edges { cursor node { ...I } } pageInfo { endCursor } }
  evidenceItems(filter: {search: $m}, first: 100) { totalCount
    edges { cursor node { ...E } } pageInfo { endCursor } }
  cases(filter: {search: $m}) { totalCount edges { cursor node { title } } }
  persons(sort: NAME, first: 500) { edges { node { name aliases } } }
  search(label: INCIDENT, filter: {search: $m}, first: 100) {
    edges { node { ... on Incident { title description } } } }
  trace(incidentId: $i) { incident { title description } links { person { name } } }
  victimPath(personId: $p) { person { name aliases }
    incidents { node { ... on Incident { title description } } claim { properties } } }
}"""
)


async def _read_all(gql: GQL, w: World) -> dict[str, Any]:
    body: dict[str, Any] = await gql(
        READ_ALL,
        ids=[w.person, w.case, *w.incidents.values(), *w.evidence.values()],
        i=w.incidents["full"],
        i2=w.incidents["surname"],
        e=w.evidence["full"],
        p=w.person,
        case=w.case,
        c=w.retracted,
        aided=w.aided,
        f=w.facility,
        m=w.marker,
    )
    assert "errors" not in body, body["errors"]
    return body


@pytest.mark.parametrize("role", list(Role))
async def test_graphql_reads(
    role: Role, world: World, gql_as: Callable[[Role], GQL], services: Services
) -> None:
    await services.masks.remask()
    body = await _read_all(gql_as(role), world)
    text = dump(body)
    if role in CLEARED:
        # Every form is there, custody notes and the retraction reason included.
        assert leaks(text) == set(SECRETS)
        assert all(form in text for form, _ in FORMS.values())
        assert RETRACTION in text and CUSTODY["note"] in text
        assert CASE_TITLE.format(m=world.marker) in text and CASE_STATUS in text
        assert f"Again, at {world.marker}: {'; '.join(f for f, _ in FORMS.values())}" in text
        assert LOCATION.format(m=world.marker) in text
        return
    assert leaks(text) == set(), f"{role.value} saw {leaks(text)} at {_where(body)}"
    data = body["data"]
    # Each form, in each free-text field, stands masked with the words around it kept.
    titles = {e["node"]["id"]: e["node"]["title"] for e in data["incidents"]["edges"]}
    descriptions = {e["node"]["id"]: e["node"]["description"] for e in data["incidents"]["edges"]}
    evidence = {e["node"]["id"]: e["node"] for e in data["evidenceItems"]["edges"]}
    assert set(titles) == {*world.incidents.values(), world.api_incident}
    assert descriptions[world.api_incident].startswith(f"Again, at {world.marker}: ")
    assert set(evidence) == set(world.evidence.values())
    problems = []
    for key, (_, sure) in FORMS.items():
        masked = re.escape(PSEUDONYM) if sure else f"(?:{re.escape(PSEUDONYM)}|\\[withheld\\])"
        own = "(?:'s)?" if key == "possessive" else ""
        t = _texts(masked + own, re.escape(world.marker))
        fields = {
            "title": titles[world.incidents[key]],
            "description": descriptions[world.incidents[key]],
            "ev_title": evidence[world.evidence[key]]["evTitle"],
            "ev_source": evidence[world.evidence[key]]["source"],
        }
        for field, value in fields.items():
            if not re.fullmatch(t[field], value or ""):
                problems.append((key, field, value))
    assert problems == [], problems
    assert PSEUDONYM in data["case"]["title"] and world.marker in data["case"]["title"]
    assert data["case"]["status"] == f"waiting for {PSEUDONYM}'s statement"
    assert data["facility"]["location"] == f"behind {PSEUDONYM}'s house, {world.marker}"
    reason = data["claim"]["retraction"]["reason"]
    assert reason.startswith("wrong night, per ") and reason.endswith("'s account"), reason
    assert "drove " in data["aided"]["properties"]["contribution"]
    # Who handed what to whom is withheld from roles without clearance.
    custody = data["evidence"]["custody"]
    assert custody and all(c["note"] is None and c["fromParty"] is None for c in custody)
    assert data["person"]["name"] == PSEUDONYM and data["person"]["aliases"] == []


@pytest.mark.parametrize("role", list(Role))
async def test_mentions_to_review_are_for_cleared_roles_only(
    role: Role, world: World, gql_as: Callable[[Role], GQL]
) -> None:
    body = await gql_as(role)(
        "{ mentionsToReview(first: 200) { recordId field surface form personIds } }"
    )
    if role in CLEARED:
        assert "errors" not in body, body
        return
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body.get("data") is None and not leaks(dump(body))


# --- search -------------------------------------------------------------------------

LISTS = ("incidents", "evidenceItems", "cases", "persons", "units", "facilities")
SEARCH = (
    "query($s: String!) {"
    + " ".join(
        f"{f}(filter: {{search: $s}}) {{ totalCount edges {{ cursor node {{ id }} }} "
        "pageInfo { hasNextPage endCursor } }"
        for f in LISTS
    )
    + " ".join(
        f" s{label}: search(label: {label}, filter: {{search: $s}}) {{ totalCount "
        "edges { node { id } } pageInfo { hasNextPage endCursor } }"
        for label in ("PERSON", "INCIDENT", "EVIDENCE", "CASE")
    )
    + "}"
)


def _ids(connection: dict[str, Any]) -> set[str]:
    return {e["node"]["id"] for e in connection["edges"]}


UPDATE = """mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p) {
  id ... on Incident { title description } } }"""


async def test_a_text_shown_masked_is_not_overwritten_without_clearance(
    world: World,
    gql_as: Callable[[Role], GQL],
    uid: Callable[[str], str],
    services: Services,
    tokens: dict[Role, str],
) -> None:
    """An investigator is shown a description naming a protected witness masked; what
    they would save is the masked text, and the name would be lost. They are refused,
    whatever they send (a guessed name is answered like a control); a field shown whole
    stays theirs to change, and an admin may change the masked one."""
    investigator, admin = gql_as(Role.INVESTIGATOR), gql_as(Role.ADMIN)
    incident = uid("masked-text")
    original = f"Seen at the checkpoint by {NAME} in the fictional town"
    made = await investigator(
        """mutation($id: ID!, $p: JSON!) { createNode(label: INCIDENT, id: $id, properties: $p)
        { id } }""",
        id=incident,
        p={"kind": "torture", "title": "Fictional checkpoint", "description": original},
    )
    assert "errors" not in made, made
    answers = []
    for sent in (f"Seen at the checkpoint by {PSEUDONYM}", f"Seen by {NAME}", "Seen by Nobody"):
        answer = await investigator(UPDATE, id=incident, p={"description": sent})
        (error,) = answer["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert [p["where"] for p in error["extensions"]["problems"]] == ["properties.description"]
        assert not leaks(dump(answer))
        answers.append(error)
    assert answers[0] == answers[1] == answers[2]  # the same for a guess and a control
    stored = await admin("query($i: ID!) { incident(id: $i) { description } }", i=incident)
    assert stored["data"]["incident"]["description"] == original

    retitled = await investigator(UPDATE, id=incident, p={"title": "Fictional checkpoint 2"})
    assert "errors" not in retitled, retitled
    shown = retitled["data"]["updateNode"]["description"]
    assert PSEUDONYM in shown
    # Sent back exactly as shown (a form saved whole), the text keeps its original.
    again = await investigator(UPDATE, id=incident, p={"description": shown, "title": "Again"})
    assert "errors" not in again, again
    assert again["data"]["updateNode"]["description"] == shown
    stored = await admin("query($i: ID!) { incident(id: $i) { title description } }", i=incident)
    assert stored["data"]["incident"] == {"title": "Again", "description": original}

    # So too through an import of the record as shown (a re-imported export), and a
    # changed masked text is refused there at its field.
    viewer = await services.tokens.authenticate(tokens[Role.INVESTIGATOR])
    assert viewer is not None
    record = {"kind": "torture", "title": "Again", "description": shown}
    document = {
        "format": "accountability-graph",
        "version": 1,
        "nodes": [{"id": incident, "label": "Incident", "properties": record}],
        "claims": [],
    }
    await services.interchange.import_document(viewer, document)
    document["nodes"][0]["properties"] = {**record, "description": f"{shown}, at dawn"}
    with pytest.raises(Forbidden) as refused:
        await services.interchange.import_document(viewer, document)
    assert [p.where for p in refused.value.problems] == ["nodes[0].properties.description"]
    stored = await admin("query($i: ID!) { incident(id: $i) { description } }", i=incident)
    assert stored["data"]["incident"]["description"] == original
    fixed = await admin(UPDATE, id=incident, p={"description": f"{original}, at night"})
    assert "errors" not in fixed, fixed
    assert fixed["data"]["updateNode"]["description"] == f"{original}, at night"


async def test_a_claim_text_shown_masked_is_kept_through_an_import(
    world: World, services: Services, tokens: dict[Role, str], uid: Callable[[str], str]
) -> None:
    """A claim's free text naming a protected witness, re-imported by an investigator as
    they are shown it, keeps its original; changed, it is refused at its field."""
    person, incident, evidence = uid("aide"), uid("aided"), uid("aide-ev")
    await services.nodes.create(NodeLabel.PERSON, {"name": "Fictional Driver"}, SYSTEM, person)
    await services.nodes.create(NodeLabel.INCIDENT, {"kind": "torture"}, SYSTEM, incident)
    await services.nodes.create(
        NodeLabel.EVIDENCE,
        {"kind": "testimony", "title": "Fictional note", "classification": "public"},
        SYSTEM,
        evidence,
    )
    original = f"drove {NAME} to the fictional checkpoint"
    claim = await services.claims.add(
        {
            "type": "AIDED",
            "from": person,
            "to": incident,
            "evidence": [evidence],
            "properties": {"contribution": original},
        },
        SYSTEM,
    )
    viewer = await services.tokens.authenticate(tokens[Role.INVESTIGATOR])
    assert viewer is not None
    shown = (await services.claims.get(claim.id, viewer)).properties["contribution"]
    assert PSEUDONYM in shown and NAME not in shown

    def document(contribution: str) -> dict[str, Any]:
        row = {
            "id": claim.id,
            "type": "AIDED",
            "from": person,
            "to": incident,
            "evidence": [evidence],
            "properties": {"contribution": contribution},
        }
        return {"format": "accountability-graph", "version": 1, "nodes": [], "claims": [row]}

    await services.interchange.import_document(viewer, document(shown))
    assert (await services.claims.get(claim.id, SYSTEM)).properties["contribution"] == original
    with pytest.raises(Forbidden) as refused:
        await services.interchange.import_document(viewer, document(f"{shown} twice"))
    assert [p.where for p in refused.value.problems] == ["claims[0].properties.contribution"]
    assert (await services.claims.get(claim.id, SYSTEM)).properties["contribution"] == original

    # Retracted in the same file as it is restated: the retraction is the file's own.
    retracting = document(shown)
    retracting["claims"][0]["retraction"] = {
        "by": "Fictional Investigator",
        "reason": "Fictional reason",
        "at": "2026-01-02T00:00:00Z",
    }
    await services.interchange.import_document(viewer, retracting)
    stored = await services.claims.get(claim.id, SYSTEM)
    assert stored.properties["contribution"] == original
    assert stored.retraction is not None
    assert (stored.retraction.by, stored.retraction.reason) == (
        "Fictional Investigator",
        "Fictional reason",
    )


@pytest.mark.parametrize("role", UNCLEARED)
async def test_search_for_a_protected_name_finds_nothing(
    role: Role, world: World, gql_as: Callable[[Role], GQL], services: Services
) -> None:
    await services.masks.remask()
    gql = gql_as(role)
    nothing = await gql(SEARCH, s=NONSENSE)
    assert "errors" not in nothing, nothing
    empty = {"totalCount": 0, "edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    assert all(v == empty for v in nothing["data"].values()), nothing
    for needle in NEEDLES:
        body = await gql(SEARCH, s=needle)
        assert "errors" not in body, body
        found = {i for connection in body["data"].values() for i in _ids(connection)}
        if not found:
            assert body == nothing, (role.value, needle, body)
            continue
        # The session's graph is shared: another test's record may answer to the same
        # forms by its own name (a random tag can spell 'krmsh'). None may be found
        # because it mentions her: its stored text holds no form of her names.
        stored = await services.nodes.get_stored(sorted(found))
        texts = {
            i: search.fold(json.dumps(r.properties, default=str, ensure_ascii=False))
            for i, r in stored.items()
        }
        mentions = {i: [f for f in SECRETS if f in t] for i, t in texts.items()}
        assert not any(mentions.values()), (role.value, needle, mentions)

    # Other words of the texts, and the pseudonym, are still found.
    body = await gql(SEARCH, s=world.marker)
    data = body["data"]
    assert _ids(data["incidents"]) == {*world.incidents.values(), world.api_incident}
    assert _ids(data["evidenceItems"]) == set(world.evidence.values())
    assert _ids(data["cases"]) == {world.case}
    body = await gql(SEARCH, s=PSEUDONYM)
    sure = {world.incidents[k] for k, (_, certain) in FORMS.items() if certain}
    assert sure <= _ids(body["data"]["incidents"])
    assert world.person in _ids(body["data"]["persons"])
    assert world.case in _ids(body["data"]["cases"])


@pytest.mark.parametrize("role", CLEARED)
async def test_cleared_search_finds_the_real_name(
    role: Role, world: World, gql_as: Callable[[Role], GQL]
) -> None:
    body = await gql_as(role)(SEARCH, s="Qarmoush")
    data = body["data"]
    literal = {world.incidents[k] for k, (f, _) in FORMS.items() if "qarmoush" in f.casefold()}
    assert literal <= _ids(data["incidents"])
    assert world.person in _ids(data["persons"]) and world.case in _ids(data["cases"])
    body = await gql_as(role)(SEARCH, s="قرموش")
    assert world.incidents["arabic_surname"] in _ids(body["data"]["incidents"])


# --- sort order and cursors ---------------------------------------------------------


def page_query(field: str) -> str:
    """One page of a list sorted by name, a node at a time."""
    return f"""query($s: String!, $after: String) {{
  {field}(filter: {{search: $s}}, sort: NAME, first: 1, after: $after) {{
    totalCount edges {{ cursor node {{ id title }} }} pageInfo {{ hasNextPage endCursor }} }}
}}"""


WHOLE = """query($s: String!, $f: String!) {
  incidents(filter: {search: $s}, sort: NAME, first: 50) { edges { node { id } } }
  evidenceItems(filter: {search: $s}, sort: NAME, first: 50) { edges { node { id } } }
  cases(filter: {search: $s}, sort: NAME, first: 50) { edges { node { id } } }
  named: incidents(filter: {search: $f}, sort: NAME, first: 50) {
    edges { cursor node { id } } pageInfo { endCursor } }
}"""


async def _walk(gql: GQL, field: str, marker: str) -> tuple[list[str], list[str]]:
    """Page through one list a node at a time: the ids in order and every cursor."""
    ids: list[str] = []
    cursors: list[str] = []
    after = None
    for _ in range(10):
        body = await gql(page_query(field), s=marker, after=after)
        assert "errors" not in body, body
        page = body["data"][field]
        ids += [e["node"]["id"] for e in page["edges"]]
        cursors += [e["cursor"] for e in page["edges"]]
        if page["pageInfo"]["endCursor"]:
            cursors.append(page["pageInfo"]["endCursor"])
        if not page["pageInfo"]["hasNextPage"]:
            return ids, cursors
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the list did not end")


SHOWN = """{
  persons(sort: NAME, first: 500) { edges { node { name } } }
  evidenceItems(sort: NAME, first: 500) { edges { node { title } } }
  cases(sort: NAME, first: 500) { edges { node { title } } }
}"""


def _cursor_leaks(cursor: str, secrets: tuple[str, ...]) -> set[str]:
    found = leaks(cursor, secrets)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        return found
    lowered = raw.lower()
    return found | {s for s in secrets if s.encode() in lowered}


@pytest.mark.parametrize("role", list(Role))
async def test_sort_order_and_cursors_follow_the_rendition(
    role: Role, world: World, gql_as: Callable[[Role], GQL], services: Services
) -> None:
    await services.masks.remask()
    gql = gql_as(role)
    expected = SORTED_CLEAR if role in CLEARED else SORTED_MASKED
    lists = {
        "incidents": world.sort_incidents,
        "evidenceItems": world.sort_evidence,
        "cases": world.sort_cases,
    }
    every_cursor: list[str] = []
    for field, nodes in lists.items():
        ids, cursors = await _walk(gql, field, world.sort_marker)
        assert ids == [nodes[n] for n in expected], (role.value, field)
        every_cursor += cursors
    whole = (await gql(WHOLE, s=world.sort_marker, f="Qarmoush"))["data"]
    for field, nodes in lists.items():
        assert [e["node"]["id"] for e in whole[field]["edges"]] == [nodes[n] for n in expected]
    every_cursor += [e["cursor"] for e in whole["named"]["edges"]]
    # The two orders differ: the test does tell them apart.
    assert SORTED_CLEAR != SORTED_MASKED
    if role in CLEARED:
        assert whole["named"]["edges"]  # cleared cursors hold the real sort keys ...
    assert every_cursor
    for cursor in every_cursor:  # ... encrypted, as every cursor is
        assert not _cursor_leaks(cursor, SECRETS), (role.value, cursor)

    # Every list sorted by name is in the order of the names it shows: for a reader
    # without clearance no position was computed from a name they are not shown.
    shown = (await gql(SHOWN))["data"]
    for field, key in (("persons", "name"), ("evidenceItems", "title"), ("cases", "title")):
        names = [search.fold(e["node"][key]) for e in shown[field]["edges"]]
        assert names == sorted(names), (role.value, field)


async def test_a_cleared_cursor_is_refused_to_an_uncleared_reader(
    world: World, gql_as: Callable[[Role], GQL]
) -> None:
    _, cleared = await _walk(gql_as(Role.PROSECUTOR), "incidents", world.sort_marker)
    body = await gql_as(Role.ANALYST)(
        page_query("incidents"),
        s=world.sort_marker,
        after=cleared[-2],
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not leaks(dump(body))


# --- exports ------------------------------------------------------------------------


def bundle_text(path: Path) -> dict[str, str]:
    """Every file of a bundle as text, also read with HTML/XML entities and JSON or
    Cypher \\u escapes resolved (a name must not slip through encoded); plus the names
    of the files and the archive's comment."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        out["(names)"] = "\n".join(z.namelist()) + "\n" + z.comment.decode("utf-8", "replace")
        for name in z.namelist():
            if name == "manifest.sig":  # 64 bytes of signature, no text
                continue
            raw = z.read(name).decode("utf-8-sig")
            escaped = _U_ESCAPE.sub(lambda m: chr(int(m[1], 16)), raw)
            out[name] = "\n".join([raw, html.unescape(raw), escaped, html.unescape(escaped)])
    return out


def _scan(files: dict[str, str], secrets: tuple[str, ...] = SECRETS) -> dict[str, set[str]]:
    return {name: found for name, text in files.items() if (found := leaks(text, secrets))}


@pytest.mark.parametrize("profile", list(ExportProfile))
async def test_every_file_of_every_bundle(
    profile: ExportProfile, world: World, services: Services, tmp_path: Path
) -> None:
    for role in Role:
        out = tmp_path / f"{profile.value}-{role.value}.zip"
        result = await services.exports.export(
            Viewer(f"Fictional {role.value}", role), Scope("case", world.case), profile, out
        )
        files = bundle_text(out)
        assert {"case.json", "brief.html", "i2/entities.csv", "manifest.json"} <= set(files)
        text = "\n".join(files.values())
        if result.meta.profile == "court":
            assert role in CLEARED
            # The court bundle holds the real names: the scan does reach every string.
            assert leaks(text) == set(SECRETS), leaks(text)
            assert NAME in text and RETRACTION in text
            continue
        assert _scan(files) == {}, (profile.value, role.value)
        assert world.marker in text  # the texts are there, masked
        if result.meta.profile == "public":
            assert PSEUDONYM not in text
            assert WITHHELD in text
        else:
            assert PSEUDONYM in text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.INVESTIGATOR, Role.PROSECUTOR])
async def test_trace_bundles(role: Role, world: World, services: Services, tmp_path: Path) -> None:
    """An incident's trace exported below court (its title names the bundle)."""
    for profile in (ExportProfile.PARTNER, ExportProfile.PUBLIC):
        out = tmp_path / f"{profile.value}.zip"
        result = await services.exports.export(
            Viewer(f"Fictional {role.value}", role),
            Scope("trace", world.incidents["full"]),
            profile,
            out,
        )
        assert result.meta.profile != "court"
        files = bundle_text(out)
        assert _scan(files) == {}, (role.value, profile.value)
        assert world.marker in "\n".join(files.values())


async def test_partner_bundle_through_the_api(
    world: World, client: httpx.AsyncClient, tokens: dict[Role, str], tmp_path: Path
) -> None:
    gql = make_gql(client, tokens[Role.INVESTIGATOR])
    body = await gql(
        "mutation($c: ID!) { startExport(caseId: $c, profile: COURT) { id profile } }",
        c=world.case,
    )
    started = body["data"]["startExport"]
    assert started["profile"] == "PARTNER"
    for _ in range(600):
        job = (
            await gql(
                "query($id: ID!) { exportJob(id: $id) { status downloadUrl error } }",
                id=started["id"],
            )
        )["data"]["exportJob"]
        if job["status"] != "RUNNING":
            break
        await asyncio.sleep(0.05)
    assert job["status"] == "DONE", job
    response = await client.get(
        job["downloadUrl"], headers={"Authorization": f"Bearer {tokens[Role.INVESTIGATOR]}"}
    )
    assert response.status_code == 200
    path = tmp_path / "partner.zip"
    path.write_bytes(response.content)
    files = bundle_text(path)
    assert _scan(files) == {}
    assert PSEUDONYM in "\n".join(files.values())


# --- masked again: someone becomes protected, or gains an alias ---------------------


@dataclass(frozen=True)
class Later:
    """A change to the protected names, and texts written before it that it concerns."""

    name: str  # the person's name
    protected_before: bool
    change: dict[str, Any]  # what a cleared writer then sets on the person
    mention: str  # how the texts name them
    search: str  # a word of the mention to search for
    secrets: tuple[str, ...]
    pseudonym: str


LATER = {
    "becomes protected": Later(
        name="Wijdan Tulaymat",
        protected_before=False,
        change={"protected": True, "pseudonym": "Witness WT-8"},
        mention="Wijdan Tulaymat",
        search="Tulaymat",
        secrets=("tulaymat", "wijdan"),
        pseudonym="Witness WT-8",
    ),
    "gains an alias": Later(
        name="Ghufran Khalwadi",
        protected_before=True,
        change={"aliases": ["Umm Zaghrib"]},
        mention="Umm Zaghrib",
        search="Zaghrib",
        secrets=("zaghrib",),
        pseudonym="Witness GK-3",
    ),
    "becomes protected (job not yet run)": Later(
        name="Ibtisam Qushmaqi",
        protected_before=False,
        change={"protected": True, "pseudonym": "Witness IQ-5"},
        mention="Ibtisam Qushmaqi",
        search="Qushmaqi",
        secrets=("qushmaqi", "ibtisam"),
        pseudonym="Witness IQ-5",
    ),
    "gains an alias (job not yet run)": Later(
        name="Jumana Zirqawi",
        protected_before=True,
        change={"aliases": ["Abu Qudwaniq"]},
        mention="Abu Qudwaniq",
        search="Qudwaniq",
        secrets=("qudwaniq",),
        pseudonym="Witness JZ-6",
    ),
}

LATER_READ = """query($p: ID!, $i: ID!, $e: ID!, $case: ID!, $c: ID!, $m: String!, $s: String!) {
  person(id: $p) { name aliases }
  incident(id: $i) { title description
    claims(includeRetracted: true) { edges { claim { retraction { reason } } } } }
  evidence(id: $e) { title source }
  case(id: $case) { title }
  claim(id: $c) { retraction { reason } }
  marked: incidents(filter: {search: $m}) { totalCount edges { node { id title description } } }
  named: incidents(filter: {search: $s}) { totalCount edges { node { id } } }
  namedEvidence: evidenceItems(filter: {search: $s}, first: 500) { edges { node { id } } }
  namedCases: cases(filter: {search: $s}, first: 500) { edges { node { id } } }
  trace(incidentId: $i) { incident { title description } }
  victimPath(personId: $p) { incidents { node { ... on Incident { title description } }
    claim { retraction { reason } } } }
  personClaims: person(id: $p) { claims(includeRetracted: true) { edges {
    claim { retraction { reason } } node { ... on Incident { title description } } } } }
}"""
CLEARED_READ = "query($p: ID!) { person(id: $p) { protected aliases } }"


@dataclass(frozen=True)
class LaterIds:
    person: str
    incident: str
    evidence: str
    case: str
    claim: str
    marker: str

    def variables(self, later: Later) -> dict[str, Any]:
        return {
            "p": self.person,
            "i": self.incident,
            "e": self.evidence,
            "case": self.case,
            "c": self.claim,
            "m": self.marker,
            "s": later.search,
        }


def _later_texts(later: Later) -> dict[str, str]:
    surname = later.mention.split()[-1]
    return {
        "title": f"{later.mention} taken from {{m}}",
        "description": f"{later.mention} was taken from {{m}} at dawn; {surname}'s shoes "
        "were left behind.",
        "ev_title": f"Photo of {later.mention} at {{m}}",
        "ev_source": f"Neighbour of {surname}",
        "case": f"Case of {later.mention}",
        "reason": f"duplicate of the record on {surname}",
    }


async def _write_before(gql: GQL, later: Later) -> LaterIds:
    tag = _tag()
    pre = f"later-{tag}"
    ids = LaterIds(
        person=f"{pre}-p",
        incident=f"{pre}-i",
        evidence=f"{pre}-e",
        case=f"{pre}-case",
        claim=f"{pre}-c",
        marker=f"Bakery{tag}",
    )
    t = {k: v.replace("{m}", ids.marker) for k, v in _later_texts(later).items()}
    person: dict[str, Any] = {"name": later.name}
    if later.protected_before:
        person |= {"protected": True, "pseudonym": later.pseudonym}
    create = """mutation($l: NodeLabel!, $id: ID!, $p: JSON!) {
      createNode(label: $l, id: $id, properties: $p) { id } }"""
    answers = [
        await gql(create, l="PERSON", id=ids.person, p=person),
        await gql(
            create,
            l="INCIDENT",
            id=ids.incident,
            p={"kind": "torture", "title": t["title"], "description": t["description"]},
        ),
        await gql(
            create,
            l="EVIDENCE",
            id=ids.evidence,
            p={
                "kind": "photo",
                "title": t["ev_title"],
                "source": t["ev_source"],
                "classification": "public",
            },
        ),
        await gql(
            "mutation($id: ID!, $t: String!) { createCase(id: $id, title: $t) { id } }",
            id=ids.case,
            t=t["case"],
        ),
        await gql(
            """mutation($id: ID!, $i: ID!, $p: ID!, $e: ID!) {
            addClaim(input: {id: $id, type: VICTIM, from: $i, to: $p, evidence: [$e]}) { id } }""",
            id=ids.claim,
            i=ids.incident,
            p=ids.person,
            e=ids.evidence,
        ),
        await gql(
            "mutation($id: ID!, $r: String!) { retractClaim(id: $id, reason: $r) { id } }",
            id=ids.claim,
            r=t["reason"],
        ),
        await gql(
            "mutation($c: ID!, $ids: [ID!]!) { addToCase(caseId: $c, ids: $ids) { changed } }",
            c=ids.case,
            ids=[ids.person, ids.incident, ids.evidence],
        ),
    ]
    for answer in answers:
        assert "errors" not in answer, answer
    return ids


def _texts_read(data: dict[str, Any]) -> dict[str, str]:
    """The free-text fields of one LATER_READ answer, wherever they were read."""
    [edge] = [e for e in data["personClaims"]["claims"]["edges"] if e["claim"]["retraction"]]
    victim = data["victimPath"]["incidents"]
    return {
        "title": data["incident"]["title"],
        "description": data["incident"]["description"],
        "ev_title": data["evidence"]["title"],
        "ev_source": data["evidence"]["source"],
        "case": data["case"]["title"],
        "reason": data["claim"]["retraction"]["reason"],
        "reason (from the person)": edge["claim"]["retraction"]["reason"],
        "title (from the person)": edge["node"]["title"],
        "description (trace)": data["trace"]["incident"]["description"],
        **(
            {
                "description (victim path)": victim[0]["node"]["description"],
                "reason (victim path)": victim[0]["claim"]["retraction"]["reason"],
            }
            if victim
            else {}
        ),
    }


def _found(connection: dict[str, Any]) -> set[str]:
    return {edge["node"]["id"] for edge in connection["edges"]}


def _masked_or_pending(later: Later, texts: dict[str, str]) -> list[tuple[str, str]]:
    """Fields that are neither masked (pseudonym or [withheld]) nor held back."""
    return [
        (k, v)
        for k, v in texts.items()
        if not (v == PENDING or later.pseudonym in v or WITHHELD in v)
    ]


@pytest.mark.parametrize("case", list(LATER))
async def test_masked_again_when_the_protected_names_change(
    case: str,
    gql_as: Callable[[Role], GQL],
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    later = LATER[case]
    analyst, prosecutor, admin = (gql_as(r) for r in (Role.ANALYST, Role.PROSECUTOR, Role.ADMIN))
    ids = await _write_before(gql_as(Role.INVESTIGATOR), later)
    variables = ids.variables(later)

    async def read() -> dict[str, Any]:
        body: dict[str, Any] = await analyst(LATER_READ, **variables)
        assert "errors" not in body, body
        return body

    # Before: not (yet) a protected name, so shown and found (the test reaches them).
    before = (await read())["data"]
    assert later.mention in _texts_read(before)["title"]
    assert before["named"]["totalCount"] == 1
    # Other tests' records may sound alike: this test's own are what it looks for.
    assert ids.evidence in _found(before["namedEvidence"])
    assert ids.case in _found(before["namedCases"])

    async def committed() -> bool:
        p = (await prosecutor(CLEARED_READ, p=ids.person))["data"]["person"]
        return bool(p["protected"] and p["aliases"] == later.change.get("aliases", p["aliases"]))

    held_back = case.endswith("(job not yet run)")
    if held_back:
        # A graph too large for the job to finish while the write waits: the write
        # returns with every older text still to be masked again.
        masks = MaskService(services.db)

        async def no_wait(timeout_s: float = 10.0) -> None:
            return None

        monkeypatch.setattr(masks, "settle", no_wait)
        writer = NodeService(services.db, masks=masks)
        await writer.update(ids.person, later.change, ADMIN)
    else:
        # Through GraphQL, reading as an analyst all the while: once the change is
        # committed, no answer may show the name.
        update = asyncio.ensure_future(
            admin(
                "mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p) { id } }",
                id=ids.person,
                p=later.change,
            )
        )
        seen_committed = 0
        while not update.done():
            is_committed = await committed()
            body = await read()
            if is_committed:
                seen_committed += 1
                assert not leaks(dump(body), later.secrets), body
                assert body["data"]["named"]["totalCount"] == 0
            await asyncio.sleep(0)
        answer = await update
        assert "errors" not in answer, answer

    # Immediately after the write returns: masked, or held back — never the name.
    assert await committed()
    body = await read()
    assert not leaks(dump(body), later.secrets), body
    data = body["data"]
    assert _masked_or_pending(later, _texts_read(data)) == []
    assert data["named"]["totalCount"] == 0
    assert ids.evidence not in _found(data["namedEvidence"])
    assert ids.case not in _found(data["namedCases"])
    if held_back:
        # The job has not run: the old texts are held back, in lists too.
        assert set(_texts_read(data).values()) == {PENDING}, data
        assert data["marked"]["totalCount"] == 0 and data["marked"]["edges"] == []

    # Once the job is done: masked with the pseudonym, found by it, never by the name.
    await services.masks.remask()
    body = await read()
    assert not leaks(dump(body), later.secrets), body
    data = body["data"]
    texts = _texts_read(data)
    assert PENDING not in texts.values()
    assert all(later.pseudonym in v for v in texts.values()), texts
    assert texts["title"] == f"{later.pseudonym} taken from {ids.marker}"
    assert [e["node"]["id"] for e in data["marked"]["edges"]] == [ids.incident]
    assert data["named"]["totalCount"] == 0
    found = await analyst(
        "query($s: String!) { incidents(filter: {search: $s}) { edges { node { id } } } }",
        s=later.pseudonym,
    )
    assert ids.incident in {e["node"]["id"] for e in found["data"]["incidents"]["edges"]}
    # ... and in a partner bundle; the court bundle still names them.
    for role, profile in ((Role.INVESTIGATOR, ExportProfile.PARTNER), (Role.PROSECUTOR, None)):
        out = tmp_path / f"{role.value}.zip"
        await services.exports.export(
            Viewer(f"Fictional {role.value}", role),
            Scope("case", ids.case),
            profile or ExportProfile.COURT,
            out,
        )
        found_in = _scan(bundle_text(out), later.secrets)
        if profile is None:
            assert found_in, "the court bundle names them"
        else:
            assert found_in == {}, found_in


async def test_a_text_written_by_another_process_during_the_change_is_masked_once_done(
    gql_as: Callable[[Role], GQL],
    services: Services,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process (the command line on the service's engine, another instance on
    Neo4j) writes a text naming someone while they are being protected: its write read
    the protected names just before the change committed, and commits just after the
    re-masking job for the change has finished. No reader without clearance may see
    the name (it is held back); and the text must not stay held back for good."""
    tag = _tag()
    admin, analyst = gql_as(Role.ADMIN), gql_as(Role.ANALYST)
    person, incident = f"race-{tag}-p", f"race-{tag}-i"
    title = f"Zaqzouq seen at Mill{tag}"
    await services.nodes.create(NodeLabel.PERSON, {"name": "Hanin Zaqzouq"}, INVESTIGATOR, person)
    other = Database(settings)
    await other.open(attach=True)  # as `accountability import` does while the service runs
    masks = MaskService(other)
    writer = NodeService(other, masks=masks)
    gate, entered = asyncio.Event(), asyncio.Event()
    read_names = masks.for_write

    async def pause_after_reading_the_names(tx: Any, changes: Any, now: str) -> Any:
        out = await read_names(tx, changes, now)
        entered.set()
        await gate.wait()
        return out

    create: asyncio.Future[Any] | None = None
    try:
        monkeypatch.setattr(masks, "for_write", pause_after_reading_the_names)
        create = asyncio.ensure_future(
            writer.create(
                NodeLabel.INCIDENT, {"kind": "torture", "title": title}, INVESTIGATOR, incident
            )
        )
        await asyncio.wait_for(entered.wait(), 10)
        answer = await admin(
            "mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p) { id } }",
            id=person,
            p={"protected": True, "pseudonym": "Witness HZ-2"},
        )
        assert "errors" not in answer, answer
        gate.set()
        await create

        query = "query($i: ID!) { incident(id: $i) { title } }"
        shown = []
        for _ in range(20):  # up to 5 s for a job the write may have started
            body = await analyst(query, i=incident)
            assert not leaks(dump(body), ("zaqzouq", "hanin")), body
            shown.append(body["data"]["incident"]["title"])
            if shown[-1] != PENDING:
                break
            await asyncio.sleep(0.25)
        assert shown[-1] == f"Witness HZ-2 seen at Mill{tag}", (
            f"still {shown[-1]!r} after the change and its re-masking job were done"
        )
    finally:
        gate.set()
        if create is not None:
            with contextlib.suppress(Exception):
                await create
        await other.close()
        await services.masks.remask()  # leave nothing held back for the other tests


async def test_an_export_during_a_change_of_the_protected_names_is_not_made(
    gql_as: Callable[[Role], GQL],
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A partner bundle judges renditions by the floor it read when it began. Should the
    protected names change while it is made (here: between its records and its brief),
    a text it read may have been rendered with the older names: no file is made, and
    the next export, with the new names, is."""
    later = Later(
        name="Rawiya Thulfaqar",
        protected_before=False,
        change={"protected": True, "pseudonym": "Witness RT-2"},
        mention="Rawiya Thulfaqar",
        search="Thulfaqar",
        secrets=("thulfaqar", "rawiya"),
        pseudonym="Witness RT-2",
    )
    ids = await _write_before(gql_as(Role.INVESTIGATOR), later)
    masks = MaskService(services.db)

    async def no_wait(timeout_s: float = 10.0) -> None:
        return None

    # The job that masks the texts again does not finish before the change returns.
    monkeypatch.setattr(masks, "settle", no_wait)
    feed = services.exports._feed

    async def feed_then_change(*args: Any, **kwargs: Any) -> Any:
        fed = await feed(*args, **kwargs)
        await NodeService(services.db, masks=masks).update(ids.person, later.change, ADMIN)
        return fed

    monkeypatch.setattr(services.exports, "_feed", feed_then_change)
    investigator = Viewer("Fictional investigator", Role.INVESTIGATOR)
    out = tmp_path / "partner.zip"
    with pytest.raises(Conflict) as refused:
        await services.exports.export(
            investigator, Scope("case", ids.case), ExportProfile.PARTNER, out
        )
    assert refused.value.code == "CONFLICT"
    assert not out.exists()
    assert os.listdir(tmp_path) == []  # nor is its work folder left behind

    monkeypatch.setattr(services.exports, "_feed", feed)
    await services.exports.export(investigator, Scope("case", ids.case), ExportProfile.PARTNER, out)
    assert _scan(bundle_text(out), later.secrets) == {}
    assert later.pseudonym in "\n".join(bundle_text(out).values())
