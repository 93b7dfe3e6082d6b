"""The embedded engine's lifecycle: one owner per data folder, data kept, crashes reported."""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import time
from pathlib import Path

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.errors import (
    DatabaseUnavailable,
    EngineError,
    QueryOutOfMemory,
    QueryTimeout,
    WriteCollision,
)
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.embedded import DataFolderInUse
from accountability.graph.errors import HEAP_SETTING, mapped_driver_errors
from accountability.services.container import Services
from accountability.settings import Settings
from tests.builders import document, make_node

pytestmark = pytest.mark.slow


async def test_restart_keeps_data_and_second_owner_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedded_heap_mb=256, db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        await services.interchange.import_document(
            SYSTEM, document([make_node("kept-1", "Unit", name="Fictional Kept Unit")], [])
        )
        password_file = tmp_path / "data" / "engine-password"
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600

        with pytest.raises(DataFolderInUse, match="already uses the data folder"):
            await Database(settings).open()

        attached = Database(settings)
        await attached.open(attach=True)
        try:
            assert "kept-1" in await Services.over(attached, settings).nodes.labels_of(["kept-1"])
        finally:
            await attached.close()
    finally:
        await db.close()

    db = Database(settings)
    await db.open()
    try:
        found = await Services.over(db, settings).nodes.labels_of(["kept-1"])
        assert found == {"kept-1": "Unit"}
    finally:
        await db.close()


async def test_a_dead_engine_is_reported_not_hung(tmp_path: Path) -> None:
    # Unsupervised here (no restarts), so that the engine stays dead to be looked at.
    settings = Settings(
        data_dir=tmp_path / "data",
        embedded_heap_mb=256,
        readiness_timeout_s=2,
        db_uri=None,
        embedded_restarts=0,
    )
    db = Database(settings)
    await db.open()
    try:
        assert await db.ready() == (True, "ok")
        assert db.engine is not None and db.engine.process is not None
        os.kill(db.engine.process.pid, signal.SIGKILL)
        db.engine.process.wait(10)
        ok, reason = await db.ready()
        assert not ok and "exited" in reason
        with pytest.raises(EngineError, match="exited with code"):
            db.engine.raise_if_exited()
        with pytest.raises(DatabaseUnavailable, match=r"engine has stopped.*restart the service"):
            await Services.over(db, settings).nodes.labels_of(["any"])
    finally:
        await db.close()


async def test_a_runaway_query_is_stopped_by_the_time_out(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", embedded_heap_mb=256, db_uri=None, query_timeout_s=1
    )
    db = Database(settings)
    await db.open()
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout), mapped_driver_errors():
            # No statement of ours runs this long; the engine must stop it, not us.
            await db.driver.execute_query(
                "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000) AS y RETURN count(*) AS n",
                database_=db.database_name,
            )
        assert time.monotonic() - started < 20
        assert await db.ready() == (True, "ok")
    finally:
        await db.close()


async def test_driver_errors_are_ours_by_their_code(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", embedded_heap_mb=128, db_uri=None, embedded_restarts=0
    )
    db = Database(settings)
    await db.open()
    try:
        # More than the heap budget all queries share (a share of -Xmx): one line that
        # names the setting to raise, and the engine goes on answering.
        with pytest.raises(QueryOutOfMemory) as caught, mapped_driver_errors(128):
            await db.driver.execute_query(
                "UNWIND range(1, 1000000) AS x "
                "WITH x, 'padding-padding-padding-' + toString(x) AS s ORDER BY s DESC "
                "RETURN count(*) AS n",
                database_=db.database_name,
            )
        message = caught.value.message
        assert "\n" not in message and "128 MB" in message and HEAP_SETTING in message
        assert HEAP_SETTING.removeprefix("ACCOUNTABILITY_").lower() in Settings.model_fields
        assert await db.ready() == (True, "ok")

        # A key another writer saved first: retried (a bounded number of times), then a
        # WriteCollision, which clients see as a CONFLICT.
        row = {"id": "fictional-dup", "props": {}, "created_at": None, "updated_at": None}

        async def create(tx: Tx) -> None:
            await tx.run(Q.CREATE_UNITS, rows=[row], now=now_iso())

        await db.write(create)
        with pytest.raises(WriteCollision) as collided:
            await db.write(create)
        assert collided.value.code == "CONFLICT" and collided.value.http_status == 409
    finally:
        await db.close()


async def test_restarts_are_bounded_and_each_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        embedded_heap_mb=256,
        db_uri=None,
        embedded_restarts=2,
        embedded_restart_backoff_s=0.1,
    )
    db = Database(settings)
    await db.open()
    try:
        assert db.engine is not None and db.engine.process is not None
        # An engine that cannot come back: its password file emptied, then killed.
        db.engine.password_path.write_text("")
        os.kill(db.engine.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while "restarts failed" not in (await db.ready())[1]:
            assert time.monotonic() < deadline, await db.ready()
            await asyncio.sleep(0.1)
        ok, reason = await db.ready()
        assert not ok and "2 restarts failed; restart the service" in reason
        with pytest.raises(DatabaseUnavailable, match="restarts failed"):
            await Services.over(db, settings).nodes.labels_of(["any"])
        attempts = [r.getMessage() for r in caplog.records if "restart attempt" in r.getMessage()]
        assert [a for a in attempts if "last log lines" in a] and len(attempts) == 4
        assert all("ArcadeDB" in a or "INFO" in a for a in attempts if "last log lines" in a)
    finally:
        await db.close()
