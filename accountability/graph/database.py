"""One async driver, the named statements run through it, and the embedded engine's lifecycle."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction, RoutingControl
from neo4j import exceptions as neo4j_errors

from accountability.errors import DatabaseUnavailable, WriteCollision, mapped_driver_errors
from accountability.graph.catalog import Catalog, Q
from accountability.graph.embedded import (
    DATABASE_NAME,
    ROOT_USER,
    DataFolderInUse,
    EmbeddedEngine,
    EngineOptions,
)
from accountability.settings import Settings

T = TypeVar("T")
Row = dict[str, Any]
#: How often a write is retried after a uniqueness error: concurrent MERGE on ArcadeDB,
#: and two writers appending the same audit entry number, both resolve on a retry.
CONSTRAINT_RETRIES = 8


def now_iso() -> str:
    """The current instant as an ISO-8601 UTC string, the form every timestamp is stored in."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Tx:
    """A write transaction that runs named statements."""

    def __init__(self, tx: AsyncManagedTransaction, catalog: Catalog) -> None:
        self._tx = tx
        self._catalog = catalog

    async def run(self, query: Q, **params: Any) -> list[Row]:
        result = await self._tx.run(self._catalog[query], params)
        return [record.data() for record in await result.fetch(1 << 30)]


class Database:
    """The service's only path to the graph, for Neo4j and the embedded engine alike."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog(settings.cypher_dir)
        self.engine: EmbeddedEngine | None = None
        self._driver: neo4j.AsyncDriver | None = None
        self.database_name: str | None = settings.db_name
        # Every write appends to the one audit chain, so writes serialize on its head
        # anyway; queueing them here spares concurrent writers of this process a storm
        # of collisions. Other processes' collisions are retried below.
        self._write_lock = asyncio.Lock()
        # Generations of kinds of data, so that caches over this database (in any of
        # this process's services) know when to reload.
        self._generations: dict[str, int] = {}

    @property
    def embedded(self) -> bool:
        return self.settings.db_uri is None

    @property
    def driver(self) -> neo4j.AsyncDriver:
        if self._driver is None:
            raise DatabaseUnavailable("the database connection is not open")
        return self._driver

    async def open(self, attach: bool = False) -> None:
        """Connect (starting the embedded engine when no URI is set) and set up the schema.
        With ``attach``, a command-line tool uses the engine of a service already running
        on the same data folder instead of refusing."""
        if self.embedded:
            engine = EmbeddedEngine(
                EngineOptions(
                    data_dir=self.settings.data_dir,
                    heap_mb=self.settings.embedded_heap_mb,
                    fsync=self.settings.embedded_fsync,
                    query_timeout_s=self.settings.query_timeout_s,
                    start_timeout_s=self.settings.embedded_start_timeout_s,
                )
            )
            try:
                await asyncio.to_thread(engine.start)
                self.engine = engine
                uri = engine.uri
            except DataFolderInUse:
                running = engine.running_uri() if attach else None
                if running is None:
                    raise
                uri = running
            auth = (ROOT_USER, engine.password())
            self.database_name = DATABASE_NAME
        else:
            assert self.settings.db_uri is not None
            uri = self.settings.db_uri
            auth = (self.settings.db_user, self.settings.db_password.get_secret_value())
        self._driver = AsyncGraphDatabase.driver(uri, auth=auth, connection_timeout=5)
        try:
            with mapped_driver_errors():
                await self._driver.verify_connectivity()
            await self.set_up_schema()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._driver is not None:
            await self._driver.close()
            self._driver = None
        if self.engine is not None:
            await asyncio.to_thread(self.engine.stop)
            self.engine = None

    def changed(self, topic: str) -> None:
        """Note that data of a kind caches depend on was written."""
        self._generations[topic] = self._generations.get(topic, 0) + 1

    def generation(self, topic: str) -> int:
        return self._generations.get(topic, 0)

    async def set_up_schema(self) -> None:
        """Constraints and indexes; every statement is idempotent (IF NOT EXISTS)."""
        for statement in self.catalog.schema:
            with mapped_driver_errors():
                await self.driver.execute_query(statement, database_=self.database_name)

    def check_engine(self) -> None:
        """Fail at once, not after the driver's retries, when our engine has died."""
        code = self.engine.exit_code() if self.engine is not None else None
        if code is not None:
            raise DatabaseUnavailable(
                f"the embedded database engine has stopped (exit code {code}); restart the service"
            )

    def _query(self, query: Q) -> neo4j.Query:
        return neo4j.Query(self.catalog[query], timeout=self.settings.query_timeout_s)

    async def read(self, query: Q, **params: Any) -> list[Row]:
        """Run a read statement and return its rows as dicts."""
        self.check_engine()
        with mapped_driver_errors():
            records, _, _ = await self.driver.execute_query(
                self._query(query),
                params,
                database_=self.database_name,
                routing_=RoutingControl.READ,
            )
        return [r.data() for r in records]

    async def write(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in one managed write transaction: all of it commits, or none."""

        @neo4j.unit_of_work(timeout=self.settings.query_timeout_s)
        async def unit(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(tx, self.catalog))

        self.check_engine()
        for attempt in range(CONSTRAINT_RETRIES):
            try:
                async with self._write_lock:
                    with mapped_driver_errors():
                        async with self.driver.session(database=self.database_name) as session:
                            return await session.execute_write(unit)
            except WriteCollision:
                # Concurrent MERGE on ArcadeDB can report a uniqueness error instead of
                # matching, and another process may have taken the next audit number;
                # our writes are upserts and re-read the audit head, so a retry is safe.
                if attempt == CONSTRAINT_RETRIES - 1:
                    raise
                await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    async def stream(self, query: Q, **params: Any) -> AsyncIterator[Row]:
        """Yield rows one by one, for exports too large to hold."""
        with mapped_driver_errors():
            async with self.driver.session(
                database=self.database_name, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                result = await session.run(self._query(query), params)
                async for record in result:
                    yield record.data()

    async def ready(self) -> tuple[bool, str]:
        """Whether a real query answers within the readiness time-out, and why not."""
        if self.engine is not None and self.engine.exit_code() is not None:
            return False, f"embedded engine exited with code {self.engine.exit_code()}"
        try:
            rows = await asyncio.wait_for(
                self.read(Q.PING), timeout=self.settings.readiness_timeout_s
            )
        except TimeoutError:
            return False, "the database did not answer in time"
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, DatabaseUnavailable) as exc:
            return False, f"the database failed: {type(exc).__name__}"
        return (bool(rows) and rows[0].get("ok") == 1), "ok"
