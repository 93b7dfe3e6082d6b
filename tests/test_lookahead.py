"""Look-ahead reads (docs/design.md, "Look-ahead reads") serve exactly what the separate
reads serve: for every role, on the demo case (protected witnesses and victims, evidence of
every classification, a retracted claim), the same nodes, renditions and pseudonyms, the
same claims (a viewer's without those resting on evidence they may not see), the same
pages and cursors that work on either path, the same errors, the same audit of protected
reads — in fewer statements."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from neo4j.time import Date

from accountability.app import create_app
from accountability.demo import demo_document
from accountability.domain.redaction import SYSTEM, Role
from accountability.graph import database as database_module
from accountability.graph import values
from accountability.graph.catalog import PROJECTED_READS, Q
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings

READERS = (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR, Role.PROSECUTOR)
DOC = demo_document()
IDS = [n["id"] for n in DOC["nodes"]]
PROTECTED = [n["id"] for n in DOC["nodes"] if n["properties"].get("protected")]
LABELS = sorted({n["label"] for n in DOC["nodes"]})
HUB = "f-1"  # the facility with the most claims

NODE = """
fragment N on Node { __typename id label createdAt updatedAt
  ... on Person { name aliases birthYear gender nationality status protected pseudonym }
  ... on Unit { name aliases unitKind: kind parentNameHint }
  ... on Facility { name aliases facilityKind: kind location lat lon }
  ... on Incident { kind title startDate endDate description }
  ... on Evidence { evidenceKind: kind evidenceTitle: title sha256 source acquiredAt
                    reliability credibility classification }
  ... on Case { caseTitle: title jurisdiction caseStatus: status } }
"""
CLAIM = """
fragment C on Claim { id type validFrom validTo datePrecision confidence retracted
  retraction { by reason at } properties createdAt updatedAt evidenceIds
  from { id } to { id ... on Person { name pseudonym } }
  evidence { id evidenceTitle: title source classification } }
"""

#: Nodes of one label, all their claims with everything about them, the other ends in
#: full with their own first claims, and claims of other arguments side by side (one
#: statement a level for all of them). One label at a time, so that the other ends are
#: read by the look-ahead, not found among the nodes asked for.
EVERYTHING = (
    NODE
    + CLAIM
    + """
query($ids: [ID!]!) {
  nodes(ids: $ids) { ...N
    claims(includeRetracted: true) {
      edges { cursor direction validFrom validTo datePrecision confidence retracted
        claim { ...C } evidence { ...N }
        node { ...N
          claims(first: 2, direction: OUT) {
            edges { cursor claim { id type } node { id ... on Person { name pseudonym } }
                    evidence { id evidenceTitle: title } }
            pageInfo { hasNextPage endCursor } } } }
      pageInfo { hasNextPage endCursor } }
    standing: claims { edges { claim { id } node { id } } }
    out: claims(direction: OUT, types: [DETAINED_AT, VICTIM, DOCUMENTS], first: 2) {
      edges { node { id } } pageInfo { hasNextPage endCursor } }
    bare: claims(direction: IN) { pageInfo { hasNextPage } } } }
"""
)

#: Lookups by id read the node with its claims (and what those read next) in one
#: statement; of another label than asked, or not served, a node reads no further.
LOOKUP = (
    NODE
    + CLAIM
    + """
query($id: ID!) {
  node(id: $id) { ...N
    claims(includeRetracted: true) {
      edges { cursor direction claim { ...C } evidence { ...N }
        node { ...N claims(first: 2, direction: OUT) { edges { node { id } } } } }
      pageInfo { hasNextPage endCursor } }
    ... on Person { held: claims(types: [DETAINED_AT, MEMBER_OF]) { edges { node { ...N } } } }
    ... on Unit { out: claims(direction: OUT) { edges { node { ...N } } } } }
  person(id: $id) { id name claims(direction: IN) { edges { node { ...N } evidence { id } } } }
  evidence(id: $id) { ... on Node { claims(first: 3) { edges { node { id } }
    pageInfo { hasNextPage } } } }
}
"""
)
#: People (protected among them), a hub, a unit, an incident with a retracted claim's
#: author, evidence of each classification, the case file, and an id nobody has.
LOOKED_UP = [*PROTECTED, "p-003", "f-1", "u-04", "i-001", "e-023", "e-001", "e-008", "case-1"]
LOOKED_UP += ["nobody"]

#: A facility, its detainees and what they suffered: two levels of nesting.
NESTED = """query { facility(id: "f-1") { id
  claims(direction: IN, types: [DETAINED_AT]) { edges { node { ... on Person { name
    claims(direction: IN, types: [VICTIM]) { edges { node { id } evidence { id } } } } } } } } }"""

#: Each label's list, a page at a time, with nested claims (one statement for the page).
LIST = (
    NODE
    + """
