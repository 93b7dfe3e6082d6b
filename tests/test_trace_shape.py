"""The trace at real-data shape: one answer whatever the order of the file, a depth bound
that means what it says on a cycle, bounded work on parallel reporting lines, and
sources compared as people would."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.errors import QueryTimeout
from accountability.graph.catalog import Q
from accountability.services.container import Services
from accountability.services.liability.trace import TraceResult
from tests.builders import document, make_evidence, make_node, make_person
from tests.conftest import GQL

EXACT = {"date_precision": "exact", "valid_from": "2010-01-01"}


def _incident(uid: Callable[[str], str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        make_node(uid("f"), "Facility", name="Fictional facility"),
        make_node(uid("i"), "Incident", kind="torture", start_date="2013-06-10"),
        make_evidence(uid("ea"), source="Fictional Archive"),
        make_evidence(uid("eb"), source="Fictional Monitors"),
    ]
    claims = [
        {
            "id": uid("occ"),
            "type": "OCCURRED_AT",
            "from": uid("i"),
            "to": uid("f"),
            "confidence": "high",
            "evidence": [uid("ea")],
        },
    ]
    return nodes, claims


def _summary(result: TraceResult, uid: Callable[[str], str]) -> list[tuple[Any, ...]]:
    """A trace with this test's prefix taken off its ids, to compare two imports."""
    p = uid("")
    return [
        (
            link.person_id.removeprefix(p),
            link.mode.value,
            link.path.certainty.value,
            link.path.weakest_confidence.value,
            link.path.corroborated,
            [c.id.removeprefix(p) for c in link.path.claims],
            link.alternatives.count,
            [[c.id.removeprefix(p) for c in o.claims] for o in link.alternatives.page(0, 50)],
        )
        for link in result.links
    ]


def _two_posts(uid: Callable[[str], str], swapped: bool) -> dict[str, Any]:
    nodes, claims = _incident(uid)
    nodes.append(make_person(uid("p1"), name="Fictional director"))
    posts = [
        {
            "id": uid("c2"),
            "type": "POSTED_AT",
            "from": uid("p1"),
            "to": uid("f"),
            "confidence": "high",
            "evidence": [uid("ea"), uid("eb")],
            "properties": {"role": "director", "command": True},
            **EXACT,
        },
        {
            "id": uid("c3"),
            "type": "POSTED_AT",
            "from": uid("p1"),
            "to": uid("f"),
            "confidence": "low",
            "evidence": [uid("ea")],
            "properties": {"role": "director", "command": True},
            **EXACT,
        },
    ]
    claims[0]["evidence"] = [uid("ea"), uid("eb")]
    return document(nodes, claims + (posts[::-1] if swapped else posts))


async def test_the_answer_does_not_depend_on_the_order_of_the_file(
    services: Services, uid: Callable[[str], str], gql: GQL
) -> None:
    answers = []
    for swapped in (False, True):
        ids = uid  # a fresh namespace per import
        if swapped:
            tag = uid("swapped")
            ids = lambda name, tag=tag: f"{tag}-{name}"  # noqa: E731
        await services.interchange.import_document(SYSTEM, _two_posts(ids, swapped))
        result = await services.tracing.trace(ids("i"), 6, SYSTEM)
        answers.append(_summary(result, ids))
        (link,) = result.links
        assert [c.id for c in link.path.claims] == [ids("c2"), ids("occ")]
        assert link.path.weakest_confidence.value == "high" and link.path.corroborated
    assert answers[0] == answers[1]
    body = await gql(
        """query($i: ID!) { trace(incidentId: $i) { links { weakestConfidence corroborated
           otherPaths(first: 1) { totalCount edges { cursor node { weakestConfidence
             corroborated path { claim { id } } } } pageInfo { hasNextPage } } } } }""",
        i=uid("i"),
    )
    (link,) = body["data"]["trace"]["links"]
    assert (link["weakestConfidence"], link["corroborated"]) == ("HIGH", True)
    others = link["otherPaths"]
    assert others["totalCount"] == 1 and not others["pageInfo"]["hasNextPage"]
    assert others["edges"][0]["node"]["weakestConfidence"] == "LOW"
    assert others["edges"][0]["node"]["path"][0]["claim"]["id"] == uid("c3")


