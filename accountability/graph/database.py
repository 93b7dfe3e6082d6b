"""One async driver, the named statements run through it, and the embedded engine's lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction
from neo4j import exceptions as neo4j_errors

from accountability.errors import DatabaseUnavailable, WriteCollision
from accountability.graph.catalog import PROJECTED_READS, Catalog, Q
from accountability.graph.embedded import (
    DATABASE_NAME,
    ROOT_USER,
    DataFolderInUse,
    EmbeddedEngine,
    EngineOptions,
)
from accountability.graph.errors import mapped_driver_errors
from accountability.graph.values import projected_row_of, row_of
from accountability.settings import Settings

T = TypeVar("T")
Row = dict[str, Any]
#: Attempts at a write that collided with another writer's commit on a uniqueness
#: constraint (concurrent MERGE on ArcadeDB, two writers taking the same audit entry
#: number, two creates of one id). Each retry re-reads inside its own transaction.
WRITE_ATTEMPTS = 8
#: Jittered exponential backoff between them: a random wait up to base·2^n, at most the
#: cap, so that writers that collided once do not collide again in step (≤ ~3 s in all).
BACKOFF_BASE_S = 0.02
BACKOFF_CAP_S = 1.0
#: The file in the data folder whose lock queues the embedded engine's writers.
WRITERS_QUEUE_FILE = "write.lock"
#: How often the supervisor looks whether the embedded engine is still running.
SUPERVISE_INTERVAL_S = 0.2
#: Tries of a read that meets a transient error.
READ_ATTEMPTS = 3

log = logging.getLogger("accountability.engine")


class _Contended(Exception):
    """Ends the driver's retries of a write that lost a conflict, so that it is retried
    holding the embedded engine's write lock exclusively."""


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
        return [row_of(record) for record in await result.fetch(1 << 30)]


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
        # The embedded engine's processes share a file lock as well (see _writers_queue).
        self._queue_fd: int | None = None
        self._queue_taking: tuple[asyncio.Future[None], int] | None = None
        # Generations of kinds of data, so that caches over this database (in any of
        # this process's services) know when to reload.
        self._generations: dict[str, int] = {}
        # Set while our engine is down (why, for every request meanwhile and /readyz).
        self._outage: str | None = None
        self._supervisor: asyncio.Task[None] | None = None
        # Set when the supervisor finds the engine gone: calls in flight stop waiting.
        self._down = asyncio.Event()

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
        if self.embedded:
            path = self.settings.data_dir.resolve() / WRITERS_QUEUE_FILE
            self._queue_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._driver = AsyncGraphDatabase.driver(uri, auth=auth, connection_timeout=5)
        try:
            with self._mapped():
                await self._driver.verify_connectivity()
            await self.set_up_schema()
        except BaseException:
            await self.close()
            raise
        if self.engine is not None and self.settings.embedded_restarts > 0:
            # Only the process that started the engine restarts it: a tool attached to a
            # service's engine has no ``engine`` and leaves that to the service.
            self._supervisor = asyncio.get_running_loop().create_task(
                self._supervise(self.engine), name="engine-supervisor"
            )

    def _mapped(self) -> contextlib.AbstractContextManager[None]:
        return mapped_driver_errors(self.settings.embedded_heap_mb if self.embedded else None)

    async def _supervise(self, engine: EmbeddedEngine) -> None:
        """Restart our engine whenever it exits unasked, until restarts fail."""
        while True:
            await asyncio.sleep(SUPERVISE_INTERVAL_S)
            code = engine.exit_code()
            if code is not None and not await self._recover(engine, code):
                return

    async def _recover(self, engine: EmbeddedEngine, code: int) -> bool:
        """Restart the engine with bounded, doubling waits and reconnect; whether it came
        back. Meanwhile every request fails at once with DATABASE_UNAVAILABLE."""
        started = time.monotonic()
        attempts = self.settings.embedded_restarts
        stopped = f"the embedded database engine has stopped (exit code {code})"
        self._outage = f"{stopped}; restarting it"
        self._down.set()
        # Requests in flight on the dead engine fail now, rather than sit in the driver's
        # retries through the gap; the engine comes back on a new connection pool.
        old, self._driver = self._driver, None
        if old is not None:
            with contextlib.suppress(Exception):
                await old.close()
        wait = self.settings.embedded_restart_backoff_s
        for attempt in range(1, attempts + 1):
            self._outage = f"{stopped}; restarting it (attempt {attempt} of {attempts})"
            log.error(
                "%s; restart attempt %d of %d. The engine's last log lines (%s):\n%s",
                stopped,
                attempt,
                attempts,
                engine.log_path,
                engine.log_tail(),
            )
            try:
                await asyncio.to_thread(engine.restart)
                driver = AsyncGraphDatabase.driver(
                    engine.uri, auth=(ROOT_USER, engine.password()), connection_timeout=5
                )
                try:
                    with self._mapped():
                        await driver.verify_connectivity()
                except BaseException:
                    await driver.close()
                    raise
            except Exception as exc:
                # Kept going whatever the failure: the supervisor is all that restarts.
                log.error("restart attempt %d of %d failed: %s", attempt, attempts, exc)
                if attempt < attempts:
                    await asyncio.sleep(wait)
                    wait *= 2
                continue
            self._driver = driver
            self._outage = None
            self._down.clear()
            log.warning(
                "the embedded engine is back after %.1f s (restart attempt %d, %s)",
                time.monotonic() - started,
                attempt,
                engine.uri,
            )
            return True
        self._outage = f"{stopped} and {attempts} restarts failed; restart the service"
        log.critical("%s; see %s", self._outage, engine.log_path)
        return False

    async def close(self) -> None:
        if self._supervisor is not None:
            # First, so that stopping the engine below is not taken for a crash.
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        if self._driver is not None:
            await self._driver.close()
            self._driver = None
        if self.engine is not None:
            await asyncio.to_thread(self.engine.stop)
            self.engine = None
        if self._queue_fd is not None:
            os.close(self._queue_fd)
            self._queue_fd = None
            self._queue_taking = None

    def changed(self, topic: str) -> None:
        """Note that data of a kind caches depend on was written."""
        self._generations[topic] = self._generations.get(topic, 0) + 1

    def generation(self, topic: str) -> int:
        return self._generations.get(topic, 0)

    async def set_up_schema(self) -> None:
        """Constraints and indexes; every statement is idempotent (IF NOT EXISTS)."""
        for statement in self.catalog.schema:
            with self._mapped():
                await self.driver.execute_query(statement, database_=self.database_name)

    def check_engine(self) -> None:
        """Fail at once, not after the driver's retries, when our engine has died."""
        if self._outage is not None:
            raise DatabaseUnavailable(self._outage)
        code = self.engine.exit_code() if self.engine is not None else None
        if code is not None:
            then = "it is being restarted" if self._supervisor else "restart the service"
            raise DatabaseUnavailable(
                f"the embedded database engine has stopped (exit code {code}); {then}"
            )

    def _query(self, query: Q) -> neo4j.Query:
        return neo4j.Query(self.catalog[query], timeout=self.settings.query_timeout_s)

    async def read(self, query: Q, **params: Any) -> list[Row]:
        """Run a read statement and return its rows as dicts."""
        self.check_engine()
        with self._mapped():
            return await self._unless_engine_dies(self._auto_read(query, params))

    async def _auto_read(self, query: Q, params: dict[str, Any]) -> list[Row]:
        """One read in an auto-commit transaction: RUN and PULL, without the BEGIN and
        COMMIT round trips of a managed one (0.64 vs 0.93 ms p50 a lookup, measured on
        the embedded engine). A read has nothing to retry a commit for; the session
        shares the bookmark manager, so it still sees this process's writes."""
        for attempt in range(READ_ATTEMPTS):
            try:
                async with self._session(neo4j.READ_ACCESS) as session:
                    result = await session.run(self._query(query), params)
                    row = projected_row_of if query in PROJECTED_READS else row_of
                    return [row(record) async for record in result]
            except neo4j.exceptions.TransientError:
                # What a managed transaction would have retried (a cluster member busy or
                # changing role): again, briefly, then the mapped error.
                if attempt == READ_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    async def _unless_engine_dies(self, call: Coroutine[Any, Any, T]) -> T:
        """Await a driver call, but give up with DATABASE_UNAVAILABLE as soon as the
        supervisor finds our engine gone: a call in flight at a crash would otherwise sit
        in the driver's retries through the whole restart. Nothing of it can commit on a
        dead engine, so dropping it is safe."""
        if self._supervisor is None:
            return await call
        work = asyncio.ensure_future(call)
        down = asyncio.ensure_future(self._down.wait())
        try:
            await asyncio.wait({work, down}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            down.cancel()
            if not work.done():
                work.cancel()
                with contextlib.suppress(BaseException):
                    await work
        if work.cancelled():
            raise DatabaseUnavailable(self._outage or "the embedded database engine stopped")
        return work.result()

    async def write(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in one managed write transaction: all of it commits, or none."""
        exclusive = False
        runs = 0

        @neo4j.unit_of_work(timeout=self.settings.query_timeout_s)
        async def unit(tx: AsyncManagedTransaction) -> T:
            nonlocal runs
            runs += 1
            if runs > 1 and not exclusive and self._queue_fd is not None:
                # The driver retries: the first run lost a conflict to another process.
                raise _Contended
            return await work(Tx(tx, self.catalog))

        for attempt in range(WRITE_ATTEMPTS):
            self.check_engine()
            runs = 0
            try:
                async with self._write_lock, self._writers_queue(exclusive):
                    with self._mapped():
                        async with self._session() as session:
                            return await self._unless_engine_dies(session.execute_write(unit))
            except _Contended:
                exclusive = True
            except WriteCollision:
                # Another writer committed a key first. Our writes are upserts, or check
                # inside their transaction that an id is free (a genuine clash is then a
                # Conflict, not retried), and re-read the audit head: a retry is safe.
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
                exclusive = True
                ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt)
                await asyncio.sleep(random.uniform(0, ceiling))
        raise AssertionError("unreachable")

    @contextlib.asynccontextmanager
    async def _writers_queue(self, exclusive: bool) -> AsyncIterator[None]:
        """Hold the data folder's write lock, on the embedded engine, whose processes are
        all on this machine: shared for a first try, exclusive for a retry. ArcadeDB checks
        concurrent transactions optimistically, by page: a long transaction (an import)
        that shares a page with a stream of short ones (a service's creates) lost at every
        commit, until the driver gave up. Writers go on side by side, and one that lost
        has the engine to itself for its retry, so it cannot lose again. Neo4j locks, so
        needs none of this."""
        fd = self._queue_fd
        if fd is None:
            yield
            return
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        # A blocking flock in a thread: woken as soon as the holders let go, where
        # polling would let busy processes take the lock back again and again. A writer
        # cancelled while it waits leaves the thread's flock to the next writer.
        if self._queue_taking is None:
            taking = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, mode)
            self._queue_taking = (taking, mode)
        taking, taken_mode = self._queue_taking
        try:
            await asyncio.shield(taking)
        except asyncio.CancelledError:
            raise
        except BaseException:
            self._queue_taking = None
            raise
        self._queue_taking = None
        try:
            if taken_mode != mode:
                await asyncio.to_thread(fcntl.flock, fd, mode)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _session(self, access_mode: str = neo4j.WRITE_ACCESS) -> neo4j.AsyncSession:
        # The bookmark manager execute_query uses: a read after this process's write sees
        # it, on a cluster too, whichever path each took.
        return self.driver.session(
            database=self.database_name,
            default_access_mode=access_mode,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
        )

    async def stream(self, query: Q, **params: Any) -> AsyncIterator[Row]:
        """Yield rows one by one, for exports too large to hold."""
        self.check_engine()
        with self._mapped():
            async with self._session(neo4j.READ_ACCESS) as session:
                result = await session.run(self._query(query), params)
                async for record in result:
                    yield row_of(record)

    async def ready(self) -> tuple[bool, str]:
        """Whether a real query answers within the readiness time-out, and why not."""
        if self._outage is not None:
            return False, self._outage
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
