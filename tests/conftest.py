"""One embedded database for the whole session; tests isolate themselves by their own ids."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio

from accountability.app import create_app
from accountability.domain.redaction import SYSTEM, Role
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The embedded engine; or, with ACCOUNTABILITY_TEST_DB_URI (and _USER, _PASSWORD,
    _NAME) set, any Neo4j server, so the same suite checks the same Cypher there."""
    uri = os.environ.get("ACCOUNTABILITY_TEST_DB_URI")
    extra: dict[str, Any] = {"db_uri": None}  # never a server named for other purposes
    if uri:
        extra = {
            "db_uri": uri,
            "db_user": os.environ.get("ACCOUNTABILITY_TEST_DB_USER", "neo4j"),
            "db_password": os.environ.get("ACCOUNTABILITY_TEST_DB_PASSWORD", ""),
            "db_name": os.environ.get("ACCOUNTABILITY_TEST_DB_NAME") or None,
        }
    return Settings(data_dir=tmp_path_factory.mktemp("data"), embedded_heap_mb=512, **extra)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings)
    await database.open()
    yield database
    await database.close()


@pytest.fixture(scope="session")
def services(db: Database, settings: Settings) -> Services:
    return Services.over(db, settings)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def client(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, database=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


@pytest.fixture
def uid() -> Callable[[str], str]:
    """Ids unique to one test, so tests share the database without seeing each other."""
    run = uuid.uuid4().hex[:8]
    return lambda name: f"t{run}-{name}"


GQL = Callable[..., Any]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def tokens(services: Services) -> dict[Role, str]:
    """A token for each role."""
    return {
        role: (await services.tokens.create(role, f"test {role.value}", SYSTEM))[1] for role in Role
    }


def make_gql(client: httpx.AsyncClient, token: str) -> GQL:
    async def run(query: str, **variables: Any) -> dict[str, Any]:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return run


@pytest.fixture
def gql(client: httpx.AsyncClient, tokens: dict[Role, str]) -> GQL:
    """GraphQL as an investigator: reads and writes, protected identities pseudonymized."""
    return make_gql(client, tokens[Role.INVESTIGATOR])


@pytest.fixture
def gql_as(client: httpx.AsyncClient, tokens: dict[Role, str]) -> Callable[[Role], GQL]:
    return lambda role: make_gql(client, tokens[role])
