"""A person's profile: roles over time and every incident by mode (the trace inverted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.errors import NotFound, ValidationFailed
from accountability.services.container import Services
from tests.builders import document, make_node
from tests.conftest import GQL
from tests.test_trace import scenario


async def test_profile_is_the_trace_inverted(services: Services, uid: Callable[[str], str]) -> None:
    doc = scenario(uid)
    # A second incident at the same facility in 2015, when c_exact no longer commanded.
    doc["nodes"].append(make_node(uid("i2"), "Incident", kind="killing", start_date="2015-02-01"))
    doc["claims"].append(
        {
            "id": uid("o2"),
            "type": "OCCURRED_AT",
            "from": uid("i2"),
            "to": uid("f"),
            "evidence": [uid("e1")],
        }
    )
    await services.interchange.import_document(SYSTEM, doc)

    profile = await services.profiles.person_profile(uid("c_exact"), 6, SYSTEM)
    assert [(c.type.value, c.to_id) for c in profile.roles] == [("COMMANDED", uid("u"))]
    assert [
        (link.incident_id, link.mode.value, link.path.certainty.value) for link in profile.incidents
    ] == [(uid("i"), "SUPERIOR_RESPONSIBILITY", "ESTABLISHED")]

    ordering = await services.profiles.person_profile(uid("ord"), 6, SYSTEM)
    assert [(c.type.value) for c in ordering.roles] == ["MEMBER_OF", "POSTED_AT"]
    assert {(link.incident_id, link.mode.value) for link in ordering.incidents} == {
        (uid("i"), "ORDERING"),
        (uid("i"), "SUPERIOR_RESPONSIBILITY"),
        (uid("i2"), "SUPERIOR_RESPONSIBILITY"),
    }

    # Every trace link of the incident appears in the profile of its person.
    trace = await services.tracing.trace(uid("i"), 6, SYSTEM)
    for link in trace.links:
        seen = await services.profiles.person_profile(link.person_id, 6, SYSTEM)
        assert (uid("i"), link.mode) in {(x.incident_id, x.mode) for x in seen.incidents}

    with pytest.raises(NotFound):
        await services.profiles.person_profile(uid("u"), 6, SYSTEM)


async def test_profile_over_graphql(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    body = await gql(
        """query($p: ID!) { personProfile(personId: $p) { person { id } firstRole
        roles { claim { type validFrom } target { id } }
        incidents { mode certainty incident { id } path { node { id } } } } }""",
        p=uid("director"),
    )
    assert "errors" not in body, body
    profile = body["data"]["personProfile"]
    assert profile["firstRole"] == "2013-01-01"
    assert profile["roles"] == [
        {"claim": {"type": "POSTED_AT", "validFrom": "2013-01-01"}, "target": {"id": uid("f")}}
    ]
    assert profile["incidents"] == [
        {
            "mode": "SUPERIOR_RESPONSIBILITY",
            "certainty": "ESTABLISHED",
            "incident": {"id": uid("i")},
            "path": [{"node": {"id": uid(n)}} for n in ("director", "f", "i")],
        }
    ]


async def test_profile_of_someone_with_no_links(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(
        SYSTEM,
        document([{"id": uid("lone"), "label": "Person", "properties": {"name": "Nobody"}}], []),
    )
    profile = await services.profiles.person_profile(uid("lone"), 6, SYSTEM)
    assert (profile.roles, profile.incidents) == ([], [])


def detention_scenario(uid: Callable[[str], str]) -> dict[str, Any]:
    doc = scenario(uid)
    doc["nodes"] += [
        make_node(uid("victim"), "Person", name="Fictional detainee", status="died_in_custody"),
        make_node(uid("f2"), "Facility", name="Fictional second facility"),
    ]
    ev = [uid("e1")]
    doc["claims"] += [
        {
            "id": uid("d2"),
            "type": "DETAINED_AT",
            "from": uid("victim"),
            "to": uid("f2"),
            "valid_from": "2013-07-01",
            "valid_to": "2013-09-30",
            "evidence": ev,
        },
        {
            "id": uid("d1"),
            "type": "DETAINED_AT",
            "from": uid("victim"),
            "to": uid("f"),
            "valid_from": "2013-05-01",
            "valid_to": "2013-06-30",
            "evidence": ev,
        },
        {
            "id": uid("d0"),
            "type": "DETAINED_AT",
            "from": uid("victim"),
            "to": uid("f"),
            "evidence": ev,
        },
        {"id": uid("v1"), "type": "VICTIM", "from": uid("i"), "to": uid("victim"), "evidence": ev},
    ]
    return doc


async def test_victim_path_in_time_order(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, detention_scenario(uid))
    path = await services.profiles.victim_path(uid("victim"), SYSTEM)
    assert [(e.other_id, e.start) for e in path.detentions] == [
        (uid("f"), dt.date(2013, 5, 1)),
        (uid("f2"), dt.date(2013, 7, 1)),
        (uid("f"), None),
    ]
    assert [(e.other_id, e.start, e.end) for e in path.incidents] == [
        (uid("i"), dt.date(2013, 6, 10), dt.date(2013, 6, 12))
    ]
    assert path.person.properties["status"] == "died_in_custody"


async def test_facility_timeline(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, detention_scenario(uid))
    timeline = await services.profiles.facility_timeline(
        uid("f"), dt.date(2013, 1, 1), dt.date(2014, 12, 31), SYSTEM
    )
    events = [(e.kind, e.other_id.removeprefix(uid(""))) for e in timeline.events]
    assert ("OPERATED", "u") in events and ("OPERATED", "other") not in events
    assert ("INCIDENT", "i") in events
    assert {("COMMAND_POST", "director"), ("COMMAND_POST", "ord"), ("POST", "guard")} <= set(events)
    starts = [e.start for e in timeline.events if e.start]
    assert starts == sorted(starts)
    assert [(c.year, c.detained, c.undated) for c in timeline.detentions_by_year] == [
        (2013, 1, 1),
        (2014, 0, 1),
    ]
    with pytest.raises(ValidationFailed, match="before from"):
        await services.profiles.facility_timeline(
            uid("f"), dt.date(2014, 1, 1), dt.date(2013, 1, 1), SYSTEM
        )


async def test_victim_path_and_timeline_over_graphql(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, detention_scenario(uid))
    body = await gql(
        """query($p: ID!, $f: ID!) {
        victimPath(personId: $p) { status detentions { start end node { id } }
                                   incidents { node { ... on Incident { kind } } } }
        facilityTimeline(facilityId: $f, from: "2013-01-01", to: "2013-12-31") {
          from to events { kind start node { id } } detentionsByYear { year detained undated }
        } }""",
        p=uid("victim"),
        f=uid("f2"),
    )
    assert "errors" not in body, body
    victim = body["data"]["victimPath"]
    assert victim["status"] == "DIED_IN_CUSTODY"
    assert [d["node"]["id"] for d in victim["detentions"]] == [uid("f"), uid("f2"), uid("f")]
    assert victim["incidents"] == [{"node": {"kind": "TORTURE"}}]
    timeline = body["data"]["facilityTimeline"]
    assert timeline["detentionsByYear"] == [{"year": 2013, "detained": 1, "undated": 0}]
