"""The oracle test: an uncleared caller who guesses a protected person's name — whole, a
part, an alias, its Arabic form, or among other names — must get exactly the answer a
name that exists nowhere gets, byte for byte once each guess is replaced by one marker,
on every read and error path: lookups, trace, explain, profiles, charts, every list and
search with valid and invalid filters, bad cursors, syntax errors, GET requests and the
error paths of every mutation."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

from accountability.domain.redaction import SYSTEM, Role
from accountability.domain.vocabulary import NodeLabel
from accountability.services.container import Services

MARK = "«guess»"

#: The protected person. Invented, and unlike any word, so that only this test's data
#: can answer to these strings.
NAME = "Wardah Qutaybi"
ALIAS = "Umm Saher Qutaybi"
ARABIC = "وردة قتيبي"

#: (guess, control): the control has the guess's shape and script and names nobody.
PAIRS = [
    (NAME, "Zenobe Vraskil"),
    ("Wardah", "Zenobe"),
    ("Qutaybi", "Vraskil"),
    ("Ms Qutaybi", "Ms Vraskil"),
    ("Warda Qutaibi", "Zenob Vraskel"),  # another spelling
    (ALIAS, "Umm Sahir Vraskil"),
    (ARABIC, "زنوبة فراس"),
    ("قتيبي", "فراسك"),
    (f"Nabil Fakename / {NAME} / Samir Nobody", "Nabil Fakename / Zenobe Vraskil / Samir Nobody"),
]
# Error locations count the caller's characters: a control as long as its guess.
assert all(len(g) == len(c) for g, c in PAIRS)

LISTS = ("persons", "units", "facilities", "incidents", "evidenceItems", "cases")


@dataclass(frozen=True)
class Probe:
    name: str
    query: str
    #: Variables; the string "$g" stands for the guess.
    variables: dict[str, Any]


def _list_probes() -> list[Probe]:
    probes = []
    for field in LISTS:
        shape = "{ totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }"
        q = (
            "query($f: NodeFilterInput, $after: String) "
            f"{{ {field}(filter: $f, after: $after) {shape} }}"
        )
        probes += [
            Probe(f"{field} search", q, {"f": {"search": "$g"}}),
            Probe(
                f"{field} search, reversed dates",
                q,
                {"f": {"search": "$g", "dateFrom": "2020-01-01", "dateTo": "2019-01-01"}},
            ),
            Probe(f"{field} search, unknown kind", q, {"f": {"search": "$g", "kind": "$g"}}),
            Probe(f"{field} cursor", q, {"f": None, "after": "$g"}),
        ]
    probes.append(
        Probe(
            "search by label, sorted",
            "query($f: NodeFilterInput) { search(label: PERSON, filter: $f, sort: NAME, first: 5)"
            " { totalCount edges { cursor } } }",
            {"f": {"search": "$g"}},
        )
    )
    return probes


PROBES: list[Probe] = [
    Probe("node", "query($g: ID!) { node(id: $g) { id } }", {"g": "$g"}),
    Probe("person", "query($g: ID!) { person(id: $g) { id name } }", {"g": "$g"}),
    Probe("incident", "query($g: ID!) { incident(id: $g) { id } }", {"g": "$g"}),
    Probe("evidence", "query($g: ID!) { evidence(id: $g) { id } }", {"g": "$g"}),
    Probe("case", "query($g: ID!) { case(id: $g) { id } }", {"g": "$g"}),
    Probe("nodes", "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["$g", "$g"]}),
    Probe("claim", "query($g: ID!) { claim(id: $g) { id } }", {"g": "$g"}),
    Probe("trace", "query($g: ID!) { trace(incidentId: $g) { links { mode } } }", {"g": "$g"}),
    Probe(
        "explain",
        "query($g: ID!) { explain(personId: $g, incidentId: $g) { paths { reasons } } }",
        {"g": "$g"},
    ),
    Probe(
        "personProfile",
        "query($g: ID!) { personProfile(personId: $g) { person { id } } }",
        {"g": "$g"},
    ),
    Probe("victimPath", "query($g: ID!) { victimPath(personId: $g) { fate } }", {"g": "$g"}),
    Probe(
        "facilityTimeline",
        'query($g: ID!) { facilityTimeline(facilityId: $g, from: "2010-01-01",'
        ' to: "2020-01-01") { facility { id } } }',
        {"g": "$g"},
    ),
    Probe(
        "commandChart",
        'query($g: ID!) { commandChart(unitId: $g, at: "2012-01-01") { unit { id } } }',
        {"g": "$g"},
    ),
    Probe(
        "facilityChart",
        'query($g: ID!) { facilityChart(facilityId: $g, at: "2012-01-01") { facility { id } } }',
        {"g": "$g"},
    ),
    Probe("exportJob", "query($g: ID!) { exportJob(id: $g) { id } }", {"g": "$g"}),
    Probe("wrong variable type", "query($g: Int!) { node(id: $g) { id } }", {"g": "$g"}),
    *_list_probes(),
    # Mutations: every one fails here (unknown ids, bad values), for every role.
    Probe(
        "updateNode",
        "mutation($g: ID!, $p: JSON!) { updateNode(id: $g, properties: $p) { id } }",
        {"g": "$g", "p": {"name": "$g", "description": "$g"}},
    ),
    Probe(
        "createNode, bad properties",
        "mutation($g: ID!, $p: JSON!) { createNode(label: PERSON, id: $g, properties: $p) { id } }",
        {"g": "$g", "p": {"name": "$g", "aliases": ["$g"], "birth_year": "$g", "$g": 1}},
    ),
    Probe(
        "addClaim",
        "mutation($i: ClaimInput!) { addClaim(input: $i) { id } }",
        {"i": {"type": "VICTIM", "from": "$g", "to": "$g", "evidence": ["$g"]}},
    ),
    Probe(
        "retractClaim",
        "mutation($g: ID!) { retractClaim(id: $g, reason: $g) { id } }",
        {"g": "$g"},
    ),
    Probe(
        "attachEvidence",
        "mutation($g: ID!) { attachEvidence(claimId: $g, evidenceIds: [$g]) { id } }",
        {"g": "$g"},
    ),
    Probe(
        "recordCustody",
        'mutation($g: ID!, $s: String) { recordCustody(evidenceId: $g, action: "transferred",'
        " fromParty: $s, note: $s) { id } }",
        {"g": "$g", "s": "$g"},
    ),
    Probe(
        "addToCase",
        "mutation($g: ID!) { addToCase(caseId: $g, ids: [$g]) { added } }",
        {"g": "$g"},
    ),
    Probe(
        "addTraceToCase",
        "mutation($g: ID!) { addTraceToCase(caseId: $g, incidentId: $g) { added } }",
        {"g": "$g"},
    ),
    Probe(
        "removeFromCase",
        "mutation($g: ID!) { removeFromCase(caseId: $g, ids: [$g], reason: $g) { removed } }",
        {"g": "$g"},
    ),
    Probe(
        "startExport",
        "mutation($g: ID!) { startExport(profile: PARTNER, caseId: $g) { id } }",
        {"g": "$g"},
    ),
    Probe(
        "reviewMention",
        "mutation($g: ID!, $f: String!) { reviewMention(personId: $g, form: $f, accept: true) }",
        {"g": "$g", "f": "$g"},
    ),
    Probe(
        "mergePersons",
        "mutation($g: ID!, $d: ID!) "
        "{ mergePersons(keepId: $g, dropId: $d, reason: $g) { mergeId } }",
        {"g": "$g", "d": "$g 2"},
    ),
    Probe(
        "unmergePersons",
        "mutation($g: ID!) { unmergePersons(mergeId: $g) { mergeId } }",
        {"g": "$g"},
    ),
]

#: Queries whose text carries the guess: syntax errors, unknown fields, inline values.
INLINE = [
    '{ "$g" }',
    '{ node(id: "$g") { nope } }',
    '{ node(id: "$g") { id } }',
    '{ persons(filter: {search: "$g"}) { totalCount } }',
    'query { trace(incidentId: "$g") { truncated } ',
]


def _fill(value: Any, guess: str) -> Any:
    if isinstance(value, str):
        return value.replace("$g", guess)
    if isinstance(value, list):
        return [_fill(v, guess) for v in value]
    if isinstance(value, dict):
        return {_fill(k, guess): _fill(v, guess) for k, v in value.items()}
    return value


def _normalise(text: str, guess: str) -> str:
    # The guess may come back as the caller sent it, raw or JSON-escaped: both are their
    # own input. Anything else derived from it (a pseudonym, a part) stays and differs.
    for form in sorted({guess, json.dumps(guess)[1:-1]}, key=len, reverse=True):
        text = text.replace(form, MARK)
    return text


@pytest_asyncio.fixture(scope="module")
async def protected_witness(services: Services) -> str:
    """A protected person named in free text, a victim of an incident at a facility."""
    run = (await services.nodes.create(NodeLabel.CASE, {"title": "Oracle case"}, SYSTEM)).id
    pid = f"{run}-witness"
    await services.nodes.create(
        NodeLabel.PERSON,
        {
            "name": NAME,
            "aliases": [ALIAS, ARABIC],
            "protected": True,
            "pseudonym": "Witness Q-4",
            "birth_year": 1984,
        },
        SYSTEM,
        node_id=pid,
    )
    await services.nodes.create(
        NodeLabel.FACILITY, {"name": "Oracle Branch", "kind": "branch"}, SYSTEM, node_id=f"{run}-f"
    )
    await services.nodes.create(
        NodeLabel.INCIDENT,
        {
            "kind": "torture",
            "start_date": "2013-02-01",
            "description": f"{NAME} described the room; Ms Qutaybi ({ARABIC}) was held there.",
        },
        SYSTEM,
        node_id=f"{run}-i",
    )
    await services.nodes.create(
        NodeLabel.EVIDENCE,
        {"kind": "testimony", "title": f"Statement of {NAME}", "classification": "public"},
        SYSTEM,
        node_id=f"{run}-e",
    )
    for claim in (
        {"type": "VICTIM", "from": f"{run}-i", "to": pid, "evidence": [f"{run}-e"]},
        {"type": "OCCURRED_AT", "from": f"{run}-i", "to": f"{run}-f", "evidence": [f"{run}-e"]},
    ):
        await services.claims.add(claim, SYSTEM)
    await services.cases.add(SYSTEM, run, [pid, f"{run}-i"])
    await services.masks.settle()
    return pid


async def _answer(client: httpx.AsyncClient, token: str, query: str, variables: Any) -> str:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    return f"{response.status_code} {response.text}"


async def _get(client: httpx.AsyncClient, token: str, query: str) -> str:
    response = await client.get(
        "/graphql?" + urllib.parse.urlencode({"query": query}),
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    return f"{response.status_code} {response.text}"


async def _answers(client: httpx.AsyncClient, token: str, guess: str) -> dict[str, tuple[str, str]]:
    """Every probe's answer to one guess: (as received, normalised)."""
    out: dict[str, tuple[str, str]] = {}
    for probe in PROBES:
        raw = await _answer(client, token, probe.query, _fill(probe.variables, guess))
        out[probe.name] = (raw, _normalise(raw, guess))
    for i, template in enumerate(INLINE):
        query = template.replace("$g", guess)
        raw = await _answer(client, token, query, {})
        out[f"inline {i}: {template}"] = (raw, _normalise(raw, guess))
        raw = await _get(client, token, query)
        out[f"GET {i}: {template}"] = (raw, _normalise(raw, guess))
    return out


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR])
async def test_a_guessed_name_is_answered_like_an_unknown_one(
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    protected_witness: str,
    role: Role,
) -> None:
    token = tokens[role]
    differences = []
    leaks = []
    forms = {NAME, "Wardah", "Qutaybi", ARABIC, "قتيبي", ALIAS, "Saher"}
    for guess, control in PAIRS:
        guessed = await _answers(client, token, guess)
        controlled = await _answers(client, token, control)
        for name, (raw, normalised) in guessed.items():
            if normalised != controlled[name][1]:
                differences.append(f"{name} [{guess}]:\n  {normalised}\n  {controlled[name][1]}")
            # Beyond the caller's own input, no form of the name comes back.
            rest = raw.replace(guess, "").replace(json.dumps(guess)[1:-1], "")
            leaks += [f"{name} [{guess}] carries {f!r}" for f in forms if f in rest]
    assert not differences, "\n".join(differences[:10])
    assert not leaks, "\n".join(leaks[:10])


