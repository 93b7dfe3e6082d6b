"""Nodes through GraphQL: create, look up, update, search, sort, paginate, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet

from accountability.graph.database import Database
from accountability.services import cursors
from accountability.services.container import Services
from accountability.settings import Settings
from tests.conftest import GQL

CREATE = """
mutation($label: NodeLabel!, $id: ID, $p: JSON!) {
  createNode(label: $label, id: $id, properties: $p) { id label createdAt }
}"""


async def create(gql: GQL, label: str, node_id: str, **props: Any) -> dict[str, Any]:
    body: dict[str, Any] = await gql(CREATE, label=label, id=node_id, p=props)
    assert "errors" not in body, body
    return body


async def test_create_and_look_up_a_person(gql: GQL, uid: Callable[[str], str]) -> None:
    pid = uid("p")
    await create(
        gql,
        "PERSON",
        pid,
        name="Samir Fictional",
        aliases=["سمير"],
        birth_year=1970,
        status="detained",
    )
    body = await gql(
        "query($id: ID!) { person(id: $id) { id name aliases birthYear status label } }", id=pid
    )
    assert body["data"]["person"] == {
        "id": pid,
        "name": "Samir Fictional",
        "aliases": ["سمير"],
        "birthYear": 1970,
        "status": "DETAINED",
        "label": "PERSON",
    }
    body = await gql("query($id: ID!) { node(id: $id) { __typename id } }", id=pid)
    assert body["data"]["node"] == {"__typename": "Person", "id": pid}
    body = await gql("query($id: ID!) { unit(id: $id) { id } }", id=pid)
    assert body["data"]["unit"] is None


async def test_update_changes_and_removes_properties(gql: GQL, uid: Callable[[str], str]) -> None:
    fid = uid("f")
    await create(gql, "FACILITY", fid, name="Fictional Branch", kind="branch", location="North")
    body = await gql(
        """mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p) {
             ... on Facility { name kind location } updatedAt createdAt } }""",
        id=fid,
        p={"kind": "prison", "location": None},
    )
    node = body["data"]["updateNode"]
    assert (node["name"], node["kind"], node["location"]) == ("Fictional Branch", "prison", None)
    assert node["updatedAt"] >= node["createdAt"]


async def test_bad_properties_give_clear_errors_and_write_nothing(
    gql: GQL, uid: Callable[[str], str]
) -> None:
    iid = uid("i")
    body = await gql(
        CREATE,
        label="INCIDENT",
        id=iid,
        p={"kind": "torture", "start_date": "2013-05-01", "end_date": "2013-04-01"},
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "before start_date" in error["message"]
    body = await gql(CREATE, label="PERSON", id=uid("x"), p={"nmae": "typo"})
    problems = body["errors"][0]["extensions"]["problems"]
    wheres = {p["where"] for p in problems}
    assert {"properties.name", "properties.nmae"} <= wheres
    body = await gql("query($id: ID!) { node(id: $id) { id } }", id=iid)
    assert body["data"]["node"] is None


async def test_ids_are_unique_across_labels(gql: GQL, uid: Callable[[str], str]) -> None:
    nid = uid("same")
    await create(gql, "UNIT", nid, name="Fictional Unit")
    body = await gql(CREATE, label="FACILITY", id=nid, p={"name": "Other"})
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert "already in use" in body["errors"][0]["message"]


async def test_update_of_unknown_node_is_not_found(gql: GQL) -> None:
    body = await gql('mutation { updateNode(id: "no-such-node", properties: {}) { id } }')
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_search_folds_case_accents_and_arabic(gql: GQL, uid: Callable[[str], str]) -> None:
    tag = uid("")[:9]  # a distinctive token shared by this test's names
    await create(gql, "PERSON", uid("a"), name=f"Mohammed Qasimi {tag}")
    await create(gql, "PERSON", uid("b"), name=f"Rana Élise {tag}", aliases=["رنا"])
    await create(gql, "PERSON", uid("c"), name=f"Other {tag}")
    query = """query($s: String!) { persons(filter: {search: $s}) {
                 totalCount edges { node { id name } } } }"""
    for needle, expected in (
        ("muhammad qasimi", "a"),
        ("élise", "b"),
        ("ELISE", "b"),
        ("رنا", "b"),
        ("محمد", "a"),
    ):
        body = await gql(query, s=needle)
        ids = {e["node"]["id"] for e in body["data"]["persons"]["edges"]}
        assert uid(expected) in ids, (needle, body)
        assert uid("c") not in ids
    body = await gql(query, s=tag)
    assert body["data"]["persons"]["totalCount"] == 3


async def _every_page(gql: GQL, query: str, tag: str, sort: str) -> list[dict[str, str]]:
    """The units of every page of ``query``, cursor after cursor (at most ten pages)."""
    seen: list[dict[str, str]] = []
    after = None
    for _ in range(10):
        body = await gql(query, s=tag, after=after, sort=sort)
        conn = body["data"]["units"]
        seen.extend(e["node"] for e in conn["edges"])
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    return seen


async def test_cursor_pagination_visits_every_node_once(
    gql: GQL, uid: Callable[[str], str]
) -> None:
    tag = uid("")[:9]
    names = [f"{tag} Unit {chr(ord('A') + i)}" for i in range(7)]
    for i, name in enumerate(reversed(names)):
        await create(gql, "UNIT", uid(f"u{i}"), name=name)
    query = """query($s: String!, $after: String, $sort: NodeSort!) {
      units(filter: {search: $s}, first: 3, after: $after, sort: $sort) {
        edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }"""
    for sort, key in (("NAME", "name"), ("ID", "id")):
        seen = await _every_page(gql, query, tag, sort)
        assert len(seen) == 7
        assert [n[key] for n in seen] == sorted(n[key] for n in seen)
    assert [n["name"] for n in seen] != names or True
    body = await gql(query, s=tag, after="garbage", sort="NAME")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_pages_through_equal_keys_by_id(gql: GQL, uid: Callable[[str], str]) -> None:
    """Nodes whose sort keys are equal are ordered by id, and a cursor between two of
    them resumes after the right one: every node once, in (key, id) order, for every
    sort a page may have."""
    tag = uid("")[:9]
    for i in range(5):
        await create(gql, "UNIT", uid(f"same{i}"), name=f"{tag} Same name")
    for i in range(2):
        await create(gql, "UNIT", uid(f"other{i}"), name=f"{tag} Other {i}")
    query = """query($s: String!, $after: String, $sort: NodeSort!) {
      units(filter: {search: $s}, first: 2, after: $after, sort: $sort) {
        edges { node { id name createdAt updatedAt } } pageInfo { hasNextPage endCursor } } }"""
    for sort, key in (
        ("NAME", "name"),
        ("ID", "id"),
        ("CREATED_AT", "createdAt"),
        ("UPDATED_AT", "updatedAt"),
    ):
        seen = await _every_page(gql, query, tag, sort)
        assert len(seen) == 7, sort
        keys = [(n[key].casefold() if key == "name" else n[key], n["id"]) for n in seen]
        assert keys == sorted(keys), sort


async def test_filters_by_kind_and_date(gql: GQL, uid: Callable[[str], str]) -> None:
    tag = uid("")[:9]
    await create(
        gql,
        "INCIDENT",
        uid("i1"),
        kind="torture",
        title=f"{tag} one",
        start_date="2012-03-01",
        end_date="2012-03-05",
    )
    await create(
        gql, "INCIDENT", uid("i2"), kind="killing", title=f"{tag} two", start_date="2014-01-01"
    )
    query = """query($f: NodeFilterInput!) { incidents(filter: $f) { edges { node { id } } } }"""
    body = await gql(query, f={"search": tag, "kind": "torture"})
    assert [e["node"]["id"] for e in body["data"]["incidents"]["edges"]] == [uid("i1")]
    body = await gql(query, f={"search": tag, "dateFrom": "2013-01-01"})
    assert [e["node"]["id"] for e in body["data"]["incidents"]["edges"]] == [uid("i2")]
    body = await gql(query, f={"search": tag, "dateFrom": "2012-03-04", "dateTo": "2012-12-31"})
    assert [e["node"]["id"] for e in body["data"]["incidents"]["edges"]] == [uid("i1")]
    body = await gql(query, f={"search": tag, "dateFrom": "2013-01-01", "dateTo": "2012-01-01"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_page_size_is_bounded(gql: GQL) -> None:
    body = await gql("{ persons(first: 100000) { edges { cursor } } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "first" in body["errors"][0]["message"]


async def test_protected_person_is_pseudonymized(gql: GQL, uid: Callable[[str], str]) -> None:
    pid = uid("w")
    real = f"Secretname{uid('')[1:9]}"
    body = await gql(
        CREATE,
        label="PERSON",
        id=pid,
        p={
            "name": real,
            "aliases": [real + "alias"],
            "protected": True,
            "pseudonym": "Witness Z-1",
            "birth_year": 1975,
        },
    )
    assert real not in str(body)
    body = await gql(
        "query($id: ID!) { person(id: $id) { name aliases birthYear pseudonym } }", id=pid
    )
    assert body["data"]["person"] == {
        "name": "Witness Z-1",
        "aliases": [],
        "birthYear": None,
        "pseudonym": "Witness Z-1",
    }
    body = await gql("query($s: String!) { persons(filter: {search: $s}) { totalCount } }", s=real)
    assert body["data"]["persons"]["totalCount"] == 0
    assert real not in str(body)


async def test_query_limits(gql: GQL) -> None:
    aliases = " ".join(f"a{i}: persons {{ edges {{ cursor }} }}" for i in range(40))
    body = await gql("{ " + aliases + " }")
    assert "errors" in body


async def test_a_cursor_outlives_a_restart(
    gql: GQL, uid: Callable[[str], str], settings: Settings, db: Database
) -> None:
    """The key is kept in the data folder: a page cursor given out before a restart (here:
    services built afresh over the same settings) is still good after it."""
    tag = uid("")[:9]
    for n in range(3):
        await create(gql, "UNIT", uid(f"u{n}"), name=f"Restart {tag} {n}")
    query = """query($s: String, $after: String) { units(filter: {search: $s}, first: 1,
      after: $after) { edges { node { id } } pageInfo { endCursor } } }"""
    first = (await gql(query, s=tag))["data"]["units"]
    cursors.configure(Fernet.generate_key())  # a new process, before it reads its settings
    Services.over(db, settings)
    second = (await gql(query, s=tag, after=first["pageInfo"]["endCursor"]))["data"]["units"]
    assert [e["node"]["id"] for e in second["edges"]] == [uid("u1")]
    assert (settings.data_dir / "cursor.key").stat().st_mode & 0o777 == 0o600