query($after: String) {
  persons(first: 7, after: $after) { totalCount
    edges { cursor node { ...N claims(first: 4) { edges { cursor node { ...N }
      claim { evidenceIds } evidence { id title source } } pageInfo { hasNextPage endCursor } } } }
    pageInfo { hasNextPage endCursor } }
  facilities(first: 2) { edges { node { id claims(direction: IN, types: [DETAINED_AT]) {
    edges { node { ... on Person { name pseudonym claims(direction: IN, types: [VICTIM]) {
      edges { node { ...N } } } } } } } } } }
  evidenceItems(first: 30, sort: ID) { edges { node { ...N claims(direction: OUT) {
    edges { node { ...N } } } } } }
}
"""
)

#: Three levels below a lookup: all three come with the node, in one statement.
DEEP = """query($id: ID!) { node(id: $id) { id claims { edges { node { id
  claims(first: 3) { edges { node { id
    claims(first: 2, direction: OUT) { edges { claim { id type } evidence { id }
      node { id ... on Person { name pseudonym } } } pageInfo { hasNextPage } } } } } } } } } }"""

PAGE = """query($id: ID!, $after: String, $first: Int!) { node(id: $id) { id
  claims(first: $first, after: $after, includeRetracted: true) {
    edges { cursor claim { id } node { id ... on Person { name } } }
    pageInfo { hasNextPage endCursor } } } }"""

_CURSOR = re.compile(r'"(cursor|endCursor)":\s*"[^"]*"')


@dataclass
class Demo:
    db: Database
    services: Services
    tokens: dict[Role, str]
    #: The app with look-ahead reads, and the app without.
    clients: dict[bool, httpx.AsyncClient]

    async def ask(self, role: Role, ahead: bool, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.clients[ahead].post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.tokens[role]}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def both(self, role: Role, query: str, **variables: Any) -> tuple[str, str]:
        """The answer of each path, cursors aside (each is encrypted with a fresh IV)."""
        new = await self.ask(role, True, query, **variables)
        old = await self.ask(role, False, query, **variables)
        return masked(new), masked(old)


def masked(body: dict[str, Any]) -> str:
    return _CURSOR.sub('"cursor": "…"', json.dumps(body, ensure_ascii=False, sort_keys=True))


@pytest.fixture(autouse=True)
def projected_rows(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Rows of the reads taken as they come (graph/catalog.py, PROJECTED_READS), checked
    on every such read these tests make: nothing in them needed the walk that turns
    nodes, relationships and paths into maps (a row with one would differ from it)."""
    seen: list[dict[str, Any]] = []

    def checked(record: Any) -> dict[str, Any]:
        row = values.projected_row_of(record)
        assert row == values.row_of(record) == record.data()
        seen.append(row)
        return row

    monkeypatch.setattr(database_module, "projected_row_of", checked)
    return seen


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo(
    settings: Settings, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Demo]:
    """The demo case in an engine of its own (its protected names would otherwise be
    masked in other tests' texts), with one app of each kind over it. On a Neo4j server,
    the session's scratch database."""
    own: Database | None = None
    here = settings
    if settings.db_uri is None:
        # The same cursor key as the session's apps: cursors are keyed process-wide.
        here = settings.model_copy(
            update={
                "data_dir": tmp_path_factory.mktemp("demo"),
                "cursor_key_file": settings.data_dir / "cursor.key",
            }
        )
        own = Database(here)
        await own.open()
    database = own or db
    try:
        services = Services.over(database, here)
        await services.interchange.import_document(SYSTEM, DOC)
        tokens = {
            role: (await services.tokens.create(role, f"look-ahead {role.value}", SYSTEM))[1]
            for role in READERS
        }
        # The battery aliases fields of several node types, in fragments used often. The
        # re-masking sweep waits out the module: its reads would count as the requests'.
        apps = {
            ahead: create_app(
                here.model_copy(
                    update={"look_ahead": ahead, "graphql_max_aliases": 200, "remask_sweep_s": 3600}
                ),
                database=database,
            )
            for ahead in (True, False)
        }
        async with (
            apps[True].router.lifespan_context(apps[True]),
            apps[False].router.lifespan_context(apps[False]),
        ):
            clients = {
                ahead: httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://test"
                )
                for ahead, app in apps.items()
            }
            async with clients[True], clients[False]:
                yield Demo(database, services, tokens, clients)
    finally:
        if own is not None:
            await own.close()


