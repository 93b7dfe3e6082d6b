"""Duplicate candidates: precision and recall on a generated fictional list with known
duplicates in several spellings and both scripts; the service's listing as each role
may see it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from accountability.cli import app
from accountability.domain.duplicates import PersonKeys, find_candidates
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import Forbidden, NotFound
from accountability.services.container import Services
from accountability.services.resolution.duplicates import (
    CandidatePair,
    DuplicateService,
    Verdict,
)
from accountability.settings import Settings
from benchmarks.people import generate
from tests.builders import document, make_claim, make_evidence, make_node, make_person
from tests.conftest import GQL


def test_one_man_in_three_spellings_and_two_scripts() -> None:
    people = [
        PersonKeys("a", ("Kareem al-Tahhan",), 1961),
        PersonKeys("b", ("Karim Tahhan",)),
        PersonKeys("c", ("كريم الطحان",), 1961),
        # the same name, thirty years younger: another man
        PersonKeys("d", ("Kareem al-Tahhan",), 1990),
        PersonKeys("e", ("Omar Khoury",), 1970),
    ]
    pairs = {(c.a, c.b): c for c in find_candidates(people)}
    assert {("a", "b"), ("a", "c"), ("b", "c")} <= set(pairs)
    assert ("a", "d") not in pairs and not any("e" in p for p in pairs)
    assert "same birth year" in pairs[("a", "c")].reasons
    assert any("across scripts" in r for r in pairs[("a", "c")].reasons)


def test_precision_and_recall_on_a_generated_list() -> None:
    generated = generate(5000)
    started = time.perf_counter()
    found = {(c.a, c.b) for c in find_candidates(generated.people)}
    took = time.perf_counter() - started
    right = len(found & generated.same)
    precision, recall = right / len(found), right / len(generated.same)
    print(
        f"\nduplicates: {len(generated.people)} records, {len(generated.same)} known "
        f"duplicate pairs, {len(found)} proposed: precision {precision:.3f}, recall "
        f"{recall:.3f}, in {took:.2f} s"
    )
    assert precision >= 0.95 and recall >= 0.95


def secret(uid: Callable[[str], str]) -> str:
    tag = uid("")[1:9].translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"Salx{tag} Qx{tag}"


def protected_people(uid: Callable[[str], str]) -> dict[str, Any]:
    return document(
        [
            make_person(uid("p1"), name="Kareem al-Tahhan", birth_year=1961),
            make_person(uid("p2"), name="Karim Tahhan", aliases=["كريم الطحان"]),
            # Protected names are masked in every text of the shared test database: one
            # of this test alone, and its unprotected double.
            make_person(uid("w1"), name=secret(uid), protected=True, pseudonym="Witness Q-3"),
            make_person(uid("w2"), name=secret(uid).replace("Qx", "Qux")),
            make_node(uid("u"), "Unit", name="Fictional Branch 5"),
            make_evidence(uid("e")),
        ],
        [
            make_claim(uid("c1"), "COMMANDED", uid("p1"), uid("u"), evidence=[uid("e")]),
            make_claim(uid("c2"), "MEMBER_OF", uid("p2"), uid("u"), evidence=[uid("e")]),
        ],
    )


async def test_the_listing_hides_protected_persons_from_uncleared_roles(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, protected_people(uid))
    resolution = DuplicateService(services.db, services.nodes)
    analyst = await resolution.candidates(Viewer("Fictional Analyst", Role.ANALYST), 10_000)
    mine = [p for p in analyst if {p.candidate.a[:10], p.candidate.b[:10]} == {uid("")[:10]}]
    assert [(p.candidate.a, p.candidate.b) for p in mine] == [(uid("p1"), uid("p2"))]
    assert "1 shared unit(s)" in mine[0].candidate.reasons
    # The whole list: the shared test graph holds many other candidate pairs.
    prosecutor = await resolution.candidates(
        Viewer("Fictional Prosecutor", Role.PROSECUTOR), 10_000
    )
    assert any(p.candidate.a == uid("w1") or p.candidate.b == uid("w1") for p in prosecutor)
    with pytest.raises(Forbidden):
        await resolution.candidates(Viewer("Fictional Viewer", Role.VIEWER))


async def test_a_pair_judged_different_is_not_proposed_again(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, protected_people(uid))
    resolution = DuplicateService(services.db, services.nodes)
    investigator = Viewer("Fictional Investigator", Role.INVESTIGATOR)

    def mine(pairs: list[CandidatePair]) -> list[CandidatePair]:
        return [p for p in pairs if {p.candidate.a[:10], p.candidate.b[:10]} == {uid("")[:10]}]

    await resolution.judge(investigator, uid("p2"), uid("p1"), Verdict.UNSURE, "check the roster")
    [pair] = mine(await resolution.candidates(investigator, 10_000))
    assert "judged unsure by Fictional Investigator" in pair.candidate.reasons
    await resolution.judge(investigator, uid("p1"), uid("p2"), Verdict.DIFFERENT)
    assert mine(await resolution.candidates(investigator, 10_000)) == []
    with pytest.raises(Forbidden):
        await resolution.judge(
            Viewer("Fictional Analyst", Role.ANALYST), uid("p1"), uid("p2"), Verdict.SAME
        )
    with pytest.raises(NotFound):
        await resolution.judge(investigator, uid("p1"), uid("nobody"), Verdict.SAME)
    entries = [e async for e in services.audit.entries()]
    judged = [e for e in entries if e["action"] == "judge-duplicates" and uid("p1") in e["targets"]]
    assert [e["summary"] for e in judged] == [
        "judged the pair unsure",
        "judged the pair different",
    ]


async def test_the_command_line_lists_candidates(
    settings: Settings, services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, protected_people(uid))
    env = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
    }
    runner = CliRunner()
    done = await asyncio.to_thread(
        lambda: runner.invoke(app, ["duplicates", "--json", "--first", "10000"], env=env)
    )
    assert done.exit_code == 0, done.output
    pairs = json.loads(done.stdout)
    mine = [p for p in pairs if {p["a"][:10], p["b"][:10]} == {uid("")[:10]}]
    assert {(p["a"], p["b"]) for p in mine} == {(uid("p1"), uid("p2"))}
    # The command line without a token is not cleared: no protected person, by any name.
    assert secret(uid) not in done.stdout
    assert uid("w1") not in done.stdout


QUERY = "query { duplicateCandidates(first: 10000) { aId bId aName bName score reasons } }"


async def test_graphql_lists_candidates_to_analysts_and_up(
    services: Services, gql_as: Callable[[Role], GQL], uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, protected_people(uid))
    found = await gql_as(Role.ANALYST)(QUERY)
    pairs = [
        p
        for p in found["data"]["duplicateCandidates"]
        if {p["aId"][:10], p["bId"][:10]} == {uid("")[:10]}
    ]
    assert [(p["aId"], p["bId"], p["aName"]) for p in pairs] == [
        (uid("p1"), uid("p2"), "Kareem al-Tahhan")
    ]
    assert secret(uid) not in str(found)
    refused = await gql_as(Role.VIEWER)(QUERY)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