async def test_the_oracle_reaches_the_protected_data(
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    protected_witness: str,
) -> None:
    """The same probes do find her for a cleared role, so the test is not vacuous."""
    query = (
        "query($f: NodeFilterInput) { persons(filter: $f) { totalCount edges { node { name } } } }"
    )
    for guess in ("Qutaybi", ARABIC, "Umm Saher"):
        cleared = await _answer(client, tokens[Role.PROSECUTOR], query, {"f": {"search": guess}})
        assert NAME in cleared, (guess, cleared)
    answer = await _answer(
        client,
        tokens[Role.ANALYST],
        "query($g: ID!) { person(id: $g) { name } }",
        {"g": protected_witness},
    )
    assert "Witness Q-4" in answer and "Qutaybi" not in answer


#: The incident's stored text, and a control of the same length that names nobody.
TEXT = f"{NAME} described the room; Ms Qutaybi ({ARABIC}) was held there."
TEXT_CONTROL = "Zenobe Vraskil described the room; Ms Vraskil (زنوبة فراس) was held there."
assert len(TEXT) == len(TEXT_CONTROL)
#: The witness as stored, field for field: a writer who sends exactly this has guessed.
WITNESS = {
    "name": NAME,
    "aliases": [ALIAS, ARABIC],
    "protected": True,
    "pseudonym": "Witness Q-4",
    "birth_year": 1984,
}
WITNESS_CONTROL = {
    **WITNESS,
    "name": "Zenobe Vraskil",
    "aliases": ["Umm Sahir Vraskil", "زنوبة فراس"],
}
UPDATE_NODE = "mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p) { id } }"