def _cycle(uid: Callable[[str], str]) -> dict[str, Any]:
    nodes, claims = _incident(uid)
    nodes += [make_node(uid(u), "Unit", name=f"Fictional {u}") for u in ("u1", "u2")]
    nodes.append(make_person(uid("p1"), name="Fictional commander"))
    ev = {"evidence": [uid("ea")]}
    claims += [
        {"id": uid("op"), "type": "OPERATED", "from": uid("u1"), "to": uid("f"), **EXACT, **ev},
        {
            "id": uid("s12"),
            "type": "SUBORDINATE_TO",
            "from": uid("u1"),
            "to": uid("u2"),
            **EXACT,
            **ev,
        },
        {
            "id": uid("s21"),
            "type": "SUBORDINATE_TO",
            "from": uid("u2"),
            "to": uid("u1"),
            **EXACT,
            **ev,
        },
        {"id": uid("cmd"), "type": "COMMANDED", "from": uid("p1"), "to": uid("u2"), **EXACT, **ev},
    ]
    return document(nodes, claims)


async def test_a_cycle_is_not_a_cut(services: Services, uid: Callable[[str], str]) -> None:
    """u1 reports to u2 and u2 to u1: once both are reached nothing lies beyond, at any
    depth; only a depth that does not reach u2 is cut."""
    await services.interchange.import_document(SYSTEM, _cycle(uid))
    shown = None
    for depth in (1, 2, 6):
        result = await services.tracing.trace(uid("i"), depth, SYSTEM)
        assert not result.truncated, depth
        summary = _summary(result, uid)
        assert shown is None or summary == shown
        shown = summary
    assert shown is not None and [(s[0], s[1], s[5]) for s in shown] == [
        ("p1", "SUPERIOR_RESPONSIBILITY", ["cmd", "s12", "op", "occ"])
    ]
    at_zero = await services.tracing.trace(uid("i"), 0, SYSTEM)
    assert at_zero.truncated and at_zero.links == []


def _parallel(uid: Callable[[str], str], k: int, levels: int) -> dict[str, Any]:
    """Units L0..L{levels}, L0 running the facility, each reporting to the next through
    k parallel lines (k sources); a commander on every level."""
    nodes, claims = _incident(uid)
    claims[0]["evidence"] = [uid("ea"), uid("eb")]
    rnd = random.Random(7)
    for level in range(levels + 1):
        nodes.append(make_node(uid(f"L{level}"), "Unit", name=f"Fictional level {level}"))
        nodes.append(make_person(uid(f"boss{level}"), name=f"Fictional boss {level}"))
        claims.append(
            {
                "id": uid(f"cmd{level}"),
                "type": "COMMANDED",
                "from": uid(f"boss{level}"),
                "to": uid(f"L{level}"),
                "evidence": [uid("ea"), uid("eb")],
                "confidence": "high",
                **EXACT,
            }
        )
        if level < levels:
            for j in range(k):
                strong = j == k - 1  # the last written is the strongest
                claims.append(
                    {
                        "id": uid(f"s{level}-{j}"),
                        "type": "SUBORDINATE_TO",
                        "from": uid(f"L{level}"),
                        "to": uid(f"L{level + 1}"),
                        "confidence": "high" if strong else rnd.choice(["medium", "low"]),
                        "evidence": [uid("ea"), uid("eb")] if strong else [uid("ea")],
                        **EXACT,
                    }
                )
    claims.append(
        {
            "id": uid("op"),
            "type": "OPERATED",
            "from": uid("L0"),
            "to": uid("f"),
            "evidence": [uid("ea"), uid("eb")],
            "confidence": "high",
            **EXACT,
        }
    )
    return document(nodes, claims)


@pytest.mark.slow
async def test_parallel_lines_are_not_enumerated(
    services: Services, uid: Callable[[str], str], gql: GQL
) -> None:
    """5 sources for each of 10 reporting lines: the top commander has 5^10 paths. Each
    commander is found with the strongest line at every level, and the others are
    counted, and paged on request (bench --trace-parallel times it)."""
    k, levels = 5, 10
    await services.interchange.import_document(SYSTEM, _parallel(uid, k, levels))
    result = await services.tracing.trace(uid("i"), levels, SYSTEM)
    assert not result.truncated and not result.partial
    links = {link.person_id: link for link in result.links}
    assert set(links) == {uid(f"boss{n}") for n in range(levels + 1)}
    top = links[uid(f"boss{levels}")]
    assert [c.id for c in top.path.claims] == [
        uid(f"cmd{levels}"),
        *(uid(f"s{n}-{k - 1}") for n in reversed(range(levels))),
        uid("op"),
        uid("occ"),
    ]
    assert top.alternatives.count == k**levels - 1
    body = await gql(
        """query($i: ID!) { trace(incidentId: $i, maxDepth: 10) { truncated links {
             person { id } otherPaths(first: 3) { totalCount edges { cursor } } } } }""",
        i=uid("i"),
    )
    by_person = {
        link["person"]["id"]: link["otherPaths"] for link in body["data"]["trace"]["links"]
    }
    assert by_person[uid(f"boss{levels}")]["totalCount"] == k**levels - 1
    assert len(by_person[uid(f"boss{levels}")]["edges"]) == 3
    shallower = await services.tracing.trace(uid("i"), 4, SYSTEM)
    assert shallower.truncated
    assert {link.person_id for link in shallower.links} == {uid(f"boss{n}") for n in range(5)}


