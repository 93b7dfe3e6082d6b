"""From links to elements: the NOTIFIED, EXERCISED_CONTROL and TOOK_MEASURES claims,
notice, the elements of each link and a case's matrix, on fictional people only."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner, Result

from accountability.cli import app
from accountability.cli.elements import MATRIX_COLUMNS
from accountability.domain import elements as rules
from accountability.domain.consistency import ProblemKind
from accountability.domain.elements import Context, ElementStatus, LinkFacts
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.liability import Mode, PathClaim, Period
from accountability.domain.patterns import PatternGroup
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, IncidentKind
from accountability.errors import ValidationFailed
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.exports import brief as briefs
from accountability.services.exports import bundle, chart, matrix_csv
from accountability.services.exports.service import Scope
from accountability.settings import Settings
from tests.builders import REPO, document, make_evidence, make_node, make_person
from tests.conftest import GQL
from tests.exporting import whole_graph

ADD = """mutation($in: ClaimInput!) { addClaim(input: $in) { id type properties } }"""
EXACT = {"date_precision": "exact", "confidence": "high"}


# --- The claims -------------------------------------------------------------------------


async def _seed_claim_ends(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(
        SYSTEM,
        document(
            [
                make_person(uid("p"), name="Fictional Colonel Sarouf"),
                make_person(uid("q"), name="Fictional Guard"),
                make_node(uid("u"), "Unit", name="Fictional Unit"),
                make_node(uid("f"), "Facility", name="Fictional Facility"),
                make_node(uid("i"), "Incident", kind="torture", start_date="2013-06-10"),
            ],
            [],
        ),
    )


async def test_the_three_claim_types_through_the_api(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await _seed_claim_ends(services, uid)
    good = [
        ("NOTIFIED", "i", {"how": "complaint by a relative"}),
        ("NOTIFIED", "f", {"how": "visit"}),
        ("NOTIFIED", "u", {}),
        ("EXERCISED_CONTROL", "u", {"how": "issued_orders"}),
        ("EXERCISED_CONTROL", "q", {"how": "disciplined"}),
        ("TOOK_MEASURES", "i", {"how": "investigation opened"}),
        ("TOOK_MEASURES", "u", {"how": "referral"}),
        ("TOOK_MEASURES", "f", {"how": "disciplinary action"}),
    ]
    for n, (kind, to, props) in enumerate(good):
        body = await gql(
            ADD,
            **{
                "in": {
                    "id": uid(f"c{n}"),
                    "type": kind,
                    "from": uid("p"),
                    "to": uid(to),
                    "properties": props,
                }
            },
        )
        assert body["data"]["addClaim"] == {"id": uid(f"c{n}"), "type": kind, "properties": props}
    bad: list[tuple[dict[str, Any], str, str]] = [
        ({"type": "NOTIFIED", "to": uid("q")}, "input.type", "cannot end at a Person"),
        ({"type": "TOOK_MEASURES", "to": uid("q")}, "input.type", "cannot end at a Person"),
        ({"type": "EXERCISED_CONTROL", "to": uid("f")}, "input.type", "cannot end at a Facility"),
        (
            {"type": "EXERCISED_CONTROL", "to": uid("u"), "properties": {"how": "bribed"}},
            "input",
            "must be one of: appointed, approved_transfer",
        ),
        (
            {"type": "NOTIFIED", "to": uid("u"), "properties": {"contribution": "x"}},
            "input",
            "'contribution' is not allowed on NOTIFIED (allowed: how)",
        ),
    ]
    for n, (fields, where, message) in enumerate(bad):
        body = await gql(ADD, **{"in": {"id": uid(f"bad{n}"), "from": uid("p"), **fields}})
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", body
        assert error["path"] == ["addClaim"]
        assert any(
            p["where"] == where and message in p["message"] for p in error["extensions"]["problems"]
        ), body
        assert await services.claims.get_many([uid(f"bad{n}")], SYSTEM) == {}


async def test_the_claims_round_trip_through_the_interchange_format(
    services: Services, uid: Callable[[str], str]
) -> None:
    await _seed_claim_ends(services, uid)
    claims = [
        {
            "id": uid("n"),
            "type": "NOTIFIED",
            "from": uid("p"),
            "to": uid("i"),
            "valid_from": "2013-05-01",
            "properties": {"how": "death certificate"},
            **EXACT,
        },
        {
            "id": uid("x"),
            "type": "EXERCISED_CONTROL",
            "from": uid("p"),
            "to": uid("u"),
            "properties": {"how": "appointed"},
        },
        {
            "id": uid("m"),
            "type": "TOOK_MEASURES",
            "from": uid("p"),
            "to": uid("f"),
            "properties": {"how": "referral"},
        },
    ]
    await services.interchange.import_document(SYSTEM, document([], claims))
    exported = {c["id"]: c for c in (await whole_graph(services))["claims"]}
    for claim in claims:
        out = exported[str(claim["id"])]
        assert (out["type"], out["from"], out["to"], out["properties"]) == (
            claim["type"],
            claim["from"],
            claim["to"],
            claim["properties"],
        )
    bad = document(
        [],
        [
            {
                "id": uid("bad"),
                "type": "EXERCISED_CONTROL",
                "from": uid("p"),
                "to": uid("u"),
                "properties": {"how": "threatened"},
            }
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        await services.interchange.import_document(SYSTEM, bad)
    assert any(p.where.startswith("claims[0]") for p in caught.value.problems)


async def test_free_text_how_is_masked_for_uncleared_roles(
    gql_as: Callable[[Role], GQL], services: Services, uid: Callable[[str], str]
) -> None:
    await _seed_claim_ends(services, uid)
    await services.interchange.import_document(
        SYSTEM,
        document(
            [
                make_person(
                    uid("w"), name="Zainab Qutaybiyeh", protected=True, pseudonym="Witness EL-1"
                ),
                make_evidence(uid("epub"), classification="public"),
            ],
            [
                {
                    "id": uid("n"),
                    "type": "NOTIFIED",
                    "from": uid("p"),
                    "to": uid("i"),
                    "evidence": [uid("epub")],
                    "properties": {"how": "letter from Zainab Qutaybiyeh's lawyer"},
                },
                {
                    "id": uid("m"),
                    "type": "TOOK_MEASURES",
                    "from": uid("p"),
                    "to": uid("i"),
                    "evidence": [uid("epub")],
                    "properties": {"how": "questioned Qutaybiyeh"},
                },
            ],
        ),
    )
    query = """query($a: ID!, $b: ID!) { a: claim(id: $a) { properties }
                                           b: claim(id: $b) { properties } }"""
    for role in (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR):
        body = await gql_as(role)(query, a=uid("n"), b=uid("m"))
        text = str(body)
        assert "Qutaybiyeh" not in text and "Zainab" not in text, (role, body)
        assert "Witness EL-1" in body["data"]["a"]["properties"]["how"], (role, body)
    body = await gql_as(Role.PROSECUTOR)(query, a=uid("n"), b=uid("m"))
    assert body["data"]["a"]["properties"]["how"] == "letter from Zainab Qutaybiyeh's lawyer"


# --- Unit rules (pure) ------------------------------------------------------------------

PERIOD = Period(dt.date(2014, 6, 10), dt.date(2014, 6, 12))


def pc(
    cid: str,
    kind: ClaimType,
    to: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    **props: Any,
) -> PathClaim:
    return PathClaim(
        id=cid,
        type=kind,
        from_id="p",
        to_id=to,
        valid_from=valid_from,
        valid_to=valid_to,
        date_precision=DatePrecision.EXACT,
        confidence=Confidence.HIGH,
        evidence=(f"e-{cid}",),
        props=props,
    )


def facts(mode: Mode = Mode.SUPERIOR_RESPONSIBILITY, **overrides: Any) -> LinkFacts:
    base: dict[str, Any] = {
        "mode": mode,
        "incident_id": "i",
        "kind": IncidentKind.TORTURE,
        "period": PERIOD,
        "path": None,
    }
    return LinkFacts(**{**base, **overrides})


def status(f: LinkFacts, element: str, part: str = "LINK") -> ElementStatus:
    found = [a for a in rules.assess(f) if a.element == element and a.part.value == part]
    assert len(found) == 1, found
    return found[0].status


def test_notifications_count_only_when_dated_before_the_incident_ended() -> None:
    assert rules.notification_counts(pc("a", ClaimType.NOTIFIED, "f", dt.date(2014, 6, 1)), PERIOD)
    assert rules.notification_counts(pc("b", ClaimType.NOTIFIED, "f", dt.date(2014, 6, 12)), PERIOD)
    assert not rules.notification_counts(
        pc("c", ClaimType.NOTIFIED, "f", dt.date(2014, 6, 13)), PERIOD
    )
    assert not rules.notification_counts(pc("d", ClaimType.NOTIFIED, "f"), PERIOD)


def test_control_indicators_count_in_force_and_about_the_chain() -> None:
    claims = [
        pc("in", ClaimType.EXERCISED_CONTROL, "u", dt.date(2014, 1, 1), how="issued_orders"),
        pc("ended", ClaimType.EXERCISED_CONTROL, "u", dt.date(2012, 1, 1), dt.date(2013, 1, 1)),
        pc("later", ClaimType.EXERCISED_CONTROL, "u", dt.date(2014, 7, 1)),
        pc("elsewhere", ClaimType.EXERCISED_CONTROL, "other", dt.date(2014, 1, 1)),
        pc("undated", ClaimType.EXERCISED_CONTROL, "perp"),
    ]
    found = rules.relevant_control(claims, {"u", "perp"}, PERIOD)
    assert [c.id for c in found] == ["in", "undated"]


def test_measures_on_the_incident_count_at_any_date_on_units_unless_ended_before() -> None:
    claims = [
        pc("punished", ClaimType.TOOK_MEASURES, "i", dt.date(2015, 1, 1)),
        pc("old", ClaimType.TOOK_MEASURES, "u", dt.date(2012, 1, 1), dt.date(2012, 12, 31)),
        pc("standing", ClaimType.TOOK_MEASURES, "u", dt.date(2013, 1, 1)),
        pc("after", ClaimType.TOOK_MEASURES, "f", dt.date(2014, 9, 1)),
        pc("elsewhere", ClaimType.TOOK_MEASURES, "f2", dt.date(2014, 1, 1)),
    ]
    found = rules.measures_in_time(claims, "i", {"u", "f"}, PERIOD)
    assert [c.id for c in found] == ["punished", "standing", "after"]


def test_every_status_rule_of_superior_responsibility() -> None:
    command = [pc("cmd", ClaimType.COMMANDED, "u", dt.date(2013, 1, 1))]
    control = [pc("x", ClaimType.EXERCISED_CONTROL, "u", dt.date(2014, 1, 1), how="disciplined")]
    measure = [pc("m", ClaimType.TOOK_MEASURES, "i", dt.date(2014, 7, 1), how="referral")]
    notified = [pc("n", ClaimType.NOTIFIED, "f", dt.date(2014, 1, 1))]
    assert status(facts(), "EFFECTIVE_CONTROL") is ElementStatus.GAP
    assert status(facts(path=command), "EFFECTIVE_CONTROL") is ElementStatus.PARTIAL
    supported = facts(path=command, control=control)
    assert status(supported, "EFFECTIVE_CONTROL") is ElementStatus.SUPPORTED
    assert "disciplined" in rules.assess(supported)[0].note
    assert status(facts(path=command), "KNOWLEDGE") is ElementStatus.GAP
    priors = facts(path=command, prior_incidents=2, prior_deaths=1, first_prior=dt.date(2013, 5, 1))
    assert status(priors, "KNOWLEDGE") is ElementStatus.PARTIAL
    assert status(facts(notifications=notified), "KNOWLEDGE") is ElementStatus.SUPPORTED
    assert status(facts(path=command), "FAILURE_TO_ACT") is ElementStatus.PARTIAL
    assert status(facts(measures=measure), "FAILURE_TO_ACT") is ElementStatus.CONTRADICTED
    keys = [(a.element, a.part.value) for a in rules.assess(facts())]
    assert keys == [
        ("EFFECTIVE_CONTROL", "LINK"),
        ("KNOWLEDGE", "LINK"),
        ("FAILURE_TO_ACT", "LINK"),
        ("CONDUCT", "CRIME"),
        ("CUSTODY", "CRIME"),
        ("CONTEXT", "CRIME"),
    ]
    assert all(a.basis for a in rules.assess(facts()))


def test_every_status_rule_of_the_other_modes() -> None:
    direct = [pc("a", ClaimType.AIDED, "i", contribution="transfers")]
    standing = [pc("a", ClaimType.AIDED, "f", dt.date(2013, 1, 1))]
    notified = [pc("n", ClaimType.NOTIFIED, "f", dt.date(2014, 1, 1))]
    aid = Mode.AIDING_ABETTING
    assert status(facts(aid), "ASSISTANCE") is ElementStatus.GAP
    assert status(facts(aid, path=standing), "ASSISTANCE") is ElementStatus.PARTIAL
    assert status(facts(aid, path=direct), "ASSISTANCE") is ElementStatus.SUPPORTED
    assert status(facts(aid, path=standing), "KNOWLEDGE") is ElementStatus.GAP
    assert status(facts(aid, path=direct), "KNOWLEDGE") is ElementStatus.PARTIAL
    assert status(facts(aid, notifications=notified), "KNOWLEDGE") is ElementStatus.SUPPORTED
    order = Mode.ORDERING
    ordered = [pc("o", ClaimType.ORDERED, "i")]
    command = [pc("cmd", ClaimType.COMMANDED, "u", dt.date(2013, 1, 1))]
    control = [pc("x", ClaimType.EXERCISED_CONTROL, "perp", how="issued_orders")]
    assert status(facts(order), "ORDER") is ElementStatus.GAP
    assert status(facts(order, path=ordered), "ORDER") is ElementStatus.SUPPORTED
    assert status(facts(order), "AUTHORITY") is ElementStatus.GAP
    assert status(facts(order, control=control), "AUTHORITY") is ElementStatus.PARTIAL
    assert status(facts(order, superior_path=command), "AUTHORITY") is ElementStatus.PARTIAL
    assert (
        status(facts(order, superior_path=command, control=control), "AUTHORITY")
        is ElementStatus.SUPPORTED
    )
    perp = Mode.PERPETRATION
    assert status(facts(perp), "CONDUCT") is ElementStatus.GAP
    done = facts(perp, path=[pc("p", ClaimType.PERPETRATED, "i")])
    assert status(done, "CONDUCT") is ElementStatus.SUPPORTED
    assert [a.element for a in rules.assess(done)] == ["CONDUCT", "CONDUCT", "CUSTODY", "CONTEXT"]


def test_every_status_rule_of_the_crime() -> None:
    v1 = pc("v1", ClaimType.VICTIM, "p1")
    v2 = pc("v2", ClaimType.VICTIM, "p2")
    held = pc("d1", ClaimType.DETAINED_AT, "f", dt.date(2014, 1, 1))
    assert status(facts(), "CONDUCT", "CRIME") is ElementStatus.PARTIAL  # no victim
    assert status(facts(victims=[v1]), "CONDUCT", "CRIME") is ElementStatus.SUPPORTED
    other = facts(victims=[v1], kind=IncidentKind.OTHER)
    assert status(other, "CONDUCT", "CRIME") is ElementStatus.PARTIAL
    detention = facts(kind=IncidentKind.ARBITRARY_DETENTION, victims=[v1])
    conduct = next(a for a in rules.assess(detention) if a.part.value == "CRIME")
    assert "imprisonment" in conduct.basis
    assert status(facts(), "CUSTODY", "CRIME") is ElementStatus.GAP
    assert status(facts(victims=[v1, v2]), "CUSTODY", "CRIME") is ElementStatus.GAP
    some = facts(victims=[v1, v2], custody={"p1": [held]})
    assert status(some, "CUSTODY", "CRIME") is ElementStatus.PARTIAL
    every = facts(victims=[v1], custody={"p1": [held]})
    assert status(every, "CUSTODY", "CRIME") is ElementStatus.SUPPORTED
    assert status(facts(), "CONTEXT", "CRIME") is ElementStatus.GAP
    few = facts(context=Context(incidents=3, facilities=1, deaths=1))
    assert status(few, "CONTEXT", "CRIME") is ElementStatus.PARTIAL
    one_site = facts(context=Context(incidents=40, facilities=1))
    assert status(one_site, "CONTEXT", "CRIME") is ElementStatus.PARTIAL
    pattern = facts(context=Context(incidents=12, facilities=3, deaths=4))
    assert status(pattern, "CONTEXT", "CRIME") is ElementStatus.SUPPORTED


def test_a_partial_trace_qualifies_every_gap() -> None:
    found = rules.assess(facts(missing=["SUPERIOR_RESPONSIBILITY: over the time limit"]))
    gaps = [a for a in found if a.status is ElementStatus.GAP]
    assert gaps and all("The trace was partial" in a.note for a in gaps)
    assert all("partial" not in a.note for a in found if a.status is not ElementStatus.GAP)


def test_gap_order_puts_gaps_then_contradictions_first() -> None:
    s = ElementStatus
    rows = [
        [s.SUPPORTED, s.SUPPORTED],
        [s.GAP, s.SUPPORTED],
        [s.CONTRADICTED, s.PARTIAL],
        [s.GAP, s.GAP],
        [s.PARTIAL, s.SUPPORTED],
    ]
    ranked = sorted(rows, key=rules.gap_order)
    assert ranked == [rows[3], rows[1], rows[2], rows[4], rows[0]]


# --- On the engine: a fictional command structure ---------------------------------------


def elements_scenario(uid: Callable[[str], str]) -> dict[str, Any]:
    """Incident I (torture, 2014-06-10..12) at facility F, and everything around it.

    cmd commands U_top from 2012; U (under U_top since 2010) operates F from 2013 (U_old
    before) and F4 since 2010; R operates F3 and moved from U_other to U_top on
    2013-07-01; U_other operates F2. Prior incidents: P1 at F (counts), P3 at F3 after
    the move (counts), P6 by a member of U at an unoperated F5 (counts); P_tenure at F4
    before cmd's command, P_op at F before U operated it, P4 at F3 before the move, P5 at
    F2, P_after after I: none count."""
    pub = uid("epub")
    prot = uid("eprot")
    people = ["cmd", "cmd2", "dir", "perp", "perp2", "ord", "aider", "aider_f", "other"]
    nodes = [make_person(uid(p), name=f"Fictional {p}") for p in people]
    nodes += [
        make_person(uid("v0"), name="Fictional victim zero", status="detained"),
        make_person(uid("v0b"), name="Fictional victim one", status="released"),
        make_person(uid("v1"), name="Fictional victim two", status="died_in_custody"),
        make_person(
            uid("v3"),
            name="Hamdan Zurqawiyya",
            protected=True,
            pseudonym="Victim EL-3",
            status="unknown",
        ),
    ]
    nodes += [
        make_node(uid(u), "Unit", name=f"Fictional unit {u}")
        for u in ["U", "U_top", "U_old", "U_other", "R"]
    ]
    nodes += [
        make_node(uid(f), "Facility", name=f"Fictional facility {f}")
        for f in ["F", "F2", "F3", "F4", "F5"]
    ]
    incidents = {
        "I": ("torture", "2014-06-10", "2014-06-12", "F"),
        "P1": ("torture", "2013-05-01", None, "F"),
        "P3": ("killing", "2013-09-01", None, "F3"),
        "P6": ("torture", "2013-10-01", None, "F5"),
        "P_tenure": ("torture", "2011-05-01", None, "F4"),
        "P_op": ("killing", "2012-06-01", None, "F"),
        "P4": ("killing", "2013-03-01", None, "F3"),
        "P5": ("killing", "2013-08-01", None, "F2"),
        "P_after": ("torture", "2014-08-01", None, "F"),
    }
    for key, (kind, start, end, _) in incidents.items():
        props: dict[str, Any] = {"kind": kind, "start_date": start}
        if end:
            props["end_date"] = end
        nodes.append(make_node(uid(key), "Incident", **props))
    nodes += [
        make_evidence(pub, classification="public", source="Public archive"),
        make_evidence(prot, classification="protected", source="Witness file"),
        {"id": uid("case"), "label": "Case", "properties": {"title": "Fictional case"}},
    ]
    n = 0

    def claim(kind: str, frm: str, to: str, **fields: Any) -> dict[str, Any]:
        nonlocal n
        n += 1
        return {
            "id": uid(f"c{n}-{kind.lower()}"),
            "type": kind,
            "from": uid(frm),
            "to": uid(to),
            "evidence": fields.pop("evidence", [pub]),
            **fields,
        }

    def since(start: str, end: str | None = None) -> dict[str, Any]:
        return {"valid_from": start, "valid_to": end, **EXACT}

    claims = [claim("OCCURRED_AT", key, f) for key, (_, _, _, f) in incidents.items()]
    claims += [
        claim("COMMANDED", "cmd", "U_top", **since("2012-01-01")),
        claim("COMMANDED", "cmd2", "U", **since("2014-01-01")),
        claim("COMMANDED", "other", "U_other", **since("2010-01-01")),
        claim("SUBORDINATE_TO", "U", "U_top", **since("2010-01-01")),
        claim("SUBORDINATE_TO", "R", "U_other", **since("2010-01-01", "2013-06-30")),
        claim("SUBORDINATE_TO", "R", "U_top", **since("2013-07-01")),
        claim("OPERATED", "U", "F", **since("2013-01-01")),
        claim("OPERATED", "U_old", "F", **since("2010-01-01", "2012-12-31")),
        claim("OPERATED", "U", "F4", **since("2010-01-01")),
        claim("OPERATED", "R", "F3", **since("2010-01-01")),
        claim("OPERATED", "U_other", "F2", **since("2010-01-01")),
        claim(
            "POSTED_AT",
            "dir",
            "F",
            properties={"role": "director", "command": True},
            **since("2013-01-01"),
        ),
        claim("MEMBER_OF", "perp", "U", **since("2012-01-01")),
        claim("MEMBER_OF", "perp2", "U", **since("2012-01-01")),
        claim("PERPETRATED", "perp", "I"),
        claim("PERPETRATED", "perp2", "P6"),
        claim("ORDERED", "ord", "I"),
        claim("AIDED", "aider", "I", properties={"contribution": "transfers"}),
        claim("AIDED", "aider_f", "F", **since("2013-01-01")),
        claim("VICTIM", "I", "v0"),
        claim("VICTIM", "I", "v0b"),
        claim("VICTIM", "P1", "v1"),
        claim("VICTIM", "P3", "v3", evidence=[prot]),
        claim("DETAINED_AT", "v0", "F", **since("2014-05-01", "2014-07-01")),
        claim("DETAINED_AT", "v0b", "F", **since("2012-01-01", "2012-12-31")),
        # Notice: one before the incident counts; after it, undated, or about an
        # unrelated facility, none does.
        claim(
            "NOTIFIED",
            "cmd",
            "F",
            evidence=[prot],
            properties={"how": "report naming Hamdan Zurqawiyya"},
            **since("2013-06-01"),
        ),
        claim("NOTIFIED", "cmd", "I", properties={"how": "complaint"}, **since("2014-07-01")),
        claim("NOTIFIED", "cmd", "F", properties={"how": "visit"}),
        claim("NOTIFIED", "cmd", "F2", properties={"how": "visit"}, **since("2013-01-01")),
        claim(
            "EXERCISED_CONTROL",
            "cmd",
            "U",
            properties={"how": "issued_orders"},
            **since("2014-01-01", "2014-12-31"),
        ),
        claim("EXERCISED_CONTROL", "ord", "perp", properties={"how": "issued_orders"}),
        claim(
            "TOOK_MEASURES",
            "cmd2",
            "I",
            properties={"how": "investigation opened"},
            **since("2014-07-01"),
        ),
        claim(
            "TOOK_MEASURES",
            "cmd",
            "U",
            properties={"how": "disciplinary action"},
            **since("2012-01-01", "2012-12-31"),
        ),
    ]
    members = ["cmd", "cmd2", "dir", "perp", "ord", "aider", "aider_f", "I"]
    claims += [claim("INCLUDES", "case", m, evidence=[]) for m in members]
    return document(nodes, claims)


@pytest.fixture
async def scene(services: Services, uid: Callable[[str], str]) -> Callable[[str], str]:
    await services.interchange.import_document(SYSTEM, elements_scenario(uid))
    return uid


async def test_notice_counts_only_incidents_under_his_command_at_the_time(
    services: Services, scene: Callable[[str], str]
) -> None:
    uid = scene
    found = await services.notice.notice(uid("cmd"), uid("I"), SYSTEM)
    assert found.incidents == [uid("P1"), uid("P3"), uid("P6")]
    assert found.deaths == 2  # v1 died in custody (P1); v3 (protected) killed (P3)
    assert found.first_prior == dt.date(2013, 5, 1)
    assert [c.props["how"] for c in found.notifications] == ["report naming Hamdan Zurqawiyya"]
    director = await services.notice.notice(uid("dir"), uid("I"), SYSTEM)
    assert director.incidents == [uid("P1")] and director.deaths == 1
    assert director.notifications == []
    later = await services.notice.notice(uid("cmd2"), uid("I"), SYSTEM)
    assert later.incidents == [] and later.first_prior is None


async def test_prior_incidents_are_those_the_trace_links_him_to_as_superior(
    services: Services, scene: Callable[[str], str]
) -> None:
    """prior_incidents answers in one statement what the trace answers incident by
    incident: the trace, inverted (personProfile's incidents), is the oracle."""
    uid = scene
    day = dt.date(2014, 6, 10)
    people = ["cmd", "cmd2", "dir", "perp", "other"]
    found = await services.notice.tenures({uid(p): day for p in people}, SYSTEM)
    for p in people:
        links = await services.tracing.incidents_of(uid(p), 6, SYSTEM)
        expected = {
            link.incident_id
            for link in links
            if link.mode is Mode.SUPERIOR_RESPONSIBILITY
            and link.period.start is not None
            and link.period.start < day
        }
        assert set(found[uid(p)].starts) == expected, p
    assert set(found[uid("other")].starts) == {uid("P4"), uid("P5")}  # R before its move


def by_key(found: list[Any]) -> dict[tuple[str, str], Any]:
    return {(a.element, a.part.value): a for a in found}


async def test_elements_of_each_link_on_the_engine(
    services: Services, scene: Callable[[str], str]
) -> None:
    uid = scene
    s = ElementStatus
    sr = Mode.SUPERIOR_RESPONSIBILITY

    async def of(person: str, mode: Mode) -> dict[tuple[str, str], Any]:
        return by_key(await services.elements.elements(uid(person), uid("I"), mode, SYSTEM))

    cmd = await of("cmd", sr)
    assert cmd[("EFFECTIVE_CONTROL", "LINK")].status is s.SUPPORTED
    assert "issued_orders" in cmd[("EFFECTIVE_CONTROL", "LINK")].note
    assert cmd[("KNOWLEDGE", "LINK")].status is s.SUPPORTED
    assert cmd[("FAILURE_TO_ACT", "LINK")].status is s.PARTIAL  # its old measure ended in 2012
    assert cmd[("CONDUCT", "CRIME")].status is s.SUPPORTED
    assert cmd[("CUSTODY", "CRIME")].status is s.PARTIAL  # v0 held then, v0b not
    assert cmd[("CONTEXT", "CRIME")].status is s.PARTIAL  # P_after only, within a year
    assert uid("eprot") in cmd[("KNOWLEDGE", "LINK")].evidence
    cmd2 = await of("cmd2", sr)
    assert cmd2[("EFFECTIVE_CONTROL", "LINK")].status is s.PARTIAL
    assert cmd2[("KNOWLEDGE", "LINK")].status is s.GAP
    assert cmd2[("FAILURE_TO_ACT", "LINK")].status is s.CONTRADICTED
    director = await of("dir", sr)
    assert director[("KNOWLEDGE", "LINK")].status is s.PARTIAL
    assert (await of("aider", sr))[("EFFECTIVE_CONTROL", "LINK")].status is s.GAP
    aider = await of("aider", Mode.AIDING_ABETTING)
    assert aider[("ASSISTANCE", "LINK")].status is s.SUPPORTED
    assert aider[("KNOWLEDGE", "LINK")].status is s.PARTIAL
    aider_f = await of("aider_f", Mode.AIDING_ABETTING)
    assert aider_f[("ASSISTANCE", "LINK")].status is s.PARTIAL
    assert aider_f[("KNOWLEDGE", "LINK")].status is s.GAP
    ordering = await of("ord", Mode.ORDERING)
    assert ordering[("ORDER", "LINK")].status is s.SUPPORTED
    assert ordering[("AUTHORITY", "LINK")].status is s.PARTIAL  # control of perp, no command
    assert (await of("perp", Mode.PERPETRATION))[("CONDUCT", "LINK")].status is s.SUPPORTED
    assert (await of("cmd", Mode.PERPETRATION))[("CONDUCT", "LINK")].status is s.GAP


async def test_case_matrix_lists_gaps_first(
    services: Services, scene: Callable[[str], str]
) -> None:
    uid = scene
    matrix = await services.elements.matrix(uid("case"), SYSTEM)
    rows = [(r.person_id.removeprefix(uid("")), r.mode.value) for r in matrix.rows]
    assert set(rows) == {
        ("perp", "PERPETRATION"),
        ("ord", "ORDERING"),
        ("aider", "AIDING_ABETTING"),
        ("aider_f", "AIDING_ABETTING"),
        ("cmd", "SUPERIOR_RESPONSIBILITY"),
        ("cmd2", "SUPERIOR_RESPONSIBILITY"),
        ("dir", "SUPERIOR_RESPONSIBILITY"),
    }
    gaps = [r.count(ElementStatus.GAP) for r in matrix.rows]
    assert gaps == sorted(gaps, reverse=True) and gaps[0] > 0
    # The matrix reads every accused's past in one sweep; one link alone, with the
    # trace's person filter: both give the same assessments.
    for row in matrix.rows:
        alone = await services.elements.elements(row.person_id, row.incident_id, row.mode, SYSTEM)
        assert [(a.element, a.status, a.note) for a in alone] == [
            (a.element, a.status, a.note) for a in row.elements
        ], row.person_id


MATRIX = """query($c: ID!) { caseMatrix(caseId: $c) { rows { mode gaps person { id name }
  incident { id } cells { element part status evidenceIds } } } }"""
ELEMENTS = """query($p: ID!, $i: ID!, $m: LiabilityMode!) {
  liabilityElements(personId: $p, incidentId: $i, mode: $m) {
    element part basis status note claims { id type properties } evidence { id title } } }"""
NOTICE = """query($p: ID!, $i: ID!) { notice(personId: $p, incidentId: $i) {
  priorIncidents priorDeaths firstPrior incidents { id }
  notifications { id properties evidence { id title } } } }"""


async def test_graphql_roles_and_masking(
    gql_as: Callable[[Role], GQL], scene: Callable[[str], str]
) -> None:
    uid = scene
    for role in (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR, Role.PROSECUTOR):
        gql = gql_as(role)
        notice = await gql(NOTICE, p=uid("cmd"), i=uid("I"))
        elements = await gql(ELEMENTS, p=uid("cmd"), i=uid("I"), m="SUPERIOR_RESPONSIBILITY")
        matrix = await gql(MATRIX, c=uid("case"))
        for body in (notice, elements, matrix):
            assert "errors" not in body, (role, body)
        n = notice["data"]["notice"]
        # The protected victim of P3 is counted, never named.
        assert (n["priorIncidents"], n["priorDeaths"], n["firstPrior"]) == (3, 2, "2013-05-01")
        how = n["notifications"][0]["properties"]["how"]
        knowledge = next(
            a for a in elements["data"]["liabilityElements"] if a["element"] == "KNOWLEDGE"
        )
        assert knowledge["status"] == "SUPPORTED"
        evidence = {e["id"]: e["title"] for e in knowledge["evidence"]}
        text = str([notice, elements, matrix])
        if role is Role.PROSECUTOR:
            assert how == "report naming Hamdan Zurqawiyya"
            assert evidence[uid("eprot")] == f"Statement {uid('eprot')}"
        else:
            assert "Zurqawiyya" not in text and "Hamdan" not in text, role
            # By pseudonym, or withheld where the masker is unsure which person it names.
            assert how in ("report naming Victim EL-3", "report naming [withheld]"), how
        if role is Role.VIEWER:
            assert uid("eprot") not in text  # protected evidence absent for the viewer
        elif role is not Role.PROSECUTOR:
            assert evidence[uid("eprot")] == "Protected evidence item"
        rows = matrix["data"]["caseMatrix"]["rows"]
        assert len(rows) == 7 and rows[0]["gaps"] >= rows[-1]["gaps"]


async def test_bad_input_is_refused_by_code_and_path(
    gql_as: Callable[[Role], GQL], scene: Callable[[str], str]
) -> None:
    uid = scene
    gql = gql_as(Role.ANALYST)
    cases: list[tuple[str, dict[str, Any], str, str | None]] = [
        (ELEMENTS, {"p": uid("cmd"), "i": uid("I"), "m": "PRESENT"}, "BAD_USER_INPUT", "mode"),
        (ELEMENTS, {"p": "nobody", "i": uid("I"), "m": "ORDERING"}, "NOT_FOUND", None),
        (ELEMENTS, {"p": uid("cmd"), "i": "nothing", "m": "ORDERING"}, "NOT_FOUND", None),
        (ELEMENTS, {"p": uid("U"), "i": uid("I"), "m": "ORDERING"}, "NOT_FOUND", None),
        (NOTICE, {"p": uid("cmd"), "i": uid("F")}, "NOT_FOUND", None),
        (NOTICE, {"p": "nobody", "i": uid("I")}, "NOT_FOUND", None),
        (MATRIX, {"c": uid("cmd")}, "BAD_USER_INPUT", "caseId"),
        (MATRIX, {"c": "no-such-case"}, "NOT_FOUND", None),
    ]
    for query, variables, code, where in cases:
        body = await gql(query, **variables)
        error = body["errors"][0]
        field = query.split("{")[1].split("(")[0].strip()
        assert error["path"] == [field], body
        assert error["extensions"]["code"] == code, body
        if where:
            assert [p["where"] for p in error["extensions"]["problems"]] == [where], body


async def test_the_command_line_writes_the_matrix_as_csv(
    settings: Settings, db: Database, scene: Callable[[str], str], tmp_path: Path
) -> None:
    uid = scene
    env: dict[str, str | None] = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
        "ACCOUNTABILITY_DB_USER": settings.db_user,
        "ACCOUNTABILITY_DB_PASSWORD": settings.db_password.get_secret_value(),
        "ACCOUNTABILITY_DB_NAME": settings.db_name,
        "COLUMNS": "250",
    }

    async def run(*argv: str) -> Result:
        # The command runs its own event loop (it attaches to the session's engine).
        return await asyncio.to_thread(lambda: CliRunner().invoke(app, list(argv), env=env))

    out = tmp_path / "matrix.csv"
    result = await run("elements", "matrix", uid("case"), "--csv", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == MATRIX_COLUMNS
    assert {r["mode"] for r in rows} == {
        "PERPETRATION",
        "ORDERING",
        "AIDING_ABETTING",
        "SUPERIOR_RESPONSIBILITY",
    }
    cmd = {(r["part"], r["element"]): r for r in rows if r["person_id"] == uid("cmd")}
    assert cmd[("LINK", "KNOWLEDGE")]["status"] == "SUPPORTED"
    assert uid("eprot") in cmd[("LINK", "KNOWLEDGE")]["evidence_ids"]
    first = (rows[0]["person_id"], rows[0]["mode"])
    assert "GAP" in {r["status"] for r in rows if (r["person_id"], r["mode"]) == first}
    result = await run(
        "elements", "show", uid("cmd2"), uid("I"), "--mode", "SUPERIOR_RESPONSIBILITY", "--json"
    )
    assert result.exit_code == 0, result.output
    shown = {a["element"]: a["status"] for a in json.loads(result.output) if a["part"] == "LINK"}
    assert shown == {
        "EFFECTIVE_CONTROL": "PARTIAL",
        "KNOWLEDGE": "GAP",
        "FAILURE_TO_ACT": "CONTRADICTED",
    }
    result = await run("elements", "notice", uid("cmd"), uid("I"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["prior_incidents"] == 3
    result = await run(
        "elements", "patterns", "--from", "2014-01-01", "--to", "2014-12-31",
        "--group-by", "KIND", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {r["key"] for r in json.loads(result.output)} >= {"torture"}
    result = await run("elements", "patterns", "--from", "June", "--to", "2014-12-31",
                       "--group-by", "KIND")  # fmt: skip
    assert result.exit_code == 1 and "must be dates" in result.output


async def test_the_case_bundle_carries_the_matrix(
    services: Services, scene: Callable[[str], str], tmp_path: Path
) -> None:
    uid = scene
    for role, profile in (
        (Role.PROSECUTOR, ExportProfile.COURT),
        (Role.ANALYST, ExportProfile.PARTNER),
    ):
        out = tmp_path / f"{role.value}.zip"
        await services.exports.export(
            Viewer(f"Fictional {role.value}", role), Scope("case", uid("case")), profile, out
        )
        assert bundle.verify(out).ok
        with zipfile.ZipFile(out) as z:
            text = z.read(matrix_csv.FILE).decode("utf-8-sig")
            brief = z.read("brief.html").decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert tuple(rows[0]) == matrix_csv.COLUMNS
        links = list(dict.fromkeys((r["person_id"], r["mode"]) for r in rows))
        assert len(links) == 7
        gaps = [
            sum(r["status"] == "GAP" for r in rows if (r["person_id"], r["mode"]) == k)
            for k in links
        ]
        assert gaps == sorted(gaps, reverse=True)
        cmd = {(r["part"], r["element"]): r for r in rows if r["person_id"] == uid("cmd")}
        assert cmd[("LINK", "KNOWLEDGE")]["status"] == "SUPPORTED"
        assert cmd[("LINK", "KNOWLEDGE")]["basis"].startswith("Rome Statute art. 28(a)(i)")
        assert 'id="elements"' in brief
        assert '<span class="element supported">knowledge: SUPPORTED</span>' in brief
        assert 'id="incidents-chart"' in brief and "<svg" in brief and "<script" not in brief
        if role is Role.ANALYST:
            assert "Zurqawiyya" not in text + brief


def test_the_chart_is_static_svg_whatever_the_names() -> None:
    svg = chart.incidents_by_year(
        [
            ('</script><script>alert("x")</script>', dt.date(2013, 5, 1)),
            ("Fictional facility B", dt.date(2015, 2, 1)),
            ("Fictional facility B", None),
        ]
    )
    assert svg is not None and svg.startswith("<svg") and "<script" not in svg
    root = ElementTree.fromstring(svg)  # well-formed: the names are escaped
    assert root.tag.endswith("svg")
    assert ">2014<" in svg  # every year of the span, empty ones too
    assert chart.incidents_by_year([("Fictional facility", None)]) is None


def test_a_links_elements_are_shown_escaped_in_the_brief() -> None:
    def cell(element: str, part: str, status: str) -> matrix_csv.MatrixCell:
        return matrix_csv.MatrixCell(
            "p", "Fictional person", "i", "Fictional incident", "DIRECT", part, element,
            status, "basis", [], [], "",
        )  # fmt: skip

    shown = briefs.element_spans(
        [cell("EFFECTIVE_CONTROL", "LINK", "GAP"), cell("A_<B>", "CRIME", "<i>")]
    )
    assert str(shown) == (
        '<span class="element gap">effective control: GAP</span>; '
        '<span class="element &lt;i&gt;">a &lt;b&gt; (crime): &lt;i&gt;</span>'
    )


def test_a_matrix_cell_is_its_row_of_values() -> None:
    # matrix.csv writes a cell's values in their order: the fields must be the columns.
    assert matrix_csv.MatrixCell._fields == matrix_csv.COLUMNS


def test_matrix_columns_are_documented() -> None:
    doc = (REPO / "docs" / "exports.md").read_text()
    for column in matrix_csv.COLUMNS:
        assert f"`{column}`" in doc, column


# --- Patterns: the contextual element's figures, over a known set ------------------------


def patterns_scenario(uid: Callable[[str], str], shift: int = 0) -> dict[str, Any]:
    """Incidents in 1981-1984, moved by ``shift`` years (no other test has incidents in
    the 20th century, and each test here takes its own years: counts are over the whole
    graph): facility A run by unit X until mid-1982 and by Y after; facility B by X; one
    incident with no facility."""

    def y(day: str) -> str:
        return f"{int(day[:4]) + shift}{day[4:]}"

    nodes = [
        make_person(uid("v1"), name="Fictional detainee one", status="detained"),
        make_person(uid("v2"), name="Fictional detainee two", status="died_in_custody"),
        make_person(uid("v3"), name="Qasim Darwishani", protected=True, pseudonym="Victim PT-3"),
        make_person(uid("v4"), name="Fictional detainee four", status="released"),
        make_node(uid("X"), "Unit", name="Fictional unit X"),
        make_node(uid("Y"), "Unit", name="Fictional unit Y"),
        make_node(uid("A"), "Facility", name="Fictional facility A"),
        make_node(uid("B"), "Facility", name="Fictional facility B"),
    ]
    incidents = {
        "k1": ("torture", "1981-03-01", "A", ["v1", "v2"]),
        "k2": ("killing", "1981-03-20", "A", ["v3"]),
        "k3": ("killing", "1981-11-05", "B", []),
        "k4": ("torture", "1982-08-01", "A", ["v1"]),
        "k5": ("arbitrary_detention", "1983-01-10", None, ["v4"]),
        "k6": ("torture", "1984-05-01", "A", []),
    }
    claims: list[dict[str, Any]] = [
        {"id": uid("opx"), "type": "OPERATED", "from": uid("X"), "to": uid("A"),
         "valid_from": y("1980-01-01"), "valid_to": y("1982-06-30"), **EXACT},
        {"id": uid("opy"), "type": "OPERATED", "from": uid("Y"), "to": uid("A"),
         "valid_from": y("1982-07-01"), **EXACT},
        {"id": uid("opb"), "type": "OPERATED", "from": uid("X"), "to": uid("B"),
         "valid_from": y("1980-01-01"), **EXACT},
    ]  # fmt: skip
    for key, (kind, start, facility, victims) in incidents.items():
        nodes.append(make_node(uid(key), "Incident", kind=kind, start_date=y(start)))
        if facility:
            claims.append(
                {"id": uid(f"at-{key}"), "type": "OCCURRED_AT", "from": uid(key),
                 "to": uid(facility)}
            )  # fmt: skip
        claims += [
            {"id": uid(f"{key}-{v}"), "type": "VICTIM", "from": uid(key), "to": uid(v)}
            for v in victims
        ]
    return document(nodes, claims)


async def test_patterns_over_a_known_set(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, patterns_scenario(uid))
    start, end = dt.date(1981, 1, 1), dt.date(1983, 12, 31)

    async def rows(group: PatternGroup) -> dict[str, tuple[int, int, int]]:
        found = await services.patterns.patterns(start, end, group, SYSTEM)
        prefix = uid("")
        return {
            r.key.removeprefix(prefix): (r.counts.incidents, r.counts.victims, r.counts.deaths)
            for r in found
        }

    assert await rows(PatternGroup.FACILITY) == {
        "A": (3, 3, 2),
        "B": (1, 0, 1),
        "unknown": (1, 1, 0),
    }
    assert await rows(PatternGroup.UNIT) == {"X": (3, 3, 3), "Y": (1, 1, 0), "unknown": (1, 1, 0)}
    assert await rows(PatternGroup.KIND) == {
        "torture": (2, 2, 1),
        "killing": (2, 1, 2),
        "arbitrary_detention": (1, 1, 0),
    }
    assert await rows(PatternGroup.YEAR) == {
        "1981": (3, 3, 3),
        "1982": (1, 1, 0),
        "1983": (1, 1, 0),
    }
    months = await services.patterns.patterns(start, end, PatternGroup.MONTH, SYSTEM)
    assert [r.key for r in months] == ["1981-03", "1981-11", "1982-08", "1983-01"]
    found = await services.patterns.concentration(
        dt.date(1981, 1, 1), dt.date(1981, 12, 31), dt.date(1981, 1, 1), dt.date(1984, 12, 31)
    )
    assert (found.part.incidents, found.part.victims, found.part.deaths) == (3, 3, 3)
    assert (found.whole.incidents, found.whole.victims, found.whole.deaths) == (6, 4, 3)
    assert found.shares() == (0.5, 0.75, 1.0)


async def test_patterns_through_graphql_name_no_protected_victim(
    gql_as: Callable[[Role], GQL], services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, patterns_scenario(uid, shift=-20))
    query = """query($g: PatternGroup!) {
      patterns(from: "1961-01-01", to: "1963-12-31", groupBy: $g) {
        key label incidents victims deaths }
      concentration(from: "1961-01-01", to: "1961-12-31", withinFrom: "1961-01-01",
                    withinTo: "1964-12-31") { incidents totalIncidents deathShare } }"""
    for role in (Role.VIEWER, Role.ANALYST):
        body = await gql_as(role)(query, g="FACILITY")
        assert "errors" not in body, body
        assert "Darwishani" not in str(body) and "Qasim" not in str(body)
        labels = {r["label"] for r in body["data"]["patterns"]}
        assert labels == {"Fictional facility A", "Fictional facility B", None}
        assert body["data"]["concentration"] == {
            "incidents": 3,
            "totalIncidents": 6,
            "deathShare": 1.0,
        }
    body = await gql_as(Role.ANALYST)(
        """{ patterns(from: "1983-01-01", to: "1982-01-01", groupBy: KIND) { key } }"""
    )
    error = body["errors"][0]
    assert error["path"] == ["patterns"] and error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [p["where"] for p in error["extensions"]["problems"]] == ["to"]


async def test_a_notification_after_death_is_a_consistency_problem(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(
        SYSTEM,
        document(
            [
                make_person(uid("p"), name="Fictional officer", status="died_in_custody"),
                make_node(uid("f"), "Facility", name="Fictional facility"),
            ],
            [
                {"id": uid("held"), "type": "DETAINED_AT", "from": uid("p"), "to": uid("f"),
                 "valid_from": "2012-01-01", "valid_to": "2013-01-01"},
                {"id": uid("told"), "type": "NOTIFIED", "from": uid("p"), "to": uid("f"),
                 "valid_from": "2014-03-01", "properties": {"how": "visit"}},
            ],
        ),
    )  # fmt: skip
    report = await services.consistency.check(500, SYSTEM, [ProblemKind.ACTIVE_AFTER_DEATH])
    assert any(uid("told") in p.claim_ids for p in report.problems)