async def test_writing_back_a_guessed_original_is_answered_like_a_control(
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    services: Services,
    protected_witness: str,
) -> None:
    """An investigator may write, but is shown the witness by pseudonym and the incident's
    text masked. Sending the stored original back (a right guess) must be refused exactly
    as a control is: a write that "changes nothing" and so went through would confirm
    the guess. Through updateNode and through the import of a file."""
    run = protected_witness.removesuffix("-witness")
    token = tokens[Role.INVESTIGATOR]
    for target, guess, control in (
        (protected_witness, {"name": NAME}, {"name": "Zenobe Vraskil"}),
        (protected_witness, WITNESS, WITNESS_CONTROL),
        (f"{run}-i", {"description": TEXT}, {"description": TEXT_CONTROL}),
    ):
        guessed = await _answer(client, token, UPDATE_NODE, {"id": target, "p": guess})
        controlled = await _answer(client, token, UPDATE_NODE, {"id": target, "p": control})
        assert guessed.startswith("200 ") and '"FORBIDDEN"' in guessed, guessed
        assert guessed == controlled, (guessed, controlled)

    viewer = await services.tokens.authenticate(token)
    assert viewer is not None

    async def refusal(label: str, node_id: str, props: dict[str, Any]) -> str:
        document = {
            "format": "accountability-graph",
            "version": 1,
            "nodes": [{"id": node_id, "label": label, "properties": props}],
            "claims": [],
        }
        try:
            await services.interchange.import_document(viewer, document)
        except Exception as exc:  # the refusal, as the command line prints it
            return f"{type(exc).__name__} {exc} {getattr(exc, 'extensions', dict)()}"
        return "written"

    incident = {"kind": "torture", "start_date": "2013-02-01"}
    for label, node_id, guess, control in (
        ("Person", protected_witness, WITNESS, WITNESS_CONTROL),
        (
            "Incident",
            f"{run}-i",
            {**incident, "description": TEXT},
            {**incident, "description": TEXT_CONTROL},
        ),
    ):
        guessed, controlled = (
            await refusal(label, node_id, guess),
            await refusal(label, node_id, control),
        )
        assert guessed.startswith("Forbidden "), guessed
        assert guessed == controlled, (guessed, controlled)
        assert not any(f in guessed for f in (NAME, "Qutaybi", ARABIC, ALIAS)), guessed
    stored = await services.nodes.get_stored([protected_witness, f"{run}-i"])
    assert stored[protected_witness].properties["name"] == NAME
    assert stored[f"{run}-i"].properties["description"] == TEXT