@pytest.mark.parametrize("role", READERS)
async def test_every_node_and_claim_is_served_alike(demo: Demo, role: Role) -> None:
    body = []
    for label in LABELS:
        ids = [n["id"] for n in DOC["nodes"] if n["label"] == label]
        new, old = await demo.both(role, EVERYTHING, ids=ids)
        assert "errors" not in new, new[:500]
        assert new == old
        body += json.loads(new)["data"]["nodes"]
    new = json.dumps(body, ensure_ascii=False)
    people = {n["id"]: n for n in body if n and n["__typename"] == "Person"}
    if role is Role.PROSECUTOR:
        assert all(people[p]["name"] != people[p]["pseudonym"] for p in PROTECTED)
    else:  # served by pseudonym, the real name nowhere
        assert all(people[p]["name"] == people[p]["pseudonym"] for p in PROTECTED)
        real = {n["properties"]["name"] for n in DOC["nodes"] if n["id"] in PROTECTED}
        assert not [name for name in real if name in new]
    # A viewer is served no evidence but public, and no claim resting on other evidence.
    evidence = {n["id"]: n for n in body if n and n["__typename"] == "Evidence"}
    if role is Role.VIEWER:
        assert {e["classification"] for e in evidence.values()} == {"PUBLIC"}
        assert evidence and len(evidence) < len([i for i in IDS if i.startswith("e-")])


@pytest.mark.parametrize("role", READERS)
async def test_lookups_are_served_alike(demo: Demo, role: Role) -> None:
    for node_id in LOOKED_UP:
        new, old = await demo.both(role, LOOKUP, id=node_id)
        assert "errors" not in new, new[:500]
        assert new == old, node_id


@pytest.mark.parametrize("role", READERS)
async def test_three_levels_are_served_alike(demo: Demo, role: Role) -> None:
    for node_id in (HUB, "u-04", "i-001", *PROTECTED):
        new, old = await demo.both(role, DEEP, id=node_id)
        assert "errors" not in new, new[:500]
        assert new == old, node_id
        # Not empty: the third level is there.
        assert node_id != HUB or new.count('"hasNextPage"') > 10


@pytest.mark.parametrize("role", READERS)
async def test_lists_are_served_alike_page_by_page(demo: Demo, role: Role) -> None:
    after: str | None = None
    pages = 0
    while True:
        new = await demo.ask(role, True, LIST, after=after)
        old = await demo.ask(role, False, LIST, after=after)
        assert "errors" not in new, new
        assert masked(new) == masked(old)
        persons = new["data"]["persons"]
        assert persons["totalCount"] == old["data"]["persons"]["totalCount"]
        pages += 1
        if not persons["pageInfo"]["hasNextPage"]:
            break
        after = persons["pageInfo"]["endCursor"]
    assert pages == -(-persons["totalCount"] // 7)


#: The same claims field on the nodes asked for and on the nodes their claims reach, some
#: of which are among those asked for: their pages are read at both levels.
TWICE = """query($ids: [ID!]!) { nodes(ids: $ids) { id
  cmd: claims(direction: IN, types: [COMMANDED]) { edges { claim { id } node { id } } }
  up: claims(direction: OUT, types: [SUBORDINATE_TO]) { edges { node { id
    ... on Unit { cmd: claims(direction: IN, types: [COMMANDED]) {
      edges { claim { id } node { id } } } } } } } } }"""


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROSECUTOR])
async def test_a_page_read_at_two_levels_is_served_once(demo: Demo, role: Role) -> None:
    units = [n["id"] for n in DOC["nodes"] if n["label"] == "Unit"]
    new, old = await demo.both(role, TWICE, ids=units)
    assert "errors" not in new, new[:500]
    assert new == old
    # u-02 is asked for and is u-04's parent: its two commanders, once each, both times.
    nodes = {n["id"]: n for n in json.loads(new)["data"]["nodes"]}
    parent = next(e["node"] for e in nodes["u-04"]["up"]["edges"] if e["node"]["id"] == "u-02")
    for page in (nodes["u-02"]["cmd"], parent["cmd"]):
        assert sorted(e["node"]["id"] for e in page["edges"]) == ["p-005", "p-006"]


