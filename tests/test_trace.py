"""The liability trace, rule by rule, on a small graph of fictional people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import NotFound, ValidationFailed
from accountability.services.container import Services
from accountability.services.liability.trace import TraceResult
from tests.builders import document, make_evidence, make_node, make_person
from tests.conftest import GQL

EXACT = {"date_precision": "exact", "confidence": "high"}


def scenario(uid: Callable[[str], str]) -> dict[str, Any]:
    """Incident I at facility F, 2013-06-10 to 2013-06-12, and people linked every way."""
    ev2 = [uid("e1"), uid("e2")]
    people = [
        "perp",
        "ord",
        "aid_i",
        "aid_f",
        "aid_u",
        "c_exact",
        "c_ended",
        "c_after",
        "c_approx",
        "c_partial",
        "c_undated",
        "c_top",
        "c_below",
        "c_retracted",
        "c_other",
        "director",
        "guard",
        "c_member",
    ]
    nodes = [make_person(uid(p), name=f"Fictional {p}") for p in people]
    nodes += [
        make_node(uid(u), "Unit", name=f"Fictional unit {u}")
        for u in ["u", "u2", "u3", "u4", "u5", "child", "other", "w"]
    ]
    nodes += [
        make_node(uid("f"), "Facility", name="Fictional facility"),
        make_node(
            uid("i"), "Incident", kind="torture", start_date="2013-06-10", end_date="2013-06-12"
        ),
        make_evidence(uid("e1"), source="Team A"),
        make_evidence(uid("e2"), source="Team B"),
    ]
    n = 0

    def claim(kind: str, frm: str, to: str, **fields: Any) -> dict[str, Any]:
        nonlocal n
        n += 1
        return {
            "id": uid(f"c{n}"),
            "type": kind,
            "from": uid(frm),
            "to": uid(to),
            "evidence": fields.pop("evidence", ev2),
            **fields,
        }

    claims = [
        claim("OCCURRED_AT", "i", "f"),
        claim("PERPETRATED", "perp", "i"),
        claim("ORDERED", "ord", "i", confidence="medium"),
        claim("AIDED", "aid_i", "i", properties={"contribution": "transfers"}),
        claim("AIDED", "aid_f", "f", valid_from="2013-01-01", **EXACT),
        claim("AIDED", "aid_u", "u", valid_from="2013-01-01", valid_to="2013-12-31", **EXACT),
        claim("OPERATED", "u", "f", valid_from="2012-01-01", **EXACT),
        claim("OPERATED", "other", "f", valid_from="2010-01-01", valid_to="2011-12-31", **EXACT),
        claim("SUBORDINATE_TO", "u", "u2", valid_from="2010-01-01", **EXACT),
        claim("SUBORDINATE_TO", "u2", "u3", valid_from="2010-01-01", **EXACT),
        claim("SUBORDINATE_TO", "u3", "u4", valid_from="2010-01-01", **EXACT),
        claim("SUBORDINATE_TO", "u4", "u5", valid_from="2010-01-01", **EXACT),
        claim("SUBORDINATE_TO", "child", "u", valid_from="2010-01-01", **EXACT),
        claim("COMMANDED", "c_exact", "u", valid_from="2012-01-01", valid_to="2014-01-01", **EXACT),
        claim("COMMANDED", "c_ended", "u", valid_from="2010-01-01", valid_to="2012-12-31", **EXACT),
        claim("COMMANDED", "c_after", "u", valid_from="2014-01-01", **EXACT),
        claim(
            "COMMANDED",
            "c_approx",
            "u",
            valid_from="2013-01-01",
            valid_to="2013-12-31",
            date_precision="approximate",
            confidence="low",
            evidence=[uid("e1")],
        ),
        claim(
            "COMMANDED", "c_partial", "u", valid_from="2013-06-11", valid_to="2013-12-31", **EXACT
        ),
        claim("COMMANDED", "c_undated", "u2", valid_to="2015-01-01", **EXACT),
        claim("COMMANDED", "c_top", "u5", valid_from="2010-01-01", **EXACT),
        claim("COMMANDED", "c_below", "child", valid_from="2010-01-01", **EXACT),
        claim(
            "COMMANDED",
            "c_retracted",
            "u",
            valid_from="2010-01-01",
            **EXACT,
            retraction={"by": "editor", "reason": "misread", "at": "2020-01-01T00:00:00Z"},
        ),
        claim("COMMANDED", "c_other", "other", valid_from="2009-01-01", **EXACT),
        claim(
            "POSTED_AT",
            "director",
            "f",
            valid_from="2013-01-01",
            properties={"role": "director", "command": True},
            **EXACT,
        ),
        claim(
            "POSTED_AT",
            "guard",
            "f",
            valid_from="2013-01-01",
            properties={"role": "guard", "command": False},
            **EXACT,
        ),
        claim(
            "POSTED_AT",
            "ord",
            "f",
            valid_from="2013-01-01",
            properties={"role": "deputy", "command": True},
            **EXACT,
        ),
        claim("MEMBER_OF", "ord", "w", valid_from="2012-01-01", **EXACT),
        claim("COMMANDED", "c_member", "w", valid_from="2012-01-01", **EXACT),
    ]
    return document(nodes, claims)


def summary(result: TraceResult, uid: Callable[[str], str]) -> dict[tuple[str, str], str]:
    prefix = uid("")
    return {
        (link.person_id.removeprefix(prefix), link.mode.value): link.path.certainty.value
        for link in result.links
    }


@pytest.fixture
async def traced(services: Services, uid: Callable[[str], str]) -> TraceResult:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    return await services.tracing.trace(uid("i"), 6, SYSTEM)


async def test_every_mode_and_certainty(traced: TraceResult, uid: Callable[[str], str]) -> None:
    assert summary(traced, uid) == {
        ("perp", "PERPETRATION"): "ESTABLISHED",
        ("ord", "ORDERING"): "ESTABLISHED",
        ("aid_i", "AIDING_ABETTING"): "ESTABLISHED",
        ("aid_f", "AIDING_ABETTING"): "ESTABLISHED",
        ("aid_u", "AIDING_ABETTING"): "ESTABLISHED",
        ("c_exact", "SUPERIOR_RESPONSIBILITY"): "ESTABLISHED",
        ("director", "SUPERIOR_RESPONSIBILITY"): "ESTABLISHED",
        ("ord", "SUPERIOR_RESPONSIBILITY"): "ESTABLISHED",
        ("c_member", "SUPERIOR_RESPONSIBILITY"): "ESTABLISHED",
        ("c_top", "SUPERIOR_RESPONSIBILITY"): "ESTABLISHED",
        ("c_approx", "SUPERIOR_RESPONSIBILITY"): "POSSIBLE",
        ("c_partial", "SUPERIOR_RESPONSIBILITY"): "POSSIBLE",
        ("c_undated", "SUPERIOR_RESPONSIBILITY"): "UNDATED",
        ("guard", "PRESENT"): "ESTABLISHED",
    }
    assert not traced.truncated


async def test_exclusions(traced: TraceResult, uid: Callable[[str], str]) -> None:
    people = {person for person, _ in summary(traced, uid)}
    # Command ended before, began after; a unit below; a retracted claim; and the unit
    # that operated the facility only before the incident.
    assert not people & {"c_ended", "c_after", "c_below", "c_retracted", "c_other"}


async def test_order_and_paths(traced: TraceResult, uid: Callable[[str], str]) -> None:
    modes = [link.mode.value for link in traced.links]
    assert modes == sorted(
        modes,
        key=[
            "PERPETRATION",
            "ORDERING",
            "AIDING_ABETTING",
            "SUPERIOR_RESPONSIBILITY",
            "PRESENT",
        ].index,
    )
    top = next(link for link in traced.links if link.person_id == uid("c_top"))
    assert top.path.nodes == [uid(n) for n in ("c_top", "u5", "u4", "u3", "u2", "u", "f", "i")]
    assert [c.type.value for c in top.path.claims] == [
        "COMMANDED",
        *["SUBORDINATE_TO"] * 4,
        "OPERATED",
        "OCCURRED_AT",
    ]
    member = next(link for link in traced.links if link.person_id == uid("c_member"))
    assert member.path.nodes == [uid(n) for n in ("c_member", "w", "ord", "i")]


async def test_weakest_confidence_and_corroboration(
    traced: TraceResult, uid: Callable[[str], str]
) -> None:
    by_person = {(link.person_id, link.mode.value): link for link in traced.links}
    approx = by_person[(uid("c_approx"), "SUPERIOR_RESPONSIBILITY")].path
    assert approx.weakest_confidence.value == "low" and not approx.corroborated
    exact = by_person[(uid("c_exact"), "SUPERIOR_RESPONSIBILITY")].path
    assert exact.corroborated and set(exact.evidence) == {uid("e1"), uid("e2")}
    assert by_person[(uid("ord"), "ORDERING")].path.weakest_confidence.value == "medium"


async def test_depth_bound_is_reported(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    result = await services.tracing.trace(uid("i"), 3, SYSTEM)
    assert (uid("c_top"), "SUPERIOR_RESPONSIBILITY") not in {
        (link.person_id, link.mode.value) for link in result.links
    }
    assert result.truncated
    assert not (await services.tracing.trace(uid("i"), 4, SYSTEM)).truncated
    with pytest.raises(ValidationFailed, match="maxDepth"):
        await services.tracing.trace(uid("i"), 11, SYSTEM)
    with pytest.raises(NotFound):
        await services.tracing.trace(uid("nothing"), 6, SYSTEM)


async def test_undated_incident_makes_every_link_undated(
    services: Services, uid: Callable[[str], str]
) -> None:
    doc = scenario(uid)
    for node in doc["nodes"]:
        if node["id"] == uid("i"):
            node["properties"] = {"kind": "torture"}
    await services.interchange.import_document(SYSTEM, doc)
    result = await services.tracing.trace(uid("i"), 6, SYSTEM)
    assert {link.path.certainty.value for link in result.links} == {"UNDATED"}
    assert (uid("c_ended"), "SUPERIOR_RESPONSIBILITY") in {
        (link.person_id, link.mode.value) for link in result.links
    }


TRACE = """query($id: ID!, $d: Int) { trace(incidentId: $id, maxDepth: $d) {
  incident { id } periodStart periodEnd truncated
  links { mode certainty weakestConfidence corroborated person { id name }
          path { node { __typename id ... on Person { name } } claim { type validFrom } }
          evidence { id source } otherPaths { totalCount edges { node { certainty } } } } } }"""


async def test_trace_over_graphql_with_a_protected_perpetrator(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    doc = scenario(uid)
    real = f"Realname{uid('')[1:9]}"
    for node in doc["nodes"]:
        if node["id"] == uid("perp"):
            node["properties"] = {"name": real, "protected": True, "pseudonym": "Witness T-1"}
    await services.interchange.import_document(SYSTEM, doc)
    body = await gql(TRACE, id=uid("i"), d=6)
    assert "errors" not in body, body
    trace = body["data"]["trace"]
    assert (trace["periodStart"], trace["periodEnd"]) == ("2013-06-10", "2013-06-12")
    first = trace["links"][0]
    assert first["mode"] == "PERPETRATION" and first["person"]["name"] == "Witness T-1"
    assert [s["node"]["id"] for s in first["path"]] == [uid("perp"), uid("i")]
    assert first["path"][0]["claim"]["type"] == "PERPETRATED"
    assert first["path"][-1]["claim"] is None
    assert {e["source"] for e in first["evidence"]} == {"Team A", "Team B"}
    assert real not in str(body)
    member = next(link for link in trace["links"] if link["person"]["id"] == uid("c_member"))
    assert [s["node"]["__typename"] for s in member["path"]] == [
        "Person",
        "Unit",
        "Person",
        "Incident",
    ]
    body = await gql(TRACE, id=uid("i"), d=42)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_viewer_without_clearance_sees_pseudonyms_only(
    services: Services, uid: Callable[[str], str]
) -> None:
    doc = scenario(uid)
    for node in doc["nodes"]:
        if node["id"] == uid("c_exact"):
            node["properties"] = {"name": "Hidden Name", "protected": True, "pseudonym": "W-9"}
    await services.interchange.import_document(SYSTEM, doc)
    await services.tracing.trace(uid("i"), 6, Viewer("a", Role.ANALYST))
    analyst = Viewer("a", Role.ANALYST)
    record = (await services.nodes.get_many([uid("c_exact")], analyst))[uid("c_exact")]
    assert record.properties["name"] == "W-9"


async def test_explain_gives_the_reason_a_path_does_not_qualify(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    ended = await services.tracing.explain(uid("c_ended"), uid("i"), 6, SYSTEM)
    assert [(e.mode.value, e.qualifies) for e in ended.paths] == [
        ("SUPERIOR_RESPONSIBILITY", False)
    ]
    assert ended.paths[0].reasons == [
        "COMMANDED ended 2012-12-31, before the incident began on 2013-06-10"
    ]
    after = await services.tracing.explain(uid("c_after"), uid("i"), 6, SYSTEM)
    assert after.paths[0].reasons == [
        "COMMANDED began 2014-01-01, after the incident ended on 2013-06-12"
    ]
    retracted = await services.tracing.explain(uid("c_retracted"), uid("i"), 6, SYSTEM)
    assert "was retracted on 2020-01-01: misread" in retracted.paths[0].reasons[0]
    other = await services.tracing.explain(uid("c_other"), uid("i"), 6, SYSTEM)
    assert other.paths[0].reasons == [
        "OPERATED ended 2011-12-31, before the incident began on 2013-06-10"
    ]
    ordering = await services.tracing.explain(uid("ord"), uid("i"), 6, SYSTEM)
    assert {(e.mode.value, e.qualifies) for e in ordering.paths} == {
        ("ORDERING", True),
        ("SUPERIOR_RESPONSIBILITY", True),
    }
    below = await services.tracing.explain(uid("c_below"), uid("i"), 6, SYSTEM)
    assert below.paths == []  # a unit below is never climbed to
    with pytest.raises(NotFound):
        await services.tracing.explain(uid("u"), uid("i"), 6, SYSTEM)


async def test_explain_over_graphql(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    body = await gql(
        """query($p: ID!, $i: ID!) { explain(personId: $p, incidentId: $i) {
        person { id } paths { mode qualifies reasons certainty
        path { node { id } claim { type validTo } } } } }""",
        p=uid("c_ended"),
        i=uid("i"),
    )
    assert "errors" not in body, body
    path = body["data"]["explain"]["paths"][0]
    assert path["qualifies"] is False and "ended 2012-12-31" in path["reasons"][0]
    assert [s["node"]["id"] for s in path["path"]] == [uid(n) for n in ("c_ended", "u", "f", "i")]