async def test_other_paths_page_in_order(
    services: Services, uid: Callable[[str], str], gql: GQL
) -> None:
    await services.interchange.import_document(SYSTEM, _parallel(uid, 3, 2))
    query = """query($i: ID!, $after: String) { trace(incidentId: $i) { links {
        person { id } otherPaths(first: 2, after: $after) { totalCount
          edges { cursor node { path { claim { id } } } }
          pageInfo { hasNextPage endCursor } } } } }"""
    seen: list[list[str | None]] = []
    after = None
    while True:
        body = await gql(query, i=uid("i"), after=after)
        (page,) = [
            link["otherPaths"]
            for link in body["data"]["trace"]["links"]
            if link["person"]["id"] == uid("boss2")
        ]
        assert page["totalCount"] == 3**2 - 1
        seen += [
            [s["claim"]["id"] if s["claim"] else None for s in e["node"]["path"]]
            for e in page["edges"]
        ]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    result = await services.tracing.trace(uid("i"), 6, SYSTEM)
    (top,) = [link for link in result.links if link.person_id == uid("boss2")]
    expected = [[c.id for c in p.claims] + [None] for p in top.alternatives.page(0, 100)]
    assert seen == expected and len(seen) == 8
    body = await gql(query, i=uid("i"), after="not-a-cursor")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_sources_are_compared_as_people_would(
    services: Services, uid: Callable[[str], str]
) -> None:
    nodes, claims = _incident(uid)
    nodes += [
        make_evidence(uid("ea2"), source="fictional  archive."),
        make_person(uid("same"), name="Fictional one"),
        make_person(uid("two"), name="Fictional two"),
    ]
    claims[0]["evidence"] = [uid("ea"), uid("eb")]
    claims += [
        {
            "id": uid("a1"),
            "type": "PERPETRATED",
            "from": uid("same"),
            "to": uid("i"),
            "evidence": [uid("ea"), uid("ea2")],
        },
        {
            "id": uid("a2"),
            "type": "PERPETRATED",
            "from": uid("two"),
            "to": uid("i"),
            "evidence": [uid("ea"), uid("eb")],
        },
    ]
    await services.interchange.import_document(SYSTEM, document(nodes, claims))
    result = await services.tracing.trace(uid("i"), 6, SYSTEM)
    corroborated = {link.person_id: link.path.corroborated for link in result.links}
    assert corroborated == {uid("same"): False, uid("two"): True}


async def test_a_part_over_the_time_limit_leaves_the_rest(
    services: Services, uid: Callable[[str], str], gql: GQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine stops a statement at its time limit; here the command chain's does
    (injected: the rest runs on the engine), and the acts and the facility still answer."""
    doc = _parallel(uid, 2, 2)
    doc["nodes"].append(make_person(uid("perp"), name="Fictional perpetrator"))
    doc["claims"].append(
        {
            "id": uid("act"),
            "type": "PERPETRATED",
            "from": uid("perp"),
            "to": uid("i"),
            "evidence": [uid("ea")],
        }
    )
    await services.interchange.import_document(SYSTEM, doc)
    read = services.db.read

    async def slow_climb(query: Q, **params: Any) -> list[dict[str, Any]]:
        if query is Q.TRACE_CLIMB:
            raise QueryTimeout("the query ran past its time-out")
        return await read(query, **params)

    monkeypatch.setattr(services.db, "read", slow_climb)
    body = await gql(
        "query($i: ID!) { trace(incidentId: $i) { partial missing links { mode person { id } } } }",
        i=uid("i"),
    )
    trace = body["data"]["trace"]
    assert trace["partial"] is True
    assert trace["missing"] == [
        "SUPERIOR_RESPONSIBILITY: the statement exceeded the engine's time limit"
    ]
    assert [(link["mode"], link["person"]["id"]) for link in trace["links"]] == [
        ("PERPETRATION", uid("perp"))
    ]