@pytest.mark.parametrize("role", READERS)
async def test_claim_pages_and_cursors_are_the_same_on_either_path(demo: Demo, role: Role) -> None:
    """Paging through a hub's claims gives the same pages on either path, and a cursor
    one path gave out is good on the other."""

    async def walk(start_on: bool) -> list[list[str]]:
        pages, after, ahead = [], None, start_on
        while True:
            body = await demo.ask(role, ahead, PAGE, id=HUB, after=after, first=4)
            claims = body["data"]["node"]["claims"]
            pages.append([e["claim"]["id"] for e in claims["edges"]])
            if not claims["pageInfo"]["hasNextPage"]:
                return pages
            after, ahead = claims["pageInfo"]["endCursor"], not ahead  # switch paths

    on_new, on_old = await walk(True), await walk(False)
    assert on_new == on_old
    everything = [c for page in on_new for c in page]
    assert len(everything) == len(set(everything)) > 12
    assert everything == sorted(everything)
    # An edge's cursor resumes right after its edge.
    first = await demo.ask(role, True, PAGE, id=HUB, after=None, first=4)
    third = first["data"]["node"]["claims"]["edges"][2]["cursor"]
    for ahead in (True, False):
        body = await demo.ask(role, ahead, PAGE, id=HUB, after=third, first=2)
        assert [e["claim"]["id"] for e in body["data"]["node"]["claims"]["edges"]] == on_new[0][
            3:
        ] + on_new[1][:1]


@pytest.mark.parametrize(
    ("first", "after"), [(0, None), (501, None), (2, "not-a-cursor"), (2, "gAAAAABk")]
)
async def test_bad_page_arguments_get_the_same_errors(
    demo: Demo, first: int, after: str | None
) -> None:
    new, old = await demo.both(Role.ANALYST, PAGE, id=HUB, after=after, first=first)
    assert new == old
    assert json.loads(new)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cleared_reads_of_protected_records_are_audited_alike(demo: Demo) -> None:
    async def audited(ahead: bool, query: str = EVERYTHING, **variables: Any) -> Counter[str]:
        before, _ = await demo.services.audit.head()
        body = await demo.ask(Role.PROSECUTOR, ahead, query, **(variables or {"ids": PROTECTED}))
        assert "errors" not in body
        read: Counter[str] = Counter()
        async for entry in demo.services.audit.entries():
            if int(entry["seq"]) > before and entry["action"] == "read_protected":
                read.update(set(entry["targets"]))
        return read

    new, old = await audited(True), await audited(False)
    assert set(new) == set(old) >= set(PROTECTED)
    for node_id in LOOKED_UP:
        new, old = await audited(True, LOOKUP, id=node_id), await audited(False, LOOKUP, id=node_id)
        assert set(new) == set(old), node_id


async def test_fewer_statements(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: one statement a level of nesting, not one a level and kind."""
    ran: Counter[Q] = Counter()
    read = demo.db.read

    async def counting(query: Q, **params: Any) -> list[dict[str, Any]]:
        # Not the request's: the token cache's revocation poll, the alarm's reload.
        if query not in (Q.TOKEN_GENERATION, Q.FIND_TOKEN, Q.MASKED_PEOPLE):
            ran[query] += 1
        return await read(query, **params)

    monkeypatch.setattr(demo.db, "read", counting)
    counts = {}
    for ahead in (True, False):
        await demo.ask(Role.ANALYST, ahead, NESTED)  # the token checked, the alarm loaded
        ran.clear()
        await demo.ask(Role.ANALYST, ahead, NESTED)
        counts[ahead] = sum(ran.values())
    # Look-ahead: the facility with its detentions and detainees, what they suffered,
    # with incidents and evidence, in one statement. Without: each of those five apart.
    assert counts == {True: 1, False: 5}
    ran.clear()
    await demo.ask(Role.ANALYST, True, DEEP, id=HUB)
    assert sum(ran.values()) == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROSECUTOR])
async def test_projected_reads_hold_no_graph_types(
    demo: Demo,
    role: Role,
    projected_rows: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each read taken as it comes is made, on both paths, and its rows pass the check."""
    ran: set[Q] = set()
    read = demo.db.read

    async def noting(query: Q, **params: Any) -> list[dict[str, Any]]:
        ran.add(query)
        return await read(query, **params)

    monkeypatch.setattr(demo.db, "read", noting)
    for ahead in (True, False):
        assert "errors" not in await demo.ask(role, ahead, DEEP, id=HUB)
        assert "errors" not in await demo.ask(role, ahead, LIST, after=None)
        assert "errors" not in await demo.ask(role, ahead, LOOKUP, id=PROTECTED[0])
    assert ran >= PROJECTED_READS
    assert len(projected_rows) >= len(PROJECTED_READS)


def test_a_claims_date_is_read_as_any_row_holds_it() -> None:
    """Look-ahead rows hold a claim's dates as ISO strings, other reads as the driver's
    dates; a claim record takes either (and a date already converted) as the same date."""
    day = dt.date(2019, 3, 1)
    for held in (Date(2019, 3, 1), "2019-03-01", day):
        got = values.day_of(held)
        assert got == day and type(got) is dt.date
    assert values.day_of(None) is None
