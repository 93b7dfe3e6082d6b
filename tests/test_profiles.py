"""A person's profile: roles over time and every incident by mode (the trace inverted)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.errors import NotFound
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
    await services.interchange.import_document(doc)

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
    await services.interchange.import_document(scenario(uid))
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
        document([{"id": uid("lone"), "label": "Person", "properties": {"name": "Nobody"}}], [])
    )
    profile = await services.profiles.person_profile(uid("lone"), 6, SYSTEM)
    assert (profile.roles, profile.incidents) == ([], [])
