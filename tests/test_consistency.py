"""The consistency check (each kind of problem, and the near misses it must not report),
through GraphQL and the command line; and the write-time refusal of a claim from a node
to itself, by addClaim and by import. The session's graph is shared, so every assertion
looks only at this test's ids."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from accountability.cli import app
from accountability.domain.consistency import Link, Report, find_cycles
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import ValidationFailed
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.liability.consistency import ConsistencyService
from accountability.settings import Settings
from tests.builders import document, make_claim, make_evidence, make_node, make_person
from tests.conftest import GQL

QUERY = """query($first: Int) { consistency(first: $first) { truncated
  problems { kind message nodeIds claimIds evidenceIds start end } } }"""
RETRACTION = {"by": "Fictional Reviewer", "reason": "entered twice", "at": "2020-01-01T00:00:00Z"}
#: Every name in the scenario: none may appear in a report.
NAMES = ("Fictional Unit", "Fictional Commander", "Fictional Detainee", "Fictional Facility")


def scenario(uid: Callable[[str], str]) -> dict[str, Any]:
    """One case of each kind of problem, and beside each the controls that must not be
    reported (comments say which is which)."""
    u = uid
    nodes = [
        *(make_node(u(f"u{k}"), "Unit", name=f"Fictional Unit {k}") for k in "abcdefgh"),
        *(make_person(u(f"p{k}"), name=f"Fictional Commander {k}") for k in range(1, 8)),
        make_person(u("dead"), name="Fictional Detainee A", status="died_in_custody"),
        make_person(u("open"), name="Fictional Detainee B", status="died_in_custody"),
        make_person(u("killed"), name="Fictional Detainee C", status="unknown"),
        make_node(u("f"), "Facility", name="Fictional Facility"),
        make_node(
            u("kill"), "Incident", kind="killing", start_date="2014-03-01", end_date="2014-03-02"
        ),
        make_node(u("later"), "Incident", kind="torture", start_date="2015-01-10"),
        make_evidence(u("e2011"), acquired_at="2011-01-01T10:00:00Z"),
        make_evidence(u("eday"), acquired_at="2011-12-31T23:00:00Z"),
        make_evidence(u("e2016"), acquired_at="2016-01-01T10:00:00Z"),
    ]
    c = make_claim
    exact = {"date_precision": "exact"}
    claims = [
        # A cycle ua -> ub -> uc -> ua, all in force 2011-01-01 to 2012-06-01: reported.
        c(u("s1"), "SUBORDINATE_TO", u("ua"), u("ub"), valid_from="2010-01-01"),
        c(
            u("s2"),
            "SUBORDINATE_TO",
            u("ub"),
            u("uc"),
            valid_from="2011-01-01",
            valid_to="2013-01-01",
        ),
        c(u("s3"), "SUBORDINATE_TO", u("uc"), u("ua"), valid_to="2012-06-01"),
        # ud <-> ue, one after the other (a re-parenting): not reported.
        c(u("s4"), "SUBORDINATE_TO", u("ud"), u("ue"), valid_to="2010-01-01"),
        c(u("s5"), "SUBORDINATE_TO", u("ue"), u("ud"), valid_from="2011-01-01"),
        # uf <-> ug with one link retracted: not reported.
        c(u("s6"), "SUBORDINATE_TO", u("uf"), u("ug")),
        c(u("s7"), "SUBORDINATE_TO", u("ug"), u("uf"), retraction=RETRACTION),
        # A chain uf -> uh without a way back: not reported.
        c(u("s8"), "SUBORDINATE_TO", u("uh"), u("uf")),
        # p1 and p2, exact, share 2012-06-01..2012-12-31 on ua: reported.
        c(
            u("c1"),
            "COMMANDED",
            u("p1"),
            u("ua"),
            valid_from="2012-01-01",
            valid_to="2012-12-31",
            **exact,
        ),
        c(u("c2"), "COMMANDED", u("p2"), u("ua"), valid_from="2012-06-01", **exact),
        # p3 overlaps but is approximate; p4 ended the day before p1 began: not reported.
        c(u("c3"), "COMMANDED", u("p3"), u("ua"), valid_from="2012-01-01"),
        c(u("c4"), "COMMANDED", u("p4"), u("ua"), valid_to="2011-12-31", **exact),
        # p5 overlaps p1 exactly, but the claim is retracted: not reported.
        c(
            u("c5"),
            "COMMANDED",
            u("p5"),
            u("ua"),
            valid_from="2012-03-01",
            **exact,
            retraction=RETRACTION,
        ),
        # A membership from 2012 citing an item acquired in 2011 (reported, that item
        # only: the other was acquired in 2016, the third within a day of the start).
        c(
            u("m1"),
            "MEMBER_OF",
            u("p6"),
            u("ub"),
            valid_from="2012-01-01",
            evidence=[u("e2016"), u("e2011"), u("eday")],
        ),
        # An undated act on an incident of 2015, cited by the 2011 item: reported.
        c(u("a1"), "PERPETRATED", u("p7"), u("later"), evidence=[u("e2011")]),
        # The same early item under a retracted claim: not reported.
        c(
            u("m2"),
            "MEMBER_OF",
            u("p7"),
            u("ub"),
            valid_from="2013-01-01",
            evidence=[u("e2011")],
            retraction=RETRACTION,
        ),
        # Died in custody; the last detention ends 2013-05-01.
        c(
            u("d1"),
            "DETAINED_AT",
            u("dead"),
            u("f"),
            valid_from="2011-01-01",
            valid_to="2012-01-01",
        ),
        c(
            u("d2"),
            "DETAINED_AT",
            u("dead"),
            u("f"),
            valid_from="2012-06-01",
            valid_to="2013-05-01",
        ),
        # ... a membership from 2014 is reported; one from 2013-01-01 and an undated one not.
        c(u("d3"), "MEMBER_OF", u("dead"), u("uc"), valid_from="2014-01-01"),
        c(u("d4"), "MEMBER_OF", u("dead"), u("ud"), valid_from="2013-01-01"),
        c(u("d5"), "MEMBER_OF", u("dead"), u("ue")),
        # Died in custody, but a detention has no end: no date of death, nothing reported.
        c(u("o1"), "DETAINED_AT", u("open"), u("f"), valid_from="2011-01-01"),
        c(u("o2"), "MEMBER_OF", u("open"), u("uc"), valid_from="2014-01-01"),
        # Killed on 2014-03-02 (whatever the status); an act and a suffering in 2015.
        c(u("k1"), "VICTIM", u("kill"), u("killed")),
        c(u("k2"), "PERPETRATED", u("killed"), u("later")),
        c(u("k3"), "VICTIM", u("later"), u("killed")),
    ]
    return document(nodes, claims)


def expected(uid: Callable[[str], str]) -> list[dict[str, Any]]:
    u = uid
    return [
        {
            "kind": "SUBORDINATION_CYCLE",
            "message": f"Units {u('ua')} → {u('ub')} → {u('uc')} → {u('ua')} are each claimed "
            f"subordinate to the next (claims {u('s1')}, {u('s2')}, {u('s3')}), all in force "
            "from 2011-01-01 to 2012-06-01.",
            "nodeIds": [u("ua"), u("ub"), u("uc")],
            "claimIds": [u("s1"), u("s2"), u("s3")],
            "evidenceIds": [],
            "start": "2011-01-01",
            "end": "2012-06-01",
        },
        {
            "kind": "OVERLAPPING_COMMAND",
            "message": f"Unit {u('ua')} has two exact commanders at once: {u('p1')} (claim "
            f"{u('c1')}) and {u('p2')} (claim {u('c2')}), from 2012-06-01 to 2012-12-31.",
            "nodeIds": [u("ua"), u("p1"), u("p2")],
            "claimIds": [u("c1"), u("c2")],
            "evidenceIds": [],
            "start": "2012-06-01",
            "end": "2012-12-31",
        },
        {
            "kind": "EVIDENCE_PREDATES_CLAIM",
            "message": f"Claim {u('a1')} (PERPETRATED {u('p7')} → {u('later')}) begins "
            f"2015-01-10, but cites evidence acquired before then: {u('e2011')} on 2011-01-01.",
            "nodeIds": [u("p7"), u("later")],
            "claimIds": [u("a1")],
            "evidenceIds": [u("e2011")],
            "start": "2011-01-01",
            "end": "2015-01-10",
        },
        {
            "kind": "EVIDENCE_PREDATES_CLAIM",
            "message": f"Claim {u('m1')} (MEMBER_OF {u('p6')} → {u('ub')}) begins 2012-01-01, "
            f"but cites evidence acquired before then: {u('e2011')} on 2011-01-01.",
            "nodeIds": [u("p6"), u("ub")],
            "claimIds": [u("m1")],
            "evidenceIds": [u("e2011")],
            "start": "2011-01-01",
            "end": "2012-01-01",
        },
        {
            "kind": "ACTIVE_AFTER_DEATH",
            "message": f"Person {u('dead')} is recorded dead by 2013-05-01 (claim {u('d2')}: "
            f"died in custody, last detention at {u('f')} ends then), but claim {u('d3')} "
            f"(MEMBER_OF {u('dead')} → {u('uc')}) begins 2014-01-01.",
            "nodeIds": [u("dead"), u("uc")],
            "claimIds": [u("d3"), u("d2")],
            "evidenceIds": [],
            "start": "2013-05-01",
            "end": "2014-01-01",
        },
        *(
            {
                "kind": "ACTIVE_AFTER_DEATH",
                "message": f"Person {u('killed')} is recorded dead by 2014-03-02 (claim "
                f"{u('k1')}: victim of killing {u('kill')}), but claim {u(claim)} "
                f"({words}) begins 2015-01-10.",
                "nodeIds": [u("killed"), u("later")],
                "claimIds": [u(claim), u("k1")],
                "evidenceIds": [],
                "start": "2014-03-02",
                "end": "2015-01-10",
            }
            for claim, words in (
                ("k2", f"PERPETRATED {u('killed')} → {u('later')}"),
                ("k3", f"VICTIM {u('later')} → {u('killed')}"),
            )
        ),
    ]


def ours(problems: list[dict[str, Any]], uid: Callable[[str], str]) -> list[dict[str, Any]]:
    prefix = uid("")
    return [p for p in problems if any(i.startswith(prefix) for i in p["claimIds"])]


async def test_each_kind_is_reported_and_nothing_else(
    gql_as: Callable[[Role], GQL], services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    body = await gql_as(Role.ANALYST)(QUERY, first=500)
    assert "errors" not in body, body
    report = body["data"]["consistency"]
    assert not report["truncated"]
    found = ours(report["problems"], uid)
    assert found == expected(uid)
    # Ids and dates only: no name of the scenario in any sentence.
    assert not [n for n in NAMES for p in found if n in p["message"]]


async def test_the_default_page_and_a_bad_one(
    gql_as: Callable[[Role], GQL], services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    body = await gql_as(Role.INVESTIGATOR)("{ consistency { problems { kind } truncated } }")
    assert "errors" not in body, body
    body = await gql_as(Role.ANALYST)(
        """query { consistency(first: 500, kinds: [ACTIVE_AFTER_DEATH]) {
        problems { kind claimIds } } }"""
    )
    found = ours(body["data"]["consistency"]["problems"], uid)
    assert [p["claimIds"][0] for p in found] == [uid("d3"), uid("k2"), uid("k3")]
    assert {p["kind"] for p in body["data"]["consistency"]["problems"]} == {"ACTIVE_AFTER_DEATH"}
    body = await gql_as(Role.ANALYST)(QUERY, first=1)
    report = body["data"]["consistency"]
    assert len(report["problems"]) == 1 and report["truncated"]
    body = await gql_as(Role.ANALYST)(QUERY, first=0)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [p["where"] for p in error["extensions"]["problems"]] == ["first"]


async def test_a_viewer_may_not_run_it(gql_as: Callable[[Role], GQL]) -> None:
    body = await gql_as(Role.VIEWER)(QUERY, first=10)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] is None


def test_cycle_search_rules() -> None:
    day = dt.date

    def link(claim: str, a: str, b: str, start: str | None = None) -> Link:
        return Link(claim, a, b, day.fromisoformat(start) if start else None, None)

    # Found once, from its smallest unit, whichever unit the links are listed from.
    ring = [link("c2", "u2", "u3"), link("c3", "u3", "u1"), link("c1", "u1", "u2")]
    cycles, cut = find_cycles(ring, limit=10)
    assert [(c.units, c.claims) for c in cycles] == [(["u1", "u2", "u3"], ["c1", "c2", "c3"])]
    assert not cut
    # A unit under itself (stored before the write-time check) is a cycle of one.
    cycles, _ = find_cycles([link("self", "u9", "u9")], limit=10)
    assert [c.units for c in cycles] == [["u9"]]
    # Beyond the length bound, nothing; a plain hierarchy costs no search at all.
    chain = [link(f"c{i}", f"u{i:02}", f"u{i + 1:02}") for i in range(11)]
    assert find_cycles([*chain, link("back", "u11", "u00")], limit=10) == ([], False)
    assert find_cycles(chain, limit=10, budget=0) == ([], False)
    # Parallel claims make distinct cycles; the limit and the budget cut the list.
    two = [link("a", "x", "y"), link("b", "x", "y"), link("c", "y", "x")]
    cycles, cut = find_cycles(two, limit=1)
    assert [c.claims for c in cycles] == [["a", "c"]] and cut
    assert find_cycles(two, limit=10, budget=2)[1]


def _cli(settings: Settings) -> Callable[..., Any]:
    env: dict[str, str | None] = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
        "ACCOUNTABILITY_DB_USER": settings.db_user,
        "ACCOUNTABILITY_DB_PASSWORD": settings.db_password.get_secret_value(),
        "ACCOUNTABILITY_DB_NAME": settings.db_name,
        "COLUMNS": "400",
    }
    runner = CliRunner()

    async def run(*args: str, token: str | None = None) -> Result:
        argv = [*(["--token", token] if token else []), *args]
        # The command runs its own event loop: off this one, in a thread.
        return await asyncio.to_thread(lambda: runner.invoke(app, argv, env=env))

    return run


async def test_command_line_lists_problems_and_exits_1(
    settings: Settings,
    db: Database,
    services: Services,
    tokens: dict[Role, str],
    uid: Callable[[str], str],
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    cli = _cli(settings)
    shown = await cli("consistency", "--json", "--first", "500")
    assert shown.exit_code == 1, shown.output
    report = json.loads(shown.stdout)
    found = [
        {
            "kind": p["kind"].upper(),
            "message": p["message"],
            "nodeIds": p["node_ids"],
            "claimIds": p["claim_ids"],
            "evidenceIds": p["evidence_ids"],
            "start": p["start"],
            "end": p["end"],
        }
        for p in report["problems"]
    ]
    assert ours(found, uid) == expected(uid)
    table = await cli("consistency", "--first", "500", token=tokens[Role.ANALYST])
    assert table.exit_code == 1, table.output
    assert uid("s3") in table.stdout and "overlapping_command" in table.stdout
    one_kind = await cli("consistency", "--json", "--first", "500", "--kind", "overlapping_command")
    assert one_kind.exit_code == 1, one_kind.output
    kinds = {p["kind"] for p in json.loads(one_kind.stdout)["problems"]}
    assert kinds == {"overlapping_command"}
    refused = await cli("consistency", token=tokens[Role.VIEWER])
    assert refused.exit_code == 1 and "cannot run checks" in refused.stderr


async def test_command_line_exits_0_when_nothing_is_found(
    settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The session's graph holds other tests' problems, so the check itself is replaced
    # here; what is tested is the command's answer to a clean graph.
    async def clean(
        self: ConsistencyService, first: int, viewer: Viewer, kinds: object = None
    ) -> Report:
        return Report([], False)

    monkeypatch.setattr(ConsistencyService, "check", clean)
    shown = await _cli(settings)("consistency")
    assert shown.exit_code == 0, shown.output
    assert "0 problem(s)" in shown.stdout


ADD = """mutation($in: ClaimInput!) { addClaim(input: $in) { id } }"""


async def test_add_claim_refuses_a_node_joined_to_itself(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(
        SYSTEM,
        document([make_node(uid("u"), "Unit", name="Fictional Unit"), make_person(uid("p"))], []),
    )
    for claim_type, node, wheres in (
        ("SUBORDINATE_TO", uid("u"), ["input.to"]),
        # Also the wrong labels: every problem is reported at once.
        ("COMMANDED", uid("p"), ["input.to", "input.type"]),
    ):
        body = await gql(
            ADD, **{"in": {"id": uid(claim_type), "type": claim_type, "from": node, "to": node}}
        )
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", body
        problems = error["extensions"]["problems"]
        assert [p["where"] for p in problems] == wheres
        assert "cannot join a node to itself" in problems[0]["message"]
        assert await services.claims.get_many([uid(claim_type)], SYSTEM) == {}


async def test_import_refuses_a_node_joined_to_itself_by_position(
    settings: Settings, db: Database, services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    doc = document(
        [make_node(uid(k), "Unit", name=f"Fictional Unit {k}") for k in "ab"],
        [
            make_claim(uid("fine"), "SUBORDINATE_TO", uid("a"), uid("b")),
            make_claim(uid("loop"), "SUBORDINATE_TO", uid("b"), uid("b")),
            make_claim(uid("aid"), "AIDED", uid("a"), uid("a")),
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        await services.interchange.import_document(SYSTEM, doc)
    assert caught.value.code == "BAD_USER_INPUT"
    assert [p.where for p in caught.value.problems] == ["claims[1].to", "claims[2].to"]
    # The whole file is refused: its good records too.
    assert await services.nodes.labels_of([uid("a")]) == {}
    assert await services.claims.get_many([uid("fine")], SYSTEM) == {}
    # The command line says the same, by position.
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(doc))
    shown = await _cli(settings)("import", str(path))
    assert shown.exit_code == 1
    assert "claims[1].to" in shown.stderr and "claims[2].to" in shown.stderr
