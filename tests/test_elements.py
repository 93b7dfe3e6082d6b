"""From links to elements: the NOTIFIED, EXERCISED_CONTROL and TOOK_MEASURES claims,
notice, the elements of each link and a case's matrix, on fictional people only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accountability.domain.redaction import SYSTEM, Role
from accountability.errors import ValidationFailed
from accountability.services.container import Services
from tests.builders import document, make_evidence, make_node, make_person
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
