"""Command charts of units and facilities on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.errors import NotFound
from accountability.services.container import Services
from accountability.services.liability.charts import Chart
from tests.conftest import GQL
from tests.test_trace import scenario


def roles(chart: Chart, uid: Callable[[str], str]) -> set[tuple[str, str, str]]:
    prefix = uid("")
    return {(e.role, e.node_id.removeprefix(prefix), e.certainty.value) for e in chart.entries}


async def test_unit_chart_on_a_date(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    chart = await services.charts.unit_chart(uid("u"), dt.date(2013, 6, 11), SYSTEM)
    got = roles(chart, uid)
    assert {
        ("COMMANDER", "c_exact", "ESTABLISHED"),
        ("COMMANDER", "c_approx", "POSSIBLE"),
        ("COMMANDER", "c_partial", "ESTABLISHED"),
        ("PARENT", "u2", "ESTABLISHED"),
        ("CHILD", "child", "ESTABLISHED"),
        ("FACILITY", "f", "ESTABLISHED"),
        ("UNIT_COMMANDER", "c_undated", "UNDATED"),
        ("UNIT_COMMANDER", "c_below", "ESTABLISHED"),
    } == got
    earlier = roles(await services.charts.unit_chart(uid("u"), dt.date(2011, 1, 1), SYSTEM), uid)
    commanders = {n for role, n, _ in earlier if role == "COMMANDER"}
    assert commanders == {"c_ended"}  # retracted c_retracted never shows


async def test_facility_chart_on_a_date(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    chart = await services.charts.facility_chart(uid("f"), dt.date(2013, 6, 11), SYSTEM)
    got = roles(chart, uid)
    assert ("OPERATOR", "u", "ESTABLISHED") in got
    assert ("OPERATOR", "other", "ESTABLISHED") not in got  # operated it until 2011 only
    assert {n for r, n, _ in got if r == "COMMAND_POST"} == {"director", "ord"}
    assert {n for r, n, _ in got if r == "POST"} == {"guard"}
    assert {("UNIT_COMMANDER", "c_exact"), ("UNIT_COMMANDER", "c_approx")} <= {
        (r, n) for r, n, _ in got
    }
    old = roles(await services.charts.facility_chart(uid("f"), dt.date(2011, 6, 1), SYSTEM), uid)
    assert {n for r, n, _ in old if r == "OPERATOR"} == {"other"}
    assert {n for r, n, _ in old if r == "UNIT_COMMANDER"} == {"c_other"}
    with pytest.raises(NotFound):
        await services.charts.facility_chart(uid("u"), dt.date(2011, 6, 1), SYSTEM)


async def test_command_chart_over_graphql(
    gql: GQL, services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, scenario(uid))
    body = await gql(
        """query($u: ID!, $at: Date!) { commandChart(unitId: $u, at: $at) {
        unit { id } at
        commanders { node { id } certainty claim { validFrom validTo } evidence { source } }
        parents { node { id } commanders { node { id } certainty } }
        children { node { id } commanders { node { id } } }
        facilities { node { ... on Facility { name } } } } }""",
        u=uid("u"),
        at="2013-06-11",
    )
    assert "errors" not in body, body
    chart = body["data"]["commandChart"]
    assert chart["at"] == "2013-06-11"
    assert {c["node"]["id"] for c in chart["commanders"]} == {
        uid("c_exact"),
        uid("c_approx"),
        uid("c_partial"),
    }
    assert chart["parents"] == [
        {
            "node": {"id": uid("u2")},
            "commanders": [{"node": {"id": uid("c_undated")}, "certainty": "UNDATED"}],
        }
    ]
    assert chart["children"][0]["commanders"] == [{"node": {"id": uid("c_below")}}]
    assert chart["facilities"] == [{"node": {"name": "Fictional facility"}}]
    body = await gql('{ commandChart(unitId: "nope", at: "2013-01-01") { at } }')
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
