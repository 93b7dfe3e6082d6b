"""Query limits, introspection and CORS, as settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from graphql import parse

from accountability.api.limits import is_heavy
from accountability.app import create_app
from accountability.domain.redaction import Role
from accountability.graph.database import Database
from accountability.settings import Settings


@pytest_asyncio.fixture(loop_scope="session")
async def strict(
    db: Database, settings: Settings, tokens: dict[Role, str]
) -> AsyncIterator[httpx.AsyncClient]:
    strict_settings = settings.model_copy(
        update={
            "graphql_max_depth": 3,
            "graphql_max_tokens": 200,
            "graphql_max_aliases": 2,
            "introspection": False,
            "graphql_heavy_concurrency": 1,
            "cors_origins": ["https://app.example.org"],
        }
    )
    app = create_app(strict_settings, database=db)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers={"Authorization": f"Bearer {tokens[Role.ANALYST]}"},
        ) as client:
            yield client


async def _errors(client: httpx.AsyncClient, query: str) -> list[dict[str, object]]:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code in (200, 400), response.text
    errors: list[dict[str, object]] = response.json().get("errors") or []
    return errors


async def test_over_limit_queries_get_a_clear_error(strict: httpx.AsyncClient) -> None:
    deep = "{ persons { edges { node { claims { edges { node { id } } } } } } }"
    assert "exceeds maximum operation depth" in str(await _errors(strict, deep))
    aliased = "{ a: __typename b: __typename c: __typename }"
    assert "aliases" in str(await _errors(strict, aliased)).lower()
    long = "{ " + " ".join(f"f{i}: __typename" for i in range(150)) + " }"
    assert "token" in str(await _errors(strict, long)).lower()
    assert await _errors(strict, "{ __typename }") == []


async def test_introspection_can_be_turned_off(
    strict: httpx.AsyncClient, client: httpx.AsyncClient, tokens: dict[Role, str]
) -> None:
    query = "{ __schema { queryType { name } } }"
    assert "introspection" in str(await _errors(strict, query)).lower()
    response = await client.post(
        "/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {tokens[Role.ANALYST]}"},
    )
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_cors_allows_configured_origins_only(strict: httpx.AsyncClient) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ok = await strict.options(
        "/graphql", headers={"Origin": "https://app.example.org", **preflight}
    )
    assert ok.headers.get("access-control-allow-origin") == "https://app.example.org"
    other = await strict.options(
        "/graphql", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers


def test_heavy_operations_are_told_by_their_root_fields() -> None:
    assert is_heavy(parse('{ t: trace(incidentId: "i") { truncated } }'), None)
    assert is_heavy(parse('{ person(id: "p") { id } commandChart(unitId: "u") { at } }'), None)
    assert not is_heavy(parse('{ person(id: "p") { id } persons { totalCount } }'), None)
    two = parse('query A { person(id: "p") { id } } query B { trace(incidentId: "i") { id } }')
    assert not is_heavy(two, "A")
    assert is_heavy(two, "B")


async def test_heavy_operations_wait_their_turn_and_all_answer(
    strict: httpx.AsyncClient,
) -> None:
    """One heavy operation at a time (the strict settings): many at once, with lookups
    between them, all get their own answer; none is lost or stuck behind the gate."""
    heavy = [
        strict.post(
            "/graphql",
            json={
                "query": "query($i: ID!) { trace(incidentId: $i) { truncated } }",
                "variables": {"i": f"missing-{n}"},
            },
        )
        for n in range(6)
    ]
    light = [strict.post("/graphql", json={"query": "{ __typename }"}) for _ in range(6)]
    answers = await asyncio.wait_for(asyncio.gather(*heavy, *light), timeout=60)
    for n, response in enumerate(answers[:6]):
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert f"missing-{n}" in error["message"]
    assert all(r.json() == {"data": {"__typename": "Query"}} for r in answers[6:])
