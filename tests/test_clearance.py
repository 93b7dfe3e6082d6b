"""Clearance to change protection, for every role and every change that could lift one.

Setting or clearing a person's ``protected`` flag, changing a pseudonym, changing any
property of a protected person, changing an evidence item's classification, and
changing any property of evidence that is not public need clearance (prosecutor or
admin; a prosecutor may make these changes and no other). Investigators may create
protected persons and confidential or protected evidence, and add claims about them,
but never lift a protection nor read one back.
Every such change is audited with the old and new class, never the values.

Each change is tried through ``updateNode`` (GraphQL, with each role's token) and
through the import of an interchange document that upserts it (the service the
``accountability --token … import`` command calls; import has no GraphQL mutation or
HTTP route). A refusal is checked for its code and place, for leaving the graph and
the audit log as they were, and for echoing no stored value; an allowed change for
having happened and for its audit entry.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from accountability.cli import app as cli_app
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import AccountabilityError, Forbidden
from accountability.services import cursors
from accountability.services.container import Services
from accountability.settings import Settings
from tests.conftest import GQL, make_gql

#: Roles that may change protection. A prosecutor, who otherwise does not write, may
#: make exactly these changes (services/nodes.py, NodeService.update).
CLEARED = (Role.PROSECUTOR, Role.ADMIN)
#: Roles refused any write, before clearance is even considered.
READ_ONLY = (Role.VIEWER, Role.ANALYST)
CLEARANCE_REFUSAL = "needs clearance (prosecutor or admin)"
CLEARANCE_REFUSAL_PERSON = "changing a protected person needs clearance (prosecutor or admin)"
CLEARANCE_REFUSAL_EVIDENCE = (
    "changing evidence that is not public needs clearance (prosecutor or admin)"
)
#: Letters only: the masker finds name parts, and digits would make parts that collide
#: with other tests' names (see tests/test_leaks.py).
_LETTERS_ONLY = str.maketrans("0123456789abcdef", "ghijklmnopqrstuv")

UPDATE = """
mutation($id: ID!, $p: JSON!) {
  updateNode(id: $id, properties: $p) {
    id
    ... on Person { name aliases birthYear protected pseudonym }
    ... on Evidence { title source classification }
  }
}"""
CREATE = """
mutation($label: NodeLabel!, $id: ID!, $p: JSON!) {
  createNode(label: $label, id: $id, properties: $p) {
    id
    ... on Person { name aliases birthYear protected pseudonym }
    ... on Evidence { title source classification }
  }
}"""
ADD_CLAIM = """
mutation($input: ClaimInput!) {
  addClaim(input: $input) {
    id type
    from { id ... on Person { name aliases } ... on Incident { title description } }
    to { id ... on Person { name aliases } ... on Incident { title description } }
    evidence { id title source classification }
    evidenceIds
  }
}"""
AUDIT_LOG = """
query($after: String) {
  auditLog(first: 500, after: $after) {
    edges { node { seq actor role action targets summary } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@dataclass(frozen=True)
class Change:
    """One change of protection: the node as stored before, and the change asked for."""

    label: NodeLabel
    before: dict[str, Any]
    patch: dict[str, Any]
    #: What the audit entry of the change must say of the protection class.
    recorded: tuple[str, ...]
    #: Values of the change itself (new names, pseudonyms) the audit must not hold.
    new_values: tuple[str, ...] = field(default=())

    def after(self, stored: dict[str, Any] | None = None) -> dict[str, Any]:
        """The node once changed (from what is stored, defaults included, when given)."""
        props = {**(self.before if stored is None else stored), **self.patch}
        return {k: v for k, v in props.items() if v is not None}

    def stored_values(self) -> set[str]:
        """What the node holds that no refusal may echo (pseudonyms are public)."""
        out: set[str] = set()
        for key in ("name", "title", "source"):
            if key in self.before:
                out.add(self.before[key])
        out.update(self.before.get("aliases", []))
        return out

    def all_values(self) -> set[str]:
        """Every value before and after: none of them belongs in the audit log."""
        out = self.stored_values() | set(self.new_values)
        for props in (self.before, self.patch):
            if props.get("pseudonym"):
                out.add(props["pseudonym"])
            if props.get("birth_year"):
                out.add(str(props["birth_year"]))
            out.update(props.get("aliases") or [])
            for key in ("name", "title", "source"):
                if props.get(key):
                    out.add(props[key])
        return out


def _person(tag: str, protected: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": f"Realname{tag}",
        "aliases": [f"Realalias{tag}"],
        "birth_year": 1937,
        "status": "detained",
    }
    if protected:
        props |= {"protected": True, "pseudonym": "Witness Q-1"}
    return props


def _evidence(tag: str, classification: str) -> dict[str, Any]:
    return {
        "kind": "testimony",
        "title": f"Evtitle{tag}",
        "source": f"Evsource{tag}",
        "classification": classification,
    }


def _changes(tag: str) -> dict[str, Change]:
    person, evidence = NodeLabel.PERSON, NodeLabel.EVIDENCE
    unprotected, protected = _person(tag, False), _person(tag, True)
    return {
        "set protected": Change(
            person,
            unprotected,
            {"protected": True, "pseudonym": "Witness Q-2"},
            ("protected false -> true", "pseudonym changed"),
        ),
        "set a pseudonym on an unprotected person": Change(
            person, unprotected, {"pseudonym": "Witness Q-3"}, ("pseudonym changed",)
        ),
        "clear protected": Change(
            person, protected, {"protected": False}, ("protected true -> false",)
        ),
        "clear protected and pseudonym": Change(
            person,
            protected,
            {"protected": False, "pseudonym": None},
            ("protected true -> false", "pseudonym changed"),
        ),
        "change pseudonym": Change(
            person, protected, {"pseudonym": "Witness Q-4"}, ("pseudonym changed",)
        ),
        "rename a protected person": Change(
            person,
            protected,
            {"name": f"Newname{tag}"},
            ("protected",),
            (f"Newname{tag}",),
        ),
        "change aliases of a protected person": Change(
            person,
            protected,
            {"aliases": [f"Newalias{tag}"]},
            ("protected",),
            (f"Newalias{tag}",),
        ),
        "change birth year of a protected person": Change(
            person, protected, {"birth_year": 1980}, ("protected",), ("1980",)
        ),
        "evidence public -> confidential": Change(
            evidence,
            _evidence(tag, "public"),
            {"classification": "confidential"},
            ("classification public -> confidential",),
        ),
        "evidence public -> protected": Change(
            evidence,
            _evidence(tag, "public"),
            {"classification": "protected"},
            ("classification public -> protected",),
        ),
        "evidence confidential -> public": Change(
            evidence,
            _evidence(tag, "confidential"),
            {"classification": "public"},
            ("classification confidential -> public",),
        ),
        "evidence protected -> public": Change(
            evidence,
            _evidence(tag, "protected"),
            {"classification": "public"},
            ("classification protected -> public",),
        ),
        "title of confidential evidence": Change(
            evidence,
            _evidence(tag, "confidential"),
            {"title": f"Newtitle{tag}"},
            ("confidential",),
            (f"Newtitle{tag}",),
        ),
        "source of confidential evidence": Change(
            evidence,
            _evidence(tag, "confidential"),
            {"source": f"Newsource{tag}"},
            ("confidential",),
            (f"Newsource{tag}",),
        ),
        "title of protected evidence": Change(
            evidence,
            _evidence(tag, "protected"),
            {"title": f"Newtitle{tag}"},
            ("protected",),
            (f"Newtitle{tag}",),
        ),
        "source of protected evidence": Change(
            evidence,
            _evidence(tag, "protected"),
            {"source": f"Newsource{tag}"},
            ("protected",),
            (f"Newsource{tag}",),
        ),
    }


CHANGES = list(_changes("x"))


def _tag(uid: Callable[[str], str]) -> str:
    return uid("")[1:9].translate(_LETTERS_ONLY)


async def _stored(services: Services, node_id: str) -> dict[str, Any] | None:
    found = await services.nodes.get_stored([node_id])
    return dict(found[node_id].properties) if node_id in found else None


async def _audit_since(admin: GQL, seq: int, target: str) -> list[dict[str, Any]]:
    """The audit entries after ``seq`` that name ``target``, read back as an admin."""
    after = cursors.encode(str(seq)) if seq else None
    entries: list[dict[str, Any]] = []
    while True:
        body = await admin(AUDIT_LOG, after=after)
        assert "errors" not in body, body
        page = body["data"]["auditLog"]
        entries += [e["node"] for e in page["edges"] if target in e["node"]["targets"]]
        if not page["pageInfo"]["hasNextPage"]:
            return entries
        after = page["pageInfo"]["endCursor"]


def _writes(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries of writes (not the reads of protected records a cleared reply logs)."""
    return [e for e in entries if e["action"] != "read_protected"]


def _assert_recorded(entry: dict[str, Any], change: Change, role: Role) -> None:
    assert entry["role"] == role.value
    summary = entry["summary"]
    for words in change.recorded:
        assert re.search(rf"\b{re.escape(words)}\b", summary), (
            f"the audit entry {summary!r} does not record {words!r}"
        )
    leaked = {v for v in change.all_values() if v in summary}
    assert not leaked, f"the audit entry holds values: {leaked} in {summary!r}"


def _refusal_message(role: Role) -> str:
    if role in READ_ONLY:
        return f"the {role.value} role cannot change the graph"
    return CLEARANCE_REFUSAL


# --- updateNode, through GraphQL ------------------------------------------------------


@pytest.mark.parametrize("change_name", CHANGES)
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
async def test_update_node_needs_clearance(
    role: Role,
    change_name: str,
    services: Services,
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    uid: Callable[[str], str],
) -> None:
    change = _changes(_tag(uid))[change_name]
    node_id = uid("n")
    await services.nodes.create(change.label, change.before, SYSTEM, node_id)
    before = await _stored(services, node_id)
    assert before is not None
    seq, _ = await services.audit.head()

    body = await make_gql(client, tokens[role])(UPDATE, id=node_id, p=change.patch)

    stored = await _stored(services, node_id)
    entries = _writes(await _audit_since(make_gql(client, tokens[Role.ADMIN]), seq, node_id))
    if role in CLEARED:
        assert "errors" not in body, body
        assert stored == change.after(before)
        assert [e["action"] for e in entries] == ["update_node"], entries
        _assert_recorded(entries[0], change, role)
    else:
        assert body["data"] is None, body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN", error
        assert error["path"] == ["updateNode"], error
        assert _refusal_message(role) in error["message"], error
        assert stored == before, "a refused change was written"
        assert entries == [], "a refused change was audited as done"
        text = json.dumps(body, ensure_ascii=False)
        assert not {v for v in change.stored_values() if v in text}, text


async def test_writing_back_what_is_stored_needs_no_clearance(
    services: Services, gql: GQL, uid: Callable[[str], str]
) -> None:
    """An investigator's update that writes back what is stored goes through, and so
    does one that changes a public item without changing its classification."""
    tag = _tag(uid)
    person, evidence, public = uid("p"), uid("e"), uid("pub")
    await services.nodes.create(NodeLabel.PERSON, _person(tag, True), SYSTEM, person)
    await services.nodes.create(NodeLabel.EVIDENCE, _evidence(tag, "protected"), SYSTEM, evidence)
    await services.nodes.create(NodeLabel.EVIDENCE, _evidence(tag, "public"), SYSTEM, public)
    for node_id, patch in (
        (person, {"protected": True, "pseudonym": "Witness Q-1"}),
        (evidence, {"classification": "protected"}),
        (public, {"title": f"Othertitle{tag}", "classification": "public"}),
    ):
        body = await gql(UPDATE, id=node_id, p=patch)
        assert "errors" not in body, body
        assert f"Realname{tag}" not in json.dumps(body)
        assert f"Evtitle{tag}" not in json.dumps(body)
    assert (await _stored(services, person)) == _person(tag, True)
    stored_public = await _stored(services, public)
    assert stored_public is not None and stored_public["title"] == f"Othertitle{tag}"


async def test_a_prosecutor_changes_protection_and_nothing_else(
    services: Services, gql_as: Callable[[Role], GQL], uid: Callable[[str], str]
) -> None:
    """A prosecutor does not write: what needs no clearance is refused to them."""
    tag = _tag(uid)
    person, evidence = uid("p"), uid("e")
    await services.nodes.create(NodeLabel.PERSON, _person(tag, False), SYSTEM, person)
    await services.nodes.create(NodeLabel.EVIDENCE, _evidence(tag, "public"), SYSTEM, evidence)
    before = {n: await _stored(services, n) for n in (person, evidence)}
    prosecutor = gql_as(Role.PROSECUTOR)
    for node_id, patch in (
        (person, {"status": "released"}),
        (person, {"name": f"Othername{tag}"}),
        (evidence, {"title": f"Othertitle{tag}"}),
        (evidence, {"classification": "public"}),  # writing back is no change of protection
    ):
        body = await prosecutor(UPDATE, id=node_id, p=patch)
        [error] = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN", (patch, error)
        assert error["path"] == ["updateNode"]
        assert "the prosecutor role cannot change the graph" in error["message"]
    body = await prosecutor(CREATE, label="PERSON", id=uid("new"), p=_person(tag, True))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert {n: await _stored(services, n) for n in (person, evidence)} == before
    assert await _stored(services, uid("new")) is None


# --- import, through the interchange service as each token's holder ---------------------


def _document(*nodes: tuple[str, NodeLabel, dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "accountability-graph",
        "version": 1,
        "nodes": [
            {"id": node_id, "label": label.value, "properties": props}
            for node_id, label, props in nodes
        ],
        "claims": [],
    }


async def _holder(services: Services, token: str) -> Viewer:
    """The viewer ``accountability --token TOKEN import`` acts as."""
    viewer = await services.tokens.authenticate(token)
    assert viewer is not None
    return viewer


async def _import(
    services: Services, viewer: Viewer, document: dict[str, Any]
) -> AccountabilityError | None:
    """The refusal of an import, or None when it was written."""
    try:
        await services.interchange.import_document(viewer, document)
    except AccountabilityError as exc:
        return exc
    return None


@pytest.mark.parametrize("change_name", CHANGES)
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
async def test_import_needs_clearance(
    role: Role,
    change_name: str,
    services: Services,
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    uid: Callable[[str], str],
) -> None:
    change = _changes(_tag(uid))[change_name]
    node_id = uid("n")
    await services.nodes.create(change.label, change.before, SYSTEM, node_id)
    before = await _stored(services, node_id)
    assert before is not None
    seq, _ = await services.audit.head()
    viewer = await _holder(services, tokens[role])

    refusal = await _import(services, viewer, _document((node_id, change.label, change.after())))

    stored = await _stored(services, node_id)
    entries = _writes(await _audit_since(make_gql(client, tokens[Role.ADMIN]), seq, node_id))
    # Files are written by writers: a prosecutor changes protection record by record.
    if role is Role.ADMIN:
        assert refusal is None, refusal
        assert stored == change.after(before)
        assert [e["action"] for e in entries] == ["import"], entries
        _assert_recorded(entries[0], change, role)
    else:
        assert isinstance(refusal, Forbidden), refusal
        extensions = refusal.extensions()
        assert extensions["code"] == "FORBIDDEN"
        expected = (
            "the prosecutor role cannot change the graph"
            if role is Role.PROSECUTOR
            else _refusal_message(role)
        )
        assert expected in refusal.message
        if role is Role.INVESTIGATOR:  # the record that needs clearance, by position
            assert refusal.message.startswith("nodes[0]: "), refusal.message
            assert extensions["problems"] == [
                {"where": "nodes[0]", "message": refusal.message.removeprefix("nodes[0]: ")}
            ], extensions
        assert stored == before, "a refused import changed the node"
        assert entries == [], "a refused import was audited as done"
        text = json.dumps({"message": refusal.message, **extensions}, ensure_ascii=False)
        assert not {v for v in change.stored_values() if v in text}, text


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.PROSECUTOR], ids=lambda r: str(r.value))
async def test_a_refused_import_writes_no_part_of_the_document(
    role: Role,
    services: Services,
    client: httpx.AsyncClient,
    tokens: dict[Role, str],
    uid: Callable[[str], str],
) -> None:
    """A new unit, then a protection lifted: an investigator may write the first but not
    the second; a prosecutor the second but not the first. Neither gets either."""
    change = _changes(_tag(uid))["clear protected"]
    node_id, unit_id = uid("n"), uid("u")
    await services.nodes.create(change.label, change.before, SYSTEM, node_id)
    before = await _stored(services, node_id)
    seq, _ = await services.audit.head()
    document = _document(
        (unit_id, NodeLabel.UNIT, {"name": "Fictional Import Unit"}),
        (node_id, change.label, change.after()),
    )

    refusal = await _import(services, await _holder(services, tokens[role]), document)

    assert isinstance(refusal, Forbidden), refusal
    if role is Role.INVESTIGATOR:
        assert refusal.message.startswith("nodes[1]: ") and CLEARANCE_REFUSAL in refusal.message
        assert [p.where for p in refusal.problems] == ["nodes[1]"]
    else:
        assert "the prosecutor role cannot change the graph" in refusal.message, refusal
    assert await _stored(services, node_id) == before
    assert await _stored(services, unit_id) is None
    admin = make_gql(client, tokens[Role.ADMIN])
    assert _writes(await _audit_since(admin, seq, node_id)) == []
    assert _writes(await _audit_since(admin, seq, unit_id)) == []


# --- the import command, as the token's holder ---------------------------------------

Cli = Callable[..., Awaitable[Result]]


@pytest.fixture(scope="module")
def cli(settings: Settings) -> Cli:
    """``accountability --token TOKEN ARGS`` against the session's engine (it attaches)."""
    env: dict[str, str | None] = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
        "ACCOUNTABILITY_DB_USER": settings.db_user,
        "ACCOUNTABILITY_DB_PASSWORD": settings.db_password.get_secret_value(),
        "ACCOUNTABILITY_DB_NAME": settings.db_name,
        "COLUMNS": "250",
    }
    runner = CliRunner()

    async def run(*args: str, token: str | None) -> Result:
        argv = [*(["--token", token] if token else []), *args]
        return await asyncio.to_thread(lambda: runner.invoke(cli_app, argv, env=env))

    return run


@pytest.mark.parametrize(
    "role",
    [Role.ANALYST, Role.INVESTIGATOR, Role.ADMIN, None],
    ids=["analyst", "investigator", "admin", "operator without a token"],
)
async def test_import_command_needs_clearance(
    role: Role | None,
    cli: Cli,
    services: Services,
    tokens: dict[Role, str],
    uid: Callable[[str], str],
    tmp_path: Path,
) -> None:
    change = _changes(_tag(uid))["clear protected"]
    node_id = uid("n")
    await services.nodes.create(change.label, change.before, SYSTEM, node_id)
    before = await _stored(services, node_id)
    assert before is not None
    path = tmp_path / "change.json"
    document = _document((node_id, change.label, change.after()))
    path.write_text(json.dumps(document), encoding="utf-8")

    # Without a token the command acts as the operator: an admin who may import, but
    # is not cleared, so may no more lift a protection than an investigator.
    result = await cli("import", str(path), token=tokens[role] if role else None)

    stored = await _stored(services, node_id)
    if role in CLEARED:
        assert result.exit_code == 0, result.output
        assert stored == change.after(before)
    else:
        assert result.exit_code == 1, result.output
        assert _refusal_message(role or Role.INVESTIGATOR) in result.output
        assert stored == before
        assert not {v for v in change.stored_values() if v in result.output}, result.output


# --- what an investigator may do ------------------------------------------------------


async def test_investigator_creates_protected_records_and_claims_about_them(
    services: Services,
    gql: GQL,
    gql_as: Callable[[Role], GQL],
    uid: Callable[[str], str],
) -> None:
    tag = _tag(uid)
    person, incident = uid("w"), uid("i")
    evidence = {c: uid(f"e{c}") for c in ("confidential", "protected")}
    seq, _ = await services.audit.head()

    body = await gql(CREATE, label="PERSON", id=person, p=_person(tag, True))
    assert "errors" not in body, body
    # The writer is not cleared: the reply shows what they may read, not what they wrote.
    assert body["data"]["createNode"] == {
        "id": person,
        "name": "Witness Q-1",
        "aliases": [],
        "birthYear": None,
        "protected": True,
        "pseudonym": "Witness Q-1",
    }
    # Confidential evidence is readable by every role but the viewer; protected is not.
    props = {
        "confidential": {
            **_evidence(tag, "confidential"),
            "title": f"Conftitle{tag}",
            "source": f"Confsource{tag}",
        },
        "protected": _evidence(tag, "protected"),
    }
    for classification, eid in evidence.items():
        body = await gql(CREATE, label="EVIDENCE", id=eid, p=props[classification])
        assert "errors" not in body, body
        created = body["data"]["createNode"]
        assert created["classification"] == classification.upper()
        if classification == "protected":
            assert f"Evtitle{tag}" not in json.dumps(body) and f"Evsource{tag}" not in json.dumps(
                body
            ), body
    body = await gql(
        CREATE,
        label="INCIDENT",
        id=incident,
        p={"kind": "torture", "title": f"Beating of realname{tag}", "start_date": "2013-05-01"},
    )
    assert "errors" not in body, body
    assert f"realname{tag}".lower() not in json.dumps(body).lower(), body

    claims = []
    for claim_type, source, target in (
        ("VICTIM", incident, person),
        ("PERPETRATED", person, incident),
    ):
        body = await gql(
            ADD_CLAIM,
            input={
                "type": claim_type,
                "from": source,
                "to": target,
                "evidence": list(evidence.values()),
                "confidence": "HIGH",
            },
        )
        assert "errors" not in body, body
        claims.append(body["data"]["addClaim"]["id"])
        text = json.dumps(body, ensure_ascii=False).lower()
        for secret in (f"Realname{tag}", f"Realalias{tag}", f"Evtitle{tag}", f"Evsource{tag}"):
            assert secret.lower() not in text, (secret, body)
        assert set(body["data"]["addClaim"]["evidenceIds"]) == set(evidence.values())
        assert f"conftitle{tag}" in text  # the confidential item is there, the other masked

    # Written as given, and readable by the cleared.
    assert await _stored(services, person) == _person(tag, True)
    for classification, eid in evidence.items():
        assert await _stored(services, eid) == props[classification]
    read = await gql_as(Role.PROSECUTOR)(
        "query($id: ID!) { person(id: $id) { name aliases birthYear } }", id=person
    )
    assert read["data"]["person"] == {
        "name": f"Realname{tag}",
        "aliases": [f"Realalias{tag}"],
        "birthYear": 1937,
    }
    for claim_id in claims:
        stored_claim = await services.claims.get(claim_id, SYSTEM)
        assert set(stored_claim.evidence) == set(evidence.values())

    # Audited as created, with the class and without the values.
    admin = gql_as(Role.ADMIN)
    summaries: dict[str, list[str]] = {}
    for target in (person, *evidence.values(), *claims):
        summaries[target] = [e["summary"] for e in _writes(await _audit_since(admin, seq, target))]
    assert summaries[person][0] == "created a Person (protected)", summaries
    for classification, eid in evidence.items():
        assert summaries[eid][0] == f"created a Evidence (classification {classification})"
    for claim_id in claims:
        assert len(summaries[claim_id]) == 1 and "claim" in summaries[claim_id][0]
    text = json.dumps(summaries, ensure_ascii=False).lower()
    for secret in (f"Realname{tag}", f"Realalias{tag}", f"Evtitle{tag}", f"Evsource{tag}"):
        assert secret.lower() not in text


async def test_investigator_imports_protected_records_and_claims_about_them(
    services: Services, tokens: dict[Role, str], uid: Callable[[str], str]
) -> None:
    tag = _tag(uid)
    person, incident, eid, claim = uid("w"), uid("i"), uid("e"), uid("c")
    document = {
        "format": "accountability-graph",
        "version": 1,
        "nodes": [
            {"id": person, "label": "Person", "properties": _person(tag, True)},
            {"id": eid, "label": "Evidence", "properties": _evidence(tag, "protected")},
            {"id": incident, "label": "Incident", "properties": {"kind": "torture"}},
        ],
        "claims": [
            {"id": claim, "type": "VICTIM", "from": incident, "to": person, "evidence": [eid]}
        ],
    }
    investigator = await _holder(services, tokens[Role.INVESTIGATOR])
    report = await services.interchange.import_document(investigator, document)
    assert (report.nodes, report.claims) == (3, 1)
    assert await _stored(services, person) == _person(tag, True)
    assert await _stored(services, eid) == _evidence(tag, "protected")
    # The same document again would change nothing; but accepting it, while another
    # spelling is refused, would confirm a guessed name. Both are refused alike.
    again = await _import(services, investigator, document)
    guessed = json.loads(json.dumps(document))
    guessed["nodes"][0]["properties"]["name"] = f"Othrname{tag}"  # as long as the real one
    control = await _import(services, investigator, guessed)
    assert isinstance(again, Forbidden) and isinstance(control, Forbidden), (again, control)
    assert (again.message, again.extensions()) == (control.message, control.extensions())
    assert again.extensions()["problems"] == [
        {"where": "nodes[0]", "message": CLEARANCE_REFUSAL_PERSON},
        {"where": "nodes[1]", "message": CLEARANCE_REFUSAL_EVIDENCE},
    ]
    # The records as the investigator is shown them change nothing, and are taken.
    shown = await services.nodes.get_many([person, eid], investigator)
    as_shown = json.loads(json.dumps(document))
    for node in as_shown["nodes"][:2]:
        node["properties"] = {
            k: v for k, v in shown[node["id"]].properties.items() if v not in (None, [])
        }
    assert as_shown["nodes"][0]["properties"]["name"] == "Witness Q-1"
    await services.interchange.import_document(investigator, as_shown)
    assert await _stored(services, person) == _person(tag, True)
    assert await _stored(services, eid) == _evidence(tag, "protected")
